#pragma once

// SQL for organisations, units, users, grants, sessions and login failures.
// Every function runs inside the caller's transaction (the service opens it)
// and every query about tenant data names the organisation.

#include "identity/model.hpp"

#include <optional>
#include <string>
#include <vector>

namespace soci {
class session;
}
namespace spire::db {
class Connection;
}

namespace spire::identity::store {

// Organisations
Id insert_organisation(soci::session& sql, const std::string& slug, const std::string& name,
                       const std::string& now);
std::optional<Organisation> find_organisation(soci::session& sql, Id id);
std::optional<Organisation> find_organisation_by_slug(soci::session& sql, const std::string& slug);

// Units
Id insert_unit(soci::session& sql, const OrgUnit& unit, const std::string& now);
std::optional<OrgUnit> find_unit(soci::session& sql, Id organisation_id, Id unit_id);
std::vector<OrgUnit> list_units(soci::session& sql, Id organisation_id);
void update_unit(soci::session& sql, const OrgUnit& unit);

// Users
struct UserWithPassword {
    User user;
    std::string password_hash; // empty: no password set, cannot log in
};
Id insert_user(soci::session& sql, const User& user, const std::string& password_hash,
               const std::string& now);
std::optional<User> find_user(soci::session& sql, Id organisation_id, Id user_id);
// By id alone: only for resolving a session to its user.
std::optional<User> find_user_by_id(soci::session& sql, Id user_id);
std::optional<UserWithPassword> find_user_by_email(soci::session& sql, const std::string& email);
bool email_taken(soci::session& sql, const std::string& email);
struct UserPage {
    std::vector<User> users;
    long long total = 0;
};
// Name or e-mail containing `query` (case-insensitive), sorted by name.
UserPage search_users(soci::session& sql, Id organisation_id, const std::string& query, int page,
                      int per_page);
void set_user_active(soci::session& sql, Id user_id, bool active);
void set_password_hash(soci::session& sql, Id user_id, const std::string& hash);

// Grants
Id insert_grant(soci::session& sql, const Grant& grant, std::optional<Id> granted_by,
                const std::string& now);
std::vector<Grant> list_grants(soci::session& sql, Id user_id, Id organisation_id);
std::optional<Grant> find_grant(soci::session& sql, Id organisation_id, Id grant_id);
void delete_grant(soci::session& sql, Id grant_id);
// Organisations in which the user holds at least one grant, lowest id first.
std::vector<Id> organisations_with_grants(soci::session& sql, Id user_id);

// Sessions
struct StoredSession {
    std::string token_hash;
    Id user_id = 0;
    std::string csrf_token;
    std::string created_at;
    std::string last_seen_at;
    std::string expires_at;
};
void insert_session(soci::session& sql, const StoredSession& session,
                    const std::string& client_address);
std::optional<StoredSession> find_session(soci::session& sql, const std::string& token_hash);
// A session with its user and the user's grants in the user's organisation,
// in one statement, prepared once per pooled connection (this runs on every
// request).
struct SessionWithUser {
    StoredSession session;
    User user;
    std::vector<Grant> grants;
};
std::optional<SessionWithUser> find_session_with_user(db::Connection& connection,
                                                      const std::string& token_hash);
void touch_session(soci::session& sql, const std::string& token_hash, const std::string& now);
void delete_session(soci::session& sql, const std::string& token_hash);
long long delete_sessions_of_user(soci::session& sql, Id user_id);
void delete_expired_sessions(soci::session& sql, const std::string& now);

// Login failures
void insert_login_failure(soci::session& sql, const std::string& email,
                          const std::string& client_address, const std::string& now);
struct FailureCount {
    long long count = 0;
    std::string last_at; // empty when count is 0
};
FailureCount failures_for_email_since(soci::session& sql, const std::string& email,
                                      const std::string& since);
FailureCount failures_for_address_since(soci::session& sql, const std::string& address,
                                        const std::string& since);
void clear_login_failures(soci::session& sql, const std::string& email);
// Failures older than the throttling window no longer matter.
void delete_login_failures_before(soci::session& sql, const std::string& before);

} // namespace spire::identity::store
