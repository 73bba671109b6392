// The funds JSON API and the ledger downloads over loopback, on both
// engines: who gets what (401/403/404 as problem+json, never a login
// redirect or an HTML page), the budget summary, the paged ledger with its
// Link header, bad parameters, and the CSV and XLSX files.

#include "app/application.hpp"
#include "db/database.hpp"
#include "funds/api_routes.hpp"
#include "funds/service.hpp"
#include "http/static_files.hpp"
#include "support/app_paths.hpp"
#include "support/funds_world.hpp"
#include "support/http_client.hpp"
#include "support/test_db.hpp"
#include "support/test_server.hpp"
#include "support/unzip.hpp"
#include "support/web_session.hpp"
#include "web/templates.hpp"
#include "web/view.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <gtest/gtest.h>
#include <memory>
#include <regex>
#include <set>
#include <string>

using namespace std::chrono_literals;
namespace json = boost::json;
using spire::Ore;
using spire::funds::EntryKind;
using spire::funds::Id;
using spire::funds::Posting;
using spire::test::RawResponse;
using spire::test::WebSession;

namespace {

constexpr const char* PASSWORD = "correct-horse-battery-staple";
constexpr Ore KR = 100;
constexpr Ore MNOK = 1'000'000 * KR;
const std::string NBSP = "\u00a0";

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::string text(const json::value& value) {
    return value.is_string() ? std::string(value.as_string()) : json::serialize(value);
}

json::object json_of(const RawResponse& response) {
    auto parsed = json::parse(response.body);
    return parsed.is_object() ? parsed.as_object() : json::object{};
}

class FundsApiHttpTest : public spire::test::MigratedDatabaseTest {
protected:
    void SetUp() override {
        MigratedDatabaseTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        try {
            m_world = spire::test::FundsWorld::create(test_database().url(), 4);
        } catch (const std::exception& e) {
            FAIL() << e.what();
        }
        for (const auto* user : {&w().manager, &w().admin, &w().auditor, &w().decision_maker,
                                 &w().reviewer, &w().other_manager, &w().asker_admin}) {
            auto set = w().identity->set_password(system(), user->email, PASSWORD);
            ASSERT_TRUE(set) << set.error().message;
        }
        m_funds = std::make_shared<spire::funds::FundsService>(w().database);
        m_app = std::make_unique<spire::app::Application>(
            spire::app::AppConfig{spire::test::root_dir(), spire::test::locale_dir(), false,
                                  "Testkommune"},
            w().database);
        spire::http::ServerConfig server;
        server.threads = 2;
        server.shutdown_deadline = 5s;
        m_server = std::make_unique<spire::test::TestServer>(m_app->http_app(), server);
    }

    void TearDown() override {
        m_server.reset();
        m_app.reset();
        m_funds.reset();
        m_world.reset();
        MigratedDatabaseTest::TearDown();
    }

    static spire::identity::Actor system() { return spire::identity::Actor::system("test"); }
    spire::test::FundsWorld& w() { return *m_world; }
    std::uint16_t port() const { return m_server->port(); }
    std::string fund() const { return std::to_string(m_world->fund); }

    WebSession session_of(const spire::identity::Principal& user) {
        auto session = spire::test::log_in(port(), user.email, PASSWORD);
        EXPECT_TRUE(session) << "cannot log in as " << user.email;
        return session.value_or(WebSession{});
    }

    RawResponse get(const WebSession& session, const std::string& target) {
        auto response = spire::test::send_as(port(), session, "GET", target);
        EXPECT_TRUE(response) << "no response to GET " << target;
        return response.value_or(RawResponse{});
    }

    void post(EntryKind kind, int year, Id programme, Ore amount, const std::string& reason) {
        Posting posting;
        posting.kind = kind;
        posting.cell = {year, programme};
        posting.amount = amount;
        posting.reason = reason;
        auto done = w().funds->post(w().as(w().manager), w().fund, posting);
        ASSERT_TRUE(done) << done.error().message;
    }

    // Frames for 2018 and a few postings in it: 7 entries in 2018, 1 in 2019.
    void seed() {
        post(EntryKind::Frame, 2018, w().risk, 3 * MNOK, "Årlig ramme");
        post(EntryKind::Frame, 2018, w().research, 4 * MNOK, "Årlig ramme");
        post(EntryKind::Frame, 2018, w().social, 2 * MNOK, "Årlig ramme");
        post(EntryKind::Frame, 2018, w().rd, 1 * MNOK, "Årlig ramme");
        post(EntryKind::Reserve, 2018, w().research, 500'000 * KR, "Egenandel; venter på NFR");
        post(EntryKind::Commit, 2018, w().risk, 1'234'567 * KR + 50, "=HYPERLINK(\"x\")");
        post(EntryKind::Disburse, 2018, w().risk, 200'000 * KR, "Første utbetaling");
        post(EntryKind::Frame, 2019, w().risk, 3 * MNOK, "Årlig ramme 2019");
    }

    static void expect_problem(const RawResponse& response, int status, const std::string& what) {
        EXPECT_EQ(response.status, status) << what << "\n" << response.body;
        EXPECT_EQ(response.header("content-type"), "application/problem+json; charset=utf-8")
            << what;
        EXPECT_TRUE(response.header("location").empty()) << what;
        auto body = json_of(response);
        EXPECT_EQ(body["type"], "about:blank") << what;
        EXPECT_EQ(body["status"], status) << what;
        EXPECT_TRUE(body["title"].is_string()) << what;
    }

    std::unique_ptr<spire::test::FundsWorld> m_world;
    std::shared_ptr<spire::funds::FundsService> m_funds;
    std::unique_ptr<spire::app::Application> m_app;
    std::unique_ptr<spire::test::TestServer> m_server;
};

// --- Who may ask -------------------------------------------------------------------------

TEST_P(FundsApiHttpTest, AnonymousGets401ProblemNotALoginRedirect) {
    WebSession anonymous;
    for (const std::string& target :
         {"/api/v1/funds/" + fund() + "/budget", "/api/v1/funds/" + fund() + "/ledger",
          std::string("/api/v1/funds/999999/budget"),
          "/api/v1/funds/" + fund() + "/ledger?page=0"}) {
        RawResponse response = get(anonymous, target);
        expect_problem(response, 401, target);
        // Norwegian by default.
        EXPECT_EQ(json_of(response)["title"], "Ikke innlogget") << target;
        EXPECT_EQ(json_of(response)["detail"], "Du må logge inn for å gjøre dette.") << target;
    }
}

TEST_P(FundsApiHttpTest, ProblemsAreInTheChosenLanguage) {
    WebSession english;
    english.cookies = "spire_lang=en";
    RawResponse response = get(english, "/api/v1/funds/" + fund() + "/budget");
    expect_problem(response, 401, "en");
    EXPECT_EQ(json_of(response)["title"], "Unauthorized");
    EXPECT_EQ(json_of(response)["detail"], "You must log in to do this.");
}

TEST_P(FundsApiHttpTest, AnotherOrganisationsFundIsNotFound) {
    WebSession asker = session_of(w().asker_admin);
    for (const std::string& target :
         {"/api/v1/funds/" + fund() + "/budget", "/api/v1/funds/" + fund() + "/ledger",
          std::string("/api/v1/funds/999999/budget")})
        expect_problem(get(asker, target), 404, target);
}

TEST_P(FundsApiHttpTest, RolesWithoutAccessGet403Problems) {
    WebSession reviewer = session_of(w().reviewer);
    RawResponse budget = get(reviewer, "/api/v1/funds/" + fund() + "/budget");
    expect_problem(budget, 403, "reviewer budget");
    EXPECT_FALSE(json_of(budget)["detail"].as_string().empty());
    expect_problem(get(reviewer, "/api/v1/funds/" + fund() + "/ledger"), 403, "reviewer ledger");

    // A manager of another fund sees neither.
    WebSession other = session_of(w().other_manager);
    expect_problem(get(other, "/api/v1/funds/" + fund() + "/budget"), 403, "other budget");
    expect_problem(get(other, "/api/v1/funds/" + fund() + "/ledger"), 403, "other ledger");

    // A decision maker sees the budget but not the ledger.
    WebSession decision_maker = session_of(w().decision_maker);
    EXPECT_EQ(get(decision_maker, "/api/v1/funds/" + fund() + "/budget").status, 200);
    expect_problem(get(decision_maker, "/api/v1/funds/" + fund() + "/ledger"), 403, "dm ledger");
}

TEST_P(FundsApiHttpTest, ManagerAuditorAndAdminReadBoth) {
    for (const auto* user : {&w().manager, &w().auditor, &w().admin}) {
        WebSession session = session_of(*user);
        for (const std::string& target :
             {"/api/v1/funds/" + fund() + "/budget", "/api/v1/funds/" + fund() + "/ledger"}) {
            RawResponse response = get(session, target);
            EXPECT_EQ(response.status, 200) << user->email << " " << target;
            EXPECT_EQ(response.header("content-type"), "application/json; charset=utf-8");
            EXPECT_EQ(response.header("cache-control"), "no-store");
        }
    }
}

TEST_P(FundsApiHttpTest, UnknownApiPathsAndMethodsAnswerInJson) {
    WebSession manager = session_of(w().manager);
    expect_problem(get(manager, "/api/v1/nothing-here"), 404, "unknown path");
    auto response =
        spire::test::send_as(port(), manager, "POST", "/api/v1/funds/" + fund() + "/budget", "x=1");
    ASSERT_TRUE(response);
    expect_problem(*response, 405, "POST");
    EXPECT_EQ(response->header("allow"), "GET, HEAD");
}

// --- The budget ------------------------------------------------------------------------------

TEST_P(FundsApiHttpTest, BudgetIsYearsTimesProgrammesWithTotals) {
    seed();
    WebSession manager = session_of(w().manager);
    RawResponse response = get(manager, "/api/v1/funds/" + fund() + "/budget");
    ASSERT_EQ(response.status, 200) << response.body;
    auto body = json_of(response);

    EXPECT_EQ(body["fund"].at("id"), w().fund);
    EXPECT_EQ(body["fund"].at("name"), "Forsknings- og innovasjonsfond");
    EXPECT_EQ(body["fund"].at("first_year"), 2017);
    EXPECT_EQ(body["programmes"].as_array().size(), 4u);
    EXPECT_EQ(body["programmes"].as_array()[0].at("kind"), "risk_capital");

    const auto& years = body["years"].as_array();
    ASSERT_EQ(years.size(), 4u);
    const auto& y2018 = years[1].as_object();
    EXPECT_EQ(y2018.at("year"), 2018);
    const auto& risk = y2018.at("programmes").as_array()[0].as_object();
    EXPECT_EQ(risk.at("programme_id"), w().risk);
    EXPECT_EQ(risk.at("frame_ore"), 3 * MNOK);
    EXPECT_EQ(text(risk.at("frame")), "3" + NBSP + "000" + NBSP + "000" + NBSP + "kr");
    EXPECT_EQ(risk.at("committed_ore"), 1'234'567 * KR + 50);
    EXPECT_EQ(risk.at("disbursed_ore"), 200'000 * KR);
    EXPECT_EQ(risk.at("available_ore"), 3 * MNOK - 1'234'567 * KR - 50);
    EXPECT_EQ(text(risk.at("available")), "1" + NBSP + "765" + NBSP + "432,50" + NBSP + "kr");
    const auto& research = y2018.at("programmes").as_array()[1].as_object();
    EXPECT_EQ(research.at("reserved_ore"), 500'000 * KR);
    EXPECT_EQ(research.at("available_ore"), 3'500'000 * KR);

    EXPECT_EQ(y2018.at("total").at("frame_ore"), 10 * MNOK);
    EXPECT_EQ(years[2].at("total").at("frame_ore"), 3 * MNOK);
    const auto& risk_total = body["programme_totals"].as_array()[0].as_object();
    EXPECT_EQ(risk_total.at("programme_id"), w().risk);
    EXPECT_EQ(risk_total.at("frame_ore"), 6 * MNOK);
    EXPECT_EQ(body["total"].at("frame_ore"), 13 * MNOK);
    EXPECT_EQ(body["total"].at("available_ore"), 13 * MNOK - 500'000 * KR - 1'234'567 * KR - 50);
}

// --- The ledger ------------------------------------------------------------------------------

TEST_P(FundsApiHttpTest, LedgerIsPagedWithTotalAndLinks) {
    seed();
    WebSession auditor = session_of(w().auditor);
    const std::string base = "/api/v1/funds/" + fund() + "/ledger";
    RawResponse response = get(auditor, base + "?year=2018&per_page=3&page=2");
    ASSERT_EQ(response.status, 200) << response.body;
    auto body = json_of(response);
    EXPECT_EQ(body["total"], 7);
    EXPECT_EQ(body["page"], 2);
    EXPECT_EQ(body["per_page"], 3);
    EXPECT_EQ(body["pages"], 3);
    EXPECT_EQ(body["items"].as_array().size(), 3u);
    EXPECT_EQ(response.header("link"), "<" + base +
                                           "?year=2018&page=1&per_page=3>; rel=\"first\", <" +
                                           base + "?year=2018&page=1&per_page=3>; rel=\"prev\", <" +
                                           base + "?year=2018&page=3&per_page=3>; rel=\"next\", <" +
                                           base + "?year=2018&page=3&per_page=3>; rel=\"last\"");

    // The last page holds the oldest entry (newest first), the risk frame.
    RawResponse last = get(auditor, base + "?year=2018&per_page=3&page=3");
    auto items = json_of(last)["items"].as_array();
    ASSERT_EQ(items.size(), 1u);
    const auto& frame = items[0].as_object();
    EXPECT_EQ(frame.at("kind"), "frame");
    EXPECT_EQ(frame.at("year"), 2018);
    EXPECT_EQ(frame.at("programme").at("id"), w().risk);
    EXPECT_EQ(frame.at("programme").at("name"), "Intern risikokapital");
    EXPECT_EQ(frame.at("amount_ore"), 3 * MNOK);
    EXPECT_EQ(text(frame.at("amount")), "3" + NBSP + "000" + NBSP + "000" + NBSP + "kr");
    EXPECT_EQ(frame.at("reason"), "Årlig ramme");
    EXPECT_EQ(text(frame.at("author").at("name")), w().manager.name);
    EXPECT_TRUE(frame.at("reference").is_null());
    EXPECT_TRUE(frame.at("override").is_null());
    EXPECT_TRUE(frame.at("reverses").is_null());
    static const std::regex ISO(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]0[12]:00)");
    EXPECT_TRUE(std::regex_match(std::string(frame.at("time").as_string()), ISO))
        << frame.at("time");
}

TEST_P(FundsApiHttpTest, LedgerFiltersLikeTheLedgerPage) {
    seed();
    WebSession manager = session_of(w().manager);
    const std::string base = "/api/v1/funds/" + fund() + "/ledger";
    auto body = json_of(get(manager, base + "?kind=commit"));
    EXPECT_EQ(body["total"], 1);
    EXPECT_EQ(body["items"].as_array()[0].at("amount_ore"), 1'234'567 * KR + 50);
    EXPECT_EQ(json_of(get(manager, base + "?programme_id=" + std::to_string(w().risk)))["total"],
              4);
    EXPECT_EQ(json_of(get(manager, base + "?year=2019"))["total"], 1);
    EXPECT_EQ(json_of(get(manager, base))["total"], 8);
}

TEST_P(FundsApiHttpTest, BadParametersAre400WithFieldErrors) {
    WebSession manager = session_of(w().manager);
    RawResponse response =
        get(manager, "/api/v1/funds/" + fund() + "/ledger?page=0&per_page=500&year=abc&kind=gift");
    expect_problem(response, 400, "bad parameters");
    auto body = json_of(response);
    std::set<std::string> fields;
    for (const auto& error : body["errors"].as_array()) {
        fields.insert(std::string(error.at("field").as_string()));
        EXPECT_FALSE(error.at("message").as_string().empty());
    }
    EXPECT_EQ(fields, (std::set<std::string>{"page", "per_page", "year", "kind"}));

    expect_problem(get(manager, "/api/v1/funds/" + fund() + "/ledger?per_page=201"), 400, "201");
    EXPECT_EQ(get(manager, "/api/v1/funds/" + fund() + "/ledger?per_page=200").status, 200);
}

// --- Downloads ---------------------------------------------------------------------------------

TEST_P(FundsApiHttpTest, CsvExportIsAnAttachmentForExcel) {
    seed();
    WebSession manager = session_of(w().manager);
    RawResponse response = get(manager, "/funds/" + fund() + "/ledger.csv?year=2018");
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.header("content-type"), "text/csv; charset=utf-8; header=present");
    EXPECT_EQ(response.header("content-disposition"),
              "attachment; filename=\"ledger-fund-" + fund() + "-2018.csv\"");
    EXPECT_EQ(response.header("x-content-type-options"), "nosniff");
    EXPECT_EQ(response.header("cache-control"), "no-store");
    const std::string& csv = response.body;
    ASSERT_TRUE(csv.starts_with("\xEF\xBB\xBF"));
    // Norwegian by default, headed like the ledger page.
    EXPECT_TRUE(csv.starts_with("\xEF\xBB\xBFNr.;Registrert;År;")) << csv.substr(0, 200);
    EXPECT_TRUE(contains(csv, ";Beløp (kr);")) << csv.substr(0, 200);
    EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 8); // header + 7 entries
    EXPECT_TRUE(contains(csv, ";Intern risikokapital;")) << csv;
    EXPECT_TRUE(contains(csv, ";3000000,00;")) << csv;
    EXPECT_TRUE(contains(csv, ";1234567,50;")) << csv;
    EXPECT_TRUE(contains(csv, ";\"Egenandel; venter på NFR\";")) << csv;
    EXPECT_TRUE(contains(csv, ";\"'=HYPERLINK(\"\"x\"\")\";")) << csv;
    EXPECT_FALSE(contains(csv, "Årlig ramme 2019"));
    // Oldest first.
    EXPECT_LT(csv.find("3000000,00"), csv.find("1234567,50"));
}

TEST_P(FundsApiHttpTest, XlsxExportHasNumericAmounts) {
    seed();
    ASSERT_TRUE(spire::test::unzip_available()) << "unzip is missing: run scripts/install-deps";
    WebSession admin = session_of(w().admin);
    RawResponse response = get(admin, "/funds/" + fund() + "/ledger.xlsx?kind=commit");
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.header("content-type"),
              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    EXPECT_EQ(response.header("content-disposition"),
              "attachment; filename=\"ledger-fund-" + fund() + ".xlsx\"");
    EXPECT_EQ(response.header("x-content-type-options"), "nosniff");
    ASSERT_TRUE(response.body.starts_with("PK"));
    std::string sheet = spire::test::unzip_member(response.body, "xl/worksheets/sheet1.xml");
    ASSERT_FALSE(sheet.empty());
    static const std::regex AMOUNT("<c r=\"F2\"( s=\"\\d+\")?><v>1234567\\.5</v></c>");
    EXPECT_TRUE(std::regex_search(sheet, AMOUNT)) << sheet;
    EXPECT_TRUE(contains(sheet, "<autoFilter ref=\"A1:K2\"/>"));
    EXPECT_TRUE(contains(sheet, "Intern risikokapital"));
}

TEST_P(FundsApiHttpTest, ExportsAnswerLikePages) {
    const std::string csv = "/funds/" + fund() + "/ledger.csv";
    const std::string xlsx = "/funds/" + fund() + "/ledger.xlsx";

    RawResponse anonymous = get(WebSession{}, csv);
    EXPECT_EQ(anonymous.status, 303);
    EXPECT_TRUE(anonymous.header("location").starts_with("/login?next="))
        << anonymous.header("location");

    WebSession decision_maker = session_of(w().decision_maker);
    RawResponse refused = get(decision_maker, xlsx);
    EXPECT_EQ(refused.status, 403);
    EXPECT_TRUE(refused.header("content-type").starts_with("text/html"));
    EXPECT_TRUE(refused.header("content-disposition").empty());

    WebSession reviewer = session_of(w().reviewer);
    EXPECT_EQ(get(reviewer, csv).status, 403);

    WebSession asker = session_of(w().asker_admin);
    EXPECT_EQ(get(asker, csv).status, 404);
    EXPECT_EQ(get(asker, xlsx).status, 404);

    WebSession manager = session_of(w().manager);
    EXPECT_EQ(get(manager, csv + "?year=abc").status, 400);
    EXPECT_EQ(get(manager, "/funds/999999/ledger.xlsx").status, 404);
    // An empty ledger is a file with its header row.
    RawResponse empty = get(manager, csv);
    EXPECT_EQ(empty.status, 200);
    EXPECT_EQ(std::count(empty.body.begin(), empty.body.end(), '\n'), 1);
}

INSTANTIATE_TEST_SUITE_P(BothEngines, FundsApiHttpTest,
                         ::testing::ValuesIn(spire::test::ALL_ENGINES),
                         spire::test::engine_test_name);

} // namespace
