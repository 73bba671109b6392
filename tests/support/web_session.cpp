#include "support/web_session.hpp"

namespace spire::test {

namespace {

std::string cookie_value(const RawResponse& response, const std::string& name) {
    auto range = response.headers.equal_range("set-cookie");
    for (auto it = range.first; it != range.second; ++it) {
        const std::string& header = it->second;
        if (header.rfind(name + "=", 0) == 0)
            return header.substr(name.size() + 1, header.find(';') - name.size() - 1);
    }
    return {};
}

} // namespace

std::string csrf_in_page(const std::string& html) {
    const std::string marker = "name=\"_csrf\" value=\"";
    auto at = html.find(marker);
    if (at == std::string::npos)
        return {};
    at += marker.size();
    return html.substr(at, html.find('"', at) - at);
}

WebSession anonymous_session(std::uint16_t port) {
    WebSession session;
    auto page = http_get(port, "/login");
    if (!page)
        return session;
    std::string token = cookie_value(*page, "__Host-spire_csrf");
    session.cookies = "__Host-spire_csrf=" + token;
    session.csrf = token;
    return session;
}

std::optional<RawResponse> send_as(std::uint16_t port, const WebSession& session,
                                   const std::string& method, const std::string& target,
                                   const std::string& fields) {
    RawConnection connection(port);
    std::string request = method + " " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n";
    if (!session.cookies.empty())
        request += "Cookie: " + session.cookies + "\r\n";
    if (method == "GET") {
        request += "\r\n";
    } else {
        std::string body = "_csrf=" + session.csrf + (fields.empty() ? "" : "&" + fields);
        request += "Origin: http://x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                   "Content-Length: " +
                   std::to_string(body.size()) + "\r\n\r\n" + body;
    }
    if (!connection.send(request))
        return std::nullopt;
    return connection.read_response();
}

std::optional<WebSession> log_in(std::uint16_t port, const std::string& email,
                                 const std::string& password) {
    WebSession anonymous = anonymous_session(port);
    // '@' and the characters of our test passwords need no percent-encoding.
    std::string fields = "email=" + email + "&password=" + password;
    auto response = send_as(port, anonymous, "POST", "/login", fields);
    if (!response || response->status != 303)
        return std::nullopt;
    WebSession session;
    session.cookies = "__Host-spire=" + cookie_value(*response, "__Host-spire");
    if (session.cookies == "__Host-spire=")
        return std::nullopt;
    auto profile = send_as(port, session, "GET", "/profile");
    if (!profile || profile->status != 200)
        return std::nullopt;
    session.csrf = csrf_in_page(profile->body);
    return session;
}

} // namespace spire::test
