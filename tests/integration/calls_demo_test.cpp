// The calls part of `spire demo` on both engines: Bærum's five calls (one
// closed, one past its deadline, one open until 2027-03-15 12:00 Oslo time,
// two rolling), each with the innovation council's six criteria summing to
// 100 and the small form; the catalogues of external calls and partnership
// models; nothing of it visible to Asker.

#include "app/demo.hpp"
#include "app/demo_calls.hpp"
#include "app/demo_funds.hpp"
#include "calls/service.hpp"
#include "db/database.hpp"
#include "funds/service.hpp"
#include "identity/service.hpp"
#include "support/test_db.hpp"

#include <gtest/gtest.h>

namespace {

using namespace spire;
using identity::Actor;

class CallsDemoTest : public spire::test::MigratedDatabaseTest {};

TEST_P(CallsDemoTest, BaerumsCallsCriteriaFormsAndCatalogues) {
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
    auto demo = app::create_demo_calls(calls, *fund, *made);
    ASSERT_TRUE(demo) << demo.error().message;
    ASSERT_EQ(demo->calls.size(), 5u);

    auto spring = calls.call_for_application(demo->calls.at("Innovasjonsmidler vår 2018"));
    EXPECT_EQ(spring->status, calls::CallStatus::Closed);
    EXPECT_EQ(spring->max_amount_ore, 500'000 * ORE_PER_KRONE);
    auto autumn = calls.call_for_application(demo->calls.at("Innovasjonsmidler høst 2018"));
    EXPECT_EQ(autumn->status, calls::CallStatus::Published);
    EXPECT_EQ(autumn->closes_at, calls::oslo_to_utc("2018-10-15", "12:00").value());
    auto rolling =
        calls.call_for_application(demo->calls.at("Sosialt entreprenørskap – fortløpende"));
    EXPECT_TRUE(rolling->rolling);
    EXPECT_EQ(rolling->programme_kind, "social_entrepreneurs");

    // On 2026-11-27 the spring 2027 call and the two rolling ones are open.
    auto open = calls.open_calls(made->baerum, "2026-11-27T12:00:00.000000Z");
    ASSERT_TRUE(open);
    ASSERT_EQ(open->size(), 3u);
    EXPECT_EQ((*open)[0].title, "Innovasjonsmidler vår 2027");
    EXPECT_EQ((*open)[0].closes_at, calls::oslo_to_utc("2027-03-15", "12:00").value());
    EXPECT_TRUE(calls.open_calls(made->asker, "2026-11-27T12:00:00.000000Z")->empty());

    for (const auto& [title, id] : demo->calls) {
        auto criteria = calls.criteria(id);
        ASSERT_TRUE(criteria);
        EXPECT_EQ(criteria->size(), 6u) << title;
        EXPECT_EQ(calls::weight_sum(*criteria), 100) << title;
        auto form = calls.form(id);
        ASSERT_TRUE(form);
        ASSERT_EQ(form->sections.size(), 1u) << title;
        ASSERT_EQ(form->sections[0].fields.size(), 4u) << title;
        EXPECT_EQ(form->sections[0].fields[0].kind, calls::FieldKind::LongText);
        EXPECT_EQ(form->sections[0].fields[1].kind, calls::FieldKind::SingleChoice);
        EXPECT_EQ(form->sections[0].fields[2].kind, calls::FieldKind::YesNo);
        EXPECT_EQ(form->sections[0].fields[3].kind, calls::FieldKind::File);
    }

    auto externals = calls.external_calls(made->baerum, true);
    ASSERT_EQ(externals->size(), 2u);
    auto phd =
        calls.external_call(made->baerum, demo->external_calls.at("Offentlig sektor-ph.d. 2018"));
    ASSERT_TRUE(phd && *phd);
    EXPECT_EQ((*phd)->required_own_share_percent, 50);
    auto models = calls.partnership_models(made->baerum, true);
    ASSERT_EQ(models->size(), 5u);
    EXPECT_EQ((*models)[0].name, "Pilotavtale");
    EXPECT_TRUE(calls.partnership_models(made->asker, false)->empty());
}

INSTANTIATE_TEST_SUITE_P(BothEngines, CallsDemoTest, ::testing::ValuesIn(spire::test::ALL_ENGINES),
                         spire::test::engine_test_name);

} // namespace
