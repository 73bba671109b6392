#include "funds/policy.hpp"

#include <algorithm>

namespace spire::funds {

using identity::Role;

bool holds_for_fund(const Principal& user, Role role, Id fund_id) {
    return std::any_of(user.grants.begin(), user.grants.end(), [&](const identity::Grant& grant) {
        return grant.role == role && (!grant.fund_id || *grant.fund_id == fund_id);
    });
}

namespace {

bool organisation_wide(const Principal& user, Role role) {
    return std::any_of(user.grants.begin(), user.grants.end(), [&](const identity::Grant& grant) {
        return grant.role == role && !grant.fund_id;
    });
}

} // namespace

Decision authorize(const Principal* user, FundsAction action, const FundsResource& resource) {
    if (user == nullptr)
        return Decision::login_required();
    if (resource.organisation_id != user->organisation_id)
        return Decision::hidden();

    const bool admin = user->has_role(Role::Admin);
    const bool auditor = user->has_role(Role::Auditor);
    // For the list and for creating, any fund manager or decision maker
    // counts; for one fund, only those holding the role for it.
    const bool manager = resource.fund_id
                             ? holds_for_fund(*user, Role::FundManager, *resource.fund_id)
                             : user->has_role(Role::FundManager);
    const bool decision_maker = resource.fund_id
                                    ? holds_for_fund(*user, Role::DecisionMaker, *resource.fund_id)
                                    : user->has_role(Role::DecisionMaker);

    switch (action) {
    case FundsAction::ViewFunds:
    case FundsAction::ViewFund:
    case FundsAction::ViewBudget:
        if (admin || auditor || manager || decision_maker)
            return Decision::allow();
        return Decision::deny("Only fund managers, decision makers, auditors and administrators "
                              "can see this fund's budget.");
    case FundsAction::ViewLedger:
        if (admin || auditor || manager)
            return Decision::allow();
        return Decision::deny(
            "Only fund managers, auditors and administrators can read the budget ledger.");
    case FundsAction::CreateFund:
        if (admin || organisation_wide(*user, Role::FundManager))
            return Decision::allow();
        return Decision::deny("Only administrators can create funds.");
    case FundsAction::ChangeFund:
        if (admin || manager)
            return Decision::allow();
        return Decision::deny("Only the fund's managers and administrators can change the fund.");
    case FundsAction::ChangeProgrammes:
    case FundsAction::Post:
    case FundsAction::CarryOver:
        if (manager)
            return Decision::allow();
        return Decision::deny("Only the fund's managers can change its programmes and budget.");
    case FundsAction::OverrideAvailable:
        if (manager)
            return Decision::allow();
        return Decision::deny("Only a fund manager can go beyond the available amount.");
    }
    return Decision::deny("This action is not allowed.");
}

} // namespace spire::funds
