#pragma once

// Recommendation and decision use cases: validate -> authorise
// (decisions/policy.hpp) -> transact -> audit (DESIGN.md §2.5, §3; issue 7
// items 3–5).
//
// The flow: the fund manager proposes per application (by hand on the
// call's decisions page, or later from an allocation scenario) with
// create_recommendation() and submits it; the decision maker approves it as
// it is (every proposal becomes a decision), adjusts it (decides
// applications one by one, differently where needed: the recommendation is
// then "approved with changes") or rejects it with a note.
//
// A decision is one transaction that
//   - checks the application: submitted (a withdrawn one is refused), in the
//     ranking (screened eligible, at least one submitted review), not
//     decided before;
//   - posts one ledger entry per year × programme through
//     funds::FundsService::post_within – `commit`, or `reserve` for a
//     conditional (research co-funding) decision – with the ledger's own
//     rules: a posting that would make a cell's available amount negative
//     refuses the whole decision (Invalid, OVERDRAWN, field
//     amount_field(year, programme)), and nothing is written;
//   - stores the decision, its amounts linked to their ledger entries, the
//     letter as sent (HTML and SHA-256, never changed afterwards) and queues
//     the decision e-mail with the letter to the applicant;
//   - appends the audit entry "decision.record" (and the ledger's own).
//
// The applications' status model (draft, awaiting endorsement, submitted,
// withdrawn) has no decided states yet: the decision row is where an
// application's outcome is read from (decision_for_application).

#include "core/error.hpp"
#include "core/time.hpp"
#include "decisions/letter.hpp"
#include "decisions/model.hpp"
#include "decisions/store.hpp"
#include "funds/service.hpp"
#include "identity/service.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace spire::db {
class Database;
}

namespace spire::decisions {

using identity::Actor;

struct DecisionsOptions {
    std::function<TimePoint()> now = [] { return Clock::now(); };
    // Translates the letter and the e-mail (Norwegian in the server).
    Translate translate = [](std::string_view msgid) { return std::string(msgid); };
    funds::FundsOptions funds;
};

// The call and what the decision pages need of its fund.
struct CallInfo {
    Id id = 0;
    Id organisation_id = 0;
    Id fund_id = 0;
    Id programme_id = 0;
    std::string title;
    std::string fund_name;
    std::string programme_kind; // funds::programme_kind_key
    int first_year = 0;         // the fund's period
    int last_year = 0;
    std::vector<funds::Programme> programmes;
};

struct CallDecisions {
    CallInfo call;
    std::vector<store::CallApplication> applications;
    std::vector<store::RecommendationRow> recommendations; // newest first
    std::vector<store::DecisionRow> decisions;
    // The newest recommendation's proposals (if there is one).
    std::vector<Proposal> latest_proposals;
};

struct RecommendationView {
    store::RecommendationRow recommendation;
    CallInfo call;
    std::vector<Proposal> proposals;
    std::vector<store::CallApplication> applications; // of the call
    std::vector<store::DecisionRow> decisions;        // of the call
};

struct DecisionView {
    store::DecisionRow decision;
    std::optional<store::Letter> letter;
};

class DecisionsService {
public:
    explicit DecisionsService(std::shared_ptr<db::Database> database,
                              DecisionsOptions options = {});

    // --- The fund manager ---------------------------------------------------------

    // A draft recommendation for the call. Each proposal needs a
    // justification; its application must be a submitted application of
    // the call, at most once. Field names: "proposal.<application id>.<field>".
    Result<Id> create_recommendation(const Actor& actor, Id call_id,
                                     const std::vector<Proposal>& proposals,
                                     const std::string& source_note);
    Result<void> submit_recommendation(const Actor& actor, Id recommendation_id);

    // --- The decision maker -------------------------------------------------------

    Result<Id> decide(const Actor& actor, const DecisionInput& input);
    // Every proposal of a submitted recommendation becomes a decision (the
    // justification is the reasons), all in one transaction: one refused
    // decision refuses them all. Returns the decision ids.
    Result<std::vector<Id>> approve_recommendation(const Actor& actor, Id recommendation_id);
    Result<void> reject_recommendation(const Actor& actor, Id recommendation_id,
                                       const std::string& note);

    // --- The external funder's answer (the fund manager) ---------------------------

    // Carries out a conditional decision once the external funder has
    // answered, in one transaction: each reservation is released and, when
    // the funder granted, committed instead; the answer is recorded once
    // (Conflict after that, and for a decision that is not conditional).
    // call_id must be the decision's call (NotFound otherwise).
    Result<void> record_external_answer(const Actor& actor, Id call_id, Id decision_id,
                                        bool external_granted, const std::string& note);

    // --- Reading --------------------------------------------------------------------

    Result<CallDecisions> call_decisions(const Actor& actor, Id call_id);
    Result<RecommendationView> recommendation(const Actor& actor, Id recommendation_id);
    // Submitted recommendations of the actor's organisation that the actor
    // may decide (the decision maker's /decisions list), newest first.
    Result<std::vector<store::RecommendationRow>> waiting(const Actor& actor);
    Result<DecisionView> decision(const Actor& actor, Id decision_id);
    // The decision of an application and its letter, for the applicant's
    // page. No authorisation: the applications service already checked
    // that the actor may see the application.
    std::optional<DecisionView> decision_for_application(Id application_id);
    // A decision by id without authorisation, for the letter page when the
    // caller has checked that the user may see the decision's application.
    std::optional<DecisionView> decision_by_id_unchecked(Id decision_id);

private:
    std::string now_text() const;
    Result<Id> decide_within(soci::session& sql, const Actor& actor, const DecisionInput& input);

    std::shared_ptr<db::Database> m_database;
    DecisionsOptions m_options;
};

} // namespace spire::decisions
