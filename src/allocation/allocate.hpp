#pragma once

// Runs a scenario's method (allocation/model.hpp): the one entry point the
// CLI (`spire allocate`) and, later, the allocation pages call.

#include "allocation/lottery.hpp"
#include "allocation/model.hpp"

#include <optional>
#include <string>
#include <vector>

namespace spire::allocation {

struct AllocationRun {
    Allocation allocation;
    // Method::Lottery only: the draw's record and who was clearly above or
    // below the line.
    std::optional<LotteryRecord> lottery;
    std::vector<std::string> clearly_above;
    std::vector<std::string> clearly_below;
};

// Invalid (with validate()'s field errors) for an invalid scenario;
// otherwise the method's result, which may itself say Infeasible.
Result<AllocationRun> allocate(const Scenario& scenario);

} // namespace spire::allocation
