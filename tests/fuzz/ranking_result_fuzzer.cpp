// libFuzzer target for the ranking result reader (review/ranking_file.cpp
// parse_ranking_result), which reads the ranking cache back. The cache holds
// what Spire wrote itself, but a damaged row must be refused, never crash.
// Besides "no crash, no sanitizer report", it checks:
//   - a refusal is Invalid, says why, and lists at most
//     MAX_REPORTED_PROBLEMS places;
//   - what it accepts writes out as JSON that reads back, and writing that
//     again gives the same text (the cache's numbers are stable).

#include "review/ranking_file.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

void check(bool condition, const char* what) {
    if (!condition) {
        std::fprintf(stderr, "invariant violated: %s\n", what);
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace spire;
    using namespace spire::review;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto parsed = parse_ranking_result(text);
    if (!parsed) {
        check(parsed.error().kind == ErrorKind::Invalid, "refusal is Invalid");
        check(!parsed.error().message.empty(), "refusal says why");
        check(parsed.error().fields.size() <= MAX_REPORTED_PROBLEMS, "problems are capped");
        return 0;
    }
    const std::string written = write_ranking_result(*parsed);
    auto again = parse_ranking_result(written);
    check(again.has_value(), "a written result reads back");
    check(write_ranking_result(*again) == written, "writing it again gives the same text");
    return 0;
}
