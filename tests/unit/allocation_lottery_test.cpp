// The grey-zone lottery (allocation/lottery.hpp): the keyed hash against an
// independent implementation, who lands above, below and in the group, the
// draw's order and money rule, determinism, and verification of records.

#include "allocation/lottery.hpp"
#include "allocation/payline.hpp"
#include "allocation_instances.hpp"

#include <algorithm>
#include <gtest/gtest.h>

using namespace spire;
using namespace spire::allocation;
using namespace spire::allocation::testing;

namespace {

Candidate with_interval(std::string id, double low, double expected, double high, Ore cost) {
    auto c = simple(std::move(id), 1, cost);
    c.rank = RankInfo{expected, low, high};
    return c;
}

Scenario lottery_scenario(std::string seed, std::optional<int> line, Ore budget,
                          std::vector<Candidate> candidates) {
    auto scenario = one_cell(budget, std::move(candidates));
    scenario.method = Method::Lottery;
    scenario.lottery = LotterySettings{std::move(seed), line};
    return scenario;
}

// A line of 3: two clearly above, three crossing, two clearly below.
Scenario grey_zone(std::string seed = "announced 2024-05-01", Ore budget = 100'000) {
    return lottery_scenario(
        std::move(seed), 3, budget,
        {with_interval("above-1", 1, 1.2, 2, 100), with_interval("above-2", 1, 2.5, 3, 100),
         with_interval("grey-1", 2, 3.1, 5, 100), with_interval("grey-2", 3, 3.5, 4, 100),
         with_interval("grey-3", 1, 4.0, 6, 100), with_interval("below-1", 3.5, 5, 7, 100),
         with_interval("below-2", 6, 7, 9, 100)});
}

std::vector<std::string> member_ids(const LotteryRecord& record) {
    std::vector<std::string> ids;
    for (const auto& member : record.members)
        ids.push_back(member.id);
    return ids;
}

TEST(AllocationLottery, HashIsHmacSha256KeyedWithTheSeedsSha256) {
    // Expected values from Python's hmac and hashlib:
    //   hmac.new(hashlib.sha256(seed.encode()).digest(), id.encode(),
    //            hashlib.sha256).hexdigest()
    EXPECT_EQ(lottery_hash("seed announced 2024-05-01", "APP-17"),
              "7bac704483bcca699478787e79cf9dac443239358248bdef7a5fe3e61e0a785a");
    EXPECT_EQ(lottery_hash("Bærum 2024", "søknad-3"),
              "b2e795fcd9f199b65104ce222632b56f2ba4cc15579c9a7b5780c6ffc52b6014");
    EXPECT_EQ(lottery_hash("x", ""),
              "46beaa4311fee648359e484431155172d25848aa409798a775ac4b75e15df5b5");
}

TEST(AllocationLottery, IntervalsCrossingTheLineFormTheGroup) {
    auto outcome = run_lottery(grey_zone());
    EXPECT_EQ(outcome.clearly_above, (std::vector<std::string>{"above-1", "above-2"}));
    EXPECT_EQ(member_ids(outcome.record), (std::vector<std::string>{"grey-1", "grey-2", "grey-3"}));
    EXPECT_EQ(outcome.clearly_below, (std::vector<std::string>{"below-1", "below-2"}));
    EXPECT_EQ(outcome.record.line_grants, 3);
    EXPECT_EQ(outcome.record.slots, 1);
}

TEST(AllocationLottery, TheLowestHashWinsTheOneSlot) {
    auto outcome = run_lottery(grey_zone());
    const auto& record = outcome.record;
    std::vector<std::pair<std::string, std::string>> by_hash;
    for (const auto* id : {"grey-1", "grey-2", "grey-3"})
        by_hash.push_back({lottery_hash(record.seed, id), id});
    std::sort(by_hash.begin(), by_hash.end());
    ASSERT_EQ(record.order.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i)
        EXPECT_EQ(record.order[i], by_hash[i].second);
    EXPECT_EQ(record.winners, (std::vector<std::string>{by_hash[0].second}));
    // Funded: the two above, then the winner.
    ASSERT_EQ(outcome.allocation.grants.size(), 3u);
    EXPECT_EQ(outcome.allocation.grants[2].id, by_hash[0].second);
    for (const auto& member : record.members)
        EXPECT_EQ(member.hash, lottery_hash(record.seed, member.id));
}

TEST(AllocationLottery, SameSeedSameDrawAnotherSeedAnotherOrder) {
    std::vector<Candidate> candidates;
    for (int i = 0; i < 10; ++i)
        candidates.push_back(with_interval("app-" + std::to_string(i), 1, 5, 10, 100));
    auto first = run_lottery(lottery_scenario("seed A", 5, 100'000, candidates));
    auto again = run_lottery(lottery_scenario("seed A", 5, 100'000, candidates));
    auto other = run_lottery(lottery_scenario("seed B", 5, 100'000, candidates));
    EXPECT_EQ(first.record, again.record);
    EXPECT_EQ(first.record.winners.size(), 5u);
    // Ten members: the chance that two seeds give the same order is 1 in 10!.
    EXPECT_NE(first.record.order, other.record.order);
}

TEST(AllocationLottery, AMemberThatDoesNotFitTheMoneyLeftIsSkipped) {
    // 300 in the budget: the two above take 200; 100 is left for the draw, so
    // only the 100-øre member can win, whatever the order.
    auto scenario = lottery_scenario(
        "s", 4, 300,
        {with_interval("above-1", 1, 1, 1, 100), with_interval("above-2", 2, 2, 2, 100),
         with_interval("big", 2, 3, 5, 200), with_interval("small", 2, 3, 5, 100)});
    auto outcome = run_lottery(scenario);
    EXPECT_EQ(outcome.record.slots, 2);
    ASSERT_EQ(outcome.record.available.size(), 1u);
    EXPECT_EQ(outcome.record.available[0].amount, 100);
    EXPECT_EQ(outcome.record.winners, (std::vector<std::string>{"small"}));
}

TEST(AllocationLottery, WithoutALineThePaylineSetsIt) {
    auto scenario = grey_zone("s", 350);
    scenario.lottery->line_grants.reset();
    auto outcome = run_lottery(scenario);
    EXPECT_EQ(outcome.record.line_grants, int(run_payline(scenario).grants.size()));
    EXPECT_EQ(outcome.record.line_grants, 3);
}

TEST(AllocationLottery, LockedCandidatesStayOutOfTheDraw) {
    auto scenario = grey_zone();
    scenario.candidates[2].lock = Lock::Yes; // grey-1
    scenario.candidates[3].lock = Lock::No;  // grey-2
    auto outcome = run_lottery(scenario);
    EXPECT_EQ(member_ids(outcome.record), (std::vector<std::string>{"grey-3"}));
    EXPECT_EQ(outcome.allocation.grants.front().id, "grey-1");
    // Three grants already (locked + two above): no slot left.
    EXPECT_EQ(outcome.record.slots, 0);
    EXPECT_TRUE(outcome.record.winners.empty());
}

TEST(AllocationLottery, AnUntouchedRecordVerifies) {
    auto scenario = grey_zone();
    auto record = run_lottery(scenario).record;
    EXPECT_TRUE(verify_lottery(record).matches);
    auto against_scenario = verify_lottery(scenario, record);
    EXPECT_TRUE(against_scenario.matches) << against_scenario.differences.front();
}

TEST(AllocationLottery, VerifyDetectsAnExchangedWinner) {
    auto record = run_lottery(grey_zone()).record;
    ASSERT_EQ(record.winners.size(), 1u);
    record.winners[0] = record.order.back();
    auto verification = verify_lottery(record);
    EXPECT_FALSE(verification.matches);
    ASSERT_EQ(verification.differences.size(), 1u);
    EXPECT_NE(verification.differences[0].find("winners"), std::string::npos);
}

TEST(AllocationLottery, VerifyDetectsAForgedHashAndAnotherSeed) {
    auto record = run_lottery(grey_zone()).record;
    auto forged = record;
    forged.members[0].hash = std::string(64, '0');
    auto verification = verify_lottery(forged);
    EXPECT_FALSE(verification.matches);
    EXPECT_NE(verification.differences[0].find("hash of 'grey-1'"), std::string::npos);

    auto reseeded = record;
    reseeded.seed = "announced 2024-05-02";
    EXPECT_FALSE(verify_lottery(reseeded).matches);
}

TEST(AllocationLottery, VerifyAgainstTheScenarioDetectsAnotherGroup) {
    auto scenario = grey_zone();
    auto record = run_lottery(scenario).record;
    // A self-consistent record for a group without grey-3.
    auto narrowed = record;
    narrowed.members.erase(narrowed.members.begin() + 2);
    narrowed.order.erase(std::find(narrowed.order.begin(), narrowed.order.end(), "grey-3"));
    narrowed.winners = {narrowed.order.front()};
    EXPECT_TRUE(verify_lottery(narrowed).matches);
    auto verification = verify_lottery(scenario, narrowed);
    EXPECT_FALSE(verification.matches);
    EXPECT_NE(verification.differences[0].find("lottery group"), std::string::npos);
}

} // namespace
