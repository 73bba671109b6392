#include "core/time.hpp"

#include <date/date.h>
#include <sstream>

namespace spire {

std::string to_db_time(TimePoint when) {
    return date::format("%FT%TZ", date::floor<std::chrono::microseconds>(when));
}

std::optional<TimePoint> from_db_time(std::string_view text) {
    std::istringstream in{std::string(text)};
    date::sys_time<std::chrono::microseconds> parsed;
    in >> date::parse("%FT%TZ", parsed);
    if (in.fail())
        return std::nullopt;
    return TimePoint(std::chrono::duration_cast<Clock::duration>(parsed.time_since_epoch()));
}

} // namespace spire
