#pragma once

// Who may do what with funds, programmes and the ledger. Pure functions; see
// core/decision.hpp.
//
//   fund manager   of the fund (a grant with that fund_id, or without a fund:
//                  every fund of the organisation): everything about the
//                  fund — settings, programmes, postings, overrides, carry-over
//   admin          creates funds, changes their settings, reads everything
//   auditor        reads everything (funds, budget, ledger), writes nothing
//   decision maker of the fund: reads the fund and its budget, not the ledger
//   anyone else    refused (in their own organisation)
//   other tenants  NotFound, as if the fund did not exist
//
// Organisation-wide fund managers may also create funds (they configure the
// fund system, DESIGN.md §1); fund-scoped ones may not.

#include "core/decision.hpp"
#include "identity/model.hpp"

#include <optional>

namespace spire::funds {

using identity::Id;
using identity::Principal;

enum class FundsAction {
    ViewFunds,         // the list of the organisation's funds (each then needs ViewFund)
    ViewFund,          // one fund with its programmes
    CreateFund,        // no fund_id in the resource
    ChangeFund,        // name, description, period, carry-over, active
    ChangeProgrammes,  // add, edit, deactivate programmes
    ViewBudget,        // year × programme summary
    ViewLedger,        // the entries, with filters and exports
    Post,              // frame, transfer, reserve, commit, disburse, release, reversal
    OverrideAvailable, // post beyond the available amount, with a reason
    CarryOver,         // year-end carry-over
};

inline constexpr FundsAction ALL_FUNDS_ACTIONS[] = {
    FundsAction::ViewFunds,         FundsAction::ViewFund,
    FundsAction::CreateFund,        FundsAction::ChangeFund,
    FundsAction::ChangeProgrammes,  FundsAction::ViewBudget,
    FundsAction::ViewLedger,        FundsAction::Post,
    FundsAction::OverrideAvailable, FundsAction::CarryOver};

// The organisation the fund belongs to (not the user's), and the fund
// (none for ViewFunds and CreateFund).
struct FundsResource {
    Id organisation_id = 0;
    std::optional<Id> fund_id;
};

// `user` is null for anonymous requests.
Decision authorize(const Principal* user, FundsAction action, const FundsResource& resource);

// Whether the user holds `role` for this fund: a grant for the fund itself
// or one for the whole organisation.
bool holds_for_fund(const Principal& user, identity::Role role, Id fund_id);

} // namespace spire::funds
