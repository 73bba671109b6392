#pragma once

// UTF-8 validation for text that arrives from clients (form fields, names,
// filenames). Hand-written because it is small and sits on every request.

#include <cstddef>
#include <optional>
#include <string_view>

namespace spire::http {

// True if `s` is well-formed UTF-8 as defined by Unicode 15, §3.9 Table 3-7:
// no overlong encodings, no surrogates (U+D800..U+DFFF), nothing above
// U+10FFFF, no truncated or stray continuation bytes. U+0000 is valid UTF-8;
// callers that cannot store NUL must check for it themselves.
bool is_valid_utf8(std::string_view s);

// Length in bytes (1-4) of the well-formed sequence that starts at `s[0]`, or
// nullopt if `s` is empty or does not start with a well-formed sequence.
std::optional<std::size_t> utf8_sequence_length(std::string_view s);

// Decodes the well-formed sequence at the start of `s` (see
// utf8_sequence_length) into its code point.
std::optional<char32_t> decode_utf8_code_point(std::string_view s);

} // namespace spire::http
