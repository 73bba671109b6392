#pragma once

// Databases for tests that run on both engines (STYLE.md: store tests are
// parameterised over SQLite and PostgreSQL and run on both).
//
//   class GrantStoreTest : public spire::test::MigratedDatabaseTest {};
//   TEST_P(GrantStoreTest, FindsWhatItSaved) { ... db() ... }
//   INSTANTIATE_TEST_SUITE_P(BothEngines, GrantStoreTest,
//                            ::testing::ValuesIn(spire::test::ALL_ENGINES),
//                            spire::test::engine_test_name);
//
// PostgreSQL comes from SPIRE_TEST_PG_URL, or from the file named by
// SPIRE_TEST_PG_URL_FILE (ctest starts a cluster with scripts/pg-cluster and
// sets it). Without either the PostgreSQL tests fail, unless
// SPIRE_TEST_SKIP_PG=1 (a quick local loop only, never CI).

#include "db/database.hpp"

#include <array>
#include <cstddef>
#include <filesystem>
#include <gtest/gtest.h>
#include <memory>
#include <string>

namespace spire::db {

// Prints "Sqlite" / "Postgresql" where GoogleTest (and so ctest's test
// names) would print the enum's bytes.
void PrintTo(Engine engine, std::ostream* out);

} // namespace spire::db

namespace spire::test {

using db::Engine;

inline constexpr std::array<Engine, 2> ALL_ENGINES = {Engine::Sqlite, Engine::Postgresql};

// "Sqlite" / "Postgresql", for INSTANTIATE_TEST_SUITE_P's name generator.
std::string engine_test_name(const ::testing::TestParamInfo<Engine>& info);

// SPIRE_TEST_SKIP_PG=1.
bool postgresql_skipped();

// A fresh, empty database that lives as long as this object: a file in a new
// temporary directory, or a new schema t_<random> on the test cluster (every
// pooled connection gets it as search_path through the URL). Destruction
// closes the pool and removes the directory or drops the schema.
class TestDatabase {
public:
    static constexpr std::size_t DEFAULT_POOL_SIZE = 4;

    // Throws std::runtime_error when the engine is not available (e.g. no
    // PostgreSQL URL configured), with a message saying what to do.
    static std::unique_ptr<TestDatabase> create(Engine engine,
                                                std::size_t pool_size = DEFAULT_POOL_SIZE);
    ~TestDatabase();
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;

    Engine engine() const { return m_engine; }
    db::Database& db() { return *m_db; }
    // The URL of this database, to open a second pool on it.
    const std::string& url() const { return m_url; }

private:
    TestDatabase(Engine engine, std::string url) : m_engine(engine), m_url(std::move(url)) {}

    Engine m_engine;
    std::string m_url;
    std::filesystem::path m_directory; // SQLite
    std::string m_base_url;            // PostgreSQL: the cluster's database
    std::string m_schema;              // PostgreSQL
    std::unique_ptr<db::Database> m_db;
};

// A fresh database with every embedded migration applied. Throws like
// TestDatabase::create(), and std::runtime_error if migrating fails.
std::unique_ptr<TestDatabase>
migrated_database(Engine engine, std::size_t pool_size = TestDatabase::DEFAULT_POOL_SIZE);

// Fixture: every test gets a fresh, empty database of the engine GetParam().
class DatabaseTest : public ::testing::TestWithParam<Engine> {
protected:
    void SetUp() override;
    void TearDown() override;

    Engine engine() const { return GetParam(); }
    db::Database& db() { return m_database->db(); }
    TestDatabase& test_database() { return *m_database; }

    std::unique_ptr<TestDatabase> m_database;
};

// Fixture: as DatabaseTest, with every embedded migration applied.
class MigratedDatabaseTest : public DatabaseTest {
protected:
    void SetUp() override;
};

} // namespace spire::test
