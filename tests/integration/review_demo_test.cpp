// The review part of `spire demo` on both engines: the closed autumn 2017
// round with 27 submitted applications, one screened out, five reviewers in
// the pool, three reviews per remaining application, three conflicts of
// interest (none of them with an assignment left), and every review
// submitted except two of reviewer1's, which wait undeclared; and the
// round's saved allocation scenario.

#include "allocation/service.hpp"
#include "app/demo.hpp"
#include "app/demo_calls.hpp"
#include "app/demo_funds.hpp"
#include "app/demo_review.hpp"
#include "calls/service.hpp"
#include "db/database.hpp"
#include "funds/service.hpp"
#include "identity/service.hpp"
#include "review/ranking_service.hpp"
#include "review/service.hpp"
#include "support/test_db.hpp"

#include <gtest/gtest.h>
#include <set>

namespace {

using namespace spire;

class ReviewDemoTest : public spire::test::MigratedDatabaseTest {};

TEST_P(ReviewDemoTest, AClosedRoundWithReviewsConflictsAndWorkLeftForReviewer1) {
    auto opened = db::Database::open(test_database().url(), 2);
    ASSERT_TRUE(opened);
    std::shared_ptr<db::Database> database(std::move(*opened));
    identity::IdentityService identity(database);
    funds::FundsService funds(database);
    calls::CallsService calls(database);
    auto made = app::create_demo_identity(identity, app::DEMO_PASSWORD);
    ASSERT_TRUE(made) << made.error().message;
    auto fund = app::create_demo_funds(funds, identity, *made);
    ASSERT_TRUE(fund) << fund.error().message;
    ASSERT_TRUE(app::create_demo_calls(calls, *fund, *made));
    auto demo = app::create_demo_review(database, *fund, *made);
    ASSERT_TRUE(demo) << demo.error().message;

    EXPECT_EQ(calls.call_for_application(demo->call)->status, calls::CallStatus::Closed);
    EXPECT_EQ(demo->applications, 27);
    EXPECT_EQ(demo->conflicts, 3);
    EXPECT_EQ(demo->open_reviews, 2);

    review::ReviewService review(database);
    const auto system = identity::Actor::system("test");
    auto screening = review.screening(system, demo->call);
    ASSERT_TRUE(screening);
    ASSERT_EQ(screening->applications.size(), 27u);
    int not_eligible = 0;
    for (const auto& application : screening->applications)
        not_eligible += application.eligible == false ? 1 : 0;
    EXPECT_EQ(not_eligible, 1);

    auto overview = review.reviewers(system, demo->call);
    ASSERT_TRUE(overview);
    EXPECT_EQ(overview->candidates.size(), 5u);
    ASSERT_EQ(overview->applications.size(), 26u);
    for (const auto& progress : overview->applications)
        EXPECT_EQ(progress.assigned, 3) << progress.application.title;
    EXPECT_EQ(demo->submitted_reviews, 26 * 3 - 2);

    auto declarations = review.declarations(system, demo->call);
    ASSERT_TRUE(declarations);
    std::set<std::pair<identity::Id, identity::Id>> conflicted;
    for (const auto& declaration : *declarations) {
        if (declaration.conflict)
            conflicted.insert({declaration.application_id, declaration.reviewer_id});
    }
    EXPECT_EQ(conflicted.size(), 3u);
    for (const auto& assignment : overview->assignments) {
        if (conflicted.contains({assignment.application_id, assignment.reviewer_id}))
            EXPECT_EQ(assignment.status, review::AssignmentStatus::Withdrawn);
    }
    // Balanced: five reviewers share 78 reviews, none with more than one above
    // anyone else (withdrawn ones aside).
    int least = 1000, most = 0;
    for (const auto& member : overview->candidates) {
        least = std::min(least, member.assigned);
        most = std::max(most, member.assigned);
    }
    EXPECT_LE(most - least, 1);

    identity::Principal reviewer1;
    reviewer1.user_id = made->users.at("reviewer1@baerum.example");
    reviewer1.organisation_id = made->baerum;
    reviewer1.grants = {
        {0, reviewer1.user_id, made->baerum, identity::Role::Reviewer, std::nullopt, std::nullopt}};
    auto mine = review.my_reviews(identity::Actor::web(&reviewer1, "test"));
    ASSERT_TRUE(mine);
    int waiting = 0;
    for (const auto& item : mine->assignments)
        waiting += item.declared == review::Declared::Nothing ? 1 : 0;
    EXPECT_EQ(waiting, 2);

    // One saved allocation scenario, so the allocation page is not empty:
    // every reviewed application takes part, and the optimum is proven
    // within the remaining budget.
    allocation::AllocationService allocation(database,
                                             std::make_shared<review::RankingService>(database));
    auto scenarios = allocation.scenarios(system, demo->call);
    ASSERT_TRUE(scenarios);
    ASSERT_EQ(scenarios->scenarios.size(), 1u);
    EXPECT_EQ(scenarios->scenarios[0].id, demo->scenario);
    auto page = allocation.scenario(system, demo->call, demo->scenario);
    ASSERT_TRUE(page) << page.error().message;
    EXPECT_EQ(page->inputs.candidates.size() + page->inputs.left_out.size(), 26u);
    EXPECT_GE(page->inputs.candidates.size(), 20u);
    ASSERT_TRUE(page->optimal);
    const auto& optimum = page->optimal->allocation;
    EXPECT_EQ(optimum.status, allocation::SolveStatus::Optimal);
    EXPECT_FALSE(optimum.grants.empty());
    for (const auto& cell : optimum.cells)
        EXPECT_LE(cell.used, cell.budget) << allocation::cell_name(cell.cell);
}

INSTANTIATE_TEST_SUITE_P(BothEngines, ReviewDemoTest, ::testing::ValuesIn(spire::test::ALL_ENGINES),
                         spire::test::engine_test_name);

} // namespace
