#pragma once

// Schema migrations: migrations/<module>/NNN_name[.sqlite|.postgresql].sql,
// compiled into the binary (cmake/embed_migrations.cmake), applied in module
// order and then by version, each in its own transaction together with its
// row in schema_migrations.

#include "core/error.hpp"

#include <array>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace spire::db {

class Database;

// One migration file as embedded by cmake/embed_migrations.cmake (which
// initialises it as an aggregate: keep the members and their order).
struct EmbeddedMigration {
    const char* module;
    int version;
    const char* name;
    const char* dialect; // "" for both engines, "sqlite" or "postgresql"
    const char* sql;
};

// Every migration this binary knows; defined in the generated
// <build>/generated/migrations_embedded.cpp.
std::span<const EmbeddedMigration> embedded_migrations();

// The order modules migrate in: a module's tables may refer to the tables of
// the modules before it. A migration of any other module is a programming
// error. "mail" (the outbox, shared infrastructure) refers only to
// organisation and comes last, so adding it changed no other module's place.
// "decisions" (recommendations, decisions, letters) came after it for the
// same reason; its tables refer to funds, applications and the ledger only.
inline constexpr std::array<std::string_view, 13> MIGRATION_MODULES = {
    "platform", "identity", "funds",     "calls",   "applications", "review",   "allocation",
    "projects", "partners", "knowledge", "insight", "mail",         "decisions"};

// One migration as chosen for this database's engine.
struct MigrationStep {
    std::string module;
    int version = 0;
    std::string name;
    std::string dialect; // "" when the common file was chosen
};

struct MigrationReport {
    std::vector<MigrationStep> applied; // in the order they were applied
};

// Applies every migration the database lacks. Refuses, changing nothing, a
// database that holds a migration this binary does not know (migrated by a
// newer Spire). A failing migration is rolled back completely; the ones
// before it stay applied. Safe to run from several processes at once.
//
// Migration SQL may hold several statements, including trigger bodies and
// PostgreSQL $$ blocks; it must not hold BEGIN/COMMIT.
//
// Throws std::logic_error for a broken migration set (unknown module,
// duplicate file, a version without a file for this engine): those are
// build errors, not runtime conditions.
Result<MigrationReport>
migrate(Database& db, std::span<const EmbeddedMigration> migrations = embedded_migrations());

// What migrate() would apply, without changing anything (for --dry-run and
// status). Refuses a database migrated by a newer Spire just as migrate() does.
Result<std::vector<MigrationStep>>
pending(Database& db, std::span<const EmbeddedMigration> migrations = embedded_migrations());

} // namespace spire::db
