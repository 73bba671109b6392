// Identity benchmark (DESIGN.md §10), run by bench/identity.sh:
//
//   (a) what every logged-in request pays before its handler runs: session
//       lookup (IdentityService::authenticate) plus one authorisation
//       decision, on a database with 10 000 users and 20 000 live sessions,
//       picking sessions at random so that caches do not flatter it;
//       beside it, clearly apart, the common case of the same session
//       again within IdentityService's 2 s cache;
//   (b) what one login costs: argon2id verification alone, and the whole
//       IdentityService::login (verification, session row, audit entry).
//
// SQLite always (a file in a temporary directory); PostgreSQL as well when
// SPIRE_BENCH_PG_URL names a database, in a schema of its own that is
// dropped afterwards (both bench/support.hpp). Each benchmark reports the
// median and p99 of its single operations as counters (median_us/p99_us, or
// median_ms/p99_ms); Google Benchmark's own "Time" column is the mean.
//
// The bulk data goes in through the store functions in large transactions:
// 10 000 argon2id hashes through the service would take a quarter of an
// hour. Only the login benchmark's user has a real password hash.

#include "core/crypto.hpp"
#include "core/time.hpp"
#include "db/database.hpp"
#include "identity/password.hpp"
#include "identity/policy.hpp"
#include "identity/service.hpp"
#include "identity/store.hpp"
#include "support.hpp"

#include <algorithm>
#include <benchmark/benchmark.h>
#include <chrono>
#include <cstddef>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using spire::bench::Failure;
using spire::bench::measure;
using spire::bench::MICROSECONDS;
using spire::bench::MILLISECONDS;
using spire::bench::register_on;
using spire::bench::ScratchDatabase;
using spire::identity::Id;
using spire::identity::IdentityService;
using spire::identity::Role;
namespace store = spire::identity::store;

constexpr const char* PROGRAM = "identity_bench";

constexpr int USERS = 10'000;
constexpr int SESSIONS_PER_USER = 2;
constexpr int SERVICE_UNITS = 100;
constexpr const char* LOGIN_EMAIL = "bench-login@bench.example";
constexpr const char* LOGIN_PASSWORD = "bench-password-2017";
// Rows per write transaction while loading.
constexpr int BATCH = 1'000;

// One database loaded with the benchmark's data, removed again on destruction.
class BenchDatabase : public spire::bench::ServiceDatabase<IdentityService> {
public:
    explicit BenchDatabase(std::unique_ptr<ScratchDatabase> scratch)
        : ServiceDatabase(std::move(scratch), 1) {
        load();
    }

    const std::vector<std::string>& tokens() const { return m_tokens; }

    // Marks every session as just used. authenticate() records activity
    // once a minute per session (a write); a benchmark run starting more
    // than a minute after loading would otherwise measure those writes.
    void refresh_sessions() {
        const std::string now = spire::to_db_time(spire::Clock::now());
        m_database->transact([&](soci::session& sql) {
            sql << "UPDATE user_session SET last_seen_at = :now", soci::use(now, "now");
        });
    }

private:
    // An organisation with sector -> 10 units -> 100 service units; 10 000
    // users, each an applicant at a service unit, every tenth also a
    // reviewer and every hundredth a fund manager; two live sessions each.
    void load() {
        const std::string now = spire::to_db_time(spire::Clock::now());
        const std::string expires = spire::to_db_time(spire::Clock::now() + std::chrono::hours(12));
        Id organisation = 0;
        std::vector<Id> service_units;
        m_database->transact([&](soci::session& sql) {
            organisation = store::insert_organisation(sql, "bench", "Benchmark kommune", now);
            spire::identity::OrgUnit sector{
                0, organisation, std::nullopt, spire::identity::UnitKind::Sector, "Oppvekst", true};
            Id sector_id = store::insert_unit(sql, sector, now);
            for (int u = 0; u < SERVICE_UNITS / 10; ++u) {
                spire::identity::OrgUnit unit{0,
                                              organisation,
                                              sector_id,
                                              spire::identity::UnitKind::Unit,
                                              "Enhet " + std::to_string(u),
                                              true};
                Id unit_id = store::insert_unit(sql, unit, now);
                for (int s = 0; s < 10; ++s) {
                    spire::identity::OrgUnit service_unit{0,
                                                          organisation,
                                                          unit_id,
                                                          spire::identity::UnitKind::ServiceUnit,
                                                          "Tjenestested " + std::to_string(u) +
                                                              "-" + std::to_string(s),
                                                          true};
                    service_units.push_back(store::insert_unit(sql, service_unit, now));
                }
            }
        });

        const std::string dummy_hash = "$argon2id$v=19$m=65536,t=2,p=1$bench$bench";
        m_tokens.reserve(USERS * SESSIONS_PER_USER);
        for (int first = 0; first < USERS; first += BATCH) {
            m_database->transact([&](soci::session& sql) {
                for (int i = first; i < std::min(first + BATCH, USERS); ++i) {
                    spire::identity::User user;
                    user.organisation_id = organisation;
                    user.email = "user" + std::to_string(i) + "@bench.example";
                    user.name = "Bruker " + std::to_string(i);
                    Id user_id = store::insert_user(sql, user, dummy_hash, now);
                    auto grant = [&](Role role, std::optional<Id> unit) {
                        spire::identity::Grant g{0,    user_id, organisation,
                                                 role, unit,    std::nullopt};
                        store::insert_grant(sql, g, std::nullopt, now);
                    };
                    grant(Role::Applicant,
                          service_units[static_cast<std::size_t>(i) % service_units.size()]);
                    if (i % 10 == 0)
                        grant(Role::Reviewer, std::nullopt);
                    if (i % 100 == 0)
                        grant(Role::FundManager, std::nullopt);
                    for (int s = 0; s < SESSIONS_PER_USER; ++s) {
                        std::string token = spire::random_token(32);
                        store::StoredSession session{spire::sha256_hex(token),
                                                     user_id,
                                                     spire::random_token(32),
                                                     now,
                                                     now,
                                                     expires};
                        store::insert_session(sql, session, "192.0.2.1");
                        m_tokens.push_back(std::move(token));
                    }
                }
            });
        }
        std::shuffle(m_tokens.begin(), m_tokens.end(), std::mt19937_64{2017});

        spire::identity::NewUser login_user{organisation, "Innlogging Benchmark", LOGIN_EMAIL, "",
                                            LOGIN_PASSWORD};
        auto created = m_service->create_user(spire::identity::Actor::system("bench"), login_user);
        if (!created)
            throw std::runtime_error("cannot create the login user: " + created.error().message);
    }

    std::vector<std::string> m_tokens;
};

// Each run: the next of the first `sessions` (shuffled) tokens,
// authenticated, then one authorisation decision.
void authenticate_each(benchmark::State& state, BenchDatabase* bench, std::size_t sessions) {
    const auto& tokens = bench->tokens();
    std::size_t next = 0;
    measure(state, MICROSECONDS, [&]() -> Failure {
        auto session = bench->service().authenticate(tokens[next++ % sessions]);
        if (!session)
            return "a benchmark session did not authenticate";
        auto decision = spire::identity::authorize(&session->principal,
                                                   spire::identity::IdentityAction::ViewUnits,
                                                   {session->principal.organisation_id});
        bool may_apply = session->principal.has_role(Role::Applicant);
        benchmark::DoNotOptimize(decision);
        benchmark::DoNotOptimize(may_apply);
        return std::nullopt;
    });
}

// (a) The per-request overhead: find the session, then decide.
void authenticate_and_authorize(benchmark::State& state, BenchDatabase* bench) {
    bench->refresh_sessions();
    authenticate_each(state, bench, bench->tokens().size());
}

// Beside (a), never instead of it: the same, as requests mostly come. A page
// and its htmx fragments present the same session within a moment, and
// IdentityService remembers an authenticated session for 2 s, so most
// requests find it without the database. A rotating handful of sessions,
// each seen again long before its 2 s are up.
void session_cache_hit(benchmark::State& state, BenchDatabase* bench) {
    constexpr std::size_t ACTIVE_SESSIONS = 100;
    bench->refresh_sessions();
    bench->service().forget_cached_sessions();
    authenticate_each(state, bench, ACTIVE_SESSIONS);
}

// SELECT 1, run by `run_query` (a Database member such as read()).
template <class RunQuery>
void select_one(benchmark::State& state, RunQuery&& run_query) {
    measure(state, MICROSECONDS, [&] {
        int one = run_query([](soci::session& sql) {
            int value = 0;
            sql << "SELECT 1", soci::into(value);
            return value;
        });
        benchmark::DoNotOptimize(one);
        return true;
    });
}

// The floor under (a): an empty read transaction (BEGIN, SELECT 1, COMMIT)
// on a pooled session.
void empty_read(benchmark::State& state, BenchDatabase* bench) {
    select_one(state, [&](auto query) { return bench->database().read(query); });
}

// The floor under (a) itself: a lookup is one statement without a
// transaction (Database::single_statement), so one round trip on PostgreSQL.
void one_statement(benchmark::State& state, BenchDatabase* bench) {
    select_one(state, [&](auto query) { return bench->database().single_statement(query); });
}

// (b) One whole login, as POST /login runs it.
void login(benchmark::State& state, BenchDatabase* bench) {
    measure(state, MILLISECONDS, [&]() -> Failure {
        auto session = bench->service().login(LOGIN_EMAIL, LOGIN_PASSWORD, "192.0.2.2", "bench");
        if (!session)
            return "login failed: " + session.error().message;
        benchmark::DoNotOptimize(session->token);
        return std::nullopt;
    });
}

// (b) The argon2id verification alone: the part no database makes faster.
void verify_password(benchmark::State& state) {
    const std::string hash = spire::identity::hash_password(LOGIN_PASSWORD);
    measure(state, MILLISECONDS, [&]() -> Failure {
        if (!spire::identity::verify_password(hash, LOGIN_PASSWORD))
            return "verification failed";
        return std::nullopt;
    });
}

void register_for(BenchDatabase* bench) {
    register_on(bench, "empty_read", empty_read)->Unit(benchmark::kMicrosecond)->MinTime(1.0);
    register_on(bench, "one_statement", one_statement)->Unit(benchmark::kMicrosecond)->MinTime(1.0);
    register_on(bench, "authenticate_authorize", authenticate_and_authorize)
        ->Unit(benchmark::kMicrosecond)
        ->MinTime(2.0);
    register_on(bench, "session_cache_hit", session_cache_hit)
        ->Unit(benchmark::kMicrosecond)
        ->MinTime(1.0);
    register_on(bench, "login", login)->Unit(benchmark::kMillisecond)->Iterations(15);
}

} // namespace

int main(int argc, char** argv) {
    std::vector<std::unique_ptr<BenchDatabase>> databases;
    return spire::bench::run(argc, argv, PROGRAM, [&] {
        databases = spire::bench::load_databases<BenchDatabase>(
            PROGRAM, true,
            " (" + std::to_string(USERS) + " users, " + std::to_string(USERS * SESSIONS_PER_USER) +
                " sessions)",
            "");
        benchmark::RegisterBenchmark("verify_password", verify_password)
            ->Unit(benchmark::kMillisecond)
            ->Iterations(15);
        for (auto& database : databases)
            register_for(database.get());
    });
}
