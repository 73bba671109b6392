#pragma once

// SQL for the review: settings, screening, the reviewer pool, conflict
// declarations, assignments and scores (migrations/review/001_review.sql).
// Every function runs inside the caller's transaction (the service opens
// it) and decides nothing about permissions.

#include "review/model.hpp"

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace soci {
class session;
}

namespace spire::review::store {

// The call as the review needs it: whose it is and its title.
struct CallRef {
    Id id = 0;
    Id organisation_id = 0;
    Id fund_id = 0;
    std::string title;
    std::string status; // calls::call_status_key
    std::string fund_name;
};
std::optional<CallRef> find_call(soci::session& sql, Id call_id);

// An application as the review needs it.
struct ApplicationRef {
    Id id = 0;
    Id organisation_id = 0;
    Id call_id = 0;
    Id fund_id = 0;
    Id unit_id = 0;
    std::string status; // applications::status_key
    std::string reference;
    std::string title;
    std::string summary;
    std::string unit_name;
    long long requested_ore = 0;
    long long budget_total_ore = 0;
};
std::optional<ApplicationRef> find_application(soci::session& sql, Id application_id);

// --- Settings ------------------------------------------------------------------------

std::optional<ReviewSettings> find_settings(soci::session& sql, Id call_id);
void save_settings(soci::session& sql, Id call_id, Id organisation_id,
                   const ReviewSettings& settings, const std::string& now);

// --- Screening -----------------------------------------------------------------------

// The call's submitted applications with their screening, by reference.
std::vector<ReviewApplication> list_review_applications(soci::session& sql, Id call_id);
std::optional<ScreeningResult> find_screening(soci::session& sql, Id application_id);
void save_screening(soci::session& sql, Id application_id, Id organisation_id, bool eligible,
                    const std::string& reason, Id screened_by, const std::string& now);

// --- The reviewer pool -----------------------------------------------------------------

// Users holding the reviewer role in the organisation (organisation-wide or
// for `fund_id`), and anyone already in the call's pool, by name, with
// their progress in the call.
std::vector<PoolMember> list_pool_candidates(soci::session& sql, Id organisation_id, Id fund_id,
                                             Id call_id);
bool holds_reviewer_role(soci::session& sql, Id organisation_id, Id fund_id, Id user_id);
bool in_pool(soci::session& sql, Id call_id, Id user_id);
void set_pool_member(soci::session& sql, Id call_id, Id user_id, Id organisation_id, bool active,
                     Id by, const std::string& now);
// Units of the user's unit-scoped grants in the organisation: the applicant
// units they must not review.
std::vector<Id> home_units(soci::session& sql, Id organisation_id, Id user_id);
std::string user_name(soci::session& sql, Id user_id);

// --- Assignments -----------------------------------------------------------------------

std::optional<Assignment> find_assignment(soci::session& sql, Id assignment_id);
std::optional<Assignment> find_assignment_for(soci::session& sql, Id application_id,
                                              Id reviewer_id);
// Every assignment of the call (withdrawn too), by application reference
// and reviewer name.
std::vector<Assignment> list_call_assignments(soci::session& sql, Id call_id);
// The reviewer's assignments in the organisation, newest call first.
std::vector<Assignment> list_reviewer_assignments(soci::session& sql, Id organisation_id,
                                                  Id reviewer_id);
// Submitted reviews of the application other than `except`.
std::vector<Assignment> list_submitted_reviews(soci::session& sql, Id application_id,
                                               Id except_assignment);
Id insert_assignment(soci::session& sql, const Assignment& assignment, Id assigned_by,
                     const std::string& now);
// A withdrawn assignment given back to its reviewer: a draft again.
void reactivate_assignment(soci::session& sql, Id assignment_id, Id assigned_by,
                           const std::string& now);
void set_status(soci::session& sql, Id assignment_id, AssignmentStatus status,
                const std::optional<std::string>& submitted_at, const std::string& now);
// Withdraws the application's (or the reviewer's in the call) assignments
// that are not submitted; returns how many.
int withdraw_open_assignments_of_application(soci::session& sql, Id application_id,
                                             const std::string& now);
int withdraw_open_assignments_of_reviewer(soci::session& sql, Id call_id, Id reviewer_id,
                                          const std::string& now);

// The review's text and scores (replacing earlier ones).
void save_review(soci::session& sql, Id assignment_id, const ReviewInput& input,
                 const std::string& now);
std::vector<StoredScore> list_scores(soci::session& sql, Id assignment_id);

// --- Conflict declarations ---------------------------------------------------------------

std::optional<Declaration> find_declaration(soci::session& sql, Id application_id, Id reviewer_id);
// Inserts or replaces the reviewer's declaration for the application.
void save_declaration(soci::session& sql, Id organisation_id, const Declaration& declaration,
                      const std::string& now);
// The call's declarations by application reference, reviewer name.
std::vector<Declaration> list_call_declarations(soci::session& sql, Id call_id);
// The reviewer's declarations in the organisation (for /reviews).
std::vector<Declaration> list_reviewer_declarations(soci::session& sql, Id organisation_id,
                                                    Id reviewer_id);
// (application, reviewer) pairs with a declared conflict in the call.
std::set<std::pair<Id, Id>> call_conflicts(soci::session& sql, Id call_id);

} // namespace spire::review::store
