#include "allocation/store.hpp"

#include "db/statement.hpp"

#include <algorithm>
#include <soci/soci.h>

namespace spire::allocation::store {

namespace {

constexpr const char* SCENARIO_SELECT =
    "SELECT s.id, s.organisation_id, s.call_id, s.name, s.value_kind, s.partial_min_percent,\n"
    "    s.max_grants_per_unit, s.lottery_seed, s.seed_published_at, u.name, s.created_at\n"
    "FROM allocation_scenario s\n"
    "JOIN app_user u ON u.id = s.created_by\n";

// The scenarios a call takes part in: its own, and those it is an extra
// call of. Binds :call and :extra_call (both the call's id).
constexpr const char* SCENARIO_OF_CALL =
    "WHERE s.call_id = :call OR s.id IN (SELECT x.scenario_id FROM allocation_scenario_call x\n"
    "                                    WHERE x.call_id = :extra_call)";

struct ScenarioRow {
    long long id = 0, organisation_id = 0, call_id = 0;
    std::string name, value_kind, created_by, created_at;
    db::Nullable<int> partial, unit_cap;
    db::Nullable<std::string> seed, published_at;

    void bind(soci::statement& statement) {
        statement.exchange(soci::into(id));
        statement.exchange(soci::into(organisation_id));
        statement.exchange(soci::into(call_id));
        statement.exchange(soci::into(name));
        statement.exchange(soci::into(value_kind));
        statement.exchange(soci::into(partial.value, partial.indicator));
        statement.exchange(soci::into(unit_cap.value, unit_cap.indicator));
        statement.exchange(soci::into(seed.value, seed.indicator));
        statement.exchange(soci::into(published_at.value, published_at.indicator));
        statement.exchange(soci::into(created_by));
        statement.exchange(soci::into(created_at));
    }

    SavedScenario get() const {
        SavedScenario scenario;
        scenario.id = id;
        scenario.organisation_id = organisation_id;
        scenario.call_id = call_id;
        scenario.settings.name = name;
        scenario.settings.value = parse_value_kind(value_kind).value_or(ValueKind::Quality);
        scenario.settings.partial_min_percent = partial.get();
        scenario.settings.max_grants_per_unit = unit_cap.get();
        scenario.seed = seed.get();
        scenario.seed_published_at = published_at.get();
        scenario.created_by_name = created_by;
        scenario.created_at = created_at;
        return scenario;
    }
};

// "IN (1, 2, 3)" for the scenarios in `by_id`: ids the database gave, so
// writing them into the text is safe, and one statement serves any list.
std::string id_list(const std::map<Id, SavedScenario*>& by_id) {
    std::string text;
    for (const auto& [id, scenario] : by_id)
        text += (text.empty() ? "" : ", ") + std::to_string(id);
    return "IN (" + text + ")";
}

// The share limits, locks and extra calls of the scenarios in `by_id`
// (not empty), one statement each.
void add_details(soci::session& sql, std::map<Id, SavedScenario*>& by_id) {
    const std::string ids = id_list(by_id);
    {
        long long scenario = 0;
        std::string target, name;
        db::Nullable<int> min, max;
        soci::statement statement(sql);
        statement.exchange(soci::into(scenario));
        statement.exchange(soci::into(target));
        statement.exchange(soci::into(name));
        statement.exchange(soci::into(min.value, min.indicator));
        statement.exchange(soci::into(max.value, max.indicator));
        db::prepare(statement, "SELECT scenario_id, target, name, min_percent, max_percent\n"
                               "FROM allocation_share_limit\n"
                               "WHERE scenario_id " +
                                   ids + "\nORDER BY scenario_id, target, name");
        statement.execute();
        while (statement.fetch()) {
            auto found = by_id.find(scenario);
            if (found == by_id.end())
                continue;
            found->second->settings.share_limits.push_back(
                {target == "theme" ? ShareTarget::Theme : ShareTarget::Programme, name, min.get(),
                 max.get()});
        }
    }
    {
        long long scenario = 0, application = 0;
        std::string lock;
        soci::statement statement(sql);
        statement.exchange(soci::into(scenario));
        statement.exchange(soci::into(application));
        statement.exchange(soci::into(lock));
        db::prepare(statement, "SELECT scenario_id, application_id, lock\n"
                               "FROM allocation_lock\n"
                               "WHERE scenario_id " +
                                   ids + "\nORDER BY scenario_id, application_id");
        statement.execute();
        while (statement.fetch()) {
            auto found = by_id.find(scenario);
            if (found != by_id.end())
                found->second->settings.locks[application] = lock == "yes" ? Lock::Yes : Lock::No;
        }
    }
    long long scenario = 0, call = 0;
    soci::statement statement(sql);
    statement.exchange(soci::into(scenario));
    statement.exchange(soci::into(call));
    db::prepare(statement, "SELECT scenario_id, call_id\n"
                           "FROM allocation_scenario_call\n"
                           "WHERE scenario_id " +
                               ids + "\nORDER BY scenario_id, call_id");
    statement.execute();
    while (statement.fetch()) {
        if (auto found = by_id.find(scenario); found != by_id.end())
            found->second->settings.extra_calls.push_back(call);
    }
}

} // namespace

Id insert_scenario(soci::session& sql, Id organisation_id, Id call_id,
                   const ScenarioSettings& settings, Id user_id, const std::string& now) {
    long long id = 0, organisation = organisation_id, call = call_id, user = user_id;
    std::string kind(value_kind_key(settings.value));
    db::Nullable<int> partial(settings.partial_min_percent), cap(settings.max_grants_per_unit);
    sql << "INSERT INTO allocation_scenario (organisation_id, call_id, name, value_kind,\n"
           "    partial_min_percent, max_grants_per_unit, created_by, created_at)\n"
           "VALUES (:org, :call, :name, :kind, :partial, :cap, :user, :now) RETURNING id",
        soci::use(organisation, "org"), soci::use(call, "call"), soci::use(settings.name, "name"),
        soci::use(kind, "kind"), soci::use(partial.value, partial.indicator, "partial"),
        soci::use(cap.value, cap.indicator, "cap"), soci::use(user, "user"), soci::use(now, "now"),
        soci::into(id);
    for (const auto& limit : settings.share_limits) {
        std::string target(share_target_key(limit.target));
        db::Nullable<int> min(limit.min_percent), max(limit.max_percent);
        sql << "INSERT INTO allocation_share_limit (scenario_id, target, name, min_percent,\n"
               "    max_percent)\n"
               "VALUES (:scenario, :target, :name, :min, :max)",
            soci::use(id, "scenario"), soci::use(target, "target"), soci::use(limit.name, "name"),
            soci::use(min.value, min.indicator, "min"), soci::use(max.value, max.indicator, "max");
    }
    for (const auto& [application_id, lock] : settings.locks) {
        long long application = application_id;
        std::string key(lock_key(lock));
        sql << "INSERT INTO allocation_lock (scenario_id, application_id, lock)\n"
               "VALUES (:scenario, :application, :lock)",
            soci::use(id, "scenario"), soci::use(application, "application"),
            soci::use(key, "lock");
    }
    for (Id call_id : settings.extra_calls) {
        long long extra = call_id;
        sql << "INSERT INTO allocation_scenario_call (scenario_id, organisation_id, call_id)\n"
               "VALUES (:scenario, :org, :call)",
            soci::use(id, "scenario"), soci::use(organisation, "org"), soci::use(extra, "call");
    }
    return id;
}

std::vector<SavedScenario> list_scenarios(soci::session& sql, Id call_id) {
    long long call = call_id;
    ScenarioRow row;
    soci::statement statement(sql);
    row.bind(statement);
    statement.exchange(soci::use(call, "call"));
    statement.exchange(soci::use(call, "extra_call"));
    // allocation_scenario_by_call (call_id, id) and
    // allocation_scenario_call_by_call (call_id, scenario_id).
    db::prepare(statement,
                std::string(SCENARIO_SELECT) + SCENARIO_OF_CALL + "\nORDER BY s.id DESC");
    statement.execute();
    std::vector<SavedScenario> scenarios;
    while (statement.fetch())
        scenarios.push_back(row.get());
    std::map<Id, SavedScenario*> by_id;
    for (auto& scenario : scenarios)
        by_id[scenario.id] = &scenario;
    if (!scenarios.empty())
        add_details(sql, by_id);
    return scenarios;
}

std::optional<SavedScenario> find_scenario(soci::session& sql, Id scenario_id) {
    long long id = scenario_id;
    ScenarioRow row;
    soci::statement statement(sql);
    row.bind(statement);
    statement.exchange(soci::use(id, "id"));
    db::prepare(statement, std::string(SCENARIO_SELECT) + "WHERE s.id = :id");
    statement.execute();
    if (!statement.fetch())
        return std::nullopt;
    SavedScenario scenario = row.get();
    std::map<Id, SavedScenario*> by_id{{scenario.id, &scenario}};
    add_details(sql, by_id);
    return scenario;
}

bool publish_seed(soci::session& sql, Id scenario_id, const std::string& seed, Id user_id,
                  const std::string& now) {
    long long id = scenario_id, user = user_id;
    soci::statement statement =
        (sql.prepare << "UPDATE allocation_scenario\n"
                        "SET lottery_seed = :seed, seed_published_at = :now,\n"
                        "    seed_published_by = :user\n"
                        "WHERE id = :id AND lottery_seed IS NULL",
         soci::use(seed, "seed"), soci::use(now, "now"), soci::use(user, "user"),
         soci::use(id, "id"));
    statement.execute(true);
    return statement.get_affected_rows() == 1;
}

std::optional<RecordedDraw> find_draw(soci::session& sql, Id scenario_id) {
    long long id = scenario_id;
    RecordedDraw draw;
    draw.scenario_id = scenario_id;
    sql << "SELECT d.seed, d.record_json, u.name, d.drawn_at\n"
           "FROM allocation_lottery_draw d\n"
           "JOIN app_user u ON u.id = d.drawn_by\n"
           "WHERE d.scenario_id = :id",
        soci::use(id, "id"), soci::into(draw.seed), soci::into(draw.record_json),
        soci::into(draw.drawn_by_name), soci::into(draw.drawn_at);
    if (!sql.got_data())
        return std::nullopt;
    return draw;
}

std::vector<Id> drawn_scenarios(soci::session& sql, Id call_id) {
    long long call = call_id, scenario = 0;
    soci::statement statement(sql);
    statement.exchange(soci::into(scenario));
    statement.exchange(soci::use(call, "call"));
    statement.exchange(soci::use(call, "extra_call"));
    db::prepare(statement, "SELECT d.scenario_id\n"
                           "FROM allocation_lottery_draw d\n"
                           "JOIN allocation_scenario s ON s.id = d.scenario_id\n" +
                               std::string(SCENARIO_OF_CALL));
    statement.execute();
    std::vector<Id> drawn;
    while (statement.fetch())
        drawn.push_back(scenario);
    return drawn;
}

bool insert_draw(soci::session& sql, Id organisation_id, Id scenario_id, const std::string& seed,
                 const std::string& record_json, Id user_id, const std::string& now) {
    long long id = scenario_id, organisation = organisation_id, user = user_id;
    // The primary key refuses a second draw; ON CONFLICT makes that a
    // plain "nothing inserted" on both engines instead of an exception that
    // would end the transaction on PostgreSQL.
    soci::statement statement =
        (sql.prepare << "INSERT INTO allocation_lottery_draw (scenario_id, organisation_id, seed,\n"
                        "    record_json, drawn_by, drawn_at)\n"
                        "VALUES (:id, :org, :seed, :record, :user, :now)\n"
                        "ON CONFLICT (scenario_id) DO NOTHING",
         soci::use(id, "id"), soci::use(organisation, "org"), soci::use(seed, "seed"),
         soci::use(record_json, "record"), soci::use(user, "user"), soci::use(now, "now"));
    statement.execute(true);
    return statement.get_affected_rows() == 1;
}

std::map<Id, ApplicationMoney> application_money(soci::session& sql, Id call_id) {
    long long call = call_id;
    std::map<Id, ApplicationMoney> applications;
    {
        long long id = 0, programme = 0, unit = 0, requested = 0;
        int decided = 0;
        db::Nullable<int> start;
        soci::statement statement(sql);
        statement.exchange(soci::into(id));
        statement.exchange(soci::into(programme));
        statement.exchange(soci::into(unit));
        statement.exchange(soci::into(requested));
        statement.exchange(soci::into(start.value, start.indicator));
        statement.exchange(soci::into(decided));
        statement.exchange(soci::use(call, "call"));
        // application_by_call (call_id, status, id); grant_decision's unique
        // application_id for the decided ones.
        db::prepare(statement,
                    "SELECT a.id, a.programme_id, a.unit_id, a.requested_ore, a.start_year,\n"
                    "    CASE WHEN EXISTS (SELECT 1 FROM grant_decision d\n"
                    "                      WHERE d.application_id = a.id) THEN 1 ELSE 0 END\n"
                    "FROM application a\n"
                    "WHERE a.call_id = :call AND a.status = 'submitted'\n"
                    "ORDER BY a.id");
        statement.execute();
        while (statement.fetch())
            applications[id] = {id, programme, unit, requested, start.get(), {}, {}, decided != 0};
    }
    {
        long long id = 0, amount = 0;
        int year = 0;
        soci::statement statement(sql);
        statement.exchange(soci::into(id));
        statement.exchange(soci::into(year));
        statement.exchange(soci::into(amount));
        statement.exchange(soci::use(call, "call"));
        db::prepare(statement,
                    "SELECT b.application_id, b.year, CAST(SUM(b.amount_ore) AS BIGINT)\n"
                    "FROM application_budget_line b\n"
                    "JOIN application a ON a.id = b.application_id\n"
                    "WHERE a.call_id = :call AND a.status = 'submitted'\n"
                    "GROUP BY b.application_id, b.year");
        statement.execute();
        while (statement.fetch()) {
            if (auto found = applications.find(id); found != applications.end())
                found->second.budget_by_year[year] = amount;
        }
    }
    long long id = 0;
    std::string theme;
    soci::statement statement(sql);
    statement.exchange(soci::into(id));
    statement.exchange(soci::into(theme));
    statement.exchange(soci::use(call, "call"));
    db::prepare(statement, "SELECT t.application_id, t.theme\n"
                           "FROM application_theme t\n"
                           "JOIN application a ON a.id = t.application_id\n"
                           "WHERE a.call_id = :call AND a.status = 'submitted'\n"
                           "ORDER BY t.application_id, t.theme");
    statement.execute();
    while (statement.fetch()) {
        if (auto found = applications.find(id); found != applications.end())
            found->second.themes.push_back(theme);
    }
    return applications;
}

} // namespace spire::allocation::store
