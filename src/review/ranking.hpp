#pragma once

// Calibrated ranking of applications with uncertainty (DESIGN.md §5, the
// SNSF method of Heyard et al. 2022, "Rethinking the funding line at the
// Swiss National Science Foundation: Bayesian ranking and lottery",
// Statistics and Public Policy 9(1)). Pure: no I/O, no clock, no global
// random state; the same input and seed give the same result.
//
// A review's raw score is the weighted mean of its criterion scores. The
// raw scores are modelled as
//
//     score_ij = mu + theta_i + lambda_j + e_ij
//     theta_i ~ N(0, tau²)  (quality of application i)
//     lambda_j ~ N(0, sigma_l²)  (leniency of reviewer j)
//     e_ij ~ N(0, sigma²)
//
// and fitted by a Gibbs sampler (ranking.cpp says how). Per application the
// result has the calibrated quality (posterior mean of mu + theta_i, on the
// call's scale), the expected rank (posterior mean of its rank, 1 = best)
// and 50 % / 90 % credible intervals of the rank, beside the raw numbers a
// panel looks at (raw mean, number of reviews, spread, disagreement flag,
// criteria below their minimum). docs/ranking-file.md describes the model,
// priors and the file format (review/ranking_file.hpp) for people.
//
// Ids are strings: the file format (review/ranking_file.hpp) also accepts
// integers and turns them into their decimal text.

#include "core/error.hpp"

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace spire::review {

struct Criterion {
    std::string id;
    int weight_percent = 0; // 0..100; the weights of a call sum to 100
    int scale_min = 1;      // every criterion of a call has the same scale
    int scale_max = 7;
    std::optional<int> minimum; // threshold: fails when the mean score is below it
};

struct Review {
    std::string application_id;
    std::string reviewer_id;
    std::vector<int> scores; // one per criterion, in RankingInput::criteria's order
};

// Markov chain lengths: `burn_in` iterations are discarded, then every one of
// the next `draws` iterations is kept.
struct Sampling {
    std::uint64_t seed = 1;
    int burn_in = 500;
    int draws = 2000;
};

struct RankingInput {
    std::vector<Criterion> criteria;
    std::vector<std::string> applications;
    std::vector<std::string> reviewers;
    std::vector<Review> reviews;
    Sampling sampling;
};

// --- Limits (checked by validate_ranking_input) -------------------------------------

inline constexpr std::size_t MAX_CRITERIA = 50;
inline constexpr std::size_t MAX_APPLICATIONS = 100'000;
inline constexpr std::size_t MAX_REVIEWERS = 100'000;
inline constexpr std::size_t MAX_REVIEWS = 1'000'000;
inline constexpr std::size_t MAX_ID_LENGTH = 200;
inline constexpr int MIN_SCALE_VALUE = -1000; // keeps every sum of scores inside int
inline constexpr int MAX_SCALE_VALUE = 1000;
inline constexpr int MAX_BURN_IN = 100'000;
inline constexpr int MAX_DRAWS = 100'000;
// The sampler keeps every kept draw's rank and quality of every application
// (12 bytes each): this bounds that memory at about 240 MB.
inline constexpr long long MAX_STORED_DRAWS = 20'000'000;
// validate_ranking_input reports at most this many problems.
inline constexpr std::size_t MAX_REPORTED_PROBLEMS = 20;

// Every rule the model relies on: criteria (ids unique and non-empty,
// weights 0..100 summing to 100, one scale with min < max, minimum inside
// it), unique non-empty application and reviewer ids, reviews naming known
// ids with one score per criterion inside the scale and at most one review
// per application and reviewer, chain lengths and the limits above.
// The error is Invalid with one FieldError per problem; `field` is a path
// into the input ("reviews[3].scores[1]") and `message` says what is wrong
// in English.
Result<void> validate_ranking_input(const RankingInput& input);

// --- The result ------------------------------------------------------------------

template <class T>
struct Interval {
    T lower{};
    T upper{};
    bool operator==(const Interval&) const = default;
};

struct ApplicationRanking {
    std::string application_id;
    int review_count = 0;
    // Raw scores (weighted means of the criteria) of its reviews; none
    // without reviews.
    std::optional<double> raw_mean;
    std::optional<double> raw_min;
    std::optional<double> raw_max;
    // Raw scores spread over at least half the scale's width (3 points on
    // 1–7): worth discussing in the panel.
    bool disagreement = false;
    // Ids of the criteria whose mean score is below the criterion's minimum.
    std::vector<std::string> threshold_failures;
    // Posterior mean and credible intervals of mu + theta_i on the scale;
    // none without reviews.
    std::optional<double> quality;
    std::optional<Interval<double>> quality_50;
    std::optional<Interval<double>> quality_90;
    // Posterior mean rank (1 = best) and credible intervals. An application
    // without reviews ranks after every reviewed one (sharing the last
    // places), and its intervals cover every rank: nothing is known of it.
    double expected_rank = 0;
    Interval<int> rank_50;
    Interval<int> rank_90;
};

enum class RankingState {
    Ranked,    // at least one review: the sampler ran
    NoReviews, // nothing to rank: every application shares every rank
};

// Inter-rater reliability of the call, two ways:
//   - icc1_anova: the classic one-way ANOVA estimate ICC(1) (Shrout & Fleiss
//     1979, with n0 for unequal group sizes) of one review's raw score, the
//     application as the group. It can be negative (more disagreement within
//     applications than between them); none with fewer than two reviewed
//     applications, no application with two reviews, or no variance at all.
//   - model_icc: the posterior mean of tau² / (tau² + sigma_l² + sigma²),
//     the same quantity estimated by the model: reviewer leniency counts as
//     disagreement, as it does in ICC(1).
//   - model_icc_calibrated: the posterior mean of tau² / (tau² + sigma²):
//     the agreement left once leniency is calibrated away.
struct Reliability {
    std::optional<double> icc1_anova;
    std::optional<double> model_icc;
    std::optional<double> model_icc_calibrated;
};

// Posterior means of the model's standard deviations, on the scale.
struct VarianceComponents {
    double tau = 0;            // between applications
    double sigma_reviewer = 0; // between reviewers' leniencies
    double sigma_residual = 0; // the rest
};

struct RankingResult {
    RankingState state = RankingState::NoReviews;
    std::vector<ApplicationRanking> applications; // in the input's order
    Reliability reliability;
    std::optional<VarianceComponents> variance; // none without reviews
    Sampling sampling;                          // what was run
    int scale_min = 1;
    int scale_max = 7;
};

// Ranks a valid input (validate_ranking_input); invalid input gets that
// error. Never produces NaN or infinity.
Result<RankingResult> rank_applications(const RankingInput& input);

// The raw score of one review: the weighted mean of `scores` (in
// `criteria`'s order). Both must have the same length.
double raw_score(const std::vector<Criterion>& criteria, const std::vector<int>& scores);

// --- Deterministic random numbers ---------------------------------------------------

// Draws on top of std::mt19937_64's raw output, whose sequence the C++
// standard fixes: std::normal_distribution and std::gamma_distribution are
// not specified and differ between standard libraries, these do not (beyond
// the last bits of std::log/std::sqrt on an unusual libm).
class RandomSource {
public:
    explicit RandomSource(std::uint64_t seed) : m_engine(seed) {}

    std::uint64_t next_raw();
    double uniform_open();      // in (0, 1), 53 random bits
    double standard_normal();   // Marsaglia's polar method
    double gamma(double shape); // Marsaglia & Tsang (2000), scale 1; shape > 0
    double inverse_gamma(double shape, double scale); // scale / gamma(shape)

private:
    std::mt19937_64 m_engine;
    std::optional<double> m_spare_normal;
};

} // namespace spire::review
