#include "identity/service.hpp"

#include "core/crypto.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "db/database.hpp"
#include "identity/audit_service.hpp"
#include "identity/password.hpp"
#include "identity/policy.hpp"

#include <algorithm>
#include <cmath>
#include <soci/soci.h>

namespace spire::identity {

namespace {

std::string now_text() {
    return to_db_time(Clock::now());
}

// Checks an action on behalf of an actor. The system actor (CLI) may do
// everything; anonymous web users may do nothing here.
Result<void> check(const Actor& actor, IdentityAction action, const IdentityResource& resource) {
    if (actor.is_system)
        return {};
    Decision decision = authorize(actor.principal, action, resource);
    if (!decision)
        return Unexpected(decision.to_error());
    return {};
}

// Growing delay: each failure beyond the free ones doubles the wait,
// starting at 30 seconds and capped at 15 minutes.
std::optional<std::chrono::seconds> throttle_wait(const store::FailureCount& failures, int free,
                                                  TimePoint now) {
    if (failures.count < free || failures.last_at.empty())
        return std::nullopt;
    long long over = std::min<long long>(failures.count - free, 5);
    auto wait = std::chrono::seconds(30LL << over);
    wait = std::min(wait, std::chrono::seconds(15 * 60));
    auto last = from_db_time(failures.last_at).value_or(now);
    auto until = last + wait;
    if (now >= until)
        return std::nullopt;
    return std::chrono::duration_cast<std::chrono::seconds>(until - now) + std::chrono::seconds(1);
}

Error throttled(std::chrono::seconds wait) {
    return Error::rate_limited(wait.count() > 90 ? "Too many failed attempts. Wait a few minutes "
                                                   "and try again."
                                                 : "Too many failed attempts. Wait a minute and "
                                                   "try again.");
}

// "applicant unit 19": which grant, for the audit log.
std::string grant_summary(const Grant& grant) {
    std::string summary(role_key(grant.role));
    if (grant.unit_id)
        summary += " unit " + std::to_string(*grant.unit_id);
    if (grant.fund_id)
        summary += " fund " + std::to_string(*grant.fund_id);
    return summary;
}

constexpr const char* WRONG_CREDENTIALS = "The e-mail address or password is wrong.";

} // namespace

AuditEvent audit_event(const Actor& actor, std::optional<Id> organisation_id, std::string action,
                       std::string target_type, std::string target_id, std::string summary) {
    AuditEvent e;
    e.organisation_id = organisation_id;
    e.actor_user_id = actor.principal ? std::optional<Id>(actor.principal->user_id) : std::nullopt;
    e.action = std::move(action);
    e.target_type = std::move(target_type);
    e.target_id = std::move(target_id);
    e.summary = std::move(summary);
    e.request_id = actor.request_id;
    return e;
}

std::optional<std::string> password_problem(const std::string& password) {
    if (password.size() < MIN_PASSWORD_LENGTH)
        return std::string("The password must be at least 12 characters long.");
    if (password.size() > MAX_PASSWORD_LENGTH)
        return std::string("The password is too long.");
    return std::nullopt;
}

std::vector<FieldError> validate_new_user(const NewUser& input) {
    std::vector<FieldError> errors;
    std::string name = trim(input.name);
    if (name.empty())
        errors.push_back({"name", "Enter the name."});
    else if (name.size() > MAX_NAME_LENGTH)
        errors.push_back({"name", "The name is too long."});
    if (trim(input.email).empty())
        errors.push_back({"email", "Enter the e-mail address."});
    else if (!normalise_email(input.email))
        errors.push_back({"email", "Enter a valid e-mail address, like name@example.no."});
    if (input.phone.size() > 40)
        errors.push_back({"phone", "The phone number is too long."});
    if (!input.password.empty()) {
        if (auto problem = password_problem(input.password))
            errors.push_back({"password", *problem});
    }
    return errors;
}

IdentityService::IdentityService(std::shared_ptr<db::Database> database, SessionPolicy policy)
    : m_database(std::move(database)), m_policy(policy) {}

Result<NewSession> IdentityService::login(const std::string& raw_email, const std::string& password,
                                          const std::string& client_address,
                                          const std::string& request_id) {
    auto email = normalise_email(raw_email);
    if (!email || password.empty() || password.size() > MAX_PASSWORD_LENGTH) {
        burn_password_time(password.substr(0, MAX_PASSWORD_LENGTH));
        return Unexpected(Error::invalid(WRONG_CREDENTIALS));
    }
    const TimePoint now = Clock::now();
    const std::string since = to_db_time(now - m_policy.window);

    // 1. Count this attempt as a failure before checking the password, in
    //    one write transaction with the throttle check: parallel guesses are
    //    serialised here, so none of them slips past the limit. A success
    //    clears the record again.
    struct Attempt {
        std::optional<store::UserWithPassword> user;
        std::optional<std::chrono::seconds> wait;
    };
    Attempt attempt = m_database->transact([&](soci::session& sql) {
        Attempt result;
        result.wait =
            std::max(throttle_wait(store::failures_for_email_since(sql, *email, since),
                                   m_policy.free_failures_per_account, now),
                     throttle_wait(store::failures_for_address_since(sql, client_address, since),
                                   m_policy.free_failures_per_address, now));
        if (result.wait)
            return result;
        result.user = store::find_user_by_email(sql, *email);
        store::delete_login_failures_before(sql, since);
        store::insert_login_failure(sql, *email, client_address, to_db_time(now));
        return result;
    });
    if (attempt.wait)
        return Unexpected(throttled(*attempt.wait));
    const auto& found = attempt;

    // 2. Verify outside any transaction: it takes tens of milliseconds.
    bool ok = false;
    if (found.user && !found.user->password_hash.empty())
        ok = verify_password(found.user->password_hash, password);
    else
        burn_password_time(password);
    ok = ok && found.user->user.active;

    // 3. Audit a failure (already counted); a success ends the count.
    Actor actor = Actor::web(nullptr, request_id);
    if (!ok) {
        m_database->transact([&](soci::session& sql) {
            std::optional<Id> organisation;
            std::string target;
            if (found.user) {
                organisation = found.user->user.organisation_id;
                target = std::to_string(found.user->user.id);
            }
            record_audit(sql, m_database->engine(),
                         audit_event(actor, organisation, "login.failure", "user", target,
                                     found.user && !found.user->user.active
                                         ? "inactive account"
                                         : "wrong e-mail or password"));
        });
        return Unexpected(Error::invalid(WRONG_CREDENTIALS));
    }

    NewSession created{random_token(32), random_token(32)};
    store::StoredSession stored;
    stored.token_hash = sha256_hex(created.token);
    stored.user_id = found.user->user.id;
    stored.csrf_token = created.csrf_token;
    stored.created_at = to_db_time(now);
    stored.last_seen_at = stored.created_at;
    stored.expires_at = to_db_time(now + m_policy.absolute);
    m_database->transact([&](soci::session& sql) {
        store::insert_session(sql, stored, client_address);
        store::clear_login_failures(sql, *email);
        store::delete_expired_sessions(sql, stored.created_at);
        record_audit(sql, m_database->engine(),
                     AuditEvent{found.user->user.organisation_id, found.user->user.id,
                                "login.success", "user", std::to_string(found.user->user.id), "",
                                request_id});
    });
    return created;
}

std::optional<AuthenticatedSession> IdentityService::authenticate(const std::string& token) {
    if (token.empty() || token.size() > 100)
        return std::nullopt;
    const std::string hash = sha256_hex(token);
    const TimePoint now = Clock::now();

    {
        std::lock_guard lock(m_cache_mutex);
        if (auto it = m_cache.find(hash); it != m_cache.end()) {
            const CachedSession& cached = it->second;
            bool fresh = now - cached.cached_at < SESSION_CACHE_TTL;
            bool valid = now < cached.expires && now < cached.last_seen + m_policy.idle;
            bool needs_touch = now - cached.last_seen > std::chrono::minutes(1);
            if (fresh && valid && !needs_touch)
                return cached.session;
            m_cache.erase(it);
        }
    }

    auto found = m_database->single_statement([&](db::Connection& connection) {
        return store::find_session_with_user(connection, hash);
    });
    if (!found)
        return std::nullopt;
    if (!found->user.active)
        return std::nullopt;
    auto expires = from_db_time(found->session.expires_at);
    auto last_seen = from_db_time(found->session.last_seen_at);
    if (!expires || !last_seen || now >= *expires || now >= *last_seen + m_policy.idle)
        return std::nullopt;
    // Record activity at most once a minute: one write per page view would
    // serialise every request on SQLite's write lock.
    if (now - *last_seen > std::chrono::minutes(1)) {
        m_database->transact(
            [&](soci::session& sql) { store::touch_session(sql, hash, to_db_time(now)); });
    }
    AuthenticatedSession result;
    result.principal.user_id = found->user.id;
    result.principal.organisation_id = found->user.organisation_id;
    result.principal.name = found->user.name;
    result.principal.email = found->user.email;
    result.principal.grants = std::move(found->grants);
    result.csrf_token = found->session.csrf_token;
    result.token_hash = hash;
    {
        std::lock_guard lock(m_cache_mutex);
        if (m_cache.size() >= SESSION_CACHE_MAX)
            m_cache.clear();
        TimePoint seen = now - *last_seen > std::chrono::minutes(1) ? now : *last_seen;
        m_cache[hash] = CachedSession{result, *expires, seen, now};
    }
    return result;
}

void IdentityService::forget_cached_sessions() {
    std::lock_guard lock(m_cache_mutex);
    m_cache.clear();
}

void IdentityService::logout(const std::string& token, const std::string& request_id) {
    // Whatever happens below may end sessions or change roles.
    CacheReset reset_cache(*this);
    if (token.empty() || token.size() > 100)
        return;
    const std::string hash = sha256_hex(token);
    m_database->transact([&](soci::session& sql) {
        auto session = store::find_session(sql, hash);
        if (!session)
            return;
        store::delete_session(sql, hash);
        auto user = store::find_user_by_id(sql, session->user_id);
        record_audit(sql, m_database->engine(),
                     AuditEvent{user ? std::optional<Id>(user->organisation_id) : std::nullopt,
                                session->user_id, "logout", "user",
                                std::to_string(session->user_id), "", request_id});
    });
}

Result<long long> IdentityService::logout_everywhere(const Actor& actor) {
    // Whatever happens below may end sessions or change roles.
    CacheReset reset_cache(*this);
    if (actor.principal == nullptr)
        return Unexpected(Decision::login_required().to_error());
    return m_database->transact([&](soci::session& sql) -> Result<long long> {
        long long count = store::delete_sessions_of_user(sql, actor.principal->user_id);
        record_audit(sql, m_database->engine(),
                     audit_event(actor, actor.principal->organisation_id, "logout.everywhere",
                                 "user", std::to_string(actor.principal->user_id),
                                 std::to_string(count) + " sessions ended"));
        return count;
    });
}

Result<Id> IdentityService::create_organisation(const Actor& actor, const std::string& slug,
                                                const std::string& raw_name) {
    if (!actor.is_system)
        return Unexpected(Error::forbidden("Organisations are created by the operator."));
    std::string name = trim(raw_name);
    std::vector<FieldError> errors;
    if (!is_valid_slug(slug))
        errors.push_back({"slug", "Use 2–63 lower-case letters, digits and hyphens."});
    if (name.empty() || name.size() > MAX_NAME_LENGTH)
        errors.push_back({"name", "Enter the name."});
    if (!errors.empty())
        return Unexpected(Error::invalid("Check the fields marked below.", errors));
    return m_database->transact([&](soci::session& sql) -> Result<Id> {
        if (store::find_organisation_by_slug(sql, slug))
            return Unexpected(Error::conflict("An organisation with this short name exists."));
        Id id = store::insert_organisation(sql, slug, name, now_text());
        record_audit(sql, m_database->engine(),
                     audit_event(actor, id, "organisation.create", "organisation",
                                 std::to_string(id), slug + ": " + name));
        return id;
    });
}

Result<Organisation> IdentityService::organisation(Id id) {
    auto found =
        m_database->read([&](soci::session& sql) { return store::find_organisation(sql, id); });
    if (!found)
        return Unexpected(Error::not_found());
    return *found;
}

Result<Organisation> IdentityService::organisation_by_slug(const std::string& slug) {
    auto found = m_database->read(
        [&](soci::session& sql) { return store::find_organisation_by_slug(sql, slug); });
    if (!found)
        return Unexpected(Error::not_found("No organisation has this short name."));
    return *found;
}

Result<Id> IdentityService::create_user(const Actor& actor, const NewUser& input) {
    if (auto allowed = check(actor, IdentityAction::CreateUser, {input.organisation_id}); !allowed)
        return Unexpected(allowed.error());
    auto errors = validate_new_user(input);
    if (!errors.empty())
        return Unexpected(Error::invalid("Check the fields marked below.", errors));
    User user;
    user.organisation_id = input.organisation_id;
    user.name = trim(input.name);
    user.email = *normalise_email(input.email);
    user.phone = trim(input.phone);
    std::string hash = input.password.empty() ? std::string() : hash_password(input.password);
    return m_database->transact([&](soci::session& sql) -> Result<Id> {
        if (!store::find_organisation(sql, user.organisation_id))
            return Unexpected(Error::not_found("No such organisation."));
        if (store::email_taken(sql, user.email))
            return Unexpected(
                Error::invalid("Check the fields marked below.",
                               {{"email", "A user with this e-mail address already exists."}}));
        Id id = 0;
        try {
            id = store::insert_user(sql, user, hash, now_text());
        } catch (const soci::soci_error&) {
            // Only the e-mail is unique: another request took it between our
            // check and this insert. The transaction rolls back.
            return Unexpected(
                Error::invalid("Check the fields marked below.",
                               {{"email", "A user with this e-mail address already exists."}}));
        }
        record_audit(sql, m_database->engine(),
                     audit_event(actor, user.organisation_id, "user.create", "user",
                                 std::to_string(id), user.name + " <" + user.email + ">"));
        return id;
    });
}

Result<void> IdentityService::set_password(const Actor& actor, const std::string& raw_email,
                                           const std::string& password) {
    // Whatever happens below may end sessions or change roles.
    CacheReset reset_cache(*this);
    if (!actor.is_system)
        return Unexpected(Error::forbidden("Passwords are set by the operator."));
    auto email = normalise_email(raw_email);
    if (!email)
        return Unexpected(Error::invalid("Enter a valid e-mail address, like name@example.no."));
    if (auto problem = password_problem(password))
        return Unexpected(Error::invalid(*problem));
    std::string hash = hash_password(password);
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto user = store::find_user_by_email(sql, *email);
        if (!user)
            return Unexpected(Error::not_found("No user has this e-mail address."));
        store::set_password_hash(sql, user->user.id, hash);
        store::delete_sessions_of_user(sql, user->user.id);
        record_audit(sql, m_database->engine(),
                     audit_event(actor, user->user.organisation_id, "user.set_password", "user",
                                 std::to_string(user->user.id),
                                 "password changed; sessions ended"));
        return {};
    });
}

Result<void> IdentityService::set_user_active(const Actor& actor, Id organisation_id, Id user_id,
                                              bool active) {
    // Whatever happens below may end sessions or change roles.
    CacheReset reset_cache(*this);
    if (auto allowed = check(actor, IdentityAction::ChangeUser, {organisation_id}); !allowed)
        return Unexpected(allowed.error());
    if (!active && actor.principal && actor.principal->user_id == user_id)
        return Unexpected(Error::conflict("You cannot deactivate yourself."));
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto user = store::find_user(sql, organisation_id, user_id);
        if (!user)
            return Unexpected(Error::not_found());
        if (user->active == active)
            return {};
        store::set_user_active(sql, user_id, active);
        if (!active)
            store::delete_sessions_of_user(sql, user_id);
        record_audit(sql, m_database->engine(),
                     audit_event(actor, organisation_id,
                                 active ? "user.activate" : "user.deactivate", "user",
                                 std::to_string(user_id),
                                 std::string("active: ") + (active ? "no -> yes" : "yes -> no")));
        return {};
    });
}

Result<store::UserPage> IdentityService::search_users(const Actor& actor, Id organisation_id,
                                                      const std::string& query, int page,
                                                      int per_page) {
    if (auto allowed = check(actor, IdentityAction::ViewUsers, {organisation_id}); !allowed)
        return Unexpected(allowed.error());
    page = std::max(page, 1);
    per_page = std::clamp(per_page, 1, 200);
    std::string needle = trim(query).substr(0, 200);
    return m_database->read([&](soci::session& sql) {
        return store::search_users(sql, organisation_id, needle, page, per_page);
    });
}

Result<UserDetail> IdentityService::user_detail(const Actor& actor, Id organisation_id,
                                                Id user_id) {
    if (auto allowed = check(actor, IdentityAction::ViewUsers, {organisation_id}); !allowed)
        return Unexpected(allowed.error());
    return m_database->read([&](soci::session& sql) -> Result<UserDetail> {
        auto user = store::find_user(sql, organisation_id, user_id);
        if (!user)
            return Unexpected(Error::not_found());
        return UserDetail{*user, store::list_grants(sql, user_id, organisation_id)};
    });
}

Result<Id> IdentityService::grant_role(const Actor& actor, const Grant& grant) {
    // Whatever happens below may end sessions or change roles.
    CacheReset reset_cache(*this);
    IdentityResource resource{grant.organisation_id, grant.role, grant.fund_id};
    if (auto allowed = check(actor, IdentityAction::ChangeGrants, resource); !allowed)
        return Unexpected(allowed.error());
    RoleScope scope = role_scope(grant.role);
    if (scope != RoleScope::Unit && grant.unit_id)
        return Unexpected(Error::invalid("This role cannot be limited to a unit.",
                                         {{"unit_id", "This role cannot be limited to a unit."}}));
    if (scope == RoleScope::Unit && !grant.unit_id)
        return Unexpected(Error::invalid("Choose the unit the role applies to.",
                                         {{"unit_id", "Choose the unit the role applies to."}}));
    if (scope != RoleScope::Fund && grant.fund_id)
        return Unexpected(Error::invalid("This role cannot be limited to a fund."));
    return m_database->transact([&](soci::session& sql) -> Result<Id> {
        auto user = store::find_user(sql, grant.organisation_id, grant.user_id);
        if (!user)
            return Unexpected(Error::not_found());
        if (grant.unit_id && !store::find_unit(sql, grant.organisation_id, *grant.unit_id))
            return Unexpected(Error::invalid("Choose the unit the role applies to.",
                                             {{"unit_id", "The unit does not exist."}}));
        for (const auto& existing : store::list_grants(sql, grant.user_id, grant.organisation_id)) {
            if (existing.role == grant.role && existing.unit_id == grant.unit_id &&
                existing.fund_id == grant.fund_id)
                return existing.id; // granting twice is harmless
        }
        std::optional<Id> by =
            actor.principal ? std::optional<Id>(actor.principal->user_id) : std::nullopt;
        Id id = store::insert_grant(sql, grant, by, now_text());
        record_audit(sql, m_database->engine(),
                     audit_event(actor, grant.organisation_id, "grant.add", "user",
                                 std::to_string(grant.user_id), grant_summary(grant)));
        return id;
    });
}

Result<void> IdentityService::revoke_grant(const Actor& actor, Id organisation_id, Id grant_id) {
    // Whatever happens below may end sessions or change roles.
    CacheReset reset_cache(*this);
    auto grant = m_database->read(
        [&](soci::session& sql) { return store::find_grant(sql, organisation_id, grant_id); });
    if (!grant)
        return Unexpected(Error::not_found());
    IdentityResource resource{organisation_id, grant->role, grant->fund_id};
    if (auto allowed = check(actor, IdentityAction::ChangeGrants, resource); !allowed)
        return Unexpected(allowed.error());
    if (actor.principal && actor.principal->user_id == grant->user_id && grant->role == Role::Admin)
        return Unexpected(Error::conflict("You cannot remove your own administrator role."));
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        if (!store::find_grant(sql, organisation_id, grant_id))
            return Unexpected(Error::not_found());
        store::delete_grant(sql, grant_id);
        record_audit(sql, m_database->engine(),
                     audit_event(actor, organisation_id, "grant.remove", "user",
                                 std::to_string(grant->user_id), grant_summary(*grant)));
        return {};
    });
}

Result<std::vector<OrgUnit>> IdentityService::units(const Actor& actor, Id organisation_id) {
    if (auto allowed = check(actor, IdentityAction::ViewUnits, {organisation_id}); !allowed)
        return Unexpected(allowed.error());
    return m_database->read(
        [&](soci::session& sql) { return store::list_units(sql, organisation_id); });
}

namespace {
std::vector<FieldError> validate_unit(const OrgUnit& unit) {
    std::vector<FieldError> errors;
    if (trim(unit.name).empty())
        errors.push_back({"name", "Enter the name of the unit."});
    else if (unit.name.size() > MAX_NAME_LENGTH)
        errors.push_back({"name", "The name is too long."});
    if (unit.kind == UnitKind::Sector && unit.parent_id)
        errors.push_back({"parent_id", "A sector cannot have a parent unit."});
    if (unit.kind != UnitKind::Sector && !unit.parent_id)
        errors.push_back({"parent_id", "Choose the unit this one belongs to."});
    return errors;
}

// The parent must exist in the same organisation, be one level up, and the
// move must not create a cycle.
std::optional<FieldError> parent_problem(soci::session& sql, const OrgUnit& unit) {
    if (!unit.parent_id)
        return std::nullopt;
    auto parent = store::find_unit(sql, unit.organisation_id, *unit.parent_id);
    if (!parent)
        return FieldError{"parent_id", "The parent unit does not exist."};
    bool fits = (unit.kind == UnitKind::Unit && parent->kind == UnitKind::Sector) ||
                (unit.kind == UnitKind::ServiceUnit && parent->kind == UnitKind::Unit);
    if (!fits)
        return FieldError{"parent_id",
                          "A unit belongs to a sector, and a service unit belongs to a unit."};
    return std::nullopt;
}
} // namespace

Result<Id> IdentityService::create_unit(const Actor& actor, const OrgUnit& input) {
    if (auto allowed = check(actor, IdentityAction::ChangeUnits, {input.organisation_id}); !allowed)
        return Unexpected(allowed.error());
    OrgUnit unit = input;
    unit.name = trim(unit.name);
    auto errors = validate_unit(unit);
    if (!errors.empty())
        return Unexpected(Error::invalid("Check the fields marked below.", errors));
    return m_database->transact([&](soci::session& sql) -> Result<Id> {
        if (auto problem = parent_problem(sql, unit))
            return Unexpected(Error::invalid("Check the fields marked below.", {*problem}));
        Id id = store::insert_unit(sql, unit, now_text());
        record_audit(sql, m_database->engine(),
                     audit_event(actor, unit.organisation_id, "unit.create", "unit",
                                 std::to_string(id),
                                 std::string(unit_kind_key(unit.kind)) + ": " + unit.name));
        return id;
    });
}

Result<void> IdentityService::update_unit(const Actor& actor, const OrgUnit& input) {
    if (auto allowed = check(actor, IdentityAction::ChangeUnits, {input.organisation_id}); !allowed)
        return Unexpected(allowed.error());
    OrgUnit unit = input;
    unit.name = trim(unit.name);
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto before = store::find_unit(sql, unit.organisation_id, unit.id);
        if (!before)
            return Unexpected(Error::not_found());
        unit.kind = before->kind; // the level of a unit does not change
        auto errors = validate_unit(unit);
        if (auto problem = parent_problem(sql, unit))
            errors.push_back(*problem);
        if (!errors.empty())
            return Unexpected(Error::invalid("Check the fields marked below.", errors));
        if (before->name == unit.name && before->parent_id == unit.parent_id &&
            before->active == unit.active)
            return {}; // nothing changed: nothing to write or audit
        store::update_unit(sql, unit);
        std::string summary;
        if (before->name != unit.name)
            summary += "name: " + before->name + " -> " + unit.name + "; ";
        if (before->parent_id != unit.parent_id)
            summary += "parent: " + std::to_string(before->parent_id.value_or(0)) + " -> " +
                       std::to_string(unit.parent_id.value_or(0)) + "; ";
        if (before->active != unit.active)
            summary += std::string("active: ") + (unit.active ? "no -> yes" : "yes -> no");
        record_audit(sql, m_database->engine(),
                     audit_event(actor, unit.organisation_id, "unit.update", "unit",
                                 std::to_string(unit.id), summary));
        return {};
    });
}

} // namespace spire::identity
