// The ranking page, its exports and cache (issue 6 §5, §6) over loopback on
// both engines: the calibrated ranking with intervals and the rank plot for
// the fund's staff, identical numbers from `spire rank` on the downloaded
// review-data file, the cache used until the data changes, the empty states
// (no applications, no reviews: no NaN anywhere), screening and
// disqualification (a user's conflicted row is never shown to them), and
// who may see it.
//
// The review workflow's store is written in parallel, so the reviews this
// test needs are inserted with SQL by support/ranked_call (shared with the
// allocation page tests).

#include "app/application.hpp"
#include "app/rank_command.hpp"
#include "applications/service.hpp"
#include "db/database.hpp"
#include "identity/service.hpp"
#include "review/ranking_file.hpp"
#include "review/ranking_service.hpp"
#include "review/ranking_store.hpp"
#include "support/app_paths.hpp"
#include "support/browser.hpp"
#include "support/ranked_call.hpp"
#include "support/test_db.hpp"
#include "support/test_server.hpp"

#include <algorithm>
#include <chrono>
#include <gtest/gtest.h>
#include <map>
#include <memory>
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
using spire::test::RawResponse;

namespace {

constexpr const char* PASSWORD = spire::test::RANKED_CALL_PASSWORD;

template <class T>
T must(spire::Result<T> result) {
    EXPECT_TRUE(result) << (result ? "" : result.error().message);
    return result ? std::move(*result) : T{};
}

// No number on a page or in a file may be NaN or infinite.
void expect_no_nan(const std::string& text, const std::string& what) {
    for (const char* bad : {"nan", "NaN", "NAN", "inf", "Inf"})
        EXPECT_FALSE(
            contains(text, std::string(">") + bad) || contains(text, std::string(";") + bad) ||
            contains(text, std::string(" ") + bad + "<") || contains(text, std::string(": ") + bad))
            << what << " contains " << bad;
}

std::size_t occurrences(const std::string& text, const std::string& part) {
    std::size_t count = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1))
        ++count;
    return count;
}

// The references in the order the table lists them.
std::vector<std::string> table_references(const std::string& page,
                                          const std::vector<std::string>& references) {
    std::vector<std::pair<std::size_t, std::string>> found;
    const std::size_t table = page.find("id=\"ranking-table\"");
    for (const auto& reference : references) {
        auto at = page.find("<td>" + reference + "<br>", table);
        if (at != std::string::npos)
            found.push_back({at, reference});
    }
    std::sort(found.begin(), found.end());
    std::vector<std::string> order;
    for (const auto& [at, reference] : found)
        order.push_back(reference);
    return order;
}

class RankingPagesTest : public ::testing::TestWithParam<spire::db::Engine> {
protected:
    void SetUp() override {
        m_test_db = spire::test::migrated_database(GetParam());
        m_database = std::shared_ptr<spire::db::Database>(std::shared_ptr<spire::db::Database>(),
                                                          &m_test_db->db());
        m_ranking = std::make_shared<spire::review::RankingService>(m_database);
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

    std::string ranking_path(Id call) const {
        return "/calls/" + std::to_string(call) + "/manage/ranking";
    }

    std::unique_ptr<Browser> logged_in(const std::string& email) {
        auto browser = std::make_unique<Browser>(m_server->port());
        EXPECT_TRUE(browser->log_in(email, PASSWORD)) << email;
        return browser;
    }

    std::unique_ptr<spire::test::TestDatabase> m_test_db;
    std::shared_ptr<spire::db::Database> m_database;
    spire::test::RankedCall m_world;
    std::shared_ptr<spire::review::RankingService> m_ranking;
    std::unique_ptr<spire::app::Application> m_app;
    std::unique_ptr<spire::test::TestServer> m_server;
};

} // namespace

TEST_P(RankingPagesTest, TheFundManagerSeesTheCalibratedRankingWithIntervalsAndAPlot) {
    m_world.six_reviewed_applications();
    auto manager = logged_in("frida@test.no");
    RawResponse page = manager->get(ranking_path(m_world.call));
    ASSERT_EQ(page.status, 200) << page.body;
    const std::string& body = page.body;
    EXPECT_EQ(occurrences(body, "<h1"), 1u);
    EXPECT_TRUE(contains(body, "<h1 class=\"ds-heading\" data-size=\"xl\">Rangering</h1>"));
    EXPECT_TRUE(contains(body, "class=\"ds-breadcrumbs breadcrumbs\""));
    EXPECT_TRUE(contains(body, "role=\"img\""));
    EXPECT_TRUE(contains(body, "<title id=\"rank-plot-title\">"));
    EXPECT_TRUE(contains(body, "<desc id=\"rank-plot-desc\">"));
    // The raw weighted mean of the first application, by hand:
    // (0.6·7 + 0.4·7 + 0.6·6 + 0.4·7 + 0.6·7 + 0.4·6) / 3 = 6.67 (nb: 6,67).
    EXPECT_TRUE(contains(body, ">6,67<")) << body;
    // Application 4 has reviews 4.8, 2.4 and 5.4: spread 3.0 ≥ 3 on 1–7.
    EXPECT_TRUE(contains(body, "2,40–5,40 <span class=\"ds-tag\" data-color=\"warning\">"));
    // Applications 5 and 6 miss the minimum of 4 on "Nyskapende".
    EXPECT_TRUE(contains(body, "data-color=\"danger\">Nyskapende</span>"));
    expect_no_nan(body, "the page");

    std::vector<std::string> references;
    for (Id id : m_world.applications_by_quality)
        references.push_back(m_world.reference_of(id));
    auto order = table_references(body, references);
    ASSERT_EQ(order.size(), 6u);
    // Clearly best first and clearly worst last; the default sort is the
    // expected rank.
    EXPECT_EQ(order.front(), references.front());
    EXPECT_EQ(order.back(), references.back());
    EXPECT_TRUE(contains(body, "aria-sort=\"ascending\""));

    // Sorted by reference, descending: a link in the header, no JavaScript.
    RawResponse sorted = manager->get(ranking_path(m_world.call) + "?sort=reference&dir=desc");
    ASSERT_EQ(sorted.status, 200);
    auto by_reference = table_references(sorted.body, references);
    std::vector<std::string> expected = references;
    std::sort(expected.rbegin(), expected.rend());
    EXPECT_EQ(by_reference, expected);
    EXPECT_TRUE(contains(sorted.body, "aria-sort=\"descending\""));
}

TEST_P(RankingPagesTest, ThePageAndSpireRankGiveIdenticalResultsForTheExportedFile) {
    m_world.six_reviewed_applications();
    auto manager = logged_in("frida@test.no");
    RawResponse file = manager->get(ranking_path(m_world.call) + "/review-data.json");
    ASSERT_EQ(file.status, 200) << file.body;
    EXPECT_TRUE(contains(file.header("content-disposition"), "attachment"));
    // The file names no one: ids and numbers only.
    EXPECT_FALSE(contains(file.body, "Fagfelle"));
    EXPECT_FALSE(contains(file.body, "Prosjekt"));

    std::istringstream in(file.body);
    std::ostringstream out, err;
    int code = spire::app::run_rank_command({"-"}, {in, out, err});
    ASSERT_EQ(code, 0) << err.str();

    const auto manager_principal = m_world.principal(m_world.manager, Role::FundManager);
    auto fresh = m_ranking->ranking(Actor::web(&manager_principal, "t"), m_world.call);
    ASSERT_TRUE(fresh);
    EXPECT_EQ(fresh->result_json, out.str());
    // And the cached result (the page above computed it first) is the same.
    auto cached = m_ranking->ranking(Actor::web(&manager_principal, "t"), m_world.call);
    ASSERT_TRUE(cached);
    EXPECT_TRUE(cached->from_cache);
    EXPECT_EQ(cached->result_json, out.str());
    // The page shows the command's numbers: the best application's
    // expected rank and interval as `spire rank` printed them.
    auto printed = spire::review::parse_ranking_result(out.str());
    ASSERT_TRUE(printed);
    ASSERT_FALSE(printed->applications.empty());
    const auto& best = printed->applications.front();
    EXPECT_EQ(best.application_id, std::to_string(m_world.applications_by_quality.front()));
    ASSERT_FALSE(cached->rows.empty());
    EXPECT_EQ(cached->rows.front().ranking.expected_rank, best.expected_rank);
    EXPECT_EQ(cached->rows.front().ranking.rank_90, best.rank_90);
}

TEST_P(RankingPagesTest, TheCacheIsUsedUntilTheReviewDataChanges) {
    m_world.six_reviewed_applications();
    const auto manager = m_world.principal(m_world.manager, Role::FundManager);
    const Actor actor = Actor::web(&manager, "t");
    auto first = m_ranking->ranking(actor, m_world.call);
    ASSERT_TRUE(first);
    EXPECT_FALSE(first->from_cache);
    EXPECT_EQ(first->state, spire::review::RankingPageState::Ranked);
    auto second = m_ranking->ranking(actor, m_world.call);
    ASSERT_TRUE(second);
    EXPECT_TRUE(second->from_cache);
    EXPECT_EQ(second->result_json, first->result_json);

    // A changed score makes the cached result stale, even though nobody
    // cleared the cache row.
    m_world.change_score(m_world.applications_by_quality.back(), m_world.reviewers[1], 7);
    auto third = m_ranking->ranking(actor, m_world.call);
    ASSERT_TRUE(third);
    EXPECT_FALSE(third->from_cache);
    EXPECT_NE(third->result_json, first->result_json);

    // Another process (a new service) reads the cached row; one that does
    // not read back is recomputed, not trusted.
    spire::review::RankingService other_process(m_database);
    auto from_row = other_process.ranking(actor, m_world.call);
    ASSERT_TRUE(from_row);
    EXPECT_TRUE(from_row->from_cache);
    EXPECT_EQ(from_row->result_json, third->result_json);
    m_database->transact([&](soci::session& sql) {
        long long call = m_world.call;
        sql << "UPDATE ranking_cache SET result_json = '{\"version\": 1' WHERE call_id = :call",
            soci::use(call, "call");
    });
    spire::review::RankingService third_process(m_database);
    auto fourth = third_process.ranking(actor, m_world.call);
    ASSERT_TRUE(fourth);
    EXPECT_FALSE(fourth->from_cache);
    EXPECT_EQ(fourth->result_json, third->result_json);

    // Drafts and withdrawn reviews do not count.
    Id extra = m_world.submitted_application(m_world.call, "Sent prosjekt");
    m_world.add_review(m_world.call, extra, m_world.reviewers[0], 7, 7, "assigned");
    m_world.add_review(m_world.call, extra, m_world.reviewers[1], 7, 7, "withdrawn");
    auto fifth = m_ranking->ranking(actor, m_world.call);
    ASSERT_TRUE(fifth);
    EXPECT_EQ(fifth->review_count, 18u);
    auto row = std::find_if(fifth->rows.begin(), fifth->rows.end(),
                            [&](const auto& r) { return r.application.id == extra; });
    ASSERT_NE(row, fifth->rows.end());
    EXPECT_EQ(row->ranking.review_count, 0);
    // Unreviewed: after every reviewed application.
    EXPECT_GT(row->ranking.expected_rank, 6.0);
}

// The cache trusts the call's ranking input version, which triggers bump in
// the writer's transaction: every kind of input change must bump it (and
// only the changed call's), whoever makes it, here plain SQL and services.
TEST_P(RankingPagesTest, EveryChangeToTheRankingInputBumpsTheCallsVersion) {
    m_world.six_reviewed_applications();
    const auto version_of = [&](Id call) {
        return m_database->read([&](soci::session& sql) {
            return spire::review::ranking_store::input_version(sql, call);
        });
    };
    const auto sql_change = [&](const std::string& statement) {
        m_database->transact([&](soci::session& sql) { sql << statement; });
    };
    const Id best = m_world.applications_by_quality.front();
    const std::string call = std::to_string(m_world.call);
    const std::int64_t empty_call_before = version_of(m_world.empty_call);
    std::int64_t last = version_of(m_world.call);
    EXPECT_GT(last, 0); // the submissions, assignments and scores above
    const auto expect_bumped = [&](const std::string& what) {
        const std::int64_t now = version_of(m_world.call);
        EXPECT_GT(now, last) << what;
        last = now;
    };

    m_world.change_score(best, m_world.reviewers[0], 3);
    expect_bumped("a changed score");
    sql_change(
        "DELETE FROM review_score WHERE criterion_id = " + std::to_string(m_world.feasibility) +
        " AND assignment_id = (SELECT MIN(id) FROM review_assignment WHERE call_id = " + call +
        ")");
    expect_bumped("a deleted score");
    sql_change("UPDATE review_assignment SET status = 'withdrawn' WHERE id = (SELECT MAX(id) FROM "
               "review_assignment WHERE call_id = " +
               call + ")");
    expect_bumped("a withdrawn review");
    m_world.declare_conflict(best, m_world.reviewers[3]);
    expect_bumped("a declared conflict");
    sql_change(
        "UPDATE conflict_declaration SET conflict = 0, category = NULL WHERE application_id = " +
        std::to_string(best));
    expect_bumped("a conflict taken back");
    m_world.screen_out(m_world.applications_by_quality.back());
    expect_bumped("a screening");
    sql_change("UPDATE call_criterion SET weight_percent = 50 WHERE id = " +
               std::to_string(m_world.innovation));
    expect_bumped("a criterion's weight");
    sql_change("INSERT INTO call_review_settings (call_id, organisation_id, ranking_seed, "
               "updated_at) VALUES (" +
               call + ", " + std::to_string(m_world.organisation) +
               ", 42, '2018-03-01T10:00:00.000000Z')");
    expect_bumped("the review settings (seed)");
    const auto applicant = m_world.principal(m_world.applicant, Role::Applicant);
    ASSERT_TRUE(
        m_world.applications->withdraw(Actor::web(&applicant, "t"), best, "Trekker søknaden"));
    expect_bumped("a withdrawn application");

    // A draft's edits change nothing the ranking reads.
    const Id draft = must(m_world.applications->create(Actor::web(&applicant, "t"), m_world.call,
                                                       m_world.unit, "Utkast"));
    EXPECT_EQ(version_of(m_world.call), last) << "a new draft";
    sql_change("UPDATE application SET title = 'Nytt utkast' WHERE id = " + std::to_string(draft));
    EXPECT_EQ(version_of(m_world.call), last) << "a draft's title";
    EXPECT_EQ(version_of(m_world.empty_call), empty_call_before) << "another call";
}

// A cached row is used only when stamped with the current version.
TEST_P(RankingPagesTest, ACacheRowStampedWithAnOlderVersionIsRecomputed) {
    m_world.six_reviewed_applications();
    const auto manager = m_world.principal(m_world.manager, Role::FundManager);
    const Actor actor = Actor::web(&manager, "t");
    auto first = m_ranking->ranking(actor, m_world.call);
    ASSERT_TRUE(first);
    EXPECT_FALSE(first->from_cache);
    m_database->transact([&](soci::session& sql) {
        sql << "UPDATE ranking_cache SET input_version = input_version - 1";
    });
    spire::review::RankingService other_process(m_database);
    auto second = other_process.ranking(actor, m_world.call);
    ASSERT_TRUE(second);
    EXPECT_FALSE(second->from_cache);
    EXPECT_EQ(second->result_json, first->result_json);
    EXPECT_EQ(second->review_count, first->review_count);
    EXPECT_EQ(second->reviewer_count, first->reviewer_count);
    spire::review::RankingService third_process(m_database);
    auto third = third_process.ranking(actor, m_world.call);
    ASSERT_TRUE(third);
    EXPECT_TRUE(third->from_cache);
    EXPECT_EQ(third->review_count, 18u);
    EXPECT_EQ(third->reviewer_count, 4u);
}

TEST_P(RankingPagesTest, ZeroReviewsGiveAClearEmptyStateAndNoNaNAnywhere) {
    m_world.submitted_application(m_world.call, "Uten vurdering 1");
    m_world.submitted_application(m_world.call, "Uten vurdering 2");
    auto manager = logged_in("frida@test.no");
    RawResponse page = manager->get(ranking_path(m_world.call));
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "class=\"empty-state\""));
    EXPECT_FALSE(contains(page.body, "role=\"img\"")); // nothing to plot
    EXPECT_TRUE(contains(page.body, "Uten vurdering 1"));
    expect_no_nan(page.body, "the page");
    for (const char* suffix : {".csv", ".xlsx", "/review-data.json"}) {
        RawResponse file = manager->get(ranking_path(m_world.call) + suffix);
        EXPECT_EQ(file.status, 200) << suffix;
        expect_no_nan(file.body, suffix);
    }
    RawResponse file = manager->get(ranking_path(m_world.call) + "/review-data.json");
    std::istringstream in(file.body);
    std::ostringstream out, err;
    ASSERT_EQ(spire::app::run_rank_command({"-"}, {in, out, err}), 0) << err.str();
    EXPECT_TRUE(contains(out.str(), "\"state\": \"no_reviews\""));
    EXPECT_FALSE(contains(out.str(), "nan"));

    // A call without any application says so.
    RawResponse empty = manager->get(ranking_path(m_world.empty_call));
    ASSERT_EQ(empty.status, 200);
    EXPECT_TRUE(contains(empty.body, "class=\"empty-state\""));
    EXPECT_FALSE(contains(empty.body, "id=\"ranking-table\""));
}

TEST_P(RankingPagesTest, AConflictHidesThatApplicationsRowFromTheDeclarer) {
    m_world.six_reviewed_applications();
    const Id hidden = m_world.applications_by_quality[2];
    const std::string hidden_reference = m_world.reference_of(hidden);
    m_world.declare_conflict(hidden, m_world.conflicted_manager);

    auto conflicted = logged_in("kari@test.no");
    RawResponse page = conflicted->get(ranking_path(m_world.call));
    ASSERT_EQ(page.status, 200);
    EXPECT_FALSE(contains(page.body, hidden_reference));
    EXPECT_FALSE(contains(page.body, "Prosjekt 3"));
    EXPECT_TRUE(contains(page.body, "Prosjekt 4"));
    RawResponse csv = conflicted->get(ranking_path(m_world.call) + ".csv");
    ASSERT_EQ(csv.status, 200);
    EXPECT_FALSE(contains(csv.body, hidden_reference));
    EXPECT_TRUE(contains(csv.body, "Prosjekt 4"));
    // The review-data file holds every score: refused, with the reason.
    RawResponse data = conflicted->get(ranking_path(m_world.call) + "/review-data.json");
    EXPECT_EQ(data.status, 403);
    EXPECT_TRUE(contains(data.body, "<h1"));

    // Someone without a conflict sees the row.
    auto manager = logged_in("frida@test.no");
    RawResponse full = manager->get(ranking_path(m_world.call));
    ASSERT_EQ(full.status, 200);
    EXPECT_TRUE(contains(full.body, hidden_reference));
}

TEST_P(RankingPagesTest, ApplicationsScreenedOutLeaveTheRanking) {
    m_world.six_reviewed_applications();
    const Id out = m_world.applications_by_quality[0];
    m_world.screen_out(out);
    const auto manager = m_world.principal(m_world.manager, Role::FundManager);
    auto ranking = m_ranking->ranking(Actor::web(&manager, "t"), m_world.call);
    ASSERT_TRUE(ranking);
    EXPECT_EQ(ranking->rows.size(), 5u);
    EXPECT_EQ(ranking->review_count, 15u);
    for (const auto& row : ranking->rows)
        EXPECT_NE(row.application.id, out);
    EXPECT_EQ(ranking->rows.front().application.id, m_world.applications_by_quality[1]);
}

TEST_P(RankingPagesTest, OnlyTheFundsStaffSeeTheRankingAndOtherTenantsGetNotFound) {
    m_world.six_reviewed_applications();
    const std::string path = ranking_path(m_world.call);
    for (const char* email : {"frida@test.no", "dag@test.no", "aud@test.no"}) {
        auto user = logged_in(email);
        for (const char* suffix : {"", ".csv", ".xlsx", "/review-data.json"})
            EXPECT_EQ(user->get(path + suffix).status, 200) << email << suffix;
    }
    for (const char* email : {"anne@test.no", "rolf@test.no", "adam@test.no"}) {
        auto user = logged_in(email);
        for (const char* suffix : {"", ".csv", ".xlsx", "/review-data.json"}) {
            RawResponse refused = user->get(path + suffix);
            EXPECT_EQ(refused.status, 403) << email << suffix;
            EXPECT_FALSE(contains(refused.body, "Prosjekt 1")) << email << suffix;
        }
    }
    auto other = logged_in("olga@annen.no");
    for (const char* suffix : {"", ".csv", ".xlsx", "/review-data.json"})
        EXPECT_EQ(other->get(path + suffix).status, 404) << suffix;
    Browser anonymous(m_server->port());
    RawResponse login = anonymous.get(path);
    EXPECT_EQ(login.status, 303);
    EXPECT_EQ(login.header("location").rfind("/login?next=", 0), 0u);
}

TEST_P(RankingPagesTest, TheExportsHoldTheTableAsCsvAndXlsx) {
    m_world.six_reviewed_applications();
    auto manager = logged_in("frida@test.no");
    RawResponse csv = manager->get(ranking_path(m_world.call) + ".csv");
    ASSERT_EQ(csv.status, 200);
    EXPECT_TRUE(contains(csv.header("content-type"), "text/csv"));
    EXPECT_EQ(csv.body.rfind("\xEF\xBB\xBF", 0), 0u);
    // Header and one line per application.
    EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), 7);
    EXPECT_TRUE(contains(csv.body, ";6,67;")); // the best one's raw mean
    RawResponse xlsx = manager->get(ranking_path(m_world.call) + ".xlsx");
    ASSERT_EQ(xlsx.status, 200);
    EXPECT_EQ(xlsx.body.rfind("PK", 0), 0u);
    EXPECT_TRUE(contains(xlsx.header("content-type"), "spreadsheetml"));
}

INSTANTIATE_TEST_SUITE_P(BothEngines, RankingPagesTest,
                         ::testing::ValuesIn(spire::test::ALL_ENGINES),
                         spire::test::engine_test_name);
