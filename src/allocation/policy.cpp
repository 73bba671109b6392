#include "allocation/policy.hpp"

#include "funds/policy.hpp"

namespace spire::allocation {

using identity::Role;

Decision authorize_scenario(const identity::Principal* user, ScenarioAction action,
                            const ScenarioResource& resource) {
    if (user == nullptr)
        return Decision::login_required();
    if (user->organisation_id != resource.organisation_id)
        return Decision::hidden();
    const bool manager = funds::holds_for_fund(*user, Role::FundManager, resource.fund_id);
    const bool staff = manager || user->has_role(Role::Auditor) ||
                       funds::holds_for_fund(*user, Role::DecisionMaker, resource.fund_id);
    if (!staff)
        return Decision::deny(message::SCENARIO_STAFF_ONLY);
    if (resource.user_has_conflict)
        return Decision::deny(message::SCENARIO_CONFLICT);
    if (action == ScenarioAction::Manage && !manager)
        return Decision::deny(message::SCENARIO_MANAGERS_ONLY);
    return Decision::allow();
}

} // namespace spire::allocation
