#pragma once

// Who may do what in the review (DESIGN.md §2.4). Pure functions; see
// core/decision.hpp.
//
//   fund manager of the call's fund   screening, the reviewer pool and
//                                     settings, assignments, recording a
//                                     conflict for a reviewer, reopening a
//                                     submitted review
//   auditor                           reads the management pages and the
//                                     declarations (for the record)
//   reviewer                          their own assignments: declares a
//                                     conflict or none first, then reads the
//                                     application and scores it
//   a reviewer with a conflict        nothing about that application
//                                     (forvaltningsloven § 6): Forbidden
//                                     with the reason
//   other tenants                     NotFound
//
// Anything else: Forbidden with a reason.

#include "core/decision.hpp"
#include "identity/model.hpp"

#include <optional>

namespace spire::review {

using identity::Id;
using identity::Principal;

enum class ReviewAction {
    ViewManagement, // the screening, reviewers and conflicts pages
    Manage,         // screen, pool, settings, assign, withdraw, record a conflict, reopen
    ListOwn,        // /reviews
    OpenAssignment, // see one's assignment and declare
    ReadAndScore,   // the application and one's own review (after declaring no conflict)
};

inline constexpr ReviewAction ALL_REVIEW_ACTIONS[] = {
    ReviewAction::ViewManagement, ReviewAction::Manage, ReviewAction::ListOwn,
    ReviewAction::OpenAssignment, ReviewAction::ReadAndScore};

// What a reviewer said about an application (none yet, no conflict,
// conflict).
enum class Declared { Nothing, NoConflict, Conflict };

// The call (organisation and fund) and, for the assignment actions, whose
// assignment it is, whether it was withdrawn and what its reviewer declared.
struct ReviewResource {
    Id organisation_id = 0;
    Id fund_id = 0;
    std::optional<Id> reviewer_id;
    bool withdrawn = false;
    Declared declared = Declared::Nothing;
};

namespace reason {
inline constexpr const char* NOT_ASSIGNED = "This application is not assigned to you.";
inline constexpr const char* CONFLICT =
    "You have declared a conflict of interest for this application (forvaltningsloven § 6): you "
    "cannot see it, its reviews or its ranking.";
inline constexpr const char* WITHDRAWN = "This assignment has been withdrawn.";
inline constexpr const char* DECLARE_FIRST =
    "Declare whether you have a conflict of interest before you open the application.";
inline constexpr const char* MANAGERS_ONLY = "Only the fund's managers can manage the review.";
} // namespace reason

// `user` is null for anonymous requests.
Decision authorize(const Principal* user, ReviewAction action, const ReviewResource& resource);

} // namespace spire::review
