#include "db/migrations.hpp"

#include "db/database.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <utility>

namespace spire::db {

namespace {

// Serialises migrations from several processes on one PostgreSQL database
// ("SPIRE" in ASCII). SQLite needs none: BEGIN IMMEDIATE already does it.
constexpr const char* POSTGRESQL_MIGRATION_LOCK = "SELECT pg_advisory_xact_lock(357895852613)";

using MigrationKey = std::pair<std::string, int>; // module, version

std::size_t module_rank(std::string_view module) {
    auto found = std::find(MIGRATION_MODULES.begin(), MIGRATION_MODULES.end(), module);
    if (found == MIGRATION_MODULES.end()) {
        throw std::logic_error("migration of unknown module '" + std::string(module) +
                               "': add it to MIGRATION_MODULES in db/migrations.hpp");
    }
    return static_cast<std::size_t>(found - MIGRATION_MODULES.begin());
}

std::string describe(const EmbeddedMigration& migration) {
    std::string text = std::string(migration.module) + " " + std::to_string(migration.version) +
                       " (" + migration.name;
    if (*migration.dialect != '\0') {
        text += "." + std::string(migration.dialect);
    }
    return text + ")";
}

struct Plan {
    std::vector<const EmbeddedMigration*> steps; // in the order to apply them
    std::set<MigrationKey> known;                // every (module, version), any dialect
};

// Checks the migration set and picks, for each (module, version), the file
// for this engine if there is one, else the common file.
Plan make_plan(std::span<const EmbeddedMigration> migrations, Engine engine) {
    struct Files {
        const EmbeddedMigration* common = nullptr;
        const EmbeddedMigration* own = nullptr;   // for this engine
        const EmbeddedMigration* other = nullptr; // for the other engine
    };
    std::map<std::pair<std::size_t, int>, Files> by_version;
    Plan plan;
    const std::string_view own_dialect = dialect::name(engine);

    for (const auto& migration : migrations) {
        if (!migration.module || !migration.name || !migration.dialect || !migration.sql) {
            throw std::logic_error("migration with a null field");
        }
        std::size_t rank = module_rank(migration.module);
        if (migration.version < 1) {
            throw std::logic_error("migration " + describe(migration) + ": version must be >= 1");
        }
        std::string_view dialect = migration.dialect;
        Files& files = by_version[{rank, migration.version}];
        const EmbeddedMigration** slot = nullptr;
        if (dialect.empty()) {
            slot = &files.common;
        } else if (dialect == own_dialect) {
            slot = &files.own;
        } else if (dialect == "sqlite" || dialect == "postgresql") {
            slot = &files.other;
        } else {
            throw std::logic_error("migration " + describe(migration) + ": unknown dialect");
        }
        if (*slot) {
            throw std::logic_error("migration " + describe(migration) + " clashes with " +
                                   describe(**slot));
        }
        *slot = &migration;
        plan.known.emplace(migration.module, migration.version);
    }

    for (const auto& [key, files] : by_version) {
        const EmbeddedMigration* chosen = files.own ? files.own : files.common;
        if (!chosen) {
            // A deliberate no-op on one engine is a file holding only a comment.
            throw std::logic_error("migration " + describe(*files.other) + " has no file for " +
                                   std::string(own_dialect) + " and no common file");
        }
        plan.steps.push_back(chosen);
    }
    return plan;
}

MigrationStep step_of(const EmbeddedMigration& migration) {
    return {migration.module, migration.version, migration.name, migration.dialect};
}

// A migration that commits or rolls back itself would leave its changes
// committed without its schema_migrations row (or the reverse).
void check_still_in_transaction(Database& db, soci::session& session,
                                const EmbeddedMigration& migration) {
    if (!db.in_transaction(session)) {
        throw std::logic_error("migration " + describe(migration) +
                               " ended its transaction: migrations must not hold BEGIN/COMMIT");
    }
}

void lock_migrations(Database& db, soci::session& session) {
    if (db.engine() == Engine::Postgresql) {
        db.execute_script(session, POSTGRESQL_MIGRATION_LOCK);
        // No "relation already exists, skipping" notices on stderr.
        db.execute_script(session, "SET LOCAL client_min_messages = warning");
    }
}

bool schema_table_exists(soci::session& session, Engine engine) {
    std::string table = "schema_migrations";
    int exists = 0;
    session << dialect::table_exists_query(engine), soci::use(table, "name"), soci::into(exists);
    return exists != 0;
}

std::set<MigrationKey> applied_migrations(soci::session& session, Engine engine) {
    std::set<MigrationKey> applied;
    if (!schema_table_exists(session, engine)) {
        return applied;
    }
    std::string module;
    int version = 0;
    soci::statement rows = (session.prepare << "SELECT module, version FROM schema_migrations",
                            soci::into(module), soci::into(version));
    rows.execute();
    while (rows.fetch()) {
        applied.emplace(module, version);
    }
    return applied;
}

void create_schema_table(Database& db, soci::session& session) {
    const Engine engine = db.engine();
    std::string sql = "CREATE TABLE IF NOT EXISTS schema_migrations (\n"
                      "    module TEXT NOT NULL,\n"
                      "    version INTEGER NOT NULL,\n"
                      "    name TEXT NOT NULL,\n"
                      "    applied_at " +
                      std::string(dialect::timestamp_type(engine)) +
                      " NOT NULL,\n"
                      "    PRIMARY KEY (module, version)\n"
                      ")";
    db.execute_script(session, sql.c_str());
}

// Applies one migration with its schema_migrations row; false if another
// process applied it first.
bool apply(Database& db, soci::session& session, const EmbeddedMigration& migration) {
    lock_migrations(db, session);
    std::string module = migration.module;
    int version = migration.version;
    std::string name = migration.name;
    int already = 0;
    session << "SELECT count(*) FROM schema_migrations WHERE module = :module AND version = "
               ":version",
        soci::use(module, "module"), soci::use(version, "version"), soci::into(already);
    if (already != 0) {
        return false;
    }
    db.execute_script(session, dialect::expand_placeholders(db.engine(), migration.sql).c_str());
    check_still_in_transaction(db, session, migration);
    session << "INSERT INTO schema_migrations (module, version, name, applied_at)\n"
               "VALUES (:module, :version, :name, " +
                   std::string(dialect::now(db.engine())) + ")",
        soci::use(module, "module"), soci::use(version, "version"), soci::use(name, "name");
    return true;
}

// The first applied migration this binary does not know, if any.
Result<void> refuse_unknown(const std::set<MigrationKey>& applied, const Plan& plan) {
    for (const auto& key : applied) {
        if (!plan.known.contains(key)) {
            Error error = Error::conflict("The database was migrated by a newer version of Spire");
            error.detail = "database was migrated by a newer Spire: " + key.first + " " +
                           std::to_string(key.second);
            return Unexpected(std::move(error));
        }
    }
    return {};
}

Error database_error(std::string message, const std::exception& e) {
    return Error::unavailable(std::move(message), e.what());
}

// The planned migrations the database lacks, in order.
Result<std::vector<const EmbeddedMigration*>> unapplied(Database& db, const Plan& plan) {
    std::set<MigrationKey> applied;
    try {
        applied = db.read(
            [&](soci::session& session) { return applied_migrations(session, db.engine()); });
    } catch (const soci::soci_error& e) {
        return Unexpected(database_error("Cannot read the database's migrations", e));
    }
    if (auto refused = refuse_unknown(applied, plan); !refused) {
        return Unexpected(std::move(refused.error()));
    }
    std::vector<const EmbeddedMigration*> missing;
    for (const auto* migration : plan.steps) {
        if (!applied.contains({migration->module, migration->version})) {
            missing.push_back(migration);
        }
    }
    return missing;
}

} // namespace

Result<std::vector<MigrationStep>> pending(Database& db,
                                           std::span<const EmbeddedMigration> migrations) {
    auto to_apply = unapplied(db, make_plan(migrations, db.engine()));
    if (!to_apply) {
        return Unexpected(std::move(to_apply.error()));
    }
    std::vector<MigrationStep> steps;
    for (const auto* migration : *to_apply) {
        steps.push_back(step_of(*migration));
    }
    return steps;
}

Result<MigrationReport> migrate(Database& db, std::span<const EmbeddedMigration> migrations) {
    auto to_apply = unapplied(db, make_plan(migrations, db.engine()));
    if (!to_apply) {
        return Unexpected(std::move(to_apply.error()));
    }
    MigrationReport report;
    if (to_apply->empty()) {
        return report;
    }

    try {
        db.transact([&](soci::session& session) {
            lock_migrations(db, session);
            create_schema_table(db, session);
        });
    } catch (const soci::soci_error& e) {
        return Unexpected(database_error("Cannot create the migrations table", e));
    }

    for (const auto* migration : *to_apply) {
        try {
            bool applied =
                db.transact([&](soci::session& session) { return apply(db, session, *migration); });
            if (applied) {
                report.applied.push_back(step_of(*migration));
            }
        } catch (const soci::soci_error& e) {
            Error error = Error::unavailable("A database migration failed");
            error.detail = "migration " + describe(*migration) + " failed: " + e.what();
            return Unexpected(std::move(error));
        }
    }
    return report;
}

} // namespace spire::db
