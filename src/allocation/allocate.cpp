#include "allocation/allocate.hpp"

#include "allocation/optimiser.hpp"
#include "allocation/payline.hpp"

namespace spire::allocation {

Result<AllocationRun> allocate(const Scenario& scenario) {
    if (auto error = validate(scenario))
        return tl::unexpected(std::move(*error));
    AllocationRun run;
    switch (scenario.method) {
    case Method::Optimal:
        run.allocation = run_optimiser(scenario);
        break;
    case Method::Payline:
        run.allocation = run_payline(scenario);
        break;
    case Method::Lottery: {
        auto outcome = run_lottery(scenario);
        run.allocation = std::move(outcome.allocation);
        if (run.allocation.status != SolveStatus::Infeasible)
            run.lottery = std::move(outcome.record);
        run.clearly_above = std::move(outcome.clearly_above);
        run.clearly_below = std::move(outcome.clearly_below);
        break;
    }
    }
    return run;
}

} // namespace spire::allocation
