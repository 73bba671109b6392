#include "calls/store.hpp"

#include "db/statement.hpp"

#include <map>
#include <soci/soci.h>
#include <stdexcept>

namespace spire::calls::store {

namespace {

// --- Calls ----------------------------------------------------------------------

constexpr const char* CALL_SELECT =
    "SELECT c.id, c.organisation_id, c.fund_id, c.programme_id, c.title, c.description,\n"
    "    c.eligibility, c.opens_at, c.closes_at, c.rolling, c.max_amount_ore,\n"
    "    c.max_duration_years, c.endorsement_required, c.status, c.created_at, c.updated_at,\n"
    "    f.name, p.name, p.kind, o.name\n"
    "FROM fund_call c\n"
    "JOIN fund f ON f.id = c.fund_id\n"
    "JOIN programme p ON p.id = c.programme_id\n"
    "JOIN organisation o ON o.id = c.organisation_id\n";

struct CallRow {
    Call call;
    db::Nullable<std::string> opens_at;
    db::Nullable<std::string> closes_at;
    int rolling = 0;
    int endorsement = 1;
    std::string status;

    void bind(soci::statement& statement) {
        statement.exchange(soci::into(call.id));
        statement.exchange(soci::into(call.organisation_id));
        statement.exchange(soci::into(call.fund_id));
        statement.exchange(soci::into(call.programme_id));
        statement.exchange(soci::into(call.title));
        statement.exchange(soci::into(call.description));
        statement.exchange(soci::into(call.eligibility));
        statement.exchange(soci::into(opens_at.value, opens_at.indicator));
        statement.exchange(soci::into(closes_at.value, closes_at.indicator));
        statement.exchange(soci::into(rolling));
        statement.exchange(soci::into(call.max_amount_ore));
        statement.exchange(soci::into(call.max_duration_years));
        statement.exchange(soci::into(endorsement));
        statement.exchange(soci::into(status));
        statement.exchange(soci::into(call.created_at));
        statement.exchange(soci::into(call.updated_at));
        statement.exchange(soci::into(call.fund_name));
        statement.exchange(soci::into(call.programme_name));
        statement.exchange(soci::into(call.programme_kind));
        statement.exchange(soci::into(call.organisation_name));
    }
    Call finish() const {
        Call out = call;
        out.opens_at = opens_at.get();
        out.closes_at = closes_at.get();
        out.rolling = rolling != 0;
        out.endorsement_required = endorsement != 0;
        auto parsed = parse_call_status(status);
        if (!parsed)
            throw std::runtime_error("fund_call: unknown status '" + status + "'");
        out.status = *parsed;
        return out;
    }
};

std::vector<Call> fetch_calls(soci::statement& statement, CallRow& row) {
    statement.execute();
    std::vector<Call> calls;
    while (statement.fetch())
        calls.push_back(row.finish());
    return calls;
}

// --- Criteria -------------------------------------------------------------------

struct CriterionRow {
    Criterion criterion;
    db::Nullable<int> minimum;

    void bind(soci::statement& statement) {
        statement.exchange(soci::into(criterion.id));
        statement.exchange(soci::into(criterion.call_id));
        statement.exchange(soci::into(criterion.name));
        statement.exchange(soci::into(criterion.guidance));
        statement.exchange(soci::into(criterion.weight_percent));
        statement.exchange(soci::into(criterion.scale_min));
        statement.exchange(soci::into(criterion.scale_max));
        statement.exchange(soci::into(minimum.value, minimum.indicator));
        statement.exchange(soci::into(criterion.sort_order));
    }
    Criterion finish() const {
        Criterion out = criterion;
        out.minimum_score = minimum.get();
        return out;
    }
};

void insert_options(soci::session& sql, Id field_id, const std::vector<FieldOption>& options) {
    int order = 0;
    for (const auto& option : options) {
        long long field = field_id;
        std::string label = option.label;
        int sort = option.sort_order != 0 ? option.sort_order : ++order * 10;
        sql << "INSERT INTO form_field_option (field_id, label, sort_order)\n"
               "VALUES (:field, :label, :sort)",
            soci::use(field, "field"), soci::use(label, "label"), soci::use(sort, "sort");
    }
}

// --- Catalogues -----------------------------------------------------------------

constexpr const char* EXTERNAL_COLUMNS =
    "id, organisation_id, funder, programme, title, deadline, required_own_share_percent, url, "
    "active";

struct ExternalRow {
    ExternalCall external;
    db::Nullable<std::string> deadline;
    int active = 1;

    void bind(soci::statement& statement) {
        statement.exchange(soci::into(external.id));
        statement.exchange(soci::into(external.organisation_id));
        statement.exchange(soci::into(external.funder));
        statement.exchange(soci::into(external.programme));
        statement.exchange(soci::into(external.title));
        statement.exchange(soci::into(deadline.value, deadline.indicator));
        statement.exchange(soci::into(external.required_own_share_percent));
        statement.exchange(soci::into(external.url));
        statement.exchange(soci::into(active));
    }
    ExternalCall finish() const {
        ExternalCall out = external;
        out.deadline = deadline.get();
        out.active = active != 0;
        return out;
    }
};

constexpr const char* MODEL_COLUMNS = "id, organisation_id, name, description, active, sort_order";

struct ModelRow {
    PartnershipModel model;
    int active = 1;

    void bind(soci::statement& statement) {
        statement.exchange(soci::into(model.id));
        statement.exchange(soci::into(model.organisation_id));
        statement.exchange(soci::into(model.name));
        statement.exchange(soci::into(model.description));
        statement.exchange(soci::into(active));
        statement.exchange(soci::into(model.sort_order));
    }
    PartnershipModel finish() const {
        PartnershipModel out = model;
        out.active = active != 0;
        return out;
    }
};

} // namespace

// --- Calls ----------------------------------------------------------------------

Id insert_call(soci::session& sql, const Call& call, const std::string& now) {
    long long id = 0;
    db::Nullable<std::string> opens(call.opens_at);
    db::Nullable<std::string> closes(call.rolling ? std::nullopt : call.closes_at);
    int rolling = call.rolling ? 1 : 0;
    int endorsement = call.endorsement_required ? 1 : 0;
    std::string status(call_status_key(call.status));
    sql << "INSERT INTO fund_call (organisation_id, fund_id, programme_id, title, description,\n"
           "    eligibility, opens_at, closes_at, rolling, max_amount_ore, max_duration_years,\n"
           "    endorsement_required, status, created_at, updated_at)\n"
           "VALUES (:organisation, :fund, :programme, :title, :description, :eligibility,\n"
           "    :opens, :closes, :rolling, :max_amount, :duration, :endorsement, :status, :now,\n"
           "    :now2) RETURNING id",
        soci::use(call.organisation_id, "organisation"), soci::use(call.fund_id, "fund"),
        soci::use(call.programme_id, "programme"), soci::use(call.title, "title"),
        soci::use(call.description, "description"), soci::use(call.eligibility, "eligibility"),
        soci::use(opens.value, opens.indicator, "opens"),
        soci::use(closes.value, closes.indicator, "closes"), soci::use(rolling, "rolling"),
        soci::use(call.max_amount_ore, "max_amount"),
        soci::use(call.max_duration_years, "duration"), soci::use(endorsement, "endorsement"),
        soci::use(status, "status"), soci::use(now, "now"), soci::use(now, "now2"), soci::into(id);
    return id;
}

void update_call(soci::session& sql, const Call& call, const std::string& now) {
    db::Nullable<std::string> opens(call.opens_at);
    db::Nullable<std::string> closes(call.rolling ? std::nullopt : call.closes_at);
    int rolling = call.rolling ? 1 : 0;
    int endorsement = call.endorsement_required ? 1 : 0;
    std::string status(call_status_key(call.status));
    sql << "UPDATE fund_call SET programme_id = :programme, title = :title,\n"
           "    description = :description, eligibility = :eligibility, opens_at = :opens,\n"
           "    closes_at = :closes, rolling = :rolling, max_amount_ore = :max_amount,\n"
           "    max_duration_years = :duration, endorsement_required = :endorsement,\n"
           "    status = :status, updated_at = :now\n"
           "WHERE id = :id AND organisation_id = :organisation",
        soci::use(call.programme_id, "programme"), soci::use(call.title, "title"),
        soci::use(call.description, "description"), soci::use(call.eligibility, "eligibility"),
        soci::use(opens.value, opens.indicator, "opens"),
        soci::use(closes.value, closes.indicator, "closes"), soci::use(rolling, "rolling"),
        soci::use(call.max_amount_ore, "max_amount"),
        soci::use(call.max_duration_years, "duration"), soci::use(endorsement, "endorsement"),
        soci::use(status, "status"), soci::use(now, "now"), soci::use(call.id, "id"),
        soci::use(call.organisation_id, "organisation");
}

std::optional<Call> find_call(soci::session& sql, Id call_id) {
    CallRow row;
    long long id = call_id;
    soci::statement statement(sql);
    row.bind(statement);
    statement.exchange(soci::use(id, "id"));
    db::prepare(statement, std::string(CALL_SELECT) + "WHERE c.id = :id");
    if (!statement.execute(true))
        return std::nullopt;
    return row.finish();
}

std::vector<Call> list_fund_calls(soci::session& sql, Id fund_id) {
    CallRow row;
    long long fund = fund_id;
    soci::statement statement(sql);
    row.bind(statement);
    statement.exchange(soci::use(fund, "fund"));
    db::prepare(statement, std::string(CALL_SELECT) + "WHERE c.fund_id = :fund ORDER BY c.id DESC");
    return fetch_calls(statement, row);
}

std::vector<Call> list_published_calls(soci::session& sql, Id organisation_id) {
    CallRow row;
    long long organisation = organisation_id;
    soci::statement statement(sql);
    row.bind(statement);
    statement.exchange(soci::use(organisation, "organisation"));
    db::prepare(statement,
                std::string(CALL_SELECT) +
                    "WHERE c.organisation_id = :organisation AND c.status = 'published'\n"
                    "ORDER BY c.rolling, c.closes_at, c.id");
    return fetch_calls(statement, row);
}

std::vector<Call> list_public_calls(soci::session& sql, int offset, int limit) {
    CallRow row;
    int off = offset;
    int lim = limit;
    soci::statement statement(sql);
    row.bind(statement);
    statement.exchange(soci::use(lim, "limit"));
    statement.exchange(soci::use(off, "offset"));
    db::prepare(statement, std::string(CALL_SELECT) +
                               "WHERE c.status = 'published'\n"
                               "ORDER BY o.name, o.id, c.rolling, c.closes_at, c.id\n"
                               "LIMIT :limit OFFSET :offset");
    return fetch_calls(statement, row);
}

std::vector<Call> list_open_public_calls(soci::session& sql, const std::string& now, int limit) {
    CallRow row;
    std::string at = now;
    int lim = limit;
    soci::statement statement(sql);
    row.bind(statement);
    statement.exchange(soci::use(at, "now"));
    statement.exchange(soci::use(lim, "limit"));
    db::prepare(statement, std::string(CALL_SELECT) +
                               "WHERE c.status = 'published'\n"
                               "    AND (c.opens_at IS NULL OR c.opens_at <= :now)\n"
                               "    AND (c.rolling = 1 OR c.closes_at > :now)\n"
                               "ORDER BY c.rolling, c.closes_at, o.name, c.id\n"
                               "LIMIT :limit");
    return fetch_calls(statement, row);
}

long long count_public_calls(soci::session& sql) {
    long long count = 0;
    sql << "SELECT count(*) FROM fund_call WHERE status = 'published'", soci::into(count);
    return count;
}

long long count_applications(soci::session& sql, Id call_id) {
    long long count = 0;
    long long id = call_id;
    sql << "SELECT count(*) FROM application WHERE call_id = :id", soci::use(id, "id"),
        soci::into(count);
    return count;
}

// --- Criteria -------------------------------------------------------------------

std::vector<Criterion> list_criteria(soci::session& sql, Id call_id) {
    CriterionRow row;
    long long call = call_id;
    soci::statement statement(sql);
    row.bind(statement);
    statement.exchange(soci::use(call, "call"));
    db::prepare(statement,
                "SELECT id, call_id, name, guidance, weight_percent, scale_min, scale_max,\n"
                "    minimum_score, sort_order\n"
                "FROM call_criterion WHERE call_id = :call ORDER BY sort_order, id");
    statement.execute();
    std::vector<Criterion> criteria;
    while (statement.fetch())
        criteria.push_back(row.finish());
    return criteria;
}

Id insert_criterion(soci::session& sql, const Criterion& criterion) {
    long long id = 0;
    db::Nullable<int> minimum(criterion.minimum_score);
    sql << "INSERT INTO call_criterion (call_id, name, guidance, weight_percent, scale_min,\n"
           "    scale_max, minimum_score, sort_order)\n"
           "VALUES (:call, :name, :guidance, :weight, :min, :max, :minimum, :sort) RETURNING id",
        soci::use(criterion.call_id, "call"), soci::use(criterion.name, "name"),
        soci::use(criterion.guidance, "guidance"), soci::use(criterion.weight_percent, "weight"),
        soci::use(criterion.scale_min, "min"), soci::use(criterion.scale_max, "max"),
        soci::use(minimum.value, minimum.indicator, "minimum"),
        soci::use(criterion.sort_order, "sort"), soci::into(id);
    return id;
}

void update_criterion(soci::session& sql, const Criterion& criterion) {
    db::Nullable<int> minimum(criterion.minimum_score);
    sql << "UPDATE call_criterion SET name = :name, guidance = :guidance, weight_percent = "
           ":weight,\n"
           "    scale_min = :min, scale_max = :max, minimum_score = :minimum, sort_order = :sort\n"
           "WHERE id = :id AND call_id = :call",
        soci::use(criterion.name, "name"), soci::use(criterion.guidance, "guidance"),
        soci::use(criterion.weight_percent, "weight"), soci::use(criterion.scale_min, "min"),
        soci::use(criterion.scale_max, "max"),
        soci::use(minimum.value, minimum.indicator, "minimum"),
        soci::use(criterion.sort_order, "sort"), soci::use(criterion.id, "id"),
        soci::use(criterion.call_id, "call");
}

void delete_criterion(soci::session& sql, Id call_id, Id criterion_id) {
    long long call = call_id;
    long long id = criterion_id;
    sql << "DELETE FROM call_criterion WHERE id = :id AND call_id = :call", soci::use(id, "id"),
        soci::use(call, "call");
}

// --- Forms ----------------------------------------------------------------------

FormDefinition load_form(soci::session& sql, Id call_id, bool include_inactive) {
    FormDefinition form;
    form.call_id = call_id;
    long long call = call_id;
    {
        FormSection section;
        soci::statement statement =
            db::one_time(sql,
                         "SELECT id, call_id, title, help_text, sort_order FROM form_section\n"
                         "WHERE call_id = :call ORDER BY sort_order, id",
                         soci::use(call, "call"), soci::into(section.id),
                         soci::into(section.call_id), soci::into(section.title),
                         soci::into(section.help_text), soci::into(section.sort_order));
        statement.execute();
        while (statement.fetch())
            form.sections.push_back(section);
    }
    std::map<Id, std::vector<FieldOption>> options;
    {
        FieldOption option;
        soci::statement statement = db::one_time(
            sql,
            "SELECT o.id, o.field_id, o.label, o.sort_order\n"
            "FROM form_field_option o JOIN form_field f ON f.id = o.field_id\n"
            "WHERE f.call_id = :call ORDER BY o.field_id, o.sort_order, o.id",
            soci::use(call, "call"), soci::into(option.id), soci::into(option.field_id),
            soci::into(option.label), soci::into(option.sort_order));
        statement.execute();
        while (statement.fetch())
            options[option.field_id].push_back(option);
    }
    {
        FormField field;
        std::string kind;
        int required = 0;
        db::Nullable<int> max_length;
        int active = 1;
        soci::statement statement =
            db::one_time(sql,
                         "SELECT id, call_id, section_id, label, kind, required, help_text,\n"
                         "    max_length, sort_order, active\n"
                         "FROM form_field WHERE call_id = :call ORDER BY sort_order, id",
                         soci::use(call, "call"), soci::into(field.id), soci::into(field.call_id),
                         soci::into(field.section_id), soci::into(field.label), soci::into(kind),
                         soci::into(required), soci::into(field.help_text),
                         soci::into(max_length.value, max_length.indicator),
                         soci::into(field.sort_order), soci::into(active));
        statement.execute();
        while (statement.fetch()) {
            if (active == 0 && !include_inactive)
                continue;
            FormField out = field;
            auto parsed = parse_field_kind(kind);
            if (!parsed)
                throw std::runtime_error("form_field: unknown kind '" + kind + "'");
            out.kind = *parsed;
            out.required = required != 0;
            out.max_length = max_length.get();
            out.active = active != 0;
            if (auto found = options.find(out.id); found != options.end())
                out.options = found->second;
            for (auto& section : form.sections) {
                if (section.id == out.section_id) {
                    section.fields.push_back(std::move(out));
                    break;
                }
            }
        }
    }
    return form;
}

Id insert_section(soci::session& sql, const FormSection& section) {
    long long id = 0;
    sql << "INSERT INTO form_section (call_id, title, help_text, sort_order)\n"
           "VALUES (:call, :title, :help, :sort) RETURNING id",
        soci::use(section.call_id, "call"), soci::use(section.title, "title"),
        soci::use(section.help_text, "help"), soci::use(section.sort_order, "sort"), soci::into(id);
    return id;
}

void update_section(soci::session& sql, const FormSection& section) {
    sql << "UPDATE form_section SET title = :title, help_text = :help, sort_order = :sort\n"
           "WHERE id = :id AND call_id = :call",
        soci::use(section.title, "title"), soci::use(section.help_text, "help"),
        soci::use(section.sort_order, "sort"), soci::use(section.id, "id"),
        soci::use(section.call_id, "call");
}

void delete_section(soci::session& sql, Id call_id, Id section_id) {
    long long call = call_id;
    long long id = section_id;
    sql << "DELETE FROM form_field_option WHERE field_id IN\n"
           "    (SELECT id FROM form_field WHERE section_id = :id AND call_id = :call)",
        soci::use(id, "id"), soci::use(call, "call");
    sql << "DELETE FROM form_field WHERE section_id = :id AND call_id = :call", soci::use(id, "id"),
        soci::use(call, "call");
    sql << "DELETE FROM form_section WHERE id = :id AND call_id = :call", soci::use(id, "id"),
        soci::use(call, "call");
}

Id insert_field(soci::session& sql, const FormField& field) {
    long long id = 0;
    std::string kind(field_kind_key(field.kind));
    int required = field.required ? 1 : 0;
    int active = field.active ? 1 : 0;
    db::Nullable<int> max_length(field.max_length);
    sql << "INSERT INTO form_field (call_id, section_id, label, kind, required, help_text,\n"
           "    max_length, sort_order, active)\n"
           "VALUES (:call, :section, :label, :kind, :required, :help, :max_length, :sort,\n"
           "    :active) RETURNING id",
        soci::use(field.call_id, "call"), soci::use(field.section_id, "section"),
        soci::use(field.label, "label"), soci::use(kind, "kind"), soci::use(required, "required"),
        soci::use(field.help_text, "help"),
        soci::use(max_length.value, max_length.indicator, "max_length"),
        soci::use(field.sort_order, "sort"), soci::use(active, "active"), soci::into(id);
    insert_options(sql, id, field.options);
    return id;
}

void update_field(soci::session& sql, const FormField& field, bool replace_options) {
    std::string kind(field_kind_key(field.kind));
    int required = field.required ? 1 : 0;
    int active = field.active ? 1 : 0;
    db::Nullable<int> max_length(field.max_length);
    sql << "UPDATE form_field SET section_id = :section, label = :label, kind = :kind,\n"
           "    required = :required, help_text = :help, max_length = :max_length,\n"
           "    sort_order = :sort, active = :active\n"
           "WHERE id = :id AND call_id = :call",
        soci::use(field.section_id, "section"), soci::use(field.label, "label"),
        soci::use(kind, "kind"), soci::use(required, "required"),
        soci::use(field.help_text, "help"),
        soci::use(max_length.value, max_length.indicator, "max_length"),
        soci::use(field.sort_order, "sort"), soci::use(active, "active"), soci::use(field.id, "id"),
        soci::use(field.call_id, "call");
    if (replace_options) {
        long long id = field.id;
        sql << "DELETE FROM form_field_option WHERE field_id = :id", soci::use(id, "id");
        insert_options(sql, field.id, field.options);
    }
}

void delete_field(soci::session& sql, Id call_id, Id field_id) {
    long long call = call_id;
    long long id = field_id;
    sql << "DELETE FROM form_field_option WHERE field_id IN\n"
           "    (SELECT id FROM form_field WHERE id = :id AND call_id = :call)",
        soci::use(id, "id"), soci::use(call, "call");
    sql << "DELETE FROM form_field WHERE id = :id AND call_id = :call", soci::use(id, "id"),
        soci::use(call, "call");
}

int count_fields(soci::session& sql, Id call_id) {
    long long count = 0;
    long long call = call_id;
    sql << "SELECT count(*) FROM form_field WHERE call_id = :call", soci::use(call, "call"),
        soci::into(count);
    return static_cast<int>(count);
}

// --- Catalogues -----------------------------------------------------------------

std::vector<ExternalCall> list_external_calls(soci::session& sql, Id organisation_id,
                                              bool active_only) {
    ExternalRow row;
    long long organisation = organisation_id;
    soci::statement statement(sql);
    row.bind(statement);
    statement.exchange(soci::use(organisation, "organisation"));
    db::prepare(statement, std::string("SELECT ") + EXTERNAL_COLUMNS +
                               " FROM external_call WHERE organisation_id = :organisation" +
                               (active_only ? " AND active = 1" : "") +
                               " ORDER BY active DESC, funder, programme, title, id");
    statement.execute();
    std::vector<ExternalCall> out;
    while (statement.fetch())
        out.push_back(row.finish());
    return out;
}

std::optional<ExternalCall> find_external_call(soci::session& sql, Id organisation_id, Id id) {
    ExternalRow row;
    long long organisation = organisation_id;
    long long key = id;
    soci::statement statement(sql);
    row.bind(statement);
    statement.exchange(soci::use(key, "id"));
    statement.exchange(soci::use(organisation, "organisation"));
    db::prepare(statement,
                std::string("SELECT ") + EXTERNAL_COLUMNS +
                    " FROM external_call WHERE id = :id AND organisation_id = :organisation");
    if (!statement.execute(true))
        return std::nullopt;
    return row.finish();
}

Id insert_external_call(soci::session& sql, const ExternalCall& external, const std::string& now) {
    long long id = 0;
    db::Nullable<std::string> deadline(external.deadline);
    int active = external.active ? 1 : 0;
    sql << "INSERT INTO external_call (organisation_id, funder, programme, title, deadline,\n"
           "    required_own_share_percent, url, active, created_at)\n"
           "VALUES (:organisation, :funder, :programme, :title, :deadline, :share, :url,\n"
           "    :active, :now) RETURNING id",
        soci::use(external.organisation_id, "organisation"), soci::use(external.funder, "funder"),
        soci::use(external.programme, "programme"), soci::use(external.title, "title"),
        soci::use(deadline.value, deadline.indicator, "deadline"),
        soci::use(external.required_own_share_percent, "share"), soci::use(external.url, "url"),
        soci::use(active, "active"), soci::use(now, "now"), soci::into(id);
    return id;
}

void update_external_call(soci::session& sql, const ExternalCall& external) {
    db::Nullable<std::string> deadline(external.deadline);
    int active = external.active ? 1 : 0;
    sql << "UPDATE external_call SET funder = :funder, programme = :programme, title = :title,\n"
           "    deadline = :deadline, required_own_share_percent = :share, url = :url,\n"
           "    active = :active\n"
           "WHERE id = :id AND organisation_id = :organisation",
        soci::use(external.funder, "funder"), soci::use(external.programme, "programme"),
        soci::use(external.title, "title"),
        soci::use(deadline.value, deadline.indicator, "deadline"),
        soci::use(external.required_own_share_percent, "share"), soci::use(external.url, "url"),
        soci::use(active, "active"), soci::use(external.id, "id"),
        soci::use(external.organisation_id, "organisation");
}

std::vector<PartnershipModel> list_partnership_models(soci::session& sql, Id organisation_id,
                                                      bool active_only) {
    ModelRow row;
    long long organisation = organisation_id;
    soci::statement statement(sql);
    row.bind(statement);
    statement.exchange(soci::use(organisation, "organisation"));
    db::prepare(statement, std::string("SELECT ") + MODEL_COLUMNS +
                               " FROM partnership_model WHERE organisation_id = :organisation" +
                               (active_only ? " AND active = 1" : "") + " ORDER BY sort_order, id");
    statement.execute();
    std::vector<PartnershipModel> out;
    while (statement.fetch())
        out.push_back(row.finish());
    return out;
}

std::optional<PartnershipModel> find_partnership_model(soci::session& sql, Id organisation_id,
                                                       Id id) {
    ModelRow row;
    long long organisation = organisation_id;
    long long key = id;
    soci::statement statement(sql);
    row.bind(statement);
    statement.exchange(soci::use(key, "id"));
    statement.exchange(soci::use(organisation, "organisation"));
    db::prepare(statement,
                std::string("SELECT ") + MODEL_COLUMNS +
                    " FROM partnership_model WHERE id = :id AND organisation_id = :organisation");
    if (!statement.execute(true))
        return std::nullopt;
    return row.finish();
}

bool partnership_model_name_taken(soci::session& sql, Id organisation_id, const std::string& name,
                                  std::optional<Id> except_id) {
    long long count = 0;
    long long organisation = organisation_id;
    long long except = except_id.value_or(0);
    sql << "SELECT count(*) FROM partnership_model\n"
           "WHERE organisation_id = :organisation AND name = :name AND id <> :except",
        soci::use(organisation, "organisation"), soci::use(name, "name"),
        soci::use(except, "except"), soci::into(count);
    return count > 0;
}

Id insert_partnership_model(soci::session& sql, const PartnershipModel& model,
                            const std::string& now) {
    long long id = 0;
    int active = model.active ? 1 : 0;
    sql << "INSERT INTO partnership_model (organisation_id, name, description, active,\n"
           "    sort_order, created_at)\n"
           "VALUES (:organisation, :name, :description, :active, :sort, :now) RETURNING id",
        soci::use(model.organisation_id, "organisation"), soci::use(model.name, "name"),
        soci::use(model.description, "description"), soci::use(active, "active"),
        soci::use(model.sort_order, "sort"), soci::use(now, "now"), soci::into(id);
    return id;
}

void update_partnership_model(soci::session& sql, const PartnershipModel& model) {
    int active = model.active ? 1 : 0;
    sql << "UPDATE partnership_model SET name = :name, description = :description,\n"
           "    active = :active, sort_order = :sort\n"
           "WHERE id = :id AND organisation_id = :organisation",
        soci::use(model.name, "name"), soci::use(model.description, "description"),
        soci::use(active, "active"), soci::use(model.sort_order, "sort"), soci::use(model.id, "id"),
        soci::use(model.organisation_id, "organisation");
}

} // namespace spire::calls::store
