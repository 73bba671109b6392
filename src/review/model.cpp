#include "review/model.hpp"

#include "core/named.hpp"

#include <algorithm>

namespace spire::review {

namespace {

constexpr Named<ConflictCategory> CONFLICT_CATEGORIES[] = {
    {ConflictCategory::Party, "party", "Party to the case"},
    {ConflictCategory::Relative, "relative", "Related to a party"},
    {ConflictCategory::LeaderOfParty, "leader_of_party", "Leader or board member of a party"},
    {ConflictCategory::SpecialCircumstances, "special_circumstances",
     "Other special circumstances"},
};

constexpr Named<Recommendation> RECOMMENDATIONS[] = {
    {Recommendation::Fund, "fund", "Should be funded"},
    {Recommendation::FundWithChanges, "fund_with_changes", "Should be funded with changes"},
    {Recommendation::DoNotFund, "do_not_fund", "Should not be funded"},
};

constexpr Named<AssignmentStatus> ASSIGNMENT_STATUSES[] = {
    {AssignmentStatus::Assigned, "assigned", "Not submitted"},
    {AssignmentStatus::Submitted, "submitted", "Submitted"},
    {AssignmentStatus::Withdrawn, "withdrawn", "Withdrawn"},
};

} // namespace

std::string_view conflict_category_key(ConflictCategory category) {
    return key_of(CONFLICT_CATEGORIES, category);
}
std::optional<ConflictCategory> parse_conflict_category(std::string_view key) {
    return parse_named(CONFLICT_CATEGORIES, key);
}
std::string_view conflict_category_label(ConflictCategory category) {
    return label_of(CONFLICT_CATEGORIES, category);
}

std::string_view recommendation_key(Recommendation recommendation) {
    return key_of(RECOMMENDATIONS, recommendation);
}
std::optional<Recommendation> parse_recommendation(std::string_view key) {
    return parse_named(RECOMMENDATIONS, key);
}
std::string_view recommendation_label(Recommendation recommendation) {
    return label_of(RECOMMENDATIONS, recommendation);
}

std::string_view assignment_status_key(AssignmentStatus status) {
    return key_of(ASSIGNMENT_STATUSES, status);
}
std::optional<AssignmentStatus> parse_assignment_status(std::string_view key) {
    return parse_named(ASSIGNMENT_STATUSES, key);
}
std::string_view assignment_status_label(AssignmentStatus status) {
    return label_of(ASSIGNMENT_STATUSES, status);
}

// --- Automatic assignment --------------------------------------------------------

std::optional<Ineligibility> ineligibility(const AssignmentApplication& application,
                                           const AssignmentReviewer& reviewer,
                                           const std::set<std::pair<Id, Id>>& conflicts) {
    if (conflicts.contains({application.id, reviewer.user_id}))
        return Ineligibility::Conflict;
    if (std::find(reviewer.home_units.begin(), reviewer.home_units.end(), application.unit_id) !=
        reviewer.home_units.end())
        return Ineligibility::OwnUnit;
    if (std::find(application.reviewers.begin(), application.reviewers.end(), reviewer.user_id) !=
        application.reviewers.end())
        return Ineligibility::AlreadyAssigned;
    return std::nullopt;
}

AssignmentPlan plan_assignments(const std::vector<AssignmentApplication>& applications,
                                const std::vector<AssignmentReviewer>& reviewers,
                                const std::set<std::pair<Id, Id>>& conflicts, int per_application) {
    AssignmentPlan plan;
    // Eligible reviewers (indexes) per application, and the order in which
    // applications are served: fewest eligible first, then by id.
    std::vector<std::vector<std::size_t>> eligible(applications.size());
    for (std::size_t a = 0; a < applications.size(); ++a) {
        for (std::size_t r = 0; r < reviewers.size(); ++r) {
            if (!ineligibility(applications[a], reviewers[r], conflicts))
                eligible[a].push_back(r);
        }
    }
    std::vector<std::size_t> order(applications.size());
    for (std::size_t a = 0; a < order.size(); ++a)
        order[a] = a;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
        if (eligible[x].size() != eligible[y].size())
            return eligible[x].size() < eligible[y].size();
        return applications[x].id < applications[y].id;
    });
    std::vector<int> load(reviewers.size());
    for (std::size_t r = 0; r < reviewers.size(); ++r)
        load[r] = reviewers[r].load;

    for (std::size_t a : order) {
        const int wanted = per_application - static_cast<int>(applications[a].reviewers.size());
        std::vector<std::size_t> candidates = eligible[a];
        int given = 0;
        for (; given < wanted && !candidates.empty(); ++given) {
            auto best = std::min_element(candidates.begin(), candidates.end(),
                                         [&](std::size_t x, std::size_t y) {
                                             if (load[x] != load[y])
                                                 return load[x] < load[y];
                                             return reviewers[x].user_id < reviewers[y].user_id;
                                         });
            std::size_t r = *best;
            candidates.erase(best);
            ++load[r];
            plan.assignments.emplace_back(applications[a].id, reviewers[r].user_id);
        }
        if (given < wanted)
            plan.shortfalls.emplace_back(applications[a].id, wanted - given);
    }
    return plan;
}

// --- Scores ------------------------------------------------------------------------

namespace {

std::string score_field(Id criterion) {
    return "score_" + std::to_string(criterion);
}

const calls::Criterion* criterion_of(const std::vector<calls::Criterion>& criteria, Id id) {
    for (const auto& criterion : criteria) {
        if (criterion.id == id)
            return &criterion;
    }
    return nullptr;
}

} // namespace

std::vector<FieldError> review_format_problems(const std::vector<calls::Criterion>& criteria,
                                               const ReviewInput& input) {
    std::vector<FieldError> problems;
    std::set<Id> seen;
    for (const auto& score : input.scores) {
        const calls::Criterion* criterion = criterion_of(criteria, score.criterion_id);
        if (!criterion || !seen.insert(score.criterion_id).second) {
            problems.push_back({score_field(score.criterion_id), "Unknown criterion."});
            continue;
        }
        if (score.score &&
            (*score.score < criterion->scale_min || *score.score > criterion->scale_max))
            problems.push_back(
                {score_field(score.criterion_id), "Choose a score on the criterion's scale."});
        if (score.comment.size() > MAX_COMMENT_LENGTH)
            problems.push_back(
                {"comment_" + std::to_string(score.criterion_id), "The comment is too long."});
    }
    if (input.overall_comment.size() > MAX_COMMENT_LENGTH)
        problems.push_back({"overall_comment", "The comment is too long."});
    return problems;
}

std::vector<FieldError> review_submit_problems(const std::vector<calls::Criterion>& criteria,
                                               const ReviewInput& input) {
    std::vector<FieldError> problems = review_format_problems(criteria, input);
    for (const auto& criterion : criteria) {
        bool scored =
            std::any_of(input.scores.begin(), input.scores.end(), [&](const ScoreInput& score) {
                return score.criterion_id == criterion.id && score.score;
            });
        if (!scored)
            problems.push_back({score_field(criterion.id), "Score every criterion."});
    }
    if (!input.recommendation)
        problems.push_back({"recommendation", "Choose a recommendation."});
    return problems;
}

} // namespace spire::review
