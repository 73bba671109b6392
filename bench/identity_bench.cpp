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
// dropped afterwards. Each benchmark reports the median and p99 of its
// single operations as counters (median_us/p99_us, or median_ms/p99_ms);
// Google Benchmark's own "Time" column is the mean.
//
// The bulk data goes in through the store functions in large transactions:
// 10 000 argon2id hashes through the service would take a quarter of an
// hour. Only the login benchmark's user has a real password hash.

#include "core/crypto.hpp"
#include "core/time.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "identity/password.hpp"
#include "identity/policy.hpp"
#include "identity/service.hpp"
#include "identity/store.hpp"

#include <algorithm>
#include <benchmark/benchmark.h>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using spire::identity::Id;
using spire::identity::IdentityService;
using spire::identity::Role;
namespace store = spire::identity::store;

constexpr int USERS = 10'000;
constexpr int SESSIONS_PER_USER = 2;
constexpr int SERVICE_UNITS = 100;
constexpr const char* LOGIN_EMAIL = "bench-login@bench.example";
constexpr const char* LOGIN_PASSWORD = "bench-password-2017";
// Rows per write transaction while loading.
constexpr int BATCH = 1'000;

std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value ? value : "";
}

std::unique_ptr<spire::db::Database> open_or_throw(const std::string& url) {
    auto opened = spire::db::Database::open(url, 1);
    if (!opened)
        throw std::runtime_error("cannot open " + url + ": " + opened.error().message + " " +
                                 opened.error().detail);
    return std::move(*opened);
}

// One database loaded with the benchmark's data, removed again on destruction.
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
            std::cerr << "identity_bench: cleanup failed: " << e.what() << "\n";
        }
    }

    const std::string& name() const { return m_name; }
    IdentityService& service() { return *m_service; }
    spire::db::Database& database() { return *m_database; }
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
    explicit BenchDatabase(std::string name) : m_name(std::move(name)) {}

    static void on_cluster(const std::string& url, const std::string& sql) {
        auto admin = open_or_throw(url);
        admin->transact(
            [&](soci::session& session) { admin->execute_script(session, sql.c_str()); });
    }

    void open(const std::string& url) {
        m_database = open_or_throw(url);
        auto migrated = spire::db::migrate(*m_database);
        if (!migrated)
            throw std::runtime_error("migration failed: " + migrated.error().message);
        m_service = std::make_unique<IdentityService>(m_database);
        load();
    }

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

    std::string m_name;
    std::filesystem::path m_directory; // SQLite
    std::string m_base_url, m_schema;  // PostgreSQL
    std::shared_ptr<spire::db::Database> m_database;
    std::unique_ptr<IdentityService> m_service;
    std::vector<std::string> m_tokens;
};

using Seconds = std::chrono::duration<double>;

// Median and p99 of the single operations, in `unit` seconds (1e-6: µs).
void report(benchmark::State& state, std::vector<double>& samples, double unit,
            const char* suffix) {
    if (samples.empty())
        return;
    std::sort(samples.begin(), samples.end());
    auto at = [&](double q) {
        return samples[std::min(samples.size() - 1, static_cast<std::size_t>(q * samples.size()))];
    };
    state.counters[std::string("median_") + suffix] = at(0.5) / unit;
    state.counters[std::string("p99_") + suffix] = at(0.99) / unit;
    state.counters["samples"] = static_cast<double>(samples.size());
}

// (a) The per-request overhead: find the session, then decide.
void authenticate_and_authorize(benchmark::State& state, BenchDatabase* bench) {
    const auto& tokens = bench->tokens();
    std::vector<double> samples;
    samples.reserve(1 << 16);
    std::size_t next = 0;
    bench->refresh_sessions();
    for (auto _ : state) {
        const std::string& token = tokens[next++ % tokens.size()];
        auto start = std::chrono::steady_clock::now();
        auto session = bench->service().authenticate(token);
        if (!session) {
            state.SkipWithError("a benchmark session did not authenticate");
            break;
        }
        auto decision = spire::identity::authorize(&session->principal,
                                                   spire::identity::IdentityAction::ViewUnits,
                                                   {session->principal.organisation_id});
        bool may_apply = session->principal.has_role(Role::Applicant);
        samples.push_back(Seconds(std::chrono::steady_clock::now() - start).count());
        benchmark::DoNotOptimize(decision);
        benchmark::DoNotOptimize(may_apply);
    }
    report(state, samples, 1e-6, "us");
}

// Beside (a), never instead of it: the same, as requests mostly come. A page
// and its htmx fragments present the same session within a moment, and
// IdentityService remembers an authenticated session for 2 s, so most
// requests find it without the database. A rotating handful of sessions,
// each seen again long before its 2 s are up.
void session_cache_hit(benchmark::State& state, BenchDatabase* bench) {
    constexpr std::size_t ACTIVE_SESSIONS = 100;
    const auto& tokens = bench->tokens();
    std::vector<double> samples;
    samples.reserve(1 << 16);
    std::size_t next = 0;
    bench->refresh_sessions();
    bench->service().forget_cached_sessions();
    for (auto _ : state) {
        const std::string& token = tokens[next++ % ACTIVE_SESSIONS];
        auto start = std::chrono::steady_clock::now();
        auto session = bench->service().authenticate(token);
        if (!session) {
            state.SkipWithError("a benchmark session did not authenticate");
            break;
        }
        auto decision = spire::identity::authorize(&session->principal,
                                                   spire::identity::IdentityAction::ViewUnits,
                                                   {session->principal.organisation_id});
        bool may_apply = session->principal.has_role(Role::Applicant);
        samples.push_back(Seconds(std::chrono::steady_clock::now() - start).count());
        benchmark::DoNotOptimize(decision);
        benchmark::DoNotOptimize(may_apply);
    }
    report(state, samples, 1e-6, "us");
}

// The floor under (a): an empty read transaction (BEGIN, SELECT 1, COMMIT)
// on a pooled session.
void empty_read(benchmark::State& state, BenchDatabase* bench) {
    std::vector<double> samples;
    samples.reserve(1 << 16);
    for (auto _ : state) {
        auto start = std::chrono::steady_clock::now();
        int one = bench->database().read([](soci::session& sql) {
            int value = 0;
            sql << "SELECT 1", soci::into(value);
            return value;
        });
        samples.push_back(Seconds(std::chrono::steady_clock::now() - start).count());
        benchmark::DoNotOptimize(one);
    }
    report(state, samples, 1e-6, "us");
}

// The floor under (a) itself: a lookup is one statement without a
// transaction (Database::single_statement), so one round trip on PostgreSQL.
void one_statement(benchmark::State& state, BenchDatabase* bench) {
    std::vector<double> samples;
    samples.reserve(1 << 16);
    for (auto _ : state) {
        auto start = std::chrono::steady_clock::now();
        int one = bench->database().single_statement([](soci::session& sql) {
            int value = 0;
            sql << "SELECT 1", soci::into(value);
            return value;
        });
        samples.push_back(Seconds(std::chrono::steady_clock::now() - start).count());
        benchmark::DoNotOptimize(one);
    }
    report(state, samples, 1e-6, "us");
}

// (b) One whole login, as POST /login runs it.
void login(benchmark::State& state, BenchDatabase* bench) {
    std::vector<double> samples;
    for (auto _ : state) {
        auto start = std::chrono::steady_clock::now();
        auto session = bench->service().login(LOGIN_EMAIL, LOGIN_PASSWORD, "192.0.2.2", "bench");
        samples.push_back(Seconds(std::chrono::steady_clock::now() - start).count());
        if (!session) {
            state.SkipWithError(("login failed: " + session.error().message).c_str());
            break;
        }
        benchmark::DoNotOptimize(session->token);
    }
    report(state, samples, 1e-3, "ms");
}

// (b) The argon2id verification alone: the part no database makes faster.
void verify_password(benchmark::State& state) {
    const std::string hash = spire::identity::hash_password(LOGIN_PASSWORD);
    std::vector<double> samples;
    for (auto _ : state) {
        auto start = std::chrono::steady_clock::now();
        bool ok = spire::identity::verify_password(hash, LOGIN_PASSWORD);
        samples.push_back(Seconds(std::chrono::steady_clock::now() - start).count());
        if (!ok) {
            state.SkipWithError("verification failed");
            break;
        }
    }
    report(state, samples, 1e-3, "ms");
}

void register_for(BenchDatabase* bench) {
    benchmark::RegisterBenchmark(("empty_read/" + bench->name()).c_str(), empty_read, bench)
        ->Unit(benchmark::kMicrosecond)
        ->MinTime(1.0);
    benchmark::RegisterBenchmark(("one_statement/" + bench->name()).c_str(), one_statement, bench)
        ->Unit(benchmark::kMicrosecond)
        ->MinTime(1.0);
    benchmark::RegisterBenchmark(("authenticate_authorize/" + bench->name()).c_str(),
                                 authenticate_and_authorize, bench)
        ->Unit(benchmark::kMicrosecond)
        ->MinTime(2.0);
    benchmark::RegisterBenchmark(("session_cache_hit/" + bench->name()).c_str(), session_cache_hit,
                                 bench)
        ->Unit(benchmark::kMicrosecond)
        ->MinTime(1.0);
    benchmark::RegisterBenchmark(("login/" + bench->name()).c_str(), login, bench)
        ->Unit(benchmark::kMillisecond)
        ->Iterations(15);
}

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 2;
    std::vector<std::unique_ptr<BenchDatabase>> databases;
    try {
        std::cerr << "identity_bench: loading SQLite (" << USERS << " users, "
                  << USERS * SESSIONS_PER_USER << " sessions)\n";
        databases.push_back(BenchDatabase::sqlite());
        if (auto url = env("SPIRE_BENCH_PG_URL"); !url.empty()) {
            std::cerr << "identity_bench: loading PostgreSQL\n";
            databases.push_back(BenchDatabase::postgresql(url));
        }
    } catch (const std::exception& e) {
        std::cerr << "identity_bench: setting up failed: " << e.what() << "\n";
        return 2;
    }
    benchmark::RegisterBenchmark("verify_password", verify_password)
        ->Unit(benchmark::kMillisecond)
        ->Iterations(15);
    for (auto& database : databases)
        register_for(database.get());
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
