// The pure parts of the ranking page (issue 6 §5, §6): the model input built
// from the store's rows (ranking_input_of), the cache digest, reading a
// written result back, the rank plot's SVG, the CSV export and who may see
// the ranking (a matrix over roles and actions).

#include "review/rank_plot.hpp"
#include "review/ranking_export.hpp"
#include "review/ranking_file.hpp"
#include "review/ranking_policy.hpp"
#include "review/ranking_service.hpp"

#include <gtest/gtest.h>
#include <string>

using namespace spire;
using namespace spire::review;
using identity::Grant;
using identity::Principal;
using identity::Role;

namespace {

constexpr Id ORG = 1, OTHER_ORG = 2, FUND = 10, OTHER_FUND = 11, CALL = 500;

calls::Criterion criterion(Id id, int weight, std::optional<int> minimum = std::nullopt) {
    calls::Criterion c;
    c.id = id;
    c.call_id = CALL;
    c.name = "Kriterium " + std::to_string(id);
    c.weight_percent = weight;
    c.minimum_score = minimum;
    return c;
}

// Two criteria (60/40), applications 100 and 101, reviews as rows.
ranking_store::RankingData small_call() {
    ranking_store::RankingData data;
    data.criteria = {criterion(7, 60, 4), criterion(8, 40)};
    data.applications = {{100, "SPIRE-2018-0001", "Første", "Skole"},
                         {101, "SPIRE-2018-0002", "Andre", "Skole"}};
    // In the store's order: by application, reviewer, criterion.
    data.scores = {
        {100, 17, 7, 3}, {100, 17, 8, 4}, // complete review by user 17
        {100, 42, 7, 6}, {100, 42, 8, 5}, // complete review by user 42
        {101, 17, 7, 5}, {101, 17, 8, 5}, // complete
        {101, 42, 7, 2},                  // user 42 never scored criterion 8
        {999, 17, 7, 1}, {999, 17, 8, 1}, // an application not ranked (screened out)
    };
    data.seed = 2018;
    return data;
}

TEST(RankingInput, KeepsCompleteReviewsOfRankedApplicationsWithOpaqueReviewerIds) {
    RankingInput input = ranking_input_of(small_call(), CALL);
    ASSERT_EQ(input.criteria.size(), 2u);
    EXPECT_EQ(input.criteria[0].id, "7");
    EXPECT_EQ(input.criteria[0].weight_percent, 60);
    EXPECT_EQ(input.criteria[0].minimum, 4);
    EXPECT_EQ(input.applications, (std::vector<std::string>{"100", "101"}));
    // Reviewers numbered in user id order: 17 -> R1, 42 -> R2; no user ids.
    EXPECT_EQ(input.reviewers, (std::vector<std::string>{"R1", "R2"}));
    ASSERT_EQ(input.reviews.size(), 3u);
    EXPECT_EQ(input.reviews[0].application_id, "100");
    EXPECT_EQ(input.reviews[0].reviewer_id, "R1");
    EXPECT_EQ(input.reviews[0].scores, (std::vector<int>{3, 4}));
    EXPECT_EQ(input.reviews[1].reviewer_id, "R2");
    EXPECT_EQ(input.reviews[1].scores, (std::vector<int>{6, 5}));
    EXPECT_EQ(input.reviews[2].application_id, "101");
    EXPECT_EQ(input.reviews[2].reviewer_id, "R1");
    EXPECT_EQ(input.sampling.seed, 2018u);
    EXPECT_TRUE(validate_ranking_input(input));
}

TEST(RankingInput, ACallWithoutReviewSettingsIsSeededWithItsId) {
    auto data = small_call();
    data.seed.reset();
    EXPECT_EQ(ranking_input_of(data, CALL).sampling.seed, static_cast<std::uint64_t>(CALL));
}

TEST(RankingDigest, ChangesWithAnyScoreSeedOrIdButNotOtherwise) {
    auto data = small_call();
    const RankingInput input = ranking_input_of(data, CALL);
    const std::string digest = ranking_digest(input);
    EXPECT_EQ(digest.size(), 64u);
    EXPECT_EQ(ranking_digest(ranking_input_of(data, CALL)), digest);

    RankingInput changed = input;
    changed.reviews[0].scores[1] += 1;
    EXPECT_NE(ranking_digest(changed), digest);
    changed = input;
    changed.sampling.seed += 1;
    EXPECT_NE(ranking_digest(changed), digest);
    changed = input;
    changed.criteria[1].minimum = 3;
    EXPECT_NE(ranking_digest(changed), digest);
    // Ids are length-prefixed: moving a character from one id to the next
    // is a different input.
    changed = input;
    changed.applications = {"1001", "01"};
    RankingInput moved = input;
    moved.applications = {"100", "101"};
    EXPECT_NE(ranking_digest(changed), ranking_digest(moved));
}

TEST(RankingResultFile, ReadsBackWhatWasWrittenSoWritingAgainGivesTheSameText) {
    auto ranked = rank_applications(ranking_input_of(small_call(), CALL));
    ASSERT_TRUE(ranked);
    const std::string written = write_ranking_result(*ranked);
    auto read = parse_ranking_result(written);
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_EQ(read->state, RankingState::Ranked);
    EXPECT_EQ(read->applications.size(), 2u);
    EXPECT_EQ(write_ranking_result(*read), written);

    RankingInput none = ranking_input_of(small_call(), CALL);
    none.reviews.clear();
    none.reviewers.clear();
    auto unranked = rank_applications(none);
    ASSERT_TRUE(unranked);
    const std::string empty = write_ranking_result(*unranked);
    auto read_empty = parse_ranking_result(empty);
    ASSERT_TRUE(read_empty);
    EXPECT_EQ(read_empty->state, RankingState::NoReviews);
    EXPECT_FALSE(read_empty->variance);
    EXPECT_EQ(write_ranking_result(*read_empty), empty);
}

TEST(RankingResultFile, RefusesWhatItDidNotWriteWithThePlace) {
    auto refused = parse_ranking_result(R"({"version": 1, "state": "maybe"})");
    ASSERT_FALSE(refused);
    bool state_named = false;
    for (const auto& field : refused.error().fields)
        state_named = state_named || field.field == "state";
    EXPECT_TRUE(state_named);
    EXPECT_FALSE(parse_ranking_result("{\"version\": 1"));
    EXPECT_FALSE(parse_ranking_result("[]"));
}

TEST(RankPlot, IsAnAccessibleImageWithEscapedTextAndOneGroupPerRow) {
    PlotText text;
    text.title = "Rangering <plott>";
    text.description = "Beskrivelse";
    text.axis_label = "Plass";
    text.row_title = "{label}: {rank} ({r50}; {r90})";
    std::vector<PlotRow> rows = {
        {"<script>", 1.2, {1, 2}, {1, 3}}, {"B", 2.5, {2, 3}, {1, 3}}, {"C", 2.3, {2, 3}, {1, 3}}};
    const std::string svg = rank_plot_svg(rows, 3, text);
    EXPECT_NE(svg.find("role=\"img\""), std::string::npos);
    EXPECT_NE(svg.find("aria-labelledby=\"rank-plot-title\""), std::string::npos);
    EXPECT_NE(svg.find("<title id=\"rank-plot-title\">Rangering &lt;plott&gt;</title>"),
              std::string::npos);
    EXPECT_NE(svg.find("<desc id=\"rank-plot-desc\">Beskrivelse</desc>"), std::string::npos);
    EXPECT_EQ(svg.find("<script>"), std::string::npos);
    EXPECT_NE(svg.find("&lt;script&gt;: 1.2 (1–2; 1–3)"), std::string::npos);
    std::size_t groups = 0;
    for (auto at = svg.find("<g>"); at != std::string::npos; at = svg.find("<g>", at + 1))
        ++groups;
    EXPECT_EQ(groups, 3u);
    EXPECT_EQ(svg.find("style="), std::string::npos); // the CSP forbids inline style
}

TEST(RankPlot, OneRankOrNoRowsGiveFiniteCoordinates) {
    PlotText text;
    for (int ranks : {0, 1}) {
        const std::string svg = rank_plot_svg({{"A", 1, {1, 1}, {1, 1}}}, ranks, text);
        EXPECT_EQ(svg.find("nan"), std::string::npos);
        EXPECT_EQ(svg.find("inf"), std::string::npos);
    }
    EXPECT_EQ(rank_plot_svg({}, 0, text).find("nan"), std::string::npos);
}

TEST(RankingCsv, GuardsTextCellsAndLeavesUnreviewedNumbersEmpty) {
    CallRanking ranking;
    RankingRow reviewed;
    reviewed.application = {1, "SPIRE-2018-0001", "=HYPERLINK(\"http://x\")", "Skole"};
    reviewed.ranking.review_count = 2;
    reviewed.ranking.expected_rank = 1.25;
    reviewed.ranking.rank_50 = {1, 2};
    reviewed.ranking.rank_90 = {1, 2};
    reviewed.ranking.raw_mean = 5.5;
    reviewed.ranking.raw_min = 4;
    reviewed.ranking.raw_max = 7;
    reviewed.ranking.disagreement = true;
    reviewed.ranking.quality = 5.25;
    reviewed.threshold_failures = {"Nyskapende"};
    RankingRow unreviewed;
    unreviewed.application = {2, "SPIRE-2018-0002", "Ingen", "Skole"};
    unreviewed.ranking.expected_rank = 2;
    unreviewed.ranking.rank_50 = {1, 2};
    unreviewed.ranking.rank_90 = {1, 2};
    ranking.rows = {reviewed, unreviewed};
    const std::string csv = ranking_csv(ranking, {});
    EXPECT_NE(csv.find("1,25;SPIRE-2018-0001;\"'=HYPERLINK(\"\"http://x\"\")\";Skole;2;5,50;"
                       "4,00;7,00;Yes;Nyskapende;5,25;1;2;1;2\r\n"),
              std::string::npos)
        << csv;
    EXPECT_NE(csv.find("\r\n;SPIRE-2018-0002;Ingen;Skole;0;;;;;;;;;;\r\n"), std::string::npos)
        << csv;
}

// --- Policy ------------------------------------------------------------------------

Principal user(std::vector<Grant> grants, Id organisation = ORG) {
    Principal p;
    p.user_id = 7;
    p.organisation_id = organisation;
    for (auto& grant : grants)
        grant.organisation_id = organisation;
    p.grants = std::move(grants);
    return p;
}

Grant grant(Role role, std::optional<Id> fund = std::nullopt) {
    Grant g;
    g.role = role;
    g.fund_id = fund;
    return g;
}

TEST(RankingPolicy, FundStaffAndAuditorsSeeItOthersAreRefusedOtherTenantsGetNotFound) {
    const RankingResource call{ORG, FUND, false};
    struct Case {
        Principal user;
        bool allowed;
    };
    const Case cases[] = {
        {user({grant(Role::FundManager, FUND)}), true},
        {user({grant(Role::FundManager)}), true}, // the whole organisation
        {user({grant(Role::FundManager, OTHER_FUND)}), false},
        {user({grant(Role::DecisionMaker)}), true},
        {user({grant(Role::DecisionMaker, OTHER_FUND)}), false},
        {user({grant(Role::Auditor)}), true},
        {user({grant(Role::Reviewer)}), false},
        {user({grant(Role::Admin)}), false},
        {user({grant(Role::Applicant)}), false},
        {user({grant(Role::ProcurementOfficer)}), false},
    };
    for (const auto& c : cases) {
        for (RankingAction action : {RankingAction::View, RankingAction::ExportReviewData}) {
            Decision decision = authorize_ranking(&c.user, action, call);
            EXPECT_EQ(decision.allowed, c.allowed) << identity::role_key(c.user.grants[0].role);
            if (!decision.allowed)
                EXPECT_EQ(decision.kind, ErrorKind::Forbidden);
        }
    }
    const Principal stranger = user({grant(Role::FundManager)}, OTHER_ORG);
    EXPECT_EQ(authorize_ranking(&stranger, RankingAction::View, call).kind, ErrorKind::NotFound);
    EXPECT_EQ(authorize_ranking(nullptr, RankingAction::View, call).kind,
              ErrorKind::Unauthenticated);
}

TEST(RankingPolicy, AConflictStopsTheReviewDataFileButNotThePage) {
    const Principal manager = user({grant(Role::FundManager, FUND)});
    const RankingResource conflicted{ORG, FUND, true};
    EXPECT_TRUE(authorize_ranking(&manager, RankingAction::View, conflicted));
    Decision file = authorize_ranking(&manager, RankingAction::ExportReviewData, conflicted);
    EXPECT_FALSE(file);
    EXPECT_EQ(file.reason, message::REVIEW_DATA_CONFLICT);
}

} // namespace
