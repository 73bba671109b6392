#pragma once

// Who may see a call's ranking (issue 6 §5). Pure; see core/decision.hpp.
// Kept apart from review/policy.hpp (the review workflow's rules) because
// the ranking page and its exports are a separate slice.
//
//   fund manager, decision maker   of the call's fund (a grant for the fund
//                                  or the whole organisation): the page,
//                                  CSV and XLSX, the review-data file
//   auditor                        reads everything in the organisation
//                                  (DESIGN.md §1), so the same
//   anyone else                    Forbidden with the reason
//   other tenants                  NotFound
//
// Disqualification (forvaltningsloven § 6): someone who declared a conflict
// for an application never sees its row (the service leaves it out of the
// page, the plot and the CSV/XLSX), and may not download the review-data
// file at all, because it holds the scores of every application.

#include "core/decision.hpp"
#include "identity/model.hpp"

namespace spire::review {

enum class RankingAction {
    View,             // the page, CSV, XLSX (rows under conflict left out)
    ExportReviewData, // the review-data file: every score of the call
};

struct RankingResource {
    identity::Id organisation_id = 0; // the call's
    identity::Id fund_id = 0;
    // The user declared a conflict for at least one ranked application.
    bool user_has_conflict = false;
};

Decision authorize_ranking(const identity::Principal* user, RankingAction action,
                           const RankingResource& resource);

namespace message {
inline constexpr const char* RANKING_STAFF_ONLY =
    "Only the fund's managers and decision makers, and auditors, can see the ranking.";
inline constexpr const char* REVIEW_DATA_CONFLICT =
    "You have declared a conflict of interest for an application in this call, so you cannot "
    "download the scores of all its applications.";
} // namespace message

} // namespace spire::review
