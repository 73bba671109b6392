#include "http/router.hpp"

#include <algorithm>
#include <stdexcept>

namespace spire::http {

namespace {

// "/a/b/" -> {"a", "b", ""}; "/" -> {}. A trailing slash is a distinct
// (empty) segment, so "/calls/" does not silently equal "/calls".
std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> parts;
    if (path.empty() || path == "/")
        return parts;
    if (path.front() == '/')
        path.remove_prefix(1);
    while (true) {
        auto slash = path.find('/');
        parts.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos)
            break;
        path.remove_prefix(slash + 1);
    }
    return parts;
}

bool all_digits(std::string_view s) {
    return !s.empty() && s.size() <= 18 &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void append_method(std::string& allow, Method method) {
    std::string_view name = method_name(method);
    if (allow.find(name) != std::string::npos)
        return;
    if (!allow.empty())
        allow += ", ";
    allow += name;
}

} // namespace

std::vector<Router::Segment> Router::parse_pattern(std::string_view pattern) {
    if (pattern.empty() || pattern.front() != '/')
        throw std::invalid_argument("route pattern must start with '/': " + std::string(pattern));
    std::vector<Segment> segments;
    auto parts = split_path(pattern);
    for (std::size_t i = 0; i < parts.size(); ++i) {
        std::string_view part = parts[i];
        if (part.size() >= 2 && part.front() == '{' && part.back() == '}') {
            std::string_view inner = part.substr(1, part.size() - 2);
            if (inner.ends_with("...")) {
                if (i + 1 != parts.size())
                    throw std::invalid_argument("{rest...} must be the last segment");
                segments.push_back(
                    {SegmentKind::Rest, std::string(inner.substr(0, inner.size() - 3))});
            } else if (inner.ends_with(":int")) {
                segments.push_back(
                    {SegmentKind::IntParam, std::string(inner.substr(0, inner.size() - 4))});
            } else {
                segments.push_back({SegmentKind::Param, std::string(inner)});
            }
        } else {
            segments.push_back({SegmentKind::Literal, std::string(part)});
        }
    }
    return segments;
}

void Router::add(Method method, std::string_view pattern, Handler handler, RouteOptions options) {
    Route route{method, std::string(pattern), parse_pattern(pattern), std::move(handler), options,
                0};
    for (const auto& segment : route.segments)
        route.specificity += segment.kind == SegmentKind::Literal ? 2 : 1;
    for (const auto& existing : m_routes) {
        if (existing.method == method && existing.pattern == pattern)
            throw std::invalid_argument("duplicate route: " + std::string(pattern));
    }
    m_routes.push_back(std::move(route));
    // Most specific first, so the first match is the best one.
    std::stable_sort(m_routes.begin(), m_routes.end(),
                     [](const Route& a, const Route& b) { return a.specificity > b.specificity; });
}

bool Router::match_route(const Route& route, const std::vector<std::string_view>& parts,
                         std::vector<PathParam>& params) {
    params.clear();
    const auto& segments = route.segments;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const Segment& segment = segments[i];
        if (segment.kind == SegmentKind::Rest) {
            if (i >= parts.size())
                return false;
            std::string rest;
            for (std::size_t j = i; j < parts.size(); ++j) {
                if (parts[j].empty())
                    return false;
                if (!rest.empty())
                    rest += '/';
                rest += parts[j];
            }
            params.push_back({segment.text, std::move(rest)});
            return true;
        }
        if (i >= parts.size())
            return false;
        std::string_view part = parts[i];
        switch (segment.kind) {
        case SegmentKind::Literal:
            if (part != segment.text)
                return false;
            break;
        case SegmentKind::IntParam:
            if (!all_digits(part))
                return false;
            params.push_back({segment.text, std::string(part)});
            break;
        case SegmentKind::Param:
            if (part.empty())
                return false;
            params.push_back({segment.text, std::string(part)});
            break;
        case SegmentKind::Rest:
            break;
        }
    }
    return segments.size() == parts.size();
}

Router::Match Router::match(Method method, std::string_view path) const {
    Match result;
    auto parts = split_path(path);
    Method wanted = method == Method::Head ? Method::Get : method;
    std::vector<PathParam> params;
    for (const Route& route : m_routes) {
        if (!match_route(route, parts, params))
            continue;
        if (route.method == wanted && result.handler == nullptr) {
            result.handler = &route.handler;
            result.params = params;
            result.body_limit = route.options.body_limit;
        }
        append_method(result.allow, route.method);
        if (route.method == Method::Get)
            append_method(result.allow, Method::Head);
    }
    return result;
}

std::size_t Router::body_limit(Method method, std::string_view path) const {
    return match(method, path).body_limit;
}

std::vector<std::string> Router::describe() const {
    std::vector<std::string> out;
    for (const Route& route : m_routes)
        out.push_back(std::string(method_name(route.method)) + " " + route.pattern);
    std::sort(out.begin(), out.end());
    return out;
}

Response Router::dispatch(Request& request) const {
    Match found = match(request.method, request.path);
    if (found.handler != nullptr) {
        request.params = std::move(found.params);
        return (*found.handler)(request);
    }
    if (!found.allow.empty()) {
        Response response = Response::empty(405);
        response.headers.set("Allow", found.allow);
        return response;
    }
    return Response::empty(404);
}

} // namespace spire::http
