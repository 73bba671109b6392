#include "identity/web.hpp"

#include "core/crypto.hpp"
#include "http/form.hpp"
#include "http/status.hpp"

#include <boost/url/parse.hpp>

namespace spire::identity {

std::string session_cookie(const std::string& token) {
    return std::string(SESSION_COOKIE) + "=" + token + "; Path=/; Secure; HttpOnly; SameSite=Lax";
}

std::string expired_session_cookie() {
    return std::string(SESSION_COOKIE) + "=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0";
}

Actor actor_of(const http::Request& request) {
    return Actor::web(request.context.principal.get(), request.context.request_id);
}

namespace {

bool looks_like_token(std::string_view value) {
    if (value.size() < 32 || value.size() > 64)
        return false;
    for (char c : value) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_';
        if (!ok)
            return false;
    }
    return true;
}

bool is_unsafe(http::Method method) {
    return method != http::Method::Get && method != http::Method::Head &&
           method != http::Method::Options;
}

// Origin (or failing that Referer) must name the host the request was sent
// to. Browsers send Origin on every cross-origin and same-origin POST.
bool same_origin(const http::Request& request) {
    std::string_view host = request.header("Host");
    if (host.empty())
        return false;
    std::string_view claimed = request.header("Origin");
    if (claimed.empty() || claimed == "null")
        claimed = request.header("Referer");
    if (claimed.empty())
        return false;
    auto url = boost::urls::parse_uri(claimed);
    if (!url || !url->has_authority())
        return false;
    if (url->scheme() != "http" && url->scheme() != "https")
        return false;
    return url->encoded_authority() == host;
}

// The token from the header (htmx, API) or the form; an unreadable form is
// an error of its own (400), not a CSRF failure.
Result<std::string> submitted_token(const http::Request& request) {
    if (auto header = request.headers.get(CSRF_HEADER))
        return std::string(*header);
    if (request.body.empty())
        return std::string();
    // Only the token is read here. A file over the usual size must reach the
    // route, which explains it next to its field; the route's body limit
    // already bounds what arrived.
    http::FormLimits limits;
    limits.max_file_bytes = request.body.size();
    auto form = http::parse_form(request.header("Content-Type"), request.body, limits);
    if (!form)
        return Unexpected(form.error());
    return std::string(form->get(CSRF_FIELD).value_or(""));
}

} // namespace

http::Middleware session_middleware(std::shared_ptr<IdentityService> service) {
    return [service](http::Request& request, const http::Handler& next) {
        if (auto token = request.cookie(SESSION_COOKIE); token && looks_like_token(*token)) {
            if (auto session = service->authenticate(std::string(*token))) {
                request.context.principal =
                    std::make_shared<const Principal>(std::move(session->principal));
                request.context.csrf_token = std::move(session->csrf_token);
                return next(request);
            }
        }
        // Anonymous: the token of its own cookie, if it has one. Pages with
        // forms for anonymous users (the login page) issue one when missing.
        if (auto token = request.cookie(ANONYMOUS_CSRF_COOKIE); token && looks_like_token(*token))
            request.context.csrf_token = std::string(*token);
        return next(request);
    };
}

std::optional<std::string> issue_anonymous_csrf(http::Request& request) {
    if (request.context.principal || !request.context.csrf_token.empty())
        return std::nullopt;
    request.context.csrf_token = random_token(32);
    return std::string(ANONYMOUS_CSRF_COOKIE) + "=" + request.context.csrf_token +
           "; Path=/; Secure; HttpOnly; SameSite=Lax";
}

http::Middleware csrf_middleware(std::function<bool(const http::Request&)> has_route) {
    return [has_route = std::move(has_route)](http::Request& request, const http::Handler& next) {
        // Unknown routes and wrong methods get their 404/405 from the router.
        if (!is_unsafe(request.method) || !has_route(request))
            return next(request);
        bool ok = same_origin(request);
        if (ok) {
            auto token = submitted_token(request);
            if (!token) {
                request.context.error_message = token.error().message;
                return http::Response::empty(http::status_for(token.error().kind));
            }
            ok = !token->empty() && constant_time_equal(*token, request.context.csrf_token);
        }
        if (!ok) {
            request.context.error_message =
                "The form could not be accepted because it has expired or was sent from another "
                "site. Go back, reload the page and try again.";
            return http::Response::empty(403);
        }
        return next(request);
    };
}

} // namespace spire::identity
