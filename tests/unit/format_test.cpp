#include "web/format.hpp"

#include <date/date.h>
#include <gtest/gtest.h>
#include <limits>

using namespace spire::web;

namespace {
const std::string NBSP = "\u00a0";
const std::string MINUS = "\u2212";

std::chrono::system_clock::time_point utc(int y, unsigned m, unsigned d, int hh, int mm) {
    return date::sys_days{date::year{y} / m / d} + std::chrono::hours(hh) +
           std::chrono::minutes(mm);
}
} // namespace

TEST(FormatMoney, GroupsThousandsWithNonBreakingSpace) {
    EXPECT_EQ(format_money(123450000), "1" + NBSP + "234" + NBSP + "500" + NBSP + "kr");
    EXPECT_EQ(format_money(1000000000), "10" + NBSP + "000" + NBSP + "000" + NBSP + "kr");
}

TEST(FormatMoney, ShowsOreOnlyWhenNotZero) {
    EXPECT_EQ(format_money(12345), "123,45" + NBSP + "kr");
    EXPECT_EQ(format_money(12305), "123,05" + NBSP + "kr");
    EXPECT_EQ(format_money(12300), "123" + NBSP + "kr");
}

TEST(FormatMoney, SmallAndZeroAmounts) {
    EXPECT_EQ(format_money(0), "0" + NBSP + "kr");
    EXPECT_EQ(format_money(5), "0,05" + NBSP + "kr");
    EXPECT_EQ(format_money(99900), "999" + NBSP + "kr");
    EXPECT_EQ(format_money(100000), "1" + NBSP + "000" + NBSP + "kr");
}

TEST(FormatMoney, NegativeAmountsUseMinusSign) {
    EXPECT_EQ(format_money(-250000), MINUS + "2" + NBSP + "500" + NBSP + "kr");
}

TEST(FormatMoney, ExtremesDoNotOverflow) {
    EXPECT_EQ(format_money(std::numeric_limits<std::int64_t>::min()),
              MINUS + "92" + NBSP + "233" + NBSP + "720" + NBSP + "368" + NBSP + "547" + NBSP +
                  "758,08" + NBSP + "kr");
}

TEST(FormatDate, UsesOsloWinterAndSummerTime) {
    // 23:30 UTC on 31 Dec is already 1 Jan in Oslo (UTC+1).
    EXPECT_EQ(format_date(utc(2017, 12, 31, 23, 30)), "01.01.2018");
    // 22:30 UTC on 30 Jun is 00:30 on 1 Jul in Oslo (UTC+2).
    EXPECT_EQ(format_date(utc(2018, 6, 30, 22, 30)), "01.07.2018");
}

TEST(FormatDateTime, NorwegianAndEnglish) {
    EXPECT_EQ(format_datetime(utc(2018, 3, 1, 11, 5), "nb"), "01.03.2018 kl. 12:05");
    EXPECT_EQ(format_datetime(utc(2018, 3, 1, 11, 5), "en"), "01.03.2018 12:05");
}

TEST(FormatDateTime, FollowsTheClockChanges) {
    // Summer time begins at 01:00 UTC on the last Sunday of March: 02:00
    // becomes 03:00 in Oslo.
    EXPECT_EQ(format_datetime(utc(2018, 3, 25, 0, 59), "en"), "25.03.2018 01:59");
    EXPECT_EQ(format_datetime(utc(2018, 3, 25, 1, 0), "en"), "25.03.2018 03:00");
    // It ends at 01:00 UTC on the last Sunday of October: 03:00 becomes 02:00.
    EXPECT_EQ(format_datetime(utc(2018, 10, 28, 0, 59), "en"), "28.10.2018 02:59");
    EXPECT_EQ(format_datetime(utc(2018, 10, 28, 1, 0), "en"), "28.10.2018 02:00");
    // Seconds are dropped, not rounded.
    EXPECT_EQ(format_datetime(utc(2018, 12, 31, 22, 59) + std::chrono::seconds(59), "nb"),
              "31.12.2018 kl. 23:59");
}

TEST(FormatIso8601, CarriesTheOsloOffset) {
    EXPECT_EQ(format_iso8601(utc(2018, 1, 15, 9, 0)), "2018-01-15T10:00:00+01:00");
    EXPECT_EQ(format_iso8601(utc(2018, 7, 15, 9, 0)), "2018-07-15T11:00:00+02:00");
}
