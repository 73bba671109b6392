#include "decisions/routes.hpp"

#include "calls/manage_tabs.hpp"
#include "core/text.hpp"
#include "decisions/from_scenario.hpp"
#include "decisions/policy.hpp"
#include "http/form.hpp"
#include "identity/web.hpp"
#include "web/format.hpp"
#include "web/pages.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <string>
#include <utility>

namespace spire::decisions {

namespace {

using calls::manage_href;
using identity::actor_of;
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
    {"submitted", "The recommendation was submitted to the decision maker."},
    {"answered", "The external funder's answer was recorded and the ledger updated."},
};
constexpr std::pair<std::string_view, std::string_view> RECOMMENDATION_NOTICES[] = {
    {"submitted", "The recommendation was submitted to the decision maker."},
    {"approved", "The recommendation was approved and the decisions were recorded."},
    {"rejected", "The recommendation was rejected."},
    {"decided", "The decision was recorded."},
};

Id path_id(const http::Request& request, std::string_view name) {
    return request.param_int(name).value_or(0);
}

void set_if_any(Data& data, const std::string& name, const std::string& text) {
    if (!text.empty())
        data.set(name, text);
}

std::optional<http::Response> parse_body(http::Request& request, std::optional<http::Form>& out) {
    auto form = http::parse_form(request.header("Content-Type"), request.body);
    if (!form)
        return refuse(request, form.error());
    out = std::move(*form);
    return std::nullopt;
}

bool may(const http::Request& request, DecisionsAction action, Id organisation_id, Id fund_id) {
    return static_cast<bool>(
        authorize(request.context.principal.get(), action, {organisation_id, fund_id}));
}

std::string datetime_text(const std::optional<std::string>& db_time, const std::string& lang) {
    if (!db_time)
        return {};
    auto when = from_db_time(*db_time);
    return when ? web::format_datetime(*when, lang) : *db_time;
}

std::string programme_name(const CallInfo& call, Id programme_id) {
    for (const auto& programme : call.programmes) {
        if (programme.id == programme_id)
            return programme.name;
    }
    return std::to_string(programme_id);
}

bool is_research(const CallInfo& call) {
    return call.programme_kind ==
           funds::programme_kind_key(funds::ProgrammeKind::ResearchCofunding);
}

// The year and programme of an amount field ("…amount.<year>.<programme>").
std::optional<std::pair<int, Id>> cell_of_field(std::string_view field) {
    auto at = field.rfind("amount.");
    if (at == std::string_view::npos)
        return std::nullopt;
    std::string_view rest = field.substr(at + 7);
    auto dot = rest.find('.');
    if (dot == std::string_view::npos)
        return std::nullopt;
    int year = 0;
    long long programme = 0;
    auto y = std::from_chars(rest.data(), rest.data() + dot, year);
    auto p = std::from_chars(rest.data() + dot + 1, rest.data() + rest.size(), programme);
    if (y.ec != std::errc{} || p.ec != std::errc{})
        return std::nullopt;
    return std::pair<int, Id>{year, programme};
}

// A message as the page shows it: translated, and the overdraw message
// naming the programme and year of its field.
std::string shown_message(const Translate& tr, const CallInfo& call, const std::string& msgid,
                          const std::string& field) {
    std::string text = tr(msgid);
    if (msgid == message::OVERDRAWN) {
        if (auto cell = cell_of_field(field))
            text = fill(text, {{"programme", programme_name(call, cell->second)},
                               {"year", std::to_string(cell->first)}});
    }
    return text;
}

// Field errors by field name, and the error summary at the top of the page
// linking to the inputs (`input_id` maps a field to its input's id).
std::map<std::string, std::string>
add_errors(Data& data, const Translate& tr, const CallInfo& call, const Error& error,
           const std::function<std::string(const std::string&)>& input_id) {
    std::map<std::string, std::string> by_field;
    if (error.fields.empty()) {
        data.set("alert", shown_message(tr, call, error.message, ""));
        return by_field;
    }
    Data items = make_list();
    for (const auto& field_error : error.fields) {
        std::string message = shown_message(tr, call, field_error.message, field_error.field);
        Data item;
        item.set("message", message);
        std::string id = input_id(field_error.field);
        item.set("has_href", !id.empty());
        if (!id.empty())
            item.set("href", "#" + id);
        by_field.emplace(field_error.field, message);
        items.push_back(item);
    }
    data.set("has_errors", true);
    data.set("errors", items);
    return by_field;
}

std::string field_error(const std::map<std::string, std::string>& errors,
                        const std::string& field) {
    auto found = errors.find(field);
    return found == errors.end() ? std::string() : found->second;
}

// The outcome choices; conditional only for research co-funding.
Data outcome_options(const Translate& tr, const CallInfo& call, const std::string& selected) {
    Data options = make_list();
    for (Outcome outcome : ALL_OUTCOMES) {
        if (outcome == Outcome::Conditional && !is_research(call))
            continue;
        std::string key(outcome_key(outcome));
        options.push_back(option(key, tr(outcome_label(outcome)), key == selected));
    }
    return options;
}

std::string amount_input(Ore ore) {
    return ore == 0 ? std::string() : to_kroner_input(ore);
}

// Amount inputs per year of the fund's period, for the call's programme.
// `prefix` names the form fields ("amount.<a>" / "d.amount.<a>").
struct AmountInputs {
    std::vector<YearAmount> amounts;
    std::vector<FieldError> errors; // typing errors, named by `error_field`
};

AmountInputs parse_amounts(const http::Form& form, const CallInfo& call, Id application_id,
                           const std::string& form_prefix, const std::string& error_prefix) {
    AmountInputs out;
    for (int year = call.first_year; year <= call.last_year; ++year) {
        const std::string name =
            form_prefix + std::to_string(application_id) + "." + std::to_string(year);
        const std::string text = trim(form_text(form, name));
        if (text.empty())
            continue;
        const std::string field = error_prefix + amount_field(year, call.programme_id);
        auto ore = parse_kroner(text);
        if (!ore) {
            out.errors.push_back({field, ore.error().message});
            continue;
        }
        out.amounts.push_back({year, call.programme_id, *ore});
    }
    return out;
}

Data amount_rows(const CallInfo& call, Id application_id, const std::string& form_prefix,
                 const std::string& id_prefix, const std::vector<YearAmount>& stored,
                 const http::Form* typed, const std::map<std::string, std::string>& errors,
                 const std::string& error_prefix) {
    Data rows = make_list();
    for (int year = call.first_year; year <= call.last_year; ++year) {
        Data row;
        const std::string suffix = std::to_string(application_id) + "." + std::to_string(year);
        row.set("name", form_prefix + suffix);
        row.set("input_id",
                id_prefix + std::to_string(application_id) + "-" + std::to_string(year));
        row.set("year", std::to_string(year));
        std::string value;
        if (typed) {
            value = form_text(*typed, form_prefix + suffix);
        } else {
            for (const auto& amount : stored) {
                if (amount.year == year && amount.programme_id == call.programme_id)
                    value = amount_input(amount.amount_ore);
            }
        }
        row.set("value", value);
        set_if_any(row, "error",
                   field_error(errors, error_prefix + amount_field(year, call.programme_id)));
        rows.push_back(row);
    }
    return rows;
}

std::string amounts_text(const CallInfo& call, const std::vector<YearAmount>& amounts) {
    std::string text;
    for (const auto& amount : amounts) {
        if (!text.empty())
            text += ", ";
        text += std::to_string(amount.year);
        if (amount.programme_id != call.programme_id)
            text += " " + programme_name(call, amount.programme_id);
        text += ": " + web::format_money(amount.amount_ore);
    }
    return text;
}

void add_call_frame(Data& data, const Translate& tr, const CallInfo& call) {
    data.set("call_id", std::to_string(call.id));
    data.set("call_title", call.title);
    data.set("manage_href", manage_href(call.id));
    data.set("fund_name", call.fund_name);
    data.set("fund_href", "/funds/" + std::to_string(call.fund_id));
    data.set("fund_calls_href", "/funds/" + std::to_string(call.fund_id) + "/calls");
    data.set("budget_href", "/funds/" + std::to_string(call.fund_id) + "/budget");
    data.set("tabs", calls::manage_tabs(tr, call.id, "decisions"));
}

// The outcome; a conditional decision says where it stands with the
// external funder.
std::string outcome_text(const Translate& tr, const store::DecisionRow& decision) {
    std::string text = tr(outcome_label(decision.outcome));
    if (decision.outcome != Outcome::Conditional)
        return text;
    if (!decision.external_granted)
        return text + " – " + tr("waiting for the external funder");
    return text + " – " +
           tr(*decision.external_granted ? "granted by the external funder: committed"
                                         : "refused by the external funder: released");
}

// A refused external answer, shown again in the form of the decision it
// was posted for (the decision is named by the path, not by the form).
struct TypedAnswer {
    Id decision_id = 0;
    const http::Form* form = nullptr;
};

// The conditional decisions still waiting for the external funder, each
// with its answer form.
Data waiting_answers(const CallInfo& call, const std::vector<store::DecisionRow>& decisions,
                     const TypedAnswer* typed, const std::map<std::string, std::string>& errors) {
    Data rows = make_list();
    for (const auto& decision : decisions) {
        if (decision.outcome != Outcome::Conditional || decision.external_granted)
            continue;
        const std::string id = std::to_string(decision.id);
        Data row;
        row.set("id", id);
        row.set("reference", decision.application_reference);
        row.set("title", decision.application_title);
        row.set("amounts", amounts_text(call, decision.amounts));
        row.set("action", manage_href(call.id) + "/decisions/" + id + "/external-answer");
        const bool this_one = typed && typed->decision_id == decision.id;
        const std::string answer = this_one ? form_text(*typed->form, "answer") : "";
        row.set("granted_checked", answer == "granted");
        row.set("refused_checked", answer == "refused");
        row.set("v_note", this_one ? form_text(*typed->form, "note") : "");
        if (this_one) {
            set_if_any(row, "error_answer", field_error(errors, "answer"));
            set_if_any(row, "error_note", field_error(errors, "note"));
        }
        rows.push_back(row);
    }
    return rows;
}

Data decision_rows(const Translate& tr, const CallInfo& call,
                   const std::vector<store::DecisionRow>& decisions) {
    Data rows = make_list();
    for (const auto& decision : decisions) {
        Data row;
        row.set("reference", decision.application_reference);
        row.set("title", decision.application_title);
        row.set("outcome", outcome_text(tr, decision));
        row.set("amounts", amounts_text(call, decision.amounts));
        row.set("total", web::format_money(total(decision.amounts)));
        row.set("letter_href", "/letters/" + std::to_string(decision.id));
        row.set("letter_label", fill(tr("Decision letter for {reference}"),
                                     {{"reference", decision.application_reference}}));
        rows.push_back(row);
    }
    return rows;
}

const store::DecisionRow* decision_of(const std::vector<store::DecisionRow>& decisions,
                                      Id application_id) {
    for (const auto& decision : decisions) {
        if (decision.application_id == application_id)
            return &decision;
    }
    return nullptr;
}

const Proposal* proposal_of(const std::vector<Proposal>& proposals, Id application_id) {
    for (const auto& proposal : proposals) {
        if (proposal.application_id == application_id)
            return &proposal;
    }
    return nullptr;
}

// --- The call's decisions page (fund manager) ------------------------------------------

// Applications the fund manager proposes for: ranked and not decided.
bool open_for_proposal(const store::CallApplication& application,
                       const std::vector<store::DecisionRow>& decisions) {
    return application.status == "submitted" && application.ranked() &&
           !decision_of(decisions, application.id);
}

std::string proposal_input_id(const std::string& field) {
    // "proposal.<a>.<name>[.<year>.<programme>]" -> "<name>-<a>[-<year>]"
    if (!field.starts_with("proposal."))
        return {};
    std::string rest = field.substr(9);
    auto dot = rest.find('.');
    if (dot == std::string::npos)
        return {};
    std::string application = rest.substr(0, dot);
    std::string name = rest.substr(dot + 1);
    if (auto cell = cell_of_field(name))
        return "amount-" + application + "-" + std::to_string(cell->first);
    if (name == "amount")
        return {};
    return name + "-" + application;
}

// The proposal form filled in from an allocation scenario.
struct ScenarioPrefill {
    std::vector<Proposal> proposals;
    std::string source_note;
    std::string notice;
};

std::vector<Id> open_applications(const CallDecisions& overview) {
    std::vector<Id> open;
    for (const auto& application : overview.applications) {
        if (open_for_proposal(application, overview.decisions))
            open.push_back(application.id);
    }
    return open;
}

// What `?scenario=<id>&method=<key>` asks for; none without a scenario. A
// scenario of another call is not found, like a path that mixes calls.
Result<std::optional<ScenarioPrefill>> scenario_prefill(allocation::AllocationService* allocation,
                                                        const http::Request& request,
                                                        const Translate& tr,
                                                        const CallDecisions& overview) {
    auto scenario_text = request.query_param("scenario");
    if (!scenario_text)
        return std::nullopt;
    auto scenario_id = parse_digits(*scenario_text);
    if (!allocation || !scenario_id)
        return tl::unexpected(Error::not_found());
    auto method = allocation::parse_method(request.query_param("method").value_or("optimal"));
    if (!method)
        return tl::unexpected(Error::invalid(message::CHOOSE_METHOD));
    auto outcome = allocation->outcome(actor_of(request), *scenario_id, *method);
    if (!outcome)
        return tl::unexpected(outcome.error());
    // A scenario over several calls fills in each call's page with its own
    // applications (only this call's are open here).
    const auto& calls = outcome->call_ids;
    if (std::find(calls.begin(), calls.end(), overview.call.id) == calls.end())
        return tl::unexpected(Error::not_found());
    if (outcome->status == allocation::SolveStatus::Infeasible ||
        outcome->status == allocation::SolveStatus::NoSolution)
        return tl::unexpected(Error::conflict(message::SCENARIO_WITHOUT_SOLUTION));

    const std::string name = outcome->scenario_name;
    const std::string method_name = tr(allocation::method_label(*method));
    auto named = [&](std::string_view msgid) {
        return fill(tr(msgid), {{"scenario", name}, {"method", method_name}});
    };
    ScenarioTexts texts;
    texts.funded = named("Funded in the scenario “{scenario}” ({method}).");
    texts.partly_funded = [&](long percent) {
        return fill(
            tr("{percent} % of the amount applied for is funded in the scenario "
               "“{scenario}” ({method})."),
            {{"percent", std::to_string(percent)}, {"scenario", name}, {"method", method_name}});
    };
    texts.not_funded =
        named("Not funded within the budget in the scenario “{scenario}” ({method}).");
    ScenarioPrefill prefill;
    prefill.proposals =
        proposals_from_scenario(outcome->grants, open_applications(overview), texts);
    prefill.source_note = named("Scenario “{scenario}” ({method})");
    prefill.notice = named("The proposals are filled in from the scenario “{scenario}” "
                           "({method}). Check every justification before you submit.");
    return prefill;
}

// `typed` is the posted proposal form, `answer` a posted external answer; at
// most one of them is given, with the error that refused it.
http::Response call_page(DecisionsService& service, allocation::AllocationService* allocation,
                         const web::View& view, http::Request& request, const http::Form* typed,
                         const TypedAnswer* answer, const Error* error, int status) {
    if (!request.context.principal)
        return redirect_to_login(request);
    auto overview = service.call_decisions(actor_of(request), path_id(request, "id"));
    if (!overview)
        return refuse(request, overview.error());
    Translate tr{view, request};
    const CallInfo& call = overview->call;
    Data data;
    add_call_frame(data, tr, call);
    set_if_any(data, "notice", notice_for(request, tr, CALL_NOTICES));
    std::map<std::string, std::string> errors;
    if (error)
        errors = add_errors(data, tr, call, *error, proposal_input_id);
    std::optional<ScenarioPrefill> prefill;
    if (!typed && !answer) {
        auto asked = scenario_prefill(allocation, request, tr, *overview);
        if (!asked) {
            if (!shown_on_page(asked.error()))
                return refuse(request, asked.error());
            data.set("alert", tr(asked.error().message));
            status = form_status(asked.error());
        } else if (*asked) {
            prefill = std::move(**asked);
            data.set("notice", prefill->notice);
        }
    }
    const std::vector<Proposal>& suggested =
        prefill ? prefill->proposals : overview->latest_proposals;

    data.set("decisions", decision_rows(tr, call, overview->decisions));
    data.set("has_decisions", !overview->decisions.empty());
    if (may(request, DecisionsAction::RecordExternalAnswer, call.organisation_id, call.fund_id)) {
        Data answers = waiting_answers(call, overview->decisions, answer, errors);
        data.set("has_waiting_answers", answers.is_non_empty_list());
        data.set("waiting_answers", answers);
    }

    Data recommendations = make_list();
    for (const auto& recommendation : overview->recommendations) {
        Data row;
        row.set("href", "/decisions/" + std::to_string(recommendation.id));
        row.set("label",
                fill(tr("Recommendation {id}"), {{"id", std::to_string(recommendation.id)}}));
        row.set("status", tr(recommendation_status_label(recommendation.status)));
        row.set("created", datetime_text(recommendation.created_at, request.context.lang));
        row.set("by", recommendation.created_by_name);
        row.set("proposals", std::to_string(recommendation.proposals));
        recommendations.push_back(row);
    }
    data.set("recommendations", recommendations);
    data.set("has_recommendations", !overview->recommendations.empty());

    const bool can_recommend =
        may(request, DecisionsAction::Recommend, call.organisation_id, call.fund_id);
    Data candidates = make_list();
    Data others = make_list();
    for (const auto& application : overview->applications) {
        const std::string id = std::to_string(application.id);
        if (!open_for_proposal(application, overview->decisions)) {
            if (decision_of(overview->decisions, application.id))
                continue;
            Data row;
            row.set("reference", application.reference);
            row.set("title", application.title);
            row.set("why", tr(application.status == "withdrawn" ? message::WITHDRAWN
                                                                : message::NOT_RANKED));
            others.push_back(row);
            continue;
        }
        const Proposal* proposed = proposal_of(suggested, application.id);
        Data row;
        row.set("id", id);
        row.set("reference", application.reference);
        row.set("title", application.title);
        row.set("unit", application.unit_name);
        row.set("requested", web::format_money(application.requested_ore));
        std::vector<YearAmount> stored;
        if (proposed) {
            stored = proposed->amounts;
        } else if (application.start_year && *application.start_year >= call.first_year &&
                   *application.start_year <= call.last_year) {
            // A first suggestion: what was asked for, in the starting year.
            stored = {{*application.start_year, call.programme_id, application.requested_ore}};
        }
        const std::string prefix = "proposal." + id + ".";
        std::string outcome =
            typed ? form_text(*typed, "outcome." + id)
                  : std::string(outcome_key(proposed ? proposed->outcome : Outcome::Granted));
        row.set("outcome_options", outcome_options(tr, call, outcome));
        row.set("outcome_label",
                fill(tr("Outcome for {reference}"), {{"reference", application.reference}}));
        row.set("amounts", amount_rows(call, application.id, "amount.", "amount-", stored, typed,
                                       errors, prefix));
        row.set("v_justification", typed ? form_text(*typed, "justification." + id)
                                         : (proposed ? proposed->justification : ""));
        row.set("v_conditions", typed ? form_text(*typed, "conditions." + id)
                                      : (proposed ? proposed->conditions : ""));
        set_if_any(row, "error_outcome", field_error(errors, prefix + "outcome"));
        set_if_any(row, "error_justification", field_error(errors, prefix + "justification"));
        set_if_any(row, "error_conditions", field_error(errors, prefix + "conditions"));
        set_if_any(row, "error_amount", field_error(errors, prefix + "amount"));
        candidates.push_back(row);
    }
    data.set("can_recommend", can_recommend);
    data.set("candidates", candidates);
    data.set("has_candidates", !candidates.is_empty_list());
    data.set("others", others);
    data.set("has_others", !others.is_empty_list());
    data.set("v_source_note", typed     ? form_text(*typed, "source_note")
                              : prefill ? prefill->source_note
                                        : std::string());
    data.set("programme_name", programme_name(call, call.programme_id));
    return view.page(request, "decisions/call", "Decisions", std::move(data), status);
}

http::Response recommend(DecisionsService& service, const web::View& view, http::Request& request) {
    if (!request.context.principal)
        return redirect_to_login(request);
    std::optional<http::Form> body;
    if (auto refused = parse_body(request, body))
        return std::move(*refused);
    const Id call_id = path_id(request, "id");
    auto overview = service.call_decisions(actor_of(request), call_id);
    if (!overview)
        return refuse(request, overview.error());
    const CallInfo& call = overview->call;

    std::vector<Proposal> proposals;
    std::vector<FieldError> typing;
    for (const auto& application : overview->applications) {
        if (!open_for_proposal(application, overview->decisions))
            continue;
        const std::string id = std::to_string(application.id);
        const std::string prefix = "proposal." + id + ".";
        Proposal proposal;
        proposal.application_id = application.id;
        auto outcome = parse_outcome(form_text(*body, "outcome." + id));
        if (!outcome)
            typing.push_back({prefix + "outcome", message::CHOOSE_OUTCOME});
        proposal.outcome = outcome.value_or(Outcome::Granted);
        auto amounts = parse_amounts(*body, call, application.id, "amount.", prefix);
        typing.insert(typing.end(), amounts.errors.begin(), amounts.errors.end());
        proposal.amounts = std::move(amounts.amounts);
        proposal.justification = form_text(*body, "justification." + id);
        proposal.conditions = form_text(*body, "conditions." + id);
        proposals.push_back(std::move(proposal));
    }
    if (!typing.empty()) {
        Error error = Error::invalid(message::CHECK_FIELDS, std::move(typing));
        return call_page(service, nullptr, view, request, &*body, nullptr, &error,
                         form_status(error));
    }
    auto created = service.create_recommendation(actor_of(request), call_id, proposals,
                                                 form_text(*body, "source_note"));
    Result<void> submitted = created ? service.submit_recommendation(actor_of(request), *created)
                                     : Result<void>(tl::unexpected(created.error()));
    if (!submitted) {
        if (!shown_on_page(submitted.error()))
            return refuse(request, submitted.error());
        return call_page(service, nullptr, view, request, &*body, nullptr, &submitted.error(),
                         form_status(submitted.error()));
    }
    return http::Response::redirect("/decisions/" + std::to_string(*created) + "?done=submitted");
}

// The external funder's answer to a conditional decision (fund manager).
http::Response external_answer(DecisionsService& service, const web::View& view,
                               http::Request& request) {
    if (!request.context.principal)
        return redirect_to_login(request);
    std::optional<http::Form> body;
    if (auto refused = parse_body(request, body))
        return std::move(*refused);
    const Id call_id = path_id(request, "id");
    const Id decision_id = path_id(request, "decision");
    const std::string answer = form_text(*body, "answer");
    Result<void> recorded =
        answer != "granted" && answer != "refused"
            ? Result<void>(tl::unexpected(
                  Error::invalid(message::CHECK_FIELDS, {{"answer", message::CHOOSE_ANSWER}})))
            : service.record_external_answer(actor_of(request), call_id, decision_id,
                                             answer == "granted", form_text(*body, "note"));
    if (!recorded) {
        if (!shown_on_page(recorded.error()))
            return refuse(request, recorded.error());
        const TypedAnswer typed{decision_id, &*body};
        return call_page(service, nullptr, view, request, nullptr, &typed, &recorded.error(),
                         form_status(recorded.error()));
    }
    return http::Response::redirect(manage_href(call_id) + "/decisions?done=answered");
}

// --- The decision maker ----------------------------------------------------------------

http::Response waiting_page(DecisionsService& service, const web::View& view,
                            http::Request& request) {
    if (!request.context.principal)
        return redirect_to_login(request);
    auto rows = service.waiting(actor_of(request));
    if (!rows)
        return refuse(request, rows.error());
    Translate tr{view, request};
    Data data;
    Data items = make_list();
    for (const auto& row : *rows) {
        Data item;
        item.set("href", "/decisions/" + std::to_string(row.id));
        item.set("call", row.call_title);
        item.set("label", fill(tr("Recommendation {id}"), {{"id", std::to_string(row.id)}}));
        item.set("by", row.created_by_name);
        item.set("submitted", datetime_text(row.submitted_at, request.context.lang));
        item.set("proposals", std::to_string(row.proposals));
        items.push_back(item);
    }
    data.set("recommendations", items);
    data.set("has_recommendations", !rows->empty());
    return view.page(request, "decisions/waiting", "Decisions", std::move(data));
}

struct DecideTyped {
    Id application_id = 0;
    const http::Form* form = nullptr;
};

std::string decide_input_id(Id application_id, const std::string& field) {
    const std::string a = std::to_string(application_id);
    if (auto cell = cell_of_field(field))
        return "d-amount-" + a + "-" + std::to_string(cell->first);
    if (field == "reasons" || field == "conditions" || field == "outcome")
        return "d-" + field + "-" + a;
    if (field.starts_with("proposal.")) // from approving the whole recommendation
        return {};
    return {};
}

http::Response recommendation_page(DecisionsService& service, const web::View& view,
                                   http::Request& request, const DecideTyped* typed,
                                   const Error* error, int status) {
    if (!request.context.principal)
        return redirect_to_login(request);
    auto found = service.recommendation(actor_of(request), path_id(request, "id"));
    if (!found)
        return refuse(request, found.error());
    Translate tr{view, request};
    const auto& recommendation = found->recommendation;
    const CallInfo& call = found->call;
    Data data;
    data.set("id", std::to_string(recommendation.id));
    data.set("heading",
             fill(tr("Recommendation {id}"), {{"id", std::to_string(recommendation.id)}}));
    data.set("call_title", call.title);
    data.set("call_decisions_href", manage_href(call.id) + "/decisions");
    data.set("budget_href", "/funds/" + std::to_string(call.fund_id) + "/budget");
    data.set("status", tr(recommendation_status_label(recommendation.status)));
    set_if_any(data, "source_note", recommendation.source_note);
    set_if_any(data, "settle_note", recommendation.settle_note);
    data.set("by", recommendation.created_by_name);
    set_if_any(data, "notice", notice_for(request, tr, RECOMMENDATION_NOTICES));
    std::map<std::string, std::string> errors;
    if (error)
        errors = add_errors(data, tr, call, *error, [&](const std::string& field) {
            return decide_input_id(typed ? typed->application_id : 0, field);
        });
    const bool open = recommendation.status == RecommendationStatus::Submitted;
    const bool can_decide =
        open && may(request, DecisionsAction::Decide, call.organisation_id, call.fund_id);
    data.set("can_decide", can_decide);
    data.set("v_note", typed && typed->application_id == 0 && typed->form
                           ? form_text(*typed->form, "note")
                           : "");
    set_if_any(data, "error_note", field_error(errors, "note"));

    Data rows = make_list();
    for (const auto& proposal : found->proposals) {
        Data row;
        const std::string id = std::to_string(proposal.application_id);
        row.set("id", id);
        for (const auto& application : found->applications) {
            if (application.id == proposal.application_id) {
                row.set("reference", application.reference);
                row.set("title", application.title);
                row.set("unit", application.unit_name);
                row.set("requested", web::format_money(application.requested_ore));
                row.set("decide_label", fill(tr("Decide {reference} otherwise"),
                                             {{"reference", application.reference}}));
                row.set("outcome_label", fill(tr("Outcome for {reference}"),
                                              {{"reference", application.reference}}));
            }
        }
        row.set("proposed_outcome", tr(outcome_label(proposal.outcome)));
        row.set("proposed_amounts", amounts_text(call, proposal.amounts));
        row.set("justification", proposal.justification);
        set_if_any(row, "conditions", proposal.conditions);
        const store::DecisionRow* decided = decision_of(found->decisions, proposal.application_id);
        if (decided) {
            row.set("decided", true);
            row.set("decided_outcome", tr(outcome_label(decided->outcome)));
            row.set("decided_amounts", amounts_text(call, decided->amounts));
            row.set("letter_href", "/letters/" + std::to_string(decided->id));
        } else if (can_decide) {
            const bool mine = typed && typed->application_id == proposal.application_id;
            const http::Form* form = mine ? typed->form : nullptr;
            row.set("can_decide_row", true);
            row.set("action",
                    "/decisions/" + std::to_string(recommendation.id) + "/applications/" + id);
            row.set("open", mine);
            std::string outcome =
                form ? form_text(*form, "outcome") : std::string(outcome_key(proposal.outcome));
            row.set("outcome_options", outcome_options(tr, call, outcome));
            std::map<std::string, std::string> none;
            row.set("amounts", amount_rows(call, proposal.application_id, "amount.", "d-amount-",
                                           proposal.amounts, form, mine ? errors : none, ""));
            row.set("v_conditions", form ? form_text(*form, "conditions") : proposal.conditions);
            row.set("v_reasons", form ? form_text(*form, "reasons") : proposal.justification);
            if (mine) {
                set_if_any(row, "error_outcome", field_error(errors, "outcome"));
                set_if_any(row, "error_reasons", field_error(errors, "reasons"));
                set_if_any(row, "error_conditions", field_error(errors, "conditions"));
                set_if_any(row, "error_amount", field_error(errors, "amount"));
            }
        }
        rows.push_back(row);
    }
    data.set("proposals", rows);
    return view.page(request, "decisions/recommendation", "Recommendation for decision",
                     std::move(data), status);
}

http::Response approve(DecisionsService& service, const web::View& view, http::Request& request) {
    if (!request.context.principal)
        return redirect_to_login(request);
    const Id id = path_id(request, "id");
    auto approved = service.approve_recommendation(actor_of(request), id);
    if (!approved) {
        if (!shown_on_page(approved.error()))
            return refuse(request, approved.error());
        return recommendation_page(service, view, request, nullptr, &approved.error(),
                                   form_status(approved.error()));
    }
    return http::Response::redirect("/decisions/" + std::to_string(id) + "?done=approved");
}

http::Response reject(DecisionsService& service, const web::View& view, http::Request& request) {
    if (!request.context.principal)
        return redirect_to_login(request);
    std::optional<http::Form> body;
    if (auto refused = parse_body(request, body))
        return std::move(*refused);
    const Id id = path_id(request, "id");
    auto rejected = service.reject_recommendation(actor_of(request), id, form_text(*body, "note"));
    if (!rejected) {
        if (!shown_on_page(rejected.error()))
            return refuse(request, rejected.error());
        DecideTyped typed{0, &*body};
        return recommendation_page(service, view, request, &typed, &rejected.error(),
                                   form_status(rejected.error()));
    }
    return http::Response::redirect("/decisions/" + std::to_string(id) + "?done=rejected");
}

http::Response decide_one(DecisionsService& service, const web::View& view,
                          http::Request& request) {
    if (!request.context.principal)
        return redirect_to_login(request);
    std::optional<http::Form> body;
    if (auto refused = parse_body(request, body))
        return std::move(*refused);
    const Id id = path_id(request, "id");
    const Id application_id = path_id(request, "application");
    auto found = service.recommendation(actor_of(request), id);
    if (!found)
        return refuse(request, found.error());
    DecideTyped typed{application_id, &*body};
    DecisionInput input;
    input.application_id = application_id;
    input.recommendation_id = id;
    std::vector<FieldError> typing;
    auto outcome = parse_outcome(form_text(*body, "outcome"));
    if (!outcome)
        typing.push_back({"outcome", message::CHOOSE_OUTCOME});
    input.outcome = outcome.value_or(Outcome::Granted);
    auto amounts = parse_amounts(*body, found->call, application_id, "amount.", "");
    typing.insert(typing.end(), amounts.errors.begin(), amounts.errors.end());
    input.amounts = std::move(amounts.amounts);
    input.conditions = form_text(*body, "conditions");
    input.reasons = form_text(*body, "reasons");
    Result<Id> decided =
        typing.empty()
            ? service.decide(actor_of(request), input)
            : Result<Id>(tl::unexpected(Error::invalid(message::CHECK_FIELDS, std::move(typing))));
    if (!decided) {
        if (!shown_on_page(decided.error()))
            return refuse(request, decided.error());
        return recommendation_page(service, view, request, &typed, &decided.error(),
                                   form_status(decided.error()));
    }
    return http::Response::redirect("/decisions/" + std::to_string(id) + "?done=decided");
}

// --- The letter --------------------------------------------------------------------------

http::Response letter_page(DecisionsService& service, applications::ApplicationsService& apps,
                           const web::View& view, http::Request& request) {
    if (!request.context.principal)
        return redirect_to_login(request);
    const Id id = path_id(request, "id");
    auto found = service.decision(actor_of(request), id);
    std::optional<DecisionView> shown;
    if (found) {
        shown = std::move(*found);
    } else if (found.error().kind == ErrorKind::Forbidden ||
               found.error().kind == ErrorKind::NotFound) {
        // The applicant: whoever may see the application may read its letter.
        auto decision = service.decision_by_id_unchecked(id);
        if (!decision || !apps.get(actor_of(request), decision->decision.application_id))
            return refuse(request, found.error());
        shown = std::move(*decision);
    } else {
        return refuse(request, found.error());
    }
    if (!shown->letter)
        return refuse(request, Error::not_found());
    Translate tr{view, request};
    Data data;
    data.set("reference", shown->decision.application_reference);
    data.set("self_href", "/letters/" + std::to_string(id));
    data.set("heading", fill(tr("Decision letter {reference}"),
                             {{"reference", shown->decision.application_reference}}));
    data.set("application_href", "/applications/" + std::to_string(shown->decision.application_id));
    // The stored letter is HTML we produced ourselves, every value escaped
    // when it was rendered (decisions/letter.cpp); it is shown exactly as sent.
    data.set("letter_html", shown->letter->html);
    data.set("sha256", shown->letter->sha256);
    data.set("sent", datetime_text(shown->letter->created_at, request.context.lang));
    return view.page(request, "decisions/letter", "Decision letter", std::move(data));
}

} // namespace

void register_decisions_routes(http::Router& router, DecisionsRoutesDeps deps) {
    auto decisions = deps.decisions;
    auto applications = deps.applications;
    auto view = deps.view;
    using http::Method;
    auto bind = [decisions, view](auto handler) {
        return [decisions, view, handler](http::Request& request) {
            return handler(*decisions, *view, request);
        };
    };
    auto allocation = deps.allocation;
    router.add(Method::Get, "/calls/{id:int}/manage/decisions",
               [decisions, allocation, view](http::Request& request) {
                   return call_page(*decisions, allocation.get(), *view, request, nullptr, nullptr,
                                    nullptr, 200);
               });
    router.add(Method::Post, "/calls/{id:int}/manage/decisions", bind(recommend));
    router.add(Method::Post, "/calls/{id:int}/manage/decisions/{decision:int}/external-answer",
               bind(external_answer));
    router.add(Method::Get, "/decisions", bind(waiting_page));
    router.add(Method::Get, "/decisions/{id:int}", [decisions, view](http::Request& request) {
        return recommendation_page(*decisions, *view, request, nullptr, nullptr, 200);
    });
    router.add(Method::Post, "/decisions/{id:int}/approve", bind(approve));
    router.add(Method::Post, "/decisions/{id:int}/reject", bind(reject));
    router.add(Method::Post, "/decisions/{id:int}/applications/{application:int}",
               bind(decide_one));
    router.add(Method::Get, "/letters/{id:int}",
               [decisions, applications, view](http::Request& request) {
                   return letter_page(*decisions, *applications, *view, request);
               });
}

} // namespace spire::decisions
