#pragma once

// From the application pages' HTML forms (all text, as typed) to the
// service's typed inputs (applications/service.hpp). Each parse_* collects
// every problem it finds as a FieldError named after the form field (the
// names in applications/model.hpp) and returns Error::invalid(CHECK_FIELDS,
// fields); the handler shows them next to the fields and re-renders what the
// user typed (the form struct). The service then adds the checks that need
// the database, with the same field names.
//
// Money is typed in kroner and read with parse_kroner (core/money.hpp).
// Rows of the financing and partner grids that are left empty are dropped
// when the form is read, so row <i> of the typed form is line <i> of the
// service's input and of its field errors.

#include "applications/model.hpp"
#include "calls/model.hpp"
#include "core/error.hpp"
#include "http/form.hpp"

#include <map>
#include <string>
#include <vector>

namespace spire::applications {

// --- Details -------------------------------------------------------------------------

struct DetailsForm {
    std::string title;
    std::string summary;
    std::string themes; // comma-separated
    std::string start_year;
    std::string duration_years;
    // "field_<id>" values as posted, by field id (several for multiple choice).
    std::map<Id, std::vector<std::string>> answers;
    std::string external_call_id;
    std::string project_total; // kroner
    std::string external_applied;
    std::string own_contribution;
    std::string partnership_model_id;
};

DetailsForm read_details_form(const http::Form& form);
// What the page shows for a saved application.
DetailsForm details_form_of(const Application& application, const calls::FormDefinition& form);
// File fields are not part of the form: files are attached on the
// attachments page, and the service keeps their answers when the details
// are saved.
Result<DetailsInput> parse_details_form(const DetailsForm& form,
                                        const calls::FormDefinition& definition);

// --- Budget ------------------------------------------------------------------------------

// "budget_<year>_<cost type key>" -> text as typed.
struct BudgetForm {
    std::map<std::string, std::string> cells;
};

std::string budget_cell_name(int year, CostType cost_type);
BudgetForm read_budget_form(const http::Form& form);
BudgetForm budget_form_of(const std::vector<BudgetLine>& lines);
// Empty and zero cells are left out.
Result<std::vector<BudgetLine>> parse_budget_form(const BudgetForm& form);

// --- Financing -------------------------------------------------------------------------------

struct FinancingRowForm {
    std::string source; // financing_source_key
    std::string funder_name;
    std::string cash;  // kroner
    std::string hours; // whole hours
    std::string rate;  // kroner per hour
    bool empty() const;
};
struct FinancingForm {
    std::vector<FinancingRowForm> rows; // non-empty rows only, in page order
};

// Reads financing_<n>_* for n = 0.. until MAX_FINANCING_LINES + a margin,
// dropping the empty rows.
FinancingForm read_financing_form(const http::Form& form);
FinancingForm financing_form_of(const std::vector<FinancingLine>& lines);
Result<std::vector<FinancingLine>> parse_financing_form(const FinancingForm& form);

// --- Partners --------------------------------------------------------------------------------

struct PartnerRowForm {
    std::string name;
    std::string organisation_number;
    std::string kind; // partner_kind_key
    std::string role;
    bool empty() const;
};
struct PartnersForm {
    std::vector<PartnerRowForm> rows; // non-empty rows only, in page order
};

PartnersForm read_partners_form(const http::Form& form);
PartnersForm partners_form_of(const std::vector<Partner>& partners);
Result<std::vector<Partner>> parse_partners_form(const PartnersForm& form);

// --- The staff list's filters ------------------------------------------------------------------

// Query parameters of /applications, its exports and GET /api/v1/applications.
struct ListFilterForm {
    std::string call;
    std::string programme;
    std::string fund;
    std::string status; // status_key
    std::string unit;
    std::string theme;
    std::string q;
    std::string sort; // sort_key_key
    std::string dir;  // "asc" or "desc"
    std::string page;
};
Result<ListFilter> parse_list_filter(const ListFilterForm& form);

// Kroner for an input, "" for nothing.
std::string kroner_input(const std::optional<Ore>& ore);

namespace message {
inline constexpr const char* CHOOSE_SOURCE = "Choose where the money comes from.";
inline constexpr const char* CHOOSE_PARTNER_KIND = "Choose the type of partner.";
inline constexpr const char* HOURS_NOT_A_NUMBER = "Enter the hours as a whole number, like 120.";
inline constexpr const char* WHOLE_YEAR = "Enter a year like 2018.";
inline constexpr const char* WHOLE_DURATION = "Enter the duration as a whole number of years.";
inline constexpr const char* CHOOSE_OPTION = "Choose one of the options.";
inline constexpr const char* UNKNOWN_BUDGET_CELL = "The budget has a cell that is not in the grid.";
inline constexpr const char* CHOOSE_STATUS = "Choose a status.";
inline constexpr const char* ID_NOT_A_NUMBER = "Enter a number.";
inline constexpr const char* SORT_UNKNOWN = "Choose a column to sort by.";
inline constexpr const char* PAGE_NUMBER = "Enter a page number: a whole number from 1.";
} // namespace message

} // namespace spire::applications
