#include "http/server.hpp"

#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <exception>
#include <limits>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace spire::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto use_nothrow = asio::as_tuple(asio::use_awaitable);

constexpr auto LINGER_TIME = std::chrono::seconds(2);
constexpr std::size_t LINGER_MAX_BYTES = 64 * 1024 * 1024;

// What the shutdown needs to know about one connection. Only touched on the
// connection's strand (the session coroutine runs there, and shutdown posts
// there), so the stream pointer is valid whenever `alive` is true.
struct Connection {
    beast::tcp_stream* stream;
    asio::any_io_executor executor; // the strand; safe to copy from any thread
    bool busy = false;
    bool alive = true;
};

// Splits the request-target into decoded path and raw query. Only
// origin-form ("/path?query") is accepted from clients (RFC 9112 §3.2.1).
bool parse_target(std::string_view target, std::string& path, std::string& query) {
    auto parsed = boost::urls::parse_origin_form(target);
    if (!parsed)
        return false;
    path = parsed->path();
    // A NUL in a path is never legitimate and confuses file-system code.
    if (path.find('\0') != std::string::npos)
        return false;
    query = std::string(parsed->encoded_query());
    return true;
}

Request to_request(bhttp::request<bhttp::string_body>&& message, std::string remote) {
    Request request;
    request.method = parse_method(message.method_string());
    request.target = std::string(message.target());
    for (const auto& field : message)
        request.headers.add(std::string(field.name_string()), std::string(field.value()));
    request.body = std::move(message.body());
    request.remote_address = std::move(remote);
    return request;
}

bhttp::response<bhttp::string_body> to_message(Response&& response, unsigned version,
                                               bool keep_alive, bool head) {
    bhttp::response<bhttp::string_body> message{static_cast<bhttp::status>(response.status),
                                                version};
    for (auto& [name, value] : response.headers.all())
        message.insert(name, value);
    message.keep_alive(keep_alive);
    std::size_t length = response.body.size();
    if (response.status == 204 || response.status == 304) {
        message.body().clear();
    } else if (head) {
        // HEAD: the headers a GET would send, without the body (RFC 9110 §9.3.2).
        message.content_length(length);
    } else {
        message.body() = std::move(response.body);
        message.prepare_payload();
    }
    return message;
}

// The bytes of a response, from Beast's serializer, in one buffer. Sending
// the serializer's own nested buffer views makes Asio walk them again for
// every send; one flat copy is cheaper by far for pages of a few KiB
// (bench/http.sh), and bodies here are never streamed anyway.
std::string serialize(bhttp::response<bhttp::string_body>& message) {
    bhttp::response_serializer<bhttp::string_body> serializer(message);
    std::string out;
    out.reserve(message.body().size() + 1024);
    beast::error_code ec;
    while (!ec && !serializer.is_done()) {
        serializer.next(ec, [&](beast::error_code&, const auto& buffers) {
            std::size_t size = beast::buffer_bytes(buffers);
            std::size_t old_size = out.size();
            out.resize(old_size + size);
            asio::buffer_copy(asio::buffer(out.data() + old_size, size), buffers);
            serializer.consume(size);
        });
    }
    return out;
}

// The client sent bytes that are not HTTP/1.1 (as opposed to closing,
// stalling or exceeding a limit): it gets a 400 before the connection closes.
bool is_malformed(const beast::error_code& ec) {
    static const auto& http_category = bhttp::make_error_code(bhttp::error::bad_target).category();
    return ec.category() == http_category && ec != bhttp::error::end_of_stream &&
           ec != bhttp::error::partial_message && ec != bhttp::error::need_more &&
           ec != bhttp::error::header_limit && ec != bhttp::error::body_limit;
}

} // namespace

struct Server::Impl {
    ServerConfig config;
    HttpApp app;
    asio::io_context ioc;
    tcp::acceptor acceptor{ioc};
    asio::signal_set signals{ioc};
    asio::steady_timer deadline{ioc};
    std::atomic<bool> stopping{false};
    std::mutex connections_mutex;
    std::set<std::shared_ptr<Connection>> connections;

    Impl(ServerConfig c, HttpApp a)
        : config(std::move(c)), app(std::move(a)), ioc(static_cast<int>(config.threads)) {}

    Response safe_error_page(int status, std::string path = "/") {
        Request request;
        request.path = std::move(path);
        try {
            return app.error_page(request, status);
        } catch (...) {
            return Response::text(std::string(reason_phrase(status)) + "\n", status);
        }
    }

    Response safe_handle(Request& request) {
        try {
            return app.handle(request);
        } catch (...) {
            // The middleware renders exceptions; this is the last line of defence.
            return Response::text("Internal Server Error\n", 500);
        }
    }

    asio::awaitable<void> write(beast::tcp_stream& stream, Response&& response, unsigned version,
                                bool keep_alive, bool head) {
        auto message = to_message(std::move(response), version, keep_alive, head);
        std::string bytes = serialize(message);
        stream.expires_after(config.write_timeout);
        co_await asio::async_write(stream, asio::buffer(bytes), use_nothrow);
    }

    // Answers a request the server itself rejects, then closes gracefully:
    // the client may still be sending (a too-large body), and closing a socket
    // with unread input makes the kernel send RST, which can destroy the
    // response before the client reads it. So stop sending, then read and
    // discard for a bounded time (nginx's "lingering close").
    asio::awaitable<void> refuse(beast::tcp_stream& stream, int status, unsigned version,
                                 std::string path) {
        co_await write(stream, safe_error_page(status, std::move(path)), version, false, false);
        beast::error_code ec;
        stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        stream.expires_after(LINGER_TIME);
        std::array<char, 16 * 1024> sink;
        std::size_t drained = 0;
        while (drained < LINGER_MAX_BYTES) {
            auto [read_error, n] = co_await stream.async_read_some(asio::buffer(sink), use_nothrow);
            if (read_error)
                break;
            drained += n;
        }
    }

    // Serves one connection until the client closes, an error, or shutdown.
    asio::awaitable<void> session(beast::tcp_stream stream, std::string remote) {
        auto connection = std::make_shared<Connection>(Connection{&stream, stream.get_executor()});
        {
            std::lock_guard lock(connections_mutex);
            connections.insert(connection);
        }
        beast::flat_buffer buffer;
        bool first = true;
        while (!stopping) {
            bhttp::request_parser<bhttp::string_body> parser;
            parser.header_limit(static_cast<std::uint32_t>(config.header_limit));
            // The route's limit is known only once the header is in; Beast
            // checks Content-Length against the limit while parsing the header,
            // so lift it here and check Content-Length ourselves below.
            parser.body_limit(std::numeric_limits<std::uint64_t>::max());

            stream.expires_after(first ? config.read_timeout : config.idle_timeout);
            first = false;
            auto [header_error, header_bytes] =
                co_await bhttp::async_read_header(stream, buffer, parser, use_nothrow);
            connection->busy = true;
            if (header_error) {
                if (header_error == bhttp::error::header_limit)
                    co_await refuse(stream, 431, 11, "/");
                else if (is_malformed(header_error))
                    co_await refuse(stream, 400, 11, "/");
                break; // timeouts, resets and clean closes end the connection
            }

            const auto& header = parser.get();
            unsigned version = header.version();
            std::string path;
            std::string query;
            if (!parse_target(header.target(), path, query)) {
                co_await refuse(stream, 400, version, "/");
                break;
            }
            Method method = parse_method(header.method_string());
            std::size_t limit = app.body_limit(method, path);
            if (auto length = parser.content_length(); length && *length > limit) {
                co_await refuse(stream, 413, version, path);
                break;
            }
            parser.body_limit(limit); // still applies to chunked bodies

            if (!parser.is_done()) {
                stream.expires_after(config.read_timeout);
                auto [body_error, body_bytes] =
                    co_await bhttp::async_read(stream, buffer, parser, use_nothrow);
                if (body_error) {
                    if (body_error == bhttp::error::body_limit)
                        co_await refuse(stream, 413, version, path);
                    else if (is_malformed(body_error))
                        co_await refuse(stream, 400, version, path);
                    break;
                }
            }

            bool keep_alive = parser.get().keep_alive();
            Request request = to_request(parser.release(), remote);
            request.path = std::move(path);
            request.query = std::move(query);
            bool head = request.method == Method::Head;
            Response response = safe_handle(request);
            keep_alive = keep_alive && !stopping;
            co_await write(stream, std::move(response), version, keep_alive, head);
            connection->busy = false;
            if (!keep_alive)
                break;
        }
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        connection->alive = false;
        {
            std::lock_guard lock(connections_mutex);
            connections.erase(connection);
            if (stopping && connections.empty())
                deadline.cancel();
        }
    }

    asio::awaitable<void> accept_loop() {
        while (!stopping) {
            auto [error, socket] = co_await acceptor.async_accept(
                asio::make_strand(ioc), asio::as_tuple(asio::use_awaitable));
            if (error) {
                if (stopping || error == asio::error::operation_aborted)
                    break;
                continue; // e.g. EMFILE: keep serving the connections we have
            }
            std::size_t open;
            {
                std::lock_guard lock(connections_mutex);
                open = connections.size();
            }
            if (open >= config.max_connections)
                continue; // the socket closes as it goes out of scope
            beast::error_code ec;
            // A response is written in pieces (header, body); with Nagle's
            // algorithm the last small piece waits for the client's delayed
            // ACK, 40 ms on Linux: one keep-alive request in ten of a 220 KB
            // page took 50 ms instead of 7. nginx sets this too.
            socket.set_option(tcp::no_delay(true), ec);
            auto endpoint = socket.remote_endpoint(ec);
            std::string remote = ec ? std::string("-") : endpoint.address().to_string();
            auto executor = socket.get_executor();
            asio::co_spawn(executor,
                           session(beast::tcp_stream(std::move(socket)), std::move(remote)),
                           asio::detached);
        }
    }

    void begin_shutdown() {
        if (stopping.exchange(true))
            return;
        beast::error_code ignored;
        acceptor.close(ignored);
        signals.cancel(ignored);
        std::lock_guard lock(connections_mutex);
        // Idle keep-alive connections are closed now; busy ones finish their
        // request and close after the response (the loop checks `stopping`).
        for (const auto& connection : connections) {
            asio::post(connection->executor, [connection] {
                if (connection->alive && !connection->busy)
                    connection->stream->cancel();
            });
        }
        if (connections.empty())
            return;
        deadline.expires_after(config.shutdown_deadline);
        deadline.async_wait([this](beast::error_code ec) {
            if (!ec)
                ioc.stop(); // deadline passed with requests still running
        });
    }
};

Server::Server(ServerConfig config, HttpApp app)
    : m_impl(std::make_unique<Impl>(std::move(config), std::move(app))) {}

Server::~Server() = default;

std::uint16_t Server::listen() {
    auto& impl = *m_impl;
    tcp::endpoint endpoint{asio::ip::make_address(impl.config.address), impl.config.port};
    impl.acceptor.open(endpoint.protocol());
    impl.acceptor.set_option(asio::socket_base::reuse_address(true));
    impl.acceptor.bind(endpoint);
    impl.acceptor.listen(asio::socket_base::max_listen_connections);
    return impl.acceptor.local_endpoint().port();
}

void Server::run() {
    auto& impl = *m_impl;
    if (impl.config.handle_signals) {
        impl.signals.add(SIGINT);
        impl.signals.add(SIGTERM);
        impl.signals.async_wait([&impl](beast::error_code ec, int) {
            if (!ec)
                impl.begin_shutdown();
        });
    }
    asio::co_spawn(impl.ioc, impl.accept_loop(), asio::detached);
    std::vector<std::thread> workers;
    for (unsigned i = 1; i < impl.config.threads; ++i)
        workers.emplace_back([&impl] { impl.ioc.run(); });
    impl.ioc.run();
    for (auto& worker : workers)
        worker.join();
}

void Server::stop() {
    asio::post(m_impl->ioc, [impl = m_impl.get()] { impl->begin_shutdown(); });
}

} // namespace spire::http
