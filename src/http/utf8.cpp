#include "http/utf8.hpp"

namespace spire::http {

namespace {

bool is_continuation(unsigned char byte, unsigned char low = 0x80, unsigned char high = 0xBF) {
    return byte >= low && byte <= high;
}

} // namespace

std::optional<std::size_t> utf8_sequence_length(std::string_view s) {
    if (s.empty())
        return std::nullopt;
    auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    unsigned char const lead = byte(0);

    // https://www.unicode.org/versions/Unicode15.0.0/ch03.pdf, Table 3-7
    // "Well-Formed UTF-8 Byte Sequences". The narrowed ranges for the second
    // byte after E0, ED, F0 and F4 are what exclude overlongs, surrogates and
    // code points above U+10FFFF.
    if (lead <= 0x7F)
        return 1;
    if (lead >= 0xC2 && lead <= 0xDF) {
        // U+0080..U+07FF: C2..DF 80..BF (C0 and C1 could only be overlong)
        if (s.size() < 2 || !is_continuation(byte(1)))
            return std::nullopt;
        return 2;
    }
    if (lead >= 0xE0 && lead <= 0xEF) {
        // U+0800..U+FFFF minus the surrogates:
        //   E0 A0..BF 80..BF | E1..EC 80..BF 80..BF | ED 80..9F 80..BF | EE..EF 80..BF 80..BF
        unsigned char const low = lead == 0xE0 ? 0xA0 : 0x80;
        unsigned char const high = lead == 0xED ? 0x9F : 0xBF;
        if (s.size() < 3 || !is_continuation(byte(1), low, high) || !is_continuation(byte(2)))
            return std::nullopt;
        return 3;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
        // U+10000..U+10FFFF:
        //   F0 90..BF 80..BF 80..BF | F1..F3 80..BF 80..BF 80..BF | F4 80..8F 80..BF 80..BF
        unsigned char const low = lead == 0xF0 ? 0x90 : 0x80;
        unsigned char const high = lead == 0xF4 ? 0x8F : 0xBF;
        if (s.size() < 4 || !is_continuation(byte(1), low, high) || !is_continuation(byte(2)) ||
            !is_continuation(byte(3)))
            return std::nullopt;
        return 4;
    }
    // 80..BF (stray continuation), C0, C1, F5..FF never start a sequence.
    return std::nullopt;
}

std::optional<char32_t> decode_utf8_code_point(std::string_view s) {
    auto const length = utf8_sequence_length(s);
    if (!length)
        return std::nullopt;
    auto byte = [&](std::size_t i) {
        return static_cast<char32_t>(static_cast<unsigned char>(s[i]));
    };
    switch (*length) {
    case 1:
        return byte(0);
    case 2:
        return ((byte(0) & 0x1F) << 6) | (byte(1) & 0x3F);
    case 3:
        return ((byte(0) & 0x0F) << 12) | ((byte(1) & 0x3F) << 6) | (byte(2) & 0x3F);
    default:
        return ((byte(0) & 0x07) << 18) | ((byte(1) & 0x3F) << 12) | ((byte(2) & 0x3F) << 6) |
               (byte(3) & 0x3F);
    }
}

bool is_valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        // ASCII fast path: most form text is ASCII.
        if (static_cast<unsigned char>(s[i]) < 0x80) {
            ++i;
            continue;
        }
        auto const length = utf8_sequence_length(s.substr(i));
        if (!length)
            return false;
        i += *length;
    }
    return true;
}

} // namespace spire::http
