// libFuzzer target for parse_kroner (core/money.cpp).
// Input: the text of an amount field as a browser would post it.
// Besides "no crash, no sanitizer report", it checks what callers rely on:
// a parsed amount is never negative, reads back through to_kroner_input to
// the same øre, and survives the grouping users type (spaces every three
// digits, a trailing "kr"); a refusal is Invalid with one of the documented
// messages.

#include "core/money.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace {

using namespace spire;

void check(bool condition, const char* what) {
    if (!condition) {
        std::fprintf(stderr, "invariant violated: %s\n", what);
        std::abort();
    }
}

bool documented_message(const std::string& message) {
    for (const char* known : {MONEY_EMPTY, MONEY_NEGATIVE, MONEY_NOT_A_NUMBER,
                              MONEY_TOO_MANY_DECIMALS, MONEY_TOO_LARGE}) {
        if (message == known)
            return true;
    }
    return false;
}

// "1234567,89" -> "1 234 567,89 kr" (nb-NO grouping with no-break spaces).
std::string grouped(const std::string& plain) {
    auto comma = plain.find(',');
    std::string whole = plain.substr(0, comma);
    std::string out;
    for (std::size_t i = 0; i < whole.size(); ++i) {
        if (i != 0 && (whole.size() - i) % 3 == 0)
            out += "\u00a0";
        out += whole[i];
    }
    if (comma != std::string::npos)
        out += plain.substr(comma);
    return out + " kr";
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto const parsed = parse_kroner(text);
    if (!parsed) {
        check(parsed.error().kind == ErrorKind::Invalid, "refusal is Invalid");
        check(documented_message(parsed.error().message), "refusal has a documented message");
        check(parsed.error().fields.empty(), "no field: the caller names it");
        return 0;
    }
    const Ore ore = *parsed;
    check(ore >= 0, "never negative");

    const std::string plain = to_kroner_input(ore);
    auto const again = parse_kroner(plain);
    check(again.has_value(), "to_kroner_input output parses");
    check(*again == ore, "to_kroner_input round-trips");

    auto const typed = parse_kroner(grouped(plain));
    check(typed.has_value(), "nb-NO grouping parses");
    check(*typed == ore, "nb-NO grouping gives the same amount");
    return 0;
}
