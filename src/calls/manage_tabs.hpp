#pragma once

// The tabs of a call's management pages: the call's own (settings,
// criteria, form), the review's (screening, reviewers, conflicts,
// ranking) and allocation's scenarios. One list, so every one of these pages shows the same tabs.

#include "identity/model.hpp"
#include "web/pages.hpp"

#include <string>
#include <string_view>

namespace spire::calls {

// "/calls/{id}/manage", where the tabs start.
std::string manage_href(identity::Id call_id);

// The tabs for the template's `tabs` list, `current` (a tab's key:
// settings, criteria, form, screening, reviewers, conflicts, ranking,
// allocation) marked.
web::Data manage_tabs(const web::Translate& tr, identity::Id call_id, std::string_view current);

} // namespace spire::calls
