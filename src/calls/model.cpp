#include "calls/model.hpp"

#include "core/time.hpp"

#include <array>
#include <date/tz.h>

namespace spire::calls {

namespace {

constexpr std::array<std::string_view, 3> STATUS_KEYS = {"draft", "published", "closed"};
constexpr std::array<std::string_view, 3> STATUS_LABELS = {"Draft", "Published", "Closed"};

constexpr std::array<std::string_view, 9> KIND_KEYS = {
    "short_text",    "long_text",       "number", "money", "date",
    "single_choice", "multiple_choice", "yes_no", "file"};
constexpr std::array<std::string_view, 9> KIND_LABELS = {
    "Short text",    "Long text (Markdown)", "Number", "Amount (kr)", "Date",
    "Single choice", "Multiple choice",      "Yes/no", "File"};

const date::time_zone* oslo() {
    static const date::time_zone* zone = date::locate_zone("Europe/Oslo");
    return zone;
}

std::optional<int> digits(std::string_view text, std::size_t at, std::size_t count) {
    int value = 0;
    for (std::size_t i = at; i < at + count; ++i) {
        char c = text[i];
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

} // namespace

std::string_view call_status_key(CallStatus status) {
    return STATUS_KEYS[static_cast<std::size_t>(status)];
}

std::optional<CallStatus> parse_call_status(std::string_view key) {
    for (std::size_t i = 0; i < STATUS_KEYS.size(); ++i) {
        if (STATUS_KEYS[i] == key)
            return static_cast<CallStatus>(i);
    }
    return std::nullopt;
}

std::string_view call_status_label(CallStatus status) {
    return STATUS_LABELS[static_cast<std::size_t>(status)];
}

std::string_view field_kind_key(FieldKind kind) {
    return KIND_KEYS[static_cast<std::size_t>(kind)];
}

std::optional<FieldKind> parse_field_kind(std::string_view key) {
    for (std::size_t i = 0; i < KIND_KEYS.size(); ++i) {
        if (KIND_KEYS[i] == key)
            return static_cast<FieldKind>(i);
    }
    return std::nullopt;
}

std::string_view field_kind_label(FieldKind kind) {
    return KIND_LABELS[static_cast<std::size_t>(kind)];
}

bool is_choice_kind(FieldKind kind) {
    return kind == FieldKind::SingleChoice || kind == FieldKind::MultipleChoice;
}

bool is_text_kind(FieldKind kind) {
    return kind == FieldKind::ShortText || kind == FieldKind::LongText;
}

bool accepts_submissions(const Call& call, std::string_view now) {
    if (call.status != CallStatus::Published)
        return false;
    auto when = from_db_time(now);
    if (!when)
        return false;
    if (call.opens_at) {
        auto opens = from_db_time(*call.opens_at);
        if (!opens || *when < *opens)
            return false;
    }
    if (call.rolling)
        return true;
    if (!call.closes_at)
        return false;
    auto closes = from_db_time(*call.closes_at);
    return closes && *when < *closes;
}

int weight_sum(const std::vector<Criterion>& criteria) {
    int sum = 0;
    for (const auto& criterion : criteria)
        sum += criterion.weight_percent;
    return sum;
}

std::vector<std::string> publish_problems(const Call& call,
                                          const std::vector<Criterion>& criteria) {
    std::vector<std::string> problems;
    if (criteria.empty())
        problems.emplace_back("Add at least one criterion before publishing.");
    else if (weight_sum(criteria) != 100)
        problems.emplace_back("The criteria's weights must add up to 100 %.");
    if (!call.opens_at)
        problems.emplace_back("Set when the call opens.");
    if (!call.rolling) {
        if (!call.closes_at)
            problems.emplace_back("Set when the call closes, or make it rolling.");
        else if (call.opens_at) {
            auto opens = from_db_time(*call.opens_at);
            auto closes = from_db_time(*call.closes_at);
            if (opens && closes && *closes <= *opens)
                problems.emplace_back("The call must close after it opens.");
        }
    }
    return problems;
}

const FormField* FormDefinition::field(Id id) const {
    for (const auto& section : sections) {
        for (const auto& field : section.fields) {
            if (field.id == id)
                return &field;
        }
    }
    return nullptr;
}

Result<std::string> oslo_to_utc(std::string_view date_text, std::string_view time_text) {
    if (date_text.size() != 10 || date_text[4] != '-' || date_text[7] != '-')
        return tl::unexpected(Error::invalid(message::DATE_FORMAT));
    auto year = digits(date_text, 0, 4);
    auto month = digits(date_text, 5, 2);
    auto day = digits(date_text, 8, 2);
    if (!year || !month || !day)
        return tl::unexpected(Error::invalid(message::DATE_FORMAT));
    date::year_month_day ymd{date::year{*year}, date::month{static_cast<unsigned>(*month)},
                             date::day{static_cast<unsigned>(*day)}};
    if (!ymd.ok() || *year < 1900 || *year > 2200)
        return tl::unexpected(Error::invalid(message::DATE_FORMAT));

    std::optional<int> hour;
    std::optional<int> minute;
    if (time_text.size() == 5 && time_text[2] == ':') {
        hour = digits(time_text, 0, 2);
        minute = digits(time_text, 3, 2);
    } else if (time_text.size() == 4 && time_text[1] == ':') {
        hour = digits(time_text, 0, 1);
        minute = digits(time_text, 2, 2);
    }
    if (!hour || !minute || *hour > 23 || *minute > 59)
        return tl::unexpected(Error::invalid(message::TIME_FORMAT));

    date::local_seconds local =
        date::local_days{ymd} + std::chrono::hours{*hour} + std::chrono::minutes{*minute};
    auto info = oslo()->get_info(local);
    if (info.result == date::local_info::nonexistent)
        return tl::unexpected(Error::invalid(message::TIME_SKIPPED));
    auto utc = oslo()->to_sys(local, date::choose::earliest);
    return to_db_time(std::chrono::system_clock::time_point(utc));
}

std::optional<OsloDateTime> utc_to_oslo(std::string_view db_time) {
    auto when = from_db_time(db_time);
    if (!when)
        return std::nullopt;
    auto local = date::make_zoned(oslo(), date::floor<std::chrono::minutes>(*when));
    return OsloDateTime{date::format("%Y-%m-%d", local), date::format("%H:%M", local)};
}

} // namespace spire::calls
