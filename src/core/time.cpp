#include "core/time.hpp"

#include <cstddef>
#include <date/date.h>

namespace spire {

std::string to_db_time(TimePoint when) {
    return date::format("%FT%TZ", date::floor<std::chrono::microseconds>(when));
}

namespace {

// The value of text[at, at + count) if all of it is ASCII digits.
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

// By hand: this runs twice on every request that resolves a session, and
// date::parse through an istringstream costs microseconds each time.
std::optional<TimePoint> from_db_time(std::string_view text) {
    // "2026-11-27T14:05:00.123456Z" as to_db_time writes it. The fraction may
    // be shorter or absent ("…:00.123Z" from SQLite's strftime('%f'),
    // "…:00Z"); nothing may follow the Z.
    constexpr std::size_t SECONDS_END = 19; // "YYYY-MM-DDTHH:MM:SS"
    constexpr std::size_t MAX_FRACTION = 6; // microseconds
    if (text.size() < SECONDS_END + 1 || text.size() > SECONDS_END + 2 + MAX_FRACTION)
        return std::nullopt;
    if (text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
        text.back() != 'Z')
        return std::nullopt;
    auto year = digits(text, 0, 4);
    auto month = digits(text, 5, 2);
    auto day = digits(text, 8, 2);
    auto hour = digits(text, 11, 2);
    auto minute = digits(text, 14, 2);
    auto second = digits(text, 17, 2);
    if (!year || !month || !day || !hour || !minute || !second)
        return std::nullopt;
    if (*hour > 23 || *minute > 59 || *second > 59)
        return std::nullopt;

    int micros = 0;
    std::size_t fraction = text.size() - SECONDS_END - 1; // '.' and digits before the Z
    if (fraction > 0) {
        if (fraction == 1 || text[SECONDS_END] != '.')
            return std::nullopt;
        auto value = digits(text, SECONDS_END + 1, fraction - 1);
        if (!value)
            return std::nullopt;
        micros = *value;
        for (std::size_t i = fraction - 1; i < MAX_FRACTION; ++i)
            micros *= 10;
    }

    date::year_month_day ymd{date::year{*year}, date::month{static_cast<unsigned>(*month)},
                             date::day{static_cast<unsigned>(*day)}};
    if (!ymd.ok())
        return std::nullopt;
    using std::chrono::microseconds;
    auto since_epoch = date::sys_days{ymd}.time_since_epoch() + std::chrono::hours{*hour} +
                       std::chrono::minutes{*minute} + std::chrono::seconds{*second} +
                       microseconds{micros};
    // system_clock counts nanoseconds in 64 bits: about 1678 to 2262.
    if (since_epoch < std::chrono::duration_cast<microseconds>(Clock::duration::min()) ||
        since_epoch > std::chrono::duration_cast<microseconds>(Clock::duration::max()))
        return std::nullopt;
    return TimePoint(std::chrono::duration_cast<Clock::duration>(since_epoch));
}

} // namespace spire
