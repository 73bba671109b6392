#pragma once

// What the benchmark programs in bench/ share (DESIGN.md §10): a database of
// the benchmark's own that is removed again afterwards, timing single
// operations into median and p99 counters, and main().

#include "core/error.hpp"
#include "db/database.hpp"

#include <benchmark/benchmark.h>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace spire::bench {

// The environment variable `name`, or "" when it is not set.
std::string env(const char* name);

// The value of `result`; throws std::runtime_error("<what>: <message>") when
// it holds an error.
template <class T>
T must(Result<T> result, const char* what) {
    if (!result)
        throw std::runtime_error(std::string(what) + ": " + result.error().message);
    return std::move(*result);
}

// `url` opened with `pool` sessions and migrated; throws std::runtime_error
// when either fails.
std::shared_ptr<db::Database> open_migrated(const std::string& url, std::size_t pool);

// A database of the benchmark's own: a SQLite file in a fresh temporary
// directory, or a schema of its own (bench_<12 hex digits>) in an existing
// PostgreSQL database. Destroying it removes the directory or drops the
// schema (a failure is reported on stderr as "<program>: cleanup failed"), so
// every connection to url() must be closed first.
class ScratchDatabase {
public:
    static std::unique_ptr<ScratchDatabase> sqlite(const char* program);
    static std::unique_ptr<ScratchDatabase> postgresql(const char* program,
                                                       const std::string& base_url);
    ~ScratchDatabase();
    ScratchDatabase(const ScratchDatabase&) = delete;
    ScratchDatabase& operator=(const ScratchDatabase&) = delete;

    // "sqlite" or "postgresql": the engine part of each benchmark's name.
    const std::string& name() const { return m_name; }
    // What to open: the SQLite file, or the PostgreSQL database with the
    // schema as its search_path.
    const std::string& url() const { return m_url; }

private:
    ScratchDatabase(const char* program, std::string name)
        : m_program(program), m_name(std::move(name)) {}

    const char* m_program;
    std::string m_name;
    std::string m_url;
    std::filesystem::path m_directory; // SQLite
    std::string m_base_url, m_schema;  // PostgreSQL
};

// A scratch database, opened with `pool` sessions and migrated, and the
// service under measurement on it. A benchmark's database derives from it
// and loads its data in its constructor. The service and the database close
// their connections before the scratch database goes.
template <class Service>
class ServiceDatabase {
public:
    ServiceDatabase(std::unique_ptr<ScratchDatabase> scratch, std::size_t pool)
        : m_scratch(std::move(scratch)), m_database(open_migrated(m_scratch->url(), pool)),
          m_service(std::make_unique<Service>(m_database)) {}

    const std::string& name() const { return m_scratch->name(); }
    Service& service() { return *m_service; }
    db::Database& database() { return *m_database; }

protected:
    std::unique_ptr<ScratchDatabase> m_scratch;
    std::shared_ptr<db::Database> m_database;
    std::unique_ptr<Service> m_service;
};

// The databases a benchmark program runs on, each loaded as a
// Loaded(scratch database): SQLite when `sqlite`, PostgreSQL when
// SPIRE_BENCH_PG_URL names a database. Before each, "<program>: loading
// SQLite<sqlite_note>" (or PostgreSQL<postgresql_note>) on stderr.
template <class Loaded>
std::vector<std::unique_ptr<Loaded>> load_databases(const char* program, bool sqlite,
                                                    const std::string& sqlite_note,
                                                    const std::string& postgresql_note) {
    std::vector<std::unique_ptr<Loaded>> databases;
    if (sqlite) {
        std::cerr << program << ": loading SQLite" << sqlite_note << "\n";
        databases.push_back(std::make_unique<Loaded>(ScratchDatabase::sqlite(program)));
    }
    if (auto url = env("SPIRE_BENCH_PG_URL"); !url.empty()) {
        std::cerr << program << ": loading PostgreSQL" << postgresql_note << "\n";
        databases.push_back(std::make_unique<Loaded>(ScratchDatabase::postgresql(program, url)));
    }
    return databases;
}

// Registers function(state, database) as the benchmark "<name>/<engine>".
template <class Database, class Function>
benchmark::internal::Benchmark* register_on(Database* database, const std::string& name,
                                            Function function) {
    return benchmark::RegisterBenchmark((name + "/" + database->name()).c_str(), function,
                                        database);
}

using Seconds = std::chrono::duration<double>;

// How a benchmark reports its median and p99: as the counters
// median_<suffix> and p99_<suffix>, in units of `seconds`.
struct Unit {
    double seconds;
    const char* suffix;
};
inline constexpr Unit MICROSECONDS{1e-6, "us"};
inline constexpr Unit MILLISECONDS{1e-3, "ms"};

// Sets the counters median_<suffix>, p99_<suffix> and samples from the
// durations of single operations (in seconds; sorts them). Google
// Benchmark's own "Time" column is the mean.
void report(benchmark::State& state, std::vector<double>& samples, Unit unit);

// Why an operation failed; nullopt when it succeeded.
using Failure = std::optional<std::string>;

inline Failure as_failure(Failure failure) {
    return failure;
}
inline Failure as_failure(bool succeeded) {
    return succeeded ? std::nullopt : Failure("the operation failed");
}

// Runs `operation` once per benchmark iteration, timing each run, and
// report()s the median and p99 in `unit`. The operation returns whether it
// succeeded (bool) or a Failure; the first failure ends the benchmark with
// that error ("the operation failed" for false).
template <class Operation>
void measure(benchmark::State& state, Unit unit, Operation&& operation) {
    std::vector<double> samples;
    samples.reserve(1 << 16);
    for (auto _ : state) {
        auto start = std::chrono::steady_clock::now();
        Failure failure = as_failure(operation());
        if (failure) {
            state.SkipWithError(failure->c_str());
            break;
        }
        samples.push_back(Seconds(std::chrono::steady_clock::now() - start).count());
    }
    report(state, samples, unit);
}

// main() of a benchmark program: initialises Google Benchmark (exit 2 on an
// argument it does not know), calls set_up() to load the databases and
// register the benchmarks (exit 2 with "<program>: setting up failed: ..."
// when it throws), then runs them (exit 0).
int run(int argc, char** argv, const char* program, const std::function<void()>& set_up);

} // namespace spire::bench
