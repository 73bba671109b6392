#include "review/ranking_policy.hpp"

#include "funds/policy.hpp"

namespace spire::review {

using identity::Role;

Decision authorize_ranking(const identity::Principal* user, RankingAction action,
                           const RankingResource& resource) {
    if (user == nullptr)
        return Decision::login_required();
    if (user->organisation_id != resource.organisation_id)
        return Decision::hidden();
    const bool staff = user->has_role(Role::Auditor) ||
                       funds::holds_for_fund(*user, Role::FundManager, resource.fund_id) ||
                       funds::holds_for_fund(*user, Role::DecisionMaker, resource.fund_id);
    if (!staff)
        return Decision::deny(message::RANKING_STAFF_ONLY);
    if (action == RankingAction::ExportReviewData && resource.user_has_conflict)
        return Decision::deny(message::REVIEW_DATA_CONFLICT);
    return Decision::allow();
}

} // namespace spire::review
