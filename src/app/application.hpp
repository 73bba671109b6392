#pragma once

// The composition root: builds the database, view and route table and hands
// the server a finished HttpApp. Every module registers its routes here.

#include "app/log_buffer.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "web/view.hpp"

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace spire::applications {
class ApplicationsService;
}
namespace spire::calls {
class CallsService;
}
namespace spire::db {
class Database;
}
namespace spire::funds {
class FundsService;
}
namespace spire::identity {
class IdentityService;
}

namespace spire::app {

struct AppConfig {
    std::filesystem::path root;       // holds templates/ and static/
    std::filesystem::path locale_dir; // holds <lang>/LC_MESSAGES/spire.mo
    bool dev = false;                 // re-read templates on every render
    std::string organisation_name = "Spire";
    std::string trusted_proxy; // IP address of a reverse proxy; empty: none
};

// Where templates/static live when no flag or SPIRE_ROOT says otherwise: the
// current directory if it has them, else the source tree this was built from.
std::filesystem::path default_root();
std::filesystem::path default_locale_dir();

class Application {
public:
    // Throws std::runtime_error when templates, static files or translations
    // cannot be loaded: the server must not start half-configured.
    // `extra_routes` lets tests add routes of their own behind the same
    // middleware (e.g. a deliberately slow handler).
    Application(AppConfig config, std::shared_ptr<db::Database> database,
                std::function<void(http::Router&)> extra_routes = {});

    http::HttpApp http_app() const;
    const http::Router& router() const { return m_router; }

private:
    void register_routes();

    AppConfig m_config;
    std::shared_ptr<db::Database> m_database;
    std::shared_ptr<identity::IdentityService> m_identity;
    std::shared_ptr<funds::FundsService> m_funds;
    std::shared_ptr<calls::CallsService> m_calls;
    std::shared_ptr<applications::ApplicationsService> m_applications;
    // Texts of e-mail and decision letters: the default language (the
    // recipient's own choice is not stored anywhere yet).
    std::function<std::string(std::string_view)> m_translate_mail;
    std::shared_ptr<const http::StaticFiles> m_static;
    std::shared_ptr<const web::View> m_view;
    http::Router m_router;
    std::shared_ptr<LogBuffer> m_log;
};

} // namespace spire::app
