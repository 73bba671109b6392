#include "allocation/proposed.hpp"

namespace spire::allocation {

Ore ProposedGrant::total_ore() const {
    Ore total = 0;
    for (const auto& amount : amounts)
        total += amount.amount_ore;
    return total;
}

} // namespace spire::allocation
