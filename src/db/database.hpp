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
#include <vector>

namespace spire::db {

// One pooled connection, held by one thread at a time (through a
// Database::Lease), and state that lives exactly as long as the connection.
//
// That state is for the statements of hot paths. SOCI prepares a statement
// anew on every call: on SQLite a parse and plan each time, on PostgreSQL
// PQprepare, execute and DEALLOCATE (three round trips, and a fresh plan).
// Kept here, a statement is prepared once per connection and then only
// executed. It cannot outlive its connection, so it is dropped when a
// PostgreSQL connection is reopened and when the Database closes.
class Connection {
public:
    explicit Connection(soci::session& session) : m_session(session) {}
    ~Connection() { drop_locals(); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    soci::session& session() { return m_session; }

    // This connection's one T, made as T(session()) on first use. T is
    // typically a struct owning a soci::statement and the variables it is
    // bound to: SOCI binds `use` and `into` by reference, so they must live as
    // long as the statement, and T never moves once made. No lock is needed:
    // only the thread holding the lease reaches it.
    //
    // Run such a statement with execute() and a fetch() loop to its end. A
    // SQLite statement stopped mid-result would keep its read snapshot (the
    // lease resets it when it ends, as a safety net).
    template <class T>
    T& local();

private:
    friend class Database;

    // Destroys every local, newest first. Must run before the session
    // reconnects: a PostgreSQL statement deallocates itself through the
    // session backend it was prepared on, which reconnecting deletes.
    void drop_locals() noexcept;

    template <class T>
    static void destroy(void* local) noexcept {
        delete static_cast<T*>(local);
    }
    // One per type: its address is the key, unique across the program (a
    // mutable inline variable, so no linker folds two of them together).
    template <class T>
    static inline char key_of = 0;

    struct Local {
        const void* key;
        std::unique_ptr<void, void (*)(void*) noexcept> value;
    };

    soci::session& m_session;
    // A handful of entries at most: a linear search beats hashing.
    std::vector<Local> m_locals;
};

template <class T>
T& Connection::local() {
    const void* key = &key_of<T>;
    for (Local& local : m_locals) {
        if (local.key == key) {
            return *static_cast<T*>(local.value.get());
        }
    }
    std::unique_ptr<void, void (*)(void*) noexcept> made(new T(m_session), &destroy<T>);
    T& result = *static_cast<T*>(made.get());
    m_locals.push_back(Local{key, std::move(made)});
    return result;
}

namespace detail {

template <class T>
struct IsResult : std::false_type {};
template <class T, class E>
struct IsResult<tl::expected<T, E>> : std::true_type {};

// The functions given to Database take a soci::session& (most of them) or a
// Connection& (those using Connection::local). A generic lambda gets the
// session.
template <class F>
decltype(auto) call_with(F& fn, Connection& connection) {
    if constexpr (std::is_invocable_v<F&, soci::session&>) {
        return fn(connection.session());
    } else {
        return fn(connection);
    }
}
template <class F>
using CallResult = decltype(call_with(std::declval<F&>(), std::declval<Connection&>()));

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

    // A pooled connection, given back to the pool when the lease ends. It is
    // reset on lease (a leftover transaction rolled back, a dropped
    // PostgreSQL connection reopened with its locals dropped).
    class Lease {
    public:
        Lease(Lease&& other) noexcept;
        Lease& operator=(Lease&&) = delete;
        ~Lease();
        Connection& connection() { return *m_db->m_connections[m_position]; }
        soci::session& session() { return connection().session(); }

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
    // pass the session down instead of calling transact() inside fn. Here and
    // below, fn may take a Connection& instead, to reach Connection::local.
    template <class F>
    auto transact(F&& fn) -> detail::CallResult<F> {
        return run(TransactionKind::Write, fn);
    }

    // Like transact() for work that only reads: a consistent snapshot that does
    // not block writers (PostgreSQL refuses writes in it).
    template <class F>
    auto read(F&& fn) -> detail::CallResult<F> {
        return run(TransactionKind::Read, fn);
    }

    // For exactly one SELECT, which is consistent by itself: no BEGIN and
    // COMMIT around it (two round trips saved on PostgreSQL). Hot paths only,
    // such as resolving the session of every request.
    template <class F>
    auto single_statement(F&& fn) -> detail::CallResult<F> {
        return without_transaction(fn);
    }

    // For SELECTs that need not agree with each other: each sees the data
    // as of its own start, and nothing is written. No BEGIN and COMMIT (two
    // round trips saved on PostgreSQL). Hot paths only, such as a staff
    // list page and its filter choices, where a submission landing between
    // the two statements shows on the next view.
    template <class F>
    auto read_without_snapshot(F&& fn) -> detail::CallResult<F> {
        return without_transaction(fn);
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
    auto without_transaction(F& fn) -> detail::CallResult<F> {
        ThreadScope scope;
        Lease leased = lease();
        return detail::call_with(fn, leased.connection());
    }

    template <class F>
    auto run(TransactionKind kind, F& fn) -> detail::CallResult<F> {
        using R = detail::CallResult<F>;
        ThreadScope scope;
        Lease leased = lease();
        Transaction transaction(m_engine, leased.session(), kind);
        if constexpr (std::is_void_v<R>) {
            detail::call_with(fn, leased.connection());
            transaction.commit();
        } else {
            R result = detail::call_with(fn, leased.connection());
            if constexpr (detail::IsResult<std::remove_cvref_t<R>>::value) {
                if (!result) {
                    return result; // ~Transaction rolls back
                }
            }
            transaction.commit();
            return result;
        }
    }

    void reset_session(Connection& connection);
    void give_back(std::size_t position) noexcept;

    Engine m_engine;
    std::size_t m_pool_size;
    soci::connection_pool m_pool;
    // One per pooled session, same positions. Declared after m_pool, so
    // destroyed first: the locals go before the sessions they were made on.
    std::vector<std::unique_ptr<Connection>> m_connections;
};

} // namespace spire::db
