// Budget-ledger benchmark (issue 4, DESIGN.md §10), run by bench/ledger.sh:
//
//   the budget summary (FundsService::budget: the fund, its programmes and
//   every year × programme balance, with the authorisation decision) of a
//   fund with 1 000 000 ledger entries. Bar: median < 50 ms on SQLite and on
//   PostgreSQL.
//
// Balances are sums of entries. What keeps the summary fast is the roll-up
// (migrations/funds/001_funds.sql): immutable checkpoints, each summing a
// prefix of the fund's ledger, written by the posting that leaves
// FundsOptions::checkpoint_every (1 000) entries after the newest one. A
// summary reads the newest checkpoint and sums the entries after it. The
// data here is loaded the same way (a checkpoint after every 1 000 entries)
// and leaves 1 000 entries after the last checkpoint: one more than the
// service ever leaves, the worst case.
//
// Also measured, for context: the same sums as one full scan of the ledger
// (what the summary would cost without the roll-up), a posting on the big
// fund (FundsService::post: lock, balances, checks, insert, audit), and the
// first ledger page with its total.
//
// SQLite (a file in a temporary directory) unless SPIRE_BENCH_SQLITE=0;
// PostgreSQL when SPIRE_BENCH_PG_URL names a database, in a schema of its
// own that is dropped afterwards. Each benchmark reports the median and p99 of its
// single operations as counters (median_ms/p99_ms); Google Benchmark's own
// "Time" column is the mean. The entries go in through the store functions
// (multi-row INSERTs, 50 000 rows per transaction): posting a million of
// them one by one through the service would take an hour.

#include "core/crypto.hpp"
#include "core/time.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "funds/service.hpp"
#include "funds/store.hpp"
#include "identity/store.hpp"

#include <algorithm>
#include <benchmark/benchmark.h>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <random>
#include <soci/soci.h>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using spire::Ore;
using spire::funds::EntryKind;
using spire::funds::FundsService;
using spire::funds::LedgerEntry;
using spire::identity::Id;
using spire::identity::Role;
namespace funds_store = spire::funds::store;
namespace identity_store = spire::identity::store;

constexpr long long ENTRIES = 1'000'000;
constexpr int CHECKPOINT_EVERY = 1'000; // FundsOptions' default
constexpr int ENTRIES_PER_TRANSACTION = 50'000;
constexpr int FIRST_YEAR = 2017, LAST_YEAR = 2020;
constexpr int PROGRAMMES = 4;

std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value ? value : "";
}

std::unique_ptr<spire::db::Database> open_or_throw(const std::string& url, std::size_t pool) {
    auto opened = spire::db::Database::open(url, pool);
    if (!opened)
        throw std::runtime_error("cannot open " + url + ": " + opened.error().message + " " +
                                 opened.error().detail);
    return std::move(*opened);
}

template <class T>
T must(spire::Result<T> result, const char* what) {
    if (!result)
        throw std::runtime_error(std::string(what) + ": " + result.error().message);
    return std::move(*result);
}

// One database loaded with the benchmark's fund, removed again on destruction.
class BenchDatabase {
public:
    static std::unique_ptr<BenchDatabase> sqlite() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "spire-bench-XXXXXX").string();
        if (!::mkdtemp(pattern.data()))
            throw std::runtime_error("mkdtemp failed");
        std::unique_ptr<BenchDatabase> bench(new BenchDatabase("sqlite"));
        bench->m_directory = pattern;
        bench->open("sqlite:" + pattern + "/bench.db");
        return bench;
    }

    static std::unique_ptr<BenchDatabase> postgresql(const std::string& base_url) {
        std::unique_ptr<BenchDatabase> bench(new BenchDatabase("postgresql"));
        bench->m_base_url = base_url;
        bench->m_schema = "bench_" + spire::sha256_hex(spire::random_token(16)).substr(0, 12);
        on_cluster(base_url, "CREATE SCHEMA " + bench->m_schema);
        char separator = base_url.find('?') == std::string::npos ? '?' : '&';
        bench->open(base_url + separator + "options=-csearch_path%3D" + bench->m_schema);
        return bench;
    }

    ~BenchDatabase() {
        m_service.reset();
        m_database.reset();
        try {
            if (!m_schema.empty())
                on_cluster(m_base_url, "SET client_min_messages = warning; DROP SCHEMA " +
                                           m_schema + " CASCADE");
            if (!m_directory.empty())
                std::filesystem::remove_all(m_directory);
        } catch (const std::exception& e) {
            std::cerr << "ledger_bench: cleanup failed: " << e.what() << "\n";
        }
    }

    const std::string& name() const { return m_name; }
    FundsService& service() { return *m_service; }
    spire::db::Database& database() { return *m_database; }
    Id fund() const { return m_fund; }
    const std::vector<Id>& programmes() const { return m_programmes; }
    spire::identity::Actor manager() const {
        return spire::identity::Actor::web(&m_manager, "bench");
    }

private:
    explicit BenchDatabase(std::string name) : m_name(std::move(name)) {}

    static void on_cluster(const std::string& url, const std::string& sql) {
        auto admin = open_or_throw(url, 1);
        admin->transact(
            [&](soci::session& session) { admin->execute_script(session, sql.c_str()); });
    }

    void open(const std::string& url) {
        m_database = open_or_throw(url, 2);
        auto migrated = spire::db::migrate(*m_database);
        if (!migrated)
            throw std::runtime_error("migration failed: " + migrated.error().message);
        m_service = std::make_unique<FundsService>(m_database);
        load();
    }

    // An organisation, a fund manager, the fund 2017–2020 with four
    // programmes, and its ledger.
    void load() {
        const auto started = std::chrono::steady_clock::now();
        const auto system = spire::identity::Actor::system("bench");
        const std::string now = spire::to_db_time(spire::Clock::now());
        Id organisation = 0, user_id = 0;
        m_database->transact([&](soci::session& sql) {
            organisation =
                identity_store::insert_organisation(sql, "bench", "Benchmark kommune", now);
            spire::identity::User user;
            user.organisation_id = organisation;
            user.email = "fund-manager@bench.example";
            user.name = "Fondsforvalter Benchmark";
            user_id = identity_store::insert_user(sql, user, "", now);
        });
        spire::funds::FundInput input{
            organisation, "Forsknings- og innovasjonsfond", "", FIRST_YEAR, LAST_YEAR, true, true};
        m_fund = must(m_service->create_fund(system, input), "fund");
        const char* names[PROGRAMMES] = {"Intern risikokapital", "Forskningsmedfinansiering",
                                         "Sosiale entreprenører", "FoU-kontrakter"};
        for (int p = 0; p < PROGRAMMES; ++p) {
            spire::funds::ProgrammeInput programme{names[p], "", spire::funds::ProgrammeKind::Other,
                                                   true, p};
            m_programmes.push_back(
                must(m_service->create_programme(system, m_fund, programme), "programme"));
        }
        m_database->transact([&](soci::session& sql) {
            spire::identity::Grant grant{
                0, user_id, organisation, Role::FundManager, std::nullopt, m_fund};
            Id grant_id = identity_store::insert_grant(sql, grant, std::nullopt, now);
            grant.id = grant_id;
            m_manager.user_id = user_id;
            m_manager.organisation_id = organisation;
            m_manager.name = "Fondsforvalter Benchmark";
            m_manager.grants = {grant};
        });
        load_ledger(organisation, user_id, now);
        std::cerr << "ledger_bench: " << m_name << " loaded " << ENTRIES << " entries in "
                  << std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::steady_clock::now() - started)
                         .count()
                  << " s\n";
    }

    // Frames for every cell first, then a deterministic mix of
    // reservations, commitments, payments and releases (a third of them for
    // an application), in transactions of 50 000 rows, with a checkpoint
    // after every 1 000 entries except the last 1 000.
    void load_ledger(Id organisation, Id author, const std::string& now) {
        std::mt19937_64 random(2017);
        auto uniform = [&](long long low, long long high) {
            return std::uniform_int_distribution<long long>(low, high)(random);
        };
        auto entry_at = [&](long long index) {
            LedgerEntry entry;
            entry.fund_id = m_fund;
            entry.organisation_id = organisation;
            entry.author_user_id = author;
            entry.created_at = now;
            const int cells = (LAST_YEAR - FIRST_YEAR + 1) * PROGRAMMES;
            if (index < cells) {
                entry.year = FIRST_YEAR + static_cast<int>(index / PROGRAMMES);
                entry.programme_id = m_programmes[static_cast<std::size_t>(index % PROGRAMMES)];
                entry.kind = EntryKind::Frame;
                entry.amount_ore = 900'000'000'000; // 9 000 000 000 kr
                entry.reason = "Årlig ramme";
                return entry;
            }
            entry.year = static_cast<int>(uniform(FIRST_YEAR, LAST_YEAR));
            entry.programme_id = m_programmes[static_cast<std::size_t>(uniform(0, PROGRAMMES - 1))];
            const long long dice = uniform(1, 100);
            if (dice <= 15) {
                entry.kind = EntryKind::Reserve;
            } else if (dice <= 60) {
                entry.kind = EntryKind::Commit;
            } else if (dice <= 90) {
                entry.kind = EntryKind::Disburse;
            } else {
                entry.kind = EntryKind::Release;
                entry.release_of =
                    dice <= 95 ? spire::funds::ReleaseOf::Reserve : spire::funds::ReleaseOf::Commit;
            }
            entry.amount_ore = uniform(1'000, 50'000) * 100;
            if (dice % 3 == 0)
                entry.reference = spire::funds::Reference{spire::funds::ReferenceType::Application,
                                                          uniform(1, 50'000)};
            entry.reason = "Benchmarkpostering";
            return entry;
        };

        std::vector<LedgerEntry> chunk;
        chunk.reserve(CHECKPOINT_EVERY);
        for (long long first = 0; first < ENTRIES; first += ENTRIES_PER_TRANSACTION) {
            m_database->transact([&](soci::session& sql) {
                const long long end = std::min(ENTRIES, first + ENTRIES_PER_TRANSACTION);
                for (long long start = first; start < end; start += CHECKPOINT_EVERY) {
                    chunk.clear();
                    for (long long i = start; i < std::min(end, start + CHECKPOINT_EVERY); ++i)
                        chunk.push_back(entry_at(i));
                    funds_store::insert_entries(sql, chunk);
                    if (start + CHECKPOINT_EVERY < ENTRIES)
                        funds_store::write_checkpoint(sql, m_fund, now);
                }
            });
        }
        if (m_name == "postgresql") {
            // What autovacuum would do soon after such a load: statistics
            // and the visibility map (for index-only scans).
            m_database->lease().session() << "VACUUM ANALYZE";
        }
    }

    std::string m_name;
    std::filesystem::path m_directory; // SQLite
    std::string m_base_url, m_schema;  // PostgreSQL
    std::shared_ptr<spire::db::Database> m_database;
    std::unique_ptr<FundsService> m_service;
    Id m_fund = 0;
    std::vector<Id> m_programmes;
    spire::identity::Principal m_manager;
};

using Seconds = std::chrono::duration<double>;

// Median and p99 of the single operations, in milliseconds.
void report(benchmark::State& state, std::vector<double>& samples) {
    if (samples.empty())
        return;
    std::sort(samples.begin(), samples.end());
    auto at = [&](double q) {
        return samples[std::min(samples.size() - 1, static_cast<std::size_t>(q * samples.size()))];
    };
    state.counters["median_ms"] = at(0.5) * 1e3;
    state.counters["p99_ms"] = at(0.99) * 1e3;
    state.counters["samples"] = static_cast<double>(samples.size());
}

template <class Operation>
void measure(benchmark::State& state, Operation&& operation) {
    std::vector<double> samples;
    for (auto _ : state) {
        auto start = std::chrono::steady_clock::now();
        if (!operation()) {
            state.SkipWithError("the operation failed");
            break;
        }
        samples.push_back(Seconds(std::chrono::steady_clock::now() - start).count());
    }
    report(state, samples);
}

void budget_summary(benchmark::State& state, BenchDatabase* bench) {
    long long checked = 0;
    measure(state, [&] {
        auto summary = bench->service().budget(bench->manager(), bench->fund());
        if (!summary)
            return false;
        checked = summary->total().entries;
        benchmark::DoNotOptimize(summary->total().available());
        return true;
    });
    if (checked < ENTRIES)
        state.SkipWithError("the summary does not count every entry");
}

// For comparison: the same sums from every entry, as without the roll-up.
void full_scan(benchmark::State& state, BenchDatabase* bench) {
    measure(state, [&] {
        auto buckets = bench->database().read([&](soci::session& sql) {
            return funds_store::bucket_sums_full_scan(sql, bench->fund());
        });
        benchmark::DoNotOptimize(buckets.data());
        return !buckets.empty();
    });
}

void post_reserve(benchmark::State& state, BenchDatabase* bench) {
    spire::funds::Posting posting;
    posting.kind = EntryKind::Reserve;
    posting.cell = {2019, bench->programmes()[1]};
    posting.amount = 10'000 * 100;
    posting.reason = "Egenandel, benchmark";
    measure(state, [&] {
        auto posted = bench->service().post(bench->manager(), bench->fund(), posting);
        return posted.has_value();
    });
}

void ledger_page(benchmark::State& state, BenchDatabase* bench) {
    spire::funds::LedgerFilter filter;
    filter.year = 2018;
    filter.programme_id = bench->programmes()[2];
    measure(state, [&] {
        auto page = bench->service().ledger(bench->manager(), bench->fund(), filter);
        return page && page->entries.size() == 50 && page->total > 0;
    });
}

void register_for(BenchDatabase* bench) {
    benchmark::RegisterBenchmark(("budget_summary/" + bench->name()).c_str(), budget_summary, bench)
        ->Unit(benchmark::kMillisecond)
        ->MinTime(2.0);
    benchmark::RegisterBenchmark(("full_scan/" + bench->name()).c_str(), full_scan, bench)
        ->Unit(benchmark::kMillisecond)
        ->Iterations(5);
    benchmark::RegisterBenchmark(("post_reserve/" + bench->name()).c_str(), post_reserve, bench)
        ->Unit(benchmark::kMillisecond)
        ->Iterations(200);
    benchmark::RegisterBenchmark(("ledger_page/" + bench->name()).c_str(), ledger_page, bench)
        ->Unit(benchmark::kMillisecond)
        ->MinTime(1.0);
}

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 2;
    std::vector<std::unique_ptr<BenchDatabase>> databases;
    try {
        if (env("SPIRE_BENCH_SQLITE") != "0") {
            std::cerr << "ledger_bench: loading SQLite (" << ENTRIES << " ledger entries)\n";
            databases.push_back(BenchDatabase::sqlite());
        }
        if (auto url = env("SPIRE_BENCH_PG_URL"); !url.empty()) {
            std::cerr << "ledger_bench: loading PostgreSQL (" << ENTRIES << " ledger entries)\n";
            databases.push_back(BenchDatabase::postgresql(url));
        }
    } catch (const std::exception& e) {
        std::cerr << "ledger_bench: setting up failed: " << e.what() << "\n";
        return 2;
    }
    for (auto& database : databases)
        register_for(database.get());
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
