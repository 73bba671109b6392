#pragma once

// The optimal portfolio (DESIGN.md §6): a mixed-integer programme solved
// with COIN-OR CBC through its C interface. docs/allocation-file.md gives the
// formulation in full; in short, over the eligible candidates i (not locked
// no, not below a threshold):
//
//   x_i ∈ {0, 1}  funded or not          f_i ∈ [0, 1]  funded fraction
//   (f_i is x_i itself unless partial funding is on)
//
//   maximise   Σ_i value_i · f_i
//   subject to Σ_i cost_ic · f_i <= budget_c          every year × programme c
//              min_share · x_i <= f_i <= x_i          partial funding
//              Σ_{i of unit u} x_i <= N               grants per unit
//              Σ_i (money_i(G) − s · cost_i) · f_i >= 0   min share s of group G
//              Σ_i (money_i(G) − s · cost_i) · f_i <= 0   max share s of group G
//              x_i = f_i = 1                          locked yes
//
// where money_i(G) is what i asks from programme G (a programme limit) or
// all of cost_i when i has theme G (a theme limit).
//
// Money enters the model in thousands of kroner, so coefficients stay
// between about 1 and 10^5 whatever the fund's size. The result goes back to
// integer øre: a partially funded candidate gets floor(f_i · cost_ic) in each
// cell (never more than its fraction), a fully funded one exactly its
// request. The rounded grants are then checked against every budget cell in
// øre; a cell still over budget (only possible through solver tolerances) is
// repaired by dropping its lowest-value unlocked grant, and `message` says so.
//
// First the LP relaxation is solved and its solution rounded to a portfolio
// (optimiser.cpp: rounded_start); when that meets every row and is within
// OptimiserSettings::relative_gap of the LP bound, it is proven good enough.
// Otherwise CBC's branch and cut stops when its solution is proven within the
// relative gap (default 1e-4 = 0.01 %) or at max_seconds. CBC's log is off.

#include "allocation/model.hpp"

namespace spire::allocation {

// Expects a valid scenario (validate()). Never throws for an infeasible
// scenario: the result says Infeasible and names the constraints to blame
// (locked-yes candidates over a budget cell or the unit cap are found before
// solving; otherwise each share limit, budget cell and the unit cap is left
// out in turn to find those without which a portfolio exists).
Allocation run_optimiser(const Scenario& scenario);

// The LP relaxation (every x_i continuous) of the same model: its optimum is
// an upper bound of the MIP's. Solve time in seconds and the bound, for the
// benchmark's same-run reference.
struct RelaxationResult {
    bool solved = false;
    double bound = 0;
    double seconds = 0;
};
RelaxationResult solve_relaxation(const Scenario& scenario);

} // namespace spire::allocation
