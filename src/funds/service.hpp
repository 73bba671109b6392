#pragma once

// Funds use cases: validate -> authorise -> transact -> audit (DESIGN.md §3).
// Handlers, the CLI, the demo data and (later) the decision module call
// these; nothing else touches the funds tables.
//
// Inputs are typed: a handler turns its form into FundInput, ProgrammeInput,
// Posting, FrameChange or LedgerFilter with the parse_* functions of
// funds/forms.hpp (which keep field-level messages for what was typed), then
// calls the service, which adds the checks that need the database (years in
// the fund's period, programmes of the fund, balances). Both report
// Error::invalid with FieldErrors named after the form fields, so one form
// shows both.
//
// Fund ids come from URLs: every call takes the fund id alone and finds the
// organisation from the fund; a fund of another organisation answers
// NotFound, as if it did not exist (funds/policy.hpp).
//
// Every change is one transaction that also appends one audit entry
// (identity/audit_service.hpp): "fund.create", "fund.update",
// "programme.create", "programme.update", "ledger.post", "ledger.reverse",
// "ledger.carry_over", and "ledger.override" for any posting that went
// beyond the available amount (target: the fund; the summary names the
// entries, amounts and reasons).

#include "core/error.hpp"
#include "db/dialect.hpp"
#include "funds/ledger.hpp"
#include "funds/model.hpp"
#include "funds/policy.hpp"
#include "funds/store.hpp"
#include "identity/service.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace spire::db {
class Database;
}

namespace spire::funds {

using identity::Actor;

struct FundsOptions {
    // The roll-up: a posting that leaves this many entries of its fund after
    // the fund's newest checkpoint writes a new one (in the same
    // transaction). A budget summary then reads one checkpoint and at most
    // this many entries, however long the ledger.
    int checkpoint_every = 1000;
};

struct FundInput {
    Id organisation_id = 0; // create_fund only; a fund never changes organisation
    std::string name;
    std::string description;
    int first_year = 0;
    int last_year = 0;
    bool carry_over_allowed = false;
    bool active = true;
};

struct ProgrammeInput {
    std::string name;
    std::string description;
    ProgrammeKind kind = ProgrammeKind::Other;
    bool active = true;
    int sort_order = 0;
};

struct FundDetail {
    Fund fund;
    std::vector<Programme> programmes; // by sort order; inactive ones too
    std::vector<store::Manager> managers;
};

// Set a cell's frame to a total (up or down): posts the difference as one
// frame entry.
struct FrameChange {
    Cell cell;
    Ore total = 0; // >= 0
    std::string reason;
    OverrideRequest override; // lowering a frame below what is used
};

struct PostingResult {
    std::vector<Id> entry_ids; // in the order written (a transfer: source leg first)
    bool overridden = false;   // available went below zero, by a fund manager's override
    Balances after;            // the cells the posting changed, after it
};

// Field-level checks of the inputs (no database): used by the service and
// by forms that want to check before submitting.
std::vector<FieldError> validate_fund(const FundInput& input);
std::vector<FieldError> validate_programme(const ProgrammeInput& input);

class FundsService {
public:
    explicit FundsService(std::shared_ptr<db::Database> database, FundsOptions options = {});

    // --- Funds and programmes ---------------------------------------------------

    // The organisation's funds this actor may see (ViewFunds, then ViewFund
    // per fund: a manager of one fund sees that fund only).
    Result<std::vector<Fund>> funds(const Actor& actor, Id organisation_id);
    // One fund with its programmes and managers (ViewFund).
    Result<FundDetail> fund(const Actor& actor, Id fund_id);
    Result<Id> create_fund(const Actor& actor, const FundInput& input);
    // Refuses a period that leaves out a year with ledger entries.
    Result<void> update_fund(const Actor& actor, Id fund_id, const FundInput& input);

    Result<Id> create_programme(const Actor& actor, Id fund_id, const ProgrammeInput& input);
    Result<void> update_programme(const Actor& actor, Id fund_id, Id programme_id,
                                  const ProgrammeInput& input);

    // --- The ledger ---------------------------------------------------------------

    // frame (adds), transfer, reserve, commit, disburse, release.
    Result<PostingResult> post(const Actor& actor, Id fund_id, const Posting& posting);
    // post() inside the caller's transaction, for a use case of another
    // module whose change and postings must happen together or not at all
    // (a decision and its commitment). The same rules, entries, checkpoint
    // and audit entry as post(); an error leaves the caller to roll back.
    // The caller has authorised the change by its own policy (a decision
    // maker commits money without being a fund manager), so the funds
    // policy's Post is not asked; going beyond the available amount still
    // needs a fund manager's override.
    static Result<PostingResult> post_within(soci::session& sql, db::Engine engine,
                                             const Actor& actor, Id fund_id, const Posting& posting,
                                             const FundsOptions& options = {});
    Result<PostingResult> set_frame(const Actor& actor, Id fund_id, const FrameChange& change);
    // Cancels an entry (both legs of a transfer or carry-over) with reversing
    // entries. Conflict if it is a reversal itself or already reversed.
    Result<PostingResult> reverse(const Actor& actor, Id fund_id, Id entry_id,
                                  const std::string& reason, const OverrideRequest& override = {});
    // Year-end: moves what is available in `year` (one programme, or every
    // active programme) to the same programme in year + 1. Conflict if the
    // fund does not allow it or nothing is available.
    Result<PostingResult> carry_over(const Actor& actor, Id fund_id, int year,
                                     std::optional<Id> programme_id, const std::string& reason);

    // --- Reading --------------------------------------------------------------------

    // Year × programme with totals (ViewBudget); reads the roll-up.
    Result<BudgetSummary> budget(const Actor& actor, Id fund_id);
    // One page of entries, newest first (ViewLedger). page and per_page are
    // clamped to 1.. and 1..MAX_LEDGER_PER_PAGE.
    Result<LedgerPage> ledger(const Actor& actor, Id fund_id, LedgerFilter filter);
    // One entry, with its counterpart leg, the entry reversing it and the
    // author's name (ViewLedger). NotFound for an entry of another fund.
    Result<LedgerEntry> entry(const Actor& actor, Id fund_id, Id entry_id);
    // Every entry matching the filter, oldest first, for CSV/XLSX exports
    // (ViewLedger); page and per_page are ignored. One read transaction.
    Result<void> export_ledger(const Actor& actor, Id fund_id, const LedgerFilter& filter,
                               const std::function<void(const LedgerEntry&)>& visit);

    const FundsOptions& options() const { return m_options; }

private:
    struct Plan;
    using Planner = std::function<Result<Plan>(soci::session&, const Fund&,
                                               const std::vector<Programme>&, const Balances&)>;
    // Runs one posting: finds and authorises the fund, locks it, reads its
    // balances, asks `planner` what to write, checks the balance rules,
    // writes the entries (and a checkpoint when due) and the audit entry.
    Result<PostingResult> run_posting(const Actor& actor, Id fund_id, FundsAction action,
                                      const Planner& planner);
    // run_posting's work inside an open transaction.
    // Who authorised a posting: the funds policy (action), or the caller.
    enum class AuthorisedBy { FundsPolicy, Caller };
    static Result<PostingResult> run_posting_within(soci::session& sql, db::Engine engine,
                                                    const FundsOptions& options, const Actor& actor,
                                                    Id fund_id, FundsAction action,
                                                    AuthorisedBy authorised,
                                                    const Planner& planner);
    static Result<Plan> plan_posting(const Posting& posting, const Fund& fund,
                                     const std::vector<Programme>& programmes);

    std::shared_ptr<db::Database> m_database;
    FundsOptions m_options;
};

} // namespace spire::funds
