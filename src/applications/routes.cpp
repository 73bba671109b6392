#include "applications/routes.hpp"

#include "applications/forms.hpp"
#include "applications/policy.hpp"
#include "core/money.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "http/form.hpp"
#include "identity/web.hpp"
#include "web/format.hpp"
#include "web/pages.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>

namespace spire::applications {

namespace {

using identity::actor_of;
using web::add_pagination;
using web::Data;
using web::fill;
using web::form_status;
using web::make_list;
using web::notice_for;
using web::option;
using web::redirect_to_login;
using web::refuse;
using web::shown_on_page;
using web::text_param;
using web::Translate;

// Rows a grid shows at least, and how many empty ones it adds after the
// filled ones (no JavaScript needed to add a row).
constexpr std::size_t MIN_GRID_ROWS = 6;
constexpr std::size_t EXTRA_GRID_ROWS = 3;

constexpr std::pair<std::string_view, std::string_view> DETAILS_NOTICES[] = {
    {"created", "The application was created. Fill it in and save as often as you like."},
    {"saved", "The application was saved."},
    {"withdrawn", "The application was withdrawn."},
};
constexpr std::pair<std::string_view, std::string_view> PART_NOTICES[] = {
    {"saved", "Saved."},
};
constexpr std::pair<std::string_view, std::string_view> ATTACHMENT_NOTICES[] = {
    {"uploaded", "The file was attached."},
    {"removed", "The file was removed."},
};
constexpr std::pair<std::string_view, std::string_view> STATUS_NOTICES[] = {
    {"returned", "The application was returned to the applicant."},
};
constexpr std::pair<std::string_view, std::string_view> ENDORSEMENT_NOTICES[] = {
    {"endorsed", "The application was endorsed and submitted."},
    {"returned", "The application was returned to the applicant."},
};

// --- Small helpers ---------------------------------------------------------------

std::string app_href(Id id) {
    return "/applications/" + std::to_string(id);
}

Id path_id(const http::Request& request, std::string_view name) {
    return request.param_int(name).value_or(0);
}

void set_if_any(Data& data, const std::string& name, const std::string& text) {
    if (!text.empty())
        data.set(name, text);
}

std::string datetime_text(const std::string& db_time, const std::string& lang) {
    auto when = from_db_time(db_time);
    return when ? web::format_datetime(*when, lang) : db_time;
}

std::string datetime_text(const std::optional<std::string>& db_time, const std::string& lang) {
    return db_time ? datetime_text(*db_time, lang) : std::string();
}

// "2018-03-01" -> "01.03.2018"; anything else as it is.
std::string date_text(const std::string& iso) {
    if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-')
        return iso;
    return iso.substr(8, 2) + "." + iso.substr(5, 2) + "." + iso.substr(0, 4);
}

std::string_view status_color(Status status) {
    switch (status) {
    case Status::Draft:
        return "neutral";
    case Status::AwaitingEndorsement:
        return "warning";
    case Status::Submitted:
        return "success";
    case Status::Withdrawn:
        return "danger";
    }
    return "neutral";
}

ApplicationResource resource_of(const Application& application) {
    return {application.organisation_id, application.unit_id, application.fund_id,
            application.status, application.submitted_once()};
}

bool may(const identity::Principal& user, ApplicationsAction action,
         const Application& application) {
    return static_cast<bool>(authorize(&user, action, resource_of(application)));
}

bool editable(const identity::Principal& user, const Application& application) {
    return application.status == Status::Draft && may(user, ApplicationsAction::Edit, application);
}

// Field errors as messages next to their inputs (error_<field> in `data`,
// and returned by field name for grids and dynamic fields), and a summary
// at the top linking to "#<field>" for the fields this page has (inputs
// carry their field's name as id). An error without fields is an alert.
std::map<std::string, std::string>
show_error(Data& data, const Translate& tr, const Error& error,
           const std::function<bool(const std::string&)>& on_page) {
    std::map<std::string, std::string> messages;
    if (error.fields.empty()) {
        data.set("alert", tr(error.message));
        return messages;
    }
    Data items = make_list();
    for (const auto& field_error : error.fields) {
        std::string message = tr(field_error.message);
        Data item;
        item.set("message", message);
        bool known = on_page(field_error.field);
        item.set("has_href", known);
        if (known) {
            item.set("href", "#" + field_error.field);
            data.set("error_" + field_error.field, message);
            messages.emplace(field_error.field, message);
        }
        items.push_back(item);
    }
    data.set("has_errors", true);
    data.set("errors", items);
    return messages;
}

std::string message_for(const std::map<std::string, std::string>& messages,
                        const std::string& field) {
    auto it = messages.find(field);
    return it == messages.end() ? std::string() : it->second;
}

// The tab a field of the submission check lives on.
std::string tab_of_field(const std::string& field) {
    if (field.starts_with("budget"))
        return "/budget";
    if (field.starts_with("financing"))
        return "/financing";
    if (field.starts_with("partner"))
        return "/partners";
    if (field == "file")
        return "/attachments";
    return "";
}

// What every application page shows above its content: breadcrumbs back
// to the list the user came from, the reference, status and tabs.
void add_head(Data& data, const Translate& tr, const identity::Principal& user,
              const Application& application, std::string_view current) {
    const bool applicant = applies_for_unit(user, application.unit_id);
    data.set("list_href", applicant ? "/my" : "/applications");
    data.set("list_label", tr(applicant ? "My applications" : "Applications"));
    const std::string base = app_href(application.id);
    data.set("app_href", base);
    data.set("app_id", std::to_string(application.id));
    data.set("reference", application.reference);
    data.set("app_title", application.title);
    data.set("call_title", application.call_title);
    data.set("unit_name", application.unit_name);
    data.set("status_color", std::string(status_color(application.status)));
    data.set("status_label", tr(status_label(application.status)));
    const bool can_edit = editable(user, application);
    data.set("editable", can_edit);
    struct Tab {
        std::string_view key;
        std::string_view msgid;
        std::string href;
        bool shown;
    };
    const Tab tabs[] = {
        {"details", "Application", base, true},
        {"budget", "Budget", base + "/budget", true},
        {"financing", "Financing", base + "/financing", true},
        {"partners", "Partners", base + "/partners", true},
        {"attachments", "Attachments", base + "/attachments", true},
        {"history", "History", base + "/history",
         may(user, ApplicationsAction::ViewHistory, application)},
        {"submit", can_edit ? "Submit" : "Status", base + "/submit", true},
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
    if (applicant && !can_edit && application.status != Status::Draft && current != "submit" &&
        current != "history")
        data.set("read_only_reason",
                 tr(application.status == Status::Withdrawn
                        ? "The application has been withdrawn and can no longer be changed."
                        : "The application has been sent and can no longer be changed."));
}

// --- Loading ------------------------------------------------------------------------

struct Loaded {
    const identity::Principal* user = nullptr;
    std::optional<Application> application;
    std::optional<http::Response> refusal;
};

Loaded load(ApplicationsService& service, http::Request& request) {
    Loaded loaded;
    loaded.user = request.context.principal.get();
    if (!loaded.user) {
        loaded.refusal = redirect_to_login(request);
        return loaded;
    }
    auto application = service.get(actor_of(request), path_id(request, "id"));
    if (!application) {
        loaded.refusal = refuse(request, application.error());
        return loaded;
    }
    loaded.application = std::move(*application);
    return loaded;
}

// What every POST does first: finds the application (404 for one that is
// not the user's to see), asks for the permission before reading the form
// (so that someone without access learns nothing from validation
// messages), and parses the form; then `handle(loaded, form)` does the work.
template <class Handle>
http::Response application_post(ApplicationsService& service, http::Request& request,
                                ApplicationsAction action, Handle&& handle,
                                const http::FormLimits& limits = {}) {
    Loaded loaded = load(service, request);
    if (loaded.refusal)
        return std::move(*loaded.refusal);
    Decision decision = authorize(loaded.user, action, resource_of(*loaded.application));
    if (!decision)
        return refuse(request, decision.to_error());
    auto form = http::parse_form(request.header("Content-Type"), request.body, limits);
    if (!form)
        return refuse(request, form.error());
    return handle(static_cast<const Loaded&>(loaded), static_cast<http::Form&>(*form));
}

// --- Lists of applications -----------------------------------------------------------

Data list_rows(const std::vector<ListRow>& rows, const Translate& tr, const std::string& lang) {
    Data items = make_list();
    for (const auto& row : rows) {
        Data item;
        item.set("href", app_href(row.id));
        item.set("reference", row.reference);
        item.set("row_title", row.title);
        item.set("call_title", row.call_title);
        item.set("unit_name", row.unit_name);
        item.set("status_color", std::string(status_color(row.status)));
        item.set("status_label", tr(status_label(row.status)));
        item.set("requested", web::format_money(row.requested_ore));
        item.set("submitted", datetime_text(row.submitted_at, lang));
        item.set("updated", datetime_text(row.updated_at, lang));
        items.push_back(item);
    }
    return items;
}

std::string deadline_text(const OpenCall& call, const Translate& tr, const std::string& lang) {
    if (call.rolling || !call.closes_at)
        return tr("open all year");
    return fill(tr("deadline {time}"), {{"time", datetime_text(*call.closes_at, lang)}});
}

http::Response show_my(ApplicationsService& service, const web::View& view,
                       http::Request& request) {
    const identity::Principal* user = request.context.principal.get();
    if (!user)
        return redirect_to_login(request);
    const Actor actor = actor_of(request);
    int page_number = web::page_param(request);
    auto page = service.my_applications(actor, page_number);
    if (!page)
        return refuse(request, page.error());
    Translate tr{view, request};
    const std::string& lang = request.context.lang;
    Data data;
    set_if_any(data, "notice", notice_for(request, tr, DETAILS_NOTICES));
    data.set("rows", list_rows(page->rows, tr, lang));
    data.set("has_rows", !page->rows.empty());
    add_pagination(data, tr, page->page, page->total, page->per_page, [](int to) {
        return web::href_with("/my", {{"page", std::to_string(to)}});
    });
    data.set("can_endorse", user->has_role(identity::Role::UnitLeader));
    auto calls = service.open_calls(actor);
    Data call_items = make_list();
    for (const auto& call : calls.value_or(std::vector<OpenCall>{})) {
        Data item;
        item.set("call_title", call.title);
        item.set("new_href",
                 web::href_with("/applications/new", {{"call", std::to_string(call.id)}}));
        item.set("deadline", deadline_text(call, tr, lang));
        call_items.push_back(item);
    }
    data.set("has_calls", calls && !calls->empty());
    data.set("calls", call_items);
    return view.page(request, "applications/my", "My applications", std::move(data));
}

http::Response show_endorsements(ApplicationsService& service, const web::View& view,
                                 http::Request& request) {
    if (!request.context.principal)
        return redirect_to_login(request);
    auto page = service.endorsement_queue(actor_of(request), web::page_param(request));
    if (!page)
        return refuse(request, page.error());
    Translate tr{view, request};
    Data data;
    set_if_any(data, "notice", notice_for(request, tr, ENDORSEMENT_NOTICES));
    data.set("rows", list_rows(page->rows, tr, request.context.lang));
    data.set("has_rows", !page->rows.empty());
    add_pagination(data, tr, page->page, page->total, page->per_page, [](int to) {
        return web::href_with("/my/endorsements", {{"page", std::to_string(to)}});
    });
    return view.page(request, "applications/endorsements", "Endorsements", std::move(data));
}

// --- Starting an application -----------------------------------------------------------

struct NewForm {
    std::string call_id;
    std::string unit_id;
    std::string title;
};

http::Response new_page(ApplicationsService& service, const web::View& view, http::Request& request,
                        const NewForm& form, const Error* error, int status) {
    auto call_id = parse_digits(trim(form.call_id));
    if (!call_id)
        return refuse(request, Error::not_found());
    auto context = service.new_context(actor_of(request), *call_id);
    if (!context)
        return refuse(request, context.error());
    Translate tr{view, request};
    Data data;
    data.set("call_id", std::to_string(*call_id));
    data.set("call_title", context->call.title);
    data.set("here_href", web::href_with("/applications/new", {{"call", form.call_id}}));
    data.set("form_title", form.title);
    data.set("several_units", context->units.size() > 1);
    if (!context->units.empty())
        data.set("unit_id",
                 form.unit_id.empty() ? std::to_string(context->units.front().id) : form.unit_id);
    Data units = make_list();
    if (context->units.size() > 1)
        units.push_back(option("", tr("Choose a unit"), form.unit_id.empty()));
    for (const auto& unit : context->units) {
        std::string value = std::to_string(unit.id);
        units.push_back(option(value, unit.name, value == form.unit_id));
    }
    data.set("unit_options", units);
    if (error)
        show_error(data, tr, *error,
                   [](const std::string& field) { return field == "title" || field == "unit_id"; });
    return view.page(request, "applications/new", "New application", std::move(data), status);
}

http::Response show_new(ApplicationsService& service, const web::View& view,
                        http::Request& request) {
    if (!request.context.principal)
        return redirect_to_login(request);
    NewForm form{text_param(request, "call"), "", ""};
    return new_page(service, view, request, form, nullptr, 200);
}

http::Response create_application(ApplicationsService& service, const web::View& view,
                                  http::Request& request) {
    if (!request.context.principal)
        return redirect_to_login(request);
    auto posted = http::parse_form(request.header("Content-Type"), request.body);
    if (!posted)
        return refuse(request, posted.error());
    NewForm form{web::form_text(*posted, "call_id"), web::form_text(*posted, "unit_id"),
                 web::form_text(*posted, "title")};
    auto call_id = parse_digits(trim(form.call_id));
    if (!call_id)
        return refuse(request, Error::not_found());
    auto unit_id = parse_digits(trim(form.unit_id));
    Result<Id> created =
        unit_id ? service.create(actor_of(request), *call_id, *unit_id, trim(form.title))
                : Result<Id>(Unexpected(
                      Error::invalid(message::CHECK_FIELDS, {{"unit_id", message::NO_SUCH_UNIT}})));
    if (!created) {
        if (!shown_on_page(created.error()))
            return refuse(request, created.error());
        return new_page(service, view, request, form, &created.error(),
                        form_status(created.error()));
    }
    return http::Response::redirect(app_href(*created) + "?done=created");
}

// --- Details ----------------------------------------------------------------------------

std::string answer_text(const calls::FormField& field, const Answer& answer, const Translate& tr) {
    switch (field.kind) {
    case calls::FieldKind::ShortText:
    case calls::FieldKind::LongText:
        return answer.text.value_or("");
    case calls::FieldKind::Number:
        return answer.number.value_or("");
    case calls::FieldKind::Money:
        return answer.amount_ore ? web::format_money(*answer.amount_ore) : std::string();
    case calls::FieldKind::Date:
        return answer.date ? date_text(*answer.date) : std::string();
    case calls::FieldKind::SingleChoice:
    case calls::FieldKind::MultipleChoice: {
        std::string text;
        for (const auto& option : field.options) {
            bool chosen = answer.option_id == option.id ||
                          std::find(answer.option_ids.begin(), answer.option_ids.end(),
                                    option.id) != answer.option_ids.end();
            if (!chosen)
                continue;
            if (!text.empty())
                text += ", ";
            text += option.label;
        }
        return text;
    }
    case calls::FieldKind::YesNo:
        return answer.yes_no ? tr(*answer.yes_no ? "Yes" : "No") : std::string();
    case calls::FieldKind::File:
        return {};
    }
    return {};
}

bool shows_as_input(calls::FieldKind kind) {
    return kind == calls::FieldKind::ShortText || kind == calls::FieldKind::LongText ||
           kind == calls::FieldKind::Number || kind == calls::FieldKind::Money ||
           kind == calls::FieldKind::Date;
}

bool shows_as_group(calls::FieldKind kind) {
    return kind == calls::FieldKind::SingleChoice || kind == calls::FieldKind::MultipleChoice ||
           kind == calls::FieldKind::YesNo;
}

Data attachment_links(const Application& application, Id field_id) {
    Data files = make_list();
    for (const auto& attachment : application.attachments) {
        if (attachment.field_id != field_id)
            continue;
        Data file;
        file.set("file_name", attachment.file_name);
        file.set("href",
                 app_href(application.id) + "/attachments/" + std::to_string(attachment.id));
        files.push_back(file);
    }
    return files;
}

// One field of the call's form, as an accessible input (or read-only text).
Data field_data(const calls::FormField& field, const Application& application,
                const DetailsForm& form, const std::map<std::string, std::string>& errors,
                const Translate& tr) {
    const std::string name = "field_" + std::to_string(field.id);
    Data item;
    item.set("name", name);
    item.set("label", field.label);
    set_if_any(item, "help", field.help_text);
    item.set("required", field.required);
    if (field.max_length)
        item.set("max_length", std::to_string(*field.max_length));
    auto posted = form.answers.find(field.id);
    std::vector<std::string> values =
        posted == form.answers.end() ? std::vector<std::string>{} : posted->second;
    item.set("value", values.empty() ? std::string() : values.front());
    std::string error = message_for(errors, name);
    set_if_any(item, "error", error);
    std::string describedby;
    if (!field.help_text.empty())
        describedby = name + "-help";
    if (!error.empty())
        describedby += (describedby.empty() ? "" : " ") + name + "-error";
    set_if_any(item, "describedby", describedby);

    item.set("is_text_input", shows_as_input(field.kind));
    item.set("is_short_text", field.kind == calls::FieldKind::ShortText);
    item.set("is_long_text", field.kind == calls::FieldKind::LongText);
    item.set("is_number", field.kind == calls::FieldKind::Number);
    item.set("is_money", field.kind == calls::FieldKind::Money);
    item.set("is_date", field.kind == calls::FieldKind::Date);
    item.set("is_group", shows_as_group(field.kind));
    item.set("is_file", field.kind == calls::FieldKind::File);
    if (shows_as_group(field.kind)) {
        auto chosen = [&](const std::string& value) {
            return std::find(values.begin(), values.end(), value) != values.end();
        };
        Data options = make_list();
        auto add = [&](const std::string& value, const std::string& label, const char* type) {
            Data choice;
            choice.set("option_id", name + "_" + value);
            choice.set("value", value);
            choice.set("label", label);
            choice.set("checked", chosen(value));
            choice.set("input_type", type);
            choice.set("invalid", !error.empty());
            options.push_back(choice);
        };
        if (field.kind == calls::FieldKind::YesNo) {
            add("yes", tr("Yes"), "radio");
            add("no", tr("No"), "radio");
        } else {
            const char* type = field.kind == calls::FieldKind::SingleChoice ? "radio" : "checkbox";
            for (const auto& choice : field.options)
                add(std::to_string(choice.id), choice.label, type);
        }
        item.set("options", options);
    }
    if (field.kind == calls::FieldKind::File) {
        item.set("files", attachment_links(application, field.id));
        item.set("attachments_href", app_href(application.id) + "/attachments");
    }
    auto saved = std::find_if(application.answers.begin(), application.answers.end(),
                              [&](const Answer& answer) { return answer.field_id == field.id; });
    item.set("shown",
             saved == application.answers.end() ? std::string() : answer_text(field, *saved, tr));
    return item;
}

std::string external_call_label(const calls::ExternalCall& call, const Translate& tr) {
    std::string label = call.funder;
    if (!call.programme.empty())
        label += " – " + call.programme;
    if (!call.title.empty())
        label += " – " + call.title;
    label += " (" +
             fill(tr("own share {percent} %"),
                  {{"percent", std::to_string(call.required_own_share_percent)}}) +
             ")";
    return label;
}

http::Response details_page(const web::View& view, http::Request& request,
                            const identity::Principal& user, const Application& application,
                            const EditContext& context, const DetailsForm& form, const Error* error,
                            int status, const ScreeningNote* screening = nullptr,
                            const DecisionNote* decision = nullptr) {
    Translate tr{view, request};
    Data data;
    add_head(data, tr, user, application, "details");
    if (decision) {
        data.set("decided", true);
        data.set("decision_outcome", tr(decision->outcome_label));
        data.set("letter_href", decision->letter_href);
    }
    if (screening) {
        data.set("screened", true);
        data.set("screened_eligible", screening->eligible);
        set_if_any(data, "screening_reason", screening->reason);
    }
    set_if_any(data, "notice", notice_for(request, tr, DETAILS_NOTICES));
    const bool research = application.programme_kind == "research_cofunding";
    const bool social = application.programme_kind == "social_entrepreneurs";
    std::set<std::string> on_page = {"title", "summary", "themes", "start_year", "duration_years"};
    if (research)
        on_page.insert(
            {"external_call_id", "project_total", "external_applied", "own_contribution"});
    if (social)
        on_page.insert("partnership_model_id");
    for (const auto& section : context.form.sections) {
        for (const auto& field : section.fields)
            on_page.insert("field_" + std::to_string(field.id));
    }
    std::map<std::string, std::string> errors;
    if (error)
        errors = show_error(data, tr, *error,
                            [&](const std::string& field) { return on_page.contains(field); });

    data.set("form_title", form.title);
    data.set("form_summary", form.summary);
    data.set("form_themes", form.themes);
    data.set("form_start_year", form.start_year);
    data.set("form_duration_years", form.duration_years);
    data.set("max_duration_text",
             fill(tr("The call allows at most {years} years."),
                  {{"years", std::to_string(context.call.max_duration_years)}}));
    data.set("budget_total", web::format_money(application.budget_total_ore));
    data.set("requested", web::format_money(application.requested_ore));
    data.set("submit_href", app_href(application.id) + "/submit");

    Data sections = make_list();
    for (const auto& section : context.form.sections) {
        Data item;
        item.set("id", std::to_string(section.id));
        item.set("section_title", section.title);
        set_if_any(item, "section_help", section.help_text);
        Data fields = make_list();
        for (const auto& field : section.fields)
            fields.push_back(field_data(field, application, form, errors, tr));
        item.set("fields", fields);
        sections.push_back(item);
    }
    data.set("sections", sections);

    data.set("research", research);
    data.set("social", social);
    if (research) {
        Data options = make_list();
        options.push_back(
            option("", tr("Choose an external call"), trim(form.external_call_id).empty()));
        for (const auto& call : context.external_calls) {
            std::string value = std::to_string(call.id);
            options.push_back(
                option(value, external_call_label(call, tr), value == trim(form.external_call_id)));
        }
        data.set("external_call_options", options);
        data.set("form_project_total", form.project_total);
        data.set("form_external_applied", form.external_applied);
        data.set("form_own_contribution", form.own_contribution);
        data.set("external_call_text", application.external_call_title);
        auto money = [](const std::optional<Ore>& ore) {
            return ore ? web::format_money(*ore) : std::string();
        };
        data.set("project_total_text", money(application.project_total_ore));
        data.set("external_applied_text", money(application.external_applied_ore));
        data.set("own_contribution_text", money(application.own_contribution_ore));
    }
    if (social) {
        Data options = make_list();
        options.push_back(
            option("", tr("Choose a partnership model"), trim(form.partnership_model_id).empty()));
        for (const auto& model : context.partnership_models) {
            std::string value = std::to_string(model.id);
            options.push_back(option(value, model.name, value == trim(form.partnership_model_id)));
        }
        data.set("partnership_model_options", options);
        data.set("partnership_model_text", application.partnership_model_name);
    }
    return view.page(request, "applications/application", "Application", std::move(data), status);
}

http::Response show_details(ApplicationsService& service, const web::View& view,
                            http::Request& request, const ScreeningLookup& screening,
                            const DecisionLookup& decision) {
    Loaded loaded = load(service, request);
    if (loaded.refusal)
        return std::move(*loaded.refusal);
    auto context = service.edit_context(actor_of(request), loaded.application->id);
    if (!context)
        return refuse(request, context.error());
    std::optional<ScreeningNote> note;
    if (screening)
        note = screening(loaded.application->id);
    std::optional<DecisionNote> decided;
    if (decision)
        decided = decision(loaded.application->id);
    return details_page(view, request, *loaded.user, *loaded.application, *context,
                        details_form_of(*loaded.application, context->form), nullptr, 200,
                        note ? &*note : nullptr, decided ? &*decided : nullptr);
}

http::Response save_details(ApplicationsService& service, const web::View& view,
                            http::Request& request) {
    return application_post(
        service, request, ApplicationsAction::Edit,
        [&](const Loaded& loaded, const http::Form& posted) {
            const Application& application = *loaded.application;
            auto context = service.edit_context(actor_of(request), application.id);
            if (!context)
                return refuse(request, context.error());
            DetailsForm form = read_details_form(posted);
            auto input = parse_details_form(form, context->form);
            Result<void> saved =
                input ? service.save_details(actor_of(request), application.id, *input)
                      : Result<void>(Unexpected(input.error()));
            if (!saved) {
                if (!shown_on_page(saved.error()))
                    return refuse(request, saved.error());
                return details_page(view, request, *loaded.user, application, *context, form,
                                    &saved.error(), form_status(saved.error()));
            }
            return http::Response::redirect(app_href(application.id) + "?done=saved");
        });
}

// --- Budget ------------------------------------------------------------------------------

// The years the grid shows: the project period, plus any year that has an
// amount (so nothing saved or typed is hidden).
std::vector<int> budget_years(const Application& application, const BudgetForm& form) {
    std::set<int> years;
    if (application.start_year) {
        int duration = std::clamp(application.duration_years, 1, calls::MAX_DURATION_YEARS);
        for (int i = 0; i < duration; ++i)
            years.insert(*application.start_year + i);
    }
    for (const auto& [name, text] : form.cells) {
        if (trim(text).empty())
            continue;
        auto year = parse_digits(std::string_view(name).substr(7, 4));
        if (year && *year >= MIN_YEAR && *year <= MAX_YEAR)
            years.insert(static_cast<int>(*year));
    }
    if (years.empty()) {
        int year = std::stoi(to_db_time(Clock::now()).substr(0, 4));
        for (int i = 0; i < std::clamp(application.duration_years, 1, calls::MAX_DURATION_YEARS);
             ++i)
            years.insert(year + i);
    }
    return {years.begin(), years.end()};
}

http::Response budget_page(const web::View& view, http::Request& request,
                           const identity::Principal& user, const Application& application,
                           const BudgetForm& form, const Error* error, int status) {
    Translate tr{view, request};
    Data data;
    add_head(data, tr, user, application, "budget");
    set_if_any(data, "notice", notice_for(request, tr, PART_NOTICES));
    std::map<std::string, std::string> errors;
    if (error)
        errors = show_error(data, tr, *error,
                            [](const std::string& field) { return field.starts_with("budget"); });
    if (!application.start_year)
        data.set("years_text", tr("Enter the start year and duration on the Application page "
                                  "to get the project's years."));
    Data cost_types = make_list();
    for (CostType type : ALL_COST_TYPES) {
        Data item;
        item.set("label", tr(cost_type_label(type)));
        cost_types.push_back(item);
    }
    data.set("cost_types", cost_types);
    // Totals of what the grid holds (typed amounts that parse).
    auto amount_of = [&](const std::string& name) -> Ore {
        auto it = form.cells.find(name);
        if (it == form.cells.end() || trim(it->second).empty())
            return 0;
        return parse_kroner(it->second).value_or(0);
    };
    std::map<CostType, Ore> column_totals;
    Ore grand_total = 0;
    Data rows = make_list();
    for (int year : budget_years(application, form)) {
        Data row;
        row.set("year", std::to_string(year));
        Data cells = make_list();
        Ore row_total = 0;
        for (CostType type : ALL_COST_TYPES) {
            const std::string name = budget_cell_name(year, type);
            Data cell;
            cell.set("name", name);
            auto typed = form.cells.find(name);
            cell.set("value", typed == form.cells.end() ? std::string() : typed->second);
            cell.set("aria_label", tr(cost_type_label(type)) + " " + std::to_string(year));
            set_if_any(cell, "error", message_for(errors, name));
            Ore amount = amount_of(name);
            cell.set("shown", amount ? web::format_money(amount) : std::string());
            row_total += amount;
            column_totals[type] += amount;
            cells.push_back(cell);
        }
        grand_total += row_total;
        row.set("cells", cells);
        row.set("total", web::format_money(row_total));
        rows.push_back(row);
    }
    data.set("rows", rows);
    Data totals = make_list();
    for (CostType type : ALL_COST_TYPES)
        totals.push_back(Data(web::format_money(column_totals[type])));
    data.set("column_totals", totals);
    data.set("grand_total", web::format_money(grand_total));
    return view.page(request, "applications/budget", "Budget", std::move(data), status);
}

http::Response show_budget(ApplicationsService& service, const web::View& view,
                           http::Request& request) {
    Loaded loaded = load(service, request);
    if (loaded.refusal)
        return std::move(*loaded.refusal);
    return budget_page(view, request, *loaded.user, *loaded.application,
                       budget_form_of(loaded.application->budget), nullptr, 200);
}

http::Response save_budget(ApplicationsService& service, const web::View& view,
                           http::Request& request) {
    return application_post(
        service, request, ApplicationsAction::Edit,
        [&](const Loaded& loaded, const http::Form& posted) {
            BudgetForm form = read_budget_form(posted);
            auto lines = parse_budget_form(form);
            Result<void> saved =
                lines ? service.save_budget(actor_of(request), loaded.application->id, *lines)
                      : Result<void>(Unexpected(lines.error()));
            if (!saved) {
                if (!shown_on_page(saved.error()))
                    return refuse(request, saved.error());
                return budget_page(view, request, *loaded.user, *loaded.application, form,
                                   &saved.error(), form_status(saved.error()));
            }
            return http::Response::redirect(app_href(loaded.application->id) +
                                            "/budget?done=saved");
        });
}

// --- Financing ---------------------------------------------------------------------------

std::size_t grid_rows(std::size_t filled, bool can_edit) {
    if (!can_edit)
        return filled;
    return std::max(MIN_GRID_ROWS, filled + EXTRA_GRID_ROWS);
}

std::string row_label(const Translate& tr, std::string_view msgid, std::size_t index) {
    return fill(tr(msgid), {{"row", std::to_string(index + 1)}});
}

http::Response financing_page(const web::View& view, http::Request& request,
                              const identity::Principal& user, const Application& application,
                              const FinancingForm& form, const Error* error, int status) {
    Translate tr{view, request};
    Data data;
    add_head(data, tr, user, application, "financing");
    set_if_any(data, "notice", notice_for(request, tr, PART_NOTICES));
    std::map<std::string, std::string> errors;
    if (error)
        errors = show_error(data, tr, *error, [](const std::string& field) {
            return field.starts_with("financing");
        });
    const bool can_edit = editable(user, application);
    Ore total = 0;
    Data rows = make_list();
    for (std::size_t i = 0; i < grid_rows(form.rows.size(), can_edit); ++i) {
        FinancingRowForm row = i < form.rows.size() ? form.rows[i] : FinancingRowForm{};
        const std::string prefix = "financing_" + std::to_string(i);
        Data item;
        item.set("prefix", prefix);
        Data sources = make_list();
        sources.push_back(option("", tr("Choose"), trim(row.source).empty()));
        for (FinancingSource source : ALL_FINANCING_SOURCES) {
            std::string key(financing_source_key(source));
            sources.push_back(option(key, tr(financing_source_label(source)), key == row.source));
        }
        item.set("source_options", sources);
        auto source = parse_financing_source(row.source);
        item.set("source_text", source ? tr(financing_source_label(*source)) : row.source);
        item.set("funder_name", row.funder_name);
        item.set("cash", row.cash);
        item.set("hours", row.hours);
        item.set("rate", row.rate);
        item.set("label_source", row_label(tr, "Source, row {row}", i));
        item.set("label_funder_name", row_label(tr, "Funder, row {row}", i));
        item.set("label_cash", row_label(tr, "Cash in kroner, row {row}", i));
        item.set("label_hours", row_label(tr, "In-kind hours, row {row}", i));
        item.set("label_rate", row_label(tr, "Hourly rate in kroner, row {row}", i));
        for (const char* part : {"source", "funder_name", "cash", "hours", "rate"})
            set_if_any(item, std::string("error_") + part,
                       message_for(errors, prefix + "_" + part));
        FinancingLine line;
        line.cash_ore = trim(row.cash).empty() ? 0 : parse_kroner(row.cash).value_or(0);
        line.in_kind_hours =
            static_cast<int>(parse_digits(trim(row.hours)).value_or(0) % 10'000'000);
        line.hourly_rate_ore = trim(row.rate).empty() ? 0 : parse_kroner(row.rate).value_or(0);
        item.set("cash_text", line.cash_ore ? web::format_money(line.cash_ore) : "");
        item.set("rate_text", line.hourly_rate_ore ? web::format_money(line.hourly_rate_ore) : "");
        Ore row_total = line.total_ore();
        total += row_total;
        item.set("total", row.empty() ? std::string() : web::format_money(row_total));
        rows.push_back(item);
    }
    data.set("rows", rows);
    data.set("financing_total", web::format_money(total));
    data.set("budget_compare_text",
             fill(tr("The budget total is {amount}. The financing plan must add up to it."),
                  {{"amount", web::format_money(application.budget_total_ore)}}));
    return view.page(request, "applications/financing", "Financing", std::move(data), status);
}

http::Response show_financing(ApplicationsService& service, const web::View& view,
                              http::Request& request) {
    Loaded loaded = load(service, request);
    if (loaded.refusal)
        return std::move(*loaded.refusal);
    return financing_page(view, request, *loaded.user, *loaded.application,
                          financing_form_of(loaded.application->financing), nullptr, 200);
}

http::Response save_financing(ApplicationsService& service, const web::View& view,
                              http::Request& request) {
    return application_post(
        service, request, ApplicationsAction::Edit,
        [&](const Loaded& loaded, const http::Form& posted) {
            FinancingForm form = read_financing_form(posted);
            auto lines = parse_financing_form(form);
            Result<void> saved =
                lines ? service.save_financing(actor_of(request), loaded.application->id, *lines)
                      : Result<void>(Unexpected(lines.error()));
            if (!saved) {
                if (!shown_on_page(saved.error()))
                    return refuse(request, saved.error());
                return financing_page(view, request, *loaded.user, *loaded.application, form,
                                      &saved.error(), form_status(saved.error()));
            }
            return http::Response::redirect(app_href(loaded.application->id) +
                                            "/financing?done=saved");
        });
}

// --- Partners ----------------------------------------------------------------------------

http::Response partners_page(const web::View& view, http::Request& request,
                             const identity::Principal& user, const Application& application,
                             const PartnersForm& form, const Error* error, int status) {
    Translate tr{view, request};
    Data data;
    add_head(data, tr, user, application, "partners");
    set_if_any(data, "notice", notice_for(request, tr, PART_NOTICES));
    std::map<std::string, std::string> errors;
    if (error)
        errors = show_error(data, tr, *error,
                            [](const std::string& field) { return field.starts_with("partner"); });
    const bool can_edit = editable(user, application);
    Data rows = make_list();
    const std::size_t count = grid_rows(form.rows.size(), can_edit);
    for (std::size_t i = 0; i < count; ++i) {
        PartnerRowForm row = i < form.rows.size() ? form.rows[i] : PartnerRowForm{};
        const std::string prefix = "partner_" + std::to_string(i);
        Data item;
        item.set("prefix", prefix);
        item.set("name", row.name);
        item.set("organisation_number", row.organisation_number);
        item.set("role", row.role);
        Data kinds = make_list();
        kinds.push_back(option("", tr("Choose"), trim(row.kind).empty()));
        for (PartnerKind kind : ALL_PARTNER_KINDS) {
            std::string key(partner_kind_key(kind));
            kinds.push_back(option(key, tr(partner_kind_label(kind)), key == row.kind));
        }
        item.set("kind_options", kinds);
        auto kind = parse_partner_kind(row.kind);
        item.set("kind_text", kind ? tr(partner_kind_label(*kind)) : row.kind);
        item.set("label_name", row_label(tr, "Name, row {row}", i));
        item.set("label_organisation_number", row_label(tr, "Organisation number, row {row}", i));
        item.set("label_kind", row_label(tr, "Type, row {row}", i));
        item.set("label_role", row_label(tr, "Role in the project, row {row}", i));
        for (const char* part : {"name", "organisation_number", "kind", "role"})
            set_if_any(item, std::string("error_") + part,
                       message_for(errors, prefix + "_" + part));
        rows.push_back(item);
    }
    data.set("rows", rows);
    data.set("has_rows", count > 0);
    return view.page(request, "applications/partners", "Partners", std::move(data), status);
}

http::Response show_partners(ApplicationsService& service, const web::View& view,
                             http::Request& request) {
    Loaded loaded = load(service, request);
    if (loaded.refusal)
        return std::move(*loaded.refusal);
    return partners_page(view, request, *loaded.user, *loaded.application,
                         partners_form_of(loaded.application->partners), nullptr, 200);
}

http::Response save_partners(ApplicationsService& service, const web::View& view,
                             http::Request& request) {
    return application_post(
        service, request, ApplicationsAction::Edit,
        [&](const Loaded& loaded, const http::Form& posted) {
            PartnersForm form = read_partners_form(posted);
            auto partners = parse_partners_form(form);
            Result<void> saved = partners ? service.save_partners(actor_of(request),
                                                                  loaded.application->id, *partners)
                                          : Result<void>(Unexpected(partners.error()));
            if (!saved) {
                if (!shown_on_page(saved.error()))
                    return refuse(request, saved.error());
                return partners_page(view, request, *loaded.user, *loaded.application, form,
                                     &saved.error(), form_status(saved.error()));
            }
            return http::Response::redirect(app_href(loaded.application->id) +
                                            "/partners?done=saved");
        });
}

// --- Attachments -------------------------------------------------------------------------

std::string size_text(long long bytes) {
    if (bytes < 1024)
        return std::to_string(bytes) + " B";
    if (bytes < 1024 * 1024)
        return std::to_string((bytes + 512) / 1024) + " kB";
    long long tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
    return std::to_string(tenths / 10) + "," + std::to_string(tenths % 10) + " MB";
}

http::Response attachments_page(ApplicationsService& service, const web::View& view,
                                http::Request& request, const identity::Principal& user,
                                const Application& application, const std::string& field_id,
                                const Error* error, int status) {
    Translate tr{view, request};
    Data data;
    add_head(data, tr, user, application, "attachments");
    set_if_any(data, "notice", notice_for(request, tr, ATTACHMENT_NOTICES));
    if (error)
        show_error(data, tr, *error,
                   [](const std::string& field) { return field == "file" || field == "field_id"; });
    // The call's file fields, to say which question a file answers.
    std::map<Id, std::string> file_fields;
    auto context = service.edit_context(actor_of(request), application.id);
    if (context) {
        for (const auto& section : context->form.sections) {
            for (const auto& field : section.fields) {
                if (field.kind == calls::FieldKind::File)
                    file_fields.emplace(field.id, field.label);
            }
        }
    }
    const std::string& lang = request.context.lang;
    Data items = make_list();
    for (const auto& attachment : application.attachments) {
        Data item;
        const std::string href =
            app_href(application.id) + "/attachments/" + std::to_string(attachment.id);
        item.set("href", href);
        item.set("remove_href", href + "/remove");
        item.set("file_name", attachment.file_name);
        item.set("media_type", attachment.media_type);
        item.set("size", size_text(attachment.size_bytes));
        item.set("uploaded_at", datetime_text(attachment.uploaded_at, lang));
        item.set("uploaded_by", attachment.uploaded_by_name);
        auto field =
            attachment.field_id ? file_fields.find(*attachment.field_id) : file_fields.end();
        item.set("field_label", field == file_fields.end() ? std::string() : field->second);
        items.push_back(item);
    }
    data.set("attachments", items);
    data.set("has_attachments", !application.attachments.empty());
    data.set("has_file_fields", !file_fields.empty());
    Data options = make_list();
    options.push_back(option("", tr("Other attachment"), field_id.empty()));
    for (const auto& [id, label] : file_fields) {
        std::string value = std::to_string(id);
        options.push_back(option(value, label, value == field_id));
    }
    data.set("field_options", options);
    return view.page(request, "applications/attachments", "Attachments", std::move(data), status);
}

http::Response show_attachments(ApplicationsService& service, const web::View& view,
                                http::Request& request) {
    Loaded loaded = load(service, request);
    if (loaded.refusal)
        return std::move(*loaded.refusal);
    return attachments_page(service, view, request, *loaded.user, *loaded.application,
                            text_param(request, "field"), nullptr, 200);
}

http::Response upload_attachment(ApplicationsService& service, const web::View& view,
                                 http::Request& request) {
    http::FormLimits limits;
    // One file a little over the limit, so the service can say "larger than
    // 20 MB" on the page instead of a bare 413.
    limits.max_file_bytes = UPLOAD_BODY_LIMIT - (64u << 10);
    limits.max_files = 1;
    return application_post(
        service, request, ApplicationsAction::Edit,
        [&](const Loaded& loaded, http::Form& posted) {
            const Application& application = *loaded.application;
            std::string field_text = web::form_text(posted, "field_id");
            auto field_id = web::parse_optional_id(field_text);
            const http::UploadedFile* file = posted.file("file");
            Result<Id> added =
                !field_id
                    ? Result<Id>(Unexpected(Error::invalid(
                          message::CHECK_FIELDS, {{"field_id", message::FIELD_NOT_A_FILE_FIELD}})))
                : !file ? Result<Id>(Unexpected(Error::invalid(
                              message::CHECK_FIELDS, {{"file", "Choose a file to upload."}})))
                        : service.add_attachment(actor_of(request), application.id, *field_id,
                                                 file->filename, file->data);
            if (!added) {
                const Error& error = added.error();
                if (!shown_on_page(error) && error.kind != ErrorKind::TooLarge)
                    return refuse(request, error);
                // A file over the limit is the user's input like any other:
                // say so next to the field.
                Error shown = error;
                if (error.kind == ErrorKind::TooLarge && error.fields.empty())
                    shown.fields.push_back({"file", error.message});
                return attachments_page(
                    service, view, request, *loaded.user, application, field_text, &shown,
                    error.kind == ErrorKind::TooLarge ? 413 : form_status(error));
            }
            return http::Response::redirect(app_href(application.id) +
                                            "/attachments?done=uploaded");
        },
        limits);
}

http::Response remove_attachment(ApplicationsService& service, const web::View& view,
                                 http::Request& request) {
    return application_post(
        service, request, ApplicationsAction::Edit, [&](const Loaded& loaded, const http::Form&) {
            auto removed = service.remove_attachment(actor_of(request), loaded.application->id,
                                                     path_id(request, "attachment"));
            if (!removed) {
                if (!shown_on_page(removed.error()))
                    return refuse(request, removed.error());
                return attachments_page(service, view, request, *loaded.user, *loaded.application,
                                        "", &removed.error(), form_status(removed.error()));
            }
            return http::Response::redirect(app_href(loaded.application->id) +
                                            "/attachments?done=removed");
        });
}

// RFC 6266: an ASCII fallback in filename= (quotes, backslashes and
// non-ASCII replaced) and the real name in filename*= (RFC 8187).
std::string content_disposition(const std::string& name) {
    std::string ascii;
    std::string encoded;
    static const char* HEX = "0123456789ABCDEF";
    for (unsigned char c : name) {
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     c == '-' || c == '_' || c == '.' || c == '~';
        ascii += (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? static_cast<char>(c) : '_';
        if (plain) {
            encoded += static_cast<char>(c);
        } else {
            encoded += '%';
            encoded += HEX[c >> 4];
            encoded += HEX[c & 15];
        }
    }
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

http::Response download_attachment(ApplicationsService& service, http::Request& request) {
    if (!request.context.principal)
        return redirect_to_login(request);
    auto file =
        service.download(actor_of(request), path_id(request, "id"), path_id(request, "attachment"));
    if (!file)
        return refuse(request, file.error());
    http::Response response;
    response.headers.set("Content-Type", file->media_type);
    // DESIGN.md §7: never rendered in our origin, whatever the bytes are.
    response.headers.set("Content-Disposition", content_disposition(file->file_name));
    response.headers.set("X-Content-Type-Options", "nosniff");
    response.headers.set("Cache-Control", "private, no-store");
    response.body = std::move(file->bytes);
    return response;
}

// --- History -----------------------------------------------------------------------------

http::Response show_history(ApplicationsService& service, const web::View& view,
                            http::Request& request) {
    Loaded loaded = load(service, request);
    if (loaded.refusal)
        return std::move(*loaded.refusal);
    const Application& application = *loaded.application;
    const Actor actor = actor_of(request);
    auto changes = service.history(actor, application.id);
    if (!changes)
        return refuse(request, changes.error());
    Translate tr{view, request};
    const std::string& lang = request.context.lang;
    Data data;
    add_head(data, tr, *loaded.user, application, "history");
    Data change_rows = make_list();
    for (const auto& change : *changes) {
        Data row;
        row.set("at", datetime_text(change.at, lang));
        row.set("from", change.from ? tr(status_label(*change.from)) : std::string());
        row.set("to", tr(status_label(change.to)));
        row.set("who", change.user_name);
        row.set("comment", change.comment);
        change_rows.push_back(row);
    }
    data.set("changes", change_rows);
    data.set("has_changes", !changes->empty());

    int status = 200;
    if (may(*loaded.user, ApplicationsAction::ViewRevisions, application)) {
        auto revisions = service.revisions(actor, application.id);
        if (!revisions)
            return refuse(request, revisions.error());
        Data revision_rows = make_list();
        for (const auto& revision : *revisions) {
            Data row;
            row.set("number", std::to_string(revision.number));
            row.set("submitted_at", datetime_text(revision.submitted_at, lang));
            row.set("submitted_by", revision.submitted_by_name);
            revision_rows.push_back(row);
        }
        data.set("revisions", revision_rows);
        data.set("has_revisions", !revisions->empty());
        data.set("can_compare", revisions->size() > 1);
        std::string from = text_param(request, "from");
        std::string to = text_param(request, "to");
        const int last = revisions->empty() ? 0 : revisions->back().number;
        if (from.empty() && last > 1)
            from = std::to_string(last - 1);
        if (to.empty() && last > 0)
            to = std::to_string(last);
        Data from_options = make_list();
        Data to_options = make_list();
        for (const auto& revision : *revisions) {
            std::string value = std::to_string(revision.number);
            std::string label = fill(tr("Version {number}"), {{"number", value}});
            from_options.push_back(option(value, label, value == from));
            to_options.push_back(option(value, label, value == to));
        }
        data.set("from_options", from_options);
        data.set("to_options", to_options);
        bool asked = request.query_param("from") || request.query_param("to");
        if (asked) {
            auto from_number = parse_digits(from);
            auto to_number = parse_digits(to);
            Result<std::vector<DiffLine>> diff =
                from_number && to_number && *from_number <= 100'000 && *to_number <= 100'000
                    ? service.compare(actor, application.id, static_cast<int>(*from_number),
                                      static_cast<int>(*to_number))
                    : Result<std::vector<DiffLine>>(
                          Unexpected(Error::not_found(message::NO_SUCH_REVISION)));
            if (diff) {
                Data lines = make_list();
                for (const auto& line : *diff) {
                    Data row;
                    row.set("label", tr(line.label));
                    row.set("before", line.before);
                    row.set("after", line.after);
                    lines.push_back(row);
                }
                data.set("comparing", true);
                data.set("diff", lines);
                data.set("has_diff", !diff->empty());
                data.set("diff_caption", fill(tr("Changes from version {from} to version {to}"),
                                              {{"from", from}, {"to", to}}));
            } else if (diff.error().kind == ErrorKind::NotFound ||
                       diff.error().kind == ErrorKind::Invalid) {
                data.set("alert", tr(message::NO_SUCH_REVISION));
                status = 404;
            } else {
                return refuse(request, diff.error());
            }
        }
    }
    return view.page(request, "applications/history", "History", std::move(data), status);
}

// --- Submitting and the workflow ---------------------------------------------------------

// The comment typed into the return or withdraw form, kept after an error.
struct StatusForms {
    enum Which { None, Return, Withdraw } which = None;
    std::string return_comment;
    std::string withdraw_comment;
};

http::Response submit_page(ApplicationsService& service, const web::View& view,
                           http::Request& request, const identity::Principal& user,
                           const Application& application, const StatusForms& forms,
                           const Error* error, int status) {
    Translate tr{view, request};
    Data data;
    add_head(data, tr, user, application, "submit");
    const std::string base = app_href(application.id);
    const bool can_edit = editable(user, application);
    const bool can_submit = can_edit && may(user, ApplicationsAction::Submit, application);
    data.set("show_check", can_submit);
    if (can_submit) {
        std::vector<FieldError> missing;
        // A refused submission lists what is missing itself.
        if (error && error->kind == ErrorKind::Invalid && !error->fields.empty()) {
            missing = error->fields;
        } else {
            auto check = service.check_submission(actor_of(request), application.id);
            if (check)
                missing = check->missing;
        }
        Data items = make_list();
        for (const auto& item : missing) {
            Data entry;
            entry.set("message", tr(item.message));
            entry.set("href", base + tab_of_field(item.field) +
                                  (item.field == "file" ? "" : "#" + item.field));
            items.push_back(entry);
        }
        data.set("missing", items);
        data.set("has_missing", !missing.empty());
        auto context = service.edit_context(actor_of(request), application.id);
        if (context) {
            data.set("endorsement_required", context->call.endorsement_required);
            if (!context->call.rolling && context->call.closes_at)
                data.set("closes_text", fill(tr("The call closes {time}."),
                                             {{"time", datetime_text(*context->call.closes_at,
                                                                     request.context.lang)}}));
        }
    }
    if (error) {
        if (error->kind == ErrorKind::Invalid && !error->fields.empty() && can_submit &&
            forms.which == StatusForms::None) {
            data.set("alert", tr(message::NOT_READY));
        } else if (!error->fields.empty()) {
            std::string message = tr(error->fields.front().message);
            data.set(forms.which == StatusForms::Return ? "error_comment"
                                                        : "error_withdraw_comment",
                     message);
            data.set("alert", message);
        } else {
            data.set("alert", tr(error->message));
        }
    }
    data.set("awaiting", application.status == Status::AwaitingEndorsement);
    data.set("submitted", application.status == Status::Submitted);
    data.set("withdrawn", application.status == Status::Withdrawn);
    data.set("can_endorse", application.status == Status::AwaitingEndorsement &&
                                may(user, ApplicationsAction::Endorse, application));
    data.set("can_return", (application.status == Status::AwaitingEndorsement ||
                            application.status == Status::Submitted) &&
                               may(user, ApplicationsAction::Return, application));
    set_if_any(data, "notice", notice_for(request, tr, STATUS_NOTICES));
    data.set("can_withdraw", application.status != Status::Withdrawn &&
                                 may(user, ApplicationsAction::Withdraw, application));
    data.set("return_comment", forms.return_comment);
    data.set("withdraw_comment", forms.withdraw_comment);
    return view.page(request, "applications/submit", can_edit ? "Submit" : "Status",
                     std::move(data), status);
}

http::Response show_submit(ApplicationsService& service, const web::View& view,
                           http::Request& request) {
    Loaded loaded = load(service, request);
    if (loaded.refusal)
        return std::move(*loaded.refusal);
    return submit_page(service, view, request, *loaded.user, *loaded.application, {}, nullptr, 200);
}

http::Response submit_application(ApplicationsService& service, const web::View& view,
                                  http::Request& request) {
    return application_post(
        service, request, ApplicationsAction::Submit, [&](const Loaded& loaded, const http::Form&) {
            auto submitted = service.submit(actor_of(request), loaded.application->id);
            if (!submitted) {
                if (!shown_on_page(submitted.error()))
                    return refuse(request, submitted.error());
                return submit_page(service, view, request, *loaded.user, *loaded.application, {},
                                   &submitted.error(), form_status(submitted.error()));
            }
            return http::Response::redirect(app_href(loaded.application->id) + "/receipt");
        });
}

http::Response show_receipt(ApplicationsService& service, const web::View& view,
                            http::Request& request) {
    Loaded loaded = load(service, request);
    if (loaded.refusal)
        return std::move(*loaded.refusal);
    const Application& application = *loaded.application;
    Translate tr{view, request};
    Data data;
    add_head(data, tr, *loaded.user, application, "submit");
    const std::string& lang = request.context.lang;
    data.set("requested", web::format_money(application.requested_ore));
    switch (application.status) {
    case Status::Submitted:
        data.set("receipt_text", tr("Your application has been submitted."));
        data.set("receipt_time", datetime_text(application.submitted_at, lang));
        break;
    case Status::AwaitingEndorsement:
        data.set("receipt_text", tr("Your application has been sent to the unit leader for "
                                    "endorsement. It is submitted when it is endorsed."));
        data.set("receipt_time", datetime_text(application.updated_at, lang));
        break;
    case Status::Draft:
    case Status::Withdrawn:
        return http::Response::redirect(app_href(application.id) + "/submit");
    }
    return view.page(request, "applications/receipt", "Receipt", std::move(data));
}

// Endorse, return and withdraw: a comment (where the form has one), the
// service call, and back to where the user continues.
enum class Step { Endorse, Return, Withdraw };

http::Response workflow_post(ApplicationsService& service, const web::View& view,
                             http::Request& request, Step step) {
    const ApplicationsAction action = step == Step::Endorse  ? ApplicationsAction::Endorse
                                      : step == Step::Return ? ApplicationsAction::Return
                                                             : ApplicationsAction::Withdraw;
    return application_post(
        service, request, action, [&](const Loaded& loaded, const http::Form& posted) {
            const Application& application = *loaded.application;
            const Actor actor = actor_of(request);
            std::string comment = web::form_text(posted, "comment");
            Result<void> done = step == Step::Endorse ? service.endorse(actor, application.id)
                                : step == Step::Return
                                    ? service.return_to_draft(actor, application.id, trim(comment))
                                    : service.withdraw(actor, application.id, trim(comment));
            if (!done) {
                if (!shown_on_page(done.error()))
                    return refuse(request, done.error());
                StatusForms forms;
                if (step == Step::Return) {
                    forms.which = StatusForms::Return;
                    forms.return_comment = comment;
                } else if (step == Step::Withdraw) {
                    forms.which = StatusForms::Withdraw;
                    forms.withdraw_comment = comment;
                }
                return submit_page(service, view, request, *loaded.user, application, forms,
                                   &done.error(), form_status(done.error()));
            }
            const bool leader =
                loaded.user->has_role_for_unit(identity::Role::UnitLeader, application.unit_id);
            switch (step) {
            case Step::Endorse:
                return http::Response::redirect("/my/endorsements?done=endorsed");
            case Step::Return:
                return http::Response::redirect(leader ? "/my/endorsements?done=returned"
                                                       : app_href(application.id) +
                                                             "/submit?done=returned");
            case Step::Withdraw:
                break;
            }
            return http::Response::redirect(app_href(application.id) + "?done=withdrawn");
        });
}

// --- The staff list ------------------------------------------------------------------------

ListFilterForm filter_form_of(const http::Request& request) {
    return ListFilterForm{text_param(request, "call"), text_param(request, "programme"),
                          text_param(request, "fund"), text_param(request, "status"),
                          text_param(request, "unit"), text_param(request, "theme"),
                          text_param(request, "q"),    text_param(request, "sort"),
                          text_param(request, "dir"),  text_param(request, "page")};
}

// The call filter's choices: every call of the organisation's funds, newest
// first within each fund (a fund has a handful of calls a year).
// The unit, programme and call filters' options, the chosen one selected.
void set_choice_options(Data& data, const ListChoices& choices, const ListFilterForm& form,
                        const Translate& tr) {
    auto options_of = [](const std::vector<ListChoice>& entries, const std::string& every,
                         const std::string& chosen, bool name_fund) {
        Data options = make_list();
        options.push_back(option("", every, chosen.empty()));
        for (const auto& entry : entries) {
            std::string value = std::to_string(entry.id);
            options.push_back(option(value,
                                     name_fund ? entry.group + " – " + entry.label : entry.label,
                                     value == chosen));
        }
        return options;
    };
    data.set("unit_options", options_of(choices.units, tr("Every unit"), form.unit, false));
    data.set("has_units", !choices.units.empty());
    data.set("programme_options", options_of(choices.programmes, tr("Every programme"),
                                             form.programme, choices.several_funds));
    data.set("has_programmes", !choices.programmes.empty());
    data.set("call_options", options_of(choices.calls, tr("Every call"), form.call, false));
    data.set("has_calls", !choices.calls.empty());
}

std::string filtered_href(std::string_view path, const ListFilterForm& form,
                          const std::string& sort, const std::string& dir, int page) {
    return web::href_with(path, {{"call", form.call},
                                 {"programme", form.programme},
                                 {"fund", form.fund},
                                 {"status", form.status},
                                 {"unit", form.unit},
                                 {"theme", form.theme},
                                 {"q", form.q},
                                 {"sort", sort},
                                 {"dir", dir},
                                 {"page", page > 1 ? std::to_string(page) : std::string()}});
}

http::Response show_list(const ApplicationsRoutesDeps& deps, const web::View& view,
                         http::Request& request) {
    const identity::Principal* user = request.context.principal.get();
    if (!user)
        return redirect_to_login(request);
    // Only staff: others learn nothing from the filters' messages.
    Decision decision =
        authorize(user, ApplicationsAction::ListStaff, {user->organisation_id, {}, {}, {}, true});
    if (!decision)
        return refuse(request, decision.to_error());
    Translate tr{view, request};
    ListFilterForm form = filter_form_of(request);
    Data data;
    data.set("q", form.q);
    data.set("call", form.call);
    data.set("theme", form.theme);
    data.set("sort", form.sort);
    data.set("dir", form.dir);
    data.set("filtered", !form.call.empty() || !form.programme.empty() || !form.fund.empty() ||
                             !form.status.empty() || !form.unit.empty() || !form.theme.empty() ||
                             !form.q.empty());
    Data statuses = make_list();
    statuses.push_back(option("", tr("Every status"), form.status.empty()));
    for (Status status : ALL_STATUSES) {
        std::string key(status_key(status));
        statuses.push_back(option(key, tr(status_label(status)), key == form.status));
    }
    data.set("status_options", statuses);
    auto filter = parse_list_filter(form);
    auto view_data = deps.applications->staff_list(
        actor_of(request), filter ? std::optional<ListFilter>(*filter) : std::nullopt);
    if (!view_data)
        return refuse(request, view_data.error());
    set_choice_options(data, view_data->choices, form, tr);
    if (!filter) {
        show_error(data, tr, filter.error(), [](const std::string& field) {
            return field == "call" || field == "programme" || field == "status" || field == "unit";
        });
        data.set("invalid_filter", true);
        return view.page(request, "applications/list", "Applications", std::move(data), 400);
    }
    const ListPage* page = &*view_data->page;
    const std::string& lang = request.context.lang;
    data.set("rows", list_rows(page->rows, tr, lang));
    data.set("has_rows", !page->rows.empty());
    data.set("count_text",
             fill(tr("Applications found: {count}"), {{"count", std::to_string(page->total)}}));
    data.set("csv_href", filtered_href("/applications/export.csv", form, form.sort, form.dir, 1));
    data.set("xlsx_href", filtered_href("/applications/export.xlsx", form, form.sort, form.dir, 1));
    struct Column {
        std::string_view msgid;
        std::optional<SortKey> sort;
        bool num;
    };
    const Column columns[] = {
        {"Reference", SortKey::Reference, false}, {"Title", SortKey::Title, false},
        {"Unit", SortKey::Unit, false},           {"Call", std::nullopt, false},
        {"Status", std::nullopt, false},          {"Requested", SortKey::Requested, true},
        {"Submitted", SortKey::Submitted, false},
    };
    Data headers = make_list();
    for (const auto& column : columns) {
        Data header;
        header.set("label", tr(column.msgid));
        header.set("num", column.num);
        if (column.sort) {
            std::string key(sort_key_key(*column.sort));
            bool current = filter->sort == *column.sort;
            // A click on the current column turns its order around; on
            // another column starts with its natural order.
            std::string dir = current ? (filter->descending ? "asc" : "desc") : "";
            header.set("href", filtered_href("/applications", form, key, dir, 1));
            if (current) {
                header.set("aria_sort", filter->descending ? "descending" : "ascending");
                header.set("arrow", filter->descending ? "▼" : "▲");
            }
        }
        headers.push_back(header);
    }
    data.set("columns", headers);
    add_pagination(data, tr, page->page, page->total, page->per_page, [&](int to) {
        return filtered_href("/applications", form, form.sort, form.dir, to);
    });
    return view.page(request, "applications/list", "Applications", std::move(data));
}

} // namespace

void register_applications_routes(http::Router& router, ApplicationsRoutesDeps deps) {
    auto service = deps.applications;
    auto view = deps.view;
    auto bind = [service, view](auto handler) {
        return [service, view, handler](http::Request& request) {
            return handler(*service, *view, request);
        };
    };
    router.get("/my", bind(show_my));
    router.get("/my/endorsements", bind(show_endorsements));
    router.get("/applications",
               [deps, view](http::Request& request) { return show_list(deps, *view, request); });
    router.get("/applications/new", bind(show_new));
    router.post("/applications", bind(create_application));
    router.get("/applications/{id:int}", [service, view, screening = deps.screening,
                                          decision = deps.decision](http::Request& request) {
        return show_details(*service, *view, request, screening, decision);
    });
    router.post("/applications/{id:int}", bind(save_details));
    router.get("/applications/{id:int}/budget", bind(show_budget));
    router.post("/applications/{id:int}/budget", bind(save_budget));
    router.get("/applications/{id:int}/financing", bind(show_financing));
    router.post("/applications/{id:int}/financing", bind(save_financing));
    router.get("/applications/{id:int}/partners", bind(show_partners));
    router.post("/applications/{id:int}/partners", bind(save_partners));
    router.get("/applications/{id:int}/attachments", bind(show_attachments));
    router.post("/applications/{id:int}/attachments", bind(upload_attachment),
                {.body_limit = UPLOAD_BODY_LIMIT});
    router.get(
        "/applications/{id:int}/attachments/{attachment:int}",
        [service](http::Request& request) { return download_attachment(*service, request); });
    router.post("/applications/{id:int}/attachments/{attachment:int}/remove",
                bind(remove_attachment));
    router.get("/applications/{id:int}/history", bind(show_history));
    router.get("/applications/{id:int}/submit", bind(show_submit));
    router.post("/applications/{id:int}/submit", bind(submit_application));
    router.get("/applications/{id:int}/receipt", bind(show_receipt));
    for (auto [path, step] : {std::pair{"/applications/{id:int}/withdraw", Step::Withdraw},
                              std::pair{"/applications/{id:int}/endorse", Step::Endorse},
                              std::pair{"/applications/{id:int}/return", Step::Return}}) {
        router.post(path, [service, view, step](http::Request& request) {
            return workflow_post(*service, *view, request, step);
        });
    }
}

} // namespace spire::applications
