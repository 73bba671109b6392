// The payline (allocation/payline.hpp): rank order, skipping what does not
// fit, locks, thresholds, the unit cap; and never better than the optimum.

#include "allocation/optimiser.hpp"
#include "allocation/payline.hpp"
#include "allocation_instances.hpp"

#include <gtest/gtest.h>

using namespace spire;
using namespace spire::allocation;
using namespace spire::allocation::testing;

namespace {

Candidate ranked(std::string id, double expected_rank, double value, Ore cost) {
    auto c = simple(std::move(id), value, cost);
    c.rank = RankInfo{expected_rank, expected_rank, expected_rank};
    return c;
}

std::vector<std::string> ids_in_order(const Allocation& allocation) {
    std::vector<std::string> ids;
    for (const auto& grant : allocation.grants)
        ids.push_back(grant.id);
    return ids;
}

TEST(AllocationPayline, FundsInRankOrderAndSkipsWhatDoesNotFit) {
    // Budget 1000: rank 1 (600) fits, rank 2 (500) does not, rank 3 (300)
    // does, rank 4 (200) does not any more (100 left).
    auto scenario = one_cell(1000, {ranked("r4", 4, 1, 200), ranked("r2", 2, 1, 500),
                                    ranked("r1", 1, 1, 600), ranked("r3", 3, 1, 300)});
    auto result = run_payline(scenario);
    ASSERT_EQ(result.status, SolveStatus::Optimal);
    EXPECT_EQ(ids_in_order(result), (std::vector<std::string>{"r1", "r3"}));
    EXPECT_EQ(result.total(), 900);
    EXPECT_EQ(result.cells.at(0).used, 900);
}

TEST(AllocationPayline, RankNotValueDecidesTheOrder) {
    auto scenario = one_cell(500, {ranked("valuable", 2, 100, 500), ranked("first", 1, 1, 500)});
    EXPECT_EQ(ids_in_order(run_payline(scenario)), (std::vector<std::string>{"first"}));
}

TEST(AllocationPayline, TiesGoToHigherValueThenIdAndUnrankedComeLast) {
    auto scenario =
        one_cell(10'000, {simple("unranked-high", 99, 100), simple("unranked-low", 1, 100),
                          ranked("b", 1, 5, 100), ranked("a", 1, 5, 100), ranked("c", 1, 7, 100)});
    EXPECT_EQ(ids_in_order(run_payline(scenario)),
              (std::vector<std::string>{"c", "a", "b", "unranked-high", "unranked-low"}));
}

TEST(AllocationPayline, NeedsRoomInEveryCellTheRequestTouches) {
    Scenario scenario;
    scenario.budgets = {{cell(2024), 1000}, {cell(2025), 100}};
    scenario.candidates = {
        candidate("two-years", 1, {{cell(2024), 200}, {cell(2025), 200}}),
        candidate("one-year", 1, {{cell(2024), 900}}),
    };
    scenario.candidates[0].rank = RankInfo{1, 1, 1};
    scenario.candidates[1].rank = RankInfo{2, 2, 2};
    EXPECT_EQ(ids_in_order(run_payline(scenario)), (std::vector<std::string>{"one-year"}));
}

TEST(AllocationPayline, LockedYesFirstLockedNoAndThresholdFailuresNever) {
    auto scenario = one_cell(1000, {ranked("top", 1, 1, 500), ranked("vetoed", 2, 1, 100),
                                    ranked("failed", 3, 1, 100), ranked("decided", 9, 1, 500)});
    scenario.candidates[1].lock = Lock::No;
    scenario.candidates[2].below_threshold = true;
    scenario.candidates[3].lock = Lock::Yes;
    EXPECT_EQ(ids_in_order(run_payline(scenario)), (std::vector<std::string>{"decided", "top"}));
}

TEST(AllocationPayline, UnitCapSkipsFurtherCandidatesOfAFullUnit) {
    auto scenario = one_cell(
        10'000, {ranked("a1", 1, 1, 100), ranked("a2", 2, 1, 100), ranked("b1", 3, 1, 100)});
    scenario.candidates[0].unit = scenario.candidates[1].unit = "school-a";
    scenario.candidates[2].unit = "school-b";
    scenario.constraints.max_grants_per_unit = 1;
    auto result = run_payline(scenario);
    EXPECT_EQ(ids_in_order(result), (std::vector<std::string>{"a1", "b1"}));
    ASSERT_EQ(result.binding.size(), 1u);
    EXPECT_EQ(result.binding[0].name, "unit school-a");
}

TEST(AllocationPayline, LockedYesOverBudgetIsInfeasible) {
    auto scenario = one_cell(100, {ranked("a", 1, 1, 200)});
    scenario.candidates[0].lock = Lock::Yes;
    auto result = run_payline(scenario);
    EXPECT_EQ(result.status, SolveStatus::Infeasible);
    EXPECT_EQ(result.culprits, (std::vector<std::string>{"budget 2024/p"}));
}

TEST(AllocationPayline, NeverWorthMoreThanTheOptimum) {
    for (std::uint32_t seed = 1; seed <= 10; ++seed) {
        RandomShape shape;
        shape.candidates = 20;
        shape.units = true;
        auto scenario = random_scenario(seed, shape);
        for (std::size_t i = 0; i < scenario.candidates.size(); ++i)
            scenario.candidates[i].rank = RankInfo{double(i + 1), double(i + 1), double(i + 1)};
        auto payline = run_payline(scenario);
        auto optimum = run_optimiser(scenario);
        ASSERT_EQ(optimum.status, SolveStatus::Optimal);
        EXPECT_LE(payline.objective, *optimum.best_bound + 1e-9) << "seed " << seed;
        for (const auto& use : payline.cells)
            EXPECT_LE(use.used, use.budget);
    }
}

} // namespace
