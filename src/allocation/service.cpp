#include "allocation/service.hpp"

#include "allocation/policy.hpp"
#include "allocation/scenario_file.hpp"
#include "calls/store.hpp"
#include "core/crypto.hpp"
#include "core/text.hpp"
#include "db/database.hpp"
#include "funds/ledger.hpp"
#include "funds/store.hpp"
#include "identity/audit_service.hpp"
#include "review/ranking_service.hpp"
#include "review/ranking_store.hpp"

#include <algorithm>
#include <deque>
#include <mutex>
#include <soci/soci.h>
#include <stdexcept>

namespace spire::allocation {

namespace {

constexpr double ORE_PER_THOUSAND_KRONER = 100'000.0;

// For requested × amount, each below 2^63 (GCC and Clang have it; the
// standard has no 128-bit integer).
__extension__ typedef __int128 Wide;

std::string programme_key(Id programme_id) {
    return std::to_string(programme_id);
}

// What a scenario needs from one read: the fund's budget (once, however
// many calls share it) and the applications' money of every call.
struct Snapshot {
    funds::BudgetSummary budget;
    std::map<Id, store::ApplicationMoney> money;
};

// Authorises `actor` for the scenarios of `call` (View, or Manage when
// `manage`) that also take in `extra_calls`; whether the actor may also
// manage. A conflict in any of the calls disqualifies (allocation/policy.hpp):
// the scenario weighs all their applications against each other.
Result<bool> authorize_call(soci::session& sql, const Actor& actor, const calls::Call& call,
                            bool manage, const std::vector<Id>& extra_calls = {}) {
    if (actor.is_system)
        return true;
    ScenarioResource resource{call.organisation_id, call.fund_id, false};
    if (actor.principal && actor.principal->organisation_id == call.organisation_id) {
        std::vector<Id> all{call.id};
        all.insert(all.end(), extra_calls.begin(), extra_calls.end());
        resource.user_has_conflict = std::any_of(all.begin(), all.end(), [&](Id id) {
            return !review::ranking_store::conflicted_applications(sql, id,
                                                                   actor.principal->user_id)
                        .empty();
        });
    }
    auto decision = authorize_scenario(
        actor.principal, manage ? ScenarioAction::Manage : ScenarioAction::View, resource);
    if (!decision)
        return tl::unexpected(decision.to_error());
    return static_cast<bool>(authorize_scenario(actor.principal, ScenarioAction::Manage, resource));
}

Result<calls::Call> find_call(soci::session& sql, Id call_id) {
    auto call = calls::store::find_call(sql, call_id);
    if (!call)
        return tl::unexpected(Error::not_found());
    return *call;
}

// The calls are of one fund (one programme), so its cells are read once.
Snapshot read_money(soci::session& sql, const std::vector<calls::Call>& calls) {
    Snapshot snapshot;
    auto fund = funds::store::find_fund(sql, calls.front().fund_id);
    if (!fund)
        throw std::logic_error("a call's fund is missing");
    snapshot.budget = funds::make_summary(*fund, funds::store::list_programmes(sql, fund->id),
                                          funds::fold(funds::store::bucket_sums(sql, fund->id)));
    for (const auto& call : calls)
        snapshot.money.merge(store::application_money(sql, call.id));
    return snapshot;
}

// The scenario's calls, the main call first. An extra call that is gone or
// left the programme is a broken scenario, not a smaller one.
Result<std::vector<calls::Call>> find_calls(soci::session& sql, const calls::Call& main,
                                            const std::vector<Id>& extra_calls) {
    std::vector<calls::Call> calls{main};
    for (Id id : extra_calls) {
        auto call = calls::store::find_call(sql, id);
        if (!call || call->organisation_id != main.organisation_id ||
            call->programme_id != main.programme_id)
            return tl::unexpected(Error::conflict(message::SCENARIO_INVALID));
        calls.push_back(std::move(*call));
    }
    return calls;
}

// Several calls: best quality first, ties by reference (see service.hpp).
void order_by_quality(std::vector<CandidateInfo>& candidates) {
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const CandidateInfo& a, const CandidateInfo& b) {
                         const double qa = a.quality.value_or(0), qb = b.quality.value_or(0);
                         if (qa != qb)
                             return qa > qb;
                         return a.reference < b.reference;
                     });
}

Result<void> need_person(const Actor& actor) {
    if (actor.principal == nullptr)
        return tl::unexpected(Error::forbidden(message::PERSON_ONLY));
    return {};
}

std::vector<CellAmount> budgets_of(const funds::BudgetSummary& budget) {
    std::vector<CellAmount> cells;
    for (const auto& [cell, balance] : budget.cells) {
        if (!budget.fund.has_year(cell.year))
            continue;
        cells.push_back(
            {{cell.year, programme_key(cell.programme_id)}, std::max<Ore>(0, balance.available())});
    }
    return cells;
}

// Several calls: the place in the quality order, without an interval.
RankInfo place_of(std::size_t index) {
    const double place = static_cast<double>(index + 1);
    return RankInfo{place, place, place};
}

RankInfo rank_of(const CandidateInfo& candidate) {
    RankInfo rank;
    rank.expected = candidate.expected_rank;
    rank.low = std::min<double>(candidate.rank_low, candidate.expected_rank);
    rank.high = std::max<double>(candidate.rank_high, candidate.expected_rank);
    return rank;
}

double value_of(const CandidateInfo& candidate, ValueKind kind) {
    const double quality = candidate.quality.value_or(0);
    if (kind == ValueKind::Quality)
        return quality;
    return quality * static_cast<double>(candidate.requested_ore) / ORE_PER_THOUSAND_KRONER;
}

ProposedGrant proposed(const Grant& grant, const std::map<Id, Id>& call_of) {
    ProposedGrant out;
    out.application_id = parse_digits(grant.id).value_or(0);
    if (auto found = call_of.find(out.application_id); found != call_of.end())
        out.call_id = found->second;
    out.fraction = grant.fraction;
    for (const auto& amount : grant.amounts)
        out.amounts.push_back(
            {amount.cell.year, parse_digits(amount.cell.programme).value_or(0), amount.amount});
    return out;
}

identity::AuditEvent event(const Actor& actor, Id organisation_id, std::string action,
                           Id scenario_id, std::string summary) {
    return identity::audit_event(actor, organisation_id, std::move(action), "allocation_scenario",
                                 std::to_string(scenario_id), std::move(summary));
}

} // namespace

std::vector<CellAmount> split_request(Ore requested, const std::map<int, Ore>& budget_by_year,
                                      std::optional<int> start_year, const std::string& programme) {
    std::vector<CellAmount> costs;
    if (requested <= 0)
        return costs;
    Wide total = 0;
    for (const auto& [year, amount] : budget_by_year)
        total += std::max<Ore>(0, amount);
    if (total == 0) {
        if (start_year)
            costs.push_back({{*start_year, programme}, requested});
        return costs;
    }
    Ore given = 0;
    for (const auto& [year, amount] : budget_by_year) {
        if (amount <= 0)
            continue;
        // Exact in 128 bits: requested and amount are each below 2^63.
        Ore share = static_cast<Ore>(static_cast<Wide>(requested) * amount / total);
        costs.push_back({{year, programme}, share});
        given += share;
    }
    costs.back().amount += requested - given;
    std::erase_if(costs, [](const CellAmount& cost) { return cost.amount <= 0; });
    return costs;
}

namespace {

// The ranked rows of one call that can take part, in the ranking's order;
// the others with the reason.
void add_candidates(CallInputs& inputs, Id call_id, const review::CallRanking& ranking,
                    const std::map<Id, store::ApplicationMoney>& money_by_id,
                    std::set<std::string>& themes) {
    for (const auto& row : ranking.rows) {
        const auto& application = row.application;
        auto money = money_by_id.find(application.id);
        auto leave_out = [&](const char* reason) {
            inputs.left_out.push_back(
                {application.id, application.reference, application.title, reason});
        };
        if (row.ranking.review_count == 0 || !row.ranking.quality) {
            leave_out(message::NO_REVIEWS);
            continue;
        }
        if (money != money_by_id.end() && money->second.decided) {
            leave_out(message::ALREADY_DECIDED);
            continue;
        }
        if (money == money_by_id.end() || money->second.requested_ore <= 0) {
            leave_out(message::NO_REQUEST);
            continue;
        }
        CandidateInfo info;
        info.application_id = application.id;
        info.call_id = call_id;
        info.reference = application.reference;
        info.title = application.title;
        info.unit_id = money->second.unit_id;
        info.unit_name = application.unit_name;
        info.quality = row.ranking.quality;
        info.expected_rank = row.ranking.expected_rank;
        info.rank_low = row.ranking.rank_50.lower;
        info.rank_high = row.ranking.rank_50.upper;
        info.threshold_failures = row.threshold_failures;
        info.requested_ore = money->second.requested_ore;
        info.costs =
            split_request(info.requested_ore, money->second.budget_by_year,
                          money->second.start_year, programme_key(money->second.programme_id));
        if (info.costs.empty()) {
            leave_out(message::NO_BUDGET_YEARS);
            continue;
        }
        info.themes = money->second.themes;
        themes.insert(info.themes.begin(), info.themes.end());
        inputs.candidates.push_back(std::move(info));
    }
}

} // namespace

Scenario build_scenario(const CallInputs& inputs, const ScenarioSettings& settings, Method method,
                        const std::optional<std::string>& seed) {
    Scenario scenario;
    scenario.method = method;
    scenario.budgets = inputs.budgets;
    for (std::size_t index = 0; index < inputs.candidates.size(); ++index) {
        const CandidateInfo& info = inputs.candidates[index];
        Candidate candidate;
        candidate.id = std::to_string(info.application_id);
        candidate.value = value_of(info, settings.value);
        candidate.costs = info.costs;
        candidate.unit = std::to_string(info.unit_id);
        candidate.themes = info.themes;
        candidate.below_threshold = !info.threshold_failures.empty();
        if (auto lock = settings.locks.find(info.application_id); lock != settings.locks.end())
            candidate.lock = lock->second;
        // A lock the form accepted before a threshold failure appeared.
        if (candidate.below_threshold && candidate.lock == Lock::Yes)
            candidate.lock = Lock::Free;
        candidate.rank = inputs.several_calls() ? place_of(index) : rank_of(info);
        for (const auto& cost : candidate.costs) {
            if (!scenario.budget(cost.cell))
                scenario.budgets.push_back({cost.cell, 0});
        }
        scenario.candidates.push_back(std::move(candidate));
    }
    for (const auto& limit : settings.share_limits) {
        ShareLimit out;
        out.target = limit.target;
        out.name = limit.name;
        if (limit.min_percent)
            out.min = *limit.min_percent / 100.0;
        if (limit.max_percent)
            out.max = *limit.max_percent / 100.0;
        scenario.constraints.share_limits.push_back(std::move(out));
    }
    if (settings.partial_min_percent)
        scenario.constraints.partial_funding =
            PartialFunding{*settings.partial_min_percent / 100.0};
    scenario.constraints.max_grants_per_unit = settings.max_grants_per_unit;
    if (seed)
        scenario.lottery = LotterySettings{*seed, std::nullopt};
    scenario.optimiser.max_seconds = WEB_MAX_SECONDS;
    return scenario;
}

struct AllocationService::Loaded {
    std::vector<calls::Call> calls; // the main call first
    bool may_manage = false;
    store::SavedScenario scenario;
    std::optional<store::RecordedDraw> draw;
    const calls::Call& call() const { return calls.front(); }
};

struct AllocationService::FormBasis {
    calls::Call call;
    std::vector<calls::Call> other_calls;
};

// Runs by the SHA-256 of their scenario's file, the oldest dropped first.
struct AllocationService::SolvedRuns {
    std::mutex mutex;
    std::map<std::string, std::shared_ptr<const AllocationRun>> runs;
    std::deque<std::string> order; // keys, oldest first

    std::shared_ptr<const AllocationRun> find(const std::string& key) {
        std::lock_guard lock(mutex);
        auto found = runs.find(key);
        return found != runs.end() ? found->second : nullptr;
    }

    void keep(const std::string& key, std::shared_ptr<const AllocationRun> run) {
        std::lock_guard lock(mutex);
        if (!runs.emplace(key, std::move(run)).second)
            return; // solved twice at once: either result will do
        order.push_back(key);
        if (order.size() > SOLVED_RUNS_KEPT) {
            runs.erase(order.front());
            order.pop_front();
        }
    }
};

AllocationService::AllocationService(std::shared_ptr<db::Database> database,
                                     std::shared_ptr<review::RankingService> ranking,
                                     AllocationOptions options)
    : m_database(std::move(database)), m_ranking(std::move(ranking)), m_options(std::move(options)),
      m_solved(std::make_shared<SolvedRuns>()) {}

Result<AllocationRun> AllocationService::solve(const Scenario& scenario) {
    const std::string key = sha256_hex(write_scenario(scenario));
    if (auto kept = m_solved->find(key))
        return *kept;
    if (m_options.on_solve)
        m_options.on_solve(scenario.method);
    auto run = allocate(scenario);
    // Only results: an invalid scenario is refused again, cheaply.
    if (run)
        m_solved->keep(key, std::make_shared<const AllocationRun>(*run));
    return run;
}

std::string AllocationService::now_text() const {
    return to_db_time(m_options.now());
}

Result<CallInputs> AllocationService::inputs(const std::vector<calls::Call>& calls) {
    CallInputs inputs;
    inputs.call = calls.front();
    inputs.calls = calls;
    // The snapshot was authorised by the caller; the rankings are read as
    // the system so that no row is left out (a disqualified user never gets
    // here, see allocation/policy.hpp).
    std::vector<review::CallRanking> rankings;
    for (const auto& call : calls) {
        auto ranking = m_ranking->ranking(Actor::system("allocation"), call.id);
        if (!ranking)
            return tl::unexpected(ranking.error());
        inputs.ranked = inputs.ranked || ranking->state == review::RankingPageState::Ranked;
        rankings.push_back(std::move(*ranking));
    }
    auto snapshot = m_database->read([&](soci::session& sql) { return read_money(sql, calls); });
    inputs.budgets = budgets_of(snapshot.budget);
    for (const auto& programme : snapshot.budget.programmes) {
        inputs.programme_names[programme_key(programme.id)] = programme.name;
        inputs.programmes.push_back({programme.id, programme.name});
    }
    std::set<std::string> themes;
    for (std::size_t c = 0; c < calls.size(); ++c)
        add_candidates(inputs, calls[c].id, rankings[c], snapshot.money, themes);
    if (inputs.several_calls())
        order_by_quality(inputs.candidates);
    inputs.themes.assign(themes.begin(), themes.end());
    return inputs;
}

Result<AllocationService::Loaded> AllocationService::load(const Actor& actor,
                                                          std::optional<Id> call_id, Id scenario_id,
                                                          bool manage) {
    return m_database->read([&](soci::session& sql) -> Result<Loaded> {
        auto scenario = store::find_scenario(sql, scenario_id);
        if (!scenario || (call_id && scenario->call_id != *call_id))
            return tl::unexpected(Error::not_found());
        auto call = find_call(sql, scenario->call_id);
        if (!call)
            return tl::unexpected(call.error());
        const auto& extra_calls = scenario->settings.extra_calls;
        auto may_manage = authorize_call(sql, actor, *call, manage, extra_calls);
        if (!may_manage)
            return tl::unexpected(may_manage.error());
        auto calls = find_calls(sql, *call, extra_calls);
        if (!calls)
            return tl::unexpected(calls.error());
        Loaded loaded;
        loaded.calls = std::move(*calls);
        loaded.may_manage = *may_manage;
        loaded.scenario = std::move(*scenario);
        loaded.draw = store::find_draw(sql, scenario_id);
        return loaded;
    });
}

Result<ScenarioList> AllocationService::scenarios(const Actor& actor, Id call_id) {
    return m_database->read([&](soci::session& sql) -> Result<ScenarioList> {
        auto call = find_call(sql, call_id);
        if (!call)
            return tl::unexpected(call.error());
        auto may_manage = authorize_call(sql, actor, *call, false);
        if (!may_manage)
            return tl::unexpected(may_manage.error());
        ScenarioList list;
        list.call = std::move(*call);
        list.may_manage = *may_manage;
        // A scenario that also takes in a call where the user declared a
        // conflict is not listed (its page refuses the user too). The
        // call's own one-call scenarios need no second look.
        for (auto& scenario : store::list_scenarios(sql, call_id)) {
            bool allowed = scenario.call_id == call_id && scenario.settings.extra_calls.empty();
            if (!allowed) {
                auto main = find_call(sql, scenario.call_id);
                allowed =
                    main && authorize_call(sql, actor, *main, false, scenario.settings.extra_calls);
            }
            if (allowed)
                list.scenarios.push_back(std::move(scenario));
        }
        for (Id id : store::drawn_scenarios(sql, call_id))
            list.drawn.insert(id);
        for (const auto& programme : funds::store::list_programmes(sql, list.call.fund_id))
            list.programme_names[programme_key(programme.id)] = programme.name;
        for (const auto& fund_call : calls::store::list_fund_calls(sql, list.call.fund_id))
            list.call_titles[fund_call.id] = fund_call.title;
        return list;
    });
}

Result<AllocationService::FormBasis> AllocationService::form_basis(const Actor& actor, Id call_id) {
    auto basis = m_database->read([&](soci::session& sql) -> Result<FormBasis> {
        auto call = find_call(sql, call_id);
        if (!call)
            return tl::unexpected(call.error());
        if (auto allowed = authorize_call(sql, actor, *call, true); !allowed)
            return tl::unexpected(allowed.error());
        FormBasis basis{std::move(*call), {}};
        for (auto& other : calls::store::list_fund_calls(sql, basis.call.fund_id)) {
            if (other.id == basis.call.id || other.organisation_id != basis.call.organisation_id ||
                other.programme_id != basis.call.programme_id)
                continue;
            if (authorize_call(sql, actor, basis.call, true, {other.id}))
                basis.other_calls.push_back(std::move(other));
        }
        return basis;
    });
    if (!basis)
        return basis;
    // Only calls with a ranking have candidates to offer.
    std::erase_if(basis->other_calls, [&](const calls::Call& other) {
        auto ranking = m_ranking->ranking(Actor::system("allocation"), other.id);
        return !ranking || ranking->state != review::RankingPageState::Ranked;
    });
    return basis;
}

Result<NewScenario> AllocationService::new_scenario(const Actor& actor, Id call_id) {
    auto basis = form_basis(actor, call_id);
    if (!basis)
        return tl::unexpected(basis.error());
    auto read = inputs({basis->call});
    if (!read)
        return tl::unexpected(read.error());
    return NewScenario{std::move(basis->call), std::move(*read), std::move(basis->other_calls)};
}

Result<Id> AllocationService::create_scenario(const Actor& actor, Id call_id,
                                              const ScenarioTyped& typed) {
    if (auto person = need_person(actor); !person)
        return tl::unexpected(person.error());
    auto basis = form_basis(actor, call_id);
    if (!basis)
        return tl::unexpected(basis.error());
    // The candidates of the main call and of every checked call the form
    // offered; a call it did not offer is refused by the form's rules below.
    std::vector<calls::Call> calls{basis->call};
    ScenarioChoices choices;
    for (const auto& other : basis->other_calls) {
        choices.calls.insert(other.id);
        const std::string id = std::to_string(other.id);
        if (std::find(typed.calls.begin(), typed.calls.end(), id) != typed.calls.end())
            calls.push_back(other);
    }
    auto read = inputs(calls);
    if (!read)
        return tl::unexpected(read.error());
    for (const auto& candidate : read->candidates) {
        choices.applications.insert(candidate.application_id);
        if (!candidate.threshold_failures.empty())
            choices.below_threshold.insert(candidate.application_id);
    }
    for (const auto& [id, name] : read->programmes)
        choices.programmes.insert(id);
    choices.themes.insert(read->themes.begin(), read->themes.end());
    auto settings = parse_scenario_form(typed, choices);
    if (!settings)
        return tl::unexpected(settings.error());
    const calls::Call& call = basis->call;
    return m_database->transact([&](soci::session& sql) -> Result<Id> {
        Id id = store::insert_scenario(sql, call.organisation_id, call.id, *settings,
                                       actor.principal->user_id, now_text());
        identity::record_audit(
            sql, m_database->engine(),
            event(actor, call.organisation_id, "allocation.scenario_create", id, settings->name));
        return id;
    });
}

Result<ScenarioPage> AllocationService::scenario(const Actor& actor, Id call_id, Id scenario_id) {
    auto loaded = load(actor, call_id, scenario_id, false);
    if (!loaded)
        return tl::unexpected(loaded.error());
    auto read = inputs(loaded->calls);
    if (!read)
        return tl::unexpected(read.error());
    const auto& settings = loaded->scenario.settings;
    const auto& seed = loaded->scenario.seed;
    ScenarioPage page;
    page.call = loaded->call();
    page.may_manage = loaded->may_manage;
    page.scenario = loaded->scenario;
    page.inputs = std::move(*read);
    page.draw = loaded->draw;
    page.optimal = solve(build_scenario(page.inputs, settings, Method::Optimal, seed));
    page.payline = solve(build_scenario(page.inputs, settings, Method::Payline, seed));
    if (loaded->draw) {
        const Scenario lottery = build_scenario(page.inputs, settings, Method::Lottery, seed);
        page.lottery = solve(lottery);
        if (auto record = parse_lottery_record(loaded->draw->record_json)) {
            page.verification = verify_lottery(lottery, *record);
            page.record = std::move(*record);
        }
    }
    return page;
}

Result<std::string> AllocationService::scenario_file(const Actor& actor, Id call_id, Id scenario_id,
                                                     Method method) {
    auto loaded = load(actor, call_id, scenario_id, false);
    if (!loaded)
        return tl::unexpected(loaded.error());
    if (method == Method::Lottery && loaded->calls.size() > 1)
        return tl::unexpected(Error::conflict(message::LOTTERY_ONE_CALL));
    if (method == Method::Lottery && !loaded->scenario.seed)
        return tl::unexpected(Error::conflict(message::SEED_NOT_PUBLISHED));
    auto read = inputs(loaded->calls);
    if (!read)
        return tl::unexpected(read.error());
    return write_scenario(
        build_scenario(*read, loaded->scenario.settings, method, loaded->scenario.seed));
}

Result<std::string> AllocationService::draw_record_file(const Actor& actor, Id call_id,
                                                        Id scenario_id) {
    auto loaded = load(actor, call_id, scenario_id, false);
    if (!loaded)
        return tl::unexpected(loaded.error());
    if (!loaded->draw)
        return tl::unexpected(Error::not_found(message::NOT_DRAWN));
    return loaded->draw->record_json;
}

Result<void> AllocationService::publish_seed(const Actor& actor, Id call_id, Id scenario_id,
                                             std::string_view typed) {
    if (auto person = need_person(actor); !person)
        return person;
    auto seed = parse_seed(typed);
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto scenario = store::find_scenario(sql, scenario_id);
        if (!scenario || scenario->call_id != call_id)
            return tl::unexpected(Error::not_found());
        auto call = find_call(sql, call_id);
        if (!call)
            return tl::unexpected(call.error());
        if (auto allowed = authorize_call(sql, actor, *call, true, scenario->settings.extra_calls);
            !allowed)
            return tl::unexpected(allowed.error());
        if (!scenario->settings.extra_calls.empty())
            return tl::unexpected(Error::conflict(message::LOTTERY_ONE_CALL));
        if (scenario->seed)
            return tl::unexpected(Error::conflict(message::SEED_ALREADY_PUBLISHED));
        if (!seed)
            return tl::unexpected(seed.error());
        if (!store::publish_seed(sql, scenario_id, *seed, actor.principal->user_id, now_text()))
            return tl::unexpected(Error::conflict(message::SEED_ALREADY_PUBLISHED));
        identity::record_audit(sql, m_database->engine(),
                               event(actor, call->organisation_id, "allocation.seed_publish",
                                     scenario_id, "seed " + *seed));
        return {};
    });
}

Result<LotteryRecord> AllocationService::draw(const Actor& actor, Id call_id, Id scenario_id,
                                              const std::optional<std::string>& seed) {
    if (auto person = need_person(actor); !person)
        return tl::unexpected(person.error());
    auto loaded = load(actor, call_id, scenario_id, true);
    if (!loaded)
        return tl::unexpected(loaded.error());
    const auto& published = loaded->scenario.seed;
    if (loaded->calls.size() > 1)
        return tl::unexpected(Error::conflict(message::LOTTERY_ONE_CALL));
    if (loaded->draw)
        return tl::unexpected(Error::conflict(message::ALREADY_DRAWN));
    if (!published)
        return tl::unexpected(Error::invalid(message::SEED_NOT_PUBLISHED));
    if (seed && *seed != *published)
        return tl::unexpected(Error::conflict(message::OTHER_SEED));
    auto read = inputs(loaded->calls);
    if (!read)
        return tl::unexpected(read.error());
    auto run =
        allocate(build_scenario(*read, loaded->scenario.settings, Method::Lottery, published));
    if (!run)
        return tl::unexpected(Error::invalid(message::SCENARIO_INVALID));
    if (run->allocation.status == SolveStatus::Infeasible || !run->lottery)
        return tl::unexpected(Error::conflict(run->allocation.message));
    const std::string record_json = write_lottery_record(*run->lottery);
    const Id organisation = loaded->call().organisation_id;
    auto recorded = m_database->transact([&](soci::session& sql) -> Result<void> {
        if (!store::insert_draw(sql, organisation, scenario_id, *published, record_json,
                                actor.principal->user_id, now_text()))
            return tl::unexpected(Error::conflict(message::ALREADY_DRAWN));
        identity::record_audit(sql, m_database->engine(),
                               event(actor, organisation, "allocation.lottery_draw", scenario_id,
                                     std::to_string(run->lottery->winners.size()) + " of " +
                                         std::to_string(run->lottery->members.size()) +
                                         " drawn, seed " + *published));
        return {};
    });
    if (!recorded)
        return tl::unexpected(recorded.error());
    return *run->lottery;
}

Result<ScenarioOutcome> AllocationService::outcome(const Actor& actor, Id scenario_id,
                                                   Method method) {
    auto loaded = load(actor, std::nullopt, scenario_id, false);
    if (!loaded)
        return tl::unexpected(loaded.error());
    if (method == Method::Lottery && loaded->calls.size() > 1)
        return tl::unexpected(Error::conflict(message::LOTTERY_ONE_CALL));
    if (method == Method::Lottery && !loaded->draw)
        return tl::unexpected(Error::conflict(message::NOT_DRAWN));
    auto read = inputs(loaded->calls);
    if (!read)
        return tl::unexpected(read.error());
    const Scenario scenario =
        build_scenario(*read, loaded->scenario.settings, method, loaded->scenario.seed);
    auto run = solve(scenario);
    if (!run)
        return tl::unexpected(Error::invalid(message::SCENARIO_INVALID));
    if (method == Method::Lottery) {
        auto record = parse_lottery_record(loaded->draw->record_json);
        if (!record || !verify_lottery(scenario, *record).matches)
            return tl::unexpected(Error::conflict(message::DATA_CHANGED_SINCE_DRAW));
    }
    ScenarioOutcome outcome;
    outcome.scenario_id = scenario_id;
    outcome.scenario_name = loaded->scenario.settings.name;
    std::map<Id, Id> call_of;
    for (const auto& call : loaded->calls)
        outcome.call_ids.push_back(call.id);
    for (const auto& candidate : read->candidates)
        call_of[candidate.application_id] = candidate.call_id;
    outcome.method = method;
    outcome.status = run->allocation.status;
    outcome.message = run->allocation.message;
    for (const auto& grant : run->allocation.grants)
        outcome.grants.push_back(proposed(grant, call_of));
    return outcome;
}

} // namespace spire::allocation
