#include "http/middleware.hpp"

#include "http/json.hpp"

#include <array>
#include <chrono>
#include <cstdio>
#include <date/date.h>
#include <exception>
#include <sodium.h>

namespace spire::http {

Handler chain(std::vector<Middleware> middlewares, Handler last) {
    Handler next = std::move(last);
    for (auto it = middlewares.rbegin(); it != middlewares.rend(); ++it) {
        next = [middleware = std::move(*it), inner = std::move(next)](Request& request) {
            return middleware(request, inner);
        };
    }
    return next;
}

namespace {

// A random per-thread prefix and a counter: unique without asking the
// kernel for randomness on every request (ids need not be secret).
std::string next_request_id() {
    thread_local std::uint64_t prefix = [] {
        std::uint64_t value = 0;
        randombytes_buf(&value, sizeof value);
        return value;
    }();
    thread_local std::uint64_t counter = 0;
    std::uint64_t id = prefix ^ (++counter * 0x9E3779B97F4A7C15ULL);
    static constexpr char HEX[] = "0123456789abcdef";
    std::string text(16, '0');
    for (int i = 15; i >= 0; --i, id >>= 4)
        text[static_cast<std::size_t>(i)] = HEX[id & 0xF];
    return text;
}

} // namespace

Middleware request_id() {
    return [](Request& request, const Handler& next) {
        request.context.request_id = next_request_id();
        Response response = next(request);
        response.headers.set("X-Request-Id", request.context.request_id);
        return response;
    };
}

namespace {

// "2026-11-27T05:20:31.123Z". Formatting a date is slow next to serving a
// small page, so each thread formats the seconds once per second.
std::string log_timestamp() {
    auto now = date::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
    auto second = date::floor<std::chrono::seconds>(now);
    thread_local date::sys_seconds cached_second{};
    thread_local std::string cached_prefix;
    if (second != cached_second || cached_prefix.empty()) {
        cached_second = second;
        cached_prefix = date::format("%FT%T", second);
    }
    auto millis = (now - second).count();
    std::string text = cached_prefix;
    text += '.';
    text += char('0' + millis / 100);
    text += char('0' + millis / 10 % 10);
    text += char('0' + millis % 10);
    text += 'Z';
    return text;
}

} // namespace

Middleware access_log(LogSink sink) {
    return [sink = std::move(sink)](Request& request, const Handler& next) {
        auto started = std::chrono::steady_clock::now();
        Response response = next(request);
        auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - started)
                          .count();
        // Path only, never the query: it may carry tokens or personal data.
        std::string line = log_timestamp();
        line += ' ';
        line += request.context.request_id;
        line += ' ';
        line += request.remote_address;
        line += ' ';
        line += method_name(request.method);
        line += ' ';
        line += request.path;
        line += ' ';
        line += std::to_string(response.status);
        line += ' ';
        line += std::to_string(response.body.size());
        line += ' ';
        line += std::to_string(micros);
        line += "us";
        sink(line);
        return response;
    };
}

Middleware forwarded(std::string trusted_proxy) {
    return [trusted_proxy = std::move(trusted_proxy)](Request& request, const Handler& next) {
        if (!trusted_proxy.empty() && request.remote_address == trusted_proxy) {
            // The proxy appends the address it saw: the last entry is the one
            // we can trust; earlier ones came from the client.
            std::string_view chain = request.header("X-Forwarded-For");
            if (auto comma = chain.rfind(','); comma != std::string_view::npos)
                chain = chain.substr(comma + 1);
            while (!chain.empty() && chain.front() == ' ')
                chain.remove_prefix(1);
            if (!chain.empty() && chain.size() <= 45)
                request.remote_address = std::string(chain);
            request.context.secure = request.header("X-Forwarded-Proto") == "https";
        }
        return next(request);
    };
}

Middleware security_headers() {
    return [](Request& request, const Handler& next) {
        Response response = next(request);
        auto& h = response.headers;
        h.set("Content-Security-Policy", std::string(CONTENT_SECURITY_POLICY));
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "same-origin");
        h.set("Cross-Origin-Opener-Policy", "same-origin");
        h.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
        if (request.context.secure)
            h.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
        return response;
    };
}

Middleware error_pages(ErrorRenderer render, LogSink log) {
    return
        [render = std::move(render), log = std::move(log)](Request& request, const Handler& next) {
            Response response;
            try {
                response = next(request);
            } catch (const std::exception& e) {
                log("ERROR request " + request.context.request_id + ": " + e.what());
                response = Response::empty(500);
            } catch (...) {
                log("ERROR request " + request.context.request_id + ": unknown exception");
                response = Response::empty(500);
            }
            if (response.status < 400 || !response.body.empty())
                return response;
            // API clients read JSON, never an HTML page (DESIGN.md §12).
            Response page = is_api_path(request.path)
                                ? problem_response(response.status, request.context.error_message)
                                : render(request, response.status);
            // Keep headers the handler set for the error (Allow on 405, ...).
            for (const auto& [name, value] : response.headers.all()) {
                if (!page.headers.has(name))
                    page.headers.add(name, value);
            }
            return page;
        };
}

} // namespace spire::http
