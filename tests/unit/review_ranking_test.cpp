// The calibrated ranking model (review/ranking.hpp): raw statistics worked
// out by hand, the model checked against simulated calls whose true
// qualities and reviewer leniencies are known, reproducibility, the
// degenerate calls that must not produce NaN, and the random number
// generators against their textbook moments.

#include "review/ranking.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <gtest/gtest.h>
#include <numeric>
#include <random>
#include <string>
#include <vector>

using namespace spire;
using namespace spire::review;

namespace {

// --- Building inputs ------------------------------------------------------------------

Criterion criterion(std::string id, int weight, int low = 1, int high = 7,
                    std::optional<int> minimum = std::nullopt) {
    return {std::move(id), weight, low, high, minimum};
}

std::string app_id(std::size_t i) {
    return "A" + std::to_string(i);
}
std::string reviewer_id(std::size_t j) {
    return "R" + std::to_string(j);
}

RankingInput single_criterion_input(std::size_t applications, std::size_t reviewers) {
    RankingInput input;
    input.criteria = {criterion("overall", 100)};
    for (std::size_t i = 0; i < applications; ++i)
        input.applications.push_back(app_id(i));
    for (std::size_t j = 0; j < reviewers; ++j)
        input.reviewers.push_back(reviewer_id(j));
    input.sampling = {7, 200, 400};
    return input;
}

void add_review(RankingInput& input, std::size_t application, std::size_t reviewer,
                std::vector<int> scores) {
    input.reviews.push_back({app_id(application), reviewer_id(reviewer), std::move(scores)});
}

RankingResult must_rank(const RankingInput& input) {
    auto result = rank_applications(input);
    if (!result) {
        std::string all = result.error().message;
        for (const auto& field : result.error().fields)
            all += "; " + field.field + ": " + field.message;
        ADD_FAILURE() << all;
        return {};
    }
    return *result;
}

bool finite(double x) {
    return std::isfinite(x);
}

// Every number of the result is finite and every interval ordered and inside
// 1..n; qualities lie within the intervals' order.
void expect_well_formed(const RankingResult& result) {
    const int n = static_cast<int>(result.applications.size());
    for (const auto& a : result.applications) {
        SCOPED_TRACE(a.application_id);
        EXPECT_TRUE(finite(a.expected_rank));
        EXPECT_GE(a.expected_rank, 1);
        EXPECT_LE(a.expected_rank, n);
        for (const auto& interval : {a.rank_50, a.rank_90}) {
            EXPECT_GE(interval.lower, 1);
            EXPECT_LE(interval.lower, interval.upper);
            EXPECT_LE(interval.upper, n);
        }
        EXPECT_LE(a.rank_90.lower, a.rank_50.lower);
        EXPECT_GE(a.rank_90.upper, a.rank_50.upper);
        if (a.quality) {
            EXPECT_TRUE(finite(*a.quality));
            EXPECT_TRUE(finite(a.quality_90->lower) && finite(a.quality_90->upper));
            EXPECT_LE(a.quality_90->lower, a.quality_50->lower);
            EXPECT_LE(a.quality_50->lower, a.quality_50->upper);
            EXPECT_LE(a.quality_50->upper, a.quality_90->upper);
        }
    }
    for (const auto& value : {result.reliability.icc1_anova, result.reliability.model_icc,
                              result.reliability.model_icc_calibrated}) {
        if (value) {
            EXPECT_TRUE(finite(*value));
        }
    }
    if (result.variance) {
        EXPECT_TRUE(finite(result.variance->tau) && result.variance->tau > 0);
        EXPECT_TRUE(finite(result.variance->sigma_reviewer) && result.variance->sigma_reviewer > 0);
        EXPECT_TRUE(finite(result.variance->sigma_residual) && result.variance->sigma_residual > 0);
    }
}

// --- Simulated calls -----------------------------------------------------------------------

// Spearman's rank correlation (average ranks for ties) between x and y.
std::vector<double> average_ranks(const std::vector<double>& values) {
    std::vector<std::size_t> order(values.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return values[a] < values[b]; });
    std::vector<double> ranks(values.size());
    for (std::size_t i = 0; i < order.size();) {
        std::size_t j = i;
        while (j + 1 < order.size() && values[order[j + 1]] == values[order[i]])
            ++j;
        for (std::size_t k = i; k <= j; ++k)
            ranks[order[k]] = (double(i) + double(j)) / 2 + 1;
        i = j + 1;
    }
    return ranks;
}

double spearman(const std::vector<double>& x, const std::vector<double>& y) {
    auto rx = average_ranks(x), ry = average_ranks(y);
    const double n = double(rx.size());
    const double mx = std::accumulate(rx.begin(), rx.end(), 0.0) / n;
    const double my = std::accumulate(ry.begin(), ry.end(), 0.0) / n;
    double sxy = 0, sxx = 0, syy = 0;
    for (std::size_t i = 0; i < rx.size(); ++i) {
        sxy += (rx[i] - mx) * (ry[i] - my);
        sxx += (rx[i] - mx) * (rx[i] - mx);
        syy += (ry[i] - my) * (ry[i] - my);
    }
    return sxy / std::sqrt(sxx * syy);
}

// A call simulated from the model itself (with the test's own generator,
// std::normal_distribution: it only has to be random, not portable).
struct SimulatedCall {
    RankingInput input;
    std::vector<double> true_quality; // mu + theta_i, on the scale
};

struct Simulation {
    std::size_t applications = 300;
    std::size_t reviewers = 60;
    std::size_t reviews_per_application = 3;
    int scale_min = 1, scale_max = 100;
    double mu = 50, tau = 8, sigma_reviewer = 6, sigma = 5;
    // Reviewers sorted by leniency and each application reviewed by a
    // window of neighbours: lenient reviewers review the same applications
    // (unbalanced), yet every reviewer shares applications with the next,
    // so leniencies are comparable across the call.
    bool windows_by_leniency = false;
    std::uint64_t seed = 1;
};

SimulatedCall simulate(const Simulation& s) {
    std::mt19937_64 engine(s.seed);
    std::normal_distribution<double> normal;
    SimulatedCall call;
    call.input.criteria = {criterion("overall", 100, s.scale_min, s.scale_max)};
    call.input.sampling = {s.seed, 300, 1000};

    std::vector<double> leniency(s.reviewers);
    for (auto& l : leniency)
        l = s.sigma_reviewer * normal(engine);
    // Centred, so that "true quality" (the expected score from an average
    // reviewer) is exactly mu + theta_i in this call.
    const double mean_leniency =
        std::accumulate(leniency.begin(), leniency.end(), 0.0) / double(s.reviewers);
    for (auto& l : leniency)
        l -= mean_leniency;
    if (s.windows_by_leniency)
        std::sort(leniency.begin(), leniency.end());
    for (std::size_t j = 0; j < s.reviewers; ++j)
        call.input.reviewers.push_back(reviewer_id(j));

    for (std::size_t i = 0; i < s.applications; ++i) {
        call.input.applications.push_back(app_id(i));
        call.true_quality.push_back(s.mu + s.tau * normal(engine));
        std::vector<std::size_t> chosen;
        if (s.windows_by_leniency) {
            const std::size_t first = i * (s.reviewers - s.reviews_per_application) /
                                      std::max<std::size_t>(1, s.applications - 1);
            for (std::size_t r = 0; r < s.reviews_per_application; ++r)
                chosen.push_back(first + r);
        } else {
            std::vector<std::size_t> all(s.reviewers);
            std::iota(all.begin(), all.end(), 0);
            std::shuffle(all.begin(), all.end(), engine);
            chosen.assign(all.begin(), all.begin() + long(s.reviews_per_application));
        }
        for (auto j : chosen) {
            double score = call.true_quality[i] + leniency[j] + s.sigma * normal(engine);
            int rounded = static_cast<int>(std::lround(score));
            rounded = std::clamp(rounded, s.scale_min, s.scale_max);
            call.input.reviews.push_back({app_id(i), reviewer_id(j), {rounded}});
        }
    }
    return call;
}

std::vector<double> true_ranks(const std::vector<double>& quality) {
    // 1 = best: rank of -quality ascending.
    std::vector<double> negated(quality.size());
    std::transform(quality.begin(), quality.end(), negated.begin(), [](double q) { return -q; });
    return average_ranks(negated);
}

} // namespace

// --- Raw statistics ----------------------------------------------------------------------

TEST(RankingRaw, RawScoreIsTheWeightedMeanOfTheCriteria) {
    std::vector<Criterion> criteria = {criterion("a", 50), criterion("b", 30), criterion("c", 20)};
    // 0.5·7 + 0.3·4 + 0.2·1 = 3.5 + 1.2 + 0.2
    EXPECT_DOUBLE_EQ(raw_score(criteria, {7, 4, 1}), 4.9);
    EXPECT_DOUBLE_EQ(raw_score(criteria, {3, 3, 3}), 3.0);
}

TEST(RankingRaw, ApplicationGetsMeanCountMinAndMaxOfItsReviews) {
    RankingInput input;
    input.criteria = {criterion("a", 60), criterion("b", 40)};
    input.applications = {"A0", "A1"};
    input.reviewers = {"R0", "R1", "R2"};
    input.sampling = {1, 50, 100};
    input.reviews = {{"A0", "R0", {7, 2}},  // 4.2 + 0.8 = 5.0
                     {"A0", "R1", {4, 4}},  // 4.0
                     {"A0", "R2", {1, 6}},  // 0.6 + 2.4 = 3.0
                     {"A1", "R0", {5, 5}}}; // 5.0
    auto result = must_rank(input);
    ASSERT_EQ(result.applications.size(), 2u);
    const auto& a0 = result.applications[0];
    EXPECT_EQ(a0.application_id, "A0");
    EXPECT_EQ(a0.review_count, 3);
    EXPECT_DOUBLE_EQ(*a0.raw_mean, 4.0);
    EXPECT_DOUBLE_EQ(*a0.raw_min, 3.0);
    EXPECT_DOUBLE_EQ(*a0.raw_max, 5.0);
    const auto& a1 = result.applications[1];
    EXPECT_EQ(a1.review_count, 1);
    EXPECT_DOUBLE_EQ(*a1.raw_mean, 5.0);
    EXPECT_DOUBLE_EQ(*a1.raw_min, 5.0);
    EXPECT_DOUBLE_EQ(*a1.raw_max, 5.0);
    expect_well_formed(result);
}

TEST(RankingRaw, DisagreementFromARangeOfThreeOnOneToSeven) {
    auto input = single_criterion_input(3, 3);
    add_review(input, 0, 0, {2});
    add_review(input, 0, 1, {5}); // range 3: flagged
    add_review(input, 1, 0, {2});
    add_review(input, 1, 1, {4}); // range 2
    add_review(input, 1, 2, {3});
    add_review(input, 2, 2, {7}); // one review: nothing to disagree about
    auto result = must_rank(input);
    EXPECT_TRUE(result.applications[0].disagreement);
    EXPECT_FALSE(result.applications[1].disagreement);
    EXPECT_FALSE(result.applications[2].disagreement);
}

TEST(RankingRaw, DisagreementScalesWithTheScaleWidth) {
    // 0–10: half the width is 5 points.
    auto input = single_criterion_input(2, 2);
    input.criteria = {criterion("overall", 100, 0, 10)};
    add_review(input, 0, 0, {2});
    add_review(input, 0, 1, {7}); // 5: flagged
    add_review(input, 1, 0, {2});
    add_review(input, 1, 1, {6}); // 4: not
    auto result = must_rank(input);
    EXPECT_TRUE(result.applications[0].disagreement);
    EXPECT_FALSE(result.applications[1].disagreement);
}

TEST(RankingRaw, DisagreementComparesWeightedMeansExactly) {
    // Weighted means 2.0 and 5.0 from 1/3-ish weights: exactly 3 apart.
    RankingInput input;
    input.criteria = {criterion("a", 30), criterion("b", 70)};
    input.applications = {"A0"};
    input.reviewers = {"R0", "R1"};
    input.sampling = {1, 10, 20};
    input.reviews = {{"A0", "R0", {2, 2}}, {"A0", "R1", {5, 5}}};
    EXPECT_TRUE(must_rank(input).applications[0].disagreement);
    input.reviews[1].scores = {4, 5}; // 1.2 + 3.5 = 4.7: range 2.7
    EXPECT_FALSE(must_rank(input).applications[0].disagreement);
}

TEST(RankingRaw, ThresholdFailsWhenTheCriterionMeanIsBelowItsMinimum) {
    RankingInput input;
    input.criteria = {criterion("relevance", 50, 1, 7, 4), criterion("feasibility", 50, 1, 7, 3),
                      criterion("other", 0)};
    input.applications = {"A0", "A1"};
    input.reviewers = {"R0", "R1"};
    input.sampling = {1, 10, 20};
    input.reviews = {
        {"A0", "R0", {4, 2, 1}},
        {"A0", "R1", {3, 3, 1}}, // relevance 3.5 < 4, feasibility 2.5 < 3
        {"A1", "R0", {4, 3, 1}},
        {"A1", "R1", {4, 3, 7}}, // exactly at both minimums: passes
    };
    auto result = must_rank(input);
    EXPECT_EQ(result.applications[0].threshold_failures,
              (std::vector<std::string>{"relevance", "feasibility"}));
    EXPECT_TRUE(result.applications[1].threshold_failures.empty());
}

TEST(RankingRaw, AnovaIccMatchesAHandComputedExample) {
    // Two applications, two reviews each: {2, 4} and {6, 6}.
    // Grand mean 4.5; MSB = 2·(3−4.5)² + 2·(6−4.5)² = 9 (k−1 = 1);
    // MSW = (1 + 1 + 0 + 0) / (4 − 2) = 1; n0 = 2.
    // ICC(1) = (9 − 1) / (9 + 1·1) = 0.8.
    auto input = single_criterion_input(2, 2);
    add_review(input, 0, 0, {2});
    add_review(input, 0, 1, {4});
    add_review(input, 1, 0, {6});
    add_review(input, 1, 1, {6});
    auto result = must_rank(input);
    ASSERT_TRUE(result.reliability.icc1_anova);
    EXPECT_NEAR(*result.reliability.icc1_anova, 0.8, 1e-12);
    ASSERT_TRUE(result.reliability.model_icc);
    EXPECT_GT(*result.reliability.model_icc, 0);
    EXPECT_LT(*result.reliability.model_icc, 1);
}

// --- The model against simulated truth -------------------------------------------------

TEST(RankingModel, CalibrationRecoversTheTrueOrderBetterThanRawMeans) {
    // Realistic 1–7 scores, reviewers whose leniency varies by ±2 points and
    // an assignment where lenient reviewers review the same applications.
    Simulation s;
    s.applications = 300;
    s.reviewers = 60;
    s.scale_min = 1;
    s.scale_max = 7;
    s.mu = 4;
    s.tau = 0.8;
    s.sigma_reviewer = 1.0;
    s.sigma = 0.5;
    s.windows_by_leniency = true;
    s.seed = 2022;
    auto call = simulate(s);
    auto result = must_rank(call.input);
    std::vector<double> raw, calibrated;
    for (const auto& a : result.applications) {
        raw.push_back(*a.raw_mean);
        calibrated.push_back(*a.quality);
    }
    const double raw_rho = spearman(raw, call.true_quality);
    const double calibrated_rho = spearman(calibrated, call.true_quality);
    std::printf("Spearman with the true quality: raw mean %.3f, calibrated %.3f\n", raw_rho,
                calibrated_rho);
    EXPECT_GT(calibrated_rho, raw_rho + 0.05);
    // Expected ranks order the applications like the calibrated quality.
    std::vector<double> negated_rank;
    for (const auto& a : result.applications)
        negated_rank.push_back(-a.expected_rank);
    EXPECT_GT(spearman(negated_rank, calibrated), 0.99);
    expect_well_formed(result);
}

TEST(RankingModel, CredibleIntervalsCoverTheTruthAtAboutTheirNominalRate) {
    // Data from the model itself on a fine scale (rounding to whole points
    // on 1–100 hardly matters), over three calls: 900 applications.
    std::size_t covered_q50 = 0, covered_q90 = 0, covered_r50 = 0, covered_r90 = 0, total = 0;
    for (std::uint64_t seed : {11u, 12u, 13u}) {
        Simulation s;
        s.seed = seed;
        auto call = simulate(s);
        auto result = must_rank(call.input);
        auto ranks = true_ranks(call.true_quality);
        for (std::size_t i = 0; i < result.applications.size(); ++i) {
            const auto& a = result.applications[i];
            const double q = call.true_quality[i];
            covered_q50 += a.quality_50->lower <= q && q <= a.quality_50->upper;
            covered_q90 += a.quality_90->lower <= q && q <= a.quality_90->upper;
            covered_r50 += a.rank_50.lower <= ranks[i] && ranks[i] <= a.rank_50.upper;
            covered_r90 += a.rank_90.lower <= ranks[i] && ranks[i] <= a.rank_90.upper;
            ++total;
        }
    }
    auto rate = [&](std::size_t covered) { return double(covered) / double(total); };
    std::printf("coverage over %zu applications: quality 50%% %.3f, 90%% %.3f; "
                "rank 50%% %.3f, 90%% %.3f\n",
                total, rate(covered_q50), rate(covered_q90), rate(covered_r50), rate(covered_r90));
    EXPECT_GT(rate(covered_q50), 0.40);
    EXPECT_LT(rate(covered_q50), 0.60);
    EXPECT_GT(rate(covered_q90), 0.80);
    EXPECT_LT(rate(covered_q90), 0.97);
    EXPECT_GT(rate(covered_r50), 0.40);
    EXPECT_LT(rate(covered_r50), 0.65);
    EXPECT_GT(rate(covered_r90), 0.80);
    EXPECT_LT(rate(covered_r90), 0.97);
}

TEST(RankingModel, VarianceComponentsAreRecovered) {
    Simulation s;
    s.applications = 400;
    s.reviewers = 80;
    s.seed = 99;
    auto result = must_rank(simulate(s).input);
    ASSERT_TRUE(result.variance);
    std::printf("tau %.2f (true 8), sigma_reviewer %.2f (true 6), sigma %.2f (true 5)\n",
                result.variance->tau, result.variance->sigma_reviewer,
                result.variance->sigma_residual);
    EXPECT_NEAR(result.variance->tau, 8, 1.5);
    EXPECT_NEAR(result.variance->sigma_reviewer, 6, 1.5);
    EXPECT_NEAR(result.variance->sigma_residual, 5, 1.0);
    // tau² / (tau² + sigma_l² + sigma²) = 64 / 125 ≈ 0.51: what ICC(1)
    // estimates too; 64 / 89 ≈ 0.72 once leniency is calibrated away.
    EXPECT_NEAR(*result.reliability.model_icc, 0.51, 0.1);
    EXPECT_NEAR(*result.reliability.model_icc_calibrated, 0.72, 0.1);
    EXPECT_NEAR(*result.reliability.icc1_anova, 0.51, 0.1);
}

TEST(RankingModel, ClearlyBetterApplicationRanksFirst) {
    auto input = single_criterion_input(3, 3);
    for (std::size_t j = 0; j < 3; ++j) {
        add_review(input, 0, j, {2});
        add_review(input, 1, j, {7});
        add_review(input, 2, j, {4});
    }
    auto result = must_rank(input);
    EXPECT_LT(result.applications[1].expected_rank, 1.2);
    EXPECT_EQ(result.applications[1].rank_90.lower, 1);
    EXPECT_GT(result.applications[0].expected_rank, 2.8);
    EXPECT_GT(*result.applications[1].quality, *result.applications[2].quality);
    EXPECT_GT(*result.applications[2].quality, *result.applications[0].quality);
    expect_well_formed(result);
}

TEST(RankingModel, ExpectedRanksOfAllApplicationsSumToTheTriangularNumber) {
    // Every draw is a permutation of 1..n, so their means sum to n(n+1)/2.
    auto call = simulate(Simulation{.applications = 40, .reviewers = 10, .seed = 5});
    auto result = must_rank(call.input);
    double sum = 0;
    for (const auto& a : result.applications)
        sum += a.expected_rank;
    EXPECT_NEAR(sum, 40.0 * 41 / 2, 1e-6);
}

// --- Reproducibility ------------------------------------------------------------------

TEST(RankingModel, SameSeedGivesTheSameResult) {
    auto input = simulate(Simulation{.applications = 50, .reviewers = 12, .seed = 3}).input;
    auto first = must_rank(input);
    auto second = must_rank(input);
    for (std::size_t i = 0; i < first.applications.size(); ++i) {
        EXPECT_EQ(first.applications[i].expected_rank, second.applications[i].expected_rank);
        EXPECT_EQ(*first.applications[i].quality, *second.applications[i].quality);
        EXPECT_EQ(first.applications[i].rank_90, second.applications[i].rank_90);
    }
    EXPECT_EQ(*first.reliability.model_icc, *second.reliability.model_icc);
}

TEST(RankingModel, DifferentSeedGivesSlightlyDifferentDraws) {
    auto input = simulate(Simulation{.applications = 50, .reviewers = 12, .seed = 3}).input;
    auto first = must_rank(input);
    input.sampling.seed += 1;
    auto second = must_rank(input);
    double largest_difference = 0;
    bool any_difference = false;
    for (std::size_t i = 0; i < first.applications.size(); ++i) {
        const double difference =
            std::abs(first.applications[i].expected_rank - second.applications[i].expected_rank);
        any_difference = any_difference || difference > 0;
        largest_difference = std::max(largest_difference, difference);
    }
    EXPECT_TRUE(any_difference);
    // Monte Carlo noise, not a different answer: a few places at most.
    EXPECT_LT(largest_difference, 4);
}

// --- Degenerate calls ------------------------------------------------------------------

TEST(RankingDegenerate, NoReviewsAtAllLeavesEveryRankOpen) {
    auto input = single_criterion_input(4, 2);
    auto result = must_rank(input);
    EXPECT_EQ(result.state, RankingState::NoReviews);
    ASSERT_EQ(result.applications.size(), 4u);
    for (const auto& a : result.applications) {
        EXPECT_EQ(a.review_count, 0);
        EXPECT_FALSE(a.quality);
        EXPECT_FALSE(a.raw_mean);
        EXPECT_DOUBLE_EQ(a.expected_rank, 2.5);
        EXPECT_EQ(a.rank_90, (Interval<int>{1, 4}));
    }
    EXPECT_FALSE(result.reliability.icc1_anova);
    EXPECT_FALSE(result.reliability.model_icc);
    EXPECT_FALSE(result.variance);
    expect_well_formed(result);
}

TEST(RankingDegenerate, NoApplicationsGivesAnEmptyResult) {
    auto result = must_rank(single_criterion_input(0, 0));
    EXPECT_EQ(result.state, RankingState::NoReviews);
    EXPECT_TRUE(result.applications.empty());
}

TEST(RankingDegenerate, UnreviewedApplicationRanksLastWithAnOpenInterval) {
    auto input = single_criterion_input(4, 2);
    add_review(input, 0, 0, {3});
    add_review(input, 1, 0, {5});
    add_review(input, 1, 1, {6});
    // applications 2 and 3: no reviews
    auto result = must_rank(input);
    EXPECT_EQ(result.state, RankingState::Ranked);
    for (std::size_t i : {2u, 3u}) {
        const auto& a = result.applications[i];
        EXPECT_EQ(a.review_count, 0);
        EXPECT_FALSE(a.quality);
        EXPECT_DOUBLE_EQ(a.expected_rank, 3.5); // sharing places 3 and 4
        EXPECT_EQ(a.rank_50, (Interval<int>{1, 4}));
        EXPECT_EQ(a.rank_90, (Interval<int>{1, 4}));
    }
    for (std::size_t i : {0u, 1u})
        EXPECT_LE(result.applications[i].rank_90.upper, 2);
    expect_well_formed(result);
}

TEST(RankingDegenerate, OneReviewerForEverything) {
    auto input = single_criterion_input(5, 1);
    for (std::size_t i = 0; i < 5; ++i)
        add_review(input, i, 0, {int(i) + 2});
    auto result = must_rank(input);
    expect_well_formed(result);
    EXPECT_LT(result.applications[4].expected_rank, result.applications[0].expected_rank);
}

TEST(RankingDegenerate, AllScoresEqual) {
    auto input = single_criterion_input(6, 3);
    for (std::size_t i = 0; i < 6; ++i)
        for (std::size_t j = 0; j < 3; ++j)
            add_review(input, i, j, {4});
    auto result = must_rank(input);
    expect_well_formed(result);
    EXPECT_FALSE(result.reliability.icc1_anova); // no variance: undefined
    for (const auto& a : result.applications) {
        EXPECT_NEAR(*a.quality, 4.0, 0.2);
        // Nothing separates them: each is about in the middle on average.
        EXPECT_NEAR(a.expected_rank, 3.5, 1.0);
    }
}

TEST(RankingDegenerate, ReviewersWithASingleReviewEach) {
    auto input = single_criterion_input(4, 8);
    for (std::size_t i = 0; i < 4; ++i) {
        add_review(input, i, 2 * i, {int(i) + 2});
        add_review(input, i, 2 * i + 1, {int(i) + 3});
    }
    auto result = must_rank(input);
    expect_well_formed(result);
    EXPECT_LT(result.applications[3].expected_rank, result.applications[0].expected_rank);
}

TEST(RankingDegenerate, OneApplicationWithOneReview) {
    auto input = single_criterion_input(1, 1);
    add_review(input, 0, 0, {1});
    auto result = must_rank(input);
    expect_well_formed(result);
    EXPECT_DOUBLE_EQ(result.applications[0].expected_rank, 1);
    EXPECT_EQ(result.applications[0].rank_90, (Interval<int>{1, 1}));
    EXPECT_FALSE(result.reliability.icc1_anova);
}

TEST(RankingDegenerate, OneDrawAndNoBurnIn) {
    auto input = simulate(Simulation{.applications = 10, .reviewers = 4, .seed = 8}).input;
    input.sampling = {8, 0, 1};
    auto result = must_rank(input);
    expect_well_formed(result);
    for (const auto& a : result.applications)
        EXPECT_EQ(a.rank_50.lower, a.rank_50.upper); // one draw: one rank
}

// --- Validation ----------------------------------------------------------------------

namespace {

std::vector<std::string> problem_fields(const RankingInput& input) {
    auto valid = validate_ranking_input(input);
    std::vector<std::string> fields;
    if (!valid) {
        EXPECT_EQ(valid.error().kind, ErrorKind::Invalid);
        for (const auto& field : valid.error().fields)
            fields.push_back(field.field + ": " + field.message);
    }
    return fields;
}

bool mentions(const std::vector<std::string>& problems, const std::string& text) {
    return std::any_of(problems.begin(), problems.end(),
                       [&](const auto& p) { return p.find(text) != std::string::npos; });
}

RankingInput valid_input() {
    auto input = single_criterion_input(2, 2);
    input.criteria = {criterion("a", 60, 1, 7, 3), criterion("b", 40)};
    input.reviews = {{"A0", "R0", {3, 4}}, {"A1", "R1", {5, 6}}};
    return input;
}

} // namespace

TEST(RankingValidation, AcceptsAValidInput) {
    EXPECT_TRUE(problem_fields(valid_input()).empty());
}

TEST(RankingValidation, RejectsWeightsNotSummingToHundred) {
    auto input = valid_input();
    input.criteria[1].weight_percent = 39;
    EXPECT_TRUE(mentions(problem_fields(input), "sum to 100 (percent), not 99"));
}

TEST(RankingValidation, RejectsBadCriteria) {
    auto input = valid_input();
    input.criteria[1].id = "a";
    EXPECT_TRUE(mentions(problem_fields(input), "criteria[1].id: Duplicate criterion id 'a'"));
    input = valid_input();
    input.criteria[1].scale_max = 5;
    EXPECT_TRUE(mentions(problem_fields(input), "criteria[1].scale: Every criterion"));
    input = valid_input();
    input.criteria[0].minimum = 8;
    EXPECT_TRUE(mentions(problem_fields(input), "criteria[0].minimum"));
    input = valid_input();
    input.criteria[0].scale_min = 7;
    input.criteria[1].scale_min = 7;
    EXPECT_TRUE(mentions(problem_fields(input), "minimum must be below its maximum"));
    input = valid_input();
    input.criteria.clear();
    EXPECT_TRUE(mentions(problem_fields(input), "At least one criterion"));
}

TEST(RankingValidation, RejectsUnknownAndDuplicateIds) {
    auto input = valid_input();
    input.reviews.push_back({"A9", "R7", {1, 1}});
    auto problems = problem_fields(input);
    EXPECT_TRUE(mentions(problems, "reviews[2].application: Unknown application 'A9'"));
    EXPECT_TRUE(mentions(problems, "reviews[2].reviewer: Unknown reviewer 'R7'"));
    input = valid_input();
    input.applications.push_back("A0");
    EXPECT_TRUE(mentions(problem_fields(input), "applications[2]: Duplicate id 'A0'"));
    input = valid_input();
    input.reviewers.push_back("");
    EXPECT_TRUE(mentions(problem_fields(input), "reviewers[2]: The id is empty"));
    input = valid_input();
    input.reviews.push_back({"A0", "R0", {1, 1}});
    EXPECT_TRUE(mentions(problem_fields(input), "already reviewed application 'A0'"));
}

TEST(RankingValidation, RejectsScoresOutsideTheScaleOrMissing) {
    auto input = valid_input();
    input.reviews[0].scores = {0, 8};
    auto problems = problem_fields(input);
    EXPECT_TRUE(mentions(problems, "reviews[0].scores[0]: Score 0 for 'a' is outside"));
    EXPECT_TRUE(mentions(problems, "reviews[0].scores[1]: Score 8 for 'b'"));
    input = valid_input();
    input.reviews[1].scores = {5};
    EXPECT_TRUE(mentions(problem_fields(input), "Expected 2 scores"));
}

TEST(RankingValidation, RejectsChainLengthsOutsideTheirLimits) {
    auto input = valid_input();
    input.sampling.draws = 0;
    EXPECT_TRUE(mentions(problem_fields(input), "draws must be between 1"));
    input.sampling.draws = 10;
    input.sampling.burn_in = -1;
    EXPECT_TRUE(mentions(problem_fields(input), "burn_in must be between 0"));
    input = valid_input();
    input.applications.resize(5000);
    for (std::size_t i = 0; i < input.applications.size(); ++i)
        input.applications[i] = app_id(i);
    input.sampling.draws = 5000; // 25 million stored draws
    EXPECT_TRUE(mentions(problem_fields(input), "draws × applications"));
}

TEST(RankingValidation, ReportsAtMostTwentyProblemsAndHowManyThereWere) {
    auto input = valid_input();
    for (int i = 0; i < 30; ++i)
        input.reviews.push_back({"nobody", "R0", {1, 1}});
    auto valid = validate_ranking_input(input);
    ASSERT_FALSE(valid);
    EXPECT_EQ(valid.error().fields.size(), MAX_REPORTED_PROBLEMS);
    EXPECT_NE(valid.error().message.find("30 problems"), std::string::npos);
}

TEST(RankingValidation, RankRefusesInvalidInput) {
    auto input = valid_input();
    input.criteria[0].weight_percent = 10;
    auto result = rank_applications(input);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().kind, ErrorKind::Invalid);
}

// --- Random numbers --------------------------------------------------------------------

TEST(RankingRandom, UniformIsStrictlyInsideZeroAndOne) {
    RandomSource random(1);
    for (int i = 0; i < 100000; ++i) {
        double u = random.uniform_open();
        ASSERT_GT(u, 0);
        ASSERT_LT(u, 1);
    }
}

TEST(RankingRandom, FollowsMt19937_64sSpecifiedSequence) {
    // C++ [rand.predef]: the 10000th output of a default-constructed
    // mt19937_64 (seed 5489) is 9981545732273789042.
    RandomSource random(5489);
    std::uint64_t value = 0;
    for (int i = 0; i < 10000; ++i)
        value = random.next_raw();
    EXPECT_EQ(value, 9981545732273789042ull);
}

TEST(RankingRandom, NormalHasMeanZeroAndVarianceOne) {
    RandomSource random(2);
    const int n = 200000;
    double sum = 0, squares = 0;
    int beyond_1_96 = 0;
    for (int i = 0; i < n; ++i) {
        double x = random.standard_normal();
        sum += x;
        squares += x * x;
        beyond_1_96 += std::abs(x) > 1.959964;
    }
    EXPECT_NEAR(sum / n, 0, 0.01);
    EXPECT_NEAR(squares / n, 1, 0.01);
    EXPECT_NEAR(double(beyond_1_96) / n, 0.05, 0.003);
}

TEST(RankingRandom, GammaHasMeanAndVarianceEqualToItsShape) {
    for (double shape : {0.3, 1.0, 2.5, 150.0}) {
        SCOPED_TRACE(shape);
        RandomSource random(3);
        const int n = 200000;
        double sum = 0, squares = 0;
        for (int i = 0; i < n; ++i) {
            double x = random.gamma(shape);
            ASSERT_GT(x, 0);
            sum += x;
            squares += x * x;
        }
        const double mean = sum / n, variance = squares / n - mean * mean;
        EXPECT_NEAR(mean, shape, 0.02 * shape + 0.005);
        EXPECT_NEAR(variance, shape, 0.05 * shape + 0.005);
    }
}

TEST(RankingRandom, InverseGammaHasTheKnownMean) {
    // Inverse-Gamma(a, b) has mean b / (a − 1) for a > 1.
    RandomSource random(4);
    const int n = 200000;
    double sum = 0;
    for (int i = 0; i < n; ++i)
        sum += random.inverse_gamma(6, 10);
    EXPECT_NEAR(sum / n, 2.0, 0.02);
}
