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
// own that is dropped afterwards (both bench/support.hpp). Each benchmark
// reports the median and p99 of its single operations as counters
// (median_ms/p99_ms); Google Benchmark's own "Time" column is the mean. The
// entries go in through the store functions (multi-row INSERTs, 50 000 rows
// per transaction): posting a million of them one by one through the
// service would take an hour.

#include "core/time.hpp"
#include "db/database.hpp"
#include "funds/service.hpp"
#include "funds/store.hpp"
#include "identity/store.hpp"
#include "support.hpp"

#include <algorithm>
#include <benchmark/benchmark.h>
#include <chrono>
#include <iostream>
#include <memory>
#include <random>
#include <soci/soci.h>
#include <string>
#include <vector>

namespace {

using spire::Ore;
using spire::bench::measure;
using spire::bench::MILLISECONDS;
using spire::bench::must;
using spire::bench::register_on;
using spire::bench::ScratchDatabase;
using spire::funds::EntryKind;
using spire::funds::FundsService;
using spire::funds::LedgerEntry;
using spire::identity::Id;
using spire::identity::Role;
namespace funds_store = spire::funds::store;
namespace identity_store = spire::identity::store;

constexpr const char* PROGRAM = "ledger_bench";

constexpr long long ENTRIES = 1'000'000;
constexpr int CHECKPOINT_EVERY = 1'000; // FundsOptions' default
constexpr int ENTRIES_PER_TRANSACTION = 50'000;
constexpr int FIRST_YEAR = 2017, LAST_YEAR = 2020;
constexpr int PROGRAMMES = 4;

// One database loaded with the benchmark's fund, removed again on destruction.
class BenchDatabase : public spire::bench::ServiceDatabase<FundsService> {
public:
    explicit BenchDatabase(std::unique_ptr<ScratchDatabase> scratch)
        : ServiceDatabase(std::move(scratch), 2) {
        load();
    }

    Id fund() const { return m_fund; }
    const std::vector<Id>& programmes() const { return m_programmes; }
    spire::identity::Actor manager() const {
        return spire::identity::Actor::web(&m_manager, "bench");
    }

private:
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
        std::cerr << PROGRAM << ": " << name() << " loaded " << ENTRIES << " entries in "
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
        if (name() == "postgresql") {
            // What autovacuum would do soon after such a load: statistics
            // and the visibility map (for index-only scans).
            m_database->lease().session() << "VACUUM ANALYZE";
        }
    }

    Id m_fund = 0;
    std::vector<Id> m_programmes;
    spire::identity::Principal m_manager;
};

void budget_summary(benchmark::State& state, BenchDatabase* bench) {
    long long checked = 0;
    measure(state, MILLISECONDS, [&] {
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
    measure(state, MILLISECONDS, [&] {
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
    measure(state, MILLISECONDS, [&] {
        auto posted = bench->service().post(bench->manager(), bench->fund(), posting);
        return posted.has_value();
    });
}

void ledger_page(benchmark::State& state, BenchDatabase* bench) {
    spire::funds::LedgerFilter filter;
    filter.year = 2018;
    filter.programme_id = bench->programmes()[2];
    measure(state, MILLISECONDS, [&] {
        auto page = bench->service().ledger(bench->manager(), bench->fund(), filter);
        return page && page->entries.size() == 50 && page->total > 0;
    });
}

void register_for(BenchDatabase* bench) {
    register_on(bench, "budget_summary", budget_summary)
        ->Unit(benchmark::kMillisecond)
        ->MinTime(2.0);
    register_on(bench, "full_scan", full_scan)->Unit(benchmark::kMillisecond)->Iterations(5);
    register_on(bench, "post_reserve", post_reserve)
        ->Unit(benchmark::kMillisecond)
        ->Iterations(200);
    register_on(bench, "ledger_page", ledger_page)->Unit(benchmark::kMillisecond)->MinTime(1.0);
}

} // namespace

int main(int argc, char** argv) {
    std::vector<std::unique_ptr<BenchDatabase>> databases;
    return spire::bench::run(argc, argv, PROGRAM, [&] {
        const std::string note = " (" + std::to_string(ENTRIES) + " ledger entries)";
        databases = spire::bench::load_databases<BenchDatabase>(
            PROGRAM, spire::bench::env("SPIRE_BENCH_SQLITE") != "0", note, note);
        for (auto& database : databases)
            register_for(database.get());
    });
}
