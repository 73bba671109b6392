// The calls policy as a matrix: every action × every role, for grants for
// the whole organisation, for the call's fund and for another fund; plus the
// anonymous user and another organisation.

#include "calls/policy.hpp"

#include <gtest/gtest.h>
#include <map>

using namespace spire;
using namespace spire::calls;
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
// procurement_officer, partner, auditor, admin (ALL_ROLES order).
const std::map<CallsAction, std::string> MATRIX = {
    {CallsAction::ViewCall, "YYYYYYYYY"},       {CallsAction::ViewDraft, "nnYnnnnYY"},
    {CallsAction::ViewFundCalls, "nnYnYnnYY"},  {CallsAction::ManageCall, "nnYnnnnnn"},
    {CallsAction::ViewCatalogues, "YYYYYYYYY"}, {CallsAction::ManageCatalogues, "nnYnnnnnY"},
};

// Fund-scoped grants (where the role can be), asked about the call's fund.
const std::map<CallsAction, std::string> MATRIX_OWN_FUND = {
    {CallsAction::ViewCall, "YYYYYYYYY"},       {CallsAction::ViewDraft, "nnYnnnnYY"},
    {CallsAction::ViewFundCalls, "nnYnYnnYY"},  {CallsAction::ManageCall, "nnYnnnnnn"},
    {CallsAction::ViewCatalogues, "YYYYYYYYY"}, {CallsAction::ManageCatalogues, "nnYnnnnnY"},
};

// Grants for FUND, asked about OTHER_FUND.
const std::map<CallsAction, std::string> MATRIX_OTHER_FUND = {
    {CallsAction::ViewCall, "YYYYYYYYY"},       {CallsAction::ViewDraft, "nnnnnnnYY"},
    {CallsAction::ViewFundCalls, "nnnnnnnYY"},  {CallsAction::ManageCall, "nnnnnnnnn"},
    {CallsAction::ViewCatalogues, "YYYYYYYYY"}, {CallsAction::ManageCatalogues, "nnYnnnnnY"},
};

bool fund_scoped(Role role) {
    return identity::role_scope(role) == identity::RoleScope::Fund;
}

CallsResource resource_for(CallsAction action, Id fund) {
    if (action == CallsAction::ViewCatalogues || action == CallsAction::ManageCatalogues)
        return {OWN, std::nullopt};
    return {OWN, fund};
}

void check_matrix(const std::map<CallsAction, std::string>& matrix, bool scoped, Id asked_fund) {
    for (CallsAction action : ALL_CALLS_ACTIONS) {
        auto row = matrix.find(action);
        ASSERT_NE(row, matrix.end());
        std::string actual;
        for (Role role : ALL_ROLES) {
            Principal user = with_role(role, scoped && fund_scoped(role) ? std::optional<Id>(FUND)
                                                                         : std::nullopt);
            actual +=
                authorize(&user, action, resource_for(action, asked_fund)).allowed ? 'Y' : 'n';
        }
        EXPECT_EQ(actual, row->second) << "action " << static_cast<int>(action);
    }
}

} // namespace

TEST(CallsPolicy, OrganisationWideGrants) {
    check_matrix(MATRIX, false, FUND);
}

TEST(CallsPolicy, GrantsForTheCallsFund) {
    check_matrix(MATRIX_OWN_FUND, true, FUND);
}

TEST(CallsPolicy, GrantsForAnotherFund) {
    check_matrix(MATRIX_OTHER_FUND, true, OTHER_FUND);
}

TEST(CallsPolicy, AnonymousMustLogIn) {
    for (CallsAction action : ALL_CALLS_ACTIONS) {
        Decision decision = authorize(nullptr, action, {OWN, FUND});
        EXPECT_FALSE(decision.allowed);
        EXPECT_EQ(decision.kind, ErrorKind::Unauthenticated);
    }
}

TEST(CallsPolicy, AnotherOrganisationIsNotFound) {
    for (Role role : ALL_ROLES) {
        Principal user = with_role(role);
        for (CallsAction action : ALL_CALLS_ACTIONS) {
            Decision decision = authorize(&user, action, {OTHER, FUND});
            EXPECT_FALSE(decision.allowed);
            EXPECT_EQ(decision.kind, ErrorKind::NotFound);
        }
    }
}

TEST(CallsPolicy, RefusalsSayWhy) {
    Principal applicant = with_role(Role::Applicant);
    for (CallsAction action : ALL_CALLS_ACTIONS) {
        Decision decision = authorize(&applicant, action, {OWN, FUND});
        if (!decision.allowed) {
            EXPECT_EQ(decision.kind, ErrorKind::Forbidden);
            EXPECT_FALSE(decision.reason.empty());
        }
    }
}
