#pragma once

// The bulk writer of `spire demo --scale national` (app/demo_national.hpp).
//
// A seeding tool, not a store of any module: to load ~100 000 applications
// and a few million rows in under two minutes it writes the modules' tables
// directly, bypassing their services (no validation, authorisation or audit
// per row – the generator makes only valid data, and the invariants are
// checked by tests/integration/demo_national_test.cpp). SOCI's per-row
// round trips are far too slow for this, so it talks to the engines' own
// APIs: one prepared sqlite3 statement per table on SQLite, COPY ... FROM
// STDIN through libpq on PostgreSQL. Everything happens in the caller's one
// transaction.

#include "db/dialect.hpp"

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <soci/soci.h>
#include <string>
#include <string_view>
#include <vector>

namespace spire::app::national {

// One column value of a row: NULL, an integer or text (not copied: it must
// live until row() returns).
class Value {
public:
    enum class Kind { Null, Int, Text };
    Value() = default; // NULL
    Value(long long value) : m_kind(Kind::Int), m_int(value) {}
    Value(int value) : m_kind(Kind::Int), m_int(value) {}
    Value(std::string_view value) : m_kind(Kind::Text), m_text(value) {}
    Value(const std::string& value) : m_kind(Kind::Text), m_text(value) {}
    Value(const char* value) : m_kind(Kind::Text), m_text(value) {}
    static Value null() { return {}; }

    Kind kind() const { return m_kind; }
    long long integer() const { return m_int; }
    std::string_view text() const { return m_text; }

private:
    Kind m_kind = Kind::Null;
    long long m_int = 0;
    std::string_view m_text;
};

// A table and the columns every row of it gives, in order.
struct TableSpec {
    std::string name;
    std::vector<std::string> columns;
};

// Rows go to the tables in the order they are given, parents before
// children; the PostgreSQL writer buffers them and sends each table's rows
// in declaration order of the tables (so foreign keys hold at every COPY's
// end), so declare parent tables first.
class BulkWriter {
public:
    // The writer for the session's engine. Table indices are positions in
    // `tables`.
    static std::unique_ptr<BulkWriter> create(db::Engine engine, soci::session& session,
                                              std::vector<TableSpec> tables);
    virtual ~BulkWriter() = default;

    virtual void row(std::size_t table, std::initializer_list<Value> values) = 0;
    // Sends every buffered row (PostgreSQL); after it, the rows are visible
    // to queries in the same transaction.
    virtual void flush() = 0;
    // Runs one statement (no result).
    virtual void execute(const std::string& sql) = 0;
    // The first column of the first row of a query, as an integer (0 for NULL).
    virtual long long query_integer(const std::string& sql) = 0;
    // The first column of every row of a query, as text.
    virtual std::vector<std::string> query_strings(const std::string& sql) = 0;
    // How many rows were given so far.
    long long rows() const { return m_rows; }

protected:
    long long m_rows = 0;
};

} // namespace spire::app::national
