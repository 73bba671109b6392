#include "decisions/from_scenario.hpp"

#include <cmath>
#include <map>

namespace spire::decisions {

namespace {

constexpr Ore ORE_PER_KRONE = 100;
// The optimiser's fractions come from a floating-point solver: a request
// funded in full may read as 0.9999999.
constexpr double WHOLE_FRACTION = 1 - 1e-6;

std::vector<YearAmount> whole_kroner(const allocation::ProposedGrant& grant) {
    std::vector<YearAmount> amounts;
    for (const auto& amount : grant.amounts) {
        const Ore rounded = amount.amount_ore - amount.amount_ore % ORE_PER_KRONE;
        if (rounded > 0)
            amounts.push_back({amount.year, amount.programme_id, rounded});
    }
    return amounts;
}

Proposal funded(const allocation::ProposedGrant& grant, std::vector<YearAmount> amounts,
                const ScenarioTexts& texts) {
    Proposal proposal;
    proposal.application_id = grant.application_id;
    proposal.amounts = std::move(amounts);
    if (grant.fraction >= WHOLE_FRACTION) {
        proposal.outcome = Outcome::Granted;
        proposal.justification = texts.funded;
    } else {
        proposal.outcome = Outcome::PartlyGranted;
        proposal.justification = texts.partly_funded(std::lround(grant.fraction * 100));
    }
    return proposal;
}

} // namespace

std::vector<Proposal> proposals_from_scenario(const std::vector<allocation::ProposedGrant>& grants,
                                              const std::vector<Id>& open_applications,
                                              const ScenarioTexts& texts) {
    std::map<Id, const allocation::ProposedGrant*> by_application;
    for (const auto& grant : grants)
        by_application.emplace(grant.application_id, &grant);
    std::vector<Proposal> proposals;
    for (Id application : open_applications) {
        auto found = by_application.find(application);
        if (found != by_application.end()) {
            auto amounts = whole_kroner(*found->second);
            if (!amounts.empty()) {
                proposals.push_back(funded(*found->second, std::move(amounts), texts));
                continue;
            }
        }
        Proposal rejected;
        rejected.application_id = application;
        rejected.outcome = Outcome::Rejected;
        rejected.justification = texts.not_funded;
        proposals.push_back(std::move(rejected));
    }
    return proposals;
}

} // namespace spire::decisions
