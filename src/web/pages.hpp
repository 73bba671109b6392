#pragma once

// What page handlers of every module share: reading query parameters the
// way users type them, showing validation errors next to their fields,
// success notices, pagination, and turning a service error into the right
// answer (DESIGN.md §11).

#include "core/error.hpp"
#include "http/form.hpp"
#include "http/message.hpp"
#include "web/view.hpp"

#include <functional>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace spire::web {

using Data = mustache::data;

inline Data make_list() {
    return Data{Data::type::list};
}

// kainjow's Data::set() and push_back() take const references and copy the
// whole subtree: a 200-row table built with them is copied twice over, which
// was a fifth of the ranking page's time. These two move instead. The
// const_casts are sound: the accessors return const views of objects the Data
// owns and that are not const.
//
// Sets `name` to an empty list in `object` and returns that list.
inline Data& set_empty_list(Data& object, const std::string& name) {
    object.set(name, make_list());
    return const_cast<Data&>(*object.get(name));
}
// Appends `item` to `list` (made by make_list() or set_empty_list()).
inline void push_back_moved(Data& list, Data&& item) {
    if (list.is_list())
        const_cast<mustache::basic_list<std::string>&>(list.list_value())
            .push_back(std::move(item));
}

// Translates msgids for one request.
struct Translate {
    const View& view;
    const http::Request& request;
    std::string operator()(std::string_view msgid) const { return view.translate(request, msgid); }
};

// Replaces "{name}" in a translated text: translations keep the placeholders
// where their word order needs them.
std::string fill(std::string text,
                 std::initializer_list<std::pair<std::string_view, std::string>> values);

// --- Query parameters and forms ----------------------------------------------------

// Longer search or filter text is ignored rather than cut: it cannot be a
// name, an address or an action anyway.
inline constexpr std::size_t MAX_QUERY_TEXT_BYTES = 200;
// Pages beyond this are not worth an OFFSET that large.
inline constexpr int MAX_PAGE = 100'000;

// A query parameter as text the services may take: valid UTF-8 without NUL,
// at most MAX_QUERY_TEXT_BYTES, trimmed. Anything else counts as absent.
std::string text_param(const http::Request& request, std::string_view name);
// ?page=N, 1 when absent or not a page number.
int page_param(const http::Request& request);
std::string form_text(const http::Form& form, std::string_view name);
// "" -> no id; digits -> the id; anything else -> nullopt (not an id at all).
std::optional<std::optional<long long>> parse_optional_id(std::string_view text);

// `path` with the non-empty parameters as its query, percent-encoded.
std::string href_with(std::string_view path,
                      std::initializer_list<std::pair<std::string_view, std::string>> params);

// /login?next=<this page>.
http::Response redirect_to_login(const http::Request& request);

// --- Errors and notices ------------------------------------------------------------

// A service error as a bare status: the error-page middleware renders it,
// explaining request.context.error_message in plain words. Not logged in
// goes to the login page.
http::Response refuse(http::Request& request, const Error& error);

// Re-rendered forms answer 422 for bad input (the form itself is fine, what
// is in it is not), and the kind's own status otherwise.
int form_status(const Error& error);

// Errors that the page shows itself rather than leaving to the error page.
bool shown_on_page(const Error& error);

// A service field and the id of the input it belongs to on this page.
struct FieldRef {
    std::string_view field;
    std::string_view input_id;
};

// Puts an error on the page: field messages as error_<field> next to their
// inputs, and a summary at the top linking to each (ds-error-summary); an
// error without fields becomes an alert.
void add_error(Data& data, const Translate& tr, const Error& error,
               std::initializer_list<FieldRef> fields);

// The success notice named by ?done=..., translated; empty if none.
using Notices = std::span<const std::pair<std::string_view, std::string_view>>;
std::string notice_for(const http::Request& request, const Translate& tr, Notices notices);

// --- Lists ---------------------------------------------------------------------------

// An <option> for a select.
Data option(std::string value, std::string label, bool selected);

// Server-rendered pagination (DESIGN.md §3: the web component's own fails
// axe): "Page X of Y" with previous and next links.
void add_pagination(Data& data, const Translate& tr, int page, long long total, int per_page,
                    const std::function<std::string(int)>& href);

} // namespace spire::web
