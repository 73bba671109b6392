// The funds pages over loopback, as a fund manager uses them in a browser:
// the budget overview with its chart and drill-down links, setting frames,
// postings by hand with the balance rules and the override, reversals, the
// ledger's filters, and creating a fund. Norwegian messages, the typed
// input kept after an error, and the right status codes.

#include "app/application.hpp"
#include "db/database.hpp"
#include "funds/service.hpp"
#include "identity/service.hpp"
#include "support/app_paths.hpp"
#include "support/browser.hpp"
#include "support/test_db.hpp"
#include "support/test_server.hpp"

#include <chrono>
#include <gtest/gtest.h>
#include <memory>
#include <string>

using namespace std::chrono_literals;
using spire::funds::EntryKind;
using spire::identity::Actor;
using spire::identity::Id;
using spire::identity::Role;
using spire::test::Browser;
using spire::test::contains;
using spire::test::RawResponse;

namespace {

constexpr const char* PASSWORD = "correct-horse-battery-staple";

template <class T>
T must(spire::Result<T> result) {
    EXPECT_TRUE(result) << (result ? "" : result.error().message);
    return result ? std::move(*result) : T{};
}

class FundsPagesTest : public ::testing::TestWithParam<spire::db::Engine> {
protected:
    void SetUp() override {
        m_database = spire::test::migrated_database(GetParam());
        std::shared_ptr<spire::db::Database> shared(std::shared_ptr<spire::db::Database>(),
                                                    &m_database->db());
        m_identity = std::make_shared<spire::identity::IdentityService>(shared);
        m_funds = std::make_shared<spire::funds::FundsService>(shared);
        m_app = std::make_unique<spire::app::Application>(
            spire::app::AppConfig{spire::test::root_dir(), spire::test::locale_dir(), false,
                                  "Testkommune"},
            shared);
        spire::http::ServerConfig server;
        server.threads = 2;
        server.shutdown_deadline = 5s;
        m_server = std::make_unique<spire::test::TestServer>(m_app->http_app(), server);

        m_organisation = must(m_identity->create_organisation(system(), "test", "Testkommune"));
        m_fund =
            must(m_funds->create_fund(system(), {m_organisation, "Innovasjonsfond",
                                                 "Til nye tjenester", 2017, 2020, true, true}));
        m_risk = must(m_funds->create_programme(
            system(), m_fund,
            {"Risikokapital", "", spire::funds::ProgrammeKind::RiskCapital, true, 1}));
        m_research = must(
            m_funds->create_programme(system(), m_fund,
                                      {"Forskningsmedfinansiering", "",
                                       spire::funds::ProgrammeKind::ResearchCofunding, true, 2}));
        frame(2017, m_risk, 300'000'000);
        frame(2018, m_risk, 300'000'000);
        add_user("Frida Forvalter", "frida@test.no", Role::FundManager, m_fund);
        add_user("Didrik Beslutter", "didrik@test.no", Role::DecisionMaker, m_fund);
        add_user("Ada Admin", "ada@test.no", Role::Admin, std::nullopt);
        m_manager = std::make_unique<Browser>(m_server->port());
        ASSERT_TRUE(m_manager->log_in("frida@test.no", PASSWORD));
    }
    void TearDown() override {
        m_manager.reset();
        m_server.reset();
        m_app.reset();
    }

    static Actor system() { return Actor::system("test"); }

    void frame(int year, Id programme, spire::Ore amount) {
        spire::funds::Posting posting;
        posting.kind = EntryKind::Frame;
        posting.cell = {year, programme};
        posting.amount = amount;
        posting.reason = "Ramme";
        ASSERT_TRUE(m_funds->post(system(), m_fund, posting));
    }

    void add_user(const std::string& name, const std::string& email, Role role,
                  std::optional<Id> fund) {
        Id user =
            must(m_identity->create_user(system(), {m_organisation, name, email, "", PASSWORD}));
        ASSERT_TRUE(
            m_identity->grant_role(system(), {0, user, m_organisation, role, std::nullopt, fund}));
    }

    std::string fund_path() const { return "/funds/" + std::to_string(m_fund); }
    std::string risk() const { return std::to_string(m_risk); }

    std::unique_ptr<spire::test::TestDatabase> m_database;
    std::shared_ptr<spire::identity::IdentityService> m_identity;
    std::shared_ptr<spire::funds::FundsService> m_funds;
    std::unique_ptr<spire::app::Application> m_app;
    std::unique_ptr<spire::test::TestServer> m_server;
    std::unique_ptr<Browser> m_manager;
    Id m_organisation = 0, m_fund = 0, m_risk = 0, m_research = 0;
};

} // namespace

TEST_P(FundsPagesTest, BudgetShowsTheTableTheChartAndDrillDownLinks) {
    RawResponse page = m_manager->get(fund_path() + "/budget");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "<h1 class=\"ds-heading\" data-size=\"xl\">Budsjett</h1>"));
    EXPECT_FALSE(contains(page.body, "role=\"status\"")) << "no empty notice";
    EXPECT_TRUE(contains(page.body, ">Oversikt</a>"));
    // 3 000 000 kr frames in 2017 and 2018, 6 000 000 kr in all.
    EXPECT_TRUE(contains(page.body, "3\u00a0000\u00a0000\u00a0kr"));
    EXPECT_TRUE(contains(page.body, "6\u00a0000\u00a0000\u00a0kr"));
    // The chart: an image with a title and a description in words.
    EXPECT_TRUE(contains(page.body, "<svg class=\"budget-chart\""));
    EXPECT_TRUE(contains(page.body, "role=\"img\""));
    EXPECT_TRUE(contains(page.body, "<title id=\"budget-chart-title\">Budsjett per år</title>"));
    EXPECT_TRUE(contains(page.body, "2017: Budsjett 3\u00a0000\u00a0000\u00a0kr"));
    // Every cell drills down into its ledger entries.
    std::string cell = fund_path() + "/ledger?year=2017&amp;programme_id=" + risk();
    EXPECT_TRUE(contains(page.body, "href=\"" + cell + "\""));
    EXPECT_TRUE(contains(page.body, "href=\"" + cell + "&amp;kind=frame\""));

    RawResponse ledger = m_manager->get(fund_path() + "/ledger?year=2017&programme_id=" + risk());
    ASSERT_EQ(ledger.status, 200);
    EXPECT_TRUE(contains(ledger.body, "Antall oppføringer: 1"));
}

TEST_P(FundsPagesTest, SettingAFrameRedirectsAndShowsInTheBudget) {
    RawResponse posted = m_manager->post(fund_path() + "/frames", {{"year", "2019"},
                                                                   {"programme_id", risk()},
                                                                   {"amount", "2 500 000,50"},
                                                                   {"reason", "Vedtatt budsjett"}});
    ASSERT_EQ(posted.status, 303);
    EXPECT_EQ(posted.header("location"), fund_path() + "/budget?done=frame");
    RawResponse page = m_manager->get(posted.header("location"));
    EXPECT_TRUE(contains(page.body, "Rammen er satt."));
    EXPECT_TRUE(contains(page.body, "2\u00a0500\u00a0000,50\u00a0kr"));
    auto summary = m_funds->budget(system(), m_fund);
    ASSERT_TRUE(summary);
    EXPECT_EQ(summary->cell(2019, m_risk).frame, 250'000'050);
}

TEST_P(FundsPagesTest, BadAmountsAreRefusedWithTheTypedInputKept) {
    for (const char* amount : {"12,345", "-100", "tusen", ""}) {
        RawResponse page = m_manager->post(
            fund_path() + "/frames",
            {{"year", "2019"}, {"programme_id", risk()}, {"amount", amount}, {"reason", "Prøver"}});
        EXPECT_EQ(page.status, 422) << amount;
        EXPECT_TRUE(contains(page.body, "ds-error-summary")) << amount;
        EXPECT_TRUE(contains(page.body, "value=\"" + std::string(amount) + "\"")) << amount;
        EXPECT_TRUE(contains(page.body, ">Prøver</textarea>")) << amount;
    }
    RawResponse decimals = m_manager->post(
        fund_path() + "/frames",
        {{"year", "2019"}, {"programme_id", risk()}, {"amount", "12,345"}, {"reason", "x"}});
    EXPECT_TRUE(contains(decimals.body, "Bruk høyst to desimaler (øre)."));
    RawResponse outside = m_manager->post(
        fund_path() + "/frames",
        {{"year", "2031"}, {"programme_id", risk()}, {"amount", "100"}, {"reason", "x"}});
    EXPECT_EQ(outside.status, 422);
    EXPECT_TRUE(contains(outside.body, "Velg et år i fondets periode."));
    auto summary = m_funds->budget(system(), m_fund);
    ASSERT_TRUE(summary);
    EXPECT_EQ(summary->total().frame, 600'000'000) << "nothing was posted";
}

TEST_P(FundsPagesTest, PostingBeyondTheAvailableNeedsAnOverrideWithAReason) {
    spire::test::Fields commit = {{"kind", "commit"},
                                  {"year", "2018"},
                                  {"programme_id", risk()},
                                  {"amount", "3 500 000"},
                                  {"reference_type", "application"},
                                  {"reference_id", "17"},
                                  {"reason", "Tilsagn"}};
    RawResponse refused = m_manager->post(fund_path() + "/postings", commit);
    EXPECT_EQ(refused.status, 422);
    EXPECT_TRUE(contains(refused.body, "Det er ikke nok tilgjengelige midler"));
    EXPECT_TRUE(contains(refused.body, "value=\"3 500 000\""));

    commit.push_back({"override", "1"});
    RawResponse no_reason = m_manager->post(fund_path() + "/postings", commit);
    EXPECT_EQ(no_reason.status, 422);
    EXPECT_TRUE(contains(no_reason.body, "Skriv hvorfor budsjettet kan overskrides."));

    commit.push_back({"override_reason", "Rådmannen har godkjent"});
    RawResponse posted = m_manager->post(fund_path() + "/postings", commit);
    ASSERT_EQ(posted.status, 303);
    RawResponse ledger = m_manager->get(posted.header("location"));
    EXPECT_TRUE(contains(ledger.body, "Posteringen er lagret"));
    EXPECT_TRUE(contains(ledger.body, "Ut over budsjettet"));
    EXPECT_TRUE(contains(ledger.body, "Rådmannen har godkjent"));
    EXPECT_TRUE(contains(ledger.body, "Søknad 17"));
    RawResponse budget = m_manager->get(fund_path() + "/budget");
    EXPECT_TRUE(contains(budget.body, "Overtrukket"));
}

TEST_P(FundsPagesTest, AnEntryIsReversedWithAReason) {
    auto page = m_funds->ledger(system(), m_fund, {});
    ASSERT_TRUE(page);
    ASSERT_FALSE(page->entries.empty());
    std::string entry = std::to_string(page->entries.front().id);
    std::string path = fund_path() + "/ledger/" + entry + "/reverse";

    RawResponse confirm = m_manager->get(path);
    ASSERT_EQ(confirm.status, 200);
    EXPECT_TRUE(contains(confirm.body, "Postering " + entry));

    RawResponse no_reason = m_manager->post(path, {{"reason", "  "}});
    EXPECT_EQ(no_reason.status, 422);
    EXPECT_TRUE(contains(no_reason.body, "Skriv begrunnelsen for posteringen."));

    RawResponse reversed = m_manager->post(path, {{"reason", "Feil år"}});
    ASSERT_EQ(reversed.status, 303);
    RawResponse ledger = m_manager->get(reversed.header("location"));
    EXPECT_TRUE(contains(ledger.body, "Reversert av postering"));
    EXPECT_FALSE(contains(ledger.body, "href=\"" + path + "\"")) << "no second reversal offered";

    RawResponse again = m_manager->post(path, {{"reason", "Igjen"}});
    EXPECT_EQ(again.status, 409);
    EXPECT_TRUE(contains(again.body, "Denne posteringen er allerede reversert."));
}

TEST_P(FundsPagesTest, LedgerFiltersArePagedAndBadFiltersSaySo) {
    for (int i = 0; i < 55; ++i) {
        spire::funds::Posting reserve;
        reserve.kind = EntryKind::Reserve;
        reserve.cell = {2017, m_risk};
        reserve.amount = 100;
        reserve.reason = "Reservasjon " + std::to_string(i);
        ASSERT_TRUE(m_funds->post(system(), m_fund, reserve));
    }
    RawResponse first = m_manager->get(fund_path() + "/ledger?kind=reserve");
    ASSERT_EQ(first.status, 200);
    EXPECT_TRUE(contains(first.body, "Antall oppføringer: 55"));
    EXPECT_TRUE(contains(first.body, "Side 1 av 2"));
    EXPECT_TRUE(contains(first.body, "kind=reserve&amp;page=2"));
    EXPECT_TRUE(contains(first.body, "ledger.csv?kind=reserve"));
    RawResponse second = m_manager->get(fund_path() + "/ledger?kind=reserve&page=2");
    EXPECT_TRUE(contains(second.body, "Reservasjon 0<"));

    RawResponse bad = m_manager->get(fund_path() + "/ledger?year=tjue&kind=nonsense");
    EXPECT_EQ(bad.status, 400);
    EXPECT_TRUE(contains(bad.body, "Skriv et år, for eksempel 2018."));
    EXPECT_TRUE(contains(bad.body, "Velg en type."));

    RawResponse none = m_manager->get(fund_path() + "/ledger?year=2020");
    EXPECT_TRUE(contains(none.body, "Fant ingen posteringer."));
}

TEST_P(FundsPagesTest, CreatingAFundValidatesAndKeepsWhatWasTyped) {
    Browser admin(m_server->port());
    ASSERT_TRUE(admin.log_in("ada@test.no", PASSWORD));
    RawResponse bad = admin.post("/funds", {{"name", "Klimafond"},
                                            {"description", "<b>grønt</b>"},
                                            {"first_year", "2026"},
                                            {"last_year", "2020"}});
    EXPECT_EQ(bad.status, 422);
    EXPECT_TRUE(contains(bad.body, "Siste år kan ikke være før første år."));
    EXPECT_TRUE(contains(bad.body, "value=\"Klimafond\""));
    EXPECT_TRUE(contains(bad.body, "&lt;b&gt;grønt&lt;/b&gt;</textarea>"));

    RawResponse created = admin.post("/funds", {{"name", "Klimafond"},
                                                {"first_year", "2026"},
                                                {"last_year", "2029"},
                                                {"carry_over_allowed", "1"}});
    ASSERT_EQ(created.status, 303);
    RawResponse overview = admin.get(created.header("location"));
    EXPECT_TRUE(contains(overview.body, "Fondet er opprettet."));
    EXPECT_TRUE(contains(overview.body, "2026–2029"));

    RawResponse taken = admin.post(
        "/funds", {{"name", "Klimafond"}, {"first_year", "2026"}, {"last_year", "2029"}});
    EXPECT_EQ(taken.status, 422);
    EXPECT_TRUE(contains(taken.body, "Det finnes allerede et fond med dette navnet."));
}

TEST_P(FundsPagesTest, DecisionMakersSeeTheBudgetButNotTheLedger) {
    Browser decision_maker(m_server->port());
    ASSERT_TRUE(decision_maker.log_in("didrik@test.no", PASSWORD));
    RawResponse budget = decision_maker.get(fund_path() + "/budget");
    EXPECT_EQ(budget.status, 200);
    EXPECT_FALSE(contains(budget.body, "action=\"" + fund_path() + "/frames\""));
    EXPECT_FALSE(contains(budget.body, fund_path() + "/ledger\""));
    EXPECT_EQ(decision_maker.get(fund_path() + "/ledger").status, 403);
    EXPECT_EQ(decision_maker.post(fund_path() + "/frames", {{"year", "x"}}).status, 403);
}

INSTANTIATE_TEST_SUITE_P(BothEngines, FundsPagesTest, ::testing::ValuesIn(spire::test::ALL_ENGINES),
                         spire::test::engine_test_name);
