// libFuzzer target for parse_multipart (and the Content-Type parser in front
// of it).
// Input: the first line (up to the first '\n', which is dropped) is the
// Content-Type header value; everything after it is the body. An input
// without '\n' is a header with an empty body. Seeds therefore start with
// e.g. "multipart/form-data; boundary=xyz\n--xyz\r\n...".
// Besides "no crash, no sanitizer report", it checks what callers rely on:
// limits hold, text is UTF-8 without NUL, filenames are sanitised, file data
// comes from the body, and parse_form dispatches to the same result.

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
constexpr FormLimits LIMITS{.max_fields = 16,
                            .max_field_bytes = 64,
                            .max_file_bytes = 256,
                            .max_files = 3,
                            .max_part_header_bytes = 512};

void check_text(std::string_view text) {
    check(text.size() <= LIMITS.max_field_bytes, "text within max_field_bytes");
    check(is_valid_utf8(text), "text is UTF-8");
    check(text.find('\0') == std::string_view::npos, "text has no NUL");
}

void check_form(const Form& form, std::string_view body) {
    check(form.fields().size() + form.files().size() <= LIMITS.max_fields,
          "parts within max_fields");
    check(form.files().size() <= LIMITS.max_files, "files within max_files");
    for (auto const& [name, value] : form.fields()) {
        check_text(name);
        check_text(value);
    }
    for (auto const& file : form.files()) {
        check_text(file.field);
        check(!file.filename.empty() && file.filename.size() <= 255, "filename length");
        check(sanitize_filename(file.filename) == file.filename, "filename is sanitised");
        check(is_valid_utf8(file.content_type), "content type is UTF-8");
        check(file.data.size() <= LIMITS.max_file_bytes, "file within max_file_bytes");
        check(body.find(file.data) != std::string_view::npos, "file data comes from the body");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view const input(reinterpret_cast<const char*>(data), size);
    auto const newline = input.find('\n');
    std::string_view const content_type = input.substr(0, newline);
    std::string_view const body =
        newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);

    auto const form = parse_multipart(body, content_type, LIMITS);
    if (form) {
        check_form(*form, body);
    } else {
        auto const kind = form.error().kind;
        check(kind == ErrorKind::Invalid || kind == ErrorKind::TooLarge, "error kind");
        check(!form.error().message.empty(), "error has a message");
    }

    auto const media_type = parse_media_type(content_type);
    if (media_type && media_type->is("multipart", "form-data")) {
        auto const dispatched = parse_form(content_type, body, LIMITS);
        check(dispatched.has_value() == form.has_value(), "parse_form agrees");
        if (form) {
            check(dispatched->fields() == form->fields(), "parse_form yields the same fields");
            check(dispatched->files().size() == form->files().size(),
                  "parse_form yields the same files");
        }
    }
    return 0;
}
