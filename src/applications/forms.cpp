#include "applications/forms.hpp"

#include "core/money.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <set>

namespace spire::applications {

namespace {

// How many grid rows a page may post: the service's limit and a margin, so
// that a few more than the limit get the service's "too many" message
// rather than being dropped silently.
constexpr std::size_t MAX_POSTED_ROWS = 60;

// A whole number in [min, max] written with digits only; nullopt otherwise.
std::optional<long long> whole_number(const std::string& raw, long long min, long long max) {
    std::string text = trim(raw);
    if (text.empty() || text.size() > 18)
        return std::nullopt;
    long long value = 0;
    const char* begin = text.data();
    const char* end = text.data() + text.size();
    if (*begin == '+' || *begin == '-')
        return std::nullopt;
    auto [ptr, ec] = std::from_chars(begin, end, value);
    if (ec != std::errc() || ptr != end || value < min || value > max)
        return std::nullopt;
    return value;
}

// Collects field errors; each field keeps its first message only.
class Fields {
public:
    void add(const std::string& field, std::string message) {
        if (m_named.insert(field).second)
            m_errors.push_back({field, std::move(message)});
    }
    void add_all(const std::vector<FieldError>& errors) {
        for (const auto& error : errors)
            add(error.field, error.message);
    }
    bool has(const std::string& field) const { return m_named.contains(field); }
    bool ok() const { return m_errors.empty(); }
    Error error() { return Error::invalid(message::CHECK_FIELDS, std::move(m_errors)); }

    // Kroner, or nullopt (with the error recorded) when it does not parse.
    std::optional<Ore> kroner(const std::string& field, const std::string& text) {
        auto value = parse_kroner(text);
        if (!value) {
            add(field, value.error().message);
            return std::nullopt;
        }
        return *value;
    }
    // Kroner where empty means "not given".
    std::optional<Ore> optional_kroner(const std::string& field, const std::string& text) {
        if (trim(text).empty())
            return std::nullopt;
        return kroner(field, text);
    }
    std::optional<Id> optional_id(const std::string& field, const std::string& text,
                                  const char* message) {
        if (trim(text).empty())
            return std::nullopt;
        auto id = parse_digits(trim(text));
        if (!id || *id < 1) {
            add(field, message);
            return std::nullopt;
        }
        return *id;
    }

private:
    std::vector<FieldError> m_errors;
    std::set<std::string> m_named;
};

std::string text_of(const http::Form& form, const std::string& name) {
    return std::string(form.get(name).value_or(""));
}

// "field_12" -> 12.
std::optional<Id> answer_field_id(std::string_view name) {
    constexpr std::string_view PREFIX = "field_";
    if (!name.starts_with(PREFIX))
        return std::nullopt;
    auto id = parse_digits(name.substr(PREFIX.size()));
    if (!id || *id < 1)
        return std::nullopt;
    return *id;
}

std::vector<std::string> split_themes(const std::string& text) {
    std::vector<std::string> themes;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t comma = text.find(',', start);
        if (comma == std::string::npos)
            comma = text.size();
        std::string theme = trim(std::string_view(text).substr(start, comma - start));
        if (!theme.empty())
            themes.push_back(std::move(theme));
        start = comma + 1;
    }
    return themes;
}

std::string join_themes(const std::vector<std::string>& themes) {
    std::string text;
    for (const auto& theme : themes) {
        if (!text.empty())
            text += ", ";
        text += theme;
    }
    return text;
}

// "1.3.2018" or "01.03.2018" (as people write dates when the browser shows
// a plain text box instead of a date picker) -> "2018-03-01"; anything
// else is passed on as typed for the service to judge.
std::string iso_date(const std::string& raw) {
    std::string text = trim(raw);
    auto first = text.find('.');
    auto second = first == std::string::npos ? first : text.find('.', first + 1);
    if (second == std::string::npos)
        return text;
    auto day = whole_number(text.substr(0, first), 1, 31);
    auto month = whole_number(text.substr(first + 1, second - first - 1), 1, 12);
    auto year = whole_number(text.substr(second + 1), 1000, 9999);
    if (!day || !month || !year || text.size() - second - 1 != 4)
        return text;
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04lld-%02lld-%02lld", *year, *month, *day);
    return buffer;
}

// One answer from the values posted for its field; nullopt when it was
// left empty (an unanswered field) or could not be read (error recorded).
std::optional<Answer> parse_answer(Fields& fields, const calls::FormField& field,
                                   const std::vector<std::string>& values) {
    const std::string name = "field_" + std::to_string(field.id);
    std::string first = values.empty() ? std::string() : values.front();
    Answer answer;
    answer.field_id = field.id;
    switch (field.kind) {
    case calls::FieldKind::ShortText:
        if (trim(first).empty())
            return std::nullopt;
        answer.text = trim(first);
        return answer;
    case calls::FieldKind::LongText:
        if (trim(first).empty())
            return std::nullopt;
        answer.text = first;
        return answer;
    case calls::FieldKind::Number:
        if (trim(first).empty())
            return std::nullopt;
        answer.number = trim(first);
        return answer;
    case calls::FieldKind::Money:
        if (trim(first).empty())
            return std::nullopt;
        if (auto amount = fields.kroner(name, first)) {
            answer.amount_ore = *amount;
            return answer;
        }
        return std::nullopt;
    case calls::FieldKind::Date:
        if (trim(first).empty())
            return std::nullopt;
        answer.date = iso_date(first);
        return answer;
    case calls::FieldKind::SingleChoice:
        if (trim(first).empty())
            return std::nullopt;
        if (auto id = fields.optional_id(name, first, message::CHOOSE_OPTION)) {
            answer.option_id = *id;
            return answer;
        }
        return std::nullopt;
    case calls::FieldKind::MultipleChoice:
        for (const auto& value : values) {
            if (trim(value).empty())
                continue;
            auto id = fields.optional_id(name, value, message::CHOOSE_OPTION);
            if (!id)
                return std::nullopt;
            if (std::find(answer.option_ids.begin(), answer.option_ids.end(), *id) ==
                answer.option_ids.end())
                answer.option_ids.push_back(*id);
        }
        if (answer.option_ids.empty())
            return std::nullopt;
        return answer;
    case calls::FieldKind::YesNo: {
        std::string value = trim(first);
        if (value.empty())
            return std::nullopt;
        if (value != "yes" && value != "no") {
            fields.add(name, message::CHOOSE_OPTION);
            return std::nullopt;
        }
        answer.yes_no = value == "yes";
        return answer;
    }
    case calls::FieldKind::File:
        return std::nullopt; // uploaded on the attachments page
    }
    return std::nullopt;
}

// The posted value of a saved answer, as the input shows it.
std::vector<std::string> answer_values(const calls::FormField& field, const Answer& answer) {
    switch (field.kind) {
    case calls::FieldKind::ShortText:
    case calls::FieldKind::LongText:
        return {answer.text.value_or("")};
    case calls::FieldKind::Number:
        return {answer.number.value_or("")};
    case calls::FieldKind::Money:
        return {answer.amount_ore ? to_kroner_input(*answer.amount_ore) : std::string()};
    case calls::FieldKind::Date:
        return {answer.date.value_or("")};
    case calls::FieldKind::SingleChoice:
        return {answer.option_id ? std::to_string(*answer.option_id) : std::string()};
    case calls::FieldKind::MultipleChoice: {
        std::vector<std::string> values;
        for (Id id : answer.option_ids)
            values.push_back(std::to_string(id));
        return values;
    }
    case calls::FieldKind::YesNo:
        if (!answer.yes_no)
            return {};
        return {*answer.yes_no ? "yes" : "no"};
    case calls::FieldKind::File:
        return {};
    }
    return {};
}

} // namespace

std::string kroner_input(const std::optional<Ore>& ore) {
    return ore ? to_kroner_input(*ore) : std::string();
}

// --- Details -------------------------------------------------------------------------

DetailsForm read_details_form(const http::Form& form) {
    DetailsForm details;
    details.title = text_of(form, "title");
    details.summary = text_of(form, "summary");
    details.themes = text_of(form, "themes");
    details.start_year = text_of(form, "start_year");
    details.duration_years = text_of(form, "duration_years");
    details.external_call_id = text_of(form, "external_call_id");
    details.project_total = text_of(form, "project_total");
    details.external_applied = text_of(form, "external_applied");
    details.own_contribution = text_of(form, "own_contribution");
    details.partnership_model_id = text_of(form, "partnership_model_id");
    for (const auto& [name, value] : form.fields()) {
        if (auto id = answer_field_id(name))
            details.answers[*id].push_back(value);
    }
    return details;
}

DetailsForm details_form_of(const Application& application, const calls::FormDefinition& form) {
    DetailsForm details;
    details.title = application.title;
    details.summary = application.summary;
    details.themes = join_themes(application.themes);
    details.start_year = application.start_year ? std::to_string(*application.start_year) : "";
    details.duration_years = std::to_string(application.duration_years);
    for (const auto& answer : application.answers) {
        if (const calls::FormField* field = form.field(answer.field_id))
            details.answers[answer.field_id] = answer_values(*field, answer);
    }
    details.external_call_id =
        application.external_call_id ? std::to_string(*application.external_call_id) : "";
    details.project_total = kroner_input(application.project_total_ore);
    details.external_applied = kroner_input(application.external_applied_ore);
    details.own_contribution = kroner_input(application.own_contribution_ore);
    details.partnership_model_id =
        application.partnership_model_id ? std::to_string(*application.partnership_model_id) : "";
    return details;
}

Result<DetailsInput> parse_details_form(const DetailsForm& form,
                                        const calls::FormDefinition& definition) {
    Fields fields;
    DetailsInput input;
    input.title = trim(form.title);
    input.summary = form.summary;
    input.themes = split_themes(form.themes);
    if (!trim(form.start_year).empty()) {
        if (auto year = whole_number(form.start_year, 1000, 9999))
            input.start_year = static_cast<int>(*year);
        else
            fields.add("start_year", message::WHOLE_YEAR);
    }
    if (trim(form.duration_years).empty()) {
        input.duration_years = 1;
    } else if (auto years = whole_number(form.duration_years, 0, 1000)) {
        input.duration_years = static_cast<int>(*years);
    } else {
        fields.add("duration_years", message::WHOLE_DURATION);
    }
    static const std::vector<std::string> NO_VALUES;
    for (const auto& section : definition.sections) {
        for (const auto& field : section.fields) {
            if (field.kind == calls::FieldKind::File)
                continue;
            auto posted = form.answers.find(field.id);
            const auto& values = posted == form.answers.end() ? NO_VALUES : posted->second;
            if (auto answer = parse_answer(fields, field, values))
                input.answers.push_back(std::move(*answer));
        }
    }
    // Answers to fields that are not (or no longer) on the form.
    for (const auto& [id, values] : form.answers) {
        if (!definition.field(id))
            fields.add("field_" + std::to_string(id), message::UNKNOWN_FIELD);
    }
    input.external_call_id =
        fields.optional_id("external_call_id", form.external_call_id, message::CHOOSE_OPTION);
    input.project_total_ore = fields.optional_kroner("project_total", form.project_total);
    input.external_applied_ore = fields.optional_kroner("external_applied", form.external_applied);
    input.own_contribution_ore = fields.optional_kroner("own_contribution", form.own_contribution);
    input.partnership_model_id = fields.optional_id(
        "partnership_model_id", form.partnership_model_id, message::CHOOSE_OPTION);
    // The checks of the typed values, so that one answer lists everything
    // (one message per field: the first problem found).
    fields.add_all(validate_details(input, definition));
    if (!fields.ok())
        return tl::unexpected(fields.error());
    return input;
}

// --- Budget ------------------------------------------------------------------------------

std::string budget_cell_name(int year, CostType cost_type) {
    return "budget_" + std::to_string(year) + "_" + std::string(cost_type_key(cost_type));
}

BudgetForm read_budget_form(const http::Form& form) {
    BudgetForm budget;
    for (const auto& [name, value] : form.fields()) {
        if (name.starts_with("budget_"))
            budget.cells[name] = value;
    }
    return budget;
}

BudgetForm budget_form_of(const std::vector<BudgetLine>& lines) {
    BudgetForm budget;
    for (const auto& line : lines)
        budget.cells[budget_cell_name(line.year, line.cost_type)] =
            to_kroner_input(line.amount_ore);
    return budget;
}

Result<std::vector<BudgetLine>> parse_budget_form(const BudgetForm& form) {
    Fields fields;
    std::vector<BudgetLine> lines;
    for (const auto& [name, text] : form.cells) {
        if (trim(text).empty())
            continue;
        // budget_<year>_<cost type key>; the key itself may hold '_'.
        std::string_view rest = std::string_view(name).substr(7);
        auto underscore = rest.find('_');
        auto year = underscore == std::string_view::npos
                        ? std::nullopt
                        : whole_number(std::string(rest.substr(0, underscore)), MIN_YEAR, MAX_YEAR);
        auto cost_type = underscore == std::string_view::npos
                             ? std::nullopt
                             : parse_cost_type(rest.substr(underscore + 1));
        if (!year || !cost_type) {
            fields.add("budget", message::UNKNOWN_BUDGET_CELL);
            continue;
        }
        auto amount = fields.kroner(name, text);
        if (!amount || *amount == 0)
            continue;
        lines.push_back({static_cast<int>(*year), *cost_type, *amount});
    }
    std::sort(lines.begin(), lines.end(), [](const BudgetLine& a, const BudgetLine& b) {
        return a.year != b.year ? a.year < b.year : a.cost_type < b.cost_type;
    });
    if (fields.ok())
        fields.add_all(validate_budget(lines));
    if (!fields.ok())
        return tl::unexpected(fields.error());
    return lines;
}

// --- Financing -------------------------------------------------------------------------------

bool FinancingRowForm::empty() const {
    return trim(source).empty() && trim(funder_name).empty() && trim(cash).empty() &&
           trim(hours).empty() && trim(rate).empty();
}

FinancingForm read_financing_form(const http::Form& form) {
    FinancingForm financing;
    for (std::size_t n = 0; n < MAX_POSTED_ROWS; ++n) {
        const std::string prefix = "financing_" + std::to_string(n) + "_";
        FinancingRowForm row{text_of(form, prefix + "source"),
                             text_of(form, prefix + "funder_name"), text_of(form, prefix + "cash"),
                             text_of(form, prefix + "hours"), text_of(form, prefix + "rate")};
        if (!row.empty())
            financing.rows.push_back(std::move(row));
    }
    return financing;
}

FinancingForm financing_form_of(const std::vector<FinancingLine>& lines) {
    FinancingForm financing;
    for (const auto& line : lines) {
        financing.rows.push_back(
            {std::string(financing_source_key(line.source)), line.funder_name,
             line.cash_ore ? to_kroner_input(line.cash_ore) : std::string(),
             line.in_kind_hours ? std::to_string(line.in_kind_hours) : std::string(),
             line.hourly_rate_ore ? to_kroner_input(line.hourly_rate_ore) : std::string()});
    }
    return financing;
}

Result<std::vector<FinancingLine>> parse_financing_form(const FinancingForm& form) {
    Fields fields;
    std::vector<FinancingLine> lines;
    for (std::size_t i = 0; i < form.rows.size(); ++i) {
        const FinancingRowForm& row = form.rows[i];
        const std::string prefix = "financing_" + std::to_string(i) + "_";
        FinancingLine line;
        if (auto source = parse_financing_source(trim(row.source)))
            line.source = *source;
        else
            fields.add(prefix + "source", message::CHOOSE_SOURCE);
        line.funder_name = trim(row.funder_name);
        if (!trim(row.cash).empty())
            line.cash_ore = fields.kroner(prefix + "cash", row.cash).value_or(0);
        if (!trim(row.hours).empty()) {
            if (auto hours = whole_number(row.hours, 0, MAX_IN_KIND_HOURS))
                line.in_kind_hours = static_cast<int>(*hours);
            else
                fields.add(prefix + "hours", message::HOURS_NOT_A_NUMBER);
        }
        if (!trim(row.rate).empty())
            line.hourly_rate_ore = fields.kroner(prefix + "rate", row.rate).value_or(0);
        lines.push_back(std::move(line));
    }
    fields.add_all(validate_financing(lines));
    if (!fields.ok())
        return tl::unexpected(fields.error());
    return lines;
}

// --- Partners --------------------------------------------------------------------------------

bool PartnerRowForm::empty() const {
    return trim(name).empty() && trim(organisation_number).empty() && trim(kind).empty() &&
           trim(role).empty();
}

PartnersForm read_partners_form(const http::Form& form) {
    PartnersForm partners;
    for (std::size_t n = 0; n < MAX_POSTED_ROWS; ++n) {
        const std::string prefix = "partner_" + std::to_string(n) + "_";
        PartnerRowForm row{text_of(form, prefix + "name"),
                           text_of(form, prefix + "organisation_number"),
                           text_of(form, prefix + "kind"), text_of(form, prefix + "role")};
        if (!row.empty())
            partners.rows.push_back(std::move(row));
    }
    return partners;
}

PartnersForm partners_form_of(const std::vector<Partner>& partners) {
    PartnersForm form;
    for (const auto& partner : partners)
        form.rows.push_back({partner.name, partner.organisation_number,
                             std::string(partner_kind_key(partner.kind)), partner.role});
    return form;
}

Result<std::vector<Partner>> parse_partners_form(const PartnersForm& form) {
    Fields fields;
    std::vector<Partner> partners;
    for (std::size_t i = 0; i < form.rows.size(); ++i) {
        const PartnerRowForm& row = form.rows[i];
        const std::string prefix = "partner_" + std::to_string(i) + "_";
        Partner partner;
        partner.name = trim(row.name);
        if (partner.name.empty())
            fields.add(prefix + "name", message::PARTNER_NAME_MISSING);
        std::string number = trim(row.organisation_number);
        if (!number.empty()) {
            if (auto normalised = normalise_organisation_number(number))
                partner.organisation_number = *normalised;
            else
                fields.add(prefix + "organisation_number", message::ORGANISATION_NUMBER_INVALID);
        }
        if (auto kind = parse_partner_kind(trim(row.kind)))
            partner.kind = *kind;
        else
            fields.add(prefix + "kind", message::CHOOSE_PARTNER_KIND);
        partner.role = trim(row.role);
        partners.push_back(std::move(partner));
    }
    // Lengths and the list's size; the number check above already ran.
    for (auto& error : validate_partners(partners)) {
        if (!error.field.ends_with("_organisation_number") || !fields.has(error.field))
            fields.add(error.field, error.message);
    }
    if (!fields.ok())
        return tl::unexpected(fields.error());
    return partners;
}

// --- The staff list's filters ------------------------------------------------------------------

Result<ListFilter> parse_list_filter(const ListFilterForm& form) {
    Fields fields;
    ListFilter filter;
    filter.call_id = fields.optional_id("call", form.call, message::ID_NOT_A_NUMBER);
    filter.programme_id = fields.optional_id("programme", form.programme, message::ID_NOT_A_NUMBER);
    filter.fund_id = fields.optional_id("fund", form.fund, message::ID_NOT_A_NUMBER);
    filter.unit_id = fields.optional_id("unit", form.unit, message::ID_NOT_A_NUMBER);
    if (!trim(form.status).empty()) {
        filter.status = parse_status(trim(form.status));
        if (!filter.status)
            fields.add("status", message::CHOOSE_STATUS);
    }
    if (!trim(form.theme).empty())
        filter.theme = trim(form.theme);
    filter.query = trim(form.q);
    if (!trim(form.sort).empty()) {
        if (auto sort = parse_sort_key(trim(form.sort)))
            filter.sort = *sort;
        else
            fields.add("sort", message::SORT_UNKNOWN);
    }
    std::string dir = trim(form.dir);
    // Text sorts read best A–Z, the rest newest or largest first.
    bool text_sort = filter.sort == SortKey::Reference || filter.sort == SortKey::Title ||
                     filter.sort == SortKey::Unit;
    filter.descending = dir.empty() ? !text_sort : dir != "asc";
    if (!trim(form.page).empty()) {
        if (auto page = whole_number(form.page, 1, 100'000))
            filter.page = static_cast<int>(*page);
        else
            fields.add("page", message::PAGE_NUMBER);
    }
    if (!fields.ok())
        return tl::unexpected(fields.error());
    return filter;
}

} // namespace spire::applications
