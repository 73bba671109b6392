#include "http/json.hpp"

#include "core/text.hpp"
#include "http/status.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <boost/url/params_encoded_view.hpp>
#include <boost/url/parse_query.hpp>
#include <boost/url/url.hpp>

namespace spire::http {

namespace json = boost::json;

bool is_api_path(std::string_view path) {
    return path.starts_with(API_PREFIX) || path == API_PREFIX.substr(0, API_PREFIX.size() - 1);
}

Response json_response(const json::value& body, int status) {
    Response response;
    response.status = status;
    response.headers.set("Content-Type", std::string(JSON_CONTENT_TYPE));
    response.headers.set("Cache-Control", "no-store");
    response.body = json::serialize(body);
    return response;
}

// --- Problem details -------------------------------------------------------------------

namespace {

std::string translated(const Translate& translate, std::string_view msgid) {
    return translate ? translate(msgid) : std::string(msgid);
}

Response problem(int status, std::string_view detail_msgid, const std::vector<FieldError>& fields,
                 const Translate& translate) {
    // https://www.rfc-editor.org/rfc/rfc9457#section-3.1
    json::object body;
    body["type"] = PROBLEM_TYPE;
    body["title"] = translated(translate, problem_title(status));
    body["status"] = status;
    if (!detail_msgid.empty())
        body["detail"] = translated(translate, detail_msgid);
    // An extension member (RFC 9457 §3.2), as DESIGN.md §12 names it.
    if (!fields.empty()) {
        json::array errors;
        for (const auto& field : fields)
            errors.push_back(json::object{{"field", field.field},
                                          {"message", translated(translate, field.message)}});
        body["errors"] = std::move(errors);
    }
    Response response = json_response(body, status);
    response.headers.set("Content-Type", std::string(PROBLEM_CONTENT_TYPE));
    return response;
}

} // namespace

std::string_view problem_title(int status) {
    std::string_view phrase = reason_phrase(status);
    if (!phrase.empty())
        return phrase;
    return status >= 500 ? reason_phrase(500) : reason_phrase(400);
}

Response problem_response(const Error& error, const Translate& translate) {
    return problem(status_for(error.kind), error.message, error.fields, translate);
}

Response problem_response(int status, std::string_view detail_msgid, const Translate& translate) {
    return problem(status, detail_msgid, {}, translate);
}

// --- Pagination ------------------------------------------------------------------------

Result<PageRequest> parse_page_request(const Request& request, int default_per_page) {
    PageRequest page;
    page.per_page = std::clamp(default_per_page, 1, MAX_PER_PAGE);
    std::vector<FieldError> fields;
    // Absent, empty and (for a query string Boost.URL cannot read) unreadable
    // all give the default: query_param() cannot tell them apart, and the
    // page is then still a valid one.
    auto number = [](const std::optional<std::string>& text, int max) -> std::optional<int> {
        auto value = parse_digits(trim(*text));
        if (!value || *value < 1 || *value > max)
            return std::nullopt;
        return static_cast<int>(*value);
    };
    if (auto text = request.query_param("page"); text && !trim(*text).empty()) {
        if (auto value = number(text, MAX_PAGE_NUMBER))
            page.page = *value;
        else
            fields.push_back({"page", message::PAGE_NUMBER});
    }
    if (auto text = request.query_param("per_page"); text && !trim(*text).empty()) {
        if (auto value = number(text, MAX_PER_PAGE))
            page.per_page = *value;
        else
            fields.push_back({"per_page", message::PER_PAGE});
    }
    if (!fields.empty())
        return tl::unexpected(Error::invalid(message::INVALID_PARAMETERS, std::move(fields)));
    return page;
}

long long page_count(long long total, int per_page) {
    per_page = std::max(per_page, 1);
    return std::max<long long>(1, (std::max<long long>(total, 0) + per_page - 1) / per_page);
}

namespace {

// This request's path and query with page and per_page set to `page`.
std::string page_target(const Request& request, long long page, int per_page) {
    boost::urls::url url;
    url.set_path(request.path);
    if (boost::urls::parse_query(request.query)) {
        for (auto param : boost::urls::params_encoded_view(request.query)) {
            std::string key = param.key.decode();
            if (key != "page" && key != "per_page")
                url.encoded_params().append(param);
        }
    }
    url.params().append({"page", std::to_string(page)});
    url.params().append({"per_page", std::to_string(per_page)});
    return std::string(url.buffer());
}

} // namespace

std::string pagination_links(const Request& request, const PageRequest& page, long long total) {
    long long last = page_count(total, page.per_page);
    std::string links;
    auto add = [&](long long number, std::string_view rel) {
        if (!links.empty())
            links += ", ";
        links += '<';
        links += page_target(request, number, page.per_page);
        links += ">; rel=\"";
        links += rel;
        links += '"';
    };
    add(1, "first");
    if (page.page > 1)
        add(std::min<long long>(page.page - 1, last), "prev");
    if (page.page < last)
        add(page.page + 1, "next");
    add(last, "last");
    return links;
}

Response json_page(const Request& request, json::array items, const PageRequest& page,
                   long long total) {
    json::object body;
    body["items"] = std::move(items);
    body["total"] = total;
    body["page"] = page.page;
    body["per_page"] = page.per_page;
    body["pages"] = page_count(total, page.per_page);
    Response response = json_response(body);
    response.headers.set("Link", pagination_links(request, page, total));
    return response;
}

} // namespace spire::http
