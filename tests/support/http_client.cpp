#include "support/http_client.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace spire::test {

RawConnection::RawConnection(std::uint16_t port) {
    m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (m_fd < 0)
        throw std::runtime_error("socket() failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
        throw std::runtime_error("connect() to 127.0.0.1:" + std::to_string(port) + " failed");
}

RawConnection::~RawConnection() {
    if (m_fd >= 0)
        ::close(m_fd);
}

bool RawConnection::send(std::string_view bytes) {
    while (!bytes.empty()) {
        ssize_t n = ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

bool RawConnection::fill(std::chrono::steady_clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
        return false;
    pollfd pfd{m_fd, POLLIN, 0};
    if (::poll(&pfd, 1, static_cast<int>(left.count())) <= 0)
        return false;
    char chunk[16384];
    ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
    if (n <= 0)
        return false;
    m_buffer.append(chunk, static_cast<std::size_t>(n));
    return true;
}

std::optional<RawResponse> RawConnection::read_response(bool head,
                                                        std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::size_t header_end;
    while ((header_end = m_buffer.find("\r\n\r\n")) == std::string::npos) {
        if (!fill(deadline))
            return std::nullopt;
    }
    RawResponse response;
    std::string head_text = m_buffer.substr(0, header_end);
    m_buffer.erase(0, header_end + 4);

    std::size_t line_end = head_text.find("\r\n");
    std::string status_line = head_text.substr(0, line_end);
    if (status_line.size() < 12 || !status_line.starts_with("HTTP/1."))
        return std::nullopt;
    response.status = std::stoi(status_line.substr(9, 3));
    std::size_t pos = line_end == std::string::npos ? head_text.size() : line_end + 2;
    while (pos < head_text.size()) {
        std::size_t end = head_text.find("\r\n", pos);
        if (end == std::string::npos)
            end = head_text.size();
        std::string line = head_text.substr(pos, end - pos);
        pos = end + 2;
        auto colon = line.find(':');
        if (colon == std::string::npos)
            continue;
        std::string name = line.substr(0, colon);
        for (char& c : name)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::string value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ')
            value.erase(0, 1);
        response.headers.emplace(name, value);
    }
    std::size_t length = 0;
    if (auto it = response.headers.find("content-length"); it != response.headers.end())
        length = std::stoul(it->second);
    if (head || response.status == 304 || response.status == 204)
        length = 0;
    while (m_buffer.size() < length) {
        if (!fill(deadline))
            return std::nullopt;
    }
    response.body = m_buffer.substr(0, length);
    m_buffer.erase(0, length);
    return response;
}

bool RawConnection::closed_within(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        pollfd pfd{m_fd, POLLIN, 0};
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        int ready = ::poll(&pfd, 1, static_cast<int>(std::max<long long>(1, left.count())));
        if (ready <= 0)
            continue;
        char chunk[4096];
        ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
        if (n <= 0)
            return true; // EOF or reset
        m_buffer.append(chunk, static_cast<std::size_t>(n));
    }
    return false;
}

std::optional<RawResponse> http_get(std::uint16_t port, std::string_view target,
                                    std::string_view extra_headers) {
    RawConnection connection(port);
    std::string request = "GET " + std::string(target) +
                          " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" +
                          std::string(extra_headers) + "\r\n";
    if (!connection.send(request))
        return std::nullopt;
    return connection.read_response();
}

} // namespace spire::test
