#pragma once

// Who may do what with identity data. Pure functions; see core/decision.hpp.

#include "core/decision.hpp"
#include "identity/model.hpp"

#include <optional>

namespace spire::identity {

enum class IdentityAction {
    ViewUsers,    // list, search and open users of the organisation
    CreateUser,   // add a user
    ChangeUser,   // deactivate, reactivate, edit
    ChangeGrants, // grant or revoke a role (see GrantTarget)
    ViewUnits,
    ChangeUnits, // add, rename, move, deactivate units
    ViewAudit,
    ViewOwnProfile,
};

// What an identity action is about: always an organisation, and for
// ChangeGrants the role and fund of the grant.
struct IdentityResource {
    Id organisation_id = 0;
    std::optional<Role> role;
    std::optional<Id> fund_id;
};

// `user` is null for anonymous requests.
Decision authorize(const Principal* user, IdentityAction action, const IdentityResource& resource);

} // namespace spire::identity
