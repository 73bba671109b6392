// The applications module's JSON API (DESIGN.md §12):
//
//   GET /api/v1/applications        the staff list: the page's filters
//                                   (call, programme, fund, status, unit,
//                                   theme, q, sort, dir) and ?page=&per_page=
//   GET /api/v1/applications/{id}   one application with its parts
//
// Same use cases and authorisation as the pages. Errors are problem+json;
// 401 when not logged in.

#include "applications/forms.hpp"
#include "applications/routes.hpp"
#include "core/decision.hpp"
#include "core/time.hpp"
#include "http/json.hpp"
#include "identity/web.hpp"
#include "web/format.hpp"
#include "web/pages.hpp"

#include <boost/json.hpp>

namespace spire::applications {

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

void put_money(json::object& object, std::string_view name, Ore ore) {
    object[std::string(name) + "_ore"] = ore;
    object[name] = web::format_money(ore);
}

void put_optional_money(json::object& object, std::string_view name,
                        const std::optional<Ore>& ore) {
    if (ore) {
        put_money(object, name, *ore);
    } else {
        object[std::string(name) + "_ore"] = nullptr;
        object[name] = nullptr;
    }
}

json::value time_json(const std::optional<std::string>& db_time) {
    if (!db_time)
        return nullptr;
    auto when = from_db_time(*db_time);
    return when ? json::value(web::format_iso8601(*when)) : json::value(nullptr);
}

json::value optional_id(const std::optional<Id>& id) {
    return id ? json::value(*id) : json::value(nullptr);
}

json::object row_json(const ListRow& row) {
    json::object object;
    object["id"] = row.id;
    object["reference"] = row.reference;
    object["title"] = row.title;
    object["unit"] = json::object{{"id", row.unit_id}, {"name", row.unit_name}};
    object["call"] = json::object{{"id", row.call_id}, {"title", row.call_title}};
    object["status"] = status_key(row.status);
    put_money(object, "budget_total", row.budget_total_ore);
    put_money(object, "requested", row.requested_ore);
    object["submitted_at"] = time_json(row.submitted_at);
    object["updated_at"] = time_json(row.updated_at);
    return object;
}

json::object answer_json(const Answer& answer) {
    json::object object;
    object["field_id"] = answer.field_id;
    if (answer.text)
        object["text"] = *answer.text;
    if (answer.number)
        object["number"] = *answer.number;
    if (answer.amount_ore)
        put_money(object, "amount", *answer.amount_ore);
    if (answer.date)
        object["date"] = *answer.date;
    if (answer.yes_no)
        object["yes_no"] = *answer.yes_no;
    if (answer.option_id)
        object["option_id"] = *answer.option_id;
    if (!answer.option_ids.empty()) {
        json::array ids;
        for (Id id : answer.option_ids)
            ids.push_back(id);
        object["option_ids"] = std::move(ids);
    }
    if (answer.attachment_id)
        object["attachment_id"] = *answer.attachment_id;
    return object;
}

json::object application_json(const Application& application) {
    json::object object;
    object["id"] = application.id;
    object["reference"] = application.reference;
    object["title"] = application.title;
    object["summary"] = application.summary;
    object["status"] = status_key(application.status);
    object["call"] = json::object{{"id", application.call_id}, {"title", application.call_title}};
    object["unit"] = json::object{{"id", application.unit_id}, {"name", application.unit_name}};
    object["fund_id"] = application.fund_id;
    object["programme_id"] = application.programme_id;
    object["programme_kind"] = application.programme_kind;
    object["start_year"] =
        application.start_year ? json::value(*application.start_year) : json::value(nullptr);
    object["duration_years"] = application.duration_years;
    json::array themes;
    for (const auto& theme : application.themes)
        themes.push_back(json::value(theme));
    object["themes"] = std::move(themes);
    put_money(object, "budget_total", application.budget_total_ore);
    put_money(object, "requested", application.requested_ore);
    json::array budget;
    for (const auto& line : application.budget) {
        json::object item{{"year", line.year}, {"cost_type", cost_type_key(line.cost_type)}};
        put_money(item, "amount", line.amount_ore);
        budget.push_back(std::move(item));
    }
    object["budget"] = std::move(budget);
    json::array financing;
    for (const auto& line : application.financing) {
        json::object item{{"source", financing_source_key(line.source)},
                          {"funder_name", line.funder_name},
                          {"in_kind_hours", line.in_kind_hours}};
        put_money(item, "cash", line.cash_ore);
        put_money(item, "hourly_rate", line.hourly_rate_ore);
        put_money(item, "total", line.total_ore());
        financing.push_back(std::move(item));
    }
    object["financing"] = std::move(financing);
    json::array partners;
    for (const auto& partner : application.partners)
        partners.push_back(json::object{{"name", partner.name},
                                        {"organisation_number", partner.organisation_number},
                                        {"kind", partner_kind_key(partner.kind)},
                                        {"role", partner.role}});
    object["partners"] = std::move(partners);
    json::array answers;
    for (const auto& answer : application.answers)
        answers.push_back(answer_json(answer));
    object["answers"] = std::move(answers);
    json::array attachments;
    for (const auto& attachment : application.attachments)
        attachments.push_back(json::object{{"id", attachment.id},
                                           {"field_id", optional_id(attachment.field_id)},
                                           {"file_name", attachment.file_name},
                                           {"media_type", attachment.media_type},
                                           {"size_bytes", attachment.size_bytes},
                                           {"sha256", attachment.sha256},
                                           {"uploaded_at", time_json(attachment.uploaded_at)}});
    object["attachments"] = std::move(attachments);
    object["external_call_id"] = optional_id(application.external_call_id);
    put_optional_money(object, "project_total", application.project_total_ore);
    put_optional_money(object, "external_applied", application.external_applied_ore);
    put_optional_money(object, "own_contribution", application.own_contribution_ore);
    object["partnership_model_id"] = optional_id(application.partnership_model_id);
    object["endorsed_at"] = time_json(application.endorsed_at);
    object["submitted_at"] = time_json(application.submitted_at);
    object["revision_count"] = application.revision_count;
    object["created_at"] = time_json(application.created_at);
    object["updated_at"] = time_json(application.updated_at);
    return object;
}

http::Response get_list(ApplicationsService& service, const std::shared_ptr<const web::View>& view,
                        const http::Request& request) {
    auto tr = translator(view, request);
    if (!request.context.principal)
        return http::problem_response(Decision::login_required().to_error(), tr);
    auto filter = parse_list_filter(ListFilterForm{
        text_param(request, "call"), text_param(request, "programme"), text_param(request, "fund"),
        text_param(request, "status"), text_param(request, "unit"), text_param(request, "theme"),
        text_param(request, "q"), text_param(request, "sort"), text_param(request, "dir"), ""});
    auto page = http::parse_page_request(request);
    if (!filter || !page) {
        std::vector<FieldError> fields;
        for (const auto* error :
             {filter ? nullptr : &filter.error(), page ? nullptr : &page.error()}) {
            if (error)
                fields.insert(fields.end(), error->fields.begin(), error->fields.end());
        }
        return http::problem_response(
            Error::invalid(http::message::INVALID_PARAMETERS, std::move(fields)), tr);
    }
    filter->page = page->page;
    filter->per_page = page->per_page;
    auto list = service.list(actor_of(request), *filter);
    if (!list)
        return http::problem_response(list.error(), tr);
    json::array items;
    for (const auto& row : list->rows)
        items.push_back(row_json(row));
    return http::json_page(request, std::move(items), *page, list->total);
}

http::Response get_one(ApplicationsService& service, const std::shared_ptr<const web::View>& view,
                       const http::Request& request) {
    auto tr = translator(view, request);
    if (!request.context.principal)
        return http::problem_response(Decision::login_required().to_error(), tr);
    auto id = request.param_int("id");
    if (!id)
        return http::problem_response(Error::not_found(), tr);
    auto application = service.get(actor_of(request), *id);
    if (!application)
        return http::problem_response(application.error(), tr);
    return http::json_response(application_json(*application));
}

} // namespace

void register_applications_api_routes(http::Router& router, ApplicationsRoutesDeps deps) {
    auto service = deps.applications;
    auto view = deps.view;
    router.get("/api/v1/applications", [service, view](http::Request& request) {
        return get_list(*service, view, request);
    });
    router.get("/api/v1/applications/{id:int}", [service, view](http::Request& request) {
        return get_one(*service, view, request);
    });
}

} // namespace spire::applications
