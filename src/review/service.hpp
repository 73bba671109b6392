#pragma once

// Review use cases: validate -> authorise (review/policy.hpp) -> transact ->
// audit (DESIGN.md §2.4, §3). Handlers and the demo data call these; nothing
// else writes the review tables (migrations/review/001_review.sql) except
// the ranking cache, which review/ranking_* fills. No use case touches that
// cache: triggers bump the call's ranking input version in the same
// transaction as any change the ranking reads, and a cached result of an
// older version is never trusted (review/ranking_store.hpp).
//
// Ids come from URLs: every use case finds the organisation and fund from
// the call, application or assignment; another organisation's answers
// NotFound.
//
// Rules:
//   - screening: a submitted application is marked eligible or not; "not
//     eligible" needs a reason (shown to the applicant) and takes the
//     application out of the review: its open assignments are withdrawn and
//     no new ones are made.
//   - the pool: users holding the reviewer role in the organisation (for the
//     call's fund if their grant is limited to one). Taking a reviewer out
//     of the pool withdraws their open assignments (they dropped out);
//     submitted reviews stay.
//   - assignment: only pool members, never one with a declared conflict
//     for the application or from the applicant's unit (refused with the
//     reason, Conflict). Automatic assignment fills every eligible
//     application up to the call's reviews_per_application with
//     plan_assignments (balanced load).
//   - disqualification (forvaltningsloven § 6): a reviewer declares "no
//     conflict" or a conflict (category and note) before the application is
//     shown. A conflict withdraws the assignment and from then on the
//     reviewer is refused the application, its reviews and its ranking row
//     (Forbidden with the reason). A "no conflict" may later become a
//     conflict, never the other way round except by the fund manager
//     recording it. The fund manager can record a conflict for a reviewer.
//   - scoring: drafts may be incomplete but never off the scale
//     (review_format_problems); submitting needs every criterion and a
//     recommendation (review_submit_problems); a submitted review is locked
//     (Conflict) until the fund manager reopens it.
//   - others' reviews: a reviewer sees only their own until they submitted
//     it and the review period is over, and then only if the call shares
//     them (no anchoring).
//
// Every change is one transaction with one audit entry: "review.settings",
// "review.screen", "review.pool.add", "review.pool.remove",
// "review.assign", "review.assign.auto", "review.withdraw",
// "review.declare", "review.conflict.record", "review.save",
// "review.submit", "review.reopen". Changes to what the ranking is computed
// from (submit, reopen, withdraw, screening, conflicts) delete the call's
// ranking_cache row in the same transaction, so no stale result is kept; the
// ranking page's guarantee is the input version the database's triggers bump
// (review/ranking_service.hpp), which also covers changes made elsewhere.

#include "calls/model.hpp"
#include "core/error.hpp"
#include "core/time.hpp"
#include "identity/service.hpp"
#include "review/model.hpp"
#include "review/policy.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace spire::db {
class Database;
}

namespace spire::review {

using identity::Actor;

struct ReviewOptions {
    // The server's clock (tests move it past the review period).
    std::function<TimePoint()> now = [] { return Clock::now(); };
    // Translates the msgids of the assignment e-mails (Norwegian in the
    // server, see app/application.cpp).
    std::function<std::string(std::string_view)> translate_mail = [](std::string_view msgid) {
        return std::string(msgid);
    };
};

// The call as the review pages show it.
struct ReviewCall {
    Id id = 0;
    Id organisation_id = 0;
    Id fund_id = 0;
    std::string title;
    std::string status; // calls::call_status_key
    std::string fund_name;
};

struct ScreeningOverview {
    ReviewCall call;
    std::vector<ReviewApplication> applications;
};

// Progress of one application: reviews wanted, assigned and submitted.
struct ApplicationProgress {
    ReviewApplication application;
    int wanted = 0;
    int assigned = 0; // not withdrawn, submitted included
    int submitted = 0;
};

struct ReviewersOverview {
    ReviewCall call;
    ReviewSettings settings;
    std::vector<PoolMember> candidates;            // in the pool or could be
    std::vector<ApplicationProgress> applications; // eligible or not yet screened
    std::vector<Assignment> assignments;           // withdrawn too
};

struct AutoAssignResult {
    int made = 0;
    // Applications that could not get enough reviewers, and how many they lack.
    std::vector<std::pair<Id, int>> shortfalls;
};

// One of the reviewer's assignments for /reviews.
struct MyReview {
    Assignment assignment;
    Declared declared = Declared::Nothing;
};

struct MyReviews {
    std::vector<MyReview> assignments;
    std::vector<Declaration> declarations;
};

// Another reviewer's submitted review (no name: the reviewers are known to
// the fund manager, not to each other).
struct OtherReview {
    std::optional<Recommendation> recommendation;
    std::string overall_comment;
    std::vector<StoredScore> scores;
};

// Everything /reviews/{id} shows. Before the declaration only the call,
// the assignment and the application's reference and title.
struct ReviewPage {
    ReviewCall call;
    Assignment assignment;
    std::string application_reference;
    std::string application_title;
    Declared declared = Declared::Nothing;
    // From here on only after "no conflict":
    std::string application_summary;
    std::string unit_name;
    long long requested_ore = 0;
    long long budget_total_ore = 0;
    std::vector<calls::Criterion> criteria;
    std::vector<StoredScore> scores;
    bool locked = false; // submitted
    std::vector<OtherReview> others;
};

// The declaration as typed: no category means "no conflict".
struct DeclarationInput {
    std::optional<ConflictCategory> conflict;
    std::string note;
};

inline constexpr std::size_t MAX_REASON_LENGTH = 2'000;

class ReviewService {
public:
    explicit ReviewService(std::shared_ptr<db::Database> database, ReviewOptions options = {});

    // --- Screening (fund manager) --------------------------------------------------

    Result<ScreeningOverview> screening(const Actor& actor, Id call_id);
    Result<void> screen(const Actor& actor, Id application_id, bool eligible,
                        const std::string& reason);
    // The screening of an application for its applicant's page. No
    // authorisation: the applications service already checked that the
    // actor may see the application.
    Result<std::optional<ScreeningResult>> screening_result(Id application_id);

    // --- Reviewers, settings and assignments (fund manager) -------------------------

    Result<ReviewersOverview> reviewers(const Actor& actor, Id call_id);
    Result<void> save_settings(const Actor& actor, Id call_id, const ReviewSettings& settings);
    Result<void> set_pool_member(const Actor& actor, Id call_id, Id user_id, bool in_pool);
    Result<Id> assign(const Actor& actor, Id application_id, Id reviewer_id);
    Result<AutoAssignResult> assign_automatically(const Actor& actor, Id call_id);
    Result<void> withdraw(const Actor& actor, Id assignment_id);
    Result<void> reopen(const Actor& actor, Id assignment_id);

    // --- Conflicts ------------------------------------------------------------------

    Result<std::vector<Declaration>> declarations(const Actor& actor, Id call_id);
    // The reviewer, for their assignment.
    Result<void> declare(const Actor& actor, Id assignment_id, const DeclarationInput& input);
    // The fund manager, for a reviewer of the call's pool.
    Result<void> record_conflict(const Actor& actor, Id application_id, Id reviewer_id,
                                 ConflictCategory category, const std::string& note);
    // Forbidden with the § 6 reason when the actor declared a conflict for
    // the application; for the ranking page and anything else showing it.
    Result<void> check_not_conflicted(const Actor& actor, Id application_id);
    // The call's applications the actor declared a conflict for.
    Result<std::set<Id>> conflicted_applications(const Actor& actor, Id call_id);

    // --- The reviewer ---------------------------------------------------------------

    Result<MyReviews> my_reviews(const Actor& actor);
    Result<ReviewPage> review_page(const Actor& actor, Id assignment_id);
    // A draft: format problems only.
    Result<void> save_review(const Actor& actor, Id assignment_id, const ReviewInput& input);
    // Saves and submits: every criterion and a recommendation.
    Result<void> submit_review(const Actor& actor, Id assignment_id, const ReviewInput& input);

private:
    std::string now_text() const;

    std::shared_ptr<db::Database> m_database;
    ReviewOptions m_options;
};

} // namespace spire::review
