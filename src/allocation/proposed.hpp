#pragma once

// What one method of a saved scenario proposes for each application, in the
// database's ids (AllocationService::outcome): the decisions work turns these
// into a recommendation (decisions/from_scenario.hpp). Plain structs; no I/O,
// so the pure conversion does not depend on the allocation service.

#include "core/money.hpp"
#include "identity/model.hpp"

#include <vector>

namespace spire::allocation {

using identity::Id;

struct ProposedAmount {
    int year = 0;
    Id programme_id = 0;
    Ore amount_ore = 0;
};

struct ProposedGrant {
    Id application_id = 0;
    Id call_id = 0;      // the application's call (one of the scenario's calls)
    double fraction = 1; // of the request
    std::vector<ProposedAmount> amounts;
    Ore total_ore() const;
};

} // namespace spire::allocation
