#pragma once

// A recommendation's proposals from an allocation scenario (issue 7 §3): the
// fund manager turns what one method of a scenario funds into proposals,
// checks the justification of each and submits them. Pure, no I/O.
//
// For every application open for a proposal:
//   - funded by the scenario: granted, or partly granted when the scenario
//     funds part of the request; the amounts per year × programme rounded
//     down to whole kroner, since grants are decided in whole kroner and
//     rounding up could overdraw a cell the scenario filled to the øre;
//   - not funded: rejected (no amounts).
// A grant whose amounts all round to nothing counts as not funded.

#include "allocation/proposed.hpp"
#include "decisions/model.hpp"

#include <functional>
#include <string>
#include <vector>

namespace spire::decisions {

// The justifications the proposals start with (translated).
struct ScenarioTexts {
    std::string funded;
    std::function<std::string(long percent)> partly_funded; // percent of the request
    std::string not_funded;
};

std::vector<Proposal> proposals_from_scenario(const std::vector<allocation::ProposedGrant>& grants,
                                              const std::vector<Id>& open_applications,
                                              const ScenarioTexts& texts);

} // namespace spire::decisions
