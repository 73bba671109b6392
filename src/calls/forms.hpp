#pragma once

// From HTML forms (all text, as typed) to the calls service's typed inputs.
// Each parse_* collects every problem as a FieldError named after the form
// field and returns Error::invalid("Check the fields marked below.",
// fields); the handler shows them next to the fields and keeps the form
// struct as typed. The service adds the checks that need the database.
//
// Field names: programme_id, title, description, eligibility, opens_date,
// opens_time, closes_date, closes_time, rolling, max_amount,
// max_duration_years, endorsement_required (calls); name, guidance,
// weight_percent, scale_min, scale_max, minimum_score (criteria); title,
// help_text (sections); section_id, label, kind, required, help_text,
// max_length, options (one per line), active (fields); funder, programme,
// title, deadline, required_own_share_percent, url, active (external
// calls); name, description, active, sort_order (partnership models).
// Times are Europe/Oslo; a date without a time means 12:00 for the close
// time and 00:00 for the open time. Checkboxes are on for "1", "on",
// "true" or "yes".

#include "calls/service.hpp"
#include "core/error.hpp"

#include <string>

namespace spire::calls {

struct CallForm {
    std::string programme_id;
    std::string title;
    std::string description;
    std::string eligibility;
    std::string opens_date;
    std::string opens_time;
    std::string closes_date;
    std::string closes_time;
    std::string rolling;    // checkbox
    std::string max_amount; // kroner
    std::string max_duration_years;
    std::string endorsement_required; // checkbox
};
Result<CallInput> parse_call_form(const CallForm& form);
// The form pre-filled from a stored call (times in Oslo).
CallForm call_form_of(const Call& call);

struct CriterionForm {
    std::string name;
    std::string guidance;
    std::string weight_percent;
    std::string scale_min;     // empty: 1
    std::string scale_max;     // empty: 7
    std::string minimum_score; // empty: none
};
Result<CriterionInput> parse_criterion_form(const CriterionForm& form);
CriterionForm criterion_form_of(const Criterion& criterion);

struct SectionForm {
    std::string title;
    std::string help_text;
};
Result<SectionInput> parse_section_form(const SectionForm& form);

struct FieldForm {
    std::string section_id;
    std::string label;
    std::string kind; // field_kind_key()
    std::string required;
    std::string help_text;
    std::string max_length; // empty: none
    std::string options;    // one per line; empty lines ignored
    std::string active;
};
Result<FieldInput> parse_field_form(const FieldForm& form);
FieldForm field_form_of(const FormField& field);

struct ExternalCallForm {
    std::string funder;
    std::string programme;
    std::string title;
    std::string deadline; // YYYY-MM-DD or empty
    std::string required_own_share_percent;
    std::string url;
    std::string active;
};
Result<ExternalCallInput> parse_external_call_form(const ExternalCallForm& form);
ExternalCallForm external_call_form_of(const ExternalCall& external);

struct PartnershipModelForm {
    std::string name;
    std::string description;
    std::string active;
    std::string sort_order;
};
Result<PartnershipModelInput> parse_partnership_model_form(const PartnershipModelForm& form);
PartnershipModelForm partnership_model_form_of(const PartnershipModel& model);

bool checkbox_on(const std::string& value);

} // namespace spire::calls
