// `spire demo --scale national` at a small scale on both engines: the data
// is consistent (totals match their lines, organisation numbers pass MOD11,
// every application is searchable, references hold), deterministic for a
// seed, and readable through ApplicationsService (staff list and search).

#include "app/demo.hpp"
#include "app/demo_national.hpp"
#include "applications/service.hpp"
#include "db/database.hpp"
#include "identity/password.hpp"
#include "identity/service.hpp"
#include "support/test_db.hpp"

#include <gtest/gtest.h>
#include <map>
#include <soci/soci.h>
#include <string>
#include <vector>

namespace {

using namespace spire;
using identity::Actor;

class NationalDemoTest : public spire::test::MigratedDatabaseTest {
protected:
    static const std::string& password_hash() {
        static const std::string hash = identity::hash_password(app::DEMO_PASSWORD);
        return hash;
    }

    static app::NationalOptions small(std::uint64_t seed) {
        app::NationalOptions options;
        options.seed = seed;
        options.organisations = 5;
        options.applications = 500;
        options.password_hash = password_hash();
        return options;
    }

    long long count(const std::string& sql) { return count_in(db(), sql); }

    static long long count_in(db::Database& database, const std::string& sql) {
        return database.read([&](soci::session& session) {
            long long value = 0;
            session << sql, soci::into(value);
            return value;
        });
    }

    // Enough of the data to tell two generations apart: titles, statuses,
    // amounts, partners, answers, in id order.
    static std::string fingerprint(db::Database& database) {
        return database.read([&](soci::session& session) {
            std::string all;
            // Text only: SOCI's integer types differ between the engines.
            soci::rowset<std::string> rows = (session.prepare << R"(
                SELECT CAST(a.id AS TEXT) || '|' || a.title || '|' || a.status || '|' ||
                       CAST(a.budget_total_ore AS TEXT) || '|' ||
                       CAST(a.requested_ore AS TEXT) || '|' || a.created_at || '|' ||
                       u.name || '|' ||
                       CAST((SELECT COUNT(*) FROM application_partner p
                             WHERE p.application_id = a.id) AS TEXT) || '|' ||
                       CAST((SELECT COUNT(*) FROM application_answer w
                             WHERE w.application_id = a.id) AS TEXT)
                FROM application a JOIN org_unit u ON u.id = a.unit_id ORDER BY a.id)");
            for (const auto& row : rows)
                all += row + "\n";
            return all;
        });
    }
};

// Brønnøysundregistrene's MOD11: weights 3 2 7 6 5 4 3 2 on the first
// eight digits; the check digit is 11 - sum % 11 (11 -> 0, 10 invalid).
bool valid_organisation_number(const std::string& number) {
    if (number.size() != 9)
        return false;
    static constexpr int WEIGHTS[] = {3, 2, 7, 6, 5, 4, 3, 2};
    int sum = 0;
    for (std::size_t i = 0; i < 9; ++i) {
        if (number[i] < '0' || number[i] > '9')
            return false;
        if (i < 8)
            sum += (number[i] - '0') * WEIGHTS[i];
    }
    int check = 11 - sum % 11;
    if (check == 11)
        check = 0;
    return check != 10 && check == number[8] - '0';
}

TEST_P(NationalDemoTest, MakesConsistentData) {
    auto made = app::create_national_demo(db(), small(7));
    ASSERT_TRUE(made) << made.error().message;
    EXPECT_EQ(made->organisations, 5);
    EXPECT_EQ(made->applications, 500);
    EXPECT_EQ(made->largest_slug, "oslo");

    EXPECT_EQ(count("SELECT COUNT(*) FROM organisation"), 5);
    EXPECT_EQ(count("SELECT COUNT(*) FROM application"), 500);
    // Zipf-like: the largest organisation has the most applications.
    EXPECT_GT(count("SELECT COUNT(*) FROM application a JOIN organisation o ON "
                    "o.id = a.organisation_id WHERE o.slug = 'oslo'"),
              count("SELECT COUNT(*) FROM application a JOIN organisation o ON "
                    "o.id = a.organisation_id WHERE o.slug = 'stavanger'"));

    // Statuses: mostly submitted, some of each other.
    std::map<std::string, long long> by_status;
    for (const char* status : {"draft", "awaiting_endorsement", "submitted", "withdrawn"}) {
        by_status[status] =
            count(std::string("SELECT COUNT(*) FROM application WHERE status = '") + status + "'");
        EXPECT_GT(by_status[status], 0) << status;
    }
    EXPECT_GT(by_status["submitted"], 300);

    // Totals kept in step with their lines.
    EXPECT_EQ(count("SELECT COUNT(*) FROM application a WHERE a.budget_total_ore <> "
                    "COALESCE((SELECT SUM(b.amount_ore) FROM application_budget_line b "
                    "WHERE b.application_id = a.id), 0)"),
              0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM application a WHERE a.requested_ore <> "
                    "COALESCE((SELECT SUM(f.cash_ore) FROM application_financing_line f "
                    "WHERE f.application_id = a.id AND f.source = 'fund'), 0)"),
              0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM application a WHERE a.budget_total_ore <> "
                    "COALESCE((SELECT SUM(f.cash_ore + f.in_kind_hours * "
                    "f.hourly_rate_ore) "
                    "FROM application_financing_line f WHERE f.application_id = a.id), "
                    "0)"),
              0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM application a JOIN fund_call c ON c.id "
                    "= a.call_id "
                    "WHERE a.requested_ore > c.max_amount_ore"),
              0);
    // Whatever was ever submitted is complete.
    EXPECT_EQ(count("SELECT COUNT(*) FROM application WHERE submitted_at IS NOT NULL AND "
                    "(budget_total_ore <= 0 OR requested_ore <= 0)"),
              0);
    // Research co-funding: the own share meets the external call's requirement.
    EXPECT_GT(count("SELECT COUNT(*) FROM application WHERE external_call_id IS "
                    "NOT NULL"),
              0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM application a JOIN external_call e ON "
                    "e.id = a.external_call_id WHERE (a.project_total_ore - "
                    "a.external_applied_ore) * 100 < e.required_own_share_percent * "
                    "a.project_total_ore"),
              0);
    // Social entrepreneurs: a partnership model and a social entrepreneur.
    EXPECT_EQ(count("SELECT COUNT(*) FROM application a JOIN fund_call c ON c.id = "
                    "a.call_id "
                    "JOIN programme p ON p.id = c.programme_id WHERE p.kind = "
                    "'social_entrepreneurs' AND a.submitted_at IS NOT NULL AND "
                    "(a.partnership_model_id IS NULL OR NOT EXISTS (SELECT 1 FROM "
                    "application_partner x WHERE x.application_id = a.id AND "
                    "x.kind = 'social_entrepreneur'))"),
              0);

    // Criteria weights sum to 100 per call; every call has a form.
    EXPECT_EQ(count("SELECT COUNT(*) FROM (SELECT call_id, SUM(weight_percent) "
                    "AS total FROM "
                    "call_criterion GROUP BY call_id) t WHERE t.total <> 100"),
              0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM fund_call c WHERE NOT EXISTS (SELECT 1 FROM "
                    "form_field f WHERE f.call_id = c.id AND f.kind = 'file')"),
              0);
    // Frames: 4 programmes × 4 years per fund.
    EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_entry WHERE kind = 'frame'"), 5 * 16);

    // Partners' organisation numbers pass MOD11.
    auto numbers = db().read([](soci::session& session) {
        std::vector<std::string> all;
        soci::rowset<std::string> rows =
            (session.prepare << "SELECT organisation_number FROM application_partner");
        for (const auto& number : rows)
            all.push_back(number);
        return all;
    });
    ASSERT_FALSE(numbers.empty());
    for (const auto& number : numbers)
        EXPECT_TRUE(valid_organisation_number(number)) << number;

    // Revisions: one for everything submitted (withdrawn ones included).
    EXPECT_EQ(count("SELECT COUNT(*) FROM application_revision"),
              by_status["submitted"] + by_status["withdrawn"]);
    EXPECT_EQ(count("SELECT COUNT(*) FROM application a WHERE a.revision_count "
                    "<> (SELECT "
                    "COUNT(*) FROM application_revision r WHERE r.application_id "
                    "= a.id)"),
              0);
    // History: starts as a draft and ends in the current status.
    EXPECT_EQ(count("SELECT COUNT(*) FROM application a WHERE a.status <> "
                    "(SELECT s.to_status "
                    "FROM application_status_change s WHERE s.application_id = "
                    "a.id ORDER BY "
                    "s.id DESC LIMIT 1)"),
              0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM application_status_change WHERE "
                    "from_status IS NULL"),
              500);

    // Every application searchable; attachments have their content.
    EXPECT_EQ(count("SELECT COUNT(*) FROM application_search"), 500);
    EXPECT_EQ(count("SELECT COUNT(*) FROM attachment"),
              count("SELECT COUNT(*) FROM attachment_content"));

    // References that PostgreSQL may not have checked while loading as a
    // superuser (the loader skips foreign-key triggers there).
    EXPECT_EQ(count("SELECT COUNT(*) FROM application a WHERE NOT EXISTS (SELECT 1 FROM "
                    "org_unit u WHERE u.id = a.unit_id AND u.organisation_id = "
                    "a.organisation_id AND u.kind = 'service_unit')"),
              0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM application a WHERE NOT EXISTS (SELECT 1 FROM "
                    "fund_call c WHERE c.id = a.call_id AND c.organisation_id = "
                    "a.organisation_id)"),
              0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM application_answer w WHERE NOT EXISTS (SELECT "
                    "1 "
                    "FROM application a JOIN form_field f ON f.call_id = a.call_id WHERE "
                    "a.id = w.application_id AND f.id = w.field_id)"),
              0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM application_answer w WHERE w.option_id "
                    "IS NOT NULL "
                    "AND NOT EXISTS (SELECT 1 FROM form_field_option o WHERE "
                    "o.id = w.option_id "
                    "AND o.field_id = w.field_id)"),
              0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM role_grant g WHERE NOT EXISTS (SELECT 1 FROM "
                    "app_user u WHERE u.id = g.user_id AND u.organisation_id = "
                    "g.organisation_id)"),
              0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM application_status_change s WHERE "
                    "s.user_id IS NOT "
                    "NULL AND NOT EXISTS (SELECT 1 FROM app_user u WHERE u.id = "
                    "s.user_id)"),
              0);

    // Reviews (issue 6 §8): three per submitted application, by reviewers
    // of the same organisation in the call's pool, never one who declared
    // a conflict; a submitted review scores every criterion of its call.
    const long long submitted =
        count("SELECT COUNT(*) FROM application WHERE status = 'submitted'");
    EXPECT_GT(submitted, 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM review_assignment WHERE status <> 'withdrawn'"),
              3 * submitted);
    EXPECT_GT(count("SELECT COUNT(*) FROM review_assignment WHERE status = 'submitted'"),
              2 * submitted);
    EXPECT_EQ(count("SELECT COUNT(*) FROM review_assignment r WHERE NOT EXISTS (SELECT 1 FROM "
                    "application a WHERE a.id = r.application_id AND a.call_id = r.call_id AND "
                    "a.organisation_id = r.organisation_id AND a.status = 'submitted')"),
              0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM review_assignment r WHERE NOT EXISTS (SELECT 1 FROM "
                    "call_reviewer p JOIN role_grant g ON g.user_id = p.user_id AND g.role = "
                    "'reviewer' WHERE p.call_id = r.call_id AND p.user_id = r.reviewer_id AND "
                    "p.organisation_id = r.organisation_id)"),
              0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM review_assignment r JOIN conflict_declaration d ON "
                    "d.application_id = r.application_id AND d.reviewer_id = r.reviewer_id "
                    "WHERE d.conflict = 1 AND r.status <> 'withdrawn'"),
              0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM review_assignment r WHERE r.status = 'submitted' AND "
                    "(SELECT COUNT(*) FROM review_score s WHERE s.assignment_id = r.id) <> "
                    "(SELECT COUNT(*) FROM call_criterion c WHERE c.call_id = r.call_id)"),
              0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM review_score s WHERE s.score < 1 OR s.score > 7 OR "
                    "NOT EXISTS (SELECT 1 FROM review_assignment r JOIN call_criterion c ON "
                    "c.call_id = r.call_id WHERE r.id = s.assignment_id AND c.id = "
                    "s.criterion_id)"),
              0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM fund_call c WHERE NOT EXISTS (SELECT 1 FROM "
                    "call_review_settings s WHERE s.call_id = c.id)"),
              0);

    // The load skips the ranking input triggers (SQLite drops and remakes
    // them); afterwards they bump the call's version as before.
    const long long call = count("SELECT MIN(call_id) FROM review_assignment WHERE status = "
                                 "'submitted'");
    ASSERT_GT(call, 0);
    const auto version = [&] {
        return count(
            "SELECT COALESCE(MAX(version), 0) FROM ranking_input_version WHERE call_id = " +
            std::to_string(call));
    };
    const long long before = version();
    db().transact([&](soci::session& sql) {
        sql << "UPDATE review_score SET score = score WHERE assignment_id = (SELECT MIN(id) FROM "
               "review_assignment WHERE status = 'submitted' AND call_id = " +
                   std::to_string(call) + ")";
    });
    EXPECT_GT(version(), before);

    // The staff counts are exact after the load (its triggers were skipped
    // or dropped, the counts made afresh), and the triggers are back: a
    // status change moves one application between the groups.
    const std::string mismatches =
        "SELECT COUNT(*) FROM (SELECT organisation_id, fund_id, status, COUNT(*) AS n FROM "
        "application WHERE revision_count > 0 GROUP BY organisation_id, fund_id, status) a "
        "FULL OUTER JOIN application_staff_count c ON c.organisation_id = a.organisation_id AND "
        "c.fund_id = a.fund_id AND c.status = a.status WHERE COALESCE(a.n, 0) <> "
        "COALESCE(c.applications, 0)";
    EXPECT_EQ(count(mismatches), 0);
    EXPECT_GT(count("SELECT COUNT(*) FROM application_staff_count"), 0);
    // The same for the themes' counts (005_theme_count.*.sql).
    const std::string theme_mismatches =
        "SELECT COUNT(*) FROM (SELECT a.organisation_id, t.theme, a.fund_id, a.status, COUNT(*) "
        "AS n FROM application_theme t JOIN application a ON a.id = t.application_id WHERE "
        "a.revision_count > 0 GROUP BY a.organisation_id, t.theme, a.fund_id, a.status) a "
        "FULL OUTER JOIN application_theme_count c ON c.organisation_id = a.organisation_id AND "
        "c.theme = a.theme AND c.fund_id = a.fund_id AND c.status = a.status WHERE "
        "COALESCE(a.n, 0) <> COALESCE(c.applications, 0)";
    EXPECT_EQ(count(theme_mismatches), 0);
    EXPECT_GT(count("SELECT COUNT(*) FROM application_theme_count"), 0);
    db().transact([&](soci::session& sql) {
        sql << "UPDATE application SET status = 'withdrawn' WHERE id = (SELECT MIN(a.id) FROM "
               "application a JOIN application_theme t ON t.application_id = a.id WHERE "
               "a.status = 'submitted')";
    });
    EXPECT_EQ(count(mismatches), 0);
    EXPECT_EQ(count(theme_mismatches), 0);

    // A second run refuses: the database has organisations now.
    auto again = app::create_national_demo(db(), small(7));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().kind, ErrorKind::Conflict);
}

TEST_P(NationalDemoTest, SameSeedSameDataOtherSeedOtherData) {
    ASSERT_TRUE(app::create_national_demo(db(), small(11)));
    auto same = test::migrated_database(engine(), 2);
    ASSERT_TRUE(app::create_national_demo(same->db(), small(11)));
    auto other = test::migrated_database(engine(), 2);
    ASSERT_TRUE(app::create_national_demo(other->db(), small(12)));

    const std::string first = fingerprint(db());
    EXPECT_FALSE(first.empty());
    EXPECT_EQ(first, fingerprint(same->db()));
    EXPECT_NE(first, fingerprint(other->db()));
}

TEST_P(NationalDemoTest, FundManagerListsAndSearchesTheGeneratedApplications) {
    ASSERT_TRUE(app::create_national_demo(db(), small(7)));
    auto opened = db::Database::open(test_database().url(), 2);
    ASSERT_TRUE(opened);
    std::shared_ptr<db::Database> database(std::move(*opened));
    identity::IdentityService identity(database);
    applications::ApplicationsService service(database);

    auto oslo = identity.organisation_by_slug("oslo");
    ASSERT_TRUE(oslo);
    const long long manager_id = count("SELECT id FROM app_user WHERE email = '" +
                                       app::national_fund_manager_email("oslo") + "'");
    auto detail = identity.user_detail(Actor::system("test"), oslo->id, manager_id);
    ASSERT_TRUE(detail) << detail.error().message;
    identity::Principal manager;
    manager.user_id = detail->user.id;
    manager.organisation_id = detail->user.organisation_id;
    manager.name = detail->user.name;
    manager.email = detail->user.email;
    manager.grants = detail->grants;
    const Actor actor = Actor::web(&manager, "test");

    auto page = service.list(actor, applications::ListFilter{});
    ASSERT_TRUE(page) << page.error().message;
    EXPECT_EQ(page->total, count("SELECT COUNT(*) FROM application a JOIN organisation o ON "
                                 "o.id = a.organisation_id WHERE o.slug = 'oslo' AND "
                                 "a.submitted_at IS NOT "
                                 "NULL"));
    EXPECT_EQ(page->rows.size(), 50u);

    // Titles are searchable, inflected or not.
    long long found = 0;
    for (const auto& word : app::national_search_words()) {
        applications::ListFilter filter;
        filter.query = word;
        auto hits = service.list(actor, filter);
        ASSERT_TRUE(hits) << word << ": " << hits.error().message;
        found += hits->total > 0 ? 1 : 0;
    }
    EXPECT_GT(found, static_cast<long long>(app::national_search_words().size()) / 2);

    auto one = service.get(actor, page->rows.front().id);
    ASSERT_TRUE(one) << one.error().message;
    EXPECT_FALSE(one->budget.empty());
    EXPECT_EQ(one->revision_count, 1);
}

INSTANTIATE_TEST_SUITE_P(BothEngines, NationalDemoTest,
                         ::testing::ValuesIn(spire::test::ALL_ENGINES),
                         spire::test::engine_test_name);

} // namespace
