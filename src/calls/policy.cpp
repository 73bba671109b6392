#include "calls/policy.hpp"

#include "funds/policy.hpp"

namespace spire::calls {

using identity::Role;

Decision authorize(const Principal* user, CallsAction action, const CallsResource& resource) {
    if (user == nullptr)
        return Decision::login_required();
    if (resource.organisation_id != user->organisation_id)
        return Decision::hidden();

    const bool admin = user->has_role(Role::Admin);
    const bool auditor = user->has_role(Role::Auditor);
    const bool manager = resource.fund_id
                             ? funds::holds_for_fund(*user, Role::FundManager, *resource.fund_id)
                             : user->has_role(Role::FundManager);
    const bool decision_maker =
        resource.fund_id ? funds::holds_for_fund(*user, Role::DecisionMaker, *resource.fund_id)
                         : user->has_role(Role::DecisionMaker);

    switch (action) {
    case CallsAction::ViewCall:
    case CallsAction::ViewCatalogues:
        return Decision::allow();
    case CallsAction::ViewDraft:
        if (admin || auditor || manager)
            return Decision::allow();
        return Decision::deny("Only the fund's managers, auditors and administrators can see "
                              "calls that are not published.");
    case CallsAction::ViewFundCalls:
        if (admin || auditor || manager || decision_maker)
            return Decision::allow();
        return Decision::deny("Only fund managers, decision makers, auditors and administrators "
                              "can see this fund's calls.");
    case CallsAction::ManageCall:
        if (manager)
            return Decision::allow();
        return Decision::deny("Only the fund's managers can change its calls.");
    case CallsAction::ManageCatalogues:
        if (admin || user->has_role(Role::FundManager))
            return Decision::allow();
        return Decision::deny("Only fund managers can change the catalogues.");
    }
    return Decision::deny("This action is not allowed.");
}

} // namespace spire::calls
