// The migrations runner on both engines, with the embedded migrations and
// with test-local migration sets.

#include "db/database.hpp"
#include "db/migrations.hpp"
#include "support/test_db.hpp"

#include <gtest/gtest.h>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using spire::ErrorKind;
using spire::db::Database;
using spire::db::EmbeddedMigration;
using spire::db::Engine;
using spire::db::MigrationStep;

class MigrationTest : public spire::test::DatabaseTest {
protected:
    bool table_exists(const std::string& table) {
        return db().read([&](soci::session& session) {
            std::string name = table;
            int exists = 0;
            session << spire::db::dialect::table_exists_query(engine()), soci::use(name, "name"),
                soci::into(exists);
            return exists != 0;
        });
    }

    int count(const std::string& sql) {
        return db().read([&](soci::session& session) {
            int n = -1;
            session << sql, soci::into(n);
            return n;
        });
    }

    // module/version pairs recorded in schema_migrations, in order.
    std::vector<std::string> recorded() {
        return db().read([](soci::session& session) {
            std::vector<std::string> rows;
            std::string module;
            int version = 0;
            soci::statement select =
                (session.prepare << "SELECT module, version FROM schema_migrations "
                                    "ORDER BY module, version",
                 soci::into(module), soci::into(version));
            select.execute();
            while (select.fetch()) {
                rows.push_back(module + " " + std::to_string(version));
            }
            return rows;
        });
    }
};

INSTANTIATE_TEST_SUITE_P(BothEngines, MigrationTest, ::testing::ValuesIn(spire::test::ALL_ENGINES),
                         spire::test::engine_test_name);

std::vector<std::string> names(const std::vector<MigrationStep>& steps) {
    std::vector<std::string> result;
    for (const auto& step : steps) {
        result.push_back(step.module + " " + std::to_string(step.version) + " " + step.name);
    }
    return result;
}

TEST_P(MigrationTest, AppliesTheEmbeddedMigrationsOnce) {
    auto first = spire::db::migrate(db());
    ASSERT_TRUE(first) << first.error().message << ": " << first.error().detail;
    ASSERT_FALSE(first->applied.empty());
    EXPECT_EQ(first->applied.front().module, "platform");
    EXPECT_EQ(first->applied.front().version, 1);
    EXPECT_EQ(first->applied.front().name, "platform");
    EXPECT_EQ(recorded().size(), first->applied.size());

    auto second = spire::db::migrate(db());
    ASSERT_TRUE(second) << second.error().detail;
    EXPECT_TRUE(second->applied.empty());
    auto left = spire::db::pending(db());
    ASSERT_TRUE(left);
    EXPECT_TRUE(left->empty());
}

TEST_P(MigrationTest, PlatformMigrationCreatesAppSetting) {
    ASSERT_TRUE(spire::db::migrate(db()));
    db().transact([](soci::session& session) {
        session << "INSERT INTO app_setting (key, value) VALUES ('organisation_name', 'Spire')";
    });
    std::string value = db().read([](soci::session& session) {
        std::string found;
        session << "SELECT value FROM app_setting WHERE key = 'organisation_name'",
            soci::into(found);
        return found;
    });
    EXPECT_EQ(value, "Spire");
    EXPECT_THROW(db().transact([](soci::session& session) {
        session << "INSERT INTO app_setting (key, value) VALUES ('organisation_name', 'Again')";
    }),
                 soci::soci_error);
}

TEST_P(MigrationTest, RecordsEachMigrationWithNameAndTime) {
    const EmbeddedMigration set[] = {
        {"platform", 1, "first", "", "CREATE TABLE one (x INTEGER)"},
        {"platform", 2, "second", "", "CREATE TABLE two (x INTEGER)"},
    };
    ASSERT_TRUE(spire::db::migrate(db(), set));
    auto [name, applied_at] = db().read([](soci::session& session) {
        std::string found_name;
        std::string found_at;
        session << "SELECT name, CAST(applied_at AS TEXT) FROM schema_migrations "
                   "WHERE module = 'platform' AND version = 2",
            soci::into(found_name), soci::into(found_at);
        return std::pair{found_name, found_at};
    });
    EXPECT_EQ(name, "second");
    EXPECT_TRUE(applied_at.starts_with("20")) << applied_at;
    EXPECT_EQ(recorded(), (std::vector<std::string>{"platform 1", "platform 2"}));
}

TEST_P(MigrationTest, AppliesInModuleOrderThenVersion) {
    // Listed out of order on purpose: identity refers to a platform table.
    const EmbeddedMigration set[] = {
        {"identity", 1, "users", "",
         "CREATE TABLE person (id INTEGER PRIMARY KEY,"
         " unit_id INTEGER NOT NULL REFERENCES unit (id))"},
        {"platform", 2, "units", "", "CREATE TABLE unit (id INTEGER PRIMARY KEY)"},
        {"platform", 1, "base", "", "CREATE TABLE base (id INTEGER PRIMARY KEY)"},
        {"funds", 1, "funds", "", "CREATE TABLE fund (id INTEGER PRIMARY KEY)"},
    };
    auto pending = spire::db::pending(db(), set);
    ASSERT_TRUE(pending);
    std::vector<std::string> expected = {"platform 1 base", "platform 2 units", "identity 1 users",
                                         "funds 1 funds"};
    EXPECT_EQ(names(*pending), expected);

    auto report = spire::db::migrate(db(), set);
    ASSERT_TRUE(report) << report.error().detail;
    EXPECT_EQ(names(report->applied), expected);
}

TEST_P(MigrationTest, PrefersTheFileForItsEngine) {
    const EmbeddedMigration set[] = {
        {"platform", 1, "table", "", "CREATE TABLE chosen (who TEXT)"},
        {"platform", 2, "fill", "", "INSERT INTO chosen VALUES ('common')"},
        {"platform", 2, "fill", "sqlite", "INSERT INTO chosen VALUES ('sqlite')"},
        {"platform", 2, "fill", "postgresql", "INSERT INTO chosen VALUES ('postgresql')"},
        {"platform", 3, "only_common", "", "INSERT INTO chosen VALUES ('common')"},
    };
    auto report = spire::db::migrate(db(), set);
    ASSERT_TRUE(report) << report.error().detail;
    ASSERT_EQ(report->applied.size(), 3u);
    std::string own = engine() == Engine::Sqlite ? "sqlite" : "postgresql";
    EXPECT_EQ(report->applied[1].dialect, own);
    EXPECT_EQ(report->applied[2].dialect, "");
    auto who = db().read([](soci::session& session) {
        std::vector<std::string> rows(10);
        session << "SELECT who FROM chosen ORDER BY who", soci::into(rows);
        return rows;
    });
    EXPECT_EQ(who, (std::vector<std::string>{"common", own}));
}

// Trigger bodies hold `;` (SQLite BEGIN ... END; PostgreSQL $$ ... $$), and
// so may string literals and comments: the whole file must run, once.
TEST_P(MigrationTest, RunsMultiStatementMigrationsWithTriggers) {
    const char* sqlite_trigger = R"sql(
CREATE TABLE account (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL);
CREATE TABLE account_log (account_id INTEGER, note TEXT);
-- a comment; with a semicolon
CREATE TRIGGER account_logged AFTER UPDATE ON account
BEGIN
    INSERT INTO account_log VALUES (NEW.id, 'changed; from ' || OLD.balance);
    INSERT INTO account_log VALUES (NEW.id, 'to ' || NEW.balance);
END;
INSERT INTO account VALUES (1, 10);
)sql";
    const char* postgresql_trigger = R"sql(
CREATE TABLE account (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL);
CREATE TABLE account_log (account_id INTEGER, note TEXT);
-- a comment; with a semicolon
CREATE FUNCTION account_logged() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO account_log VALUES (NEW.id, 'changed; from ' || OLD.balance);
    INSERT INTO account_log VALUES (NEW.id, 'to ' || NEW.balance);
    RETURN NEW;
END;
$$;
CREATE TRIGGER account_logged AFTER UPDATE ON account
    FOR EACH ROW EXECUTE FUNCTION account_logged();
INSERT INTO account VALUES (1, 10);
)sql";
    const EmbeddedMigration set[] = {
        {"platform", 1, "accounts", "sqlite", sqlite_trigger},
        {"platform", 1, "accounts", "postgresql", postgresql_trigger},
        {"platform", 2, "more", "",
         "INSERT INTO account VALUES (2, 20);\n"
         "INSERT INTO account_log VALUES (2, 'a; b');"},
    };
    auto report = spire::db::migrate(db(), set);
    ASSERT_TRUE(report) << report.error().detail;

    db().transact(
        [](soci::session& session) { session << "UPDATE account SET balance = 11 WHERE id = 1"; });
    auto notes = db().read([](soci::session& session) {
        std::vector<std::string> rows(10);
        session << "SELECT note FROM account_log ORDER BY note", soci::into(rows);
        return rows;
    });
    EXPECT_EQ(notes, (std::vector<std::string>{"a; b", "changed; from 10", "to 11"}));
    EXPECT_EQ(count("SELECT count(*) FROM account"), 2);
}

TEST_P(MigrationTest, RefusesADatabaseMigratedByANewerSpire) {
    const EmbeddedMigration newer[] = {
        {"platform", 1, "base", "", "CREATE TABLE base (id INTEGER)"},
        {"platform", 2, "later", "", "CREATE TABLE later (id INTEGER)"},
    };
    ASSERT_TRUE(spire::db::migrate(db(), newer));

    const EmbeddedMigration older[] = {
        {"platform", 1, "base", "", "CREATE TABLE base (id INTEGER)"},
        {"identity", 1, "users", "", "CREATE TABLE person (id INTEGER)"},
    };
    auto refused = spire::db::migrate(db(), older);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, ErrorKind::Conflict);
    EXPECT_EQ(refused.error().detail, "database was migrated by a newer Spire: platform 2");
    EXPECT_FALSE(table_exists("person"));
    EXPECT_EQ(recorded(), (std::vector<std::string>{"platform 1", "platform 2"}));

    auto status = spire::db::pending(db(), older);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().kind, ErrorKind::Conflict);
}

TEST_P(MigrationTest, RollsBackAFailedMigrationCompletely) {
    const EmbeddedMigration broken[] = {
        {"platform", 1, "base", "", "CREATE TABLE base (id INTEGER)"},
        {"platform", 2, "broken", "",
         "CREATE TABLE half (id INTEGER);\n"
         "INSERT INTO half VALUES (1);\n"
         "INSERT INTO base VALUES (1);\n"
         "INSERT INTO no_such_table VALUES (1);"},
        {"platform", 3, "after", "", "CREATE TABLE after_broken (id INTEGER)"},
    };
    auto failed = spire::db::migrate(db(), broken);
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().message, "A database migration failed");
    EXPECT_NE(failed.error().detail.find("platform 2 (broken)"), std::string::npos)
        << failed.error().detail;
    EXPECT_NE(failed.error().detail.find("no_such_table"), std::string::npos)
        << failed.error().detail;
    EXPECT_FALSE(table_exists("half"));
    EXPECT_FALSE(table_exists("after_broken"));
    EXPECT_EQ(count("SELECT count(*) FROM base"), 0);
    EXPECT_EQ(recorded(), (std::vector<std::string>{"platform 1"}));

    const EmbeddedMigration fixed[] = {
        broken[0],
        {"platform", 2, "broken", "", "CREATE TABLE half (id INTEGER)"},
        broken[2],
    };
    auto report = spire::db::migrate(db(), fixed);
    ASSERT_TRUE(report) << report.error().detail;
    EXPECT_EQ(names(report->applied),
              (std::vector<std::string>{"platform 2 broken", "platform 3 after"}));
}

TEST_P(MigrationTest, PendingChangesNothing) {
    auto steps = spire::db::pending(db());
    ASSERT_TRUE(steps) << steps.error().detail;
    EXPECT_FALSE(steps->empty());
    EXPECT_FALSE(table_exists("schema_migrations"));
    EXPECT_FALSE(table_exists("app_setting"));
}

TEST_P(MigrationTest, EmptyOrCommentOnlyMigrationIsANoOp) {
    const EmbeddedMigration set[] = {
        {"platform", 1, "nothing_here", "sqlite", "-- PostgreSQL only\n"},
        {"platform", 1, "nothing_here", "postgresql", "-- SQLite only\n"},
        {"platform", 2, "empty", "", ""},
    };
    auto report = spire::db::migrate(db(), set);
    ASSERT_TRUE(report) << report.error().detail;
    EXPECT_EQ(report->applied.size(), 2u);
}

TEST_P(MigrationTest, BrokenMigrationSetsAreProgrammingErrors) {
    const EmbeddedMigration unknown_module[] = {
        {"platform", 1, "base", "", "CREATE TABLE base (id INTEGER)"},
        {"gadgets", 1, "gadgets", "", "CREATE TABLE gadget (id INTEGER)"},
    };
    EXPECT_THROW((void)spire::db::migrate(db(), unknown_module), std::logic_error);

    const EmbeddedMigration duplicate[] = {
        {"platform", 1, "base", "", "CREATE TABLE base (id INTEGER)"},
        {"platform", 1, "other", "", "CREATE TABLE other (id INTEGER)"},
    };
    EXPECT_THROW((void)spire::db::migrate(db(), duplicate), std::logic_error);

    const char* other_dialect = engine() == Engine::Sqlite ? "postgresql" : "sqlite";
    const EmbeddedMigration missing_for_engine[] = {
        {"platform", 1, "base", other_dialect, "CREATE TABLE base (id INTEGER)"},
    };
    EXPECT_THROW((void)spire::db::migrate(db(), missing_for_engine), std::logic_error);

    const EmbeddedMigration bad_dialect[] = {
        {"platform", 1, "base", "mysql", "CREATE TABLE base (id INTEGER)"},
    };
    EXPECT_THROW((void)spire::db::migrate(db(), bad_dialect), std::logic_error);

    EXPECT_FALSE(table_exists("schema_migrations"));
    EXPECT_FALSE(table_exists("base"));
}

// Several Spire processes starting at once each run migrate: every migration
// is applied exactly once and none of them fails.
TEST_P(MigrationTest, ConcurrentMigrateAppliesEachMigrationOnce) {
    std::vector<EmbeddedMigration> set;
    std::vector<std::string> sql;
    for (int version = 1; version <= 12; ++version) {
        sql.push_back("CREATE TABLE t" + std::to_string(version) + " (id INTEGER)");
    }
    for (int version = 1; version <= 12; ++version) {
        set.push_back({"platform", version, "table", "", sql[version - 1].c_str()});
    }

    constexpr int PROCESSES = 4;
    std::vector<std::unique_ptr<Database>> pools;
    for (int i = 0; i < PROCESSES; ++i) {
        auto opened = Database::open(test_database().url(), 1);
        ASSERT_TRUE(opened) << opened.error().detail;
        pools.push_back(std::move(*opened));
    }
    std::vector<spire::Result<spire::db::MigrationReport>> reports(PROCESSES);
    std::vector<std::thread> threads;
    for (int i = 0; i < PROCESSES; ++i) {
        threads.emplace_back([&, i] { reports[i] = spire::db::migrate(*pools[i], set); });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    std::size_t applied = 0;
    for (const auto& report : reports) {
        ASSERT_TRUE(report) << report.error().detail;
        applied += report->applied.size();
    }
    EXPECT_EQ(applied, set.size());
    EXPECT_EQ(recorded().size(), set.size());
}

} // namespace
