// The review's pure rules: balanced automatic assignment that never gives an
// application to a conflicted reviewer or one from the applicant's unit, and
// score validation for drafts and submission.

#include "review/model.hpp"

#include <algorithm>
#include <gtest/gtest.h>
#include <map>
#include <random>

using namespace spire::review;
using spire::identity::Id;

namespace {

std::vector<AssignmentApplication> applications(int count, int units) {
    std::vector<AssignmentApplication> out;
    for (int i = 1; i <= count; ++i)
        out.push_back({i, 100 + (i % units), {}});
    return out;
}

std::vector<AssignmentReviewer> reviewers(int count) {
    std::vector<AssignmentReviewer> out;
    for (int i = 1; i <= count; ++i)
        out.push_back({1000 + i, {}, 0});
    return out;
}

std::map<Id, int> load_of(const AssignmentPlan& plan) {
    std::map<Id, int> load;
    for (const auto& [application, reviewer] : plan.assignments)
        ++load[reviewer];
    return load;
}

} // namespace

TEST(ReviewAssignment, EveryApplicationGetsItsReviewersAndTheLoadIsEven) {
    auto plan = plan_assignments(applications(27, 5), reviewers(5), {}, 3);
    EXPECT_TRUE(plan.shortfalls.empty());
    ASSERT_EQ(plan.assignments.size(), 81u);
    std::map<Id, std::set<Id>> per_application;
    for (const auto& [application, reviewer] : plan.assignments)
        EXPECT_TRUE(per_application[application].insert(reviewer).second) << "twice the same";
    for (const auto& [application, set] : per_application)
        EXPECT_EQ(set.size(), 3u);
    auto load = load_of(plan);
    auto [low, high] = std::minmax_element(load.begin(), load.end(),
                                           [](auto& x, auto& y) { return x.second < y.second; });
    EXPECT_LE(high->second - low->second, 1) << "81 reviews over 5 reviewers: 16 or 17 each";
}

TEST(ReviewAssignment, NeverAConflictedReviewerNorOneFromTheApplicantsUnit) {
    std::mt19937 random(7);
    auto apps = applications(60, 7);
    auto pool = reviewers(12);
    for (auto& reviewer : pool)
        reviewer.home_units = {static_cast<Id>(100 + random() % 7)};
    std::set<std::pair<Id, Id>> conflicts;
    for (int i = 0; i < 80; ++i)
        conflicts.insert(
            {static_cast<Id>(1 + random() % 60), static_cast<Id>(1001 + random() % 12)});
    auto plan = plan_assignments(apps, pool, conflicts, 3);
    EXPECT_TRUE(plan.shortfalls.empty());
    for (const auto& [application, reviewer] : plan.assignments) {
        EXPECT_FALSE(conflicts.contains({application, reviewer}));
        const auto& app = apps[static_cast<std::size_t>(application - 1)];
        const auto& who = pool[static_cast<std::size_t>(reviewer - 1001)];
        EXPECT_EQ(std::count(who.home_units.begin(), who.home_units.end(), app.unit_id), 0);
    }
}

TEST(ReviewAssignment, ScarceReviewersGoWhereTheyAreTheOnlyOnes) {
    // Application 2 can only be reviewed by reviewer 1001 (the others are in
    // its unit); served first, it gets them even though 1 comes first by id.
    std::vector<AssignmentApplication> apps = {{1, 100, {}}, {2, 200, {}}};
    std::vector<AssignmentReviewer> pool = {{1001, {}, 0}, {1002, {200}, 0}, {1003, {200}, 0}};
    auto plan = plan_assignments(apps, pool, {}, 1);
    EXPECT_TRUE(plan.shortfalls.empty());
    ASSERT_EQ(plan.assignments.size(), 2u);
    EXPECT_EQ(plan.assignments[0], (std::pair<Id, Id>{2, 1001}));
    EXPECT_EQ(plan.assignments[1], (std::pair<Id, Id>{1, 1002}));
}

TEST(ReviewAssignment, TooFewReviewersIsAShortfallNotADuplicate) {
    auto plan = plan_assignments(applications(2, 1), reviewers(2), {{1, 1001}}, 3);
    ASSERT_EQ(plan.shortfalls.size(), 2u);
    EXPECT_EQ(plan.shortfalls[0], (std::pair<Id, int>{1, 2})); // only 1002 left for it
    EXPECT_EQ(plan.shortfalls[1], (std::pair<Id, int>{2, 1}));
    EXPECT_EQ(plan.assignments.size(), 3u);
}

TEST(ReviewAssignment, ExistingAssignmentsCountAndAreNotRepeated) {
    auto apps = applications(3, 1);
    apps[0].reviewers = {1001, 1002};
    auto pool = reviewers(3);
    pool[0].load = 5; // 1001 is busy elsewhere in the call
    auto plan = plan_assignments(apps, pool, {}, 2);
    EXPECT_TRUE(plan.shortfalls.empty());
    for (const auto& [application, reviewer] : plan.assignments)
        EXPECT_NE(application, 1) << "application 1 already has its two";
    EXPECT_EQ(load_of(plan)[1001], 0) << "the busiest reviewer is used last";
    EXPECT_EQ(ineligibility(apps[0], pool[0], {}), Ineligibility::AlreadyAssigned);
}

TEST(ReviewAssignment, IsDeterministic) {
    auto apps = applications(40, 6);
    auto pool = reviewers(9);
    EXPECT_EQ(plan_assignments(apps, pool, {{3, 1004}}, 3).assignments,
              plan_assignments(apps, pool, {{3, 1004}}, 3).assignments);
}

namespace {

std::vector<spire::calls::Criterion> criteria() {
    spire::calls::Criterion novel;
    novel.id = 11;
    novel.weight_percent = 60;
    spire::calls::Criterion anchored;
    anchored.id = 12;
    anchored.weight_percent = 40;
    return {novel, anchored};
}

} // namespace

TEST(ReviewScores, ADraftMayBeIncompleteButNotOutsideTheScale) {
    ReviewInput draft;
    draft.scores = {{11, 5, "Godt"}};
    EXPECT_TRUE(review_format_problems(criteria(), draft).empty());
    draft.scores = {{11, 8, ""}, {12, 0, ""}, {99, 3, ""}};
    auto problems = review_format_problems(criteria(), draft);
    ASSERT_EQ(problems.size(), 3u);
    EXPECT_EQ(problems[0].field, "score_11");
    EXPECT_EQ(problems[1].field, "score_12");
    EXPECT_EQ(problems[2].field, "score_99");
    draft.scores = {{11, 3, ""}, {11, 4, ""}};
    EXPECT_EQ(review_format_problems(criteria(), draft).size(), 1u) << "a criterion twice";
    draft.scores = {};
    draft.overall_comment.assign(MAX_COMMENT_LENGTH + 1, 'x');
    EXPECT_EQ(review_format_problems(criteria(), draft).size(), 1u);
}

TEST(ReviewScores, SubmittingNeedsEveryCriterionAndARecommendation) {
    ReviewInput review;
    review.scores = {{11, 6, ""}};
    auto problems = review_submit_problems(criteria(), review);
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_EQ(problems[0].field, "score_12");
    EXPECT_EQ(problems[1].field, "recommendation");
    review.scores.push_back({12, 1, ""});
    review.recommendation = Recommendation::DoNotFund;
    EXPECT_TRUE(review_submit_problems(criteria(), review).empty());
}

TEST(ReviewNames, KeysRoundTrip) {
    for (auto category : ALL_CONFLICT_CATEGORIES)
        EXPECT_EQ(parse_conflict_category(conflict_category_key(category)), category);
    for (auto recommendation : ALL_RECOMMENDATIONS)
        EXPECT_EQ(parse_recommendation(recommendation_key(recommendation)), recommendation);
    EXPECT_EQ(parse_assignment_status("submitted"), AssignmentStatus::Submitted);
    EXPECT_FALSE(parse_conflict_category("friend"));
}
