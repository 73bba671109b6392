#pragma once

// Points in time as stored in the database: UTC text in one fixed format,
// "2026-11-27T14:05:00.123456Z", which sorts and compares chronologically on
// both engines.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace spire {

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;

std::string to_db_time(TimePoint when);
std::optional<TimePoint> from_db_time(std::string_view text);

} // namespace spire
