#include "review/ranking.hpp"

#include "core/problems.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numeric>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>

namespace spire::review {

// --- Random numbers ------------------------------------------------------------------

std::uint64_t RandomSource::next_raw() {
    return m_engine();
}

double RandomSource::uniform_open() {
    // The top 53 bits, shifted by half a step: never 0 and never 1, so that
    // log() below never sees 0.
    return (static_cast<double>(next_raw() >> 11) + 0.5) * 0x1.0p-53;
}

double RandomSource::standard_normal() {
    // Marsaglia's polar method gives two independent normals per accepted
    // pair: the second is kept for the next call.
    if (m_spare_normal) {
        double spare = *m_spare_normal;
        m_spare_normal.reset();
        return spare;
    }
    double u = 0, v = 0, s = 0;
    do {
        u = 2 * uniform_open() - 1;
        v = 2 * uniform_open() - 1;
        s = u * u + v * v;
    } while (s >= 1 || s == 0);
    double factor = std::sqrt(-2 * std::log(s) / s);
    m_spare_normal = v * factor;
    return u * factor;
}

double RandomSource::gamma(double shape) {
    // Marsaglia & Tsang, "A simple method for generating gamma variables",
    // ACM TOMS 26(3), 2000. Shapes below 1 use their boost:
    // Gamma(a) = Gamma(a + 1) · U^(1/a).
    if (shape < 1)
        return gamma(shape + 1) * std::pow(uniform_open(), 1 / shape);
    const double d = shape - 1.0 / 3;
    const double c = 1 / std::sqrt(9 * d);
    for (;;) {
        double x = standard_normal();
        double v = 1 + c * x;
        if (v <= 0)
            continue;
        v = v * v * v;
        double u = uniform_open();
        if (u < 1 - 0.0331 * (x * x) * (x * x))
            return d * v;
        if (std::log(u) < 0.5 * x * x + d * (1 - v + std::log(v)))
            return d * v;
    }
}

double RandomSource::inverse_gamma(double shape, double scale) {
    // A gamma draw that underflowed (only possible for tiny shapes) would
    // make the variance infinite.
    return scale / std::max(gamma(shape), std::numeric_limits<double>::min());
}

// --- Validation ----------------------------------------------------------------------

namespace {

constexpr std::string_view INVALID_INPUT = "The ranking input is not valid";

std::string indexed(std::string_view list, std::size_t index) {
    return std::string(list) + "[" + std::to_string(index) + "]";
}

std::string quoted(const std::string& id) {
    return "'" + id + "'";
}

void check_id(Problems& problems, const std::string& field, const std::string& id) {
    if (id.empty())
        problems.add(field, "The id is empty");
    else if (id.size() > MAX_ID_LENGTH)
        problems.add(field,
                     "The id is longer than " + std::to_string(MAX_ID_LENGTH) + " characters");
}

// Unique, non-empty ids; the index of each.
std::unordered_map<std::string, std::size_t> index_ids(Problems& problems, std::string_view list,
                                                       const std::vector<std::string>& ids) {
    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        check_id(problems, indexed(list, i), ids[i]);
        if (!index.emplace(ids[i], i).second)
            problems.add(indexed(list, i), "Duplicate id " + quoted(ids[i]));
    }
    return index;
}

void check_criteria(Problems& problems, const std::vector<Criterion>& criteria) {
    if (criteria.empty()) {
        problems.add("criteria", "At least one criterion is needed");
        return;
    }
    if (criteria.size() > MAX_CRITERIA)
        problems.add("criteria", "At most " + std::to_string(MAX_CRITERIA) + " criteria");
    std::set<std::string, std::less<>> seen;
    int weight_sum = 0;
    for (std::size_t i = 0; i < criteria.size(); ++i) {
        const auto& criterion = criteria[i];
        const std::string field = indexed("criteria", i);
        check_id(problems, field + ".id", criterion.id);
        if (!seen.insert(criterion.id).second)
            problems.add(field + ".id", "Duplicate criterion id " + quoted(criterion.id));
        if (criterion.weight_percent < 0 || criterion.weight_percent > 100)
            problems.add(field + ".weight", "The weight must be between 0 and 100 (percent)");
        else
            weight_sum += criterion.weight_percent;
        if (criterion.scale_min < MIN_SCALE_VALUE || criterion.scale_max > MAX_SCALE_VALUE)
            problems.add(field + ".scale", "The scale must lie within " +
                                               std::to_string(MIN_SCALE_VALUE) + ".." +
                                               std::to_string(MAX_SCALE_VALUE));
        else if (criterion.scale_min >= criterion.scale_max)
            problems.add(field + ".scale", "The scale's minimum must be below its maximum");
        else if (criterion.minimum && (*criterion.minimum < criterion.scale_min ||
                                       *criterion.minimum > criterion.scale_max))
            problems.add(field + ".minimum", "The minimum must lie on the scale (" +
                                                 std::to_string(criterion.scale_min) + ".." +
                                                 std::to_string(criterion.scale_max) + ")");
        // A raw score is a weighted mean of the criteria: on one scale only.
        if (i > 0 && (criterion.scale_min != criteria[0].scale_min ||
                      criterion.scale_max != criteria[0].scale_max))
            problems.add(field + ".scale", "Every criterion must use the same scale as the first");
    }
    if (weight_sum != 100)
        problems.add("criteria",
                     "The weights must sum to 100 (percent), not " + std::to_string(weight_sum));
}

void check_sampling(Problems& problems, const Sampling& sampling, std::size_t applications) {
    if (sampling.burn_in < 0 || sampling.burn_in > MAX_BURN_IN)
        problems.add("burn_in", "burn_in must be between 0 and " + std::to_string(MAX_BURN_IN));
    if (sampling.draws < 1 || sampling.draws > MAX_DRAWS)
        problems.add("draws", "draws must be between 1 and " + std::to_string(MAX_DRAWS));
    else if (static_cast<long long>(sampling.draws) * static_cast<long long>(applications) >
             MAX_STORED_DRAWS)
        problems.add("draws", "draws × applications must be at most " +
                                  std::to_string(MAX_STORED_DRAWS) + " (memory)");
}

void check_reviews(Problems& problems, const RankingInput& input,
                   const std::unordered_map<std::string, std::size_t>& applications,
                   const std::unordered_map<std::string, std::size_t>& reviewers) {
    if (input.reviews.size() > MAX_REVIEWS) {
        problems.add("reviews", "At most " + std::to_string(MAX_REVIEWS) + " reviews");
        return;
    }
    std::set<std::pair<std::string_view, std::string_view>> pairs;
    for (std::size_t i = 0; i < input.reviews.size(); ++i) {
        const auto& review = input.reviews[i];
        const std::string field = indexed("reviews", i);
        bool known_application = applications.contains(review.application_id);
        bool known_reviewer = reviewers.contains(review.reviewer_id);
        if (!known_application)
            problems.add(field + ".application",
                         "Unknown application " + quoted(review.application_id));
        if (!known_reviewer)
            problems.add(field + ".reviewer", "Unknown reviewer " + quoted(review.reviewer_id));
        if (known_application && known_reviewer &&
            !pairs.emplace(review.application_id, review.reviewer_id).second)
            problems.add(field, "Reviewer " + quoted(review.reviewer_id) +
                                    " already reviewed application " +
                                    quoted(review.application_id));
        if (review.scores.size() != input.criteria.size()) {
            problems.add(field + ".scores", "Expected " + std::to_string(input.criteria.size()) +
                                                " scores (one per criterion), not " +
                                                std::to_string(review.scores.size()));
            continue;
        }
        for (std::size_t c = 0; c < review.scores.size(); ++c) {
            const auto& criterion = input.criteria[c];
            if (review.scores[c] < criterion.scale_min || review.scores[c] > criterion.scale_max)
                problems.add(indexed(field + ".scores", c),
                             "Score " + std::to_string(review.scores[c]) + " for " +
                                 quoted(criterion.id) + " is outside the scale " +
                                 std::to_string(criterion.scale_min) + ".." +
                                 std::to_string(criterion.scale_max));
        }
    }
}

} // namespace

Result<void> validate_ranking_input(const RankingInput& input) {
    Problems problems(MAX_REPORTED_PROBLEMS);
    check_criteria(problems, input.criteria);
    if (input.applications.size() > MAX_APPLICATIONS)
        problems.add("applications",
                     "At most " + std::to_string(MAX_APPLICATIONS) + " applications");
    if (input.reviewers.size() > MAX_REVIEWERS)
        problems.add("reviewers", "At most " + std::to_string(MAX_REVIEWERS) + " reviewers");
    check_sampling(problems, input.sampling, input.applications.size());
    if (problems.any())
        return Unexpected(std::move(problems).error(INVALID_INPUT));
    auto applications = index_ids(problems, "applications", input.applications);
    auto reviewers = index_ids(problems, "reviewers", input.reviewers);
    check_reviews(problems, input, applications, reviewers);
    if (problems.any())
        return Unexpected(std::move(problems).error(INVALID_INPUT));
    return {};
}

double raw_score(const std::vector<Criterion>& criteria, const std::vector<int>& scores) {
    long long weighted = 0;
    for (std::size_t c = 0; c < criteria.size() && c < scores.size(); ++c)
        weighted += static_cast<long long>(criteria[c].weight_percent) * scores[c];
    return static_cast<double>(weighted) / 100;
}

// --- Raw statistics --------------------------------------------------------------------

namespace {

// The reviews regrouped by application and by reviewer (compressed rows:
// the entries of group g are [start[g], start[g + 1])), with each review's
// weighted sum of scores in hundredths of a scale point, exact in integers.
struct Design {
    std::vector<std::size_t> application_of; // per review
    std::vector<std::size_t> reviewer_of;    // per review
    std::vector<long long> weighted_sum;     // per review: Σ weight% × score
    std::vector<std::size_t> by_application_start, by_application;
    std::vector<std::size_t> by_reviewer_start, by_reviewer;
};

std::pair<std::vector<std::size_t>, std::vector<std::size_t>>
group_by(const std::vector<std::size_t>& group_of, std::size_t groups) {
    std::vector<std::size_t> start(groups + 1, 0);
    for (auto g : group_of)
        ++start[g + 1];
    std::partial_sum(start.begin(), start.end(), start.begin());
    std::vector<std::size_t> members(group_of.size());
    std::vector<std::size_t> next(start.begin(), start.end() - 1);
    for (std::size_t k = 0; k < group_of.size(); ++k)
        members[next[group_of[k]]++] = k;
    return {std::move(start), std::move(members)};
}

Design build_design(const RankingInput& input) {
    std::unordered_map<std::string_view, std::size_t> application_index, reviewer_index;
    for (std::size_t i = 0; i < input.applications.size(); ++i)
        application_index.emplace(input.applications[i], i);
    for (std::size_t j = 0; j < input.reviewers.size(); ++j)
        reviewer_index.emplace(input.reviewers[j], j);
    Design design;
    for (const auto& review : input.reviews) {
        design.application_of.push_back(application_index.at(review.application_id));
        design.reviewer_of.push_back(reviewer_index.at(review.reviewer_id));
        long long sum = 0;
        for (std::size_t c = 0; c < input.criteria.size(); ++c)
            sum += static_cast<long long>(input.criteria[c].weight_percent) * review.scores[c];
        design.weighted_sum.push_back(sum);
    }
    std::tie(design.by_application_start, design.by_application) =
        group_by(design.application_of, input.applications.size());
    std::tie(design.by_reviewer_start, design.by_reviewer) =
        group_by(design.reviewer_of, input.reviewers.size());
    return design;
}

// Raw mean, spread, disagreement and thresholds of application i.
ApplicationRanking raw_statistics(const RankingInput& input, const Design& design, std::size_t i) {
    ApplicationRanking ranking;
    ranking.application_id = input.applications[i];
    const auto first = design.by_application_start[i], last = design.by_application_start[i + 1];
    ranking.review_count = static_cast<int>(last - first);
    if (first == last)
        return ranking;

    long long total = 0;
    long long low = std::numeric_limits<long long>::max();
    long long high = std::numeric_limits<long long>::min();
    std::vector<long long> criterion_sums(input.criteria.size(), 0);
    for (auto k = first; k < last; ++k) {
        const auto review = design.by_application[k];
        total += design.weighted_sum[review];
        low = std::min(low, design.weighted_sum[review]);
        high = std::max(high, design.weighted_sum[review]);
        for (std::size_t c = 0; c < input.criteria.size(); ++c)
            criterion_sums[c] += input.reviews[review].scores[c];
    }
    const long long n = ranking.review_count;
    ranking.raw_mean = static_cast<double>(total) / 100 / static_cast<double>(n);
    ranking.raw_min = static_cast<double>(low) / 100;
    ranking.raw_max = static_cast<double>(high) / 100;
    // DESIGN.md §5: a range of 3 or more on the 1–7 scale, i.e. at least
    // half the scale's width, compared exactly in hundredths of a point.
    const long long width = input.criteria[0].scale_max - input.criteria[0].scale_min;
    ranking.disagreement = (high - low) * 2 >= width * 100;
    for (std::size_t c = 0; c < input.criteria.size(); ++c) {
        const auto& minimum = input.criteria[c].minimum;
        // mean < minimum  <=>  sum < minimum · n, without rounding.
        if (minimum && criterion_sums[c] < static_cast<long long>(*minimum) * n)
            ranking.threshold_failures.push_back(input.criteria[c].id);
    }
    return ranking;
}

// Shrout & Fleiss (1979) ICC(1) from a one-way ANOVA with the applications
// as groups; for unequal group sizes n0 replaces the common size (Snedecor &
// Cochran). Only reviewed applications count.
std::optional<double> icc1_anova(const std::vector<ApplicationRanking>& rankings,
                                 const Design& design) {
    double groups = 0, total_n = 0, grand_sum = 0, sum_of_squared_sizes = 0;
    for (const auto& ranking : rankings) {
        if (ranking.review_count == 0)
            continue;
        groups += 1;
        total_n += ranking.review_count;
        grand_sum += *ranking.raw_mean * ranking.review_count;
        sum_of_squared_sizes += double(ranking.review_count) * ranking.review_count;
    }
    if (groups < 2 || total_n - groups < 1)
        return std::nullopt;
    const double grand_mean = grand_sum / total_n;
    double between = 0, within = 0;
    for (std::size_t i = 0; i < rankings.size(); ++i) {
        if (rankings[i].review_count == 0)
            continue;
        const double mean = *rankings[i].raw_mean;
        between += rankings[i].review_count * (mean - grand_mean) * (mean - grand_mean);
        for (auto k = design.by_application_start[i]; k < design.by_application_start[i + 1]; ++k) {
            const double score = double(design.weighted_sum[design.by_application[k]]) / 100;
            within += (score - mean) * (score - mean);
        }
    }
    const double ms_between = between / (groups - 1);
    const double ms_within = within / (total_n - groups);
    const double n0 = (total_n - sum_of_squared_sizes / total_n) / (groups - 1);
    const double denominator = ms_between + (n0 - 1) * ms_within;
    // No variance at all (every score equal): agreement is undefined, not 1.
    if (!(denominator > 1e-12))
        return std::nullopt;
    return (ms_between - ms_within) / denominator;
}

// --- The Gibbs sampler ------------------------------------------------------------------
//
// It works on scores standardised to the scale: z = (raw - midpoint) / width,
// so that the priors below mean the same on every scale, and on the centred
// parameterisation eta_i = mu + theta_i (the same model; it mixes better when
// the data say much about each application, and eta_i is what is reported):
//
//   z_k | eta, lambda, sigma² ~ N(eta_a(k) + lambda_r(k), sigma²)
//   eta_i ~ N(mu, tau²)        lambda_j ~ N(0, sigma_l²)
//   mu ~ N(0, MU_PRIOR_SD²)    (ten scale widths: flat for all purposes)
//   tau², sigma_l², sigma² ~ Inverse-Gamma(VARIANCE_PRIOR_SHAPE, VARIANCE_PRIOR_SCALE)
//
// Every full conditional is conjugate: normal for eta_i, lambda_j and mu,
// inverse-gamma for the variances. Inverse-Gamma(1, 0.01) is weakly
// informative: proper (so one reviewer, one review or identical scores
// still give a proper posterior and finite numbers), its mode is a standard
// deviation of 0.07 widths (0.4 points on 1–7), and it has no mean, so a
// few reviews already outweigh it. Applications and reviewers without
// reviews are left out of the model (they carry no information).

constexpr double MU_PRIOR_SD = 10;
constexpr double VARIANCE_PRIOR_SHAPE = 1;
constexpr double VARIANCE_PRIOR_SCALE = 0.01;
constexpr double INITIAL_VARIANCE = 0.02;

struct ChainState {
    std::vector<double> eta;    // per modelled application
    std::vector<double> lambda; // per modelled reviewer
    double mu = 0;
    double tau2 = INITIAL_VARIANCE;
    double sigma_l2 = INITIAL_VARIANCE;
    double sigma2 = INITIAL_VARIANCE;
};

// The data in the sampler's own numbering: only reviewed applications and
// reviewers with reviews, the reviews in compressed rows of both.
struct ModelData {
    std::vector<std::size_t> application; // model index -> input index
    std::vector<double> z;                // per review
    std::vector<std::size_t> app_of, reviewer_of;
    std::vector<std::size_t> app_start, app_reviews;
    std::size_t reviewers = 0;
    std::vector<std::size_t> reviewer_start, reviewer_reviews;
};

ModelData model_data(const RankingInput& input, const Design& design) {
    ModelData data;
    const double low = input.criteria[0].scale_min, high = input.criteria[0].scale_max;
    const double midpoint = (low + high) / 2, width = high - low;
    std::vector<std::size_t> app_number(input.applications.size(), SIZE_MAX);
    for (std::size_t i = 0; i < input.applications.size(); ++i) {
        if (design.by_application_start[i] != design.by_application_start[i + 1]) {
            app_number[i] = data.application.size();
            data.application.push_back(i);
        }
    }
    std::vector<std::size_t> reviewer_number(input.reviewers.size(), SIZE_MAX);
    for (std::size_t j = 0; j < input.reviewers.size(); ++j) {
        if (design.by_reviewer_start[j] != design.by_reviewer_start[j + 1])
            reviewer_number[j] = data.reviewers++;
    }
    for (std::size_t k = 0; k < design.weighted_sum.size(); ++k) {
        data.z.push_back((double(design.weighted_sum[k]) / 100 - midpoint) / width);
        data.app_of.push_back(app_number[design.application_of[k]]);
        data.reviewer_of.push_back(reviewer_number[design.reviewer_of[k]]);
    }
    std::tie(data.app_start, data.app_reviews) = group_by(data.app_of, data.application.size());
    std::tie(data.reviewer_start, data.reviewer_reviews) =
        group_by(data.reviewer_of, data.reviewers);
    return data;
}

double normal(RandomSource& random, double mean, double variance) {
    return mean + std::sqrt(variance) * random.standard_normal();
}

class GibbsSampler {
public:
    GibbsSampler(const ModelData& data, std::uint64_t seed) : m_data(data), m_random(seed) {
        // Start at the raw means: close to the posterior, so a short burn-in
        // suffices.
        m_state.eta.resize(data.application.size());
        for (std::size_t a = 0; a < data.application.size(); ++a) {
            double sum = 0;
            for (auto k = data.app_start[a]; k < data.app_start[a + 1]; ++k)
                sum += data.z[data.app_reviews[k]];
            m_state.eta[a] = sum / double(data.app_start[a + 1] - data.app_start[a]);
        }
        m_state.lambda.assign(data.reviewers, 0);
        m_state.mu = std::accumulate(m_state.eta.begin(), m_state.eta.end(), 0.0) /
                     double(m_state.eta.size());
    }

    void step() {
        update_qualities();
        update_leniencies();
        update_mu();
        update_variances();
    }
    const ChainState& state() const { return m_state; }

private:
    void update_qualities() {
        for (std::size_t a = 0; a < m_state.eta.size(); ++a) {
            double residual_sum = 0;
            for (auto k = m_data.app_start[a]; k < m_data.app_start[a + 1]; ++k) {
                const auto review = m_data.app_reviews[k];
                residual_sum += m_data.z[review] - m_state.lambda[m_data.reviewer_of[review]];
            }
            const double n = double(m_data.app_start[a + 1] - m_data.app_start[a]);
            const double precision = n / m_state.sigma2 + 1 / m_state.tau2;
            const double mean =
                (residual_sum / m_state.sigma2 + m_state.mu / m_state.tau2) / precision;
            m_state.eta[a] = normal(m_random, mean, 1 / precision);
        }
    }

    void update_leniencies() {
        for (std::size_t j = 0; j < m_state.lambda.size(); ++j) {
            double residual_sum = 0;
            for (auto k = m_data.reviewer_start[j]; k < m_data.reviewer_start[j + 1]; ++k) {
                const auto review = m_data.reviewer_reviews[k];
                residual_sum += m_data.z[review] - m_state.eta[m_data.app_of[review]];
            }
            const double n = double(m_data.reviewer_start[j + 1] - m_data.reviewer_start[j]);
            const double precision = n / m_state.sigma2 + 1 / m_state.sigma_l2;
            m_state.lambda[j] =
                normal(m_random, residual_sum / m_state.sigma2 / precision, 1 / precision);
        }
    }

    void update_mu() {
        const double sum = std::accumulate(m_state.eta.begin(), m_state.eta.end(), 0.0);
        const double precision =
            double(m_state.eta.size()) / m_state.tau2 + 1 / (MU_PRIOR_SD * MU_PRIOR_SD);
        m_state.mu = normal(m_random, sum / m_state.tau2 / precision, 1 / precision);
    }

    void update_variances() {
        double eta_squares = 0;
        for (double eta : m_state.eta)
            eta_squares += (eta - m_state.mu) * (eta - m_state.mu);
        double lambda_squares = 0;
        for (double lambda : m_state.lambda)
            lambda_squares += lambda * lambda;
        double residual_squares = 0;
        for (std::size_t k = 0; k < m_data.z.size(); ++k) {
            const double residual =
                m_data.z[k] - m_state.eta[m_data.app_of[k]] - m_state.lambda[m_data.reviewer_of[k]];
            residual_squares += residual * residual;
        }
        m_state.tau2 = draw_variance(m_state.eta.size(), eta_squares);
        m_state.sigma_l2 = draw_variance(m_state.lambda.size(), lambda_squares);
        m_state.sigma2 = draw_variance(m_data.z.size(), residual_squares);
    }

    double draw_variance(std::size_t count, double sum_of_squares) {
        return m_random.inverse_gamma(VARIANCE_PRIOR_SHAPE + double(count) / 2,
                                      VARIANCE_PRIOR_SCALE + sum_of_squares / 2);
    }

    const ModelData& m_data;
    RandomSource m_random;
    ChainState m_state;
};

// The kept draws: every application's rank and quality in every draw, each
// application's draws contiguous ([application · count + draw]) for the
// quantiles, and running sums for the call-level numbers.
//
// A draw produces one value per application, so storing it directly would
// write one value per memory page. Draws are staged draw by draw in a small
// buffer instead (STAGED_DRAWS of them, a few hundred KB) and moved to
// their place STAGED_DRAWS values per application at a time.
constexpr std::size_t STAGED_DRAWS = 64;

struct Draws {
    std::size_t count = 0;
    std::size_t applications = 0;
    std::vector<std::uint32_t> ranks;
    std::vector<float> qualities; // standardised; float is ample for quantiles
    double model_icc = 0, model_icc_calibrated = 0;
    double tau = 0, sigma_reviewer = 0, sigma_residual = 0;
};

struct Stage {
    std::size_t first_draw = 0; // of the staged ones
    std::size_t staged = 0;
    std::vector<std::uint32_t> ranks; // [staged draw · applications + application]
    std::vector<float> qualities;
};

void flush(Stage& stage, Draws& draws) {
    const std::size_t n = draws.applications;
    for (std::size_t a = 0; a < n; ++a) {
        std::uint32_t* ranks = draws.ranks.data() + a * draws.count + stage.first_draw;
        float* qualities = draws.qualities.data() + a * draws.count + stage.first_draw;
        for (std::size_t d = 0; d < stage.staged; ++d) {
            ranks[d] = stage.ranks[d * n + a];
            qualities[d] = stage.qualities[d * n + a];
        }
    }
    stage.first_draw += stage.staged;
    stage.staged = 0;
}

// A key whose unsigned order is descending quality, then ascending index:
// sorting plain integers is much cheaper than pairs with a comparator, and
// this sort runs once per draw. The float's bits are mapped so that
// integer order matches float order, then inverted for best first.
std::uint64_t best_first_key(double quality, std::size_t index) {
    const float narrowed = static_cast<float>(quality);
    std::uint32_t bits = 0;
    static_assert(sizeof bits == sizeof narrowed);
    std::memcpy(&bits, &narrowed, sizeof bits);
    const std::uint32_t ascending = (bits & 0x8000'0000u) ? ~bits : bits | 0x8000'0000u;
    return (std::uint64_t{~ascending} << 32) | static_cast<std::uint32_t>(index);
}

// Sorts keys made by best_first_key by their upper 32 bits (the quality):
// a stable LSD radix sort in three passes of 11, 11 and 10 bits, linear in
// the number of applications and about three times faster than std::sort
// for a call's size. Stable, and the keys come in input order, so equal
// qualities keep input order, as the lower 32 bits (the index) would sort
// them.
void sort_by_key(std::vector<std::uint64_t>& keys, std::vector<std::uint64_t>& scratch) {
    constexpr int SHIFTS[] = {32, 43, 54};
    constexpr std::size_t BUCKETS = 1u << 11;
    std::size_t counts[BUCKETS];
    for (int shift : SHIFTS) {
        std::fill(std::begin(counts), std::end(counts), 0);
        for (auto key : keys)
            ++counts[(key >> shift) & (BUCKETS - 1)];
        std::size_t start = 0;
        for (auto& count : counts)
            start += std::exchange(count, start);
        for (auto key : keys)
            scratch[counts[(key >> shift) & (BUCKETS - 1)]++] = key;
        keys.swap(scratch);
    }
}

void record_draw(const ChainState& state, Stage& stage, Draws& draws,
                 std::vector<std::uint64_t>& keys, std::vector<std::uint64_t>& scratch) {
    const std::size_t n = draws.applications;
    std::uint32_t* ranks = stage.ranks.data() + stage.staged * n;
    float* qualities = stage.qualities.data() + stage.staged * n;
    for (std::size_t a = 0; a < n; ++a) {
        keys[a] = best_first_key(state.eta[a], a);
        qualities[a] = static_cast<float>(state.eta[a]);
    }
    // Ranking a draw is one sort, never n² comparisons of pairs.
    sort_by_key(keys, scratch);
    for (std::size_t position = 0; position < n; ++position)
        ranks[keys[position] & 0xFFFF'FFFFu] = static_cast<std::uint32_t>(position + 1);
    if (++stage.staged == STAGED_DRAWS)
        flush(stage, draws);

    const double total = state.tau2 + state.sigma_l2 + state.sigma2;
    draws.model_icc += state.tau2 / total;
    draws.model_icc_calibrated += state.tau2 / (state.tau2 + state.sigma2);
    draws.tau += std::sqrt(state.tau2);
    draws.sigma_reviewer += std::sqrt(state.sigma_l2);
    draws.sigma_residual += std::sqrt(state.sigma2);
}

Draws run_chain(const ModelData& data, const Sampling& sampling) {
    Draws draws;
    draws.count = static_cast<std::size_t>(sampling.draws);
    draws.applications = data.application.size();
    draws.ranks.resize(draws.applications * draws.count);
    draws.qualities.resize(draws.applications * draws.count);
    Stage stage;
    stage.ranks.resize(draws.applications * STAGED_DRAWS);
    stage.qualities.resize(draws.applications * STAGED_DRAWS);

    GibbsSampler sampler(data, sampling.seed);
    for (int i = 0; i < sampling.burn_in; ++i)
        sampler.step();
    std::vector<std::uint64_t> keys(draws.applications), scratch(draws.applications);
    for (std::size_t d = 0; d < draws.count; ++d) {
        sampler.step();
        record_draw(sampler.state(), stage, draws, keys, scratch);
    }
    flush(stage, draws);
    return draws;
}

// The positions (0-based, in sorted order) of a central credible
// interval's bounds among `count` draws: as many draws lie below the lower
// bound as above the upper one, floor(tail · count) each.
Interval<std::size_t> central_positions(std::size_t count, double mass) {
    const double tail = (1 - mass) / 2;
    const auto outside =
        std::min(static_cast<std::size_t>(std::floor(tail * double(count) + 1e-9)), count - 1);
    return {outside, std::max(outside, count - 1 - outside)};
}

// The central interval of the draws in [first, last) (reordered), found by
// selection (linear time), not a sort.
template <class T>
Interval<T> central_interval(T* first, T* last, double mass) {
    const auto positions = central_positions(static_cast<std::size_t>(last - first), mass);
    T* lower = first + positions.lower;
    T* upper = first + positions.upper;
    std::nth_element(first, lower, last);
    const T low = *lower; // the next selection may move it
    // Everything before `lower` is now at most `low`: the upper bound is
    // among the rest.
    std::nth_element(lower, upper, last);
    return {low, *upper};
}

// Ranks are small integers: their intervals come from a histogram (one
// pass over the draws and one over the ranks), cheaper than selection.
class RankHistogram {
public:
    explicit RankHistogram(std::size_t ranks) : m_counts(ranks + 2, 0) {}

    void fill(const std::uint32_t* ranks, std::size_t count) {
        std::fill(m_counts.begin(), m_counts.end(), 0);
        for (std::size_t d = 0; d < count; ++d)
            ++m_counts[ranks[d]];
        m_count = count;
    }

    Interval<int> central(double mass) const {
        const auto positions = central_positions(m_count, mass);
        return {rank_at(positions.lower), rank_at(positions.upper)};
    }

private:
    // The rank at `position` in sorted order.
    int rank_at(std::size_t position) const {
        std::size_t below = 0;
        for (std::size_t rank = 1; rank < m_counts.size(); ++rank) {
            below += m_counts[rank];
            if (below > position)
                return static_cast<int>(rank);
        }
        return static_cast<int>(m_counts.size() - 2);
    }

    std::vector<std::size_t> m_counts; // [rank], rank 1..n
    std::size_t m_count = 0;
};

void summarise_draws(Draws& draws, const ModelData& data, const RankingInput& input,
                     std::vector<ApplicationRanking>& rankings) {
    const double low = input.criteria[0].scale_min, high = input.criteria[0].scale_max;
    const double midpoint = (low + high) / 2, width = high - low;
    const auto on_scale = [&](double z) { return midpoint + width * z; };
    const auto as_qualities = [&](Interval<float> interval) {
        return Interval<double>{on_scale(interval.lower), on_scale(interval.upper)};
    };
    const std::size_t count = draws.count;
    RankHistogram histogram(draws.applications);
    for (std::size_t a = 0; a < draws.applications; ++a) {
        auto& ranking = rankings[data.application[a]];
        std::uint32_t* ranks = draws.ranks.data() + a * count;
        float* qualities = draws.qualities.data() + a * count;
        ranking.expected_rank = std::accumulate(ranks, ranks + count, 0.0) / double(count);
        ranking.quality =
            on_scale(std::accumulate(qualities, qualities + count, 0.0) / double(count));
        histogram.fill(ranks, count);
        ranking.rank_90 = histogram.central(0.9);
        ranking.rank_50 = histogram.central(0.5);
        // Selection reorders the draws: they are not needed afterwards.
        ranking.quality_90 = as_qualities(central_interval(qualities, qualities + count, 0.9));
        ranking.quality_50 = as_qualities(central_interval(qualities, qualities + count, 0.5));
    }
}

// Applications nobody reviewed share the places after every reviewed one;
// their intervals span every rank (nothing is known of their quality).
void place_unreviewed(std::vector<ApplicationRanking>& rankings, std::size_t reviewed) {
    const int total = static_cast<int>(rankings.size());
    const double unreviewed = double(rankings.size() - reviewed);
    for (auto& ranking : rankings) {
        if (ranking.review_count != 0)
            continue;
        ranking.expected_rank = double(reviewed) + (unreviewed + 1) / 2;
        ranking.rank_50 = {1, total};
        ranking.rank_90 = {1, total};
    }
}

} // namespace

Result<RankingResult> rank_applications(const RankingInput& input) {
    if (auto valid = validate_ranking_input(input); !valid)
        return Unexpected(valid.error());

    RankingResult result;
    result.sampling = input.sampling;
    result.scale_min = input.criteria[0].scale_min;
    result.scale_max = input.criteria[0].scale_max;
    const Design design = build_design(input);
    for (std::size_t i = 0; i < input.applications.size(); ++i)
        result.applications.push_back(raw_statistics(input, design, i));
    result.reliability.icc1_anova = icc1_anova(result.applications, design);

    const ModelData data = model_data(input, design);
    place_unreviewed(result.applications, data.application.size());
    if (data.application.empty()) {
        result.state = RankingState::NoReviews;
        return result;
    }
    result.state = RankingState::Ranked;
    Draws draws = run_chain(data, input.sampling);
    summarise_draws(draws, data, input, result.applications);

    const double count = double(draws.count);
    const double width = result.scale_max - result.scale_min;
    result.reliability.model_icc = draws.model_icc / count;
    result.reliability.model_icc_calibrated = draws.model_icc_calibrated / count;
    result.variance =
        VarianceComponents{width * draws.tau / count, width * draws.sigma_reviewer / count,
                           width * draws.sigma_residual / count};
    return result;
}

} // namespace spire::review
