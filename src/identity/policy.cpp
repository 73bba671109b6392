#include "identity/policy.hpp"

namespace spire::identity {

namespace {

// Fund managers may give the roles that work inside their own fund.
bool fund_manager_may_grant(const Principal& user, const IdentityResource& resource) {
    if (!resource.role || !resource.fund_id)
        return false;
    if (*resource.role != Role::Reviewer && *resource.role != Role::DecisionMaker)
        return false;
    for (const auto& grant : user.grants) {
        if (grant.role == Role::FundManager &&
            (!grant.fund_id || *grant.fund_id == *resource.fund_id))
            return true;
    }
    return false;
}

} // namespace

Decision authorize(const Principal* user, IdentityAction action, const IdentityResource& resource) {
    if (user == nullptr)
        return Decision::login_required();
    if (action == IdentityAction::ViewOwnProfile)
        return Decision::allow();
    if (resource.organisation_id != user->organisation_id)
        return Decision::hidden();

    const bool admin = user->has_role(Role::Admin);
    const bool auditor = user->has_role(Role::Auditor);
    const bool fund_manager = user->has_role(Role::FundManager);

    switch (action) {
    case IdentityAction::ViewUsers:
        if (admin || auditor || fund_manager)
            return Decision::allow();
        return Decision::deny("Only administrators, auditors and fund managers can see the users.");
    case IdentityAction::CreateUser:
    case IdentityAction::ChangeUser:
        if (admin)
            return Decision::allow();
        return Decision::deny("Only administrators can add or change users.");
    case IdentityAction::ChangeGrants:
        if (admin)
            return Decision::allow();
        if (fund_manager && fund_manager_may_grant(*user, resource))
            return Decision::allow();
        if (fund_manager)
            return Decision::deny("Fund managers can only give reviewer and decision-maker roles "
                                  "for their own fund.");
        return Decision::deny("Only administrators can give or remove roles.");
    case IdentityAction::ViewUnits:
        if (admin || auditor || fund_manager)
            return Decision::allow();
        return Decision::deny("Only administrators, auditors and fund managers can see the units.");
    case IdentityAction::ChangeUnits:
        if (admin)
            return Decision::allow();
        return Decision::deny("Only administrators can change the units.");
    case IdentityAction::ViewAudit:
        if (admin || auditor)
            return Decision::allow();
        return Decision::deny("Only auditors and administrators can read the audit log.");
    case IdentityAction::ViewOwnProfile:
        break;
    }
    return Decision::deny("This action is not allowed.");
}

} // namespace spire::identity
