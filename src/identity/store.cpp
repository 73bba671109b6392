#include "identity/store.hpp"

#include "db/database.hpp"
#include "db/statement.hpp"

#include <soci/soci.h>

namespace spire::identity::store {

namespace {

std::optional<Id> optional_id(long long value, soci::indicator indicator) {
    if (indicator == soci::i_null)
        return std::nullopt;
    return value;
}

} // namespace

Id insert_organisation(soci::session& sql, const std::string& slug, const std::string& name,
                       const std::string& now) {
    long long id = 0;
    sql << "INSERT INTO organisation (slug, name, created_at)\n"
           "VALUES (:slug, :name, :now) RETURNING id",
        soci::use(slug, "slug"), soci::use(name, "name"), soci::use(now, "now"), soci::into(id);
    return id;
}

std::optional<Organisation> find_organisation(soci::session& sql, Id id) {
    Organisation organisation;
    sql << "SELECT id, slug, name FROM organisation WHERE id = :id", soci::use(id, "id"),
        soci::into(organisation.id), soci::into(organisation.slug), soci::into(organisation.name);
    if (!sql.got_data())
        return std::nullopt;
    return organisation;
}

std::optional<Organisation> find_organisation_by_slug(soci::session& sql, const std::string& slug) {
    Organisation organisation;
    sql << "SELECT id, slug, name FROM organisation WHERE slug = :slug", soci::use(slug, "slug"),
        soci::into(organisation.id), soci::into(organisation.slug), soci::into(organisation.name);
    if (!sql.got_data())
        return std::nullopt;
    return organisation;
}

Id insert_unit(soci::session& sql, const OrgUnit& unit, const std::string& now) {
    long long id = 0;
    db::Nullable<long long> parent(unit.parent_id);
    std::string kind(unit_kind_key(unit.kind));
    int active = unit.active ? 1 : 0;
    sql << "INSERT INTO org_unit (organisation_id, parent_id, kind, name, active, created_at)\n"
           "VALUES (:organisation, :parent, :kind, :name, :active, :now) RETURNING id",
        soci::use(unit.organisation_id, "organisation"),
        soci::use(parent.value, parent.indicator, "parent"), soci::use(kind, "kind"),
        soci::use(unit.name, "name"), soci::use(active, "active"), soci::use(now, "now"),
        soci::into(id);
    return id;
}

namespace {
constexpr const char* UNIT_COLUMNS = "id, organisation_id, parent_id, kind, name, active";

struct UnitRow {
    OrgUnit unit;
    long long parent = 0;
    soci::indicator parent_indicator = soci::i_null;
    std::string kind;
    int active = 1;

    OrgUnit finish() {
        unit.parent_id = optional_id(parent, parent_indicator);
        unit.kind = parse_unit_kind(kind).value_or(UnitKind::ServiceUnit);
        unit.active = active != 0;
        return unit;
    }
};
} // namespace

std::optional<OrgUnit> find_unit(soci::session& sql, Id organisation_id, Id unit_id) {
    UnitRow row;
    sql << std::string("SELECT ") + UNIT_COLUMNS +
               " FROM org_unit WHERE organisation_id = :organisation AND id = :id",
        soci::use(organisation_id, "organisation"), soci::use(unit_id, "id"),
        soci::into(row.unit.id), soci::into(row.unit.organisation_id),
        soci::into(row.parent, row.parent_indicator), soci::into(row.kind),
        soci::into(row.unit.name), soci::into(row.active);
    if (!sql.got_data())
        return std::nullopt;
    return row.finish();
}

std::vector<OrgUnit> list_units(soci::session& sql, Id organisation_id) {
    std::vector<OrgUnit> units;
    UnitRow row;
    soci::statement statement = db::one_time(
        sql,
        std::string("SELECT ") + UNIT_COLUMNS +
            " FROM org_unit WHERE organisation_id = :organisation ORDER BY name, id",
        soci::use(organisation_id, "organisation"), soci::into(row.unit.id),
        soci::into(row.unit.organisation_id), soci::into(row.parent, row.parent_indicator),
        soci::into(row.kind), soci::into(row.unit.name), soci::into(row.active));
    statement.execute();
    while (statement.fetch()) {
        units.push_back(row.finish());
        row = UnitRow{};
    }
    return units;
}

void update_unit(soci::session& sql, const OrgUnit& unit) {
    db::Nullable<long long> parent(unit.parent_id);
    std::string kind(unit_kind_key(unit.kind));
    int active = unit.active ? 1 : 0;
    sql << "UPDATE org_unit SET parent_id = :parent, kind = :kind, name = :name, active = :active\n"
           "WHERE organisation_id = :organisation AND id = :id",
        soci::use(parent.value, parent.indicator, "parent"), soci::use(kind, "kind"),
        soci::use(unit.name, "name"), soci::use(active, "active"),
        soci::use(unit.organisation_id, "organisation"), soci::use(unit.id, "id");
}

Id insert_user(soci::session& sql, const User& user, const std::string& password_hash,
               const std::string& now) {
    long long id = 0;
    soci::indicator phone_indicator = user.phone.empty() ? soci::i_null : soci::i_ok;
    soci::indicator hash_indicator = password_hash.empty() ? soci::i_null : soci::i_ok;
    int active = user.active ? 1 : 0;
    sql << "INSERT INTO app_user (organisation_id, email, name, phone, password_hash, active, "
           "created_at)\n"
           "VALUES (:organisation, :email, :name, :phone, :hash, :active, :now) RETURNING id",
        soci::use(user.organisation_id, "organisation"), soci::use(user.email, "email"),
        soci::use(user.name, "name"), soci::use(user.phone, phone_indicator, "phone"),
        soci::use(password_hash, hash_indicator, "hash"), soci::use(active, "active"),
        soci::use(now, "now"), soci::into(id);
    return id;
}

namespace {
constexpr const char* USER_COLUMNS = "id, organisation_id, email, name, phone, active";

struct UserRow {
    User user;
    soci::indicator phone_indicator = soci::i_null;
    int active = 1;
    User finish() {
        if (phone_indicator == soci::i_null)
            user.phone.clear();
        user.active = active != 0;
        return user;
    }
};
} // namespace

std::optional<User> find_user(soci::session& sql, Id organisation_id, Id user_id) {
    UserRow row;
    sql << std::string("SELECT ") + USER_COLUMNS +
               " FROM app_user WHERE organisation_id = :organisation AND id = :id",
        soci::use(organisation_id, "organisation"), soci::use(user_id, "id"),
        soci::into(row.user.id), soci::into(row.user.organisation_id), soci::into(row.user.email),
        soci::into(row.user.name), soci::into(row.user.phone, row.phone_indicator),
        soci::into(row.active);
    if (!sql.got_data())
        return std::nullopt;
    return row.finish();
}

std::optional<User> find_user_by_id(soci::session& sql, Id user_id) {
    UserRow row;
    sql << std::string("SELECT ") + USER_COLUMNS + " FROM app_user WHERE id = :id",
        soci::use(user_id, "id"), soci::into(row.user.id), soci::into(row.user.organisation_id),
        soci::into(row.user.email), soci::into(row.user.name),
        soci::into(row.user.phone, row.phone_indicator), soci::into(row.active);
    if (!sql.got_data())
        return std::nullopt;
    return row.finish();
}

std::optional<UserWithPassword> find_user_by_email(soci::session& sql, const std::string& email) {
    UserRow row;
    std::string hash;
    soci::indicator hash_indicator = soci::i_null;
    sql << std::string("SELECT ") + USER_COLUMNS +
               ", password_hash FROM app_user WHERE email = :email",
        soci::use(email, "email"), soci::into(row.user.id), soci::into(row.user.organisation_id),
        soci::into(row.user.email), soci::into(row.user.name),
        soci::into(row.user.phone, row.phone_indicator), soci::into(row.active),
        soci::into(hash, hash_indicator);
    if (!sql.got_data())
        return std::nullopt;
    return UserWithPassword{row.finish(), hash_indicator == soci::i_null ? std::string() : hash};
}

bool email_taken(soci::session& sql, const std::string& email) {
    long long count = 0;
    sql << "SELECT count(*) FROM app_user WHERE email = :email", soci::use(email, "email"),
        soci::into(count);
    return count > 0;
}

UserPage search_users(soci::session& sql, Id organisation_id, const std::string& query, int page,
                      int per_page) {
    UserPage result;
    // LIKE wildcards in the query are matched literally.
    std::string escaped;
    for (char c : query) {
        if (c == '%' || c == '_' || c == '\\')
            escaped += '\\';
        escaped += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    }
    std::string pattern = "%" + escaped + "%";
    const std::string where = " FROM app_user WHERE organisation_id = :organisation AND "
                              "(lower(name) LIKE :pattern ESCAPE '\\' OR email LIKE :pattern "
                              "ESCAPE '\\')";
    sql << "SELECT count(*)" + where, soci::use(organisation_id, "organisation"),
        soci::use(pattern, "pattern"), soci::into(result.total);

    long long limit = per_page;
    long long offset = static_cast<long long>(page - 1) * per_page;
    UserRow row;
    soci::statement statement = db::one_time(
        sql,
        std::string("SELECT ") + USER_COLUMNS + where +
            " ORDER BY name, id LIMIT :limit OFFSET :offset",
        soci::use(organisation_id, "organisation"), soci::use(pattern, "pattern"),
        soci::use(limit, "limit"), soci::use(offset, "offset"), soci::into(row.user.id),
        soci::into(row.user.organisation_id), soci::into(row.user.email), soci::into(row.user.name),
        soci::into(row.user.phone, row.phone_indicator), soci::into(row.active));
    statement.execute();
    while (statement.fetch()) {
        result.users.push_back(row.finish());
        row = UserRow{};
    }
    return result;
}

void set_user_active(soci::session& sql, Id user_id, bool active) {
    int value = active ? 1 : 0;
    sql << "UPDATE app_user SET active = :active WHERE id = :id", soci::use(value, "active"),
        soci::use(user_id, "id");
}

void set_password_hash(soci::session& sql, Id user_id, const std::string& hash) {
    sql << "UPDATE app_user SET password_hash = :hash WHERE id = :id", soci::use(hash, "hash"),
        soci::use(user_id, "id");
}

Id insert_grant(soci::session& sql, const Grant& grant, std::optional<Id> granted_by,
                const std::string& now) {
    long long id = 0;
    db::Nullable<long long> unit(grant.unit_id);
    db::Nullable<long long> fund(grant.fund_id);
    db::Nullable<long long> by(granted_by);
    std::string role(role_key(grant.role));
    sql << "INSERT INTO role_grant (user_id, organisation_id, role, unit_id, fund_id, granted_by, "
           "granted_at)\n"
           "VALUES (:user, :organisation, :role, :unit, :fund, :by, :now) RETURNING id",
        soci::use(grant.user_id, "user"), soci::use(grant.organisation_id, "organisation"),
        soci::use(role, "role"), soci::use(unit.value, unit.indicator, "unit"),
        soci::use(fund.value, fund.indicator, "fund"), soci::use(by.value, by.indicator, "by"),
        soci::use(now, "now"), soci::into(id);
    return id;
}

namespace {
constexpr const char* GRANT_COLUMNS = "id, user_id, organisation_id, role, unit_id, fund_id";

struct GrantRow {
    Grant grant;
    std::string role;
    long long unit = 0, fund = 0;
    soci::indicator unit_indicator = soci::i_null, fund_indicator = soci::i_null;
    Grant finish() {
        grant.role = parse_role(role).value_or(Role::Applicant);
        grant.unit_id = optional_id(unit, unit_indicator);
        grant.fund_id = optional_id(fund, fund_indicator);
        return grant;
    }
};
} // namespace

std::vector<Grant> list_grants(soci::session& sql, Id user_id, Id organisation_id) {
    std::vector<Grant> grants;
    GrantRow row;
    soci::statement statement = db::one_time(
        sql,
        std::string("SELECT ") + GRANT_COLUMNS +
            " FROM role_grant WHERE user_id = :user AND organisation_id = "
            ":organisation ORDER BY id",
        soci::use(user_id, "user"), soci::use(organisation_id, "organisation"),
        soci::into(row.grant.id), soci::into(row.grant.user_id),
        soci::into(row.grant.organisation_id), soci::into(row.role),
        soci::into(row.unit, row.unit_indicator), soci::into(row.fund, row.fund_indicator));
    statement.execute();
    while (statement.fetch()) {
        grants.push_back(row.finish());
        row = GrantRow{};
    }
    return grants;
}

std::optional<Grant> find_grant(soci::session& sql, Id organisation_id, Id grant_id) {
    GrantRow row;
    sql << std::string("SELECT ") + GRANT_COLUMNS +
               " FROM role_grant WHERE organisation_id = :organisation AND id = :id",
        soci::use(organisation_id, "organisation"), soci::use(grant_id, "id"),
        soci::into(row.grant.id), soci::into(row.grant.user_id),
        soci::into(row.grant.organisation_id), soci::into(row.role),
        soci::into(row.unit, row.unit_indicator), soci::into(row.fund, row.fund_indicator);
    if (!sql.got_data())
        return std::nullopt;
    return row.finish();
}

void delete_grant(soci::session& sql, Id grant_id) {
    sql << "DELETE FROM role_grant WHERE id = :id", soci::use(grant_id, "id");
}

std::vector<Id> organisations_with_grants(soci::session& sql, Id user_id) {
    std::vector<Id> ids;
    long long id = 0;
    soci::statement statement = db::one_time(sql,
                                             "SELECT DISTINCT organisation_id FROM role_grant "
                                             "WHERE user_id = :user ORDER BY organisation_id",
                                             soci::use(user_id, "user"), soci::into(id));
    statement.execute();
    while (statement.fetch())
        ids.push_back(id);
    return ids;
}

void insert_session(soci::session& sql, const StoredSession& session,
                    const std::string& client_address) {
    sql << "INSERT INTO user_session (token_hash, user_id, csrf_token, created_at, last_seen_at, "
           "expires_at, client_address)\n"
           "VALUES (:hash, :user, :csrf, :created, :seen, :expires, :address)",
        soci::use(session.token_hash, "hash"), soci::use(session.user_id, "user"),
        soci::use(session.csrf_token, "csrf"), soci::use(session.created_at, "created"),
        soci::use(session.last_seen_at, "seen"), soci::use(session.expires_at, "expires"),
        soci::use(client_address, "address");
}

std::optional<StoredSession> find_session(soci::session& sql, const std::string& token_hash) {
    StoredSession session;
    sql << "SELECT token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at\n"
           "FROM user_session WHERE token_hash = :hash",
        soci::use(token_hash, "hash"), soci::into(session.token_hash), soci::into(session.user_id),
        soci::into(session.csrf_token), soci::into(session.created_at),
        soci::into(session.last_seen_at), soci::into(session.expires_at);
    if (!sql.got_data())
        return std::nullopt;
    return session;
}

namespace {

// The session lookup runs on every request, so it is prepared once per
// pooled connection (db::Connection::local) and then only executed: the
// statement together with the variables it is bound to, which SOCI reads and
// writes by reference on every execution.
struct SessionLookup {
    std::string token_hash;
    StoredSession session;
    UserRow user;
    GrantRow grant;
    long long grant_id = 0;
    soci::indicator grant_indicator = soci::i_null;
    soci::indicator role_indicator = soci::i_null; // NULL when the user has no grants
    soci::statement statement;

    explicit SessionLookup(soci::session& sql)
        // Prepared once per pooled connection (Connection::local) and
        // reused by every request: a named server-side statement pays here.
        : statement((
              sql.prepare << "SELECT s.csrf_token, s.created_at, s.last_seen_at, s.expires_at,\n"
                             "       u.id, u.organisation_id, u.email, u.name, u.phone, u.active,\n"
                             "       g.id, g.role, g.unit_id, g.fund_id\n"
                             "FROM user_session s\n"
                             "JOIN app_user u ON u.id = s.user_id\n"
                             "LEFT JOIN role_grant g\n"
                             "  ON g.user_id = u.id AND g.organisation_id = u.organisation_id\n"
                             "WHERE s.token_hash = :hash\n"
                             "ORDER BY g.id",
              soci::use(token_hash, "hash"), soci::into(session.csrf_token),
              soci::into(session.created_at), soci::into(session.last_seen_at),
              soci::into(session.expires_at), soci::into(user.user.id),
              soci::into(user.user.organisation_id), soci::into(user.user.email),
              soci::into(user.user.name), soci::into(user.user.phone, user.phone_indicator),
              soci::into(user.active), soci::into(grant_id, grant_indicator),
              soci::into(grant.role, role_indicator), soci::into(grant.unit, grant.unit_indicator),
              soci::into(grant.fund, grant.fund_indicator))) {}

    // Every row carries the session and the user again (one per grant): the
    // first row's values can be moved out, the next fetch overwrites them.
    std::optional<SessionWithUser> run(const std::string& hash) {
        token_hash = hash;
        std::optional<SessionWithUser> result;
        statement.execute();
        while (statement.fetch()) {
            if (!result) {
                result.emplace();
                result->session = std::move(session);
                result->session.token_hash = hash;
                result->session.user_id = user.user.id;
                result->user = user.finish();
            }
            if (grant_indicator != soci::i_null) {
                grant.grant.id = grant_id;
                grant.grant.user_id = result->user.id;
                grant.grant.organisation_id = result->user.organisation_id;
                result->grants.push_back(grant.finish());
            }
            grant = GrantRow{};
        }
        return result;
    }
};

} // namespace

std::optional<SessionWithUser> find_session_with_user(db::Connection& connection,
                                                      const std::string& token_hash) {
    return connection.local<SessionLookup>().run(token_hash);
}

void touch_session(soci::session& sql, const std::string& token_hash, const std::string& now) {
    sql << "UPDATE user_session SET last_seen_at = :now WHERE token_hash = :hash",
        soci::use(now, "now"), soci::use(token_hash, "hash");
}

void delete_session(soci::session& sql, const std::string& token_hash) {
    sql << "DELETE FROM user_session WHERE token_hash = :hash", soci::use(token_hash, "hash");
}

long long delete_sessions_of_user(soci::session& sql, Id user_id) {
    long long count = 0;
    sql << "SELECT count(*) FROM user_session WHERE user_id = :user", soci::use(user_id, "user"),
        soci::into(count);
    sql << "DELETE FROM user_session WHERE user_id = :user", soci::use(user_id, "user");
    return count;
}

void delete_expired_sessions(soci::session& sql, const std::string& now) {
    sql << "DELETE FROM user_session WHERE expires_at < :now", soci::use(now, "now");
}

void insert_login_failure(soci::session& sql, const std::string& email,
                          const std::string& client_address, const std::string& now) {
    sql << "INSERT INTO login_failure (email, client_address, at) VALUES (:email, :address, :now)",
        soci::use(email, "email"), soci::use(client_address, "address"), soci::use(now, "now");
}

namespace {
FailureCount count_failures(soci::session& sql, const std::string& column, const std::string& key,
                            const std::string& since) {
    FailureCount result;
    std::string last;
    soci::indicator last_indicator = soci::i_null;
    sql << "SELECT count(*), max(at) FROM login_failure WHERE " + column +
               " = :key AND at >= :since",
        soci::use(key, "key"), soci::use(since, "since"), soci::into(result.count),
        soci::into(last, last_indicator);
    if (last_indicator != soci::i_null)
        result.last_at = last;
    return result;
}
} // namespace

FailureCount failures_for_email_since(soci::session& sql, const std::string& email,
                                      const std::string& since) {
    return count_failures(sql, "email", email, since);
}

FailureCount failures_for_address_since(soci::session& sql, const std::string& address,
                                        const std::string& since) {
    return count_failures(sql, "client_address", address, since);
}

void delete_login_failures_before(soci::session& sql, const std::string& before) {
    sql << "DELETE FROM login_failure WHERE at < :before", soci::use(before, "before");
}

void clear_login_failures(soci::session& sql, const std::string& email) {
    sql << "DELETE FROM login_failure WHERE email = :email", soci::use(email, "email");
}

} // namespace spire::identity::store
