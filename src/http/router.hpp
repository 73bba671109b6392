#pragma once

// The route table is typed code (no macros, no lookup by string at run time):
//
//   router.get("/calls/{id:int}", show_call);
//   router.post("/applications/{id:int}/attachments", upload, {.body_limit = 25 << 20});
//
// A parameter `{name}` matches one non-empty path segment, `{name:int}` one
// segment of decimal digits, and `{name...}` the rest of the path (at least
// one segment). Literal segments win over parameters when both match, so
// `/calls/new` can sit beside `/calls/{id:int}`.

#include "http/message.hpp"

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace spire::http {

using Handler = std::function<Response(Request&)>;

// Requests may carry at most this many bytes of body unless the route says so.
inline constexpr std::size_t DEFAULT_BODY_LIMIT = 64 * 1024;

struct RouteOptions {
    std::size_t body_limit = DEFAULT_BODY_LIMIT;
};

class Router {
public:
    void add(Method method, std::string_view pattern, Handler handler, RouteOptions options = {});
    void get(std::string_view pattern, Handler handler, RouteOptions options = {}) {
        add(Method::Get, pattern, std::move(handler), options);
    }
    void post(std::string_view pattern, Handler handler, RouteOptions options = {}) {
        add(Method::Post, pattern, std::move(handler), options);
    }

    struct Match {
        const Handler* handler = nullptr; // null: no route for this method
        std::vector<PathParam> params;
        std::size_t body_limit = DEFAULT_BODY_LIMIT;
        std::string allow; // when the path exists with other methods: "GET, HEAD, POST"
    };

    // HEAD is answered by the GET route (the server drops the body).
    Match match(Method method, std::string_view path) const;

    // The body limit for a request, known before its body is read.
    std::size_t body_limit(Method method, std::string_view path) const;

    // Dispatch: runs the matching handler, or answers 404/405.
    Response dispatch(Request& request) const;

    // Every registered route as "GET /calls/{id:int}", for tests that must
    // cover all of them (the access matrix).
    std::vector<std::string> describe() const;

private:
    enum class SegmentKind { Literal, Param, IntParam, Rest };
    struct Segment {
        SegmentKind kind;
        std::string text; // the literal, or the parameter's name
    };
    struct Route {
        Method method;
        std::string pattern;
        std::vector<Segment> segments;
        Handler handler;
        RouteOptions options;
        int specificity; // literal segments count more: they win over parameters
    };

    static std::vector<Segment> parse_pattern(std::string_view pattern);
    static bool match_route(const Route& route, const std::vector<std::string_view>& parts,
                            std::vector<PathParam>& params);

    std::vector<Route> m_routes;
};

} // namespace spire::http
