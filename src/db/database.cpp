#include "db/database.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <cerrno>
#include <filesystem>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <stdexcept>
#include <string>
#include <system_error>
#include <unistd.h>
#include <vector>

namespace spire::db {

namespace {

constexpr std::string_view SQLITE_SCHEME = "sqlite:";
constexpr const char* URL_FORMS =
    "use sqlite:path/to/file.db or postgresql://user@host:port/database";

// Applied to every SQLite connection: these settings are per connection, not
// per file (except journal_mode, which sticks to the file once set).
// busy_timeout comes first so that switching to WAL waits for other processes.
// Reads go through a memory map of the database file (up to 1 GiB): without
// it every page a query touches is copied out of the kernel with pread, which
// was the largest single cost of a list page on the national data set. The
// page cache (64 MiB per connection) keeps hot index pages between requests.
constexpr const char* SQLITE_PRAGMAS = "PRAGMA busy_timeout = 5000;"
                                       "PRAGMA journal_mode = WAL;"
                                       "PRAGMA synchronous = FULL;"
                                       "PRAGMA foreign_keys = ON;"
                                       "PRAGMA mmap_size = 1073741824;"
                                       "PRAGMA cache_size = -65536;";

bool is_postgresql_url(std::string_view url) {
    return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

sqlite_api::sqlite3* native_sqlite(soci::session& session) {
    return static_cast<soci::sqlite3_session_backend*>(session.get_backend())->conn_;
}

PGconn* native_postgresql(soci::session& session) {
    return static_cast<soci::postgresql_session_backend*>(session.get_backend())->conn_;
}

// Runs SQL that may hold several statements on SQLite's own parser.
void sqlite_exec(soci::session& session, const char* sql) {
    char* message = nullptr;
    int rc = sqlite_api::sqlite3_exec(native_sqlite(session), sql, nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        std::string text = message ? message : sqlite_api::sqlite3_errstr(rc);
        sqlite_api::sqlite3_free(message);
        throw soci::soci_error(text);
    }
}

// The URL for libpq, with fallback_application_name=spire added (shown in
// pg_stat_activity). That parameter also works around SOCI 4.0.3, which
// re-joins the connection string as key=value pairs and so appends a stray
// '=' to a URL that has none ("postgresql://h/db" -> database "db=").
std::string postgresql_connect_string(std::string_view url) {
    std::string connect(url);
    if (connect.find("fallback_application_name=") == std::string::npos) {
        connect += connect.find('?') == std::string::npos ? '?' : '&';
        connect += "fallback_application_name=spire";
    }
    return connect;
}

// The URL as it may appear in logs: the password (in the user info or as a
// query parameter) replaced.
std::string redacted_postgresql_url(std::string_view url) {
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed) {
        return "postgresql://(malformed URL)";
    }
    boost::urls::url safe(*parsed);
    if (safe.has_password()) {
        safe.set_password("xxxxx");
    }
    if (safe.params().contains("password")) {
        safe.params().set("password", "xxxxx");
    }
    return std::string(safe.buffer());
}

// libpq's messages do not contain the password, but a message quoting the
// connection string would: strip it wherever it appears, to be sure.
std::string without_password(std::string text, std::string_view url) {
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed) {
        return text;
    }
    std::vector<std::string> secrets;
    if (parsed->has_password()) {
        secrets.push_back(parsed->password());
        secrets.emplace_back(parsed->encoded_password());
    }
    for (auto param : parsed->params()) {
        if (param.key == "password") {
            secrets.push_back(param.value);
        }
    }
    for (const auto& secret : secrets) {
        if (secret.empty()) {
            continue;
        }
        for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
            text.replace(at, secret.size(), "xxxxx");
        }
    }
    return text;
}

// Checks the file can be created or opened for writing before SQLite tries:
// SQLite's own error ("unable to open database file") does not say why.
Result<std::filesystem::path> prepare_sqlite_path(std::string_view spec) {
    namespace fs = std::filesystem;
    if (spec.starts_with("//")) { // sqlite:///abs/path or sqlite://rel/path
        spec.remove_prefix(2);
    }
    if (spec.empty()) {
        Error error = Error::invalid("The database URL has no file path");
        error.detail = URL_FORMS;
        return Unexpected(std::move(error));
    }
    if (spec == ":memory:" || spec.starts_with("file:")) {
        Error error = Error::invalid("The database must be a file path");
        error.detail = std::string(spec) + " is not a file path; " + URL_FORMS;
        return Unexpected(std::move(error));
    }
    // SOCI's connection string quotes the path with '"' and cannot escape it.
    if (spec.find('"') != std::string_view::npos) {
        return Unexpected(Error::invalid("The database path must not contain a double quote"));
    }

    std::error_code ec;
    fs::path path = fs::absolute(fs::path(spec), ec);
    if (ec) {
        return Unexpected(Error::unavailable("Cannot use the database path",
                                             std::string(spec) + ": " + ec.message()));
    }
    fs::path directory = path.parent_path();
    fs::create_directories(directory, ec);
    if (ec || !fs::is_directory(directory)) {
        return Unexpected(Error::unavailable("Cannot create the database directory",
                                             directory.string() + ": " +
                                                 (ec ? ec.message() : "not a directory")));
    }
    // WAL mode creates -wal and -shm files next to the database.
    if (::access(directory.c_str(), W_OK | X_OK) != 0) {
        std::error_code why(errno, std::generic_category());
        return Unexpected(Error::unavailable("The database directory is not writable",
                                             directory.string() + ": " + why.message()));
    }
    if (fs::exists(path, ec)) {
        if (!fs::is_regular_file(path, ec)) {
            return Unexpected(Error::unavailable("The database path is not a file", path.string()));
        }
        if (::access(path.c_str(), R_OK | W_OK) != 0) {
            std::error_code why(errno, std::generic_category());
            return Unexpected(Error::unavailable("Cannot read and write the database file",
                                                 path.string() + ": " + why.message()));
        }
    }
    return path;
}

void configure_sqlite_session(soci::session& session) {
    sqlite_exec(session, SQLITE_PRAGMAS);
    std::string mode;
    session << "PRAGMA journal_mode", soci::into(mode);
    if (mode != "wal") {
        throw soci::soci_error("could not switch to WAL journal mode (got " + mode + ")");
    }
}

thread_local int t_transactions_on_thread = 0;

} // namespace

void Connection::drop_locals() noexcept {
    while (!m_locals.empty()) {
        m_locals.pop_back();
    }
}

Database::Database(Engine engine, std::size_t pool_size)
    : m_engine(engine), m_pool_size(pool_size), m_pool(pool_size) {
    m_connections.reserve(pool_size);
    for (std::size_t i = 0; i < pool_size; ++i) {
        m_connections.push_back(std::make_unique<Connection>(m_pool.at(i)));
    }
}

Database::~Database() = default;

Result<std::unique_ptr<Database>> Database::open(std::string_view url, std::size_t pool_size) {
    if (pool_size == 0) {
        throw std::invalid_argument("Database::open: pool_size must be at least 1");
    }

    if (url.starts_with(SQLITE_SCHEME)) {
        auto path = prepare_sqlite_path(url.substr(SQLITE_SCHEME.size()));
        if (!path) {
            return Unexpected(std::move(path.error()));
        }
        std::unique_ptr<Database> db(new Database(Engine::Sqlite, pool_size));
        std::string connect = "db=\"" + path->string() + "\"";
        try {
            for (std::size_t i = 0; i < pool_size; ++i) {
                soci::session& session = db->m_pool.at(i);
                session.open(soci::sqlite3, connect);
                configure_sqlite_session(session);
            }
        } catch (const soci::soci_error& e) {
            return Unexpected(Error::unavailable("Cannot open the database",
                                                 "sqlite:" + path->string() + ": " + e.what()));
        }
        return db;
    }

    if (is_postgresql_url(url)) {
        std::unique_ptr<Database> db(new Database(Engine::Postgresql, pool_size));
        std::string connect = postgresql_connect_string(url);
        try {
            for (std::size_t i = 0; i < pool_size; ++i) {
                db->m_pool.at(i).open(soci::postgresql, connect);
            }
        } catch (const soci::soci_error& e) {
            return Unexpected(Error::unavailable("Cannot connect to the database",
                                                 redacted_postgresql_url(url) + ": " +
                                                     without_password(e.what(), url)));
        }
        return db;
    }

    // Only the scheme goes into the message: the rest may hold a password.
    auto colon = url.find(':');
    std::string scheme(colon == std::string_view::npos ? std::string_view("(none)")
                                                       : url.substr(0, colon));
    Error error = Error::invalid("Unknown database URL scheme");
    error.detail = "unknown database URL scheme '" + scheme + "'; " + URL_FORMS;
    return Unexpected(std::move(error));
}

Database::Lease::Lease(Lease&& other) noexcept : m_db(other.m_db), m_position(other.m_position) {
    other.m_db = nullptr;
}

Database::Lease::~Lease() {
    if (m_db) {
        m_db->give_back(m_position);
    }
}

Database::Lease Database::lease(std::chrono::milliseconds timeout) {
    std::size_t position = 0;
    if (!m_pool.try_lease(position, static_cast<int>(timeout.count()))) {
        throw soci::soci_error("no pooled database session became free in time");
    }
    Lease leased(*this, position);
    reset_session(leased.connection());
    return leased;
}

// A session can come back to the pool mid-transaction (a ROLLBACK that failed
// after an error) or, on PostgreSQL, with its connection gone (server
// restart). Both are cheap to detect here without a round trip.
void Database::reset_session(Connection& connection) {
    soci::session& session = connection.session();
    if (m_engine == Engine::Postgresql && PQstatus(native_postgresql(session)) != CONNECTION_OK) {
        connection.drop_locals();
        session.reconnect();
        return;
    }
    if (in_transaction(session)) {
        execute_script(session, "ROLLBACK");
    }
}

// A SQLite statement kept in a Connection local and left mid-result (an
// exception inside its fetch loop) would hold its read snapshot while the
// connection idles in the pool: the WAL could not be checkpointed past it.
// Only such statements can be busy here; there are a handful at most.
void Database::give_back(std::size_t position) noexcept {
    if (m_engine == Engine::Sqlite) {
        sqlite_api::sqlite3* db = native_sqlite(m_connections[position]->session());
        for (auto* statement = sqlite_api::sqlite3_next_stmt(db, nullptr); statement;
             statement = sqlite_api::sqlite3_next_stmt(db, statement)) {
            if (sqlite_api::sqlite3_stmt_busy(statement)) {
                sqlite_api::sqlite3_reset(statement);
            }
        }
    }
    m_pool.give_back(position);
}

void Database::execute_script(soci::session& session, const char* sql) {
    if (m_engine == Engine::Sqlite) {
        sqlite_exec(session, sql);
        return;
    }
    PGconn* connection = native_postgresql(session);
    PGresult* result = PQexec(connection, sql);
    ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    std::string message = result ? PQresultErrorMessage(result) : PQerrorMessage(connection);
    PQclear(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY) {
        throw soci::soci_error(message);
    }
}

bool Database::in_transaction(soci::session& session) {
    if (m_engine == Engine::Sqlite) {
        return sqlite_api::sqlite3_get_autocommit(native_sqlite(session)) == 0;
    }
    return PQtransactionStatus(native_postgresql(session)) != PQTRANS_IDLE;
}

bool Database::ping() {
    try {
        Lease leased = lease(std::chrono::seconds(5));
        int one = 0;
        leased.session() << "SELECT 1", soci::into(one);
        return one == 1;
    } catch (const std::exception&) {
        return false;
    }
}

Database::ThreadScope::ThreadScope() {
    if (t_transactions_on_thread > 0) {
        throw std::logic_error("Database transactions do not nest: pass the soci::session down");
    }
    ++t_transactions_on_thread;
}

Database::ThreadScope::~ThreadScope() {
    --t_transactions_on_thread;
}

Database::Transaction::Transaction(Engine engine, soci::session& session, TransactionKind kind)
    : m_session(session) {
    m_session << dialect::begin(engine, kind);
}

Database::Transaction::~Transaction() {
    if (!m_open) {
        return;
    }
    try {
        m_session << "ROLLBACK";
    } catch (const std::exception&) {
        // The next lease of this session rolls back again (reset_session).
    }
}

void Database::Transaction::commit() {
    m_session << "COMMIT";
    m_open = false;
}

} // namespace spire::db
