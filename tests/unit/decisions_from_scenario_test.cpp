#include "decisions/from_scenario.hpp"

#include <gtest/gtest.h>

namespace spire::decisions {
namespace {

constexpr Ore KR = 100;

ScenarioTexts texts() {
    return {"funded", [](long percent) { return "partly " + std::to_string(percent); },
            "not funded"};
}

allocation::ProposedGrant grant(Id application, double fraction,
                                std::vector<allocation::ProposedAmount> amounts) {
    allocation::ProposedGrant out;
    out.application_id = application;
    out.fraction = fraction;
    out.amounts = std::move(amounts);
    return out;
}

const Proposal& of(const std::vector<Proposal>& proposals, Id application) {
    for (const auto& proposal : proposals) {
        if (proposal.application_id == application)
            return proposal;
    }
    throw std::runtime_error("no proposal for " + std::to_string(application));
}

TEST(DecisionsFromScenario, FundedApplicationsAreGrantedWithTheScenariosAmounts) {
    auto proposals = proposals_from_scenario(
        {grant(7, 1.0, {{2027, 3, 200'000 * KR}, {2028, 3, 100'000 * KR}})}, {7}, texts());
    ASSERT_EQ(proposals.size(), 1u);
    EXPECT_EQ(proposals[0].outcome, Outcome::Granted);
    EXPECT_EQ(proposals[0].justification, "funded");
    std::vector<YearAmount> expected = {{2027, 3, 200'000 * KR}, {2028, 3, 100'000 * KR}};
    EXPECT_EQ(proposals[0].amounts, expected);
    EXPECT_TRUE(validate_proposal(proposals[0]).empty());
}

TEST(DecisionsFromScenario, EveryOpenApplicationTheScenarioLeavesOutIsRejectedWithAReason) {
    auto proposals = proposals_from_scenario(
        {grant(7, 1.0, {{2027, 3, 50'000 * KR}}), grant(99, 1.0, {})}, {5, 7, 8}, texts());
    ASSERT_EQ(proposals.size(), 3u); // only the open applications, in their order
    EXPECT_EQ(proposals[0].application_id, 5);
    EXPECT_EQ(of(proposals, 5).outcome, Outcome::Rejected);
    EXPECT_EQ(of(proposals, 8).outcome, Outcome::Rejected);
    EXPECT_EQ(of(proposals, 8).justification, "not funded");
    EXPECT_TRUE(of(proposals, 8).amounts.empty());
    EXPECT_TRUE(validate_proposal(of(proposals, 8)).empty());
    EXPECT_EQ(of(proposals, 7).outcome, Outcome::Granted);
}

TEST(DecisionsFromScenario, PartialFundingIsAPartGrantNamingTheShare) {
    auto proposals =
        proposals_from_scenario({grant(7, 0.6, {{2027, 3, 60'000 * KR}})}, {7}, texts());
    EXPECT_EQ(proposals[0].outcome, Outcome::PartlyGranted);
    EXPECT_EQ(proposals[0].justification, "partly 60");
    EXPECT_TRUE(validate_proposal(proposals[0]).empty());
    // A solver's 0.9999999 is a whole grant.
    proposals =
        proposals_from_scenario({grant(7, 0.9999999, {{2027, 3, 60'000 * KR}})}, {7}, texts());
    EXPECT_EQ(proposals[0].outcome, Outcome::Granted);
}

TEST(DecisionsFromScenario, AmountsAreRoundedDownToWholeKroner) {
    // A proportional split leaves øre, which a decision refuses; rounding up
    // could overdraw a cell the scenario filled exactly.
    auto proposals = proposals_from_scenario(
        {grant(7, 0.5, {{2027, 3, 33'333 * KR + 33}, {2028, 3, 16'666 * KR + 67}})}, {7}, texts());
    std::vector<YearAmount> expected = {{2027, 3, 33'333 * KR}, {2028, 3, 16'666 * KR}};
    EXPECT_EQ(proposals[0].amounts, expected);
    EXPECT_TRUE(validate_proposal(proposals[0]).empty());
}

TEST(DecisionsFromScenario, AGrantOfLessThanAKroneIsNotFunded) {
    auto proposals = proposals_from_scenario({grant(7, 0.01, {{2027, 3, 99}})}, {7}, texts());
    EXPECT_EQ(proposals[0].outcome, Outcome::Rejected);
    EXPECT_TRUE(proposals[0].amounts.empty());
}

} // namespace
} // namespace spire::decisions
