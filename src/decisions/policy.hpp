#pragma once

// Who may do what with recommendations and decisions (DESIGN.md §1): the
// fund's managers prepare recommendations; decision makers (for the fund or
// the whole organisation) record decisions; both and auditors read them.
// Applicants read their own decision letter through their application page
// (the applications service decides who sees an application).

#include "core/decision.hpp"
#include "identity/model.hpp"

namespace spire::decisions {

using identity::Id;
using identity::Principal;

enum class DecisionsAction {
    View,      // recommendations, decisions and letters of the fund
    Recommend, // create and submit recommendations
    Decide,    // approve, adjust or reject a recommendation; record decisions
    // Record the external funder's answer to a conditional decision: a fact
    // the fund's managers learn and enter, which carries out the decision
    // already made (it decides nothing).
    RecordExternalAnswer,
};

inline constexpr DecisionsAction ALL_DECISIONS_ACTIONS[] = {
    DecisionsAction::View, DecisionsAction::Recommend, DecisionsAction::Decide,
    DecisionsAction::RecordExternalAnswer};

struct DecisionsResource {
    Id organisation_id = 0;
    Id fund_id = 0;
};

namespace reason {
inline constexpr const char* VIEW =
    "Only the fund's managers, decision makers and auditors can see recommendations and decisions.";
inline constexpr const char* RECOMMEND = "Only the fund's managers can prepare recommendations.";
inline constexpr const char* DECIDE = "Only a decision maker can record decisions.";
inline constexpr const char* EXTERNAL_ANSWER =
    "Only the fund's managers can record the external funder's answer.";
} // namespace reason

Decision authorize(const Principal* user, DecisionsAction action,
                   const DecisionsResource& resource);

} // namespace spire::decisions
