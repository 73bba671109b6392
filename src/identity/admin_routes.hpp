#pragma once

// The identity module's admin pages (DESIGN.md §11): users, their roles,
// units and the audit log, for administrators, auditors and fund managers.
//
//   GET  /admin/users?q=&page=                      search and list users
//   GET  /admin/users/new, POST /admin/users        add a user
//   GET  /admin/users/{id}                          details, roles, status
//   POST /admin/users/{id}/active                   active=0|1
//   POST /admin/users/{id}/grants                   role, unit_id, fund_id (a select)
//   POST /admin/users/{id}/grants/{grant}/revoke
//   GET  /admin/units, POST /admin/units            the unit tree, add a unit
//   GET  /admin/units/{id}, POST /admin/units/{id}  edit one unit
//   GET  /admin/audit?action=&actor=&target_type=&target_id=&from=&to=&page=

#include "http/router.hpp"
#include "identity/admin_service.hpp"
#include "identity/service.hpp"
#include "web/view.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace spire::identity {

// The organisation's funds, to limit a role to one of them. The identity
// module knows no funds (the funds module builds on identity), so the
// application hands their names in.
struct FundChoice {
    Id id = 0;
    std::string name;
};
using FundDirectory = std::function<std::vector<FundChoice>(Id organisation_id)>;

struct AdminRoutesDeps {
    std::shared_ptr<IdentityService> service;
    std::shared_ptr<AdminService> admin;
    std::shared_ptr<const web::View> view;
    FundDirectory funds; // may be empty: no funds to choose from
};

void register_admin_routes(http::Router& router, AdminRoutesDeps deps);

} // namespace spire::identity
