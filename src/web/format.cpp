#include "web/format.hpp"

#include <cstdio>
#include <date/tz.h>

namespace spire::web {

namespace {

constexpr std::string_view NBSP = "\u00a0";
constexpr std::string_view MINUS = "\u2212";

std::string group_thousands(std::uint64_t value) {
    std::string digits = std::to_string(value);
    std::string grouped;
    std::size_t lead = digits.size() % 3;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i != 0 && (i + 3 - lead) % 3 == 0)
            grouped += NBSP;
        grouped += digits[i];
    }
    return grouped;
}

const date::time_zone* oslo() {
    static const date::time_zone* zone = date::locate_zone(TIME_ZONE);
    return zone;
}

struct OsloTime {
    int year = 0;
    unsigned month = 0, day = 0, hour = 0, minute = 0, second = 0;
    int offset_minutes = 0; // east of UTC
};

// The wall clock in Oslo, in numbers. Dates and times are formatted from
// these with snprintf rather than date::format, whose stream and locale
// work was an eighth of the staff list's CPU time (two times a row).
OsloTime oslo_time(std::chrono::system_clock::time_point when) {
    const auto utc = date::floor<std::chrono::seconds>(when);
    const auto offset = oslo()->get_info(utc).offset;
    const auto local = utc + offset;
    const auto day = date::floor<date::days>(local);
    const date::year_month_day ymd{day};
    const date::hh_mm_ss time{local - day};
    return {static_cast<int>(ymd.year()),
            static_cast<unsigned>(ymd.month()),
            static_cast<unsigned>(ymd.day()),
            static_cast<unsigned>(time.hours().count()),
            static_cast<unsigned>(time.minutes().count()),
            static_cast<unsigned>(time.seconds().count()),
            static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(offset).count())};
}

} // namespace

std::string format_money(std::int64_t ore) {
    // Work in unsigned so that INT64_MIN has a magnitude too.
    bool negative = ore < 0;
    std::uint64_t magnitude = negative ? std::uint64_t(0) - static_cast<std::uint64_t>(ore)
                                       : static_cast<std::uint64_t>(ore);
    std::string text = negative ? std::string(MINUS) : std::string();
    text += group_thousands(magnitude / 100);
    if (std::uint64_t rest = magnitude % 100; rest != 0) {
        text += ',';
        text += char('0' + rest / 10);
        text += char('0' + rest % 10);
    }
    text += NBSP;
    text += "kr";
    return text;
}

std::string format_date(std::chrono::system_clock::time_point when) {
    const OsloTime local = oslo_time(when);
    char text[16];
    std::snprintf(text, sizeof text, "%02u.%02u.%04d", local.day, local.month, local.year);
    return text;
}

std::string format_datetime(std::chrono::system_clock::time_point when, std::string_view lang) {
    const OsloTime local = oslo_time(when);
    char text[32];
    std::snprintf(text, sizeof text,
                  lang == "nb" ? "%02u.%02u.%04d kl. %02u:%02u" : "%02u.%02u.%04d %02u:%02u",
                  local.day, local.month, local.year, local.hour, local.minute);
    return text;
}

std::string format_iso8601(std::chrono::system_clock::time_point when) {
    const OsloTime local = oslo_time(when);
    const int offset = local.offset_minutes < 0 ? -local.offset_minutes : local.offset_minutes;
    char text[40];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02u:%02u:%02u%c%02d:%02d", local.year,
                  local.month, local.day, local.hour, local.minute, local.second,
                  local.offset_minutes < 0 ? '-' : '+', offset / 60, offset % 60);
    return text;
}

} // namespace spire::web
