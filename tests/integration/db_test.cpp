// The database layer on both engines: opening, pooled sessions, transactions.

#include "db/database.hpp"
#include "support/test_db.hpp"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <stdexcept>
#include <thread>
#include <vector>

namespace {

using spire::ErrorKind;
using spire::Result;
using spire::Unexpected;
using spire::db::Database;
using spire::db::Engine;
using spire::test::TestDatabase;

class DbTest : public spire::test::DatabaseTest {
protected:
    void create_items_table() {
        db().transact([&](soci::session& session) {
            db().execute_script(session, "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)");
        });
    }

    int count_items() {
        return db().read([](soci::session& session) {
            int count = -1;
            session << "SELECT count(*) FROM item", soci::into(count);
            return count;
        });
    }
};

INSTANTIATE_TEST_SUITE_P(BothEngines, DbTest, ::testing::ValuesIn(spire::test::ALL_ENGINES),
                         spire::test::engine_test_name);

TEST_P(DbTest, OpensWithTheRightEngineAndPings) {
    EXPECT_EQ(db().engine(), engine());
    EXPECT_TRUE(db().ping());
}

TEST_P(DbTest, TransactionCommitsWhenTheFunctionReturns) {
    create_items_table();
    int returned = db().transact([](soci::session& session) {
        session << "INSERT INTO item (id, name) VALUES (1, 'one')";
        return 42;
    });
    EXPECT_EQ(returned, 42);
    EXPECT_EQ(count_items(), 1);
}

TEST_P(DbTest, TransactionCommitsAResultHoldingAValue) {
    create_items_table();
    Result<std::string> result = db().transact([](soci::session& session) -> Result<std::string> {
        session << "INSERT INTO item (id, name) VALUES (1, 'one')";
        return "saved";
    });
    ASSERT_TRUE(result);
    EXPECT_EQ(*result, "saved");
    EXPECT_EQ(count_items(), 1);
}

TEST_P(DbTest, TransactionRollsBackAnErrorResult) {
    create_items_table();
    Result<int> result = db().transact([](soci::session& session) -> Result<int> {
        session << "INSERT INTO item (id, name) VALUES (1, 'one')";
        return Unexpected(spire::Error::conflict("Already submitted"));
    });
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().kind, ErrorKind::Conflict);
    EXPECT_EQ(count_items(), 0);
}

TEST_P(DbTest, TransactionRollsBackAndRethrowsAnException) {
    create_items_table();
    EXPECT_THROW(db().transact([](soci::session& session) {
        session << "INSERT INTO item (id, name) VALUES (1, 'one')";
        throw std::runtime_error("boom");
    }),
                 std::runtime_error);
    EXPECT_EQ(count_items(), 0);
}

TEST_P(DbTest, TransactionRollsBackAFailedStatement) {
    create_items_table();
    EXPECT_THROW(db().transact([](soci::session& session) {
        session << "INSERT INTO item (id, name) VALUES (1, 'one')";
        session << "INSERT INTO item (id, name) VALUES (1, 'duplicate')";
    }),
                 soci::soci_error);
    EXPECT_EQ(count_items(), 0);
    // Every pooled session is still usable afterwards.
    for (std::size_t i = 0; i < db().pool_size() * 2; ++i) {
        db().transact([&](soci::session& session) {
            int id = static_cast<int>(i);
            session << "INSERT INTO item (id, name) VALUES (:id, 'again')", soci::use(id);
        });
    }
    EXPECT_EQ(count_items(), static_cast<int>(db().pool_size() * 2));
}

TEST_P(DbTest, NestedTransactionIsRefused) {
    create_items_table();
    EXPECT_THROW(db().transact([&](soci::session&) { db().transact([](soci::session&) {}); }),
                 std::logic_error);
    EXPECT_TRUE(db().ping());
    EXPECT_EQ(count_items(), 0);
}

TEST_P(DbTest, ReadSeesCommittedData) {
    create_items_table();
    db().transact([](soci::session& session) {
        session << "INSERT INTO item (id, name) VALUES (7, 'seven')";
    });
    std::string name = db().read([](soci::session& session) {
        std::string found;
        session << "SELECT name FROM item WHERE id = 7", soci::into(found);
        return found;
    });
    EXPECT_EQ(name, "seven");
}

TEST_P(DbTest, ALeaseReturnedMidTransactionIsRolledBackBeforeReuse) {
    create_items_table();
    {
        auto lease = db().lease();
        lease.session() << spire::db::dialect::begin(engine(), spire::db::TransactionKind::Write);
        lease.session() << "INSERT INTO item (id, name) VALUES (1, 'abandoned')";
        EXPECT_TRUE(db().in_transaction(lease.session()));
    }
    // Takes every session once, so the abandoned one among them.
    std::vector<Database::Lease> leases;
    for (std::size_t i = 0; i < db().pool_size(); ++i) {
        leases.push_back(db().lease());
        EXPECT_FALSE(db().in_transaction(leases.back().session()));
    }
    leases.clear();
    EXPECT_EQ(count_items(), 0);
}

TEST_P(DbTest, ExecuteScriptRunsEveryStatement) {
    db().transact([&](soci::session& session) {
        db().execute_script(session, "CREATE TABLE a (x INTEGER);\n"
                                     "INSERT INTO a VALUES (1);\n"
                                     "INSERT INTO a VALUES (2); -- a comment; with a semicolon\n"
                                     "INSERT INTO a VALUES (3);");
    });
    int sum = db().read([](soci::session& session) {
        int total = 0;
        session << "SELECT sum(x) FROM a", soci::into(total);
        return total;
    });
    EXPECT_EQ(sum, 6);
}

TEST_P(DbTest, ForeignKeysAreEnforced) {
    db().transact([&](soci::session& session) {
        db().execute_script(session, "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
                                     "CREATE TABLE child (id INTEGER PRIMARY KEY,"
                                     " parent_id INTEGER NOT NULL REFERENCES parent (id));");
    });
    EXPECT_THROW(db().transact([](soci::session& session) {
        session << "INSERT INTO child (id, parent_id) VALUES (1, 99)";
    }),
                 soci::soci_error);
}

// Several threads on two pools (as two processes would be) increment one
// counter and insert rows: with SQLite's busy handling and BEGIN IMMEDIATE no
// update is lost and no transaction fails.
TEST_P(DbTest, ConcurrentTransactionsFromManyThreadsLoseNothing) {
    db().transact([&](soci::session& session) {
        db().execute_script(session,
                            "CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER);"
                            "INSERT INTO counter VALUES (1, 0);"
                            "CREATE TABLE event (id INTEGER PRIMARY KEY, thread INTEGER);");
    });
    auto second = Database::open(test_database().url(), 2);
    ASSERT_TRUE(second) << second.error().detail;

    constexpr int THREADS = 8;
    constexpr int ROUNDS = 40;
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < THREADS; ++t) {
        Database& pool = t % 2 == 0 ? db() : **second;
        threads.emplace_back([&pool, &failures, t] {
            for (int round = 0; round < ROUNDS; ++round) {
                try {
                    pool.transact([&](soci::session& session) {
                        int n = 0;
                        session << "SELECT n FROM counter WHERE id = 1", soci::into(n);
                        int id = t * ROUNDS + round;
                        session << "INSERT INTO event (id, thread) VALUES (:id, :thread)",
                            soci::use(id, "id"), soci::use(t, "thread");
                        session << "UPDATE counter SET n = n + 1 WHERE id = 1";
                    });
                } catch (const std::exception&) {
                    ++failures;
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(failures.load(), 0);
    auto [n, events] = db().read([](soci::session& session) {
        int counter = 0;
        int rows = 0;
        session << "SELECT n FROM counter WHERE id = 1", soci::into(counter);
        session << "SELECT count(*) FROM event", soci::into(rows);
        return std::pair{counter, rows};
    });
    EXPECT_EQ(n, THREADS * ROUNDS);
    EXPECT_EQ(events, THREADS * ROUNDS);
}

// Every SQLite connection of the pool gets the pragmas, not just the first.
TEST(DatabaseSqlite, SetsPragmasOnEveryPooledConnection) {
    auto test = TestDatabase::create(Engine::Sqlite, 3);
    std::vector<Database::Lease> leases;
    for (std::size_t i = 0; i < 3; ++i) {
        leases.push_back(test->db().lease());
    }
    for (auto& lease : leases) {
        std::string journal_mode;
        int synchronous = -1;
        int foreign_keys = -1;
        int busy_timeout = -1;
        lease.session() << "PRAGMA journal_mode", soci::into(journal_mode);
        lease.session() << "PRAGMA synchronous", soci::into(synchronous);
        lease.session() << "PRAGMA foreign_keys", soci::into(foreign_keys);
        lease.session() << "PRAGMA busy_timeout", soci::into(busy_timeout);
        EXPECT_EQ(journal_mode, "wal");
        EXPECT_EQ(synchronous, 2); // FULL
        EXPECT_EQ(foreign_keys, 1);
        EXPECT_EQ(busy_timeout, 5000);
    }
}

TEST(DatabaseSqlite, WriteTransactionsBeginImmediate) {
    auto test = TestDatabase::create(Engine::Sqlite, 2);
    Database& db = test->db();
    db.transact(
        [&](soci::session& session) { db.execute_script(session, "CREATE TABLE t (x INTEGER)"); });
    // While one write transaction is open (and has not written yet), another
    // connection cannot take the write lock: BEGIN IMMEDIATE took it at once.
    auto other = db.lease();
    db.transact([&](soci::session&) {
        EXPECT_THROW(db.execute_script(other.session(), "PRAGMA busy_timeout = 0;"
                                                        "BEGIN IMMEDIATE"),
                     soci::soci_error);
    });
    db.execute_script(other.session(), "PRAGMA busy_timeout = 5000");
}

TEST(DatabaseSqlite, CreatesTheParentDirectory) {
    auto test = TestDatabase::create(Engine::Sqlite, 1);
    auto directory = std::filesystem::path(test->url().substr(7)).parent_path();
    auto nested = directory / "a" / "b" / "spire.db";
    auto db = Database::open("sqlite:" + nested.string(), 2);
    ASSERT_TRUE(db) << db.error().detail;
    EXPECT_TRUE((*db)->ping());
    EXPECT_TRUE(std::filesystem::exists(nested));
}

TEST(DatabaseSqlite, ReopensTheSameFile) {
    auto test = TestDatabase::create(Engine::Sqlite, 1);
    test->db().transact([&](soci::session& session) {
        test->db().execute_script(session, "CREATE TABLE kept (x INTEGER);"
                                           "INSERT INTO kept VALUES (5)");
    });
    auto again = Database::open(test->url(), 1);
    ASSERT_TRUE(again);
    int x = (*again)->read([](soci::session& session) {
        int value = 0;
        session << "SELECT x FROM kept", soci::into(value);
        return value;
    });
    EXPECT_EQ(x, 5);
}

TEST(DatabaseOpen, RefusesAnUnknownSchemeWithoutEchoingTheUrl) {
    auto db = Database::open("mysql://spire:hunter2@localhost/spire", 1);
    ASSERT_FALSE(db);
    EXPECT_EQ(db.error().kind, ErrorKind::Invalid);
    EXPECT_EQ(db.error().message, "Unknown database URL scheme");
    EXPECT_NE(db.error().detail.find("'mysql'"), std::string::npos) << db.error().detail;
    EXPECT_EQ(db.error().detail.find("hunter2"), std::string::npos);
}

TEST(DatabaseOpen, RefusesAUrlWithoutScheme) {
    auto db = Database::open("spire.db", 1);
    ASSERT_FALSE(db);
    EXPECT_EQ(db.error().kind, ErrorKind::Invalid);
}

TEST(DatabaseOpen, RefusesAnEmptyOrInMemorySqlitePath) {
    for (const char* url : {"sqlite:", "sqlite://", "sqlite::memory:"}) {
        auto db = Database::open(url, 1);
        ASSERT_FALSE(db) << url;
        EXPECT_EQ(db.error().kind, ErrorKind::Invalid) << url;
    }
}

TEST(DatabaseOpen, ReportsASqlitePathThatCannotBeCreated) {
    auto test = TestDatabase::create(Engine::Sqlite, 1);
    auto directory = std::filesystem::path(test->url().substr(7)).parent_path();
    auto file = directory / "plain-file";
    std::ofstream(file) << "not a directory";
    auto db = Database::open("sqlite:" + (file / "spire.db").string(), 1);
    ASSERT_FALSE(db);
    EXPECT_EQ(db.error().kind, ErrorKind::Unavailable);
    EXPECT_EQ(db.error().message, "Cannot create the database directory");
    EXPECT_NE(db.error().detail.find("plain-file"), std::string::npos) << db.error().detail;
}

TEST(DatabaseOpen, ReportsASqlitePathThatIsADirectory) {
    auto test = TestDatabase::create(Engine::Sqlite, 1);
    auto directory = std::filesystem::path(test->url().substr(7)).parent_path();
    auto db = Database::open("sqlite:" + directory.string(), 1);
    ASSERT_FALSE(db);
    EXPECT_EQ(db.error().kind, ErrorKind::Unavailable);
}

TEST(DatabaseOpen, ReportsAFileThatIsNotADatabase) {
    auto test = TestDatabase::create(Engine::Sqlite, 1);
    auto directory = std::filesystem::path(test->url().substr(7)).parent_path();
    auto file = directory / "garbage.db";
    std::ofstream(file) << std::string(4096, 'x');
    auto db = Database::open("sqlite:" + file.string(), 2);
    ASSERT_FALSE(db);
    EXPECT_EQ(db.error().kind, ErrorKind::Unavailable);
    EXPECT_EQ(db.error().message, "Cannot open the database");
    EXPECT_NE(db.error().detail.find("garbage.db"), std::string::npos) << db.error().detail;
}

TEST(DatabaseOpen, ReportsAnUnreachablePostgresqlWithoutThePassword) {
    for (const char* url : {"postgresql://spire:hunter2@127.0.0.1:1/spire",
                            "postgres://spire@127.0.0.1:1/spire?password=hunter2"}) {
        auto db = Database::open(url, 2);
        ASSERT_FALSE(db) << url;
        EXPECT_EQ(db.error().kind, ErrorKind::Unavailable);
        EXPECT_EQ(db.error().message, "Cannot connect to the database");
        EXPECT_NE(db.error().detail.find("127.0.0.1"), std::string::npos) << db.error().detail;
        EXPECT_EQ(db.error().detail.find("hunter2"), std::string::npos) << db.error().detail;
    }
}

class DbPostgresqlTest : public spire::test::DatabaseTest {};

INSTANTIATE_TEST_SUITE_P(PostgresqlOnly, DbPostgresqlTest, ::testing::Values(Engine::Postgresql),
                         spire::test::engine_test_name);

// After the server drops a connection (restart, idle timeout), the pool
// reconnects on the next lease: one call may fail, then it works again.
TEST_P(DbPostgresqlTest, ReconnectsAfterTheServerDropsTheConnection) {
    auto single = Database::open(test_database().url(), 1);
    ASSERT_TRUE(single) << single.error().detail;
    Database& pool = **single;
    int pid = pool.read([](soci::session& session) {
        int backend = 0;
        session << "SELECT pg_backend_pid()", soci::into(backend);
        return backend;
    });
    db().transact([&](soci::session& session) {
        int terminated = 0;
        session << "SELECT CAST(pg_terminate_backend(:pid) AS INTEGER)", soci::use(pid),
            soci::into(terminated);
        EXPECT_EQ(terminated, 1);
    });

    bool back = false;
    for (int attempt = 0; attempt < 3 && !back; ++attempt) {
        back = pool.ping();
    }
    EXPECT_TRUE(back);
    int new_pid = pool.read([](soci::session& session) {
        int backend = 0;
        session << "SELECT pg_backend_pid()", soci::into(backend);
        return backend;
    });
    EXPECT_NE(new_pid, pid);
}

TEST_P(DbPostgresqlTest, ReadTransactionRefusesWrites) {
    db().transact([&](soci::session& session) {
        db().execute_script(session, "CREATE TABLE t (x INTEGER)");
    });
    EXPECT_THROW(db().read([](soci::session& session) { session << "INSERT INTO t VALUES (1)"; }),
                 soci::soci_error);
}

// PostgreSQL tests must not pass silently when no cluster is configured.
TEST(DatabaseTestSupport, FailsClearlyWithoutAPostgresqlUrl) {
    std::string url = std::getenv("SPIRE_TEST_PG_URL") ? std::getenv("SPIRE_TEST_PG_URL") : "";
    std::string file =
        std::getenv("SPIRE_TEST_PG_URL_FILE") ? std::getenv("SPIRE_TEST_PG_URL_FILE") : "";
    // The test programs fall back to the URL file of their own build when
    // nothing is set, so "no URL at all" is the case of a missing file.
    ::unsetenv("SPIRE_TEST_PG_URL");
    ::setenv("SPIRE_TEST_PG_URL_FILE", "/nonexistent/url", 1);
    try {
        TestDatabase::create(Engine::Postgresql);
        ADD_FAILURE() << "expected an exception";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/url"), std::string::npos) << e.what();
    }
    ::unsetenv("SPIRE_TEST_PG_URL_FILE");
    if (!url.empty()) {
        ::setenv("SPIRE_TEST_PG_URL", url.c_str(), 1);
    }
    if (!file.empty()) {
        ::setenv("SPIRE_TEST_PG_URL_FILE", file.c_str(), 1);
    }
}

} // namespace
