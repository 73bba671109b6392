#include "calls/routes.hpp"

#include "calls/forms.hpp"
#include "calls/manage_tabs.hpp"
#include "calls/policy.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "http/form.hpp"
#include "identity/web.hpp"
#include "web/format.hpp"
#include "web/markdown.hpp"
#include "web/pages.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace spire::calls {

namespace {

using identity::actor_of;
using identity::Principal;
using web::add_error;
using web::add_pagination;
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

constexpr std::pair<std::string_view, std::string_view> CALL_NOTICES[] = {
    {"created", "The call was created as a draft. Add its criteria and form next."},
    {"updated", "The call was saved."},
    {"published", "The call was published."},
    {"closed", "The call was closed."},
};
constexpr std::pair<std::string_view, std::string_view> CRITERIA_NOTICES[] = {
    {"created", "The criterion was added."},
    {"updated", "The criterion was saved."},
    {"removed", "The criterion was removed."},
    {"moved", "The order was changed."},
};
constexpr std::pair<std::string_view, std::string_view> FORM_NOTICES[] = {
    {"section", "The section was saved."},
    {"field", "The field was saved."},
    {"removed", "It was removed."},
    {"moved", "The order was changed."},
};
constexpr std::pair<std::string_view, std::string_view> CATALOGUE_NOTICES[] = {
    {"created", "It was added."},
    {"updated", "It was saved."},
};

// --- Small helpers ---------------------------------------------------------------

Id path_id(const http::Request& request, std::string_view name) {
    return request.param_int(name).value_or(0);
}

std::string call_href(Id id) {
    return "/calls/" + std::to_string(id);
}

std::string fund_calls_href(Id fund_id) {
    return "/funds/" + std::to_string(fund_id) + "/calls";
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

std::string deadline_text(const Call& call, const Translate& tr, const std::string& lang) {
    if (call.rolling)
        return tr("Rolling (no deadline)");
    return datetime_text(call.closes_at, lang);
}

std::string status_color(CallStatus status) {
    switch (status) {
    case CallStatus::Draft:
        return "warning";
    case CallStatus::Published:
        return "success";
    case CallStatus::Closed:
        return "neutral";
    }
    return "neutral";
}

bool allowed(const Principal* user, CallsAction action, const Call& call) {
    return static_cast<bool>(authorize(user, action, {call.organisation_id, call.fund_id}));
}

void add_call_facts(Data& data, const Call& call, const Translate& tr, const std::string& lang) {
    data.set("call_id", std::to_string(call.id));
    data.set("call_title", call.title);
    data.set("call_href", call_href(call.id));
    data.set("manage_href", manage_href(call.id));
    data.set("fund_name", call.fund_name);
    data.set("fund_href", "/funds/" + std::to_string(call.fund_id));
    data.set("fund_calls_href", fund_calls_href(call.fund_id));
    data.set("programme_name", call.programme_name);
    data.set("organisation_name", call.organisation_name);
    data.set("status", tr(call_status_label(call.status)));
    data.set("status_color", status_color(call.status));
    data.set("is_draft", call.status == CallStatus::Draft);
    data.set("is_published", call.status == CallStatus::Published);
    data.set("is_closed", call.status == CallStatus::Closed);
    data.set("deadline", deadline_text(call, tr, lang));
    set_if_any(data, "opens", datetime_text(call.opens_at, lang));
    data.set("max_amount", web::format_money(call.max_amount_ore));
    data.set("max_duration",
             fill(tr("{years} years"), {{"years", std::to_string(call.max_duration_years)}}));
    data.set("endorsement_required", call.endorsement_required);
}

void add_manage_tabs(Data& data, const Translate& tr, const Call& call, std::string_view current) {
    data.set("tabs", manage_tabs(tr, call.id, current));
}

std::optional<http::Response> parse_body(http::Request& request, std::optional<http::Form>& out) {
    auto form = http::parse_form(request.header("Content-Type"), request.body);
    if (!form)
        return refuse(request, form.error());
    out = std::move(*form);
    return std::nullopt;
}

// Loads a call for its management pages (ViewDraft), or the answer to give.
struct Managed {
    const Principal* user = nullptr;
    std::optional<CallDetail> detail;
    std::optional<http::Response> refusal;
};

Managed load_managed(CallsService& service, http::Request& request, bool for_change) {
    Managed managed;
    managed.user = request.context.principal.get();
    if (!managed.user) {
        managed.refusal = redirect_to_login(request);
        return managed;
    }
    auto detail = service.detail(actor_of(request), path_id(request, "id"));
    if (!detail) {
        managed.refusal = refuse(request, detail.error());
        return managed;
    }
    if (for_change) {
        const Call& call = detail->call;
        Decision decision =
            authorize(managed.user, CallsAction::ManageCall, {call.organisation_id, call.fund_id});
        if (!decision) {
            managed.refusal = refuse(request, decision.to_error());
            return managed;
        }
    }
    managed.detail = std::move(*detail);
    return managed;
}

// --- Public pages ------------------------------------------------------------------

http::Response show_public_calls(CallsService& service, const web::View& view,
                                 http::Request& request) {
    Translate tr{view, request};
    int page = web::page_param(request);
    auto listed = service.public_calls(page, 20);
    if (!listed)
        return refuse(request, listed.error());
    Data data;
    Data groups = make_list();
    Data current;
    Data rows = make_list();
    std::string organisation;
    bool open = false;
    auto flush = [&] {
        if (!open)
            return;
        current.set("calls", rows);
        groups.push_back(current);
        current = Data();
        rows = make_list();
    };
    int index = 0;
    for (const auto& call : listed->calls) {
        if (!open || call.organisation_name != organisation) {
            flush();
            organisation = call.organisation_name;
            current.set("organisation", organisation);
            current.set("heading_id", "organisation-" + std::to_string(++index));
            open = true;
        }
        Data row;
        row.set("href", call_href(call.id));
        row.set("title", call.title);
        row.set("programme", call.programme_name);
        row.set("deadline", deadline_text(call, tr, request.context.lang));
        row.set("max_amount", web::format_money(call.max_amount_ore));
        rows.push_back(row);
    }
    flush();
    data.set("groups", groups);
    data.set("has_calls", !listed->calls.empty());
    add_pagination(data, tr, listed->page, listed->total, listed->per_page,
                   [](int p) { return "/calls?page=" + std::to_string(p); });
    return view.page(request, "calls/public_calls", "Calls for proposals", std::move(data));
}

// The public front page: what the fund is for and the calls open now. It
// lives here because the open calls are its only changing part so far.
constexpr int HOME_OPEN_CALLS = 10;

http::Response show_home(CallsService& service, const web::View& view, http::Request& request) {
    Translate tr{view, request};
    auto open = service.public_open_calls(to_db_time(Clock::now()), HOME_OPEN_CALLS);
    if (!open)
        return refuse(request, open.error());
    Data rows = make_list();
    for (const auto& call : *open) {
        Data row;
        row.set("href", call_href(call.id));
        row.set("title", call.title);
        row.set("organisation", call.organisation_name);
        row.set("programme", call.programme_name);
        row.set("deadline", deadline_text(call, tr, request.context.lang));
        row.set("max_amount", web::format_money(call.max_amount_ore));
        rows.push_back(row);
    }
    Data data;
    data.set("open_calls", rows);
    data.set("has_open_calls", !open->empty());
    return view.page(request, "calls/home", "Research and innovation fund", std::move(data));
}

http::Response show_call(CallsService& service, const web::View& view, http::Request& request) {
    Translate tr{view, request};
    const Principal* user = request.context.principal.get();
    Id id = path_id(request, "id");
    auto call = service.public_call(id);
    if (!call && user) {
        // A draft: its managers may preview it.
        auto own = service.call(actor_of(request), id);
        if (!own)
            return refuse(request, own.error());
        call = std::move(own);
    }
    if (!call)
        return refuse(request, call.error());
    auto criteria = service.criteria(call->id);
    if (!criteria)
        return refuse(request, criteria.error());
    Data data;
    add_call_facts(data, *call, tr, request.context.lang);
    std::string description = web::render_markdown(call->description);
    std::string eligibility = web::render_markdown(call->eligibility);
    set_if_any(data, "description_html", description);
    set_if_any(data, "eligibility_html", eligibility);
    Data rows = make_list();
    for (const auto& criterion : *criteria) {
        Data row;
        row.set("name", criterion.name);
        set_if_any(row, "guidance", criterion.guidance);
        row.set("weight", std::to_string(criterion.weight_percent) + " %");
        row.set("scale",
                std::to_string(criterion.scale_min) + "–" + std::to_string(criterion.scale_max));
        rows.push_back(row);
    }
    data.set("criteria", rows);
    data.set("has_criteria", !criteria->empty());
    bool same_organisation = user && user->organisation_id == call->organisation_id;
    bool open = accepts_submissions(*call, to_db_time(Clock::now()));
    data.set("can_apply", same_organisation && open);
    data.set("login_to_apply", !user && open);
    data.set("login_href", "/login?next=" + call_href(call->id));
    data.set("apply_href", "/applications/new?call=" + std::to_string(call->id));
    data.set("can_manage", allowed(user, CallsAction::ViewDraft, *call) && same_organisation);
    return view.page(request, "calls/call", call->title, std::move(data));
}

// --- A fund's calls -------------------------------------------------------------------

http::Response show_fund_calls(CallsService& service, funds::FundsService& funds,
                               const web::View& view, http::Request& request) {
    const Principal* user = request.context.principal.get();
    if (!user)
        return redirect_to_login(request);
    Translate tr{view, request};
    Id fund_id = path_id(request, "id");
    auto calls = service.fund_calls(actor_of(request), fund_id);
    if (!calls)
        return refuse(request, calls.error());
    auto fund = funds.fund(actor_of(request), fund_id);
    if (!fund)
        return refuse(request, fund.error());
    Data data;
    data.set("fund_name", fund->fund.name);
    data.set("fund_href", "/funds/" + std::to_string(fund_id));
    data.set("new_href", fund_calls_href(fund_id) + "/new");
    data.set("can_create", static_cast<bool>(authorize(user, CallsAction::ManageCall,
                                                       {fund->fund.organisation_id, fund_id})));
    Data rows = make_list();
    for (const auto& call : *calls) {
        Data row;
        row.set("href", manage_href(call.id));
        row.set("title", call.title);
        row.set("programme", call.programme_name);
        row.set("status", tr(call_status_label(call.status)));
        row.set("status_color", status_color(call.status));
        row.set("deadline", deadline_text(call, tr, request.context.lang));
        row.set("max_amount", web::format_money(call.max_amount_ore));
        rows.push_back(row);
    }
    data.set("calls", rows);
    data.set("has_calls", !calls->empty());
    return view.page(request, "calls/fund_calls", "Calls", std::move(data));
}

// --- The call form (new and settings) --------------------------------------------------

CallForm read_call_form(const http::Form& form) {
    return CallForm{form_text(form, "programme_id"),
                    form_text(form, "title"),
                    form_text(form, "description"),
                    form_text(form, "eligibility"),
                    form_text(form, "opens_date"),
                    form_text(form, "opens_time"),
                    form_text(form, "closes_date"),
                    form_text(form, "closes_time"),
                    form_text(form, "rolling"),
                    form_text(form, "max_amount"),
                    form_text(form, "max_duration_years"),
                    form_text(form, "endorsement_required")};
}

void add_call_form(Data& data, const Translate& tr, const CallForm& form,
                   const std::vector<funds::Programme>& programmes) {
    Data options = make_list();
    options.push_back(option("", tr("Choose a programme"), form.programme_id.empty()));
    for (const auto& programme : programmes) {
        std::string value = std::to_string(programme.id);
        if (!programme.active && value != form.programme_id)
            continue;
        options.push_back(option(value, programme.name, value == form.programme_id));
    }
    data.set("programme_options", options);
    data.set("v_title", form.title);
    data.set("v_description", form.description);
    data.set("v_eligibility", form.eligibility);
    data.set("v_opens_date", form.opens_date);
    data.set("v_opens_time", form.opens_time);
    data.set("v_closes_date", form.closes_date);
    data.set("v_closes_time", form.closes_time);
    data.set("v_rolling", checkbox_on(form.rolling));
    data.set("v_max_amount", form.max_amount);
    data.set("v_max_duration_years", form.max_duration_years);
    data.set("v_endorsement_required", checkbox_on(form.endorsement_required));
}

void add_call_error(Data& data, const Translate& tr, const Error& error) {
    add_error(data, tr, error,
              {{"programme_id", "programme_id"},
               {"title", "title"},
               {"description", "description"},
               {"eligibility", "eligibility"},
               {"opens_date", "opens_date"},
               {"opens_time", "opens_time"},
               {"closes_date", "closes_date"},
               {"closes_time", "closes_time"},
               {"max_amount", "max_amount"},
               {"max_duration_years", "max_duration_years"},
               {"publish", "publish-button"}});
}

http::Response new_call_page(const web::View& view, const http::Request& request,
                             const funds::FundDetail& fund, const CallForm& form,
                             const Error* error, int status) {
    Translate tr{view, request};
    Data data;
    data.set("fund_name", fund.fund.name);
    data.set("fund_href", "/funds/" + std::to_string(fund.fund.id));
    data.set("fund_calls_href", fund_calls_href(fund.fund.id));
    data.set("action", fund_calls_href(fund.fund.id));
    data.set("new_href", fund_calls_href(fund.fund.id) + "/new");
    add_call_form(data, tr, form, fund.programmes);
    if (error)
        add_call_error(data, tr, *error);
    data.set("is_new", true);
    data.set("can_change", true);
    return view.page(request, "calls/call_settings", "New call", std::move(data), status);
}

// Loads the fund for the new-call pages, refusing those who may not create.
std::optional<http::Response> load_fund_for_new(funds::FundsService& funds, http::Request& request,
                                                std::optional<funds::FundDetail>& out) {
    const Principal* user = request.context.principal.get();
    if (!user)
        return redirect_to_login(request);
    auto fund = funds.fund(actor_of(request), path_id(request, "id"));
    if (!fund) {
        // Someone who may not see the fund at all: as the service would say.
        return refuse(request, fund.error());
    }
    Decision decision =
        authorize(user, CallsAction::ManageCall, {fund->fund.organisation_id, fund->fund.id});
    if (!decision)
        return refuse(request, decision.to_error());
    out = std::move(*fund);
    return std::nullopt;
}

http::Response show_new_call(funds::FundsService& funds, const web::View& view,
                             http::Request& request) {
    std::optional<funds::FundDetail> fund;
    if (auto refused = load_fund_for_new(funds, request, fund))
        return std::move(*refused);
    CallForm empty;
    empty.max_duration_years = "1";
    empty.endorsement_required = "1";
    empty.opens_time = "00:00";
    empty.closes_time = "12:00";
    return new_call_page(view, request, *fund, empty, nullptr, 200);
}

http::Response create_call(CallsService& service, funds::FundsService& funds, const web::View& view,
                           http::Request& request) {
    std::optional<funds::FundDetail> fund;
    if (auto refused = load_fund_for_new(funds, request, fund))
        return std::move(*refused);
    std::optional<http::Form> body;
    if (auto refused = parse_body(request, body))
        return std::move(*refused);
    CallForm typed = read_call_form(*body);
    auto input = parse_call_form(typed);
    Result<Id> created = input ? service.create_call(actor_of(request), fund->fund.id, *input)
                               : Result<Id>(Unexpected(input.error()));
    if (!created) {
        if (!shown_on_page(created.error()))
            return refuse(request, created.error());
        return new_call_page(view, request, *fund, typed, &created.error(),
                             form_status(created.error()));
    }
    return http::Response::redirect(manage_href(*created) + "?done=created");
}

http::Response settings_page(funds::FundsService& funds, const web::View& view,
                             http::Request& request, const Managed& managed, const CallForm& form,
                             const Error* error, int status) {
    Translate tr{view, request};
    const Call& call = managed.detail->call;
    auto fund = funds.fund(actor_of(request), call.fund_id);
    std::vector<funds::Programme> programmes;
    if (fund)
        programmes = fund->programmes;
    Data data;
    add_call_facts(data, call, tr, request.context.lang);
    add_manage_tabs(data, tr, call, "settings");
    set_if_any(data, "notice", notice_for(request, tr, CALL_NOTICES));
    bool can_change = allowed(managed.user, CallsAction::ManageCall, call);
    data.set("can_change", can_change && call.status != CallStatus::Closed);
    data.set("can_publish", can_change && call.status == CallStatus::Draft);
    data.set("can_close", can_change && call.status == CallStatus::Published);
    data.set("programme_locked", call.status != CallStatus::Draft);
    data.set("call_programme_id", std::to_string(call.programme_id));
    data.set("applications", std::to_string(managed.detail->applications));
    auto problems = publish_problems(call, managed.detail->criteria);
    Data problem_list = make_list();
    for (const auto& problem : problems) {
        Data item;
        item.set("message", tr(problem));
        problem_list.push_back(item);
    }
    data.set("publish_problems", problem_list);
    data.set("has_publish_problems", call.status == CallStatus::Draft && !problems.empty());
    add_call_form(data, tr, form, programmes);
    if (error)
        add_call_error(data, tr, *error);
    data.set("action", manage_href(call.id));
    return view.page(request, "calls/call_settings", "Call settings", std::move(data), status);
}

http::Response show_settings(CallsService& service, funds::FundsService& funds,
                             const web::View& view, http::Request& request) {
    Managed managed = load_managed(service, request, false);
    if (managed.refusal)
        return std::move(*managed.refusal);
    return settings_page(funds, view, request, managed, call_form_of(managed.detail->call), nullptr,
                         200);
}

http::Response update_settings(CallsService& service, funds::FundsService& funds,
                               const web::View& view, http::Request& request) {
    Managed managed = load_managed(service, request, true);
    if (managed.refusal)
        return std::move(*managed.refusal);
    std::optional<http::Form> body;
    if (auto refused = parse_body(request, body))
        return std::move(*refused);
    CallForm typed = read_call_form(*body);
    if (managed.detail->call.status != CallStatus::Draft)
        typed.programme_id = std::to_string(managed.detail->call.programme_id);
    auto input = parse_call_form(typed);
    Result<void> saved =
        input ? service.update_call(actor_of(request), managed.detail->call.id, *input)
              : Result<void>(Unexpected(input.error()));
    if (!saved) {
        if (!shown_on_page(saved.error()))
            return refuse(request, saved.error());
        return settings_page(funds, view, request, managed, typed, &saved.error(),
                             form_status(saved.error()));
    }
    return http::Response::redirect(manage_href(managed.detail->call.id) + "?done=updated");
}

template <class Change>
http::Response change_status(CallsService& service, funds::FundsService& funds,
                             const web::View& view, http::Request& request, Change&& change,
                             std::string_view done) {
    Managed managed = load_managed(service, request, true);
    if (managed.refusal)
        return std::move(*managed.refusal);
    std::optional<http::Form> body;
    if (auto refused = parse_body(request, body))
        return std::move(*refused);
    Result<void> changed = change(managed.detail->call.id);
    if (!changed) {
        if (!shown_on_page(changed.error()))
            return refuse(request, changed.error());
        return settings_page(funds, view, request, managed, call_form_of(managed.detail->call),
                             &changed.error(), form_status(changed.error()));
    }
    return http::Response::redirect(manage_href(managed.detail->call.id) +
                                    "?done=" + std::string(done));
}

// --- Criteria ------------------------------------------------------------------------

CriterionForm read_criterion_form(const http::Form& form) {
    return CriterionForm{form_text(form, "name"),           form_text(form, "guidance"),
                         form_text(form, "weight_percent"), form_text(form, "scale_min"),
                         form_text(form, "scale_max"),      form_text(form, "minimum_score")};
}

void add_criterion_form(Data& data, const CriterionForm& form) {
    data.set("v_name", form.name);
    data.set("v_guidance", form.guidance);
    data.set("v_weight_percent", form.weight_percent);
    data.set("v_scale_min", form.scale_min);
    data.set("v_scale_max", form.scale_max);
    data.set("v_minimum_score", form.minimum_score);
}

void add_criterion_error(Data& data, const Translate& tr, const Error& error) {
    add_error(data, tr, error,
              {{"name", "name"},
               {"guidance", "guidance"},
               {"weight_percent", "weight_percent"},
               {"scale_min", "scale_min"},
               {"scale_max", "scale_max"},
               {"minimum_score", "minimum_score"}});
}

Data scale_labels(const Translate& tr) {
    Data labels = make_list();
    for (int score = 7; score >= 1; --score) {
        Data item;
        item.set("score", std::to_string(score));
        item.set("label", tr(RCN_SCALE_LABELS[score - 1]));
        labels.push_back(item);
    }
    return labels;
}

http::Response criteria_page(const web::View& view, http::Request& request, const Managed& managed,
                             const CriterionForm& form, const Error* error, int status) {
    Translate tr{view, request};
    const Call& call = managed.detail->call;
    const auto& criteria = managed.detail->criteria;
    Data data;
    add_call_facts(data, call, tr, request.context.lang);
    add_manage_tabs(data, tr, call, "criteria");
    set_if_any(data, "notice", notice_for(request, tr, CRITERIA_NOTICES));
    bool can_change =
        allowed(managed.user, CallsAction::ManageCall, call) && call.status == CallStatus::Draft;
    data.set("can_change", can_change);
    bool can_rename =
        allowed(managed.user, CallsAction::ManageCall, call) && call.status != CallStatus::Closed;
    Data rows = make_list();
    for (std::size_t i = 0; i < criteria.size(); ++i) {
        const Criterion& criterion = criteria[i];
        Data row;
        row.set("id", std::to_string(criterion.id));
        row.set("name", criterion.name);
        set_if_any(row, "guidance", criterion.guidance);
        row.set("weight", std::to_string(criterion.weight_percent) + " %");
        row.set("scale",
                std::to_string(criterion.scale_min) + "–" + std::to_string(criterion.scale_max));
        row.set("minimum",
                criterion.minimum_score ? std::to_string(*criterion.minimum_score) : "–");
        std::string base = manage_href(call.id) + "/criteria/" + std::to_string(criterion.id);
        row.set("href", base);
        row.set("remove_action", base + "/remove");
        row.set("move_action", base + "/move");
        row.set("can_edit", can_rename);
        row.set("can_change", can_change);
        row.set("can_up", can_change && i > 0);
        row.set("can_down", can_change && i + 1 < criteria.size());
        row.set("up_label", fill(tr("Move {name} up"), {{"name", criterion.name}}));
        row.set("down_label", fill(tr("Move {name} down"), {{"name", criterion.name}}));
        row.set("remove_label", fill(tr("Remove {name}"), {{"name", criterion.name}}));
        rows.push_back(row);
    }
    data.set("criteria", rows);
    data.set("has_criteria", !criteria.empty());
    int sum = weight_sum(criteria);
    data.set("weight_sum", std::to_string(sum) + " %");
    data.set("weights_ok", sum == 100);
    data.set("weight_warning",
             fill(tr("The weights add up to {sum} %. They must add up to 100 % before the call "
                     "can be published."),
                  {{"sum", std::to_string(sum)}}));
    data.set("scale_labels", scale_labels(tr));
    data.set("action", manage_href(call.id) + "/criteria");
    add_criterion_form(data, form);
    if (error)
        add_criterion_error(data, tr, *error);
    return view.page(request, "calls/criteria", "Criteria", std::move(data), status);
}

http::Response show_criteria(CallsService& service, const web::View& view, http::Request& request) {
    Managed managed = load_managed(service, request, false);
    if (managed.refusal)
        return std::move(*managed.refusal);
    CriterionForm empty;
    empty.scale_min = "1";
    empty.scale_max = "7";
    return criteria_page(view, request, managed, empty, nullptr, 200);
}

http::Response add_criterion(CallsService& service, const web::View& view, http::Request& request) {
    Managed managed = load_managed(service, request, true);
    if (managed.refusal)
        return std::move(*managed.refusal);
    std::optional<http::Form> body;
    if (auto refused = parse_body(request, body))
        return std::move(*refused);
    CriterionForm typed = read_criterion_form(*body);
    auto input = parse_criterion_form(typed);
    Result<Id> added =
        input ? service.add_criterion(actor_of(request), managed.detail->call.id, *input)
              : Result<Id>(Unexpected(input.error()));
    if (!added) {
        if (!shown_on_page(added.error()))
            return refuse(request, added.error());
        return criteria_page(view, request, managed, typed, &added.error(),
                             form_status(added.error()));
    }
    return http::Response::redirect(manage_href(managed.detail->call.id) +
                                    "/criteria?done=created");
}

const Criterion* find_criterion(const CallDetail& detail, Id id) {
    for (const auto& criterion : detail.criteria) {
        if (criterion.id == id)
            return &criterion;
    }
    return nullptr;
}

http::Response criterion_page(const web::View& view, http::Request& request, const Managed& managed,
                              const Criterion& criterion, const CriterionForm& form,
                              const Error* error, int status) {
    Translate tr{view, request};
    const Call& call = managed.detail->call;
    Data data;
    add_call_facts(data, call, tr, request.context.lang);
    data.set("criteria_href", manage_href(call.id) + "/criteria");
    data.set("action", manage_href(call.id) + "/criteria/" + std::to_string(criterion.id));
    data.set("criterion_name", criterion.name);
    data.set("scales_locked", call.status != CallStatus::Draft);
    data.set("can_change", allowed(managed.user, CallsAction::ManageCall, call) &&
                               call.status != CallStatus::Closed);
    data.set("scale_labels", scale_labels(tr));
    add_criterion_form(data, form);
    set_if_any(data, "locked_minimum", form.minimum_score);
    if (error)
        add_criterion_error(data, tr, *error);
    return view.page(request, "calls/criterion", "Edit criterion", std::move(data), status);
}

http::Response show_criterion(CallsService& service, const web::View& view,
                              http::Request& request) {
    Managed managed = load_managed(service, request, false);
    if (managed.refusal)
        return std::move(*managed.refusal);
    const Criterion* criterion = find_criterion(*managed.detail, path_id(request, "criterion"));
    if (!criterion)
        return refuse(request, Error::not_found());
    return criterion_page(view, request, managed, *criterion, criterion_form_of(*criterion),
                          nullptr, 200);
}

http::Response update_criterion(CallsService& service, const web::View& view,
                                http::Request& request) {
    Managed managed = load_managed(service, request, true);
    if (managed.refusal)
        return std::move(*managed.refusal);
    const Criterion* criterion = find_criterion(*managed.detail, path_id(request, "criterion"));
    if (!criterion)
        return refuse(request, Error::not_found());
    std::optional<http::Form> body;
    if (auto refused = parse_body(request, body))
        return std::move(*refused);
    CriterionForm typed = read_criterion_form(*body);
    if (managed.detail->call.status != CallStatus::Draft) {
        // The scale is fixed once published: only the texts come from the form.
        CriterionForm stored = criterion_form_of(*criterion);
        typed.weight_percent = stored.weight_percent;
        typed.scale_min = stored.scale_min;
        typed.scale_max = stored.scale_max;
        typed.minimum_score = stored.minimum_score;
    }
    auto input = parse_criterion_form(typed);
    Result<void> saved = input
                             ? service.update_criterion(actor_of(request), managed.detail->call.id,
                                                        criterion->id, *input)
                             : Result<void>(Unexpected(input.error()));
    if (!saved) {
        if (!shown_on_page(saved.error()))
            return refuse(request, saved.error());
        return criterion_page(view, request, managed, *criterion, typed, &saved.error(),
                              form_status(saved.error()));
    }
    return http::Response::redirect(manage_href(managed.detail->call.id) +
                                    "/criteria?done=updated");
}

// Remove and move: POST, then back to the list (a refusal shows as an alert).
template <class Act>
http::Response criteria_action(CallsService& service, const web::View& view, http::Request& request,
                               Act&& act, std::string_view done) {
    Managed managed = load_managed(service, request, true);
    if (managed.refusal)
        return std::move(*managed.refusal);
    std::optional<http::Form> body;
    if (auto refused = parse_body(request, body))
        return std::move(*refused);
    Result<void> done_ok = act(managed.detail->call.id, *body);
    if (!done_ok) {
        if (!shown_on_page(done_ok.error()))
            return refuse(request, done_ok.error());
        CriterionForm empty;
        empty.scale_min = "1";
        empty.scale_max = "7";
        return criteria_page(view, request, managed, empty, &done_ok.error(),
                             form_status(done_ok.error()));
    }
    return http::Response::redirect(manage_href(managed.detail->call.id) +
                                    "/criteria?done=" + std::string(done));
}

int direction_of(const http::Form& form) {
    return form_text(form, "direction") == "up" ? -1 : 1;
}

// --- The form editor -----------------------------------------------------------------

FieldForm read_field_form(const http::Form& form) {
    return FieldForm{form_text(form, "section_id"), form_text(form, "label"),
                     form_text(form, "kind"),       form_text(form, "required"),
                     form_text(form, "help_text"),  form_text(form, "max_length"),
                     form_text(form, "options"),    form_text(form, "active")};
}

void add_field_form(Data& data, const Translate& tr, const FieldForm& form,
                    const FormDefinition& definition) {
    Data sections = make_list();
    for (const auto& section : definition.sections) {
        std::string value = std::to_string(section.id);
        sections.push_back(option(value, section.title, value == form.section_id));
    }
    data.set("section_options", sections);
    Data kinds = make_list();
    for (FieldKind kind : {FieldKind::ShortText, FieldKind::LongText, FieldKind::Number,
                           FieldKind::Money, FieldKind::Date, FieldKind::SingleChoice,
                           FieldKind::MultipleChoice, FieldKind::YesNo, FieldKind::File}) {
        std::string value(field_kind_key(kind));
        kinds.push_back(option(value, tr(field_kind_label(kind)), value == form.kind));
    }
    data.set("kind_options", kinds);
    data.set("v_label", form.label);
    data.set("v_required", checkbox_on(form.required));
    data.set("v_help_text", form.help_text);
    data.set("v_max_length", form.max_length);
    data.set("v_options", form.options);
    data.set("v_active", checkbox_on(form.active));
}

void add_field_error(Data& data, const Translate& tr, const Error& error) {
    add_error(data, tr, error,
              {{"section_id", "section_id"},
               {"label", "label"},
               {"kind", "kind"},
               {"help_text", "help_text"},
               {"max_length", "max_length"},
               {"options", "options"}});
}

void add_section_error(Data& data, const Translate& tr, const Error& error) {
    add_error(data, tr, error, {{"title", "section_title"}, {"help_text", "section_help_text"}});
}

http::Response form_page(const web::View& view, http::Request& request, const Managed& managed,
                         const SectionForm& section_form, const FieldForm& field_form,
                         const Error* section_error, const Error* field_error, int status) {
    Translate tr{view, request};
    const Call& call = managed.detail->call;
    const FormDefinition& definition = managed.detail->form;
    bool locked = managed.detail->form_locked;
    bool can_change =
        allowed(managed.user, CallsAction::ManageCall, call) && call.status != CallStatus::Closed;
    Data data;
    add_call_facts(data, call, tr, request.context.lang);
    add_manage_tabs(data, tr, call, "form");
    set_if_any(data, "notice", notice_for(request, tr, FORM_NOTICES));
    data.set("can_change", can_change);
    data.set("can_restructure", can_change && !locked);
    data.set("locked", locked);
    const std::string base = manage_href(call.id) + "/form";
    Data sections = make_list();
    for (std::size_t s = 0; s < definition.sections.size(); ++s) {
        const FormSection& section = definition.sections[s];
        Data item;
        std::string section_base = base + "/sections/" + std::to_string(section.id);
        item.set("title", section.title);
        item.set("heading_id", "section-" + std::to_string(section.id));
        set_if_any(item, "help_text", section.help_text);
        item.set("href", section_base);
        item.set("remove_action", section_base + "/remove");
        item.set("move_action", section_base + "/move");
        item.set("can_up", can_change && !locked && s > 0);
        item.set("can_down", can_change && !locked && s + 1 < definition.sections.size());
        item.set("up_label", fill(tr("Move {name} up"), {{"name", section.title}}));
        item.set("down_label", fill(tr("Move {name} down"), {{"name", section.title}}));
        item.set("remove_label", fill(tr("Remove {name}"), {{"name", section.title}}));
        item.set("edit_label", fill(tr("Edit {name}"), {{"name", section.title}}));
        Data fields = make_list();
        for (std::size_t f = 0; f < section.fields.size(); ++f) {
            const FormField& field = section.fields[f];
            Data row;
            std::string field_base = base + "/fields/" + std::to_string(field.id);
            row.set("label", field.label);
            row.set("kind", tr(field_kind_label(field.kind)));
            row.set("required", field.required);
            row.set("active", field.active);
            std::string options;
            for (const auto& option : field.options)
                options += (options.empty() ? "" : ", ") + option.label;
            set_if_any(row, "options", options);
            row.set("href", field_base);
            row.set("remove_action", field_base + "/remove");
            row.set("move_action", field_base + "/move");
            row.set("active_action", field_base + "/active");
            row.set("can_up", can_change && !locked && f > 0);
            row.set("can_down", can_change && !locked && f + 1 < section.fields.size());
            row.set("up_label", fill(tr("Move {name} up"), {{"name", field.label}}));
            row.set("down_label", fill(tr("Move {name} down"), {{"name", field.label}}));
            row.set("remove_label", fill(tr("Remove {name}"), {{"name", field.label}}));
            row.set("activate_label", fill(tr("Activate {name}"), {{"name", field.label}}));
            row.set("deactivate_label", fill(tr("Deactivate {name}"), {{"name", field.label}}));
            fields.push_back(row);
        }
        item.set("fields", fields);
        item.set("has_fields", !section.fields.empty());
        sections.push_back(item);
    }
    data.set("sections", sections);
    data.set("has_sections", !definition.sections.empty());
    data.set("section_action", base + "/sections");
    data.set("field_action", base + "/fields");
    data.set("v_section_title", section_form.title);
    data.set("v_section_help_text", section_form.help_text);
    add_field_form(data, tr, field_form, definition);
    // Errors of the two forms on one page: each under its own form.
    if (section_error)
        add_section_error(data, tr, *section_error);
    if (field_error)
        add_field_error(data, tr, *field_error);
    return view.page(request, "calls/form", "Application form", std::move(data), status);
}

FieldForm empty_field_form(const FormDefinition& definition) {
    FieldForm form;
    form.kind = std::string(field_kind_key(FieldKind::ShortText));
    form.active = "1";
    if (!definition.sections.empty())
        form.section_id = std::to_string(definition.sections.back().id);
    return form;
}

http::Response show_form(CallsService& service, const web::View& view, http::Request& request) {
    Managed managed = load_managed(service, request, false);
    if (managed.refusal)
        return std::move(*managed.refusal);
    return form_page(view, request, managed, {}, empty_field_form(managed.detail->form), nullptr,
                     nullptr, 200);
}

http::Response add_section(CallsService& service, const web::View& view, http::Request& request) {
    Managed managed = load_managed(service, request, true);
    if (managed.refusal)
        return std::move(*managed.refusal);
    std::optional<http::Form> body;
    if (auto refused = parse_body(request, body))
        return std::move(*refused);
    SectionForm typed{form_text(*body, "title"), form_text(*body, "help_text")};
    auto input = parse_section_form(typed);
    Result<Id> added = input
                           ? service.add_section(actor_of(request), managed.detail->call.id, *input)
                           : Result<Id>(Unexpected(input.error()));
    if (!added) {
        if (!shown_on_page(added.error()))
            return refuse(request, added.error());
        return form_page(view, request, managed, typed, empty_field_form(managed.detail->form),
                         &added.error(), nullptr, form_status(added.error()));
    }
    return http::Response::redirect(manage_href(managed.detail->call.id) + "/form?done=section");
}

http::Response add_field(CallsService& service, const web::View& view, http::Request& request) {
    Managed managed = load_managed(service, request, true);
    if (managed.refusal)
        return std::move(*managed.refusal);
    std::optional<http::Form> body;
    if (auto refused = parse_body(request, body))
        return std::move(*refused);
    FieldForm typed = read_field_form(*body);
    typed.active = "1";
    auto input = parse_field_form(typed);
    Result<Id> added = input ? service.add_field(actor_of(request), managed.detail->call.id, *input)
                             : Result<Id>(Unexpected(input.error()));
    if (!added) {
        if (!shown_on_page(added.error()))
            return refuse(request, added.error());
        return form_page(view, request, managed, {}, typed, nullptr, &added.error(),
                         form_status(added.error()));
    }
    return http::Response::redirect(manage_href(managed.detail->call.id) + "/form?done=field");
}

const FormSection* find_section(const FormDefinition& form, Id id) {
    for (const auto& section : form.sections) {
        if (section.id == id)
            return &section;
    }
    return nullptr;
}

http::Response section_page(const web::View& view, http::Request& request, const Managed& managed,
                            const FormSection& section, const SectionForm& form, const Error* error,
                            int status) {
    Translate tr{view, request};
    const Call& call = managed.detail->call;
    Data data;
    add_call_facts(data, call, tr, request.context.lang);
    data.set("form_href", manage_href(call.id) + "/form");
    data.set("action", manage_href(call.id) + "/form/sections/" + std::to_string(section.id));
    data.set("section_name", section.title);
    data.set("can_change", allowed(managed.user, CallsAction::ManageCall, call) &&
                               call.status != CallStatus::Closed && !managed.detail->form_locked);
    data.set("locked", managed.detail->form_locked);
    data.set("v_section_title", form.title);
    data.set("v_section_help_text", form.help_text);
    if (error)
        add_section_error(data, tr, *error);
    return view.page(request, "calls/section", "Edit section", std::move(data), status);
}

http::Response show_section(CallsService& service, const web::View& view, http::Request& request) {
    Managed managed = load_managed(service, request, false);
    if (managed.refusal)
        return std::move(*managed.refusal);
    const FormSection* section = find_section(managed.detail->form, path_id(request, "section"));
    if (!section)
        return refuse(request, Error::not_found());
    return section_page(view, request, managed, *section, {section->title, section->help_text},
                        nullptr, 200);
}

http::Response update_section(CallsService& service, const web::View& view,
                              http::Request& request) {
    Managed managed = load_managed(service, request, true);
    if (managed.refusal)
        return std::move(*managed.refusal);
    const FormSection* section = find_section(managed.detail->form, path_id(request, "section"));
    if (!section)
        return refuse(request, Error::not_found());
    std::optional<http::Form> body;
    if (auto refused = parse_body(request, body))
        return std::move(*refused);
    SectionForm typed{form_text(*body, "title"), form_text(*body, "help_text")};
    auto input = parse_section_form(typed);
    Result<void> saved = input ? service.update_section(actor_of(request), managed.detail->call.id,
                                                        section->id, *input)
                               : Result<void>(Unexpected(input.error()));
    if (!saved) {
        if (!shown_on_page(saved.error()))
            return refuse(request, saved.error());
        return section_page(view, request, managed, *section, typed, &saved.error(),
                            form_status(saved.error()));
    }
    return http::Response::redirect(manage_href(managed.detail->call.id) + "/form?done=section");
}

http::Response field_page(const web::View& view, http::Request& request, const Managed& managed,
                          const FormField& field, const FieldForm& form, const Error* error,
                          int status) {
    Translate tr{view, request};
    const Call& call = managed.detail->call;
    Data data;
    add_call_facts(data, call, tr, request.context.lang);
    data.set("form_href", manage_href(call.id) + "/form");
    data.set("action", manage_href(call.id) + "/form/fields/" + std::to_string(field.id));
    data.set("field_name", field.label);
    data.set("can_change", allowed(managed.user, CallsAction::ManageCall, call) &&
                               call.status != CallStatus::Closed && !managed.detail->form_locked);
    data.set("locked", managed.detail->form_locked);
    add_field_form(data, tr, form, managed.detail->form);
    if (error)
        add_field_error(data, tr, *error);
    return view.page(request, "calls/field", "Edit field", std::move(data), status);
}

http::Response show_field(CallsService& service, const web::View& view, http::Request& request) {
    Managed managed = load_managed(service, request, false);
    if (managed.refusal)
        return std::move(*managed.refusal);
    const FormField* field = managed.detail->form.field(path_id(request, "field"));
    if (!field)
        return refuse(request, Error::not_found());
    return field_page(view, request, managed, *field, field_form_of(*field), nullptr, 200);
}

http::Response update_field(CallsService& service, const web::View& view, http::Request& request) {
    Managed managed = load_managed(service, request, true);
    if (managed.refusal)
        return std::move(*managed.refusal);
    const FormField* field = managed.detail->form.field(path_id(request, "field"));
    if (!field)
        return refuse(request, Error::not_found());
    std::optional<http::Form> body;
    if (auto refused = parse_body(request, body))
        return std::move(*refused);
    FieldForm typed = read_field_form(*body);
    auto input = parse_field_form(typed);
    Result<void> saved =
        input ? service.update_field(actor_of(request), managed.detail->call.id, field->id, *input)
              : Result<void>(Unexpected(input.error()));
    if (!saved) {
        if (!shown_on_page(saved.error()))
            return refuse(request, saved.error());
        return field_page(view, request, managed, *field, typed, &saved.error(),
                          form_status(saved.error()));
    }
    return http::Response::redirect(manage_href(managed.detail->call.id) + "/form?done=field");
}

template <class Act>
http::Response form_action(CallsService& service, const web::View& view, http::Request& request,
                           Act&& act, std::string_view done) {
    Managed managed = load_managed(service, request, true);
    if (managed.refusal)
        return std::move(*managed.refusal);
    std::optional<http::Form> body;
    if (auto refused = parse_body(request, body))
        return std::move(*refused);
    Result<void> result = act(managed.detail->call.id, *body);
    if (!result) {
        if (!shown_on_page(result.error()))
            return refuse(request, result.error());
        return form_page(view, request, managed, {}, empty_field_form(managed.detail->form),
                         &result.error(), nullptr, form_status(result.error()));
    }
    return http::Response::redirect(manage_href(managed.detail->call.id) +
                                    "/form?done=" + std::string(done));
}

// --- Catalogues ------------------------------------------------------------------------

std::optional<http::Response> catalogue_user(http::Request& request, const Principal*& user,
                                             bool for_change) {
    user = request.context.principal.get();
    if (!user)
        return redirect_to_login(request);
    Decision decision =
        authorize(user, for_change ? CallsAction::ManageCatalogues : CallsAction::ViewCatalogues,
                  {user->organisation_id, std::nullopt});
    if (!decision)
        return refuse(request, decision.to_error());
    return std::nullopt;
}

ExternalCallForm read_external_form(const http::Form& form) {
    return ExternalCallForm{form_text(form, "funder"),
                            form_text(form, "programme"),
                            form_text(form, "title"),
                            form_text(form, "deadline"),
                            form_text(form, "required_own_share_percent"),
                            form_text(form, "url"),
                            form_text(form, "active")};
}

void add_external_form(Data& data, const ExternalCallForm& form) {
    data.set("v_funder", form.funder);
    data.set("v_programme", form.programme);
    data.set("v_title", form.title);
    data.set("v_deadline", form.deadline);
    data.set("v_required_own_share_percent", form.required_own_share_percent);
    data.set("v_url", form.url);
    data.set("v_active", checkbox_on(form.active));
}

void add_external_error(Data& data, const Translate& tr, const Error& error) {
    add_error(data, tr, error,
              {{"funder", "funder"},
               {"programme", "programme"},
               {"title", "title"},
               {"deadline", "deadline"},
               {"required_own_share_percent", "required_own_share_percent"},
               {"url", "url"}});
}

http::Response external_calls_page(CallsService& service, const web::View& view,
                                   http::Request& request, const Principal& user,
                                   const ExternalCallForm& form, const Error* error, int status) {
    Translate tr{view, request};
    auto listed = service.list_external_calls(actor_of(request), user.organisation_id);
    if (!listed)
        return refuse(request, listed.error());
    Data data;
    set_if_any(data, "notice", notice_for(request, tr, CATALOGUE_NOTICES));
    bool can_change = static_cast<bool>(
        authorize(&user, CallsAction::ManageCatalogues, {user.organisation_id, std::nullopt}));
    data.set("can_change", can_change);
    Data rows = make_list();
    for (const auto& external : *listed) {
        Data row;
        row.set("href", "/calls/external/" + std::to_string(external.id));
        row.set("funder", external.funder);
        row.set("programme", external.programme);
        row.set("title", external.title);
        row.set("deadline", external.deadline.value_or("–"));
        row.set("share", std::to_string(external.required_own_share_percent) + " %");
        set_if_any(row, "url", external.url);
        row.set("active", external.active);
        row.set("can_change", can_change);
        rows.push_back(row);
    }
    data.set("external_calls", rows);
    data.set("has_external_calls", !listed->empty());
    data.set("action", std::string("/calls/external"));
    add_external_form(data, form);
    if (error)
        add_external_error(data, tr, *error);
    return view.page(request, "calls/external_calls", "External calls", std::move(data), status);
}

http::Response show_external_calls(CallsService& service, const web::View& view,
                                   http::Request& request) {
    const Principal* user = nullptr;
    if (auto refused = catalogue_user(request, user, false))
        return std::move(*refused);
    ExternalCallForm empty;
    empty.active = "1";
    empty.required_own_share_percent = "0";
    return external_calls_page(service, view, request, *user, empty, nullptr, 200);
}

http::Response create_external_call(CallsService& service, const web::View& view,
                                    http::Request& request) {
    const Principal* user = nullptr;
    if (auto refused = catalogue_user(request, user, true))
        return std::move(*refused);
    std::optional<http::Form> body;
    if (auto refused = parse_body(request, body))
        return std::move(*refused);
    ExternalCallForm typed = read_external_form(*body);
    typed.active = "1";
    auto input = parse_external_call_form(typed);
    Result<Id> created =
        input ? service.create_external_call(actor_of(request), user->organisation_id, *input)
              : Result<Id>(Unexpected(input.error()));
    if (!created) {
        if (!shown_on_page(created.error()))
            return refuse(request, created.error());
        return external_calls_page(service, view, request, *user, typed, &created.error(),
                                   form_status(created.error()));
    }
    return http::Response::redirect("/calls/external?done=created");
}

http::Response external_call_page(const web::View& view, http::Request& request,
                                  const ExternalCall& external, const ExternalCallForm& form,
                                  const Error* error, int status) {
    Translate tr{view, request};
    Data data;
    data.set("action", "/calls/external/" + std::to_string(external.id));
    data.set("external_name", external.title);
    add_external_form(data, form);
    if (error)
        add_external_error(data, tr, *error);
    return view.page(request, "calls/external_call", "Edit external call", std::move(data), status);
}

http::Response show_external_call(CallsService& service, const web::View& view,
                                  http::Request& request) {
    const Principal* user = nullptr;
    if (auto refused = catalogue_user(request, user, true))
        return std::move(*refused);
    auto found = service.external_call(user->organisation_id, path_id(request, "external"));
    if (!found)
        return refuse(request, found.error());
    if (!*found)
        return refuse(request, Error::not_found());
    return external_call_page(view, request, **found, external_call_form_of(**found), nullptr, 200);
}

http::Response update_external_call(CallsService& service, const web::View& view,
                                    http::Request& request) {
    const Principal* user = nullptr;
    if (auto refused = catalogue_user(request, user, true))
        return std::move(*refused);
    auto found = service.external_call(user->organisation_id, path_id(request, "external"));
    if (!found)
        return refuse(request, found.error());
    if (!*found)
        return refuse(request, Error::not_found());
    std::optional<http::Form> body;
    if (auto refused = parse_body(request, body))
        return std::move(*refused);
    ExternalCallForm typed = read_external_form(*body);
    auto input = parse_external_call_form(typed);
    Result<void> saved = input ? service.update_external_call(
                                     actor_of(request), user->organisation_id, (*found)->id, *input)
                               : Result<void>(Unexpected(input.error()));
    if (!saved) {
        if (!shown_on_page(saved.error()))
            return refuse(request, saved.error());
        return external_call_page(view, request, **found, typed, &saved.error(),
                                  form_status(saved.error()));
    }
    return http::Response::redirect("/calls/external?done=updated");
}

PartnershipModelForm read_model_form(const http::Form& form) {
    return PartnershipModelForm{form_text(form, "name"), form_text(form, "description"),
                                form_text(form, "active"), form_text(form, "sort_order")};
}

void add_model_form(Data& data, const PartnershipModelForm& form) {
    data.set("v_name", form.name);
    data.set("v_description", form.description);
    data.set("v_active", checkbox_on(form.active));
    data.set("v_sort_order", form.sort_order);
}

void add_model_error(Data& data, const Translate& tr, const Error& error) {
    add_error(data, tr, error,
              {{"name", "name"}, {"description", "description"}, {"sort_order", "sort_order"}});
}

http::Response models_page(CallsService& service, const web::View& view, http::Request& request,
                           const Principal& user, const PartnershipModelForm& form,
                           const Error* error, int status) {
    Translate tr{view, request};
    auto listed = service.list_partnership_models(actor_of(request), user.organisation_id);
    if (!listed)
        return refuse(request, listed.error());
    Data data;
    set_if_any(data, "notice", notice_for(request, tr, CATALOGUE_NOTICES));
    bool can_change = static_cast<bool>(
        authorize(&user, CallsAction::ManageCatalogues, {user.organisation_id, std::nullopt}));
    data.set("can_change", can_change);
    Data rows = make_list();
    for (const auto& model : *listed) {
        Data row;
        row.set("href", "/calls/partnership-models/" + std::to_string(model.id));
        row.set("name", model.name);
        row.set("description", model.description);
        row.set("active", model.active);
        row.set("can_change", can_change);
        rows.push_back(row);
    }
    data.set("models", rows);
    data.set("has_models", !listed->empty());
    data.set("action", std::string("/calls/partnership-models"));
    add_model_form(data, form);
    if (error)
        add_model_error(data, tr, *error);
    return view.page(request, "calls/partnership_models", "Partnership models", std::move(data),
                     status);
}

http::Response show_models(CallsService& service, const web::View& view, http::Request& request) {
    const Principal* user = nullptr;
    if (auto refused = catalogue_user(request, user, false))
        return std::move(*refused);
    PartnershipModelForm empty;
    empty.active = "1";
    return models_page(service, view, request, *user, empty, nullptr, 200);
}

http::Response create_model(CallsService& service, const web::View& view, http::Request& request) {
    const Principal* user = nullptr;
    if (auto refused = catalogue_user(request, user, true))
        return std::move(*refused);
    std::optional<http::Form> body;
    if (auto refused = parse_body(request, body))
        return std::move(*refused);
    PartnershipModelForm typed = read_model_form(*body);
    typed.active = "1";
    auto input = parse_partnership_model_form(typed);
    Result<Id> created =
        input ? service.create_partnership_model(actor_of(request), user->organisation_id, *input)
              : Result<Id>(Unexpected(input.error()));
    if (!created) {
        if (!shown_on_page(created.error()))
            return refuse(request, created.error());
        return models_page(service, view, request, *user, typed, &created.error(),
                           form_status(created.error()));
    }
    return http::Response::redirect("/calls/partnership-models?done=created");
}

http::Response model_page(const web::View& view, http::Request& request,
                          const PartnershipModel& model, const PartnershipModelForm& form,
                          const Error* error, int status) {
    Translate tr{view, request};
    Data data;
    data.set("action", "/calls/partnership-models/" + std::to_string(model.id));
    data.set("model_name", model.name);
    add_model_form(data, form);
    if (error)
        add_model_error(data, tr, *error);
    return view.page(request, "calls/partnership_model", "Edit partnership model", std::move(data),
                     status);
}

http::Response show_model(CallsService& service, const web::View& view, http::Request& request) {
    const Principal* user = nullptr;
    if (auto refused = catalogue_user(request, user, true))
        return std::move(*refused);
    auto found = service.partnership_model(user->organisation_id, path_id(request, "model"));
    if (!found)
        return refuse(request, found.error());
    if (!*found)
        return refuse(request, Error::not_found());
    return model_page(view, request, **found, partnership_model_form_of(**found), nullptr, 200);
}

http::Response update_model(CallsService& service, const web::View& view, http::Request& request) {
    const Principal* user = nullptr;
    if (auto refused = catalogue_user(request, user, true))
        return std::move(*refused);
    auto found = service.partnership_model(user->organisation_id, path_id(request, "model"));
    if (!found)
        return refuse(request, found.error());
    if (!*found)
        return refuse(request, Error::not_found());
    std::optional<http::Form> body;
    if (auto refused = parse_body(request, body))
        return std::move(*refused);
    PartnershipModelForm typed = read_model_form(*body);
    auto input = parse_partnership_model_form(typed);
    Result<void> saved = input ? service.update_partnership_model(
                                     actor_of(request), user->organisation_id, (*found)->id, *input)
                               : Result<void>(Unexpected(input.error()));
    if (!saved) {
        if (!shown_on_page(saved.error()))
            return refuse(request, saved.error());
        return model_page(view, request, **found, typed, &saved.error(),
                          form_status(saved.error()));
    }
    return http::Response::redirect("/calls/partnership-models?done=updated");
}

} // namespace

void register_calls_routes(http::Router& router, CallsRoutesDeps deps) {
    auto calls = deps.calls;
    auto funds = deps.funds;
    auto view = deps.view;
    using http::Method;
    auto bind = [calls, view](auto handler) {
        return [calls, view, handler](http::Request& request) {
            return handler(*calls, *view, request);
        };
    };
    auto bind_funds = [calls, funds, view](auto handler) {
        return [calls, funds, view, handler](http::Request& request) {
            return handler(*calls, *funds, *view, request);
        };
    };
    router.add(Method::Get, "/", bind(show_home));
    router.add(Method::Get, "/calls", bind(show_public_calls));
    router.add(Method::Get, "/calls/{id:int}", bind(show_call));
    router.add(Method::Get, "/funds/{id:int}/calls", bind_funds(show_fund_calls));
    router.add(Method::Get, "/funds/{id:int}/calls/new", [funds, view](http::Request& request) {
        return show_new_call(*funds, *view, request);
    });
    router.add(Method::Post, "/funds/{id:int}/calls", bind_funds(create_call));
    router.add(Method::Get, "/calls/{id:int}/manage", bind_funds(show_settings));
    router.add(Method::Post, "/calls/{id:int}/manage", bind_funds(update_settings));
    router.add(
        Method::Post, "/calls/{id:int}/publish", [calls, funds, view](http::Request& request) {
            return change_status(
                *calls, *funds, *view, request,
                [&](Id id) { return calls->publish_call(actor_of(request), id); }, "published");
        });
    router.add(Method::Post, "/calls/{id:int}/close", [calls, funds, view](http::Request& request) {
        return change_status(
            *calls, *funds, *view, request,
            [&](Id id) { return calls->close_call(actor_of(request), id); }, "closed");
    });

    router.add(Method::Get, "/calls/{id:int}/manage/criteria", bind(show_criteria));
    router.add(Method::Post, "/calls/{id:int}/manage/criteria", bind(add_criterion));
    router.add(Method::Get, "/calls/{id:int}/manage/criteria/{criterion:int}",
               bind(show_criterion));
    router.add(Method::Post, "/calls/{id:int}/manage/criteria/{criterion:int}",
               bind(update_criterion));
    router.add(Method::Post, "/calls/{id:int}/manage/criteria/{criterion:int}/remove",
               [calls, view](http::Request& request) {
                   return criteria_action(
                       *calls, *view, request,
                       [&](Id id, const http::Form&) {
                           return calls->remove_criterion(actor_of(request), id,
                                                          path_id(request, "criterion"));
                       },
                       "removed");
               });
    router.add(Method::Post, "/calls/{id:int}/manage/criteria/{criterion:int}/move",
               [calls, view](http::Request& request) {
                   return criteria_action(
                       *calls, *view, request,
                       [&](Id id, const http::Form& form) {
                           return calls->move_criterion(actor_of(request), id,
                                                        path_id(request, "criterion"),
                                                        direction_of(form));
                       },
                       "moved");
               });

    router.add(Method::Get, "/calls/{id:int}/manage/form", bind(show_form));
    router.add(Method::Post, "/calls/{id:int}/manage/form/sections", bind(add_section));
    router.add(Method::Get, "/calls/{id:int}/manage/form/sections/{section:int}",
               bind(show_section));
    router.add(Method::Post, "/calls/{id:int}/manage/form/sections/{section:int}",
               bind(update_section));
    router.add(Method::Post, "/calls/{id:int}/manage/form/sections/{section:int}/remove",
               [calls, view](http::Request& request) {
                   return form_action(
                       *calls, *view, request,
                       [&](Id id, const http::Form&) {
                           return calls->remove_section(actor_of(request), id,
                                                        path_id(request, "section"));
                       },
                       "removed");
               });
    router.add(Method::Post, "/calls/{id:int}/manage/form/sections/{section:int}/move",
               [calls, view](http::Request& request) {
                   return form_action(
                       *calls, *view, request,
                       [&](Id id, const http::Form& form) {
                           return calls->move_section(actor_of(request), id,
                                                      path_id(request, "section"),
                                                      direction_of(form));
                       },
                       "moved");
               });
    router.add(Method::Post, "/calls/{id:int}/manage/form/fields", bind(add_field));
    router.add(Method::Get, "/calls/{id:int}/manage/form/fields/{field:int}", bind(show_field));
    router.add(Method::Post, "/calls/{id:int}/manage/form/fields/{field:int}", bind(update_field));
    router.add(Method::Post, "/calls/{id:int}/manage/form/fields/{field:int}/remove",
               [calls, view](http::Request& request) {
                   return form_action(
                       *calls, *view, request,
                       [&](Id id, const http::Form&) {
                           return calls->remove_field(actor_of(request), id,
                                                      path_id(request, "field"));
                       },
                       "removed");
               });
    router.add(Method::Post, "/calls/{id:int}/manage/form/fields/{field:int}/move",
               [calls, view](http::Request& request) {
                   return form_action(
                       *calls, *view, request,
                       [&](Id id, const http::Form& form) {
                           return calls->move_field(actor_of(request), id,
                                                    path_id(request, "field"), direction_of(form));
                       },
                       "moved");
               });
    router.add(Method::Post, "/calls/{id:int}/manage/form/fields/{field:int}/active",
               [calls, view](http::Request& request) {
                   return form_action(
                       *calls, *view, request,
                       [&](Id id, const http::Form& form) {
                           return calls->set_field_active(actor_of(request), id,
                                                          path_id(request, "field"),
                                                          checkbox_on(form_text(form, "active")));
                       },
                       "field");
               });

    router.add(Method::Get, "/calls/external", bind(show_external_calls));
    router.add(Method::Post, "/calls/external", bind(create_external_call));
    router.add(Method::Get, "/calls/external/{external:int}", bind(show_external_call));
    router.add(Method::Post, "/calls/external/{external:int}", bind(update_external_call));
    router.add(Method::Get, "/calls/partnership-models", bind(show_models));
    router.add(Method::Post, "/calls/partnership-models", bind(create_model));
    router.add(Method::Get, "/calls/partnership-models/{model:int}", bind(show_model));
    router.add(Method::Post, "/calls/partnership-models/{model:int}", bind(update_model));
}

} // namespace spire::calls
