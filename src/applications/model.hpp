#pragma once

// Applications to calls (DESIGN.md §2.3, issue 5): plain structs and pure
// rules; no I/O. The schema is migrations/applications/001_applications.sql.
//
// Form field names. Every FieldError this module reports names the input of
// the form that shows it, so one form can show the service's messages next
// to its fields:
//
//   details page     "title", "summary", "themes", "start_year",
//                    "duration_years", "field_<field id>" (the call's form
//                    fields), "external_call_id", "project_total",
//                    "external_applied", "own_contribution",
//                    "partnership_model_id"
//   budget page      "budget" (the grid as a whole),
//                    "budget_<year>_<cost type key>" (one cell, e.g.
//                    "budget_2018_personnel")
//   financing page   "financing" (the plan as a whole),
//                    "financing_<i>_source", "financing_<i>_funder_name",
//                    "financing_<i>_cash", "financing_<i>_hours",
//                    "financing_<i>_rate"
//   partners page    "partners" (the list as a whole), "partner_<i>_name",
//                    "partner_<i>_organisation_number", "partner_<i>_kind",
//                    "partner_<i>_role"
//   attachments      "file"
//
// <i> is the line's 0-based position in the vector given to the service:
// the web layer drops the empty rows of its fixed grid, passes the rest in
// order and re-renders them in that order (empty rows after them), so row
// <i> on the page is line <i> here. The submission check uses the same
// names, so its list can link to the page and field to fix.

#include "calls/model.hpp"
#include "core/error.hpp"
#include "core/money.hpp"
#include "funds/model.hpp"
#include "identity/model.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spire::applications {

using identity::Id;

// --- Enumerations -------------------------------------------------------------------

enum class Status { Draft, AwaitingEndorsement, Submitted, Withdrawn };
inline constexpr Status ALL_STATUSES[] = {Status::Draft, Status::AwaitingEndorsement,
                                          Status::Submitted, Status::Withdrawn};
// "draft", "awaiting_endorsement", "submitted", "withdrawn"
std::string_view status_key(Status status);
std::optional<Status> parse_status(std::string_view key);
std::string_view status_label(Status status); // msgid: "Draft", "Awaiting endorsement", ...

// The Research Council's four cost types.
enum class CostType { Personnel, RdServices, Equipment, Other };
inline constexpr CostType ALL_COST_TYPES[] = {CostType::Personnel, CostType::RdServices,
                                              CostType::Equipment, CostType::Other};
std::string_view cost_type_key(CostType type); // "personnel", "rd_services", "equipment", "other"
std::optional<CostType> parse_cost_type(std::string_view key);
std::string_view cost_type_label(CostType type); // msgid

enum class FinancingSource { Fund, OwnUnit, External, Partner };
inline constexpr FinancingSource ALL_FINANCING_SOURCES[] = {
    FinancingSource::Fund, FinancingSource::OwnUnit, FinancingSource::External,
    FinancingSource::Partner};
std::string_view financing_source_key(FinancingSource source); // "fund", "own_unit", ...
std::optional<FinancingSource> parse_financing_source(std::string_view key);
std::string_view financing_source_label(FinancingSource source); // msgid

enum class PartnerKind { ResearchInstitution, SocialEntrepreneur, Company, Ngo, PublicBody };
inline constexpr PartnerKind ALL_PARTNER_KINDS[] = {
    PartnerKind::ResearchInstitution, PartnerKind::SocialEntrepreneur, PartnerKind::Company,
    PartnerKind::Ngo, PartnerKind::PublicBody};
// "research_institution", "social_entrepreneur", "company", "ngo", "public_body"
std::string_view partner_kind_key(PartnerKind kind);
std::optional<PartnerKind> parse_partner_kind(std::string_view key);
std::string_view partner_kind_label(PartnerKind kind); // msgid

// --- Parts of an application ----------------------------------------------------------

struct BudgetLine {
    int year = 0;
    CostType cost_type = CostType::Personnel;
    Ore amount_ore = 0;
    bool operator==(const BudgetLine&) const = default;
};

struct FinancingLine {
    FinancingSource source = FinancingSource::Fund;
    std::string funder_name; // who pays (external funder, partner); may be empty for fund/own unit
    Ore cash_ore = 0;
    int in_kind_hours = 0;
    Ore hourly_rate_ore = 0;

    // cash + hours × rate; nullopt if it does not fit in int64.
    std::optional<Ore> total() const;
    // The same, 0 on overflow (display only: validation refuses such lines).
    Ore total_ore() const { return total().value_or(0); }
    bool operator==(const FinancingLine&) const = default;
};

struct Partner {
    std::string name;
    std::string organisation_number; // 9 digits, or empty
    PartnerKind kind = PartnerKind::Company;
    std::string role;
    bool operator==(const Partner&) const = default;
};

// The answer to one field of the call's form. Which member is used depends
// on the field's kind (calls::FieldKind):
//   ShortText, LongText  text
//   Number               number: decimal text as typed, e.g. "12", "-3,5" or "3.5"
//   Money                amount_ore (the web layer parses kroner with parse_kroner)
//   Date                 date: YYYY-MM-DD
//   SingleChoice         option_id
//   MultipleChoice       option_ids
//   YesNo                yes_no
//   File                 attachment_id (set by add_attachment with the field's id)
// A field with no value set is unanswered (and absent from the stored rows).
struct Answer {
    Id field_id = 0;
    std::optional<std::string> text;
    std::optional<std::string> number;
    std::optional<Ore> amount_ore;
    std::optional<std::string> date;
    std::optional<bool> yes_no;
    std::optional<Id> option_id;
    std::vector<Id> option_ids;
    std::optional<Id> attachment_id;

    bool empty() const;
    bool operator==(const Answer&) const = default;
};

struct AttachmentInfo {
    Id id = 0;
    std::optional<Id> field_id; // the form field it answers, if any
    std::string file_name;      // sanitised
    std::string media_type;     // as sniffed, one of the allowed types
    long long size_bytes = 0;
    std::string sha256; // lower-case hex
    std::string uploaded_at;
    std::string uploaded_by_name;
};

struct AttachmentDownload {
    std::string file_name;
    std::string media_type;
    std::string bytes;
};

// What the details page saves. Money in øre (the web layer parses kroner).
struct DetailsInput {
    std::string title;
    std::string summary;
    std::vector<std::string> themes; // normalised by the service (trimmed, lower-case, unique)
    std::optional<int> start_year;
    int duration_years = 1;
    std::vector<Answer> answers; // fields not listed keep no answer (cleared)
    // Research co-funding.
    std::optional<Id> external_call_id;
    std::optional<Ore> project_total_ore;
    std::optional<Ore> external_applied_ore;
    std::optional<Ore> own_contribution_ore;
    // Social entrepreneurs.
    std::optional<Id> partnership_model_id;
};

struct Application {
    Id id = 0;
    Id organisation_id = 0;
    Id call_id = 0;
    Id fund_id = 0;
    Id programme_id = 0;
    Id unit_id = 0;
    Id created_by = 0;
    int reference_year = 0;
    int reference_number = 0;
    std::string reference; // "SPIRE-2018-0042"
    std::string title;
    std::string summary;
    Status status = Status::Draft;
    std::optional<int> start_year;
    int duration_years = 1;
    Ore budget_total_ore = 0; // sum of the budget lines
    Ore requested_ore = 0;    // financing asked of this fund (source "fund")
    std::optional<Id> external_call_id;
    std::optional<Ore> project_total_ore;
    std::optional<Ore> external_applied_ore;
    std::optional<Ore> own_contribution_ore;
    std::optional<Id> partnership_model_id;
    std::vector<std::string> themes;
    std::vector<BudgetLine> budget;          // by year, then cost type
    std::vector<FinancingLine> financing;    // in the order saved
    std::vector<Partner> partners;           // in the order saved
    std::vector<Answer> answers;             // by field id
    std::vector<AttachmentInfo> attachments; // not removed ones, oldest first
    std::optional<std::string> endorsed_at;
    std::optional<std::string> submitted_at; // the latest submission
    std::string endorsed_by_name;
    int revision_count = 0;
    std::string created_at;
    std::string updated_at;

    // Display, filled in by get().
    std::string call_title;
    std::string unit_name;
    std::string programme_kind;      // funds::programme_kind_key
    std::string external_call_title; // "Forskningsrådet – Offentlig sektor-ph.d."
    std::string partnership_model_name;

    // Submitted at least once: staff see it from then on, even withdrawn.
    bool submitted_once() const { return revision_count > 0; }
};

struct StatusChange {
    std::optional<Status> from; // none for the creation
    Status to = Status::Draft;
    std::string user_name;
    std::string comment;
    std::string at;
};

struct RevisionSummary {
    int number = 0;
    std::string submitted_at;
    std::string submitted_by_name;
};

// One difference between two revisions. The page shows
// "<label> <qualifier>: <before> -> <after>".
//   label       a msgid ("Title", "Summary", a cost type's or financing
//               source's label, "Partner", "Attachment") when label_is_msgid,
//               else data (a form field's label as it was when submitted)
//   qualifier   data that tells lines with the same label apart: the budget
//               year ("2018"), the row ("#2"), the file name; may be empty
//   before/after  the values as text (money as "1234500 kr", lists joined
//               with ", "); empty when absent. When values_are_msgids they
//               are msgids ("Yes", "No") to translate.
struct DiffLine {
    std::string label;
    bool label_is_msgid = true;
    std::string qualifier;
    std::string before;
    std::string after;
    bool values_are_msgids = false;
};

// --- Lists ------------------------------------------------------------------------------

enum class SortKey { Reference, Title, Unit, Requested, Submitted, Updated };
std::string_view sort_key_key(SortKey key); // "reference", "title", "unit", "requested", ...
std::optional<SortKey> parse_sort_key(std::string_view key);

struct ListFilter {
    std::optional<Id> call_id;
    std::optional<Id> programme_id;
    std::optional<Id> fund_id;
    std::optional<Id> unit_id;
    std::optional<Status> status;
    std::optional<std::string> theme; // matched lower-cased
    std::string query;                // full-text search; empty: no search
    SortKey sort = SortKey::Updated;
    bool descending = true;
    int page = 1;      // from 1 (clamped)
    int per_page = 50; // 1..MAX_PER_PAGE (clamped)
};

struct ListRow {
    Id id = 0;
    std::string reference;
    std::string title;
    Id unit_id = 0;
    std::string unit_name;
    Id call_id = 0;
    std::string call_title;
    Status status = Status::Draft;
    Ore budget_total_ore = 0;
    Ore requested_ore = 0;
    std::optional<std::string> submitted_at;
    std::string updated_at;
};

struct ListPage {
    std::vector<ListRow> rows;
    long long total = 0; // rows matching, all pages
    int page = 1;
    int per_page = 50;
};

// One entry of a staff-list filter: a unit, a programme or a call.
struct ListChoice {
    Id id = 0;
    std::string label;
    std::string group; // programmes and calls: the fund's name
};

// What the staff list can be filtered by, within the actor's funds.
struct ListChoices {
    std::vector<ListChoice> units; // service units: applications belong to them
    std::vector<ListChoice> programmes;
    std::vector<ListChoice> calls;
    bool several_funds = false; // then programme labels name their fund
};

// The staff list page: its filter choices and, for a valid filter, the
// page of rows.
struct StaffListView {
    ListChoices choices;
    std::optional<ListPage> page;
};

// What must be fixed before the application can be submitted; empty: ready.
struct SubmitCheck {
    std::vector<FieldError> missing;
    bool ready() const { return missing.empty(); }
};

// --- Limits -------------------------------------------------------------------------------

inline constexpr std::size_t MAX_TITLE_LENGTH = 200;    // characters
inline constexpr std::size_t MAX_SUMMARY_LENGTH = 5000; // characters
inline constexpr std::size_t MAX_ANSWER_LENGTH = 20000; // text answers without max_length
inline constexpr std::size_t MAX_THEME_LENGTH = 60;     // characters
inline constexpr std::size_t MAX_THEMES = 10;
inline constexpr std::size_t MAX_NAME_LENGTH = 200; // partner and funder names, roles
inline constexpr std::size_t MAX_COMMENT_LENGTH = 2000;
inline constexpr std::size_t MAX_BUDGET_LINES = 10 * 4; // MAX_DURATION_YEARS × cost types
inline constexpr std::size_t MAX_FINANCING_LINES = 30;
inline constexpr std::size_t MAX_PARTNERS = 30;
inline constexpr int MIN_YEAR = 2000;
inline constexpr int MAX_YEAR = 2100;
// One amount at most 10 000 000 000 kr, hours at most 1 000 000 per line:
// every total of a valid application fits in int64 øre.
inline constexpr Ore MAX_AMOUNT_ORE = 1'000'000'000'000;
inline constexpr int MAX_IN_KIND_HOURS = 1'000'000;
inline constexpr int MAX_PER_PAGE = 200;
inline constexpr int DEFAULT_PER_PAGE = 50;

// --- Rules ----------------------------------------------------------------------------------

// Norwegian organisation number (Brønnøysundregistrene): 9 digits, the last
// a MOD11 check digit over the first eight with weights 3 2 7 6 5 4 3 2.
// Check digit = 11 − (sum mod 11); a remainder of 0 gives check digit 0 and
// a remainder of 1 (check digit 10) means the number is invalid. Spaces are
// allowed between digits ("974 760 673").
bool is_valid_organisation_number(std::string_view text);
// The 9 digits without spaces, when valid.
std::optional<std::string> normalise_organisation_number(std::string_view text);

// "SPIRE-2018-0042": the year of creation and the number within the
// organisation and year, at least 4 digits ("SPIRE-2018-12345" beyond 9999).
std::string format_reference(int year, int number);
// The inverse, for search boxes: {year, number} or nullopt.
struct ReferenceParts {
    int year = 0;
    int number = 0;
};
std::optional<ReferenceParts> parse_reference(std::string_view text);

// The workflow (issue 5 §5) as a table:
//   Save      Draft -> Draft (edits, attachments)
//   Submit    Draft -> AwaitingEndorsement (call requires endorsement)
//             Draft -> Submitted (it does not)
//   Endorse   AwaitingEndorsement -> Submitted
//   Return    AwaitingEndorsement -> Draft (unit leader),
//             Submitted -> Draft (fund manager, before any decision)
//   Withdraw  Draft, AwaitingEndorsement, Submitted -> Withdrawn
// Withdrawn is final.
enum class Transition { Save, Submit, Endorse, Return, Withdraw };
bool allowed(Status from, Transition transition);
// Where the transition leads; nullopt when not allowed.
std::optional<Status> next_status(Status from, Transition transition, bool endorsement_required);

// Budget totals; nullopt on int64 overflow (impossible within the limits).
std::optional<Ore> budget_total(const std::vector<BudgetLine>& lines);
struct YearTotal {
    int year = 0;
    Ore total_ore = 0;
};
std::vector<YearTotal> budget_totals_by_year(const std::vector<BudgetLine>& lines); // by year
struct CostTypeTotal {
    CostType cost_type = CostType::Personnel;
    Ore total_ore = 0;
};
// All four cost types, in ALL_COST_TYPES order (zero where nothing is budgeted).
std::vector<CostTypeTotal> budget_totals_by_cost_type(const std::vector<BudgetLine>& lines);
// The amount of one cell, 0 when absent.
Ore budget_cell(const std::vector<BudgetLine>& lines, int year, CostType cost_type);

// Sum of every line's total (cash + hours × rate); nullopt on overflow.
std::optional<Ore> financing_total(const std::vector<FinancingLine>& lines);
// Sum of the lines of one source.
std::optional<Ore> financing_total(const std::vector<FinancingLine>& lines, FinancingSource source);

// Research co-funding: the own share an external call requires.
//
//   required = ceil(project_total × required_percent / 100)   (whole øre)
//   own      = own_contribution (asked of this fund, the municipality's own
//              money) + the financing lines of source own_unit (cash and
//              in kind)
//   met      = own >= required
//
// Both count as the municipality's own share towards the external funder:
// the fund's money is the municipality's, and the unit's hours are too.
struct OwnShare {
    Ore required_ore = 0;
    Ore own_ore = 0;
    bool met() const { return own_ore >= required_ore; }
};
OwnShare own_share(Ore project_total_ore, int required_percent, Ore own_contribution_ore,
                   const std::vector<FinancingLine>& financing);

// Trimmed, lower-cased (ASCII and æøå/ÆØÅ and other Latin-1 letters), inner
// runs of spaces collapsed; duplicates and empty ones dropped, order kept.
std::vector<std::string> normalise_themes(const std::vector<std::string>& themes);

// --- Validation on save (format only; drafts may be incomplete) ----------------------------

// Title, summary, themes, years, the research/social figures (non-negative,
// within limits) and every answer against its field (validate_answer).
// Answers to unknown or inactive fields are refused ("field_<id>").
std::vector<FieldError> validate_details(const DetailsInput& input,
                                         const calls::FormDefinition& form);

// One answer against its field's kind: text within max_length (or
// MAX_ANSWER_LENGTH) characters, number a decimal ("12", "-3,5", "3.5"),
// money non-negative and within MAX_AMOUNT_ORE, date a real YYYY-MM-DD,
// options belonging to the field, and only the member of the field's kind
// set. The error names "field_<id>".
std::optional<FieldError> validate_answer(const calls::FormField& field, const Answer& answer);

// Years MIN_YEAR..MAX_YEAR, amounts 0..MAX_AMOUNT_ORE, at most one line per
// year × cost type, at most MAX_BUDGET_LINES lines.
std::vector<FieldError> validate_budget(const std::vector<BudgetLine>& lines);
// Amounts and hours within limits, funder name length, line total fits.
std::vector<FieldError> validate_financing(const std::vector<FinancingLine>& lines);
// Name required, organisation number empty or MOD11-valid, role length.
std::vector<FieldError> validate_partners(const std::vector<Partner>& partners);

// Characters (code points) of UTF-8 text.
std::size_t utf8_length(std::string_view text);

// --- Completeness on submit -------------------------------------------------------------------

// What the submission check needs to know besides the application.
struct SubmissionContext {
    Ore max_amount_ore = 0;     // the call's
    int max_duration_years = 1; // the call's
    funds::ProgrammeKind programme_kind = funds::ProgrammeKind::Other;
    const calls::FormDefinition* form = nullptr; // the call's active fields
    // The chosen external call's requirement, when one is chosen and exists
    // in the organisation's registry (else the choice counts as missing).
    std::optional<int> required_own_share_percent;
    bool partnership_model_known = false; // the chosen model exists and is active
};

// Everything missing or inconsistent, in page order (details, budget,
// financing, partners). See the rules in service.hpp.
std::vector<FieldError> check_completeness(const Application& application,
                                           const SubmissionContext& context);

namespace message {
inline constexpr const char* CHECK_FIELDS = "Check the fields marked below.";
inline constexpr const char* NOT_EDITABLE = "A submitted application cannot be changed.";
inline constexpr const char* CALL_CLOSED = "The call is closed: the deadline has passed.";
inline constexpr const char* CALL_NOT_OPEN = "The call is not open for applications.";
inline constexpr const char* WITHDRAWN = "The application has been withdrawn.";
inline constexpr const char* NOT_READY = "The application is not complete. Fix the items listed.";
inline constexpr const char* NOT_AWAITING_ENDORSEMENT =
    "The application is not waiting for endorsement.";
inline constexpr const char* CANNOT_RETURN = "Only an application waiting for endorsement or "
                                             "submitted can be returned.";
inline constexpr const char* COMMENT_REQUIRED = "Write a comment.";
inline constexpr const char* COMMENT_TOO_LONG = "The comment is too long.";
inline constexpr const char* NO_SUCH_REVISION = "There is no such revision.";
inline constexpr const char* NO_SUCH_UNIT = "Choose a unit you apply for.";

inline constexpr const char* TITLE_MISSING = "Enter a title.";
inline constexpr const char* TITLE_TOO_LONG = "The title is too long (at most 200 characters).";
inline constexpr const char* SUMMARY_MISSING = "Write a summary.";
inline constexpr const char* SUMMARY_TOO_LONG =
    "The summary is too long (at most 5000 characters).";
inline constexpr const char* TOO_MANY_THEMES = "Use at most 10 themes.";
inline constexpr const char* THEME_TOO_LONG = "A theme is too long (at most 60 characters).";
inline constexpr const char* YEAR_OUT_OF_RANGE = "Enter a year between 2000 and 2100.";
inline constexpr const char* START_YEAR_MISSING = "Enter the start year.";
inline constexpr const char* DURATION_OUT_OF_RANGE = "Enter a duration between 1 and 10 years.";
inline constexpr const char* DURATION_TOO_LONG = "The project is longer than the call allows.";
inline constexpr const char* AMOUNT_NEGATIVE = "The amount cannot be negative.";
inline constexpr const char* AMOUNT_TOO_LARGE = "The amount is too large.";
inline constexpr const char* HOURS_OUT_OF_RANGE = "Enter the hours as a whole number between 0 "
                                                  "and 1000000.";

inline constexpr const char* ANSWER_REQUIRED = "This field is required.";
inline constexpr const char* ANSWER_TOO_LONG = "The text is too long.";
inline constexpr const char* ANSWER_NOT_A_NUMBER = "Enter a number, like 12 or 3,5.";
inline constexpr const char* ANSWER_NOT_A_DATE = "Enter a date as YYYY-MM-DD, like 2018-03-01.";
inline constexpr const char* ANSWER_UNKNOWN_OPTION = "Choose one of the options.";
inline constexpr const char* ANSWER_WRONG_KIND = "This answer does not fit the field.";
inline constexpr const char* UNKNOWN_FIELD = "This field is not part of the call's form.";

inline constexpr const char* BUDGET_MISSING = "Fill in the budget.";
inline constexpr const char* BUDGET_ZERO = "The budget total must be more than 0 kr.";
inline constexpr const char* BUDGET_DUPLICATE = "Each year and cost type can appear only once.";
inline constexpr const char* BUDGET_TOO_MANY_LINES = "The budget has too many lines.";
inline constexpr const char* BUDGET_YEAR_OUTSIDE =
    "The budget has years outside the project period (start year and duration).";
inline constexpr const char* FINANCING_MISSING = "Fill in the financing plan.";
inline constexpr const char* FINANCING_NOT_BALANCED =
    "The financing plan must add up to the budget total.";
inline constexpr const char* FINANCING_TOO_MANY_LINES = "The financing plan has too many lines.";
inline constexpr const char* FUNDER_NAME_TOO_LONG = "The name is too long.";
inline constexpr const char* FUNDER_NAME_MISSING = "Enter the funder's name.";
inline constexpr const char* REQUESTED_MISSING = "Enter the amount you apply for from the fund.";
inline constexpr const char* REQUESTED_OVER_MAX =
    "The amount applied for is more than the call allows.";

inline constexpr const char* PARTNER_NAME_MISSING = "Enter the partner's name.";
inline constexpr const char* PARTNER_NAME_TOO_LONG = "The name is too long.";
inline constexpr const char* ORGANISATION_NUMBER_INVALID =
    "Enter a valid organisation number: 9 digits, like 974 760 673.";
inline constexpr const char* ROLE_TOO_LONG = "The role is too long.";
inline constexpr const char* TOO_MANY_PARTNERS = "Too many partners.";
inline constexpr const char* SOCIAL_ENTREPRENEUR_MISSING =
    "Add at least one partner of the type social entrepreneur.";
inline constexpr const char* PARTNERSHIP_MODEL_MISSING = "Choose a partnership model.";

inline constexpr const char* EXTERNAL_CALL_MISSING = "Choose the external call you apply to.";
inline constexpr const char* PROJECT_TOTAL_MISSING = "Enter the total project budget.";
inline constexpr const char* EXTERNAL_APPLIED_MISSING =
    "Enter the amount applied for from the external funder.";
inline constexpr const char* OWN_CONTRIBUTION_MISSING =
    "Enter the own contribution you ask the fund for.";
inline constexpr const char* OWN_SHARE_TOO_LOW =
    "The own share is below what the external call requires.";
inline constexpr const char* OWN_CONTRIBUTION_NOT_FINANCED = "The own contribution must equal "
                                                             "what the financing plan asks of "
                                                             "this fund.";

inline constexpr const char* FILE_EMPTY = "The file is empty.";
inline constexpr const char* FILE_TOO_LARGE = "The file is larger than 20 MB.";
inline constexpr const char* FILE_TYPE_NOT_ALLOWED =
    "Upload a PDF, Word (DOCX), Excel (XLSX), OpenDocument (ODT, ODS), PNG or JPEG file.";
inline constexpr const char* FIELD_NOT_A_FILE_FIELD = "This field does not take a file.";
} // namespace message

} // namespace spire::applications
