#pragma once

// Allocation scenarios (DESIGN.md §6, issue #7): plain structs and pure rules;
// no I/O. A Scenario is everything one allocation run needs – the candidates,
// the remaining budget per year × programme, the constraints and the method –
// so the same scenario always gives the same result, whether it came from the
// database or from a file (allocation/scenario_file.hpp).
//
// The methods:
//   - Payline (allocation/payline.hpp): fund in rank order, skip what does not
//     fit;
//   - Optimal (allocation/optimiser.hpp): the portfolio with the largest total
//     value, a mixed-integer programme solved with COIN-OR CBC;
//   - Lottery (allocation/lottery.hpp): the SNSF grey zone – applications whose
//     rank interval crosses the payline's funding line are drawn by a keyed
//     hash of a seed announced beforehand.
//
// Money is integer øre everywhere in the interface; only the optimiser works
// in floating point, internally, and checks its rounded result against the
// budgets.

#include "core/error.hpp"
#include "core/money.hpp"

#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spire::allocation {

// --- Input ------------------------------------------------------------------------

// One year × programme budget cell. Programmes are named by a key the caller
// chooses (the programme id as text, or its kind key); the scenario only
// needs them to match between budgets, costs and share limits.
struct Cell {
    int year = 0;
    std::string programme;
    auto operator<=>(const Cell&) const = default;
};

std::string cell_name(const Cell& cell); // "2024/risk_capital"

struct CellAmount {
    Cell cell;
    Ore amount = 0;
    bool operator==(const CellAmount&) const = default;
};

// A decision already taken by the council, or none yet.
enum class Lock { Free, Yes, No };
std::string_view lock_key(Lock lock); // "free", "yes", "no"
std::optional<Lock> parse_lock(std::string_view key);

// From the ranking model (DESIGN.md §5): ranks count from 1 = best.
struct RankInfo {
    double expected = 0; // posterior expected rank
    double low = 0;      // 50 % credible interval of the rank: best end ...
    double high = 0;     // ... and worst end (low <= expected <= high)
    bool operator==(const RankInfo&) const = default;
};

struct Candidate {
    std::string id; // application id; also what the lottery hashes
    // What funding the whole request is worth: the caller decides (calibrated
    // quality, or quality × amount). Any finite number.
    double value = 0;
    std::vector<CellAmount> costs; // requested øre per year × programme, each > 0
    std::string unit;              // applying unit, for the grants-per-unit cap
    std::vector<std::string> themes;
    Lock lock = Lock::Free;
    bool below_threshold = false; // failed a criterion's minimum: never funded
    std::optional<RankInfo> rank;
    bool operator==(const Candidate&) const = default;

    Ore total_cost() const;
    Ore cost_in(const Cell& cell) const;
    Ore cost_in_programme(std::string_view programme) const;
    bool has_theme(std::string_view theme) const;
    // Neither locked no nor below a threshold.
    bool eligible() const { return lock != Lock::No && !below_threshold; }
};

// A minimum and/or maximum share of the portfolio's money (the sum of all
// granted øre) going to one programme or to candidates with one theme.
enum class ShareTarget { Programme, Theme };
std::string_view share_target_key(ShareTarget target); // "programme", "theme"

struct ShareLimit {
    ShareTarget target = ShareTarget::Programme;
    std::string name;          // the programme key or the theme
    std::optional<double> min; // in [0, 1]
    std::optional<double> max; // in [0, 1], >= min
    bool operator==(const ShareLimit&) const = default;
};
std::string share_limit_name(const ShareLimit& limit); // "theme climate"

struct PartialFunding {
    // A funded candidate gets a fraction f of its request with
    // min_share <= f <= 1, the same fraction in every cell. In (0, 1].
    double min_share = 1;
    bool operator==(const PartialFunding&) const = default;
};

struct Constraints {
    std::vector<ShareLimit> share_limits;
    std::optional<PartialFunding> partial_funding;
    std::optional<int> max_grants_per_unit; // >= 1
    bool operator==(const Constraints&) const = default;
};

enum class Method { Optimal, Payline, Lottery };
std::string_view method_key(Method method); // "optimal", "payline", "lottery"
std::optional<Method> parse_method(std::string_view key);
std::string_view method_label(Method method); // msgid

struct LotterySettings {
    // Announced before the draw; the draw is a function of it.
    std::string seed;
    // Where the funding line is: "ranks 1..line_grants would be funded".
    // Without it, the number of grants the payline makes.
    std::optional<int> line_grants;
    bool operator==(const LotterySettings&) const = default;
};

struct OptimiserSettings {
    double relative_gap = 1e-4; // stop when proven within 0.01 % of the optimum
    double max_seconds = 60;
    bool operator==(const OptimiserSettings&) const = default;
};

struct Scenario {
    std::vector<Candidate> candidates;
    std::vector<CellAmount> budgets; // remaining money per cell, each >= 0
    Constraints constraints;
    Method method = Method::Optimal;
    std::optional<LotterySettings> lottery; // required for Method::Lottery
    OptimiserSettings optimiser;
    bool operator==(const Scenario&) const = default;

    // The budget of `cell`; nullopt when the scenario has none for it.
    std::optional<Ore> budget(const Cell& cell) const;
};

// --- Limits (a scenario comes from a file or a form: untrusted) ---------------------

inline constexpr std::size_t MAX_CANDIDATES = 100'000;
inline constexpr std::size_t MAX_CELLS = 1'000;
inline constexpr std::size_t MAX_COSTS_PER_CANDIDATE = 100;
inline constexpr std::size_t MAX_THEMES_PER_CANDIDATE = 50;
inline constexpr std::size_t MAX_SHARE_LIMITS = 200;
inline constexpr std::size_t MAX_NAME_BYTES = 200; // ids, units, programmes, themes
inline constexpr std::size_t MAX_SEED_BYTES = 1'000;
inline constexpr int MIN_YEAR = 1900;
inline constexpr int MAX_YEAR = 2200;
// A cell's budget or a request above a hundred billion kroner is a typo;
// the bound also keeps every sum far from overflowing int64.
inline constexpr Ore MAX_AMOUNT_ORE = 10'000'000'000'000LL;
inline constexpr double MAX_OPTIMISER_SECONDS = 3'600;

// Every rule a scenario must meet before any method runs: Invalid with one
// field error per problem found (field = a JSON-pointer-like path such as
// "candidates/3/costs/0/amount_ore"), or nullopt when it is valid.
std::optional<Error> validate(const Scenario& scenario);

// --- Output -------------------------------------------------------------------------

struct Grant {
    std::string id;
    double fraction = 1;             // of the request; 1 unless partial funding applies
    std::vector<CellAmount> amounts; // granted øre per cell (rounded down)
    Ore total() const;
};

enum class SolveStatus {
    Optimal,    // proven within the relative gap
    Feasible,   // a solution, stopped before the gap was proven (node limit)
    TimeLimit,  // a solution, stopped by the time limit
    NoSolution, // time limit before any solution was found
    Infeasible, // no portfolio meets the constraints: see `message`
};
std::string_view solve_status_key(SolveStatus status); // "optimal", "time_limit", ...

// A constraint that limits the result: without it the portfolio could be
// worth more (a budget cell or unit cap that stops a candidate from being
// funded; a share limit at its bound).
struct BindingConstraint {
    std::string kind; // "budget", "unit_cap", "share_min", "share_max"
    std::string name; // "2024/risk_capital", "unit school-7", "theme climate"
    std::string detail;
};

struct CellUse {
    Cell cell;
    Ore budget = 0;
    Ore used = 0;
};

struct Allocation {
    Method method = Method::Optimal;
    SolveStatus status = SolveStatus::Optimal;
    std::string message;               // why infeasible, or notes; empty when none
    std::vector<std::string> culprits; // Infeasible: the constraints to blame
    std::vector<Grant> grants;         // in the method's order
    double objective = 0;              // Σ value · fraction of the grants
    std::optional<double> best_bound;  // optimiser: proven upper bound
    std::optional<double> proven_gap;  // (bound − objective) / |objective|
    double solve_seconds = 0;
    std::vector<CellUse> cells;
    std::vector<BindingConstraint> binding;

    Ore total() const;
    const Grant* find(std::string_view id) const;
};

// Why no portfolio can meet the scenario's constraints: a message naming the
// constraint and the constraints to blame ("budget 2024/risk_capital").
struct Infeasibility {
    std::string message;
    std::vector<std::string> culprits;
};

// What the locked-yes candidates alone break, checked by every method
// before it starts: more money in a cell than its budget, more grants in a
// unit than the cap. nullopt when they fit.
std::optional<Infeasibility> locked_conflict(const Scenario& scenario);

// An allocation that stops at `why`.
Allocation infeasible(Method method, Infeasibility why);

// The use of every budget cell by `grants`.
std::vector<CellUse> cell_use(const Scenario& scenario, const std::vector<Grant>& grants);

// Budget cells that stop a further eligible candidate from being funded in
// full (its extra need in the cell exceeds what is left), and units at their
// cap with an eligible candidate left out. Shared by the methods so they
// report binding constraints alike.
std::vector<BindingConstraint> binding_budget_and_units(const Scenario& scenario,
                                                        const std::vector<Grant>& grants);

} // namespace spire::allocation
