#include "review/policy.hpp"

#include "funds/policy.hpp"

namespace spire::review {

using identity::Role;

namespace {

// The reviewer's own assignment: checked in this order so that the reason
// names what matters most (a conflict outranks a withdrawal, which the
// conflict caused).
Decision own_assignment(const Principal& user, const ReviewResource& resource) {
    if (!resource.reviewer_id || *resource.reviewer_id != user.user_id ||
        !funds::holds_for_fund(user, Role::Reviewer, resource.fund_id))
        return Decision::deny(reason::NOT_ASSIGNED);
    if (resource.declared == Declared::Conflict)
        return Decision::deny(reason::CONFLICT);
    if (resource.withdrawn)
        return Decision::deny(reason::WITHDRAWN);
    return Decision::allow();
}

} // namespace

Decision authorize(const Principal* user, ReviewAction action, const ReviewResource& resource) {
    if (user == nullptr)
        return Decision::login_required();
    if (resource.organisation_id != user->organisation_id)
        return Decision::hidden();

    const bool manager = funds::holds_for_fund(*user, Role::FundManager, resource.fund_id);
    switch (action) {
    case ReviewAction::ViewManagement:
        if (manager || user->has_role(Role::Auditor))
            return Decision::allow();
        return Decision::deny("Only the fund's managers and auditors can see the review.");
    case ReviewAction::Manage:
        if (manager)
            return Decision::allow();
        return Decision::deny(reason::MANAGERS_ONLY);
    case ReviewAction::ListOwn:
        if (user->has_role(Role::Reviewer))
            return Decision::allow();
        return Decision::deny("Only reviewers have reviews.");
    case ReviewAction::OpenAssignment:
        return own_assignment(*user, resource);
    case ReviewAction::ReadAndScore: {
        Decision own = own_assignment(*user, resource);
        if (!own)
            return own;
        if (resource.declared != Declared::NoConflict)
            return Decision::deny(reason::DECLARE_FIRST);
        return Decision::allow();
    }
    }
    return Decision::deny("This action is not allowed.");
}

} // namespace spire::review
