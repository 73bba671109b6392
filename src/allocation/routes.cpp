#include "allocation/routes.hpp"

#include "calls/manage_tabs.hpp"
#include "core/text.hpp"
#include "identity/web.hpp"
#include "web/format.hpp"
#include "web/pages.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace spire::allocation {

namespace {

using calls::manage_href;
using identity::actor_of;
using web::Data;
using web::fill;
using web::make_list;
using web::Translate;

constexpr std::pair<std::string_view, std::string_view> NOTICES[] = {
    {"created", "The scenario is saved."},
    {"seed", "The seed is published. The lottery can now be drawn."},
    {"drawn", "The lottery is drawn and recorded."},
};

std::string allocation_href(Id call_id) {
    return manage_href(call_id) + "/allocation";
}

std::string scenario_href(Id call_id, Id scenario_id) {
    return allocation_href(call_id) + "/" + std::to_string(scenario_id);
}

Id path_id(const http::Request& request, std::string_view name) {
    return request.param_int(name).value_or(0);
}

// Numbers as the page's language writes them: "4,25" in Norwegian.
std::string decimal(double value, int decimals, const std::string& lang) {
    char buffer[64];
    auto end =
        std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, decimals)
            .ptr;
    std::string text(buffer, end);
    if (text.starts_with("-") && text.find_first_not_of("-0.") == std::string::npos)
        text.erase(0, 1);
    if (lang != "en")
        std::replace(text.begin(), text.end(), '.', ',');
    return text;
}

std::string datetime_text(const std::optional<std::string>& db_time, const std::string& lang) {
    if (!db_time)
        return {};
    auto when = from_db_time(*db_time);
    return when ? web::format_datetime(*when, lang) : *db_time;
}

// The call's frame shared by every allocation page: breadcrumbs and tabs.
void add_frame(Data& data, const Translate& tr, const calls::Call& call) {
    data.set("call_title", call.title);
    data.set("fund_name", call.fund_name);
    data.set("fund_href", "/funds/" + std::to_string(call.fund_id));
    data.set("fund_calls_href", "/funds/" + std::to_string(call.fund_id) + "/calls");
    data.set("manage_href", manage_href(call.id));
    data.set("allocation_href", allocation_href(call.id));
    data.set("tabs", calls::manage_tabs(tr, call.id, "allocation"));
}

std::string settings_summary(const Translate& tr, const ScenarioSettings& settings,
                             const std::map<std::string, std::string>& programme_names,
                             const std::map<Id, std::string>& call_titles) {
    std::vector<std::string> parts;
    if (!settings.extra_calls.empty()) {
        std::string titles;
        for (Id id : settings.extra_calls) {
            auto found = call_titles.find(id);
            titles += (titles.empty() ? "" : ", ") +
                      (found != call_titles.end() ? found->second : std::to_string(id));
        }
        parts.push_back(fill(tr("also the calls {titles}"), {{"titles", titles}}));
    }
    parts.push_back(settings.value == ValueKind::Quality ? tr("Value: calibrated quality")
                                                         : tr("Value: quality × amount"));
    if (settings.partial_min_percent)
        parts.push_back(fill(tr("partial funding from {percent} %"),
                             {{"percent", std::to_string(*settings.partial_min_percent)}}));
    else
        parts.push_back(tr("whole requests only"));
    if (settings.max_grants_per_unit)
        parts.push_back(fill(tr("at most {count} grants per unit"),
                             {{"count", std::to_string(*settings.max_grants_per_unit)}}));
    for (const auto& limit : settings.share_limits) {
        std::string group = limit.name;
        if (limit.target == ShareTarget::Programme) {
            auto found = programme_names.find(limit.name);
            group = found != programme_names.end() ? found->second : limit.name;
        } else {
            group = fill(tr("theme {theme}"), {{"theme", limit.name}});
        }
        std::string bounds;
        if (limit.min_percent)
            bounds +=
                fill(tr("at least {percent} %"), {{"percent", std::to_string(*limit.min_percent)}});
        if (limit.max_percent)
            bounds +=
                (bounds.empty() ? "" : ", ") +
                fill(tr("at most {percent} %"), {{"percent", std::to_string(*limit.max_percent)}});
        parts.push_back(group + ": " + bounds);
    }
    if (!settings.locks.empty())
        parts.push_back(
            fill(tr("{count} locked"), {{"count", std::to_string(settings.locks.size())}}));
    std::string text;
    for (const auto& part : parts)
        text += (text.empty() ? "" : "; ") + part;
    return text;
}

// --- The list ------------------------------------------------------------------------

http::Response show_list(AllocationService& service, const web::View& view,
                         http::Request& request) {
    if (!request.context.principal)
        return web::redirect_to_login(request);
    const Id call_id = path_id(request, "id");
    auto list = service.scenarios(actor_of(request), call_id);
    if (!list)
        return web::refuse(request, list.error());
    Translate tr{view, request};
    const std::string& lang = request.context.lang;
    Data data;
    add_frame(data, tr, list->call);
    if (auto notice = web::notice_for(request, tr, NOTICES); !notice.empty())
        data.set("notice", notice);
    data.set("may_manage", list->may_manage);
    data.set("new_href", allocation_href(call_id) + "/new");
    Data rows = make_list();
    for (const auto& scenario : list->scenarios) {
        Data row;
        row.set("name", scenario.settings.name);
        // A scenario another call owns lives under that call.
        row.set("href", scenario_href(scenario.call_id, scenario.id));
        row.set("summary",
                settings_summary(tr, scenario.settings, list->programme_names, list->call_titles));
        if (scenario.call_id != call_id) {
            auto owner = list->call_titles.find(scenario.call_id);
            if (owner != list->call_titles.end())
                row.set("owner", fill(tr("From the call {title}"), {{"title", owner->second}}));
        }
        row.set("created", datetime_text(scenario.created_at, lang));
        row.set("created_by", scenario.created_by_name);
        row.set("lottery", !scenario.settings.extra_calls.empty() ? tr("Not for several calls")
                           : list->drawn.contains(scenario.id)    ? tr("Drawn")
                           : scenario.seed                        ? tr("Seed published")
                                                                  : tr("No seed"));
        rows.push_back(row);
    }
    data.set("scenarios", rows);
    data.set("has_scenarios", !list->scenarios.empty());
    return view.page(request, "allocation/scenarios", "Allocation", std::move(data));
}

// --- The form ------------------------------------------------------------------------

ScenarioTyped typed_from(const http::Form& form) {
    ScenarioTyped typed;
    typed.name = web::form_text(form, "name");
    typed.value_kind = web::form_text(form, "value_kind");
    typed.partial = form.has("partial");
    typed.partial_min_percent = web::form_text(form, "partial_min_percent");
    typed.max_grants_per_unit = web::form_text(form, "max_grants_per_unit");
    for (std::size_t i = 1; i <= SHARE_LIMIT_ROWS; ++i) {
        const std::string prefix = "share_" + std::to_string(i) + "_";
        typed.share_limits.push_back({web::form_text(form, prefix + "group"),
                                      web::form_text(form, prefix + "min"),
                                      web::form_text(form, prefix + "max")});
    }
    for (const auto& [name, value] : form.fields()) {
        if (!name.starts_with("lock_"))
            continue;
        if (auto id = parse_digits(std::string_view(name).substr(5)))
            typed.locks[*id] = value;
    }
    for (const auto& [name, value] : form.fields()) {
        if (name == "calls")
            typed.calls.push_back(value);
    }
    return typed;
}

// The form's errors by field, and the summary at the top linking to each
// input (an input's id is its field name with '-' for '_').
std::map<std::string, std::string> field_errors(Data& data, const Translate& tr,
                                                const Error* error) {
    std::map<std::string, std::string> errors;
    if (!error)
        return errors;
    if (error->fields.empty()) {
        data.set("alert", tr(error->message));
        return errors;
    }
    Data items = make_list();
    for (const auto& field : error->fields) {
        std::string input = field.field;
        std::replace(input.begin(), input.end(), '_', '-');
        Data item;
        item.set("message", tr(field.message));
        item.set("href", "#" + input);
        item.set("has_href", true);
        items.push_back(item);
        errors.emplace(field.field, tr(field.message));
    }
    data.set("has_errors", true);
    data.set("errors", items);
    return errors;
}

ScenarioTyped default_typed() {
    ScenarioTyped typed;
    typed.value_kind = std::string(value_kind_key(ValueKind::Quality));
    typed.partial_min_percent = "50";
    typed.share_limits.resize(SHARE_LIMIT_ROWS);
    return typed;
}

http::Response form_page(AllocationService& service, const web::View& view, http::Request& request,
                         const ScenarioTyped& typed, const Error* error, int status) {
    if (!request.context.principal)
        return web::redirect_to_login(request);
    const Id call_id = path_id(request, "id");
    auto form = service.new_scenario(actor_of(request), call_id);
    if (!form)
        return web::refuse(request, form.error());
    Translate tr{view, request};
    const std::string& lang = request.context.lang;
    Data data;
    add_frame(data, tr, form->call);
    data.set("action", allocation_href(call_id));
    const auto errors = field_errors(data, tr, error);
    auto error_of = [&](const std::string& field, Data& into, const std::string& name) {
        if (auto found = errors.find(field); found != errors.end())
            into.set(name, found->second);
    };
    error_of("name", data, "error_name");
    error_of("value_kind", data, "error_value_kind");
    error_of("partial_min_percent", data, "error_partial_min_percent");
    error_of("max_grants_per_unit", data, "error_max_grants_per_unit");
    data.set("v_name", typed.name);
    Data kinds = make_list();
    for (auto kind : {ValueKind::Quality, ValueKind::QualityAmount}) {
        Data item;
        item.set("value", std::string(value_kind_key(kind)));
        item.set("id", "value-kind-" + std::string(value_kind_key(kind)));
        item.set("label", tr(kind == ValueKind::Quality ? "Calibrated quality"
                                                        : "Quality × amount (per 1 000 kr)"));
        item.set("checked", typed.value_kind == value_kind_key(kind));
        kinds.push_back(item);
    }
    data.set("value_kinds", kinds);
    data.set("partial", typed.partial);
    data.set("v_partial_min_percent", typed.partial_min_percent);
    data.set("v_max_grants_per_unit", typed.max_grants_per_unit);

    Data limits = make_list();
    for (std::size_t i = 0; i < SHARE_LIMIT_ROWS; ++i) {
        const ShareLimitTyped row =
            i < typed.share_limits.size() ? typed.share_limits[i] : ShareLimitTyped{};
        const std::string n = std::to_string(i + 1);
        Data item;
        item.set("n", n);
        item.set("legend", fill(tr("Share limit {n}"), {{"n", n}}));
        Data groups = make_list();
        groups.push_back(web::option("", tr("No limit"), row.group.empty()));
        for (const auto& [id, name] : form->inputs.programmes) {
            std::string value = "programme:" + std::to_string(id);
            groups.push_back(web::option(value, fill(tr("Programme: {name}"), {{"name", name}}),
                                         row.group == value));
        }
        for (const auto& theme : form->inputs.themes) {
            std::string value = "theme:" + theme;
            groups.push_back(web::option(value, fill(tr("Theme: {name}"), {{"name", theme}}),
                                         row.group == value));
        }
        item.set("groups", groups);
        item.set("v_min", row.min_percent);
        item.set("v_max", row.max_percent);
        error_of("share_" + n + "_group", item, "error_group");
        error_of("share_" + n + "_min", item, "error_min");
        error_of("share_" + n + "_max", item, "error_max");
        limits.push_back(item);
    }
    data.set("share_limits", limits);

    Data other_calls = make_list();
    for (const auto& other : form->other_calls) {
        const std::string id = std::to_string(other.id);
        Data item;
        item.set("value", id);
        item.set("id", "calls-" + id);
        item.set("label", other.title);
        item.set("checked",
                 std::find(typed.calls.begin(), typed.calls.end(), id) != typed.calls.end());
        other_calls.push_back(item);
    }
    data.set("other_calls", other_calls);
    data.set("has_other_calls", !form->other_calls.empty());
    error_of("calls", data, "error_calls");

    Data candidates = make_list();
    for (const auto& candidate : form->inputs.candidates) {
        Data item;
        const std::string id = std::to_string(candidate.application_id);
        item.set("id", id);
        item.set("reference", candidate.reference);
        item.set("title", candidate.title);
        item.set("rank", decimal(candidate.expected_rank, 1, lang));
        item.set("requested", web::format_money(candidate.requested_ore));
        item.set("below_threshold", !candidate.threshold_failures.empty());
        auto chosen = typed.locks.find(candidate.application_id);
        const std::string lock = chosen != typed.locks.end() ? chosen->second : "free";
        Data options = make_list();
        options.push_back(web::option("free", tr("Free"), lock == "free"));
        if (candidate.threshold_failures.empty() || lock == "yes")
            options.push_back(web::option("yes", tr("Fund"), lock == "yes"));
        options.push_back(web::option("no", tr("Do not fund"), lock == "no"));
        item.set("options", options);
        item.set("lock_label",
                 fill(tr("Lock for {reference}"), {{"reference", candidate.reference}}));
        error_of("lock_" + id, item, "error");
        candidates.push_back(item);
    }
    data.set("candidates", candidates);
    data.set("has_candidates", !form->inputs.candidates.empty());
    return view.page(request, "allocation/new_scenario", "New scenario", std::move(data), status);
}

http::Response show_form(AllocationService& service, const web::View& view,
                         http::Request& request) {
    return form_page(service, view, request, default_typed(), nullptr, 200);
}

std::optional<http::Response> parse_body(http::Request& request, std::optional<http::Form>& out) {
    auto form = http::parse_form(request.header("Content-Type"), request.body);
    if (!form)
        return web::refuse(request, form.error());
    out = std::move(*form);
    return std::nullopt;
}

http::Response create(AllocationService& service, const web::View& view, http::Request& request) {
    if (!request.context.principal)
        return web::redirect_to_login(request);
    std::optional<http::Form> body;
    if (auto refused = parse_body(request, body))
        return std::move(*refused);
    const ScenarioTyped typed = typed_from(*body);
    const Id call_id = path_id(request, "id");
    auto created = service.create_scenario(actor_of(request), call_id, typed);
    if (!created) {
        if (!web::shown_on_page(created.error()))
            return web::refuse(request, created.error());
        return form_page(service, view, request, typed, &created.error(),
                         web::form_status(created.error()));
    }
    return http::Response::redirect(scenario_href(call_id, *created) + "?done=created");
}

// --- The scenario ----------------------------------------------------------------------

struct Column {
    Method method;
    std::string_view msgid;
    const AllocationRun* run = nullptr; // none: not run
};

std::string cell_label(const Cell& cell, const CallInputs& inputs) {
    auto found = inputs.programme_names.find(cell.programme);
    return std::to_string(cell.year) + " · " +
           (found != inputs.programme_names.end() ? found->second : cell.programme);
}

// "budget 2018/12", "share_min programme 12", "unit 34" ... in words.
std::string constraint_text(const Translate& tr, std::string_view text, const CallInputs& inputs) {
    auto group_text = [&](std::string_view group) -> std::string {
        if (group.starts_with("programme ")) {
            auto found = inputs.programme_names.find(std::string(group.substr(10)));
            return fill(tr("programme {name}"),
                        {{"name", found != inputs.programme_names.end() ? found->second
                                                                        : std::string(group)}});
        }
        if (group.starts_with("theme "))
            return fill(tr("theme {theme}"), {{"theme", std::string(group.substr(6))}});
        return std::string(group);
    };
    if (text.starts_with("budget ")) {
        std::string_view name = text.substr(7);
        auto slash = name.find('/');
        if (slash != std::string_view::npos) {
            Cell cell{static_cast<int>(parse_digits(name.substr(0, slash)).value_or(0)),
                      std::string(name.substr(slash + 1))};
            return fill(tr("the budget for {cell}"), {{"cell", cell_label(cell, inputs)}});
        }
    }
    if (text == "max_grants_per_unit")
        return tr("the cap on grants per unit");
    if (text.starts_with("share_min "))
        return fill(tr("the minimum share for {group}"), {{"group", group_text(text.substr(10))}});
    if (text.starts_with("share_max "))
        return fill(tr("the maximum share for {group}"), {{"group", group_text(text.substr(10))}});
    return std::string(text);
}

std::string binding_text(const Translate& tr, const BindingConstraint& binding,
                         const CallInputs& inputs) {
    if (binding.kind == "budget")
        return constraint_text(tr, "budget " + binding.name, inputs);
    if (binding.kind == "unit_cap") {
        std::string unit =
            binding.name.starts_with("unit ") ? binding.name.substr(5) : binding.name;
        for (const auto& candidate : inputs.candidates) {
            if (std::to_string(candidate.unit_id) == unit)
                return fill(tr("the cap on grants for {unit}"), {{"unit", candidate.unit_name}});
        }
    }
    return constraint_text(tr, binding.kind + " " + binding.name, inputs);
}

std::string status_text(const Translate& tr, SolveStatus status) {
    switch (status) {
    case SolveStatus::Optimal:
        return tr("Proven optimal");
    case SolveStatus::Feasible:
        return tr("Good solution, not proven optimal");
    case SolveStatus::TimeLimit:
        return tr("Stopped at the time limit");
    case SolveStatus::NoSolution:
        return tr("No solution within the time limit");
    case SolveStatus::Infeasible:
        return tr("No portfolio meets the constraints");
    }
    return {};
}

Data method_summary(const Translate& tr, const Column& column, const CallInputs& inputs,
                    const std::string& lang) {
    Data item;
    item.set("label", tr(column.msgid));
    item.set("key", std::string(method_key(column.method)));
    const auto& allocation = column.run->allocation;
    // The payline and the lottery are rules, not searches: "optimal" would
    // claim too much. Their status only matters when they cannot run.
    if (column.method == Method::Optimal || allocation.status == SolveStatus::Infeasible)
        item.set("status", status_text(tr, allocation.status));
    const bool infeasible = allocation.status == SolveStatus::Infeasible ||
                            allocation.status == SolveStatus::NoSolution;
    item.set("infeasible", infeasible);
    if (infeasible) {
        std::string culprits;
        for (const auto& culprit : allocation.culprits)
            culprits += (culprits.empty() ? "" : ", ") + constraint_text(tr, culprit, inputs);
        item.set("reason", culprits.empty()
                               ? tr("No portfolio was found.")
                               : fill(tr("No portfolio meets every constraint. The binding "
                                         "constraint: {constraints}."),
                                      {{"constraints", culprits}}));
    }
    if (!allocation.message.empty())
        item.set("message", allocation.message);
    item.set("grants", std::to_string(allocation.grants.size()));
    item.set("money", web::format_money(allocation.total()));
    item.set("value", decimal(allocation.objective, 2, lang));
    if (column.method == Method::Optimal && !infeasible) {
        if (allocation.proven_gap)
            item.set("gap", decimal(*allocation.proven_gap * 100, 3, lang) + " %");
        item.set("seconds", decimal(allocation.solve_seconds, 3, lang) + " s");
    }
    Data binding = make_list();
    for (const auto& constraint : allocation.binding) {
        Data b;
        b.set("text", binding_text(tr, constraint, inputs));
        binding.push_back(b);
    }
    item.set("binding", binding);
    item.set("has_binding", !allocation.binding.empty());
    return item;
}

Data comparison_rows(const Translate& tr, const std::vector<Column>& columns,
                     const CallInputs& inputs, const ScenarioSettings& settings,
                     const std::optional<LotteryRecord>& record, const std::string& lang,
                     Data& differing) {
    Data rows = make_list();
    differing = make_list();
    std::set<std::string> members, winners;
    if (record) {
        for (const auto& member : record->members)
            members.insert(member.id);
        winners.insert(record->winners.begin(), record->winners.end());
    }
    for (const auto& candidate : inputs.candidates) {
        const std::string id = std::to_string(candidate.application_id);
        Data row;
        row.set("rank", decimal(candidate.expected_rank, 1, lang));
        row.set("interval", candidate.rank_low == candidate.rank_high
                                ? std::to_string(candidate.rank_low)
                                : std::to_string(candidate.rank_low) + "–" +
                                      std::to_string(candidate.rank_high));
        row.set("reference", candidate.reference);
        row.set("title", candidate.title);
        row.set("href", "/applications/" + id);
        if (inputs.several_calls()) {
            for (const auto& call : inputs.calls) {
                if (call.id == candidate.call_id)
                    row.set("call_title", call.title);
            }
        }
        row.set("requested", web::format_money(candidate.requested_ore));
        row.set("below_threshold", !candidate.threshold_failures.empty());
        if (auto lock = settings.locks.find(candidate.application_id); lock != settings.locks.end())
            row.set("lock",
                    lock->second == Lock::Yes ? tr("Locked: fund") : tr("Locked: do not fund"));
        Data cells = make_list();
        std::set<Ore> amounts;
        for (const auto& column : columns) {
            Data cell;
            cell.set("pending", column.run == nullptr);
            const Grant* grant = column.run ? column.run->allocation.find(id) : nullptr;
            cell.set("funded", grant != nullptr);
            if (grant)
                cell.set("amount", web::format_money(grant->total()));
            if (column.method == Method::Lottery && members.contains(id))
                cell.set("lottery_note",
                         winners.contains(id) ? tr("won the draw") : tr("in the draw"));
            cells.push_back(cell);
            if (column.run)
                amounts.insert(grant ? grant->total() : 0);
        }
        row.set("cells", cells);
        const bool differs = amounts.size() > 1;
        row.set("differs", differs);
        rows.push_back(row);
        if (differs)
            differing.push_back(row);
    }
    return rows;
}

Data money_rows(const std::vector<Column>& columns, const CallInputs& inputs,
                const Scenario& scenario) {
    Data rows = make_list();
    std::map<Cell, std::vector<Ore>> used;
    for (std::size_t c = 0; c < columns.size(); ++c) {
        if (!columns[c].run)
            continue;
        for (const auto& grant : columns[c].run->allocation.grants) {
            for (const auto& amount : grant.amounts) {
                auto& cell = used[amount.cell];
                cell.resize(columns.size());
                cell[c] += amount.amount;
            }
        }
    }
    std::vector<Ore> totals(columns.size());
    Ore available_total = 0;
    for (const auto& budget : scenario.budgets) {
        auto found = used.find(budget.cell);
        if (budget.amount == 0 && found == used.end())
            continue;
        Data row;
        row.set("cell", cell_label(budget.cell, inputs));
        row.set("available", web::format_money(budget.amount));
        available_total += budget.amount;
        Data cells = make_list();
        for (std::size_t c = 0; c < columns.size(); ++c) {
            Data cell;
            Ore amount = found != used.end() && c < found->second.size() ? found->second[c] : 0;
            totals[c] += amount;
            cell.set("used", columns[c].run ? web::format_money(amount) : std::string("–"));
            cells.push_back(cell);
        }
        row.set("cells", cells);
        rows.push_back(row);
    }
    Data total;
    total.set("cell", "");
    total.set("available", web::format_money(available_total));
    Data cells = make_list();
    for (std::size_t c = 0; c < columns.size(); ++c) {
        Data cell;
        cell.set("used", columns[c].run ? web::format_money(totals[c]) : std::string("–"));
        cells.push_back(cell);
    }
    total.set("cells", cells);
    total.set("total", true);
    rows.push_back(total);
    return rows;
}

http::Response scenario_page(AllocationService& service, const web::View& view,
                             http::Request& request, const std::string& typed_seed,
                             const Error* error, int status) {
    if (!request.context.principal)
        return web::redirect_to_login(request);
    const Id call_id = path_id(request, "id");
    const Id scenario_id = path_id(request, "scenario");
    auto page = service.scenario(actor_of(request), call_id, scenario_id);
    if (!page)
        return web::refuse(request, page.error());
    Translate tr{view, request};
    const std::string& lang = request.context.lang;
    Data data;
    add_frame(data, tr, page->call);
    const auto& scenario = page->scenario;
    data.set("scenario_name", scenario.settings.name);
    data.set("scenario_href", scenario_href(call_id, scenario_id));
    if (auto notice = web::notice_for(request, tr, NOTICES); !notice.empty())
        data.set("notice", notice);
    if (error)
        web::add_error(data, tr, *error, {{"seed", "seed"}});
    std::map<Id, std::string> call_titles;
    for (const auto& call : page->inputs.calls)
        call_titles[call.id] = call.title;
    data.set("summary",
             settings_summary(tr, scenario.settings, page->inputs.programme_names, call_titles));
    // Several calls: no lottery (allocation/service.hpp), and each
    // application's call is shown.
    const bool several_calls = page->inputs.several_calls();
    data.set("several_calls", several_calls);
    if (several_calls)
        data.set("lottery_refused", tr(message::LOTTERY_ONE_CALL));
    data.set("created", fill(tr("Made by {name} on {date}."),
                             {{"name", scenario.created_by_name},
                              {"date", datetime_text(scenario.created_at, lang)}}));
    data.set("may_manage", page->may_manage);
    data.set("has_candidates", !page->inputs.candidates.empty());
    data.set("candidate_count", std::to_string(page->inputs.candidates.size()));

    Data left_out = make_list();
    for (const auto& left : page->inputs.left_out) {
        Data item;
        item.set("reference", left.reference);
        item.set("title", left.title);
        item.set("reason", tr(left.reason));
        left_out.push_back(item);
    }
    data.set("left_out", left_out);
    data.set("has_left_out", !page->inputs.left_out.empty());

    // Failing validation means the call's data cannot make a scenario; the
    // page says so rather than showing half a comparison.
    if (!page->optimal || !page->payline) {
        data.set("invalid", tr(message::SCENARIO_INVALID));
        return view.page(request, "allocation/scenario", "Allocation scenario", std::move(data),
                         status);
    }
    std::vector<Column> columns = {{Method::Optimal, "Optimal portfolio", &*page->optimal},
                                   {Method::Payline, "Payline", &*page->payline}};
    if (!several_calls)
        columns.push_back({Method::Lottery, "Grey-zone lottery", nullptr});
    if (!several_calls && page->lottery && *page->lottery)
        columns[2].run = &**page->lottery;
    Data headers = make_list();
    Data summaries = make_list();
    for (const auto& column : columns) {
        Data header;
        header.set("label", tr(column.msgid));
        headers.push_back(header);
        if (column.run)
            summaries.push_back(method_summary(tr, column, page->inputs, lang));
    }
    data.set("columns", headers);
    data.set("summaries", summaries);
    Data differing;
    data.set("rows", comparison_rows(tr, columns, page->inputs, scenario.settings, page->record,
                                     lang, differing));
    data.set("differing", differing);
    data.set("has_differing", differing.is_non_empty_list());
    data.set("money_rows", money_rows(columns, page->inputs,
                                      build_scenario(page->inputs, scenario.settings,
                                                     Method::Payline, scenario.seed)));

    // The lottery: the seed first, then the draw, then how to verify it.
    data.set("seed_action", scenario_href(call_id, scenario_id) + "/seed");
    data.set("draw_action", scenario_href(call_id, scenario_id) + "/draw");
    data.set("v_seed", typed_seed);
    if (scenario.seed) {
        data.set("seed", *scenario.seed);
        data.set("seed_published",
                 fill(tr("Published {date}."),
                      {{"date", datetime_text(scenario.seed_published_at, lang)}}));
    }
    data.set("no_seed", !scenario.seed);
    data.set("can_draw", scenario.seed && !page->draw);
    if (page->draw) {
        data.set("drawn", fill(tr("Drawn by {name} on {date}."),
                               {{"name", page->draw->drawn_by_name},
                                {"date", datetime_text(page->draw->drawn_at, lang)}}));
        data.set("record_href", scenario_href(call_id, scenario_id) + "/lottery.json");
        if (page->record) {
            data.set("lottery_line", std::to_string(page->record->line_grants));
            data.set("lottery_slots", std::to_string(page->record->slots));
            data.set("lottery_members", std::to_string(page->record->members.size()));
            data.set("lottery_winners", std::to_string(page->record->winners.size()));
        }
        data.set("draw_changed", page->verification && !page->verification->matches);
    }
    // The methods a recommendation can start from: the lottery only once
    // its recorded draw still holds.
    data.set("recommend_action", manage_href(call_id) + "/decisions");
    data.set("scenario_id", std::to_string(scenario_id));
    Data recommend_methods = make_list();
    for (const auto& column : columns) {
        if (!column.run)
            continue;
        if (column.method == Method::Lottery &&
            (!page->verification || !page->verification->matches))
            continue;
        recommend_methods.push_back(web::option(std::string(method_key(column.method)),
                                                tr(column.msgid),
                                                column.method == Method::Optimal));
    }
    data.set("recommend_methods", recommend_methods);
    // Each call's recommendation is made on its own decisions page.
    Data recommend_calls = make_list();
    for (const auto& call : page->inputs.calls) {
        Data button;
        button.set("action", manage_href(call.id) + "/decisions");
        button.set("label",
                   page->inputs.several_calls()
                       ? fill(tr("Fill in the recommendation for {call}"), {{"call", call.title}})
                       : tr("Fill in the recommendation from this scenario"));
        recommend_calls.push_back(button);
    }
    data.set("recommend_calls", recommend_calls);
    for (auto method : {Method::Optimal, Method::Payline, Method::Lottery}) {
        const std::string key(method_key(method));
        data.set("export_" + key,
                 scenario_href(call_id, scenario_id) + "/scenario.json?method=" + key);
    }
    return view.page(request, "allocation/scenario", "Allocation scenario", std::move(data),
                     status);
}

http::Response show_scenario(AllocationService& service, const web::View& view,
                             http::Request& request) {
    return scenario_page(service, view, request, "", nullptr, 200);
}

http::Response publish_seed(AllocationService& service, const web::View& view,
                            http::Request& request) {
    if (!request.context.principal)
        return web::redirect_to_login(request);
    std::optional<http::Form> body;
    if (auto refused = parse_body(request, body))
        return std::move(*refused);
    const std::string seed = web::form_text(*body, "seed");
    const Id call_id = path_id(request, "id");
    const Id scenario_id = path_id(request, "scenario");
    auto published = service.publish_seed(actor_of(request), call_id, scenario_id, seed);
    if (!published) {
        if (!web::shown_on_page(published.error()))
            return web::refuse(request, published.error());
        return scenario_page(service, view, request, seed, &published.error(),
                             web::form_status(published.error()));
    }
    return http::Response::redirect(scenario_href(call_id, scenario_id) + "?done=seed#lottery");
}

http::Response draw(AllocationService& service, const web::View& view, http::Request& request) {
    if (!request.context.principal)
        return web::redirect_to_login(request);
    std::optional<http::Form> body;
    if (auto refused = parse_body(request, body))
        return std::move(*refused);
    std::optional<std::string> seed;
    if (body->has("seed"))
        seed = trim(web::form_text(*body, "seed"));
    const Id call_id = path_id(request, "id");
    const Id scenario_id = path_id(request, "scenario");
    auto drawn = service.draw(actor_of(request), call_id, scenario_id, seed);
    if (!drawn) {
        if (!web::shown_on_page(drawn.error()))
            return web::refuse(request, drawn.error());
        return scenario_page(service, view, request, "", &drawn.error(),
                             web::form_status(drawn.error()));
    }
    return http::Response::redirect(scenario_href(call_id, scenario_id) + "?done=drawn#lottery");
}

// --- Files -----------------------------------------------------------------------------

http::Response download(std::string body, std::string filename) {
    http::Response response;
    response.headers.set("Content-Type", "application/json");
    // DESIGN.md §7: downloads as attachments; ASCII names need no RFC 6266
    // filename*.
    response.headers.set("Content-Disposition", "attachment; filename=\"" + filename + "\"");
    response.headers.set("Cache-Control", "no-store");
    response.body = std::move(body);
    return response;
}

http::Response export_scenario(AllocationService& service, http::Request& request) {
    if (!request.context.principal)
        return web::redirect_to_login(request);
    const Id call_id = path_id(request, "id");
    const Id scenario_id = path_id(request, "scenario");
    auto method = parse_method(request.query_param("method").value_or("optimal"));
    if (!method)
        return web::refuse(request, Error::not_found());
    auto file = service.scenario_file(actor_of(request), call_id, scenario_id, *method);
    if (!file)
        return web::refuse(request, file.error());
    return download(std::move(*file), "scenario-" + std::to_string(scenario_id) + "-" +
                                          std::string(method_key(*method)) + ".json");
}

http::Response export_draw(AllocationService& service, http::Request& request) {
    if (!request.context.principal)
        return web::redirect_to_login(request);
    const Id call_id = path_id(request, "id");
    const Id scenario_id = path_id(request, "scenario");
    auto file = service.draw_record_file(actor_of(request), call_id, scenario_id);
    if (!file)
        return web::refuse(request, file.error());
    return download(std::move(*file), "lottery-" + std::to_string(scenario_id) + ".json");
}

} // namespace

void register_allocation_routes(http::Router& router, AllocationRoutesDeps deps) {
    auto service = deps.allocation;
    auto view = deps.view;
    const std::string base = "/calls/{id:int}/manage/allocation";
    const std::string one = base + "/{scenario:int}";
    router.get(base, [service, view](http::Request& request) {
        return show_list(*service, *view, request);
    });
    router.get(base + "/new", [service, view](http::Request& request) {
        return show_form(*service, *view, request);
    });
    router.post(
        base, [service, view](http::Request& request) { return create(*service, *view, request); });
    router.get(one, [service, view](http::Request& request) {
        return show_scenario(*service, *view, request);
    });
    router.post(one + "/seed", [service, view](http::Request& request) {
        return publish_seed(*service, *view, request);
    });
    router.post(one + "/draw",
                [service, view](http::Request& request) { return draw(*service, *view, request); });
    router.get(one + "/scenario.json",
               [service](http::Request& request) { return export_scenario(*service, request); });
    router.get(one + "/lottery.json",
               [service](http::Request& request) { return export_draw(*service, request); });
}

} // namespace spire::allocation
