#include "support.hpp"

#include "core/crypto.hpp"
#include "db/migrations.hpp"

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <iostream>

namespace spire::bench {

namespace {

std::unique_ptr<db::Database> open_or_throw(const std::string& url, std::size_t pool) {
    auto opened = db::Database::open(url, pool);
    if (!opened)
        throw std::runtime_error("cannot open " + url + ": " + opened.error().message + " " +
                                 opened.error().detail);
    return std::move(*opened);
}

// Runs `sql` on its own connection to `url`, in a transaction.
void on_cluster(const std::string& url, const std::string& sql) {
    auto admin = open_or_throw(url, 1);
    admin->transact([&](soci::session& session) { admin->execute_script(session, sql.c_str()); });
}

} // namespace

std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value ? value : "";
}

std::shared_ptr<db::Database> open_migrated(const std::string& url, std::size_t pool) {
    std::shared_ptr<db::Database> database = open_or_throw(url, pool);
    auto migrated = db::migrate(*database);
    if (!migrated)
        throw std::runtime_error("migration failed: " + migrated.error().message);
    return database;
}

std::unique_ptr<ScratchDatabase> ScratchDatabase::sqlite(const char* program) {
    std::string pattern = (std::filesystem::temp_directory_path() / "spire-bench-XXXXXX").string();
    if (!::mkdtemp(pattern.data()))
        throw std::runtime_error("mkdtemp failed");
    std::unique_ptr<ScratchDatabase> scratch(new ScratchDatabase(program, "sqlite"));
    scratch->m_directory = pattern;
    scratch->m_url = "sqlite:" + pattern + "/bench.db";
    return scratch;
}

std::unique_ptr<ScratchDatabase> ScratchDatabase::postgresql(const char* program,
                                                             const std::string& base_url) {
    std::unique_ptr<ScratchDatabase> scratch(new ScratchDatabase(program, "postgresql"));
    scratch->m_base_url = base_url;
    scratch->m_schema = "bench_" + sha256_hex(random_token(16)).substr(0, 12);
    on_cluster(base_url, "CREATE SCHEMA " + scratch->m_schema);
    char separator = base_url.find('?') == std::string::npos ? '?' : '&';
    scratch->m_url = base_url + separator + "options=-csearch_path%3D" + scratch->m_schema;
    return scratch;
}

ScratchDatabase::~ScratchDatabase() {
    try {
        if (!m_schema.empty())
            on_cluster(m_base_url,
                       "SET client_min_messages = warning; DROP SCHEMA " + m_schema + " CASCADE");
        if (!m_directory.empty())
            std::filesystem::remove_all(m_directory);
    } catch (const std::exception& e) {
        std::cerr << m_program << ": cleanup failed: " << e.what() << "\n";
    }
}

void report(benchmark::State& state, std::vector<double>& samples, Unit unit) {
    if (samples.empty())
        return;
    std::sort(samples.begin(), samples.end());
    auto at = [&](double q) {
        return samples[std::min(samples.size() - 1, static_cast<std::size_t>(q * samples.size()))];
    };
    state.counters[std::string("median_") + unit.suffix] = at(0.5) / unit.seconds;
    state.counters[std::string("p99_") + unit.suffix] = at(0.99) / unit.seconds;
    state.counters["samples"] = static_cast<double>(samples.size());
}

int run(int argc, char** argv, const char* program, const std::function<void()>& set_up) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 2;
    try {
        set_up();
    } catch (const std::exception& e) {
        std::cerr << program << ": setting up failed: " << e.what() << "\n";
        return 2;
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}

} // namespace spire::bench
