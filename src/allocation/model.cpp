#include "allocation/model.hpp"

#include "core/named.hpp"
#include "core/problems.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

namespace spire::allocation {

namespace {

constexpr Named<Lock> LOCKS[] = {
    {Lock::Free, "free", "Not decided"},
    {Lock::Yes, "yes", "Locked: fund"},
    {Lock::No, "no", "Locked: do not fund"},
};

constexpr Named<ShareTarget> SHARE_TARGETS[] = {
    {ShareTarget::Programme, "programme", "Programme"},
    {ShareTarget::Theme, "theme", "Theme"},
};

constexpr Named<Method> METHODS[] = {
    {Method::Optimal, "optimal", "Optimal portfolio"},
    {Method::Payline, "payline", "Payline"},
    {Method::Lottery, "lottery", "Grey-zone lottery"},
};

constexpr Named<SolveStatus> SOLVE_STATUSES[] = {
    {SolveStatus::Optimal, "optimal", "Optimal"},
    {SolveStatus::Feasible, "feasible", "Feasible, optimality not proven"},
    {SolveStatus::TimeLimit, "time_limit", "Stopped at the time limit"},
    {SolveStatus::NoSolution, "no_solution", "No solution found in time"},
    {SolveStatus::Infeasible, "infeasible", "Infeasible"},
};

std::string at(std::string_view base, std::size_t index) {
    return std::string(base) + "/" + std::to_string(index);
}

void check_name(Problems& problems, const std::string& field, const std::string& name) {
    if (name.empty())
        problems.add(field, "must not be empty");
    else if (name.size() > MAX_NAME_BYTES)
        problems.add(field, "is longer than " + std::to_string(MAX_NAME_BYTES) + " bytes");
}

void check_amount(Problems& problems, const std::string& field, Ore amount, Ore minimum) {
    if (amount < minimum)
        problems.add(field, minimum > 0 ? "must be more than 0 øre" : "must not be negative");
    else if (amount > MAX_AMOUNT_ORE)
        problems.add(field, "is larger than " + std::to_string(MAX_AMOUNT_ORE) + " øre");
}

void check_cell(Problems& problems, const std::string& field, const Cell& cell) {
    if (cell.year < MIN_YEAR || cell.year > MAX_YEAR)
        problems.add(field + "/year", "must be a year from " + std::to_string(MIN_YEAR) + " to " +
                                          std::to_string(MAX_YEAR));
    check_name(problems, field + "/programme", cell.programme);
}

void check_budgets(Problems& problems, const Scenario& scenario) {
    if (scenario.budgets.size() > MAX_CELLS)
        problems.add("budgets", "has more than " + std::to_string(MAX_CELLS) + " cells");
    std::set<Cell> seen;
    for (std::size_t b = 0; b < scenario.budgets.size(); ++b) {
        const auto& budget = scenario.budgets[b];
        auto field = at("budgets", b);
        check_cell(problems, field, budget.cell);
        check_amount(problems, field + "/amount_ore", budget.amount, 0);
        if (!seen.insert(budget.cell).second)
            problems.add(field, "budget for " + cell_name(budget.cell) + " is given twice");
    }
}

void check_rank(Problems& problems, const std::string& field, const RankInfo& rank) {
    if (!std::isfinite(rank.expected) || !std::isfinite(rank.low) || !std::isfinite(rank.high))
        problems.add(field, "must be finite numbers");
    else if (rank.low < 1)
        problems.add(field + "/low", "ranks count from 1 (the best)");
    else if (!(rank.low <= rank.expected && rank.expected <= rank.high))
        problems.add(field, "must have low <= expected <= high");
}

void check_candidate(Problems& problems, const Scenario& scenario, const Candidate& candidate,
                     const std::string& field) {
    check_name(problems, field + "/id", candidate.id);
    if (!std::isfinite(candidate.value))
        problems.add(field + "/value", "must be a finite number");
    if (candidate.costs.empty())
        problems.add(field + "/costs", "must request money in at least one year × programme");
    if (candidate.costs.size() > MAX_COSTS_PER_CANDIDATE)
        problems.add(field + "/costs",
                     "has more than " + std::to_string(MAX_COSTS_PER_CANDIDATE) + " entries");
    std::set<Cell> cells;
    for (std::size_t c = 0; c < candidate.costs.size(); ++c) {
        const auto& cost = candidate.costs[c];
        auto cost_field = at(field + "/costs", c);
        check_cell(problems, cost_field, cost.cell);
        check_amount(problems, cost_field + "/amount_ore", cost.amount, 1);
        if (!cells.insert(cost.cell).second)
            problems.add(cost_field, cell_name(cost.cell) + " is requested twice");
        else if (!scenario.budget(cost.cell))
            problems.add(cost_field,
                         "no budget for " + cell_name(cost.cell) + " (unknown year or programme)");
    }
    if (candidate.unit.size() > MAX_NAME_BYTES)
        problems.add(field + "/unit",
                     "is longer than " + std::to_string(MAX_NAME_BYTES) + " bytes");
    if (candidate.themes.size() > MAX_THEMES_PER_CANDIDATE)
        problems.add(field + "/themes",
                     "has more than " + std::to_string(MAX_THEMES_PER_CANDIDATE) + " themes");
    std::set<std::string> themes;
    for (std::size_t t = 0; t < candidate.themes.size(); ++t) {
        check_name(problems, at(field + "/themes", t), candidate.themes[t]);
        if (!themes.insert(candidate.themes[t]).second)
            problems.add(at(field + "/themes", t), "theme given twice");
    }
    if (candidate.rank)
        check_rank(problems, field + "/rank", *candidate.rank);
    if (candidate.lock == Lock::Yes && candidate.below_threshold)
        problems.add(field + "/lock", "a candidate below a threshold cannot be locked to fund");
    // Locked-yes candidates are funded before the draw: no rank needed.
    if (scenario.method == Method::Lottery && candidate.eligible() &&
        candidate.lock == Lock::Free && !candidate.rank)
        problems.add(field + "/rank", "the lottery needs every candidate's rank interval");
}

void check_candidates(Problems& problems, const Scenario& scenario) {
    if (scenario.candidates.size() > MAX_CANDIDATES)
        problems.add("candidates",
                     "has more than " + std::to_string(MAX_CANDIDATES) + " candidates");
    std::set<std::string_view> ids;
    for (std::size_t i = 0; i < scenario.candidates.size(); ++i) {
        const auto& candidate = scenario.candidates[i];
        auto field = at("candidates", i);
        check_candidate(problems, scenario, candidate, field);
        if (!ids.insert(candidate.id).second)
            problems.add(field + "/id", "duplicate id '" + candidate.id + "'");
    }
}

bool is_share(std::optional<double> share) {
    return !share || (std::isfinite(*share) && *share >= 0 && *share <= 1);
}

void check_constraints(Problems& problems, const Scenario& scenario) {
    const auto& constraints = scenario.constraints;
    if (constraints.share_limits.size() > MAX_SHARE_LIMITS)
        problems.add("constraints/share_limits",
                     "has more than " + std::to_string(MAX_SHARE_LIMITS) + " limits");
    std::set<std::pair<ShareTarget, std::string>> seen;
    for (std::size_t s = 0; s < constraints.share_limits.size(); ++s) {
        const auto& limit = constraints.share_limits[s];
        auto field = at("constraints/share_limits", s);
        check_name(problems, field + "/" + std::string(share_target_key(limit.target)), limit.name);
        if (limit.target == ShareTarget::Programme && !limit.name.empty() &&
            std::none_of(scenario.budgets.begin(), scenario.budgets.end(),
                         [&](const CellAmount& b) { return b.cell.programme == limit.name; }))
            problems.add(field + "/programme", "unknown programme '" + limit.name + "'");
        if (!limit.min && !limit.max)
            problems.add(field, "needs a min or a max share");
        if (!is_share(limit.min))
            problems.add(field + "/min", "must be a share from 0 to 1");
        if (!is_share(limit.max))
            problems.add(field + "/max", "must be a share from 0 to 1");
        if (limit.min && limit.max && is_share(limit.min) && is_share(limit.max) &&
            *limit.min > *limit.max)
            problems.add(field, "min must not be more than max");
        if (!seen.insert({limit.target, limit.name}).second)
            problems.add(field, "a second limit for " + share_limit_name(limit));
    }
    if (const auto& partial = constraints.partial_funding) {
        if (!std::isfinite(partial->min_share) || partial->min_share <= 0 || partial->min_share > 1)
            problems.add("constraints/partial_funding/min_share",
                         "must be more than 0 and at most 1");
    }
    if (constraints.max_grants_per_unit && *constraints.max_grants_per_unit < 1)
        problems.add("constraints/max_grants_per_unit", "must be at least 1");
}

void check_settings(Problems& problems, const Scenario& scenario) {
    if (scenario.method == Method::Lottery && !scenario.lottery)
        problems.add("lottery", "the lottery method needs lottery settings with a seed");
    if (const auto& lottery = scenario.lottery) {
        if (lottery->seed.empty())
            problems.add("lottery/seed", "must not be empty");
        else if (lottery->seed.size() > MAX_SEED_BYTES)
            problems.add("lottery/seed",
                         "is longer than " + std::to_string(MAX_SEED_BYTES) + " bytes");
        if (lottery->line_grants && *lottery->line_grants < 0)
            problems.add("lottery/line_grants", "must not be negative");
    }
    const auto& optimiser = scenario.optimiser;
    if (!std::isfinite(optimiser.relative_gap) || optimiser.relative_gap < 0 ||
        optimiser.relative_gap > 1)
        problems.add("optimiser/relative_gap", "must be from 0 to 1");
    if (!std::isfinite(optimiser.max_seconds) || optimiser.max_seconds <= 0 ||
        optimiser.max_seconds > MAX_OPTIMISER_SECONDS)
        problems.add("optimiser/max_seconds", "must be more than 0 and at most " +
                                                  std::to_string(int(MAX_OPTIMISER_SECONDS)));
}

Ore granted_in(const Grant& grant, const Cell& cell) {
    for (const auto& amount : grant.amounts) {
        if (amount.cell == cell)
            return amount.amount;
    }
    return 0;
}

} // namespace

std::string cell_name(const Cell& cell) {
    return std::to_string(cell.year) + "/" + cell.programme;
}

std::string_view lock_key(Lock lock) {
    return key_of(LOCKS, lock);
}
std::optional<Lock> parse_lock(std::string_view key) {
    return parse_named(LOCKS, key);
}
std::string_view share_target_key(ShareTarget target) {
    return key_of(SHARE_TARGETS, target);
}
std::string_view method_key(Method method) {
    return key_of(METHODS, method);
}
std::optional<Method> parse_method(std::string_view key) {
    return parse_named(METHODS, key);
}
std::string_view method_label(Method method) {
    return label_of(METHODS, method);
}
std::string_view solve_status_key(SolveStatus status) {
    return key_of(SOLVE_STATUSES, status);
}

std::string share_limit_name(const ShareLimit& limit) {
    return std::string(share_target_key(limit.target)) + " " + limit.name;
}

Ore Candidate::total_cost() const {
    Ore total = 0;
    for (const auto& cost : costs)
        total += cost.amount;
    return total;
}

Ore Candidate::cost_in(const Cell& cell) const {
    for (const auto& cost : costs) {
        if (cost.cell == cell)
            return cost.amount;
    }
    return 0;
}

Ore Candidate::cost_in_programme(std::string_view programme) const {
    Ore total = 0;
    for (const auto& cost : costs) {
        if (cost.cell.programme == programme)
            total += cost.amount;
    }
    return total;
}

bool Candidate::has_theme(std::string_view theme) const {
    return std::find(themes.begin(), themes.end(), theme) != themes.end();
}

std::optional<Ore> Scenario::budget(const Cell& cell) const {
    for (const auto& budget : budgets) {
        if (budget.cell == cell)
            return budget.amount;
    }
    return std::nullopt;
}

std::optional<Error> validate(const Scenario& scenario) {
    Problems problems;
    check_budgets(problems, scenario);
    check_candidates(problems, scenario);
    check_constraints(problems, scenario);
    check_settings(problems, scenario);
    if (!problems.any())
        return std::nullopt;
    return std::move(problems).error("The allocation scenario is not valid.");
}

Ore Grant::total() const {
    Ore sum = 0;
    for (const auto& amount : amounts)
        sum += amount.amount;
    return sum;
}

Ore Allocation::total() const {
    Ore sum = 0;
    for (const auto& grant : grants)
        sum += grant.total();
    return sum;
}

const Grant* Allocation::find(std::string_view id) const {
    auto it = std::find_if(grants.begin(), grants.end(),
                           [&](const Grant& grant) { return grant.id == id; });
    return it == grants.end() ? nullptr : &*it;
}

std::optional<Infeasibility> locked_conflict(const Scenario& scenario) {
    std::map<Cell, Ore> locked_money;
    std::map<std::string_view, int> locked_grants;
    for (const auto& candidate : scenario.candidates) {
        if (candidate.lock != Lock::Yes)
            continue;
        for (const auto& cost : candidate.costs)
            locked_money[cost.cell] += cost.amount;
        if (!candidate.unit.empty())
            ++locked_grants[candidate.unit];
    }
    for (const auto& [cell, money] : locked_money) {
        Ore budget = scenario.budget(cell).value_or(0);
        if (money > budget)
            return Infeasibility{"The candidates locked to be funded need " +
                                     std::to_string(money) + " øre in " + cell_name(cell) +
                                     ", more than its budget of " + std::to_string(budget) +
                                     " øre.",
                                 {"budget " + cell_name(cell)}};
    }
    if (const auto cap = scenario.constraints.max_grants_per_unit) {
        for (const auto& [unit, grants] : locked_grants) {
            if (grants > *cap)
                return Infeasibility{"Unit " + std::string(unit) + " has " +
                                         std::to_string(grants) +
                                         " candidates locked to be funded, more than the cap "
                                         "of " +
                                         std::to_string(*cap) + " grants per unit.",
                                     {"max_grants_per_unit"}};
        }
    }
    return std::nullopt;
}

Allocation infeasible(Method method, Infeasibility why) {
    Allocation allocation;
    allocation.method = method;
    allocation.status = SolveStatus::Infeasible;
    allocation.message = std::move(why.message);
    allocation.culprits = std::move(why.culprits);
    return allocation;
}

std::vector<CellUse> cell_use(const Scenario& scenario, const std::vector<Grant>& grants) {
    std::map<Cell, Ore> used;
    for (const auto& grant : grants) {
        for (const auto& amount : grant.amounts)
            used[amount.cell] += amount.amount;
    }
    std::vector<CellUse> cells;
    for (const auto& budget : scenario.budgets)
        cells.push_back({budget.cell, budget.amount, used[budget.cell]});
    return cells;
}

std::vector<BindingConstraint> binding_budget_and_units(const Scenario& scenario,
                                                        const std::vector<Grant>& grants) {
    std::unordered_map<std::string_view, const Grant*> granted;
    std::unordered_map<std::string_view, int> per_unit;
    for (const auto& grant : grants)
        granted[grant.id] = &grant;
    for (const auto& candidate : scenario.candidates) {
        if (granted.count(candidate.id) && !candidate.unit.empty())
            ++per_unit[candidate.unit];
    }
    std::map<Cell, Ore> left;
    for (const auto& use : cell_use(scenario, grants))
        left[use.cell] = use.budget - use.used;

    std::map<Cell, std::string> short_cells; // cell -> the first candidate it stops
    std::set<std::string_view> capped_units;
    const auto cap = scenario.constraints.max_grants_per_unit;
    for (const auto& candidate : scenario.candidates) {
        if (!candidate.eligible())
            continue;
        auto it = granted.find(candidate.id);
        double fraction = it == granted.end() ? 0 : it->second->fraction;
        if (fraction >= 1)
            continue;
        if (it == granted.end() && cap && !candidate.unit.empty() &&
            per_unit[candidate.unit] >= *cap)
            capped_units.insert(candidate.unit);
        for (const auto& cost : candidate.costs) {
            Ore given = it == granted.end() ? 0 : granted_in(*it->second, cost.cell);
            if (cost.amount - given > left[cost.cell] && !short_cells.count(cost.cell))
                short_cells[cost.cell] = candidate.id;
        }
    }
    std::vector<BindingConstraint> binding;
    for (const auto& [cell, stopped] : short_cells) {
        binding.push_back(
            {"budget", cell_name(cell),
             std::to_string(left[cell]) + " øre left; not enough for '" + stopped + "'"});
    }
    for (auto unit : capped_units) {
        binding.push_back({"unit_cap", "unit " + std::string(unit),
                           "at the cap of " + std::to_string(*cap) + " grants"});
    }
    return binding;
}

} // namespace spire::allocation
