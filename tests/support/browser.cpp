#include "support/browser.hpp"

#include <gtest/gtest.h>

namespace spire::test {

std::string url_encode(std::string_view text) {
    static const char* HEX = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     c == '-' || c == '_' || c == '.' || c == '~';
        if (plain) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += HEX[c >> 4];
            out += HEX[c & 15];
        }
    }
    return out;
}

std::string encode_form(const Fields& fields) {
    std::string body;
    for (const auto& [name, value] : fields) {
        if (!body.empty())
            body += '&';
        body += url_encode(name) + "=" + url_encode(value);
    }
    return body;
}

Browser::Browser(std::uint16_t port) : m_port(port) {}

RawResponse Browser::get(const std::string& target) {
    return send("GET", target, "");
}

RawResponse Browser::post(const std::string& target, const Fields& fields) {
    return send("POST", target, encode_form(fields));
}

bool Browser::log_in(const std::string& email, const std::string& password) {
    auto session = test::log_in(m_port, email, password);
    if (session)
        m_session = std::move(*session);
    return session.has_value();
}

RawResponse Browser::send(const std::string& method, const std::string& target,
                          const std::string& fields) {
    auto response = send_as(m_port, m_session, method, target, fields);
    EXPECT_TRUE(response) << "no response to " << method << " " << target;
    return response.value_or(RawResponse{});
}

} // namespace spire::test
