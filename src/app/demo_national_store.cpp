#include "app/demo_national_store.hpp"

// A seeding tool writing the modules' tables directly for speed (see the
// header): not a pattern for module code, whose SQL lives in its store.

#include <charconv>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <stdexcept>

namespace spire::app::national {

namespace {

std::string join(const std::vector<std::string>& columns) {
    std::string joined;
    for (const auto& column : columns) {
        if (!joined.empty())
            joined += ", ";
        joined += column;
    }
    return joined;
}

void check_arity(const TableSpec& table, std::size_t given) {
    if (given != table.columns.size()) {
        throw std::logic_error("national demo: " + std::to_string(given) + " values for the " +
                               std::to_string(table.columns.size()) + " columns of " + table.name);
    }
}

// --- SQLite: one prepared INSERT per table, executed row by row -------------
// Without round trips a prepared statement per row is SQLite's fastest way
// in; the caller's one transaction keeps the journal out of the way.

class SqliteWriter final : public BulkWriter {
public:
    SqliteWriter(soci::session& session, std::vector<TableSpec> tables)
        : m_db(static_cast<soci::sqlite3_session_backend*>(session.get_backend())->conn_),
          m_tables(std::move(tables)) {
        for (const auto& table : m_tables) {
            std::string sql =
                "INSERT INTO " + table.name + " (" + join(table.columns) + ") VALUES (";
            for (std::size_t i = 0; i < table.columns.size(); ++i)
                sql += i == 0 ? "?" : ", ?";
            sql += ")";
            sqlite_api::sqlite3_stmt* statement = nullptr;
            check(sqlite_api::sqlite3_prepare_v3(m_db, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT,
                                                 &statement, nullptr),
                  sql);
            m_statements.push_back(statement);
        }
    }
    ~SqliteWriter() override {
        for (auto* statement : m_statements)
            sqlite_api::sqlite3_finalize(statement);
    }

    void row(std::size_t table, std::initializer_list<Value> values) override {
        check_arity(m_tables.at(table), values.size());
        sqlite_api::sqlite3_stmt* statement = m_statements[table];
        int position = 1;
        for (const Value& value : values) {
            int rc = SQLITE_OK;
            switch (value.kind()) {
            case Value::Kind::Null:
                rc = sqlite_api::sqlite3_bind_null(statement, position);
                break;
            case Value::Kind::Int:
                rc = sqlite_api::sqlite3_bind_int64(statement, position, value.integer());
                break;
            case Value::Kind::Text:
                // Every parameter is bound again before the next step, and
                // the text lives until this function returns.
                rc = sqlite_api::sqlite3_bind_text(statement, position, value.text().data(),
                                                   static_cast<int>(value.text().size()),
                                                   SQLITE_STATIC);
                break;
            }
            check(rc, m_tables[table].name);
            ++position;
        }
        int rc = sqlite_api::sqlite3_step(statement);
        sqlite_api::sqlite3_reset(statement);
        if (rc != SQLITE_DONE)
            check(rc, "INSERT INTO " + m_tables[table].name);
        ++m_rows;
    }

    void flush() override {}

    void execute(const std::string& sql) override {
        char* message = nullptr;
        int rc = sqlite_api::sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &message);
        if (rc != SQLITE_OK) {
            std::string text = message ? message : sqlite_api::sqlite3_errstr(rc);
            sqlite_api::sqlite3_free(message);
            throw std::runtime_error("national demo: " + sql + ": " + text);
        }
    }

    long long query_integer(const std::string& sql) override {
        sqlite_api::sqlite3_stmt* statement = nullptr;
        check(sqlite_api::sqlite3_prepare_v2(m_db, sql.c_str(), -1, &statement, nullptr), sql);
        long long value = 0;
        int rc = sqlite_api::sqlite3_step(statement);
        if (rc == SQLITE_ROW)
            value = sqlite_api::sqlite3_column_int64(statement, 0);
        sqlite_api::sqlite3_finalize(statement);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            check(rc, sql);
        return value;
    }

    std::vector<std::string> query_strings(const std::string& sql) override {
        sqlite_api::sqlite3_stmt* statement = nullptr;
        check(sqlite_api::sqlite3_prepare_v2(m_db, sql.c_str(), -1, &statement, nullptr), sql);
        std::vector<std::string> values;
        int rc = SQLITE_ROW;
        while ((rc = sqlite_api::sqlite3_step(statement)) == SQLITE_ROW) {
            const auto* text = sqlite_api::sqlite3_column_text(statement, 0);
            values.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
        }
        sqlite_api::sqlite3_finalize(statement);
        if (rc != SQLITE_DONE)
            check(rc, sql);
        return values;
    }

private:
    void check(int rc, const std::string& what) {
        if (rc != SQLITE_OK) {
            throw std::runtime_error("national demo: " + what + ": " +
                                     sqlite_api::sqlite3_errmsg(m_db));
        }
    }

    sqlite_api::sqlite3* m_db;
    std::vector<TableSpec> m_tables;
    std::vector<sqlite_api::sqlite3_stmt*> m_statements;
};

// --- PostgreSQL: COPY ... FROM STDIN in text format ------------------------
// Rows are buffered per table; when the buffers hold a few megabytes every
// table is sent in declaration order (parents first), one COPY each.

class PostgresqlWriter final : public BulkWriter {
public:
    static constexpr std::size_t FLUSH_BYTES = 8u << 20;

    PostgresqlWriter(soci::session& session, std::vector<TableSpec> tables)
        : m_conn(static_cast<soci::postgresql_session_backend*>(session.get_backend())->conn_),
          m_tables(std::move(tables)), m_buffers(m_tables.size()) {}

    void row(std::size_t table, std::initializer_list<Value> values) override {
        check_arity(m_tables.at(table), values.size());
        std::string& buffer = m_buffers[table];
        std::size_t before = buffer.size();
        bool first = true;
        for (const Value& value : values) {
            if (!first)
                buffer += '\t';
            first = false;
            switch (value.kind()) {
            case Value::Kind::Null:
                buffer += "\\N";
                break;
            case Value::Kind::Int: {
                char digits[24];
                auto end = std::to_chars(digits, digits + sizeof digits, value.integer()).ptr;
                buffer.append(digits, end);
                break;
            }
            case Value::Kind::Text:
                append_escaped(buffer, value.text());
                break;
            }
        }
        buffer += '\n';
        m_buffered += buffer.size() - before;
        ++m_rows;
        if (m_buffered >= FLUSH_BYTES)
            flush();
    }

    void flush() override {
        for (std::size_t i = 0; i < m_tables.size(); ++i) {
            if (m_buffers[i].empty())
                continue;
            copy(m_tables[i], m_buffers[i]);
            m_buffers[i].clear();
        }
        m_buffered = 0;
    }

    void execute(const std::string& sql) override {
        PGresult* result = PQexec(m_conn, sql.c_str());
        ExecStatusType status = PQresultStatus(result);
        PQclear(result);
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
            fail(sql);
    }

    long long query_integer(const std::string& sql) override {
        PGresult* result = PQexec(m_conn, sql.c_str());
        if (PQresultStatus(result) != PGRES_TUPLES_OK) {
            PQclear(result);
            fail(sql);
        }
        long long value = 0;
        if (PQntuples(result) > 0 && !PQgetisnull(result, 0, 0))
            value = std::stoll(PQgetvalue(result, 0, 0));
        PQclear(result);
        return value;
    }

    std::vector<std::string> query_strings(const std::string& sql) override {
        PGresult* result = PQexec(m_conn, sql.c_str());
        if (PQresultStatus(result) != PGRES_TUPLES_OK) {
            PQclear(result);
            fail(sql);
        }
        std::vector<std::string> values;
        for (int row = 0; row < PQntuples(result); ++row)
            values.emplace_back(PQgetvalue(result, row, 0));
        PQclear(result);
        return values;
    }

private:
    // COPY's text format: backslash, tab, newline and carriage return escaped.
    static void append_escaped(std::string& buffer, std::string_view text) {
        for (char c : text) {
            switch (c) {
            case '\\':
                buffer += "\\\\";
                break;
            case '\t':
                buffer += "\\t";
                break;
            case '\n':
                buffer += "\\n";
                break;
            case '\r':
                buffer += "\\r";
                break;
            default:
                buffer += c;
            }
        }
    }

    void copy(const TableSpec& table, const std::string& data) {
        const std::string sql = "COPY " + table.name + " (" + join(table.columns) + ") FROM STDIN";
        PGresult* result = PQexec(m_conn, sql.c_str());
        ExecStatusType status = PQresultStatus(result);
        PQclear(result);
        if (status != PGRES_COPY_IN)
            fail(sql);
        if (PQputCopyData(m_conn, data.data(), static_cast<int>(data.size())) != 1 ||
            PQputCopyEnd(m_conn, nullptr) != 1) {
            fail(sql);
        }
        bool failed = false;
        while (PGresult* end = PQgetResult(m_conn)) {
            if (PQresultStatus(end) != PGRES_COMMAND_OK)
                failed = true;
            if (failed && m_error.empty())
                m_error = PQresultErrorMessage(end);
            PQclear(end);
        }
        if (failed)
            throw std::runtime_error("national demo: " + sql + ": " + m_error);
    }

    [[noreturn]] void fail(const std::string& what) {
        throw std::runtime_error("national demo: " + what + ": " + PQerrorMessage(m_conn));
    }

    PGconn* m_conn;
    std::vector<TableSpec> m_tables;
    std::vector<std::string> m_buffers;
    std::size_t m_buffered = 0;
    std::string m_error;
};

} // namespace

std::unique_ptr<BulkWriter> BulkWriter::create(db::Engine engine, soci::session& session,
                                               std::vector<TableSpec> tables) {
    if (engine == db::Engine::Sqlite)
        return std::make_unique<SqliteWriter>(session, std::move(tables));
    return std::make_unique<PostgresqlWriter>(session, std::move(tables));
}

} // namespace spire::app::national
