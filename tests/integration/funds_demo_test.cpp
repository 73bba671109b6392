// The funds part of `spire demo` on both engines: Bærum's fund with its four
// programmes and 10 MNOK a year, managed by the demo fund manager alone;
// Asker's fund invisible to Bærum; every change audited in an intact chain.

#include "app/demo.hpp"
#include "app/demo_funds.hpp"
#include "db/database.hpp"
#include "funds/service.hpp"
#include "identity/audit_service.hpp"
#include "identity/service.hpp"
#include "support/test_db.hpp"

#include <gtest/gtest.h>

namespace {

using namespace spire;
using identity::Actor;
using identity::Role;

constexpr Ore MNOK = 100'000'000;

class FundsDemoTest : public spire::test::MigratedDatabaseTest {};

identity::Principal principal(identity::IdentityService& service, identity::Id organisation,
                              identity::Id user_id) {
    auto detail = service.user_detail(Actor::system("test"), organisation, user_id);
    EXPECT_TRUE(detail);
    identity::Principal p;
    p.user_id = user_id;
    p.organisation_id = organisation;
    p.grants = detail ? detail->grants : std::vector<identity::Grant>{};
    return p;
}

TEST_P(FundsDemoTest, BaerumFundWithFourProgrammesManagedByTheDemoFundManager) {
    auto opened = db::Database::open(test_database().url(), 2);
    ASSERT_TRUE(opened);
    std::shared_ptr<db::Database> database(std::move(*opened));
    identity::IdentityService identity(database);
    funds::FundsService funds(database);

    auto made = app::create_demo_identity(identity, app::DEMO_PASSWORD);
    ASSERT_TRUE(made) << made.error().message;
    auto demo = app::create_demo_funds(funds, identity, *made);
    ASSERT_TRUE(demo) << demo.error().message;
    ASSERT_EQ(demo->programmes.size(), 4u);

    auto manager = principal(identity, made->baerum, made->users.at("fund-manager@baerum.example"));
    ASSERT_EQ(manager.grants.size(), 1u);
    EXPECT_EQ(manager.grants[0].role, Role::FundManager);
    EXPECT_EQ(manager.grants[0].fund_id, demo->baerum_fund);

    auto summary = funds.budget(Actor::web(&manager, "r"), demo->baerum_fund);
    ASSERT_TRUE(summary) << summary.error().message;
    EXPECT_EQ(summary->fund.first_year, 2017);
    EXPECT_EQ(summary->fund.last_year, 2020);
    for (int year = 2017; year <= 2020; ++year)
        EXPECT_EQ(summary->year_total(year).frame, 10 * MNOK) << year;
    const auto risk = demo->programmes.at("Intern risikokapital");
    EXPECT_EQ(summary->cell(2017, risk).frame, 3 * MNOK);
    EXPECT_EQ(summary->cell(2017, risk).committed(), 2'575'000 * 100LL);
    EXPECT_EQ(summary->cell(2017, risk).available(), 0); // carried over
    EXPECT_EQ(summary->cell(2018, risk).carried_in, 425'000 * 100LL);
    EXPECT_EQ(summary->cell(2018, demo->programmes.at("Forskningsmedfinansiering")).frame,
              4 * MNOK);
    for (const auto& [cell, balance] : summary->cells) {
        EXPECT_GE(balance.available(), 0);
        EXPECT_GE(balance.unpaid(), 0);
    }

    auto detail = funds.fund(Actor::web(&manager, "r"), demo->baerum_fund);
    ASSERT_TRUE(detail);
    ASSERT_EQ(detail->managers.size(), 1u);
    EXPECT_EQ(detail->managers[0].email, "fund-manager@baerum.example");

    // Asker's fund exists, and Bærum cannot see it.
    auto asker_admin = principal(identity, made->asker, made->users.at("admin@asker.example"));
    EXPECT_TRUE(funds.budget(Actor::web(&asker_admin, "r"), demo->asker_fund));
    EXPECT_EQ(funds.budget(Actor::web(&manager, "r"), demo->asker_fund).error().kind,
              ErrorKind::NotFound);
    EXPECT_EQ(funds.funds(Actor::web(&asker_admin, "r"), made->asker)->size(), 1u);

    auto verification = database->read(
        [&](soci::session& sql) { return identity::verify_audit_chain(sql, engine()); });
    EXPECT_TRUE(verification.ok) << verification.problem;
}

INSTANTIATE_TEST_SUITE_P(BothEngines, FundsDemoTest, ::testing::ValuesIn(spire::test::ALL_ENGINES),
                         spire::test::engine_test_name);

} // namespace
