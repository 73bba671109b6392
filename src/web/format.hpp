#pragma once

// Money and time as Norwegian users read them. Money is always integer øre
// (DESIGN.md §4); time is shown in Europe/Oslo.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace spire::web {

inline constexpr std::string_view TIME_ZONE = "Europe/Oslo";

// 123450000 -> "1 234 500 kr", 12345 -> "123,45 kr" (nb-NO: non-breaking
// space between thousands, comma before øre, øre only when non-zero).
std::string format_money(std::int64_t ore);

// "27.11.2026" in Europe/Oslo.
std::string format_date(std::chrono::system_clock::time_point when);

// "27.11.2026 kl. 14:05" (nb) or "27.11.2026 14:05" (en), in Europe/Oslo.
std::string format_datetime(std::chrono::system_clock::time_point when, std::string_view lang);

// ISO 8601 with the Oslo offset, e.g. "2026-11-27T14:05:00+01:00" (for the API).
std::string format_iso8601(std::chrono::system_clock::time_point when);

} // namespace spire::web
