#pragma once

// Read-side use cases of the admin pages that IdentityService does not cover:
// the audit log as the organisation's auditors and administrators see it.

#include "core/error.hpp"
#include "identity/audit.hpp"
#include "identity/service.hpp"

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

namespace spire::db {
class Database;
}

namespace spire::identity {

// One page of the audit log with the names of the users who acted on it.
struct AuditLog {
    AuditPage page;
    std::unordered_map<Id, std::string> actor_names; // actors in this organisation only
};

class AdminService {
public:
    explicit AdminService(std::shared_ptr<db::Database> database);

    // One page of filter.organisation_id's entries, newest first. Needs
    // IdentityAction::ViewAudit. Invalid (with field errors) for a bad filter.
    Result<AuditPage> audit_log(const Actor& actor, const AuditFilter& filter);

    // As audit_log(), plus the names of the page's actors, read in the same
    // snapshot. `actor_email`, when not empty, filters by the user with that
    // address (Invalid on field "actor" when the organisation has no such user).
    Result<AuditLog> audit_log_with_names(const Actor& actor, AuditFilter filter,
                                          const std::string& actor_email = {});

private:
    std::shared_ptr<db::Database> m_database;
};

} // namespace spire::identity
