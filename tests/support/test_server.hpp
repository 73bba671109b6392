#pragma once

// Runs a spire::http::Server on a loopback port in a background thread for
// the lifetime of the object.

#include "http/server.hpp"

#include <cstdint>
#include <thread>

namespace spire::test {

class TestServer {
public:
    // config.port is forced to 0 (a free port) and signals are left alone.
    TestServer(http::HttpApp app, http::ServerConfig config = {});
    ~TestServer();
    TestServer(const TestServer&) = delete;
    TestServer& operator=(const TestServer&) = delete;

    std::uint16_t port() const { return m_port; }
    // Begins a graceful shutdown and waits until run() has returned.
    void stop();
    // Begins a graceful shutdown without waiting.
    void begin_stop() { m_server.stop(); }
    void join();

private:
    http::Server m_server;
    std::uint16_t m_port = 0;
    std::thread m_thread;
};

} // namespace spire::test
