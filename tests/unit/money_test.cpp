// parse_kroner: amounts as people in Norway type them, to øre; and what it
// refuses, with which message.

#include "core/money.hpp"

#include <gtest/gtest.h>
#include <limits>
#include <string>

using namespace spire;

namespace {

Ore ok(const std::string& text) {
    auto parsed = parse_kroner(text);
    EXPECT_TRUE(parsed) << "'" << text << "': " << (parsed ? "" : parsed.error().message);
    return parsed.value_or(-1);
}

std::string refused(const std::string& text) {
    auto parsed = parse_kroner(text);
    EXPECT_FALSE(parsed) << "'" << text << "' parsed as " << parsed.value_or(0);
    if (parsed)
        return "";
    EXPECT_EQ(parsed.error().kind, ErrorKind::Invalid);
    return parsed.error().message;
}

const std::string NBSP = "\u00a0";
const std::string NNBSP = "\u202f";

} // namespace

TEST(ParseKroner, PlainWholeKroner) {
    EXPECT_EQ(ok("1234500"), 123450000);
    EXPECT_EQ(ok("0"), 0);
    EXPECT_EQ(ok("7"), 700);
    EXPECT_EQ(ok("  42  "), 4200);
}

TEST(ParseKroner, NorwegianGroupingWithSpacesAndNoBreakSpaces) {
    EXPECT_EQ(ok("1 234 500"), 123450000);
    EXPECT_EQ(ok("1" + NBSP + "234" + NBSP + "500"), 123450000);
    EXPECT_EQ(ok("1" + NNBSP + "234" + NNBSP + "500"), 123450000);
    EXPECT_EQ(ok("1\u2009234"), 123400);
    EXPECT_EQ(ok("10 000 000"), 1000000000);
    EXPECT_EQ(ok("1  234"), 123400); // a doubled space is still one separator
}

TEST(ParseKroner, CommaOrDotBeforeOre) {
    EXPECT_EQ(ok("1234500,50"), 123450050);
    EXPECT_EQ(ok("1234500.50"), 123450050);
    EXPECT_EQ(ok("1 234,5"), 123450);
    EXPECT_EQ(ok("0,05"), 5);
    EXPECT_EQ(ok("12,00"), 1200);
}

TEST(ParseKroner, DotOrCommaGroupingWhenTheOtherSeparatesDecimals) {
    EXPECT_EQ(ok("1.234.500,50"), 123450050);
    EXPECT_EQ(ok("1,234,500.50"), 123450050);
    EXPECT_EQ(ok("1.234.500"), 123450000);
    EXPECT_EQ(ok("1,234,500"), 123450000);
}

TEST(ParseKroner, CurrencyAndWholeKronerMarks) {
    EXPECT_EQ(ok("1 234 kr"), 123400);
    EXPECT_EQ(ok("kr 1 234"), 123400);
    EXPECT_EQ(ok("kr. 1 234,50"), 123450);
    EXPECT_EQ(ok("1234 NOK"), 123400);
    EXPECT_EQ(ok("1 234,-"), 123400);
    EXPECT_EQ(ok("1.234,-"), 123400);
    EXPECT_EQ(ok("1 234,\u2013"), 123400);
    EXPECT_EQ(ok("1234kr"), 123400);
}

TEST(ParseKroner, RefusesEmptyInput) {
    EXPECT_EQ(refused(""), MONEY_EMPTY);
    EXPECT_EQ(refused("   "), MONEY_EMPTY);
    EXPECT_EQ(refused(NBSP), MONEY_EMPTY);
}

TEST(ParseKroner, RefusesNegativeAmounts) {
    EXPECT_EQ(refused("-100"), MONEY_NEGATIVE);
    EXPECT_EQ(refused("\u2212100"), MONEY_NEGATIVE);
    EXPECT_EQ(refused("kr -5"), MONEY_NEGATIVE);
    EXPECT_EQ(refused(" -1 234,50"), MONEY_NEGATIVE);
}

TEST(ParseKroner, RefusesWhatIsNotANumber) {
    for (const char* text :
         {"abc", "12a",       "1e5",         "+100",      "1 2 3",     "12 34", "1234 567",
          ",50", "100,",      "1,2,3",       "1.234,5,0", "1..2",      "12-34", "0x10",
          "½",   "1 234 ,50", "1,234.567.8", "kr",        "1.234,5.0", "1,-5"}) {
        EXPECT_EQ(refused(text), MONEY_NOT_A_NUMBER) << text;
    }
}

TEST(ParseKroner, RefusesMoreThanTwoDecimals) {
    EXPECT_EQ(refused("12,345"), MONEY_TOO_MANY_DECIMALS);
    EXPECT_EQ(refused("1.234"), MONEY_TOO_MANY_DECIMALS); // not silently read as 1 234 kr
    EXPECT_EQ(refused("0,001"), MONEY_TOO_MANY_DECIMALS);
    EXPECT_EQ(refused("1 234,500"), MONEY_TOO_MANY_DECIMALS);
}

TEST(ParseKroner, RefusesAmountsBeyondInt64Ore) {
    // INT64_MAX is 92 233 720 368 547 758,07 kr.
    EXPECT_EQ(ok("92233720368547758"), 9223372036854775800);
    EXPECT_EQ(ok("92233720368547758,07"), std::numeric_limits<Ore>::max());
    EXPECT_EQ(refused("92233720368547758,08"), MONEY_TOO_LARGE);
    EXPECT_EQ(refused("92233720368547759"), MONEY_TOO_LARGE);
    EXPECT_EQ(refused("99999999999999999999"), MONEY_TOO_LARGE);
    EXPECT_EQ(refused(std::string(MAX_MONEY_INPUT_BYTES + 1, '1')), MONEY_NOT_A_NUMBER);
}

TEST(ParseKroner, ReadsBackWhatToKronerInputWrites) {
    for (Ore ore : {0LL, 5LL, 50LL, 100LL, 123450050LL, 123450000LL, 9223372036854775800LL}) {
        EXPECT_EQ(ok(to_kroner_input(ore)), ore) << ore;
    }
    EXPECT_EQ(to_kroner_input(123450050), "1234500,50");
    EXPECT_EQ(to_kroner_input(123450000), "1234500");
    EXPECT_EQ(to_kroner_input(-5), "-0,05");
    EXPECT_EQ(to_kroner_input(std::numeric_limits<Ore>::min()), "-92233720368547758,08");
}
