#pragma once

// The database: a pool of SOCI sessions on one SQLite file or one PostgreSQL
// database, and the transaction wrapper every use case runs in (DESIGN.md §8:
// a use case fully happens or not at all).

#include "core/error.hpp"
#include "db/dialect.hpp"

#include <chrono>
#include <cstddef>
#include <memory>
#include <soci/soci.h>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace spire::db {

namespace detail {

template <class T>
struct IsResult : std::false_type {};
template <class T, class E>
struct IsResult<tl::expected<T, E>> : std::true_type {};

} // namespace detail

class Database {
public:
    // How long a caller waits for a free pooled session before giving up.
    static constexpr std::chrono::milliseconds LEASE_TIMEOUT{30'000};

    // url is "sqlite:path/to/file.db" (the parent directory is created if
    // missing) or a libpq URI "postgresql://user@host:port/db?...", passed to
    // libpq as is (plus fallback_application_name=spire). Opens pool_size
    // sessions up front; pool_size 0 is a programming error (throws).
    static Result<std::unique_ptr<Database>> open(std::string_view url, std::size_t pool_size);

    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    Engine engine() const { return m_engine; }
    std::size_t pool_size() const { return m_pool_size; }
    soci::connection_pool& pool() { return m_pool; }

    // A pooled session, given back to the pool when the lease ends. A session
    // is reset on lease (a leftover transaction rolled back, a dropped
    // PostgreSQL connection reopened).
    class Lease {
    public:
        Lease(Lease&& other) noexcept;
        Lease& operator=(Lease&&) = delete;
        ~Lease();
        soci::session& session() { return m_db->m_pool.at(m_position); }

    private:
        friend class Database;
        Lease(Database& db, std::size_t position) : m_db(&db), m_position(position) {}
        Database* m_db;
        std::size_t m_position;
    };

    // Throws soci::soci_error if no session frees up within the timeout or a
    // dropped connection cannot be reopened.
    Lease lease(std::chrono::milliseconds timeout = LEASE_TIMEOUT);

    // SELECT 1 on a pooled session; false on any failure (GET /readyz).
    bool ping();

    // Runs SQL holding any number of statements (a migration, a test's
    // schema) with the engine's own parser, so `;` inside trigger bodies and
    // $$ blocks is no problem. SOCI's sqlite3 backend would run only the first
    // statement of such a string. Throws soci::soci_error on failure.
    void execute_script(soci::session& session, const char* sql);

    // Whether the session is inside a transaction right now.
    bool in_transaction(soci::session& session);

    // Runs fn(soci::session&) in one write transaction: commits if fn returns
    // (or returns a Result holding a value), rolls back if it returns an error
    // Result or throws (the exception is rethrown). Transactions do not nest:
    // pass the session down instead of calling transact() inside fn.
    template <class F>
    auto transact(F&& fn) -> decltype(fn(std::declval<soci::session&>())) {
        return run(TransactionKind::Write, std::forward<F>(fn));
    }

    // Like transact() for work that only reads: a consistent snapshot that does
    // not block writers (PostgreSQL refuses writes in it).
    template <class F>
    auto read(F&& fn) -> decltype(fn(std::declval<soci::session&>())) {
        return run(TransactionKind::Read, std::forward<F>(fn));
    }

    // For exactly one SELECT, which is consistent by itself: no BEGIN and
    // COMMIT around it (two round trips saved on PostgreSQL). Hot paths only,
    // such as resolving the session of every request.
    template <class F>
    auto single_statement(F&& fn) -> decltype(fn(std::declval<soci::session&>())) {
        ThreadScope scope;
        Lease leased = lease();
        return fn(leased.session());
    }

private:
    Database(Engine engine, std::size_t pool_size);

    // Marks the calling thread as inside a transaction; refuses nesting, which
    // would wait for a second pooled session while holding the first (and on
    // SQLite for the write lock this thread already holds).
    class ThreadScope {
    public:
        ThreadScope();
        ~ThreadScope();
        ThreadScope(const ThreadScope&) = delete;
        ThreadScope& operator=(const ThreadScope&) = delete;
    };

    // Begins on construction; rolls back on destruction unless committed.
    class Transaction {
    public:
        Transaction(Engine engine, soci::session& session, TransactionKind kind);
        ~Transaction();
        Transaction(const Transaction&) = delete;
        Transaction& operator=(const Transaction&) = delete;
        void commit();

    private:
        soci::session& m_session;
        bool m_open = true;
    };

    template <class F>
    auto run(TransactionKind kind, F&& fn) -> decltype(fn(std::declval<soci::session&>())) {
        using R = decltype(fn(std::declval<soci::session&>()));
        ThreadScope scope;
        Lease leased = lease();
        soci::session& session = leased.session();
        Transaction transaction(m_engine, session, kind);
        if constexpr (std::is_void_v<R>) {
            fn(session);
            transaction.commit();
        } else {
            R result = fn(session);
            if constexpr (detail::IsResult<std::remove_cvref_t<R>>::value) {
                if (!result) {
                    return result; // ~Transaction rolls back
                }
            }
            transaction.commit();
            return result;
        }
    }

    void reset_session(soci::session& session);

    Engine m_engine;
    std::size_t m_pool_size;
    soci::connection_pool m_pool;
};

} // namespace spire::db
