#pragma once

// HTTP handlers of the identity module: parse -> call the service -> render.

#include "http/router.hpp"
#include "identity/service.hpp"
#include "web/view.hpp"

#include <memory>

namespace spire::identity {

struct IdentityRoutesDeps {
    std::shared_ptr<IdentityService> service;
    std::shared_ptr<const web::View> view;
};

void register_identity_routes(http::Router& router, IdentityRoutesDeps deps);

// The menu each role sees (DESIGN.md §11), for the page header.
web::Navigation navigation_for(const http::Request& request);

} // namespace spire::identity
