#pragma once

// `spire demo --scale national` (issue 5, item 7): a synthetic country of
// 356 municipalities, each with a unit tree, users, one fund 2017–2020 with
// its four programmes and frames, calls with criteria and forms, and in all
// ~100 000 applications with budgets, financing, partners, answers,
// attachments, history, revisions and search documents – for benchmarks and
// for trying the lists at a realistic size.
//
// Deterministic for a seed: every choice comes from one std::mt19937_64
// (whose output the standard fixes) through distributions written here, not
// std::uniform_*_distribution (whose output differs between libraries).
// The rows are written directly by the bulk writer in
// app/demo_national_store.hpp, in one transaction.

#include "app/identity_commands.hpp"
#include "core/error.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace spire::db {
class Database;
}

namespace spire::app {

struct NationalOptions {
    std::uint64_t seed = 2017;
    int organisations = 356;          // 1..356, the largest first
    long long applications = 100'000; // in all, spread Zipf-like by size
    // The argon2id hash every generated user gets: hashing one password per
    // user would take longer than everything else together.
    std::string password_hash;
};

struct NationalSummary {
    int organisations = 0;
    long long units = 0;
    long long users = 0;
    long long calls = 0;
    long long applications = 0;
    long long rows = 0;       // every row written
    std::string largest_slug; // the organisation with the most applications
};

// The e-mail of an organisation's fund manager (and of its other staff:
// "auditor@", "admin@", "decision-maker@" on the same domain).
std::string national_fund_manager_email(const std::string& slug);

// Fills a database that has no organisations yet. Throws on a database
// error (the transaction is rolled back); refuses (Conflict) when the
// database already has organisations.
Result<NationalSummary> create_national_demo(db::Database& database,
                                             const NationalOptions& options);

// The search words the generated titles, summaries and answers are made of,
// for benchmarks (bench/applications.sh) and tests.
const std::vector<std::string>& national_search_words();

} // namespace spire::app
