#pragma once

// From HTML forms and query strings (all text, as typed) to the service's
// typed inputs. Each parse_* collects every problem it finds as a FieldError
// named after the form field and returns Error::invalid("Check the fields
// marked below.", fields); the handler shows them next to the fields and
// keeps what the user typed (the form struct). The service then adds the
// checks that need the database, with the same field names.
//
// Field names: name, description, first_year, last_year, carry_over_allowed,
// active, kind, sort_order (funds and programmes); kind, year, programme_id,
// to_year, to_programme_id, release_of, amount, reference_type,
// reference_id, reason, override, override_reason (postings); year,
// programme_id, kind, reference_type, reference_id, page, per_page (ledger
// filter). Checkboxes are on for "1", "on", "true" or "yes".

#include "core/error.hpp"
#include "funds/ledger.hpp"
#include "funds/service.hpp"

#include <string>

namespace spire::funds {

struct FundForm {
    std::string name;
    std::string description;
    std::string first_year;
    std::string last_year;
    std::string carry_over_allowed; // checkbox
    std::string active;             // checkbox
};
Result<FundInput> parse_fund_form(const FundForm& form, Id organisation_id);

struct ProgrammeForm {
    std::string name;
    std::string description;
    std::string kind; // programme_kind_key()
    std::string active;
    std::string sort_order; // empty: 0
};
Result<ProgrammeInput> parse_programme_form(const ProgrammeForm& form);

// One form for frame (adds), transfer, reserve, commit, disburse, release.
// For a transfer, an empty to_year means the same year and an empty
// to_programme_id the same programme.
struct PostingForm {
    std::string kind; // entry_kind_key(), not carry_over
    std::string year;
    std::string programme_id;
    std::string to_year;
    std::string to_programme_id;
    std::string release_of; // "reserve" or "commit"
    std::string amount;     // kroner, as parse_kroner reads it
    std::string reference_type;
    std::string reference_id;
    std::string reason;
    std::string override; // checkbox
    std::string override_reason;
};
Result<Posting> parse_posting_form(const PostingForm& form);

// Set a frame to a total; amount is the new total in kroner.
struct FrameForm {
    std::string year;
    std::string programme_id;
    std::string amount;
    std::string reason;
    std::string override;
    std::string override_reason;
};
Result<FrameChange> parse_frame_form(const FrameForm& form);

// Query parameters of the ledger page and GET /api/v1/funds/{id}/ledger;
// empty means "any". page defaults to 1, per_page to 50.
struct LedgerFilterForm {
    std::string year;
    std::string programme_id;
    std::string kind;
    std::string reference_type;
    std::string reference_id;
    std::string page;
    std::string per_page;
};
Result<LedgerFilter> parse_ledger_filter(const LedgerFilterForm& form);

bool checkbox_on(const std::string& value);

namespace message {
inline constexpr const char* YEAR_FORMAT = "Enter a year like 2018.";
inline constexpr const char* CHOOSE_PROGRAMME = "Choose a programme.";
inline constexpr const char* CHOOSE_KIND = "Choose a kind.";
inline constexpr const char* WHOLE_NUMBER = "Enter a whole number.";
inline constexpr const char* REFERENCE_INCOMPLETE =
    "Choose the type and enter the number of what the posting refers to.";
} // namespace message

} // namespace spire::funds
