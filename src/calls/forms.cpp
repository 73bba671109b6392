#include "calls/forms.hpp"

#include "core/text.hpp"

#include <charconv>
#include <limits>

namespace spire::calls {

namespace {

constexpr const char* CHECK_FIELDS = "Check the fields marked below.";
constexpr const char* WHOLE_NUMBER = "Enter a whole number.";

std::optional<long long> whole_number(const std::string& raw, long long min, long long max) {
    std::string text = trim(raw);
    if (text.empty() || text.size() > 19 || text[0] == '+')
        return std::nullopt;
    long long value = 0;
    const char* begin = text.data();
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(begin, end, value);
    if (ec != std::errc() || ptr != end || value < min || value > max)
        return std::nullopt;
    return value;
}

class Fields {
public:
    std::optional<int> number(const std::string& field, const std::string& text, long long min,
                              long long max, const char* message = WHOLE_NUMBER) {
        auto value = whole_number(text, min, max);
        if (!value) {
            add(field, message);
            return std::nullopt;
        }
        return static_cast<int>(*value);
    }
    // Empty: nullopt without an error.
    std::optional<int> optional_number(const std::string& field, const std::string& text,
                                       long long min, long long max,
                                       const char* message = WHOLE_NUMBER) {
        if (trim(text).empty())
            return std::nullopt;
        return number(field, text, min, max, message);
    }
    void add(const std::string& field, std::string message) {
        for (const auto& error : m_errors) {
            if (error.field == field)
                return; // one message per field
        }
        m_errors.push_back({field, std::move(message)});
    }
    void add_all(std::vector<FieldError> errors) {
        for (auto& error : errors)
            add(error.field, std::move(error.message));
    }
    bool has(const std::string& field) const {
        for (const auto& error : m_errors) {
            if (error.field == field)
                return true;
        }
        return false;
    }
    bool ok() const { return m_errors.empty(); }
    Error error() { return Error::invalid(CHECK_FIELDS, std::move(m_errors)); }

private:
    std::vector<FieldError> m_errors;
};

// Oslo date + time to UTC; `default_time` when the time is empty.
std::optional<std::string> moment(Fields& fields, const std::string& date_field,
                                  const std::string& time_field, const std::string& date_text,
                                  const std::string& time_text, const char* default_time) {
    std::string date = trim(date_text);
    std::string time = trim(time_text);
    if (date.empty()) {
        if (!time.empty())
            fields.add(date_field, message::DATE_FORMAT);
        return std::nullopt;
    }
    auto utc = oslo_to_utc(date, time.empty() ? default_time : time);
    if (!utc) {
        const std::string& field =
            utc.error().message == message::DATE_FORMAT ? date_field : time_field;
        fields.add(field, utc.error().message);
        return std::nullopt;
    }
    return *utc;
}

} // namespace

bool checkbox_on(const std::string& value) {
    std::string v = trim(value);
    return v == "1" || v == "on" || v == "true" || v == "yes";
}

Result<CallInput> parse_call_form(const CallForm& form) {
    Fields fields;
    CallInput input;
    if (auto id = whole_number(form.programme_id, 1, std::numeric_limits<long long>::max()))
        input.programme_id = *id;
    input.title = form.title;
    input.description = form.description;
    input.eligibility = form.eligibility;
    input.rolling = checkbox_on(form.rolling);
    input.endorsement_required = checkbox_on(form.endorsement_required);
    input.opens_at =
        moment(fields, "opens_date", "opens_time", form.opens_date, form.opens_time, "00:00");
    if (!input.rolling)
        input.closes_at = moment(fields, "closes_date", "closes_time", form.closes_date,
                                 form.closes_time, "12:00");
    if (auto amount = parse_kroner(form.max_amount)) {
        input.max_amount_ore = *amount;
    } else {
        fields.add("max_amount", amount.error().message);
        input.max_amount_ore = 1; // not checked again below
    }
    input.max_duration_years =
        fields
            .number("max_duration_years", form.max_duration_years, 1, MAX_DURATION_YEARS,
                    "Enter a number of years from 1 to 10.")
            .value_or(1);
    for (auto& error : validate_call(input)) {
        // The close time was not understood: no second message about it.
        if (error.field == "closes_date" &&
            (fields.has("closes_time") || fields.has("opens_date") || fields.has("opens_time")))
            continue;
        fields.add(error.field, error.message);
    }
    if (!fields.ok())
        return tl::unexpected(fields.error());
    return input;
}

CallForm call_form_of(const Call& call) {
    CallForm form;
    form.programme_id = std::to_string(call.programme_id);
    form.title = call.title;
    form.description = call.description;
    form.eligibility = call.eligibility;
    if (call.opens_at) {
        if (auto local = utc_to_oslo(*call.opens_at)) {
            form.opens_date = local->date;
            form.opens_time = local->time;
        }
    }
    if (call.closes_at) {
        if (auto local = utc_to_oslo(*call.closes_at)) {
            form.closes_date = local->date;
            form.closes_time = local->time;
        }
    }
    form.rolling = call.rolling ? "1" : "";
    form.max_amount = to_kroner_input(call.max_amount_ore);
    form.max_duration_years = std::to_string(call.max_duration_years);
    form.endorsement_required = call.endorsement_required ? "1" : "";
    return form;
}

Result<CriterionInput> parse_criterion_form(const CriterionForm& form) {
    Fields fields;
    CriterionInput input;
    input.name = form.name;
    input.guidance = form.guidance;
    input.weight_percent =
        fields
            .number("weight_percent", form.weight_percent, 0, 100, "Enter a weight from 0 to 100.")
            .value_or(0);
    input.scale_min = fields
                          .optional_number("scale_min", form.scale_min, MIN_SCALE, MAX_SCALE,
                                           "Enter a number from 0 to 100.")
                          .value_or(1);
    input.scale_max = fields
                          .optional_number("scale_max", form.scale_max, MIN_SCALE, MAX_SCALE,
                                           "Enter a number from 0 to 100.")
                          .value_or(7);
    input.minimum_score = fields.optional_number("minimum_score", form.minimum_score, MIN_SCALE,
                                                 MAX_SCALE, "The minimum must be on the scale.");
    if (fields.has("scale_min") || fields.has("scale_max")) {
        input.scale_min = 1;
        input.scale_max = 7;
        input.minimum_score.reset();
    }
    fields.add_all(validate_criterion(input));
    if (!fields.ok())
        return tl::unexpected(fields.error());
    return input;
}

CriterionForm criterion_form_of(const Criterion& criterion) {
    CriterionForm form;
    form.name = criterion.name;
    form.guidance = criterion.guidance;
    form.weight_percent = std::to_string(criterion.weight_percent);
    form.scale_min = std::to_string(criterion.scale_min);
    form.scale_max = std::to_string(criterion.scale_max);
    if (criterion.minimum_score)
        form.minimum_score = std::to_string(*criterion.minimum_score);
    return form;
}

Result<SectionInput> parse_section_form(const SectionForm& form) {
    Fields fields;
    SectionInput input{form.title, form.help_text};
    fields.add_all(validate_section(input));
    if (!fields.ok())
        return tl::unexpected(fields.error());
    return input;
}

Result<FieldInput> parse_field_form(const FieldForm& form) {
    Fields fields;
    FieldInput input;
    if (auto id = whole_number(form.section_id, 1, std::numeric_limits<long long>::max()))
        input.section_id = *id;
    input.label = form.label;
    if (auto kind = parse_field_kind(trim(form.kind)))
        input.kind = *kind;
    else
        fields.add("kind", "Choose a kind.");
    input.required = checkbox_on(form.required);
    input.help_text = form.help_text;
    input.active = checkbox_on(form.active);
    input.max_length = fields.optional_number("max_length", form.max_length, 1, MAX_FIELD_LENGTH,
                                              "Enter a length from 1 to 100000 characters.");
    if (is_choice_kind(input.kind)) {
        std::size_t at = 0;
        const std::string& text = form.options;
        while (at <= text.size()) {
            std::size_t end = text.find('\n', at);
            if (end == std::string::npos)
                end = text.size();
            std::string line = trim(std::string_view(text).substr(at, end - at));
            if (!line.empty())
                input.options.push_back(std::move(line));
            at = end + 1;
        }
    }
    fields.add_all(validate_field(input));
    if (!fields.ok())
        return tl::unexpected(fields.error());
    return input;
}

FieldForm field_form_of(const FormField& field) {
    FieldForm form;
    form.section_id = std::to_string(field.section_id);
    form.label = field.label;
    form.kind = std::string(field_kind_key(field.kind));
    form.required = field.required ? "1" : "";
    form.help_text = field.help_text;
    if (field.max_length)
        form.max_length = std::to_string(*field.max_length);
    for (const auto& option : field.options)
        form.options += option.label + "\n";
    form.active = field.active ? "1" : "";
    return form;
}

Result<ExternalCallInput> parse_external_call_form(const ExternalCallForm& form) {
    Fields fields;
    ExternalCallInput input;
    input.funder = form.funder;
    input.programme = form.programme;
    input.title = form.title;
    input.url = form.url;
    input.active = checkbox_on(form.active);
    std::string deadline = trim(form.deadline);
    if (!deadline.empty()) {
        if (oslo_to_utc(deadline, "12:00"))
            input.deadline = deadline;
        else
            fields.add("deadline", message::DATE_FORMAT);
    }
    input.required_own_share_percent =
        fields
            .number("required_own_share_percent", form.required_own_share_percent, 0, 100,
                    "Enter a share from 0 to 100.")
            .value_or(0);
    fields.add_all(validate_external_call(input));
    if (!fields.ok())
        return tl::unexpected(fields.error());
    return input;
}

ExternalCallForm external_call_form_of(const ExternalCall& external) {
    ExternalCallForm form;
    form.funder = external.funder;
    form.programme = external.programme;
    form.title = external.title;
    form.deadline = external.deadline.value_or("");
    form.required_own_share_percent = std::to_string(external.required_own_share_percent);
    form.url = external.url;
    form.active = external.active ? "1" : "";
    return form;
}

Result<PartnershipModelInput> parse_partnership_model_form(const PartnershipModelForm& form) {
    Fields fields;
    PartnershipModelInput input;
    input.name = form.name;
    input.description = form.description;
    input.active = checkbox_on(form.active);
    input.sort_order =
        fields.optional_number("sort_order", form.sort_order, -1'000'000, 1'000'000).value_or(0);
    fields.add_all(validate_partnership_model(input));
    if (!fields.ok())
        return tl::unexpected(fields.error());
    return input;
}

PartnershipModelForm partnership_model_form_of(const PartnershipModel& model) {
    PartnershipModelForm form;
    form.name = model.name;
    form.description = model.description;
    form.active = model.active ? "1" : "";
    form.sort_order = std::to_string(model.sort_order);
    return form;
}

} // namespace spire::calls
