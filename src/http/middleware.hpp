#pragma once

// A middleware wraps the next handler, so it can act before and after it:
//
//   Response log(Request& req, const Handler& next) {
//       auto started = clock::now();
//       Response res = next(req);
//       write_line(req, res, clock::now() - started);
//       return res;
//   }

#include "http/router.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace spire::http {

using Middleware = std::function<Response(Request&, const Handler& next)>;

// Wraps `last` so that middlewares[0] runs first (outermost).
Handler chain(std::vector<Middleware> middlewares, Handler last);

// Gives every request an id (taken from nothing the client sends), echoed in
// X-Request-Id and used in logs and on error pages.
Middleware request_id();

// One line per request: time, id, client, method, path, status, bytes, µs.
using LogSink = std::function<void(std::string_view line)>;
Middleware access_log(LogSink sink);

// Behind a reverse proxy at `trusted_proxy` (an IP address; empty: none),
// takes the client address from X-Forwarded-For and TLS from
// X-Forwarded-Proto. From anyone else these headers are ignored: they are
// trivially forged.
Middleware forwarded(std::string trusted_proxy);

// The strict Content-Security-Policy of DESIGN.md §3 and its companions.
inline constexpr std::string_view CONTENT_SECURITY_POLICY =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'";
// HSTS is added only for requests that came over TLS.
Middleware security_headers();

// Turns bodiless error responses (404 from the router, 405, ...) and escaped
// exceptions into pages rendered by `render`; under /api/ into problem+json
// (http/json.hpp, English titles) instead. The client never sees internals;
// the exception text goes to `log` with the request id.
using ErrorRenderer = std::function<Response(const Request&, int status)>;
Middleware error_pages(ErrorRenderer render, LogSink log);

} // namespace spire::http
