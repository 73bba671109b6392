#pragma once

// Partial randomisation in the grey zone (DESIGN.md §6; the SNSF's method,
// Heyard et al. 2022): the ranking model gives each application a 50 %
// credible interval of its rank, and where that interval crosses the
// funding line the ranking cannot tell the applications apart. Those are
// drawn by lot, with a seed announced before the draw, so anyone can re-run
// it.
//
// The funding line L is a rank: "ranks 1..L would be funded". It is
// LotterySettings::line_grants, or else the number of grants the payline
// makes on the same scenario. Then, over the eligible candidates:
//   - locked yes: funded first;
//   - clearly above (interval's worst end `high` <= L): funded, in rank
//     order, each when it fits the money left (the payline rule);
//   - clearly below (interval's best end `low` > L): not funded;
//   - the rest form the lottery group. slots = L − the grants above, at least
//     0. The group is ordered by HMAC-SHA256(key, id), lower-case hex,
//     ascending (ties, which need a hash collision, by id), with
//     key = SHA-256(seed as UTF-8 bytes) and the message the id's UTF-8
//     bytes. Walking that order, a member wins when it fits the money left in
//     every cell it asks from, until `slots` members have won.
// Unit caps and share limits are not applied (the optimiser is the method
// for those); whole requests only.
//
// The record holds everything the draw used – seed, line, slots, the money
// left per cell, each member's requests and hash, the order and the winners
// – so verify_lottery() can re-run the draw from the record alone.

#include "allocation/model.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace spire::allocation {

struct LotteryMember {
    std::string id;
    std::vector<CellAmount> costs;
    std::string hash; // lower-case hex HMAC-SHA256, 64 characters
    bool operator==(const LotteryMember&) const = default;
};

struct LotteryRecord {
    std::string seed;
    int line_grants = 0;                // the funding line L
    int slots = 0;                      // how many members the draw may fund
    std::vector<CellAmount> available;  // money left per cell for the draw
    std::vector<LotteryMember> members; // the group, in rank order
    std::vector<std::string> order;     // member ids by hash
    std::vector<std::string> winners;   // in draw order
    bool operator==(const LotteryRecord&) const = default;
};

struct LotteryOutcome {
    Allocation allocation; // locked yes, clearly above, then the winners
    LotteryRecord record;
    std::vector<std::string> clearly_above; // funded without the draw (not locked)
    std::vector<std::string> clearly_below;
};

// HMAC-SHA256 of `id` keyed with SHA-256(seed), as lower-case hex.
std::string lottery_hash(std::string_view seed, std::string_view id);

// Expects a valid scenario with lottery settings (validate()). Infeasible
// only when the locked-yes candidates alone break a budget cell.
LotteryOutcome run_lottery(const Scenario& scenario);

struct LotteryVerification {
    bool matches = true;
    std::vector<std::string> differences; // one line each, for people
};

// Re-runs the draw from the record: each member's hash from the seed, the
// order, the winners from the order, `available` and `slots`.
LotteryVerification verify_lottery(const LotteryRecord& record);

// Re-runs the whole lottery on `scenario` and compares its record with
// `recorded` (then verifies `recorded` itself as above).
LotteryVerification verify_lottery(const Scenario& scenario, const LotteryRecord& recorded);

} // namespace spire::allocation
