// The recommendation and decision pages over loopback, on both engines: the
// fund manager proposes per application (typed input kept after an error)
// and submits; the decision maker approves the recommendation, the budget
// page shows the commitment and the applicant reads the letter from the
// application page; deciding beyond the budget is refused with a Norwegian
// message naming the programme and year, and nothing is written; each page
// refuses the roles it is not for.

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
#include <soci/soci.h>
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

int count_of(const std::string& text, const std::string& part) {
    int n = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1))
        ++n;
    return n;
}

class DecisionsPagesTest : public ::testing::TestWithParam<spire::db::Engine> {
protected:
    void SetUp() override {
        m_database = spire::test::migrated_database(GetParam());
        std::shared_ptr<spire::db::Database> shared(std::shared_ptr<spire::db::Database>(),
                                                    &m_database->db());
        m_shared = shared;
        m_identity = std::make_shared<spire::identity::IdentityService>(shared);
        auto funds = std::make_shared<spire::funds::FundsService>(shared);
        m_funds = funds;
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
            system, {m_organisation, "Innovasjonsfond", "", 2017, 2020, true, true}));
        m_programme = must(funds->create_programme(
            system, m_fund,
            {"Risikokapital", "", spire::funds::ProgrammeKind::RiskCapital, true, 1}));
        spire::funds::FrameChange frame;
        frame.cell = {2018, m_programme};
        frame.total = 50'000'000; // 500 000 kr
        frame.reason = "Ramme 2018";
        ASSERT_TRUE(funds->set_frame(system, m_fund, frame));
        spire::calls::CallInput call;
        call.programme_id = m_programme;
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
        m_maker = add_user("Rådmann Rita", "rita@test.no", Role::DecisionMaker, std::nullopt,
                           std::nullopt);
        m_reviewer =
            add_user("Rolf Fagfelle", "rolf@test.no", Role::Reviewer, std::nullopt, m_fund);
        m_first = ranked("Lesevenner i skolegården");
        m_second = ranked("Digital skolevei");
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

    spire::identity::Principal principal(Id user, Role role, std::optional<Id> unit,
                                         std::optional<Id> fund) {
        spire::identity::Principal p;
        p.user_id = user;
        p.organisation_id = m_organisation;
        p.grants = {{0, user, m_organisation, role, unit, fund}};
        return p;
    }

    // Submitted, screened eligible and reviewed: in the ranking.
    Id ranked(const std::string& title) {
        auto applicant = principal(m_applicant, Role::Applicant, m_unit, std::nullopt);
        const Actor actor = Actor::web(&applicant, "test");
        Id id = must(m_applications->create(actor, m_call, m_unit, title));
        spire::applications::DetailsInput details;
        details.title = title;
        details.summary = "Eldre elever leser for de yngre.";
        details.start_year = 2018;
        details.duration_years = 1;
        EXPECT_TRUE(m_applications->save_details(actor, id, details));
        EXPECT_TRUE(m_applications->save_budget(
            actor, id, {{2018, spire::applications::CostType::Personnel, 30'000'000}}));
        spire::applications::FinancingLine fund;
        fund.source = spire::applications::FinancingSource::Fund;
        fund.cash_ore = 30'000'000;
        EXPECT_TRUE(m_applications->save_financing(actor, id, {fund}));
        EXPECT_TRUE(m_applications->submit(actor, id));

        auto manager = principal(m_manager, Role::FundManager, std::nullopt, m_fund);
        const Actor as_manager = Actor::web(&manager, "test");
        EXPECT_TRUE(m_review->screen(as_manager, id, true, ""));
        EXPECT_TRUE(m_review->set_pool_member(as_manager, m_call, m_reviewer, true));
        Id assignment = must(m_review->assign(as_manager, id, m_reviewer));
        auto reviewer = principal(m_reviewer, Role::Reviewer, std::nullopt, m_fund);
        const Actor as_reviewer = Actor::web(&reviewer, "test");
        EXPECT_TRUE(m_review->declare(as_reviewer, assignment, {std::nullopt, ""}));
        spire::review::ReviewInput review;
        review.scores = {{m_criterion, 6, "Godt."}};
        review.recommendation = spire::review::Recommendation::Fund;
        review.overall_comment = "Bra.";
        EXPECT_TRUE(m_review->submit_review(as_reviewer, assignment, review));
        return id;
    }

    std::unique_ptr<Browser> browser(const std::string& email) {
        auto b = std::make_unique<Browser>(m_server->port());
        EXPECT_TRUE(b->log_in(email, PASSWORD)) << email;
        return b;
    }

    std::string manage() const { return "/calls/" + std::to_string(m_call) + "/manage/decisions"; }

    long long count(const std::string& query) {
        return m_shared->read([&](soci::session& sql) {
            long long n = 0;
            sql << query, soci::into(n);
            return n;
        });
    }

    // A proposal form for both applications.
    spire::test::Fields proposal(const std::string& first_amount,
                                 const std::string& second_justification) {
        const std::string a = std::to_string(m_first), b = std::to_string(m_second);
        return {{"outcome." + a, "granted"},
                {"amount." + a + ".2018", first_amount},
                {"justification." + a, "Høyest rangert."},
                {"outcome." + b, "rejected"},
                {"justification." + b, second_justification},
                {"source_note", "Betalingslinje"}};
    }

    // A conditional decision of `application` reserving `amount` in 2018, as
    // the decision service writes it for research co-funding (this call's
    // programme is risk capital, which the service would refuse: the answer
    // does not care). Its id.
    Id conditional_decision(Id application, spire::Ore amount) {
        spire::funds::Posting reserve;
        reserve.kind = spire::funds::EntryKind::Reserve;
        reserve.cell = {2018, m_programme};
        reserve.amount = amount;
        reserve.reference =
            spire::funds::Reference{spire::funds::ReferenceType::Application, application};
        reserve.reason = "Vedtak";
        auto posted = m_funds->post(Actor::system("test"), m_fund, reserve);
        EXPECT_TRUE(posted);
        long long entry = posted->entry_ids.front();
        return m_shared->transact([&](soci::session& sql) {
            long long id = 0, organisation = m_organisation, app = application, call = m_call,
                      fund = m_fund, programme = m_programme, ore = amount;
            sql << "INSERT INTO grant_decision (organisation_id, application_id, call_id, "
                   "fund_id,\n"
                   "    outcome, conditions, decided_at)\n"
                   "VALUES (:org, :app, :call, :fund, 'conditional', 'Forskningsrådet må "
                   "innvilge',\n"
                   "    '2018-05-01T10:00:00.000000Z') RETURNING id",
                soci::use(organisation, "org"), soci::use(app, "app"), soci::use(call, "call"),
                soci::use(fund, "fund"), soci::into(id);
            sql << "INSERT INTO grant_decision_amount (decision_id, year, programme_id, "
                   "amount_ore,\n"
                   "    ledger_entry_id) VALUES (:d, 2018, :p, :ore, :entry)",
                soci::use(id, "d"), soci::use(programme, "p"), soci::use(ore, "ore"),
                soci::use(entry, "entry");
            return Id{id};
        });
    }

    spire::funds::CellBalance cell_2018() {
        auto budget = m_funds->budget(Actor::system("test"), m_fund);
        EXPECT_TRUE(budget);
        return budget->cell(2018, m_programme);
    }

    std::unique_ptr<spire::test::TestDatabase> m_database;
    std::shared_ptr<spire::db::Database> m_shared;
    std::shared_ptr<spire::identity::IdentityService> m_identity;
    std::shared_ptr<spire::applications::ApplicationsService> m_applications;
    std::shared_ptr<spire::review::ReviewService> m_review;
    std::shared_ptr<spire::funds::FundsService> m_funds;
    std::unique_ptr<spire::app::Application> m_app;
    std::unique_ptr<spire::test::TestServer> m_server;
    Id m_organisation = 0, m_unit = 0, m_fund = 0, m_programme = 0, m_call = 0, m_criterion = 0;
    Id m_applicant = 0, m_manager = 0, m_maker = 0, m_reviewer = 0, m_first = 0, m_second = 0;
};

TEST_P(DecisionsPagesTest, ProposedApprovedCommittedAndTheLetterReadByTheApplicant) {
    auto manager = browser("frida@test.no");
    RawResponse page = manager->get(manage());
    ASSERT_EQ(page.status, 200);
    EXPECT_EQ(count_of(page.body, "<h1"), 1);
    EXPECT_TRUE(contains(page.body, ">Vedtak</h1>"));
    EXPECT_TRUE(contains(page.body, "Det er ikke fattet vedtak i denne utlysningen ennå."));
    EXPECT_TRUE(contains(page.body, "Lesevenner i skolegården"));

    // A missing justification: 422, the typed amount kept.
    RawResponse refused = manager->post(manage(), proposal("123 456", " "));
    EXPECT_EQ(refused.status, 422);
    EXPECT_TRUE(
        contains(refused.body, "Skriv en begrunnelse for innstillingen for denne søknaden."));
    EXPECT_TRUE(contains(refused.body, "value=\"123 456\""));
    // Øre are refused (grants are whole kroner), the typing kept.
    refused = manager->post(manage(), proposal("100 000,50", "Lavere rangert."));
    EXPECT_EQ(refused.status, 422);
    EXPECT_TRUE(contains(refused.body, "Tilskudd innvilges i hele kroner."));
    EXPECT_EQ(count("SELECT count(*) FROM recommendation"), 0);

    RawResponse submitted = manager->post(manage(), proposal("300 000", "Lavere rangert."));
    ASSERT_EQ(submitted.status, 303) << submitted.body;
    const std::string recommendation =
        submitted.header("location").substr(0, submitted.header("location").find('?'));
    // The fund manager cannot decide.
    EXPECT_EQ(manager->post(recommendation + "/approve", {}).status, 403);

    auto maker = browser("rita@test.no");
    RawResponse waiting = maker->get("/decisions");
    ASSERT_EQ(waiting.status, 200);
    EXPECT_EQ(count_of(waiting.body, "<h1"), 1);
    EXPECT_TRUE(contains(waiting.body, "Innovasjonsmidler 2018"));
    RawResponse shown = maker->get(recommendation);
    ASSERT_EQ(shown.status, 200);
    EXPECT_TRUE(contains(shown.body, "Høyest rangert."));
    EXPECT_TRUE(contains(shown.body, "Venter på vedtak"));
    RawResponse approved = maker->post(recommendation + "/approve", {});
    ASSERT_EQ(approved.status, 303) << approved.body;
    shown = maker->get(approved.header("location"));
    EXPECT_TRUE(contains(shown.body, "Godkjent"));
    EXPECT_EQ(count("SELECT count(*) FROM grant_decision"), 2);

    // The commitment on the budget page: 300 000 of the 500 000 frame.
    RawResponse budget = manager->get("/funds/" + std::to_string(m_fund) + "/budget");
    ASSERT_EQ(budget.status, 200);
    EXPECT_TRUE(contains(budget.body, "300\u00a0000")) << budget.body.substr(0, 200);
    EXPECT_TRUE(contains(budget.body, "200\u00a0000"));

    // The applicant sees the decision and reads the letter.
    auto applicant = browser("anne@test.no");
    RawResponse own = applicant->get("/applications/" + std::to_string(m_first));
    ASSERT_EQ(own.status, 200);
    std::smatch link;
    ASSERT_TRUE(std::regex_search(own.body, link, std::regex("/letters/([0-9]+)")));
    RawResponse letter = applicant->get(link[0]);
    ASSERT_EQ(letter.status, 200);
    EXPECT_EQ(count_of(letter.body, "<h1"), 1);
    EXPECT_TRUE(contains(letter.body, "Vedtak om søknad"));
    EXPECT_TRUE(contains(letter.body, "Søknaden innvilges med 300\u00a0000\u00a0kr."));
    EXPECT_TRUE(contains(letter.body, "Testkommune"));
    // Not for another applicant's eyes: a reviewer is refused.
    auto reviewer = browser("rolf@test.no");
    RawResponse foreign = reviewer->get(link[0]);
    EXPECT_TRUE(foreign.status == 403 || foreign.status == 404) << foreign.status;
}

TEST_P(DecisionsPagesTest, TheExternalAnswerIsRecordedOnTheCallsPageAndCommitsTheReservation) {
    const Id decision = conditional_decision(m_first, 20'000'000);
    EXPECT_EQ(cell_2018().reserved(), 20'000'000);
    auto manager = browser("frida@test.no");
    RawResponse page = manager->get(manage());
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "Venter på svar fra ekstern finansiør"));
    const std::string action = manage() + "/" + std::to_string(decision) + "/external-answer";
    EXPECT_TRUE(contains(page.body, "action=\"" + action + "\""));

    // No answer chosen: 422, the note kept, nothing posted.
    RawResponse refused = manager->post(action, {{"note", "Brev fra Forskningsrådet"}});
    EXPECT_EQ(refused.status, 422);
    EXPECT_TRUE(contains(refused.body, "Velg svaret fra den eksterne finansiøren."));
    EXPECT_TRUE(contains(refused.body, "value=\"Brev fra Forskningsrådet\""));
    EXPECT_EQ(cell_2018().reserved(), 20'000'000);
    // The decision maker does not record it.
    EXPECT_EQ(browser("rita@test.no")->post(action, {{"answer", "granted"}}).status, 403);

    RawResponse answered = manager->post(action, {{"answer", "granted"}, {"note", "Brev 3. mai"}});
    ASSERT_EQ(answered.status, 303) << answered.body;
    EXPECT_EQ(answered.header("location"), manage() + "?done=answered");
    EXPECT_EQ(cell_2018().reserved(), 0);
    EXPECT_EQ(cell_2018().committed(), 20'000'000);
    page = manager->get(manage() + "?done=answered");
    EXPECT_TRUE(contains(page.body, "Svaret fra den eksterne finansiøren er registrert"));
    EXPECT_TRUE(contains(page.body, "innvilget av ekstern finansiør: gitt tilsagn"));
    EXPECT_FALSE(contains(page.body, "action=\"" + action + "\""));
    // Once only.
    RawResponse again = manager->post(action, {{"answer", "refused"}});
    EXPECT_EQ(again.status, 409);
    EXPECT_TRUE(contains(again.body, "allerede registrert"));
    EXPECT_EQ(cell_2018().committed(), 20'000'000);
}

TEST_P(DecisionsPagesTest, ARefusedExternalAnswerIsShownAgainInItsOwnDecisionsForm) {
    // Two decisions wait for the external funder; the answer posted for the
    // second one is refused and must come back in the second form only.
    const Id first = conditional_decision(m_first, 10'000'000);
    const Id second = conditional_decision(m_second, 10'000'000);
    auto manager = browser("frida@test.no");
    const std::string action = manage() + "/" + std::to_string(second) + "/external-answer";
    RawResponse refused = manager->post(action, {{"note", "Brev om den andre"}});
    ASSERT_EQ(refused.status, 422);
    const std::string a = std::to_string(first), b = std::to_string(second);
    EXPECT_TRUE(contains(refused.body,
                         "id=\"answer-note-" + b + "\" name=\"note\" value=\"Brev om den andre\""))
        << refused.body;
    EXPECT_TRUE(contains(refused.body, "id=\"answer-note-" + a + "\" name=\"note\" value=\"\""));
    EXPECT_TRUE(contains(refused.body, "id=\"answer-" + b + "-error\""));
    EXPECT_FALSE(contains(refused.body, "id=\"answer-" + a + "-error\""));
    EXPECT_EQ(count_of(refused.body, "Brev om den andre"), 1);
}

TEST_P(DecisionsPagesTest, DecidingBeyondTheBudgetIsRefusedNamingTheCell) {
    auto manager = browser("frida@test.no");
    RawResponse submitted = manager->post(manage(), proposal("300 000", "Lavere rangert."));
    ASSERT_EQ(submitted.status, 303) << submitted.body;
    const std::string recommendation =
        submitted.header("location").substr(0, submitted.header("location").find('?'));
    auto maker = browser("rita@test.no");
    const std::string action = recommendation + "/applications/" + std::to_string(m_second);
    const long long entries = count("SELECT count(*) FROM ledger_entry");
    RawResponse refused =
        maker->post(action, {{"outcome", "granted"},
                             {"amount." + std::to_string(m_second) + ".2018", "600 000"},
                             {"reasons", "Viktig."}});
    EXPECT_EQ(refused.status, 422);
    EXPECT_TRUE(contains(refused.body, "Det er ikke nok tilgjengelige midler i Risikokapital for "
                                       "2018"));
    EXPECT_TRUE(contains(refused.body, "value=\"600 000\""));
    EXPECT_EQ(count("SELECT count(*) FROM ledger_entry"), entries);
    EXPECT_EQ(count("SELECT count(*) FROM grant_decision"), 0);

    // A partial grant without reasons: 422 with the reasons field marked.
    RawResponse partial =
        maker->post(action, {{"outcome", "partly_granted"},
                             {"amount." + std::to_string(m_second) + ".2018", "100 000"},
                             {"reasons", ""}});
    EXPECT_EQ(partial.status, 422);
    EXPECT_TRUE(contains(partial.body,
                         "aria-describedby=\"d-reasons-" + std::to_string(m_second) + "-error\""));

    RawResponse decided =
        maker->post(action, {{"outcome", "partly_granted"},
                             {"amount." + std::to_string(m_second) + ".2018", "100 000"},
                             {"reasons", "Bare første fase."}});
    EXPECT_EQ(decided.status, 303) << decided.body;
    EXPECT_EQ(count("SELECT count(*) FROM grant_decision"), 1);
}

TEST_P(DecisionsPagesTest, EachPageRefusesTheRolesItIsNotFor) {
    auto applicant = browser("anne@test.no");
    EXPECT_EQ(applicant->get(manage()).status, 403);
    EXPECT_EQ(applicant->post(manage(), proposal("300 000", "x")).status, 403);
    auto maker = browser("rita@test.no");
    EXPECT_EQ(maker->get(manage()).status, 200); // reads
    EXPECT_EQ(maker->post(manage(), proposal("300 000", "x")).status, 403);
    auto reviewer = browser("rolf@test.no");
    EXPECT_EQ(reviewer->get("/decisions").status, 403);
    EXPECT_EQ(reviewer->get(manage()).status, 403);
    EXPECT_EQ(count("SELECT count(*) FROM recommendation"), 0);
}

INSTANTIATE_TEST_SUITE_P(BothEngines, DecisionsPagesTest,
                         ::testing::ValuesIn(spire::test::ALL_ENGINES),
                         spire::test::engine_test_name);

} // namespace
