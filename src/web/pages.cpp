#include "web/pages.hpp"

#include "core/text.hpp"
#include "http/status.hpp"
#include "http/utf8.hpp"

#include <algorithm>
#include <boost/url/url.hpp>

namespace spire::web {

std::string fill(std::string text,
                 std::initializer_list<std::pair<std::string_view, std::string>> values) {
    for (const auto& [name, value] : values) {
        std::string placeholder = "{" + std::string(name) + "}";
        if (auto at = text.find(placeholder); at != std::string::npos)
            text.replace(at, placeholder.size(), value);
    }
    return text;
}

std::string text_param(const http::Request& request, std::string_view name) {
    auto value = request.query_param(name);
    if (!value || value->size() > MAX_QUERY_TEXT_BYTES || !http::is_valid_utf8(*value) ||
        value->find('\0') != std::string::npos)
        return {};
    return trim(*value);
}

int page_param(const http::Request& request) {
    auto number = parse_digits(text_param(request, "page"));
    if (!number || *number < 1)
        return 1;
    return static_cast<int>(std::min<long long>(*number, MAX_PAGE));
}

std::string form_text(const http::Form& form, std::string_view name) {
    return std::string(form.get(name).value_or(""));
}

std::optional<std::optional<long long>> parse_optional_id(std::string_view text) {
    std::string trimmed = trim(text);
    if (trimmed.empty())
        return std::optional<long long>();
    auto number = parse_digits(trimmed);
    if (!number || *number < 1)
        return std::nullopt;
    return std::optional<long long>(*number);
}

std::string href_with(std::string_view path,
                      std::initializer_list<std::pair<std::string_view, std::string>> params) {
    boost::urls::url url(path);
    for (const auto& [key, value] : params) {
        if (!value.empty())
            url.params().append({key, value});
    }
    return std::string(url.buffer());
}

http::Response redirect_to_login(const http::Request& request) {
    boost::urls::url url("/login");
    std::string here = request.path;
    if (!request.query.empty())
        here += "?" + request.query;
    url.params().append({"next", here});
    return http::Response::redirect(std::string(url.buffer()));
}

http::Response refuse(http::Request& request, const Error& error) {
    if (error.kind == ErrorKind::Unauthenticated)
        return redirect_to_login(request);
    if (error.kind != ErrorKind::NotFound && !error.message.empty())
        request.context.error_message = error.message;
    return http::Response::empty(http::status_for(error.kind));
}

int form_status(const Error& error) {
    return error.kind == ErrorKind::Invalid ? 422 : http::status_for(error.kind);
}

bool shown_on_page(const Error& error) {
    return error.kind == ErrorKind::Invalid || error.kind == ErrorKind::Conflict;
}

void add_error(Data& data, const Translate& tr, const Error& error,
               std::initializer_list<FieldRef> fields) {
    if (error.fields.empty()) {
        data.set("alert", tr(error.message));
        return;
    }
    Data items = make_list();
    for (const auto& field_error : error.fields) {
        std::string message = tr(field_error.message);
        Data item;
        item.set("message", message);
        auto known = std::find_if(fields.begin(), fields.end(), [&](const FieldRef& ref) {
            return ref.field == field_error.field;
        });
        item.set("has_href", known != fields.end());
        if (known != fields.end()) {
            item.set("href", "#" + std::string(known->input_id));
            data.set("error_" + field_error.field, message);
        }
        items.push_back(item);
    }
    data.set("has_errors", true);
    data.set("errors", items);
}

std::string notice_for(const http::Request& request, const Translate& tr, Notices notices) {
    auto done = request.query_param("done");
    if (!done)
        return {};
    for (const auto& [key, msgid] : notices) {
        if (*done == key)
            return tr(msgid);
    }
    return {};
}

Data option(std::string value, std::string label, bool selected) {
    Data item;
    item.set("value", std::move(value));
    item.set("label", std::move(label));
    item.set("selected", selected);
    return item;
}

void add_pagination(Data& data, const Translate& tr, int page, long long total, int per_page,
                    const std::function<std::string(int)>& href) {
    long long pages = std::max<long long>(1, (total + per_page - 1) / per_page);
    if (pages <= 1 && page <= 1)
        return;
    Data pagination;
    pagination.set("label", fill(tr("Page {page} of {pages}"), {{"page", std::to_string(page)},
                                                                {"pages", std::to_string(pages)}}));
    pagination.set("has_prev", page > 1);
    pagination.set("prev_href", href(static_cast<int>(std::min<long long>(page - 1, pages))));
    pagination.set("has_next", page < pages);
    pagination.set("next_href", href(page + 1));
    data.set("pagination", pagination);
}

} // namespace spire::web
