#include "decisions/policy.hpp"

#include "funds/policy.hpp"

namespace spire::decisions {

using identity::Role;

Decision authorize(const Principal* user, DecisionsAction action,
                   const DecisionsResource& resource) {
    if (user == nullptr)
        return Decision::login_required();
    if (resource.organisation_id != user->organisation_id)
        return Decision::hidden();

    const bool manager = funds::holds_for_fund(*user, Role::FundManager, resource.fund_id);
    const bool decision_maker = funds::holds_for_fund(*user, Role::DecisionMaker, resource.fund_id);
    switch (action) {
    case DecisionsAction::View:
        if (manager || decision_maker || user->has_role(Role::Auditor))
            return Decision::allow();
        return Decision::deny(reason::VIEW);
    case DecisionsAction::Recommend:
        if (manager)
            return Decision::allow();
        return Decision::deny(reason::RECOMMEND);
    case DecisionsAction::Decide:
        if (decision_maker)
            return Decision::allow();
        return Decision::deny(reason::DECIDE);
    case DecisionsAction::RecordExternalAnswer:
        if (manager)
            return Decision::allow();
        return Decision::deny(reason::EXTERNAL_ANSWER);
    }
    return Decision::deny("This action is not allowed.");
}

} // namespace spire::decisions
