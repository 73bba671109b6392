// The review policy as a matrix: every action × every role for the reviewer's
// own assignment, plus what a declaration or a withdrawal takes away, another
// reviewer's assignment, another fund, the anonymous user and another
// organisation.

#include "review/policy.hpp"

#include <gtest/gtest.h>
#include <map>

using namespace spire;
using namespace spire::review;
using spire::identity::ALL_ROLES;
using spire::identity::Role;

namespace {

constexpr Id OWN = 1;
constexpr Id OTHER = 2;
constexpr Id FUND = 7;
constexpr Id OTHER_FUND = 8;
constexpr Id ME = 10;

Principal with_role(Role role, std::optional<Id> fund_id = std::nullopt) {
    Principal user;
    user.user_id = ME;
    user.organisation_id = OWN;
    user.grants.push_back({1, ME, OWN, role, std::nullopt, fund_id});
    return user;
}

// Columns: applicant, unit_leader, fund_manager, reviewer, decision_maker,
// procurement_officer, partner, auditor, admin (ALL_ROLES order). The
// resource is an assignment of ME in FUND with "no conflict" declared.
const std::map<ReviewAction, std::string> MATRIX = {
    {ReviewAction::ViewManagement, "nnYnnnnYn"}, {ReviewAction::Manage, "nnYnnnnnn"},
    {ReviewAction::ListOwn, "nnnYnnnnn"},        {ReviewAction::OpenAssignment, "nnnYnnnnn"},
    {ReviewAction::ReadAndScore, "nnnYnnnnn"},
};

ReviewResource own_assignment(Declared declared = Declared::NoConflict, bool withdrawn = false) {
    return {OWN, FUND, ME, withdrawn, declared};
}

} // namespace

TEST(ReviewPolicy, MatrixForOrganisationWideGrants) {
    for (const auto& [action, expected] : MATRIX) {
        for (std::size_t i = 0; i < std::size(ALL_ROLES); ++i) {
            Principal user = with_role(ALL_ROLES[i]);
            Decision decision = authorize(&user, action, own_assignment());
            EXPECT_EQ(decision.allowed, expected[i] == 'Y')
                << identity::role_key(ALL_ROLES[i]) << " action " << static_cast<int>(action);
            if (!decision.allowed) {
                EXPECT_EQ(decision.kind, ErrorKind::Forbidden);
                EXPECT_FALSE(decision.reason.empty());
            }
        }
    }
}

TEST(ReviewPolicy, FundScopedGrantsCountOnlyForTheirFund) {
    Principal manager = with_role(Role::FundManager, OTHER_FUND);
    EXPECT_FALSE(authorize(&manager, ReviewAction::Manage, own_assignment()));
    EXPECT_FALSE(authorize(&manager, ReviewAction::ViewManagement, own_assignment()));
    Principal own_manager = with_role(Role::FundManager, FUND);
    EXPECT_TRUE(authorize(&own_manager, ReviewAction::Manage, own_assignment()));
    Principal reviewer = with_role(Role::Reviewer, OTHER_FUND);
    Decision other_fund = authorize(&reviewer, ReviewAction::OpenAssignment, own_assignment());
    EXPECT_FALSE(other_fund);
    EXPECT_EQ(other_fund.reason, reason::NOT_ASSIGNED);
}

TEST(ReviewPolicy, TheDeclarationComesBeforeTheApplication) {
    Principal reviewer = with_role(Role::Reviewer);
    EXPECT_TRUE(
        authorize(&reviewer, ReviewAction::OpenAssignment, own_assignment(Declared::Nothing)));
    Decision score =
        authorize(&reviewer, ReviewAction::ReadAndScore, own_assignment(Declared::Nothing));
    EXPECT_FALSE(score);
    EXPECT_EQ(score.reason, reason::DECLARE_FIRST);
}

TEST(ReviewPolicy, AConflictTakesEverythingAwayWithItsReason) {
    Principal reviewer = with_role(Role::Reviewer);
    // A conflict withdraws the assignment; the conflict is the reason given.
    for (ReviewAction action : {ReviewAction::OpenAssignment, ReviewAction::ReadAndScore}) {
        Decision decision = authorize(&reviewer, action, own_assignment(Declared::Conflict, true));
        EXPECT_FALSE(decision);
        EXPECT_EQ(decision.kind, ErrorKind::Forbidden);
        EXPECT_EQ(decision.reason, reason::CONFLICT);
    }
    Decision withdrawn =
        authorize(&reviewer, ReviewAction::OpenAssignment, own_assignment(Declared::Nothing, true));
    EXPECT_EQ(withdrawn.reason, reason::WITHDRAWN);
}

TEST(ReviewPolicy, AnotherReviewersAssignmentIsNotMine) {
    Principal reviewer = with_role(Role::Reviewer);
    ReviewResource theirs{OWN, FUND, ME + 1, false, Declared::NoConflict};
    Decision decision = authorize(&reviewer, ReviewAction::ReadAndScore, theirs);
    EXPECT_FALSE(decision);
    EXPECT_EQ(decision.reason, reason::NOT_ASSIGNED);
    // Not even a fund manager scores someone else's review.
    Principal manager = with_role(Role::FundManager);
    EXPECT_FALSE(authorize(&manager, ReviewAction::ReadAndScore, theirs));
}

TEST(ReviewPolicy, AnonymousMustLogInAndOtherTenantsSeeNothing) {
    for (ReviewAction action : ALL_REVIEW_ACTIONS) {
        EXPECT_EQ(authorize(nullptr, action, own_assignment()).kind, ErrorKind::Unauthenticated);
        Principal manager = with_role(Role::FundManager);
        manager.organisation_id = OTHER;
        EXPECT_EQ(authorize(&manager, action, own_assignment()).kind, ErrorKind::NotFound);
    }
}
