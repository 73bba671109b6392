#include "review/routes.hpp"

#include "calls/manage_tabs.hpp"
#include "calls/model.hpp"
#include "core/text.hpp"
#include "http/form.hpp"
#include "identity/web.hpp"
#include "web/format.hpp"
#include "web/pages.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <string>
#include <utility>

namespace spire::review {

namespace {

using calls::manage_href;
using identity::actor_of;
using web::add_error;
using web::Data;
using web::fill;
using web::form_status;
using web::form_text;
using web::make_list;
using web::notice_for;
using web::option;
using web::redirect_to_login;
using web::refuse;
using web::shown_on_page;
using web::Translate;

constexpr std::pair<std::string_view, std::string_view> SCREENING_NOTICES[] = {
    {"screened", "The screening was saved."},
};
constexpr std::pair<std::string_view, std::string_view> REVIEWERS_NOTICES[] = {
    {"settings", "The review settings were saved."},
    {"pool", "The reviewer pool was changed."},
    {"assigned", "The reviewer was assigned."},
    {"auto", "Reviewers were assigned automatically."},
    {"withdrawn", "The assignment was withdrawn."},
    {"reopened", "The review was reopened."},
};
constexpr std::pair<std::string_view, std::string_view> CONFLICT_NOTICES[] = {
    {"recorded", "The conflict of interest was recorded."},
};
constexpr std::pair<std::string_view, std::string_view> REVIEW_NOTICES[] = {
    {"declared", "Your declaration was recorded."},
    {"conflict", "Your conflict of interest was recorded. The application was taken away from "
                 "you."},
    {"saved", "Your draft was saved."},
    {"submitted", "Your review was submitted."},
};

// --- Small helpers ---------------------------------------------------------------

Id path_id(const http::Request& request, std::string_view name) {
    return request.param_int(name).value_or(0);
}

void set_if_any(Data& data, const std::string& name, const std::string& text) {
    if (!text.empty())
        data.set(name, text);
}

std::string datetime_text(const std::optional<std::string>& db_time, const std::string& lang) {
    if (!db_time)
        return {};
    auto when = from_db_time(*db_time);
    return when ? web::format_datetime(*when, lang) : *db_time;
}

std::optional<http::Response> parse_body(http::Request& request, std::optional<http::Form>& out) {
    auto form = http::parse_form(request.header("Content-Type"), request.body);
    if (!form)
        return refuse(request, form.error());
    out = std::move(*form);
    return std::nullopt;
}

// "" -> none; a whole number -> it; anything else -> nullopt inside.
std::optional<std::optional<long long>> parse_number(const std::string& text) {
    std::string value = trim(text);
    if (value.empty())
        return std::optional<long long>{};
    long long number = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (ec != std::errc{} || end != value.data() + value.size())
        return std::nullopt;
    return std::optional<long long>{number};
}

Id id_of(const http::Form& form, std::string_view name) {
    auto parsed = parse_number(form_text(form, name));
    return parsed && *parsed ? **parsed : 0;
}

bool checkbox_on(const std::string& value) {
    return value == "1" || value == "on" || value == "true" || value == "yes";
}

bool may(const http::Request& request, ReviewAction action, const ReviewCall& call) {
    return static_cast<bool>(
        authorize(request.context.principal.get(), action, {call.organisation_id, call.fund_id}));
}

// Breadcrumb and tabs shared by the three management pages.
void add_call_frame(Data& data, const Translate& tr, const ReviewCall& call,
                    std::string_view current) {
    data.set("call_id", std::to_string(call.id));
    data.set("call_title", call.title);
    data.set("manage_href", manage_href(call.id));
    data.set("fund_name", call.fund_name);
    data.set("fund_href", "/funds/" + std::to_string(call.fund_id));
    data.set("fund_calls_href", "/funds/" + std::to_string(call.fund_id) + "/calls");
    data.set("tabs", calls::manage_tabs(tr, call.id, current));
}

std::string declared_text(Declared declared, const Translate& tr) {
    switch (declared) {
    case Declared::Nothing:
        return tr("Not declared");
    case Declared::NoConflict:
        return tr("No conflict");
    case Declared::Conflict:
        return tr("Conflict of interest");
    }
    return {};
}

std::string status_color(AssignmentStatus status) {
    switch (status) {
    case AssignmentStatus::Assigned:
        return "warning";
    case AssignmentStatus::Submitted:
        return "success";
    case AssignmentStatus::Withdrawn:
        return "neutral";
    }
    return "neutral";
}

// --- Screening -----------------------------------------------------------------------

// What the fund manager typed for one application, kept on a refused save.
struct ScreeningTyped {
    Id application_id = 0;
    std::string decision; // "eligible" | "not_eligible"
    std::string reason;
};

http::Response screening_page(ReviewService& service, const web::View& view, http::Request& request,
                              const ScreeningTyped* typed, const Error* error, int status) {
    if (!request.context.principal)
        return redirect_to_login(request);
    auto overview = service.screening(actor_of(request), path_id(request, "id"));
    if (!overview)
        return refuse(request, overview.error());
    Translate tr{view, request};
    const ReviewCall& call = overview->call;
    Data data;
    add_call_frame(data, tr, call, "screening");
    set_if_any(data, "notice", notice_for(request, tr, SCREENING_NOTICES));
    const bool can_screen = may(request, ReviewAction::Manage, call);
    data.set("can_screen", can_screen);
    Data rows = make_list();
    int eligible = 0, not_eligible = 0, unscreened = 0;
    std::string row_error;
    if (error) {
        std::string field = "reason_" + std::to_string(typed ? typed->application_id : 0);
        std::string input = "reason-" + std::to_string(typed ? typed->application_id : 0);
        Error renamed = *error;
        for (auto& field_error : renamed.fields) {
            row_error = tr(field_error.message);
            field_error.field = field;
        }
        add_error(data, tr, renamed, {{field, input}});
    }
    for (const auto& application : overview->applications) {
        Data row;
        std::string id = std::to_string(application.id);
        row.set("id", id);
        row.set("reference", application.reference);
        row.set("title", application.title);
        row.set("unit", application.unit_name);
        row.set("requested", web::format_money(application.requested_ore));
        if (!application.eligible) {
            ++unscreened;
            row.set("state", tr("Not screened"));
            row.set("state_color", "warning");
        } else if (*application.eligible) {
            ++eligible;
            row.set("state", tr("Eligible"));
            row.set("state_color", "success");
        } else {
            ++not_eligible;
            row.set("state", tr("Not eligible"));
            row.set("state_color", "danger");
        }
        set_if_any(row, "reason", application.screening_reason);
        bool mine = typed && typed->application_id == application.id;
        std::string decision =
            mine ? typed->decision
                 : (application.eligible.value_or(true) ? "eligible" : "not_eligible");
        row.set("v_reason", mine ? typed->reason : application.screening_reason);
        Data options = make_list();
        options.push_back(option("eligible", tr("Eligible"), decision == "eligible"));
        options.push_back(option("not_eligible", tr("Not eligible"), decision == "not_eligible"));
        row.set("decision_options", options);
        row.set("action", manage_href(call.id) + "/screening/" + id);
        row.set("decision_label",
                fill(tr("Decision for {reference}"), {{"reference", application.reference}}));
        row.set("reason_label",
                fill(tr("Reason for {reference}"), {{"reference", application.reference}}));
        row.set("save_label", fill(tr("Save {reference}"), {{"reference", application.reference}}));
        if (mine && error)
            set_if_any(row, "row_error", row_error);
        rows.push_back(row);
    }
    data.set("applications", rows);
    data.set("has_applications", !overview->applications.empty());
    data.set(
        "summary",
        fill(tr("{eligible} eligible, {not_eligible} not eligible, {unscreened} not screened."),
             {{"eligible", std::to_string(eligible)},
              {"not_eligible", std::to_string(not_eligible)},
              {"unscreened", std::to_string(unscreened)}}));
    return view.page(request, "review/screening", "Screening", std::move(data), status);
}

http::Response screen(ReviewService& service, const web::View& view, http::Request& request) {
    if (!request.context.principal)
        return redirect_to_login(request);
    std::optional<http::Form> body;
    if (auto refused = parse_body(request, body))
        return std::move(*refused);
    ScreeningTyped typed{path_id(request, "application"), form_text(*body, "decision"),
                         form_text(*body, "reason")};
    Result<void> saved =
        typed.decision == "eligible" || typed.decision == "not_eligible"
            ? service.screen(actor_of(request), typed.application_id, typed.decision == "eligible",
                             typed.reason)
            : Result<void>(Unexpected(Error::invalid("Choose eligible or not eligible.")));
    if (!saved) {
        if (!shown_on_page(saved.error()))
            return refuse(request, saved.error());
        return screening_page(service, view, request, &typed, &saved.error(),
                              form_status(saved.error()));
    }
    return http::Response::redirect(manage_href(path_id(request, "id")) +
                                    "/screening?done=screened");
}

// --- Reviewers -----------------------------------------------------------------------

struct SettingsTyped {
    std::string reviews_per_application;
    std::string review_closes_date;
    std::string share;
};

SettingsTyped settings_typed_of(const ReviewSettings& settings) {
    SettingsTyped typed;
    typed.reviews_per_application = std::to_string(settings.reviews_per_application);
    if (settings.review_closes_at) {
        if (auto local = calls::utc_to_oslo(*settings.review_closes_at))
            typed.review_closes_date = local->date;
    }
    typed.share = settings.share_reviews_after_close ? "1" : "";
    return typed;
}

Result<ReviewSettings> parse_settings(const SettingsTyped& typed) {
    std::vector<FieldError> errors;
    ReviewSettings settings;
    auto per = parse_number(typed.reviews_per_application);
    if (!per || !*per || **per < 1 || **per > MAX_REVIEWS_PER_APPLICATION)
        errors.push_back({"reviews_per_application", "Enter a number from 1 to 10."});
    else
        settings.reviews_per_application = static_cast<int>(**per);
    std::string date = trim(typed.review_closes_date);
    if (!date.empty()) {
        // The review period ends when the day ends in Oslo.
        auto utc = calls::oslo_to_utc(date, "23:59");
        if (!utc)
            errors.push_back({"review_closes_date", calls::message::DATE_FORMAT});
        else
            settings.review_closes_at = *utc;
    }
    settings.share_reviews_after_close = checkbox_on(typed.share);
    if (!errors.empty())
        return tl::unexpected(Error::invalid("Check the fields marked below.", std::move(errors)));
    return settings;
}

http::Response reviewers_page(ReviewService& service, const web::View& view, http::Request& request,
                              const SettingsTyped* typed, const Error* error, int status) {
    if (!request.context.principal)
        return redirect_to_login(request);
    auto overview = service.reviewers(actor_of(request), path_id(request, "id"));
    if (!overview)
        return refuse(request, overview.error());
    Translate tr{view, request};
    const std::string& lang = request.context.lang;
    const ReviewCall& call = overview->call;
    const std::string base = manage_href(call.id) + "/reviewers";
    Data data;
    add_call_frame(data, tr, call, "reviewers");
    set_if_any(data, "notice", notice_for(request, tr, REVIEWERS_NOTICES));
    const bool can_manage = may(request, ReviewAction::Manage, call);
    data.set("can_manage", can_manage);
    data.set("settings_action", base + "/settings");
    data.set("pool_action", base + "/pool");
    data.set("auto_action", base + "/auto");
    data.set("assign_action", base + "/assign");

    SettingsTyped shown = typed ? *typed : settings_typed_of(overview->settings);
    data.set("v_reviews_per_application", shown.reviews_per_application);
    data.set("v_review_closes_date", shown.review_closes_date);
    data.set("v_share", checkbox_on(shown.share));
    if (error)
        add_error(data, tr, *error,
                  {{"reviews_per_application", "reviews_per_application"},
                   {"review_closes_date", "review_closes_date"},
                   {"user_id", "pool-heading"},
                   {"reviewer_id", "progress-heading"}});

    std::map<Id, std::string> names;
    Data pool = make_list();
    Data pool_options = make_list();
    int in_pool = 0;
    for (const auto& member : overview->candidates) {
        names[member.user_id] = member.name;
        Data row;
        row.set("user_id", std::to_string(member.user_id));
        row.set("name", member.name);
        row.set("email", member.email);
        row.set("in_pool", member.in_pool);
        row.set("assigned", std::to_string(member.assigned));
        row.set("submitted", std::to_string(member.submitted));
        row.set("conflicts", std::to_string(member.conflicts));
        row.set("add_label", fill(tr("Add {name} to the pool"), {{"name", member.name}}));
        row.set("remove_label", fill(tr("Remove {name} from the pool"), {{"name", member.name}}));
        pool.push_back(row);
        if (member.in_pool) {
            ++in_pool;
            pool_options.push_back(option(std::to_string(member.user_id), member.name, false));
        }
    }
    data.set("pool", pool);
    data.set("has_candidates", !overview->candidates.empty());
    data.set("has_pool", in_pool > 0);
    data.set("pool_summary",
             fill(tr("{count} reviewers in the pool."), {{"count", std::to_string(in_pool)}}));

    Data applications = make_list();
    int complete = 0;
    for (const auto& progress : overview->applications) {
        const auto& application = progress.application;
        Data row;
        std::string id = std::to_string(application.id);
        row.set("id", id);
        row.set("reference", application.reference);
        row.set("title", application.title);
        row.set("unit", application.unit_name);
        row.set("progress", fill(tr("{assigned} of {wanted} assigned, {submitted} submitted"),
                                 {{"assigned", std::to_string(progress.assigned)},
                                  {"wanted", std::to_string(progress.wanted)},
                                  {"submitted", std::to_string(progress.submitted)}}));
        row.set("short", progress.assigned < progress.wanted);
        if (progress.submitted >= progress.wanted)
            ++complete;
        row.set("reviewer_options", pool_options);
        row.set("reviewer_label",
                fill(tr("Reviewer for {reference}"), {{"reference", application.reference}}));
        row.set("assign_label",
                fill(tr("Assign to {reference}"), {{"reference", application.reference}}));
        applications.push_back(row);
    }
    data.set("applications", applications);
    data.set("has_applications", !overview->applications.empty());
    data.set("progress_summary",
             fill(tr("{complete} of {total} applications have all their reviews."),
                  {{"complete", std::to_string(complete)},
                   {"total", std::to_string(overview->applications.size())}}));

    Data assignments = make_list();
    for (const auto& assignment : overview->assignments) {
        Data row;
        std::string id = std::to_string(assignment.id);
        row.set("reference", assignment.application_reference);
        row.set("title", assignment.application_title);
        row.set("reviewer", assignment.reviewer_name);
        row.set("status", tr(assignment_status_label(assignment.status)));
        row.set("status_color", status_color(assignment.status));
        set_if_any(row, "submitted_at", datetime_text(assignment.submitted_at, lang));
        row.set("can_withdraw", can_manage && assignment.status != AssignmentStatus::Withdrawn);
        row.set("can_reopen", can_manage && assignment.status == AssignmentStatus::Submitted);
        row.set("withdraw_action", base + "/assignments/" + id + "/withdraw");
        row.set("reopen_action", base + "/assignments/" + id + "/reopen");
        std::string what = assignment.application_reference + ", " + assignment.reviewer_name;
        row.set("withdraw_label", fill(tr("Withdraw {what}"), {{"what", what}}));
        row.set("reopen_label", fill(tr("Reopen {what}"), {{"what", what}}));
        assignments.push_back(row);
    }
    data.set("assignments", assignments);
    data.set("has_assignments", !overview->assignments.empty());
    return view.page(request, "review/reviewers", "Reviewers", std::move(data), status);
}

http::Response show_reviewers(ReviewService& service, const web::View& view,
                              http::Request& request) {
    return reviewers_page(service, view, request, nullptr, nullptr, 200);
}

// A POST on the reviewers page: act, then back to it (a refusal is shown on
// the page with its reason).
template <class Act>
http::Response reviewers_action(ReviewService& service, const web::View& view,
                                http::Request& request, Act&& act, std::string_view done) {
    if (!request.context.principal)
        return redirect_to_login(request);
    std::optional<http::Form> body;
    if (auto refused = parse_body(request, body))
        return std::move(*refused);
    Result<void> result = act(*body);
    if (!result) {
        if (!shown_on_page(result.error()))
            return refuse(request, result.error());
        return reviewers_page(service, view, request, nullptr, &result.error(),
                              form_status(result.error()));
    }
    return http::Response::redirect(manage_href(path_id(request, "id")) +
                                    "/reviewers?done=" + std::string(done));
}

http::Response save_settings(ReviewService& service, const web::View& view,
                             http::Request& request) {
    if (!request.context.principal)
        return redirect_to_login(request);
    std::optional<http::Form> body;
    if (auto refused = parse_body(request, body))
        return std::move(*refused);
    SettingsTyped typed{form_text(*body, "reviews_per_application"),
                        form_text(*body, "review_closes_date"), form_text(*body, "share")};
    auto settings = parse_settings(typed);
    Result<void> saved =
        settings ? service.save_settings(actor_of(request), path_id(request, "id"), *settings)
                 : Result<void>(Unexpected(settings.error()));
    if (!saved) {
        if (!shown_on_page(saved.error()))
            return refuse(request, saved.error());
        return reviewers_page(service, view, request, &typed, &saved.error(),
                              form_status(saved.error()));
    }
    return http::Response::redirect(manage_href(path_id(request, "id")) +
                                    "/reviewers?done=settings");
}

// --- Conflicts -----------------------------------------------------------------------

struct ConflictTyped {
    std::string application_id;
    std::string reviewer_id;
    std::string category;
    std::string note;
};

Data category_options(const Translate& tr, const std::string& selected) {
    Data options = make_list();
    for (ConflictCategory category : ALL_CONFLICT_CATEGORIES) {
        std::string key(conflict_category_key(category));
        options.push_back(option(key, tr(conflict_category_label(category)), key == selected));
    }
    return options;
}

http::Response conflicts_page(ReviewService& service, const web::View& view, http::Request& request,
                              const ConflictTyped& typed, const Error* error, int status) {
    if (!request.context.principal)
        return redirect_to_login(request);
    Id call_id = path_id(request, "id");
    auto declarations = service.declarations(actor_of(request), call_id);
    if (!declarations)
        return refuse(request, declarations.error());
    auto overview = service.reviewers(actor_of(request), call_id);
    if (!overview)
        return refuse(request, overview.error());
    Translate tr{view, request};
    const ReviewCall& call = overview->call;
    Data data;
    add_call_frame(data, tr, call, "conflicts");
    set_if_any(data, "notice", notice_for(request, tr, CONFLICT_NOTICES));
    data.set("can_manage", may(request, ReviewAction::Manage, call));
    data.set("action", manage_href(call.id) + "/conflicts");
    Data rows = make_list();
    int conflicts = 0;
    for (const auto& declaration : *declarations) {
        Data row;
        row.set("reference", declaration.application_reference);
        row.set("title", declaration.application_title);
        row.set("reviewer", declaration.reviewer_name);
        row.set("conflict", declaration.conflict);
        if (declaration.conflict) {
            ++conflicts;
            row.set("declaration", tr("Conflict of interest"));
            if (declaration.category)
                row.set("category", tr(conflict_category_label(*declaration.category)));
        } else {
            row.set("declaration", tr("No conflict"));
        }
        set_if_any(row, "note", declaration.note);
        row.set("declared_by", declaration.declared_by_name);
        row.set("by_manager", declaration.declared_by != declaration.reviewer_id);
        row.set("declared_at", datetime_text(std::optional<std::string>(declaration.declared_at),
                                             request.context.lang));
        rows.push_back(row);
    }
    data.set("declarations", rows);
    data.set("has_declarations", !declarations->empty());
    data.set("summary", fill(tr("{count} declarations, {conflicts} of them conflicts."),
                             {{"count", std::to_string(declarations->size())},
                              {"conflicts", std::to_string(conflicts)}}));
    Data applications = make_list();
    for (const auto& progress : overview->applications) {
        std::string id = std::to_string(progress.application.id);
        applications.push_back(
            option(id, progress.application.reference + " " + progress.application.title,
                   id == typed.application_id));
    }
    data.set("application_options", applications);
    Data reviewers = make_list();
    for (const auto& member : overview->candidates) {
        std::string id = std::to_string(member.user_id);
        reviewers.push_back(option(id, member.name, id == typed.reviewer_id));
    }
    data.set("reviewer_options", reviewers);
    data.set("has_form_choices", !overview->applications.empty() && !overview->candidates.empty());
    data.set("category_options", category_options(tr, typed.category));
    data.set("v_note", typed.note);
    if (error)
        add_error(data, tr, *error,
                  {{"application_id", "application_id"},
                   {"reviewer_id", "reviewer_id"},
                   {"category", "category"},
                   {"note", "note"}});
    return view.page(request, "review/conflicts", "Conflicts of interest", std::move(data), status);
}

http::Response record_conflict(ReviewService& service, const web::View& view,
                               http::Request& request) {
    if (!request.context.principal)
        return redirect_to_login(request);
    std::optional<http::Form> body;
    if (auto refused = parse_body(request, body))
        return std::move(*refused);
    ConflictTyped typed{form_text(*body, "application_id"), form_text(*body, "reviewer_id"),
                        form_text(*body, "category"), form_text(*body, "note")};
    std::vector<FieldError> errors;
    Id application = id_of(*body, "application_id");
    Id reviewer = id_of(*body, "reviewer_id");
    auto category = parse_conflict_category(typed.category);
    if (application <= 0)
        errors.push_back({"application_id", "Choose an application."});
    if (reviewer <= 0)
        errors.push_back({"reviewer_id", "Choose a reviewer."});
    if (!category)
        errors.push_back({"category", "Choose the ground for the conflict."});
    Result<void> recorded =
        errors.empty()
            ? service.record_conflict(actor_of(request), application, reviewer, *category,
                                      typed.note)
            : Result<void>(Unexpected(Error::invalid("Check the fields marked below.", errors)));
    if (!recorded) {
        if (!shown_on_page(recorded.error()))
            return refuse(request, recorded.error());
        return conflicts_page(service, view, request, typed, &recorded.error(),
                              form_status(recorded.error()));
    }
    return http::Response::redirect(manage_href(path_id(request, "id")) +
                                    "/conflicts?done=recorded");
}

// --- The reviewer's pages --------------------------------------------------------------

http::Response show_my_reviews(ReviewService& service, const web::View& view,
                               http::Request& request) {
    if (!request.context.principal)
        return redirect_to_login(request);
    auto mine = service.my_reviews(actor_of(request));
    if (!mine)
        return refuse(request, mine.error());
    Translate tr{view, request};
    const std::string& lang = request.context.lang;
    Data data;
    set_if_any(data, "notice", notice_for(request, tr, REVIEW_NOTICES));
    Data rows = make_list();
    int open = 0;
    for (const auto& item : mine->assignments) {
        const Assignment& assignment = item.assignment;
        Data row;
        row.set("call", assignment.call_title);
        row.set("reference", assignment.application_reference);
        row.set("title", assignment.application_title);
        bool reachable =
            item.declared != Declared::Conflict && assignment.status != AssignmentStatus::Withdrawn;
        row.set("reachable", reachable);
        row.set("href", "/reviews/" + std::to_string(assignment.id));
        row.set("status", tr(assignment_status_label(assignment.status)));
        row.set("status_color", status_color(assignment.status));
        row.set("declared", declared_text(item.declared, tr));
        if (reachable && assignment.status == AssignmentStatus::Assigned)
            ++open;
        rows.push_back(row);
    }
    data.set("assignments", rows);
    data.set("has_assignments", !mine->assignments.empty());
    data.set("summary",
             fill(tr("{open} reviews waiting for you."), {{"open", std::to_string(open)}}));
    Data declarations = make_list();
    for (const auto& declaration : mine->declarations) {
        Data row;
        row.set("reference", declaration.application_reference);
        row.set("title", declaration.application_title);
        row.set("declaration",
                declaration.conflict ? tr("Conflict of interest") : tr("No conflict"));
        if (declaration.category)
            row.set("category", tr(conflict_category_label(*declaration.category)));
        set_if_any(row, "note", declaration.note);
        row.set("declared_at",
                datetime_text(std::optional<std::string>(declaration.declared_at), lang));
        declarations.push_back(row);
    }
    data.set("declarations", declarations);
    data.set("has_declarations", !mine->declarations.empty());
    return view.page(request, "review/my_reviews", "My reviews", std::move(data));
}

// What the reviewer typed, kept on a refused save: raw texts by field name.
using ReviewTyped = std::map<std::string, std::string>;

ReviewTyped typed_of(const ReviewPage& page) {
    ReviewTyped typed;
    for (const auto& score : page.scores) {
        std::string id = std::to_string(score.criterion_id);
        if (score.score)
            typed["score_" + id] = std::to_string(*score.score);
        typed["comment_" + id] = score.comment;
    }
    if (page.assignment.recommendation)
        typed["recommendation"] = std::string(recommendation_key(*page.assignment.recommendation));
    typed["overall_comment"] = page.assignment.overall_comment;
    return typed;
}

std::string value_of(const ReviewTyped& typed, const std::string& name) {
    auto found = typed.find(name);
    return found == typed.end() ? std::string() : found->second;
}

// The label of a score: the Research Council's words on its 1–7 scale.
std::string score_label(const calls::Criterion& criterion, int score, const Translate& tr) {
    if (criterion.scale_min == 1 && criterion.scale_max == 7)
        return std::to_string(score) + " – " + tr(calls::RCN_SCALE_LABELS[score - 1]);
    return std::to_string(score);
}

void add_scoring(Data& data, const ReviewPage& page, const ReviewTyped& typed,
                 const Translate& tr) {
    std::map<Id, const StoredScore*> stored;
    for (const auto& score : page.scores)
        stored[score.criterion_id] = &score;
    Data criteria = make_list();
    for (const auto& criterion : page.criteria) {
        std::string id = std::to_string(criterion.id);
        Data row;
        row.set("id", id);
        row.set("name", criterion.name);
        set_if_any(row, "guidance", criterion.guidance);
        row.set("weight", std::to_string(criterion.weight_percent) + " %");
        std::string chosen = value_of(typed, "score_" + id);
        Data options = make_list();
        for (int score = criterion.scale_min; score <= criterion.scale_max; ++score) {
            Data item;
            std::string value = std::to_string(score);
            item.set("value", value);
            item.set("input_id", "score_" + id + "_" + value);
            item.set("label", score_label(criterion, score, tr));
            item.set("checked", value == chosen);
            options.push_back(item);
        }
        row.set("options", options);
        row.set("first_input", "score_" + id + "_" + std::to_string(criterion.scale_min));
        row.set("v_comment", value_of(typed, "comment_" + id));
        auto found = stored.find(criterion.id);
        row.set("shown_score", found != stored.end() && found->second->score
                                   ? score_label(criterion, *found->second->score, tr)
                                   : std::string("–"));
        set_if_any(row, "shown_comment",
                   found != stored.end() ? found->second->comment : std::string());
        criteria.push_back(row);
    }
    data.set("criteria", criteria);
    std::string chosen = value_of(typed, "recommendation");
    Data recommendations = make_list();
    for (Recommendation recommendation : ALL_RECOMMENDATIONS) {
        std::string key(recommendation_key(recommendation));
        Data item;
        item.set("value", key);
        item.set("input_id", "recommendation_" + key);
        item.set("label", tr(recommendation_label(recommendation)));
        item.set("checked", key == chosen);
        recommendations.push_back(item);
    }
    data.set("recommendations", recommendations);
    data.set("v_overall_comment", value_of(typed, "overall_comment"));
    if (page.assignment.recommendation)
        data.set("shown_recommendation", tr(recommendation_label(*page.assignment.recommendation)));
    set_if_any(data, "shown_overall_comment", page.assignment.overall_comment);

    Data others = make_list();
    int number = 0;
    for (const auto& other : page.others) {
        Data item;
        item.set("heading", fill(tr("Review {number}"), {{"number", std::to_string(++number)}}));
        if (other.recommendation)
            item.set("recommendation", tr(recommendation_label(*other.recommendation)));
        set_if_any(item, "overall_comment", other.overall_comment);
        Data scores = make_list();
        for (const auto& criterion : page.criteria) {
            for (const auto& score : other.scores) {
                if (score.criterion_id != criterion.id)
                    continue;
                Data line;
                line.set("name", criterion.name);
                line.set("score", score.score ? score_label(criterion, *score.score, tr) : "–");
                set_if_any(line, "comment", score.comment);
                scores.push_back(line);
            }
        }
        item.set("scores", scores);
        others.push_back(item);
    }
    data.set("others", others);
    data.set("has_others", !page.others.empty());
}

struct DeclarationTyped {
    std::string choice; // "none" | "conflict"
    std::string category;
    std::string note;
};

http::Response review_page(ReviewService& service, const web::View& view, http::Request& request,
                           const ReviewTyped* typed, const DeclarationTyped* declaration,
                           const Error* error, int status) {
    if (!request.context.principal)
        return redirect_to_login(request);
    auto page = service.review_page(actor_of(request), path_id(request, "id"));
    if (!page)
        return refuse(request, page.error());
    Translate tr{view, request};
    Data data;
    set_if_any(data, "notice", notice_for(request, tr, REVIEW_NOTICES));
    data.set("call_title", page->call.title);
    data.set("reference", page->application_reference);
    data.set("application_title", page->application_title);
    data.set("status", tr(assignment_status_label(page->assignment.status)));
    data.set("status_color", status_color(page->assignment.status));
    std::string base = "/reviews/" + std::to_string(page->assignment.id);
    data.set("declaration_action", base + "/declaration");
    data.set("action", base);
    const bool declaring = page->declared == Declared::Nothing;
    data.set("declaring", declaring);
    if (declaring) {
        DeclarationTyped shown = declaration ? *declaration : DeclarationTyped{};
        data.set("choice_none", shown.choice == "none");
        data.set("choice_conflict", shown.choice == "conflict");
        data.set("category_options", category_options(tr, shown.category));
        data.set("v_note", shown.note);
        if (error)
            add_error(data, tr, *error,
                      {{"choice", "choice_none"}, {"category", "category"}, {"note", "note"}});
        return view.page(request, "review/review", "Review", std::move(data), status);
    }
    data.set("summary", page->application_summary);
    data.set("unit", page->unit_name);
    data.set("requested", web::format_money(page->requested_ore));
    data.set("budget_total", web::format_money(page->budget_total_ore));
    data.set("locked", page->locked);
    set_if_any(data, "submitted_at",
               datetime_text(page->assignment.submitted_at, request.context.lang));
    add_scoring(data, *page, typed ? *typed : typed_of(*page), tr);
    if (error) {
        std::vector<std::pair<std::string, std::string>> refs;
        for (const auto& criterion : page->criteria) {
            std::string id = std::to_string(criterion.id);
            refs.push_back(
                {"score_" + id, "score_" + id + "_" + std::to_string(criterion.scale_min)});
            refs.push_back({"comment_" + id, "comment_" + id});
        }
        std::vector<web::FieldRef> views; // into `refs`, which outlives them
        for (const auto& [field, input] : refs)
            views.push_back({field, input});
        views.push_back({"recommendation", "recommendation_fund"});
        views.push_back({"overall_comment", "overall_comment"});
        // Field messages next to their inputs (inside the criteria rows,
        // which add_error cannot reach), and a summary with links.
        if (error->fields.empty()) {
            data.set("alert", tr(error->message));
        } else {
            Data items = make_list();
            for (const auto& field_error : error->fields) {
                Data item;
                std::string message = tr(field_error.message);
                item.set("message", message);
                auto known = std::find_if(views.begin(), views.end(), [&](const web::FieldRef& r) {
                    return r.field == field_error.field;
                });
                item.set("has_href", known != views.end());
                if (known != views.end())
                    item.set("href", "#" + std::string(known->input_id));
                items.push_back(item);
            }
            data.set("has_errors", true);
            data.set("errors", items);
            // Per-criterion messages go into the criteria rows.
            Data criteria = data.get("criteria") ? *data.get("criteria") : make_list();
            Data marked = make_list();
            for (auto row : criteria.list_value()) {
                std::string id = row.get("id")->string_value();
                for (const auto& field_error : error->fields) {
                    if (field_error.field == "score_" + id)
                        row.set("error_score", tr(field_error.message));
                    if (field_error.field == "comment_" + id)
                        row.set("error_comment", tr(field_error.message));
                }
                marked.push_back(row);
            }
            data.set("criteria", marked);
            for (const auto& field_error : error->fields) {
                if (field_error.field == "recommendation" || field_error.field == "overall_comment")
                    data.set("error_" + field_error.field, tr(field_error.message));
            }
        }
    }
    return view.page(request, "review/review", "Review", std::move(data), status);
}

http::Response show_review(ReviewService& service, const web::View& view, http::Request& request) {
    return review_page(service, view, request, nullptr, nullptr, nullptr, 200);
}

http::Response declare(ReviewService& service, const web::View& view, http::Request& request) {
    if (!request.context.principal)
        return redirect_to_login(request);
    std::optional<http::Form> body;
    if (auto refused = parse_body(request, body))
        return std::move(*refused);
    DeclarationTyped typed{form_text(*body, "choice"), form_text(*body, "category"),
                           form_text(*body, "note")};
    Result<void> declared;
    DeclarationInput input;
    input.note = typed.note;
    if (typed.choice == "none") {
        declared = service.declare(actor_of(request), path_id(request, "id"), input);
    } else if (typed.choice == "conflict") {
        input.conflict = parse_conflict_category(typed.category);
        declared = input.conflict
                       ? service.declare(actor_of(request), path_id(request, "id"), input)
                       : Result<void>(Unexpected(Error::invalid(
                             "Check the fields marked below.",
                             {{"category", "Choose the ground for the conflict."}})));
    } else {
        declared = Unexpected(
            Error::invalid("Check the fields marked below.",
                           {{"choice", "Answer whether you have a conflict of interest."}}));
    }
    if (!declared) {
        if (!shown_on_page(declared.error()))
            return refuse(request, declared.error());
        return review_page(service, view, request, nullptr, &typed, &declared.error(),
                           form_status(declared.error()));
    }
    if (input.conflict)
        return http::Response::redirect("/reviews?done=conflict");
    return http::Response::redirect("/reviews/" + std::to_string(path_id(request, "id")) +
                                    "?done=declared");
}

http::Response save_review(ReviewService& service, const web::View& view, http::Request& request) {
    if (!request.context.principal)
        return redirect_to_login(request);
    std::optional<http::Form> body;
    if (auto refused = parse_body(request, body))
        return std::move(*refused);
    Id id = path_id(request, "id");
    auto page = service.review_page(actor_of(request), id);
    if (!page)
        return refuse(request, page.error());
    ReviewTyped typed;
    ReviewInput input;
    std::vector<FieldError> errors;
    for (const auto& criterion : page->criteria) {
        std::string key = std::to_string(criterion.id);
        std::string score_text = form_text(*body, "score_" + key);
        std::string comment = form_text(*body, "comment_" + key);
        typed["score_" + key] = score_text;
        typed["comment_" + key] = comment;
        auto number = parse_number(score_text);
        if (!number ||
            (*number && (**number < criterion.scale_min || **number > criterion.scale_max))) {
            errors.push_back({"score_" + key, "Choose a score on the criterion's scale."});
            continue;
        }
        input.scores.push_back(
            {criterion.id, *number ? std::optional<int>(static_cast<int>(**number)) : std::nullopt,
             comment});
    }
    typed["recommendation"] = form_text(*body, "recommendation");
    typed["overall_comment"] = form_text(*body, "overall_comment");
    if (!typed["recommendation"].empty()) {
        input.recommendation = parse_recommendation(typed["recommendation"]);
        if (!input.recommendation)
            errors.push_back({"recommendation", "Choose a recommendation."});
    }
    input.overall_comment = typed["overall_comment"];
    const bool submit = form_text(*body, "action") == "submit";
    Result<void> saved =
        !errors.empty()
            ? Result<void>(Unexpected(Error::invalid("Check the fields marked below.", errors)))
        : submit ? service.submit_review(actor_of(request), id, input)
                 : service.save_review(actor_of(request), id, input);
    if (!saved) {
        if (!shown_on_page(saved.error()))
            return refuse(request, saved.error());
        return review_page(service, view, request, &typed, nullptr, &saved.error(),
                           form_status(saved.error()));
    }
    return http::Response::redirect("/reviews/" + std::to_string(id) +
                                    (submit ? "?done=submitted" : "?done=saved"));
}

} // namespace

void register_review_routes(http::Router& router, ReviewRoutesDeps deps) {
    auto review = deps.review;
    auto view = deps.view;
    using http::Method;
    auto bind = [review, view](auto handler) {
        return [review, view, handler](http::Request& request) {
            return handler(*review, *view, request);
        };
    };
    router.add(Method::Get, "/calls/{id:int}/manage/screening",
               [review, view](http::Request& request) {
                   return screening_page(*review, *view, request, nullptr, nullptr, 200);
               });
    router.add(Method::Post, "/calls/{id:int}/manage/screening/{application:int}", bind(screen));

    router.add(Method::Get, "/calls/{id:int}/manage/reviewers", bind(show_reviewers));
    router.add(Method::Post, "/calls/{id:int}/manage/reviewers/settings", bind(save_settings));
    router.add(Method::Post, "/calls/{id:int}/manage/reviewers/pool",
               [review, view](http::Request& request) {
                   return reviewers_action(
                       *review, *view, request,
                       [&](const http::Form& form) {
                           return review->set_pool_member(actor_of(request), path_id(request, "id"),
                                                          id_of(form, "user_id"),
                                                          form_text(form, "in_pool") == "1");
                       },
                       "pool");
               });
    router.add(Method::Post, "/calls/{id:int}/manage/reviewers/auto",
               [review, view](http::Request& request) {
                   return reviewers_action(
                       *review, *view, request,
                       [&](const http::Form&) -> Result<void> {
                           auto made = review->assign_automatically(actor_of(request),
                                                                    path_id(request, "id"));
                           if (!made)
                               return tl::unexpected(made.error());
                           return {};
                       },
                       "auto");
               });
    router.add(Method::Post, "/calls/{id:int}/manage/reviewers/assign",
               [review, view](http::Request& request) {
                   return reviewers_action(
                       *review, *view, request,
                       [&](const http::Form& form) -> Result<void> {
                           Id reviewer = id_of(form, "reviewer_id");
                           if (reviewer <= 0)
                               return tl::unexpected(
                                   Error::invalid("Check the fields marked below.",
                                                  {{"reviewer_id", "Choose a reviewer."}}));
                           auto assigned = review->assign(actor_of(request),
                                                          id_of(form, "application_id"), reviewer);
                           if (!assigned)
                               return tl::unexpected(assigned.error());
                           return {};
                       },
                       "assigned");
               });
    router.add(
        Method::Post, "/calls/{id:int}/manage/reviewers/assignments/{assignment:int}/withdraw",
        [review, view](http::Request& request) {
            return reviewers_action(
                *review, *view, request,
                [&](const http::Form&) {
                    return review->withdraw(actor_of(request), path_id(request, "assignment"));
                },
                "withdrawn");
        });
    router.add(Method::Post, "/calls/{id:int}/manage/reviewers/assignments/{assignment:int}/reopen",
               [review, view](http::Request& request) {
                   return reviewers_action(
                       *review, *view, request,
                       [&](const http::Form&) {
                           return review->reopen(actor_of(request), path_id(request, "assignment"));
                       },
                       "reopened");
               });

    router.add(Method::Get, "/calls/{id:int}/manage/conflicts",
               [review, view](http::Request& request) {
                   return conflicts_page(*review, *view, request, ConflictTyped{}, nullptr, 200);
               });
    router.add(Method::Post, "/calls/{id:int}/manage/conflicts", bind(record_conflict));

    router.add(Method::Get, "/reviews", bind(show_my_reviews));
    router.add(Method::Get, "/reviews/{id:int}", bind(show_review));
    router.add(Method::Post, "/reviews/{id:int}/declaration", bind(declare));
    router.add(Method::Post, "/reviews/{id:int}", bind(save_review));
}

} // namespace spire::review
