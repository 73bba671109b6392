#include "http/message.hpp"

#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>
#include <charconv>

namespace spire::http {

namespace {

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i]))
            return false;
    }
    return true;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

} // namespace

std::string_view method_name(Method method) {
    switch (method) {
    case Method::Get:
        return "GET";
    case Method::Head:
        return "HEAD";
    case Method::Post:
        return "POST";
    case Method::Put:
        return "PUT";
    case Method::Patch:
        return "PATCH";
    case Method::Delete:
        return "DELETE";
    case Method::Options:
        return "OPTIONS";
    case Method::Other:
        break;
    }
    return "OTHER";
}

Method parse_method(std::string_view name) {
    for (Method m : {Method::Get, Method::Head, Method::Post, Method::Put, Method::Patch,
                     Method::Delete, Method::Options}) {
        if (method_name(m) == name)
            return m;
    }
    return Method::Other;
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
    for (const auto& [key, value] : m_items) {
        if (iequals(key, name))
            return value;
    }
    return std::nullopt;
}

void Headers::set(std::string_view name, std::string value) {
    remove(name);
    m_items.emplace_back(std::string(name), std::move(value));
}

void Headers::add(std::string name, std::string value) {
    m_items.emplace_back(std::move(name), std::move(value));
}

void Headers::remove(std::string_view name) {
    std::erase_if(m_items, [&](const auto& item) { return iequals(item.first, name); });
}

std::optional<std::string_view> Request::param(std::string_view name) const {
    for (const auto& p : params) {
        if (p.name == name)
            return p.value;
    }
    return std::nullopt;
}

std::optional<std::int64_t> Request::param_int(std::string_view name) const {
    auto text = param(name);
    if (!text)
        return std::nullopt;
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc{} || end != text->data() + text->size())
        return std::nullopt;
    return value;
}

std::optional<std::string> Request::query_param(std::string_view name) const {
    // Validate first: the params_view constructor below throws on bad input.
    if (!boost::urls::parse_query(query))
        return std::nullopt;
    boost::urls::params_view params(query, boost::urls::encoding_opts(/*space_as_plus=*/true));
    for (auto param : params) {
        if (param.key == name)
            return param.has_value ? param.value : std::string();
    }
    return std::nullopt;
}

// https://datatracker.ietf.org/doc/html/rfc6265#section-5.4
// cookie-string = cookie-pair *( ";" SP cookie-pair )
std::optional<std::string_view> Request::cookie(std::string_view name) const {
    std::string_view rest = header("Cookie");
    while (!rest.empty()) {
        auto semicolon = rest.find(';');
        std::string_view pair = trim(rest.substr(0, semicolon));
        rest =
            semicolon == std::string_view::npos ? std::string_view{} : rest.substr(semicolon + 1);
        auto equals = pair.find('=');
        if (equals == std::string_view::npos)
            continue;
        if (trim(pair.substr(0, equals)) == name) {
            std::string_view value = trim(pair.substr(equals + 1));
            if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
                value = value.substr(1, value.size() - 2);
            return value;
        }
    }
    return std::nullopt;
}

namespace {
Response with_body(std::string_view content_type, std::string body, int status) {
    Response r;
    r.status = status;
    r.headers.set("Content-Type", std::string(content_type));
    r.body = std::move(body);
    return r;
}
} // namespace

Response Response::html(std::string body, int status) {
    return with_body("text/html; charset=utf-8", std::move(body), status);
}

Response Response::text(std::string body, int status) {
    return with_body("text/plain; charset=utf-8", std::move(body), status);
}

Response Response::json(std::string body, int status) {
    return with_body("application/json; charset=utf-8", std::move(body), status);
}

Response Response::redirect(std::string location, int status) {
    Response r;
    r.status = status;
    r.headers.set("Location", std::move(location));
    return r;
}

Response Response::empty(int status) {
    Response r;
    r.status = status;
    return r;
}

bool is_local_path(std::string_view path) {
    return path.starts_with('/') && !path.starts_with("//") && !path.starts_with("/\\") &&
           path.find_first_of("\r\n") == std::string_view::npos;
}

std::string_view reason_phrase(int status) {
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 303:
        return "See Other";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 413:
        return "Content Too Large";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Content";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "";
    }
}

} // namespace spire::http
