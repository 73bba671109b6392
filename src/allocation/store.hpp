#pragma once

// SQL for allocation scenarios (migrations/allocation/001_allocation.sql,
// 002_scenario_calls.sql)
// and for the application data a scenario is built from. Every function runs
// inside the caller's transaction and decides nothing about permissions.

#include "allocation/settings.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace soci {
class session;
}

namespace spire::allocation::store {

struct SavedScenario {
    Id id = 0;
    Id organisation_id = 0;
    Id call_id = 0;
    ScenarioSettings settings;
    std::optional<std::string> seed;              // published, never changed
    std::optional<std::string> seed_published_at; // UTC, core/time.hpp format
    std::string created_by_name;
    std::string created_at;
};

struct RecordedDraw {
    Id scenario_id = 0;
    std::string seed;
    std::string record_json; // spire-lottery-record/1
    std::string drawn_by_name;
    std::string drawn_at;
};

// Inserts the scenario with its share limits and locks; its id.
Id insert_scenario(soci::session& sql, Id organisation_id, Id call_id,
                   const ScenarioSettings& settings, Id user_id, const std::string& now);
// The scenarios the call takes part in, newest first: its own and those it
// is an extra call of, with their limits, locks and extra calls.
std::vector<SavedScenario> list_scenarios(soci::session& sql, Id call_id);
std::optional<SavedScenario> find_scenario(soci::session& sql, Id scenario_id);

// Sets the seed of a scenario that has none yet; false when it already had
// one (nothing changed).
bool publish_seed(soci::session& sql, Id scenario_id, const std::string& seed, Id user_id,
                  const std::string& now);

std::optional<RecordedDraw> find_draw(soci::session& sql, Id scenario_id);
// The scenarios the call takes part in that have a recorded draw.
std::vector<Id> drawn_scenarios(soci::session& sql, Id call_id);
// Records the draw; false when the scenario already has one (nothing changed).
bool insert_draw(soci::session& sql, Id organisation_id, Id scenario_id, const std::string& seed,
                 const std::string& record_json, Id user_id, const std::string& now);

// What a scenario needs of each submitted application of a call beyond its
// ranking: its programme, unit, request, budget by year and themes.
struct ApplicationMoney {
    Id id = 0;
    Id programme_id = 0;
    Id unit_id = 0;
    Ore requested_ore = 0;
    std::optional<int> start_year;
    std::map<int, Ore> budget_by_year; // the budget lines, summed per year
    std::vector<std::string> themes;   // sorted
    // Decided already (decisions/): its grant, if any, is in the ledger, so
    // a scenario must neither fund it again nor count its money twice.
    bool decided = false;
};

// Submitted applications of the call, by id (three statements).
std::map<Id, ApplicationMoney> application_money(soci::session& sql, Id call_id);

} // namespace spire::allocation::store
