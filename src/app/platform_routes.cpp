#include "app/platform_routes.hpp"

#include "db/database.hpp"

namespace spire::app {

namespace {

http::Response switch_language(const http::Request& request) {
    std::string lang = request.query_param("set").value_or("");
    if (!web::Translator::is_supported(lang))
        return http::Response::empty(400);
    std::string next = request.query_param("next").value_or("/");
    if (!http::is_local_path(next))
        next = "/";
    http::Response response = http::Response::redirect(next);
    // Not HttpOnly-sensitive, but no script needs it either.
    response.headers.add("Set-Cookie", std::string(web::LANG_COOKIE) + "=" + lang +
                                           "; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly");
    return response;
}

} // namespace

void register_platform_routes(http::Router& router, PlatformDeps deps) {
    auto view = deps.view;
    router.get("/accessibility", [view](http::Request& request) {
        return view->page(request, "platform/accessibility", "Accessibility statement");
    });
    router.get("/privacy", [view](http::Request& request) {
        return view->page(request, "platform/privacy", "Privacy");
    });
    router.get("/lang", switch_language);

    router.get("/healthz", [](http::Request&) { return http::Response::text("ok\n"); });
    router.get("/readyz", [database = deps.database](http::Request&) {
        if (database->ping())
            return http::Response::text("ready\n");
        return http::Response::text("database unreachable\n", 503);
    });

    router.get("/static/{path...}", [files = deps.static_files](http::Request& request) {
        return files->serve(request, request.param("path").value_or(""));
    });
}

} // namespace spire::app
