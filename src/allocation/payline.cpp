#include "allocation/payline.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <unordered_map>

namespace spire::allocation {

namespace {

bool ranked_before(const Candidate* a, const Candidate* b) {
    if (a->rank.has_value() != b->rank.has_value())
        return a->rank.has_value();
    if (a->rank && a->rank->expected != b->rank->expected)
        return a->rank->expected < b->rank->expected;
    if (a->value != b->value)
        return a->value > b->value;
    return a->id < b->id;
}

// What is left of the budgets and unit caps while the payline walks.
class Remaining {
public:
    explicit Remaining(const Scenario& scenario) : m_cap(scenario.constraints.max_grants_per_unit) {
        for (const auto& budget : scenario.budgets)
            m_money[budget.cell] = budget.amount;
    }

    bool fits(const Candidate& candidate) {
        if (m_cap && !candidate.unit.empty() && m_grants[candidate.unit] >= *m_cap)
            return false;
        return std::all_of(
            candidate.costs.begin(), candidate.costs.end(),
            [&](const CellAmount& cost) { return cost.amount <= m_money[cost.cell]; });
    }

    void take(const Candidate& candidate) {
        for (const auto& cost : candidate.costs)
            m_money[cost.cell] -= cost.amount;
        if (!candidate.unit.empty())
            ++m_grants[candidate.unit];
    }

private:
    std::optional<int> m_cap;
    std::map<Cell, Ore> m_money;
    std::unordered_map<std::string_view, int> m_grants; // views of the scenario's units
};

Grant full_grant(const Candidate& candidate) {
    return {candidate.id, 1.0, candidate.costs};
}

} // namespace

std::vector<const Candidate*> rank_order(const Scenario& scenario) {
    std::vector<const Candidate*> order;
    for (const auto& candidate : scenario.candidates) {
        if (candidate.eligible())
            order.push_back(&candidate);
    }
    std::sort(order.begin(), order.end(), ranked_before);
    return order;
}

namespace {

// The walk of payline.hpp; adds each grant's value to `objective`.
std::vector<Grant> walk(const Scenario& scenario, const std::vector<const Candidate*>& order,
                        double& objective) {
    std::vector<Grant> grants;
    Remaining remaining(scenario);
    // Locked-yes first: they are decided, the rest shares what they leave.
    for (const auto* candidate : order) {
        if (candidate->lock == Lock::Yes) {
            remaining.take(*candidate);
            grants.push_back(full_grant(*candidate));
            objective += candidate->value;
        }
    }
    for (const auto* candidate : order) {
        if (candidate->lock == Lock::Yes || !remaining.fits(*candidate))
            continue;
        remaining.take(*candidate);
        grants.push_back(full_grant(*candidate));
        objective += candidate->value;
    }
    return grants;
}

} // namespace

std::vector<Grant> payline_grants(const Scenario& scenario) {
    if (locked_conflict(scenario))
        return {};
    double objective = 0;
    return walk(scenario, rank_order(scenario), objective);
}

Allocation run_payline(const Scenario& scenario) {
    auto start = std::chrono::steady_clock::now();
    if (auto conflict = locked_conflict(scenario))
        return infeasible(Method::Payline, std::move(*conflict));

    Allocation allocation;
    allocation.method = Method::Payline;
    allocation.grants = walk(scenario, rank_order(scenario), allocation.objective);
    allocation.cells = cell_use(scenario, allocation.grants);
    allocation.binding = binding_budget_and_units(scenario, allocation.grants);
    allocation.solve_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return allocation;
}

} // namespace spire::allocation
