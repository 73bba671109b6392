// The pure parts of the allocation pages (issue 7 §1): spreading a request
// over the years of its budget, reading the "new scenario" form and the
// seed, building the Scenario the methods run on, and who may see and change
// scenarios (a matrix over roles, tenants and disqualification).

#include "allocation/policy.hpp"
#include "allocation/service.hpp"
#include "allocation/settings.hpp"

#include <gtest/gtest.h>
#include <limits>
#include <string>

using namespace spire;
using namespace spire::allocation;
using identity::Principal;
using identity::Role;

namespace {

constexpr Id ORG = 1, OTHER_ORG = 2, FUND = 10, OTHER_FUND = 11;

Ore sum(const std::vector<CellAmount>& costs) {
    Ore total = 0;
    for (const auto& cost : costs)
        total += cost.amount;
    return total;
}

ScenarioChoices choices() {
    ScenarioChoices c;
    c.applications = {100, 101, 102};
    c.below_threshold = {102};
    c.programmes = {7, 8};
    c.themes = {"klima", "skole"};
    return c;
}

ScenarioTyped valid_form() {
    ScenarioTyped typed;
    typed.name = "  Rådsmøte  ";
    typed.value_kind = "quality_amount";
    typed.partial = true;
    typed.partial_min_percent = "40";
    typed.max_grants_per_unit = "2";
    typed.share_limits = {{"programme:7", "10", ""}, {"", "99", "x"}, {"theme:klima", "", "30"}};
    typed.locks = {{100, "yes"}, {101, "free"}, {102, "no"}};
    return typed;
}

std::vector<std::string> fields_of(const Error& error) {
    std::vector<std::string> fields;
    for (const auto& field : error.fields)
        fields.push_back(field.field);
    return fields;
}

CandidateInfo candidate(Id id, double quality, double expected, int low, int high, Ore requested,
                        int year) {
    CandidateInfo info;
    info.application_id = id;
    info.unit_id = 50 + id % 2;
    info.quality = quality;
    info.expected_rank = expected;
    info.rank_low = low;
    info.rank_high = high;
    info.requested_ore = requested;
    info.costs = {{{year, "7"}, requested}};
    return info;
}

} // namespace

TEST(SplitRequest, SpreadsTheRequestByTheBudgetsYearsAndAddsUpExactly) {
    // 2018: 1/3, 2019: 2/3 of the budget; 100 øre does not divide by 3.
    auto costs = split_request(100, {{2018, 300}, {2019, 600}}, 2018, "7");
    ASSERT_EQ(costs.size(), 2u);
    EXPECT_EQ(costs[0].cell, (Cell{2018, "7"}));
    EXPECT_EQ(costs[0].amount, 33);
    EXPECT_EQ(costs[1].cell, (Cell{2019, "7"}));
    EXPECT_EQ(costs[1].amount, 67); // the øre left over go to the last year
    EXPECT_EQ(sum(costs), 100);
}

TEST(SplitRequest, SkipsEmptyYearsAndFallsBackToTheStartYear) {
    auto costs = split_request(5'000, {{2018, 0}, {2019, 10}}, 2018, "7");
    ASSERT_EQ(costs.size(), 1u);
    EXPECT_EQ(costs[0].cell.year, 2019);
    EXPECT_EQ(costs[0].amount, 5'000);
    auto no_budget = split_request(5'000, {}, 2020, "7");
    ASSERT_EQ(no_budget.size(), 1u);
    EXPECT_EQ(no_budget[0].cell.year, 2020);
    EXPECT_TRUE(split_request(5'000, {}, std::nullopt, "7").empty());
    EXPECT_TRUE(split_request(0, {{2018, 10}}, 2018, "7").empty());
}

TEST(SplitRequest, LargeAmountsDoNotOverflow) {
    // requested × budget of a year is far beyond int64 here.
    const Ore big = MAX_AMOUNT_ORE;
    auto costs = split_request(big, {{2018, big}, {2019, big}, {2020, big}}, 2018, "7");
    ASSERT_EQ(costs.size(), 3u);
    EXPECT_EQ(sum(costs), big);
    EXPECT_EQ(costs[0].amount, big / 3);
}

TEST(ScenarioForm, ReadsAValidFormIgnoringUnusedShareRows) {
    auto settings = parse_scenario_form(valid_form(), choices());
    ASSERT_TRUE(settings) << settings.error().message;
    EXPECT_EQ(settings->name, "Rådsmøte");
    EXPECT_EQ(settings->value, ValueKind::QualityAmount);
    EXPECT_EQ(settings->partial_min_percent, 40);
    EXPECT_EQ(settings->max_grants_per_unit, 2);
    ASSERT_EQ(settings->share_limits.size(), 2u);
    EXPECT_EQ(settings->share_limits[0],
              (ShareLimitSetting{ShareTarget::Programme, "7", 10, std::nullopt}));
    EXPECT_EQ(settings->share_limits[1],
              (ShareLimitSetting{ShareTarget::Theme, "klima", std::nullopt, 30}));
    // Free is the default and not stored.
    EXPECT_EQ(settings->locks, (std::map<Id, Lock>{{100, Lock::Yes}, {102, Lock::No}}));
}

TEST(ScenarioForm, PartialFundingOffIgnoresItsPercentage) {
    auto typed = valid_form();
    typed.partial = false;
    typed.partial_min_percent = "nonsense";
    auto settings = parse_scenario_form(typed, choices());
    ASSERT_TRUE(settings);
    EXPECT_FALSE(settings->partial_min_percent);
}

TEST(ScenarioForm, RefusesEachBadFieldWithItsOwnMessage) {
    ScenarioTyped typed;
    typed.name = "";
    typed.value_kind = "money";
    typed.partial = true;
    typed.partial_min_percent = "0";
    typed.max_grants_per_unit = "-1";
    typed.share_limits = {{"programme:9", "1", ""},     // not the fund's programme
                          {"theme:klima", "", ""},      // no bound
                          {"theme:skole", "60", "40"}}; // min above max
    typed.locks = {{102, "yes"}, {999, "no"}, {100, "maybe"}};
    auto settings = parse_scenario_form(typed, choices());
    ASSERT_FALSE(settings);
    EXPECT_EQ(settings.error().kind, ErrorKind::Invalid);
    EXPECT_EQ(fields_of(settings.error()),
              (std::vector<std::string>{"name", "value_kind", "partial_min_percent",
                                        "max_grants_per_unit", "share_1_group", "share_2_min",
                                        "share_3_min", "lock_100", "lock_102", "lock_999"}));
    EXPECT_EQ(settings.error().fields[8].message, std::string(message::LOCK_BELOW_THRESHOLD));
}

TEST(ScenarioForm, RefusesTheSameGroupTwiceAndPercentagesOutOfRange) {
    auto typed = valid_form();
    typed.share_limits = {
        {"programme:7", "101", ""}, {"programme:8", "5", ""}, {"programme:8", "", "50"}};
    auto settings = parse_scenario_form(typed, choices());
    ASSERT_FALSE(settings);
    EXPECT_EQ(fields_of(settings.error()),
              (std::vector<std::string>{"share_1_min", "share_3_group"}));
    typed = valid_form();
    typed.name = std::string(MAX_SCENARIO_NAME_BYTES + 1, 'a');
    EXPECT_FALSE(parse_scenario_form(typed, choices()));
    typed.name = "To\nlinjer";
    EXPECT_FALSE(parse_scenario_form(typed, choices()));
}

TEST(ScenarioForm, TakesOnlyOfferedCallsSortedOnce) {
    auto offered = choices();
    offered.calls = {21, 22, 23};
    auto typed = valid_form();
    typed.calls = {"23", " 21 ", "23"};
    auto settings = parse_scenario_form(typed, offered);
    ASSERT_TRUE(settings) << settings.error().message;
    EXPECT_EQ(settings->extra_calls, (std::vector<Id>{21, 23}));
    // None checked: a scenario of one call.
    typed.calls.clear();
    EXPECT_TRUE(parse_scenario_form(typed, offered)->extra_calls.empty());
    // A call the form did not offer (another programme or tenant, or the
    // main call itself) or no number at all: refused on the calls field.
    for (const char* bad : {"24", "abc", ""}) {
        typed.calls = {"21", bad};
        auto refused = parse_scenario_form(typed, offered);
        ASSERT_FALSE(refused) << bad;
        EXPECT_EQ(fields_of(refused.error()), (std::vector<std::string>{"calls"})) << bad;
        EXPECT_EQ(refused.error().fields[0].message, std::string(message::CALLS_CHOICE));
    }
}

TEST(Seed, IsTrimmedPrintableTextOfAtMost200Bytes) {
    EXPECT_EQ(parse_seed("  Lotto 4 11 17  ").value_or(""), "Lotto 4 11 17");
    EXPECT_FALSE(parse_seed("   "));
    EXPECT_FALSE(parse_seed("a\tb"));
    EXPECT_FALSE(parse_seed(std::string(201, 'x')));
    EXPECT_TRUE(parse_seed(std::string(200, 'x')));
}

TEST(BuildScenario, TurnsTheCallsDataAndTheSettingsIntoAValidScenario) {
    CallInputs inputs;
    inputs.budgets = {{{2018, "7"}, 1'000}, {{2019, "7"}, 500}};
    inputs.candidates = {candidate(100, 6.0, 1.4, 1, 2, 400, 2018),
                         candidate(101, 5.0, 2.6, 2, 3, 300, 2018),
                         // The expected rank outside its 50 % interval: widened.
                         candidate(102, 4.0, 2.2, 3, 4, 200, 2018),
                         // A year outside the fund's period: an empty cell.
                         candidate(103, 3.0, 4.0, 3, 4, 100, 2031)};
    inputs.candidates[2].threshold_failures = {"Nyskapende"};
    ScenarioSettings settings;
    settings.value = ValueKind::QualityAmount;
    settings.partial_min_percent = 50;
    settings.max_grants_per_unit = 1;
    settings.share_limits = {{ShareTarget::Programme, "7", 20, 90}};
    settings.locks = {{100, Lock::Yes}, {102, Lock::Yes}, {101, Lock::No}};

    Scenario scenario = build_scenario(inputs, settings, Method::Lottery, "frø");
    EXPECT_FALSE(validate(scenario)) << validate(scenario)->fields.front().message;
    ASSERT_EQ(scenario.candidates.size(), 4u);
    const auto& first = scenario.candidates[0];
    EXPECT_EQ(first.id, "100");
    // quality × kroner / 1000: 6 × 4 kr / 1000.
    EXPECT_DOUBLE_EQ(first.value, 6.0 * 4.0 / 1000.0);
    EXPECT_EQ(first.lock, Lock::Yes);
    EXPECT_EQ(first.unit, "50");
    EXPECT_EQ(scenario.candidates[1].lock, Lock::No);
    // Locked yes before it fell below a minimum: free again, and never funded.
    EXPECT_EQ(scenario.candidates[2].lock, Lock::Free);
    EXPECT_TRUE(scenario.candidates[2].below_threshold);
    ASSERT_TRUE(scenario.candidates[2].rank);
    EXPECT_EQ(*scenario.candidates[2].rank, (RankInfo{2.2, 2.2, 4}));
    EXPECT_EQ(scenario.budget({2031, "7"}), 0);
    EXPECT_EQ(scenario.budget({2019, "7"}), 500);
    ASSERT_EQ(scenario.constraints.share_limits.size(), 1u);
    EXPECT_DOUBLE_EQ(*scenario.constraints.share_limits[0].min, 0.2);
    EXPECT_DOUBLE_EQ(*scenario.constraints.share_limits[0].max, 0.9);
    EXPECT_DOUBLE_EQ(scenario.constraints.partial_funding->min_share, 0.5);
    EXPECT_EQ(scenario.constraints.max_grants_per_unit, 1);
    EXPECT_EQ(scenario.method, Method::Lottery);
    EXPECT_EQ(scenario.lottery->seed, "frø");
    EXPECT_EQ(scenario.optimiser.max_seconds, WEB_MAX_SECONDS);

    settings.value = ValueKind::Quality;
    Scenario by_quality = build_scenario(inputs, settings, Method::Optimal, std::nullopt);
    EXPECT_DOUBLE_EQ(by_quality.candidates[0].value, 6.0);
    EXPECT_FALSE(by_quality.lottery);
    // Pure: the same input gives the same scenario.
    EXPECT_EQ(by_quality, build_scenario(inputs, settings, Method::Optimal, std::nullopt));
}

TEST(BuildScenario, SeveralCallsRankByThePlaceInTheQualityOrder) {
    // Ranks of two calls' rankings: both have a rank 1. The service orders
    // the candidates by quality; the methods then see the place in that
    // order, without an interval.
    CallInputs inputs;
    inputs.calls.resize(2);
    inputs.budgets = {{{2018, "7"}, 1'000}};
    inputs.candidates = {candidate(200, 6.5, 1.0, 1, 1, 400, 2018),
                         candidate(100, 6.0, 1.2, 1, 2, 400, 2018),
                         candidate(101, 5.0, 2.0, 1, 3, 400, 2018)};
    Scenario scenario = build_scenario(inputs, {}, Method::Payline, std::nullopt);
    EXPECT_FALSE(validate(scenario));
    ASSERT_EQ(scenario.candidates.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        const double place = static_cast<double>(i + 1);
        EXPECT_EQ(*scenario.candidates[i].rank, (RankInfo{place, place, place})) << i;
    }
    // One call: the ranking's own ranks, as before.
    inputs.calls.resize(1);
    EXPECT_EQ(*build_scenario(inputs, {}, Method::Payline, std::nullopt).candidates[1].rank,
              (RankInfo{1.2, 1, 2}));
}

namespace {

Principal user_with(Role role, std::optional<Id> fund, Id organisation = ORG) {
    Principal p;
    p.user_id = 5;
    p.organisation_id = organisation;
    p.grants = {{1, 5, organisation, role, std::nullopt, fund}};
    return p;
}

} // namespace

TEST(ScenarioPolicy, FundManagersManageDecisionMakersAndAuditorsRead) {
    const ScenarioResource call{ORG, FUND, false};
    struct Case {
        Principal user;
        bool view;
        bool manage;
    };
    const Case cases[] = {
        {user_with(Role::FundManager, FUND), true, true},
        {user_with(Role::FundManager, std::nullopt), true, true}, // every fund
        {user_with(Role::FundManager, OTHER_FUND), false, false},
        {user_with(Role::DecisionMaker, FUND), true, false},
        {user_with(Role::Auditor, std::nullopt), true, false},
        {user_with(Role::Applicant, std::nullopt), false, false},
        {user_with(Role::Reviewer, std::nullopt), false, false},
        {user_with(Role::Admin, std::nullopt), false, false},
    };
    for (const auto& c : cases) {
        const auto role = std::string(identity::role_key(c.user.grants[0].role));
        EXPECT_EQ(bool(authorize_scenario(&c.user, ScenarioAction::View, call)), c.view) << role;
        EXPECT_EQ(bool(authorize_scenario(&c.user, ScenarioAction::Manage, call)), c.manage)
            << role;
    }
}

TEST(ScenarioPolicy, OtherTenantsSeeNothingAndTheDisqualifiedAreRefused) {
    const auto stranger = user_with(Role::FundManager, std::nullopt, OTHER_ORG);
    auto hidden = authorize_scenario(&stranger, ScenarioAction::View, {ORG, FUND, false});
    EXPECT_FALSE(hidden);
    EXPECT_EQ(hidden.kind, ErrorKind::NotFound);

    const auto manager = user_with(Role::FundManager, FUND);
    for (auto action : {ScenarioAction::View, ScenarioAction::Manage}) {
        auto refused = authorize_scenario(&manager, action, {ORG, FUND, true});
        EXPECT_FALSE(refused);
        EXPECT_EQ(refused.reason, std::string(message::SCENARIO_CONFLICT));
    }
    EXPECT_EQ(authorize_scenario(nullptr, ScenarioAction::View, {ORG, FUND, false}).kind,
              ErrorKind::Unauthenticated);
}
