// Postings racing for the last kroner (issue 4, "Bad input"): parallel
// threads, each on its own pooled connection, all trying to reserve more
// than half of what is left. Exactly one may win on either engine: SQLite
// serialises writers (BEGIN IMMEDIATE), PostgreSQL the fund's postings
// (SELECT ... FOR UPDATE on the fund row before the balance is read).

#include "db/database.hpp"
#include "funds/service.hpp"
#include "support/funds_world.hpp"
#include "support/test_db.hpp"

#include <atomic>
#include <barrier>
#include <gtest/gtest.h>
#include <thread>
#include <vector>

namespace {

using namespace spire;
using namespace spire::funds;
using spire::test::FundsWorld;

constexpr Ore KR = 100;
constexpr int THREADS = 8;

class FundsConcurrencyTest : public spire::test::MigratedDatabaseTest {};

TEST_P(FundsConcurrencyTest, OnlyOnePostingWinsTheLastKroner) {
    std::unique_ptr<FundsWorld> world;
    try {
        world = FundsWorld::create(test_database().url(), THREADS);
    } catch (const std::exception& e) {
        FAIL() << e.what();
    }
    FundsService& funds = *world->funds;
    const auto manager = world->as(world->manager);

    constexpr int ROUNDS = 5;
    for (int round = 0; round < ROUNDS; ++round) {
        const Cell cell{2017 + round % 4, round < 4 ? world->risk : world->social};
        Posting frame;
        frame.kind = EntryKind::Frame;
        frame.cell = cell;
        frame.amount = 100'000 * KR;
        frame.reason = "Ramme";
        ASSERT_TRUE(funds.post(manager, world->fund, frame));

        std::atomic<int> wins{0}, over_budget{0}, other{0};
        std::barrier start(THREADS);
        std::vector<std::thread> threads;
        for (int t = 0; t < THREADS; ++t) {
            threads.emplace_back([&, t] {
                Posting reserve;
                reserve.kind = EntryKind::Reserve;
                reserve.cell = cell;
                reserve.amount = 60'000 * KR + t; // any two together exceed the frame
                reserve.reason = "Egenandel, tråd " + std::to_string(t);
                start.arrive_and_wait();
                auto posted = funds.post(manager, world->fund, reserve);
                if (posted)
                    ++wins;
                else if (posted.error().message == message::NOT_ENOUGH_AVAILABLE)
                    ++over_budget;
                else
                    ++other;
            });
        }
        for (auto& thread : threads)
            thread.join();
        EXPECT_EQ(wins.load(), 1) << "round " << round;
        EXPECT_EQ(over_budget.load(), THREADS - 1) << "round " << round;
        EXPECT_EQ(other.load(), 0) << "round " << round;

        auto summary = funds.budget(manager, world->fund);
        ASSERT_TRUE(summary);
        EXPECT_GE(summary->cell(cell.year, cell.programme_id).available(), 0);
        EXPECT_EQ(summary->cell(cell.year, cell.programme_id).entries, 2);
    }
}

INSTANTIATE_TEST_SUITE_P(BothEngines, FundsConcurrencyTest,
                         ::testing::ValuesIn(spire::test::ALL_ENGINES),
                         spire::test::engine_test_name);

} // namespace
