#include "app/application.hpp"

#include "app/platform_routes.hpp"
#include "db/database.hpp"
#include "http/middleware.hpp"
#include "identity/admin_routes.hpp"
#include "identity/routes.hpp"
#include "identity/service.hpp"
#include "identity/web.hpp"

#include <unistd.h>

namespace spire::app {

std::filesystem::path default_root() {
    if (std::filesystem::is_directory("templates") && std::filesystem::is_directory("static"))
        return std::filesystem::current_path();
    return SPIRE_SOURCE_DIR;
}

std::filesystem::path default_locale_dir() {
    return std::filesystem::path(SPIRE_BUILD_DIR) / "locale";
}

void log_line(std::string_view line) {
    std::string out(line);
    out += '\n';
    // A short write to a full pipe just loses the rest of the line; logging
    // must never block or fail a request.
    [[maybe_unused]] auto written = ::write(STDOUT_FILENO, out.data(), out.size());
}

Application::Application(AppConfig config, std::shared_ptr<db::Database> database,
                         std::function<void(http::Router&)> extra_routes)
    : m_config(std::move(config)), m_database(std::move(database)),
      m_identity(std::make_shared<identity::IdentityService>(m_database)) {
    m_static = std::make_shared<const http::StaticFiles>(
        http::StaticFiles::load(m_config.root / "static"));
    auto templates = web::Templates::load(m_config.root / "templates",
                                          m_config.dev ? web::TemplateMode::ReloadOnRender
                                                       : web::TemplateMode::Compiled);
    m_view = std::make_shared<const web::View>(
        std::move(templates), web::Translator::load(m_config.locale_dir), m_static,
        web::SiteInfo{m_config.organisation_name}, identity::navigation_for);
    register_routes();
    if (extra_routes)
        extra_routes(m_router);
}

void Application::register_routes() {
    register_platform_routes(m_router, PlatformDeps{m_view, m_static, m_database});
    identity::register_identity_routes(m_router, {m_identity, m_view});
    identity::register_admin_routes(
        m_router, {m_identity, std::make_shared<identity::AdminService>(m_database), m_view});
}

http::HttpApp Application::http_app() const {
    auto view = m_view;
    auto dispatch = [this](http::Request& request) { return m_router.dispatch(request); };
    http::Handler handler = http::chain(
        {
            http::request_id(),
            http::access_log(log_line),
            http::forwarded(m_config.trusted_proxy),
            http::security_headers(),
            web::language_from_cookie(),
            http::error_pages([view](const http::Request& request,
                                     int status) { return view->error_page(request, status); },
                              log_line),
            identity::session_middleware(m_identity),
            identity::csrf_middleware([this](const http::Request& request) {
                return m_router.match(request.method, request.path).handler != nullptr;
            }),
        },
        dispatch);
    return http::HttpApp{
        .body_limit = [this](http::Method method,
                             std::string_view path) { return m_router.body_limit(method, path); },
        .handle = std::move(handler),
        .error_page = [view](const http::Request& request,
                             int status) { return view->error_page(request, status); },
    };
}

} // namespace spire::app
