// libFuzzer target for sanitize_filename and is_valid_utf8.
// Input: a raw filename as a client might send it.
// sanitize_filename must always give a safe, valid, idempotent name, and
// is_valid_utf8 must agree with the independent reference decoder below.

#include "http/form.hpp"
#include "http/utf8.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

using namespace spire::http;

void check(bool condition, const char* what) {
    if (!condition) {
        std::fprintf(stderr, "invariant violated: %s\n", what);
        std::abort();
    }
}

// A second UTF-8 validator written the other way round: decode the code point
// from the lead byte's bit pattern, then reject overlongs, surrogates and
// values above U+10FFFF by value instead of by byte ranges.
bool reference_is_valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        auto const lead = static_cast<unsigned char>(s[i]);
        std::size_t length = 0;
        char32_t code_point = 0;
        if (lead < 0x80) {
            length = 1;
            code_point = lead;
        } else if ((lead & 0xE0) == 0xC0) {
            length = 2;
            code_point = lead & 0x1F;
        } else if ((lead & 0xF0) == 0xE0) {
            length = 3;
            code_point = lead & 0x0F;
        } else if ((lead & 0xF8) == 0xF0) {
            length = 4;
            code_point = lead & 0x07;
        } else {
            return false;
        }
        if (s.size() - i < length)
            return false;
        for (std::size_t k = 1; k < length; ++k) {
            auto const byte = static_cast<unsigned char>(s[i + k]);
            if ((byte & 0xC0) != 0x80)
                return false;
            code_point = (code_point << 6) | (byte & 0x3F);
        }
        constexpr char32_t SMALLEST[] = {0, 0, 0x80, 0x800, 0x10000};
        if (code_point < SMALLEST[length] || code_point > 0x10FFFF ||
            (code_point >= 0xD800 && code_point <= 0xDFFF))
            return false;
        i += length;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view const raw(reinterpret_cast<const char*>(data), size);

    check(is_valid_utf8(raw) == reference_is_valid_utf8(raw), "is_valid_utf8 matches reference");

    std::string const name = sanitize_filename(raw);
    check(!name.empty(), "never empty");
    check(name.size() <= 255, "at most 255 bytes");
    check(is_valid_utf8(name), "valid UTF-8");
    check(name.front() != '.' && name.front() != ' ', "no leading dot or space");
    check(name.back() != '.' && name.back() != ' ', "no trailing dot or space");
    check(name.find_first_of("/\\<>:\"|?*") == std::string::npos, "no separators or reserved");
    for (char const c : name)
        check(static_cast<unsigned char>(c) >= 0x20 && c != 0x7F, "no control characters");
    check(sanitize_filename(name) == name, "idempotent");
    return 0;
}
