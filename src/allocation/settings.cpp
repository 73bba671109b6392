#include "allocation/settings.hpp"

#include "core/named.hpp"
#include "core/text.hpp"

namespace spire::allocation {

namespace {

constexpr Named<ValueKind> VALUE_KINDS[] = {
    {ValueKind::Quality, "quality", "Calibrated quality"},
    {ValueKind::QualityAmount, "quality_amount", "Quality × amount"},
};

// "" -> none; a whole number in [low, high] -> it; anything else -> an error.
struct Bounded {
    bool ok = true;
    std::optional<int> value;
};

Bounded bounded(const std::string& typed, int low, int high) {
    const std::string text = trim(typed);
    if (text.empty())
        return {};
    auto number = parse_digits(text);
    if (!number || *number < low || *number > high)
        return {false, std::nullopt};
    return {true, static_cast<int>(*number)};
}

void parse_share_limits(const ScenarioTyped& typed, const ScenarioChoices& choices,
                        ScenarioSettings& settings, std::vector<FieldError>& errors) {
    std::set<std::pair<ShareTarget, std::string>> seen;
    for (std::size_t i = 0; i < typed.share_limits.size(); ++i) {
        const auto& row = typed.share_limits[i];
        const std::string prefix = "share_" + std::to_string(i + 1) + "_";
        const std::string group = trim(row.group);
        if (group.empty())
            continue; // an unused row, whatever its numbers say
        ShareLimitSetting limit;
        bool known = false;
        if (group.starts_with("programme:")) {
            limit.target = ShareTarget::Programme;
            limit.name = group.substr(10);
            auto id = parse_digits(limit.name);
            known = id && choices.programmes.contains(*id);
        } else if (group.starts_with("theme:")) {
            limit.target = ShareTarget::Theme;
            limit.name = group.substr(6);
            known = choices.themes.contains(limit.name);
        }
        if (!known) {
            errors.push_back({prefix + "group", message::SHARE_GROUP});
            continue;
        }
        if (!seen.insert({limit.target, limit.name}).second) {
            errors.push_back({prefix + "group", message::SHARE_GROUP_TWICE});
            continue;
        }
        auto min = bounded(row.min_percent, 0, 100);
        auto max = bounded(row.max_percent, 0, 100);
        if (!min.ok)
            errors.push_back({prefix + "min", message::SHARE_PERCENT});
        if (!max.ok)
            errors.push_back({prefix + "max", message::SHARE_PERCENT});
        if (!min.ok || !max.ok)
            continue;
        if (!min.value && !max.value) {
            errors.push_back({prefix + "min", message::SHARE_NEEDS_BOUND});
            continue;
        }
        if (min.value && max.value && *min.value > *max.value) {
            errors.push_back({prefix + "min", message::SHARE_MIN_ABOVE_MAX});
            continue;
        }
        limit.min_percent = min.value;
        limit.max_percent = max.value;
        settings.share_limits.push_back(std::move(limit));
    }
}

void parse_locks(const ScenarioTyped& typed, const ScenarioChoices& choices,
                 ScenarioSettings& settings, std::vector<FieldError>& errors) {
    for (const auto& [application, text] : typed.locks) {
        const std::string field = "lock_" + std::to_string(application);
        auto lock = parse_lock(trim(text));
        if (!choices.applications.contains(application) || !lock) {
            errors.push_back({field, message::LOCK_CHOICE});
            continue;
        }
        if (*lock == Lock::Yes && choices.below_threshold.contains(application)) {
            errors.push_back({field, message::LOCK_BELOW_THRESHOLD});
            continue;
        }
        if (*lock != Lock::Free)
            settings.locks[application] = *lock;
    }
}

// Each checked call must be one the form offered: another call of the
// same programme and organisation. Duplicates are harmless and dropped.
void parse_calls(const ScenarioTyped& typed, const ScenarioChoices& choices,
                 ScenarioSettings& settings, std::vector<FieldError>& errors) {
    std::set<Id> chosen;
    for (const auto& text : typed.calls) {
        auto id = parse_digits(trim(text));
        if (!id || !choices.calls.contains(*id)) {
            errors.push_back({"calls", message::CALLS_CHOICE});
            return;
        }
        chosen.insert(*id);
    }
    settings.extra_calls.assign(chosen.begin(), chosen.end());
}

bool printable_text(std::string_view text) {
    for (unsigned char c : text) {
        if (c < 0x20 || c == 0x7f)
            return false;
    }
    return true;
}

} // namespace

std::string_view value_kind_key(ValueKind kind) {
    return key_of(VALUE_KINDS, kind);
}

std::optional<ValueKind> parse_value_kind(std::string_view key) {
    return parse_named(VALUE_KINDS, key);
}

Result<ScenarioSettings> parse_scenario_form(const ScenarioTyped& typed,
                                             const ScenarioChoices& choices) {
    std::vector<FieldError> errors;
    ScenarioSettings settings;
    settings.name = trim(typed.name);
    if (settings.name.empty())
        errors.push_back({"name", message::NAME_MISSING});
    else if (settings.name.size() > MAX_SCENARIO_NAME_BYTES || !printable_text(settings.name))
        errors.push_back({"name", message::NAME_TOO_LONG});
    if (auto kind = parse_value_kind(trim(typed.value_kind)))
        settings.value = *kind;
    else
        errors.push_back({"value_kind", message::VALUE_KIND});
    if (typed.partial) {
        auto share = bounded(typed.partial_min_percent, 1, 100);
        if (!share.ok || !share.value)
            errors.push_back({"partial_min_percent", message::PARTIAL_PERCENT});
        else
            settings.partial_min_percent = share.value;
    }
    auto cap = bounded(typed.max_grants_per_unit, 1, 1000);
    if (!cap.ok)
        errors.push_back({"max_grants_per_unit", message::UNIT_CAP});
    else
        settings.max_grants_per_unit = cap.value;
    parse_share_limits(typed, choices, settings, errors);
    parse_locks(typed, choices, settings, errors);
    parse_calls(typed, choices, settings, errors);
    if (!errors.empty())
        return tl::unexpected(Error::invalid(message::CHECK_SCENARIO, std::move(errors)));
    return settings;
}

Result<std::string> parse_seed(std::string_view typed) {
    std::string seed = trim(typed);
    if (seed.empty())
        return tl::unexpected(
            Error::invalid(message::CHECK_SCENARIO, {{"seed", message::SEED_MISSING}}));
    if (seed.size() > MAX_SEED_TEXT_BYTES || !printable_text(seed))
        return tl::unexpected(
            Error::invalid(message::CHECK_SCENARIO, {{"seed", message::SEED_INVALID}}));
    return seed;
}

} // namespace spire::allocation
