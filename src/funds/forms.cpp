#include "funds/forms.hpp"

#include "core/text.hpp"

#include <charconv>
#include <limits>
#include <optional>

namespace spire::funds {

namespace {

// A whole number in [min, max] written with digits only (and a leading '-'
// when min < 0); nullopt otherwise.
std::optional<long long> whole_number(const std::string& raw, long long min, long long max) {
    std::string text = trim(raw);
    if (text.empty() || text.size() > 19)
        return std::nullopt;
    long long value = 0;
    const char* begin = text.data();
    const char* end = text.data() + text.size();
    if (*begin == '+')
        return std::nullopt;
    auto [ptr, ec] = std::from_chars(begin, end, value);
    if (ec != std::errc() || ptr != end || value < min || value > max)
        return std::nullopt;
    return value;
}

// Parsers that record a field error and return nullopt on bad input.
class Fields {
public:
    std::optional<int> year(const std::string& field, const std::string& text) {
        auto value = whole_number(text, 1000, 9999);
        if (!value)
            add(field, message::YEAR_FORMAT);
        return value ? std::optional<int>(static_cast<int>(*value)) : std::nullopt;
    }
    std::optional<Id> id(const std::string& field, const std::string& text, const char* message) {
        auto value = whole_number(text, 1, std::numeric_limits<long long>::max());
        if (!value)
            add(field, message);
        return value;
    }
    std::optional<Ore> amount(const std::string& field, const std::string& text) {
        auto value = parse_kroner(text);
        if (!value) {
            add(field, value.error().message);
            return std::nullopt;
        }
        return *value;
    }
    void add(const std::string& field, std::string message) {
        m_errors.push_back({field, std::move(message)});
    }
    bool ok() const { return m_errors.empty(); }
    Error error() { return Error::invalid(message::CHECK_FIELDS, std::move(m_errors)); }

private:
    std::vector<FieldError> m_errors;
};

// Both parts or neither; a half-filled reference is an error.
std::optional<Reference> reference(Fields& fields, const std::string& type_text,
                                   const std::string& id_text) {
    std::string type_key = trim(type_text);
    std::string id = trim(id_text);
    if (type_key.empty() && id.empty())
        return std::nullopt;
    auto type = parse_reference_type(type_key);
    if (!type) {
        fields.add("reference_type", message::REFERENCE_INCOMPLETE);
        return std::nullopt;
    }
    auto number = fields.id("reference_id", id, message::REFERENCE_ID);
    if (!number)
        return std::nullopt;
    return Reference{*type, *number};
}

} // namespace

bool checkbox_on(const std::string& value) {
    std::string v = trim(value);
    return v == "1" || v == "on" || v == "true" || v == "yes";
}

Result<FundInput> parse_fund_form(const FundForm& form, Id organisation_id) {
    Fields fields;
    FundInput input;
    input.organisation_id = organisation_id;
    input.name = form.name;
    input.description = form.description;
    input.first_year = fields.year("first_year", form.first_year).value_or(0);
    input.last_year = fields.year("last_year", form.last_year).value_or(0);
    input.carry_over_allowed = checkbox_on(form.carry_over_allowed);
    input.active = checkbox_on(form.active);
    // The checks of the typed values, so that one answer lists everything
    // (the years only when both were numbers: one message per field).
    const bool years_parsed = fields.ok();
    for (auto& error : validate_fund(input)) {
        bool year_field = error.field == "first_year" || error.field == "last_year";
        if (years_parsed || !year_field)
            fields.add(error.field, error.message);
    }
    if (!fields.ok())
        return tl::unexpected(fields.error());
    return input;
}

Result<ProgrammeInput> parse_programme_form(const ProgrammeForm& form) {
    Fields fields;
    ProgrammeInput input;
    input.name = form.name;
    input.description = form.description;
    if (auto kind = parse_programme_kind(trim(form.kind)))
        input.kind = *kind;
    else
        fields.add("kind", message::CHOOSE_KIND);
    input.active = checkbox_on(form.active);
    if (!trim(form.sort_order).empty()) {
        auto order = whole_number(form.sort_order, -1'000'000, 1'000'000);
        if (order)
            input.sort_order = static_cast<int>(*order);
        else
            fields.add("sort_order", message::WHOLE_NUMBER);
    }
    for (auto& error : validate_programme(input))
        fields.add(error.field, error.message);
    if (!fields.ok())
        return tl::unexpected(fields.error());
    return input;
}

Result<Posting> parse_posting_form(const PostingForm& form) {
    Fields fields;
    Posting posting;
    auto kind = parse_entry_kind(trim(form.kind));
    if (!kind || *kind == EntryKind::CarryOver)
        fields.add("kind", message::NOT_A_POSTING_KIND);
    else
        posting.kind = *kind;
    auto year = fields.year("year", form.year);
    auto programme = fields.id("programme_id", form.programme_id, message::CHOOSE_PROGRAMME);
    if (year && programme)
        posting.cell = {*year, *programme};
    if (kind == EntryKind::Transfer && year && programme) {
        Cell to = posting.cell;
        if (!trim(form.to_year).empty()) {
            if (auto to_year = fields.year("to_year", form.to_year))
                to.year = *to_year;
        }
        if (!trim(form.to_programme_id).empty()) {
            if (auto to_programme =
                    fields.id("to_programme_id", form.to_programme_id, message::CHOOSE_PROGRAMME))
                to.programme_id = *to_programme;
        }
        posting.to = to;
    }
    if (kind == EntryKind::Release) {
        posting.release_of = parse_release_of(trim(form.release_of));
        if (!posting.release_of)
            fields.add("release_of", message::RELEASE_NEEDS_TARGET);
    }
    if (auto amount = fields.amount("amount", form.amount)) {
        posting.amount = *amount;
        if (*amount == 0)
            fields.add("amount", message::AMOUNT_NOT_POSITIVE);
        else if (*amount > MAX_POSTING_ORE)
            fields.add("amount", message::AMOUNT_TOO_LARGE);
    }
    posting.reference = reference(fields, form.reference_type, form.reference_id);
    posting.reason = trim(form.reason);
    if (auto problem = reason_problem(posting.reason))
        fields.add(problem->field, problem->message);
    posting.override = {checkbox_on(form.override), trim(form.override_reason)};
    if (auto problem = override_problem(posting.override))
        fields.add(problem->field, problem->message);
    if (!fields.ok())
        return tl::unexpected(fields.error());
    return posting;
}

Result<FrameChange> parse_frame_form(const FrameForm& form) {
    Fields fields;
    FrameChange change;
    auto year = fields.year("year", form.year);
    auto programme = fields.id("programme_id", form.programme_id, message::CHOOSE_PROGRAMME);
    if (year && programme)
        change.cell = {*year, *programme};
    if (auto amount = fields.amount("amount", form.amount)) {
        change.total = *amount;
        if (*amount > MAX_POSTING_ORE)
            fields.add("amount", message::AMOUNT_TOO_LARGE);
    }
    change.reason = trim(form.reason);
    if (auto problem = reason_problem(change.reason))
        fields.add(problem->field, problem->message);
    change.override = {checkbox_on(form.override), trim(form.override_reason)};
    if (auto problem = override_problem(change.override))
        fields.add(problem->field, problem->message);
    if (!fields.ok())
        return tl::unexpected(fields.error());
    return change;
}

Result<LedgerFilter> parse_ledger_filter(const LedgerFilterForm& form) {
    Fields fields;
    LedgerFilter filter;
    if (!trim(form.year).empty())
        filter.year = fields.year("year", form.year);
    if (!trim(form.programme_id).empty())
        filter.programme_id =
            fields.id("programme_id", form.programme_id, message::CHOOSE_PROGRAMME);
    if (!trim(form.kind).empty()) {
        filter.kind = parse_entry_kind(trim(form.kind));
        if (!filter.kind)
            fields.add("kind", message::CHOOSE_KIND);
    }
    filter.reference = reference(fields, form.reference_type, form.reference_id);
    if (!trim(form.page).empty()) {
        auto page = whole_number(form.page, 1, 1'000'000);
        if (page)
            filter.page = static_cast<int>(*page);
        else
            fields.add("page", message::WHOLE_NUMBER);
    }
    if (!trim(form.per_page).empty()) {
        auto per_page = whole_number(form.per_page, 1, MAX_LEDGER_PER_PAGE);
        if (per_page)
            filter.per_page = static_cast<int>(*per_page);
        else
            fields.add("per_page", message::WHOLE_NUMBER);
    }
    if (!fields.ok())
        return tl::unexpected(fields.error());
    return filter;
}

} // namespace spire::funds
