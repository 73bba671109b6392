#include "allocation/lottery.hpp"

#include "allocation/payline.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <sodium.h>
#include <stdexcept>
#include <unordered_map>

namespace spire::allocation {

namespace {

using MoneyLeft = std::map<Cell, Ore>;

bool fits(const std::vector<CellAmount>& costs, MoneyLeft& left) {
    return std::all_of(costs.begin(), costs.end(),
                       [&](const CellAmount& cost) { return cost.amount <= left[cost.cell]; });
}

void take(const std::vector<CellAmount>& costs, MoneyLeft& left) {
    for (const auto& cost : costs)
        left[cost.cell] -= cost.amount;
}

std::vector<std::string> draw_order(const std::vector<LotteryMember>& members) {
    std::vector<const LotteryMember*> sorted;
    for (const auto& member : members)
        sorted.push_back(&member);
    std::sort(sorted.begin(), sorted.end(), [](const LotteryMember* a, const LotteryMember* b) {
        return a->hash != b->hash ? a->hash < b->hash : a->id < b->id;
    });
    std::vector<std::string> order;
    for (const auto* member : sorted)
        order.push_back(member->id);
    return order;
}

// The winners of `order` given the money and slots (see lottery.hpp).
std::vector<std::string> draw_winners(const std::vector<LotteryMember>& members,
                                      const std::vector<std::string>& order,
                                      const std::vector<CellAmount>& available, int slots) {
    std::unordered_map<std::string_view, const LotteryMember*> by_id;
    for (const auto& member : members)
        by_id[member.id] = &member;
    MoneyLeft left;
    for (const auto& cell : available)
        left[cell.cell] = cell.amount;
    std::vector<std::string> winners;
    for (const auto& id : order) {
        if (int(winners.size()) >= slots)
            break;
        auto it = by_id.find(id);
        if (it == by_id.end() || !fits(it->second->costs, left))
            continue;
        take(it->second->costs, left);
        winners.push_back(id);
    }
    return winners;
}

std::string list(const std::vector<std::string>& ids) {
    std::string text = "[";
    for (const auto& id : ids)
        text += (text.size() > 1 ? ", " : "") + id;
    return text + "]";
}

int funding_line(const Scenario& scenario) {
    if (scenario.lottery && scenario.lottery->line_grants)
        return *scenario.lottery->line_grants;
    return int(payline_grants(scenario).size());
}

} // namespace

std::string lottery_hash(std::string_view seed, std::string_view id) {
    // Hashing functions need no sodium_init(); calling it is harmless and
    // keeps the rule "initialise before use" simple.
    if (sodium_init() < 0)
        throw std::runtime_error("libsodium could not be initialised");
    unsigned char key[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(key, reinterpret_cast<const unsigned char*>(seed.data()), seed.size());
    static_assert(crypto_hash_sha256_BYTES == crypto_auth_hmacsha256_KEYBYTES);
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(id.data()), id.size(), key);
    char hex[2 * crypto_auth_hmacsha256_BYTES + 1];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    return hex;
}

LotteryOutcome run_lottery(const Scenario& scenario) {
    auto start = std::chrono::steady_clock::now();
    LotteryOutcome outcome;
    if (auto conflict = locked_conflict(scenario)) {
        outcome.allocation = infeasible(Method::Lottery, std::move(*conflict));
        return outcome;
    }
    auto& allocation = outcome.allocation;
    allocation.method = Method::Lottery;
    auto& record = outcome.record;
    record.seed = scenario.lottery ? scenario.lottery->seed : std::string();
    record.line_grants = funding_line(scenario);

    MoneyLeft left;
    for (const auto& budget : scenario.budgets)
        left[budget.cell] = budget.amount;
    auto order = rank_order(scenario);
    for (const auto* candidate : order) {
        if (candidate->lock == Lock::Yes) {
            take(candidate->costs, left);
            allocation.grants.push_back({candidate->id, 1.0, candidate->costs});
        }
    }
    const double line = record.line_grants;
    for (const auto* candidate : order) {
        if (candidate->lock == Lock::Yes)
            continue;
        // validate() guarantees a rank for every eligible candidate here.
        const auto& rank = *candidate->rank;
        if (rank.high <= line) {
            if (!fits(candidate->costs, left))
                continue;
            take(candidate->costs, left);
            allocation.grants.push_back({candidate->id, 1.0, candidate->costs});
            outcome.clearly_above.push_back(candidate->id);
        } else if (rank.low > line) {
            outcome.clearly_below.push_back(candidate->id);
        } else {
            record.members.push_back(
                {candidate->id, candidate->costs, lottery_hash(record.seed, candidate->id)});
        }
    }

    record.slots = std::max(0, record.line_grants - int(allocation.grants.size()));
    for (const auto& [cell, amount] : left)
        record.available.push_back({cell, amount});
    record.order = draw_order(record.members);
    record.winners = draw_winners(record.members, record.order, record.available, record.slots);

    std::unordered_map<std::string_view, const Candidate*> by_id;
    for (const auto* candidate : order)
        by_id[candidate->id] = candidate;
    for (const auto& id : record.winners)
        allocation.grants.push_back({id, 1.0, by_id[id]->costs});
    for (const auto& grant : allocation.grants)
        allocation.objective += by_id[grant.id]->value;
    allocation.cells = cell_use(scenario, allocation.grants);
    allocation.binding = binding_budget_and_units(scenario, allocation.grants);
    allocation.solve_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return outcome;
}

LotteryVerification verify_lottery(const LotteryRecord& record) {
    LotteryVerification verification;
    auto differ = [&](std::string line) {
        verification.matches = false;
        verification.differences.push_back(std::move(line));
    };
    for (const auto& member : record.members) {
        auto hash = lottery_hash(record.seed, member.id);
        if (hash != member.hash)
            differ("hash of '" + member.id + "' is " + hash + ", the record says " + member.hash);
    }
    auto recomputed = record.members;
    for (auto& member : recomputed)
        member.hash = lottery_hash(record.seed, member.id);
    auto order = draw_order(recomputed);
    if (order != record.order)
        differ("order is " + list(order) + ", the record says " + list(record.order));
    auto winners = draw_winners(recomputed, order, record.available, record.slots);
    if (winners != record.winners)
        differ("winners are " + list(winners) + ", the record says " + list(record.winners));
    return verification;
}

LotteryVerification verify_lottery(const Scenario& scenario, const LotteryRecord& recorded) {
    LotteryVerification verification;
    auto rerun = run_lottery(scenario).record;
    auto differ = [&](std::string line) {
        verification.matches = false;
        verification.differences.push_back(std::move(line));
    };
    if (rerun.seed != recorded.seed)
        differ("the scenario's seed differs from the record's");
    if (rerun.line_grants != recorded.line_grants)
        differ("funding line is " + std::to_string(rerun.line_grants) + ", the record says " +
               std::to_string(recorded.line_grants));
    if (rerun.slots != recorded.slots)
        differ("slots are " + std::to_string(rerun.slots) + ", the record says " +
               std::to_string(recorded.slots));
    if (rerun.available != recorded.available)
        differ("the money left for the draw differs from the record's");
    std::vector<std::string> members, recorded_members;
    for (const auto& member : rerun.members)
        members.push_back(member.id);
    for (const auto& member : recorded.members)
        recorded_members.push_back(member.id);
    if (members != recorded_members)
        differ("lottery group is " + list(members) + ", the record says " + list(recorded_members));
    else if (rerun.members != recorded.members)
        differ("a group member's requests or hash differ from the record's");
    if (rerun.order != recorded.order)
        differ("order is " + list(rerun.order) + ", the record says " + list(recorded.order));
    if (rerun.winners != recorded.winners)
        differ("winners are " + list(rerun.winners) + ", the record says " +
               list(recorded.winners));
    auto own = verify_lottery(recorded);
    for (auto& line : own.differences)
        differ("in the record: " + line);
    return verification;
}

} // namespace spire::allocation
