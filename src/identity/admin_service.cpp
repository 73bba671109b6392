#include "identity/admin_service.hpp"

#include "db/database.hpp"
#include "identity/audit_service.hpp"
#include "identity/policy.hpp"
#include "identity/store.hpp"

#include <soci/soci.h>

namespace spire::identity {

namespace {

// The system actor (CLI) may read everything; web users need ViewAudit.
Result<void> check_view_audit(const Actor& actor, Id organisation_id) {
    if (actor.is_system)
        return {};
    Decision decision = authorize(actor.principal, IdentityAction::ViewAudit, {organisation_id});
    if (!decision)
        return Unexpected(decision.to_error());
    return {};
}

} // namespace

AdminService::AdminService(std::shared_ptr<db::Database> database)
    : m_database(std::move(database)) {}

Result<AuditPage> AdminService::audit_log(const Actor& actor, const AuditFilter& filter) {
    if (auto allowed = check_view_audit(actor, filter.organisation_id); !allowed)
        return Unexpected(allowed.error());
    return m_database->read(
        [&](soci::session& sql) { return list_audit(sql, m_database->engine(), filter); });
}

Result<AuditLog> AdminService::audit_log_with_names(const Actor& actor, AuditFilter filter,
                                                    const std::string& actor_email) {
    if (auto allowed = check_view_audit(actor, filter.organisation_id); !allowed)
        return Unexpected(allowed.error());
    return m_database->read([&](soci::session& sql) -> Result<AuditLog> {
        if (!actor_email.empty()) {
            auto email = normalise_email(actor_email);
            auto user = email ? store::find_user_by_email(sql, *email) : std::nullopt;
            // Another organisation's user is answered like an unknown address.
            if (!user || user->user.organisation_id != filter.organisation_id)
                return Unexpected(Error::invalid(
                    "Check the filter.",
                    {{"actor", "No user in this organisation has this e-mail address."}}));
            filter.actor_user_id = user->user.id;
        }
        auto page = list_audit(sql, m_database->engine(), filter);
        if (!page)
            return Unexpected(page.error());
        AuditLog log{std::move(*page), {}};
        // One lookup per distinct actor on the page (at most per_page, in
        // practice a handful); the store has no batch lookup by ids yet.
        for (const auto& entry : log.page.entries) {
            if (!entry.actor_user_id || log.actor_names.contains(*entry.actor_user_id))
                continue;
            if (auto user = store::find_user(sql, filter.organisation_id, *entry.actor_user_id))
                log.actor_names.emplace(user->id, user->name);
            else
                log.actor_names.emplace(*entry.actor_user_id, std::string());
        }
        std::erase_if(log.actor_names, [](const auto& item) { return item.second.empty(); });
        return log;
    });
}

} // namespace spire::identity
