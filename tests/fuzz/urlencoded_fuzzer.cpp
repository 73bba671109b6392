// libFuzzer target for parse_urlencoded.
// Input: the raw request body of an application/x-www-form-urlencoded POST.
// Besides "no crash, no sanitizer report", it checks what callers rely on:
// limits hold, every name and value is UTF-8 without NUL, errors have a kind
// a handler can map, and parse_form dispatches to the same result.

#include "http/form.hpp"
#include "http/utf8.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace {

using namespace spire;
using namespace spire::http;

void check(bool condition, const char* what) {
    if (!condition) {
        std::fprintf(stderr, "invariant violated: %s\n", what);
        std::abort();
    }
}

// Small limits so the fuzzer reaches every limit check with short inputs.
constexpr FormLimits LIMITS{
    .max_fields = 32, .max_field_bytes = 64, .max_file_bytes = 128, .max_files = 2};

void check_text(std::string_view text) {
    check(text.size() <= LIMITS.max_field_bytes, "text within max_field_bytes");
    check(is_valid_utf8(text), "text is UTF-8");
    check(text.find('\0') == std::string_view::npos, "text has no NUL");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view const body(reinterpret_cast<const char*>(data), size);
    auto const form = parse_urlencoded(body, LIMITS);
    if (form) {
        check(form->fields().size() <= LIMITS.max_fields, "fields within max_fields");
        check(form->files().empty(), "urlencoded forms have no files");
        for (auto const& [name, value] : form->fields()) {
            check_text(name);
            check_text(value);
            check(form->has(name), "has() finds every field");
        }
    } else {
        auto const kind = form.error().kind;
        check(kind == ErrorKind::Invalid || kind == ErrorKind::TooLarge, "error kind");
        check(!form.error().message.empty(), "error has a message");
    }

    auto const dispatched = parse_form("application/x-www-form-urlencoded", body, LIMITS);
    check(dispatched.has_value() == form.has_value(), "parse_form agrees with parse_urlencoded");
    if (form)
        check(dispatched->fields() == form->fields(), "parse_form yields the same fields");
    return 0;
}
