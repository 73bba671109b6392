#pragma once

// Calls for proposals (DESIGN.md §2.3): plain structs and pure rules; no I/O.
// The schema is migrations/calls/001_calls.sql. Other modules (applications,
// review, allocation) read these structs through calls::CallsService.

#include "core/error.hpp"
#include "core/money.hpp"
#include "identity/model.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spire::calls {

using identity::Id;

enum class CallStatus { Draft, Published, Closed };
std::string_view call_status_key(CallStatus status); // "draft", "published", "closed"
std::optional<CallStatus> parse_call_status(std::string_view key);
std::string_view call_status_label(CallStatus status); // msgid

struct Call {
    Id id = 0;
    Id organisation_id = 0;
    Id fund_id = 0;
    Id programme_id = 0;
    std::string title;
    std::string description;              // Markdown
    std::string eligibility;              // Markdown
    std::optional<std::string> opens_at;  // UTC, core/time.hpp format
    std::optional<std::string> closes_at; // UTC; none when rolling
    bool rolling = false;                 // "fortløpende": no deadline
    Ore max_amount_ore = 0;
    int max_duration_years = 1;
    bool endorsement_required = true;
    CallStatus status = CallStatus::Draft;
    std::string created_at;
    std::string updated_at;

    // Filled in by reads that join them, for display.
    std::string fund_name;
    std::string programme_name;
    std::string programme_kind; // funds::programme_kind_key
    std::string organisation_name;
};

// Whether an application may be submitted at `now` (UTC, core/time.hpp
// format): published, opened, and not past closes_at unless rolling.
bool accepts_submissions(const Call& call, std::string_view now);

// --- Europe/Oslo local time ---------------------------------------------------------

// A local date (YYYY-MM-DD) and time (HH:MM) in Europe/Oslo to stored UTC
// text. Invalid (msgid, no field) for malformed input and for a time that
// does not exist (the hour skipped when summer time starts); a time that
// occurs twice (the hour repeated in October) is the first of the two.
Result<std::string> oslo_to_utc(std::string_view date, std::string_view time);

struct OsloDateTime {
    std::string date; // YYYY-MM-DD
    std::string time; // HH:MM
};
// Stored UTC text to Europe/Oslo date and time (for pre-filling inputs).
std::optional<OsloDateTime> utc_to_oslo(std::string_view db_time);

namespace message {
inline constexpr const char* DATE_FORMAT = "Enter a date like 2018-10-15.";
inline constexpr const char* TIME_FORMAT = "Enter a time like 12:00.";
inline constexpr const char* TIME_SKIPPED =
    "That time does not exist in Norway (the clocks are put forward).";
} // namespace message

// The Research Council's 1–7 scale labels (msgids), index = score - 1.
inline constexpr std::string_view RCN_SCALE_LABELS[] = {
    "Poor", "Weak", "Fair", "Good", "Very good", "Excellent", "Outstanding"};

struct Criterion {
    Id id = 0;
    Id call_id = 0;
    std::string name;
    std::string guidance;
    int weight_percent = 0; // whole percent; a call's weights sum to 100
    int scale_min = 1;
    int scale_max = 7;
    std::optional<int> minimum_score;
    int sort_order = 0;
};

// Sum of the weights of the criteria.
int weight_sum(const std::vector<Criterion>& criteria);

enum class FieldKind {
    ShortText,
    LongText,
    Number,
    Money,
    Date,
    SingleChoice,
    MultipleChoice,
    YesNo,
    File
};
std::string_view field_kind_key(FieldKind kind); // "short_text", ..., "file"
std::optional<FieldKind> parse_field_kind(std::string_view key);
std::string_view field_kind_label(FieldKind kind); // msgid

struct FieldOption {
    Id id = 0;
    Id field_id = 0;
    std::string label;
    int sort_order = 0;
};

struct FormField {
    Id id = 0;
    Id call_id = 0;
    Id section_id = 0;
    std::string label;
    FieldKind kind = FieldKind::ShortText;
    bool required = false;
    std::string help_text;
    std::optional<int> max_length; // characters, for text kinds
    int sort_order = 0;
    bool active = true;
    std::vector<FieldOption> options; // choice kinds only
};

bool is_choice_kind(FieldKind kind); // single or multiple choice
bool is_text_kind(FieldKind kind);   // short or long text (max_length applies)

struct FormSection {
    Id id = 0;
    Id call_id = 0;
    std::string title;
    std::string help_text;
    int sort_order = 0;
    std::vector<FormField> fields; // active ones, in order
};

// The whole form of a call, as an applicant sees it.
struct FormDefinition {
    Id call_id = 0;
    std::vector<FormSection> sections;

    const FormField* field(Id id) const;
};

struct ExternalCall {
    Id id = 0;
    Id organisation_id = 0;
    std::string funder;    // "Forskningsrådet"
    std::string programme; // "Offentlig sektor-ph.d."
    std::string title;
    std::optional<std::string> deadline; // YYYY-MM-DD
    int required_own_share_percent = 0;
    std::string url;
    bool active = true;
};

struct PartnershipModel {
    Id id = 0;
    Id organisation_id = 0;
    std::string name;
    std::string description;
    bool active = true;
    int sort_order = 0;
};

// --- Limits -----------------------------------------------------------------------

inline constexpr std::size_t MAX_TITLE_LENGTH = 200;
inline constexpr std::size_t MAX_TEXT_LENGTH = 20000; // Markdown texts
inline constexpr int MAX_CRITERIA_PER_CALL = 20;
inline constexpr int MAX_FIELDS_PER_CALL = 100;
inline constexpr int MAX_OPTIONS_PER_FIELD = 50;
inline constexpr int MAX_DURATION_YEARS = 10;
inline constexpr int MAX_SECTIONS_PER_CALL = 30;
inline constexpr std::size_t MAX_LABEL_LENGTH = 300;
inline constexpr std::size_t MAX_HELP_LENGTH = 2000;
inline constexpr int MAX_FIELD_LENGTH = 100000; // max_length of a text field
inline constexpr int MIN_SCALE = 0;
inline constexpr int MAX_SCALE = 100;
inline constexpr std::size_t MAX_URL_LENGTH = 1000;

// What stops a call from being published (msgids, empty when it may be):
// no criteria, weights not summing to 100, no open time, no close time
// (unless rolling), close time not after open time.
std::vector<std::string> publish_problems(const Call& call, const std::vector<Criterion>& criteria);

} // namespace spire::calls
