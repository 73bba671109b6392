// Ranking-model benchmark (issue #6, DESIGN.md §10), run by bench/ranking.sh:
//
//   the calibrated ranking (review::rank_applications, default chain: 500
//   burn-in and 2 000 kept draws) of a call with 2 000 applications × 3
//   reviews by 250 reviewers on 3 criteria. Bar: median < 1 s.
//
// Also measured:
//   - the same call end to end as `spire rank` does it in memory: parse the
//     ranking file's text, rank, write the result document;
//   - the reference, a fixed piece of work measured in the same run so that
//     the ratio means something on a busy machine: sorting 2 000 doubles
//     1 000 times (what ranking every kept draw costs at least).
//
// With SPIRE_BENCH_RANKING_FILE=PATH the generated ranking file is written
// there too, for bench/ranking.sh to time the `spire rank` process.
//
// Each benchmark reports the median and p99 of single runs as counters
// (median_ms/p99_ms, bench/support.hpp); Google Benchmark's "Time" is the
// mean.

#include "review/ranking.hpp"
#include "review/ranking_file.hpp"
#include "support.hpp"

#include <algorithm>
#include <benchmark/benchmark.h>
#include <cmath>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using spire::bench::Failure;
using spire::bench::measure;
using spire::bench::MILLISECONDS;
using namespace spire::review;

constexpr const char* PROGRAM = "ranking_bench";
constexpr std::size_t APPLICATIONS = 2000;
constexpr std::size_t REVIEWERS = 250;
constexpr std::size_t REVIEWS_PER_APPLICATION = 3;
constexpr std::uint64_t SEED = 20240611;

// A call like a large real one: qualities and leniencies from normal
// distributions, each application scored by three different reviewers
// picked at random, scores rounded to 1–7 per criterion.
RankingInput generate_call() {
    std::mt19937_64 engine(SEED);
    std::normal_distribution<double> normal;
    RankingInput input;
    input.criteria = {
        {"relevance", 40, 1, 7, 4}, {"quality", 30, 1, 7, 3}, {"impact", 30, 1, 7, {}}};
    input.sampling.seed = SEED;
    std::vector<double> leniency(REVIEWERS);
    for (std::size_t j = 0; j < REVIEWERS; ++j) {
        input.reviewers.push_back("R" + std::to_string(j));
        leniency[j] = 0.7 * normal(engine);
    }
    std::uniform_int_distribution<std::size_t> pick(0, REVIEWERS - 1);
    for (std::size_t i = 0; i < APPLICATIONS; ++i) {
        input.applications.push_back("A" + std::to_string(i));
        const double quality = 4 + 1.0 * normal(engine);
        std::vector<std::size_t> chosen;
        while (chosen.size() < REVIEWS_PER_APPLICATION) {
            auto j = pick(engine);
            if (std::find(chosen.begin(), chosen.end(), j) == chosen.end())
                chosen.push_back(j);
        }
        for (auto j : chosen) {
            Review review{input.applications.back(), input.reviewers[j], {}};
            for (std::size_t c = 0; c < input.criteria.size(); ++c) {
                const double score = quality + leniency[j] + 0.8 * normal(engine);
                review.scores.push_back(std::clamp(static_cast<int>(std::lround(score)), 1, 7));
            }
            input.reviews.push_back(std::move(review));
        }
    }
    return input;
}

void rank_model(benchmark::State& state, const RankingInput* input) {
    measure(state, MILLISECONDS, [&]() -> Failure {
        auto result = rank_applications(*input);
        if (!result)
            return "ranking failed: " + result.error().message;
        benchmark::DoNotOptimize(result->applications.data());
        return std::nullopt;
    });
}

void rank_file_end_to_end(benchmark::State& state, const std::string* text) {
    measure(state, MILLISECONDS, [&]() -> Failure {
        auto input = parse_ranking_input(*text);
        if (!input)
            return "parsing failed: " + input.error().message;
        auto result = rank_applications(*input);
        if (!result)
            return "ranking failed: " + result.error().message;
        auto written = write_ranking_result(*result);
        benchmark::DoNotOptimize(written.data());
        return std::nullopt;
    });
}

// The reference: 1 000 sorts of the same 2 000 shuffled doubles.
void reference_sorts(benchmark::State& state, const std::vector<double>* values) {
    std::vector<double> scratch(values->size());
    measure(state, MILLISECONDS, [&]() -> Failure {
        for (int i = 0; i < 1000; ++i) {
            std::copy(values->begin(), values->end(), scratch.begin());
            std::sort(scratch.begin(), scratch.end());
            benchmark::DoNotOptimize(scratch.data());
        }
        return std::nullopt;
    });
}

} // namespace

int main(int argc, char** argv) {
    RankingInput input;
    std::string text;
    std::vector<double> shuffled(APPLICATIONS);
    return spire::bench::run(argc, argv, PROGRAM, [&] {
        input = generate_call();
        text = write_ranking_input(input);
        if (auto path = spire::bench::env("SPIRE_BENCH_RANKING_FILE"); !path.empty()) {
            std::ofstream file(path, std::ios::binary);
            file << text;
            if (!file.flush())
                throw std::runtime_error("cannot write " + path);
        }
        std::mt19937_64 engine(SEED);
        std::normal_distribution<double> normal;
        for (auto& value : shuffled)
            value = normal(engine);

        benchmark::RegisterBenchmark("reference_sorts", reference_sorts, &shuffled)
            ->Unit(benchmark::kMillisecond)
            ->Iterations(15);
        benchmark::RegisterBenchmark("rank_model", rank_model, &input)
            ->Unit(benchmark::kMillisecond)
            ->Iterations(9);
        benchmark::RegisterBenchmark("rank_file_end_to_end", rank_file_end_to_end, &text)
            ->Unit(benchmark::kMillisecond)
            ->Iterations(5);
    });
}
