#pragma once

// Spire's own request and response types. The Beast types stay inside
// server.cpp so that only one translation unit pays for Beast's headers; the
// rest of the application sees these plain structs.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spire::identity {
struct Principal;
}

namespace spire::http {

enum class Method { Get, Head, Post, Put, Patch, Delete, Options, Other };

std::string_view method_name(Method method);
Method parse_method(std::string_view name);

// Header names compare case-insensitively (RFC 9110 §5.1).
class Headers {
public:
    std::optional<std::string_view> get(std::string_view name) const;
    void set(std::string_view name, std::string value); // replaces
    void add(std::string name, std::string value);      // appends (Set-Cookie)
    void remove(std::string_view name);
    bool has(std::string_view name) const { return get(name).has_value(); }
    const std::vector<std::pair<std::string, std::string>>& all() const { return m_items; }

private:
    std::vector<std::pair<std::string, std::string>> m_items;
};

struct PathParam {
    std::string name;
    std::string value; // percent-decoded
};

// What the middleware learns about a request and the handlers read.
struct RequestContext {
    std::string request_id;
    std::string lang = "nb";
    // Set by the session middleware; null for anonymous requests.
    std::shared_ptr<const identity::Principal> principal;
    // The token forms must echo back (the session's, or the anonymous one).
    std::string csrf_token;
    // True when the request came through TLS (directly or via a trusted proxy).
    bool secure = false;
    // A msgid explaining an error response to the user (e.g. why a 403).
    std::string error_message;
};

struct Request {
    Method method = Method::Get;
    std::string target; // as received, e.g. "/calls/7?page=2"
    std::string path;   // percent-decoded path, e.g. "/calls/7"
    std::string query;  // raw query string without '?'
    Headers headers;
    std::string body;
    std::string remote_address;
    std::vector<PathParam> params;
    RequestContext context;

    std::string_view header(std::string_view name) const {
        return headers.get(name).value_or(std::string_view{});
    }
    std::optional<std::string_view> param(std::string_view name) const;
    // A path parameter declared as {name:int}; nullopt if absent or out of range.
    std::optional<std::int64_t> param_int(std::string_view name) const;
    // First value of a query parameter, decoded ('+' as space).
    std::optional<std::string> query_param(std::string_view name) const;
    std::optional<std::string_view> cookie(std::string_view name) const;
};

struct Response {
    int status = 200;
    Headers headers;
    std::string body;

    static Response html(std::string body, int status = 200);
    static Response text(std::string body, int status = 200);
    static Response json(std::string body, int status = 200);
    // 303 See Other: the right answer to a POST that succeeded.
    static Response redirect(std::string location, int status = 303);
    static Response empty(int status);
};

std::string_view reason_phrase(int status);

// Whether `path` may be a redirect target taken from user input: a path on
// this site ("/x"), never "//evil.example" or "https://…" (an open redirect
// helps phishing).
bool is_local_path(std::string_view path);

} // namespace spire::http
