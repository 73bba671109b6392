#pragma once

// The allocation pages' use cases (issue 7 §1, §2): saved scenarios of a
// call, or of several calls of one programme, each shown with the three
// methods side by side, the grey-zone lottery's seed and recorded draw, and
// the scenario as the self-contained file `spire allocate` reads.
//
// A saved scenario holds only the fund manager's choices
// (allocation/settings.hpp). Its candidates and budgets are read afresh
// every time, so a scenario follows the ranking and the ledger:
//   - candidates: the call's ranked applications (review/ranking_service.hpp)
//     that have at least one review, are not decided yet (a decided grant is
//     in the ledger already: funding it again would count it twice) and ask
//     the fund for money. Ranks stay those of the whole call, so after some
//     decisions a lottery's funding line counts from the top of the call.
//     Value: the
//     calibrated quality, or quality × the request in thousands of kroner.
//     Rank: the expected rank and the 50 % rank interval (widened to hold the
//     expected rank, which a skewed posterior can leave just outside).
//     Cost: the request (financing source "fund") spread over the years in
//     proportion to the budget lines of each year, in the call's programme;
//     the øre a proportional split leaves over go to the last year, so the
//     costs add up to the request exactly.
//   - budgets: what is available now in the ledger per year × programme of
//     the call's fund (never below zero), plus an empty cell for any year a
//     request reaches outside the fund's period.
//
// Several calls of one programme (the main call owns the scenario and its
// URLs; the others are its extra calls, settings.extra_calls):
//   - candidates: those of every call. Each call's ranking is a separate
//     model, so ranks are not comparable across calls, but the calibrated
//     quality is: every call of a programme is scored on the call's scale
//     and the model takes out each reviewer's leniency. So the candidates
//     are ordered by quality (best first, ties by reference), and the rank
//     the methods see is the place in that order (an interval of width
//     zero). The optimiser maximises the value as for one call; the
//     payline funds in that order.
//   - the grey-zone lottery is refused (Conflict, LOTTERY_ONE_CALL): its
//     group is the applications whose 50 % rank interval crosses the funding
//     line, and there is no rank interval across two rankings. Inventing one
//     (from quality intervals, say) would be a new method, not the SNSF one.
//   - budgets: the calls share the programme's ledger cells, so the fund's
//     cells are read once, never once per call.
// A scenario of one call is exactly as before.
//
// The web page and the exported file run the same Scenario through the same
// allocate() (allocation/allocate.hpp), so they give identical results
// (tests/integration/allocation_pages_test.cpp proves it).
//
// Solved once per input: the page and outcome() keep each method's result
// in memory under the SHA-256 of the built Scenario's file JSON
// (write_scenario: candidates, values, ranks, costs, budgets, constraints,
// method, seed), so a view with unchanged inputs does not run the CBC
// optimiser (up to WEB_MAX_SECONDS) again, and any change in the ranking,
// the ledger or the settings makes another key and solves afresh. The key
// is the whole input, so no stale result can be served; what is kept is
// the run itself (no JSON round trip, whose doubles Boost.JSON 1.81 does
// not always read back exactly). Kept per process and bounded
// (SOLVED_RUNS_KEPT): a restart solves once more.

#include "allocation/allocate.hpp"
#include "allocation/proposed.hpp"
#include "allocation/settings.hpp"
#include "allocation/store.hpp"
#include "calls/model.hpp"
#include "core/time.hpp"
#include "identity/service.hpp"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace spire::db {
class Database;
}
namespace spire::review {
class RankingService;
}

namespace spire::allocation {

using identity::Actor;

// One ranked application as a scenario sees it.
struct CandidateInfo {
    Id application_id = 0;
    Id call_id = 0;
    std::string reference;
    std::string title;
    Id unit_id = 0;
    std::string unit_name;
    std::optional<double> quality;
    double expected_rank = 0;
    int rank_low = 0; // 50 % interval
    int rank_high = 0;
    std::vector<std::string> threshold_failures; // criterion names
    Ore requested_ore = 0;
    std::vector<CellAmount> costs; // programme = the programme's id as text
    std::vector<std::string> themes;
};

// A ranked application that cannot take part, and why (a msgid).
struct LeftOut {
    Id application_id = 0;
    std::string reference;
    std::string title;
    std::string reason;
};

struct CallInputs {
    calls::Call call;               // the main call
    std::vector<calls::Call> calls; // the scenario's calls, the main call first
    bool several_calls() const { return calls.size() > 1; }
    bool ranked = false;                   // the ranking model ran on at least one review
    std::vector<CandidateInfo> candidates; // by expected rank; several calls: by quality
    std::vector<LeftOut> left_out;
    std::vector<CellAmount> budgets;                    // available now, >= 0
    std::map<std::string, std::string> programme_names; // id as text -> name
    std::vector<std::pair<Id, std::string>> programmes; // the fund's, in order
    std::vector<std::string> themes;                    // of the candidates, sorted
};

// The request spread over the years of the budget (see above); empty when
// the budget has no money in any year and there is no start year.
std::vector<CellAmount> split_request(Ore requested, const std::map<int, Ore>& budget_by_year,
                                      std::optional<int> start_year, const std::string& programme);

// The Scenario the methods run on. Pure: the same inputs, settings, method
// and seed always give the same scenario.
Scenario build_scenario(const CallInputs& inputs, const ScenarioSettings& settings, Method method,
                        const std::optional<std::string>& seed);

// The optimiser's limits for scenarios from the web: a page cannot wait a
// minute (the CLI's file states them too, so both run alike).
inline constexpr double WEB_MAX_SECONDS = 20;

// Results kept in memory (see above): a few scenarios' three methods.
inline constexpr std::size_t SOLVED_RUNS_KEPT = 48;

struct AllocationOptions {
    std::function<TimePoint()> now = [] { return Clock::now(); };
    // Called each time a method really runs (not read from memory): tests
    // count solves with it.
    std::function<void(Method)> on_solve;
};

struct ScenarioList {
    calls::Call call;
    bool may_manage = false;
    // Newest first: the call's own and those it is an extra call of (their
    // pages are under their main call).
    std::vector<store::SavedScenario> scenarios;
    std::map<Id, std::string> call_titles;              // the fund's calls
    std::set<Id> drawn;                                 // scenarios with a recorded draw
    std::map<std::string, std::string> programme_names; // id as text -> name
};

struct NewScenario {
    calls::Call call;
    CallInputs inputs; // of the call alone
    // The other calls of the programme the scenario may take in: same
    // organisation and programme, ranked, and the user may manage them.
    std::vector<calls::Call> other_calls;
};

struct ScenarioPage {
    calls::Call call;
    bool may_manage = false;
    store::SavedScenario scenario;
    CallInputs inputs;
    Result<AllocationRun> optimal;
    Result<AllocationRun> payline;
    // After the draw: the lottery on today's data with the published seed,
    // the recorded draw, and whether today's data still gives that draw.
    std::optional<Result<AllocationRun>> lottery;
    std::optional<store::RecordedDraw> draw;
    std::optional<LotteryRecord> record;
    std::optional<LotteryVerification> verification;
};

struct ScenarioOutcome {
    Id scenario_id = 0;
    std::string scenario_name;
    std::vector<Id> call_ids; // the scenario's calls, the main call first
    Method method = Method::Optimal;
    SolveStatus status = SolveStatus::Optimal;
    std::string message;
    std::vector<ProposedGrant> grants; // in the method's order

    // The call that owns the scenario (0 while there are no calls).
    Id main_call_id() const { return call_ids.empty() ? 0 : call_ids.front(); }
};

class AllocationService {
public:
    AllocationService(std::shared_ptr<db::Database> database,
                      std::shared_ptr<review::RankingService> ranking,
                      AllocationOptions options = {});

    Result<ScenarioList> scenarios(const Actor& actor, Id call_id);
    // What the "new scenario" form chooses from (fund managers only).
    Result<NewScenario> new_scenario(const Actor& actor, Id call_id);
    Result<Id> create_scenario(const Actor& actor, Id call_id, const ScenarioTyped& typed);

    // The scenario with its three methods. call_id must be the scenario's
    // call (NotFound otherwise: paths cannot mix calls).
    Result<ScenarioPage> scenario(const Actor& actor, Id call_id, Id scenario_id);

    // The scenario as the file `spire allocate` reads (scenario_file.hpp),
    // for `method`. The lottery needs the published seed.
    Result<std::string> scenario_file(const Actor& actor, Id call_id, Id scenario_id,
                                      Method method);
    // The recorded draw (spire-lottery-record/1), for `spire lottery verify`.
    Result<std::string> draw_record_file(const Actor& actor, Id call_id, Id scenario_id);

    // Announces the seed; once only (Conflict after that).
    Result<void> publish_seed(const Actor& actor, Id call_id, Id scenario_id,
                              std::string_view seed);
    // Draws with the published seed and records the draw. Refused: without a
    // published seed (Invalid), with `seed` other than the published one,
    // or when the scenario's draw is already recorded (Conflict).
    Result<LotteryRecord> draw(const Actor& actor, Id call_id, Id scenario_id,
                               const std::optional<std::string>& seed);

    // Per application, what `method` grants per year × programme. The
    // lottery's outcome is its recorded draw, and only while today's data
    // still gives that draw (Conflict otherwise, and before the draw).
    Result<ScenarioOutcome> outcome(const Actor& actor, Id scenario_id, Method method);

private:
    struct Loaded;
    struct FormBasis;
    Result<Loaded> load(const Actor& actor, std::optional<Id> call_id, Id scenario_id, bool manage);
    Result<FormBasis> form_basis(const Actor& actor, Id call_id);
    Result<CallInputs> inputs(const std::vector<calls::Call>& calls);
    // allocate(scenario), or its result kept from an earlier call.
    Result<AllocationRun> solve(const Scenario& scenario);
    std::string now_text() const;

    std::shared_ptr<db::Database> m_database;
    std::shared_ptr<review::RankingService> m_ranking;
    AllocationOptions m_options;
    struct SolvedRuns;
    std::shared_ptr<SolvedRuns> m_solved;
};

namespace message {
inline constexpr const char* NO_REVIEWS = "No submitted review yet.";
inline constexpr const char* NO_REQUEST = "Asks the fund for no money.";
inline constexpr const char* ALREADY_DECIDED =
    "Already decided: a grant it was given is in the ledger already.";
inline constexpr const char* NO_BUDGET_YEARS = "Its budget has no money in any year.";
inline constexpr const char* SEED_ALREADY_PUBLISHED =
    "The seed is already published and cannot be changed.";
inline constexpr const char* SEED_NOT_PUBLISHED =
    "A lottery needs a published seed: publish the seed before the draw.";
inline constexpr const char* ALREADY_DRAWN =
    "The lottery has already been drawn and recorded. It cannot be drawn again, with this seed "
    "or another.";
inline constexpr const char* OTHER_SEED =
    "The seed does not match the published seed. A lottery is drawn only with the seed that was "
    "published before the draw.";
inline constexpr const char* NOT_DRAWN = "The lottery has not been drawn yet.";
inline constexpr const char* DATA_CHANGED_SINCE_DRAW =
    "The ranking or the budget has changed since the draw, so the recorded draw no longer "
    "matches. Make a new scenario to draw again.";
inline constexpr const char* SCENARIO_INVALID =
    "The scenario could not be built from the call's data.";
inline constexpr const char* LOTTERY_ONE_CALL =
    "The grey-zone lottery needs the rank intervals of one call's ranking, and ranks from "
    "different calls cannot be compared. Make a scenario for one call to draw lots.";
inline constexpr const char* PERSON_ONLY = "Only a person can do this.";
} // namespace message

} // namespace spire::allocation
