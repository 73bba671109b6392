// The allocation file formats (allocation/scenario_file.hpp): round trips of
// scenarios and lottery records, a hand-written example, and one rejection
// per kind of bad input, each naming the field.

#include "allocation/allocate.hpp"
#include "allocation/scenario_file.hpp"
#include "allocation_instances.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

using namespace spire;
using namespace spire::allocation;
using namespace spire::allocation::testing;

namespace {

constexpr const char* EXAMPLE = R"({
  "format": "spire-allocation-scenario/1",
  "method": "optimal",
  "budgets": [
    {"year": 2024, "programme": "risk_capital", "amount_ore": 100000000},
    {"year": 2025, "programme": "risk_capital", "amount_ore": 50000000}
  ],
  "candidates": [
    {"id": "APP-1", "value": 5.5, "unit": "school-7", "themes": ["climate"],
     "rank": {"expected": 1.4, "low": 1, "high": 2},
     "costs": [{"year": 2024, "programme": "risk_capital", "amount_ore": 40000000},
               {"year": 2025, "programme": "risk_capital", "amount_ore": 10000000}]},
    {"id": "APP-2", "value": 3, "lock": "yes", "below_threshold": false,
     "costs": [{"year": 2024, "programme": "risk_capital", "amount_ore": 20000000}]}
  ],
  "constraints": {
    "share_limits": [{"theme": "climate", "min": 0.2}, {"programme": "risk_capital", "max": 1}],
    "partial_funding": {"min_share": 0.5},
    "max_grants_per_unit": 2
  },
  "optimiser": {"relative_gap": 0.0001, "max_seconds": 30},
  "lottery": {"seed": "announced 2024-05-01", "line_grants": 1}
})";

// The document with `path` (a/b/0/c) replaced by `replacement` (JSON text),
// or removed when replacement is empty.
std::string edited(const std::string& document, const std::vector<std::string>& path,
                   const std::string& replacement) {
    auto root = boost::json::parse(document);
    boost::json::value* node = &root;
    for (std::size_t i = 0; i + 1 < path.size(); ++i) {
        if (node->is_array())
            node = &node->as_array().at(std::stoul(path[i]));
        else
            node = &node->as_object().at(path[i]);
    }
    const auto& last = path.back();
    if (node->is_array())
        node->as_array().at(std::stoul(last)) = boost::json::parse(replacement);
    else if (replacement.empty())
        node->as_object().erase(last);
    else
        node->as_object()[last] = boost::json::parse(replacement);
    return boost::json::serialize(root);
}

// Refused, with a field error at `field` whose message contains `words`.
void expect_refused(const std::string& document, const std::string& field,
                    const std::string& words) {
    auto parsed = parse_scenario(document);
    ASSERT_FALSE(parsed.has_value()) << "accepted; wanted " << field << ": " << words;
    EXPECT_EQ(parsed.error().kind, ErrorKind::Invalid);
    bool found = false;
    std::string all;
    for (const auto& error : parsed.error().fields) {
        all += error.field + ": " + error.message + "; ";
        if (error.field == field && error.message.find(words) != std::string::npos)
            found = true;
    }
    EXPECT_TRUE(found) << "wanted " << field << ": " << words << "; got " << all;
}

// Boost.JSON 1.81 reads some 17-digit numbers back 1 ulp off (its exact
// number parsing came in 1.83): doubles are compared to within 4 ulps,
// everything else exactly.
void expect_same_scenario(Scenario parsed, const Scenario& original) {
    ASSERT_EQ(parsed.candidates.size(), original.candidates.size());
    for (std::size_t i = 0; i < parsed.candidates.size(); ++i) {
        auto& got = parsed.candidates[i];
        const auto& want = original.candidates[i];
        EXPECT_DOUBLE_EQ(got.value, want.value);
        got.value = want.value;
        if (got.rank && want.rank) {
            EXPECT_DOUBLE_EQ(got.rank->expected, want.rank->expected);
            EXPECT_DOUBLE_EQ(got.rank->low, want.rank->low);
            EXPECT_DOUBLE_EQ(got.rank->high, want.rank->high);
            got.rank = want.rank;
        }
    }
    EXPECT_EQ(parsed, original);
}

TEST(AllocationFile, ReadsTheDocumentedExample) {
    auto scenario = parse_scenario(EXAMPLE);
    ASSERT_TRUE(scenario.has_value())
        << scenario.error().fields.at(0).field << ": " << scenario.error().fields.at(0).message;
    EXPECT_EQ(scenario->method, Method::Optimal);
    ASSERT_EQ(scenario->candidates.size(), 2u);
    const auto& first = scenario->candidates[0];
    EXPECT_EQ(first.id, "APP-1");
    EXPECT_DOUBLE_EQ(first.value, 5.5);
    EXPECT_EQ(first.total_cost(), 50'000'000);
    EXPECT_EQ(first.unit, "school-7");
    EXPECT_TRUE(first.has_theme("climate"));
    ASSERT_TRUE(first.rank);
    EXPECT_DOUBLE_EQ(first.rank->high, 2);
    EXPECT_EQ(scenario->candidates[1].lock, Lock::Yes);
    EXPECT_EQ(scenario->budget(cell(2025, "risk_capital")), 50'000'000);
    ASSERT_EQ(scenario->constraints.share_limits.size(), 2u);
    EXPECT_EQ(scenario->constraints.share_limits[0].target, ShareTarget::Theme);
    EXPECT_FALSE(scenario->constraints.share_limits[0].max);
    EXPECT_DOUBLE_EQ(scenario->constraints.partial_funding->min_share, 0.5);
    EXPECT_EQ(scenario->constraints.max_grants_per_unit, 2);
    EXPECT_DOUBLE_EQ(scenario->optimiser.max_seconds, 30);
    EXPECT_EQ(scenario->lottery->seed, "announced 2024-05-01");
    EXPECT_EQ(scenario->lottery->line_grants, 1);
}

TEST(AllocationFile, ScenariosRoundTrip) {
    auto example = parse_scenario(EXAMPLE);
    ASSERT_TRUE(example);
    auto again = parse_scenario(write_scenario(*example));
    ASSERT_TRUE(again);
    EXPECT_EQ(*again, *example);

    for (std::uint32_t seed = 1; seed <= 10; ++seed) {
        RandomShape shape;
        shape.locks = shape.units = shape.shares = true;
        auto scenario = random_scenario(seed, shape);
        for (std::size_t i = 0; i < scenario.candidates.size(); ++i) {
            // Values that need all 17 digits to come back exactly.
            scenario.candidates[i].value = 1.0 / double(i + 3);
            scenario.candidates[i].rank = RankInfo{i + 1.5, double(i + 1), i + 2.25};
        }
        scenario.constraints.partial_funding = PartialFunding{0.3};
        scenario.method = Method::Lottery;
        scenario.lottery = LotterySettings{"seed " + std::to_string(seed), std::nullopt};
        ASSERT_FALSE(validate(scenario));
        auto parsed = parse_scenario(write_scenario(scenario));
        ASSERT_TRUE(parsed) << parsed.error().fields.at(0).field;
        expect_same_scenario(*parsed, scenario);
    }
}

TEST(AllocationFile, RefusesWhatIsNotAScenario) {
    expect_refused("{\"format\": ", "(document)", "not JSON");
    expect_refused("[1, 2]", "(document)", "must be an object");
    expect_refused(edited(EXAMPLE, {"format"}, "\"spire-allocation-scenario/2\""), "format",
                   "must be \"spire-allocation-scenario/1\"");
    expect_refused(edited(EXAMPLE, {"method"}, ""), "method", "is required");
    expect_refused(edited(EXAMPLE, {"method"}, "\"best\""), "method", "must be \"optimal\"");
    expect_refused(edited(EXAMPLE, {"candidates"}, "{}"), "candidates", "must be an array");
    expect_refused(edited(EXAMPLE, {"extra"}, "1"), "extra", "unknown key");
}

TEST(AllocationFile, RefusesBadAmounts) {
    expect_refused(edited(EXAMPLE, {"budgets", "0", "amount_ore"}, "-1"), "budgets/0/amount_ore",
                   "must be an amount in øre from 0");
    expect_refused(edited(EXAMPLE, {"candidates", "0", "costs", "0", "amount_ore"}, "12.5"),
                   "candidates/0/costs/0/amount_ore", "whole number");
    expect_refused(edited(EXAMPLE, {"candidates", "0", "costs", "0", "amount_ore"}, "\"100\""),
                   "candidates/0/costs/0/amount_ore", "whole number");
    expect_refused(edited(EXAMPLE, {"candidates", "0", "costs", "0", "amount_ore"}, "0"),
                   "candidates/0/costs/0/amount_ore", "more than 0");
    expect_refused(edited(EXAMPLE, {"budgets", "0", "amount_ore"}, "18446744073709551615"),
                   "budgets/0/amount_ore", "from 0 to");
}

TEST(AllocationFile, RefusesUnknownCellsAndYears) {
    expect_refused(edited(EXAMPLE, {"candidates", "0", "costs", "0", "programme"}, "\"research\""),
                   "candidates/0/costs/0", "no budget for 2024/research");
    expect_refused(edited(EXAMPLE, {"candidates", "0", "costs", "0", "year"}, "2026"),
                   "candidates/0/costs/0", "no budget for 2026/risk_capital");
    expect_refused(edited(EXAMPLE, {"budgets", "1", "year"}, "1800"), "budgets/1/year",
                   "must be a year");
    expect_refused(edited(EXAMPLE, {"budgets", "1", "year"}, "2024"), "budgets/1", "given twice");
    expect_refused(edited(EXAMPLE, {"constraints", "share_limits", "1"},
                          R"({"programme": "research", "max": 0.5})"),
                   "constraints/share_limits/1/programme", "unknown programme");
}

TEST(AllocationFile, RefusesSharesOutOfRange) {
    expect_refused(edited(EXAMPLE, {"constraints", "partial_funding", "min_share"}, "0"),
                   "constraints/partial_funding/min_share", "more than 0 and at most 1");
    expect_refused(edited(EXAMPLE, {"constraints", "partial_funding", "min_share"}, "1.5"),
                   "constraints/partial_funding/min_share", "more than 0 and at most 1");
    expect_refused(edited(EXAMPLE, {"constraints", "share_limits", "0"},
                          R"({"theme": "climate", "min": 0.6, "max": 0.4})"),
                   "constraints/share_limits/0", "min must not be more than max");
    expect_refused(edited(EXAMPLE, {"constraints", "share_limits", "0"},
                          R"({"theme": "climate", "min": -0.1})"),
                   "constraints/share_limits/0/min", "from 0 to 1");
    expect_refused(edited(EXAMPLE, {"constraints", "share_limits", "0"}, R"({"theme": "climate"})"),
                   "constraints/share_limits/0", "needs a min or a max");
    expect_refused(edited(EXAMPLE, {"constraints", "share_limits", "0"},
                          R"({"programme": "a", "theme": "b", "min": 0})"),
                   "constraints/share_limits/0", "either");
    expect_refused(edited(EXAMPLE, {"constraints", "max_grants_per_unit"}, "0"),
                   "constraints/max_grants_per_unit", "from 1");
}

TEST(AllocationFile, RefusesBadCandidates) {
    expect_refused(edited(EXAMPLE, {"candidates", "1", "id"}, "\"APP-1\""), "candidates/1/id",
                   "duplicate id 'APP-1'");
    expect_refused(edited(EXAMPLE, {"candidates", "0", "id"}, "\"\""), "candidates/0/id",
                   "must not be empty");
    expect_refused(edited(EXAMPLE, {"candidates", "0", "value"}, "\"high\""), "candidates/0/value",
                   "must be a number");
    expect_refused(edited(EXAMPLE, {"candidates", "0", "lock"}, "\"maybe\""), "candidates/0/lock",
                   "must be \"free\", \"yes\" or \"no\"");
    expect_refused(edited(EXAMPLE, {"candidates", "0", "below_threshold"}, "1"),
                   "candidates/0/below_threshold", "true or false");
    expect_refused(edited(EXAMPLE, {"candidates", "0", "costs"}, "[]"), "candidates/0/costs",
                   "at least one");
    expect_refused(edited(EXAMPLE, {"candidates", "0", "themes"}, "[\"a\", 2]"),
                   "candidates/0/themes/1", "must be a string");
    expect_refused(
        edited(EXAMPLE, {"candidates", "0", "rank"}, R"({"expected": 1, "low": 2, "high": 3})"),
        "candidates/0/rank", "low <= expected <= high");
    expect_refused(edited(EXAMPLE, {"candidates", "1", "below_threshold"}, "true"),
                   "candidates/1/lock", "below a threshold cannot be locked");
    expect_refused(edited(EXAMPLE, {"candidates", "0", "valu"}, "1"), "candidates/0/valu",
                   "unknown key");
}

TEST(AllocationFile, RefusesALotteryWithoutSeedOrRanks) {
    auto lottery = edited(EXAMPLE, {"method"}, "\"lottery\"");
    expect_refused(edited(lottery, {"lottery"}, ""), "lottery", "needs lottery settings");
    expect_refused(edited(lottery, {"lottery", "seed"}, "\"\""), "lottery/seed",
                   "must not be empty");
    // APP-2 is locked yes (no rank needed); APP-1 without a rank is refused.
    expect_refused(edited(lottery, {"candidates", "0", "rank"}, ""), "candidates/0/rank",
                   "rank interval");
}

TEST(AllocationFile, ResultCarriesTheLotteryRecordBack) {
    auto scenario = parse_scenario(edited(EXAMPLE, {"method"}, "\"lottery\""));
    ASSERT_TRUE(scenario) << scenario.error().fields.at(0).field << ": "
                          << scenario.error().fields.at(0).message;
    auto run = allocate(*scenario);
    ASSERT_TRUE(run);
    ASSERT_TRUE(run->lottery);
    auto result = write_result(*run);
    auto document = boost::json::parse(result).as_object();
    EXPECT_EQ(document.at("format").as_string(), "spire-allocation-result/1");
    EXPECT_EQ(document.at("status").as_string(), "optimal");

    auto from_result = parse_verify_input(result);
    ASSERT_TRUE(from_result);
    EXPECT_FALSE(from_result->scenario);
    EXPECT_EQ(from_result->record, *run->lottery);

    auto both = parse_verify_input("{\"scenario\": " + write_scenario(*scenario) +
                                   ", \"result\": " + result + "}");
    ASSERT_TRUE(both) << both.error().fields.at(0).field << both.error().fields.at(0).message;
    EXPECT_EQ(*both->scenario, *scenario);

    auto record = parse_lottery_record(write_lottery_record(*run->lottery));
    ASSERT_TRUE(record);
    EXPECT_EQ(*record, *run->lottery);
}

TEST(AllocationFile, RefusesABadLotteryRecord) {
    LotteryRecord record;
    record.seed = "s";
    record.members = {{"a", {{cell(2024), 100}}, lottery_hash("s", "a")}};
    record.order = {"a"};
    auto text = write_lottery_record(record);
    ASSERT_TRUE(parse_lottery_record(text));
    auto bad_hash = edited(text, {"members", "0", "hash"}, "\"ABC\"");
    auto parsed = parse_lottery_record(bad_hash);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().fields.at(0).field, "members/0/hash");
    auto no_winners = parse_lottery_record(edited(text, {"winners"}, ""));
    ASSERT_FALSE(no_winners);
    EXPECT_EQ(no_winners.error().fields.at(0).field, "winners");
}

TEST(AllocationFile, ResultOfAnOptimumListsGrantsCellsAndGap) {
    auto scenario = parse_scenario(EXAMPLE);
    ASSERT_TRUE(scenario);
    auto run = allocate(*scenario);
    ASSERT_TRUE(run);
    auto document = boost::json::parse(write_result(*run)).as_object();
    EXPECT_EQ(document.at("method").as_string(), "optimal");
    EXPECT_TRUE(document.at("proven_gap").is_double());
    EXPECT_TRUE(document.at("best_bound").is_double());
    EXPECT_EQ(document.at("cells").as_array().size(), 2u);
    // Both fit: 60 of 100 MNOK... in 2024, 10 of 50 in 2025.
    EXPECT_EQ(document.at("grants").as_array().size(), 2u);
    EXPECT_EQ(document.at("total_ore").as_int64(), 70'000'000);
    EXPECT_FALSE(document.contains("lottery"));
}

} // namespace
