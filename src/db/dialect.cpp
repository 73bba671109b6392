#include "db/dialect.hpp"

namespace spire::db::dialect {

std::string_view name(Engine engine) {
    switch (engine) {
    case Engine::Sqlite:
        return "sqlite";
    case Engine::Postgresql:
        return "postgresql";
    }
    return {};
}

std::string_view begin(Engine engine, TransactionKind kind) {
    if (engine == Engine::Sqlite) {
        return kind == TransactionKind::Write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED";
    }
    return kind == TransactionKind::Write ? "BEGIN" : "BEGIN READ ONLY";
}

std::string_view timestamp_type(Engine engine) {
    return engine == Engine::Sqlite ? "TEXT" : "TIMESTAMPTZ";
}

std::string_view now(Engine engine) {
    return engine == Engine::Sqlite ? "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')" : "now()";
}

std::string_view table_exists_query(Engine engine) {
    if (engine == Engine::Sqlite) {
        return "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = :name";
    }
    return "SELECT CASE WHEN to_regclass(:name) IS NULL THEN 0 ELSE 1 END";
}

} // namespace spire::db::dialect
