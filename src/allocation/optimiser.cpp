#include "allocation/optimiser.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <coin/Cbc_C_Interface.h>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <set>

namespace spire::allocation {

namespace {

// Money in the model is in thousands of kroner (see optimiser.hpp).
constexpr double ORE_PER_MODEL_UNIT = 100'000;
// A solver value this close to 0 or 1 is taken as exactly that.
constexpr double FRACTION_TOLERANCE = 1e-9;
// How far our own check lets a row be violated (model units: thousands of
// kroner, so a hundredth of an øre), like CBC's primal tolerance.
constexpr double ROW_TOLERANCE = 1e-7;
// CBC's "no bound" (COIN_DBL_MAX, which only its C++ headers define).
constexpr double NO_BOUND = std::numeric_limits<double>::max();
// Øre added before rounding a partial grant down (see grant_from).
constexpr double ROUNDING_NUDGE = 1e-6;
// A share within this many share points of its limit counts as at the limit.
constexpr double SHARE_TOLERANCE = 1e-4;

double model_money(Ore ore) {
    return static_cast<double>(ore) / ORE_PER_MODEL_UNIT;
}

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

struct CbcDeleter {
    void operator()(Cbc_Model* model) const { Cbc_deleteModel(model); }
};
using CbcModel = std::unique_ptr<Cbc_Model, CbcDeleter>;

// One linear constraint before it goes to CBC. `group` names what it belongs
// to for the infeasibility diagnosis ("budget 2024/risk_capital").
struct Row {
    std::string group;
    std::vector<int> columns;
    std::vector<double> coefficients;
    char sense = 'L'; // 'L' <=, 'G' >=
    double rhs = 0;

    void add(int column, double coefficient) {
        if (coefficient == 0)
            return;
        columns.push_back(column);
        coefficients.push_back(coefficient);
    }
};

enum class Integrality { Integer, Relaxed };

// The MIP of optimiser.hpp for the eligible candidates of a scenario.
// Column i is x_i; with partial funding, column n + i is f_i. "The money
// column" of i is the one whose value is the funded fraction.
class Formulation {
public:
    explicit Formulation(const Scenario& scenario) : m_scenario(scenario) {
        for (const auto& candidate : scenario.candidates) {
            if (candidate.eligible())
                m_candidates.push_back(&candidate);
        }
        m_partial = scenario.constraints.partial_funding.has_value();
        add_budget_rows();
        add_partial_rows();
        add_unit_rows();
        add_share_rows();
    }

    const std::vector<const Candidate*>& candidates() const { return m_candidates; }
    bool partial() const { return m_partial; }
    int money_column(std::size_t i) const { return int(m_partial ? m_candidates.size() + i : i); }

    // The constraint groups that can be left out to diagnose infeasibility.
    std::vector<std::string> groups() const {
        std::vector<std::string> names;
        for (const auto& row : m_rows) {
            if (!row.group.empty() &&
                std::find(names.begin(), names.end(), row.group) == names.end())
                names.push_back(row.group);
        }
        return names;
    }

    // Whether `solution` meets every row, to within ROW_TOLERANCE.
    bool satisfies(const std::vector<double>& solution) const {
        for (const auto& row : m_rows) {
            double activity = 0;
            for (std::size_t k = 0; k < row.columns.size(); ++k)
                activity += row.coefficients[k] * solution[row.columns[k]];
            if (row.sense == 'L' ? activity > row.rhs + ROW_TOLERANCE
                                 : activity < row.rhs - ROW_TOLERANCE)
                return false;
        }
        return true;
    }

    // A CBC model of the formulation without the rows of `left_out` groups.
    // Loaded in one call from a column-major matrix: adding rows one by one
    // through the C interface copies the matrix each time (seconds for
    // 2 000 candidates).
    CbcModel build(Integrality integrality, const std::set<std::string>& left_out = {}) const {
        const std::size_t n = m_candidates.size();
        const std::size_t columns = m_partial ? 2 * n : n;
        std::vector<double> lower(columns, 0), upper(columns, 1), objective(columns, 0);
        for (std::size_t i = 0; i < n; ++i) {
            double locked = m_candidates[i]->lock == Lock::Yes ? 1 : 0;
            lower[i] = locked;
            lower[money_column(i)] = locked;
            objective[money_column(i)] = m_candidates[i]->value;
        }
        std::vector<const Row*> rows;
        for (const auto& row : m_rows) {
            if (!left_out.count(row.group))
                rows.push_back(&row);
        }
        std::vector<double> row_lower, row_upper;
        std::vector<std::vector<std::pair<int, double>>> by_column(columns);
        for (std::size_t r = 0; r < rows.size(); ++r) {
            const auto& row = *rows[r];
            row_lower.push_back(row.sense == 'G' ? row.rhs : -NO_BOUND);
            row_upper.push_back(row.sense == 'L' ? row.rhs : NO_BOUND);
            for (std::size_t k = 0; k < row.columns.size(); ++k)
                by_column[row.columns[k]].push_back({int(r), row.coefficients[k]});
        }
        std::vector<CoinBigIndex> starts{0};
        std::vector<int> indices;
        std::vector<double> values;
        for (const auto& column : by_column) {
            for (const auto& [row, value] : column) {
                indices.push_back(row);
                values.push_back(value);
            }
            starts.push_back(CoinBigIndex(indices.size()));
        }

        CbcModel model(Cbc_newModel());
        Cbc_setLogLevel(model.get(), 0);
        Cbc_loadProblem(model.get(), int(columns), int(rows.size()), starts.data(), indices.data(),
                        values.data(), lower.data(), upper.data(), objective.data(),
                        row_lower.data(), row_upper.data());
        Cbc_setObjSense(model.get(), -1); // maximise
        if (integrality == Integrality::Integer) {
            for (std::size_t i = 0; i < n; ++i)
                Cbc_setInteger(model.get(), int(i));
        }
        return model;
    }

private:
    void add_budget_rows() {
        std::map<Cell, Row> rows;
        for (std::size_t i = 0; i < m_candidates.size(); ++i) {
            for (const auto& cost : m_candidates[i]->costs)
                rows[cost.cell].add(money_column(i), model_money(cost.amount));
        }
        for (auto& [cell, row] : rows) {
            row.group = "budget " + cell_name(cell);
            row.rhs = model_money(m_scenario.budget(cell).value_or(0));
            m_rows.push_back(std::move(row));
        }
    }

    // min_share · x_i <= f_i <= x_i: not a group to leave out (it defines f).
    void add_partial_rows() {
        if (!m_partial)
            return;
        const double min_share = m_scenario.constraints.partial_funding->min_share;
        for (std::size_t i = 0; i < m_candidates.size(); ++i) {
            Row upper;
            upper.add(money_column(i), 1);
            upper.add(int(i), -1);
            m_rows.push_back(std::move(upper));
            Row lower;
            lower.add(money_column(i), 1);
            lower.add(int(i), -min_share);
            lower.sense = 'G';
            m_rows.push_back(std::move(lower));
        }
    }

    void add_unit_rows() {
        const auto cap = m_scenario.constraints.max_grants_per_unit;
        if (!cap)
            return;
        std::map<std::string_view, Row> rows;
        for (std::size_t i = 0; i < m_candidates.size(); ++i) {
            if (!m_candidates[i]->unit.empty())
                rows[m_candidates[i]->unit].add(int(i), 1);
        }
        for (auto& [unit, row] : rows) {
            if (int(row.columns.size()) <= *cap)
                continue; // cannot bind
            row.group = "max_grants_per_unit";
            row.rhs = *cap;
            m_rows.push_back(std::move(row));
        }
    }

    // The money candidate i brings to the group of `limit`.
    static Ore group_money(const Candidate& candidate, const ShareLimit& limit) {
        if (limit.target == ShareTarget::Programme)
            return candidate.cost_in_programme(limit.name);
        return candidate.has_theme(limit.name) ? candidate.total_cost() : 0;
    }

    void add_share_row(const ShareLimit& limit, double share, char sense, const char* kind) {
        Row row;
        row.group = std::string(kind) + " " + share_limit_name(limit);
        row.sense = sense;
        for (std::size_t i = 0; i < m_candidates.size(); ++i) {
            const auto& candidate = *m_candidates[i];
            row.add(money_column(i), model_money(group_money(candidate, limit)) -
                                         share * model_money(candidate.total_cost()));
        }
        m_rows.push_back(std::move(row));
    }

    void add_share_rows() {
        for (const auto& limit : m_scenario.constraints.share_limits) {
            if (limit.min && *limit.min > 0)
                add_share_row(limit, *limit.min, 'G', "share_min");
            if (limit.max && *limit.max < 1)
                add_share_row(limit, *limit.max, 'L', "share_max");
        }
    }

    const Scenario& m_scenario;
    std::vector<const Candidate*> m_candidates;
    bool m_partial = false;
    std::vector<Row> m_rows;
};

struct Solved {
    bool has_solution = false;
    std::vector<double> solution;
    SolveStatus status = SolveStatus::NoSolution;
    double bound = 0;
    double seconds = 0;
};

Solved solve(Cbc_Model* model, const OptimiserSettings& settings) {
    Cbc_setAllowableFractionGap(model, settings.relative_gap);
    Cbc_setMaximumSeconds(model, settings.max_seconds);
    auto start = Clock::now();
    Cbc_solve(model);
    Solved solved;
    solved.seconds = seconds_since(start);
    const double* best = Cbc_bestSolution(model);
    if (best) {
        solved.has_solution = true;
        solved.solution.assign(best, best + Cbc_getNumCols(model));
    }
    solved.bound = Cbc_getBestPossibleObjValue(model);
    if (Cbc_isProvenInfeasible(model) || Cbc_isInitialSolveProvenPrimalInfeasible(model))
        solved.status = SolveStatus::Infeasible;
    else if (!solved.has_solution)
        solved.status = SolveStatus::NoSolution;
    else if (Cbc_isProvenOptimal(model))
        solved.status = SolveStatus::Optimal;
    else if (Cbc_isSecondsLimitReached(model))
        solved.status = SolveStatus::TimeLimit;
    else
        solved.status = SolveStatus::Feasible;
    return solved;
}

// Spends what the rounding freed: best value per krone first, a candidate
// gets the largest fraction the money left in its cells allows (at least
// min_share, or all of it without partial funding), within the unit cap.
void refill(const Formulation& formulation, const Scenario& scenario, std::vector<double>& start) {
    const auto& candidates = formulation.candidates();
    const bool partial = formulation.partial();
    const double min_share = partial ? scenario.constraints.partial_funding->min_share : 1.0;
    std::map<Cell, double> left;
    for (const auto& budget : scenario.budgets)
        left[budget.cell] = double(budget.amount);
    std::map<std::string_view, int> per_unit;
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        double fraction = start[formulation.money_column(i)];
        for (const auto& cost : candidates[i]->costs)
            left[cost.cell] -= fraction * double(cost.amount);
        if (start[i] > 0.5 && !candidates[i]->unit.empty())
            ++per_unit[candidates[i]->unit];
        if (fraction < 1 - FRACTION_TOLERANCE && candidates[i]->value > 0)
            order.push_back(i);
    }
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return candidates[a]->value * double(candidates[b]->total_cost()) >
               candidates[b]->value * double(candidates[a]->total_cost());
    });
    const auto cap = scenario.constraints.max_grants_per_unit;
    for (auto i : order) {
        const auto& candidate = *candidates[i];
        bool funded = start[i] > 0.5;
        if (!funded && cap && !candidate.unit.empty() && per_unit[candidate.unit] >= *cap)
            continue;
        double fraction = start[formulation.money_column(i)];
        double room = 1 - fraction;
        for (const auto& cost : candidate.costs)
            room = std::min(room, std::max(0.0, left[cost.cell]) / double(cost.amount));
        // Whole øre only, and a little below the edge of the budget.
        room = std::floor(room * 1e9) / 1e9;
        double target = partial ? fraction + room : (room >= 1 ? 1.0 : 0.0);
        if (target <= fraction || (!funded && target < min_share))
            continue;
        for (const auto& cost : candidate.costs)
            left[cost.cell] -= (target - fraction) * double(cost.amount);
        start[formulation.money_column(i)] = target;
        if (!funded) {
            start[i] = 1;
            if (!candidate.unit.empty())
                ++per_unit[candidate.unit];
        }
    }
}

// A portfolio from the LP relaxation's solution, for CBC to start from:
// candidates with a fraction of at least min_share (1 without partial
// funding) keep it, the rest are dropped, then units over the cap lose
// their lowest-value grants. With partial funding the relaxation is nearly
// integral, so this start is usually within the gap of the LP bound and CBC
// can stop after its root node instead of searching (seconds for 2 000
// candidates). CBC checks the start and ignores it if it breaks a row (a
// minimum share, say), so the heuristic needs to be good, not always right.
std::vector<double> rounded_start(const Formulation& formulation, const std::vector<double>& lp,
                                  const Scenario& scenario) {
    const auto& candidates = formulation.candidates();
    const std::size_t n = candidates.size();
    const double keep_from =
        formulation.partial() ? scenario.constraints.partial_funding->min_share : 1.0;
    std::vector<double> start(lp.size(), 0);
    std::map<std::string_view, std::vector<std::size_t>> by_unit;
    for (std::size_t i = 0; i < n; ++i) {
        double fraction = std::clamp(lp[formulation.money_column(i)], 0.0, 1.0);
        if (fraction < keep_from - FRACTION_TOLERANCE && candidates[i]->lock != Lock::Yes)
            continue;
        start[i] = 1;
        start[formulation.money_column(i)] = formulation.partial() ? fraction : 1.0;
        if (!candidates[i]->unit.empty())
            by_unit[candidates[i]->unit].push_back(i);
    }
    if (const auto cap = scenario.constraints.max_grants_per_unit) {
        for (auto& [unit, members] : by_unit) {
            std::sort(members.begin(), members.end(), [&](std::size_t a, std::size_t b) {
                if ((candidates[a]->lock == Lock::Yes) != (candidates[b]->lock == Lock::Yes))
                    return candidates[a]->lock == Lock::Yes;
                return candidates[a]->value > candidates[b]->value;
            });
            for (std::size_t k = std::size_t(*cap); k < members.size(); ++k)
                start[members[k]] = start[formulation.money_column(members[k])] = 0;
        }
    }
    refill(formulation, scenario, start);
    return start;
}

// The LP relaxation's optimum bounds every portfolio's value. When the
// portfolio rounded from it (rounded_start) meets every row and is within
// the relative gap of that bound, it is proven good enough without a
// branch-and-bound search; nullopt otherwise.
std::optional<Solved> solve_by_rounding(const Formulation& formulation, const Scenario& scenario) {
    auto relaxed = formulation.build(Integrality::Relaxed);
    auto started = Clock::now();
    Cbc_setMaximumSeconds(relaxed.get(), scenario.optimiser.max_seconds);
    Cbc_solve(relaxed.get());
    if (!Cbc_isProvenOptimal(relaxed.get()))
        return std::nullopt;
    const double* lp = Cbc_getColSolution(relaxed.get());
    const double bound = Cbc_getObjValue(relaxed.get());
    auto start = rounded_start(
        formulation, std::vector<double>(lp, lp + Cbc_getNumCols(relaxed.get())), scenario);
    if (!formulation.satisfies(start))
        return std::nullopt;
    double value = 0;
    for (std::size_t i = 0; i < formulation.candidates().size(); ++i)
        value += formulation.candidates()[i]->value * start[formulation.money_column(i)];
    if (bound - value > scenario.optimiser.relative_gap * std::max(std::abs(value), 1e-9))
        return std::nullopt;
    Solved solved;
    solved.has_solution = true;
    solved.solution = std::move(start);
    solved.status = SolveStatus::Optimal;
    solved.bound = bound;
    solved.seconds = seconds_since(started);
    return solved;
}

std::string join(const std::vector<std::string>& names) {
    std::string text;
    for (const auto& name : names)
        text += (text.empty() ? "" : ", ") + name;
    return text;
}

// Which constraint groups stop a portfolio from existing: those without
// which the model has a solution. Each test is a full solve; a scenario has
// a few dozen groups at most (cells and share limits).
Infeasibility diagnose(const Formulation& formulation, const OptimiserSettings& settings) {
    std::vector<std::string> culprits;
    for (const auto& group : formulation.groups()) {
        auto model = formulation.build(Integrality::Integer, {group});
        auto solved = solve(model.get(), settings);
        if (solved.has_solution)
            culprits.push_back(group);
    }
    if (culprits.empty()) {
        auto all = formulation.groups();
        return {"No portfolio meets the constraints together with the locked candidates, and "
                "leaving out any single one does not help: " +
                    join(all) + ".",
                all};
    }
    return {"No portfolio meets every constraint together with the locked candidates. Leaving "
            "out one of these would allow one: " +
                join(culprits) + ".",
            culprits};
}

Grant grant_from(const Candidate& candidate, double fraction) {
    if (fraction >= 1 - FRACTION_TOLERANCE)
        return {candidate.id, 1.0, candidate.costs};
    Grant grant{candidate.id, fraction, {}};
    for (const auto& cost : candidate.costs) {
        // The solver's 0.7999999999 means 0.8: without the nudge, floor would
        // take an øre off nearly every partial grant.
        double exact = fraction * static_cast<double>(cost.amount);
        auto amount = static_cast<Ore>(std::floor(exact + ROUNDING_NUDGE));
        grant.amounts.push_back({cost.cell, std::clamp<Ore>(amount, 0, cost.amount)});
    }
    return grant;
}

std::vector<Grant> grants_from(const Formulation& formulation, const std::vector<double>& solution,
                               const Scenario& scenario) {
    std::vector<Grant> grants;
    const auto& candidates = formulation.candidates();
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        if (solution[i] < 0.5)
            continue;
        double fraction = 1;
        if (formulation.partial()) {
            double min_share = scenario.constraints.partial_funding->min_share;
            fraction = std::clamp(solution[formulation.money_column(i)], min_share, 1.0);
        }
        grants.push_back(grant_from(*candidates[i], fraction));
    }
    return grants;
}

// The cell of `grants` over its budget in øre, if any.
std::optional<Cell> over_budget(const Scenario& scenario, const std::vector<Grant>& grants) {
    for (const auto& use : cell_use(scenario, grants)) {
        if (use.used > use.budget)
            return use.cell;
    }
    return std::nullopt;
}

// Takes up to `excess` øre off the partial grants in `cell`, lowest value
// first, never below min_share of their request there. Returns what is
// still over.
Ore trim_partial_grants(std::vector<Grant>& grants, const Cell& cell, Ore excess,
                        const std::map<std::string_view, const Candidate*>& by_id,
                        double min_share) {
    std::vector<Grant*> partial;
    for (auto& grant : grants) {
        if (grant.fraction < 1)
            partial.push_back(&grant);
    }
    std::sort(partial.begin(), partial.end(), [&](const Grant* a, const Grant* b) {
        return by_id.at(a->id)->value < by_id.at(b->id)->value;
    });
    for (auto* grant : partial) {
        for (auto& amount : grant->amounts) {
            if (amount.cell != cell || excess == 0)
                continue;
            auto floor_amount =
                static_cast<Ore>(std::ceil(min_share * double(by_id.at(grant->id)->cost_in(cell))));
            Ore take = std::clamp<Ore>(amount.amount - floor_amount, 0, excess);
            amount.amount -= take;
            excess -= take;
        }
    }
    return excess;
}

// Solver tolerances (1e-6 on integrality, 1e-7 on rows, and the rounding
// nudge) could let the rounded øre exceed a cell by a little. First the
// partial grants in the cell give up the excess; if that is not enough, the
// lowest-value unlocked grant in the cell is left out, until no cell is over.
// Returns whether anything changed.
bool repair_budgets(const Scenario& scenario, std::vector<Grant>& grants) {
    std::map<std::string_view, const Candidate*> by_id;
    for (const auto& candidate : scenario.candidates)
        by_id[candidate.id] = &candidate;
    const double min_share = scenario.constraints.partial_funding
                                 ? scenario.constraints.partial_funding->min_share
                                 : 1.0;
    bool repaired = false;
    while (auto cell = over_budget(scenario, grants)) {
        repaired = true;
        Ore excess = 0;
        for (const auto& use : cell_use(scenario, grants)) {
            if (use.cell == *cell)
                excess = use.used - use.budget;
        }
        if (trim_partial_grants(grants, *cell, excess, by_id, min_share) == 0)
            continue;
        auto worst = grants.end();
        for (auto it = grants.begin(); it != grants.end(); ++it) {
            const auto* candidate = by_id[it->id];
            if (candidate->lock == Lock::Yes || candidate->cost_in(*cell) == 0)
                continue;
            if (worst == grants.end() || candidate->value < by_id[worst->id]->value)
                worst = it;
        }
        if (worst == grants.end())
            break; // only locked grants: locked_conflict() rules this out
        grants.erase(worst);
    }
    return repaired;
}

double objective_of(const Scenario& scenario, const std::vector<Grant>& grants) {
    std::map<std::string_view, double> value;
    for (const auto& candidate : scenario.candidates)
        value[candidate.id] = candidate.value;
    double total = 0;
    for (const auto& grant : grants)
        total += value[grant.id] * grant.fraction;
    return total;
}

Ore group_money_of(const Scenario& scenario, const std::vector<Grant>& grants,
                   const ShareLimit& limit) {
    std::map<std::string_view, const Candidate*> by_id;
    for (const auto& candidate : scenario.candidates)
        by_id[candidate.id] = &candidate;
    Ore money = 0;
    for (const auto& grant : grants) {
        for (const auto& amount : grant.amounts) {
            bool counts = limit.target == ShareTarget::Programme
                              ? amount.cell.programme == limit.name
                              : by_id[grant.id]->has_theme(limit.name);
            if (counts)
                money += amount.amount;
        }
    }
    return money;
}

std::string percent(double share) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f %%", share * 100);
    return text;
}

// Share limits the portfolio sits at (within SHARE_TOLERANCE).
void add_binding_shares(const Scenario& scenario, const std::vector<Grant>& grants,
                        std::vector<BindingConstraint>& binding) {
    Ore total = 0;
    for (const auto& grant : grants)
        total += grant.total();
    if (total == 0)
        return;
    for (const auto& limit : scenario.constraints.share_limits) {
        double share = double(group_money_of(scenario, grants, limit)) / double(total);
        if (limit.min && *limit.min > 0 && share <= *limit.min + SHARE_TOLERANCE)
            binding.push_back({"share_min", share_limit_name(limit),
                               "share " + percent(share) + ", minimum " + percent(*limit.min)});
        if (limit.max && *limit.max < 1 && share >= *limit.max - SHARE_TOLERANCE)
            binding.push_back({"share_max", share_limit_name(limit),
                               "share " + percent(share) + ", maximum " + percent(*limit.max)});
    }
}

} // namespace

Allocation run_optimiser(const Scenario& scenario) {
    if (auto conflict = locked_conflict(scenario))
        return infeasible(Method::Optimal, std::move(*conflict));
    Formulation formulation(scenario);
    Allocation allocation;
    allocation.method = Method::Optimal;
    if (formulation.candidates().empty()) {
        allocation.best_bound = 0;
        allocation.proven_gap = 0;
        allocation.cells = cell_use(scenario, {});
        return allocation;
    }

    auto started = Clock::now();
    auto solved = solve_by_rounding(formulation, scenario);
    if (!solved) {
        // The search gets what the LP attempt left of the time limit.
        auto settings = scenario.optimiser;
        settings.max_seconds = std::max(0.01, settings.max_seconds - seconds_since(started));
        auto model = formulation.build(Integrality::Integer);
        solved = solve(model.get(), settings);
    }
    allocation.solve_seconds = seconds_since(started);
    allocation.status = solved->status;
    if (solved->status == SolveStatus::Infeasible) {
        auto why = diagnose(formulation, scenario.optimiser);
        allocation.message = std::move(why.message);
        allocation.culprits = std::move(why.culprits);
        return allocation;
    }
    if (!solved->has_solution) {
        allocation.message = "No portfolio was found within the time limit of " +
                             std::to_string(scenario.optimiser.max_seconds) + " seconds.";
        return allocation;
    }

    allocation.grants = grants_from(formulation, solved->solution, scenario);
    if (repair_budgets(scenario, allocation.grants))
        allocation.message = "After rounding to øre a budget cell was over by the solver's "
                             "tolerance; grants in it were trimmed to fit.";
    allocation.objective = objective_of(scenario, allocation.grants);
    // The bound can sit a hair below the objective through tolerances.
    allocation.best_bound = std::max(solved->bound, allocation.objective);
    allocation.proven_gap = (*allocation.best_bound - allocation.objective) /
                            std::max(std::abs(allocation.objective), 1e-9);
    allocation.cells = cell_use(scenario, allocation.grants);
    allocation.binding = binding_budget_and_units(scenario, allocation.grants);
    add_binding_shares(scenario, allocation.grants, allocation.binding);
    return allocation;
}

RelaxationResult solve_relaxation(const Scenario& scenario) {
    Formulation formulation(scenario);
    RelaxationResult result;
    if (formulation.candidates().empty()) {
        result.solved = true;
        return result;
    }
    auto model = formulation.build(Integrality::Relaxed);
    auto solved = solve(model.get(), scenario.optimiser);
    result.solved =
        Cbc_isProvenOptimal(model.get()) || Cbc_isInitialSolveProvenOptimal(model.get());
    result.bound = Cbc_getObjValue(model.get());
    result.seconds = solved.seconds;
    return result;
}

} // namespace spire::allocation
