#include "applications/store.hpp"

#include "applications/search_text.hpp"
#include "db/database.hpp"
#include "db/statement.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <soci/soci.h>
#include <stdexcept>

namespace spire::applications::store {

namespace {

template <class T>
std::optional<T> optional_of(T value, soci::indicator indicator) {
    if (indicator == soci::i_null)
        return std::nullopt;
    return value;
}

Status stored_status(const std::string& key) {
    auto status = parse_status(key);
    if (!status)
        throw std::runtime_error("application: unknown status '" + key + "'");
    return *status;
}

std::string id_list(const std::vector<Id>& ids) {
    std::string text;
    for (Id id : ids) {
        if (!text.empty())
            text += ", ";
        text += std::to_string(id);
    }
    return text.empty() ? "NULL" : text;
}

// --- The application row ------------------------------------------------------------

constexpr const char* APPLICATION_SELECT =
    "SELECT a.id, a.organisation_id, a.call_id, a.fund_id, a.programme_id, a.unit_id,\n"
    "       a.created_by, a.reference_year, a.reference_number, a.title, a.summary, a.status,\n"
    "       a.start_year, a.duration_years, a.budget_total_ore, a.requested_ore,\n"
    "       a.external_call_id, a.project_total_ore, a.external_applied_ore,\n"
    "       a.own_contribution_ore, a.partnership_model_id, a.endorsed_at, a.submitted_at,\n"
    "       a.revision_count, a.created_at, a.updated_at\n"
    "FROM application a\n";

struct ApplicationRow {
    Application a;
    std::string status;
    int start_year = 0;
    soci::indicator start_year_ind = soci::i_null;
    long long external_call = 0, project_total = 0, external_applied = 0, own_contribution = 0,
              partnership_model = 0;
    soci::indicator external_call_ind = soci::i_null, project_total_ind = soci::i_null,
                    external_applied_ind = soci::i_null, own_contribution_ind = soci::i_null,
                    partnership_model_ind = soci::i_null;
    std::string endorsed_at, submitted_at;
    soci::indicator endorsed_at_ind = soci::i_null, submitted_at_ind = soci::i_null;

    void bind(soci::statement& s) {
        s.exchange(soci::into(a.id));
        s.exchange(soci::into(a.organisation_id));
        s.exchange(soci::into(a.call_id));
        s.exchange(soci::into(a.fund_id));
        s.exchange(soci::into(a.programme_id));
        s.exchange(soci::into(a.unit_id));
        s.exchange(soci::into(a.created_by));
        s.exchange(soci::into(a.reference_year));
        s.exchange(soci::into(a.reference_number));
        s.exchange(soci::into(a.title));
        s.exchange(soci::into(a.summary));
        s.exchange(soci::into(status));
        s.exchange(soci::into(start_year, start_year_ind));
        s.exchange(soci::into(a.duration_years));
        s.exchange(soci::into(a.budget_total_ore));
        s.exchange(soci::into(a.requested_ore));
        s.exchange(soci::into(external_call, external_call_ind));
        s.exchange(soci::into(project_total, project_total_ind));
        s.exchange(soci::into(external_applied, external_applied_ind));
        s.exchange(soci::into(own_contribution, own_contribution_ind));
        s.exchange(soci::into(partnership_model, partnership_model_ind));
        s.exchange(soci::into(endorsed_at, endorsed_at_ind));
        s.exchange(soci::into(submitted_at, submitted_at_ind));
        s.exchange(soci::into(a.revision_count));
        s.exchange(soci::into(a.created_at));
        s.exchange(soci::into(a.updated_at));
    }

    Application finish() const {
        Application out = a;
        out.status = stored_status(status);
        out.reference = format_reference(out.reference_year, out.reference_number);
        out.start_year = optional_of(start_year, start_year_ind);
        out.external_call_id = optional_of<Id>(external_call, external_call_ind);
        out.project_total_ore = optional_of<Ore>(project_total, project_total_ind);
        out.external_applied_ore = optional_of<Ore>(external_applied, external_applied_ind);
        out.own_contribution_ore = optional_of<Ore>(own_contribution, own_contribution_ind);
        out.partnership_model_id = optional_of<Id>(partnership_model, partnership_model_ind);
        out.endorsed_at = optional_of(endorsed_at, endorsed_at_ind);
        out.submitted_at = optional_of(submitted_at, submitted_at_ind);
        return out;
    }
};

std::optional<Application> select_application(soci::session& sql, Id id, const char* suffix) {
    ApplicationRow row;
    long long key = id;
    soci::statement statement(sql);
    row.bind(statement);
    statement.exchange(soci::use(key, "id"));
    db::prepare(statement, std::string(APPLICATION_SELECT) + "WHERE a.id = :id" + suffix);
    if (!statement.execute(true))
        return std::nullopt;
    return row.finish();
}

// --- Lists -----------------------------------------------------------------------------

constexpr const char* LIST_SELECT =
    "SELECT a.id, a.reference_year, a.reference_number, a.title, a.unit_id, u.name, a.call_id,\n"
    "       c.title, a.status, a.budget_total_ore, a.requested_ore, a.submitted_at,\n"
    "       a.updated_at\n"
    "FROM application a\n"
    "JOIN fund_call c ON c.id = a.call_id\n"
    "JOIN org_unit u ON u.id = a.unit_id\n";

// A page of a list: the page's ids from a subquery, then their rows.
constexpr const char* PAGE_SELECT_COLUMNS =
    "SELECT a.id, a.reference_year, a.reference_number, a.title, a.unit_id, u.name, a.call_id,\n"
    "       c.title, a.status, a.budget_total_ore, a.requested_ore, a.submitted_at,\n"
    "       a.updated_at";
constexpr const char* PAGE_JOINS = "JOIN application a ON a.id = page.id\n"
                                   "JOIN fund_call c ON c.id = a.call_id\n"
                                   "JOIN org_unit u ON u.id = a.unit_id\n";

// The page's ids: from the application alone, or, sorted by unit, from the
// organisation's units in name order and each unit's applications in id
// order (both read in index order, 001_applications.sql, so a page is found
// without sorting the organisation's applications). CROSS JOIN is SQLite's
// way to fix the loop order (PostgreSQL plans the join itself). A search's
// or a theme's matches are few next to the organisation's applications:
// they are joined to their units and sorted.
std::string page_ids_from(db::Engine engine, const ListScope& scope, const ListFilter& filter,
                          bool few_matches) {
    if (filter.sort != SortKey::Unit)
        return "FROM application a\n";
    if (few_matches)
        return "FROM application a JOIN org_unit u ON u.id = a.unit_id\n";
    return std::string("FROM org_unit u ") +
           (engine == db::Engine::Sqlite ? "CROSS JOIN" : "JOIN") +
           " application a ON a.unit_id = u.id\n"
           "    AND u.organisation_id = " +
           std::to_string(scope.organisation_id) + "\n";
}

struct ListRowBinding {
    ListRow row;
    int year = 0, number = 0;
    std::string status;
    std::string submitted_at;
    soci::indicator submitted_at_ind = soci::i_null;

    void bind(soci::statement& s) {
        s.exchange(soci::into(row.id));
        s.exchange(soci::into(year));
        s.exchange(soci::into(number));
        s.exchange(soci::into(row.title));
        s.exchange(soci::into(row.unit_id));
        s.exchange(soci::into(row.unit_name));
        s.exchange(soci::into(row.call_id));
        s.exchange(soci::into(row.call_title));
        s.exchange(soci::into(status));
        s.exchange(soci::into(row.budget_total_ore));
        s.exchange(soci::into(row.requested_ore));
        s.exchange(soci::into(submitted_at, submitted_at_ind));
        s.exchange(soci::into(row.updated_at));
    }
    ListRow finish() const {
        ListRow out = row;
        out.reference = format_reference(year, number);
        out.status = stored_status(status);
        out.submitted_at = optional_of(submitted_at, submitted_at_ind);
        return out;
    }
};

// The filter's parameters, bound by name; only those the conditions use.
struct ListBinding {
    long long organisation = 0, call = 0, programme = 0, fund = 0, unit = 0;
    std::string status, theme, query;
    int reference_year = 0, reference_number = 0;
    bool by_reference = false;
    // PostgreSQL: the ids, status and paging are written into the text,
    // not bound (list_conditions).
    bool values_in_text = false;
    // A theme's page found along the sort's index, each row tested for the
    // theme, instead of from the theme's rows (list_applications).
    bool theme_by_probe = false;

    bool has_query() const { return !query.empty(); }
};

ListBinding list_binding(db::Engine engine, const ListScope& scope, const ListFilter& filter) {
    ListBinding b;
    b.organisation = scope.organisation_id;
    b.values_in_text = engine == db::Engine::Postgresql;
    b.call = filter.call_id.value_or(0);
    b.programme = filter.programme_id.value_or(0);
    b.fund = filter.fund_id.value_or(0);
    b.unit = filter.unit_id.value_or(0);
    b.status = filter.status ? std::string(status_key(*filter.status)) : "";
    if (filter.theme) {
        // Stored themes are normalised (model.hpp normalise_themes).
        auto themes = normalise_themes({*filter.theme});
        b.theme = themes.empty() ? std::string() : themes.front();
    }
    if (auto reference = parse_reference(filter.query)) {
        b.by_reference = true;
        b.reference_year = reference->year;
        b.reference_number = reference->number;
    } else if (engine == db::Engine::Sqlite) {
        // The organisation's token (its own column, so no word of the text
        // can match it) and the words: FTS5 intersects the two posting
        // lists instead of finding the words nationwide.
        const std::string words = fts5_match_query(filter.query);
        if (!words.empty())
            b.query = "organisation : \"" + fts5_organisation_token(scope.organisation_id) +
                      "\" AND body : (" + words + ")";
    } else {
        // PostgreSQL stems itself; the words alone, so that what reaches
        // plainto_tsquery is clean text whatever was typed.
        for (const auto& word : search_words(filter.query)) {
            if (!b.query.empty())
                b.query += ' ';
            b.query += word;
        }
    }
    return b;
}

std::string list_conditions(db::Engine engine, const ListScope& scope, const ListFilter& filter,
                            const ListBinding& b) {
    // A search is driven by its matches: the unary + keeps SQLite from
    // scanning the organisation's list index and probing each row against
    // them (7 ms for Oslo's 11 700 applications; the matches looked up by id
    // take a fraction of that however many they are).
    // A theme is driven the same way, from the organisation's rows of it,
    // unless its page is tested for along the sort's index (theme_by_probe).
    const bool driven =
        (b.has_query() || (filter.theme && !b.theme_by_probe)) && engine == db::Engine::Sqlite;
    // On PostgreSQL every id and the status are written into the text
    // (integers and status keys, nothing typed): a page's statement is kept
    // prepared (list_applications), and with no parameter but free text
    // PostgreSQL plans it once, for these values. With the organisation as
    // a parameter its generic plan assumed an average organisation's few
    // hundred rows and, sorted by unit, hashed and sorted all of Oslo's
    // 10 000 (61 against 3 ms for page 50); with the paging as parameters
    // it found the generic plan too dear and planned anew at every
    // execution (1.5 of the 2.1 ms of Oslo's first page).
    const auto value = [&](const char* name, long long bound) {
        return b.values_in_text ? std::to_string(bound) : std::string(":") + name;
    };
    const std::string organisation = value("organisation", b.organisation);
    std::string where =
        (driven ? "WHERE +a.organisation_id = " : "WHERE a.organisation_id = ") + organisation;
    if (scope.submitted_once_only)
        where += "\n  AND a.revision_count > 0";
    if (scope.fund_ids)
        where += "\n  AND a.fund_id IN (" + id_list(*scope.fund_ids) + ")";
    if (scope.unit_ids)
        where += "\n  AND a.unit_id IN (" + id_list(*scope.unit_ids) + ")";
    if (filter.call_id)
        where += "\n  AND a.call_id = " + value("call", b.call);
    if (filter.programme_id)
        where += "\n  AND a.programme_id = " + value("programme", b.programme);
    if (filter.fund_id)
        where += "\n  AND a.fund_id = " + value("fund", b.fund);
    if (filter.unit_id)
        where += "\n  AND a.unit_id = " + value("unit", b.unit);
    if (filter.status)
        where += "\n  AND a.status = " + (b.values_in_text ? "'" + b.status + "'" : ":status");
    // Tested row by row (theme_by_probe), the theme's rows are read once
    // into a set that each row is looked up in: IS TRUE keeps either
    // engine from turning the IN into a join (which would read and sort all
    // the theme's rows), so the sort's index is read in order and the scan
    // stops at the page's end. (a.id and the subquery's ids are never NULL,
    // so IS TRUE changes no result.) A scalar subquery per row did the same
    // with a lookup in the theme's primary key each: twice the time on
    // PostgreSQL.
    if (filter.theme) {
        where += "\n  AND ";
        where += b.theme_by_probe ? "(a.id IN" : "a.id IN";
        where += " (SELECT t.application_id FROM application_theme t\n"
                 "               WHERE t.organisation_id = " +
                 std::to_string(scope.organisation_id) + " AND t.theme = :theme)";
        if (b.theme_by_probe)
            where += ") IS TRUE";
    }
    if (b.by_reference) {
        where += "\n  AND a.reference_year = " + value("reference_year", b.reference_year) +
                 " AND a.reference_number = " + value("reference_number", b.reference_number);
    } else if (b.has_query()) {
        if (engine == db::Engine::Sqlite)
            where += "\n  AND a.id IN (SELECT rowid FROM application_search\n"
                     "               WHERE application_search MATCH :query)";
        else
            where += "\n  AND a.id IN (SELECT m.application_id FROM matches m)";
    }
    return where;
}

// PostgreSQL: a search's matches as a materialised CTE, read from the GIN
// index by themselves. Inline, the planner misjudges how many there are
// (the organisation lexeme and the words are estimated as independent) and
// checks the words row by row along the organisation's list index instead:
// 75 against 24 ms for "skolen" in Oslo. list_conditions names `matches`.
std::string with_matches(db::Engine engine, const ListScope& scope, const ListBinding& b) {
    if (engine != db::Engine::Postgresql || !b.has_query() || b.by_reference)
        return "";
    return "WITH matches AS MATERIALIZED (\n"
           "    SELECT s.application_id FROM application_search s\n"
           "    WHERE s.vector @@ plainto_tsquery('norwegian', :query)\n"
           "      AND s.vector @@ CAST('" +
           fts5_organisation_token(scope.organisation_id) + ":A' AS tsquery))\n";
}

void bind_list(soci::statement& s, const ListFilter& filter, ListBinding& b) {
    if (filter.theme)
        s.exchange(soci::use(b.theme, "theme"));
    if (b.has_query())
        s.exchange(soci::use(b.query, "query"));
    if (b.values_in_text) // list_conditions
        return;
    s.exchange(soci::use(b.organisation, "organisation"));
    if (filter.call_id)
        s.exchange(soci::use(b.call, "call"));
    if (filter.programme_id)
        s.exchange(soci::use(b.programme, "programme"));
    if (filter.fund_id)
        s.exchange(soci::use(b.fund, "fund"));
    if (filter.unit_id)
        s.exchange(soci::use(b.unit, "unit"));
    if (filter.status)
        s.exchange(soci::use(b.status, "status"));
    if (b.by_reference) {
        s.exchange(soci::use(b.reference_year, "reference_year"));
        s.exchange(soci::use(b.reference_number, "reference_number"));
    }
}

std::string order_by(const ListFilter& filter) {
    const char* direction = filter.descending ? " DESC" : "";
    std::string column;
    switch (filter.sort) {
    case SortKey::Reference:
        return std::string("ORDER BY a.reference_year") + direction + ", a.reference_number" +
               direction + ", a.id" + direction;
    case SortKey::Title:
        column = "a.title";
        break;
    case SortKey::Unit:
        // Units of the same name (every district has a "Hjemmetjenesten")
        // keep their applications together.
        return std::string("ORDER BY u.name") + direction + ", u.id" + direction + ", a.id" +
               direction;
    case SortKey::Requested:
        column = "a.requested_ore";
        break;
    case SortKey::Submitted:
        column = "a.submitted_at";
        break;
    case SortKey::Updated:
        column = "a.updated_at";
        break;
    }
    // Rows without a value (drafts never submitted) last in both
    // directions, on both engines (their defaults differ).
    const char* nulls = filter.sort == SortKey::Submitted ? " NULLS LAST" : "";
    return "ORDER BY " + column + direction + nulls + ", a.id" + direction;
}

// Statements of one kind kept prepared on a connection, by their text: the
// staff list's statements differ by the filter's shape and the actor's
// funds, and each is planned anew at every execution otherwise (on
// PostgreSQL the page's plan took longer than its execution: 1.0 against
// 0.5 ms for Oslo's first page). A Connection local. Entry owns a
// soci::statement `statement` and the variables bound to it, so it never
// moves once made.
template <class Entry>
class PreparedByText {
public:
    explicit PreparedByText(soci::session& sql) : m_sql(sql) {}

    // The entry of this text, made on first use: bind(entry) exchanges its
    // variables, then the statement is prepared.
    template <class Bind>
    Entry& get(const std::string& text, Bind&& bind) {
        if (auto found = m_entries.find(text); found != m_entries.end())
            return *found->second;
        // Bounded: texts hold ids (organisations, funds). Rarely full, so
        // starting over is simpler than tracking the least used.
        if (m_entries.size() >= MAX_ENTRIES)
            m_entries.clear();
        auto entry = std::make_unique<Entry>(m_sql);
        bind(*entry);
        db::prepare_repeatable(entry->statement, text);
        return *m_entries.emplace(text, std::move(entry)).first->second;
    }

private:
    static constexpr std::size_t MAX_ENTRIES = 64;
    soci::session& m_sql;
    std::map<std::string, std::unique_ptr<Entry>> m_entries;
};

// A page's statement (list_applications without a search or a theme).
struct PreparedPage {
    explicit PreparedPage(soci::session& sql) : statement(sql) {}
    soci::statement statement;
    ListRowBinding row;
    ListBinding binding;
    long long limit = 0, offset = 0, total = 0;
};

// The filter choices' statement (list_choices).
struct PreparedChoices {
    explicit PreparedChoices(soci::session& sql) : statement(sql) {}
    soci::statement statement;
    int part = 0;
    ListChoice row;
};

} // namespace

// --- Applications ---------------------------------------------------------------------

Id insert_application(soci::session& sql, const NewApplication& row, const std::string& now) {
    long long id = 0;
    // The call's fund and programme come with it (the staff lists filter on
    // them without a join; 001_applications.sql).
    sql << "INSERT INTO application (organisation_id, call_id, fund_id, programme_id, unit_id,\n"
           "    created_by, reference_year, reference_number, title, status, created_at,\n"
           "    updated_at)\n"
           "SELECT :organisation, c.id, c.fund_id, c.programme_id, :unit, :created_by, :year,\n"
           "    :number, :title, 'draft', :now, :now2\n"
           "FROM fund_call c WHERE c.id = :call RETURNING id",
        soci::use(row.organisation_id, "organisation"), soci::use(row.call_id, "call"),
        soci::use(row.unit_id, "unit"), soci::use(row.created_by, "created_by"),
        soci::use(row.reference_year, "year"), soci::use(row.reference_number, "number"),
        soci::use(row.title, "title"), soci::use(now, "now"), soci::use(now, "now2"),
        soci::into(id);
    return id;
}

int next_reference(soci::session& sql, db::Engine engine, Id organisation_id, int year) {
    long long organisation = organisation_id;
    if (engine == db::Engine::Postgresql) {
        long long locked = 0;
        sql << "SELECT id FROM organisation WHERE id = :id FOR NO KEY UPDATE",
            soci::use(organisation, "id"), soci::into(locked);
    }
    int last = 0;
    soci::indicator last_ind = soci::i_null;
    sql << "SELECT MAX(reference_number) FROM application\n"
           "WHERE organisation_id = :organisation AND reference_year = :year",
        soci::use(organisation, "organisation"), soci::use(year, "year"),
        soci::into(last, last_ind);
    return (last_ind == soci::i_null ? 0 : last) + 1;
}

std::optional<Application> find_application(soci::session& sql, Id id) {
    return select_application(sql, id, "");
}

std::optional<Application> lock_application(soci::session& sql, db::Engine engine, Id id) {
    // FOR UPDATE OF a: only the application row, not the call.
    return select_application(sql, id, engine == db::Engine::Postgresql ? " FOR UPDATE OF a" : "");
}

void load_parts(soci::session& sql, Application& application) {
    long long id = application.id;
    // Display names, one statement.
    {
        std::string call_title, unit_name, kind, endorser, external, model;
        sql << "SELECT c.title, u.name, p.kind, COALESCE(e.name, ''),\n"
               "       COALESCE(x.funder || ' – ' || x.programme, ''), COALESCE(m.name, '')\n"
               "FROM application a\n"
               "JOIN fund_call c ON c.id = a.call_id\n"
               "JOIN programme p ON p.id = c.programme_id\n"
               "JOIN org_unit u ON u.id = a.unit_id\n"
               "LEFT JOIN app_user e ON e.id = a.endorsed_by\n"
               "LEFT JOIN external_call x ON x.id = a.external_call_id\n"
               "LEFT JOIN partnership_model m ON m.id = a.partnership_model_id\n"
               "WHERE a.id = :id",
            soci::use(id, "id"), soci::into(call_title), soci::into(unit_name), soci::into(kind),
            soci::into(endorser), soci::into(external), soci::into(model);
        application.call_title = call_title;
        application.unit_name = unit_name;
        application.programme_kind = kind;
        application.endorsed_by_name = endorser;
        application.external_call_title = external;
        application.partnership_model_name = model;
    }
    // Themes.
    {
        application.themes.clear();
        std::string theme;
        soci::statement s = db::one_time(sql,
                                         "SELECT theme FROM application_theme\n"
                                         "WHERE application_id = :id ORDER BY theme",
                                         soci::use(id, "id"), soci::into(theme));
        s.execute();
        while (s.fetch())
            application.themes.push_back(theme);
    }
    // Budget.
    {
        application.budget.clear();
        int year = 0;
        std::string type;
        long long amount = 0;
        soci::statement s = db::one_time(
            sql,
            "SELECT year, cost_type, amount_ore FROM application_budget_line\n"
            "WHERE application_id = :id",
            soci::use(id, "id"), soci::into(year), soci::into(type), soci::into(amount));
        s.execute();
        while (s.fetch()) {
            auto cost_type = parse_cost_type(type);
            if (!cost_type)
                throw std::runtime_error("application_budget_line: unknown cost type " + type);
            application.budget.push_back({year, *cost_type, amount});
        }
        std::sort(application.budget.begin(), application.budget.end(),
                  [](const BudgetLine& x, const BudgetLine& y) {
                      return std::pair(x.year, static_cast<int>(x.cost_type)) <
                             std::pair(y.year, static_cast<int>(y.cost_type));
                  });
    }
    // Financing.
    {
        application.financing.clear();
        std::string source, funder;
        long long cash = 0, rate = 0;
        int hours = 0;
        soci::statement s =
            db::one_time(sql,
                         "SELECT source, funder_name, cash_ore, in_kind_hours, hourly_rate_ore\n"
                         "FROM application_financing_line WHERE application_id = :id\n"
                         "ORDER BY sort_order, id",
                         soci::use(id, "id"), soci::into(source), soci::into(funder),
                         soci::into(cash), soci::into(hours), soci::into(rate));
        s.execute();
        while (s.fetch()) {
            auto parsed = parse_financing_source(source);
            if (!parsed)
                throw std::runtime_error("application_financing_line: unknown source " + source);
            application.financing.push_back({*parsed, funder, cash, hours, rate});
        }
    }
    // Partners.
    {
        application.partners.clear();
        std::string name, number, kind, role;
        soci::statement s =
            db::one_time(sql,
                         "SELECT name, organisation_number, kind, role FROM application_partner\n"
                         "WHERE application_id = :id ORDER BY sort_order, id",
                         soci::use(id, "id"), soci::into(name), soci::into(number),
                         soci::into(kind), soci::into(role));
        s.execute();
        while (s.fetch()) {
            auto parsed = parse_partner_kind(kind);
            if (!parsed)
                throw std::runtime_error("application_partner: unknown kind " + kind);
            application.partners.push_back({name, number, *parsed, role});
        }
    }
    // Answers, then the options of multiple-choice answers.
    {
        application.answers.clear();
        std::map<Id, Answer> answers;
        long long field = 0, amount = 0, option = 0, attachment = 0;
        std::string text, number, date;
        int boolean = 0;
        soci::indicator text_ind, number_ind, amount_ind, date_ind, bool_ind, option_ind,
            attachment_ind;
        soci::statement s =
            db::one_time(sql,
                         "SELECT field_id, text_value, number_value, amount_ore, date_value,\n"
                         "       bool_value, option_id, attachment_id\n"
                         "FROM application_answer WHERE application_id = :id",
                         soci::use(id, "id"), soci::into(field), soci::into(text, text_ind),
                         soci::into(number, number_ind), soci::into(amount, amount_ind),
                         soci::into(date, date_ind), soci::into(boolean, bool_ind),
                         soci::into(option, option_ind), soci::into(attachment, attachment_ind));
        s.execute();
        while (s.fetch()) {
            Answer& answer = answers[field];
            answer.field_id = field;
            answer.text = optional_of(text, text_ind);
            answer.number = optional_of(number, number_ind);
            answer.amount_ore = optional_of<Ore>(amount, amount_ind);
            answer.date = optional_of(date, date_ind);
            if (bool_ind != soci::i_null)
                answer.yes_no = boolean != 0;
            answer.option_id = optional_of<Id>(option, option_ind);
            answer.attachment_id = optional_of<Id>(attachment, attachment_ind);
        }
        soci::statement o =
            db::one_time(sql,
                         "SELECT field_id, option_id FROM application_answer_option\n"
                         "WHERE application_id = :id ORDER BY field_id, option_id",
                         soci::use(id, "id"), soci::into(field), soci::into(option));
        o.execute();
        while (o.fetch()) {
            Answer& answer = answers[field];
            answer.field_id = field;
            answer.option_ids.push_back(option);
        }
        for (auto& [key, answer] : answers)
            application.answers.push_back(std::move(answer));
    }
    // Attachments (metadata only).
    {
        application.attachments.clear();
        AttachmentInfo info;
        long long field = 0;
        soci::indicator field_ind = soci::i_null;
        soci::statement s = db::one_time(
            sql,
            "SELECT t.id, t.field_id, t.file_name, t.media_type, t.size_bytes, t.sha256,\n"
            "       t.uploaded_at, u.name\n"
            "FROM attachment t JOIN app_user u ON u.id = t.uploaded_by\n"
            "WHERE t.application_id = :id AND t.removed = 0 ORDER BY t.id",
            soci::use(id, "id"), soci::into(info.id), soci::into(field, field_ind),
            soci::into(info.file_name), soci::into(info.media_type), soci::into(info.size_bytes),
            soci::into(info.sha256), soci::into(info.uploaded_at),
            soci::into(info.uploaded_by_name));
        s.execute();
        while (s.fetch()) {
            AttachmentInfo copy = info;
            copy.field_id = optional_of<Id>(field, field_ind);
            application.attachments.push_back(std::move(copy));
        }
    }
}

void update_details(soci::session& sql, const Application& a, const std::string& now) {
    db::Nullable<int> start_year(a.start_year);
    db::Nullable<long long> external_call(a.external_call_id), project_total(a.project_total_ore),
        external_applied(a.external_applied_ore), own_contribution(a.own_contribution_ore),
        partnership_model(a.partnership_model_id);
    sql << "UPDATE application SET title = :title, summary = :summary,\n"
           "    start_year = :start_year, duration_years = :duration,\n"
           "    external_call_id = :external_call, project_total_ore = :project_total,\n"
           "    external_applied_ore = :external_applied,\n"
           "    own_contribution_ore = :own_contribution,\n"
           "    partnership_model_id = :partnership_model, updated_at = :now\n"
           "WHERE id = :id",
        soci::use(a.title, "title"), soci::use(a.summary, "summary"),
        soci::use(start_year.value, start_year.indicator, "start_year"),
        soci::use(a.duration_years, "duration"),
        soci::use(external_call.value, external_call.indicator, "external_call"),
        soci::use(project_total.value, project_total.indicator, "project_total"),
        soci::use(external_applied.value, external_applied.indicator, "external_applied"),
        soci::use(own_contribution.value, own_contribution.indicator, "own_contribution"),
        soci::use(partnership_model.value, partnership_model.indicator, "partnership_model"),
        soci::use(now, "now"), soci::use(a.id, "id");
}

void replace_themes(soci::session& sql, Id id, const std::vector<std::string>& themes) {
    long long key = id;
    sql << "DELETE FROM application_theme WHERE application_id = :id", soci::use(key, "id");
    for (const auto& theme : themes) {
        sql << "INSERT INTO application_theme (application_id, organisation_id, theme)\n"
               "SELECT a.id, a.organisation_id, :theme FROM application a WHERE a.id = :id",
            soci::use(theme, "theme"), soci::use(key, "id");
    }
}

void replace_answers(soci::session& sql, Id id, const std::vector<Answer>& answers,
                     const std::vector<Id>& file_field_ids) {
    long long key = id;
    const std::string keep = file_field_ids.empty()
                                 ? std::string()
                                 : " AND field_id NOT IN (" + id_list(file_field_ids) + ")";
    sql << "DELETE FROM application_answer_option WHERE application_id = :id", soci::use(key, "id");
    sql << "DELETE FROM application_answer WHERE application_id = :id" + keep, soci::use(key, "id");
    for (const auto& answer : answers) {
        if (answer.empty() || std::find(file_field_ids.begin(), file_field_ids.end(),
                                        answer.field_id) != file_field_ids.end())
            continue;
        long long field = answer.field_id;
        if (!answer.option_ids.empty()) {
            for (Id option_id : answer.option_ids) {
                long long option = option_id;
                sql << "INSERT INTO application_answer_option (application_id, field_id, "
                       "option_id)\nVALUES (:id, :field, :option)",
                    soci::use(key, "id"), soci::use(field, "field"), soci::use(option, "option");
            }
            continue;
        }
        db::Nullable<std::string> text(answer.text), number(answer.number), date(answer.date);
        db::Nullable<long long> amount(answer.amount_ore), option(answer.option_id);
        db::Nullable<int> boolean(answer.yes_no ? std::optional<int>(*answer.yes_no ? 1 : 0)
                                                : std::nullopt);
        sql << "INSERT INTO application_answer (application_id, field_id, text_value,\n"
               "    number_value, amount_ore, date_value, bool_value, option_id)\n"
               "VALUES (:id, :field, :text, :number, :amount, :date, :bool, :option)",
            soci::use(key, "id"), soci::use(field, "field"),
            soci::use(text.value, text.indicator, "text"),
            soci::use(number.value, number.indicator, "number"),
            soci::use(amount.value, amount.indicator, "amount"),
            soci::use(date.value, date.indicator, "date"),
            soci::use(boolean.value, boolean.indicator, "bool"),
            soci::use(option.value, option.indicator, "option");
    }
}

void set_file_answer(soci::session& sql, Id id, Id field_id, std::optional<Id> attachment_id) {
    long long key = id, field = field_id;
    sql << "DELETE FROM application_answer WHERE application_id = :id AND field_id = :field",
        soci::use(key, "id"), soci::use(field, "field");
    if (!attachment_id)
        return;
    long long attachment = *attachment_id;
    sql << "INSERT INTO application_answer (application_id, field_id, attachment_id)\n"
           "VALUES (:id, :field, :attachment)",
        soci::use(key, "id"), soci::use(field, "field"), soci::use(attachment, "attachment");
}

void replace_budget(soci::session& sql, Id id, const std::vector<BudgetLine>& lines,
                    const std::string& now) {
    long long key = id;
    sql << "DELETE FROM application_budget_line WHERE application_id = :id", soci::use(key, "id");
    for (const auto& line : lines) {
        std::string type(cost_type_key(line.cost_type));
        long long amount = line.amount_ore;
        sql << "INSERT INTO application_budget_line (application_id, year, cost_type, "
               "amount_ore)\nVALUES (:id, :year, :type, :amount)",
            soci::use(key, "id"), soci::use(line.year, "year"), soci::use(type, "type"),
            soci::use(amount, "amount");
    }
    long long total = budget_total(lines).value_or(0);
    sql << "UPDATE application SET budget_total_ore = :total, updated_at = :now WHERE id = :id",
        soci::use(total, "total"), soci::use(now, "now"), soci::use(key, "id");
}

void replace_financing(soci::session& sql, Id id, const std::vector<FinancingLine>& lines,
                       const std::string& now) {
    long long key = id;
    sql << "DELETE FROM application_financing_line WHERE application_id = :id",
        soci::use(key, "id");
    int order = 0;
    for (const auto& line : lines) {
        std::string source(financing_source_key(line.source));
        long long cash = line.cash_ore, rate = line.hourly_rate_ore;
        sql << "INSERT INTO application_financing_line (application_id, source, funder_name,\n"
               "    cash_ore, in_kind_hours, hourly_rate_ore, sort_order)\n"
               "VALUES (:id, :source, :funder, :cash, :hours, :rate, :sort_order)",
            soci::use(key, "id"), soci::use(source, "source"),
            soci::use(line.funder_name, "funder"), soci::use(cash, "cash"),
            soci::use(line.in_kind_hours, "hours"), soci::use(rate, "rate"),
            soci::use(order, "sort_order");
        ++order;
    }
    long long requested = financing_total(lines, FinancingSource::Fund).value_or(0);
    sql << "UPDATE application SET requested_ore = :requested, updated_at = :now WHERE id = :id",
        soci::use(requested, "requested"), soci::use(now, "now"), soci::use(key, "id");
}

void replace_partners(soci::session& sql, Id id, const std::vector<Partner>& partners,
                      const std::string& now) {
    long long key = id;
    sql << "DELETE FROM application_partner WHERE application_id = :id", soci::use(key, "id");
    int order = 0;
    for (const auto& partner : partners) {
        std::string kind(partner_kind_key(partner.kind));
        sql << "INSERT INTO application_partner (application_id, name, organisation_number,\n"
               "    kind, role, sort_order)\n"
               "VALUES (:id, :name, :number, :kind, :role, :sort_order)",
            soci::use(key, "id"), soci::use(partner.name, "name"),
            soci::use(partner.organisation_number, "number"), soci::use(kind, "kind"),
            soci::use(partner.role, "role"), soci::use(order, "sort_order");
        ++order;
    }
    touch(sql, id, now);
}

void touch(soci::session& sql, Id id, const std::string& now) {
    long long key = id;
    sql << "UPDATE application SET updated_at = :now WHERE id = :id", soci::use(now, "now"),
        soci::use(key, "id");
}

void update_status(soci::session& sql, Id id, const StatusUpdate& update, const std::string& now) {
    long long key = id;
    std::string status(status_key(update.status));
    std::string text = "UPDATE application SET status = :status, updated_at = :now";
    db::Nullable<long long> endorsed_by(update.endorsed_by);
    db::Nullable<std::string> endorsed_at(update.endorsed_at), submitted_at(update.submitted_at);
    soci::statement s(sql);
    s.exchange(soci::use(status, "status"));
    s.exchange(soci::use(now, "now"));
    if (update.endorsed_by) {
        text += ", endorsed_by = :endorsed_by, endorsed_at = :endorsed_at";
        s.exchange(soci::use(endorsed_by.value, endorsed_by.indicator, "endorsed_by"));
        s.exchange(soci::use(endorsed_at.value, endorsed_at.indicator, "endorsed_at"));
    } else if (update.clear_endorsement) {
        text += ", endorsed_by = NULL, endorsed_at = NULL";
    }
    if (update.submitted_at) {
        text += ", submitted_at = :submitted_at";
        s.exchange(soci::use(submitted_at.value, submitted_at.indicator, "submitted_at"));
    }
    if (update.add_revision)
        text += ", revision_count = revision_count + 1";
    text += " WHERE id = :id";
    s.exchange(soci::use(key, "id"));
    db::prepare(s, text);
    s.execute(true);
}

void insert_status_change(soci::session& sql, Id id, std::optional<Status> from, Status to,
                          std::optional<Id> user_id, const std::string& comment,
                          const std::string& now) {
    long long key = id;
    db::Nullable<std::string> from_key(from ? std::optional<std::string>(status_key(*from))
                                            : std::nullopt);
    std::string to_key(status_key(to));
    db::Nullable<long long> user(user_id);
    sql << "INSERT INTO application_status_change (application_id, from_status, to_status,\n"
           "    user_id, comment, at)\n"
           "VALUES (:id, :from_status, :to_status, :user_id, :comment, :at)",
        soci::use(key, "id"), soci::use(from_key.value, from_key.indicator, "from_status"),
        soci::use(to_key, "to_status"), soci::use(user.value, user.indicator, "user_id"),
        soci::use(comment, "comment"), soci::use(now, "at");
}

std::vector<StatusChange> status_changes(soci::session& sql, Id id) {
    long long key = id;
    std::string from, to, name, comment, at;
    soci::indicator from_ind = soci::i_null;
    soci::statement s =
        db::one_time(sql,
                     "SELECT h.from_status, h.to_status, COALESCE(u.name, ''),\n"
                     "       h.comment, h.at\n"
                     "FROM application_status_change h\n"
                     "LEFT JOIN app_user u ON u.id = h.user_id\n"
                     "WHERE h.application_id = :id ORDER BY h.id",
                     soci::use(key, "id"), soci::into(from, from_ind), soci::into(to),
                     soci::into(name), soci::into(comment), soci::into(at));
    s.execute();
    std::vector<StatusChange> changes;
    while (s.fetch()) {
        StatusChange change;
        if (from_ind != soci::i_null)
            change.from = stored_status(from);
        change.to = stored_status(to);
        change.user_name = name;
        change.comment = comment;
        change.at = at;
        changes.push_back(std::move(change));
    }
    return changes;
}

// --- Search -------------------------------------------------------------------------------

void write_search(soci::session& sql, db::Engine engine, Id id, const std::string& body) {
    long long key = id;
    // Each engine's document holds the organisation's token (the migrations).
    long long organisation_id = 0;
    sql << "SELECT organisation_id FROM application WHERE id = :id", soci::use(key, "id"),
        soci::into(organisation_id);
    if (engine == db::Engine::Sqlite) {
        // FTS5 has no upsert: the old row goes, the new one comes.
        std::string document = fts5_document(body);
        std::string organisation = fts5_organisation_token(organisation_id);
        sql << "DELETE FROM application_search WHERE rowid = :id", soci::use(key, "id");
        sql << "INSERT INTO application_search (rowid, organisation, body)\n"
               "VALUES (:id, :organisation, :body)",
            soci::use(key, "id"), soci::use(organisation, "organisation"),
            soci::use(document, "body");
        return;
    }
    sql << "INSERT INTO application_search (application_id, organisation_id, body)\n"
           "VALUES (:id, :organisation, :body)\n"
           "ON CONFLICT (application_id) DO UPDATE SET body = excluded.body",
        soci::use(key, "id"), soci::use(organisation_id, "organisation"), soci::use(body, "body");
}

// --- Attachments --------------------------------------------------------------------------

Id insert_attachment(soci::session& sql, const NewAttachment& t, const std::string& now) {
    long long id = 0;
    db::Nullable<long long> field(t.field_id);
    sql << "INSERT INTO attachment (organisation_id, application_id, field_id, file_name,\n"
           "    media_type, size_bytes, sha256, uploaded_by, uploaded_at)\n"
           "VALUES (:organisation, :application, :field, :file_name, :media_type, :size,\n"
           "        :sha256, :uploaded_by, :now) RETURNING id",
        soci::use(t.organisation_id, "organisation"), soci::use(t.application_id, "application"),
        soci::use(field.value, field.indicator, "field"), soci::use(t.file_name, "file_name"),
        soci::use(t.media_type, "media_type"), soci::use(t.size_bytes, "size"),
        soci::use(t.sha256, "sha256"), soci::use(t.uploaded_by, "uploaded_by"),
        soci::use(now, "now"), soci::into(id);
    sql << "INSERT INTO attachment_content (attachment_id, content_base64) VALUES (:id, :content)",
        soci::use(id, "id"), soci::use(t.content_base64, "content");
    return id;
}

std::optional<AttachmentRow> find_attachment(soci::session& sql, Id application_id,
                                             Id attachment_id) {
    AttachmentRow row;
    long long application = application_id, key = attachment_id, field = 0;
    soci::indicator field_ind = soci::i_null;
    int removed = 0;
    sql << "SELECT t.id, t.field_id, t.file_name, t.media_type, t.size_bytes, t.sha256,\n"
           "       t.uploaded_at, u.name, t.removed\n"
           "FROM attachment t JOIN app_user u ON u.id = t.uploaded_by\n"
           "WHERE t.id = :id AND t.application_id = :application",
        soci::use(key, "id"), soci::use(application, "application"), soci::into(row.info.id),
        soci::into(field, field_ind), soci::into(row.info.file_name),
        soci::into(row.info.media_type), soci::into(row.info.size_bytes),
        soci::into(row.info.sha256), soci::into(row.info.uploaded_at),
        soci::into(row.info.uploaded_by_name), soci::into(removed);
    if (!sql.got_data())
        return std::nullopt;
    row.info.field_id = optional_of<Id>(field, field_ind);
    row.removed = removed != 0;
    return row;
}

std::optional<std::string> attachment_content(soci::session& sql, Id attachment_id) {
    long long key = attachment_id;
    std::string content;
    sql << "SELECT content_base64 FROM attachment_content WHERE attachment_id = :id",
        soci::use(key, "id"), soci::into(content);
    if (!sql.got_data())
        return std::nullopt;
    return content;
}

void mark_attachment_removed(soci::session& sql, Id attachment_id) {
    long long key = attachment_id;
    sql << "UPDATE attachment SET removed = 1 WHERE id = :id", soci::use(key, "id");
}

std::vector<Id> field_attachments(soci::session& sql, Id application_id, Id field_id) {
    long long application = application_id, field = field_id, id = 0;
    soci::statement s = db::one_time(sql,
                                     "SELECT id FROM attachment\n"
                                     "WHERE application_id = :application AND removed = 0\n"
                                     "  AND field_id = :field ORDER BY id",
                                     soci::use(application, "application"),
                                     soci::use(field, "field"), soci::into(id));
    s.execute();
    std::vector<Id> ids;
    while (s.fetch())
        ids.push_back(id);
    return ids;
}

bool attachment_in_revision(soci::session& sql, Id application_id, Id attachment_id) {
    // Revisions name their attachments in the JSON document as
    // "attachment_id":<id>; a revision exists only after a submission, and
    // an attachment uploaded after the last revision is in none of them.
    long long application = application_id, key = attachment_id, count = 0;
    std::string last_submitted;
    soci::indicator last_ind = soci::i_null;
    sql << "SELECT MAX(submitted_at) FROM application_revision WHERE application_id = :id",
        soci::use(application, "id"), soci::into(last_submitted, last_ind);
    if (last_ind == soci::i_null)
        return false;
    sql << "SELECT count(*) FROM attachment WHERE id = :id AND uploaded_at <= :last",
        soci::use(key, "id"), soci::use(last_submitted, "last"), soci::into(count);
    return count > 0;
}

void delete_attachment(soci::session& sql, Id attachment_id) {
    long long key = attachment_id;
    sql << "DELETE FROM application_answer WHERE attachment_id = :id", soci::use(key, "id");
    sql << "DELETE FROM attachment_content WHERE attachment_id = :id", soci::use(key, "id");
    sql << "DELETE FROM attachment WHERE id = :id", soci::use(key, "id");
}

// --- Revisions ----------------------------------------------------------------------------

void insert_revision(soci::session& sql, Id id, int number, Id submitted_by,
                     const std::string& submitted_at, const std::string& document) {
    long long key = id, user = submitted_by;
    sql << "INSERT INTO application_revision (application_id, number, submitted_by,\n"
           "    submitted_at, document)\n"
           "VALUES (:id, :number, :user, :at, :document)",
        soci::use(key, "id"), soci::use(number, "number"), soci::use(user, "user"),
        soci::use(submitted_at, "at"), soci::use(document, "document");
}

std::vector<RevisionSummary> revisions(soci::session& sql, Id id) {
    long long key = id;
    RevisionSummary summary;
    soci::statement s =
        db::one_time(sql,
                     "SELECT r.number, r.submitted_at, u.name\n"
                     "FROM application_revision r JOIN app_user u ON u.id = r.submitted_by\n"
                     "WHERE r.application_id = :id ORDER BY r.number",
                     soci::use(key, "id"), soci::into(summary.number),
                     soci::into(summary.submitted_at), soci::into(summary.submitted_by_name));
    s.execute();
    std::vector<RevisionSummary> out;
    while (s.fetch())
        out.push_back(summary);
    return out;
}

std::optional<std::string> revision_document(soci::session& sql, Id id, int number) {
    long long key = id;
    std::string document;
    sql << "SELECT document FROM application_revision WHERE application_id = :id AND number = "
           ":number",
        soci::use(key, "id"), soci::use(number, "number"), soci::into(document);
    if (!sql.got_data())
        return std::nullopt;
    return document;
}

// --- Lists ----------------------------------------------------------------------------------

namespace {

long long count_of(soci::session& sql, const ListFilter& filter, ListBinding& binding,
                   const std::string& with, const std::string& where) {
    long long count = 0;
    soci::statement s(sql);
    s.exchange(soci::into(count));
    bind_list(s, filter, binding);
    db::prepare(s, with + "SELECT count(*) FROM application a\n" + where);
    s.execute(true);
    return count;
}

// Whether the list's count can be summed from the count tables: the staff
// lists' rows, filtered at most by the dimensions they keep (organisation,
// fund, status, and a theme in application_theme_count).
bool counted_by_group(const ListScope& scope, const ListFilter& filter, const ListBinding& b) {
    return scope.submitted_once_only && !scope.unit_ids && !filter.call_id &&
           !filter.programme_id && !filter.unit_id && !b.has_query() && !b.by_reference;
}

// The count as a sum over a count table's few rows of the organisation
// (counted_by_group): application_staff_count (004_staff_count.*.sql), or
// for a theme application_theme_count (005_theme_count.*.sql), whose theme
// is bound as :theme. Every other value is an id or a status key (no text
// from outside), written into the SQL so that the expression can stand as
// a column of the page's statement.
std::string group_count_expression(const ListScope& scope, const ListFilter& filter,
                                   bool of_theme) {
    std::string sql = std::string("(SELECT coalesce(sum(g.applications), 0) FROM ") +
                      (of_theme ? "application_theme_count" : "application_staff_count") +
                      " g\n WHERE g.organisation_id = " + std::to_string(scope.organisation_id);
    if (of_theme)
        sql += " AND g.theme = :theme";
    if (scope.fund_ids)
        sql += " AND g.fund_id IN (" + id_list(*scope.fund_ids) + ")";
    if (filter.fund_id)
        sql += " AND g.fund_id = " + std::to_string(*filter.fund_id);
    if (filter.status)
        sql += " AND g.status = '" + std::string(status_key(*filter.status)) + "'";
    return sql + ")";
}

// How many rows a theme's list has, and the staff list has without the
// theme (both from the count tables).
struct ThemeCounts {
    long long theme = 0, listed = 0;
};

// Its statement, kept prepared per text like a page's (PreparedByText).
struct PreparedThemeCounts {
    explicit PreparedThemeCounts(soci::session& sql) : statement(sql) {}
    soci::statement statement;
    std::string theme;
    ThemeCounts counts;
};

ThemeCounts theme_counts(db::Connection& connection, const ListScope& scope,
                         const ListFilter& filter, const std::string& theme) {
    const std::string text = "SELECT " + group_count_expression(scope, filter, true) + ",\n" +
                             group_count_expression(scope, filter, false);
    auto& entry = connection.local<PreparedByText<PreparedThemeCounts>>().get(
        text, [](PreparedThemeCounts& made) {
            made.statement.exchange(soci::into(made.counts.theme));
            made.statement.exchange(soci::into(made.counts.listed));
            made.statement.exchange(soci::use(made.theme, "theme"));
        });
    entry.theme = theme;
    entry.statement.execute(true);
    return entry.counts;
}

// Whether a theme's page is found faster along the sort's index, each
// listed row tested against the set of the theme's ids (list_conditions),
// stopping at the page's end, than from the theme's rows, each looked up
// and all of them sorted. Along the index the page ends after about
// (offset + limit) × listed / theme rows, the theme spread evenly; a row
// read and tested there costs a fifth or less of a row looked up and
// sorted. Oslo's 1 794 "velferdsteknologi" of 9 953: page 1 reads about
// 300 rows along the index (1.0 against 6.4 ms on PostgreSQL); a rare
// theme or a deep page is read from the theme's rows.
bool theme_by_probe(long long rows_to_page_end, const ThemeCounts& counts) {
    if (counts.theme <= 0)
        return false;
    const long long along_index =
        std::min(counts.listed, rows_to_page_end * counts.listed / counts.theme);
    return along_index <= 4 * counts.theme;
}

long long group_count_of(soci::session& sql, const ListScope& scope, const ListFilter& filter) {
    long long count = 0;
    soci::statement s = db::one_time(sql, "SELECT " + group_count_expression(scope, filter, false),
                                     soci::into(count));
    s.execute(true);
    return count;
}

} // namespace

ListPage list_applications(db::Connection& connection, db::Engine engine, const ListScope& scope,
                           const ListFilter& filter) {
    soci::session& sql = connection.session();
    ListPage page;
    page.page = filter.page;
    page.per_page = filter.per_page;
    ListBinding binding = list_binding(engine, scope, filter);
    long long limit = filter.per_page;
    long long offset = static_cast<long long>(filter.page - 1) * filter.per_page;
    // A theme counted by its table: the count comes first, and decides how
    // the page is found (theme_by_probe).
    std::optional<long long> theme_total;
    if (filter.theme && counted_by_group(scope, filter, binding)) {
        const ThemeCounts counts = theme_counts(connection, scope, filter, binding.theme);
        theme_total = counts.theme;
        binding.theme_by_probe = theme_by_probe(offset + limit, counts);
    }
    const std::string with = with_matches(engine, scope, binding);
    const std::string where = list_conditions(engine, scope, filter, binding);
    const bool few_matches =
        binding.has_query() || (filter.theme.has_value() && !binding.theme_by_probe);
    const std::string paging = binding.values_in_text ? "LIMIT " + std::to_string(limit) +
                                                            " OFFSET " + std::to_string(offset)
                                                      : "LIMIT :limit OFFSET :offset";
    const std::string page_ids = page_ids_from(engine, scope, filter, few_matches) + where + "\n" +
                                 order_by(filter) + "\n" + paging;
    // The page's ids first, in the order's index and with only the joins
    // the conditions need; then the 50 rows are joined to their call and
    // unit and put in order again, in the same statement. The count comes
    // with them when it can:
    // - a theme counted by its table: already known;
    // - a search or another theme: every match is read anyway (to be put
    //   in order), so the ids and the number of matches come from one
    //   evaluation (the theme's count alone was half of its page's time:
    //   Oslo's 1 854 rows of a theme probed twice);
    // - otherwise summed from the groups' counts when the filter allows
    //   (counted_by_group), else counted by a statement of its own that
    //   joins nothing it does not filter on, so that it reads one index
    //   alone (the staff lists' partial indexes, 001_applications.sql).
    const bool counted_with_matches = few_matches && !theme_total;
    const bool by_group = !filter.theme && !few_matches && counted_by_group(scope, filter, binding);
    std::string ids = "SELECT a.id\n", count_column = "\n";
    if (counted_with_matches) {
        ids = "SELECT a.id, count(*) OVER () AS total\n";
        count_column = ", page.total\n";
    } else if (by_group) {
        count_column = ",\n       " + group_count_expression(scope, filter, false) + "\n";
    }
    const bool counted = counted_with_matches || by_group;
    const std::string text = with + PAGE_SELECT_COLUMNS + count_column + "FROM (" + ids + page_ids +
                             ") page\n" + PAGE_JOINS + order_by(filter);
    // The text fixes which variables the statement binds (list_conditions
    // and bind_list follow the same filter), so an entry made for another
    // filter of the same text binds the same ones.
    auto bind = [&](PreparedPage& entry) {
        entry.binding = binding; // bind_list reads what it binds from it
        entry.row.bind(entry.statement);
        if (counted)
            entry.statement.exchange(soci::into(entry.total));
        bind_list(entry.statement, filter, entry.binding);
        if (!binding.values_in_text) {
            entry.statement.exchange(soci::use(entry.limit, "limit"));
            entry.statement.exchange(soci::use(entry.offset, "offset"));
        }
    };
    auto run = [&](PreparedPage& entry) {
        entry.binding = binding;
        entry.limit = limit;
        entry.offset = offset;
        entry.statement.execute();
        while (entry.statement.fetch())
            page.rows.push_back(entry.row.finish());
        return entry.total;
    };
    long long total = 0;
    if (binding.has_query()) {
        // A search is planned for its words (the matches' estimate decides
        // the plan, with_matches), so its statement is not kept.
        PreparedPage once(sql);
        bind(once);
        db::prepare(once.statement, text);
        total = run(once);
    } else {
        total = run(connection.local<PreparedByText<PreparedPage>>().get(text, bind));
    }
    if (theme_total)
        page.total = *theme_total;
    else if (!counted || (counted_with_matches && page.rows.empty()))
        page.total = count_of(sql, filter, binding, with, where);
    else if (page.rows.empty()) // no row to carry it: a page past the end, or none at all
        page.total = group_count_of(sql, scope, filter);
    else
        page.total = total;
    return page;
}

ListChoices list_choices(db::Connection& connection, Id organisation_id,
                         const std::optional<std::vector<Id>>& fund_ids) {
    const std::string organisation = std::to_string(organisation_id);
    const std::string in_funds = fund_ids ? " AND f.id IN (" + id_list(*fund_ids) + ")" : "";
    // The funds' order of list_funds (funds/store.cpp): active, newest first.
    const std::string fund_order = "f.active DESC, f.first_year DESC, f.name, f.id";
    // The three lists in one statement, each numbered in its own order:
    // on PostgreSQL every statement is a round trip and a plan, and this
    // is on every staff list page. The organisation's id is written into
    // the text, as the funds' are (integers, nothing from outside).
    const std::string text =
        "SELECT part, id, label, grp FROM (\n"
        "    SELECT 0 AS part, row_number() OVER (ORDER BY name, id) AS position, id,\n"
        "           name AS label, '' AS grp\n"
        "    FROM org_unit\n"
        "    WHERE organisation_id = " +
        organisation +
        " AND kind = 'service_unit'\n"
        "    UNION ALL\n"
        "    SELECT 1, row_number() OVER (ORDER BY " +
        fund_order +
        ", p.sort_order, p.id), p.id, p.name, f.name\n"
        "    FROM programme p JOIN fund f ON f.id = p.fund_id\n"
        "    WHERE f.organisation_id = " +
        organisation + in_funds +
        "\n"
        "    UNION ALL\n"
        "    SELECT 2, row_number() OVER (ORDER BY " +
        fund_order +
        ", c.id DESC), c.id, c.title, f.name\n"
        "    FROM fund_call c JOIN fund f ON f.id = c.fund_id\n"
        "    WHERE f.organisation_id = " +
        organisation + in_funds +
        ") choices\n"
        "ORDER BY part, position";
    PreparedChoices& prepared =
        connection.local<PreparedByText<PreparedChoices>>().get(text, [](PreparedChoices& entry) {
            entry.statement.exchange(soci::into(entry.part));
            entry.statement.exchange(soci::into(entry.row.id));
            entry.statement.exchange(soci::into(entry.row.label));
            entry.statement.exchange(soci::into(entry.row.group));
        });
    prepared.statement.execute();
    ListChoices choices;
    std::vector<ListChoice>* lists[] = {&choices.units, &choices.programmes, &choices.calls};
    while (prepared.statement.fetch())
        lists[prepared.part]->push_back(prepared.row);
    for (const auto& programme : choices.programmes)
        choices.several_funds =
            choices.several_funds || programme.group != choices.programmes.front().group;
    return choices;
}

void for_each_application(soci::session& sql, db::Engine engine, const ListScope& scope,
                          const ListFilter& filter,
                          const std::function<void(const ListRow&)>& visit) {
    ListBinding binding = list_binding(engine, scope, filter);
    ListRowBinding row;
    soci::statement s(sql);
    row.bind(s);
    bind_list(s, filter, binding);
    db::prepare(s, with_matches(engine, scope, binding) + LIST_SELECT +
                       list_conditions(engine, scope, filter, binding) + "\n" + order_by(filter));
    s.execute();
    while (s.fetch())
        visit(row.finish());
}

std::vector<identity::OrgUnit> service_units(soci::session& sql, Id organisation_id) {
    long long organisation = organisation_id;
    identity::OrgUnit unit;
    long long parent = 0;
    soci::indicator parent_ind = soci::i_null;
    std::string kind;
    int active = 1;
    soci::statement s =
        db::one_time(sql,
                     "SELECT id, organisation_id, parent_id, kind, name, active\n"
                     "FROM org_unit WHERE organisation_id = :organisation\n"
                     "ORDER BY name, id",
                     soci::use(organisation, "organisation"), soci::into(unit.id),
                     soci::into(unit.organisation_id), soci::into(parent, parent_ind),
                     soci::into(kind), soci::into(unit.name), soci::into(active));
    s.execute();
    std::vector<identity::OrgUnit> units;
    while (s.fetch()) {
        identity::OrgUnit copy = unit;
        copy.parent_id = optional_of<Id>(parent, parent_ind);
        copy.kind = identity::parse_unit_kind(kind).value_or(identity::UnitKind::ServiceUnit);
        copy.active = active != 0;
        units.push_back(std::move(copy));
    }
    return units;
}

// --- Notification recipients ---------------------------------------------------------

std::optional<Contact> active_user_contact(soci::session& sql, Id user_id) {
    long long key = user_id;
    Contact contact;
    sql << "SELECT name, email FROM app_user WHERE id = :id AND active = 1", soci::use(key, "id"),
        soci::into(contact.name), soci::into(contact.email);
    if (!sql.got_data())
        return std::nullopt;
    return contact;
}

std::vector<Contact> unit_leader_contacts(soci::session& sql, Id organisation_id, Id unit_id) {
    long long organisation = organisation_id, unit = unit_id;
    Contact row;
    soci::statement statement =
        db::one_time(sql,
                     "SELECT DISTINCT u.name, u.email\n"
                     "FROM role_grant g JOIN app_user u ON u.id = g.user_id\n"
                     "WHERE g.organisation_id = :organisation AND g.role = 'unit_leader'\n"
                     "  AND (g.unit_id = :unit OR g.unit_id IS NULL) AND u.active = 1\n"
                     "ORDER BY u.email",
                     soci::use(organisation, "organisation"), soci::use(unit, "unit"),
                     soci::into(row.name), soci::into(row.email));
    std::vector<Contact> out;
    if (statement.execute(true)) {
        do {
            out.push_back(row);
        } while (statement.fetch());
    }
    return out;
}

} // namespace spire::applications::store
