// The optimal portfolio (allocation/optimiser.hpp): optima checked against
// brute force and dynamic programming on many seeded random instances, and
// each constraint (locks, thresholds, unit cap, share limits, partial
// funding) and infeasibility diagnosis on small cases worked out by hand.

#include "allocation/optimiser.hpp"
#include "allocation_instances.hpp"

#include <algorithm>
#include <gtest/gtest.h>

using namespace spire;
using namespace spire::allocation;
using namespace spire::allocation::testing;

namespace {

std::vector<std::string> funded_ids(const Allocation& allocation) {
    std::vector<std::string> ids;
    for (const auto& grant : allocation.grants)
        ids.push_back(grant.id);
    std::sort(ids.begin(), ids.end());
    return ids;
}

// Every cell within budget, in øre; every grant no more than its request.
void expect_within_budgets(const Scenario& scenario, const Allocation& allocation) {
    for (const auto& use : cell_use(scenario, allocation.grants))
        EXPECT_LE(use.used, use.budget) << cell_name(use.cell);
    for (const auto& grant : allocation.grants) {
        for (const auto& amount : grant.amounts) {
            const auto* candidate =
                &*std::find_if(scenario.candidates.begin(), scenario.candidates.end(),
                               [&](const Candidate& c) { return c.id == grant.id; });
            EXPECT_LE(amount.amount, candidate->cost_in(amount.cell)) << grant.id;
        }
    }
}

// Demand an exact optimum: the default 0.01 % gap may stop a little short.
Scenario exact(Scenario scenario) {
    scenario.optimiser.relative_gap = 0;
    return scenario;
}

TEST(AllocationOptimiser, SingleCellKnapsackPicksTheBestPairNotTheBestItem) {
    // Greedy by value would take a (10) and then nothing else fits; b + c = 13.
    auto scenario =
        one_cell(1000, {simple("a", 10, 600), simple("b", 7, 500), simple("c", 6, 500)});
    auto result = run_optimiser(scenario);
    ASSERT_EQ(result.status, SolveStatus::Optimal) << result.message;
    EXPECT_EQ(funded_ids(result), (std::vector<std::string>{"b", "c"}));
    EXPECT_DOUBLE_EQ(result.objective, 13);
    ASSERT_TRUE(result.best_bound && result.proven_gap);
    EXPECT_NEAR(*result.best_bound, 13, 13e-4);
    EXPECT_LE(*result.proven_gap, 1e-4);
    EXPECT_EQ(result.total(), 1000);
}

TEST(AllocationOptimiser, RandomMultiYearProgrammeInstancesMatchBruteForce) {
    for (std::uint32_t seed = 1; seed <= 16; ++seed) {
        RandomShape shape;
        shape.candidates = 10 + int(seed % 5); // 10..14
        auto scenario = exact(random_scenario(seed, shape));
        auto optimum = brute_force_optimum(scenario);
        ASSERT_TRUE(optimum) << "seed " << seed;
        auto result = run_optimiser(scenario);
        ASSERT_EQ(result.status, SolveStatus::Optimal) << "seed " << seed << ": " << result.message;
        EXPECT_NEAR(result.objective, *optimum, 1e-6) << "seed " << seed;
        expect_within_budgets(scenario, result);
    }
}

TEST(AllocationOptimiser, RandomInstancesWithLocksUnitsAndSharesMatchBruteForce) {
    int infeasible = 0;
    for (std::uint32_t seed = 100; seed < 130; ++seed) {
        RandomShape shape;
        shape.candidates = 12;
        shape.locks = true;
        shape.units = seed % 2 == 0;
        shape.shares = seed % 3 != 0;
        auto scenario = exact(random_scenario(seed, shape));
        auto optimum = brute_force_optimum(scenario);
        auto result = run_optimiser(scenario);
        if (!optimum) {
            ++infeasible;
            EXPECT_EQ(result.status, SolveStatus::Infeasible) << "seed " << seed;
            EXPECT_FALSE(result.culprits.empty()) << "seed " << seed;
            EXPECT_FALSE(result.message.empty()) << "seed " << seed;
            continue;
        }
        ASSERT_EQ(result.status, SolveStatus::Optimal) << "seed " << seed << ": " << result.message;
        EXPECT_NEAR(result.objective, *optimum, 1e-6) << "seed " << seed;
        expect_within_budgets(scenario, result);
        // The funded set itself must be feasible by the brute force's rules.
        std::uint32_t subset = 0;
        for (std::size_t i = 0; i < scenario.candidates.size(); ++i) {
            if (result.find(scenario.candidates[i].id))
                subset |= 1u << i;
        }
        EXPECT_TRUE(feasible_subset(scenario, subset)) << "seed " << seed;
    }
    // The seeds exercise both outcomes (4 of the 30 are infeasible).
    EXPECT_GT(infeasible, 0);
    EXPECT_LT(infeasible, 15);
}

TEST(AllocationOptimiser, LargerSingleCellKnapsacksMatchDynamicProgramming) {
    for (std::uint32_t seed = 1; seed <= 8; ++seed) {
        std::mt19937 random(seed);
        auto uniform = [&](int lo, int hi) {
            return std::uniform_int_distribution<int>(lo, hi)(random);
        };
        int n = 60 + int(seed) * 12;
        std::vector<long long> values, costs;
        std::vector<Candidate> candidates;
        long long demand = 0;
        for (int i = 0; i < n; ++i) {
            costs.push_back(uniform(35, 500));
            values.push_back(uniform(1, 100) + costs.back() / 10);
            demand += costs.back();
            candidates.push_back(
                simple("c" + std::to_string(i), double(values.back()), costs.back() * KNOK));
        }
        long long budget = demand * 35 / 100;
        auto scenario = exact(one_cell(budget * KNOK, std::move(candidates)));
        auto result = run_optimiser(scenario);
        ASSERT_EQ(result.status, SolveStatus::Optimal) << "seed " << seed;
        EXPECT_NEAR(result.objective, double(knapsack_optimum(values, costs, budget)), 1e-6)
            << "seed " << seed;
        expect_within_budgets(scenario, result);
    }
}

TEST(AllocationOptimiser, DefaultGapStaysWithinOneHundredthOfAPercent) {
    for (std::uint32_t seed = 50; seed < 53; ++seed) {
        std::mt19937 random(seed);
        std::vector<long long> values, costs;
        std::vector<Candidate> candidates;
        long long demand = 0;
        for (int i = 0; i < 150; ++i) {
            costs.push_back(std::uniform_int_distribution<int>(35, 500)(random));
            values.push_back(std::uniform_int_distribution<int>(1, 1000)(random));
            demand += costs.back();
            candidates.push_back(
                simple("c" + std::to_string(i), double(values.back()), costs.back() * KNOK));
        }
        auto scenario = one_cell(demand / 3 * KNOK, std::move(candidates));
        auto optimum = double(knapsack_optimum(values, costs, demand / 3));
        auto result = run_optimiser(scenario);
        ASSERT_EQ(result.status, SolveStatus::Optimal);
        EXPECT_GE(result.objective, optimum * (1 - 1e-4)) << "seed " << seed;
        EXPECT_LE(result.objective, optimum + 1e-6) << "seed " << seed;
        EXPECT_LE(*result.proven_gap, 1e-4 + 1e-9);
    }
}

TEST(AllocationOptimiser, LockedYesIsFundedAndLockedNoIsNot) {
    auto scenario =
        one_cell(1000, {simple("best", 100, 500), simple("weak", 1, 500), simple("good", 50, 500)});
    scenario.candidates[0].lock = Lock::No;
    scenario.candidates[1].lock = Lock::Yes;
    auto result = run_optimiser(scenario);
    ASSERT_EQ(result.status, SolveStatus::Optimal);
    EXPECT_EQ(funded_ids(result), (std::vector<std::string>{"good", "weak"}));
}

TEST(AllocationOptimiser, BelowThresholdIsNeverFunded) {
    auto scenario = one_cell(10'000, {simple("failed", 100, 500), simple("passed", 1, 500)});
    scenario.candidates[0].below_threshold = true;
    auto result = run_optimiser(scenario);
    EXPECT_EQ(funded_ids(result), (std::vector<std::string>{"passed"}));
}

TEST(AllocationOptimiser, UnitCapLimitsGrantsPerUnit) {
    auto scenario = one_cell(10'000, {simple("a1", 10, 100), simple("a2", 9, 100),
                                      simple("a3", 8, 100), simple("b1", 1, 100)});
    for (auto* c : {&scenario.candidates[0], &scenario.candidates[1], &scenario.candidates[2]})
        c->unit = "school-a";
    scenario.candidates[3].unit = "school-b";
    scenario.constraints.max_grants_per_unit = 2;
    auto result = run_optimiser(scenario);
    EXPECT_EQ(funded_ids(result), (std::vector<std::string>{"a1", "a2", "b1"}));
    ASSERT_EQ(result.binding.size(), 1u);
    EXPECT_EQ(result.binding[0].kind, "unit_cap");
    EXPECT_EQ(result.binding[0].name, "unit school-a");
}

TEST(AllocationOptimiser, ThemeMinimumShareChangesThePortfolio) {
    // Without the limit: a + b (value 20). With at least 50 % of the money on
    // climate, only c (climate) with one of a/b fits: c + a = 15.
    auto scenario =
        one_cell(1000, {simple("a", 10, 500), simple("b", 10, 500), simple("c", 5, 500)});
    scenario.candidates[2].themes = {"climate"};
    scenario.constraints.share_limits = {{ShareTarget::Theme, "climate", 0.5, std::nullopt}};
    auto result = run_optimiser(exact(scenario));
    ASSERT_EQ(result.status, SolveStatus::Optimal);
    EXPECT_DOUBLE_EQ(result.objective, 15);
    EXPECT_TRUE(result.find("c"));
    auto share_min = std::find_if(result.binding.begin(), result.binding.end(),
                                  [](const BindingConstraint& b) { return b.kind == "share_min"; });
    ASSERT_NE(share_min, result.binding.end());
    EXPECT_EQ(share_min->name, "theme climate");
}

TEST(AllocationOptimiser, ProgrammeMaximumShareCountsOnlyThatProgrammesMoney) {
    Scenario scenario;
    scenario.budgets = {{cell(2024, "risk"), 1000}, {cell(2024, "research"), 1000}};
    scenario.candidates = {candidate("r1", 10, {{cell(2024, "risk"), 400}}),
                           candidate("r2", 10, {{cell(2024, "risk"), 400}}),
                           candidate("s1", 1, {{cell(2024, "research"), 400}})};
    scenario.constraints.share_limits = {{ShareTarget::Programme, "risk", std::nullopt, 0.5}};
    // r1 + r2 + s1: risk = 800 of 1200 = 67 % > 50 %. r1 + s1: 50 % – allowed.
    auto result = run_optimiser(exact(scenario));
    ASSERT_EQ(result.status, SolveStatus::Optimal);
    EXPECT_DOUBLE_EQ(result.objective, 11);
    EXPECT_TRUE(result.find("s1"));
}

TEST(AllocationOptimiser, PartialFundingMatchesBruteForceAndRoundsDown) {
    for (std::uint32_t seed = 1; seed <= 25; ++seed) {
        std::mt19937 random(seed);
        std::vector<Candidate> candidates;
        Ore demand = 0;
        for (int i = 0; i < 9; ++i) {
            // Odd øre amounts so fractions of them are rarely whole øre.
            Ore cost = std::uniform_int_distribution<Ore>(35 * KNOK, 500 * KNOK)(random) | 1;
            demand += cost;
            candidates.push_back(simple("c" + std::to_string(i),
                                        double(std::uniform_int_distribution<int>(1, 100)(random)),
                                        cost));
        }
        double min_share = 0.3 + 0.05 * double(seed % 10);
        auto scenario = exact(one_cell(demand * 4 / 10, std::move(candidates)));
        scenario.constraints.partial_funding = PartialFunding{min_share};
        auto optimum = brute_force_partial_optimum(scenario, min_share);
        auto result = run_optimiser(scenario);
        ASSERT_EQ(result.status, SolveStatus::Optimal) << "seed " << seed;
        EXPECT_NEAR(result.objective, *optimum, 1e-6 * *optimum) << "seed " << seed;
        expect_within_budgets(scenario, result);
        for (const auto& grant : result.grants) {
            EXPECT_GE(grant.fraction, min_share - 1e-9);
            EXPECT_LE(grant.fraction, 1.0);
            for (const auto& amount : grant.amounts) {
                auto request =
                    scenario.candidates[std::stoul(grant.id.substr(1))].cost_in(amount.cell);
                // Rounded down: never above the fraction, at most 1 øre below
                // (or trimmed to fit the budget, still not below min_share).
                EXPECT_LE(double(amount.amount), grant.fraction * double(request) + 1e-6);
                EXPECT_GE(double(amount.amount), min_share * double(request) - 1);
            }
        }
    }
}

TEST(AllocationOptimiser, PartialFundingFillsTheBudgetWithAFraction) {
    // a (value 10, 600) in full, then 400 of b's 500: f = 0.8, value 5.6.
    auto scenario = one_cell(1000, {simple("a", 10, 600), simple("b", 7, 500)});
    scenario.constraints.partial_funding = PartialFunding{0.5};
    auto result = run_optimiser(exact(scenario));
    ASSERT_EQ(result.status, SolveStatus::Optimal);
    EXPECT_NEAR(result.objective, 15.6, 1e-9);
    ASSERT_TRUE(result.find("b"));
    EXPECT_NEAR(result.find("b")->fraction, 0.8, 1e-9);
    EXPECT_EQ(result.find("b")->total(), 400);
    EXPECT_EQ(result.find("a")->total(), 600);
}

TEST(AllocationOptimiser, LockedYesOverBudgetIsInfeasibleNamingTheCell) {
    Scenario scenario;
    scenario.budgets = {{cell(2024, "risk"), 1000}, {cell(2025, "risk"), 300}};
    scenario.candidates = {
        candidate("a", 1, {{cell(2024, "risk"), 200}, {cell(2025, "risk"), 200}}),
        candidate("b", 1, {{cell(2025, "risk"), 200}}),
    };
    scenario.candidates[0].lock = Lock::Yes;
    scenario.candidates[1].lock = Lock::Yes;
    auto result = run_optimiser(scenario);
    EXPECT_EQ(result.status, SolveStatus::Infeasible);
    EXPECT_EQ(result.culprits, (std::vector<std::string>{"budget 2025/risk"}));
    EXPECT_NE(result.message.find("2025/risk"), std::string::npos) << result.message;
    EXPECT_TRUE(result.grants.empty());
}

TEST(AllocationOptimiser, LockedYesOverUnitCapIsInfeasible) {
    auto scenario = one_cell(1000, {simple("a", 1, 100), simple("b", 1, 100)});
    for (auto& c : scenario.candidates) {
        c.unit = "nav-sandvika";
        c.lock = Lock::Yes;
    }
    scenario.constraints.max_grants_per_unit = 1;
    auto result = run_optimiser(scenario);
    EXPECT_EQ(result.status, SolveStatus::Infeasible);
    EXPECT_EQ(result.culprits, (std::vector<std::string>{"max_grants_per_unit"}));
    EXPECT_NE(result.message.find("nav-sandvika"), std::string::npos) << result.message;
}

TEST(AllocationOptimiser, UnreachableMinimumShareIsInfeasibleNamingTheLimit) {
    // The locked candidate has no climate theme and uses 500; climate can
    // bring at most 300, so climate's share stays below 60 %.
    auto scenario = one_cell(1000, {simple("locked", 1, 500), simple("green", 5, 300)});
    scenario.candidates[0].lock = Lock::Yes;
    scenario.candidates[1].themes = {"climate"};
    scenario.constraints.share_limits = {{ShareTarget::Theme, "climate", 0.6, std::nullopt}};
    auto result = run_optimiser(scenario);
    EXPECT_EQ(result.status, SolveStatus::Infeasible);
    EXPECT_EQ(result.culprits, (std::vector<std::string>{"share_min theme climate"}));
    EXPECT_NE(result.message.find("share_min theme climate"), std::string::npos);
}

TEST(AllocationOptimiser, BindingBudgetCellsAreThoseThatStopACandidate) {
    Scenario scenario;
    scenario.budgets = {{cell(2024, "risk"), 1000}, {cell(2024, "research"), 5000}};
    scenario.candidates = {candidate("a", 10, {{cell(2024, "risk"), 700}}),
                           candidate("b", 9, {{cell(2024, "risk"), 700}}),
                           candidate("c", 1, {{cell(2024, "research"), 700}})};
    auto result = run_optimiser(scenario);
    ASSERT_EQ(result.binding.size(), 1u);
    EXPECT_EQ(result.binding[0].kind, "budget");
    EXPECT_EQ(result.binding[0].name, "2024/risk");
    ASSERT_EQ(result.cells.size(), 2u);
    EXPECT_EQ(result.cells[0].used, 700);
    EXPECT_EQ(result.cells[1].used, 700);
}

TEST(AllocationOptimiser, NoEligibleCandidatesIsAnEmptyOptimum) {
    auto scenario = one_cell(1000, {simple("a", 1, 100)});
    scenario.candidates[0].lock = Lock::No;
    auto result = run_optimiser(scenario);
    EXPECT_EQ(result.status, SolveStatus::Optimal);
    EXPECT_TRUE(result.grants.empty());
    EXPECT_EQ(result.objective, 0);
}

TEST(AllocationOptimiser, LpRelaxationBoundsTheIntegerOptimum) {
    auto scenario =
        one_cell(1000, {simple("a", 10, 600), simple("b", 7, 500), simple("c", 6, 500)});
    auto relaxed = solve_relaxation(scenario);
    ASSERT_TRUE(relaxed.solved);
    // a in full (10) and 400/500 of b (5.6).
    EXPECT_NEAR(relaxed.bound, 15.6, 1e-9);
}

} // namespace
