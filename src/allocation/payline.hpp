#pragma once

// The payline (DESIGN.md §6): the traditional rule the council knows, shown
// beside the optimum so the difference is visible.
//
// Rank order is the ranking model's expected rank, ascending (1 = best); ties
// go to the higher value, then to the smaller id, so the order never depends
// on the input order. Candidates without a rank come after all ranked ones,
// by value (descending), then id. The value is deliberately *not* the
// primary key: the payline is "fund the best-ranked first", and the
// optimiser is where value is maximised.
//
// Walking down that order, a candidate is funded in full when its request
// fits what is left in every year × programme cell it asks from and its unit
// is below the grants-per-unit cap; otherwise it is skipped and the walk goes
// on (a smaller request further down may still fit). Locked-yes candidates
// are funded first whatever their rank; locked-no and below-threshold ones
// never. Partial funding and share limits are optimiser constraints: the
// payline funds whole requests and ignores share limits.

#include "allocation/model.hpp"

#include <vector>

namespace spire::allocation {

// The eligible candidates of `scenario` in rank order (see above).
std::vector<const Candidate*> rank_order(const Scenario& scenario);

// Expects a valid scenario (validate()). Infeasible only when the locked-yes
// candidates alone break a budget cell or the unit cap.
Allocation run_payline(const Scenario& scenario);

// The payline's grants alone (no cell use, no binding constraints): what the
// lottery needs to place its funding line. Empty when infeasible.
std::vector<Grant> payline_grants(const Scenario& scenario);

} // namespace spire::allocation
