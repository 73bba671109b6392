#pragma once

// A saved allocation scenario's settings (issue 7 §1): what the fund manager
// chooses on the "new scenario" form, and the pure rules for reading that
// form. No I/O. The candidates and budgets are not part of it: they are read
// afresh from the ranking and the ledger (allocation/service.hpp).

#include "allocation/model.hpp"
#include "core/error.hpp"
#include "identity/model.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace spire::allocation {

using identity::Id;

// What funding an application is worth (DESIGN.md §6).
enum class ValueKind {
    Quality,       // its calibrated quality
    QualityAmount, // quality × the amount it asks for, in thousands of kroner
};
std::string_view value_kind_key(ValueKind kind); // "quality", "quality_amount"
std::optional<ValueKind> parse_value_kind(std::string_view key);

// Shares in whole percent, as the form asks for them.
struct ShareLimitSetting {
    ShareTarget target = ShareTarget::Programme;
    std::string name; // the programme's id as text, or the theme
    std::optional<int> min_percent;
    std::optional<int> max_percent;
    bool operator==(const ShareLimitSetting&) const = default;
};

struct ScenarioSettings {
    std::string name;
    ValueKind value = ValueKind::Quality;
    std::optional<int> partial_min_percent; // none: whole requests only
    std::optional<int> max_grants_per_unit;
    std::vector<ShareLimitSetting> share_limits;
    std::map<Id, Lock> locks; // applications locked yes or no; the rest are free
    // Other calls of the main call's programme whose applications compete
    // too (sorted, without the main call); empty for a one-call scenario.
    std::vector<Id> extra_calls;
    bool operator==(const ScenarioSettings&) const = default;
};

inline constexpr std::size_t MAX_SCENARIO_NAME_BYTES = 200;
inline constexpr std::size_t MAX_SEED_TEXT_BYTES = 200;
inline constexpr std::size_t SHARE_LIMIT_ROWS = 3; // rows on the form

// The form as typed: every value kept as text so a refused form shows what
// was entered.
struct ShareLimitTyped {
    std::string group; // "programme:<id>", "theme:<name>" or "" (unused row)
    std::string min_percent;
    std::string max_percent;
};

struct ScenarioTyped {
    std::string name;
    std::string value_kind;
    bool partial = false;
    std::string partial_min_percent;
    std::string max_grants_per_unit;
    std::vector<ShareLimitTyped> share_limits; // SHARE_LIMIT_ROWS
    std::map<Id, std::string> locks;           // application id -> "free" | "yes" | "no"
    std::vector<std::string> calls;            // the checked "calls" boxes: call ids
};

// What the form may choose from.
struct ScenarioChoices {
    std::set<Id> applications;    // the call's ranked applications
    std::set<Id> below_threshold; // of those, the ones that failed a minimum
    std::set<Id> programmes;      // the fund's programmes
    std::set<std::string> themes; // the applications' themes
    std::set<Id> calls;           // other calls of the programme that may take part
};

// Field names: name, value_kind, partial_min_percent, max_grants_per_unit,
// share_<i>_group, share_<i>_min, share_<i>_max (i from 1), lock_<id>,
// calls (repeated: one per checked call).
Result<ScenarioSettings> parse_scenario_form(const ScenarioTyped& typed,
                                             const ScenarioChoices& choices);

// A lottery seed as announced: 1 to MAX_SEED_TEXT_BYTES bytes of printable
// text, trimmed. Invalid with the field "seed" otherwise.
Result<std::string> parse_seed(std::string_view typed);

namespace message {
inline constexpr const char* CHECK_SCENARIO = "Check the fields marked below.";
inline constexpr const char* NAME_MISSING = "Give the scenario a name.";
inline constexpr const char* NAME_TOO_LONG = "The name must be one line of at most 200 characters.";
inline constexpr const char* VALUE_KIND = "Choose what a grant is worth.";
inline constexpr const char* PARTIAL_PERCENT = "Enter a whole percentage from 1 to 100.";
inline constexpr const char* UNIT_CAP = "Enter a whole number of at least 1, or leave it empty.";
inline constexpr const char* SHARE_GROUP = "Choose a programme or theme from the list.";
inline constexpr const char* SHARE_GROUP_TWICE = "This programme or theme already has a limit.";
inline constexpr const char* SHARE_PERCENT = "Enter a whole percentage from 0 to 100.";
inline constexpr const char* SHARE_NEEDS_BOUND = "Enter a minimum, a maximum or both.";
inline constexpr const char* SHARE_MIN_ABOVE_MAX = "The minimum cannot be more than the maximum.";
inline constexpr const char* LOCK_CHOICE = "Choose free, fund or do not fund.";
inline constexpr const char* LOCK_BELOW_THRESHOLD =
    "An application below a criterion's minimum cannot be locked to be funded.";
inline constexpr const char* CALLS_CHOICE =
    "Choose only calls of the same programme from the list.";
inline constexpr const char* SEED_MISSING = "Enter the seed to publish.";
inline constexpr const char* SEED_INVALID =
    "The seed must be at most 200 characters of ordinary text.";
} // namespace message

} // namespace spire::allocation
