#pragma once

// Who may see and change a call's allocation scenarios (issue 7 §1). Pure;
// see core/decision.hpp. The same circle as the ranking page
// (review/ranking_policy.hpp), since a scenario shows every ranked
// application's rank and request:
//
//   fund manager of the call's fund     sees, builds scenarios, publishes the
//                                       lottery seed and draws
//   decision maker of the fund, auditor sees
//   anyone else                         Forbidden with the reason
//   other tenants                       NotFound
//
// Disqualification (forvaltningsloven § 6): a scenario weighs every
// application of the call against the others, so someone who declared a
// conflict for any of them may neither see nor change the call's scenarios
// (the ranking page can leave one row out; a portfolio cannot).

#include "core/decision.hpp"
#include "identity/model.hpp"

namespace spire::allocation {

enum class ScenarioAction {
    View,   // the list, a scenario, its export
    Manage, // create, publish the seed, draw
};

struct ScenarioResource {
    identity::Id organisation_id = 0; // the call's
    identity::Id fund_id = 0;
    // The user declared a conflict for at least one application of the call.
    bool user_has_conflict = false;
};

Decision authorize_scenario(const identity::Principal* user, ScenarioAction action,
                            const ScenarioResource& resource);

namespace message {
inline constexpr const char* SCENARIO_STAFF_ONLY =
    "Only the fund's managers and decision makers, and auditors, can see allocation scenarios.";
inline constexpr const char* SCENARIO_MANAGERS_ONLY =
    "Only the fund's managers can build allocation scenarios and draw lots.";
inline constexpr const char* SCENARIO_CONFLICT =
    "You have declared a conflict of interest for an application in this call, so you cannot "
    "see or change its allocation scenarios.";
} // namespace message

} // namespace spire::allocation
