#include "support/funds_world.hpp"

#include "db/database.hpp"

#include <stdexcept>
#include <vector>

namespace spire::test {

namespace {

using identity::Id;
using identity::Role;

template <class T>
T must(Result<T> result, const std::string& what) {
    if (!result)
        throw std::runtime_error(what + ": " + result.error().message);
    return std::move(*result);
}

} // namespace

identity::Principal FundsWorld::user(Id organisation, const std::string& email, Role role,
                                     std::optional<Id> fund_id) {
    identity::NewUser input;
    input.organisation_id = organisation;
    input.name = "Test " + email.substr(0, email.find('@'));
    input.email = email;
    Id user_id = must(identity->create_user(system(), input), "user " + email);
    identity::Grant grant;
    grant.user_id = user_id;
    grant.organisation_id = organisation;
    grant.role = role;
    grant.fund_id = fund_id;
    must(identity->grant_role(system(), grant), "grant for " + email);
    auto detail = must(identity->user_detail(system(), organisation, user_id), "detail " + email);
    identity::Principal principal;
    principal.user_id = user_id;
    principal.organisation_id = organisation;
    principal.name = detail.user.name;
    principal.email = detail.user.email;
    principal.grants = detail.grants;
    return principal;
}

std::unique_ptr<FundsWorld> FundsWorld::create(const std::string& url, std::size_t pool_size,
                                               funds::FundsOptions options, Durability durability) {
    auto world = std::make_unique<FundsWorld>();
    auto opened = db::Database::open(url, pool_size);
    if (!opened)
        throw std::runtime_error("cannot open " + url + ": " + opened.error().message);
    world->database = std::shared_ptr<db::Database>(std::move(*opened));
    if (durability == Durability::Relaxed && world->database->engine() == db::Engine::Sqlite) {
        // Every pooled connection at once, so that each gets the setting.
        std::vector<db::Database::Lease> leases;
        for (std::size_t i = 0; i < pool_size; ++i) {
            leases.push_back(world->database->lease());
            leases.back().session() << "PRAGMA synchronous = OFF";
        }
    }
    world->identity = std::make_unique<identity::IdentityService>(world->database);
    world->funds = std::make_unique<funds::FundsService>(world->database, options);

    world->baerum =
        must(world->identity->create_organisation(system(), "baerum", "Bærum kommune"), "baerum");
    world->asker =
        must(world->identity->create_organisation(system(), "asker", "Asker kommune"), "asker");

    funds::FundInput fund;
    fund.organisation_id = world->baerum;
    fund.name = "Forsknings- og innovasjonsfond";
    fund.description = "Bærums fond for forskning og innovasjon";
    fund.first_year = 2017;
    fund.last_year = 2020;
    fund.carry_over_allowed = true;
    world->fund = must(world->funds->create_fund(system(), fund), "fund");
    auto programme = [&](const char* name, funds::ProgrammeKind kind, int order) {
        funds::ProgrammeInput input;
        input.name = name;
        input.kind = kind;
        input.sort_order = order;
        return must(world->funds->create_programme(system(), world->fund, input), name);
    };
    world->risk = programme("Intern risikokapital", funds::ProgrammeKind::RiskCapital, 1);
    world->research =
        programme("Forskningsmedfinansiering", funds::ProgrammeKind::ResearchCofunding, 2);
    world->social =
        programme("Sosiale entreprenører", funds::ProgrammeKind::SocialEntrepreneurs, 3);
    world->rd = programme("FoU-kontrakter", funds::ProgrammeKind::RdContracts, 4);

    world->manager =
        world->user(world->baerum, "fund-manager@baerum.example", Role::FundManager, world->fund);
    world->admin = world->user(world->baerum, "admin@baerum.example", Role::Admin);
    world->auditor = world->user(world->baerum, "auditor@baerum.example", Role::Auditor);
    world->decision_maker =
        world->user(world->baerum, "decision-maker@baerum.example", Role::DecisionMaker);
    world->reviewer = world->user(world->baerum, "reviewer@baerum.example", Role::Reviewer);
    // A manager of another fund of the same organisation (id that does not exist).
    world->other_manager = world->user(world->baerum, "other-manager@baerum.example",
                                       Role::FundManager, world->fund + 1000);
    world->asker_admin = world->user(world->asker, "admin@asker.example", Role::Admin);
    return world;
}

} // namespace spire::test
