#include "identity/audit_store.hpp"

#include "db/statement.hpp"

#include <soci/soci.h>

namespace spire::identity::audit_store {

namespace {

// Serialises audit appenders across every connection to one PostgreSQL
// database ("AUDIT" in ASCII; the migration lock is "SPIRE").
constexpr const char* POSTGRESQL_AUDIT_LOCK = "SELECT pg_advisory_xact_lock(280603412820)";

constexpr const char* ENTRY_COLUMNS =
    "id, at, organisation_id, actor_user_id, action, target_type, target_id, summary,\n"
    "       request_id, prev_hash, hash";

std::optional<Id> optional_id(long long value, soci::indicator indicator) {
    if (indicator == soci::i_null)
        return std::nullopt;
    return value;
}

// The targets a statement fetches one entry into.
struct EntryRow {
    long long id = 0;
    std::string at;
    long long organisation_id = 0;
    soci::indicator organisation_indicator = soci::i_null;
    long long actor_user_id = 0;
    soci::indicator actor_indicator = soci::i_null;
    std::string action;
    std::string target_type;
    std::string target_id;
    std::string summary;
    std::string request_id;
    std::string prev_hash;
    std::string hash;

    // In the order of ENTRY_COLUMNS.
    void bind_to(soci::statement& statement) {
        statement.exchange(soci::into(id));
        statement.exchange(soci::into(at));
        statement.exchange(soci::into(organisation_id, organisation_indicator));
        statement.exchange(soci::into(actor_user_id, actor_indicator));
        statement.exchange(soci::into(action));
        statement.exchange(soci::into(target_type));
        statement.exchange(soci::into(target_id));
        statement.exchange(soci::into(summary));
        statement.exchange(soci::into(request_id));
        statement.exchange(soci::into(prev_hash));
        statement.exchange(soci::into(hash));
    }

    AuditEntry entry() const {
        return {id,
                at,
                optional_id(organisation_id, organisation_indicator),
                optional_id(actor_user_id, actor_indicator),
                action,
                target_type,
                target_id,
                summary,
                request_id,
                prev_hash,
                hash};
    }
};

// The query's conditions: only the filters that are set, so that each
// combination gets a plan on its own index (no "(:x IS NULL OR col = :x)").
// Bound by bind_conditions, which must name the same parameters.
std::string where_clause(const EntryQuery& query) {
    std::string where = "WHERE organisation_id = :organisation_id";
    if (query.action)
        where += "\n  AND action = :action";
    if (query.target_type)
        where += "\n  AND target_type = :target_type";
    if (query.target_id)
        where += "\n  AND target_id = :target_id";
    if (query.actor_user_id)
        where += "\n  AND actor_user_id = :actor_user_id";
    if (query.at_from)
        where += "\n  AND at >= :at_from";
    if (query.at_before)
        where += "\n  AND at < :at_before";
    return where;
}

// Binds by reference: `query` and `ids` must outlive the statement.
struct BoundIds {
    long long organisation_id = 0;
    long long actor_user_id = 0;
};

void bind_conditions(soci::statement& statement, const EntryQuery& query, BoundIds& ids) {
    ids.organisation_id = query.organisation_id;
    statement.exchange(soci::use(ids.organisation_id, "organisation_id"));
    if (query.action)
        statement.exchange(soci::use(*query.action, "action"));
    if (query.target_type)
        statement.exchange(soci::use(*query.target_type, "target_type"));
    if (query.target_id)
        statement.exchange(soci::use(*query.target_id, "target_id"));
    if (query.actor_user_id) {
        ids.actor_user_id = *query.actor_user_id;
        statement.exchange(soci::use(ids.actor_user_id, "actor_user_id"));
    }
    if (query.at_from)
        statement.exchange(soci::use(*query.at_from, "at_from"));
    if (query.at_before)
        statement.exchange(soci::use(*query.at_before, "at_before"));
}

// Newest first. With a time range, by time: append_audit never gives an
// entry an earlier time than the one before it, so that is the same order as
// by id, and it comes straight out of the time index instead of a sort.
std::string newest_first(const EntryQuery& query) {
    if (query.at_from || query.at_before)
        return "ORDER BY at DESC, id DESC";
    return "ORDER BY id DESC";
}

} // namespace

void lock_chain(soci::session& sql, db::Engine engine) {
    if (engine == db::Engine::Postgresql)
        sql << POSTGRESQL_AUDIT_LOCK;
}

std::optional<ChainEnd> chain_end(soci::session& sql) {
    long long id = 0;
    ChainEnd end;
    sql << "SELECT id, at, hash FROM audit_log ORDER BY id DESC LIMIT 1", soci::into(id),
        soci::into(end.at), soci::into(end.hash);
    if (!sql.got_data())
        return std::nullopt;
    end.id = id;
    return end;
}

void insert_entry(soci::session& sql, const AuditEntry& entry) {
    long long id = entry.id;
    long long organisation_id = entry.organisation_id.value_or(0);
    soci::indicator organisation_indicator = entry.organisation_id ? soci::i_ok : soci::i_null;
    long long actor_user_id = entry.actor_user_id.value_or(0);
    soci::indicator actor_indicator = entry.actor_user_id ? soci::i_ok : soci::i_null;
    sql << "INSERT INTO audit_log (id, at, organisation_id, actor_user_id, action, target_type,\n"
           "                       target_id, summary, request_id, prev_hash, hash)\n"
           "VALUES (:id, :at, :organisation_id, :actor_user_id, :action, :target_type,\n"
           "        :target_id, :summary, :request_id, :prev_hash, :hash)",
        soci::use(id, "id"), soci::use(entry.at, "at"),
        soci::use(organisation_id, organisation_indicator, "organisation_id"),
        soci::use(actor_user_id, actor_indicator, "actor_user_id"),
        soci::use(entry.action, "action"), soci::use(entry.target_type, "target_type"),
        soci::use(entry.target_id, "target_id"), soci::use(entry.summary, "summary"),
        soci::use(entry.request_id, "request_id"), soci::use(entry.prev_hash, "prev_hash"),
        soci::use(entry.hash, "hash");
}

std::vector<AuditEntry> find_entries(soci::session& sql, const EntryQuery& query, long long limit,
                                     long long offset) {
    EntryRow row;
    BoundIds ids;
    soci::statement statement(sql);
    row.bind_to(statement);
    bind_conditions(statement, query, ids);
    statement.exchange(soci::use(limit, "limit"));
    statement.exchange(soci::use(offset, "offset"));
    db::prepare(statement, std::string("SELECT ") + ENTRY_COLUMNS + "\nFROM audit_log\n" +
                               where_clause(query) + "\n" + newest_first(query) +
                               "\nLIMIT :limit OFFSET :offset");
    statement.execute();
    std::vector<AuditEntry> entries;
    while (statement.fetch())
        entries.push_back(row.entry());
    return entries;
}

long long count_entries(soci::session& sql, const EntryQuery& query) {
    long long count = 0;
    BoundIds ids;
    soci::statement statement(sql);
    statement.exchange(soci::into(count));
    bind_conditions(statement, query, ids);
    db::prepare(statement, "SELECT count(*) FROM audit_log\n" + where_clause(query));
    statement.execute(true);
    return count;
}

std::vector<AuditEntry> entries_after(soci::session& sql, Id after_id, int limit) {
    EntryRow row;
    long long after = after_id;
    soci::statement statement(sql);
    row.bind_to(statement);
    statement.exchange(soci::use(after, "after"));
    statement.exchange(soci::use(limit, "limit"));
    db::prepare(statement, std::string("SELECT ") + ENTRY_COLUMNS +
                               "\nFROM audit_log\nWHERE id > :after\nORDER BY id\nLIMIT :limit");
    statement.execute();
    std::vector<AuditEntry> entries;
    while (statement.fetch())
        entries.push_back(row.entry());
    return entries;
}

} // namespace spire::identity::audit_store
