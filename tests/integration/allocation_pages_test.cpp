// The allocation scenario pages (issue 7 §1, §2) over loopback on both
// engines: saved scenarios built from the call's calibrated ranking and the
// ledger's remaining budget, the three methods side by side, the form's
// validation, who may see and change scenarios (a § 6-disqualified manager
// may not), the lottery's seed published before the draw and the recorded
// draw refusing a second seed, and the exported file giving the page's
// result under allocate() and `spire allocate`.
//
// The budget and requests are chosen so the expected portfolios follow by
// hand: four eligible applications of 100 000 kr each (two more fail the
// innovation minimum), 350 000 kr left in 2018. The payline funds the three
// best; with partial funding from 50 % the optimum adds half of the fourth.

#include "allocation/allocate.hpp"
#include "allocation/scenario_file.hpp"
#include "allocation/service.hpp"
#include "app/allocation_commands.hpp"
#include "app/application.hpp"
#include "applications/service.hpp"
#include "calls/service.hpp"
#include "db/database.hpp"
#include "funds/service.hpp"
#include "identity/service.hpp"
#include "review/ranking_service.hpp"
#include "support/app_paths.hpp"
#include "support/browser.hpp"
#include "support/ranked_call.hpp"
#include "support/test_db.hpp"
#include "support/test_server.hpp"
#include "web/format.hpp"

#include <algorithm>
#include <chrono>
#include <gtest/gtest.h>
#include <map>
#include <memory>
#include <regex>
#include <soci/soci.h>
#include <sstream>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using spire::identity::Actor;
using spire::identity::Id;
using spire::identity::Role;
using spire::test::Browser;
using spire::test::contains;
using spire::test::Fields;
using spire::test::RawResponse;

namespace {

constexpr const char* PASSWORD = spire::test::RANKED_CALL_PASSWORD;

template <class T>
T must(spire::Result<T> result) {
    EXPECT_TRUE(result) << (result ? "" : result.error().message);
    return result ? std::move(*result) : T{};
}

// Grants as comparable text: id, fraction and øre per cell.
std::vector<std::string> grant_lines(const std::vector<spire::allocation::Grant>& grants) {
    std::vector<std::string> lines;
    for (const auto& grant : grants) {
        std::string line = grant.id + " " + std::to_string(grant.fraction);
        for (const auto& amount : grant.amounts)
            line += " " + spire::allocation::cell_name(amount.cell) + "=" +
                    std::to_string(amount.amount);
        lines.push_back(line);
    }
    return lines;
}

class AllocationPagesTest : public ::testing::TestWithParam<spire::db::Engine> {
protected:
    void SetUp() override {
        m_test_db = spire::test::migrated_database(GetParam());
        m_database = std::shared_ptr<spire::db::Database>(std::shared_ptr<spire::db::Database>(),
                                                          &m_test_db->db());
        m_ranking = std::make_shared<spire::review::RankingService>(m_database);
        m_allocation =
            std::make_shared<spire::allocation::AllocationService>(m_database, m_ranking);
        m_app = std::make_unique<spire::app::Application>(
            spire::app::AppConfig{spire::test::root_dir(), spire::test::locale_dir(), false,
                                  "Testkommune"},
            m_database);
        spire::http::ServerConfig server;
        server.threads = 2;
        server.shutdown_deadline = 5s;
        m_server = std::make_unique<spire::test::TestServer>(m_app->http_app(), server);

        m_world = spire::test::RankedCall::create(m_database);
    }

    void TearDown() override {
        m_server.reset();
        m_app.reset();
    }

    // A published call of `programme` with the main call's two criteria
    // (its own rows, the same minimum); its id and its criteria.
    struct OtherCall {
        Id id = 0;
        std::pair<Id, Id> criteria;
    };
    OtherCall other_call(Id programme, const std::string& title) {
        const Actor system = Actor::system("test");
        spire::calls::CallInput input;
        input.programme_id = programme;
        input.title = title;
        input.opens_at = "2018-01-01T00:00:00.000000Z";
        input.rolling = true;
        input.max_amount_ore = 50'000'000;
        input.max_duration_years = 3;
        input.endorsement_required = false;
        OtherCall call;
        call.id = must(m_world.calls->create_call(system, m_world.fund, input));
        call.criteria.first =
            must(m_world.calls->add_criterion(system, call.id, {"Nyskapende", "", 60, 1, 7, 4}));
        call.criteria.second = must(m_world.calls->add_criterion(
            system, call.id, {"Gjennomførbarhet", "", 40, 1, 7, std::nullopt}));
        EXPECT_TRUE(m_world.calls->publish_call(system, call.id));
        return call;
    }

    // The autumn call of the same programme: two applications of 100 000 kr
    // with three reviews each, one excellent, one below the innovation
    // minimum.
    OtherCall autumn_call() {
        OtherCall call = other_call(m_world.programme, "Innovasjonsmidler 2018 – høst");
        const int scores[2][3][2] = {{{7, 7}, {7, 7}, {7, 6}}, {{3, 3}, {2, 3}, {3, 2}}};
        for (int a = 0; a < 2; ++a) {
            Id id = m_world.submitted_application(call.id, "Høstprosjekt " + std::to_string(a + 1));
            m_autumn_applications.push_back(id);
            for (int r = 0; r < 3; ++r)
                m_world.add_review(call.id, id,
                                   m_world.reviewers[static_cast<std::size_t>((a + r + 1) % 4)],
                                   scores[a][r][0], scores[a][r][1], "submitted", call.criteria);
        }
        return call;
    }

    // The world of the two-call tests: the main call's six reviewed
    // applications, the autumn call's two, 350 000 kr for 2018 and the fund
    // manager logged in.
    struct TwoCalls {
        OtherCall autumn;
        std::unique_ptr<Browser> manager;
    };
    TwoCalls two_reviewed_calls() {
        m_world.six_reviewed_applications();
        TwoCalls world{autumn_call(), nullptr};
        set_frame_2018(35'000'000);
        world.manager = logged_in("frida@test.no");
        return world;
    }

    std::string ranking_path(Id call) const {
        return "/calls/" + std::to_string(call) + "/manage/ranking";
    }

    std::unique_ptr<Browser> logged_in(const std::string& email) {
        auto browser = std::make_unique<Browser>(m_server->port());
        EXPECT_TRUE(browser->log_in(email, PASSWORD)) << email;
        return browser;
    }

    void set_frame_2018(spire::Ore total) {
        spire::funds::FrameChange change;
        change.cell = {2018, m_world.programme};
        change.total = total;
        change.reason = "Ramme 2018";
        ASSERT_TRUE(m_world.funds->set_frame(Actor::system("test"), m_world.fund, change));
    }

    std::string allocation_path() const {
        return "/calls/" + std::to_string(m_world.call) + "/manage/allocation";
    }

    // A scenario with `fields` through the form; its path.
    std::string post_scenario(Browser& browser, const Fields& fields) {
        RawResponse created = browser.post(allocation_path(), fields);
        EXPECT_EQ(created.status, 303) << created.body;
        std::string location = created.header("location");
        return location.substr(0, location.find('?'));
    }

    // The standard scenario of these tests through the form; its path.
    std::string create_scenario(Browser& browser, bool partial) {
        Fields fields = {{"name", "Rådsmøte"}, {"value_kind", "quality"}};
        if (partial) {
            fields.push_back({"partial", "1"});
            fields.push_back({"partial_min_percent", "50"});
        }
        return post_scenario(browser, fields);
    }

    // The scenario "Vår og høst" over the main call and `other` through the
    // form, with the `settings` fields as well; its path.
    std::string create_two_call_scenario(Browser& browser, Id other, Fields settings = {}) {
        Fields fields = {{"name", "Vår og høst"}, {"value_kind", "quality"}};
        fields.insert(fields.end(), settings.begin(), settings.end());
        fields.push_back({"calls", std::to_string(other)});
        return post_scenario(browser, fields);
    }

    Id scenario_id_of(const std::string& path) const {
        return std::stoll(path.substr(path.rfind('/') + 1));
    }

    std::unique_ptr<spire::test::TestDatabase> m_test_db;
    std::shared_ptr<spire::db::Database> m_database;
    spire::test::RankedCall m_world;
    std::shared_ptr<spire::review::RankingService> m_ranking;
    std::shared_ptr<spire::allocation::AllocationService> m_allocation;
    std::vector<Id> m_autumn_applications;
    std::unique_ptr<spire::app::Application> m_app;
    std::unique_ptr<spire::test::TestServer> m_server;
};

// The fields a browser would send for the post form with `action` in
// `html`: inputs with a value (hidden ones too), textareas and selected
// options, with the HTML escapes of the templates undone.
std::string unescape(std::string text) {
    for (auto [from, to] : {std::pair<std::string, std::string>{"&quot;", "\""},
                            {"&#39;", "'"},
                            {"&lt;", "<"},
                            {"&gt;", ">"},
                            {"&amp;", "&"}}) {
        for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + 1))
            text.replace(at, from.size(), to);
    }
    return text;
}

Fields form_fields(const std::string& html, const std::string& action) {
    Fields fields;
    auto start = html.find("method=\"post\" action=\"" + action + "\"");
    if (start == std::string::npos)
        return fields;
    const std::string form = html.substr(start, html.find("</form>", start) - start);
    const std::regex input(R"re(<input[^>]* name="([^"]+)" value="([^"]*)")re");
    for (std::sregex_iterator it(form.begin(), form.end(), input), end; it != end; ++it) {
        if ((*it)[1] != "_csrf")
            fields.push_back({(*it)[1], unescape((*it)[2])});
    }
    const std::regex textarea(R"re(<textarea[^>]* name="([^"]+)"[^>]*>([^<]*)</textarea>)re");
    for (std::sregex_iterator it(form.begin(), form.end(), textarea), end; it != end; ++it)
        fields.push_back({(*it)[1], unescape((*it)[2])});
    const std::regex select(
        R"re(<select[^>]* name="([^"]+)"[^>]*>[\s\S]*?<option value="([^"]+)" selected>)re");
    for (std::sregex_iterator it(form.begin(), form.end(), select), end; it != end; ++it)
        fields.push_back({(*it)[1], (*it)[2]});
    return fields;
}

std::string field_value(const Fields& fields, const std::string& name) {
    for (const auto& [key, value] : fields) {
        if (key == name)
            return value;
    }
    return "<missing " + name + ">";
}

} // namespace

TEST_P(AllocationPagesTest, TheListHasAnEmptyStateAndOnlyTheFundsStaffMaySeeIt) {
    auto manager = logged_in("frida@test.no");
    RawResponse list = manager->get(allocation_path());
    ASSERT_EQ(list.status, 200) << list.body;
    EXPECT_TRUE(contains(list.body, "<h1 class=\"ds-heading\" data-size=\"xl\">Fordeling</h1>"));
    EXPECT_TRUE(contains(list.body, "Ingen scenarioer er lagret for denne utlysningen ennå."));
    EXPECT_TRUE(contains(list.body, allocation_path() + "/new"));
    // The call's tabs lead here.
    EXPECT_TRUE(contains(list.body, "href=\"" + allocation_path() + "\" aria-current=\"page\""));

    // Decision makers and auditors read; they are not offered the form.
    for (const char* reader : {"dag@test.no", "aud@test.no"}) {
        auto browser = logged_in(reader);
        RawResponse page = browser->get(allocation_path());
        EXPECT_EQ(page.status, 200) << reader;
        EXPECT_FALSE(contains(page.body, allocation_path() + "/new")) << reader;
        EXPECT_EQ(browser->get(allocation_path() + "/new").status, 403) << reader;
        EXPECT_EQ(
            browser->post(allocation_path(), {{"name", "x"}, {"value_kind", "quality"}}).status,
            403)
            << reader;
    }
    for (const char* outsider : {"anne@test.no", "rolf@test.no", "adam@test.no"}) {
        auto browser = logged_in(outsider);
        EXPECT_EQ(browser->get(allocation_path()).status, 403) << outsider;
    }
    // Another tenant's manager learns nothing.
    auto other = logged_in("olga@annen.no");
    EXPECT_EQ(other->get(allocation_path()).status, 404);
    // Not logged in: to the login page.
    Browser anonymous(m_server->port());
    RawResponse anonymous_page = anonymous.get(allocation_path());
    EXPECT_EQ(anonymous_page.status, 303);
    EXPECT_TRUE(contains(anonymous_page.header("location"), "/login"));
}

TEST_P(AllocationPagesTest, AManagerWhoDeclaredAConflictMayNotSeeTheScenarios) {
    m_world.six_reviewed_applications();
    set_frame_2018(35'000'000);
    auto manager = logged_in("frida@test.no");
    const std::string scenario = create_scenario(*manager, false);
    m_world.declare_conflict(m_world.applications_by_quality[2], m_world.conflicted_manager);
    auto conflicted = logged_in("kari@test.no");
    for (const std::string& path :
         {allocation_path(), scenario, scenario + "/scenario.json?method=payline"}) {
        RawResponse page = conflicted->get(path);
        EXPECT_EQ(page.status, 403) << path;
        EXPECT_FALSE(contains(page.body, "Prosjekt 1")) << path;
    }
    EXPECT_EQ(conflicted->post(scenario + "/seed", {{"seed", "123"}}).status, 403);
    // The service refuses the same, whatever the caller.
    const auto kari = m_world.principal(m_world.conflicted_manager, Role::FundManager);
    auto outcome = m_allocation->outcome(Actor::web(&kari, "t"), scenario_id_of(scenario),
                                         spire::allocation::Method::Payline);
    ASSERT_FALSE(outcome);
    EXPECT_EQ(outcome.error().kind, spire::ErrorKind::Forbidden);
}

TEST_P(AllocationPagesTest, ABadFormIsShownAgainWithNorwegianMessagesAndWhatWasTyped) {
    m_world.six_reviewed_applications();
    set_frame_2018(35'000'000);
    auto manager = logged_in("frida@test.no");
    RawResponse form = manager->get(allocation_path() + "/new");
    ASSERT_EQ(form.status, 200) << form.body;
    EXPECT_TRUE(contains(form.body, "name=\"lock_" +
                                        std::to_string(m_world.applications_by_quality[0]) + "\""));

    const std::string below = std::to_string(m_world.applications_by_quality[5]);
    RawResponse refused = manager->post(
        allocation_path(), {{"name", "   "},
                            {"value_kind", "quality"},
                            {"partial", "1"},
                            {"partial_min_percent", "0"},
                            {"max_grants_per_unit", "to"},
                            {"share_1_group", "theme:finnes-ikke"},
                            {"share_1_min", "10"},
                            {"share_2_group", "programme:" + std::to_string(m_world.programme)},
                            {"share_2_min", "80"},
                            {"share_2_max", "20"},
                            {"lock_" + below, "yes"}});
    EXPECT_EQ(refused.status, 422) << refused.body;
    const std::string& body = refused.body;
    EXPECT_TRUE(contains(body, "Gi scenarioet et navn."));
    EXPECT_TRUE(contains(body, "Skriv inn en hel prosent fra 1 til 100."));
    EXPECT_TRUE(contains(body, "Skriv inn et helt tall på minst 1, eller la feltet stå tomt."));
    EXPECT_TRUE(contains(body, "Velg et program eller tema fra listen."));
    EXPECT_TRUE(contains(body, "Minimum kan ikke være større enn maksimum."));
    EXPECT_TRUE(contains(body,
                         "En søknad under minstekravet for et kriterium kan ikke låses til å få "
                         "midler."));
    // What was typed stays.
    EXPECT_TRUE(contains(body, "value=\"to\""));
    EXPECT_TRUE(contains(body, "value=\"0\""));
    EXPECT_TRUE(contains(body, "value=\"80\""));
    EXPECT_TRUE(contains(body, "<option value=\"yes\" selected>"));
    EXPECT_TRUE(contains(body, "href=\"#max-grants-per-unit\""));
    // Nothing was saved.
    RawResponse list = manager->get(allocation_path());
    EXPECT_TRUE(contains(list.body, "Ingen scenarioer er lagret for denne utlysningen ennå."));
}

TEST_P(AllocationPagesTest, TheScenarioPageComparesTheMethodsOnTheRemainingBudget) {
    m_world.six_reviewed_applications();
    set_frame_2018(35'000'000);
    auto manager = logged_in("frida@test.no");
    const std::string path = create_scenario(*manager, true);
    RawResponse page = manager->get(path);
    ASSERT_EQ(page.status, 200) << page.body;
    const std::string& body = page.body;
    for (const char* header :
         {">Optimal portefølje</th>", ">Rangeringsgrense</th>", ">Loddtrekning i gråsonen</th>"})
        EXPECT_TRUE(contains(body, header)) << header;
    // The optimum: 3 × 100 000 + 50 000 = 350 000 kr; the payline 300 000 kr.
    using spire::web::format_money;
    EXPECT_TRUE(contains(body, "<dt>Midler brukt</dt><dd>" + format_money(35'000'000) + "</dd>"))
        << body;
    EXPECT_TRUE(contains(body, "<dt>Midler brukt</dt><dd>" + format_money(30'000'000) + "</dd>"));
    EXPECT_TRUE(contains(body, "<dt>Resultat</dt><dd>Bevist optimal</dd>"));
    EXPECT_TRUE(contains(body, "Bevist avstand til optimum"));
    EXPECT_TRUE(contains(body, "budsjettet for 2018 · Risikokapital"));
    // The fourth best differs: half funded by the optimum, not by the payline.
    const std::string fourth = "Prosjekt 4";
    auto differing = body.find("id=\"differing-list\"");
    ASSERT_NE(differing, std::string::npos);
    EXPECT_NE(body.find(fourth, differing), std::string::npos);
    EXPECT_TRUE(contains(body, "<span class=\"visually-hidden\">Innvilget</span> " +
                                   format_money(5'000'000) + "</td>"));
    // Below the innovation minimum: marked, and funded by no method.
    for (std::size_t worst : {4u, 5u}) {
        const std::string title = "Prosjekt " + std::to_string(worst + 1);
        auto row = body.find(title + "</a>", body.find("id=\"comparison-table\""));
        ASSERT_NE(row, std::string::npos) << title;
        auto row_end = body.find("</tr>", row);
        const std::string cells = body.substr(row, row_end - row);
        EXPECT_TRUE(contains(cells, "data-color=\"danger\">Under minstekrav</span>")) << title;
        EXPECT_FALSE(contains(cells, "✓")) << title;
    }

    // The decisions work's view of the same: amounts per year × programme.
    const auto frida = m_world.principal(m_world.manager, Role::FundManager);
    const Actor actor = Actor::web(&frida, "t");
    auto optimal =
        m_allocation->outcome(actor, scenario_id_of(path), spire::allocation::Method::Optimal);
    ASSERT_TRUE(optimal) << optimal.error().message;
    ASSERT_EQ(optimal->grants.size(), 4u);
    EXPECT_EQ(optimal->call_ids, std::vector<Id>{m_world.call});
    spire::Ore total = 0;
    for (const auto& grant : optimal->grants) {
        EXPECT_EQ(grant.call_id, m_world.call);
        ASSERT_EQ(grant.amounts.size(), 1u);
        EXPECT_EQ(grant.amounts[0].year, 2018);
        EXPECT_EQ(grant.amounts[0].programme_id, m_world.programme);
        total += grant.total_ore();
        if (grant.application_id == m_world.applications_by_quality[3])
            EXPECT_EQ(grant.total_ore(), 5'000'000);
        else
            EXPECT_EQ(grant.total_ore(), 10'000'000);
    }
    EXPECT_EQ(total, 35'000'000);
    auto payline =
        m_allocation->outcome(actor, scenario_id_of(path), spire::allocation::Method::Payline);
    ASSERT_TRUE(payline);
    std::vector<Id> funded;
    for (const auto& grant : payline->grants)
        funded.push_back(grant.application_id);
    std::sort(funded.begin(), funded.end());
    std::vector<Id> best_three(m_world.applications_by_quality.begin(),
                               m_world.applications_by_quality.begin() + 3);
    std::sort(best_three.begin(), best_three.end());
    EXPECT_EQ(funded, best_three);
    // The lottery has no outcome before its draw.
    auto lottery =
        m_allocation->outcome(actor, scenario_id_of(path), spire::allocation::Method::Lottery);
    ASSERT_FALSE(lottery);
    EXPECT_EQ(lottery.error().kind, spire::ErrorKind::Conflict);

    // Money committed elsewhere is gone from the scenario: the next view
    // works with what is left (200 000 kr funds two).
    spire::funds::Posting commit;
    commit.kind = spire::funds::EntryKind::Commit;
    commit.cell = {2018, m_world.programme};
    commit.amount = 15'000'000;
    commit.reason = "Annet tilsagn";
    ASSERT_TRUE(m_world.funds->post(Actor::system("test"), m_world.fund, commit));
    auto after =
        m_allocation->outcome(actor, scenario_id_of(path), spire::allocation::Method::Payline);
    ASSERT_TRUE(after);
    EXPECT_EQ(after->grants.size(), 2u);
}

TEST_P(AllocationPagesTest, TheExportedFileGivesThePagesResultUnderAllocateAndTheCommand) {
    m_world.six_reviewed_applications();
    set_frame_2018(35'000'000);
    auto manager = logged_in("frida@test.no");
    const std::string path = create_scenario(*manager, true);
    const auto frida = m_world.principal(m_world.manager, Role::FundManager);
    auto page = m_allocation->scenario(Actor::web(&frida, "t"), m_world.call, scenario_id_of(path));
    ASSERT_TRUE(page);
    ASSERT_TRUE(page->optimal && page->payline);

    for (auto [method, web] : {std::pair{spire::allocation::Method::Optimal, &*page->optimal},
                               std::pair{spire::allocation::Method::Payline, &*page->payline}}) {
        const std::string key(spire::allocation::method_key(method));
        RawResponse file = manager->get(path + "/scenario.json?method=" + key);
        ASSERT_EQ(file.status, 200) << file.body;
        EXPECT_TRUE(contains(file.header("content-disposition"), "attachment"));
        EXPECT_TRUE(contains(file.header("content-type"), "application/json"));
        // Self-contained and anonymous: ids and numbers, no titles.
        EXPECT_FALSE(contains(file.body, "Prosjekt"));
        auto scenario = spire::allocation::parse_scenario(file.body);
        ASSERT_TRUE(scenario) << scenario.error().message;
        EXPECT_EQ(scenario->method, method);
        auto offline = spire::allocation::allocate(*scenario);
        ASSERT_TRUE(offline);
        EXPECT_EQ(grant_lines(offline->allocation.grants), grant_lines(web->allocation.grants))
            << key;
        EXPECT_EQ(offline->allocation.objective, web->allocation.objective) << key;

        // `spire allocate` on the downloaded file prints the same grants.
        std::istringstream in(file.body);
        std::ostringstream out, err;
        ASSERT_EQ(spire::app::run_allocate_command({"-"}, {in, out, err}), 0) << err.str();
        for (const auto& grant : web->allocation.grants)
            EXPECT_TRUE(contains(out.str(), "\"" + grant.id + "\"")) << key;
    }
    // The lottery exports only with a published seed.
    EXPECT_EQ(manager->get(path + "/scenario.json?method=lottery").status, 409);
    EXPECT_EQ(manager->get(path + "/scenario.json?method=nonsense").status, 404);
}

TEST_P(AllocationPagesTest, TheLotteryNeedsAPublishedSeedAndItsDrawIsRecordedOnce) {
    m_world.six_reviewed_applications();
    set_frame_2018(35'000'000);
    auto manager = logged_in("frida@test.no");
    const std::string path = create_scenario(*manager, false);

    // No draw without a published seed.
    RawResponse early = manager->post(path + "/draw", {});
    EXPECT_EQ(early.status, 422);
    EXPECT_TRUE(contains(early.body, "En loddtrekning krever et publisert frø"));
    RawResponse empty = manager->post(path + "/seed", {{"seed", "  "}});
    EXPECT_EQ(empty.status, 422);
    EXPECT_TRUE(contains(empty.body, "Skriv inn frøet som skal publiseres."));
    // Decision makers may look, not publish.
    EXPECT_EQ(logged_in("dag@test.no")->post(path + "/seed", {{"seed", "1 2 3"}}).status, 403);

    const std::string seed = "Lotto 2018-03-03: 4 11 17 22 28 30 33";
    RawResponse published = manager->post(path + "/seed", {{"seed", seed}});
    EXPECT_EQ(published.status, 303) << published.body;
    RawResponse again = manager->post(path + "/seed", {{"seed", "noe annet"}});
    EXPECT_EQ(again.status, 409);
    EXPECT_TRUE(contains(again.body, "Frøet er allerede publisert og kan ikke endres."));

    RawResponse other = manager->post(path + "/draw", {{"seed", "noe annet"}});
    EXPECT_EQ(other.status, 409);
    EXPECT_TRUE(contains(other.body, "Frøet stemmer ikke med det publiserte frøet."));
    RawResponse drawn = manager->post(path + "/draw", {{"seed", seed}});
    EXPECT_EQ(drawn.status, 303) << drawn.body;
    // Recorded once: neither the same seed nor another draws again.
    for (const std::string& second : {seed, std::string("helt annet frø")}) {
        RawResponse refused = manager->post(path + "/draw", {{"seed", second}});
        EXPECT_EQ(refused.status, 409) << second;
        EXPECT_TRUE(contains(refused.body, "Loddtrekningen er allerede trukket og registrert."));
    }

    RawResponse page = manager->get(path);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "Trukket av Frida Forvalter"));
    // Said once, in the lottery section (not in every cell of the table).
    EXPECT_EQ(page.body.find("Trukket av"), page.body.rfind("Trukket av"));
    EXPECT_TRUE(contains(page.body, "spire lottery verify"));
    EXPECT_FALSE(contains(page.body, "name=\"seed\" type=\"text\""));

    // Anyone can re-run the recorded draw.
    RawResponse record = manager->get(path + "/lottery.json");
    ASSERT_EQ(record.status, 200) << record.body;
    EXPECT_TRUE(contains(record.header("content-disposition"), "attachment"));
    auto parsed = spire::allocation::parse_lottery_record(record.body);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->seed, seed);
    EXPECT_TRUE(spire::allocation::verify_lottery(*parsed).matches);
    std::istringstream in(record.body);
    std::ostringstream out, err;
    EXPECT_EQ(spire::app::run_lottery_command({"verify", "-"}, {in, out, err}), 0) << err.str();

    // The exported lottery scenario gives the recorded draw and the page's
    // grants, and the outcome is the draw's.
    RawResponse file = manager->get(path + "/scenario.json?method=lottery");
    ASSERT_EQ(file.status, 200);
    auto scenario = spire::allocation::parse_scenario(file.body);
    ASSERT_TRUE(scenario) << scenario.error().message;
    auto offline = spire::allocation::allocate(*scenario);
    ASSERT_TRUE(offline && offline->lottery);
    EXPECT_EQ(*offline->lottery, *parsed);
    const auto frida = m_world.principal(m_world.manager, Role::FundManager);
    auto outcome = m_allocation->outcome(Actor::web(&frida, "t"), scenario_id_of(path),
                                         spire::allocation::Method::Lottery);
    ASSERT_TRUE(outcome) << outcome.error().message;
    ASSERT_EQ(outcome->grants.size(), offline->allocation.grants.size());
    for (std::size_t i = 0; i < outcome->grants.size(); ++i)
        EXPECT_EQ(std::to_string(outcome->grants[i].application_id),
                  offline->allocation.grants[i].id);

    // More money after the draw: the recorded draw no longer matches today's
    // data, so it is no outcome any more, and the page says why.
    set_frame_2018(60'000'000);
    auto stale = m_allocation->outcome(Actor::web(&frida, "t"), scenario_id_of(path),
                                       spire::allocation::Method::Lottery);
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().kind, spire::ErrorKind::Conflict);
    EXPECT_TRUE(contains(manager->get(path).body,
                         "Rangeringen eller budsjettet er endret siden trekningen"));
}

TEST_P(AllocationPagesTest, AnInfeasibleScenarioNamesTheBindingConstraintWithoutFailing) {
    m_world.six_reviewed_applications();
    set_frame_2018(35'000'000);
    auto manager = logged_in("frida@test.no");
    const std::string best = std::to_string(m_world.applications_by_quality[0]);
    const std::string programme = "programme:" + std::to_string(m_world.programme);
    // The best application is locked to be funded, but the programme may
    // have at most half of the money: with one programme, no portfolio
    // holding the locked grant meets that.
    RawResponse created = manager->post(allocation_path(), {{"name", "Umulig"},
                                                            {"value_kind", "quality"},
                                                            {"share_1_group", programme},
                                                            {"share_1_max", "50"},
                                                            {"lock_" + best, "yes"}});
    ASSERT_EQ(created.status, 303) << created.body;
    const std::string share_path =
        created.header("location").substr(0, created.header("location").find('?'));
    RawResponse page = manager->get(share_path);
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_TRUE(contains(page.body, "Ingen portefølje oppfyller alle begrensningene. Bindende "
                                    "begrensning: største andel for programmet Risikokapital."))
        << page.body;
    // The list names the limit by the programme's name.
    EXPECT_TRUE(contains(manager->get(allocation_path()).body, "Risikokapital: høyst 50 %"));
    // The payline ignores share limits: it still funds the three best.
    EXPECT_TRUE(contains(page.body, "<dt>Midler brukt</dt><dd>" +
                                        spire::web::format_money(30'000'000) + "</dd>"));

    // Locked beyond the budget: every method stops, naming the budget.
    set_frame_2018(5'000'000);
    RawResponse locked =
        manager->post(allocation_path(),
                      {{"name", "For dyrt"}, {"value_kind", "quality"}, {"lock_" + best, "yes"}});
    ASSERT_EQ(locked.status, 303);
    RawResponse over =
        manager->get(locked.header("location").substr(0, locked.header("location").find('?')));
    ASSERT_EQ(over.status, 200);
    const std::string reason = "Bindende begrensning: budsjettet for 2018 · Risikokapital.";
    std::size_t count = 0;
    for (auto at = over.body.find(reason); at != std::string::npos;
         at = over.body.find(reason, at + 1))
        ++count;
    EXPECT_EQ(count, 2u) << over.body; // the optimum and the payline (no draw yet)
}

TEST_P(AllocationPagesTest, AScenarioOverTwoCallsOfTheProgrammeSharesOneBudget) {
    auto [autumn, manager] = two_reviewed_calls();

    // The form offers the other ranked call of the programme, not the
    // call without reviews.
    RawResponse form = manager->get(allocation_path() + "/new");
    ASSERT_EQ(form.status, 200) << form.body;
    EXPECT_TRUE(contains(form.body, "<legend class=\"ds-label\">Andre utlysninger i "
                                    "programmet</legend>"));
    const std::string autumn_id = std::to_string(autumn.id);
    EXPECT_TRUE(contains(form.body, "<input class=\"ds-input\" type=\"checkbox\" id=\"calls-" +
                                        autumn_id + "\" name=\"calls\" value=\"" + autumn_id +
                                        "\">"));
    EXPECT_TRUE(contains(form.body, "<label class=\"ds-label\" for=\"calls-" + autumn_id +
                                        "\">Innovasjonsmidler 2018 – høst</label>"));
    EXPECT_FALSE(contains(form.body, "id=\"calls-" + std::to_string(m_world.empty_call) + "\""));

    const std::string path = create_two_call_scenario(
        *manager, autumn.id, {{"partial", "1"}, {"partial_min_percent", "50"}});
    // Owned by the main call: its URL is under the main call.
    EXPECT_TRUE(path.starts_with(allocation_path() + "/")) << path;

    const auto frida = m_world.principal(m_world.manager, Role::FundManager);
    const Actor actor = Actor::web(&frida, "t");
    auto page = m_allocation->scenario(actor, m_world.call, scenario_id_of(path));
    ASSERT_TRUE(page) << page.error().message;
    EXPECT_EQ(page->scenario.settings.extra_calls, std::vector<Id>{autumn.id});
    // Candidates of both calls, each with its call.
    std::map<Id, Id> call_of;
    for (const auto& candidate : page->inputs.candidates)
        call_of[candidate.application_id] = candidate.call_id;
    EXPECT_EQ(call_of.size(), 8u);
    for (Id id : m_world.applications_by_quality)
        EXPECT_EQ(call_of[id], m_world.call);
    for (Id id : m_autumn_applications)
        EXPECT_EQ(call_of[id], autumn.id);
    // One budget, read once: 350 000 kr in 2018, not once per call.
    spire::Ore available = 0;
    for (const auto& cell : page->inputs.budgets)
        available += cell.amount;
    EXPECT_EQ(available, 35'000'000);
    ASSERT_TRUE(page->optimal && page->payline);
    EXPECT_EQ(page->optimal->allocation.total(), 35'000'000); // 3 whole + half of a fourth
    EXPECT_EQ(page->payline->allocation.total(), 30'000'000);

    // The payline funds in the order of calibrated quality across the calls
    // (ties by reference): the three best eligible of both rankings, read
    // from the ranking service itself.
    std::vector<std::pair<double, std::string>> eligible;
    std::map<std::string, Id> id_of_reference;
    for (Id call : {m_world.call, autumn.id}) {
        auto ranking = m_ranking->ranking(Actor::system("test"), call);
        ASSERT_TRUE(ranking);
        for (const auto& row : ranking->rows) {
            if (!row.ranking.quality || !row.threshold_failures.empty())
                continue;
            eligible.push_back({-*row.ranking.quality, row.application.reference});
            id_of_reference[row.application.reference] = row.application.id;
        }
    }
    std::sort(eligible.begin(), eligible.end());
    ASSERT_GE(eligible.size(), 4u);
    std::vector<Id> best_three;
    for (std::size_t i = 0; i < 3; ++i)
        best_three.push_back(id_of_reference[eligible[i].second]);
    std::sort(best_three.begin(), best_three.end());

    auto payline =
        m_allocation->outcome(actor, scenario_id_of(path), spire::allocation::Method::Payline);
    ASSERT_TRUE(payline) << payline.error().message;
    EXPECT_EQ(payline->main_call_id(), m_world.call);
    EXPECT_EQ(payline->call_ids, (std::vector<Id>{m_world.call, autumn.id}));
    std::vector<Id> funded;
    for (const auto& grant : payline->grants) {
        funded.push_back(grant.application_id);
        EXPECT_EQ(grant.call_id, call_of[grant.application_id]);
    }
    std::sort(funded.begin(), funded.end());
    EXPECT_EQ(funded, best_three);
    // The excellent autumn application is among them.
    EXPECT_TRUE(std::find(funded.begin(), funded.end(), m_autumn_applications[0]) != funded.end());
    auto optimal =
        m_allocation->outcome(actor, scenario_id_of(path), spire::allocation::Method::Optimal);
    ASSERT_TRUE(optimal);
    spire::Ore granted = 0;
    for (const auto& grant : optimal->grants) {
        EXPECT_EQ(grant.call_id, call_of[grant.application_id]);
        granted += grant.total_ore();
    }
    EXPECT_EQ(granted, 35'000'000);

    // The page names each application's call and the budget once.
    RawResponse shown = manager->get(path);
    ASSERT_EQ(shown.status, 200) << shown.body;
    EXPECT_TRUE(contains(shown.body, "<th scope=\"col\">Utlysning</th>"));
    EXPECT_TRUE(contains(shown.body, "<td>Innovasjonsmidler 2018 – høst</td>"));
    EXPECT_TRUE(contains(shown.body, "<td>Innovasjonsmidler 2018</td>"));
    EXPECT_TRUE(contains(shown.body, "Høstprosjekt 1"));
    EXPECT_TRUE(contains(shown.body, "også utlysningene Innovasjonsmidler 2018 – høst"));
    EXPECT_TRUE(contains(shown.body,
                         "<td class=\"num\">" + spire::web::format_money(35'000'000) + "</td>"));
    EXPECT_FALSE(contains(shown.body, spire::web::format_money(70'000'000)));

    // The extra call's list shows the scenario, linked under its main call.
    RawResponse autumn_list = manager->get("/calls/" + autumn_id + "/manage/allocation");
    ASSERT_EQ(autumn_list.status, 200);
    EXPECT_TRUE(contains(autumn_list.body, "href=\"" + path + "\">Vår og høst</a>"));
    EXPECT_TRUE(contains(autumn_list.body, "Fra utlysningen Innovasjonsmidler 2018"));
}

TEST_P(AllocationPagesTest, ATwoCallScenarioRefusesTheLotteryAndExportsThePagesResult) {
    auto [autumn, manager] = two_reviewed_calls();
    const std::string path = create_two_call_scenario(*manager, autumn.id);

    // No lottery: the page says why and offers no seed.
    RawResponse shown = manager->get(path);
    ASSERT_EQ(shown.status, 200);
    EXPECT_TRUE(contains(shown.body, "Loddtrekningen i gråsonen trenger rangeringsintervallene"));
    EXPECT_FALSE(contains(shown.body, "name=\"seed\""));
    RawResponse seed = manager->post(path + "/seed", {{"seed", "1 2 3"}});
    EXPECT_EQ(seed.status, 409);
    EXPECT_TRUE(contains(seed.body, "Loddtrekningen i gråsonen trenger rangeringsintervallene"));
    EXPECT_EQ(manager->post(path + "/draw", {{"seed", "1 2 3"}}).status, 409);
    EXPECT_EQ(manager->get(path + "/scenario.json?method=lottery").status, 409);
    const auto frida = m_world.principal(m_world.manager, Role::FundManager);
    auto lottery = m_allocation->outcome(Actor::web(&frida, "t"), scenario_id_of(path),
                                         spire::allocation::Method::Lottery);
    ASSERT_FALSE(lottery);
    EXPECT_EQ(lottery.error().kind, spire::ErrorKind::Conflict);

    // The file gives the page's result, offline and under `spire allocate`.
    auto page = m_allocation->scenario(Actor::web(&frida, "t"), m_world.call, scenario_id_of(path));
    ASSERT_TRUE(page && page->optimal && page->payline);
    for (auto [method, web] : {std::pair{spire::allocation::Method::Optimal, &*page->optimal},
                               std::pair{spire::allocation::Method::Payline, &*page->payline}}) {
        const std::string key(spire::allocation::method_key(method));
        RawResponse file = manager->get(path + "/scenario.json?method=" + key);
        ASSERT_EQ(file.status, 200) << file.body;
        auto scenario = spire::allocation::parse_scenario(file.body);
        ASSERT_TRUE(scenario) << scenario.error().message;
        EXPECT_EQ(scenario->candidates.size(), 8u) << key;
        auto offline = spire::allocation::allocate(*scenario);
        ASSERT_TRUE(offline);
        EXPECT_FALSE(web->allocation.grants.empty()) << key;
        EXPECT_EQ(grant_lines(offline->allocation.grants), grant_lines(web->allocation.grants))
            << key;
        EXPECT_EQ(offline->allocation.objective, web->allocation.objective) << key;
        std::istringstream in(file.body);
        std::ostringstream out, err;
        ASSERT_EQ(spire::app::run_allocate_command({"-"}, {in, out, err}), 0) << err.str();
        for (const auto& grant : web->allocation.grants)
            EXPECT_TRUE(contains(out.str(), "\"" + grant.id + "\"")) << key;
    }
}

TEST_P(AllocationPagesTest, OnlyCallsOfTheSameProgrammeMayJoinAScenario) {
    auto [autumn, manager] = two_reviewed_calls();
    const Id social = must(m_world.funds->create_programme(
        Actor::system("test"), m_world.fund,
        {"Sosialt entreprenørskap", "", spire::funds::ProgrammeKind::SocialEntrepreneurs, true,
         2}));
    const OtherCall elsewhere = other_call(social, "Sosiale entreprenører 2018");
    // Not offered ...
    RawResponse form = manager->get(allocation_path() + "/new");
    EXPECT_FALSE(contains(form.body, "id=\"calls-" + std::to_string(elsewhere.id) + "\""));
    // ... and refused when sent anyway, with what was typed kept.
    for (const std::string& bad : {std::to_string(elsewhere.id), std::to_string(m_world.call),
                                   std::string("999999"), std::string("x")}) {
        RawResponse refused =
            manager->post(allocation_path(), {{"name", "Tverrfaglig"},
                                              {"value_kind", "quality"},
                                              {"calls", std::to_string(autumn.id)},
                                              {"calls", bad}});
        EXPECT_EQ(refused.status, 422) << bad;
        EXPECT_TRUE(contains(refused.body, "Velg bare utlysninger i samme program fra listen."))
            << bad;
        EXPECT_TRUE(contains(refused.body, "href=\"#calls\"")) << bad;
        EXPECT_TRUE(contains(refused.body, "value=\"Tverrfaglig\"")) << bad;
        EXPECT_TRUE(contains(refused.body, "value=\"" + std::to_string(autumn.id) + "\" checked"))
            << bad;
    }
    const auto frida = m_world.principal(m_world.manager, Role::FundManager);
    auto list = m_allocation->scenarios(Actor::web(&frida, "t"), m_world.call);
    ASSERT_TRUE(list);
    EXPECT_TRUE(list->scenarios.empty());
}

TEST_P(AllocationPagesTest, AConflictInTheOtherCallHidesTheTwoCallScenario) {
    auto [autumn, manager] = two_reviewed_calls();
    const std::string one_call = create_scenario(*manager, false);
    const std::string two_calls = create_two_call_scenario(*manager, autumn.id);
    m_world.declare_conflict(m_autumn_applications[1], m_world.conflicted_manager);
    auto kari = logged_in("kari@test.no");
    EXPECT_EQ(kari->get(one_call).status, 200);
    EXPECT_EQ(kari->get(two_calls).status, 403);
    EXPECT_EQ(kari->get(two_calls + "/scenario.json?method=payline").status, 403);
    RawResponse list = kari->get(allocation_path());
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(contains(list.body, "Rådsmøte"));
    EXPECT_FALSE(contains(list.body, "Vår og høst"));
    // Nor is the autumn call offered to her on the form.
    EXPECT_FALSE(contains(kari->get(allocation_path() + "/new").body,
                          "id=\"calls-" + std::to_string(autumn.id) + "\""));
}

TEST_P(AllocationPagesTest, AViewWithUnchangedInputsDoesNotSolveAgain) {
    m_world.six_reviewed_applications();
    set_frame_2018(35'000'000);
    auto manager = logged_in("frida@test.no");
    const std::string path = create_scenario(*manager, true);
    using spire::allocation::Method;
    std::map<Method, int> solves; // the service is called from this thread only
    spire::allocation::AllocationOptions options;
    options.on_solve = [&solves](Method method) { ++solves[method]; };
    auto service =
        std::make_shared<spire::allocation::AllocationService>(m_database, m_ranking, options);
    const auto frida = m_world.principal(m_world.manager, Role::FundManager);
    const Actor actor = Actor::web(&frida, "t");
    const Id scenario = scenario_id_of(path);

    auto first = service->scenario(actor, m_world.call, scenario);
    ASSERT_TRUE(first && first->optimal && first->payline);
    EXPECT_EQ(solves[Method::Optimal], 1);
    EXPECT_EQ(solves[Method::Payline], 1);
    // The same inputs: the kept results, for the page and the outcome.
    auto second = service->scenario(actor, m_world.call, scenario);
    ASSERT_TRUE(second && second->optimal && second->payline);
    EXPECT_EQ(solves[Method::Optimal], 1);
    EXPECT_EQ(solves[Method::Payline], 1);
    EXPECT_EQ(grant_lines(second->optimal->allocation.grants),
              grant_lines(first->optimal->allocation.grants));
    EXPECT_EQ(second->optimal->allocation.objective, first->optimal->allocation.objective);
    ASSERT_TRUE(service->outcome(actor, scenario, Method::Optimal));
    EXPECT_EQ(solves[Method::Optimal], 1);

    // A changed score changes the ranking: solved again.
    m_world.change_score(m_world.applications_by_quality[3], m_world.reviewers[3], 7);
    auto rescored = service->scenario(actor, m_world.call, scenario);
    ASSERT_TRUE(rescored && rescored->optimal);
    EXPECT_EQ(solves[Method::Optimal], 2);
    EXPECT_EQ(solves[Method::Payline], 2);
    // So does money: a new frame.
    set_frame_2018(40'000'000);
    auto richer = service->scenario(actor, m_world.call, scenario);
    ASSERT_TRUE(richer && richer->optimal);
    EXPECT_EQ(solves[Method::Optimal], 3);
    EXPECT_EQ(richer->optimal->allocation.total(), 40'000'000);
    // And the settings: another scenario on the same data solves itself.
    const std::string other = create_scenario(*manager, false);
    ASSERT_TRUE(service->scenario(actor, m_world.call, scenario_id_of(other)));
    EXPECT_EQ(solves[Method::Optimal], 4);
}

INSTANTIATE_TEST_SUITE_P(BothEngines, AllocationPagesTest,
                         ::testing::ValuesIn(spire::test::ALL_ENGINES),
                         spire::test::engine_test_name);

// Issue 7 §3: the fund manager turns what a method of a scenario funds into
// a recommendation, the decision maker approves it, and the ledger commits
// exactly the scenario's money. None of the applications was screened: the
// ranking ranks them, so deciding them must be allowed too.
TEST_P(AllocationPagesTest, AScenarioBecomesARecommendationThatIsDecidedAndCommitted) {
    m_world.six_reviewed_applications();
    set_frame_2018(35'000'000);
    auto manager = logged_in("frida@test.no");
    const std::string path = create_scenario(*manager, true);
    const std::string scenario = std::to_string(scenario_id_of(path));
    const std::string decisions = "/calls/" + std::to_string(m_world.call) + "/manage/decisions";

    // The scenario page offers it, by a plain GET form (no script needed).
    RawResponse page = manager->get(path);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "<form class=\"admin-form\" method=\"get\" action=\"" +
                                        decisions + "\">"));
    EXPECT_TRUE(contains(page.body, "name=\"scenario\" value=\"" + scenario + "\""));
    EXPECT_FALSE(contains(page.body, "id=\"recommend-lottery\"")); // not drawn

    RawResponse filled = manager->get(decisions + "?scenario=" + scenario + "&method=optimal");
    ASSERT_EQ(filled.status, 200) << filled.body;
    EXPECT_TRUE(contains(filled.body, "Forslagene er fylt ut fra scenarioet «Rådsmøte» "
                                      "(Optimal portefølje)."));
    Fields fields = form_fields(filled.body, decisions);
    const auto& best = m_world.applications_by_quality;
    auto id = [&](std::size_t rank) { return std::to_string(best[rank]); };
    for (std::size_t rank : {0u, 1u, 2u}) {
        EXPECT_EQ(field_value(fields, "outcome." + id(rank)), "granted");
        EXPECT_EQ(field_value(fields, "amount." + id(rank) + ".2018"), "100000");
        EXPECT_EQ(field_value(fields, "justification." + id(rank)),
                  "Finansiert i scenarioet «Rådsmøte» (Optimal portefølje).");
    }
    EXPECT_EQ(field_value(fields, "outcome." + id(3)), "partly_granted");
    EXPECT_EQ(field_value(fields, "amount." + id(3) + ".2018"), "50000");
    EXPECT_EQ(field_value(fields, "justification." + id(3)),
              "50 % av omsøkt beløp er finansiert i scenarioet «Rådsmøte» (Optimal portefølje).");
    for (std::size_t rank : {4u, 5u}) { // left out by the scenario
        EXPECT_EQ(field_value(fields, "outcome." + id(rank)), "rejected");
        EXPECT_EQ(field_value(fields, "amount." + id(rank) + ".2018"), "");
        EXPECT_EQ(field_value(fields, "justification." + id(rank)),
                  "Ikke finansiert innenfor budsjettet i scenarioet «Rådsmøte» (Optimal "
                  "portefølje).");
    }
    EXPECT_EQ(field_value(fields, "source_note"), "Scenario «Rådsmøte» (Optimal portefølje)");

    // Submitted as filled in, approved by the decision maker.
    RawResponse submitted = manager->post(decisions, fields);
    ASSERT_EQ(submitted.status, 303) << submitted.body;
    const std::string location = submitted.header("location");
    const std::string recommendation = location.substr(0, location.find('?'));
    auto maker = logged_in("dag@test.no");
    RawResponse approved = maker->post(recommendation + "/approve", {});
    ASSERT_EQ(approved.status, 303) << approved.body;
    auto budget = m_world.funds->budget(Actor::system("test"), m_world.fund);
    ASSERT_TRUE(budget);
    EXPECT_EQ(budget->cell(2018, m_world.programme).committed(), 35'000'000);
    long long rejected = m_database->read([](soci::session& sql) {
        long long n = 0;
        sql << "SELECT count(*) FROM grant_decision WHERE outcome = 'rejected'", soci::into(n);
        return n;
    });
    EXPECT_EQ(rejected, 2);
    // Every application is decided now: nothing is left to fill in.
    RawResponse again = manager->get(decisions + "?scenario=" + scenario + "&method=payline");
    ASSERT_EQ(again.status, 200);
    EXPECT_TRUE(form_fields(again.body, decisions).empty());
    // Nor does the scenario fund them again: they are left out as decided,
    // and their money is gone from what it may use.
    RawResponse after = manager->get(path);
    ASSERT_EQ(after.status, 200);
    EXPECT_TRUE(contains(after.body, "Allerede vedtatt")) << after.body;
    const auto frida = m_world.principal(m_world.manager, Role::FundManager);
    auto payline = m_allocation->outcome(Actor::web(&frida, "t"), scenario_id_of(path),
                                         spire::allocation::Method::Payline);
    ASSERT_TRUE(payline) << payline.error().message;
    EXPECT_TRUE(payline->grants.empty());
}

TEST_P(AllocationPagesTest, AScenarioThatCannotFillInTheRecommendationSaysWhy) {
    m_world.six_reviewed_applications();
    set_frame_2018(35'000'000);
    auto manager = logged_in("frida@test.no");
    const std::string scenario = std::to_string(scenario_id_of(create_scenario(*manager, false)));
    const std::string decisions = "/calls/" + std::to_string(m_world.call) + "/manage/decisions";
    // The lottery before its draw.
    RawResponse lottery = manager->get(decisions + "?scenario=" + scenario + "&method=lottery");
    EXPECT_EQ(lottery.status, 409);
    EXPECT_TRUE(contains(lottery.body, "role=\"alert\"")) << lottery.body;
    EXPECT_FALSE(contains(lottery.body, "Forslagene er fylt ut"));
    // An unknown method, a scenario that does not exist or is another call's.
    EXPECT_EQ(manager->get(decisions + "?scenario=" + scenario + "&method=guess").status, 422);
    EXPECT_EQ(manager->get(decisions + "?scenario=999999&method=optimal").status, 404);
    EXPECT_EQ(manager->get(decisions + "?scenario=x").status, 404);
    const std::string other =
        "/calls/" + std::to_string(m_world.empty_call) + "/manage/decisions?scenario=" + scenario;
    EXPECT_EQ(manager->get(other).status, 404);
    // Others' staff cannot use it to read the scenario.
    auto reviewer = logged_in("rolf@test.no");
    EXPECT_EQ(reviewer->get(decisions + "?scenario=" + scenario).status, 403);
}

// A scenario over two calls fills in each call's decisions page with that
// call's applications; the scenario page has a button per call.
TEST_P(AllocationPagesTest, ATwoCallScenarioFillsInEachCallsRecommendation) {
    auto [autumn, manager] = two_reviewed_calls();
    const std::string path = create_two_call_scenario(*manager, autumn.id);
    const std::string scenario = std::to_string(scenario_id_of(path));
    const std::string spring = "/calls/" + std::to_string(m_world.call) + "/manage/decisions";
    const std::string autumn_page = "/calls/" + std::to_string(autumn.id) + "/manage/decisions";

    RawResponse page = manager->get(path);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "formaction=\"" + spring + "\">Fyll ut innstillingen for " +
                                        "Innovasjonsmidler 2018</button>"));
    EXPECT_TRUE(contains(page.body, "formaction=\"" + autumn_page +
                                        "\">Fyll ut innstillingen for Innovasjonsmidler 2018 – "
                                        "høst</button>"));

    const auto frida = m_world.principal(m_world.manager, Role::FundManager);
    auto outcome = m_allocation->outcome(Actor::web(&frida, "t"), scenario_id_of(path),
                                         spire::allocation::Method::Optimal);
    ASSERT_TRUE(outcome) << outcome.error().message;
    for (const auto& [decisions, applications] :
         {std::pair{spring, m_world.applications_by_quality},
          std::pair{autumn_page, m_autumn_applications}}) {
        RawResponse filled = manager->get(decisions + "?scenario=" + scenario + "&method=optimal");
        ASSERT_EQ(filled.status, 200) << decisions;
        Fields fields = form_fields(filled.body, decisions);
        for (Id application : applications) {
            const std::string id = std::to_string(application);
            bool funded = false;
            for (const auto& grant : outcome->grants)
                funded = funded || grant.application_id == application;
            EXPECT_EQ(field_value(fields, "outcome." + id), funded ? "granted" : "rejected")
                << decisions << " " << id;
        }
        // Only the call's own applications are on its page.
        const auto& others =
            decisions == spring ? m_autumn_applications : m_world.applications_by_quality;
        for (Id other : others)
            EXPECT_EQ(field_value(fields, "outcome." + std::to_string(other)),
                      "<missing outcome." + std::to_string(other) + ">");
    }
    // A call the scenario does not cover.
    const std::string empty = "/calls/" + std::to_string(m_world.empty_call) + "/manage/decisions";
    EXPECT_EQ(manager->get(empty + "?scenario=" + scenario).status, 404);
}
