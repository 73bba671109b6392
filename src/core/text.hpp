#pragma once

// Small text helpers for input as users type it.

#include <optional>
#include <string>
#include <string_view>

namespace spire {

// Without leading and trailing spaces, tabs and line breaks.
std::string trim(std::string_view text);

// A whole number of 1 to 18 ASCII digits (no sign, no spaces); nullopt for
// anything else. For ids and page numbers from URLs and forms.
std::optional<long long> parse_digits(std::string_view text);

} // namespace spire
