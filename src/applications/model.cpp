#include "applications/model.hpp"

#include "applications/search_text.hpp"
#include "core/named.hpp"
#include "core/text.hpp"
#include "http/utf8.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <date/date.h>
#include <limits>
#include <map>
#include <set>

namespace spire::applications {

namespace {

constexpr Named<Status> STATUSES[] = {
    {Status::Draft, "draft", "Draft"},
    {Status::AwaitingEndorsement, "awaiting_endorsement", "Awaiting endorsement"},
    {Status::Submitted, "submitted", "Submitted"},
    {Status::Withdrawn, "withdrawn", "Withdrawn"},
};

constexpr Named<CostType> COST_TYPES[] = {
    {CostType::Personnel, "personnel", "Personnel and indirect costs"},
    {CostType::RdServices, "rd_services", "Purchase of R&D services"},
    {CostType::Equipment, "equipment", "Equipment"},
    {CostType::Other, "other", "Other operating costs"},
};

constexpr Named<FinancingSource> FINANCING_SOURCES[] = {
    {FinancingSource::Fund, "fund", "This fund"},
    {FinancingSource::OwnUnit, "own_unit", "Own unit"},
    {FinancingSource::External, "external", "External funder"},
    {FinancingSource::Partner, "partner", "Partner"},
};

constexpr Named<PartnerKind> PARTNER_KINDS[] = {
    {PartnerKind::ResearchInstitution, "research_institution", "Research institution"},
    {PartnerKind::SocialEntrepreneur, "social_entrepreneur", "Social entrepreneur"},
    {PartnerKind::Company, "company", "Company"},
    {PartnerKind::Ngo, "ngo", "Non-governmental organisation"},
    {PartnerKind::PublicBody, "public_body", "Public body"},
};

constexpr Named<SortKey> SORT_KEYS[] = {
    {SortKey::Reference, "reference", "Reference"},
    {SortKey::Title, "title", "Title"},
    {SortKey::Unit, "unit", "Unit"},
    {SortKey::Requested, "requested", "Amount applied for"},
    {SortKey::Submitted, "submitted", "Submitted"},
    {SortKey::Updated, "updated", "Last changed"},
};

std::optional<Ore> checked_add(Ore a, Ore b) {
    Ore sum = 0;
    if (__builtin_add_overflow(a, b, &sum))
        return std::nullopt;
    return sum;
}

std::string field_name(Id field_id) {
    return "field_" + std::to_string(field_id);
}

std::string line_field(std::string_view prefix, std::size_t index, std::string_view part) {
    return std::string(prefix) + "_" + std::to_string(index) + "_" + std::string(part);
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// A decimal as people type it: optional '-', digits, optionally one ',' or
// '.' and more digits. No grouping, no exponent.
bool is_decimal(std::string_view text) {
    std::string value = trim(text);
    std::string_view v = value;
    if (!v.empty() && v.front() == '-')
        v.remove_prefix(1);
    if (v.empty() || v.size() > 40)
        return false;
    std::size_t digits_before = 0;
    std::size_t i = 0;
    while (i < v.size() && is_digit(v[i])) {
        ++digits_before;
        ++i;
    }
    if (digits_before == 0)
        return false;
    if (i == v.size())
        return true;
    if (v[i] != ',' && v[i] != '.')
        return false;
    ++i;
    if (i == v.size())
        return false;
    while (i < v.size()) {
        if (!is_digit(v[i]))
            return false;
        ++i;
    }
    return true;
}

bool is_iso_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-')
        return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
        if (!is_digit(text[i]))
            return false;
    }
    int y = 0, m = 0, d = 0;
    std::from_chars(text.data(), text.data() + 4, y);
    std::from_chars(text.data() + 5, text.data() + 7, m);
    std::from_chars(text.data() + 8, text.data() + 10, d);
    return date::year_month_day{date::year{y}, date::month{static_cast<unsigned>(m)},
                                date::day{static_cast<unsigned>(d)}}
        .ok();
}

std::optional<std::string> amount_error(Ore amount) {
    if (amount < 0)
        return message::AMOUNT_NEGATIVE;
    if (amount > MAX_AMOUNT_ORE)
        return message::AMOUNT_TOO_LARGE;
    return std::nullopt;
}

// Which members of an answer are set, as a count and for one kind.
bool only_member_for(calls::FieldKind kind, const Answer& a) {
    const bool text = a.text.has_value();
    const bool number = a.number.has_value();
    const bool amount = a.amount_ore.has_value();
    const bool date = a.date.has_value();
    const bool yes_no = a.yes_no.has_value();
    const bool option = a.option_id.has_value();
    const bool options = !a.option_ids.empty();
    const bool attachment = a.attachment_id.has_value();
    const int set = text + number + amount + date + yes_no + option + options + attachment;
    if (set == 0)
        return true;
    if (set > 1)
        return false;
    switch (kind) {
    case calls::FieldKind::ShortText:
    case calls::FieldKind::LongText:
        return text;
    case calls::FieldKind::Number:
        return number;
    case calls::FieldKind::Money:
        return amount;
    case calls::FieldKind::Date:
        return date;
    case calls::FieldKind::SingleChoice:
        return option;
    case calls::FieldKind::MultipleChoice:
        return options;
    case calls::FieldKind::YesNo:
        return yes_no;
    case calls::FieldKind::File:
        return attachment;
    }
    return false;
}

bool has_option(const calls::FormField& field, Id option_id) {
    return std::any_of(field.options.begin(), field.options.end(),
                       [&](const calls::FieldOption& option) { return option.id == option_id; });
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

} // namespace

// --- Enumerations -------------------------------------------------------------------

std::string_view status_key(Status status) {
    return key_of(STATUSES, status);
}
std::optional<Status> parse_status(std::string_view key) {
    return parse_named(STATUSES, key);
}
std::string_view status_label(Status status) {
    return label_of(STATUSES, status);
}

std::string_view cost_type_key(CostType type) {
    return key_of(COST_TYPES, type);
}
std::optional<CostType> parse_cost_type(std::string_view key) {
    return parse_named(COST_TYPES, key);
}
std::string_view cost_type_label(CostType type) {
    return label_of(COST_TYPES, type);
}

std::string_view financing_source_key(FinancingSource source) {
    return key_of(FINANCING_SOURCES, source);
}
std::optional<FinancingSource> parse_financing_source(std::string_view key) {
    return parse_named(FINANCING_SOURCES, key);
}
std::string_view financing_source_label(FinancingSource source) {
    return label_of(FINANCING_SOURCES, source);
}

std::string_view partner_kind_key(PartnerKind kind) {
    return key_of(PARTNER_KINDS, kind);
}
std::optional<PartnerKind> parse_partner_kind(std::string_view key) {
    return parse_named(PARTNER_KINDS, key);
}
std::string_view partner_kind_label(PartnerKind kind) {
    return label_of(PARTNER_KINDS, kind);
}

std::string_view sort_key_key(SortKey key) {
    return key_of(SORT_KEYS, key);
}
std::optional<SortKey> parse_sort_key(std::string_view key) {
    return parse_named(SORT_KEYS, key);
}

// --- Parts ----------------------------------------------------------------------------

std::optional<Ore> FinancingLine::total() const {
    Ore in_kind = 0;
    if (__builtin_mul_overflow(static_cast<Ore>(in_kind_hours), hourly_rate_ore, &in_kind))
        return std::nullopt;
    return checked_add(cash_ore, in_kind);
}

bool Answer::empty() const {
    return !text && !number && !amount_ore && !date && !yes_no && !option_id &&
           option_ids.empty() && !attachment_id;
}

// --- Rules ----------------------------------------------------------------------------

std::optional<std::string> normalise_organisation_number(std::string_view text) {
    std::string digits;
    for (char c : text) {
        if (c == ' ')
            continue;
        if (!is_digit(c))
            return std::nullopt;
        digits += c;
        if (digits.size() > 9)
            return std::nullopt;
    }
    if (digits.size() != 9)
        return std::nullopt;
    // https://www.brreg.no/om-oss/registrene-vare/om-enhetsregisteret/organisasjonsnummeret/
    // Weights 3 2 7 6 5 4 3 2 over the first eight digits; remainder of the
    // sum divided by 11; check digit 11 − remainder, 0 when the remainder is
    // 0, and no valid number when the remainder is 1.
    constexpr int WEIGHTS[] = {3, 2, 7, 6, 5, 4, 3, 2};
    int sum = 0;
    for (int i = 0; i < 8; ++i)
        sum += (digits[i] - '0') * WEIGHTS[i];
    const int remainder = sum % 11;
    if (remainder == 1)
        return std::nullopt;
    const int check = remainder == 0 ? 0 : 11 - remainder;
    if (digits[8] - '0' != check)
        return std::nullopt;
    return digits;
}

bool is_valid_organisation_number(std::string_view text) {
    return normalise_organisation_number(text).has_value();
}

std::string format_reference(int year, int number) {
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "SPIRE-%d-%04d", year, number);
    return buffer;
}

std::optional<ReferenceParts> parse_reference(std::string_view text) {
    std::string value = trim(text);
    std::string upper;
    for (char c : value)
        upper += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    std::string_view v = upper;
    if (!v.starts_with("SPIRE-"))
        return std::nullopt;
    v.remove_prefix(6);
    auto dash = v.find('-');
    if (dash != 4)
        return std::nullopt;
    auto year = parse_digits(v.substr(0, 4));
    auto number_text = v.substr(5);
    if (number_text.size() < 4 || number_text.size() > 9)
        return std::nullopt;
    auto number = parse_digits(number_text);
    if (!year || !number)
        return std::nullopt;
    return ReferenceParts{static_cast<int>(*year), static_cast<int>(*number)};
}

bool allowed(Status from, Transition transition) {
    switch (transition) {
    case Transition::Save:
    case Transition::Submit:
        return from == Status::Draft;
    case Transition::Endorse:
        return from == Status::AwaitingEndorsement;
    case Transition::Return:
        return from == Status::AwaitingEndorsement || from == Status::Submitted;
    case Transition::Withdraw:
        return from != Status::Withdrawn;
    }
    return false;
}

std::optional<Status> next_status(Status from, Transition transition, bool endorsement_required) {
    if (!allowed(from, transition))
        return std::nullopt;
    switch (transition) {
    case Transition::Save:
        return Status::Draft;
    case Transition::Submit:
        return endorsement_required ? Status::AwaitingEndorsement : Status::Submitted;
    case Transition::Endorse:
        return Status::Submitted;
    case Transition::Return:
        return Status::Draft;
    case Transition::Withdraw:
        return Status::Withdrawn;
    }
    return std::nullopt;
}

std::optional<Ore> budget_total(const std::vector<BudgetLine>& lines) {
    Ore total = 0;
    for (const auto& line : lines) {
        auto sum = checked_add(total, line.amount_ore);
        if (!sum)
            return std::nullopt;
        total = *sum;
    }
    return total;
}

std::vector<YearTotal> budget_totals_by_year(const std::vector<BudgetLine>& lines) {
    std::map<int, Ore> by_year;
    for (const auto& line : lines)
        by_year[line.year] += line.amount_ore;
    std::vector<YearTotal> totals;
    for (const auto& [year, total] : by_year)
        totals.push_back({year, total});
    return totals;
}

std::vector<CostTypeTotal> budget_totals_by_cost_type(const std::vector<BudgetLine>& lines) {
    std::vector<CostTypeTotal> totals;
    for (CostType type : ALL_COST_TYPES) {
        Ore total = 0;
        for (const auto& line : lines) {
            if (line.cost_type == type)
                total += line.amount_ore;
        }
        totals.push_back({type, total});
    }
    return totals;
}

Ore budget_cell(const std::vector<BudgetLine>& lines, int year, CostType cost_type) {
    for (const auto& line : lines) {
        if (line.year == year && line.cost_type == cost_type)
            return line.amount_ore;
    }
    return 0;
}

std::optional<Ore> financing_total(const std::vector<FinancingLine>& lines) {
    Ore total = 0;
    for (const auto& line : lines) {
        auto line_total = line.total();
        if (!line_total)
            return std::nullopt;
        auto sum = checked_add(total, *line_total);
        if (!sum)
            return std::nullopt;
        total = *sum;
    }
    return total;
}

std::optional<Ore> financing_total(const std::vector<FinancingLine>& lines,
                                   FinancingSource source) {
    std::vector<FinancingLine> of_source;
    for (const auto& line : lines) {
        if (line.source == source)
            of_source.push_back(line);
    }
    return financing_total(of_source);
}

OwnShare own_share(Ore project_total_ore, int required_percent, Ore own_contribution_ore,
                   const std::vector<FinancingLine>& financing) {
    OwnShare share;
    // Within the limits (amounts ≤ 10^12, percent ≤ 100) the product fits;
    // beyond them the requirement saturates rather than wrapping.
    Ore product = 0;
    if (__builtin_mul_overflow(std::max<Ore>(project_total_ore, 0),
                               static_cast<Ore>(std::clamp(required_percent, 0, 100)), &product))
        share.required_ore = std::numeric_limits<Ore>::max();
    else
        share.required_ore = product / 100 + (product % 100 != 0 ? 1 : 0);
    const Ore own_unit = financing_total(financing, FinancingSource::OwnUnit).value_or(0);
    share.own_ore = checked_add(std::max<Ore>(own_contribution_ore, 0), own_unit)
                        .value_or(std::numeric_limits<Ore>::max());
    return share;
}

std::vector<std::string> normalise_themes(const std::vector<std::string>& themes) {
    std::vector<std::string> out;
    for (const auto& raw : themes) {
        std::string lowered = lower_utf8(trim(raw));
        std::string collapsed;
        bool space = false;
        for (char c : lowered) {
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                space = true;
                continue;
            }
            if (space && !collapsed.empty())
                collapsed += ' ';
            space = false;
            collapsed += c;
        }
        if (collapsed.empty() || std::find(out.begin(), out.end(), collapsed) != out.end())
            continue;
        out.push_back(std::move(collapsed));
    }
    return out;
}

std::size_t utf8_length(std::string_view text) {
    std::size_t count = 0;
    for (unsigned char c : text) {
        if ((c & 0xC0) != 0x80)
            ++count;
    }
    return count;
}

// --- Validation on save ---------------------------------------------------------------

std::optional<FieldError> validate_answer(const calls::FormField& field, const Answer& answer) {
    const std::string name = field_name(field.id);
    if (!only_member_for(field.kind, answer))
        return FieldError{name, message::ANSWER_WRONG_KIND};
    switch (field.kind) {
    case calls::FieldKind::ShortText:
    case calls::FieldKind::LongText:
        if (answer.text) {
            const std::size_t limit = field.max_length && *field.max_length > 0
                                          ? static_cast<std::size_t>(*field.max_length)
                                          : MAX_ANSWER_LENGTH;
            if (utf8_length(*answer.text) > std::min(limit, MAX_ANSWER_LENGTH))
                return FieldError{name, message::ANSWER_TOO_LONG};
        }
        break;
    case calls::FieldKind::Number:
        if (answer.number && !is_decimal(*answer.number))
            return FieldError{name, message::ANSWER_NOT_A_NUMBER};
        break;
    case calls::FieldKind::Money:
        if (answer.amount_ore) {
            if (auto error = amount_error(*answer.amount_ore))
                return FieldError{name, *error};
        }
        break;
    case calls::FieldKind::Date:
        if (answer.date && !is_iso_date(*answer.date))
            return FieldError{name, message::ANSWER_NOT_A_DATE};
        break;
    case calls::FieldKind::SingleChoice:
        if (answer.option_id && !has_option(field, *answer.option_id))
            return FieldError{name, message::ANSWER_UNKNOWN_OPTION};
        break;
    case calls::FieldKind::MultipleChoice: {
        std::set<Id> seen;
        for (Id option : answer.option_ids) {
            if (!has_option(field, option) || !seen.insert(option).second)
                return FieldError{name, message::ANSWER_UNKNOWN_OPTION};
        }
        break;
    }
    case calls::FieldKind::YesNo:
    case calls::FieldKind::File:
        break;
    }
    return std::nullopt;
}

std::vector<FieldError> validate_details(const DetailsInput& input,
                                         const calls::FormDefinition& form) {
    std::vector<FieldError> errors;
    const std::string title = trim(input.title);
    if (title.empty())
        errors.push_back({"title", message::TITLE_MISSING});
    else if (utf8_length(title) > MAX_TITLE_LENGTH)
        errors.push_back({"title", message::TITLE_TOO_LONG});
    if (utf8_length(input.summary) > MAX_SUMMARY_LENGTH)
        errors.push_back({"summary", message::SUMMARY_TOO_LONG});
    const auto themes = normalise_themes(input.themes);
    if (themes.size() > MAX_THEMES)
        errors.push_back({"themes", message::TOO_MANY_THEMES});
    else if (std::any_of(themes.begin(), themes.end(), [](const std::string& theme) {
                 return utf8_length(theme) > MAX_THEME_LENGTH;
             }))
        errors.push_back({"themes", message::THEME_TOO_LONG});
    if (input.start_year && (*input.start_year < MIN_YEAR || *input.start_year > MAX_YEAR))
        errors.push_back({"start_year", message::YEAR_OUT_OF_RANGE});
    if (input.duration_years < 1 || input.duration_years > calls::MAX_DURATION_YEARS)
        errors.push_back({"duration_years", message::DURATION_OUT_OF_RANGE});

    std::set<Id> answered;
    for (const auto& answer : input.answers) {
        const calls::FormField* field = find_field(form, answer.field_id);
        if (field == nullptr || !field->active || !answered.insert(answer.field_id).second) {
            errors.push_back({field_name(answer.field_id), message::UNKNOWN_FIELD});
            continue;
        }
        if (field->kind == calls::FieldKind::File && answer.attachment_id) {
            // Files are attached through add_attachment, never by id here.
            errors.push_back({field_name(answer.field_id), message::ANSWER_WRONG_KIND});
            continue;
        }
        if (auto error = validate_answer(*field, answer))
            errors.push_back(std::move(*error));
    }

    auto money = [&](const std::optional<Ore>& amount, const char* name) {
        if (!amount)
            return;
        if (auto error = amount_error(*amount))
            errors.push_back({name, *error});
    };
    money(input.project_total_ore, "project_total");
    money(input.external_applied_ore, "external_applied");
    money(input.own_contribution_ore, "own_contribution");
    return errors;
}

std::vector<FieldError> validate_budget(const std::vector<BudgetLine>& lines) {
    std::vector<FieldError> errors;
    if (lines.size() > MAX_BUDGET_LINES) {
        errors.push_back({"budget", message::BUDGET_TOO_MANY_LINES});
        return errors;
    }
    std::set<std::pair<int, CostType>> cells;
    for (const auto& line : lines) {
        const std::string name = "budget_" + std::to_string(line.year) + "_" +
                                 std::string(cost_type_key(line.cost_type));
        if (line.year < MIN_YEAR || line.year > MAX_YEAR) {
            errors.push_back({"budget", message::YEAR_OUT_OF_RANGE});
            continue;
        }
        if (!cells.insert({line.year, line.cost_type}).second) {
            errors.push_back({name, message::BUDGET_DUPLICATE});
            continue;
        }
        if (auto error = amount_error(line.amount_ore))
            errors.push_back({name, *error});
    }
    return errors;
}

std::vector<FieldError> validate_financing(const std::vector<FinancingLine>& lines) {
    std::vector<FieldError> errors;
    if (lines.size() > MAX_FINANCING_LINES) {
        errors.push_back({"financing", message::FINANCING_TOO_MANY_LINES});
        return errors;
    }
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto& line = lines[i];
        if (utf8_length(trim(line.funder_name)) > MAX_NAME_LENGTH)
            errors.push_back(
                {line_field("financing", i, "funder_name"), message::FUNDER_NAME_TOO_LONG});
        if (auto error = amount_error(line.cash_ore))
            errors.push_back({line_field("financing", i, "cash"), *error});
        if (line.in_kind_hours < 0 || line.in_kind_hours > MAX_IN_KIND_HOURS)
            errors.push_back({line_field("financing", i, "hours"), message::HOURS_OUT_OF_RANGE});
        if (auto error = amount_error(line.hourly_rate_ore))
            errors.push_back({line_field("financing", i, "rate"), *error});
    }
    // Within the limits every line fits and 30 lines sum within int64; the
    // check stays for safety.
    if (errors.empty() && !financing_total(lines))
        errors.push_back({"financing", message::AMOUNT_TOO_LARGE});
    return errors;
}

std::vector<FieldError> validate_partners(const std::vector<Partner>& partners) {
    std::vector<FieldError> errors;
    if (partners.size() > MAX_PARTNERS) {
        errors.push_back({"partners", message::TOO_MANY_PARTNERS});
        return errors;
    }
    for (std::size_t i = 0; i < partners.size(); ++i) {
        const auto& partner = partners[i];
        const std::string name = trim(partner.name);
        if (name.empty())
            errors.push_back({line_field("partner", i, "name"), message::PARTNER_NAME_MISSING});
        else if (utf8_length(name) > MAX_NAME_LENGTH)
            errors.push_back({line_field("partner", i, "name"), message::PARTNER_NAME_TOO_LONG});
        const std::string number = trim(partner.organisation_number);
        if (!number.empty() && !is_valid_organisation_number(number))
            errors.push_back({line_field("partner", i, "organisation_number"),
                              message::ORGANISATION_NUMBER_INVALID});
        if (utf8_length(trim(partner.role)) > MAX_NAME_LENGTH)
            errors.push_back({line_field("partner", i, "role"), message::ROLE_TOO_LONG});
    }
    return errors;
}

// --- Completeness --------------------------------------------------------------------

std::vector<FieldError> check_completeness(const Application& application,
                                           const SubmissionContext& context) {
    std::vector<FieldError> missing;
    if (trim(application.title).empty())
        missing.push_back({"title", message::TITLE_MISSING});
    if (trim(application.summary).empty())
        missing.push_back({"summary", message::SUMMARY_MISSING});
    if (!application.start_year)
        missing.push_back({"start_year", message::START_YEAR_MISSING});
    if (application.duration_years < 1 || application.duration_years > calls::MAX_DURATION_YEARS)
        missing.push_back({"duration_years", message::DURATION_OUT_OF_RANGE});
    else if (application.duration_years > context.max_duration_years)
        missing.push_back({"duration_years", message::DURATION_TOO_LONG});

    // The call's required fields.
    if (context.form != nullptr) {
        for (const auto& section : context.form->sections) {
            for (const auto& field : section.fields) {
                if (!field.active || !field.required)
                    continue;
                bool answered = false;
                if (field.kind == calls::FieldKind::File) {
                    answered = std::any_of(
                        application.attachments.begin(), application.attachments.end(),
                        [&](const AttachmentInfo& a) { return a.field_id == field.id; });
                } else {
                    for (const auto& answer : application.answers) {
                        if (answer.field_id != field.id)
                            continue;
                        answered = !answer.empty() && !(answer.text && trim(*answer.text).empty());
                    }
                }
                if (!answered)
                    missing.push_back({field_name(field.id), message::ANSWER_REQUIRED});
            }
        }
    }

    // Research co-funding.
    if (context.programme_kind == funds::ProgrammeKind::ResearchCofunding) {
        if (!application.external_call_id || !context.required_own_share_percent)
            missing.push_back({"external_call_id", message::EXTERNAL_CALL_MISSING});
        if (!application.project_total_ore || *application.project_total_ore <= 0)
            missing.push_back({"project_total", message::PROJECT_TOTAL_MISSING});
        if (!application.external_applied_ore)
            missing.push_back({"external_applied", message::EXTERNAL_APPLIED_MISSING});
        if (!application.own_contribution_ore || *application.own_contribution_ore <= 0) {
            missing.push_back({"own_contribution", message::OWN_CONTRIBUTION_MISSING});
        } else {
            const Ore from_fund =
                financing_total(application.financing, FinancingSource::Fund).value_or(0);
            if (*application.own_contribution_ore != from_fund)
                missing.push_back({"own_contribution", message::OWN_CONTRIBUTION_NOT_FINANCED});
            else if (context.required_own_share_percent && application.project_total_ore) {
                const auto share =
                    own_share(*application.project_total_ore, *context.required_own_share_percent,
                              *application.own_contribution_ore, application.financing);
                if (!share.met())
                    missing.push_back({"own_contribution", message::OWN_SHARE_TOO_LOW});
            }
        }
    }
    // Social entrepreneurs: the partnership model is chosen on the details page.
    if (context.programme_kind == funds::ProgrammeKind::SocialEntrepreneurs &&
        (!application.partnership_model_id || !context.partnership_model_known))
        missing.push_back({"partnership_model_id", message::PARTNERSHIP_MODEL_MISSING});

    // Budget.
    const Ore total = budget_total(application.budget).value_or(0);
    if (application.budget.empty())
        missing.push_back({"budget", message::BUDGET_MISSING});
    else if (total <= 0)
        missing.push_back({"budget", message::BUDGET_ZERO});
    if (application.start_year) {
        const int first = *application.start_year;
        const int last = first + std::max(application.duration_years, 1) - 1;
        if (std::any_of(application.budget.begin(), application.budget.end(),
                        [&](const BudgetLine& line) {
                            return line.amount_ore != 0 && (line.year < first || line.year > last);
                        }))
            missing.push_back({"budget", message::BUDGET_YEAR_OUTSIDE});
    }

    // Financing.
    if (application.financing.empty()) {
        missing.push_back({"financing", message::FINANCING_MISSING});
    } else {
        const auto financed = financing_total(application.financing);
        if (!financed || *financed != total)
            missing.push_back({"financing", message::FINANCING_NOT_BALANCED});
        const Ore requested =
            financing_total(application.financing, FinancingSource::Fund).value_or(0);
        if (requested <= 0)
            missing.push_back({"financing", message::REQUESTED_MISSING});
        else if (requested > context.max_amount_ore)
            missing.push_back({"financing", message::REQUESTED_OVER_MAX});
        for (std::size_t i = 0; i < application.financing.size(); ++i) {
            const auto& line = application.financing[i];
            if ((line.source == FinancingSource::External ||
                 line.source == FinancingSource::Partner) &&
                trim(line.funder_name).empty())
                missing.push_back(
                    {line_field("financing", i, "funder_name"), message::FUNDER_NAME_MISSING});
        }
    }

    // Partners.
    if (context.programme_kind == funds::ProgrammeKind::SocialEntrepreneurs &&
        std::none_of(application.partners.begin(), application.partners.end(),
                     [](const Partner& p) { return p.kind == PartnerKind::SocialEntrepreneur; }))
        missing.push_back({"partners", message::SOCIAL_ENTREPRENEUR_MISSING});
    return missing;
}

} // namespace spire::applications
