// libFuzzer target for the ranking file parser (review/ranking_file.cpp)
// and, on what it accepts, the ranking model (review/ranking.cpp).
// Input: the bytes of a ranking file, as `spire rank` reads them.
// Besides "no crash, no sanitizer report", it checks what callers rely on:
//   - a refusal is Invalid, says why, and lists at most
//     MAX_REPORTED_PROBLEMS places;
//   - an accepted file passes validate_ranking_input, and what
//     write_ranking_input makes of it reads back to the same file;
//   - ranking it (with the chain cut short, to keep each run fast) succeeds
//     and gives finite numbers, ranks inside 1..n, ordered intervals, and a
//     result document that is JSON.

#include "review/ranking.hpp"
#include "review/ranking_file.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

using namespace spire;
using namespace spire::review;

void check(bool condition, const char* what) {
    if (!condition) {
        std::fprintf(stderr, "invariant violated: %s\n", what);
        std::abort();
    }
}

bool finite_or_absent(const std::optional<double>& value) {
    return !value || std::isfinite(*value);
}

void check_result(const RankingResult& result) {
    const int n = static_cast<int>(result.applications.size());
    for (const auto& a : result.applications) {
        check(std::isfinite(a.expected_rank), "expected rank is finite");
        check(a.expected_rank >= 1 && a.expected_rank <= n, "expected rank within 1..n");
        check(1 <= a.rank_90.lower && a.rank_90.lower <= a.rank_50.lower &&
                  a.rank_50.lower <= a.rank_50.upper && a.rank_50.upper <= a.rank_90.upper &&
                  a.rank_90.upper <= n,
              "rank intervals nested inside 1..n");
        check(finite_or_absent(a.quality) && finite_or_absent(a.raw_mean),
              "quality and raw mean finite");
        check(a.quality.has_value() == (a.review_count > 0), "quality exactly when reviewed");
        if (a.quality_90)
            check(std::isfinite(a.quality_90->lower) && std::isfinite(a.quality_90->upper) &&
                      a.quality_90->lower <= a.quality_90->upper,
                  "quality interval finite and ordered");
    }
    check(finite_or_absent(result.reliability.icc1_anova) &&
              finite_or_absent(result.reliability.model_icc) &&
              finite_or_absent(result.reliability.model_icc_calibrated),
          "ICCs finite");
    boost::system::error_code ec;
    auto document = boost::json::parse(write_ranking_result(result), ec);
    check(!ec && document.is_object(), "the result document is JSON");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto parsed = parse_ranking_input(text);
    if (!parsed) {
        check(parsed.error().kind == ErrorKind::Invalid, "refusal is Invalid");
        check(!parsed.error().message.empty(), "refusal says why");
        check(parsed.error().fields.size() <= MAX_REPORTED_PROBLEMS, "problems are capped");
        return 0;
    }
    RankingInput input = std::move(*parsed);
    check(validate_ranking_input(input).has_value(), "accepted input is valid");

    const std::string written = write_ranking_input(input);
    auto again = parse_ranking_input(written);
    check(again.has_value(), "written input parses");
    check(write_ranking_input(*again) == written, "written input round-trips");

    input.sampling.burn_in = std::min(input.sampling.burn_in, 3);
    input.sampling.draws = std::min(input.sampling.draws, 5);
    auto result = rank_applications(input);
    check(result.has_value(), "valid input ranks");
    check_result(*result);
    return 0;
}
