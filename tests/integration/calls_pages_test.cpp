// The calls pages over loopback: a fund manager creates a call (Norwegian
// messages, 422 and the typed input kept on bad input), adds criteria with
// the weight warning, builds the form, publishes; the public sees the
// published call with its description rendered safely, and never a draft.

#include "app/application.hpp"
#include "calls/service.hpp"
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

class CallsPagesTest : public ::testing::TestWithParam<spire::db::Engine> {
protected:
    void SetUp() override {
        m_database = spire::test::migrated_database(GetParam());
        std::shared_ptr<spire::db::Database> shared(std::shared_ptr<spire::db::Database>(),
                                                    &m_database->db());
        m_identity = std::make_shared<spire::identity::IdentityService>(shared);
        m_funds = std::make_shared<spire::funds::FundsService>(shared);
        m_calls = std::make_shared<spire::calls::CallsService>(shared);
        m_app = std::make_unique<spire::app::Application>(
            spire::app::AppConfig{spire::test::root_dir(), spire::test::locale_dir(), false,
                                  "Testkommune"},
            shared);
        spire::http::ServerConfig server;
        server.threads = 2;
        server.shutdown_deadline = 5s;
        m_server = std::make_unique<spire::test::TestServer>(m_app->http_app(), server);

        m_organisation = must(m_identity->create_organisation(system(), "test", "Testkommune"));
        m_fund = must(m_funds->create_fund(
            system(), {m_organisation, "Innovasjonsfond", "", 2017, 2030, true, true}));
        m_risk = must(m_funds->create_programme(
            system(), m_fund,
            {"Risikokapital", "", spire::funds::ProgrammeKind::RiskCapital, true, 1}));
        add_user("Frida Forvalter", "frida@test.no", Role::FundManager, m_fund);
        add_user("Sara Søker", "sara@test.no", Role::Reviewer, std::nullopt);
        m_manager = std::make_unique<Browser>(m_server->port());
        ASSERT_TRUE(m_manager->log_in("frida@test.no", PASSWORD));
    }
    void TearDown() override {
        m_manager.reset();
        m_server.reset();
        m_app.reset();
    }

    static Actor system() { return Actor::system("test"); }

    void add_user(const std::string& name, const std::string& email, Role role,
                  std::optional<Id> fund) {
        Id user =
            must(m_identity->create_user(system(), {m_organisation, name, email, "", PASSWORD}));
        ASSERT_TRUE(
            m_identity->grant_role(system(), {0, user, m_organisation, role, std::nullopt, fund}));
    }

    spire::test::Fields call_fields(const std::string& title, const std::string& amount) {
        return {
            {"programme_id", std::to_string(m_risk)},
            {"title", title},
            {"description", "Søk **nå**.\n\n[lenke](javascript:alert(1))\n\n<script>x()</script>"},
            {"eligibility", "Alle tjenestesteder"},
            {"opens_date", "2026-11-01"},
            {"opens_time", "00:00"},
            {"closes_date", "2099-03-15"},
            {"closes_time", "12:00"},
            {"max_amount", amount},
            {"max_duration_years", "2"},
            {"endorsement_required", "1"}};
    }

    // Creates a call through the form; its id from the redirect.
    Id create_call(const std::string& title) {
        RawResponse created = m_manager->post("/funds/" + std::to_string(m_fund) + "/calls",
                                              call_fields(title, "500 000"));
        EXPECT_EQ(created.status, 303);
        std::string location = created.header("location");
        // /calls/{id}/manage?done=created
        return std::stoll(location.substr(7, location.find("/manage") - 7));
    }

    std::unique_ptr<spire::test::TestDatabase> m_database;
    std::shared_ptr<spire::identity::IdentityService> m_identity;
    std::shared_ptr<spire::funds::FundsService> m_funds;
    std::shared_ptr<spire::calls::CallsService> m_calls;
    std::unique_ptr<spire::app::Application> m_app;
    std::unique_ptr<spire::test::TestServer> m_server;
    std::unique_ptr<Browser> m_manager;
    Id m_organisation = 0, m_fund = 0, m_risk = 0;
};

} // namespace

TEST_P(CallsPagesTest, BadInputIs422WithNorwegianMessagesAndTheTypedInputKept) {
    auto fields = call_fields("Innovasjonsmidler vår 2027", "500 000,123");
    fields[6] = {"closes_date", "15.03.2027"};
    RawResponse page = m_manager->post("/funds/" + std::to_string(m_fund) + "/calls", fields);
    EXPECT_EQ(page.status, 422);
    EXPECT_TRUE(contains(page.body, "ds-error-summary"));
    EXPECT_TRUE(contains(page.body, "Bruk høyst to desimaler (øre)."));
    EXPECT_TRUE(contains(page.body, "Skriv en dato som 2018-10-15."));
    EXPECT_TRUE(contains(page.body, "value=\"Innovasjonsmidler vår 2027\""));
    EXPECT_TRUE(contains(page.body, "value=\"500 000,123\""));
    EXPECT_TRUE(contains(page.body, "value=\"15.03.2027\""));
    EXPECT_TRUE(contains(page.body, "aria-invalid=\"true\""));
    EXPECT_TRUE(m_calls->fund_calls(system(), m_fund)->empty()) << "nothing was saved";
}

TEST_P(CallsPagesTest, FromDraftToPublishedAndTheCallsPublicPage) {
    Id id = create_call("Innovasjonsmidler vår 2027");
    std::string manage = "/calls/" + std::to_string(id) + "/manage";
    RawResponse settings = m_manager->get(manage + "?done=created");
    ASSERT_EQ(settings.status, 200);
    EXPECT_TRUE(contains(settings.body, "Utlysningen ble opprettet som utkast."));
    EXPECT_TRUE(contains(settings.body, "value=\"2099-03-15\""));

    // A draft is not public.
    Browser anonymous(m_server->port());
    EXPECT_EQ(anonymous.get("/calls/" + std::to_string(id)).status, 404);

    // Criteria: the warning until the weights add up to 100.
    RawResponse added = m_manager->post(
        manage + "/criteria",
        {{"name", "Nyskapende"}, {"weight_percent", "60"}, {"scale_min", "1"}, {"scale_max", "7"}});
    ASSERT_EQ(added.status, 303);
    RawResponse criteria = m_manager->get(manage + "/criteria");
    EXPECT_TRUE(contains(criteria.body, "Vektene er til sammen 60 %."));
    EXPECT_TRUE(contains(criteria.body, "Fremragende"));
    RawResponse bad = m_manager->post(
        manage + "/criteria",
        {{"name", ""}, {"weight_percent", "abc"}, {"scale_min", "1"}, {"scale_max", "7"}});
    EXPECT_EQ(bad.status, 422);
    EXPECT_TRUE(contains(bad.body, "Skriv en vekt fra 0 til 100."));
    EXPECT_TRUE(contains(bad.body, "value=\"abc\""));

    RawResponse refused = m_manager->post("/calls/" + std::to_string(id) + "/publish", {});
    EXPECT_EQ(refused.status, 422);
    EXPECT_TRUE(contains(refused.body, "Vektene til kriteriene må til sammen være 100 %."));

    ASSERT_EQ(
        m_manager
            ->post(manage + "/criteria", {{"name", "Forankret i linjen"}, {"weight_percent", "40"}})
            .status,
        303);
    EXPECT_FALSE(contains(m_manager->get(manage + "/criteria").body, "Vektene er til sammen"));

    // The form: a section and a choice field.
    ASSERT_EQ(m_manager->post(manage + "/form/sections", {{"title", "Om prosjektet"}}).status, 303);
    auto form = m_calls->form(id);
    ASSERT_TRUE(form);
    ASSERT_EQ(form->sections.size(), 1u);
    std::string section = std::to_string(form->sections[0].id);
    RawResponse no_options = m_manager->post(
        manage + "/form/fields",
        {{"section_id", section}, {"label", "Målgruppe"}, {"kind", "single_choice"}});
    EXPECT_EQ(no_options.status, 422);
    EXPECT_TRUE(contains(no_options.body, "Skriv minst to alternativer, ett per linje."));
    EXPECT_TRUE(contains(no_options.body, "value=\"Målgruppe\""));
    ASSERT_EQ(m_manager
                  ->post(manage + "/form/fields", {{"section_id", section},
                                                   {"label", "Målgruppe"},
                                                   {"kind", "single_choice"},
                                                   {"options", "Barn\nEldre"}})
                  .status,
              303);
    RawResponse editor = m_manager->get(manage + "/form");
    EXPECT_EQ(editor.status, 200);
    EXPECT_TRUE(contains(editor.body, "Barn, Eldre"));

    RawResponse published = m_manager->post("/calls/" + std::to_string(id) + "/publish", {});
    ASSERT_EQ(published.status, 303);
    EXPECT_EQ(m_calls->call(system(), id)->status, spire::calls::CallStatus::Published);

    // The public page: rendered Markdown, no script, no javascript: link,
    // the deadline in Oslo time, the criteria with weights.
    RawResponse page = anonymous.get("/calls/" + std::to_string(id));
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "<strong>nå</strong>"));
    EXPECT_FALSE(contains(page.body, "<script>x()"));
    EXPECT_FALSE(contains(page.body, "javascript:"));
    EXPECT_TRUE(contains(page.body, "15.03.2099 kl. 12:00"));
    EXPECT_TRUE(contains(page.body, "Forankret i linjen"));
    EXPECT_TRUE(contains(page.body, "40 %"));
    EXPECT_TRUE(contains(page.body, "Logg inn for å søke"));
    EXPECT_FALSE(contains(page.body, "/applications/new?call="));
    RawResponse mine = m_manager->get("/calls/" + std::to_string(id));
    EXPECT_TRUE(contains(mine.body, "/applications/new?call=" + std::to_string(id)));

    RawResponse list = anonymous.get("/calls");
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(contains(list.body, "Testkommune"));
    EXPECT_TRUE(contains(list.body, "Innovasjonsmidler vår 2027"));
}

// The front page lists the calls open now: not drafts, not one whose
// deadline has passed, and an empty state when there are none.
TEST_P(CallsPagesTest, TheFrontPageListsTheCallsOpenNow) {
    Browser anonymous(m_server->port());
    RawResponse empty = anonymous.get("/");
    ASSERT_EQ(empty.status, 200);
    EXPECT_TRUE(contains(empty.body, "Det er ingen åpne utlysninger nå."));

    auto publish_with_criterion = [&](Id id) {
        std::string manage = "/calls/" + std::to_string(id) + "/manage";
        ASSERT_EQ(m_manager
                      ->post(manage + "/criteria", {{"name", "Nyskapende"},
                                                    {"weight_percent", "100"},
                                                    {"scale_min", "1"},
                                                    {"scale_max", "7"}})
                      .status,
                  303);
        ASSERT_EQ(m_manager->post("/calls/" + std::to_string(id) + "/publish", {}).status, 303);
    };
    Id open = create_call("Innovasjonsmidler vår 2027");
    publish_with_criterion(open);
    create_call("Et utkast som ikke er publisert");
    auto past = call_fields("Innovasjonsmidler høst 2018", "500 000");
    for (auto& [name, value] : past) {
        if (name == "opens_date")
            value = "2018-08-01";
        if (name == "closes_date")
            value = "2018-10-01";
    }
    RawResponse created = m_manager->post("/funds/" + std::to_string(m_fund) + "/calls", past);
    ASSERT_EQ(created.status, 303);
    std::string location = created.header("location");
    publish_with_criterion(std::stoll(location.substr(7, location.find("/manage") - 7)));

    RawResponse home = anonymous.get("/");
    ASSERT_EQ(home.status, 200);
    EXPECT_TRUE(contains(home.body, "Innovasjonsmidler vår 2027"));
    EXPECT_TRUE(contains(home.body, "/calls/" + std::to_string(open) + "\""));
    EXPECT_TRUE(contains(home.body, "15.03.2099 kl. 12:00"));
    EXPECT_TRUE(contains(home.body, "Testkommune"));
    EXPECT_FALSE(contains(home.body, "Et utkast som ikke er publisert"));
    EXPECT_FALSE(contains(home.body, "Innovasjonsmidler høst 2018"));
    EXPECT_FALSE(contains(home.body, "Det er ingen åpne utlysninger nå."));
}

TEST_P(CallsPagesTest, RollingCallsShowFortlopende) {
    auto fields = call_fields("Sosialt entreprenørskap – fortløpende", "400 000");
    fields.push_back({"rolling", "1"});
    RawResponse created = m_manager->post("/funds/" + std::to_string(m_fund) + "/calls", fields);
    ASSERT_EQ(created.status, 303);
    RawResponse list = m_manager->get("/funds/" + std::to_string(m_fund) + "/calls");
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(contains(list.body, "Fortløpende"));
    EXPECT_TRUE(contains(list.body, "Utkast"));
}

TEST_P(CallsPagesTest, CataloguesAreEditedByFundManagersAndReadByEveryone) {
    RawResponse bad = m_manager->post("/calls/external", {{"funder", "Forskningsrådet"},
                                                          {"programme", "Offentlig sektor-ph.d."},
                                                          {"title", "Ph.d. 2018"},
                                                          {"deadline", "14.11.2018"},
                                                          {"required_own_share_percent", "50"}});
    EXPECT_EQ(bad.status, 422);
    EXPECT_TRUE(contains(bad.body, "value=\"14.11.2018\""));
    RawResponse added = m_manager->post("/calls/external", {{"funder", "Forskningsrådet"},
                                                            {"programme", "Offentlig sektor-ph.d."},
                                                            {"title", "Ph.d. 2018"},
                                                            {"deadline", "2018-11-14"},
                                                            {"required_own_share_percent", "50"}});
    EXPECT_EQ(added.status, 303);
    ASSERT_EQ(m_manager->post("/calls/partnership-models", {{"name", "Effektkontrakt"}}).status,
              303);

    Browser reviewer(m_server->port());
    ASSERT_TRUE(reviewer.log_in("sara@test.no", PASSWORD));
    RawResponse externals = reviewer.get("/calls/external");
    ASSERT_EQ(externals.status, 200);
    EXPECT_TRUE(contains(externals.body, "Ph.d. 2018"));
    EXPECT_TRUE(contains(externals.body, "50 %"));
    EXPECT_FALSE(contains(externals.body, "name=\"funder\"")) << "no form for a reviewer";
    EXPECT_EQ(reviewer.post("/calls/partnership-models", {{"name", "Tilskudd"}}).status, 403);
    EXPECT_TRUE(contains(reviewer.get("/calls/partnership-models").body, "Effektkontrakt"));
}

INSTANTIATE_TEST_SUITE_P(BothEngines, CallsPagesTest, ::testing::ValuesIn(spire::test::ALL_ENGINES),
                         spire::test::engine_test_name);
