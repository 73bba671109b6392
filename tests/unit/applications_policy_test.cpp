// Who may do what with applications: the matrix of roles × actions ×
// application states (applications/policy.hpp).

#include "applications/policy.hpp"

#include <gtest/gtest.h>

namespace {

using namespace spire;
using namespace spire::applications;
using identity::Grant;
using identity::Role;
using A = ApplicationsAction;

constexpr Id ORG = 1, OTHER_ORG = 2, UNIT = 10, OTHER_UNIT = 11, FUND = 100, OTHER_FUND = 101;

Principal user(std::vector<Grant> grants, Id organisation = ORG) {
    Principal p;
    p.user_id = 7;
    p.organisation_id = organisation;
    for (auto& grant : grants)
        grant.organisation_id = organisation;
    p.grants = std::move(grants);
    return p;
}

Grant grant(Role role, std::optional<Id> unit = std::nullopt,
            std::optional<Id> fund = std::nullopt) {
    Grant g;
    g.role = role;
    g.unit_id = unit;
    g.fund_id = fund;
    return g;
}

ApplicationResource app(Status status, bool submitted_once, Id unit = UNIT, Id fund = FUND,
                        Id organisation = ORG) {
    return {organisation, unit, fund, status, submitted_once};
}

bool allows(const Principal& p, A action, const ApplicationResource& r) {
    return authorize(&p, action, r).allowed;
}
ErrorKind kind(const Principal& p, A action, const ApplicationResource& r) {
    return authorize(&p, action, r).kind;
}

const Principal applicant = user({grant(Role::Applicant, UNIT)});
const Principal leader = user({grant(Role::UnitLeader, UNIT)});
const Principal manager = user({grant(Role::FundManager, std::nullopt, FUND)});
const Principal other_manager = user({grant(Role::FundManager, std::nullopt, OTHER_FUND)});
const Principal decision_maker = user({grant(Role::DecisionMaker)});
const Principal auditor = user({grant(Role::Auditor)});
const Principal admin = user({grant(Role::Admin)});
const Principal reviewer = user({grant(Role::Reviewer)});
const Principal stranger = user({grant(Role::Applicant, UNIT)}, OTHER_ORG);

TEST(ApplicationsPolicy, AnonymousMustLogIn) {
    for (A action : ALL_APPLICATIONS_ACTIONS)
        EXPECT_EQ(authorize(nullptr, action, app(Status::Draft, false)).kind,
                  ErrorKind::Unauthenticated);
}

TEST(ApplicationsPolicy, OtherOrganisationsSeeNothing) {
    for (A action : ALL_APPLICATIONS_ACTIONS) {
        EXPECT_FALSE(allows(stranger, action, app(Status::Submitted, true)));
        EXPECT_EQ(kind(stranger, action, app(Status::Submitted, true)), ErrorKind::NotFound);
    }
}

TEST(ApplicationsPolicy, ApplicantWorksOnOwnUnitsApplications) {
    const auto draft = app(Status::Draft, false);
    for (A action : {A::Create, A::View, A::Edit, A::Submit, A::Withdraw, A::Download,
                     A::ViewHistory, A::ViewRevisions, A::ListOwn})
        EXPECT_TRUE(allows(applicant, action, draft)) << static_cast<int>(action);
    for (A action : {A::Endorse, A::Return, A::EndorsementQueue, A::ListStaff, A::Export})
        EXPECT_FALSE(allows(applicant, action, draft)) << static_cast<int>(action);
}

TEST(ApplicationsPolicy, AnotherUnitsApplicationIsNotFound) {
    const auto theirs = app(Status::Submitted, true, OTHER_UNIT);
    for (A action : {A::View, A::Edit, A::Submit, A::Withdraw, A::Download, A::ViewHistory,
                     A::Endorse, A::Return}) {
        EXPECT_FALSE(allows(applicant, action, theirs));
        EXPECT_EQ(kind(applicant, action, theirs), ErrorKind::NotFound);
        EXPECT_EQ(kind(leader, action, theirs), ErrorKind::NotFound);
    }
    EXPECT_FALSE(allows(applicant, A::Create, {ORG, OTHER_UNIT, FUND, Status::Draft, false}));
}

TEST(ApplicationsPolicy, UnitLeaderEndorsesAndReturnsWhatAwaitsEndorsement) {
    const auto awaiting = app(Status::AwaitingEndorsement, false);
    EXPECT_TRUE(allows(leader, A::Endorse, awaiting));
    EXPECT_TRUE(allows(leader, A::Return, awaiting));
    EXPECT_TRUE(allows(leader, A::EndorsementQueue, awaiting));
    EXPECT_TRUE(allows(leader, A::Edit, awaiting)); // the status check is the service's
    EXPECT_FALSE(allows(applicant, A::Endorse, awaiting));
    EXPECT_FALSE(allows(applicant, A::Return, awaiting));
    EXPECT_FALSE(allows(leader, A::Return, app(Status::Submitted, true)));
}

TEST(ApplicationsPolicy, StaffNeverSeeDraftsNotYetSubmitted) {
    const auto draft = app(Status::Draft, false);
    const auto awaiting = app(Status::AwaitingEndorsement, false);
    for (const Principal* p : {&manager, &decision_maker, &auditor}) {
        EXPECT_EQ(kind(*p, A::View, draft), ErrorKind::NotFound);
        EXPECT_EQ(kind(*p, A::View, awaiting), ErrorKind::NotFound);
        EXPECT_FALSE(allows(*p, A::Download, draft));
    }
}

TEST(ApplicationsPolicy, StaffReadSubmittedApplicationsOfTheirFunds) {
    const auto submitted = app(Status::Submitted, true);
    const auto returned = app(Status::Draft, true); // submitted once, returned
    for (const Principal* p : {&manager, &decision_maker, &auditor}) {
        for (A action : {A::View, A::Download, A::ViewHistory, A::ViewRevisions}) {
            EXPECT_TRUE(allows(*p, action, submitted));
            EXPECT_TRUE(allows(*p, action, returned));
        }
        for (A action : {A::Edit, A::Submit, A::Withdraw, A::Endorse, A::Create})
            EXPECT_FALSE(allows(*p, action, submitted)) << static_cast<int>(action);
        EXPECT_TRUE(
            allows(*p, A::ListStaff, {ORG, std::nullopt, std::nullopt, Status::Draft, false}));
        EXPECT_TRUE(allows(*p, A::Export, {ORG, std::nullopt, FUND, Status::Draft, false}));
    }
    EXPECT_EQ(kind(other_manager, A::View, submitted), ErrorKind::NotFound);
    EXPECT_FALSE(
        allows(other_manager, A::ListStaff, {ORG, std::nullopt, FUND, Status::Draft, false}));
}

TEST(ApplicationsPolicy, OnlyTheFundsManagerReturnsASubmittedApplication) {
    const auto submitted = app(Status::Submitted, true);
    EXPECT_TRUE(allows(manager, A::Return, submitted));
    EXPECT_FALSE(allows(decision_maker, A::Return, submitted));
    EXPECT_FALSE(allows(auditor, A::Return, submitted));
    EXPECT_FALSE(allows(manager, A::Return, app(Status::AwaitingEndorsement, true)));
}

TEST(ApplicationsPolicy, AdminsAndReviewersHaveNoAccess) {
    const auto submitted = app(Status::Submitted, true);
    for (const Principal* p : {&admin, &reviewer}) {
        for (A action : ALL_APPLICATIONS_ACTIONS)
            EXPECT_FALSE(allows(*p, action, submitted)) << static_cast<int>(action);
    }
}

TEST(ApplicationsPolicy, OrganisationWideApplicantCoversEveryUnit) {
    const Principal everywhere = user({grant(Role::Applicant)});
    EXPECT_TRUE(allows(everywhere, A::Edit, app(Status::Draft, false, OTHER_UNIT)));
    EXPECT_TRUE(applies_for_unit(everywhere, OTHER_UNIT));
    EXPECT_FALSE(applies_for_unit(applicant, OTHER_UNIT));
}

} // namespace
