#pragma once

// Pages and endpoints that belong to no business module: the language
// switch, the accessibility and privacy statements, health checks and static
// files. (The front page is the calls module's: calls/routes.hpp.)

#include "http/router.hpp"
#include "http/static_files.hpp"
#include "web/view.hpp"

#include <memory>

namespace spire::db {
class Database;
}

namespace spire::app {

struct PlatformDeps {
    std::shared_ptr<const web::View> view;
    std::shared_ptr<const http::StaticFiles> static_files;
    std::shared_ptr<db::Database> database;
};

void register_platform_routes(http::Router& router, PlatformDeps deps);

} // namespace spire::app
