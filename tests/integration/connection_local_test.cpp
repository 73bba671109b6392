// Connection::local on both engines: state kept per pooled connection, above
// all statements prepared once and executed many times.

#include "db/database.hpp"
#include "support/test_db.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <string>
#include <vector>

namespace {

using spire::db::Connection;
using spire::db::Database;
using spire::db::Engine;

// A prepared statement with the variables it is bound to.
struct ItemsAbove {
    static inline int made = 0;
    static inline int destroyed = 0;

    int above = 0;
    int id = 0;
    std::string name;
    soci::statement statement;

    explicit ItemsAbove(soci::session& sql)
        : statement((sql.prepare << "SELECT id, name FROM item WHERE id > :above ORDER BY id",
                     soci::use(above, "above"), soci::into(id), soci::into(name))) {
        ++made;
    }
    ~ItemsAbove() { ++destroyed; }

    std::vector<std::string> run(int after) {
        above = after;
        std::vector<std::string> names;
        statement.execute();
        while (statement.fetch())
            names.push_back(std::to_string(id) + " " + name);
        return names;
    }
};

struct Counter {
    int value = 0;
    explicit Counter(soci::session&) {}
};

class ConnectionLocalTest : public spire::test::DatabaseTest {
protected:
    void SetUp() override {
        DatabaseTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        ItemsAbove::made = ItemsAbove::destroyed = 0;
        db().transact([&](soci::session& session) {
            db().execute_script(session, "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT);"
                                         "INSERT INTO item VALUES (1, 'one'), (2, 'two'), "
                                         "(3, 'three')");
        });
    }

    // A second pool of one connection on the same database: every call below
    // runs on that one connection.
    std::unique_ptr<Database> single_connection() {
        auto opened = Database::open(test_database().url(), 1);
        EXPECT_TRUE(opened) << opened.error().detail;
        return opened ? std::move(*opened) : nullptr;
    }

    void write(const char* sql) {
        db().transact([&](soci::session& session) { session << sql; });
    }
};

INSTANTIATE_TEST_SUITE_P(BothEngines, ConnectionLocalTest,
                         ::testing::ValuesIn(spire::test::ALL_ENGINES),
                         spire::test::engine_test_name);

TEST_P(ConnectionLocalTest, IsMadeOncePerConnectionAndKeptAcrossLeases) {
    auto pool = single_connection();
    ASSERT_TRUE(pool);
    Counter* first = nullptr;
    for (int i = 0; i < 5; ++i) {
        auto lease = pool->lease();
        Counter& counter = lease.connection().local<Counter>();
        if (first == nullptr)
            first = &counter;
        EXPECT_EQ(&counter, first);
        EXPECT_EQ(counter.value++, i);
    }
    // Another type is another local.
    auto lease = pool->lease();
    EXPECT_NE(static_cast<void*>(&lease.connection().local<ItemsAbove>()),
              static_cast<void*>(first));
    EXPECT_EQ(ItemsAbove::made, 1);
}

TEST_P(ConnectionLocalTest, APreparedStatementSeesEveryChange) {
    auto pool = single_connection();
    ASSERT_TRUE(pool);
    auto run = [&](int above) {
        return pool->single_statement(
            [&](Connection& connection) { return connection.local<ItemsAbove>().run(above); });
    };
    using Names = std::vector<std::string>;
    for (int i = 0; i < 50; ++i) {
        EXPECT_EQ(run(0), (Names{"1 one", "2 two", "3 three"}));
        EXPECT_EQ(run(1), (Names{"2 two", "3 three"}));
        EXPECT_EQ(run(3), Names{});
    }
    write("DELETE FROM item WHERE id = 2");
    EXPECT_EQ(run(0), (Names{"1 one", "3 three"}));
    write("UPDATE item SET name = 'uno' WHERE id = 1");
    write("INSERT INTO item VALUES (4, 'four')");
    EXPECT_EQ(run(0), (Names{"1 uno", "3 three", "4 four"}));
    write("DELETE FROM item");
    EXPECT_EQ(run(0), Names{});
    EXPECT_EQ(ItemsAbove::made, 1);
}

TEST_P(ConnectionLocalTest, TransactionsReachLocalsToo) {
    auto pool = single_connection();
    ASSERT_TRUE(pool);
    auto names = pool->transact([](Connection& connection) {
        connection.session() << "DELETE FROM item WHERE id = 3";
        return connection.local<ItemsAbove>().run(0);
    });
    EXPECT_EQ(names, (std::vector<std::string>{"1 one", "2 two"}));
    // Generic lambdas keep getting the session.
    int count = pool->read([](auto& session) {
        int n = 0;
        session << "SELECT count(*) FROM item", soci::into(n);
        return n;
    });
    EXPECT_EQ(count, 2);
}

TEST_P(ConnectionLocalTest, AreDestroyedWithTheDatabase) {
    {
        auto pool = single_connection();
        ASSERT_TRUE(pool);
        pool->single_statement(
            [](Connection& connection) { return connection.local<ItemsAbove>().run(0); });
        EXPECT_EQ(ItemsAbove::destroyed, 0);
    }
    EXPECT_EQ(ItemsAbove::made, 1);
    EXPECT_EQ(ItemsAbove::destroyed, 1);
}

// A SQLite statement stopped mid-result keeps its read snapshot; the lease
// resets it when it ends, or the WAL could not be checkpointed past it.
TEST_P(ConnectionLocalTest, AStatementLeftMidResultIsResetWhenTheLeaseEnds) {
    if (engine() != Engine::Sqlite)
        GTEST_SKIP() << "PostgreSQL holds no snapshot between statements";
    auto pool = single_connection();
    ASSERT_TRUE(pool);
    {
        auto lease = pool->lease();
        ItemsAbove& items = lease.connection().local<ItemsAbove>();
        items.above = 0;
        items.statement.execute();
        ASSERT_TRUE(items.statement.fetch()); // and no further
    }
    write("INSERT INTO item VALUES (4, 'four')");
    int busy = -1, log = 0, checkpointed = 0;
    {
        auto lease = db().lease();
        lease.session() << "PRAGMA wal_checkpoint(TRUNCATE)", soci::into(busy), soci::into(log),
            soci::into(checkpointed);
    }
    EXPECT_EQ(busy, 0);
    // And the statement runs again from the start.
    auto names = pool->single_statement(
        [](Connection& connection) { return connection.local<ItemsAbove>().run(0); });
    EXPECT_EQ(names.size(), 4u);
}

class ConnectionLocalPostgresqlTest : public ConnectionLocalTest {};

INSTANTIATE_TEST_SUITE_P(PostgresqlOnly, ConnectionLocalPostgresqlTest,
                         ::testing::Values(Engine::Postgresql), spire::test::engine_test_name);

int backend_pid(Database& pool) {
    return pool.single_statement([](soci::session& session) {
        int pid = 0;
        session << "SELECT pg_backend_pid()", soci::into(pid);
        return pid;
    });
}

// A prepared statement belongs to its server connection: after the server
// drops the connection, the pool reconnects and prepares it again.
TEST_P(ConnectionLocalPostgresqlTest, ArePreparedAgainAfterAReconnect) {
    auto pool = single_connection();
    ASSERT_TRUE(pool);
    auto run = [&] {
        return pool->single_statement(
            [](Connection& connection) { return connection.local<ItemsAbove>().run(1); });
    };
    EXPECT_EQ(run().size(), 2u);
    int pid = backend_pid(*pool);
    db().transact([&](soci::session& session) {
        int terminated = 0;
        session << "SELECT CAST(pg_terminate_backend(:pid) AS INTEGER)", soci::use(pid),
            soci::into(terminated);
        EXPECT_EQ(terminated, 1);
    });

    // The first call finds the connection gone (and fails); the next lease
    // reconnects.
    std::vector<std::string> names;
    bool back = false;
    for (int attempt = 0; attempt < 3 && !back; ++attempt) {
        try {
            names = run();
            back = true;
        } catch (const soci::soci_error&) {
        }
    }
    ASSERT_TRUE(back);
    EXPECT_EQ(names, (std::vector<std::string>{"2 two", "3 three"}));
    EXPECT_NE(backend_pid(*pool), pid);
    EXPECT_EQ(ItemsAbove::made, 2);
    EXPECT_EQ(ItemsAbove::destroyed, 1);
    write("DELETE FROM item WHERE id = 3");
    EXPECT_EQ(run(), std::vector<std::string>{"2 two"});
}

// Each prepared statement is deallocated with its connection, not leaked
// into the server session for every call.
TEST_P(ConnectionLocalPostgresqlTest, PreparesOnceOnTheServer) {
    auto pool = single_connection();
    ASSERT_TRUE(pool);
    for (int i = 0; i < 20; ++i) {
        pool->single_statement(
            [](Connection& connection) { return connection.local<ItemsAbove>().run(0); });
    }
    int prepared = pool->single_statement([](soci::session& session) {
        int count = 0;
        session << "SELECT CAST(count(*) AS INTEGER) FROM pg_prepared_statements",
            soci::into(count);
        return count;
    });
    EXPECT_EQ(prepared, 1);
}

} // namespace
