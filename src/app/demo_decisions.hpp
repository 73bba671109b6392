#pragma once

// The decisions part of `spire demo` (issue 7 item 6): the autumn 2017 risk
// capital round (app/demo_review.hpp) is decided. The fund manager
// recommends, in the calibrated ranking's order, the requested amount for
// the best applications while the programme's 2018 money lasts (at most
// ten, each between 35 000 and 500 000 kr, as in Bærum's real round) and
// rejection for the rest, each with a justification; the decision maker
// approves the recommendation, so the budget page shows the commitments,
// every applicant has a letter and the outbox holds the decision mail. The
// lowest ranked application is left undecided, for the demo user (and the
// browser test) to propose and decide by hand.

#include "app/demo.hpp"
#include "app/demo_funds.hpp"
#include "core/error.hpp"
#include "core/money.hpp"
#include "identity/model.hpp"

#include <memory>

namespace spire::db {
class Database;
}

namespace spire::app {

struct DemoDecisions {
    identity::Id recommendation = 0;
    int granted = 0;
    int rejected = 0;
    Ore committed_ore = 0;
};

// The most a demo grant may be, and the least (Bærum's innovasjonsmidler).
inline constexpr Ore DEMO_MIN_GRANT_ORE = 35'000 * ORE_PER_KRONE;
inline constexpr Ore DEMO_MAX_GRANT_ORE = 500'000 * ORE_PER_KRONE;
inline constexpr int DEMO_MAX_GRANTS = 10;
inline constexpr int DEMO_DECISION_YEAR = 2018;

// Runs after create_demo_review(), as the demo fund manager and decision
// maker.
Result<DemoDecisions> create_demo_decisions(std::shared_ptr<db::Database> database,
                                            const DemoFunds& funds, const DemoIdentity& made,
                                            identity::Id call_id);

} // namespace spire::app
