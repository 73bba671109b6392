#include "support/test_db.hpp"

#include "db/migrations.hpp"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <stdexcept>

namespace spire::db {

void PrintTo(Engine engine, std::ostream* out) {
    *out << (engine == Engine::Sqlite ? "Sqlite" : "Postgresql");
}

} // namespace spire::db

namespace spire::test {

namespace {

std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value ? value : "";
}

std::string trimmed(std::string text) {
    auto end = text.find_last_not_of(" \t\r\n");
    text.erase(end == std::string::npos ? 0 : end + 1);
    return text;
}

std::string postgresql_url() {
    if (auto url = env("SPIRE_TEST_PG_URL"); !url.empty()) {
        return url;
    }
    auto file = env("SPIRE_TEST_PG_URL_FILE");
#ifdef SPIRE_TEST_PG_URL_FILE_DEFAULT
    // Where ctest's pg_cluster_start fixture writes the URL for this build.
    if (file.empty())
        file = SPIRE_TEST_PG_URL_FILE_DEFAULT;
#endif
    if (file.empty()) {
        throw std::runtime_error(
            "No PostgreSQL for the tests: set SPIRE_TEST_PG_URL or SPIRE_TEST_PG_URL_FILE "
            "(ctest does, starting a cluster with scripts/pg-cluster), or SPIRE_TEST_SKIP_PG=1 "
            "for a quick local loop without PostgreSQL");
    }
    std::ifstream in(file);
    std::string url;
    if (!in || !std::getline(in, url) || trimmed(url).empty()) {
        throw std::runtime_error("SPIRE_TEST_PG_URL_FILE=" + file +
                                 " is missing or empty: is the test cluster running? "
                                 "(scripts/pg-cluster start DIR writes DIR/url)");
    }
    return trimmed(url);
}

std::string random_hex(std::size_t digits) {
    static thread_local std::mt19937_64 generator{std::random_device{}()};
    static constexpr char HEX[] = "0123456789abcdef";
    std::string text;
    for (std::size_t i = 0; i < digits; ++i) {
        text += HEX[generator() % 16];
    }
    return text;
}

std::unique_ptr<db::Database> open_or_throw(const std::string& url, std::size_t pool_size) {
    auto opened = db::Database::open(url, pool_size);
    if (!opened) {
        throw std::runtime_error("cannot open test database: " + opened.error().message + ": " +
                                 opened.error().detail);
    }
    return std::move(*opened);
}

// Runs one statement on the cluster's own database, outside any test schema.
void on_cluster(const std::string& base_url, const std::string& sql) {
    auto admin = open_or_throw(base_url, 1);
    admin->transact([&](soci::session& session) { admin->execute_script(session, sql.c_str()); });
}

} // namespace

std::string engine_test_name(const ::testing::TestParamInfo<Engine>& info) {
    return ::testing::PrintToString(info.param);
}

bool postgresql_skipped() {
    return env("SPIRE_TEST_SKIP_PG") == "1";
}

std::unique_ptr<TestDatabase> TestDatabase::create(Engine engine, std::size_t pool_size) {
    if (engine == Engine::Sqlite) {
        namespace fs = std::filesystem;
        std::string pattern = (fs::temp_directory_path() / "spire-test-XXXXXX").string();
        if (!::mkdtemp(pattern.data())) {
            throw std::runtime_error("mkdtemp failed for " + pattern);
        }
        std::unique_ptr<TestDatabase> test(
            new TestDatabase(engine, "sqlite:" + pattern + "/test.db"));
        test->m_directory = pattern;
        test->m_db = open_or_throw(test->m_url, pool_size);
        return test;
    }

    std::string base_url = postgresql_url();
    std::string schema = "t_" + random_hex(16);
    char separator = base_url.find('?') == std::string::npos ? '?' : '&';
    std::unique_ptr<TestDatabase> test(
        new TestDatabase(engine, base_url + separator + "options=-csearch_path%3D" + schema));
    on_cluster(base_url, "CREATE SCHEMA " + schema);
    // From here on the destructor drops the schema, even if opening fails.
    test->m_base_url = base_url;
    test->m_schema = schema;
    test->m_db = open_or_throw(test->m_url, pool_size);
    return test;
}

TestDatabase::~TestDatabase() {
    m_db.reset();
    try {
        if (!m_schema.empty()) {
            // Without the "drop cascades to table ..." notice for every table.
            on_cluster(m_base_url,
                       "SET client_min_messages = warning; DROP SCHEMA " + m_schema + " CASCADE");
        }
        if (!m_directory.empty()) {
            std::filesystem::remove_all(m_directory);
        }
    } catch (const std::exception& e) {
        std::cerr << "warning: cannot clean up test database " << m_url << ": " << e.what() << "\n";
    }
}

std::unique_ptr<TestDatabase> migrated_database(Engine engine, std::size_t pool_size) {
    auto test = TestDatabase::create(engine, pool_size);
    auto migrated = db::migrate(test->db());
    if (!migrated) {
        throw std::runtime_error("cannot migrate test database: " + migrated.error().message +
                                 ": " + migrated.error().detail);
    }
    return test;
}

void DatabaseTest::SetUp() {
    if (engine() == Engine::Postgresql && postgresql_skipped()) {
        GTEST_SKIP() << "SPIRE_TEST_SKIP_PG=1";
    }
    try {
        m_database = TestDatabase::create(engine());
    } catch (const std::exception& e) {
        FAIL() << e.what();
    }
}

void DatabaseTest::TearDown() {
    m_database.reset();
}

void MigratedDatabaseTest::SetUp() {
    DatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
        return;
    }
    auto migrated = db::migrate(db());
    ASSERT_TRUE(migrated) << migrated.error().message << ": " << migrated.error().detail;
}

} // namespace spire::test
