#include "funds/routes.hpp"

#include "core/text.hpp"
#include "core/time.hpp"
#include "funds/budget_chart.hpp"
#include "funds/forms.hpp"
#include "funds/policy.hpp"
#include "http/form.hpp"
#include "identity/web.hpp"
#include "web/format.hpp"
#include "web/pages.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace spire::funds {

namespace {

using identity::actor_of;
using web::add_error;
using web::add_pagination;
using web::Data;
using web::FieldRef;
using web::fill;
using web::form_status;
using web::form_text;
using web::href_with;
using web::make_list;
using web::notice_for;
using web::option;
using web::redirect_to_login;
using web::refuse;
using web::shown_on_page;
using web::text_param;
using web::Translate;

// What ?done=... on a page after a successful POST says (msgids).
constexpr std::pair<std::string_view, std::string_view> FUND_NOTICES[] = {
    {"created", "The fund was created. Add its programmes next."},
    {"updated", "The fund was saved."},
};
constexpr std::pair<std::string_view, std::string_view> PROGRAMME_NOTICES[] = {
    {"created", "The programme was added."},
    {"updated", "The programme was saved."},
};
constexpr std::pair<std::string_view, std::string_view> BUDGET_NOTICES[] = {
    {"frame", "The frame was set."},
    {"carried", "Unused money was carried over to the next year."},
};
constexpr std::pair<std::string_view, std::string_view> LEDGER_NOTICES[] = {
    {"posted", "The posting was saved in the ledger."},
    {"reversed", "The entry was reversed."},
};

// The kinds a person posts by hand on the posting form (carry-over has its
// own action on the budget page).
constexpr EntryKind POSTABLE_KINDS[] = {EntryKind::Frame,  EntryKind::Transfer, EntryKind::Reserve,
                                        EntryKind::Commit, EntryKind::Disburse, EntryKind::Release};

// --- Small helpers ---------------------------------------------------------------

std::string fund_href(Id fund_id) {
    return "/funds/" + std::to_string(fund_id);
}

// Mustache shows a section for any string, even an empty one: set
// optional texts only when there is something to show.
void set_if_any(Data& data, const std::string& name, const std::string& text) {
    if (!text.empty())
        data.set(name, text);
}

std::string period_text(const Fund& fund) {
    return std::to_string(fund.first_year) + "–" + std::to_string(fund.last_year);
}

bool allowed(const identity::Principal& user, FundsAction action, const Fund& fund) {
    return static_cast<bool>(authorize(&user, action, {fund.organisation_id, fund.id}));
}

std::string datetime_text(const std::string& db_time, const std::string& lang) {
    auto when = from_db_time(db_time);
    return when ? web::format_datetime(*when, lang) : db_time;
}

const Programme* find_programme(const std::vector<Programme>& programmes, Id id) {
    auto it = std::find_if(programmes.begin(), programmes.end(),
                           [id](const Programme& programme) { return programme.id == id; });
    return it == programmes.end() ? nullptr : &*it;
}

// The fund's tabs (overview, budget, ledger, programmes), current one marked.
void add_fund_tabs(Data& data, const Translate& tr, const identity::Principal& user,
                   const Fund& fund, std::string_view current) {
    struct Tab {
        std::string_view key;
        std::string_view msgid;
        std::string href;
        bool shown;
    };
    const std::string base = fund_href(fund.id);
    const Tab tabs[] = {
        {"overview", "Overview", base, true},
        {"budget", "Budget", base + "/budget", allowed(user, FundsAction::ViewBudget, fund)},
        {"ledger", "Ledger", base + "/ledger", allowed(user, FundsAction::ViewLedger, fund)},
        {"programmes", "Programmes", base + "/programmes", true},
    };
    Data items = make_list();
    for (const auto& tab : tabs) {
        if (!tab.shown)
            continue;
        Data item;
        item.set("href", tab.href);
        item.set("label", tr(tab.msgid));
        item.set("current", tab.key == current);
        items.push_back(item);
    }
    data.set("tabs", items);
    data.set("fund_id", std::to_string(fund.id));
    data.set("fund_name", fund.name);
    data.set("fund_href", base);
}

// Options for a year select over the fund's period.
Data year_options(const Fund& fund, std::string_view selected, const std::string& empty_label) {
    Data options = make_list();
    if (!empty_label.empty())
        options.push_back(option("", empty_label, selected.empty()));
    for (int year = fund.first_year; year <= fund.last_year; ++year) {
        std::string value = std::to_string(year);
        options.push_back(option(value, value, value == selected));
    }
    return options;
}

// Options for a programme select; inactive programmes only when chosen or
// when listing (filters show the history too).
Data programme_options(const std::vector<Programme>& programmes, std::string_view selected,
                       const std::string& empty_label, bool include_inactive, const Translate& tr) {
    Data options = make_list();
    if (!empty_label.empty())
        options.push_back(option("", empty_label, selected.empty()));
    for (const auto& programme : programmes) {
        std::string value = std::to_string(programme.id);
        bool is_selected = value == selected;
        if (!programme.active && !include_inactive && !is_selected)
            continue;
        std::string label = programme.name;
        if (!programme.active)
            label += " (" + tr("closed") + ")";
        options.push_back(option(std::move(value), std::move(label), is_selected));
    }
    return options;
}

Data kind_options(std::span<const EntryKind> kinds, std::string_view selected,
                  const std::string& empty_label, const Translate& tr) {
    Data options = make_list();
    if (!empty_label.empty())
        options.push_back(option("", empty_label, selected.empty()));
    for (EntryKind kind : kinds) {
        std::string value(entry_kind_key(kind));
        options.push_back(option(value, tr(entry_kind_label(kind)), value == selected));
    }
    return options;
}

Data reference_type_options(std::string_view selected, const Translate& tr) {
    Data options = make_list();
    options.push_back(option("", tr("None"), selected.empty()));
    for (ReferenceType type :
         {ReferenceType::Application, ReferenceType::Project, ReferenceType::Contract}) {
        std::string value(reference_type_key(type));
        options.push_back(option(value, tr(reference_type_label(type)), value == selected));
    }
    return options;
}

// Loads the fund for a page, or the answer to give instead.
struct Loaded {
    const identity::Principal* user = nullptr;
    std::optional<FundDetail> detail;
    std::optional<http::Response> refusal;
};

Loaded load_fund(FundsService& service, http::Request& request, Id fund_id) {
    Loaded loaded;
    loaded.user = request.context.principal.get();
    if (!loaded.user) {
        loaded.refusal = redirect_to_login(request);
        return loaded;
    }
    auto detail = service.fund(actor_of(request), fund_id);
    if (!detail) {
        loaded.refusal = refuse(request, detail.error());
        return loaded;
    }
    loaded.detail = std::move(*detail);
    return loaded;
}

// The refusal when the user may not do `action` with the loaded fund. POST
// handlers ask before reading the form, so that someone without access
// learns nothing from validation messages.
std::optional<http::Response> refusal_for(http::Request& request, const Loaded& loaded,
                                          FundsAction action) {
    const Fund& fund = loaded.detail->fund;
    Decision decision = authorize(loaded.user, action, {fund.organisation_id, fund.id});
    if (!decision)
        return refuse(request, decision.to_error());
    return std::nullopt;
}

// A {name:int} path parameter; 0 (no such id) when out of range.
Id path_id(const http::Request& request, std::string_view name) {
    return request.param_int(name).value_or(0);
}

// What every POST on a fund does first: finds the fund (404 for another
// organisation's), asks for the permission before reading the form (so that
// someone without access learns nothing from validation messages), and
// parses the form; then `handle(loaded, form)` does the work.
template <class Handle>
http::Response fund_post(FundsService& service, http::Request& request, FundsAction action,
                         Handle&& handle) {
    Loaded loaded = load_fund(service, request, path_id(request, "id"));
    if (loaded.refusal)
        return std::move(*loaded.refusal);
    if (auto refused = refusal_for(request, loaded, action))
        return std::move(*refused);
    auto form = http::parse_form(request.header("Content-Type"), request.body);
    if (!form)
        return refuse(request, form.error());
    return handle(static_cast<const Loaded&>(loaded), static_cast<const http::Form&>(*form));
}

// --- The list of funds -------------------------------------------------------------

http::Response show_funds(FundsService& service, const web::View& view, http::Request& request) {
    const identity::Principal* user = request.context.principal.get();
    if (!user)
        return redirect_to_login(request);
    auto funds = service.funds(actor_of(request), user->organisation_id);
    if (!funds)
        return refuse(request, funds.error());
    Data data;
    Data rows = make_list();
    for (const auto& fund : *funds) {
        Data row;
        row.set("href", fund_href(fund.id));
        row.set("name", fund.name);
        row.set("period", period_text(fund));
        row.set("active", fund.active);
        rows.push_back(row);
    }
    data.set("funds", rows);
    data.set("has_funds", !funds->empty());
    data.set("can_create", static_cast<bool>(authorize(user, FundsAction::CreateFund,
                                                       {user->organisation_id, std::nullopt})));
    return view.page(request, "funds/funds", "Funds", std::move(data));
}

// --- A fund's settings --------------------------------------------------------------

http::Response fund_form(const web::View& view, const http::Request& request, const FundForm& form,
                         const Fund* fund, const Error* error, int status) {
    Translate tr{view, request};
    Data data;
    data.set("name", form.name);
    data.set("description", form.description);
    data.set("first_year", form.first_year);
    data.set("last_year", form.last_year);
    data.set("carry_over_allowed", checkbox_on(form.carry_over_allowed));
    data.set("active", checkbox_on(form.active));
    data.set("editing", fund != nullptr);
    data.set("action", fund ? fund_href(fund->id) + "/edit" : std::string("/funds"));
    data.set("cancel_href", fund ? fund_href(fund->id) : std::string("/funds"));
    if (fund) {
        data.set("fund_name", fund->name);
        data.set("fund_href", fund_href(fund->id));
    }
    if (error)
        add_error(data, tr, *error,
                  {{"name", "name"},
                   {"description", "description"},
                   {"first_year", "first_year"},
                   {"last_year", "last_year"}});
    return view.page(request, "funds/fund_form", fund ? "Fund settings" : "New fund",
                     std::move(data), status);
}

FundForm read_fund_form(const http::Form& form) {
    return FundForm{form_text(form, "name"),
                    form_text(form, "description"),
                    form_text(form, "first_year"),
                    form_text(form, "last_year"),
                    form_text(form, "carry_over_allowed"),
                    form_text(form, "active")};
}

http::Response show_new_fund(const web::View& view, http::Request& request) {
    const identity::Principal* user = request.context.principal.get();
    if (!user)
        return redirect_to_login(request);
    Decision decision =
        authorize(user, FundsAction::CreateFund, {user->organisation_id, std::nullopt});
    if (!decision)
        return refuse(request, decision.to_error());
    FundForm empty;
    empty.active = "1";
    return fund_form(view, request, empty, nullptr, nullptr, 200);
}

http::Response create_fund(FundsService& service, const web::View& view, http::Request& request) {
    const identity::Principal* user = request.context.principal.get();
    if (!user)
        return redirect_to_login(request);
    Decision decision =
        authorize(user, FundsAction::CreateFund, {user->organisation_id, std::nullopt});
    if (!decision)
        return refuse(request, decision.to_error());
    auto form = http::parse_form(request.header("Content-Type"), request.body);
    if (!form)
        return refuse(request, form.error());
    FundForm typed = read_fund_form(*form);
    typed.active = "1";
    auto input = parse_fund_form(typed, user->organisation_id);
    Result<Id> created = input ? service.create_fund(actor_of(request), *input)
                               : Result<Id>(Unexpected(input.error()));
    if (!created) {
        if (!shown_on_page(created.error()))
            return refuse(request, created.error());
        return fund_form(view, request, typed, nullptr, &created.error(),
                         form_status(created.error()));
    }
    return http::Response::redirect(fund_href(*created) + "?done=created");
}

FundForm form_of(const Fund& fund) {
    return FundForm{fund.name,
                    fund.description,
                    std::to_string(fund.first_year),
                    std::to_string(fund.last_year),
                    fund.carry_over_allowed ? "1" : "",
                    fund.active ? "1" : ""};
}

http::Response show_edit_fund(FundsService& service, const web::View& view,
                              http::Request& request) {
    Loaded loaded = load_fund(service, request, path_id(request, "id"));
    if (loaded.refusal)
        return std::move(*loaded.refusal);
    if (auto refused = refusal_for(request, loaded, FundsAction::ChangeFund))
        return std::move(*refused);
    const Fund& fund = loaded.detail->fund;
    return fund_form(view, request, form_of(fund), &fund, nullptr, 200);
}

http::Response update_fund(FundsService& service, const web::View& view, http::Request& request) {
    return fund_post(service, request, FundsAction::ChangeFund,
                     [&](const Loaded& loaded, const http::Form& form) {
                         const Fund& fund = loaded.detail->fund;
                         FundForm typed = read_fund_form(form);
                         auto input = parse_fund_form(typed, fund.organisation_id);
                         Result<void> saved =
                             input ? service.update_fund(actor_of(request), fund.id, *input)
                                   : Result<void>(Unexpected(input.error()));
                         if (!saved) {
                             if (!shown_on_page(saved.error()))
                                 return refuse(request, saved.error());
                             return fund_form(view, request, typed, &fund, &saved.error(),
                                              form_status(saved.error()));
                         }
                         return http::Response::redirect(fund_href(fund.id) + "?done=updated");
                     });
}

// --- Overview -----------------------------------------------------------------------

http::Response show_fund(FundsService& service, const web::View& view, http::Request& request) {
    Loaded loaded = load_fund(service, request, path_id(request, "id"));
    if (loaded.refusal)
        return std::move(*loaded.refusal);
    Translate tr{view, request};
    const FundDetail& detail = *loaded.detail;
    const Fund& fund = detail.fund;
    Data data;
    add_fund_tabs(data, tr, *loaded.user, fund, "overview");
    set_if_any(data, "notice", notice_for(request, tr, FUND_NOTICES));
    data.set("description", fund.description);
    data.set("has_description", !fund.description.empty());
    data.set("period", period_text(fund));
    data.set("carry_over_allowed", fund.carry_over_allowed);
    data.set("active", fund.active);
    data.set("can_change", allowed(*loaded.user, FundsAction::ChangeFund, fund));
    Data managers = make_list();
    for (const auto& manager : detail.managers) {
        Data item;
        item.set("name", manager.name);
        item.set("email", manager.email);
        managers.push_back(item);
    }
    data.set("managers", managers);
    data.set("has_managers", !detail.managers.empty());
    Data programmes = make_list();
    for (const auto& programme : detail.programmes) {
        Data item;
        item.set("name", programme.name);
        item.set("kind", tr(programme_kind_label(programme.kind)));
        item.set("active", programme.active);
        programmes.push_back(item);
    }
    data.set("programmes", programmes);
    data.set("has_programmes", !detail.programmes.empty());
    return view.page(request, "funds/fund", "Fund", std::move(data));
}

// --- Programmes -----------------------------------------------------------------------

ProgrammeForm form_of(const Programme& programme) {
    return ProgrammeForm{programme.name, programme.description,
                         std::string(programme_kind_key(programme.kind)),
                         programme.active ? "1" : "", std::to_string(programme.sort_order)};
}

ProgrammeForm read_programme_form(const http::Form& form) {
    return ProgrammeForm{form_text(form, "name"), form_text(form, "description"),
                         form_text(form, "kind"), form_text(form, "active"),
                         form_text(form, "sort_order")};
}

void add_programme_fields(Data& data, const Translate& tr, const ProgrammeForm& form) {
    data.set("name", form.name);
    data.set("description", form.description);
    data.set("sort_order", form.sort_order);
    data.set("active", checkbox_on(form.active));
    Data kinds = make_list();
    for (ProgrammeKind kind : ALL_PROGRAMME_KINDS) {
        std::string value(programme_kind_key(kind));
        kinds.push_back(option(value, tr(programme_kind_label(kind)), value == form.kind));
    }
    data.set("kind_options", kinds);
}

void add_programme_error(Data& data, const Translate& tr, const Error& error) {
    add_error(data, tr, error,
              {{"name", "name"},
               {"description", "description"},
               {"kind", "kind"},
               {"sort_order", "sort_order"}});
}

http::Response programmes_page(const web::View& view, http::Request& request,
                               const identity::Principal& user, const FundDetail& detail,
                               const ProgrammeForm& form, const Error* error, int status) {
    Translate tr{view, request};
    const Fund& fund = detail.fund;
    Data data;
    add_fund_tabs(data, tr, user, fund, "programmes");
    set_if_any(data, "notice", notice_for(request, tr, PROGRAMME_NOTICES));
    bool can_change = allowed(user, FundsAction::ChangeProgrammes, fund);
    data.set("can_change", can_change);
    Data rows = make_list();
    for (const auto& programme : detail.programmes) {
        Data row;
        row.set("name", programme.name);
        row.set("href", fund_href(fund.id) + "/programmes/" + std::to_string(programme.id));
        row.set("kind", tr(programme_kind_label(programme.kind)));
        row.set("description", programme.description);
        row.set("active", programme.active);
        rows.push_back(row);
    }
    data.set("programmes", rows);
    data.set("has_programmes", !detail.programmes.empty());
    add_programme_fields(data, tr, form);
    if (error)
        add_programme_error(data, tr, *error);
    return view.page(request, "funds/programmes", "Programmes", std::move(data), status);
}

http::Response show_programmes(FundsService& service, const web::View& view,
                               http::Request& request) {
    Loaded loaded = load_fund(service, request, path_id(request, "id"));
    if (loaded.refusal)
        return std::move(*loaded.refusal);
    ProgrammeForm empty;
    empty.kind = std::string(programme_kind_key(ProgrammeKind::Other));
    empty.active = "1";
    return programmes_page(view, request, *loaded.user, *loaded.detail, empty, nullptr, 200);
}

http::Response create_programme(FundsService& service, const web::View& view,
                                http::Request& request) {
    return fund_post(
        service, request, FundsAction::ChangeProgrammes,
        [&](const Loaded& loaded, const http::Form& form) {
            ProgrammeForm typed = read_programme_form(form);
            typed.active = "1";
            auto input = parse_programme_form(typed);
            Result<Id> created =
                input ? service.create_programme(actor_of(request), loaded.detail->fund.id, *input)
                      : Result<Id>(Unexpected(input.error()));
            if (!created) {
                if (!shown_on_page(created.error()))
                    return refuse(request, created.error());
                return programmes_page(view, request, *loaded.user, *loaded.detail, typed,
                                       &created.error(), form_status(created.error()));
            }
            return http::Response::redirect(fund_href(loaded.detail->fund.id) +
                                            "/programmes?done=created");
        });
}

http::Response programme_page(const web::View& view, http::Request& request,
                              const identity::Principal& user, const FundDetail& detail,
                              const Programme& programme, const ProgrammeForm& form,
                              const Error* error, int status) {
    Translate tr{view, request};
    Data data;
    add_fund_tabs(data, tr, user, detail.fund, "programmes");
    data.set("programme_id", std::to_string(programme.id));
    data.set("programme_name", programme.name);
    data.set("can_change", allowed(user, FundsAction::ChangeProgrammes, detail.fund));
    add_programme_fields(data, tr, form);
    if (error)
        add_programme_error(data, tr, *error);
    return view.page(request, "funds/programme", "Programme", std::move(data), status);
}

http::Response show_programme(FundsService& service, const web::View& view,
                              http::Request& request) {
    Loaded loaded = load_fund(service, request, path_id(request, "id"));
    if (loaded.refusal)
        return std::move(*loaded.refusal);
    const Programme* programme =
        find_programme(loaded.detail->programmes, path_id(request, "programme"));
    if (!programme)
        return http::Response::empty(404);
    return programme_page(view, request, *loaded.user, *loaded.detail, *programme,
                          form_of(*programme), nullptr, 200);
}

http::Response update_programme(FundsService& service, const web::View& view,
                                http::Request& request) {
    return fund_post(
        service, request, FundsAction::ChangeProgrammes,
        [&](const Loaded& loaded, const http::Form& form) {
            const Programme* programme =
                find_programme(loaded.detail->programmes, path_id(request, "programme"));
            if (!programme)
                return http::Response::empty(404);
            ProgrammeForm typed = read_programme_form(form);
            auto input = parse_programme_form(typed);
            Result<void> saved =
                input ? service.update_programme(actor_of(request), loaded.detail->fund.id,
                                                 programme->id, *input)
                      : Result<void>(Unexpected(input.error()));
            if (!saved) {
                if (!shown_on_page(saved.error()))
                    return refuse(request, saved.error());
                return programme_page(view, request, *loaded.user, *loaded.detail, *programme,
                                      typed, &saved.error(), form_status(saved.error()));
            }
            return http::Response::redirect(fund_href(loaded.detail->fund.id) +
                                            "/programmes?done=updated");
        });
}

// --- Budget -----------------------------------------------------------------------------

std::string ledger_href(Id fund_id, std::optional<int> year, std::optional<Id> programme_id,
                        std::optional<EntryKind> kind = std::nullopt) {
    return href_with(
        fund_href(fund_id) + "/ledger",
        {{"year", year ? std::to_string(*year) : std::string()},
         {"programme_id", programme_id ? std::to_string(*programme_id) : std::string()},
         {"kind", kind ? std::string(entry_kind_key(*kind)) : std::string()}});
}

// One row of a budget table; links drill down into the ledger.
Data budget_row(Id fund_id, const std::string& label, const CellBalance& balance,
                std::optional<int> year, std::optional<Id> programme_id, bool is_total) {
    Data row;
    row.set("label", label);
    row.set("is_total", is_total);
    row.set("href", ledger_href(fund_id, year, programme_id));
    row.set("frame", web::format_money(balance.frame));
    row.set("frame_href", ledger_href(fund_id, year, programme_id, EntryKind::Frame));
    row.set("moved", web::format_money(balance.transfers_net() + balance.carried_net()));
    row.set("moved_href", ledger_href(fund_id, year, programme_id, EntryKind::Transfer));
    row.set("reserved", web::format_money(balance.reserved()));
    row.set("reserved_href", ledger_href(fund_id, year, programme_id, EntryKind::Reserve));
    row.set("committed", web::format_money(balance.committed()));
    row.set("committed_href", ledger_href(fund_id, year, programme_id, EntryKind::Commit));
    row.set("disbursed", web::format_money(balance.disbursed));
    row.set("disbursed_href", ledger_href(fund_id, year, programme_id, EntryKind::Disburse));
    row.set("available", web::format_money(balance.available()));
    row.set("overdrawn", balance.available() < 0);
    return row;
}

// The frame and carry-over forms as typed, to show again after an error.
struct BudgetForms {
    FrameForm frame;
    std::string carry_year;
    std::string carry_programme_id;
    std::string carry_reason;
    const Error* frame_error = nullptr;
    const Error* carry_error = nullptr;
};

http::Response budget_page(FundsService& service, const web::View& view, http::Request& request,
                           const identity::Principal& user, const FundDetail& detail,
                           const BudgetForms& forms, int status) {
    auto summary = service.budget(actor_of(request), detail.fund.id);
    if (!summary)
        return refuse(request, summary.error());
    Translate tr{view, request};
    const Fund& fund = detail.fund;
    Data data;
    add_fund_tabs(data, tr, user, fund, "budget");
    set_if_any(data, "notice", notice_for(request, tr, BUDGET_NOTICES));
    // Decision makers see the budget but not the entries behind it.
    data.set("can_drill", allowed(user, FundsAction::ViewLedger, fund));

    Data years = make_list();
    for (int year : summary->years) {
        Data table;
        table.set("year", std::to_string(year));
        table.set("caption", fill(tr("Budget {year}"), {{"year", std::to_string(year)}}));
        Data rows = make_list();
        for (const auto& programme : summary->programmes)
            rows.push_back(budget_row(fund.id, programme.name, summary->cell(year, programme.id),
                                      year, programme.id, false));
        rows.push_back(
            budget_row(fund.id, tr("Total"), summary->year_total(year), year, std::nullopt, true));
        table.set("rows", rows);
        years.push_back(table);
    }
    data.set("years", years);
    Data totals = make_list();
    for (const auto& programme : summary->programmes)
        totals.push_back(budget_row(fund.id, programme.name, summary->programme_total(programme.id),
                                    std::nullopt, programme.id, false));
    totals.push_back(
        budget_row(fund.id, tr("Total"), summary->total(), std::nullopt, std::nullopt, true));
    data.set("totals", totals);
    data.set("totals_caption", fill(tr("All years {period}"), {{"period", period_text(fund)}}));
    data.set("has_programmes", !summary->programmes.empty());

    funds::ChartText chart_text{[&tr](std::string_view msgid) { return tr(msgid); },
                                [](Ore ore) { return web::format_money(ore); }, "budget-chart"};
    data.set("chart", budget_chart_svg(*summary, chart_text));

    // Fund managers' forms.
    bool can_post = allowed(user, FundsAction::Post, fund) && fund.active;
    data.set("can_post", can_post && !detail.programmes.empty());
    data.set("new_posting_href", fund_href(fund.id) + "/postings/new");
    std::string year_choice = tr("Choose a year");
    std::string programme_choice = tr("Choose a programme");
    data.set("frame_year_options", year_options(fund, forms.frame.year, year_choice));
    data.set("frame_programme_options",
             programme_options(detail.programmes, forms.frame.programme_id, programme_choice, false,
                               tr));
    data.set("frame_amount", forms.frame.amount);
    data.set("frame_reason", forms.frame.reason);
    data.set("frame_override", checkbox_on(forms.frame.override));
    data.set("frame_override_reason", forms.frame.override_reason);
    if (forms.frame_error) {
        Data errors;
        add_error(errors, tr, *forms.frame_error,
                  {{"year", "frame-year"},
                   {"programme_id", "frame-programme"},
                   {"amount", "frame-amount"},
                   {"reason", "frame-reason"},
                   {"override_reason", "frame-override-reason"}});
        data.set("frame_errors", errors);
    }
    bool can_carry = fund.carry_over_allowed && allowed(user, FundsAction::CarryOver, fund) &&
                     fund.active && fund.first_year < fund.last_year;
    data.set("can_carry_over", can_carry && !detail.programmes.empty());
    Data carry_years = make_list();
    carry_years.push_back(option("", year_choice, forms.carry_year.empty()));
    for (int year = fund.first_year; year < fund.last_year; ++year) {
        std::string value = std::to_string(year);
        carry_years.push_back(option(
            value,
            fill(tr("{year} to {next}"), {{"year", value}, {"next", std::to_string(year + 1)}}),
            value == forms.carry_year));
    }
    data.set("carry_year_options", carry_years);
    data.set("carry_programme_options",
             programme_options(detail.programmes, forms.carry_programme_id, tr("Every programme"),
                               false, tr));
    data.set("carry_reason", forms.carry_reason);
    if (forms.carry_error) {
        Data errors;
        add_error(errors, tr, *forms.carry_error,
                  {{"year", "carry-year"},
                   {"programme_id", "carry-programme"},
                   {"reason", "carry-reason"}});
        data.set("carry_errors", errors);
    }
    return view.page(request, "funds/budget", "Budget", std::move(data), status);
}

http::Response show_budget(FundsService& service, const web::View& view, http::Request& request) {
    Loaded loaded = load_fund(service, request, path_id(request, "id"));
    if (loaded.refusal)
        return std::move(*loaded.refusal);
    BudgetForms forms;
    forms.frame.year = text_param(request, "year");
    forms.frame.programme_id = text_param(request, "programme_id");
    return budget_page(service, view, request, *loaded.user, *loaded.detail, forms, 200);
}

http::Response set_frame(FundsService& service, const web::View& view, http::Request& request) {
    return fund_post(
        service, request, FundsAction::Post, [&](const Loaded& loaded, const http::Form& form) {
            BudgetForms forms;
            forms.frame =
                FrameForm{form_text(form, "year"),     form_text(form, "programme_id"),
                          form_text(form, "amount"),   form_text(form, "reason"),
                          form_text(form, "override"), form_text(form, "override_reason")};
            auto change = parse_frame_form(forms.frame);
            Result<PostingResult> posted =
                change ? service.set_frame(actor_of(request), loaded.detail->fund.id, *change)
                       : Result<PostingResult>(Unexpected(change.error()));
            if (!posted) {
                if (!shown_on_page(posted.error()))
                    return refuse(request, posted.error());
                forms.frame_error = &posted.error();
                return budget_page(service, view, request, *loaded.user, *loaded.detail, forms,
                                   form_status(posted.error()));
            }
            return http::Response::redirect(fund_href(loaded.detail->fund.id) +
                                            "/budget?done=frame");
        });
}

http::Response carry_over(FundsService& service, const web::View& view, http::Request& request) {
    return fund_post(
        service, request, FundsAction::CarryOver,
        [&](const Loaded& loaded, const http::Form& form) {
            BudgetForms forms;
            forms.carry_year = form_text(form, "year");
            forms.carry_programme_id = form_text(form, "programme_id");
            forms.carry_reason = form_text(form, "reason");
            std::vector<FieldError> problems;
            auto year = parse_digits(trim(forms.carry_year));
            if (!year || *year > 9999)
                problems.push_back({"year", message::YEAR_FORMAT});
            auto programme = web::parse_optional_id(forms.carry_programme_id);
            if (!programme)
                problems.push_back({"programme_id", message::CHOOSE_PROGRAMME});
            Result<PostingResult> carried =
                problems.empty()
                    ? service.carry_over(actor_of(request), loaded.detail->fund.id,
                                         static_cast<int>(*year), *programme, forms.carry_reason)
                    : Result<PostingResult>(
                          Unexpected(Error::invalid(message::CHECK_FIELDS, problems)));
            if (!carried) {
                if (!shown_on_page(carried.error()))
                    return refuse(request, carried.error());
                forms.carry_error = &carried.error();
                return budget_page(service, view, request, *loaded.user, *loaded.detail, forms,
                                   form_status(carried.error()));
            }
            return http::Response::redirect(fund_href(loaded.detail->fund.id) +
                                            "/budget?done=carried");
        });
}

// --- Ledger ------------------------------------------------------------------------------

std::string kind_text(const LedgerEntry& entry, const Translate& tr) {
    std::string text = tr(entry_kind_label(entry.kind));
    if (entry.release_of)
        text +=
            " (" +
            tr(*entry.release_of == ReleaseOf::Reserve ? "of a reservation" : "of a commitment") +
            ")";
    return text;
}

std::string reference_text(const LedgerEntry& entry, const Translate& tr) {
    if (!entry.reference)
        return {};
    return tr(reference_type_label(entry.reference->type)) + " " +
           std::to_string(entry.reference->id);
}

LedgerFilterForm filter_form_of(const http::Request& request) {
    return LedgerFilterForm{text_param(request, "year"),
                            text_param(request, "programme_id"),
                            text_param(request, "kind"),
                            text_param(request, "reference_type"),
                            text_param(request, "reference_id"),
                            text_param(request, "page"),
                            ""};
}

// The ledger URL with these filters (and page, when beyond the first).
std::string filtered_href(const std::string& path, const LedgerFilterForm& form, int page) {
    return href_with(path, {{"year", form.year},
                            {"programme_id", form.programme_id},
                            {"kind", form.kind},
                            {"reference_type", form.reference_type},
                            {"reference_id", form.reference_id},
                            {"page", page > 1 ? std::to_string(page) : std::string()}});
}

http::Response show_ledger(FundsService& service, const web::View& view, http::Request& request) {
    Loaded loaded = load_fund(service, request, path_id(request, "id"));
    if (loaded.refusal)
        return std::move(*loaded.refusal);
    Translate tr{view, request};
    const FundDetail& detail = *loaded.detail;
    const Fund& fund = detail.fund;
    LedgerFilterForm form = filter_form_of(request);
    Data data;
    add_fund_tabs(data, tr, *loaded.user, fund, "ledger");
    set_if_any(data, "notice", notice_for(request, tr, LEDGER_NOTICES));
    data.set("year_options", year_options(fund, form.year, tr("Every year")));
    data.set("programme_options", programme_options(detail.programmes, form.programme_id,
                                                    tr("Every programme"), true, tr));
    data.set("kind_options", kind_options(ALL_ENTRY_KINDS, form.kind, tr("Every kind"), tr));
    data.set("reference_type_options", reference_type_options(form.reference_type, tr));
    data.set("reference_id", form.reference_id);
    const std::string path = fund_href(fund.id) + "/ledger";
    bool can_post = allowed(*loaded.user, FundsAction::Post, fund) && fund.active;
    data.set("can_post", can_post && !detail.programmes.empty());
    data.set("new_posting_href", fund_href(fund.id) + "/postings/new");

    auto filter = parse_ledger_filter(form);
    if (!filter) {
        add_error(data, tr, filter.error(),
                  {{"year", "year"},
                   {"programme_id", "programme_id"},
                   {"kind", "kind"},
                   {"reference_type", "reference_type"},
                   {"reference_id", "reference_id"}});
        data.set("has_entries", false);
        data.set("invalid_filter", true);
        return view.page(request, "funds/ledger", "Ledger", std::move(data), 400);
    }
    auto page = service.ledger(actor_of(request), fund.id, *filter);
    if (!page)
        return refuse(request, page.error());
    data.set("csv_href", filtered_href(path + ".csv", form, 1));
    data.set("xlsx_href", filtered_href(path + ".xlsx", form, 1));
    data.set("filtered", !form.year.empty() || !form.programme_id.empty() || !form.kind.empty() ||
                             !form.reference_type.empty() || !form.reference_id.empty());
    data.set("clear_href", path);
    data.set("count_text",
             fill(tr("Entries found: {count}"), {{"count", std::to_string(page->total)}}));
    Data rows = make_list();
    const std::string& lang = request.context.lang;
    for (const auto& entry : page->entries) {
        Data row;
        row.set("id", std::to_string(entry.id));
        row.set("created", datetime_text(entry.created_at, lang));
        row.set("year", std::to_string(entry.year));
        const Programme* programme = find_programme(detail.programmes, entry.programme_id);
        row.set("programme", programme ? programme->name : std::to_string(entry.programme_id));
        row.set("kind", kind_text(entry, tr));
        row.set("amount", web::format_money(entry.amount_ore));
        row.set("negative", entry.amount_ore < 0);
        row.set("reference", reference_text(entry, tr));
        row.set("reason", entry.reason);
        row.set("override", entry.override);
        row.set("override_reason", entry.override_reason);
        row.set("author", entry.author_name.empty() ? tr("System") : entry.author_name);
        if (entry.reverses)
            row.set("reverses_text",
                    fill(tr("Reverses entry {id}"), {{"id", std::to_string(*entry.reverses)}}));
        if (entry.reversed_by)
            row.set("reversed_text", fill(tr("Reversed by entry {id}"),
                                          {{"id", std::to_string(*entry.reversed_by)}}));
        bool reversible = can_post && !entry.reverses && !entry.reversed_by;
        row.set("reversible", reversible);
        row.set("reverse_href", path + "/" + std::to_string(entry.id) + "/reverse");
        rows.push_back(row);
    }
    data.set("entries", rows);
    data.set("has_entries", !page->entries.empty());
    data.set("beyond_last_page", page->entries.empty() && page->total > 0);
    data.set("first_href", filtered_href(path, form, 1));
    add_pagination(data, tr, page->page, page->total, page->per_page,
                   [&](int to) { return filtered_href(path, form, to); });
    return view.page(request, "funds/ledger", "Ledger", std::move(data));
}

// --- Postings by hand ------------------------------------------------------------------

PostingForm read_posting_form(const http::Form& form) {
    PostingForm posting;
    posting.kind = form_text(form, "kind");
    posting.year = form_text(form, "year");
    posting.programme_id = form_text(form, "programme_id");
    posting.to_year = form_text(form, "to_year");
    posting.to_programme_id = form_text(form, "to_programme_id");
    posting.release_of = form_text(form, "release_of");
    posting.amount = form_text(form, "amount");
    posting.reference_type = form_text(form, "reference_type");
    posting.reference_id = form_text(form, "reference_id");
    posting.reason = form_text(form, "reason");
    posting.override = form_text(form, "override");
    posting.override_reason = form_text(form, "override_reason");
    return posting;
}

http::Response posting_page(const web::View& view, http::Request& request,
                            const identity::Principal& user, const FundDetail& detail,
                            const PostingForm& form, const Error* error, int status) {
    Translate tr{view, request};
    const Fund& fund = detail.fund;
    Data data;
    add_fund_tabs(data, tr, user, fund, "ledger");
    data.set("kind_options", kind_options(POSTABLE_KINDS, form.kind, tr("Choose a kind"), tr));
    data.set("year_options", year_options(fund, form.year, tr("Choose a year")));
    data.set("programme_options", programme_options(detail.programmes, form.programme_id,
                                                    tr("Choose a programme"), false, tr));
    data.set("to_year_options", year_options(fund, form.to_year, tr("The same year")));
    data.set("to_programme_options", programme_options(detail.programmes, form.to_programme_id,
                                                       tr("The same programme"), false, tr));
    Data release_options = make_list();
    release_options.push_back(option("", tr("Not a release"), form.release_of.empty()));
    release_options.push_back(option("reserve", tr("A reservation"), form.release_of == "reserve"));
    release_options.push_back(option("commit", tr("A commitment"), form.release_of == "commit"));
    data.set("release_options", release_options);
    data.set("amount", form.amount);
    data.set("reference_type_options", reference_type_options(form.reference_type, tr));
    data.set("reference_id", form.reference_id);
    data.set("reason", form.reason);
    data.set("override", checkbox_on(form.override));
    data.set("override_reason", form.override_reason);
    data.set("ledger_href", fund_href(fund.id) + "/ledger");
    if (error)
        add_error(data, tr, *error,
                  {{"kind", "kind"},
                   {"year", "year"},
                   {"programme_id", "programme_id"},
                   {"to_year", "to_year"},
                   {"to_programme_id", "to_programme_id"},
                   {"release_of", "release_of"},
                   {"amount", "amount"},
                   {"reference_type", "reference_type"},
                   {"reference_id", "reference_id"},
                   {"reason", "reason"},
                   {"override_reason", "override_reason"}});
    return view.page(request, "funds/posting", "New posting", std::move(data), status);
}

http::Response show_new_posting(FundsService& service, const web::View& view,
                                http::Request& request) {
    Loaded loaded = load_fund(service, request, path_id(request, "id"));
    if (loaded.refusal)
        return std::move(*loaded.refusal);
    if (auto refused = refusal_for(request, loaded, FundsAction::Post))
        return std::move(*refused);
    PostingForm form;
    form.kind = text_param(request, "kind");
    form.year = text_param(request, "year");
    form.programme_id = text_param(request, "programme_id");
    return posting_page(view, request, *loaded.user, *loaded.detail, form, nullptr, 200);
}

http::Response create_posting(FundsService& service, const web::View& view,
                              http::Request& request) {
    return fund_post(
        service, request, FundsAction::Post, [&](const Loaded& loaded, const http::Form& form) {
            PostingForm typed = read_posting_form(form);
            auto posting = parse_posting_form(typed);
            Result<PostingResult> posted =
                posting ? service.post(actor_of(request), loaded.detail->fund.id, *posting)
                        : Result<PostingResult>(Unexpected(posting.error()));
            if (!posted) {
                if (!shown_on_page(posted.error()))
                    return refuse(request, posted.error());
                return posting_page(view, request, *loaded.user, *loaded.detail, typed,
                                    &posted.error(), form_status(posted.error()));
            }
            return http::Response::redirect(fund_href(loaded.detail->fund.id) +
                                            "/ledger?done=posted");
        });
}

// --- Reversal ------------------------------------------------------------------------------

http::Response reverse_page(FundsService& service, const web::View& view, http::Request& request,
                            const identity::Principal& user, const FundDetail& detail,
                            const std::string& reason, bool override,
                            const std::string& override_reason, const Error* error, int status) {
    auto entry = service.entry(actor_of(request), detail.fund.id, path_id(request, "entry"));
    if (!entry)
        return refuse(request, entry.error());
    Translate tr{view, request};
    Data data;
    add_fund_tabs(data, tr, user, detail.fund, "ledger");
    data.set("entry_id", std::to_string(entry->id));
    data.set("entry_heading", fill(tr("Entry {id}"), {{"id", std::to_string(entry->id)}}));
    data.set("created", datetime_text(entry->created_at, request.context.lang));
    data.set("year", std::to_string(entry->year));
    const Programme* programme = find_programme(detail.programmes, entry->programme_id);
    data.set("programme", programme ? programme->name : std::to_string(entry->programme_id));
    data.set("kind", kind_text(*entry, tr));
    data.set("amount", web::format_money(entry->amount_ore));
    set_if_any(data, "reference", reference_text(*entry, tr));
    data.set("entry_reason", entry->reason);
    data.set("reason", reason);
    data.set("override", override);
    data.set("override_reason", override_reason);
    data.set("action",
             fund_href(detail.fund.id) + "/ledger/" + std::to_string(entry->id) + "/reverse");
    data.set("ledger_href", fund_href(detail.fund.id) + "/ledger");
    bool is_leg = entry->counterpart_id.has_value() || entry->kind == EntryKind::Transfer ||
                  entry->kind == EntryKind::CarryOver;
    data.set("both_legs", is_leg);
    if (error)
        add_error(data, tr, *error, {{"reason", "reason"}, {"override_reason", "override_reason"}});
    return view.page(request, "funds/reverse", "Reverse an entry", std::move(data), status);
}

http::Response show_reverse(FundsService& service, const web::View& view, http::Request& request) {
    Loaded loaded = load_fund(service, request, path_id(request, "id"));
    if (loaded.refusal)
        return std::move(*loaded.refusal);
    if (auto refused = refusal_for(request, loaded, FundsAction::Post))
        return std::move(*refused);
    return reverse_page(service, view, request, *loaded.user, *loaded.detail, "", false, "",
                        nullptr, 200);
}

http::Response reverse_entry(FundsService& service, const web::View& view, http::Request& request) {
    return fund_post(
        service, request, FundsAction::Post, [&](const Loaded& loaded, const http::Form& form) {
            std::string reason = form_text(form, "reason");
            bool override = checkbox_on(form_text(form, "override"));
            std::string override_reason = form_text(form, "override_reason");
            auto reversed = service.reverse(actor_of(request), loaded.detail->fund.id,
                                            path_id(request, "entry"), reason,
                                            OverrideRequest{override, override_reason});
            if (!reversed) {
                if (!shown_on_page(reversed.error()))
                    return refuse(request, reversed.error());
                return reverse_page(service, view, request, *loaded.user, *loaded.detail, reason,
                                    override, override_reason, &reversed.error(),
                                    form_status(reversed.error()));
            }
            return http::Response::redirect(fund_href(loaded.detail->fund.id) +
                                            "/ledger?done=reversed");
        });
}

} // namespace

void register_funds_routes(http::Router& router, FundsRoutesDeps deps) {
    auto funds = deps.funds;
    auto view = deps.view;
    using http::Method;
    auto bind = [funds, view](auto handler) {
        return [funds, view, handler](http::Request& request) {
            return handler(*funds, *view, request);
        };
    };
    router.add(Method::Get, "/funds", bind(show_funds));
    router.add(Method::Get, "/funds/new",
               [view](http::Request& request) { return show_new_fund(*view, request); });
    router.add(Method::Post, "/funds", bind(create_fund));
    router.add(Method::Get, "/funds/{id:int}", bind(show_fund));
    router.add(Method::Get, "/funds/{id:int}/edit", bind(show_edit_fund));
    router.add(Method::Post, "/funds/{id:int}/edit", bind(update_fund));
    router.add(Method::Get, "/funds/{id:int}/programmes", bind(show_programmes));
    router.add(Method::Post, "/funds/{id:int}/programmes", bind(create_programme));
    router.add(Method::Get, "/funds/{id:int}/programmes/{programme:int}", bind(show_programme));
    router.add(Method::Post, "/funds/{id:int}/programmes/{programme:int}", bind(update_programme));
    router.add(Method::Get, "/funds/{id:int}/budget", bind(show_budget));
    router.add(Method::Post, "/funds/{id:int}/frames", bind(set_frame));
    router.add(Method::Post, "/funds/{id:int}/carry-over", bind(carry_over));
    router.add(Method::Get, "/funds/{id:int}/ledger", bind(show_ledger));
    router.add(Method::Get, "/funds/{id:int}/postings/new", bind(show_new_posting));
    router.add(Method::Post, "/funds/{id:int}/postings", bind(create_posting));
    router.add(Method::Get, "/funds/{id:int}/ledger/{entry:int}/reverse", bind(show_reverse));
    router.add(Method::Post, "/funds/{id:int}/ledger/{entry:int}/reverse", bind(reverse_entry));
}

} // namespace spire::funds
