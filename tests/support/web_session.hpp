#pragma once

// Acting as a browser against a test server: log in through the real form,
// then send requests with the session cookie, the CSRF token and an Origin,
// exactly as our own pages would.

#include "support/http_client.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace spire::test {

struct WebSession {
    std::string cookies; // "Cookie:" header value
    std::string csrf;    // token to send with forms
};

// An anonymous visitor: the CSRF cookie and token the server hands out.
WebSession anonymous_session(std::uint16_t port);

// Logs in with the login form; nullopt when the login did not succeed.
std::optional<WebSession> log_in(std::uint16_t port, const std::string& email,
                                 const std::string& password);

// GET (no body) or POST (urlencoded `fields`, the CSRF token added) as the
// session's browser. Host is "x" and Origin "http://x", as the server sees
// them in all tests.
std::optional<RawResponse> send_as(std::uint16_t port, const WebSession& session,
                                   const std::string& method, const std::string& target,
                                   const std::string& fields = "");

// The value of `name="_csrf" value="..."` in a page, empty when absent.
std::string csrf_in_page(const std::string& html);

} // namespace spire::test
