#pragma once

// The identity module's part of the request pipeline: who is asking
// (session cookie) and whether a state-changing request really comes from
// our own form (CSRF token + Origin check).

#include "http/middleware.hpp"
#include "identity/service.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace spire::identity {

// https://developer.mozilla.org/en-US/docs/Web/HTTP/Cookies#cookie_prefixes:
// "__Host-" cookies are Secure, Path=/ and have no Domain, so no other
// host or path can set or read them.
inline constexpr std::string_view SESSION_COOKIE = "__Host-spire";
inline constexpr std::string_view ANONYMOUS_CSRF_COOKIE = "__Host-spire_csrf";
inline constexpr std::string_view CSRF_FIELD = "_csrf";
inline constexpr std::string_view CSRF_HEADER = "X-CSRF-Token";

// Resolves the session cookie into request.context.principal and sets
// request.context.csrf_token (for anonymous users the token in their own
// cookie, so the login form is protected too; see issue_anonymous_csrf).
http::Middleware session_middleware(std::shared_ptr<IdentityService> service);

// For a page with a form shown to anonymous users: gives the request a CSRF
// token when it has none and returns the Set-Cookie value that stores it.
std::optional<std::string> issue_anonymous_csrf(http::Request& request);

// Refuses POST/PUT/PATCH/DELETE whose Origin (or Referer) is not this site or
// whose token does not match. Answers 403 with an explanation. `has_route`
// says whether a handler exists for the request (else the router answers).
http::Middleware csrf_middleware(std::function<bool(const http::Request&)> has_route);

std::string session_cookie(const std::string& token);
std::string expired_session_cookie();

// The Actor for a use case started by this request.
Actor actor_of(const http::Request& request);

} // namespace spire::identity
