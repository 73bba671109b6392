#pragma once

// Scenario builders and independent reference solvers for the allocation
// tests: brute force over every subset (n <= 20) and dynamic programming for
// one budget cell. They share nothing with allocation/optimiser.cpp but the
// Scenario structs, so the optimiser is checked against a different method.

#include "allocation/model.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace spire::allocation::testing {

inline constexpr Ore KRONE = 100;
inline constexpr Ore KNOK = 1'000 * KRONE; // 1 000 kr in øre

inline Cell cell(int year, std::string programme = "p") {
    return {year, std::move(programme)};
}

inline Candidate candidate(std::string id, double value, std::vector<CellAmount> costs) {
    Candidate c;
    c.id = std::move(id);
    c.value = value;
    c.costs = std::move(costs);
    return c;
}

// One cell, 2024/p.
inline Candidate simple(std::string id, double value, Ore cost) {
    return candidate(std::move(id), value, {{cell(2024), cost}});
}

inline Scenario one_cell(Ore budget, std::vector<Candidate> candidates) {
    Scenario scenario;
    scenario.budgets = {{cell(2024), budget}};
    scenario.candidates = std::move(candidates);
    return scenario;
}

// Share limits in the brute force are whole percents, so "share >= min" is
// checked exactly in integers: 100 · group >= percent · total.
inline double percent(int whole) {
    return whole / 100.0;
}

// Does the subset (bit i = candidate i funded in full) meet every
// constraint of the scenario? Exact integer arithmetic throughout.
inline bool feasible_subset(const Scenario& scenario, std::uint32_t subset) {
    std::map<Cell, Ore> used;
    std::map<std::string, int> per_unit;
    Ore total = 0;
    const auto& candidates = scenario.candidates;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        bool funded = subset >> i & 1u;
        const auto& c = candidates[i];
        if (c.lock == Lock::Yes && !funded)
            return false;
        if (!funded)
            continue;
        if (!c.eligible())
            return false;
        for (const auto& cost : c.costs)
            used[cost.cell] += cost.amount;
        if (!c.unit.empty())
            ++per_unit[c.unit];
        total += c.total_cost();
    }
    for (const auto& [cell, money] : used) {
        if (money > scenario.budget(cell).value_or(0))
            return false;
    }
    if (auto cap = scenario.constraints.max_grants_per_unit) {
        for (const auto& [unit, grants] : per_unit) {
            if (grants > *cap)
                return false;
        }
    }
    for (const auto& limit : scenario.constraints.share_limits) {
        Ore group = 0;
        for (std::size_t i = 0; i < candidates.size(); ++i) {
            if (!(subset >> i & 1u))
                continue;
            const auto& c = candidates[i];
            group += limit.target == ShareTarget::Programme ? c.cost_in_programme(limit.name)
                     : c.has_theme(limit.name)              ? c.total_cost()
                                                            : 0;
        }
        auto whole = [](double share) { return static_cast<Ore>(share * 100 + 0.5); };
        if (limit.min && 100 * group < whole(*limit.min) * total)
            return false;
        if (limit.max && 100 * group > whole(*limit.max) * total)
            return false;
    }
    return true;
}

// The best total value over every feasible subset; nullopt when none is.
inline std::optional<double> brute_force_optimum(const Scenario& scenario) {
    std::optional<double> best;
    const auto n = scenario.candidates.size();
    for (std::uint32_t subset = 0; subset < (1u << n); ++subset) {
        if (!feasible_subset(scenario, subset))
            continue;
        double value = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (subset >> i & 1u)
                value += scenario.candidates[i].value;
        }
        if (!best || value > *best)
            best = value;
    }
    return best;
}

// 0/1 knapsack by dynamic programming over money in whole KNOK: every cost
// and the budget must be multiples of KNOK; values are whole numbers.
inline long long knapsack_optimum(const std::vector<long long>& values,
                                  const std::vector<long long>& costs_knok, long long budget_knok) {
    std::vector<long long> best(static_cast<std::size_t>(budget_knok) + 1, 0);
    for (std::size_t i = 0; i < values.size(); ++i) {
        for (long long b = budget_knok; b >= costs_knok[i]; --b)
            best[b] = std::max(best[b], best[b - costs_knok[i]] + values[i]);
    }
    return best[static_cast<std::size_t>(budget_knok)];
}

// Partial funding on one cell: for a fixed funded set S every member gets at
// least min_share, and the rest of the money goes to the best value per
// krone first (the fractional knapsack, optimal for a fixed S). Over every S.
inline std::optional<double> brute_force_partial_optimum(const Scenario& scenario,
                                                         double min_share) {
    const auto& candidates = scenario.candidates;
    const auto n = candidates.size();
    const double budget = double(scenario.budgets.at(0).amount);
    std::optional<double> best;
    for (std::uint32_t subset = 0; subset < (1u << n); ++subset) {
        double base_money = 0, value = 0;
        std::vector<std::size_t> members;
        for (std::size_t i = 0; i < n; ++i) {
            if (!(subset >> i & 1u))
                continue;
            members.push_back(i);
            base_money += min_share * double(candidates[i].total_cost());
            value += min_share * candidates[i].value;
        }
        if (base_money > budget)
            continue;
        std::sort(members.begin(), members.end(), [&](std::size_t a, std::size_t b) {
            return candidates[a].value / double(candidates[a].total_cost()) >
                   candidates[b].value / double(candidates[b].total_cost());
        });
        double left = budget - base_money;
        for (auto i : members) {
            double room = (1 - min_share) * double(candidates[i].total_cost());
            double given = std::min(room, left);
            left -= given;
            value += candidates[i].value * given / double(candidates[i].total_cost());
        }
        if (!best || value > *best)
            best = value;
    }
    return best;
}

struct RandomShape {
    int candidates = 12;
    int years = 2;
    int programmes = 2;
    double budget_share = 0.35; // of the demand in each cell
    bool locks = false;
    bool units = false;
    bool shares = false;
};

// A realistic small instance: requests of 35 000–500 000 kr spread over 1–3
// cells, whole-number values loosely growing with cost, budgets a share of
// each cell's demand (rounded to whole KNOK).
inline Scenario random_scenario(std::uint32_t seed, const RandomShape& shape) {
    std::mt19937 random(seed);
    auto uniform = [&](int lo, int hi) {
        return std::uniform_int_distribution<int>(lo, hi)(random);
    };
    std::vector<Cell> cells;
    for (int y = 0; y < shape.years; ++y) {
        for (int p = 0; p < shape.programmes; ++p)
            cells.push_back(cell(2024 + y, "prog" + std::to_string(p)));
    }
    Scenario scenario;
    std::map<Cell, Ore> demand;
    for (int i = 0; i < shape.candidates; ++i) {
        Candidate c;
        c.id = "app-" + std::to_string(i);
        int spread = std::min<int>(uniform(1, 3), int(cells.size()));
        int first = uniform(0, int(cells.size()) - 1);
        Ore total = 0;
        for (int k = 0; k < spread; ++k) {
            Ore amount = Ore(uniform(35, 500)) * KNOK / spread;
            c.costs.push_back({cells[(first + k) % cells.size()], amount});
            demand[c.costs.back().cell] += amount;
            total += amount;
        }
        c.value = double(uniform(1, 60) + int(total / (25 * KNOK)));
        c.unit = shape.units ? "unit-" + std::to_string(uniform(0, 3)) : "";
        if (uniform(0, 2) == 0)
            c.themes.push_back("climate");
        if (shape.locks) {
            int roll = uniform(0, 19);
            c.lock = roll == 0 ? Lock::Yes : roll == 1 ? Lock::No : Lock::Free;
            c.below_threshold = roll == 2;
        }
        scenario.candidates.push_back(std::move(c));
    }
    for (const auto& c : cells) {
        Ore budget = Ore(double(demand[c]) * shape.budget_share / double(KNOK)) * KNOK;
        scenario.budgets.push_back({c, budget});
    }
    if (shape.units)
        scenario.constraints.max_grants_per_unit = uniform(1, 3);
    if (shape.shares) {
        scenario.constraints.share_limits.push_back(
            {ShareTarget::Theme, "climate", percent(uniform(10, 40)), std::nullopt});
        scenario.constraints.share_limits.push_back(
            {ShareTarget::Programme, "prog0", std::nullopt, percent(uniform(40, 80))});
    }
    return scenario;
}

} // namespace spire::allocation::testing
