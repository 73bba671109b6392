#include "support/test_server.hpp"

namespace spire::test {

namespace {
http::ServerConfig for_tests(http::ServerConfig config) {
    config.address = "127.0.0.1";
    config.port = 0;
    config.handle_signals = false;
    if (config.threads == 0)
        config.threads = 2;
    return config;
}
} // namespace

TestServer::TestServer(http::HttpApp app, http::ServerConfig config)
    : m_server(for_tests(std::move(config)), std::move(app)) {
    m_port = m_server.listen();
    m_thread = std::thread([this] { m_server.run(); });
}

TestServer::~TestServer() {
    stop();
}

void TestServer::stop() {
    if (!m_thread.joinable())
        return;
    m_server.stop();
    m_thread.join();
}

void TestServer::join() {
    if (m_thread.joinable())
        m_thread.join();
}

} // namespace spire::test
