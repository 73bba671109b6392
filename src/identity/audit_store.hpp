#pragma once

// SQL for the audit log. Every function runs inside the caller's transaction;
// the chain itself (ids, times, hashes) is identity/audit_service.cpp's job.

#include "db/dialect.hpp"
#include "identity/audit.hpp"

#include <optional>
#include <string>
#include <vector>

namespace soci {
class session;
}

namespace spire::identity::audit_store {

// Serialises appenders until the transaction ends. PostgreSQL: an advisory
// transaction lock. SQLite: nothing to do, Database::transact's BEGIN
// IMMEDIATE already holds the only write lock.
void lock_chain(soci::session& sql, db::Engine engine);

// The entry with the highest id: the end of the chain.
struct ChainEnd {
    Id id = 0;
    std::string at;
    std::string hash;
};
std::optional<ChainEnd> chain_end(soci::session& sql);

// Stores the entry exactly as given, id included.
void insert_entry(soci::session& sql, const AuditEntry& entry);

// A filter as SQL sees it: days already turned into UTC bounds.
struct EntryQuery {
    Id organisation_id = 0;
    std::optional<std::string> action;
    std::optional<std::string> target_type;
    std::optional<std::string> target_id;
    std::optional<Id> actor_user_id;
    std::optional<std::string> at_from;   // inclusive
    std::optional<std::string> at_before; // exclusive
};

// Newest first.
std::vector<AuditEntry> find_entries(soci::session& sql, const EntryQuery& query, long long limit,
                                     long long offset);
long long count_entries(soci::session& sql, const EntryQuery& query);

// Up to `limit` entries with id > after_id, in id order (for walking the
// whole log in batches).
std::vector<AuditEntry> entries_after(soci::session& sql, Id after_id, int limit);

} // namespace spire::identity::audit_store
