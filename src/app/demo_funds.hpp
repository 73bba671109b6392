#pragma once

// The funds part of `spire demo` (DESIGN.md §13, issue 4): Bærum's
// research and innovation fund 2017–2020 with its four programmes, annual
// frames and a believable first two years of reservations, commitments,
// payments and a carry-over, managed by the demo fund manager; and a small
// fund in Asker, to show that tenants are kept apart.

#include "app/demo.hpp"
#include "core/error.hpp"
#include "identity/model.hpp"

#include <map>
#include <string>

namespace spire::funds {
class FundsService;
}

namespace spire::app {

struct DemoFunds {
    identity::Id baerum_fund = 0;
    identity::Id asker_fund = 0;
    std::map<std::string, identity::Id> programmes; // Bærum's, by name
};

// Runs after create_demo_identity(). Narrows the demo fund manager's role to
// the Bærum fund (a grant with its fund_id instead of one for every fund)
// and notes that in `made.logins`. Postings are made as that fund manager,
// so the ledger and the audit log show who did what.
Result<DemoFunds> create_demo_funds(funds::FundsService& funds, identity::IdentityService& identity,
                                    DemoIdentity& made);

} // namespace spire::app
