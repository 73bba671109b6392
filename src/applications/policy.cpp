#include "applications/policy.hpp"

#include "funds/policy.hpp"

namespace spire::applications {

using identity::Role;

bool applies_for_unit(const Principal& user, Id unit_id) {
    return user.has_role_for_unit(Role::Applicant, unit_id) ||
           user.has_role_for_unit(Role::UnitLeader, unit_id);
}

bool reads_fund_applications(const Principal& user, Id fund_id) {
    return user.has_role(Role::Auditor) ||
           funds::holds_for_fund(user, Role::FundManager, fund_id) ||
           funds::holds_for_fund(user, Role::DecisionMaker, fund_id);
}

namespace {

bool is_staff(const Principal& user) {
    return user.has_role(Role::FundManager) || user.has_role(Role::DecisionMaker) ||
           user.has_role(Role::Auditor);
}

} // namespace

Decision authorize(const Principal* user, ApplicationsAction action,
                   const ApplicationResource& resource) {
    if (user == nullptr)
        return Decision::login_required();
    if (resource.organisation_id != user->organisation_id)
        return Decision::hidden();

    // Lists and creation have no application yet.
    switch (action) {
    case ApplicationsAction::Create:
        if (resource.unit_id && applies_for_unit(*user, *resource.unit_id))
            return Decision::allow();
        return Decision::deny("Only applicants and unit leaders of the unit can apply.");
    case ApplicationsAction::ListOwn:
        if (user->has_role(Role::Applicant) || user->has_role(Role::UnitLeader))
            return Decision::allow();
        return Decision::deny("Only applicants and unit leaders have applications of their own.");
    case ApplicationsAction::EndorsementQueue:
        if (user->has_role(Role::UnitLeader))
            return Decision::allow();
        return Decision::deny("Only unit leaders endorse applications.");
    case ApplicationsAction::ListStaff:
    case ApplicationsAction::Export:
        if (resource.fund_id ? reads_fund_applications(*user, *resource.fund_id) : is_staff(*user))
            return Decision::allow();
        return Decision::deny(
            "Only fund managers, decision makers and auditors can see the applications.");
    default:
        break;
    }

    const bool own = resource.unit_id && applies_for_unit(*user, *resource.unit_id);
    const bool leader =
        resource.unit_id && user->has_role_for_unit(Role::UnitLeader, *resource.unit_id);
    const bool staff = resource.submitted_once && resource.fund_id &&
                       reads_fund_applications(*user, *resource.fund_id);
    const bool manager = resource.submitted_once && resource.fund_id &&
                         funds::holds_for_fund(*user, Role::FundManager, *resource.fund_id);
    // Not theirs to know about: answer as if it did not exist.
    if (!own && !staff)
        return Decision::hidden();

    switch (action) {
    case ApplicationsAction::View:
    case ApplicationsAction::Download:
    case ApplicationsAction::ViewHistory:
        return Decision::allow();
    case ApplicationsAction::ViewRevisions:
        return Decision::allow();
    case ApplicationsAction::Edit:
    case ApplicationsAction::Submit:
    case ApplicationsAction::Withdraw:
        if (own)
            return Decision::allow();
        return Decision::deny("Only the applicant's unit can change the application.");
    case ApplicationsAction::Endorse:
        if (leader)
            return Decision::allow();
        return Decision::deny("Only the unit's leader can endorse the application.");
    case ApplicationsAction::Return:
        // The unit leader returns what awaits endorsement; the fund's
        // manager what was submitted.
        if (resource.status == Status::AwaitingEndorsement)
            return leader ? Decision::allow()
                          : Decision::deny("Only the unit's leader can return the application.");
        if (resource.status == Status::Submitted)
            return manager ? Decision::allow()
                           : Decision::deny("Only the fund's managers can return a submitted "
                                            "application.");
        if (leader || manager)
            return Decision::allow(); // nothing to return: the service's Conflict
        return Decision::deny("Only the unit's leader can return the application.");
    default:
        break;
    }
    return Decision::deny("This action is not allowed.");
}

} // namespace spire::applications
