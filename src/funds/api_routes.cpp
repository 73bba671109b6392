#include "funds/api_routes.hpp"

#include "core/decision.hpp"
#include "core/time.hpp"
#include "funds/forms.hpp"
#include "http/json.hpp"
#include "identity/web.hpp"
#include "web/format.hpp"
#include "web/pages.hpp"

#include <boost/json.hpp>

namespace spire::funds {

namespace json = boost::json;

namespace {

using identity::actor_of;
using web::text_param;

http::Translate translator(const std::shared_ptr<const web::View>& view,
                           const http::Request& request) {
    if (!view)
        return {};
    return [view, &request](std::string_view msgid) { return view->translate(request, msgid); };
}

// --- Reading the request -----------------------------------------------------------

// Not logged in: 401 before anything is looked up, so that the answer says
// nothing about which funds exist.
std::optional<http::Response> require_login(const http::Request& request,
                                            const http::Translate& tr) {
    if (request.context.principal)
        return std::nullopt;
    return http::problem_response(Decision::login_required().to_error(), tr);
}

// The filters of the ledger page; page and per_page are the API's own
// (http/json.hpp). Both sets of field errors in one problem.
struct LedgerQuery {
    LedgerFilter filter;
    http::PageRequest page;
};

Result<LedgerQuery> ledger_query(const http::Request& request) {
    LedgerFilterForm form{text_param(request, "year"),
                          text_param(request, "programme_id"),
                          text_param(request, "kind"),
                          text_param(request, "reference_type"),
                          text_param(request, "reference_id"),
                          "",
                          ""};
    auto filter = parse_ledger_filter(form);
    auto page = http::parse_page_request(request);
    if (filter && page) {
        filter->page = page->page;
        filter->per_page = page->per_page;
        return LedgerQuery{*filter, *page};
    }
    std::vector<FieldError> fields;
    for (const auto* error : {filter ? nullptr : &filter.error(), page ? nullptr : &page.error()}) {
        if (error)
            fields.insert(fields.end(), error->fields.begin(), error->fields.end());
    }
    return tl::unexpected(Error::invalid(http::message::INVALID_PARAMETERS, std::move(fields)));
}

// --- Writing JSON -----------------------------------------------------------------------

// DESIGN.md §12: money as integer øre plus a formatted string for display,
// "frame_ore": 300000000, "frame": "3 000 000 kr".
void put_money(json::object& object, std::string_view name, Ore ore) {
    object[std::string(name) + "_ore"] = ore;
    object[name] = web::format_money(ore);
}

json::object balance_json(const CellBalance& balance) {
    json::object object;
    put_money(object, "frame", balance.frame);
    put_money(object, "transfers", balance.transfers_net());
    put_money(object, "carried_over", balance.carried_net());
    put_money(object, "budget", balance.budget());
    put_money(object, "reserved", balance.reserved());
    put_money(object, "committed", balance.committed());
    put_money(object, "disbursed", balance.disbursed);
    put_money(object, "unpaid", balance.unpaid());
    put_money(object, "available", balance.available());
    return object;
}

// {"programme_id": 3, "frame_ore": ..., ...}: the id first, for people reading it.
json::object programme_balance_json(Id programme_id, const CellBalance& balance) {
    json::object object{{"programme_id", programme_id}};
    for (auto& member : balance_json(balance))
        object.emplace(member.key(), std::move(member.value()));
    return object;
}

json::value optional_id(const std::optional<Id>& id) {
    return id ? json::value(*id) : json::value(nullptr);
}

json::object budget_json(const BudgetSummary& summary) {
    const Fund& fund = summary.fund;
    json::object body;
    body["fund"] = json::object{{"id", fund.id},
                                {"name", fund.name},
                                {"description", fund.description},
                                {"first_year", fund.first_year},
                                {"last_year", fund.last_year},
                                {"carry_over_allowed", fund.carry_over_allowed},
                                {"active", fund.active}};
    json::array programmes;
    for (const auto& programme : summary.programmes)
        programmes.push_back(json::object{{"id", programme.id},
                                          {"name", programme.name},
                                          {"kind", programme_kind_key(programme.kind)},
                                          {"active", programme.active}});
    body["programmes"] = std::move(programmes);

    json::array years;
    for (int year : summary.years) {
        json::array cells;
        for (const auto& programme : summary.programmes)
            cells.push_back(programme_balance_json(programme.id, summary.cell(year, programme.id)));
        years.push_back(json::object{{"year", year},
                                     {"programmes", std::move(cells)},
                                     {"total", balance_json(summary.year_total(year))}});
    }
    body["years"] = std::move(years);

    json::array programme_totals;
    for (const auto& programme : summary.programmes)
        programme_totals.push_back(
            programme_balance_json(programme.id, summary.programme_total(programme.id)));
    body["programme_totals"] = std::move(programme_totals);
    body["total"] = balance_json(summary.total());
    return body;
}

json::object entry_json(const LedgerEntry& entry, const std::vector<Programme>& programmes) {
    json::object object;
    object["id"] = entry.id;
    auto when = from_db_time(entry.created_at);
    object["time"] = when ? json::value(web::format_iso8601(*when)) : json::value(nullptr);
    object["year"] = entry.year;
    json::object programme{{"id", entry.programme_id}, {"name", nullptr}};
    for (const auto& p : programmes) {
        if (p.id == entry.programme_id)
            programme["name"] = p.name;
    }
    object["programme"] = std::move(programme);
    object["kind"] = entry_kind_key(entry.kind);
    object["release_of"] =
        entry.release_of ? json::value(release_of_key(*entry.release_of)) : json::value(nullptr);
    put_money(object, "amount", entry.amount_ore);
    object["reference"] =
        entry.reference
            ? json::value(json::object{{"type", reference_type_key(entry.reference->type)},
                                       {"id", entry.reference->id}})
            : json::value(nullptr);
    // null: posted by the system (demo data, the command line).
    object["author"] =
        entry.author_user_id
            ? json::value(json::object{{"id", *entry.author_user_id}, {"name", entry.author_name}})
            : json::value(nullptr);
    object["reason"] = entry.reason;
    object["override"] = entry.override
                             ? json::value(json::object{{"reason", entry.override_reason}})
                             : json::value(nullptr);
    object["counterpart_id"] = optional_id(entry.counterpart_id);
    object["reverses"] = optional_id(entry.reverses);
    object["reversed_by"] = optional_id(entry.reversed_by);
    return object;
}

// --- Handlers -----------------------------------------------------------------------------

http::Response get_budget(FundsService& service, const std::shared_ptr<const web::View>& view,
                          const http::Request& request) {
    auto tr = translator(view, request);
    if (auto refused = require_login(request, tr))
        return std::move(*refused);
    auto fund_id = request.param_int("id");
    if (!fund_id)
        return http::problem_response(Error::not_found(), tr);
    auto summary = service.budget(actor_of(request), *fund_id);
    if (!summary)
        return http::problem_response(summary.error(), tr);
    return http::json_response(budget_json(*summary));
}

http::Response get_ledger(FundsService& service, const std::shared_ptr<const web::View>& view,
                          const http::Request& request) {
    auto tr = translator(view, request);
    if (auto refused = require_login(request, tr))
        return std::move(*refused);
    auto fund_id = request.param_int("id");
    if (!fund_id)
        return http::problem_response(Error::not_found(), tr);
    auto query = ledger_query(request);
    if (!query)
        return http::problem_response(query.error(), tr);
    // The ledger first: it decides who may read it (fund() would let a
    // decision maker through), then the programme names.
    const Actor actor = actor_of(request);
    auto page = service.ledger(actor, *fund_id, query->filter);
    if (!page)
        return http::problem_response(page.error(), tr);
    auto detail = service.fund(actor, *fund_id);
    if (!detail)
        return http::problem_response(detail.error(), tr);
    json::array items;
    for (const auto& entry : page->entries)
        items.push_back(entry_json(entry, detail->programmes));
    return http::json_page(request, std::move(items), query->page, page->total);
}

} // namespace

void register_funds_api_routes(http::Router& router, FundsApiDeps deps) {
    auto service = deps.service;
    auto view = deps.view;
    router.get("/api/v1/funds/{id:int}/budget", [service, view](http::Request& request) {
        return get_budget(*service, view, request);
    });
    router.get("/api/v1/funds/{id:int}/ledger", [service, view](http::Request& request) {
        return get_ledger(*service, view, request);
    });
}

} // namespace spire::funds
