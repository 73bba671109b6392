#include "support/applications_world.hpp"

#include "core/time.hpp"
#include "db/database.hpp"

#include <stdexcept>

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

void must(Result<void> result, const std::string& what) {
    if (!result)
        throw std::runtime_error(what + ": " + result.error().message);
}

} // namespace

identity::Principal ApplicationsWorld::unit_user(Id organisation, const std::string& email,
                                                 Role role, Id unit) {
    auto& identity = *funds->identity;
    auto system = FundsWorld::system();
    identity::NewUser input;
    input.organisation_id = organisation;
    input.name = "Test " + email.substr(0, email.find('@'));
    input.email = email;
    Id user_id = must(identity.create_user(system, input), "user " + email);
    identity::Grant grant;
    grant.user_id = user_id;
    grant.organisation_id = organisation;
    grant.role = role;
    grant.unit_id = unit;
    must(identity.grant_role(system, grant), "grant for " + email);
    auto detail = must(identity.user_detail(system, organisation, user_id), "detail " + email);
    identity::Principal principal;
    principal.user_id = user_id;
    principal.organisation_id = organisation;
    principal.name = detail.user.name;
    principal.email = detail.user.email;
    principal.grants = detail.grants;
    return principal;
}

std::unique_ptr<ApplicationsWorld> ApplicationsWorld::create(const std::string& url,
                                                             std::size_t pool_size) {
    auto world = std::make_unique<ApplicationsWorld>();
    world->funds = FundsWorld::create(url, pool_size);
    auto& f = *world->funds;
    auto system = FundsWorld::system();
    world->calls = std::make_unique<calls::CallsService>(f.database);
    world->clock = std::make_shared<TimePoint>(Clock::now());
    applications::ApplicationsOptions options;
    options.now = [clock = world->clock] { return *clock; };
    world->applications = std::make_unique<applications::ApplicationsService>(f.database, options);

    // Sector -> unit -> service unit, as identity requires.
    auto unit = [&](Id organisation, identity::UnitKind kind, std::optional<Id> parent,
                    const char* name) {
        identity::OrgUnit u;
        u.organisation_id = organisation;
        u.kind = kind;
        u.parent_id = parent;
        u.name = name;
        return must(f.identity->create_unit(system, u), name);
    };
    auto service_unit = [&](Id organisation, const char* sector, const char* area,
                            const char* name) {
        Id s = unit(organisation, identity::UnitKind::Sector, std::nullopt, sector);
        Id a = unit(organisation, identity::UnitKind::Unit, s, area);
        return unit(organisation, identity::UnitKind::ServiceUnit, a, name);
    };
    world->school = service_unit(f.baerum, "Oppvekst", "Skole", "Levern skole");
    world->nursing_home =
        service_unit(f.baerum, "Helse og omsorg", "Sykehjem", "Hundsund sykehjem");
    world->asker_unit = service_unit(f.asker, "Oppvekst", "Skole", "Asker skole");

    world->applicant =
        world->unit_user(f.baerum, "applicant@baerum.example", Role::Applicant, world->school);
    world->leader =
        world->unit_user(f.baerum, "leader@baerum.example", Role::UnitLeader, world->school);
    world->other_applicant = world->unit_user(f.baerum, "applicant2@baerum.example",
                                              Role::Applicant, world->nursing_home);
    world->asker_applicant =
        world->unit_user(f.asker, "applicant@asker.example", Role::Applicant, world->asker_unit);

    calls::ExternalCallInput external;
    external.funder = "Forskningsrådet";
    external.programme = "Offentlig sektor-ph.d.";
    external.title = "Offentlig sektor-ph.d. 2018";
    external.deadline = "2018-09-12";
    external.required_own_share_percent = 20;
    world->external_call =
        must(world->calls->create_external_call(system, f.baerum, external), "external call");
    calls::PartnershipModelInput model;
    model.name = "Pilotavtale";
    world->partnership_model =
        must(world->calls->create_partnership_model(system, f.baerum, model), "model");

    const TimePoint now = *world->clock;
    auto make_call = [&](Id programme, const char* title, bool endorsement, bool rolling) {
        calls::CallInput input;
        input.programme_id = programme;
        input.title = title;
        input.description = "Utlysning";
        input.opens_at = to_db_time(now - std::chrono::hours(24 * 10));
        if (!rolling)
            input.closes_at = to_db_time(now + std::chrono::hours(24 * 30));
        input.rolling = rolling;
        input.max_amount_ore = 500'000 * 100;
        input.max_duration_years = 3;
        input.endorsement_required = endorsement;
        Id call = must(world->calls->create_call(system, f.fund, input), title);
        calls::CriterionInput criterion;
        criterion.name = "Nyskapende";
        criterion.weight_percent = 100;
        must(world->calls->add_criterion(system, call, criterion), "criterion");
        return call;
    };
    world->risk_call = make_call(f.risk, "Intern risikokapital 2018", true, false);
    world->research_call = make_call(f.research, "Forskningsmedfinansiering", false, true);
    world->social_call = make_call(f.social, "Sosiale entreprenører", false, true);

    calls::SectionInput section;
    section.title = "Om prosjektet";
    Id section_id = must(world->calls->add_section(system, world->risk_call, section), "section");
    auto field = [&](const char* label, calls::FieldKind kind, bool required,
                     std::vector<std::string> options = {}) {
        calls::FieldInput input;
        input.section_id = section_id;
        input.label = label;
        input.kind = kind;
        input.required = required;
        input.options = std::move(options);
        if (kind == calls::FieldKind::LongText)
            input.max_length = 2000;
        return must(world->calls->add_field(system, world->risk_call, input), label);
    };
    world->text_field = field("Beskriv gevinstene", calls::FieldKind::LongText, true);
    world->number_field = field("Antall deltakere", calls::FieldKind::Number, false);
    world->choice_field =
        field("Målgruppe", calls::FieldKind::SingleChoice, false, {"Barn", "Eldre"});
    world->file_field = field("Prosjektplan", calls::FieldKind::File, false);
    auto form = must(world->calls->form(world->risk_call), "form");
    for (const auto& s : form.sections) {
        for (const auto& fd : s.fields) {
            if (fd.id == world->choice_field && fd.options.size() == 2) {
                world->choice_a = fd.options[0].id;
                world->choice_b = fd.options[1].id;
            }
        }
    }
    for (Id call : {world->risk_call, world->research_call, world->social_call})
        must(world->calls->publish_call(system, call), "publish");
    return world;
}

} // namespace spire::test
