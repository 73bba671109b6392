#pragma once

// The budget ledger's arithmetic and rules (DESIGN.md §4). Pure functions: no
// SQL, no clock. The service reads balances, asks these functions what a
// posting would change and whether that is allowed, and writes the entries.
//
// A cell is fund × year × programme. Its balance is the sum of its entries,
// never a stored counter:
//
//   budget     = frame + transfers in − transfers out + carried in − carried out
//   reserved   = reserve entries − releases of reservations
//   committed  = commit entries − releases of commitments   (disbursed is part of it)
//   unpaid     = committed − disbursed
//   available  = budget − reserved − committed
//
// Kinds:
//   frame       the annual frame granted to the programme (+ adds; a frame
//               lowered with set_frame is a negative frame entry)
//   transfer    money moved to another cell: a negative leg in the source and
//               a positive leg in the destination (two rows, see below)
//   reserve     money set aside on a condition (own contribution waiting for
//               an external funder): lowers available
//   commit      a commitment (tilsagn): lowers available
//   disburse    money paid out against a commitment: changes nothing but
//               `unpaid`; never more than is unpaid
//   release     money given back to available, with a target: release of a
//               reservation (at most what is reserved) or of a commitment (at
//               most what is unpaid: paid money cannot come back)
//   carry_over  at year end, the unused available of a cell moved to the same
//               programme next year (two legs, like a transfer), only when the
//               fund allows it
//
// Transfers and carry-overs are two entries rather than one row naming two
// cells: then every entry belongs to exactly one cell, every balance is one
// GROUP BY over the ledger, the roll-up checkpoints are per cell, and the
// ledger of a cell (the drill-down) lists everything that changed it. The
// second leg names the first in counterpart_id; both are written in one
// transaction. Transfers in and out are shown as gross flows by sign, so a
// reversed outgoing transfer shows as out and back in (as the ledger does).
//
// Corrections: a reversing entry repeats the kind, cell, target and
// reference of the entry it cancels with the amount negated (both legs of a
// transfer or carry-over are reversed together). Reversals are checked by
// the same rules as any posting: reversing a commitment that has payments is
// refused until those are reversed.
//
// Rules ("worse" means the posting moves the value further the wrong way, so
// a posting that improves a cell already over budget is never refused):
//   - frame, reserved and unpaid never go below zero;
//   - with a reference (application/project/contract), the reference's own
//     reserved and unpaid in the cell never go below zero either;
//   - available never goes below zero, unless a fund manager overrides with
//     a written reason; the entries then carry the override and its reason.

#include "core/error.hpp"
#include "funds/model.hpp"

#include <compare>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace spire::funds {

struct Cell {
    int year = 0;
    Id programme_id = 0;
    auto operator<=>(const Cell&) const = default;
};

// The totals of one cell (or of a sum of cells), each a sum of signed entry
// amounts by kind.
struct CellBalance {
    Ore frame = 0;
    Ore transfers_in = 0;  // positive transfer legs
    Ore transfers_out = 0; // negative transfer legs, as a positive number
    Ore carried_in = 0;
    Ore carried_out = 0;
    Ore reserve_entries = 0; // reserve entries (net of their reversals)
    Ore released_reserve = 0;
    Ore commit_entries = 0;
    Ore released_commit = 0;
    Ore disbursed = 0;
    long long entries = 0; // ledger rows behind these totals

    Ore transfers_net() const { return transfers_in - transfers_out; }
    Ore carried_net() const { return carried_in - carried_out; }
    Ore budget() const { return frame + transfers_net() + carried_net(); }
    Ore reserved() const { return reserve_entries - released_reserve; }
    Ore committed() const { return commit_entries - released_commit; }
    Ore unpaid() const { return committed() - disbursed; }
    Ore available() const { return budget() - reserved() - committed(); }

    // Adds one entry (or `count` entries summing to `amount`) of `kind`.
    void add(EntryKind kind, std::optional<ReleaseOf> release_of, Ore amount, long long count = 1);
    CellBalance& operator+=(const CellBalance& other);
    bool operator==(const CellBalance&) const = default;
};

using Balances = std::map<Cell, CellBalance>;

// The sums the store returns: entries of one cell, kind, release target and
// sign, added up.
struct BucketSum {
    Cell cell;
    EntryKind kind = EntryKind::Frame;
    std::optional<ReleaseOf> release_of;
    bool positive = true;
    Ore total = 0;
    long long count = 0;
};

Balances fold(const std::vector<BucketSum>& buckets);

// One change to one cell: what one ledger row will record.
struct Effect {
    Cell cell;
    EntryKind kind = EntryKind::Frame;
    std::optional<ReleaseOf> release_of;
    Ore amount = 0; // signed, never 0
};

void apply_effects(Balances& balances, const std::vector<Effect>& effects);

// --- Postings ---------------------------------------------------------------------

struct OverrideRequest {
    bool requested = false; // "go beyond the available amount"
    std::string reason;     // required when requested
};

// A posting by hand or from another module, already parsed (funds/forms.hpp
// parses the form). Carry-overs and reversals have their own service calls.
struct Posting {
    EntryKind kind = EntryKind::Reserve; // not CarryOver
    Cell cell;                           // for a transfer: where the money comes from
    std::optional<Cell> to;              // transfer only: where it goes
    std::optional<ReleaseOf> release_of; // release only
    Ore amount = 0;                      // > 0
    std::optional<Reference> reference;  // reserve, commit, disburse, release only
    std::string reason;
    OverrideRequest override;
};

// The form-level checks that need the fund and its programmes but no
// balances: amount, years in the period, programmes of the fund and active,
// transfer target, release target, reference, reason, override reason. Field
// names are those of funds/forms.hpp (amount, year, programme_id, to_year,
// to_programme_id, release_of, reference_type, reference_id, reason,
// override_reason, kind).
std::vector<FieldError> validate_posting(const Posting& posting, const Fund& fund,
                                         const std::vector<Programme>& programmes);

// The reason of a reversal, carry-over or frame change (field "reason").
std::optional<FieldError> reason_problem(const std::string& reason);
// The override part alone (field "override_reason").
std::optional<FieldError> override_problem(const OverrideRequest& request);

std::vector<Effect> effects_of(const Posting& posting);

// The effects that cancel `legs` (an entry, or both legs of a transfer or
// carry-over).
std::vector<Effect> reversal_of(const std::vector<LedgerEntry>& legs);

// Moves the available money of each of `programme_ids` in `year` to the same
// programme in year + 1. Cells with nothing available are left out.
std::vector<Effect> carry_over_of(const Balances& balances, int year,
                                  const std::vector<Id>& programme_ids);

// The effect that changes a cell's frame to `total` (none if it already is).
std::optional<Effect> frame_change(const Balances& balances, Cell cell, Ore total);

enum class MayOverride { No, Yes };

struct Checked {
    bool overridden = false; // available went (further) below zero, allowed
    Balances after;          // the cells the effects touched, after them
};

// Whether `effects` may be posted on top of `before` (the fund's balances)
// and, when the posting names a reference, `reference_before` (the balances
// of that reference's entries alone). Invalid (field "amount") for a broken
// rule; for available going negative also when no override was requested;
// Forbidden when one was requested by someone who may not override.
Result<Checked> check_effects(const Balances& before, const Balances* reference_before,
                              const std::vector<Effect>& effects, const OverrideRequest& request,
                              MayOverride may_override);

// --- The budget overview ----------------------------------------------------------

// Year × programme with totals, as the budget page and the API show it.
struct BudgetSummary {
    Fund fund;
    std::vector<Programme> programmes; // sorted; inactive ones too
    std::vector<int> years;            // the fund's period
    Balances cells;                    // every year × programme, zero cells included

    const CellBalance& cell(int year, Id programme_id) const;
    CellBalance year_total(int year) const;
    CellBalance programme_total(Id programme_id) const;
    CellBalance total() const;
};

// Fills every year × programme of the period; keeps cells outside it (which
// validation never lets in) so that totals still add up.
BudgetSummary make_summary(Fund fund, std::vector<Programme> programmes, Balances balances);

// --- Messages (gettext msgids) ----------------------------------------------------

namespace message {
inline constexpr const char* CHECK_FIELDS = "Check the fields marked below.";
inline constexpr const char* AMOUNT_NOT_POSITIVE = "The amount must be greater than zero.";
inline constexpr const char* AMOUNT_TOO_LARGE = "The amount is too large.";
inline constexpr const char* YEAR_OUTSIDE_PERIOD = "Choose a year within the fund's period.";
inline constexpr const char* UNKNOWN_PROGRAMME = "Choose a programme of this fund.";
inline constexpr const char* PROGRAMME_CLOSED = "The programme is closed for new postings.";
inline constexpr const char* TRANSFER_NEEDS_TARGET =
    "Choose the year and programme to transfer to.";
inline constexpr const char* TRANSFER_SAME_CELL =
    "Choose another year or programme to transfer to.";
inline constexpr const char* RELEASE_NEEDS_TARGET =
    "Choose whether to release a reservation or a commitment.";
inline constexpr const char* NOT_A_POSTING_KIND = "Choose what kind of posting this is.";
inline constexpr const char* REFERENCE_NOT_ALLOWED =
    "Only reservations, commitments, disbursements and releases can refer to an application, "
    "project or contract.";
inline constexpr const char* REFERENCE_ID = "Enter the number of the application, project or "
                                            "contract.";
inline constexpr const char* REASON_MISSING = "Write the reason for this posting.";
inline constexpr const char* REASON_TOO_LONG = "The reason is too long.";
inline constexpr const char* OVERRIDE_REASON_MISSING = "Write why the budget may be exceeded.";
inline constexpr const char* NOT_ENOUGH_AVAILABLE =
    "Not enough money is available in this programme and year. A fund manager can go beyond it "
    "by writing why.";
inline constexpr const char* OVERRIDE_FORBIDDEN =
    "Only a fund manager can go beyond the available amount.";
inline constexpr const char* FRAME_BELOW_ZERO = "The frame cannot be less than zero.";
inline constexpr const char* RELEASE_MORE_THAN_RESERVED =
    "You cannot release more than is reserved.";
inline constexpr const char* RELEASE_MORE_THAN_UNPAID =
    "You cannot release more of the commitment than is not yet paid out.";
inline constexpr const char* DISBURSE_MORE_THAN_UNPAID =
    "You cannot disburse more than is committed and not yet paid out.";
inline constexpr const char* REFERENCE_RELEASE_MORE_THAN_RESERVED =
    "You cannot release more than is reserved for this application, project or contract.";
inline constexpr const char* REFERENCE_MORE_THAN_UNPAID =
    "This is more than is committed to this application, project or contract and not yet paid "
    "out.";
inline constexpr const char* REVERSAL_BREAKS_BALANCE =
    "Reversing this entry would leave more paid out or released than was committed or reserved. "
    "Reverse those entries first.";
inline constexpr const char* FRAME_UNCHANGED = "The frame is already this amount.";
inline constexpr const char* FUND_CLOSED = "The fund is closed for new postings.";
inline constexpr const char* NO_SUCH_ENTRY = "No such ledger entry.";
inline constexpr const char* ALREADY_REVERSED = "This entry has already been reversed.";
inline constexpr const char* REVERSAL_OF_REVERSAL =
    "A reversing entry cannot be reversed. Post the entry again instead.";
inline constexpr const char* CARRY_OVER_NOT_ALLOWED =
    "This fund does not carry unused money over to the next year.";
inline constexpr const char* NO_NEXT_YEAR =
    "There is no next year in the fund's period to carry over to.";
inline constexpr const char* NOTHING_TO_CARRY_OVER = "Nothing is available to carry over.";

// Funds and programmes (funds/service.hpp).
inline constexpr const char* FUND_NAME_MISSING = "Enter the name of the fund.";
inline constexpr const char* PROGRAMME_NAME_MISSING = "Enter the name of the programme.";
inline constexpr const char* NAME_TOO_LONG = "The name is too long.";
inline constexpr const char* DESCRIPTION_TOO_LONG = "The description is too long.";
inline constexpr const char* YEAR_OUT_OF_RANGE = "Enter a year between 2000 and 2100.";
inline constexpr const char* LAST_YEAR_BEFORE_FIRST =
    "The last year cannot be before the first year.";
inline constexpr const char* PERIOD_TOO_LONG = "A fund's period can be at most 20 years.";
inline constexpr const char* PERIOD_LEAVES_OUT_ENTRIES =
    "The period must include every year that has ledger entries.";
inline constexpr const char* FUND_NAME_TAKEN = "A fund with this name already exists.";
inline constexpr const char* PROGRAMME_NAME_TAKEN =
    "A programme with this name already exists in this fund.";
inline constexpr const char* TOO_MANY_PROGRAMMES = "A fund can have at most 50 programmes.";
inline constexpr const char* NO_SUCH_ORGANISATION = "No such organisation.";
} // namespace message

} // namespace spire::funds
