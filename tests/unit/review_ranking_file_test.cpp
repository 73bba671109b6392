// The ranking file (review/ranking_file.hpp): what it accepts, how it
// refuses bad files (the place in the file and what is wrong), the round
// trip of write_ranking_input, and the result document's shape.

#include "review/ranking_file.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <string>

using namespace spire;
using namespace spire::review;
namespace json = boost::json;

namespace {

constexpr const char* EXAMPLE = R"({
  "version": 1,
  "criteria": [
    {"id": "relevance", "weight": 60, "scale": {"min": 1, "max": 7}, "minimum": 4},
    {"id": "feasibility", "weight": 40, "scale": {"min": 1, "max": 7}}
  ],
  "applications": ["A-1", "A-2", 17],
  "reviewers": ["R-1", 2],
  "reviews": [
    {"application": "A-1", "reviewer": "R-1", "scores": {"relevance": 5, "feasibility": 6}},
    {"application": "A-1", "reviewer": 2, "scores": {"feasibility": 3, "relevance": 2}},
    {"application": "17", "reviewer": "2", "scores": {"relevance": 7, "feasibility": 7}}
  ],
  "seed": 20240611,
  "burn_in": 100,
  "draws": 300
})";

// "field: message" for each problem of a refused file.
std::vector<std::string> problems(std::string_view text) {
    auto parsed = parse_ranking_input(text);
    std::vector<std::string> out;
    if (parsed) {
        ADD_FAILURE() << "accepted: " << text;
        return out;
    }
    EXPECT_EQ(parsed.error().kind, ErrorKind::Invalid);
    out.push_back(parsed.error().message);
    for (const auto& field : parsed.error().fields)
        out.push_back(field.field + ": " + field.message);
    return out;
}

bool mentions(const std::vector<std::string>& all, const std::string& text) {
    bool found = std::any_of(all.begin(), all.end(),
                             [&](const auto& p) { return p.find(text) != std::string::npos; });
    if (!found) {
        std::string listed;
        for (const auto& p : all)
            listed += "\n  " + p;
        ADD_FAILURE() << "no problem mentions '" << text << "'; got:" << listed;
    }
    return found;
}

// EXAMPLE with `from` replaced by `to` (once; `from` must be there).
std::string example_with(const std::string& from, const std::string& to) {
    std::string text = EXAMPLE;
    auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos)
        text.replace(at, from.size(), to);
    return text;
}

} // namespace

TEST(RankingFile, ReadsTheExample) {
    auto parsed = parse_ranking_input(EXAMPLE);
    ASSERT_TRUE(parsed) << parsed.error().message;
    const auto& input = *parsed;
    ASSERT_EQ(input.criteria.size(), 2u);
    EXPECT_EQ(input.criteria[0].id, "relevance");
    EXPECT_EQ(input.criteria[0].weight_percent, 60);
    EXPECT_EQ(input.criteria[0].scale_min, 1);
    EXPECT_EQ(input.criteria[0].scale_max, 7);
    EXPECT_EQ(input.criteria[0].minimum, 4);
    EXPECT_FALSE(input.criteria[1].minimum);
    // Integer ids stand for their decimal text.
    EXPECT_EQ(input.applications, (std::vector<std::string>{"A-1", "A-2", "17"}));
    EXPECT_EQ(input.reviewers, (std::vector<std::string>{"R-1", "2"}));
    ASSERT_EQ(input.reviews.size(), 3u);
    // Scores come in the criteria's order, whatever the file's key order.
    EXPECT_EQ(input.reviews[1].scores, (std::vector<int>{2, 3}));
    EXPECT_EQ(input.reviews[2].application_id, "17");
    EXPECT_EQ(input.sampling.seed, 20240611u);
    EXPECT_EQ(input.sampling.burn_in, 100);
    EXPECT_EQ(input.sampling.draws, 300);
}

TEST(RankingFile, ChainLengthsAndVersionMayBeLeftOut) {
    auto text = example_with(R"("version": 1,)", "");
    text = text.substr(0, text.find(R"(,
  "burn_in")")) +
           "}";
    auto parsed = parse_ranking_input(text);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->sampling.burn_in, Sampling{}.burn_in);
    EXPECT_EQ(parsed->sampling.draws, Sampling{}.draws);
}

TEST(RankingFile, AcceptsEverySeedUpToTwoToTheSixtyFour) {
    auto parsed = parse_ranking_input(example_with("20240611", "18446744073709551615"));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->sampling.seed, 18446744073709551615ull);
    EXPECT_TRUE(parse_ranking_input(example_with("20240611", "0")));
}

TEST(RankingFile, WrittenInputReadsBackTheSame) {
    auto original = parse_ranking_input(EXAMPLE);
    ASSERT_TRUE(original);
    original->sampling.seed = 18446744073709551615ull;
    const std::string written = write_ranking_input(*original);
    auto again = parse_ranking_input(written);
    ASSERT_TRUE(again) << again.error().message << "\n" << written;
    ASSERT_EQ(again->criteria.size(), original->criteria.size());
    for (std::size_t c = 0; c < original->criteria.size(); ++c) {
        EXPECT_EQ(again->criteria[c].id, original->criteria[c].id);
        EXPECT_EQ(again->criteria[c].weight_percent, original->criteria[c].weight_percent);
        EXPECT_EQ(again->criteria[c].scale_min, original->criteria[c].scale_min);
        EXPECT_EQ(again->criteria[c].scale_max, original->criteria[c].scale_max);
        EXPECT_EQ(again->criteria[c].minimum, original->criteria[c].minimum);
    }
    EXPECT_EQ(again->applications, original->applications);
    EXPECT_EQ(again->reviewers, original->reviewers);
    ASSERT_EQ(again->reviews.size(), original->reviews.size());
    for (std::size_t r = 0; r < original->reviews.size(); ++r) {
        EXPECT_EQ(again->reviews[r].application_id, original->reviews[r].application_id);
        EXPECT_EQ(again->reviews[r].reviewer_id, original->reviews[r].reviewer_id);
        EXPECT_EQ(again->reviews[r].scores, original->reviews[r].scores);
    }
    EXPECT_EQ(again->sampling.seed, original->sampling.seed);
    EXPECT_EQ(again->sampling.burn_in, original->sampling.burn_in);
    EXPECT_EQ(again->sampling.draws, original->sampling.draws);
    // Written once more, byte for byte the same.
    EXPECT_EQ(write_ranking_input(*again), written);
}

TEST(RankingFile, RefusesTextThatIsNotJson) {
    EXPECT_TRUE(mentions(problems(""), "not valid JSON"));
    EXPECT_TRUE(mentions(problems(R"({"criteria": [1, 2,, 3]})"), "at byte 19"));
    EXPECT_TRUE(mentions(problems(std::string(EXAMPLE) + " {}"), "not valid JSON"));
}

TEST(RankingFile, RefusesAKeyGivenTwiceInOneObject) {
    // JSON readers disagree on which value wins: the file must not depend on it.
    EXPECT_TRUE(mentions(problems(example_with(R"("relevance": 5, "feasibility": 6)",
                                               R"("relevance": 5, "relevance": 6)")),
                         "the key \"relevance\" appears twice in one object (at byte"));
    EXPECT_TRUE(
        mentions(problems(example_with(R"("seed": 20240611,)", R"("seed": 20240611, "seed": 1,)")),
                 "the key \"seed\" appears twice"));
    // The same key in different objects is fine.
    EXPECT_TRUE(parse_ranking_input(EXAMPLE));
}

TEST(RankingFile, RefusesTheWrongShape) {
    EXPECT_TRUE(mentions(problems("[]"), "Expected an object, found a list"));
    EXPECT_TRUE(
        mentions(problems(example_with(R"("burn_in")", R"("burnin")")), "burnin: Unknown key"));
    EXPECT_TRUE(mentions(problems(example_with(R"("seed": 20240611,)", "")), "seed: Missing"));
    EXPECT_TRUE(mentions(problems(example_with(R"("weight": 60)", R"("weight": "60")")),
                         "criteria[0].weight: Expected a whole number, found a string"));
    EXPECT_TRUE(mentions(problems(example_with(R"("relevance": 5,)", R"("relevance": 4.5,)")),
                         "reviews[0].scores.relevance: Expected a whole number, found a number "
                         "with a fraction"));
    EXPECT_TRUE(mentions(problems(example_with(R"(["R-1", 2])", R"(["R-1", true])")),
                         "reviewers[1]: Expected an id"));
    EXPECT_TRUE(mentions(problems(example_with(R"("version": 1)", R"("version": 2)")),
                         "version: Must be between 1 and 1"));
    EXPECT_TRUE(mentions(problems(example_with("20240611", "-1")), "seed: Must be between 0 and"));
    EXPECT_TRUE(mentions(problems(example_with(R"("draws": 300)", R"("draws": 0)")),
                         "draws: Must be between 1 and"));
    EXPECT_TRUE(mentions(
        problems(example_with(R"({"min": 1, "max": 7}, "minimum")", R"({"min": 1}, "minimum")")),
        "criteria[0].scale.max: Missing"));
}

TEST(RankingFile, RefusesScoresThatDoNotMatchTheCriteria) {
    EXPECT_TRUE(mentions(problems(example_with(R"("relevance": 5, "feasibility": 6)",
                                               R"("relevance": 5, "novelty": 6)")),
                         "reviews[0].scores.novelty: Unknown criterion"));
    EXPECT_TRUE(
        mentions(problems(example_with(R"("relevance": 5, "feasibility": 6)", R"("relevance": 5)")),
                 "reviews[0].scores.feasibility: Missing score"));
}

TEST(RankingFile, RefusesWhatTheModelRefusesNamingThePlaceInTheFile) {
    EXPECT_TRUE(mentions(problems(example_with(R"("application": "A-1", "reviewer": "R-1")",
                                               R"("application": "A-9", "reviewer": "R-1")")),
                         "reviews[0].application: Unknown application 'A-9'"));
    EXPECT_TRUE(mentions(problems(example_with(R"("relevance": 7,)", R"("relevance": 8,)")),
                         "reviews[2].scores.relevance: Score 8 for 'relevance' is outside the "
                         "scale 1..7"));
    EXPECT_TRUE(mentions(problems(example_with(R"("weight": 40)", R"("weight": 30)")),
                         "The weights must sum to 100 (percent), not 90"));
    // 17 and "17" are the same id.
    EXPECT_TRUE(mentions(problems(example_with(R"("A-2", 17])", R"("17", 17])")),
                         "applications[2]: Duplicate id '17'"));
    EXPECT_TRUE(mentions(problems(example_with(R"({"application": "17", "reviewer": "2")",
                                               R"({"application": "A-1", "reviewer": "R-1")")),
                         "already reviewed"));
}

TEST(RankingFile, RefusesOversizedFilesBeforeParsing) {
    std::string huge(MAX_RANKING_FILE_BYTES + 1, ' ');
    EXPECT_TRUE(mentions(problems(huge), "larger than"));
}

TEST(RankingFile, ResultHasEveryFieldBestFirst) {
    auto input = parse_ranking_input(EXAMPLE);
    ASSERT_TRUE(input);
    auto result = rank_applications(*input);
    ASSERT_TRUE(result);
    const std::string text = write_ranking_result(*result);
    // Plain decimals, not Boost.JSON's exponent notation ("4.9E0").
    EXPECT_EQ(text.find("E0"), std::string::npos) << text;
    EXPECT_EQ(text.back(), '\n');

    auto document = json::parse(text).as_object();
    EXPECT_EQ(document.at("state"), "ranked");
    EXPECT_EQ(document.at("seed").to_number<std::uint64_t>(), 20240611u);
    EXPECT_EQ(document.at("draws"), 300);
    for (const char* key : {"icc1_anova", "model_icc", "model_icc_calibrated"})
        EXPECT_TRUE(document.at("reliability").as_object().contains(key)) << key;
    EXPECT_TRUE(document.at("variance").is_object());

    const auto& applications = document.at("applications").as_array();
    ASSERT_EQ(applications.size(), 3u);
    double previous = 0;
    for (const auto& value : applications) {
        const auto& a = value.as_object();
        for (const char* key : {"id", "expected_rank", "rank_50", "rank_90", "quality",
                                "quality_50", "quality_90", "reviews", "raw_mean", "raw_min",
                                "raw_max", "spread", "disagreement", "threshold_failures"})
            EXPECT_TRUE(a.contains(key)) << key;
        const double rank = a.at("expected_rank").to_number<double>();
        EXPECT_GE(rank, previous);
        previous = rank;
    }
    // A-2 has no reviews: last, with nulls where nothing is known.
    const auto& last = applications.back().as_object();
    EXPECT_EQ(last.at("id"), "A-2");
    EXPECT_EQ(last.at("reviews"), 0);
    EXPECT_TRUE(last.at("quality").is_null());
    EXPECT_TRUE(last.at("raw_mean").is_null());
    EXPECT_EQ(last.at("rank_90"), (json::array{1, 3}));
    // A-1: raw scores 5.4 and 2.4 (3 apart: disagreement), relevance mean
    // 3.5 below its minimum 4.
    const auto a1 = std::find_if(applications.begin(), applications.end(),
                                 [](const auto& v) { return v.as_object().at("id") == "A-1"; });
    ASSERT_NE(a1, applications.end());
    EXPECT_DOUBLE_EQ(a1->as_object().at("raw_mean").to_number<double>(), 3.9);
    EXPECT_DOUBLE_EQ(a1->as_object().at("spread").to_number<double>(), 3.0);
    EXPECT_EQ(a1->as_object().at("disagreement"), true);
    EXPECT_EQ(a1->as_object().at("threshold_failures"), (json::array{"relevance"}));
}

TEST(RankingFile, ResultWithoutReviewsSaysSo) {
    RankingInput empty;
    empty.criteria = {{"overall", 100, 1, 7, std::nullopt}};
    empty.applications = {"A"};
    auto result = rank_applications(empty);
    ASSERT_TRUE(result);
    auto document = json::parse(write_ranking_result(*result)).as_object();
    EXPECT_EQ(document.at("state"), "no_reviews");
    EXPECT_TRUE(document.at("variance").is_null());
    EXPECT_TRUE(document.at("reliability").as_object().at("model_icc").is_null());
}

TEST(RankingFile, IdsNeedingEscapesSurviveBothDocuments) {
    RankingInput input;
    input.criteria = {{"samfunnsnytte \"1\"", 100, 1, 7, std::nullopt}};
    input.applications = {"Søknad \\ 1", "tab\there"};
    input.reviewers = {"R\"1"};
    input.reviews = {{"Søknad \\ 1", "R\"1", {5}}, {"tab\there", "R\"1", {3}}};
    input.sampling = {1, 10, 20};
    auto again = parse_ranking_input(write_ranking_input(input));
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again->applications, input.applications);
    EXPECT_EQ(again->reviewers, input.reviewers);
    EXPECT_EQ(again->criteria[0].id, input.criteria[0].id);

    auto result = rank_applications(input);
    ASSERT_TRUE(result);
    auto document = json::parse(write_ranking_result(*result)).as_object();
    std::vector<std::string> ids;
    for (const auto& a : document.at("applications").as_array())
        ids.emplace_back(a.as_object().at("id").as_string());
    std::sort(ids.begin(), ids.end());
    EXPECT_EQ(ids, (std::vector<std::string>{"Søknad \\ 1", "tab\there"}));
}
