#include "applications/service.hpp"

#include "applications/attachments.hpp"
#include "applications/export.hpp"
#include "applications/notifications.hpp"
#include "applications/search_text.hpp"
#include "applications/store.hpp"
#include "calls/service.hpp"
#include "core/text.hpp"
#include "db/database.hpp"
#include "identity/audit_service.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <date/tz.h>
#include <map>
#include <set>
#include <soci/soci.h>
#include <stdexcept>

namespace spire::applications {

namespace {

using identity::AuditEvent;
using identity::Role;
namespace json = boost::json;

AuditEvent event(const Actor& actor, Id organisation_id, std::string action, Id target_id,
                 std::string summary) {
    return identity::audit_event(actor, organisation_id, std::move(action), "application",
                                 std::to_string(target_id), std::move(summary));
}

std::optional<Id> user_id(const Actor& actor) {
    return actor.principal ? std::optional<Id>(actor.principal->user_id) : std::nullopt;
}

ApplicationResource resource_of(const Application& a) {
    return {a.organisation_id, a.unit_id, a.fund_id, a.status, a.submitted_once()};
}

// The system actor (CLI, demo) may do everything; web users need the policy.
Result<void> check(const Actor& actor, ApplicationsAction action,
                   const ApplicationResource& resource) {
    if (actor.is_system)
        return {};
    Decision decision = authorize(actor.principal, action, resource);
    if (!decision)
        return tl::unexpected(decision.to_error());
    return {};
}

Error invalid(std::vector<FieldError> fields, const char* message = message::CHECK_FIELDS) {
    return Error::invalid(message, std::move(fields));
}

std::string kroner(Ore ore) {
    return to_kroner_input(ore) + " kr";
}

int oslo_year(TimePoint when) {
    static const date::time_zone* zone = date::locate_zone("Europe/Oslo");
    auto local = date::make_zoned(zone, date::floor<std::chrono::seconds>(when)).get_local_time();
    return int(date::year_month_day(date::floor<date::days>(local)).year());
}

const calls::FormField* find_field(const calls::FormDefinition& form, Id field_id) {
    for (const auto& section : form.sections) {
        for (const auto& field : section.fields) {
            if (field.id == field_id)
                return &field;
        }
    }
    return nullptr;
}

std::vector<Id> file_field_ids(const calls::FormDefinition& form) {
    std::vector<Id> ids;
    for (const auto& section : form.sections) {
        for (const auto& field : section.fields) {
            if (field.kind == calls::FieldKind::File)
                ids.push_back(field.id);
        }
    }
    return ids;
}

// Title, summary, themes and text answers: what full-text search reads.
std::string search_text_of(const std::string& title, const std::string& summary,
                           const std::vector<std::string>& themes,
                           const std::vector<Answer>& answers) {
    std::vector<std::string_view> parts{title, summary};
    for (const auto& theme : themes)
        parts.push_back(theme);
    for (const auto& answer : answers) {
        if (answer.text)
            parts.push_back(*answer.text);
    }
    return search_body(parts);
}

std::string clean_comment(const std::string& comment) {
    return trim(comment);
}

// --- Revisions as JSON documents -------------------------------------------------------

std::string option_label(const calls::FormField& field, Id option_id) {
    for (const auto& option : field.options) {
        if (option.id == option_id)
            return option.label;
    }
    return "#" + std::to_string(option_id);
}

// An answer as text, for the archive copy and the comparison.
std::string answer_text(const calls::FormField* field, const Answer& answer,
                        const std::vector<AttachmentInfo>& attachments, bool& is_msgid) {
    is_msgid = false;
    if (answer.text)
        return *answer.text;
    if (answer.number)
        return *answer.number;
    if (answer.amount_ore)
        return kroner(*answer.amount_ore);
    if (answer.date)
        return *answer.date;
    if (answer.yes_no) {
        is_msgid = true;
        return *answer.yes_no ? "Yes" : "No";
    }
    if (answer.option_id)
        return field ? option_label(*field, *answer.option_id)
                     : "#" + std::to_string(*answer.option_id);
    if (!answer.option_ids.empty()) {
        std::string text;
        for (Id option : answer.option_ids) {
            if (!text.empty())
                text += ", ";
            text += field ? option_label(*field, option) : "#" + std::to_string(option);
        }
        return text;
    }
    if (answer.attachment_id) {
        for (const auto& attachment : attachments) {
            if (attachment.id == *answer.attachment_id)
                return attachment.file_name;
        }
    }
    return {};
}

json::value optional_json(const std::optional<Ore>& value) {
    return value ? json::value(*value) : json::value(nullptr);
}

std::string revision_document(const Application& a, const calls::FormDefinition& form) {
    json::object doc;
    doc["reference"] = a.reference;
    doc["title"] = a.title;
    doc["summary"] = a.summary;
    json::array themes;
    for (const auto& theme : a.themes)
        themes.emplace_back(theme);
    doc["themes"] = std::move(themes);
    doc["start_year"] = a.start_year ? json::value(*a.start_year) : json::value(nullptr);
    doc["duration_years"] = a.duration_years;
    doc["external_call_id"] = optional_json(a.external_call_id);
    doc["external_call"] = a.external_call_title;
    doc["project_total_ore"] = optional_json(a.project_total_ore);
    doc["external_applied_ore"] = optional_json(a.external_applied_ore);
    doc["own_contribution_ore"] = optional_json(a.own_contribution_ore);
    doc["partnership_model_id"] = optional_json(a.partnership_model_id);
    doc["partnership_model"] = a.partnership_model_name;
    doc["budget_total_ore"] = a.budget_total_ore;
    doc["requested_ore"] = a.requested_ore;
    json::array budget;
    for (const auto& line : a.budget)
        budget.push_back(json::object{{"year", line.year},
                                      {"cost_type", cost_type_key(line.cost_type)},
                                      {"amount_ore", line.amount_ore}});
    doc["budget"] = std::move(budget);
    json::array financing;
    for (const auto& line : a.financing)
        financing.push_back(json::object{{"source", financing_source_key(line.source)},
                                         {"funder_name", line.funder_name},
                                         {"cash_ore", line.cash_ore},
                                         {"in_kind_hours", line.in_kind_hours},
                                         {"hourly_rate_ore", line.hourly_rate_ore}});
    doc["financing"] = std::move(financing);
    json::array partners;
    for (const auto& partner : a.partners)
        partners.push_back(json::object{{"name", partner.name},
                                        {"organisation_number", partner.organisation_number},
                                        {"kind", partner_kind_key(partner.kind)},
                                        {"role", partner.role}});
    doc["partners"] = std::move(partners);
    json::array answers;
    for (const auto& answer : a.answers) {
        const calls::FormField* field = find_field(form, answer.field_id);
        bool is_msgid = false;
        std::string value = answer_text(field, answer, a.attachments, is_msgid);
        answers.push_back(
            json::object{{"field_id", answer.field_id},
                         {"label", field ? field->label : "#" + std::to_string(answer.field_id)},
                         {"kind", field ? calls::field_kind_key(field->kind) : ""},
                         {"value", value},
                         {"value_is_msgid", is_msgid}});
    }
    doc["answers"] = std::move(answers);
    json::array attachments;
    for (const auto& attachment : a.attachments)
        attachments.push_back(
            json::object{{"attachment_id", attachment.id},
                         {"field_id", attachment.field_id ? json::value(*attachment.field_id)
                                                          : json::value(nullptr)},
                         {"file_name", attachment.file_name},
                         {"media_type", attachment.media_type},
                         {"size_bytes", attachment.size_bytes},
                         {"sha256", attachment.sha256}});
    doc["attachments"] = std::move(attachments);
    return json::serialize(doc);
}

std::string text_of(const json::value& value) {
    if (value.is_string())
        return std::string(value.as_string());
    if (value.is_int64())
        return std::to_string(value.as_int64());
    if (value.is_uint64())
        return std::to_string(value.as_uint64());
    return {};
}

std::string money_of(const json::value& value) {
    if (value.is_int64())
        return kroner(value.as_int64());
    return {};
}

const json::value& member(const json::object& object, std::string_view key) {
    static const json::value null_value;
    auto it = object.find(key);
    return it == object.end() ? null_value : it->value();
}

void add_line(std::vector<DiffLine>& lines, std::string label, bool msgid, std::string qualifier,
              std::string before, std::string after, bool values_msgids = false) {
    if (before == after)
        return;
    lines.push_back({std::move(label), msgid, std::move(qualifier), std::move(before),
                     std::move(after), values_msgids});
}

std::string joined(const json::value& array) {
    std::string text;
    if (!array.is_array())
        return text;
    for (const auto& item : array.as_array()) {
        if (!text.empty())
            text += ", ";
        text += text_of(item);
    }
    return text;
}

std::vector<DiffLine> diff_documents(const json::object& a, const json::object& b) {
    std::vector<DiffLine> lines;
    add_line(lines, "Title", true, "", text_of(member(a, "title")), text_of(member(b, "title")));
    add_line(lines, "Summary", true, "", text_of(member(a, "summary")),
             text_of(member(b, "summary")));
    add_line(lines, "Themes", true, "", joined(member(a, "themes")), joined(member(b, "themes")));
    add_line(lines, "Start year", true, "", text_of(member(a, "start_year")),
             text_of(member(b, "start_year")));
    add_line(lines, "Duration (years)", true, "", text_of(member(a, "duration_years")),
             text_of(member(b, "duration_years")));
    add_line(lines, "External call", true, "", text_of(member(a, "external_call")),
             text_of(member(b, "external_call")));
    add_line(lines, "Total project budget", true, "", money_of(member(a, "project_total_ore")),
             money_of(member(b, "project_total_ore")));
    add_line(lines, "Applied for externally", true, "", money_of(member(a, "external_applied_ore")),
             money_of(member(b, "external_applied_ore")));
    add_line(lines, "Own contribution", true, "", money_of(member(a, "own_contribution_ore")),
             money_of(member(b, "own_contribution_ore")));
    add_line(lines, "Partnership model", true, "", text_of(member(a, "partnership_model")),
             text_of(member(b, "partnership_model")));

    // Answers by field, in the order of the newer document, then fields only
    // the older one has.
    struct AnswerText {
        std::string label, value;
        bool msgid = false;
    };
    auto answers_of = [](const json::object& doc) {
        std::vector<std::pair<long long, AnswerText>> out;
        const auto& array = member(doc, "answers");
        if (!array.is_array())
            return out;
        for (const auto& item : array.as_array()) {
            if (!item.is_object())
                continue;
            const auto& o = item.as_object();
            const auto& id = member(o, "field_id");
            const auto& is_msgid = member(o, "value_is_msgid");
            out.push_back({id.is_int64() ? id.as_int64() : 0,
                           {text_of(member(o, "label")), text_of(member(o, "value")),
                            is_msgid.is_bool() && is_msgid.as_bool()}});
        }
        return out;
    };
    auto before_answers = answers_of(a);
    auto after_answers = answers_of(b);
    auto find_answer = [](const std::vector<std::pair<long long, AnswerText>>& list,
                          long long id) -> const AnswerText* {
        for (const auto& [key, value] : list) {
            if (key == id)
                return &value;
        }
        return nullptr;
    };
    std::vector<long long> order;
    for (const auto& [id, value] : after_answers)
        order.push_back(id);
    for (const auto& [id, value] : before_answers) {
        if (std::find(order.begin(), order.end(), id) == order.end())
            order.push_back(id);
    }
    for (long long id : order) {
        const AnswerText* before = find_answer(before_answers, id);
        const AnswerText* after = find_answer(after_answers, id);
        const AnswerText& named = after ? *after : *before;
        const bool msgid = (before && before->msgid) || (after && after->msgid);
        add_line(lines, named.label, false, "", before ? before->value : "",
                 after ? after->value : "", msgid);
    }

    // Budget cells.
    auto cells_of = [](const json::object& doc) {
        std::map<std::pair<long long, std::string>, long long> cells;
        const auto& array = member(doc, "budget");
        if (!array.is_array())
            return cells;
        for (const auto& item : array.as_array()) {
            if (!item.is_object())
                continue;
            const auto& o = item.as_object();
            const auto& year = member(o, "year");
            const auto& amount = member(o, "amount_ore");
            cells[{year.is_int64() ? year.as_int64() : 0, text_of(member(o, "cost_type"))}] =
                amount.is_int64() ? amount.as_int64() : 0;
        }
        return cells;
    };
    auto before_cells = cells_of(a);
    auto after_cells = cells_of(b);
    std::set<std::pair<long long, std::string>> keys;
    for (const auto& [key, value] : before_cells)
        keys.insert(key);
    for (const auto& [key, value] : after_cells)
        keys.insert(key);
    for (const auto& key : keys) {
        auto type = parse_cost_type(key.second);
        std::string label = type ? std::string(cost_type_label(*type)) : key.second;
        auto before = before_cells.find(key);
        auto after = after_cells.find(key);
        add_line(lines, label, true, std::to_string(key.first),
                 before == before_cells.end() ? "" : kroner(before->second),
                 after == after_cells.end() ? "" : kroner(after->second));
    }

    // Financing and partners by row.
    auto rows_of = [](const json::object& doc, std::string_view key) {
        const auto& array = member(doc, key);
        return array.is_array() ? array.as_array() : json::array{};
    };
    auto financing_text = [](const json::object& o) {
        auto number = [&](std::string_view key) {
            const auto& v = member(o, key);
            return v.is_int64() ? v.as_int64() : 0;
        };
        std::string text;
        const std::string funder = text_of(member(o, "funder_name"));
        if (!funder.empty())
            text = funder + ": ";
        text += kroner(number("cash_ore"));
        if (number("in_kind_hours") != 0)
            text += " + " + std::to_string(number("in_kind_hours")) + " × " +
                    kroner(number("hourly_rate_ore"));
        return text;
    };
    {
        auto before = rows_of(a, "financing");
        auto after = rows_of(b, "financing");
        for (std::size_t i = 0; i < std::max(before.size(), after.size()); ++i) {
            const json::object* x =
                i < before.size() && before[i].is_object() ? &before[i].as_object() : nullptr;
            const json::object* y =
                i < after.size() && after[i].is_object() ? &after[i].as_object() : nullptr;
            const json::object& named = y ? *y : *x;
            auto source = parse_financing_source(text_of(member(named, "source")));
            add_line(lines, source ? std::string(financing_source_label(*source)) : "Financing",
                     true, "#" + std::to_string(i + 1), x ? financing_text(*x) : "",
                     y ? financing_text(*y) : "");
        }
    }
    auto partner_text = [](const json::object& o) {
        std::string text = text_of(member(o, "name"));
        const std::string number = text_of(member(o, "organisation_number"));
        if (!number.empty())
            text += " (" + number + ")";
        const std::string role = text_of(member(o, "role"));
        if (!role.empty())
            text += ", " + role;
        return text;
    };
    {
        auto before = rows_of(a, "partners");
        auto after = rows_of(b, "partners");
        for (std::size_t i = 0; i < std::max(before.size(), after.size()); ++i) {
            const json::object* x =
                i < before.size() && before[i].is_object() ? &before[i].as_object() : nullptr;
            const json::object* y =
                i < after.size() && after[i].is_object() ? &after[i].as_object() : nullptr;
            const json::object& named = y ? *y : *x;
            auto kind = parse_partner_kind(text_of(member(named, "kind")));
            add_line(lines, kind ? std::string(partner_kind_label(*kind)) : "Partner", true,
                     "#" + std::to_string(i + 1), x ? partner_text(*x) : "",
                     y ? partner_text(*y) : "");
        }
    }

    // Attachments by name and content hash.
    auto files_of = [&](const json::object& doc) {
        std::map<std::string, std::string> files; // name -> sha256
        for (const auto& item : rows_of(doc, "attachments")) {
            if (item.is_object())
                files[text_of(member(item.as_object(), "file_name"))] =
                    text_of(member(item.as_object(), "sha256"));
        }
        return files;
    };
    auto before_files = files_of(a);
    auto after_files = files_of(b);
    std::set<std::string> names;
    for (const auto& [name, hash] : before_files)
        names.insert(name);
    for (const auto& [name, hash] : after_files)
        names.insert(name);
    auto short_hash = [](const std::string& hash) { return "SHA-256 " + hash.substr(0, 12); };
    for (const auto& name : names) {
        auto before = before_files.find(name);
        auto after = after_files.find(name);
        add_line(lines, "Attachment", true, name,
                 before == before_files.end() ? "" : short_hash(before->second),
                 after == after_files.end() ? "" : short_hash(after->second));
    }
    return lines;
}

// --- Scopes of lists ------------------------------------------------------------------

bool organisation_wide(const identity::Principal& user, Role role) {
    return std::any_of(user.grants.begin(), user.grants.end(), [&](const identity::Grant& g) {
        return g.role == role && !g.fund_id && !g.unit_id;
    });
}

// Staff see the funds they hold a role for; auditors and organisation-wide
// grants see every fund.
std::optional<std::vector<Id>> staff_funds(const Actor& actor) {
    if (actor.is_system || actor.principal == nullptr)
        return std::nullopt;
    const auto& user = *actor.principal;
    if (user.has_role(Role::Auditor) || organisation_wide(user, Role::FundManager) ||
        organisation_wide(user, Role::DecisionMaker))
        return std::nullopt;
    std::vector<Id> funds;
    for (const auto& grant : user.grants) {
        if ((grant.role == Role::FundManager || grant.role == Role::DecisionMaker) && grant.fund_id)
            funds.push_back(*grant.fund_id);
    }
    return funds;
}

// Units of the actor's grants of these roles; none: every unit.
std::optional<std::vector<Id>> grant_units(const Actor& actor, std::initializer_list<Role> roles) {
    if (actor.is_system || actor.principal == nullptr)
        return std::nullopt;
    std::vector<Id> units;
    for (const auto& grant : actor.principal->grants) {
        if (std::find(roles.begin(), roles.end(), grant.role) == roles.end())
            continue;
        if (!grant.unit_id)
            return std::nullopt;
        units.push_back(*grant.unit_id);
    }
    return units;
}

ListFilter clamped(ListFilter filter) {
    filter.page = std::max(filter.page, 1);
    if (filter.per_page < 1 || filter.per_page > MAX_PER_PAGE)
        filter.per_page = std::clamp(filter.per_page, 1, MAX_PER_PAGE);
    // Deep pages cost an OFFSET scan: beyond a million rows is no real use.
    filter.page = std::min(filter.page, 1'000'000 / filter.per_page + 1);
    return filter;
}

} // namespace

// --- Construction -----------------------------------------------------------------------

ApplicationsService::ApplicationsService(std::shared_ptr<db::Database> database,
                                         ApplicationsOptions options)
    : m_database(std::move(database)), m_options(std::move(options)) {}

std::string ApplicationsService::now_text() const {
    return to_db_time(m_options.now());
}

// The calls module's reads (system level: this service authorises).
namespace {
calls::CallsService calls_of(const std::shared_ptr<db::Database>& database) {
    return calls::CallsService(database);
}
} // namespace

// --- Applicants ---------------------------------------------------------------------------

Result<Id> ApplicationsService::create(const Actor& actor, Id call_id, Id unit_id,
                                       std::string title) {
    auto calls = calls_of(m_database);
    auto call = calls.call_for_application(call_id);
    if (!call)
        return tl::unexpected(Error::not_found());
    if (auto allowed = check(actor, ApplicationsAction::Create,
                             {call->organisation_id, unit_id, call->fund_id, Status::Draft, false});
        !allowed) {
        // A call of another organisation is not there; a unit not the
        // actor's is a wrong choice on the form.
        if (allowed.error().kind == ErrorKind::NotFound)
            return tl::unexpected(allowed.error());
        return tl::unexpected(invalid({{"unit_id", message::NO_SUCH_UNIT}}));
    }
    title = trim(title);
    if (title.empty())
        return tl::unexpected(invalid({{"title", message::TITLE_MISSING}}));
    if (utf8_length(title) > MAX_TITLE_LENGTH)
        return tl::unexpected(invalid({{"title", message::TITLE_TOO_LONG}}));
    const TimePoint now = m_options.now();
    const std::string now_db = to_db_time(now);
    if (call->status != calls::CallStatus::Published || !calls::accepts_submissions(*call, now_db))
        return tl::unexpected(Error::conflict(message::CALL_NOT_OPEN));

    return m_database->transact([&](soci::session& sql) -> Result<Id> {
        auto units = store::service_units(sql, call->organisation_id);
        auto unit = std::find_if(units.begin(), units.end(),
                                 [&](const identity::OrgUnit& u) { return u.id == unit_id; });
        if (unit == units.end() || !unit->active)
            return tl::unexpected(invalid({{"unit_id", message::NO_SUCH_UNIT}}));
        store::NewApplication row;
        row.organisation_id = call->organisation_id;
        row.call_id = call->id;
        row.unit_id = unit_id;
        row.created_by = user_id(actor).value_or(0);
        if (row.created_by == 0)
            throw std::logic_error("applications: create needs a user");
        row.reference_year = oslo_year(now);
        row.reference_number = store::next_reference(sql, m_database->engine(), row.organisation_id,
                                                     row.reference_year);
        row.title = title;
        Id id = store::insert_application(sql, row, now_db);
        store::insert_status_change(sql, id, std::nullopt, Status::Draft, user_id(actor), "",
                                    now_db);
        store::write_search(sql, m_database->engine(), id, title);
        identity::record_audit(sql, m_database->engine(),
                               event(actor, row.organisation_id, "application.create", id,
                                     format_reference(row.reference_year, row.reference_number) +
                                         " " + title + " (call " + std::to_string(call_id) +
                                         ", unit " + std::to_string(unit_id) + ")"));
        return id;
    });
}

Result<std::vector<OpenCall>> ApplicationsService::open_calls(const Actor& actor) {
    if (actor.principal == nullptr)
        return tl::unexpected(Decision::login_required().to_error());
    auto calls = calls_of(m_database).open_calls(actor.principal->organisation_id, now_text());
    if (!calls)
        return tl::unexpected(calls.error());
    std::vector<OpenCall> out;
    for (const auto& call : *calls) {
        out.push_back({call.id, call.title, call.fund_name, call.programme_name,
                       call.programme_kind, call.closes_at, call.rolling, call.max_amount_ore});
    }
    return out;
}

Result<std::vector<identity::OrgUnit>> ApplicationsService::applicant_units(const Actor& actor) {
    if (actor.principal == nullptr)
        return tl::unexpected(Decision::login_required().to_error());
    const auto& user = *actor.principal;
    auto units = m_database->read(
        [&](soci::session& sql) { return store::service_units(sql, user.organisation_id); });
    std::erase_if(units, [&](const identity::OrgUnit& unit) {
        return !unit.active || !applies_for_unit(user, unit.id) ||
               // An organisation-wide grant: service units only.
               (unit.kind != identity::UnitKind::ServiceUnit &&
                grant_units(actor, {Role::Applicant, Role::UnitLeader}) == std::nullopt);
    });
    return units;
}

Result<Application> ApplicationsService::get(const Actor& actor, Id id) {
    return m_database->read([&](soci::session& sql) -> Result<Application> {
        auto application = store::find_application(sql, id);
        if (!application)
            return tl::unexpected(Error::not_found());
        if (auto allowed = check(actor, ApplicationsAction::View, resource_of(*application));
            !allowed)
            return tl::unexpected(allowed.error());
        store::load_parts(sql, *application);
        return std::move(*application);
    });
}

Result<EditContext> ApplicationsService::edit_context(const Actor& actor, Id id) {
    auto application =
        m_database->read([&](soci::session& sql) { return store::find_application(sql, id); });
    if (!application)
        return tl::unexpected(Error::not_found());
    if (auto allowed = check(actor, ApplicationsAction::View, resource_of(*application)); !allowed)
        return tl::unexpected(allowed.error());
    auto calls = calls_of(m_database);
    EditContext context;
    auto call = calls.call_for_application(application->call_id);
    auto form = calls.form(application->call_id);
    auto external = calls.external_calls(application->organisation_id, true);
    auto models = calls.partnership_models(application->organisation_id, true);
    if (!call || !form || !external || !models)
        return tl::unexpected(Error::not_found());
    context.call = std::move(*call);
    context.form = std::move(*form);
    context.external_calls = std::move(*external);
    context.partnership_models = std::move(*models);
    return context;
}

Result<EditContext> ApplicationsService::new_context(const Actor& actor, Id call_id) {
    auto calls = calls_of(m_database);
    auto call = calls.call_for_application(call_id);
    if (!call)
        return tl::unexpected(Error::not_found());
    if (!actor.is_system &&
        (actor.principal == nullptr || actor.principal->organisation_id != call->organisation_id ||
         call->status == calls::CallStatus::Draft))
        return tl::unexpected(actor.principal ? Error::not_found()
                                              : Decision::login_required().to_error());
    if (auto allowed =
            check(actor, ApplicationsAction::ListOwn, {call->organisation_id, {}, {}, {}, false});
        !allowed)
        return tl::unexpected(allowed.error());
    EditContext context;
    auto form = calls.form(call_id);
    if (!form)
        return tl::unexpected(form.error());
    auto units = applicant_units(actor);
    if (!units)
        return tl::unexpected(units.error());
    context.call = std::move(*call);
    context.form = std::move(*form);
    context.units = std::move(*units);
    return context;
}

// --- Saving parts -------------------------------------------------------------------------

namespace {

// The application as an editor finds it: authorised for Edit and a draft.
Result<Application> editable(soci::session& sql, db::Engine engine, const Actor& actor, Id id,
                             bool lock) {
    auto application =
        lock ? store::lock_application(sql, engine, id) : store::find_application(sql, id);
    if (!application)
        return tl::unexpected(Error::not_found());
    if (auto allowed = check(actor, ApplicationsAction::Edit, resource_of(*application)); !allowed)
        return tl::unexpected(allowed.error());
    if (!allowed(application->status, Transition::Save))
        return tl::unexpected(Error::conflict(message::NOT_EDITABLE));
    return std::move(*application);
}

} // namespace

Result<void> ApplicationsService::save_details(const Actor& actor, Id id,
                                               const DetailsInput& input) {
    const auto engine = m_database->engine();
    auto found = m_database->read(
        [&](soci::session& sql) { return editable(sql, engine, actor, id, false); });
    if (!found)
        return tl::unexpected(found.error());
    auto calls = calls_of(m_database);
    auto form = calls.form(found->call_id);
    if (!form)
        return tl::unexpected(form.error());
    auto errors = validate_details(input, *form);
    if (input.external_call_id) {
        auto external = calls.external_call(found->organisation_id, *input.external_call_id);
        if (!external || !*external)
            errors.push_back({"external_call_id", message::EXTERNAL_CALL_MISSING});
    }
    if (input.partnership_model_id) {
        auto model = calls.partnership_model(found->organisation_id, *input.partnership_model_id);
        if (!model || !*model || !(*model)->active)
            errors.push_back({"partnership_model_id", message::PARTNERSHIP_MODEL_MISSING});
    }
    if (!errors.empty())
        return tl::unexpected(invalid(std::move(errors)));

    Application changed = *found;
    changed.title = trim(input.title);
    changed.summary = trim(input.summary);
    changed.themes = normalise_themes(input.themes);
    changed.start_year = input.start_year;
    changed.duration_years = input.duration_years;
    changed.external_call_id = input.external_call_id;
    changed.project_total_ore = input.project_total_ore;
    changed.external_applied_ore = input.external_applied_ore;
    changed.own_contribution_ore = input.own_contribution_ore;
    changed.partnership_model_id = input.partnership_model_id;
    std::vector<Answer> answers;
    for (const auto& answer : input.answers) {
        if (answer.empty() || (answer.text && trim(*answer.text).empty()))
            continue;
        answers.push_back(answer);
    }
    const auto files = file_field_ids(*form);
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto application = editable(sql, engine, actor, id, true);
        if (!application)
            return tl::unexpected(application.error());
        const std::string now = now_text();
        store::update_details(sql, changed, now);
        store::replace_themes(sql, id, changed.themes);
        store::replace_answers(sql, id, answers, files);
        store::write_search(
            sql, engine, id,
            search_text_of(changed.title, changed.summary, changed.themes, answers));
        identity::record_audit(sql, engine,
                               event(actor, application->organisation_id, "application.save", id,
                                     "details: " + changed.title + " (" +
                                         std::to_string(answers.size()) + " answers)"));
        return {};
    });
}

Result<void> ApplicationsService::save_budget(const Actor& actor, Id id,
                                              const std::vector<BudgetLine>& lines) {
    const auto engine = m_database->engine();
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto application = editable(sql, engine, actor, id, true);
        if (!application)
            return tl::unexpected(application.error());
        if (auto errors = validate_budget(lines); !errors.empty())
            return tl::unexpected(invalid(std::move(errors)));
        store::replace_budget(sql, id, lines, now_text());
        identity::record_audit(sql, engine,
                               event(actor, application->organisation_id, "application.save", id,
                                     "budget: " + std::to_string(lines.size()) + " lines, total " +
                                         kroner(budget_total(lines).value_or(0))));
        return {};
    });
}

Result<void> ApplicationsService::save_financing(const Actor& actor, Id id,
                                                 const std::vector<FinancingLine>& input) {
    const auto engine = m_database->engine();
    std::vector<FinancingLine> lines = input;
    for (auto& line : lines)
        line.funder_name = trim(line.funder_name);
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto application = editable(sql, engine, actor, id, true);
        if (!application)
            return tl::unexpected(application.error());
        if (auto errors = validate_financing(lines); !errors.empty())
            return tl::unexpected(invalid(std::move(errors)));
        store::replace_financing(sql, id, lines, now_text());
        identity::record_audit(
            sql, engine,
            event(actor, application->organisation_id, "application.save", id,
                  "financing: " + std::to_string(lines.size()) + " lines, total " +
                      kroner(financing_total(lines).value_or(0)) + ", from the fund " +
                      kroner(financing_total(lines, FinancingSource::Fund).value_or(0))));
        return {};
    });
}

Result<void> ApplicationsService::save_partners(const Actor& actor, Id id,
                                                const std::vector<Partner>& input) {
    const auto engine = m_database->engine();
    std::vector<Partner> partners = input;
    for (auto& partner : partners) {
        partner.name = trim(partner.name);
        partner.role = trim(partner.role);
        partner.organisation_number = trim(partner.organisation_number);
    }
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto application = editable(sql, engine, actor, id, true);
        if (!application)
            return tl::unexpected(application.error());
        if (auto errors = validate_partners(partners); !errors.empty())
            return tl::unexpected(invalid(std::move(errors)));
        for (auto& partner : partners) {
            if (!partner.organisation_number.empty())
                partner.organisation_number =
                    normalise_organisation_number(partner.organisation_number).value_or("");
        }
        store::replace_partners(sql, id, partners, now_text());
        identity::record_audit(sql, engine,
                               event(actor, application->organisation_id, "application.save", id,
                                     "partners: " + std::to_string(partners.size())));
        return {};
    });
}

// --- Attachments ----------------------------------------------------------------------------

namespace {

// Removes an attachment of a draft: kept (marked removed) when a revision
// names it, else deleted with its bytes.
void drop_attachment(soci::session& sql, Id application_id, Id attachment_id,
                     std::optional<Id> field_id) {
    if (store::attachment_in_revision(sql, application_id, attachment_id)) {
        store::mark_attachment_removed(sql, attachment_id);
        if (field_id)
            store::set_file_answer(sql, application_id, *field_id, std::nullopt);
    } else {
        store::delete_attachment(sql, attachment_id);
    }
}

} // namespace

Result<Id> ApplicationsService::add_attachment(const Actor& actor, Id id,
                                               std::optional<Id> field_id, std::string file_name,
                                               std::string_view bytes) {
    const auto engine = m_database->engine();
    auto found = m_database->read(
        [&](soci::session& sql) { return editable(sql, engine, actor, id, false); });
    if (!found)
        return tl::unexpected(found.error());
    if (field_id) {
        auto form = calls_of(m_database).form(found->call_id);
        if (!form)
            return tl::unexpected(form.error());
        const calls::FormField* field = find_field(*form, *field_id);
        if (field == nullptr || field->kind != calls::FieldKind::File)
            return tl::unexpected(invalid({{"file", message::FIELD_NOT_A_FILE_FIELD}}));
    }
    auto upload = check_upload(file_name, bytes);
    if (!upload)
        return tl::unexpected(upload.error());
    store::NewAttachment row;
    row.organisation_id = found->organisation_id;
    row.application_id = id;
    row.field_id = field_id;
    row.file_name = upload->file_name;
    row.media_type = upload->media_type;
    row.size_bytes = upload->size_bytes;
    row.sha256 = upload->sha256;
    row.uploaded_by = user_id(actor).value_or(0);
    if (row.uploaded_by == 0)
        throw std::logic_error("applications: add_attachment needs a user");
    row.content_base64 = to_base64(bytes);
    return m_database->transact([&](soci::session& sql) -> Result<Id> {
        auto application = editable(sql, engine, actor, id, true);
        if (!application)
            return tl::unexpected(application.error());
        const std::string now = now_text();
        if (field_id) {
            // One file answers a field: the new one replaces the old.
            for (Id old : store::field_attachments(sql, id, *field_id))
                drop_attachment(sql, id, old, field_id);
        }
        Id attachment = store::insert_attachment(sql, row, now);
        if (field_id)
            store::set_file_answer(sql, id, *field_id, attachment);
        store::touch(sql, id, now);
        identity::record_audit(sql, engine,
                               event(actor, application->organisation_id, "attachment.add", id,
                                     row.file_name + " (" + row.media_type + ", " +
                                         std::to_string(row.size_bytes) + " bytes, sha256 " +
                                         row.sha256 + ")"));
        return attachment;
    });
}

Result<void> ApplicationsService::remove_attachment(const Actor& actor, Id id, Id attachment_id) {
    const auto engine = m_database->engine();
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto application = editable(sql, engine, actor, id, true);
        if (!application)
            return tl::unexpected(application.error());
        auto attachment = store::find_attachment(sql, id, attachment_id);
        if (!attachment || attachment->removed)
            return tl::unexpected(Error::not_found());
        drop_attachment(sql, id, attachment_id, attachment->info.field_id);
        store::touch(sql, id, now_text());
        identity::record_audit(
            sql, engine,
            event(actor, application->organisation_id, "attachment.remove", id,
                  attachment->info.file_name + " (sha256 " + attachment->info.sha256 + ")"));
        return {};
    });
}

Result<AttachmentDownload> ApplicationsService::download(const Actor& actor, Id id,
                                                         Id attachment_id) {
    return m_database->read([&](soci::session& sql) -> Result<AttachmentDownload> {
        auto application = store::find_application(sql, id);
        if (!application)
            return tl::unexpected(Error::not_found());
        if (auto allowed = check(actor, ApplicationsAction::Download, resource_of(*application));
            !allowed)
            return tl::unexpected(allowed.error());
        auto attachment = store::find_attachment(sql, id, attachment_id);
        if (!attachment)
            return tl::unexpected(Error::not_found());
        auto content = store::attachment_content(sql, attachment_id);
        if (!content)
            return tl::unexpected(Error::not_found());
        auto bytes = from_base64(*content);
        if (!bytes)
            throw std::runtime_error("attachment " + std::to_string(attachment_id) +
                                     ": stored content is not base64");
        return AttachmentDownload{attachment->info.file_name, attachment->info.media_type,
                                  std::move(*bytes)};
    });
}

// --- Workflow -------------------------------------------------------------------------------

namespace {

struct CallFacts {
    calls::Call call;
    calls::FormDefinition form;
    std::optional<int> required_own_share_percent;
    bool partnership_model_known = false;
};

Result<CallFacts> call_facts(const std::shared_ptr<db::Database>& database,
                             const Application& application) {
    auto calls = calls_of(database);
    auto call = calls.call_for_application(application.call_id);
    if (!call)
        return tl::unexpected(call.error());
    auto form = calls.form(application.call_id);
    if (!form)
        return tl::unexpected(form.error());
    CallFacts facts{std::move(*call), std::move(*form), std::nullopt, false};
    if (application.external_call_id) {
        auto external =
            calls.external_call(application.organisation_id, *application.external_call_id);
        if (external && *external)
            facts.required_own_share_percent = (*external)->required_own_share_percent;
    }
    if (application.partnership_model_id) {
        auto model =
            calls.partnership_model(application.organisation_id, *application.partnership_model_id);
        facts.partnership_model_known = model && *model && (*model)->active;
    }
    return facts;
}

SubmissionContext submission_context(const CallFacts& facts) {
    SubmissionContext context;
    context.max_amount_ore = facts.call.max_amount_ore;
    context.max_duration_years = facts.call.max_duration_years;
    context.programme_kind = funds::parse_programme_kind(facts.call.programme_kind)
                                 .value_or(funds::ProgrammeKind::Other);
    context.form = &facts.form;
    context.required_own_share_percent = facts.required_own_share_percent;
    context.partnership_model_known = facts.partnership_model_known;
    return context;
}

// Stores the next revision and moves the application to Submitted.
void store_submission(soci::session& sql, const Application& application,
                      const calls::FormDefinition& form, const Actor& actor,
                      std::optional<Id> endorsed_by, const std::string& now) {
    const int number = application.revision_count + 1;
    store::insert_revision(sql, application.id, number, user_id(actor).value_or(0), now,
                           revision_document(application, form));
    store::StatusUpdate update;
    update.status = Status::Submitted;
    update.submitted_at = now;
    update.add_revision = true;
    if (endorsed_by) {
        update.endorsed_by = endorsed_by;
        update.endorsed_at = now;
    }
    store::update_status(sql, application.id, update, now);
}

} // namespace

Result<SubmitCheck> ApplicationsService::check_submission(const Actor& actor, Id id) {
    auto application = m_database->read([&](soci::session& sql) -> Result<Application> {
        auto found = store::find_application(sql, id);
        if (!found)
            return tl::unexpected(Error::not_found());
        if (auto allowed = check(actor, ApplicationsAction::Submit, resource_of(*found)); !allowed)
            return tl::unexpected(allowed.error());
        store::load_parts(sql, *found);
        return std::move(*found);
    });
    if (!application)
        return tl::unexpected(application.error());
    auto facts = call_facts(m_database, *application);
    if (!facts)
        return tl::unexpected(facts.error());
    return SubmitCheck{check_completeness(*application, submission_context(*facts))};
}

Result<Status> ApplicationsService::submit(const Actor& actor, Id id) {
    const auto engine = m_database->engine();
    auto found = m_database->read([&](soci::session& sql) -> Result<Application> {
        auto application = store::find_application(sql, id);
        if (!application)
            return tl::unexpected(Error::not_found());
        if (auto allowed = check(actor, ApplicationsAction::Submit, resource_of(*application));
            !allowed)
            return tl::unexpected(allowed.error());
        return std::move(*application);
    });
    if (!found)
        return tl::unexpected(found.error());
    // A repeated submit (double click, back button) changes nothing.
    if (found->status == Status::AwaitingEndorsement || found->status == Status::Submitted)
        return found->status;
    if (found->status == Status::Withdrawn)
        return tl::unexpected(Error::conflict(message::WITHDRAWN));
    auto facts = call_facts(m_database, *found);
    if (!facts)
        return tl::unexpected(facts.error());
    const std::string now = now_text();
    if (facts->call.status != calls::CallStatus::Published ||
        !calls::accepts_submissions(facts->call, now))
        return tl::unexpected(Error::conflict(message::CALL_CLOSED));

    return m_database->transact([&](soci::session& sql) -> Result<Status> {
        auto application = store::lock_application(sql, engine, id);
        if (!application)
            return tl::unexpected(Error::not_found());
        if (application->status == Status::AwaitingEndorsement ||
            application->status == Status::Submitted)
            return application->status;
        if (application->status != Status::Draft)
            return tl::unexpected(Error::conflict(message::WITHDRAWN));
        store::load_parts(sql, *application);
        if (auto missing = check_completeness(*application, submission_context(*facts));
            !missing.empty())
            return tl::unexpected(invalid(std::move(missing), message::NOT_READY));
        const Status next =
            *next_status(Status::Draft, Transition::Submit, facts->call.endorsement_required);
        if (next == Status::Submitted) {
            store_submission(sql, *application, facts->form, actor, std::nullopt, now);
            notifications::queue_receipt(sql, *application, m_options.translate_mail, now);
        } else {
            store::StatusUpdate update;
            update.status = next;
            store::update_status(sql, id, update, now);
            notifications::queue_endorsement_request(sql, *application, m_options.translate_mail,
                                                     now);
        }
        store::insert_status_change(sql, id, Status::Draft, next, user_id(actor), "", now);
        identity::record_audit(
            sql, engine,
            event(actor, application->organisation_id, "application.submit", id,
                  application->reference + ": " + std::string(status_key(next)) +
                      (next == Status::Submitted
                           ? ", revision " + std::to_string(application->revision_count + 1)
                           : "")));
        return next;
    });
}

Result<void> ApplicationsService::endorse(const Actor& actor, Id id) {
    const auto engine = m_database->engine();
    auto found = m_database->read([&](soci::session& sql) -> Result<Application> {
        auto application = store::find_application(sql, id);
        if (!application)
            return tl::unexpected(Error::not_found());
        if (auto allowed = check(actor, ApplicationsAction::Endorse, resource_of(*application));
            !allowed)
            return tl::unexpected(allowed.error());
        return std::move(*application);
    });
    if (!found)
        return tl::unexpected(found.error());
    if (found->status == Status::Submitted && found->endorsed_at)
        return {}; // endorsed already: a repeated click
    if (found->status != Status::AwaitingEndorsement)
        return tl::unexpected(Error::conflict(message::NOT_AWAITING_ENDORSEMENT));
    auto facts = call_facts(m_database, *found);
    if (!facts)
        return tl::unexpected(facts.error());
    const std::string now = now_text();
    if (facts->call.status != calls::CallStatus::Published ||
        !calls::accepts_submissions(facts->call, now))
        return tl::unexpected(Error::conflict(message::CALL_CLOSED));

    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto application = store::lock_application(sql, engine, id);
        if (!application)
            return tl::unexpected(Error::not_found());
        if (application->status == Status::Submitted && application->endorsed_at)
            return {};
        if (application->status != Status::AwaitingEndorsement)
            return tl::unexpected(Error::conflict(message::NOT_AWAITING_ENDORSEMENT));
        store::load_parts(sql, *application);
        store_submission(sql, *application, facts->form, actor, user_id(actor), now);
        notifications::queue_receipt(sql, *application, m_options.translate_mail, now);
        store::insert_status_change(sql, id, Status::AwaitingEndorsement, Status::Submitted,
                                    user_id(actor), "", now);
        identity::record_audit(sql, engine,
                               event(actor, application->organisation_id, "application.endorse", id,
                                     application->reference + ": submitted, revision " +
                                         std::to_string(application->revision_count + 1)));
        return {};
    });
}

Result<void> ApplicationsService::return_to_draft(const Actor& actor, Id id, std::string comment) {
    comment = clean_comment(comment);
    const auto engine = m_database->engine();
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto application = store::lock_application(sql, engine, id);
        if (!application)
            return tl::unexpected(Error::not_found());
        if (auto allowed = check(actor, ApplicationsAction::Return, resource_of(*application));
            !allowed)
            return tl::unexpected(allowed.error());
        if (!allowed(application->status, Transition::Return))
            return tl::unexpected(Error::conflict(message::CANNOT_RETURN));
        if (comment.empty())
            return tl::unexpected(invalid({{"comment", message::COMMENT_REQUIRED}}));
        if (utf8_length(comment) > MAX_COMMENT_LENGTH)
            return tl::unexpected(invalid({{"comment", message::COMMENT_TOO_LONG}}));
        const std::string now = now_text();
        store::StatusUpdate update;
        update.status = Status::Draft;
        update.clear_endorsement = true;
        store::update_status(sql, id, update, now);
        store::insert_status_change(sql, id, application->status, Status::Draft, user_id(actor),
                                    comment, now);
        identity::record_audit(sql, engine,
                               event(actor, application->organisation_id, "application.return", id,
                                     application->reference + ": " +
                                         std::string(status_key(application->status)) +
                                         " -> draft: " + comment));
        return {};
    });
}

Result<void> ApplicationsService::withdraw(const Actor& actor, Id id, std::string comment) {
    comment = clean_comment(comment);
    const auto engine = m_database->engine();
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto application = store::lock_application(sql, engine, id);
        if (!application)
            return tl::unexpected(Error::not_found());
        if (auto allowed = check(actor, ApplicationsAction::Withdraw, resource_of(*application));
            !allowed)
            return tl::unexpected(allowed.error());
        if (application->status == Status::Withdrawn)
            return {}; // a repeated click
        if (utf8_length(comment) > MAX_COMMENT_LENGTH)
            return tl::unexpected(invalid({{"comment", message::COMMENT_TOO_LONG}}));
        const std::string now = now_text();
        store::StatusUpdate update;
        update.status = Status::Withdrawn;
        store::update_status(sql, id, update, now);
        store::insert_status_change(sql, id, application->status, Status::Withdrawn, user_id(actor),
                                    comment, now);
        identity::record_audit(
            sql, engine,
            event(actor, application->organisation_id, "application.withdraw", id,
                  application->reference + ": " + std::string(status_key(application->status)) +
                      " -> withdrawn" + (comment.empty() ? "" : ": " + comment)));
        return {};
    });
}

// --- Lists ------------------------------------------------------------------------------------

namespace {

Id organisation_of(const Actor& actor) {
    return actor.principal ? actor.principal->organisation_id : 0;
}

// The staff lists' rows: applications submitted at least once, in the
// actor's funds.
store::ListScope staff_scope(const Actor& actor) {
    store::ListScope scope;
    scope.organisation_id = organisation_of(actor);
    scope.submitted_once_only = true;
    scope.fund_ids = staff_funds(actor);
    return scope;
}

} // namespace

Result<ListPage> ApplicationsService::list(const Actor& actor, ListFilter filter) {
    if (actor.principal == nullptr && !actor.is_system)
        return tl::unexpected(Decision::login_required().to_error());
    const Id organisation = organisation_of(actor);
    if (auto allowed = check(actor, ApplicationsAction::ListStaff,
                             {organisation, std::nullopt, filter.fund_id, Status::Submitted, true});
        !allowed)
        return tl::unexpected(allowed.error());
    filter = clamped(std::move(filter));
    return m_database->read([&](db::Connection& connection) {
        return store::list_applications(connection, m_database->engine(), staff_scope(actor),
                                        filter);
    });
}

Result<StaffListView> ApplicationsService::staff_list(const Actor& actor,
                                                      std::optional<ListFilter> filter) {
    if (actor.principal == nullptr && !actor.is_system)
        return tl::unexpected(Decision::login_required().to_error());
    const Id organisation = organisation_of(actor);
    const std::optional<Id> fund = filter ? filter->fund_id : std::nullopt;
    if (auto allowed = check(actor, ApplicationsAction::ListStaff,
                             {organisation, std::nullopt, fund, Status::Submitted, true});
        !allowed)
        return tl::unexpected(allowed.error());
    if (filter)
        filter = clamped(std::move(*filter));
    const store::ListScope scope = staff_scope(actor);
    // The choices and the page need no common snapshot (a change between
    // them shows on the next view), and on PostgreSQL BEGIN and COMMIT
    // would be two of the page's four round trips.
    return m_database->read_without_snapshot([&](db::Connection& connection) {
        StaffListView view;
        view.choices = store::list_choices(connection, organisation, scope.fund_ids);
        if (filter)
            view.page = store::list_applications(connection, m_database->engine(), scope, *filter);
        return view;
    });
}

Result<ListPage> ApplicationsService::my_applications(const Actor& actor, int page) {
    if (actor.principal == nullptr)
        return tl::unexpected(Decision::login_required().to_error());
    const Id organisation = organisation_of(actor);
    if (auto allowed = check(actor, ApplicationsAction::ListOwn,
                             {organisation, std::nullopt, std::nullopt, Status::Draft, false});
        !allowed)
        return tl::unexpected(allowed.error());
    ListFilter filter;
    filter.page = page;
    filter.per_page = DEFAULT_PER_PAGE;
    filter.sort = SortKey::Updated;
    filter.descending = true;
    filter = clamped(filter);
    store::ListScope scope;
    scope.organisation_id = organisation;
    scope.unit_ids = grant_units(actor, {Role::Applicant, Role::UnitLeader});
    return m_database->read([&](db::Connection& connection) {
        return store::list_applications(connection, m_database->engine(), scope, filter);
    });
}

Result<ListPage> ApplicationsService::endorsement_queue(const Actor& actor, int page) {
    if (actor.principal == nullptr)
        return tl::unexpected(Decision::login_required().to_error());
    const Id organisation = organisation_of(actor);
    if (auto allowed = check(actor, ApplicationsAction::EndorsementQueue,
                             {organisation, std::nullopt, std::nullopt, Status::Draft, false});
        !allowed)
        return tl::unexpected(allowed.error());
    ListFilter filter;
    filter.page = page;
    filter.per_page = DEFAULT_PER_PAGE;
    filter.status = Status::AwaitingEndorsement;
    filter.sort = SortKey::Updated;
    filter.descending = false;
    filter = clamped(filter);
    store::ListScope scope;
    scope.organisation_id = organisation;
    scope.unit_ids = grant_units(actor, {Role::UnitLeader});
    return m_database->read([&](db::Connection& connection) {
        return store::list_applications(connection, m_database->engine(), scope, filter);
    });
}

Result<std::string>
ApplicationsService::export_list(const Actor& actor, ListFilter filter, ExportFormat format,
                                 const std::function<std::string(std::string_view)>& translate) {
    if (actor.principal == nullptr && !actor.is_system)
        return tl::unexpected(Decision::login_required().to_error());
    const Id organisation = organisation_of(actor);
    if (auto allowed = check(actor, ApplicationsAction::Export,
                             {organisation, std::nullopt, filter.fund_id, Status::Submitted, true});
        !allowed)
        return tl::unexpected(allowed.error());
    filter = clamped(std::move(filter));
    const store::ListScope scope = staff_scope(actor);
    ListExportContext context{translate};
    if (format == ExportFormat::Csv) {
        ListCsv csv(context);
        m_database->read([&](soci::session& sql) {
            store::for_each_application(sql, m_database->engine(), scope, filter,
                                        [&](const ListRow& row) { csv.add(row); });
        });
        return csv.take();
    }
    ListXlsx xlsx(context);
    m_database->read([&](soci::session& sql) {
        store::for_each_application(sql, m_database->engine(), scope, filter,
                                    [&](const ListRow& row) { xlsx.add(row); });
    });
    return xlsx.finish();
}

// --- History ------------------------------------------------------------------------------------

Result<std::vector<StatusChange>> ApplicationsService::history(const Actor& actor, Id id) {
    return m_database->read([&](soci::session& sql) -> Result<std::vector<StatusChange>> {
        auto application = store::find_application(sql, id);
        if (!application)
            return tl::unexpected(Error::not_found());
        if (auto allowed = check(actor, ApplicationsAction::ViewHistory, resource_of(*application));
            !allowed)
            return tl::unexpected(allowed.error());
        return store::status_changes(sql, id);
    });
}

Result<std::vector<RevisionSummary>> ApplicationsService::revisions(const Actor& actor, Id id) {
    return m_database->read([&](soci::session& sql) -> Result<std::vector<RevisionSummary>> {
        auto application = store::find_application(sql, id);
        if (!application)
            return tl::unexpected(Error::not_found());
        if (auto allowed =
                check(actor, ApplicationsAction::ViewRevisions, resource_of(*application));
            !allowed)
            return tl::unexpected(allowed.error());
        return store::revisions(sql, id);
    });
}

Result<std::vector<DiffLine>> ApplicationsService::compare(const Actor& actor, Id id,
                                                           int from_revision, int to_revision) {
    auto documents =
        m_database->read([&](soci::session& sql) -> Result<std::pair<std::string, std::string>> {
            auto application = store::find_application(sql, id);
            if (!application)
                return tl::unexpected(Error::not_found());
            if (auto allowed =
                    check(actor, ApplicationsAction::ViewRevisions, resource_of(*application));
                !allowed)
                return tl::unexpected(allowed.error());
            auto before = store::revision_document(sql, id, from_revision);
            auto after = store::revision_document(sql, id, to_revision);
            if (!before || !after)
                return tl::unexpected(Error::not_found(message::NO_SUCH_REVISION));
            return std::pair(std::move(*before), std::move(*after));
        });
    if (!documents)
        return tl::unexpected(documents.error());
    json::value before = json::parse(documents->first);
    json::value after = json::parse(documents->second);
    if (!before.is_object() || !after.is_object())
        throw std::runtime_error("application_revision: document is not a JSON object");
    return diff_documents(before.as_object(), after.as_object());
}

} // namespace spire::applications
