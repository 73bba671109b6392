#include "funds/store.hpp"

#include "db/statement.hpp"

#include <map>
#include <soci/soci.h>
#include <stdexcept>
#include <tuple>

namespace spire::funds::store {

namespace {

std::optional<Id> optional_id(long long value, soci::indicator indicator) {
    if (indicator == soci::i_null)
        return std::nullopt;
    return value;
}

// --- Funds ----------------------------------------------------------------------

constexpr const char* FUND_COLUMNS = "id, organisation_id, name, description, first_year, "
                                     "last_year, carry_over_allowed, active, created_at";

struct FundRow {
    Fund fund;
    int carry_over = 0;
    int active = 1;

    void bind(soci::statement& statement) {
        statement.exchange(soci::into(fund.id));
        statement.exchange(soci::into(fund.organisation_id));
        statement.exchange(soci::into(fund.name));
        statement.exchange(soci::into(fund.description));
        statement.exchange(soci::into(fund.first_year));
        statement.exchange(soci::into(fund.last_year));
        statement.exchange(soci::into(carry_over));
        statement.exchange(soci::into(active));
        statement.exchange(soci::into(fund.created_at));
    }
    Fund finish() const {
        Fund out = fund;
        out.carry_over_allowed = carry_over != 0;
        out.active = active != 0;
        return out;
    }
};

// --- Programmes -----------------------------------------------------------------

constexpr const char* PROGRAMME_COLUMNS =
    "id, fund_id, name, description, kind, active, sort_order, created_at";

struct ProgrammeRow {
    Programme programme;
    std::string kind;
    int active = 1;

    void bind(soci::statement& statement) {
        statement.exchange(soci::into(programme.id));
        statement.exchange(soci::into(programme.fund_id));
        statement.exchange(soci::into(programme.name));
        statement.exchange(soci::into(programme.description));
        statement.exchange(soci::into(kind));
        statement.exchange(soci::into(active));
        statement.exchange(soci::into(programme.sort_order));
        statement.exchange(soci::into(programme.created_at));
    }
    Programme finish() const {
        Programme out = programme;
        out.kind = parse_programme_kind(kind).value_or(ProgrammeKind::Other);
        out.active = active != 0;
        return out;
    }
};

// --- Entries --------------------------------------------------------------------

EntryKind stored_kind(const std::string& key) {
    auto kind = parse_entry_kind(key);
    if (!kind)
        throw std::runtime_error("ledger_entry: unknown kind '" + key + "'");
    return *kind;
}

std::optional<ReleaseOf> stored_release_of(const std::string& key) {
    if (key.empty())
        return std::nullopt;
    auto of = parse_release_of(key);
    if (!of)
        throw std::runtime_error("ledger_entry: unknown release_of '" + key + "'");
    return of;
}

constexpr const char* INSERT_COLUMNS =
    "fund_id, organisation_id, year, programme_id, kind, release_of, amount_ore, "
    "reference_type, reference_id, counterpart_id, reverses, author_user_id, reason, "
    "overridden, override_reason, created_at";
constexpr int INSERT_COLUMN_COUNT = 16;

// One entry's values as bound to an INSERT, in INSERT_COLUMNS order. SOCI
// binds by reference: keep it alive (and in place) until the statement ran.
struct EntryBinding {
    long long fund_id, organisation_id;
    int year;
    long long programme_id;
    std::string kind, release_of;
    long long amount;
    std::string reference_type;
    soci::indicator reference_type_indicator;
    long long reference_id;
    soci::indicator reference_id_indicator;
    db::Nullable<long long> counterpart, reverses, author;
    std::string reason;
    int overridden;
    std::string override_reason, created_at;

    explicit EntryBinding(const LedgerEntry& entry)
        : fund_id(entry.fund_id), organisation_id(entry.organisation_id), year(entry.year),
          programme_id(entry.programme_id), kind(entry_kind_key(entry.kind)),
          release_of(entry.release_of ? release_of_key(*entry.release_of) : ""),
          amount(entry.amount_ore),
          reference_type(entry.reference ? reference_type_key(entry.reference->type) : ""),
          reference_type_indicator(entry.reference ? soci::i_ok : soci::i_null),
          reference_id(entry.reference ? entry.reference->id : 0),
          reference_id_indicator(entry.reference ? soci::i_ok : soci::i_null),
          counterpart(entry.counterpart_id), reverses(entry.reverses), author(entry.author_user_id),
          reason(entry.reason), overridden(entry.override ? 1 : 0),
          override_reason(entry.override_reason), created_at(entry.created_at) {}

    // Positional: the statement's placeholders must come in column order.
    void bind(soci::statement& statement) {
        statement.exchange(soci::use(fund_id));
        statement.exchange(soci::use(organisation_id));
        statement.exchange(soci::use(year));
        statement.exchange(soci::use(programme_id));
        statement.exchange(soci::use(kind));
        statement.exchange(soci::use(release_of));
        statement.exchange(soci::use(amount));
        statement.exchange(soci::use(reference_type, reference_type_indicator));
        statement.exchange(soci::use(reference_id, reference_id_indicator));
        statement.exchange(soci::use(counterpart.value, counterpart.indicator));
        statement.exchange(soci::use(reverses.value, reverses.indicator));
        statement.exchange(soci::use(author.value, author.indicator));
        statement.exchange(soci::use(reason));
        statement.exchange(soci::use(overridden));
        statement.exchange(soci::use(override_reason));
        statement.exchange(soci::use(created_at));
    }
};

// How a VALUES row names its parameters, all bound by position.
enum class Placeholders {
    Named,    // ":p0, :p1, ...": SOCI's portable form
    Question, // "?, ?, ...": SQLite. It looks every name up in a list, so
              // thousands of names in one statement cost quadratic time.
    Dollar,   // "$1, $2, ...": PostgreSQL's own form, which SOCI passes on
};

Placeholders bulk_placeholders(soci::session& sql) {
    return sql.get_backend_name() == "postgresql" ? Placeholders::Dollar : Placeholders::Question;
}

// One VALUES row, "(...)", for row `row` of the statement.
std::string values_row(int row, Placeholders style = Placeholders::Named) {
    std::string text = "(";
    for (int column = 0; column < INSERT_COLUMN_COUNT; ++column) {
        if (column > 0)
            text += ", ";
        const int number = row * INSERT_COLUMN_COUNT + column;
        switch (style) {
        case Placeholders::Named:
            text += ":p" + std::to_string(number);
            break;
        case Placeholders::Question:
            text += '?';
            break;
        case Placeholders::Dollar:
            text += '$' + std::to_string(number + 1);
            break;
        }
    }
    return text + ")";
}

// Columns of a listed entry: the entry, its first leg's counterpart, the
// author's name and the entry reversing it.
constexpr const char* ENTRY_SELECT =
    "SELECT e.id, e.fund_id, e.organisation_id, e.year, e.programme_id, e.kind, e.release_of,\n"
    "       e.amount_ore, e.reference_type, e.reference_id, COALESCE(e.counterpart_id, c.id),\n"
    "       e.reverses, e.author_user_id, e.reason, e.overridden, e.override_reason,\n"
    "       e.created_at, COALESCE(u.name, ''), r.id\n"
    "FROM ledger_entry e\n"
    "LEFT JOIN ledger_entry c ON c.counterpart_id = e.id\n"
    "LEFT JOIN ledger_entry r ON r.reverses = e.id\n"
    "LEFT JOIN app_user u ON u.id = e.author_user_id\n";

struct EntryRow {
    long long id = 0, fund_id = 0, organisation_id = 0;
    int year = 0;
    long long programme_id = 0;
    std::string kind, release_of;
    long long amount = 0;
    std::string reference_type;
    soci::indicator reference_type_indicator = soci::i_null;
    long long reference_id = 0;
    soci::indicator reference_id_indicator = soci::i_null;
    long long counterpart = 0;
    soci::indicator counterpart_indicator = soci::i_null;
    long long reverses = 0;
    soci::indicator reverses_indicator = soci::i_null;
    long long author = 0;
    soci::indicator author_indicator = soci::i_null;
    std::string reason;
    int overridden = 0;
    std::string override_reason, created_at, author_name;
    long long reversed_by = 0;
    soci::indicator reversed_by_indicator = soci::i_null;

    void bind(soci::statement& statement) {
        statement.exchange(soci::into(id));
        statement.exchange(soci::into(fund_id));
        statement.exchange(soci::into(organisation_id));
        statement.exchange(soci::into(year));
        statement.exchange(soci::into(programme_id));
        statement.exchange(soci::into(kind));
        statement.exchange(soci::into(release_of));
        statement.exchange(soci::into(amount));
        statement.exchange(soci::into(reference_type, reference_type_indicator));
        statement.exchange(soci::into(reference_id, reference_id_indicator));
        statement.exchange(soci::into(counterpart, counterpart_indicator));
        statement.exchange(soci::into(reverses, reverses_indicator));
        statement.exchange(soci::into(author, author_indicator));
        statement.exchange(soci::into(reason));
        statement.exchange(soci::into(overridden));
        statement.exchange(soci::into(override_reason));
        statement.exchange(soci::into(created_at));
        statement.exchange(soci::into(author_name));
        statement.exchange(soci::into(reversed_by, reversed_by_indicator));
    }

    LedgerEntry entry() const {
        LedgerEntry out;
        out.id = id;
        out.fund_id = fund_id;
        out.organisation_id = organisation_id;
        out.year = year;
        out.programme_id = programme_id;
        out.kind = stored_kind(kind);
        out.release_of = stored_release_of(release_of);
        out.amount_ore = amount;
        if (reference_type_indicator != soci::i_null && reference_id_indicator != soci::i_null) {
            if (auto type = parse_reference_type(reference_type))
                out.reference = Reference{*type, reference_id};
        }
        out.counterpart_id = optional_id(counterpart, counterpart_indicator);
        out.reverses = optional_id(reverses, reverses_indicator);
        out.author_user_id = optional_id(author, author_indicator);
        out.reason = reason;
        out.override = overridden != 0;
        out.override_reason = override_reason;
        out.created_at = created_at;
        out.author_name = author_name;
        out.reversed_by = optional_id(reversed_by, reversed_by_indicator);
        return out;
    }
};

// The filter's conditions: only those that are set, so that each
// combination gets a plan on its own index. Bound by bind_filter, which must
// name the same parameters in the same order.
std::string filter_conditions(const LedgerFilter& filter) {
    std::string where = "WHERE e.fund_id = :fund";
    if (filter.year)
        where += "\n  AND e.year = :year";
    if (filter.programme_id)
        where += "\n  AND e.programme_id = :programme";
    if (filter.kind)
        where += "\n  AND e.kind = :kind";
    if (filter.reference)
        where += "\n  AND e.reference_type = :reference_type AND e.reference_id = :reference_id";
    return where;
}

// Binds by reference: must outlive the statement.
struct FilterBinding {
    long long fund_id = 0;
    int year = 0;
    long long programme_id = 0;
    std::string kind, reference_type;
    long long reference_id = 0;

    FilterBinding(Id fund, const LedgerFilter& filter)
        : fund_id(fund), year(filter.year.value_or(0)),
          programme_id(filter.programme_id.value_or(0)),
          kind(filter.kind ? entry_kind_key(*filter.kind) : ""),
          reference_type(filter.reference ? reference_type_key(filter.reference->type) : ""),
          reference_id(filter.reference ? filter.reference->id : 0) {}

    void bind(soci::statement& statement, const LedgerFilter& filter) {
        statement.exchange(soci::use(fund_id, "fund"));
        if (filter.year)
            statement.exchange(soci::use(year, "year"));
        if (filter.programme_id)
            statement.exchange(soci::use(programme_id, "programme"));
        if (filter.kind)
            statement.exchange(soci::use(kind, "kind"));
        if (filter.reference) {
            statement.exchange(soci::use(reference_type, "reference_type"));
            statement.exchange(soci::use(reference_id, "reference_id"));
        }
    }
};

// --- Balances -------------------------------------------------------------------

struct BucketRow {
    int year = 0;
    long long programme_id = 0;
    std::string kind, release_of;
    int positive = 1;
    long long total = 0, count = 0;

    void bind(soci::statement& statement) {
        statement.exchange(soci::into(year));
        statement.exchange(soci::into(programme_id));
        statement.exchange(soci::into(kind));
        statement.exchange(soci::into(release_of));
        statement.exchange(soci::into(positive));
        statement.exchange(soci::into(total));
        statement.exchange(soci::into(count));
    }
    BucketSum bucket() const {
        return {{year, programme_id},
                stored_kind(kind),
                stored_release_of(release_of),
                positive != 0,
                total,
                count};
    }
};

// Runs a query returning BucketRow's columns; `bind_uses` exchanges its
// parameters.
template <class BindUses>
std::vector<BucketSum> read_buckets(soci::session& sql, const std::string& query,
                                    BindUses&& bind_uses) {
    BucketRow row;
    soci::statement statement(sql);
    row.bind(statement);
    bind_uses(statement);
    db::prepare(statement, query);
    statement.execute();
    std::vector<BucketSum> buckets;
    while (statement.fetch())
        buckets.push_back(row.bucket());
    return buckets;
}

// The sign bucket of an entry: transfers and carry-overs are reported by
// direction; every kind is split the same way to keep the queries uniform.
constexpr const char* POSITIVE = "CASE WHEN e.amount_ore > 0 THEN 1 ELSE 0 END";

// Sums of entries by bucket; `where` selects the entries (alias e).
std::string entry_sums_query(const std::string& where) {
    return std::string("SELECT e.year, e.programme_id, e.kind, e.release_of, ") + POSITIVE +
           ",\n       CAST(SUM(e.amount_ore) AS BIGINT), CAST(COUNT(*) AS BIGINT)\n"
           "FROM ledger_entry e\n" +
           where + "\nGROUP BY e.year, e.programme_id, e.kind, e.release_of, " + POSITIVE;
}

struct CheckpointHead {
    long long id = 0;
    long long through = 0;
    long long count = 0;
};

std::optional<CheckpointHead> newest_checkpoint(soci::session& sql, Id fund_id) {
    CheckpointHead head;
    sql << "SELECT id, through_entry_id, entry_count FROM ledger_checkpoint\n"
           "WHERE fund_id = :fund ORDER BY through_entry_id DESC LIMIT 1",
        soci::use(fund_id, "fund"), soci::into(head.id), soci::into(head.through),
        soci::into(head.count);
    if (!sql.got_data())
        return std::nullopt;
    return head;
}

using BucketKey = std::tuple<int, Id, EntryKind, std::optional<ReleaseOf>, bool>;
std::map<BucketKey, std::pair<Ore, long long>> by_key(const std::vector<BucketSum>& buckets) {
    std::map<BucketKey, std::pair<Ore, long long>> map;
    for (const auto& b : buckets) {
        auto& slot = map[{b.cell.year, b.cell.programme_id, b.kind, b.release_of, b.positive}];
        slot.first += b.total;
        slot.second += b.count;
    }
    return map;
}

} // namespace

// --- Funds ----------------------------------------------------------------------

Id insert_fund(soci::session& sql, const Fund& fund, const std::string& now) {
    long long id = 0;
    int carry_over = fund.carry_over_allowed ? 1 : 0;
    int active = fund.active ? 1 : 0;
    sql << "INSERT INTO fund (organisation_id, name, description, first_year, last_year,\n"
           "                  carry_over_allowed, active, created_at)\n"
           "VALUES (:organisation, :name, :description, :first_year, :last_year, :carry_over,\n"
           "        :active, :now) RETURNING id",
        soci::use(fund.organisation_id, "organisation"), soci::use(fund.name, "name"),
        soci::use(fund.description, "description"), soci::use(fund.first_year, "first_year"),
        soci::use(fund.last_year, "last_year"), soci::use(carry_over, "carry_over"),
        soci::use(active, "active"), soci::use(now, "now"), soci::into(id);
    return id;
}

void update_fund(soci::session& sql, const Fund& fund) {
    int carry_over = fund.carry_over_allowed ? 1 : 0;
    int active = fund.active ? 1 : 0;
    sql << "UPDATE fund SET name = :name, description = :description, first_year = :first_year,\n"
           "    last_year = :last_year, carry_over_allowed = :carry_over, active = :active\n"
           "WHERE id = :id AND organisation_id = :organisation",
        soci::use(fund.name, "name"), soci::use(fund.description, "description"),
        soci::use(fund.first_year, "first_year"), soci::use(fund.last_year, "last_year"),
        soci::use(carry_over, "carry_over"), soci::use(active, "active"), soci::use(fund.id, "id"),
        soci::use(fund.organisation_id, "organisation");
}

std::optional<Fund> find_fund(soci::session& sql, Id fund_id) {
    FundRow row;
    long long id = fund_id;
    soci::statement statement(sql);
    row.bind(statement);
    statement.exchange(soci::use(id, "id"));
    db::prepare(statement, std::string("SELECT ") + FUND_COLUMNS + " FROM fund WHERE id = :id");
    if (!statement.execute(true))
        return std::nullopt;
    return row.finish();
}

std::vector<Fund> list_funds(soci::session& sql, Id organisation_id) {
    FundRow row;
    long long organisation = organisation_id;
    soci::statement statement(sql);
    row.bind(statement);
    statement.exchange(soci::use(organisation, "organisation"));
    db::prepare(statement, std::string("SELECT ") + FUND_COLUMNS +
                               " FROM fund WHERE organisation_id = :organisation\n"
                               "ORDER BY active DESC, first_year DESC, name, id");
    statement.execute();
    std::vector<Fund> funds;
    while (statement.fetch())
        funds.push_back(row.finish());
    return funds;
}

bool fund_name_taken(soci::session& sql, Id organisation_id, const std::string& name,
                     std::optional<Id> except_fund_id) {
    long long count = 0;
    long long except = except_fund_id.value_or(0);
    sql << "SELECT count(*) FROM fund\n"
           "WHERE organisation_id = :organisation AND name = :name AND id <> :except",
        soci::use(organisation_id, "organisation"), soci::use(name, "name"),
        soci::use(except, "except"), soci::into(count);
    return count > 0;
}

void lock_fund(soci::session& sql, db::Engine engine, Id fund_id) {
    if (engine != db::Engine::Postgresql)
        return;
    long long id = 0;
    sql << "SELECT id FROM fund WHERE id = :id FOR UPDATE", soci::use(fund_id, "id"),
        soci::into(id);
}

std::vector<Manager> fund_managers(soci::session& sql, Id organisation_id, Id fund_id) {
    Manager manager;
    long long organisation = organisation_id, fund = fund_id;
    soci::statement statement = db::one_time(
        sql,
        "SELECT DISTINCT u.id, u.name, u.email\n"
        "FROM role_grant g JOIN app_user u ON u.id = g.user_id\n"
        "WHERE g.organisation_id = :organisation AND g.role = 'fund_manager'\n"
        "  AND (g.fund_id = :fund OR g.fund_id IS NULL) AND u.active = 1\n"
        "ORDER BY u.name, u.id",
        soci::use(organisation, "organisation"), soci::use(fund, "fund"),
        soci::into(manager.user_id), soci::into(manager.name), soci::into(manager.email));
    statement.execute();
    std::vector<Manager> managers;
    while (statement.fetch())
        managers.push_back(manager);
    return managers;
}

// --- Programmes -----------------------------------------------------------------

Id insert_programme(soci::session& sql, const Programme& programme, const std::string& now) {
    long long id = 0;
    std::string kind(programme_kind_key(programme.kind));
    int active = programme.active ? 1 : 0;
    sql << "INSERT INTO programme (fund_id, name, description, kind, active, sort_order,\n"
           "                       created_at)\n"
           "VALUES (:fund, :name, :description, :kind, :active, :sort_order, :now) RETURNING id",
        soci::use(programme.fund_id, "fund"), soci::use(programme.name, "name"),
        soci::use(programme.description, "description"), soci::use(kind, "kind"),
        soci::use(active, "active"), soci::use(programme.sort_order, "sort_order"),
        soci::use(now, "now"), soci::into(id);
    return id;
}

void update_programme(soci::session& sql, const Programme& programme) {
    std::string kind(programme_kind_key(programme.kind));
    int active = programme.active ? 1 : 0;
    sql << "UPDATE programme SET name = :name, description = :description, kind = :kind,\n"
           "    active = :active, sort_order = :sort_order\n"
           "WHERE id = :id AND fund_id = :fund",
        soci::use(programme.name, "name"), soci::use(programme.description, "description"),
        soci::use(kind, "kind"), soci::use(active, "active"),
        soci::use(programme.sort_order, "sort_order"), soci::use(programme.id, "id"),
        soci::use(programme.fund_id, "fund");
}

std::vector<Programme> list_programmes(soci::session& sql, Id fund_id) {
    ProgrammeRow row;
    long long fund = fund_id;
    soci::statement statement(sql);
    row.bind(statement);
    statement.exchange(soci::use(fund, "fund"));
    db::prepare(statement, std::string("SELECT ") + PROGRAMME_COLUMNS +
                               " FROM programme WHERE fund_id = :fund ORDER BY sort_order, id");
    statement.execute();
    std::vector<Programme> programmes;
    while (statement.fetch())
        programmes.push_back(row.finish());
    return programmes;
}

bool programme_name_taken(soci::session& sql, Id fund_id, const std::string& name,
                          std::optional<Id> except_programme_id) {
    long long count = 0;
    long long except = except_programme_id.value_or(0);
    sql << "SELECT count(*) FROM programme WHERE fund_id = :fund AND name = :name AND id <> "
           ":except",
        soci::use(fund_id, "fund"), soci::use(name, "name"), soci::use(except, "except"),
        soci::into(count);
    return count > 0;
}

// --- Entries --------------------------------------------------------------------

Id insert_entry(soci::session& sql, const LedgerEntry& entry) {
    EntryBinding binding(entry);
    long long id = 0;
    soci::statement statement(sql);
    binding.bind(statement);
    statement.exchange(soci::into(id));
    db::prepare(statement, std::string("INSERT INTO ledger_entry (") + INSERT_COLUMNS +
                               ")\nVALUES " + values_row(0) + " RETURNING id");
    statement.execute(true);
    return id;
}

void insert_entries(soci::session& sql, const std::vector<LedgerEntry>& entries) {
    // 200 rows × 16 columns = 3 200 parameters per statement: far below
    // SQLite's (32 766) and PostgreSQL's (65 535) limits.
    constexpr std::size_t ROWS_PER_STATEMENT = 200;
    const Placeholders style = bulk_placeholders(sql);
    std::vector<EntryBinding> bindings;
    bindings.reserve(ROWS_PER_STATEMENT);
    for (std::size_t first = 0; first < entries.size(); first += ROWS_PER_STATEMENT) {
        std::size_t rows = std::min(ROWS_PER_STATEMENT, entries.size() - first);
        bindings.clear();
        std::string text =
            std::string("INSERT INTO ledger_entry (") + INSERT_COLUMNS + ")\nVALUES ";
        soci::statement statement(sql);
        for (std::size_t row = 0; row < rows; ++row) {
            bindings.emplace_back(entries[first + row]);
            bindings.back().bind(statement);
            if (row > 0)
                text += ",\n       ";
            text += values_row(static_cast<int>(row), style);
        }
        db::prepare(statement, text);
        statement.execute(true);
    }
}

std::optional<LedgerEntry> find_entry(soci::session& sql, Id fund_id, Id entry_id) {
    EntryRow row;
    long long fund = fund_id, id = entry_id;
    soci::statement statement(sql);
    row.bind(statement);
    statement.exchange(soci::use(fund, "fund"));
    statement.exchange(soci::use(id, "id"));
    db::prepare(statement, std::string(ENTRY_SELECT) + "WHERE e.fund_id = :fund AND e.id = :id");
    if (!statement.execute(true))
        return std::nullopt;
    return row.entry();
}

std::optional<Id> reversal_of(soci::session& sql, Id entry_id) {
    long long id = 0;
    sql << "SELECT id FROM ledger_entry WHERE reverses = :entry", soci::use(entry_id, "entry"),
        soci::into(id);
    if (!sql.got_data())
        return std::nullopt;
    return id;
}

// --- Balances -------------------------------------------------------------------

std::vector<BucketSum> bucket_sums(soci::session& sql, Id fund_id) {
    // Two statements: the newest checkpoint, then its sums plus the entries
    // after it. The tail's lower bound goes in as a value, not a subquery:
    // PostgreSQL then estimates the tail from the index (a few hundred rows)
    // and reads it from ledger_entry_by_fund, where a subquery's unknown
    // value is guessed as a third of the table (a parallel scan, or the
    // primary key across every fund's newer entries). Consistent without one
    // snapshot: no entry of the fund can appear at or below a checkpoint, so
    // a checkpoint read first plus the entries after it read later is the
    // ledger as of the later read.
    const auto head = newest_checkpoint(sql, fund_id).value_or(CheckpointHead{});
    long long checkpoint = head.id, fund = fund_id, after = head.through;
    return read_buckets(
        sql,
        std::string(
            "SELECT year, programme_id, kind, release_of, positive,\n"
            "       CAST(SUM(total_ore) AS BIGINT), CAST(SUM(entry_count) AS BIGINT)\n"
            "FROM (\n"
            "    SELECT t.year, t.programme_id, t.kind, t.release_of, t.positive, t.total_ore,\n"
            "           t.entry_count\n"
            "    FROM ledger_checkpoint_total t WHERE t.checkpoint_id = :checkpoint\n"
            "    UNION ALL\n"
            "    SELECT e.year, e.programme_id, e.kind, e.release_of, ") +
            POSITIVE +
            ",\n"
            "           e.amount_ore, 1\n"
            "    FROM ledger_entry e\n"
            "    WHERE e.fund_id = :fund AND e.id > :after\n"
            ") parts\n"
            "GROUP BY year, programme_id, kind, release_of, positive",
        [&](soci::statement& statement) {
            statement.exchange(soci::use(checkpoint, "checkpoint"));
            statement.exchange(soci::use(fund, "fund"));
            statement.exchange(soci::use(after, "after"));
        });
}

std::vector<BucketSum> bucket_sums_full_scan(soci::session& sql, Id fund_id) {
    long long fund = fund_id;
    return read_buckets(
        sql, entry_sums_query("WHERE e.fund_id = :fund"),
        [&](soci::statement& statement) { statement.exchange(soci::use(fund, "fund")); });
}

std::vector<BucketSum> reference_bucket_sums(soci::session& sql, Id fund_id,
                                             const Reference& reference) {
    long long fund = fund_id, id = reference.id;
    std::string type(reference_type_key(reference.type));
    return read_buckets(sql,
                        entry_sums_query("WHERE e.fund_id = :fund AND e.reference_type = :type "
                                         "AND e.reference_id = :id"),
                        [&](soci::statement& statement) {
                            statement.exchange(soci::use(fund, "fund"));
                            statement.exchange(soci::use(type, "type"));
                            statement.exchange(soci::use(id, "id"));
                        });
}

long long entries_since_checkpoint(soci::session& sql, Id fund_id) {
    // The bound as a value, as in bucket_sums().
    const auto head = newest_checkpoint(sql, fund_id).value_or(CheckpointHead{});
    long long count = 0, fund = fund_id, after = head.through;
    sql << "SELECT count(*) FROM ledger_entry WHERE fund_id = :fund AND id > :after",
        soci::use(fund, "fund"), soci::use(after, "after"), soci::into(count);
    return count;
}

std::optional<Id> write_checkpoint(soci::session& sql, Id fund_id, const std::string& now) {
    auto previous = newest_checkpoint(sql, fund_id).value_or(CheckpointHead{});
    long long fund = fund_id;
    long long count = 0, through = 0;
    soci::indicator through_indicator = soci::i_null;
    sql << "SELECT count(*), MAX(id) FROM ledger_entry WHERE fund_id = :fund AND id > :after",
        soci::use(fund, "fund"), soci::use(previous.through, "after"), soci::into(count),
        soci::into(through, through_indicator);
    if (count == 0 || through_indicator == soci::i_null)
        return std::nullopt;

    long long checkpoint = 0;
    long long total_count = previous.count + count;
    sql << "INSERT INTO ledger_checkpoint (fund_id, through_entry_id, entry_count, created_at)\n"
           "VALUES (:fund, :through, :count, :now) RETURNING id",
        soci::use(fund, "fund"), soci::use(through, "through"), soci::use(total_count, "count"),
        soci::use(now, "now"), soci::into(checkpoint);

    // The previous checkpoint's sums plus the entries after it, one
    // statement. The CASTs tell PostgreSQL the parameters' types.
    long long fund_b = fund_id;
    sql << std::string(
               "INSERT INTO ledger_checkpoint_total (checkpoint_id, year, programme_id, kind,\n"
               "    release_of, positive, total_ore, entry_count)\n"
               "SELECT CAST(:checkpoint AS BIGINT), year, programme_id, kind, release_of,\n"
               "       positive, CAST(SUM(total_ore) AS BIGINT), CAST(SUM(entry_count) AS BIGINT)\n"
               "FROM (\n"
               "    SELECT t.year, t.programme_id, t.kind, t.release_of, t.positive, t.total_ore,\n"
               "           t.entry_count\n"
               "    FROM ledger_checkpoint_total t WHERE t.checkpoint_id = :previous\n"
               "    UNION ALL\n"
               "    SELECT e.year, e.programme_id, e.kind, e.release_of, ") +
               POSITIVE +
               ",\n"
               "           e.amount_ore, 1\n"
               "    FROM ledger_entry e\n"
               "    WHERE e.fund_id = :fund AND e.id > :after AND e.id <= :through\n"
               ") parts\n"
               "GROUP BY year, programme_id, kind, release_of, positive",
        soci::use(checkpoint, "checkpoint"), soci::use(previous.id, "previous"),
        soci::use(fund_b, "fund"), soci::use(previous.through, "after"),
        soci::use(through, "through");
    return checkpoint;
}

CheckpointVerification verify_checkpoints(soci::session& sql, Id fund_id) {
    std::vector<CheckpointHead> heads;
    {
        CheckpointHead head;
        long long fund = fund_id;
        soci::statement statement =
            db::one_time(sql,
                         "SELECT id, through_entry_id, entry_count FROM ledger_checkpoint\n"
                         "WHERE fund_id = :fund ORDER BY through_entry_id",
                         soci::use(fund, "fund"), soci::into(head.id), soci::into(head.through),
                         soci::into(head.count));
        statement.execute();
        while (statement.fetch())
            heads.push_back(head);
    }
    CheckpointVerification result;
    for (const auto& head : heads) {
        long long checkpoint = head.id;
        auto stored = read_buckets(
            sql,
            "SELECT year, programme_id, kind, release_of, positive, total_ore, entry_count\n"
            "FROM ledger_checkpoint_total WHERE checkpoint_id = :checkpoint",
            [&](soci::statement& statement) {
                statement.exchange(soci::use(checkpoint, "checkpoint"));
            });
        long long fund = fund_id, through = head.through;
        auto computed =
            read_buckets(sql, entry_sums_query("WHERE e.fund_id = :fund AND e.id <= :through"),
                         [&](soci::statement& statement) {
                             statement.exchange(soci::use(fund, "fund"));
                             statement.exchange(soci::use(through, "through"));
                         });
        long long entries = 0;
        for (const auto& bucket : computed)
            entries += bucket.count;
        if (by_key(stored) != by_key(computed) || entries != head.count) {
            result.first_bad_checkpoint = head.id;
            return result;
        }
        ++result.checked;
    }
    return result;
}

// --- Listing --------------------------------------------------------------------

std::vector<LedgerEntry> list_entries(soci::session& sql, Id fund_id, const LedgerFilter& filter) {
    EntryRow row;
    FilterBinding binding(fund_id, filter);
    long long limit = filter.per_page;
    long long offset = static_cast<long long>(filter.page - 1) * filter.per_page;
    soci::statement statement(sql);
    row.bind(statement);
    binding.bind(statement, filter);
    statement.exchange(soci::use(limit, "limit"));
    statement.exchange(soci::use(offset, "offset"));
    db::prepare(statement, std::string(ENTRY_SELECT) + filter_conditions(filter) +
                               "\nORDER BY e.id DESC\nLIMIT :limit OFFSET :offset");
    statement.execute();
    std::vector<LedgerEntry> entries;
    while (statement.fetch())
        entries.push_back(row.entry());
    return entries;
}

long long count_entries(soci::session& sql, Id fund_id, const LedgerFilter& filter) {
    if (!filter.reference) {
        long long count = 0;
        for (const auto& bucket : bucket_sums(sql, fund_id)) {
            if (filter.year && bucket.cell.year != *filter.year)
                continue;
            if (filter.programme_id && bucket.cell.programme_id != *filter.programme_id)
                continue;
            if (filter.kind && bucket.kind != *filter.kind)
                continue;
            count += bucket.count;
        }
        return count;
    }
    long long count = 0;
    FilterBinding binding(fund_id, filter);
    soci::statement statement(sql);
    statement.exchange(soci::into(count));
    binding.bind(statement, filter);
    db::prepare(statement, "SELECT count(*) FROM ledger_entry e\n" + filter_conditions(filter));
    statement.execute(true);
    return count;
}

void for_each_entry(soci::session& sql, Id fund_id, const LedgerFilter& filter,
                    const std::function<void(const LedgerEntry&)>& visit) {
    EntryRow row;
    FilterBinding binding(fund_id, filter);
    soci::statement statement(sql);
    row.bind(statement);
    binding.bind(statement, filter);
    db::prepare(statement,
                std::string(ENTRY_SELECT) + filter_conditions(filter) + "\nORDER BY e.id");
    statement.execute();
    while (statement.fetch())
        visit(row.entry());
}

} // namespace spire::funds::store
