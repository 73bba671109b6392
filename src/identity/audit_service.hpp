#pragma once

// The audit chain: appending entries, listing them for the audit page, and
// verifying that nothing was changed, removed or reordered.
//
// Every entry's hash covers the previous entry's hash and the entry's own
// fields, including its id (see audit_entry_hash). Ids are assigned here, one
// more than the last entry's, while appenders are serialised: so ids are
// 1, 2, 3, ... without gaps, and a second appender that somehow read the same
// last entry collides on the primary key instead of forking the chain.

#include "core/error.hpp"
#include "db/dialect.hpp"
#include "identity/audit.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace soci {
class session;
}

namespace spire::identity {

// Appends one entry inside the caller's transaction, so that it is committed
// or rolled back together with the change it records. Call it in a write
// transaction (Database::transact); on PostgreSQL in READ COMMITTED (the
// default), so that the last entry is read after the lock is taken.
//
// Invalid when action or target_type is empty, too long or not [a-z0-9._-]
// (a programming error in the caller). Free-text fields are cleaned (invalid
// UTF-8 and control characters become U+FFFD) and cut to their limits.
// Database failures throw.
Result<Id> append_audit(soci::session& session, db::Engine engine, const AuditEvent& event);

// What every service calls: appends `event` or throws, because an audit
// entry that cannot be written must abort the change it records (the
// caller's transaction rolls back).
void record_audit(soci::session& session, db::Engine engine, const AuditEvent& event);

// As above with the current time given (tests). An entry never gets an
// earlier time than the entry before it: if the clock went back, it gets the
// previous entry's time, so that time order and id order agree.
Result<Id> append_audit(soci::session& session, db::Engine engine, const AuditEvent& event,
                        std::chrono::system_clock::time_point now);

// One page of the organisation's entries matching the filter, newest first.
// Invalid for a malformed or impossible date, from_date after to_date, a
// target_id without target_type, page < 1 or per_page outside
// 1..MAX_AUDIT_PER_PAGE (field errors name the filter).
Result<AuditPage> list_audit(soci::session& session, db::Engine engine, const AuditFilter& filter);

// Walks every entry in id order, in batches (constant memory), and checks
// that ids run 1, 2, 3, ..., that each prev_hash is the hash of the entry
// before it (64 zeros for the first) and that each hash matches the entry's
// contents. Stops at the first entry that fails. Cannot see entries removed
// from the end of the log: compare last_id and last_hash with a copy kept
// elsewhere for that. Database failures throw.
AuditVerification verify_audit_chain(soci::session& session, db::Engine engine);

// --- The pieces of the chain, exposed for the tests ---------------------

// The entry's fields as hashed: each as <length in bytes>:<bytes>; in the
// order id, at, organisation_id, actor_user_id, action, target_type,
// target_id, summary, request_id. Ids are decimal; an absent id is the empty
// string. The length prefixes make the encoding unambiguous: no two
// different entries serialise alike.
std::string audit_canonical_fields(const AuditEntry& entry);

// Lower-case hex SHA-256 of entry.prev_hash followed by
// audit_canonical_fields(entry). entry.hash is ignored. prev_hash needs no
// length prefix: verification only hashes an entry whose prev_hash it has
// already matched against the previous entry's (64-character) hash.
std::string audit_entry_hash(const AuditEntry& entry);

// The first instant of a day in Europe/Oslo as stored UTC text, e.g.
// "2026-03-29" -> "2026-03-28T23:00:00.000000Z"; nullopt unless the text is
// a valid date written YYYY-MM-DD.
std::optional<std::string> audit_day_start(std::string_view date);

} // namespace spire::identity
