// The decisions part of `spire demo` on both engines: the autumn 2017 round
// is decided as Bærum's real round was – about ten of its applications
// funded with 35 000–500 000 kr each (../shared/mission/MISSION.md) – with
// the commitments in the 2018 ledger, a stored letter and a queued mail per
// decision, and the lowest ranked application left for a person to decide.

#include "app/demo.hpp"
#include "app/demo_calls.hpp"
#include "app/demo_decisions.hpp"
#include "app/demo_funds.hpp"
#include "app/demo_review.hpp"
#include "calls/service.hpp"
#include "db/database.hpp"
#include "decisions/service.hpp"
#include "funds/service.hpp"
#include "identity/service.hpp"
#include "support/test_db.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>

namespace {

using namespace spire;

class DecisionsDemoTest : public spire::test::MigratedDatabaseTest {};

TEST_P(DecisionsDemoTest, TheRoundIsDecidedWithinTheBudgetAndTheMissionsAmounts) {
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
    auto review = app::create_demo_review(database, *fund, *made);
    ASSERT_TRUE(review) << review.error().message;
    const auto system = identity::Actor::system("test");
    const identity::Id risk = fund->programmes.at("Intern risikokapital");
    const Ore committed_before =
        funds.budget(system, fund->baerum_fund)->cell(2018, risk).committed();

    auto decided = app::create_demo_decisions(database, *fund, *made, review->call);
    ASSERT_TRUE(decided) << decided.error().message;
    EXPECT_GE(decided->granted, 8);
    EXPECT_LE(decided->granted, 10);
    // 26 eligible applications, one left undecided.
    EXPECT_EQ(decided->granted + decided->rejected, 25);

    decisions::DecisionsService service(database);
    auto overview = service.call_decisions(system, review->call);
    ASSERT_TRUE(overview);
    ASSERT_EQ(overview->decisions.size(), 25u);
    Ore granted_total = 0;
    for (const auto& decision : overview->decisions) {
        if (decision.outcome == decisions::Outcome::Rejected) {
            EXPECT_TRUE(decision.amounts.empty());
            EXPECT_FALSE(decision.reasons.empty());
            continue;
        }
        ASSERT_EQ(decision.amounts.size(), 1u);
        EXPECT_GE(decision.amounts[0].amount_ore, 35'000 * ORE_PER_KRONE);
        EXPECT_LE(decision.amounts[0].amount_ore, 500'000 * ORE_PER_KRONE);
        granted_total += decision.amounts[0].amount_ore;
    }
    EXPECT_EQ(granted_total, decided->committed_ore);
    auto budget = funds.budget(system, fund->baerum_fund);
    ASSERT_TRUE(budget);
    EXPECT_EQ(budget->cell(2018, risk).committed(), committed_before + granted_total);
    EXPECT_GE(budget->cell(2018, risk).available(), 0);

    auto count = [&](const std::string& query) {
        return database->read([&](soci::session& sql) {
            long long n = 0;
            sql << query, soci::into(n);
            return n;
        });
    };
    EXPECT_EQ(count("SELECT count(*) FROM decision_letter"), 25);
    EXPECT_EQ(count("SELECT count(*) FROM mail_outbox WHERE kind = 'decision'"), 25);
    EXPECT_EQ(service.recommendation(system, decided->recommendation)->recommendation.status,
              decisions::RecommendationStatus::Approved);
}

INSTANTIATE_TEST_SUITE_P(BothEngines, DecisionsDemoTest,
                         ::testing::ValuesIn(spire::test::ALL_ENGINES),
                         spire::test::engine_test_name);

} // namespace
