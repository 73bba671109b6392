// The funds policy as a matrix: every action × every role, for a grant
// scoped to the fund, to another fund and to the whole organisation; plus
// the anonymous user and another organisation's funds.

#include "funds/policy.hpp"

#include <gtest/gtest.h>
#include <map>

using namespace spire;
using namespace spire::funds;
using spire::identity::ALL_ROLES;
using spire::identity::Role;

namespace {

constexpr Id OWN = 1;
constexpr Id OTHER = 2;
constexpr Id FUND = 7;
constexpr Id OTHER_FUND = 8;

Principal with_role(Role role, std::optional<Id> fund_id = std::nullopt) {
    Principal user;
    user.user_id = 10;
    user.organisation_id = OWN;
    user.grants.push_back({1, 10, OWN, role, std::nullopt, fund_id});
    return user;
}

// Columns: applicant, unit_leader, fund_manager, reviewer, decision_maker,
// procurement_officer, partner, auditor, admin (the order of ALL_ROLES).
// Y allowed, n refused. Grants for the whole organisation.
const std::map<FundsAction, std::string> MATRIX = {
    {FundsAction::ViewFunds, "nnYnYnnYY"},         {FundsAction::ViewFund, "nnYnYnnYY"},
    {FundsAction::CreateFund, "nnYnnnnnY"},        {FundsAction::ChangeFund, "nnYnnnnnY"},
    {FundsAction::ChangeProgrammes, "nnYnnnnnn"},  {FundsAction::ViewBudget, "nnYnYnnYY"},
    {FundsAction::ViewLedger, "nnYnnnnYY"},        {FundsAction::Post, "nnYnnnnnn"},
    {FundsAction::OverrideAvailable, "nnYnnnnnn"}, {FundsAction::CarryOver, "nnYnnnnnn"},
};

// The same with every grant limited to FUND, asked about FUND.
const std::map<FundsAction, std::string> MATRIX_OWN_FUND = {
    {FundsAction::ViewFunds, "nnYnYnnYY"},         {FundsAction::ViewFund, "nnYnYnnYY"},
    {FundsAction::CreateFund, "nnnnnnnnY"},        {FundsAction::ChangeFund, "nnYnnnnnY"},
    {FundsAction::ChangeProgrammes, "nnYnnnnnn"},  {FundsAction::ViewBudget, "nnYnYnnYY"},
    {FundsAction::ViewLedger, "nnYnnnnYY"},        {FundsAction::Post, "nnYnnnnnn"},
    {FundsAction::OverrideAvailable, "nnYnnnnnn"}, {FundsAction::CarryOver, "nnYnnnnnn"},
};

// Grants limited to FUND, asked about OTHER_FUND: only the organisation-wide
// roles (auditor, admin) still reach it.
const std::map<FundsAction, std::string> MATRIX_OTHER_FUND = {
    {FundsAction::ViewFunds, "nnYnYnnYY"},         {FundsAction::ViewFund, "nnnnnnnYY"},
    {FundsAction::CreateFund, "nnnnnnnnY"},        {FundsAction::ChangeFund, "nnnnnnnnY"},
    {FundsAction::ChangeProgrammes, "nnnnnnnnn"},  {FundsAction::ViewBudget, "nnnnnnnYY"},
    {FundsAction::ViewLedger, "nnnnnnnYY"},        {FundsAction::Post, "nnnnnnnnn"},
    {FundsAction::OverrideAvailable, "nnnnnnnnn"}, {FundsAction::CarryOver, "nnnnnnnnn"},
};

// The fund in the resource, except for the actions about no fund.
FundsResource resource(FundsAction action, Id organisation, Id fund) {
    if (action == FundsAction::ViewFunds || action == FundsAction::CreateFund)
        return {organisation, std::nullopt};
    return {organisation, fund};
}

std::string row(FundsAction action, std::optional<Id> grant_fund, Id asked_fund) {
    std::string actual;
    for (Role role : ALL_ROLES) {
        // Scoped grants exist only for fund-scoped roles; the others stay
        // organisation-wide.
        bool scoped = identity::role_scope(role) == identity::RoleScope::Fund;
        Principal user = with_role(role, scoped ? grant_fund : std::nullopt);
        actual += authorize(&user, action, resource(action, OWN, asked_fund)) ? 'Y' : 'n';
    }
    return actual;
}

} // namespace

TEST(FundsPolicy, EveryActionIsInTheMatrix) {
    for (FundsAction action : ALL_FUNDS_ACTIONS) {
        EXPECT_TRUE(MATRIX.contains(action)) << static_cast<int>(action);
        EXPECT_TRUE(MATRIX_OWN_FUND.contains(action)) << static_cast<int>(action);
        EXPECT_TRUE(MATRIX_OTHER_FUND.contains(action)) << static_cast<int>(action);
    }
}

TEST(FundsPolicy, MatrixOfActionsAndOrganisationWideRoles) {
    for (const auto& [action, expected] : MATRIX)
        EXPECT_EQ(row(action, std::nullopt, FUND), expected)
            << "action " << static_cast<int>(action);
}

TEST(FundsPolicy, MatrixOfActionsAndRolesScopedToTheFund) {
    for (const auto& [action, expected] : MATRIX_OWN_FUND)
        EXPECT_EQ(row(action, FUND, FUND), expected) << "action " << static_cast<int>(action);
}

TEST(FundsPolicy, RolesScopedToAnotherFundDoNotReachThisOne) {
    for (const auto& [action, expected] : MATRIX_OTHER_FUND)
        EXPECT_EQ(row(action, FUND, OTHER_FUND), expected) << "action " << static_cast<int>(action);
}

TEST(FundsPolicy, RefusalsCarryAReason) {
    Principal applicant = with_role(Role::Applicant);
    for (FundsAction action : ALL_FUNDS_ACTIONS) {
        Decision decision = authorize(&applicant, action, resource(action, OWN, FUND));
        ASSERT_FALSE(decision);
        EXPECT_EQ(decision.kind, ErrorKind::Forbidden);
        EXPECT_FALSE(decision.reason.empty());
    }
}

TEST(FundsPolicy, AnonymousMustLogIn) {
    for (FundsAction action : ALL_FUNDS_ACTIONS) {
        Decision decision = authorize(nullptr, action, resource(action, OWN, FUND));
        EXPECT_FALSE(decision);
        EXPECT_EQ(decision.kind, ErrorKind::Unauthenticated);
    }
}

TEST(FundsPolicy, AnotherOrganisationsFundLooksLikeNothing) {
    for (Role role : ALL_ROLES) {
        Principal user = with_role(role);
        for (FundsAction action : ALL_FUNDS_ACTIONS) {
            Decision decision = authorize(&user, action, resource(action, OTHER, FUND));
            EXPECT_FALSE(decision);
            EXPECT_EQ(decision.kind, ErrorKind::NotFound);
        }
    }
}

TEST(FundsPolicy, HoldsForFundCountsOrganisationWideGrants) {
    Principal wide = with_role(Role::FundManager);
    Principal scoped = with_role(Role::FundManager, FUND);
    EXPECT_TRUE(holds_for_fund(wide, Role::FundManager, OTHER_FUND));
    EXPECT_TRUE(holds_for_fund(scoped, Role::FundManager, FUND));
    EXPECT_FALSE(holds_for_fund(scoped, Role::FundManager, OTHER_FUND));
    EXPECT_FALSE(holds_for_fund(scoped, Role::DecisionMaker, FUND));
}
