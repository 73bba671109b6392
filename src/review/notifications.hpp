#pragma once

// The e-mail the review workflow sends (issue 7, item 5): a reviewer is told
// about new assignments, queued in the mail outbox inside the transaction
// that makes them, so the mail goes out if and only if they are committed.
// One message per reviewer and transaction: automatic assignment lists all
// of a reviewer's new applications in one mail rather than one mail each.

#include "identity/model.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace soci {
class session;
}

namespace spire::review::notifications {

using Translate = std::function<std::string(std::string_view)>;

struct AssignedApplication {
    std::string reference;
    std::string title;
};

void queue_assignment(soci::session& sql, identity::Id organisation_id, identity::Id reviewer_id,
                      const std::string& call_title,
                      const std::vector<AssignedApplication>& applications,
                      const Translate& translate, const std::string& now);

} // namespace spire::review::notifications
