#pragma once

// Money as users type it (DESIGN.md §4: integer øre, never floating point).
//
// parse_kroner() reads an amount in kroner the way people in Norway write it
// and returns øre:
//
//   "1234500"  "1 234 500"  "1 234 500,50"  "1234500.5"  "1.234.500,50"
//   "1,234,500.50"  "1 234,-"  "kr 1 234"  "1 234 kr"  "12 000 NOK"
//
// Grouping: spaces (also U+00A0 no-break space, U+202F narrow no-break space,
// U+2009 thin space, U+2007 figure space, as nb-NO formatting and copying from
// spreadsheets produce), or '.'/',' when the other one is the decimal
// separator or the same one appears more than once. Groups after the first
// must have exactly three digits ("12 34" is refused: it is probably a typo).
// Decimals: one ',' or '.' followed by one or two digits; ",-" means whole
// kroner. Refused: empty input, a sign (negative amounts are never typed: the
// ledger has kinds for money going out), anything else that is not a digit,
// more than two decimals (so "12,500" is never silently read as 12 kr 50 øre
// or 12 500 kr), and amounts that do not fit in int64 øre.
//
// Messages are gettext msgids (English), translated by the web layer.

#include "core/error.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace spire {

// Øre. long long rather than std::int64_t (long): SOCI binds long long.
using Ore = long long;
static_assert(sizeof(Ore) == 8);

inline constexpr Ore ORE_PER_KRONE = 100;

// Longer input is refused before it is looked at (a form field, not a file).
inline constexpr std::size_t MAX_MONEY_INPUT_BYTES = 100;

inline constexpr const char* MONEY_EMPTY = "Enter an amount.";
inline constexpr const char* MONEY_NEGATIVE = "The amount cannot be negative.";
inline constexpr const char* MONEY_NOT_A_NUMBER =
    "Write the amount in kroner with digits, like 1 234 500 or 1234500,50.";
inline constexpr const char* MONEY_TOO_MANY_DECIMALS = "Use at most two decimals (øre).";
inline constexpr const char* MONEY_TOO_LARGE = "The amount is too large.";

// Øre from an amount in kroner as typed; Invalid with one of the messages
// above (no field: the caller knows which field it parsed).
Result<Ore> parse_kroner(std::string_view text);

// The plain form parse_kroner() reads back exactly, for pre-filling inputs:
// 123450050 -> "1234500,50", 123450000 -> "1234500", -5 -> "-0,05".
std::string to_kroner_input(Ore ore);

} // namespace spire
