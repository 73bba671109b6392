#include "app/demo_decisions.hpp"

#include "app/application.hpp"
#include "decisions/service.hpp"
#include "funds/service.hpp"
#include "review/ranking_service.hpp"
#include "web/i18n.hpp"

#include <map>

namespace spire::app {

namespace {

using identity::Actor;
using identity::Id;
using identity::Role;

Error in_part(Error error, const std::string& what) {
    error.message = "demo data (" + what + "): " + error.message;
    if (!error.fields.empty())
        error.message +=
            " [" + error.fields.front().field + ": " + error.fields.front().message + "]";
    return error;
}

identity::Principal acting_as(Id organisation, Id user, Role role, std::optional<Id> fund) {
    identity::Principal principal;
    principal.user_id = user;
    principal.organisation_id = organisation;
    principal.grants = {{0, user, organisation, role, std::nullopt, fund}};
    return principal;
}

// Letters in Norwegian when the catalogues are built; the msgids otherwise
// (a demo must not fail for want of translations).
decisions::Translate norwegian() {
    try {
        auto translator = web::Translator::load(default_locale_dir());
        return [translator](std::string_view msgid) {
            return translator.translate(web::DEFAULT_LANG, msgid);
        };
    } catch (const std::exception&) {
        return [](std::string_view msgid) { return std::string(msgid); };
    }
}

TimePoint at(const char* utc) {
    return from_db_time(utc).value_or(TimePoint{});
}

} // namespace

Result<DemoDecisions> create_demo_decisions(std::shared_ptr<db::Database> database,
                                            const DemoFunds& funds, const DemoIdentity& made,
                                            Id call_id) {
    const Actor system = Actor::system("demo");
    const Id manager_id = made.users.at("fund-manager@baerum.example");
    const Id maker_id = made.users.at("decision-maker@baerum.example");
    const auto manager = acting_as(made.baerum, manager_id, Role::FundManager, funds.baerum_fund);
    const auto maker = acting_as(made.baerum, maker_id, Role::DecisionMaker, std::nullopt);
    const Actor as_manager = Actor::web(&manager, "demo");
    const Actor as_maker = Actor::web(&maker, "demo");

    decisions::DecisionsOptions options;
    options.now = [] { return at("2017-12-05T13:00:00.000000Z"); };
    options.translate = norwegian();
    decisions::DecisionsService service(database, options);
    review::RankingService ranking_service(database);
    funds::FundsService funds_service(database);

    auto ranking = ranking_service.ranking(system, call_id);
    if (!ranking)
        return tl::unexpected(in_part(ranking.error(), "ranking"));
    auto call = service.call_decisions(system, call_id);
    if (!call)
        return tl::unexpected(in_part(call.error(), "decisions"));
    std::map<Id, const decisions::store::CallApplication*> applications;
    for (const auto& application : call->applications)
        applications[application.id] = &application;
    auto budget = funds_service.budget(system, funds.baerum_fund);
    if (!budget)
        return tl::unexpected(in_part(budget.error(), "budget"));
    const Id programme = call->call.programme_id;
    Ore available = budget->cell(DEMO_DECISION_YEAR, programme).available();

    // The payline: in rank order, fund what fits. The lowest ranked
    // application is left for the demo's decision maker (and the browser
    // test) to decide by hand.
    DemoDecisions result;
    std::vector<decisions::Proposal> proposals;
    int rank = 0;
    std::vector<const review::RankingRow*> rows;
    for (const auto& row : ranking->rows) {
        auto found = applications.find(row.application.id);
        if (found != applications.end() && found->second->ranked())
            rows.push_back(&row);
    }
    if (!rows.empty())
        rows.pop_back();
    for (const auto* ranked : rows) {
        const auto& row = *ranked;
        ++rank;
        auto found = applications.find(row.application.id);
        const Ore asked = found->second->requested_ore;
        decisions::Proposal proposal;
        proposal.application_id = row.application.id;
        const bool fits = result.granted < DEMO_MAX_GRANTS && asked >= DEMO_MIN_GRANT_ORE &&
                          asked <= DEMO_MAX_GRANT_ORE && asked <= available;
        if (fits) {
            proposal.outcome = decisions::Outcome::Granted;
            proposal.amounts = {{DEMO_DECISION_YEAR, programme, asked}};
            proposal.justification = "Rangert som nr. " + std::to_string(rank) +
                                     " av innovasjonsrådet; innenfor rammen for " +
                                     std::to_string(DEMO_DECISION_YEAR) + ".";
            proposal.conditions = "Prosjektet leverer statusrapport etter seks måneder og "
                                  "sluttrapport med gevinstvurdering innen tre måneder etter "
                                  "avslutning.";
            available -= asked;
            result.committed_ore += asked;
            ++result.granted;
        } else {
            proposal.outcome = decisions::Outcome::Rejected;
            proposal.justification =
                "Rangert som nr. " + std::to_string(rank) +
                " av innovasjonsrådet. Søknaden holder god kvalitet, men rammen for " +
                std::to_string(DEMO_DECISION_YEAR) +
                " rekker bare til de høyest rangerte søknadene.";
            ++result.rejected;
        }
        proposals.push_back(std::move(proposal));
    }

    auto recommendation = service.create_recommendation(as_manager, call_id, proposals,
                                                        "Betalingslinje etter kalibrert rangering");
    if (!recommendation)
        return tl::unexpected(in_part(recommendation.error(), "recommendation"));
    if (auto submitted = service.submit_recommendation(as_manager, *recommendation); !submitted)
        return tl::unexpected(in_part(submitted.error(), "submitting the recommendation"));
    if (auto approved = service.approve_recommendation(as_maker, *recommendation); !approved)
        return tl::unexpected(in_part(approved.error(), "approving the recommendation"));
    result.recommendation = *recommendation;
    return result;
}

} // namespace spire::app
