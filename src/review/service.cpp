#include "review/service.hpp"

#include "calls/store.hpp"
#include "core/text.hpp"
#include "db/database.hpp"
#include "identity/audit_service.hpp"
#include "review/notifications.hpp"
#include "review/store.hpp"

#include <algorithm>
#include <map>
#include <soci/soci.h>
#include <sodium.h>
#include <stdexcept>

namespace spire::review {

namespace {

using identity::AuditEvent;

namespace message {
constexpr const char* CHECK_FIELDS = "Check the fields marked below.";
constexpr const char* NOT_SUBMITTED = "Only submitted applications are reviewed.";
constexpr const char* NOT_ELIGIBLE = "The application was found not eligible and is not reviewed.";
constexpr const char* NOT_IN_POOL = "Add the reviewer to the call's pool first.";
constexpr const char* NOT_A_REVIEWER = "The user does not hold the reviewer role for this fund.";
constexpr const char* REVIEWER_CONFLICT =
    "The reviewer has declared a conflict of interest for this application.";
constexpr const char* REVIEWER_OWN_UNIT = "The reviewer belongs to the applicant's unit.";
constexpr const char* ALREADY_ASSIGNED = "The reviewer is already assigned to this application.";
constexpr const char* ALREADY_WITHDRAWN = "The assignment is already withdrawn.";
constexpr const char* LOCKED = "The review is submitted and locked. Only the fund's managers "
                               "can reopen it.";
constexpr const char* NOT_SUBMITTED_REVIEW = "Only a submitted review can be reopened.";
} // namespace message

AuditEvent event(const Actor& actor, Id organisation_id, std::string action,
                 std::string target_type, Id target_id, std::string summary) {
    return identity::audit_event(actor, organisation_id, std::move(action), std::move(target_type),
                                 std::to_string(target_id), std::move(summary));
}

Result<void> check(const Actor& actor, ReviewAction action, const ReviewResource& resource) {
    if (actor.is_system)
        return {};
    Decision decision = authorize(actor.principal, action, resource);
    if (!decision)
        return tl::unexpected(decision.to_error());
    return {};
}

// Who made a change: every review row names a user (the CLI and the demo
// act as one too).
Id actor_user(const Actor& actor) {
    return actor.principal ? actor.principal->user_id : 0;
}
Id acting_user(const Actor& actor) {
    if (!actor.principal)
        throw std::logic_error("review: a change needs a user, not the system");
    return actor.principal->user_id;
}

ReviewCall to_call(const store::CallRef& ref) {
    return {ref.id, ref.organisation_id, ref.fund_id, ref.title, ref.status, ref.fund_name};
}

// The call, if the actor may do `action` with its review.
Result<store::CallRef> call_for(soci::session& sql, const Actor& actor, Id call_id,
                                ReviewAction action) {
    auto call = store::find_call(sql, call_id);
    if (!call)
        return tl::unexpected(Error::not_found());
    if (auto allowed = check(actor, action, {call->organisation_id, call->fund_id}); !allowed)
        return tl::unexpected(allowed.error());
    return *call;
}

// The application and its call, if the actor may do `action` with them.
struct ApplicationAndCall {
    store::ApplicationRef application;
    store::CallRef call;
};
Result<ApplicationAndCall> application_for(soci::session& sql, const Actor& actor,
                                           Id application_id, ReviewAction action) {
    auto application = store::find_application(sql, application_id);
    if (!application)
        return tl::unexpected(Error::not_found());
    auto call = call_for(sql, actor, application->call_id, action);
    if (!call)
        return tl::unexpected(call.error());
    return ApplicationAndCall{std::move(*application), std::move(*call)};
}

Declared declared_of(const std::optional<Declaration>& declaration) {
    if (!declaration)
        return Declared::Nothing;
    return declaration->conflict ? Declared::Conflict : Declared::NoConflict;
}

// The assignment, its call and what its reviewer declared, if the actor may
// do `action` (OpenAssignment, ReadAndScore or Manage) with it.
struct AssignmentContext {
    Assignment assignment;
    store::CallRef call;
    Declared declared = Declared::Nothing;
};
Result<AssignmentContext> assignment_for(soci::session& sql, const Actor& actor, Id assignment_id,
                                         ReviewAction action) {
    auto assignment = store::find_assignment(sql, assignment_id);
    if (!assignment)
        return tl::unexpected(Error::not_found());
    auto call = store::find_call(sql, assignment->call_id);
    if (!call)
        return tl::unexpected(Error::not_found());
    Declared declared = declared_of(
        store::find_declaration(sql, assignment->application_id, assignment->reviewer_id));
    ReviewResource resource{call->organisation_id, call->fund_id, assignment->reviewer_id,
                            assignment->status == AssignmentStatus::Withdrawn, declared};
    if (auto allowed = check(actor, action, resource); !allowed)
        return tl::unexpected(allowed.error());
    return AssignmentContext{std::move(*assignment), std::move(*call), declared};
}

Error check_fields(std::vector<FieldError> fields) {
    return Error::invalid(message::CHECK_FIELDS, std::move(fields));
}

std::optional<FieldError> text_problem(const std::string& field, const std::string& text,
                                       bool required, const char* missing) {
    if (required && text.empty())
        return FieldError{field, missing};
    if (text.size() > MAX_REASON_LENGTH)
        return FieldError{field, "The text is too long."};
    return std::nullopt;
}

const char* ineligibility_message(Ineligibility why) {
    switch (why) {
    case Ineligibility::Conflict:
        return message::REVIEWER_CONFLICT;
    case Ineligibility::OwnUnit:
        return message::REVIEWER_OWN_UNIT;
    case Ineligibility::AlreadyAssigned:
        return message::ALREADY_ASSIGNED;
    }
    return message::ALREADY_ASSIGNED;
}

bool takes_part(const ReviewApplication& application) {
    return application.eligible.value_or(true);
}

// The other reviewers' work is shown only once the reviewer's own is
// submitted and the review period is over, and only if the call says so:
// seeing others' scores first would anchor them.
bool shows_others(const ReviewSettings& settings, const Assignment& own, TimePoint now) {
    if (!settings.share_reviews_after_close || own.status != AssignmentStatus::Submitted ||
        !settings.review_closes_at)
        return false;
    auto closes = from_db_time(*settings.review_closes_at);
    return closes && now >= *closes;
}

ReviewInput cleaned(const ReviewInput& input) {
    ReviewInput out = input;
    out.overall_comment = trim(input.overall_comment);
    for (auto& score : out.scores)
        score.comment = trim(score.comment);
    return out;
}

} // namespace

ReviewService::ReviewService(std::shared_ptr<db::Database> database, ReviewOptions options)
    : m_database(std::move(database)), m_options(std::move(options)) {}

std::string ReviewService::now_text() const {
    return to_db_time(m_options.now());
}

// --- Screening ---------------------------------------------------------------------------

Result<ScreeningOverview> ReviewService::screening(const Actor& actor, Id call_id) {
    return m_database->read([&](soci::session& sql) -> Result<ScreeningOverview> {
        auto call = call_for(sql, actor, call_id, ReviewAction::ViewManagement);
        if (!call)
            return tl::unexpected(call.error());
        return ScreeningOverview{to_call(*call), store::list_review_applications(sql, call_id)};
    });
}

Result<void> ReviewService::screen(const Actor& actor, Id application_id, bool eligible,
                                   const std::string& reason) {
    std::string text = trim(reason);
    std::vector<FieldError> errors;
    if (auto problem = text_problem("reason", text, !eligible,
                                    "Give the reason the application is not eligible."))
        errors.push_back(*problem);
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto found = application_for(sql, actor, application_id, ReviewAction::Manage);
        if (!found)
            return tl::unexpected(found.error());
        if (found->application.status != "submitted")
            return tl::unexpected(Error::conflict(message::NOT_SUBMITTED));
        if (!errors.empty())
            return tl::unexpected(check_fields(errors));
        std::string now = now_text();
        store::save_screening(sql, application_id, found->call.organisation_id, eligible, text,
                              acting_user(actor), now);
        int withdrawn = 0;
        if (!eligible)
            withdrawn = store::withdraw_open_assignments_of_application(sql, application_id, now);
        std::string summary =
            found->application.reference + (eligible ? " eligible" : " not eligible: " + text);
        if (withdrawn > 0)
            summary += " (" + std::to_string(withdrawn) + " assignments withdrawn)";
        identity::record_audit(sql, m_database->engine(),
                               event(actor, found->call.organisation_id, "review.screen",
                                     "application", application_id, summary));
        return {};
    });
}

Result<std::optional<ScreeningResult>> ReviewService::screening_result(Id application_id) {
    return m_database->read([&](soci::session& sql) -> Result<std::optional<ScreeningResult>> {
        return store::find_screening(sql, application_id);
    });
}

// --- Reviewers, settings and assignments -------------------------------------------------

Result<ReviewersOverview> ReviewService::reviewers(const Actor& actor, Id call_id) {
    return m_database->read([&](soci::session& sql) -> Result<ReviewersOverview> {
        auto call = call_for(sql, actor, call_id, ReviewAction::ViewManagement);
        if (!call)
            return tl::unexpected(call.error());
        ReviewersOverview overview;
        overview.call = to_call(*call);
        overview.settings = store::find_settings(sql, call_id).value_or(ReviewSettings{});
        overview.candidates =
            store::list_pool_candidates(sql, call->organisation_id, call->fund_id, call_id);
        overview.assignments = store::list_call_assignments(sql, call_id);
        std::map<Id, ApplicationProgress*> by_id;
        for (auto& application : store::list_review_applications(sql, call_id)) {
            if (!takes_part(application))
                continue;
            overview.applications.push_back(
                {application, overview.settings.reviews_per_application, 0, 0});
        }
        for (auto& progress : overview.applications)
            by_id[progress.application.id] = &progress;
        for (const auto& assignment : overview.assignments) {
            auto found = by_id.find(assignment.application_id);
            if (found == by_id.end() || assignment.status == AssignmentStatus::Withdrawn)
                continue;
            ++found->second->assigned;
            if (assignment.status == AssignmentStatus::Submitted)
                ++found->second->submitted;
        }
        return overview;
    });
}

Result<void> ReviewService::save_settings(const Actor& actor, Id call_id,
                                          const ReviewSettings& settings) {
    std::vector<FieldError> errors;
    if (settings.reviews_per_application < 1 ||
        settings.reviews_per_application > MAX_REVIEWS_PER_APPLICATION)
        errors.push_back({"reviews_per_application", "Enter a number from 1 to 10."});
    if (settings.review_closes_at && !from_db_time(*settings.review_closes_at))
        errors.push_back({"review_closes_date", "Enter a date like 2018-10-15."});
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto call = call_for(sql, actor, call_id, ReviewAction::Manage);
        if (!call)
            return tl::unexpected(call.error());
        if (!errors.empty())
            return tl::unexpected(check_fields(errors));
        ReviewSettings stored = settings;
        // The seed is drawn once, when the call's settings are first saved,
        // and kept: the same reviews then always give the same ranking.
        auto existing = store::find_settings(sql, call_id);
        stored.ranking_seed = existing ? existing->ranking_seed
                                       : static_cast<long long>(randombytes_random() & 0x7fffffff);
        store::save_settings(sql, call_id, call->organisation_id, stored, now_text());
        std::string summary = std::to_string(stored.reviews_per_application) +
                              " reviews per application" +
                              (stored.share_reviews_after_close ? ", shared after close" : "");
        if (stored.review_closes_at)
            summary += ", closes " + *stored.review_closes_at;
        identity::record_audit(
            sql, m_database->engine(),
            event(actor, call->organisation_id, "review.settings", "call", call_id, summary));
        return {};
    });
}

Result<void> ReviewService::set_pool_member(const Actor& actor, Id call_id, Id user_id,
                                            bool in_pool) {
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto call = call_for(sql, actor, call_id, ReviewAction::Manage);
        if (!call)
            return tl::unexpected(call.error());
        std::string now = now_text();
        std::string summary = store::user_name(sql, user_id);
        if (in_pool) {
            if (!store::holds_reviewer_role(sql, call->organisation_id, call->fund_id, user_id))
                return tl::unexpected(check_fields({{"user_id", message::NOT_A_REVIEWER}}));
            store::set_pool_member(sql, call_id, user_id, call->organisation_id, true,
                                   acting_user(actor), now);
        } else {
            if (!store::in_pool(sql, call_id, user_id))
                return {}; // nothing to do: a repeated click
            store::set_pool_member(sql, call_id, user_id, call->organisation_id, false,
                                   acting_user(actor), now);
            // The reviewer dropped out: their open work goes back to be
            // assigned to someone else; what they submitted stays.
            int withdrawn =
                store::withdraw_open_assignments_of_reviewer(sql, call_id, user_id, now);
            if (withdrawn > 0) {
                summary += " (" + std::to_string(withdrawn) + " assignments withdrawn)";
            }
        }
        identity::record_audit(sql, m_database->engine(),
                               event(actor, call->organisation_id,
                                     in_pool ? "review.pool.add" : "review.pool.remove", "call",
                                     call_id, summary));
        return {};
    });
}

Result<Id> ReviewService::assign(const Actor& actor, Id application_id, Id reviewer_id) {
    return m_database->transact([&](soci::session& sql) -> Result<Id> {
        auto found = application_for(sql, actor, application_id, ReviewAction::Manage);
        if (!found)
            return tl::unexpected(found.error());
        const auto& application = found->application;
        const auto& call = found->call;
        if (application.status != "submitted")
            return tl::unexpected(Error::conflict(message::NOT_SUBMITTED));
        auto screening = store::find_screening(sql, application_id);
        if (screening && !screening->eligible)
            return tl::unexpected(Error::conflict(message::NOT_ELIGIBLE));
        if (!store::in_pool(sql, call.id, reviewer_id))
            return tl::unexpected(Error::conflict(message::NOT_IN_POOL));

        auto existing = store::find_assignment_for(sql, application_id, reviewer_id);
        AssignmentApplication candidate{application_id, application.unit_id, {}};
        if (existing && existing->status != AssignmentStatus::Withdrawn)
            candidate.reviewers.push_back(reviewer_id);
        AssignmentReviewer reviewer{reviewer_id,
                                    store::home_units(sql, call.organisation_id, reviewer_id), 0};
        if (auto why = ineligibility(candidate, reviewer, store::call_conflicts(sql, call.id)))
            return tl::unexpected(Error::conflict(ineligibility_message(*why)));

        std::string now = now_text();
        Id id = 0;
        if (existing) {
            id = existing->id;
            store::reactivate_assignment(sql, id, acting_user(actor), now);
        } else {
            Assignment assignment;
            assignment.organisation_id = call.organisation_id;
            assignment.call_id = call.id;
            assignment.application_id = application_id;
            assignment.reviewer_id = reviewer_id;
            id = store::insert_assignment(sql, assignment, acting_user(actor), now);
        }
        notifications::queue_assignment(sql, call.organisation_id, reviewer_id, call.title,
                                        {{application.reference, application.title}},
                                        m_options.translate_mail, now);
        identity::record_audit(
            sql, m_database->engine(),
            event(actor, call.organisation_id, "review.assign", "review_assignment", id,
                  application.reference + " to " + store::user_name(sql, reviewer_id)));
        return id;
    });
}

Result<AutoAssignResult> ReviewService::assign_automatically(const Actor& actor, Id call_id) {
    return m_database->transact([&](soci::session& sql) -> Result<AutoAssignResult> {
        auto call = call_for(sql, actor, call_id, ReviewAction::Manage);
        if (!call)
            return tl::unexpected(call.error());
        auto settings = store::find_settings(sql, call_id).value_or(ReviewSettings{});
        auto assignments = store::list_call_assignments(sql, call_id);
        // Pairs the planner must not choose: declared conflicts, and
        // assignments the manager withdrew (re-adding those is a decision
        // for a person, by hand).
        auto excluded = store::call_conflicts(sql, call_id);
        std::map<Id, int> load;
        std::map<Id, std::vector<Id>> assigned;
        for (const auto& assignment : assignments) {
            if (assignment.status == AssignmentStatus::Withdrawn) {
                excluded.insert({assignment.application_id, assignment.reviewer_id});
                continue;
            }
            ++load[assignment.reviewer_id];
            assigned[assignment.application_id].push_back(assignment.reviewer_id);
        }
        std::vector<AssignmentApplication> applications;
        std::map<Id, notifications::AssignedApplication> described;
        for (const auto& application : store::list_review_applications(sql, call_id)) {
            described[application.id] = {application.reference, application.title};
            if (takes_part(application))
                applications.push_back(
                    {application.id, application.unit_id, assigned[application.id]});
        }
        std::vector<AssignmentReviewer> reviewers;
        for (const auto& member :
             store::list_pool_candidates(sql, call->organisation_id, call->fund_id, call_id)) {
            if (member.in_pool)
                reviewers.push_back({member.user_id,
                                     store::home_units(sql, call->organisation_id, member.user_id),
                                     load[member.user_id]});
        }
        AssignmentPlan plan =
            plan_assignments(applications, reviewers, excluded, settings.reviews_per_application);
        std::string now = now_text();
        for (const auto& [application_id, reviewer_id] : plan.assignments) {
            Assignment assignment;
            assignment.organisation_id = call->organisation_id;
            assignment.call_id = call_id;
            assignment.application_id = application_id;
            assignment.reviewer_id = reviewer_id;
            store::insert_assignment(sql, assignment, acting_user(actor), now);
        }
        std::map<Id, std::vector<notifications::AssignedApplication>> by_reviewer;
        for (const auto& [application_id, reviewer_id] : plan.assignments)
            by_reviewer[reviewer_id].push_back(described[application_id]);
        for (const auto& [reviewer_id, assigned_applications] : by_reviewer)
            notifications::queue_assignment(sql, call->organisation_id, reviewer_id, call->title,
                                            assigned_applications, m_options.translate_mail, now);
        AutoAssignResult result{static_cast<int>(plan.assignments.size()), plan.shortfalls};
        identity::record_audit(sql, m_database->engine(),
                               event(actor, call->organisation_id, "review.assign.auto", "call",
                                     call_id,
                                     std::to_string(result.made) + " assignments made, " +
                                         std::to_string(result.shortfalls.size()) +
                                         " applications short of reviewers"));
        return result;
    });
}

Result<void> ReviewService::withdraw(const Actor& actor, Id assignment_id) {
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto found = assignment_for(sql, actor, assignment_id, ReviewAction::Manage);
        if (!found)
            return tl::unexpected(found.error());
        if (found->assignment.status == AssignmentStatus::Withdrawn)
            return tl::unexpected(Error::conflict(message::ALREADY_WITHDRAWN));
        store::set_status(sql, assignment_id, AssignmentStatus::Withdrawn, std::nullopt,
                          now_text());
        identity::record_audit(sql, m_database->engine(),
                               event(actor, found->call.organisation_id, "review.withdraw",
                                     "review_assignment", assignment_id,
                                     found->assignment.application_reference + " from " +
                                         found->assignment.reviewer_name));
        return {};
    });
}

Result<void> ReviewService::reopen(const Actor& actor, Id assignment_id) {
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto found = assignment_for(sql, actor, assignment_id, ReviewAction::Manage);
        if (!found)
            return tl::unexpected(found.error());
        if (found->assignment.status != AssignmentStatus::Submitted)
            return tl::unexpected(Error::conflict(message::NOT_SUBMITTED_REVIEW));
        store::set_status(sql, assignment_id, AssignmentStatus::Assigned, std::nullopt, now_text());
        identity::record_audit(sql, m_database->engine(),
                               event(actor, found->call.organisation_id, "review.reopen",
                                     "review_assignment", assignment_id,
                                     found->assignment.application_reference + " by " +
                                         found->assignment.reviewer_name));
        return {};
    });
}

// --- Conflicts ---------------------------------------------------------------------------

Result<std::vector<Declaration>> ReviewService::declarations(const Actor& actor, Id call_id) {
    return m_database->read([&](soci::session& sql) -> Result<std::vector<Declaration>> {
        auto call = call_for(sql, actor, call_id, ReviewAction::ViewManagement);
        if (!call)
            return tl::unexpected(call.error());
        return store::list_call_declarations(sql, call_id);
    });
}

Result<void> ReviewService::declare(const Actor& actor, Id assignment_id,
                                    const DeclarationInput& input) {
    std::string note = trim(input.note);
    std::vector<FieldError> errors;
    if (auto problem = text_problem("note", note, input.conflict.has_value(),
                                    "Describe the conflict briefly."))
        errors.push_back(*problem);
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto found = assignment_for(sql, actor, assignment_id, ReviewAction::OpenAssignment);
        if (!found)
            return tl::unexpected(found.error());
        if (!errors.empty())
            return tl::unexpected(check_fields(errors));
        const Assignment& assignment = found->assignment;
        if (found->declared == Declared::NoConflict && !input.conflict)
            return {}; // the same again: a double submit
        Declaration declaration;
        declaration.application_id = assignment.application_id;
        declaration.reviewer_id = assignment.reviewer_id;
        declaration.conflict = input.conflict.has_value();
        declaration.category = input.conflict;
        declaration.note = note;
        declaration.declared_by = acting_user(actor);
        std::string now = now_text();
        store::save_declaration(sql, found->call.organisation_id, declaration, now);
        std::string summary = assignment.application_reference + ": ";
        if (input.conflict) {
            // Disqualified: the reviewer leaves the application, and any
            // score they gave leaves the ranking.
            store::set_status(sql, assignment_id, AssignmentStatus::Withdrawn, std::nullopt, now);
            summary += "conflict (" + std::string(conflict_category_key(*input.conflict)) + ")";
        } else {
            summary += "no conflict";
        }
        identity::record_audit(sql, m_database->engine(),
                               event(actor, found->call.organisation_id, "review.declare",
                                     "review_assignment", assignment_id, summary));
        return {};
    });
}

Result<void> ReviewService::record_conflict(const Actor& actor, Id application_id, Id reviewer_id,
                                            ConflictCategory category, const std::string& note) {
    std::string text = trim(note);
    std::vector<FieldError> errors;
    if (auto problem = text_problem("note", text, true, "Describe the conflict briefly."))
        errors.push_back(*problem);
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto found = application_for(sql, actor, application_id, ReviewAction::Manage);
        if (!found)
            return tl::unexpected(found.error());
        const auto& call = found->call;
        if (!store::in_pool(sql, call.id, reviewer_id) &&
            !store::holds_reviewer_role(sql, call.organisation_id, call.fund_id, reviewer_id))
            errors.push_back({"reviewer_id", message::NOT_A_REVIEWER});
        if (!errors.empty())
            return tl::unexpected(check_fields(errors));
        Declaration declaration;
        declaration.application_id = application_id;
        declaration.reviewer_id = reviewer_id;
        declaration.conflict = true;
        declaration.category = category;
        declaration.note = text;
        declaration.declared_by = acting_user(actor);
        std::string now = now_text();
        store::save_declaration(sql, call.organisation_id, declaration, now);
        auto assignment = store::find_assignment_for(sql, application_id, reviewer_id);
        if (assignment && assignment->status != AssignmentStatus::Withdrawn)
            store::set_status(sql, assignment->id, AssignmentStatus::Withdrawn, std::nullopt, now);
        identity::record_audit(sql, m_database->engine(),
                               event(actor, call.organisation_id, "review.conflict.record",
                                     "application", application_id,
                                     found->application.reference + ": " +
                                         store::user_name(sql, reviewer_id) + " (" +
                                         std::string(conflict_category_key(category)) + ")"));
        return {};
    });
}

Result<void> ReviewService::check_not_conflicted(const Actor& actor, Id application_id) {
    if (actor.is_system)
        return {};
    return m_database->read([&](soci::session& sql) -> Result<void> {
        auto declaration = store::find_declaration(sql, application_id, actor_user(actor));
        if (declaration && declaration->conflict)
            return tl::unexpected(Error::forbidden(reason::CONFLICT));
        return {};
    });
}

Result<std::set<Id>> ReviewService::conflicted_applications(const Actor& actor, Id call_id) {
    return m_database->read([&](soci::session& sql) -> Result<std::set<Id>> {
        std::set<Id> out;
        if (actor.is_system)
            return out;
        for (const auto& [application, reviewer] : store::call_conflicts(sql, call_id)) {
            if (reviewer == actor_user(actor))
                out.insert(application);
        }
        return out;
    });
}

// --- The reviewer --------------------------------------------------------------------------

Result<MyReviews> ReviewService::my_reviews(const Actor& actor) {
    return m_database->read([&](soci::session& sql) -> Result<MyReviews> {
        if (actor.principal == nullptr)
            return tl::unexpected(Decision::login_required().to_error());
        Id organisation = actor.principal->organisation_id;
        if (auto allowed = check(actor, ReviewAction::ListOwn, {organisation, 0}); !allowed)
            return tl::unexpected(allowed.error());
        MyReviews out;
        out.declarations = store::list_reviewer_declarations(sql, organisation, actor_user(actor));
        std::map<Id, Declared> declared;
        for (const auto& declaration : out.declarations)
            declared[declaration.application_id] =
                declaration.conflict ? Declared::Conflict : Declared::NoConflict;
        for (auto& assignment :
             store::list_reviewer_assignments(sql, organisation, actor_user(actor))) {
            auto found = declared.find(assignment.application_id);
            out.assignments.push_back({std::move(assignment), found == declared.end()
                                                                  ? Declared::Nothing
                                                                  : found->second});
        }
        return out;
    });
}

Result<ReviewPage> ReviewService::review_page(const Actor& actor, Id assignment_id) {
    return m_database->read([&](soci::session& sql) -> Result<ReviewPage> {
        auto found = assignment_for(sql, actor, assignment_id, ReviewAction::OpenAssignment);
        if (!found)
            return tl::unexpected(found.error());
        ReviewPage page;
        page.call = to_call(found->call);
        page.assignment = found->assignment;
        page.application_reference = found->assignment.application_reference;
        page.application_title = found->assignment.application_title;
        page.declared = found->declared;
        page.locked = found->assignment.status == AssignmentStatus::Submitted;
        if (found->declared != Declared::NoConflict)
            return page;
        auto application = store::find_application(sql, found->assignment.application_id);
        if (!application)
            return tl::unexpected(Error::not_found());
        page.application_summary = application->summary;
        page.unit_name = application->unit_name;
        page.requested_ore = application->requested_ore;
        page.budget_total_ore = application->budget_total_ore;
        page.criteria = calls::store::list_criteria(sql, found->call.id);
        page.scores = store::list_scores(sql, assignment_id);
        auto settings = store::find_settings(sql, found->call.id).value_or(ReviewSettings{});
        if (shows_others(settings, found->assignment, m_options.now())) {
            for (const auto& other :
                 store::list_submitted_reviews(sql, application->id, assignment_id))
                page.others.push_back({other.recommendation, other.overall_comment,
                                       store::list_scores(sql, other.id)});
        }
        return page;
    });
}

Result<void> ReviewService::save_review(const Actor& actor, Id assignment_id,
                                        const ReviewInput& input) {
    ReviewInput review = cleaned(input);
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto found = assignment_for(sql, actor, assignment_id, ReviewAction::ReadAndScore);
        if (!found)
            return tl::unexpected(found.error());
        if (found->assignment.status == AssignmentStatus::Submitted)
            return tl::unexpected(Error::conflict(message::LOCKED));
        auto problems =
            review_format_problems(calls::store::list_criteria(sql, found->call.id), review);
        if (!problems.empty())
            return tl::unexpected(check_fields(std::move(problems)));
        store::save_review(sql, assignment_id, review, now_text());
        identity::record_audit(sql, m_database->engine(),
                               event(actor, found->call.organisation_id, "review.save",
                                     "review_assignment", assignment_id,
                                     found->assignment.application_reference + " draft"));
        return {};
    });
}

Result<void> ReviewService::submit_review(const Actor& actor, Id assignment_id,
                                          const ReviewInput& input) {
    ReviewInput review = cleaned(input);
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto found = assignment_for(sql, actor, assignment_id, ReviewAction::ReadAndScore);
        if (!found)
            return tl::unexpected(found.error());
        if (found->assignment.status == AssignmentStatus::Submitted)
            return tl::unexpected(Error::conflict(message::LOCKED));
        auto problems =
            review_submit_problems(calls::store::list_criteria(sql, found->call.id), review);
        if (!problems.empty())
            return tl::unexpected(check_fields(std::move(problems)));
        std::string now = now_text();
        store::save_review(sql, assignment_id, review, now);
        store::set_status(sql, assignment_id, AssignmentStatus::Submitted, now, now);
        identity::record_audit(sql, m_database->engine(),
                               event(actor, found->call.organisation_id, "review.submit",
                                     "review_assignment", assignment_id,
                                     found->assignment.application_reference + " " +
                                         std::string(recommendation_key(*review.recommendation))));
        return {};
    });
}

} // namespace spire::review
