#pragma once

// The audit log (DESIGN.md §7): what happened, who did it, to what, in which
// request. Append-only and hash-chained; plain structs here, the chain in
// identity/audit_service.hpp, the SQL in identity/audit_store.hpp.

#include "identity/model.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spire::identity {

// What a use case records, in the same transaction as the change itself.
struct AuditEvent {
    std::optional<Id> organisation_id; // none for events outside any tenant
    std::optional<Id> actor_user_id;   // none for the system and anonymous users
    std::string action;                // "user.create", "grant.revoke", "login.failure"
    std::string target_type;           // "user", "unit", "grant", "session"
    std::string target_id;             // text, so any kind of key fits
    std::string summary;               // short before/after, e.g. "active: yes -> no"; no secrets
    std::string request_id;
};

// One stored entry. `at` is UTC text in the schema's fixed format
// (2026-11-27T14:05:00.000000Z); prev_hash and hash are lower-case hex SHA-256.
struct AuditEntry {
    Id id = 0;
    std::string at;
    std::optional<Id> organisation_id;
    std::optional<Id> actor_user_id;
    std::string action;
    std::string target_type;
    std::string target_id;
    std::string summary;
    std::string request_id;
    std::string prev_hash;
    std::string hash;
};

// The prev_hash of the first entry.
inline constexpr std::string_view AUDIT_GENESIS_HASH =
    "0000000000000000000000000000000000000000000000000000000000000000";

// Limits of an event's fields. Action and target type are names chosen in
// code ([a-z0-9._-]); a longer free-text field is cut (with "…"), never
// refused: an audit entry must not make the change it records fail.
inline constexpr std::size_t MAX_AUDIT_NAME_BYTES = 64;
inline constexpr std::size_t MAX_AUDIT_TARGET_ID_BYTES = 200;
inline constexpr std::size_t MAX_AUDIT_SUMMARY_BYTES = 1000;
inline constexpr std::size_t MAX_AUDIT_REQUEST_ID_BYTES = 100;

inline constexpr int MAX_AUDIT_PER_PAGE = 200;

// The audit page's filters; every one is backed by an index on audit_log.
struct AuditFilter {
    Id organisation_id = 0;
    std::optional<std::string> action;
    std::optional<std::string> target_type;
    std::optional<std::string> target_id; // only together with target_type
    std::optional<Id> actor_user_id;
    // YYYY-MM-DD, both inclusive, as days in Europe/Oslo (the days users see).
    std::optional<std::string> from_date;
    std::optional<std::string> to_date;
    int page = 1;      // from 1
    int per_page = 50; // 1..MAX_AUDIT_PER_PAGE
};

struct AuditPage {
    std::vector<AuditEntry> entries; // newest first
    long long total = 0;             // entries matching the filter, all pages
};

struct AuditVerification {
    bool ok = true;
    long long checked = 0;          // entries found intact (all of them when ok)
    std::optional<Id> first_bad_id; // the first entry that does not fit the chain
    std::string problem;            // English, for the operator
    // The last intact entry: an anchor to keep outside the database, since
    // removing entries from the end leaves a valid, shorter chain.
    std::optional<Id> last_id;
    std::string last_hash;
};

} // namespace spire::identity
