// The identity policy as a matrix: every action × every role, plus the
// anonymous user and another organisation's resources.

#include "identity/policy.hpp"

#include <gtest/gtest.h>
#include <map>

using namespace spire;
using namespace spire::identity;

namespace {

constexpr Id OWN = 1;
constexpr Id OTHER = 2;

Principal with_role(Role role) {
    Principal user;
    user.user_id = 10;
    user.organisation_id = OWN;
    user.grants.push_back({1, 10, OWN, role, std::nullopt, std::nullopt});
    return user;
}

// Columns: applicant, unit_leader, fund_manager, reviewer, decision_maker,
// procurement_officer, partner, auditor, admin (the order of ALL_ROLES).
// Y allowed, n refused.
const std::map<IdentityAction, std::string> MATRIX = {
    {IdentityAction::ViewUsers, "nnYnnnnYY"},  {IdentityAction::CreateUser, "nnnnnnnnY"},
    {IdentityAction::ChangeUser, "nnnnnnnnY"}, {IdentityAction::ChangeGrants, "nnnnnnnnY"},
    {IdentityAction::ViewUnits, "nnYnnnnYY"},  {IdentityAction::ChangeUnits, "nnnnnnnnY"},
    {IdentityAction::ViewAudit, "nnnnnnnYY"},  {IdentityAction::ViewOwnProfile, "YYYYYYYYY"},
};

} // namespace

TEST(IdentityPolicy, MatrixOfActionsAndRoles) {
    for (const auto& [action, expected] : MATRIX) {
        std::string actual;
        for (Role role : ALL_ROLES) {
            Principal user = with_role(role);
            actual += authorize(&user, action, {OWN}) ? 'Y' : 'n';
        }
        EXPECT_EQ(actual, expected) << "action " << static_cast<int>(action);
    }
}

TEST(IdentityPolicy, RefusalsCarryAReason) {
    Principal applicant = with_role(Role::Applicant);
    for (const auto& [action, expected] : MATRIX) {
        Decision decision = authorize(&applicant, action, {OWN});
        if (!decision)
            EXPECT_FALSE(decision.reason.empty());
    }
}

TEST(IdentityPolicy, AnonymousMustLogIn) {
    for (const auto& [action, expected] : MATRIX) {
        Decision decision = authorize(nullptr, action, {OWN});
        EXPECT_FALSE(decision);
        EXPECT_EQ(decision.kind, ErrorKind::Unauthenticated);
    }
}

TEST(IdentityPolicy, AnotherOrganisationLooksLikeNothing) {
    Principal admin = with_role(Role::Admin);
    for (const auto& [action, expected] : MATRIX) {
        if (action == IdentityAction::ViewOwnProfile)
            continue;
        Decision decision = authorize(&admin, action, {OTHER});
        EXPECT_FALSE(decision);
        EXPECT_EQ(decision.kind, ErrorKind::NotFound);
    }
}

TEST(IdentityPolicy, FundManagerGrantsOnlyReviewerAndDecisionMakerInOwnFund) {
    Principal manager = with_role(Role::FundManager);
    manager.grants[0].fund_id = 7;
    EXPECT_TRUE(authorize(&manager, IdentityAction::ChangeGrants, {OWN, Role::Reviewer, 7}));
    EXPECT_TRUE(authorize(&manager, IdentityAction::ChangeGrants, {OWN, Role::DecisionMaker, 7}));
    EXPECT_FALSE(authorize(&manager, IdentityAction::ChangeGrants, {OWN, Role::Reviewer, 8}));
    EXPECT_FALSE(authorize(&manager, IdentityAction::ChangeGrants, {OWN, Role::Admin, 7}));
    EXPECT_FALSE(
        authorize(&manager, IdentityAction::ChangeGrants, {OWN, Role::Reviewer, std::nullopt}));
    // A fund manager for the whole organisation may grant in any of its funds.
    Principal all_funds = with_role(Role::FundManager);
    EXPECT_TRUE(authorize(&all_funds, IdentityAction::ChangeGrants, {OWN, Role::Reviewer, 8}));
}
