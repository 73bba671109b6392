#include "web/format.hpp"

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
    auto local = date::make_zoned(oslo(), date::floor<std::chrono::seconds>(when));
    return date::format("%d.%m.%Y", local);
}

std::string format_datetime(std::chrono::system_clock::time_point when, std::string_view lang) {
    auto local = date::make_zoned(oslo(), date::floor<std::chrono::minutes>(when));
    return date::format(lang == "nb" ? "%d.%m.%Y kl. %H:%M" : "%d.%m.%Y %H:%M", local);
}

std::string format_iso8601(std::chrono::system_clock::time_point when) {
    auto local = date::make_zoned(oslo(), date::floor<std::chrono::seconds>(when));
    std::string text = date::format("%FT%T%z", local); // +0100
    text.insert(text.size() - 2, ":");                 // +01:00
    return text;
}

} // namespace spire::web
