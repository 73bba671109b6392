#pragma once

// A deliberately dumb HTTP/1.1 client on raw sockets, so tests can send
// exactly the bytes they want (malformed, oversized, stalled) to a server on
// loopback and read what comes back.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace spire::test {

struct RawResponse {
    int status = 0;
    std::multimap<std::string, std::string> headers; // names lower-cased
    std::string body;

    std::string header(const std::string& lower_name) const {
        auto it = headers.find(lower_name);
        return it == headers.end() ? std::string() : it->second;
    }
};

class RawConnection {
public:
    explicit RawConnection(std::uint16_t port);
    ~RawConnection();
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    // False when the peer has closed or reset the connection.
    bool send(std::string_view bytes);
    // Reads one response; nullopt on close or timeout before it is complete.
    // A response to HEAD has no body whatever Content-Length says.
    std::optional<RawResponse>
    read_response(bool head = false, std::chrono::milliseconds timeout = std::chrono::seconds(10));
    // True when the server closes the connection within `timeout`.
    bool closed_within(std::chrono::milliseconds timeout);

private:
    // Appends to m_buffer; false on close/error/timeout.
    bool fill(std::chrono::steady_clock::time_point deadline);

    int m_fd = -1;
    std::string m_buffer;
};

// One request on a fresh connection.
std::optional<RawResponse> http_get(std::uint16_t port, std::string_view target,
                                    std::string_view extra_headers = "");

} // namespace spire::test
