#pragma once

// The offline file formats of allocation (docs/allocation-file.md), in
// Boost.JSON:
//
//   - a scenario: "format": "spire-allocation-scenario/1", self-contained
//     (candidates, budgets per year × programme, constraints, method,
//     optimiser settings, lottery seed);
//   - a result: "format": "spire-allocation-result/1" (grants with øre per
//     cell, objective, bound, proven gap, binding constraints, solve time,
//     and the lottery record for the lottery method);
//   - a lottery record on its own: "format": "spire-lottery-record/1".
//
// Files are untrusted input: parsing refuses anything unexpected – unknown
// keys, wrong types, fractional or negative øre, out-of-range years and
// shares – with Invalid and one field error per problem, the field being
// the path in the document ("candidates/3/costs/0/amount_ore"). A parsed
// scenario has also passed allocation::validate().

#include "allocation/allocate.hpp"
#include "allocation/lottery.hpp"
#include "allocation/model.hpp"
#include "core/error.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace spire::allocation {

inline constexpr std::string_view SCENARIO_FORMAT = "spire-allocation-scenario/1";
inline constexpr std::string_view RESULT_FORMAT = "spire-allocation-result/1";
inline constexpr std::string_view LOTTERY_RECORD_FORMAT = "spire-lottery-record/1";

// Larger files are refused before they are parsed (100 000 candidates with
// long names stay well below).
inline constexpr std::size_t MAX_FILE_BYTES = 64 * 1024 * 1024;

Result<Scenario> parse_scenario(std::string_view json);
std::string write_scenario(const Scenario& scenario);

std::string write_result(const AllocationRun& run);

Result<LotteryRecord> parse_lottery_record(std::string_view json);
std::string write_lottery_record(const LotteryRecord& record);

// What `spire lottery verify` reads: a lottery record, a result with one
// ("lottery"), or {"scenario": {...}, "result": {...}} to re-run the draw
// from the scenario and compare.
struct VerifyInput {
    std::optional<Scenario> scenario;
    LotteryRecord record;
};
Result<VerifyInput> parse_verify_input(std::string_view json);

} // namespace spire::allocation
