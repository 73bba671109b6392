// The review pages over loopback, as fund managers and reviewers use them in
// a browser: screening with a required reason (and the applicant seeing
// it), the reviewer pool, assigning by hand and the refusal of a conflicted
// reviewer with its reason, recording a conflict, the reviewer's
// declaration before the application is shown, scoring with the typed
// input kept after an error, submitting and the lock, and a declared
// conflict taking the application away (403 with the reason). Norwegian
// text, one h1, empty states, on both database engines.

#include "app/application.hpp"
#include "applications/service.hpp"
#include "calls/service.hpp"
#include "db/database.hpp"
#include "funds/service.hpp"
#include "identity/service.hpp"
#include "review/service.hpp"
#include "support/app_paths.hpp"
#include "support/browser.hpp"
#include "support/test_db.hpp"
#include "support/test_server.hpp"

#include <chrono>
#include <gtest/gtest.h>
#include <memory>
#include <regex>
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
    EXPECT_TRUE(result) << (result ? "" : result.error().message)
                        << (result || result.error().fields.empty()
                                ? ""
                                : " " + result.error().fields.front().field + ": " +
                                      result.error().fields.front().message);
    return result ? std::move(*result) : T{};
}

int count_of(const std::string& text, const std::string& part) {
    int n = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1))
        ++n;
    return n;
}

class ReviewPagesTest : public ::testing::TestWithParam<spire::db::Engine> {
protected:
    void SetUp() override {
        m_database = spire::test::migrated_database(GetParam());
        std::shared_ptr<spire::db::Database> shared(std::shared_ptr<spire::db::Database>(),
                                                    &m_database->db());
        m_identity = std::make_shared<spire::identity::IdentityService>(shared);
        auto funds = std::make_shared<spire::funds::FundsService>(shared);
        auto calls = std::make_shared<spire::calls::CallsService>(shared);
        m_applications = std::make_shared<spire::applications::ApplicationsService>(shared);
        m_review = std::make_shared<spire::review::ReviewService>(shared);
        m_app = std::make_unique<spire::app::Application>(
            spire::app::AppConfig{spire::test::root_dir(), spire::test::locale_dir(), false,
                                  "Testkommune"},
            shared);
        spire::http::ServerConfig server;
        server.threads = 2;
        server.shutdown_deadline = 5s;
        m_server = std::make_unique<spire::test::TestServer>(m_app->http_app(), server);

        const Actor system = Actor::system("test");
        m_organisation = must(m_identity->create_organisation(system, "test", "Testkommune"));
        Id sector =
            must(m_identity->create_unit(system, {0, m_organisation, std::nullopt,
                                                  spire::identity::UnitKind::Sector, "Oppvekst"}));
        Id schools = must(m_identity->create_unit(
            system, {0, m_organisation, sector, spire::identity::UnitKind::Unit, "Grunnskoler"}));
        m_unit = must(m_identity->create_unit(system, {0, m_organisation, schools,
                                                       spire::identity::UnitKind::ServiceUnit,
                                                       "Bekkestua skole"}));
        m_fund = must(funds->create_fund(
            system, {m_organisation, "Innovasjonsfond", "", 2017, 2030, true, true}));
        Id programme = must(funds->create_programme(
            system, m_fund,
            {"Risikokapital", "", spire::funds::ProgrammeKind::RiskCapital, true, 1}));
        spire::calls::CallInput call;
        call.programme_id = programme;
        call.title = "Innovasjonsmidler 2018";
        call.opens_at = "2018-01-01T00:00:00.000000Z";
        call.rolling = true;
        call.max_amount_ore = 50'000'000;
        call.max_duration_years = 3;
        call.endorsement_required = false;
        m_call = must(calls->create_call(system, m_fund, call));
        m_criterion =
            must(calls->add_criterion(system, m_call, {"Nyskapende", "", 100, 1, 7, std::nullopt}));
        ASSERT_TRUE(calls->publish_call(system, m_call));

        m_applicant = add_user("Anne Søker", "anne@test.no", Role::Applicant, m_unit, std::nullopt);
        m_manager =
            add_user("Frida Forvalter", "frida@test.no", Role::FundManager, std::nullopt, m_fund);
        m_reviewer =
            add_user("Rolf Fagfelle", "rolf@test.no", Role::Reviewer, std::nullopt, m_fund);
        m_other_reviewer =
            add_user("Kari Fagfelle", "kari@test.no", Role::Reviewer, std::nullopt, std::nullopt);
        m_application = submitted("Lesevenner i skolegården");
    }
    void TearDown() override {
        m_server.reset();
        m_app.reset();
    }

    Id add_user(const std::string& name, const std::string& email, Role role,
                std::optional<Id> unit, std::optional<Id> fund) {
        const Actor system = Actor::system("test");
        Id user =
            must(m_identity->create_user(system, {m_organisation, name, email, "", PASSWORD}));
        EXPECT_TRUE(m_identity->grant_role(system, {0, user, m_organisation, role, unit, fund}));
        return user;
    }

    Id submitted(const std::string& title) {
        spire::identity::Principal applicant;
        applicant.user_id = m_applicant;
        applicant.organisation_id = m_organisation;
        applicant.grants = {
            {0, m_applicant, m_organisation, Role::Applicant, m_unit, std::nullopt}};
        const Actor actor = Actor::web(&applicant, "test");
        Id id = must(m_applications->create(actor, m_call, m_unit, title));
        spire::applications::DetailsInput details;
        details.title = title;
        details.summary = "Eldre elever leser for de yngre.";
        details.start_year = 2018;
        details.duration_years = 1;
        EXPECT_TRUE(m_applications->save_details(actor, id, details));
        EXPECT_TRUE(m_applications->save_budget(
            actor, id, {{2018, spire::applications::CostType::Personnel, 10'000'000}}));
        spire::applications::FinancingLine fund;
        fund.source = spire::applications::FinancingSource::Fund;
        fund.cash_ore = 10'000'000;
        EXPECT_TRUE(m_applications->save_financing(actor, id, {fund}));
        EXPECT_TRUE(m_applications->submit(actor, id));
        return id;
    }

    std::unique_ptr<Browser> browser(const std::string& email) {
        auto b = std::make_unique<Browser>(m_server->port());
        EXPECT_TRUE(b->log_in(email, PASSWORD)) << email;
        return b;
    }

    std::string manage(const std::string& page) const {
        return "/calls/" + std::to_string(m_call) + "/manage/" + page;
    }

    // The reviewer in the pool and assigned (by the fund manager); the
    // assignment's page.
    std::string assigned(Id reviewer) {
        spire::identity::Principal manager;
        manager.user_id = m_manager;
        manager.organisation_id = m_organisation;
        manager.grants = {{0, m_manager, m_organisation, Role::FundManager, std::nullopt, m_fund}};
        const Actor actor = Actor::web(&manager, "test");
        EXPECT_TRUE(m_review->set_pool_member(actor, m_call, reviewer, true));
        return "/reviews/" + std::to_string(must(m_review->assign(actor, m_application, reviewer)));
    }

    std::unique_ptr<spire::test::TestDatabase> m_database;
    std::shared_ptr<spire::identity::IdentityService> m_identity;
    std::shared_ptr<spire::applications::ApplicationsService> m_applications;
    std::shared_ptr<spire::review::ReviewService> m_review;
    std::unique_ptr<spire::app::Application> m_app;
    std::unique_ptr<spire::test::TestServer> m_server;
    Id m_organisation = 0, m_unit = 0, m_fund = 0, m_call = 0, m_criterion = 0;
    Id m_applicant = 0, m_manager = 0, m_reviewer = 0, m_other_reviewer = 0, m_application = 0;
};

} // namespace

TEST_P(ReviewPagesTest, TheManagerScreensAndTheApplicantSeesTheReason) {
    auto manager = browser("frida@test.no");
    RawResponse page = manager->get(manage("screening"));
    ASSERT_EQ(page.status, 200);
    EXPECT_EQ(count_of(page.body, "<h1"), 1);
    EXPECT_TRUE(contains(page.body, ">Formell vurdering</h1>"));
    EXPECT_TRUE(contains(page.body, "aria-current=\"page\">Formell vurdering</a>"));
    EXPECT_TRUE(contains(page.body, "Lesevenner i skolegården"));
    EXPECT_TRUE(contains(page.body, "Ikke vurdert"));

    const std::string action = manage("screening/" + std::to_string(m_application));
    RawResponse refused = manager->post(action, {{"decision", "not_eligible"}, {"reason", " "}});
    EXPECT_EQ(refused.status, 422);
    EXPECT_TRUE(contains(refused.body, "Begrunn hvorfor søknaden ikke oppfyller kravene."));
    EXPECT_TRUE(contains(refused.body, "ds-error-summary"));
    EXPECT_TRUE(contains(refused.body, "<option value=\"not_eligible\" selected>"));

    RawResponse saved = manager->post(
        action, {{"decision", "not_eligible"}, {"reason", "Søker er ikke en kommunal enhet."}});
    ASSERT_EQ(saved.status, 303) << saved.body;
    page = manager->get(saved.header("location"));
    EXPECT_TRUE(contains(page.body, "Den formelle vurderingen er lagret."));
    EXPECT_TRUE(contains(page.body, "Oppfyller ikke kravene"));

    auto applicant = browser("anne@test.no");
    RawResponse own = applicant->get("/applications/" + std::to_string(m_application));
    ASSERT_EQ(own.status, 200);
    EXPECT_TRUE(contains(own.body, "Søknaden oppfyller ikke de formelle kravene"));
    EXPECT_TRUE(contains(own.body, "Søker er ikke en kommunal enhet."));
    // Not the applicant's to change.
    EXPECT_EQ(applicant->post(action, {{"decision", "eligible"}}).status, 403);
    EXPECT_EQ(applicant->get(manage("screening")).status, 403);
}

TEST_P(ReviewPagesTest, TheManagerBuildsThePoolAssignsAndIsToldWhyAConflictIsRefused) {
    auto manager = browser("frida@test.no");
    RawResponse page = manager->get(manage("reviewers"));
    ASSERT_EQ(page.status, 200);
    EXPECT_EQ(count_of(page.body, "<h1"), 1);
    EXPECT_TRUE(contains(page.body, ">Fagfeller</h1>"));
    EXPECT_TRUE(contains(page.body, "Ingen fagfeller er tildelt ennå."));
    EXPECT_TRUE(contains(page.body, "Rolf Fagfelle"));
    EXPECT_TRUE(contains(page.body, "value=\"3\"")); // reviews per application

    RawResponse bad =
        manager->post(manage("reviewers/settings"),
                      {{"reviews_per_application", "11"}, {"review_closes_date", "2018-13-40"}});
    EXPECT_EQ(bad.status, 422);
    EXPECT_TRUE(contains(bad.body, "Skriv et tall fra 1 til 10."));
    EXPECT_TRUE(contains(bad.body, "value=\"2018-13-40\""));
    EXPECT_EQ(
        manager->post(manage("reviewers/settings"), {{"reviews_per_application", "2"}}).status,
        303);

    for (Id reviewer : {m_reviewer, m_other_reviewer}) {
        RawResponse added = manager->post(
            manage("reviewers/pool"), {{"user_id", std::to_string(reviewer)}, {"in_pool", "1"}});
        EXPECT_EQ(added.status, 303) << added.body;
    }
    RawResponse recorded =
        manager->post(manage("conflicts"), {{"application_id", std::to_string(m_application)},
                                            {"reviewer_id", std::to_string(m_other_reviewer)},
                                            {"category", "relative"},
                                            {"note", "Gift med prosjektlederen."}});
    ASSERT_EQ(recorded.status, 303) << recorded.body;
    RawResponse conflicts = manager->get(recorded.header("location"));
    EXPECT_TRUE(contains(conflicts.body, "Inhabiliteten er registrert."));
    EXPECT_TRUE(contains(conflicts.body, "Gift med prosjektlederen."));
    EXPECT_TRUE(contains(conflicts.body, "I slekt med eller gift med en part"));

    RawResponse refused = manager->post(manage("reviewers/assign"),
                                        {{"application_id", std::to_string(m_application)},
                                         {"reviewer_id", std::to_string(m_other_reviewer)}});
    EXPECT_EQ(refused.status, 409);
    EXPECT_TRUE(contains(refused.body, "Fagfellen er inhabil for denne søknaden."));

    RawResponse automatic = manager->post(manage("reviewers/auto"), {});
    ASSERT_EQ(automatic.status, 303);
    page = manager->get(automatic.header("location"));
    EXPECT_TRUE(contains(page.body, "Fagfellene er fordelt automatisk."));
    // Only Rolf could be given: 1 of 2, flagged as short.
    EXPECT_TRUE(contains(page.body, "1 av 2 tildelt, 0 sendt inn"));
    EXPECT_TRUE(contains(page.body, "Trekk tilbake"));
}

TEST_P(ReviewPagesTest, AReviewerDeclaresScoresAndSubmits) {
    const std::string path = assigned(m_reviewer);
    auto reviewer = browser("rolf@test.no");
    RawResponse list = reviewer->get("/reviews");
    ASSERT_EQ(list.status, 200);
    EXPECT_EQ(count_of(list.body, "<h1"), 1);
    EXPECT_TRUE(contains(list.body, "href=\"" + path + "\""));
    EXPECT_TRUE(contains(list.body, "Ikke erklært"));
    EXPECT_TRUE(contains(list.body, "href=\"/reviews\"")); // in the main navigation

    // The declaration comes first: nothing of the application yet.
    RawResponse first = reviewer->get(path);
    ASSERT_EQ(first.status, 200);
    EXPECT_TRUE(contains(first.body, "Er du inhabil i behandlingen av denne søknaden?"));
    EXPECT_FALSE(contains(first.body, "Eldre elever leser for de yngre."));
    const std::string score = "score_" + std::to_string(m_criterion);
    RawResponse early = reviewer->post(path, {{score, "5"}, {"action", "save"}});
    EXPECT_EQ(early.status, 403);
    EXPECT_TRUE(contains(early.body, "Erklær om du er inhabil før du åpner søknaden."));
    RawResponse unanswered = reviewer->post(path + "/declaration", {});
    EXPECT_EQ(unanswered.status, 422);
    EXPECT_TRUE(contains(unanswered.body, "Svar på om du er inhabil."));

    ASSERT_EQ(reviewer->post(path + "/declaration", {{"choice", "none"}}).status, 303);
    RawResponse form = reviewer->get(path);
    ASSERT_EQ(form.status, 200);
    EXPECT_TRUE(contains(form.body, "Eldre elever leser for de yngre."));
    EXPECT_TRUE(contains(form.body, "7 – Fremragende"));
    EXPECT_TRUE(contains(form.body, "1 – Dårlig"));
    EXPECT_TRUE(contains(form.body, "Bør innvilges med endringer"));

    // Off the scale: refused, everything typed kept.
    spire::test::Fields typed = {{score, "9"},
                                 {"comment_" + std::to_string(m_criterion), "Nytt for skolen."},
                                 {"recommendation", "fund_with_changes"},
                                 {"overall_comment", "Godt tenkt."},
                                 {"action", "save"}};
    RawResponse off = reviewer->post(path, typed);
    EXPECT_EQ(off.status, 422);
    EXPECT_TRUE(contains(off.body, "Velg en karakter på kriteriets skala."));
    EXPECT_TRUE(contains(off.body, ">Nytt for skolen.</textarea>"));
    EXPECT_TRUE(contains(off.body, "value=\"fund_with_changes\" checked"));

    // Submitting without a score: every criterion is needed.
    typed[0].second = "";
    typed[4].second = "submit";
    RawResponse incomplete = reviewer->post(path, typed);
    EXPECT_EQ(incomplete.status, 422);
    EXPECT_TRUE(contains(incomplete.body, "Gi karakter på alle kriteriene."));

    typed[0].second = "6";
    typed[4].second = "save";
    ASSERT_EQ(reviewer->post(path, typed).status, 303);
    RawResponse draft = reviewer->get(path + "?done=saved");
    EXPECT_TRUE(contains(draft.body, "Utkastet ditt er lagret."));
    EXPECT_TRUE(contains(draft.body, "value=\"6\" checked"));

    typed[4].second = "submit";
    RawResponse done = reviewer->post(path, typed);
    ASSERT_EQ(done.status, 303) << done.body;
    RawResponse locked = reviewer->get(done.header("location"));
    EXPECT_TRUE(contains(locked.body, "Vurderingen din er sendt inn."));
    EXPECT_TRUE(contains(locked.body, "Sendt inn og låst."));
    EXPECT_FALSE(contains(locked.body, "name=\"" + score + "\""));
    RawResponse again = reviewer->post(path, typed);
    EXPECT_EQ(again.status, 409);
    EXPECT_TRUE(contains(again.body, "Vurderingen er sendt inn og låst."));
}

TEST_P(ReviewPagesTest, AConflictTakesTheApplicationAwayWithTheReason) {
    const std::string path = assigned(m_other_reviewer);
    auto reviewer = browser("kari@test.no");
    RawResponse no_note =
        reviewer->post(path + "/declaration", {{"choice", "conflict"}, {"category", "party"}});
    EXPECT_EQ(no_note.status, 422);
    EXPECT_TRUE(contains(no_note.body, "Beskriv inhabiliteten kort."));
    EXPECT_TRUE(contains(no_note.body, "value=\"conflict\" checked"));

    RawResponse declared = reviewer->post(
        path + "/declaration",
        {{"choice", "conflict"}, {"category", "leader_of_party"}, {"note", "Styreleder."}});
    ASSERT_EQ(declared.status, 303);
    EXPECT_EQ(declared.header("location"), "/reviews?done=conflict");
    RawResponse list = reviewer->get("/reviews?done=conflict");
    EXPECT_TRUE(contains(list.body, "Søknaden er tatt fra deg."));
    EXPECT_FALSE(contains(list.body, "href=\"" + path + "\""));

    RawResponse gone = reviewer->get(path);
    EXPECT_EQ(gone.status, 403);
    EXPECT_TRUE(contains(gone.body, "Du har erklært deg inhabil for denne søknaden"));
    EXPECT_EQ(reviewer->post(path, {{"action", "save"}}).status, 403);

    // Someone else's assignment: 403 with the reason.
    const std::string rolfs = assigned(m_reviewer);
    RawResponse not_mine = reviewer->get(rolfs);
    EXPECT_EQ(not_mine.status, 403);
    EXPECT_TRUE(contains(not_mine.body, "Denne søknaden er ikke tildelt deg."));
}

TEST_P(ReviewPagesTest, EmptyStatesSayWhatIsMissing) {
    auto reviewer = browser("rolf@test.no");
    RawResponse list = reviewer->get("/reviews");
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(contains(list.body, "Du har ingen søknader å vurdere."));
    auto manager = browser("frida@test.no");
    RawResponse conflicts = manager->get(manage("conflicts"));
    ASSERT_EQ(conflicts.status, 200);
    EXPECT_EQ(count_of(conflicts.body, "<h1"), 1);
    EXPECT_TRUE(contains(conflicts.body, "Ingen erklæringer ennå."));
    RawResponse settings = manager->get("/calls/" + std::to_string(m_call) + "/manage");
    EXPECT_TRUE(contains(settings.body, "href=\"" + manage("reviewers") + "\""));
}

INSTANTIATE_TEST_SUITE_P(BothEngines, ReviewPagesTest,
                         ::testing::ValuesIn(spire::test::ALL_ENGINES),
                         spire::test::engine_test_name);
