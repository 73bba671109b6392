#pragma once

// The review's plain types and pure rules (DESIGN.md §2.4): disqualification
// grounds, recommendations, assignment states, balanced automatic
// assignment and score validation. No I/O. The ranking model is
// review/ranking.hpp.

#include "calls/model.hpp"
#include "core/error.hpp"
#include "identity/model.hpp"

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spire::review {

using identity::Id;

// Forvaltningsloven § 6: the grounds a reviewer (or the fund manager for
// them) names when declaring a conflict.
enum class ConflictCategory {
    Party,                // § 6 first paragraph a: is a party
    Relative,             // b–c: related to or married to a party
    LeaderOfParty,        // e: leader or board member of a party
    SpecialCircumstances, // second paragraph: other special circumstances
};
inline constexpr ConflictCategory ALL_CONFLICT_CATEGORIES[] = {
    ConflictCategory::Party, ConflictCategory::Relative, ConflictCategory::LeaderOfParty,
    ConflictCategory::SpecialCircumstances};
std::string_view conflict_category_key(ConflictCategory category);
std::optional<ConflictCategory> parse_conflict_category(std::string_view key);
std::string_view conflict_category_label(ConflictCategory category);

enum class Recommendation { Fund, FundWithChanges, DoNotFund };
inline constexpr Recommendation ALL_RECOMMENDATIONS[] = {
    Recommendation::Fund, Recommendation::FundWithChanges, Recommendation::DoNotFund};
std::string_view recommendation_key(Recommendation recommendation);
std::optional<Recommendation> parse_recommendation(std::string_view key);
std::string_view recommendation_label(Recommendation recommendation);

// Draft until submitted; a reviewer who drops out is withdrawn (the row stays
// for the record, and someone else can be assigned).
enum class AssignmentStatus { Assigned, Submitted, Withdrawn };
std::string_view assignment_status_key(AssignmentStatus status);
std::optional<AssignmentStatus> parse_assignment_status(std::string_view key);
std::string_view assignment_status_label(AssignmentStatus status);

// --- Automatic assignment --------------------------------------------------------

struct AssignmentApplication {
    Id id = 0;
    Id unit_id = 0;            // the applicant's service unit
    std::vector<Id> reviewers; // already assigned (not withdrawn)
};

struct AssignmentReviewer {
    Id user_id = 0;
    std::vector<Id> home_units; // units of the reviewer's own unit-scoped grants
    int load = 0;               // assignments they already have in this call
};

struct AssignmentPlan {
    std::vector<std::pair<Id, Id>> assignments; // (application, reviewer), new ones
    // Applications that could not reach the wanted number of reviewers, and
    // how many they lack: too few reviewers without a conflict.
    std::vector<std::pair<Id, int>> shortfalls;
};

// Why a reviewer may not review an application; none if they may.
enum class Ineligibility { Conflict, OwnUnit, AlreadyAssigned };
std::optional<Ineligibility> ineligibility(const AssignmentApplication& application,
                                           const AssignmentReviewer& reviewer,
                                           const std::set<std::pair<Id, Id>>& conflicts);

// Gives every application up to `per_application` reviewers, never one with
// a declared conflict (pairs of application and reviewer in `conflicts`),
// from the applicant's unit or already assigned. Balanced: each slot goes to
// the eligible reviewer with the least load so far (ties: the lower id), and
// the applications with the fewest eligible reviewers are served first so
// that scarce reviewers are not used up elsewhere. Deterministic.
AssignmentPlan plan_assignments(const std::vector<AssignmentApplication>& applications,
                                const std::vector<AssignmentReviewer>& reviewers,
                                const std::set<std::pair<Id, Id>>& conflicts, int per_application);

// --- Scores ------------------------------------------------------------------------

struct ScoreInput {
    Id criterion_id = 0;
    std::optional<int> score;
    std::string comment;
};

struct ReviewInput {
    std::vector<ScoreInput> scores;
    std::optional<Recommendation> recommendation;
    std::string overall_comment;
};

inline constexpr std::size_t MAX_COMMENT_LENGTH = 10'000;

// Format problems, refused even in a draft: a score outside its criterion's
// scale, a criterion not of this call, a comment too long. Field names:
// "score_<criterion id>", "comment_<criterion id>", "overall_comment".
std::vector<FieldError> review_format_problems(const std::vector<calls::Criterion>& criteria,
                                               const ReviewInput& input);
// What submitting also needs: every criterion scored and a recommendation.
std::vector<FieldError> review_submit_problems(const std::vector<calls::Criterion>& criteria,
                                               const ReviewInput& input);

} // namespace spire::review

// --- What the review's pages show ------------------------------------------------------

namespace spire::review {

// Per call; defaults when the fund manager never changed them.
struct ReviewSettings {
    int reviews_per_application = 3;
    std::optional<std::string> review_closes_at; // UTC; none: open until set
    bool share_reviews_after_close = false;
    long long ranking_seed = 0;
};
inline constexpr int MAX_REVIEWS_PER_APPLICATION = 10;

// An application of the call submitted for review, with its screening.
struct ReviewApplication {
    Id id = 0;
    Id unit_id = 0;
    std::string reference;
    std::string title;
    std::string unit_name;
    long long requested_ore = 0;
    std::optional<bool> eligible; // none: not screened yet
    std::string screening_reason;
};

// The screening an applicant sees on their application.
struct ScreeningResult {
    bool eligible = true;
    std::string reason;
    std::string screened_at;
};

// A user who may be in the call's pool: holds the reviewer role in the
// organisation (for the call's fund if the grant is limited to one fund).
struct PoolMember {
    Id user_id = 0;
    std::string name;
    std::string email;
    bool in_pool = false;
    int assigned = 0;  // active assignments (not withdrawn)
    int submitted = 0; // of which submitted
    int conflicts = 0; // declared conflicts in this call
};

struct Assignment {
    Id id = 0;
    Id organisation_id = 0;
    Id call_id = 0;
    Id application_id = 0;
    Id reviewer_id = 0;
    AssignmentStatus status = AssignmentStatus::Assigned;
    std::optional<Recommendation> recommendation;
    std::string overall_comment;
    std::string assigned_at;
    std::optional<std::string> submitted_at;
    // Joined for lists.
    std::string reviewer_name;
    std::string application_reference;
    std::string application_title;
    std::string call_title;
};

struct Declaration {
    Id id = 0;
    Id application_id = 0;
    Id reviewer_id = 0;
    bool conflict = false;
    std::optional<ConflictCategory> category;
    std::string note;
    Id declared_by = 0;
    std::string declared_at;
    // Joined for lists.
    std::string reviewer_name;
    std::string declared_by_name;
    std::string application_reference;
    std::string application_title;
};

struct StoredScore {
    Id criterion_id = 0;
    std::optional<int> score;
    std::string comment;
};

} // namespace spire::review
