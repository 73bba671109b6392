// libFuzzer target for the allocation file parsers
// (allocation/scenario_file.cpp): scenarios, lottery records and the input
// of `spire lottery verify`, all read from files people hand around.
// Besides "no crash, no sanitizer report, no leak", it checks what callers
// rely on:
//   - a refusal is Invalid with at least one field error (or TooLarge);
//   - an accepted scenario passes validate(), and writing it out and
//     reading it back gives the same scenario (doubles to within 4 ulps:
//     Boost.JSON 1.81's number parser is not always correctly rounded);
//   - an accepted lottery record reads back the same after writing.

#include "allocation/scenario_file.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace {

using namespace spire;
using namespace spire::allocation;

void check(bool condition, const char* what) {
    if (!condition) {
        std::fprintf(stderr, "invariant violated: %s\n", what);
        std::abort();
    }
}

template <class T>
void check_refusal(const Result<T>& parsed) {
    if (parsed)
        return;
    const auto& error = parsed.error();
    check(error.kind == ErrorKind::Invalid || error.kind == ErrorKind::TooLarge,
          "refusal is Invalid or TooLarge");
    check(error.kind != ErrorKind::Invalid || !error.fields.empty(),
          "an Invalid refusal names a field");
    check(!error.message.empty(), "a refusal has a message");
}

bool close(double a, double b) {
    return a == b || std::abs(a - b) <= 4 * std::abs(a) * 2.220446049250313e-16;
}

// The same scenario up to the parser's last-digit error in doubles.
bool same_scenario(Scenario again, const Scenario& original) {
    if (again.candidates.size() != original.candidates.size())
        return false;
    for (std::size_t i = 0; i < again.candidates.size(); ++i) {
        auto& got = again.candidates[i];
        const auto& want = original.candidates[i];
        if (!close(got.value, want.value))
            return false;
        got.value = want.value;
        if (got.rank && want.rank) {
            if (!close(got.rank->expected, want.rank->expected) ||
                !close(got.rank->low, want.rank->low) || !close(got.rank->high, want.rank->high))
                return false;
            got.rank = want.rank;
        }
    }
    auto fix_shares = [](std::vector<ShareLimit>& got, const std::vector<ShareLimit>& want) {
        for (std::size_t i = 0; i < got.size() && i < want.size(); ++i) {
            if (got[i].min && want[i].min && close(*got[i].min, *want[i].min))
                got[i].min = want[i].min;
            if (got[i].max && want[i].max && close(*got[i].max, *want[i].max))
                got[i].max = want[i].max;
        }
    };
    fix_shares(again.constraints.share_limits, original.constraints.share_limits);
    if (again.constraints.partial_funding && original.constraints.partial_funding &&
        close(again.constraints.partial_funding->min_share,
              original.constraints.partial_funding->min_share))
        again.constraints.partial_funding = original.constraints.partial_funding;
    if (close(again.optimiser.relative_gap, original.optimiser.relative_gap))
        again.optimiser.relative_gap = original.optimiser.relative_gap;
    if (close(again.optimiser.max_seconds, original.optimiser.max_seconds))
        again.optimiser.max_seconds = original.optimiser.max_seconds;
    return again == original;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    auto scenario = parse_scenario(text);
    check_refusal(scenario);
    if (scenario) {
        check(!validate(*scenario), "an accepted scenario is valid");
        auto again = parse_scenario(write_scenario(*scenario));
        check(again.has_value(), "a written scenario reads back");
        check(same_scenario(*again, *scenario), "a written scenario reads back the same");
    }

    auto record = parse_lottery_record(text);
    check_refusal(record);
    if (record) {
        auto again = parse_lottery_record(write_lottery_record(*record));
        check(again.has_value(), "a written record reads back");
        check(*again == *record, "a written record reads back the same");
    }

    auto input = parse_verify_input(text);
    check_refusal(input);
    return 0;
}
