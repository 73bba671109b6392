#pragma once

// Where SQLite and PostgreSQL differ. Everything else in our SQL is portable;
// keep this list short and add to it only what a store actually uses.

#include <string>
#include <string_view>

namespace spire::db {

enum class Engine { Sqlite, Postgresql };

// How a transaction will be used. SQLite needs to know up front: a deferred
// transaction that later writes can fail with SQLITE_BUSY without waiting
// (two readers upgrading to writers deadlock), so writers take the write lock
// at BEGIN.
enum class TransactionKind { Write, Read };

namespace dialect {

// "sqlite" or "postgresql": also the suffix of engine-specific migration files.
std::string_view name(Engine engine);

// The statement that opens a transaction of the given kind.
std::string_view begin(Engine engine, TransactionKind kind);

// Column type for a point in time (UTC). SQLite stores ISO 8601 text.
std::string_view timestamp_type(Engine engine);

// SQL expression for the current time, in the format timestamp_type() stores.
std::string_view now(Engine engine);

// A query with one parameter (:name) returning 1 if a table of that name is
// visible (PostgreSQL: on the search_path), else 0.
std::string_view table_exists_query(Engine engine);

// Column definition of an auto-numbered primary key.
std::string_view id_column(Engine engine);

// Replaces the placeholders portable migrations may use: @ID@ becomes
// id_column(engine). Keeps common migrations common instead of copying a
// file per engine for one line.
std::string expand_placeholders(Engine engine, std::string_view sql);

} // namespace dialect

} // namespace spire::db
