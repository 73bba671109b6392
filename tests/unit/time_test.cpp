// Points in time as the database stores them (core/time.hpp).

#include "core/time.hpp"

#include <chrono>
#include <date/date.h>
#include <gtest/gtest.h>
#include <random>
#include <string>

namespace {

using namespace std::chrono_literals;
using spire::from_db_time;
using spire::TimePoint;
using spire::to_db_time;

TimePoint utc(int y, unsigned m, unsigned d, int hh, int mm, int ss, long us = 0) {
    return date::sys_days{date::year{y} / m / d} + std::chrono::hours(hh) +
           std::chrono::minutes(mm) + std::chrono::seconds(ss) + std::chrono::microseconds(us);
}

TEST(DbTime, WritesUtcWithMicroseconds) {
    EXPECT_EQ(to_db_time(utc(2026, 11, 27, 14, 5, 0, 123456)), "2026-11-27T14:05:00.123456Z");
    EXPECT_EQ(to_db_time(utc(2026, 1, 2, 3, 4, 5)), "2026-01-02T03:04:05.000000Z");
}

TEST(DbTime, ReadsWhatItWrites) {
    EXPECT_EQ(from_db_time("2026-11-27T14:05:00.123456Z"), utc(2026, 11, 27, 14, 5, 0, 123456));
    EXPECT_EQ(from_db_time("1970-01-01T00:00:00.000000Z"), TimePoint{});
    EXPECT_EQ(from_db_time("1969-12-31T23:59:59.999999Z"), TimePoint{} - 1us);
    EXPECT_EQ(from_db_time("2024-02-29T23:59:59.999999Z"), utc(2024, 2, 29, 23, 59, 59, 999999));
    EXPECT_EQ(from_db_time("2000-02-29T00:00:00.000001Z"), utc(2000, 2, 29, 0, 0, 0, 1));
}

TEST(DbTime, RoundTripsAnyMicrosecondAcrossTheYears) {
    std::mt19937_64 random(2017);
    std::uniform_int_distribution<long long> micros(
        std::chrono::duration_cast<std::chrono::microseconds>(utc(1900, 1, 1, 0, 0, 0) -
                                                              TimePoint{})
            .count(),
        std::chrono::duration_cast<std::chrono::microseconds>(utc(2200, 1, 1, 0, 0, 0) -
                                                              TimePoint{})
            .count());
    for (int i = 0; i < 10'000; ++i) {
        TimePoint when{std::chrono::microseconds(micros(random))};
        std::string text = to_db_time(when);
        auto parsed = from_db_time(text);
        ASSERT_TRUE(parsed) << text;
        EXPECT_EQ(*parsed, when) << text;
    }
}

TEST(DbTime, DropsWhatIsBelowAMicrosecond) {
    TimePoint when = utc(2026, 11, 27, 14, 5, 0, 123456) + std::chrono::nanoseconds(789);
    EXPECT_EQ(from_db_time(to_db_time(when)), utc(2026, 11, 27, 14, 5, 0, 123456));
}

// SQLite's strftime('%f') writes milliseconds; a fraction is optional.
TEST(DbTime, ReadsAShorterOrNoFraction) {
    EXPECT_EQ(from_db_time("2026-11-27T14:05:00.123Z"), utc(2026, 11, 27, 14, 5, 0, 123000));
    EXPECT_EQ(from_db_time("2026-11-27T14:05:00.1Z"), utc(2026, 11, 27, 14, 5, 0, 100000));
    EXPECT_EQ(from_db_time("2026-11-27T14:05:00.000010Z"), utc(2026, 11, 27, 14, 5, 0, 10));
    EXPECT_EQ(from_db_time("2026-11-27T14:05:00Z"), utc(2026, 11, 27, 14, 5, 0));
}

TEST(DbTime, RefusesMalformedText) {
    for (const char* text : {
             "",
             "Z",
             "2026-11-27",
             "2026-11-27T14:05Z",
             "2026-11-27T14:05:00",              // no Z
             "2026-11-27T14:05:00.123456",       // no Z
             "2026-11-27T14:05:00.123456+01:00", // not UTC
             "2026-11-27T14:05:00.123456Zjunk",  // trailing text
             "2026-11-27T14:05:00.123456Z ",     // trailing space
             " 2026-11-27T14:05:00.123456Z",     // leading space
             "2026-11-27T14:05:00.1234567Z",     // below a microsecond
             "2026-11-27T14:05:00.Z",            // a point without digits
             "2026-11-27T14:05:00,123456Z",      // comma
             "2026-11-27 14:05:00.123456Z",      // space for T
             "2026/11/27T14:05:00.123456Z",      // slashes
             "2026-1-27T14:05:00.123456Z",       // one-digit month
             "+026-11-27T14:05:00.123456Z",      // sign
             "2026-11-27T14:05:0a.123456Z",      // letter
             "2026-11-27T14:05:00.12345aZ",      // letter in the fraction
             "2026-11-27T14:05:00.-12345Z",      // sign in the fraction
             "2026-11-27t14:05:00.123456z",      // lower case
             "2026-00-27T14:05:00.123456Z",      // month 0
             "2026-13-27T14:05:00.123456Z",      // month 13
             "2026-11-00T14:05:00.123456Z",      // day 0
             "2026-11-31T14:05:00.123456Z",      // 31 November
             "2026-02-29T14:05:00.123456Z",      // not a leap year
             "1900-02-29T14:05:00.123456Z",      // not a leap year either
             "2026-11-27T24:00:00.000000Z",      // hour 24
             "2026-11-27T14:60:00.000000Z",      // minute 60
             "2026-11-27T14:05:60.000000Z",      // leap second
             "0000-01-01T00:00:00.000000Z",      // before what system_clock holds
             "9999-12-31T23:59:59.999999Z",      // after it
         }) {
        EXPECT_FALSE(from_db_time(text)) << text;
    }
}

} // namespace
