#pragma once

// One browser over loopback, as the page tests use Spire: a session cookie
// (after log_in) and the session's CSRF token sent with every form.

#include "support/http_client.hpp"
#include "support/web_session.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spire::test {

using Fields = std::vector<std::pair<std::string, std::string>>;

// application/x-www-form-urlencoded, every byte but unreserved ones encoded.
std::string url_encode(std::string_view text);
std::string encode_form(const Fields& fields);

class Browser {
public:
    explicit Browser(std::uint16_t port);

    RawResponse get(const std::string& target);
    RawResponse post(const std::string& target, const Fields& fields);

    // Logs in through the login form; true when a session was started.
    bool log_in(const std::string& email, const std::string& password);

private:
    RawResponse send(const std::string& method, const std::string& target,
                     const std::string& fields);

    std::uint16_t m_port;
    WebSession m_session;
};

inline bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace spire::test
