#pragma once

// Identity use cases: validate -> authorise -> transact -> audit. Handlers
// and the CLI call these; nothing else touches the identity tables.

#include "core/error.hpp"
#include "identity/audit.hpp"
#include "identity/model.hpp"
#include "identity/store.hpp"

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace spire::db {
class Database;
}

namespace spire::identity {

// Who is acting and under which request, for authorisation and the audit log.
// The system (CLI, demo data) may do everything; a web request acts as its
// principal, or as nobody when anonymous.
struct Actor {
    const Principal* principal = nullptr;
    std::string request_id;
    bool is_system = false;

    static Actor system(std::string what = "cli") { return {nullptr, std::move(what), true}; }
    static Actor web(const Principal* principal, std::string request_id) {
        return {principal, std::move(request_id), false};
    }
};

// The audit entry of a change `actor` makes (identity/audit_service.hpp
// record_audit writes it); every module's service builds its entries here.
AuditEvent audit_event(const Actor& actor, std::optional<Id> organisation_id, std::string action,
                       std::string target_type, std::string target_id, std::string summary);

struct SessionPolicy {
    std::chrono::minutes idle{60};
    std::chrono::hours absolute{12};
    // Failed logins within `window` before the growing delay starts.
    std::chrono::minutes window{15};
    int free_failures_per_account = 5;
    // Generous: a whole office may share one address, and every failure
    // beyond this slows everyone there down.
    int free_failures_per_address = 100;
};

struct NewSession {
    std::string token; // goes into the cookie; only its hash is stored
    std::string csrf_token;
};

struct AuthenticatedSession {
    Principal principal;
    std::string csrf_token;
    std::string token_hash;
};

struct NewUser {
    Id organisation_id = 0;
    std::string name;
    std::string email;
    std::string phone;
    std::string password; // may be empty: the user cannot log in until one is set
};

struct UserDetail {
    User user;
    std::vector<Grant> grants;
};

class IdentityService {
public:
    explicit IdentityService(std::shared_ptr<db::Database> database, SessionPolicy policy = {});

    // Sessions
    Result<NewSession> login(const std::string& email, const std::string& password,
                             const std::string& client_address, const std::string& request_id);
    std::optional<AuthenticatedSession> authenticate(const std::string& token);
    void logout(const std::string& token, const std::string& request_id);
    Result<long long> logout_everywhere(const Actor& actor);

    // Organisations and users
    Result<Id> create_organisation(const Actor& actor, const std::string& slug,
                                   const std::string& name);
    Result<Organisation> organisation(Id id);
    Result<Organisation> organisation_by_slug(const std::string& slug);
    Result<Id> create_user(const Actor& actor, const NewUser& input);
    Result<void> set_password(const Actor& actor, const std::string& email,
                              const std::string& password);
    Result<void> set_user_active(const Actor& actor, Id organisation_id, Id user_id, bool active);
    Result<store::UserPage> search_users(const Actor& actor, Id organisation_id,
                                         const std::string& query, int page, int per_page);
    Result<UserDetail> user_detail(const Actor& actor, Id organisation_id, Id user_id);
    Result<Id> grant_role(const Actor& actor, const Grant& grant);
    Result<void> revoke_grant(const Actor& actor, Id organisation_id, Id grant_id);

    // Units
    Result<std::vector<OrgUnit>> units(const Actor& actor, Id organisation_id);
    Result<Id> create_unit(const Actor& actor, const OrgUnit& unit);
    Result<void> update_unit(const Actor& actor, const OrgUnit& unit);

    const SessionPolicy& policy() const { return m_policy; }

    // Drops remembered sessions, e.g. after sessions were changed outside
    // this service (another process, a test).
    void forget_cached_sessions();

private:
    // Authenticated sessions are remembered for a moment, so a burst of
    // requests (a page and its htmx fragments) costs one lookup. Changes made
    // through this process forget them at once; a change made by another
    // process is seen within SESSION_CACHE_TTL.
    static constexpr auto SESSION_CACHE_TTL = std::chrono::seconds(2);
    static constexpr std::size_t SESSION_CACHE_MAX = 10'000;
    struct CachedSession {
        AuthenticatedSession session;
        std::chrono::system_clock::time_point expires, last_seen, cached_at;
    };
    // Forgets the cache when the operation ends, whatever its outcome.
    struct CacheReset {
        IdentityService& service;
        ~CacheReset() { service.forget_cached_sessions(); }
    };

    std::shared_ptr<db::Database> m_database;
    SessionPolicy m_policy;
    std::mutex m_cache_mutex;
    std::unordered_map<std::string, CachedSession> m_cache;
};

// Validation shared with forms: field-level errors with msgids.
std::vector<FieldError> validate_new_user(const NewUser& input);
std::optional<std::string> password_problem(const std::string& password);

} // namespace spire::identity
