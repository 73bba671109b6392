#pragma once

// Recommendations (innstilling) and decisions (vedtak): plain structs and the
// pure rules about them (DESIGN.md §2.5, issue 7 item 3). No I/O.
//
// Outcomes and what they post to the ledger:
//   granted        the amounts asked for (or decided) → `commit` per cell
//   partly_granted less than was asked; reasons required → `commit`
//   rejected       no amounts; reasons required → nothing
//   conditional    research co-funding, valid only if the external funder
//                  grants → `reserve` per cell (released or turned into a
//                  commitment when the funder answers)
// Grants are decided in whole kroner: an amount with øre is refused, as is a
// negative or zero one.

#include "core/error.hpp"
#include "core/money.hpp"
#include "funds/model.hpp"
#include "identity/model.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spire::decisions {

using identity::Id;

enum class Outcome { Granted, PartlyGranted, Rejected, Conditional };
inline constexpr Outcome ALL_OUTCOMES[] = {Outcome::Granted, Outcome::PartlyGranted,
                                           Outcome::Rejected, Outcome::Conditional};
// "granted", "partly_granted", "rejected", "conditional"
std::string_view outcome_key(Outcome outcome);
std::optional<Outcome> parse_outcome(std::string_view key);
std::string_view outcome_label(Outcome outcome); // msgid

// Rejections and partial grants must say why (forvaltningsloven § 24–25
// for external recipients; the same rule inside the municipality).
bool needs_reasons(Outcome outcome);
bool has_amounts(Outcome outcome);
// The ledger entry a decision with amounts posts.
funds::EntryKind posting_kind(Outcome outcome);

enum class RecommendationStatus { Draft, Submitted, Approved, Adjusted, Rejected };
std::string_view recommendation_status_key(RecommendationStatus status);
std::optional<RecommendationStatus> parse_recommendation_status(std::string_view key);
std::string_view recommendation_status_label(RecommendationStatus status); // msgid

// Money for one year of one programme (a ledger cell of the call's fund).
struct YearAmount {
    int year = 0;
    Id programme_id = 0;
    Ore amount_ore = 0;
    bool operator==(const YearAmount&) const = default;
};

Ore total(const std::vector<YearAmount>& amounts);

// The fund manager's proposal for one application.
struct Proposal {
    Id application_id = 0;
    Outcome outcome = Outcome::Granted;
    std::vector<YearAmount> amounts;
    std::string justification; // required
    std::string conditions;
};

// A decision as the decision maker records it.
struct DecisionInput {
    Id application_id = 0;
    Outcome outcome = Outcome::Granted;
    std::vector<YearAmount> amounts;
    std::string conditions;
    std::string reasons;
    std::optional<Id> recommendation_id; // decided from this recommendation
};

inline constexpr std::size_t MAX_TEXT_LENGTH = 10'000;
inline constexpr int APPEAL_WEEKS = 3; // forvaltningsloven § 29

// Whether the recipient is outside the municipality, so that the decision
// is an individual decision (enkeltvedtak) with a right of appeal: grants to
// social entrepreneurs go to external organisations; the other programmes
// fund the municipality's own service units, whose grants are internal
// budget decisions.
bool recipient_is_external(funds::ProgrammeKind kind);

// The field of a cell's amount in forms: "amount.<year>.<programme_id>".
std::string amount_field(int year, Id programme_id);

// Field-level checks (no database). Amount fields are named by
// amount_field(); text fields "reasons", "conditions", "justification".
std::vector<FieldError> validate_amounts(Outcome outcome, const std::vector<YearAmount>& amounts);
std::vector<FieldError> validate_decision(const DecisionInput& input);
std::vector<FieldError> validate_proposal(const Proposal& proposal);

namespace message {
inline constexpr const char* CHECK_FIELDS = "Check the fields marked below.";
inline constexpr const char* REASONS_REQUIRED =
    "Write the reasons: they are required when an application is rejected or partly granted.";
inline constexpr const char* JUSTIFICATION_REQUIRED =
    "Write a justification for the proposal for this application.";
inline constexpr const char* TEXT_TOO_LONG = "The text is too long.";
inline constexpr const char* AMOUNT_REQUIRED = "Enter the amount granted for at least one year.";
inline constexpr const char* AMOUNT_NOT_POSITIVE = "The amount must be greater than zero.";
inline constexpr const char* AMOUNT_NOT_WHOLE_KRONER = "Grants are decided in whole kroner.";
inline constexpr const char* AMOUNT_TOO_LARGE = "The amount is too large.";
inline constexpr const char* REJECTION_HAS_NO_AMOUNT =
    "A rejection grants no money: leave the amounts empty.";
inline constexpr const char* DUPLICATE_CELL = "The same year and programme is given twice.";
inline constexpr const char* YEAR_OUTSIDE_PERIOD = "Choose a year within the fund's period.";
inline constexpr const char* NOT_THE_FUNDS_PROGRAMME = "Choose a programme of the call's fund.";
inline constexpr const char* NOT_RANKED =
    "This application is not in the ranking (not screened eligible, or without submitted "
    "reviews), so it cannot be decided.";
inline constexpr const char* WITHDRAWN =
    "The application has been withdrawn and cannot be decided.";
inline constexpr const char* NOT_SUBMITTED = "Only submitted applications can be decided.";
inline constexpr const char* ALREADY_DECIDED = "This application has already been decided.";
inline constexpr const char* NOT_CONDITIONAL =
    "Only a conditional decision waits for the external funder's answer.";
inline constexpr const char* ALREADY_ANSWERED =
    "The external funder's answer to this decision is already recorded.";
inline constexpr const char* CHOOSE_ANSWER = "Choose the external funder's answer.";
inline constexpr const char* CHOOSE_METHOD = "Choose one of the scenario's methods.";
inline constexpr const char* SCENARIO_WITHOUT_SOLUTION =
    "This method found no portfolio for the scenario, so it cannot fill in the proposals.";
inline constexpr const char* NOT_OF_THE_CALL = "The application does not belong to this call.";
inline constexpr const char* CONDITIONAL_NEEDS_RESEARCH =
    "Only research co-funding can be granted on the condition that an external funder grants.";
inline constexpr const char* OVERDRAWN =
    "Not enough money is available for {programme} in {year}: the decision would overdraw the "
    "budget, so nothing was recorded.";
inline constexpr const char* EMPTY_RECOMMENDATION =
    "A recommendation needs a proposal for at least one application.";
inline constexpr const char* DUPLICATE_APPLICATION =
    "An application appears twice in the recommendation.";
inline constexpr const char* NOT_A_DRAFT = "Only a draft recommendation can be submitted.";
inline constexpr const char* NOT_SUBMITTED_RECOMMENDATION =
    "Only a submitted recommendation can be approved or rejected.";
inline constexpr const char* REJECTION_NOTE_REQUIRED =
    "Write why the recommendation is rejected, so the fund manager can make a new one.";
inline constexpr const char* CHOOSE_OUTCOME = "Choose the outcome.";
} // namespace message

} // namespace spire::decisions
