#pragma once

// The HTTP/1.1 server: Boost.Beast and Asio with C++20 coroutines, one
// coroutine per connection. Beast's headers are included only by server.cpp.

#include "http/router.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace spire::http {

struct ServerConfig {
    std::string address = "127.0.0.1";
    std::uint16_t port = 8080; // 0: any free port (see Server::listen)
    unsigned threads = 1;
    // A client must send each request's header, and then its body, within
    // this time; a stalled client loses its connection.
    std::chrono::milliseconds read_timeout{std::chrono::seconds(30)};
    std::chrono::milliseconds write_timeout{std::chrono::seconds(30)};
    // How long a keep-alive connection may wait for its next request.
    std::chrono::milliseconds idle_timeout{std::chrono::seconds(60)};
    std::size_t header_limit = 8 * 1024;
    std::size_t max_connections = 4096;
    // On SIGTERM/SIGINT in-flight requests get this long to finish.
    std::chrono::milliseconds shutdown_deadline{std::chrono::seconds(10)};
    bool handle_signals = true;
};

struct HttpApp {
    // Asked after the request header has arrived and before the body is read.
    std::function<std::size_t(Method, std::string_view path)> body_limit;
    // The whole middleware chain around the router.
    Handler handle;
    // For errors the server detects itself (400 malformed, 413, 431).
    std::function<Response(const Request&, int status)> error_page;
};

class Server {
public:
    Server(ServerConfig config, HttpApp app);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds and listens; returns the port (the chosen one when config.port is 0).
    // Throws std::system_error when the address cannot be bound.
    std::uint16_t listen();
    // Serves until stop() or a signal, then drains in-flight requests and returns.
    void run();
    // Begins a graceful shutdown; safe to call from any thread.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace spire::http
