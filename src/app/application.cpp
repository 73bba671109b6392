#include "app/application.hpp"

#include "allocation/routes.hpp"
#include "allocation/service.hpp"
#include "app/platform_routes.hpp"
#include "applications/routes.hpp"
#include "applications/service.hpp"
#include "calls/routes.hpp"
#include "calls/service.hpp"
#include "db/database.hpp"
#include "decisions/routes.hpp"
#include "decisions/service.hpp"
#include "funds/api_routes.hpp"
#include "funds/routes.hpp"
#include "funds/service.hpp"
#include "http/json.hpp"
#include "http/middleware.hpp"
#include "identity/admin_routes.hpp"
#include "identity/routes.hpp"
#include "identity/service.hpp"
#include "identity/web.hpp"
#include "review/ranking_routes.hpp"
#include "review/ranking_service.hpp"
#include "review/routes.hpp"
#include "review/service.hpp"

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

Application::Application(AppConfig config, std::shared_ptr<db::Database> database,
                         std::function<void(http::Router&)> extra_routes)
    : m_config(std::move(config)), m_database(std::move(database)),
      m_identity(std::make_shared<identity::IdentityService>(m_database)),
      m_funds(std::make_shared<funds::FundsService>(m_database)),
      m_calls(std::make_shared<calls::CallsService>(m_database)),
      m_log(std::make_shared<LogBuffer>(STDOUT_FILENO, std::chrono::milliseconds(200))) {
    m_static = std::make_shared<const http::StaticFiles>(
        http::StaticFiles::load(m_config.root / "static"));
    auto translator = web::Translator::load(m_config.locale_dir);
    applications::ApplicationsOptions application_options;
    // E-mail goes out in the default language: the recipient's own choice
    // is not stored anywhere yet.
    m_translate_mail = [translator](std::string_view msgid) {
        return translator.translate(web::DEFAULT_LANG, msgid);
    };
    application_options.translate_mail = m_translate_mail;
    m_applications =
        std::make_shared<applications::ApplicationsService>(m_database, application_options);
    auto templates = web::Templates::load(
        m_config.root / "templates",
        m_config.dev ? web::TemplateMode::ReloadOnRender : web::TemplateMode::Compiled,
        [translator](std::string_view lang, std::string_view msgid) {
            return translator.translate(lang, msgid);
        });
    m_view = std::make_shared<const web::View>(std::move(templates), std::move(translator),
                                               m_static, web::SiteInfo{m_config.organisation_name},
                                               identity::navigation_for);
    register_routes();
    if (extra_routes)
        extra_routes(m_router);
}

void Application::register_routes() {
    register_platform_routes(m_router, PlatformDeps{m_view, m_static, m_database});
    identity::register_identity_routes(m_router, {m_identity, m_view});
    funds::register_funds_routes(m_router, {m_funds, m_view});
    funds::register_funds_api_routes(m_router, {m_funds, m_view});
    funds::register_funds_export_routes(m_router, {m_funds, m_view});
    calls::register_calls_routes(m_router, {m_calls, m_funds, m_view});
    review::ReviewOptions review_options;
    review_options.translate_mail = m_translate_mail;
    auto review = std::make_shared<review::ReviewService>(m_database, review_options);
    review::register_review_routes(m_router, {review, m_view});
    applications::ApplicationsRoutesDeps application_deps{m_applications, m_view};
    application_deps.screening = [review](identity::Id application_id) {
        std::optional<applications::ScreeningNote> note;
        auto found = review->screening_result(application_id);
        if (found && *found)
            note = applications::ScreeningNote{(*found)->eligible, (*found)->reason};
        return note;
    };
    decisions::DecisionsOptions decision_options;
    decision_options.translate = m_translate_mail;
    auto decided = std::make_shared<decisions::DecisionsService>(m_database, decision_options);
    application_deps.decision = [decided](identity::Id application_id) {
        std::optional<applications::DecisionNote> note;
        if (auto found = decided->decision_for_application(application_id))
            note = applications::DecisionNote{
                std::string(decisions::outcome_label(found->decision.outcome)),
                "/letters/" + std::to_string(found->decision.id)};
        return note;
    };
    auto ranking = std::make_shared<review::RankingService>(m_database);
    auto allocation = std::make_shared<allocation::AllocationService>(m_database, ranking);
    decisions::register_decisions_routes(m_router, {decided, m_applications, allocation, m_view});
    applications::register_applications_routes(m_router, application_deps);
    applications::register_applications_export_routes(m_router, application_deps);
    applications::register_applications_api_routes(m_router, application_deps);
    review::register_ranking_routes(m_router, {ranking, m_view});
    allocation::register_allocation_routes(m_router, {allocation, m_view});
    auto funds = m_funds;
    identity::FundDirectory fund_directory = [funds](identity::Id organisation_id) {
        std::vector<identity::FundChoice> choices;
        auto listed = funds->funds(identity::Actor::system("admin pages"), organisation_id);
        for (const auto& fund : listed.value_or(std::vector<funds::Fund>{}))
            choices.push_back({fund.id, fund.name});
        return choices;
    };
    identity::register_admin_routes(m_router, {m_identity,
                                               std::make_shared<identity::AdminService>(m_database),
                                               m_view, std::move(fund_directory)});
}

http::HttpApp Application::http_app() const {
    auto view = m_view;
    auto log = m_log;
    auto dispatch = [this](http::Request& request) { return m_router.dispatch(request); };
    http::Handler handler = http::chain(
        {
            http::request_id(),
            http::access_log([log](std::string_view line) { log->append(line); }),
            http::forwarded(m_config.trusted_proxy),
            http::security_headers(),
            web::language_from_cookie(),
            http::error_pages([view](const http::Request& request,
                                     int status) { return view->error_page(request, status); },
                              [log](std::string_view line) { log->write_now(line); }),
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
        // Errors the server raises before routing (400, 413, 431) are
        // problem+json under /api/ too.
        .error_page =
            [view](const http::Request& request, int status) {
                return http::is_api_path(request.path) ? http::problem_response(status)
                                                       : view->error_page(request, status);
            },
    };
}

} // namespace spire::app
