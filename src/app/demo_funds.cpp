#include "app/demo_funds.hpp"

#include "funds/service.hpp"
#include "identity/service.hpp"

#include <vector>

namespace spire::app {

namespace {

using funds::EntryKind;
using funds::FundsService;
using funds::ProgrammeKind;
using funds::ReleaseOf;
using identity::Actor;
using identity::Id;
using identity::Role;

constexpr Ore kr(long long kroner) {
    return kroner * ORE_PER_KRONE;
}

constexpr const char* BAERUM_FUND = "Forsknings- og innovasjonsfond";
constexpr const char* FUND_MANAGER = "fund-manager@baerum.example";

struct DemoProgramme {
    const char* name;
    ProgrammeKind kind;
    const char* description;
    Ore frame; // per year
};

// The fund's three parts and the procurement unit's R&D contracts
// (mission/MISSION.md), 10 MNOK a year in all.
const std::vector<DemoProgramme>& baerum_programmes() {
    static const std::vector<DemoProgramme> programmes = {
        {"Intern risikokapital", ProgrammeKind::RiskCapital,
         "Stimuleringsmidler tjenestestedene søker på to ganger i året: forbedring, forenkling og "
         "fornyelse. Innovasjonsrådet vurderer søknadene etter kriteriene.",
         kr(3'000'000)},
        {"Forskningsmedfinansiering", ProgrammeKind::ResearchCofunding,
         "Fra forskning på kommunen til forskning med kommunen: kommunens egeninnsats i eksterne "
         "forskningsutlysninger, og det lille ekstra som løfter større prosjekter.",
         kr(4'000'000)},
        {"Sosiale entreprenører", ProgrammeKind::SocialEntrepreneurs,
         "Systematisk samarbeid med sosiale entreprenører der nye samarbeidsmodeller prøves ut. "
         "Fortløpende behandling; tilsagn først, utbetaling ved årsslutt etter prosjektregnskap.",
         kr(2'000'000)},
        {"FoU-kontrakter", ProgrammeKind::RdContracts,
         "Anskaffelsesenhetens FoU-kontrakter og innovative anskaffelser som styrker kommunens "
         "evne til å lære mer og spre kunnskap bedre.",
         kr(1'000'000)},
    };
    return programmes;
}

Error in_part(Error error, const std::string& what) {
    error.message = "demo data (" + what + "): " + error.message;
    return error;
}

// The demo fund manager as a logged-in principal (no session needed).
Result<identity::Principal> principal_of(identity::IdentityService& identity,
                                         const DemoIdentity& made, const std::string& email) {
    auto user = made.users.find(email);
    if (user == made.users.end())
        return tl::unexpected(Error::not_found("demo data: no user " + email));
    auto detail = identity.user_detail(Actor::system("demo"), made.baerum, user->second);
    if (!detail)
        return tl::unexpected(in_part(detail.error(), "user " + email));
    identity::Principal principal;
    principal.user_id = detail->user.id;
    principal.organisation_id = detail->user.organisation_id;
    principal.name = detail->user.name;
    principal.email = detail->user.email;
    principal.grants = detail->grants;
    return principal;
}

// Gives the fund manager the role for this fund and removes the role for
// every fund that the identity part gave.
Result<void> scope_fund_manager(identity::IdentityService& identity, DemoIdentity& made,
                                Id fund_id) {
    const Actor system = Actor::system("demo");
    Id user_id = made.users.at(FUND_MANAGER);
    identity::Grant grant;
    grant.user_id = user_id;
    grant.organisation_id = made.baerum;
    grant.role = Role::FundManager;
    grant.fund_id = fund_id;
    if (auto granted = identity.grant_role(system, grant); !granted)
        return tl::unexpected(in_part(granted.error(), "fund manager role"));
    auto detail = identity.user_detail(system, made.baerum, user_id);
    if (!detail)
        return tl::unexpected(in_part(detail.error(), "fund manager"));
    for (const auto& held : detail->grants) {
        if (held.role == Role::FundManager && !held.fund_id) {
            if (auto revoked = identity.revoke_grant(system, made.baerum, held.id); !revoked)
                return tl::unexpected(in_part(revoked.error(), "fund manager role"));
        }
    }
    for (auto& login : made.logins) {
        if (login.email == FUND_MANAGER)
            login.roles =
                std::string(identity::role_key(Role::FundManager)) + " (" + BAERUM_FUND + ")";
    }
    return {};
}

// Postings as one actor in one fund; stops at the first refusal.
class Poster {
public:
    Poster(FundsService& funds, Actor actor, Id fund_id)
        : m_funds(funds), m_actor(std::move(actor)), m_fund(fund_id) {}

    Result<void> post(EntryKind kind, int year, Id programme, Ore amount, const std::string& reason,
                      std::optional<ReleaseOf> release_of = std::nullopt) {
        funds::Posting posting;
        posting.kind = kind;
        posting.cell = {year, programme};
        posting.amount = amount;
        posting.reason = reason;
        posting.release_of = release_of;
        auto posted = m_funds.post(m_actor, m_fund, posting);
        if (!posted)
            return tl::unexpected(in_part(posted.error(), "posting: " + reason));
        return {};
    }

    Result<void> carry_over(int year, const std::string& reason) {
        auto carried = m_funds.carry_over(m_actor, m_fund, year, std::nullopt, reason);
        if (!carried)
            return tl::unexpected(in_part(carried.error(), "carry-over " + std::to_string(year)));
        return {};
    }

private:
    FundsService& m_funds;
    Actor m_actor;
    Id m_fund;
};

#define DEMO_TRY(expression)                                                                       \
    do {                                                                                           \
        if (auto demo_result_ = (expression); !demo_result_)                                       \
            return tl::unexpected(demo_result_.error());                                           \
    } while (false)

// The first two years: the risk-capital round of 2017 (27 applications, 10
// awards, 2 575 000 kr), own contributions waiting for the Research Council,
// a social entrepreneur paid at year end from the project accounts, an R&D
// contract, the year-end carry-over, and the start of 2018.
Result<void> baerum_ledger(Poster& poster, const std::map<std::string, Id>& programmes) {
    const Id risk = programmes.at("Intern risikokapital");
    const Id research = programmes.at("Forskningsmedfinansiering");
    const Id social = programmes.at("Sosiale entreprenører");
    const Id rd = programmes.at("FoU-kontrakter");

    struct Award {
        const char* what;
        long long kroner;
    };
    const Award round_2017[] = {
        {"Digitalt tilsyn om natten, Østerås bo- og behandlingssenter", 500'000},
        {"Sammen om jobb – ungdom og arbeid, NAV Bærum", 500'000},
        {"Språkløftet i barnehagen, Bekkestua barnehage", 350'000},
        {"Digitale hjemmebesøk, Hjemmetjenesten Sandvika", 300'000},
        {"Mobil læring i uteskolen, Eikeli skole", 240'000},
        {"Tidlig innsats i lesing, Jar skole", 200'000},
        {"Frigjort tid med robotstøvsugere, Dønski bo- og behandlingssenter", 185'000},
        {"Biblioteket som møteplass for nye innbyggere, Bærum bibliotek", 150'000},
        {"Rusfri fritid for unge, Rustjenesten", 115'000},
        {"Kulturskole i nærmiljøet, Bærum kulturskole", 35'000},
    };
    for (const auto& award : round_2017)
        DEMO_TRY(poster.post(EntryKind::Commit, 2017, risk, kr(award.kroner),
                             std::string("Tilsagn, tildelingsrunde høsten 2017: ") + award.what));
    DEMO_TRY(poster.post(EntryKind::Disburse, 2017, risk, kr(250'000),
                         "Utbetaling ved oppstart: Digitalt tilsyn om natten, Østerås"));
    DEMO_TRY(poster.post(EntryKind::Disburse, 2017, risk, kr(175'000),
                         "Utbetaling ved oppstart: Språkløftet i barnehagen"));

    DEMO_TRY(poster.post(EntryKind::Reserve, 2017, research, kr(1'200'000),
                         "Egenandel: søknad til Forskningsrådet, FORKOMMUNE – tidlig innsats i "
                         "barnehagen (venter på svar)"));
    DEMO_TRY(poster.post(EntryKind::Release, 2017, research, kr(1'200'000),
                         "Forskningsrådet innvilget søknaden: reservasjonen gjøres om til tilsagn",
                         ReleaseOf::Reserve));
    DEMO_TRY(poster.post(EntryKind::Commit, 2017, research, kr(1'200'000),
                         "Tilsagn: egenandel i FORKOMMUNE – tidlig innsats i barnehagen"));
    DEMO_TRY(poster.post(EntryKind::Reserve, 2017, research, kr(800'000),
                         "Egenandel: søknad om offentlig sektor-ph.d. i velferdsteknologi (venter "
                         "på svar)"));
    DEMO_TRY(poster.post(EntryKind::Release, 2017, research, kr(800'000),
                         "Avslag fra Forskningsrådet: egenandelen frigjøres", ReleaseOf::Reserve));

    DEMO_TRY(poster.post(EntryKind::Commit, 2017, social, kr(600'000),
                         "Tilsagn: leksehjelp og mentorordning med sosial entreprenør"));
    DEMO_TRY(poster.post(EntryKind::Commit, 2017, social, kr(450'000),
                         "Tilsagn: arbeidstrening i gjenbruksverksted med sosial entreprenør"));
    DEMO_TRY(poster.post(EntryKind::Disburse, 2017, social, kr(540'000),
                         "Utbetaling ved årsslutt etter prosjektregnskap: leksehjelp og "
                         "mentorordning"));
    DEMO_TRY(poster.post(EntryKind::Release, 2017, social, kr(60'000),
                         "Ubrukte midler etter prosjektregnskap: leksehjelp og mentorordning",
                         ReleaseOf::Commit));
    DEMO_TRY(poster.post(EntryKind::Disburse, 2017, social, kr(450'000),
                         "Utbetaling ved årsslutt etter prosjektregnskap: gjenbruksverksted"));

    DEMO_TRY(poster.post(EntryKind::Commit, 2017, rd, kr(750'000),
                         "FoU-kontrakt: trygghetsalarmer med fallsensor (FoU-unntaket, "
                         "anskaffelsesforskriften § 2-5)"));
    DEMO_TRY(poster.post(EntryKind::Disburse, 2017, rd, kr(375'000),
                         "FoU-kontrakt trygghetsalarmer: første fase levert"));

    DEMO_TRY(poster.carry_over(2017, "Årsavslutning 2017: ubrukte midler overføres til 2018 "
                                     "(fondets vedtekter tillater overføring)"));

    DEMO_TRY(poster.post(EntryKind::Disburse, 2017, risk, kr(250'000),
                         "Sluttutbetaling etter sluttrapport: Digitalt tilsyn om natten, Østerås"));
    DEMO_TRY(poster.post(EntryKind::Commit, 2018, risk, kr(480'000),
                         "Tilsagn, tildelingsrunde våren 2018: Hverdagsmestring med "
                         "velferdsteknologi, Fysio- og ergoterapitjenesten"));
    DEMO_TRY(poster.post(EntryKind::Commit, 2018, risk, kr(220'000),
                         "Tilsagn, tildelingsrunde våren 2018: Foreldresamtaler med tolk på "
                         "skjerm, Hosle skole"));
    DEMO_TRY(poster.post(EntryKind::Reserve, 2018, research, kr(1'500'000),
                         "Egenandel: søknad til Forskningsrådet, innovasjonsprosjekt i offentlig "
                         "sektor – hverdagsrehabilitering (venter på svar)"));
    DEMO_TRY(poster.post(EntryKind::Commit, 2018, social, kr(700'000),
                         "Tilsagn: pilotavtale om arbeidsinkludering med sosial entreprenør"));
    return {};
}

Result<void> demo_baerum(FundsService& funds, identity::IdentityService& identity,
                         DemoIdentity& made, DemoFunds& out) {
    const Actor system = Actor::system("demo");
    funds::FundInput input;
    input.organisation_id = made.baerum;
    input.name = BAERUM_FUND;
    input.description =
        "Bærum kommune vil bruke ressurser på å skape bedre løsninger sammen med andre, og "
        "invitere eksterne aktører til et mer systematisk samarbeid om velferdsutfordringene "
        "kommunen står overfor. 10 millioner kroner i året 2017–2020.";
    input.first_year = 2017;
    input.last_year = 2020;
    input.carry_over_allowed = true;
    auto fund = funds.create_fund(system, input);
    if (!fund)
        return tl::unexpected(in_part(fund.error(), "fund"));
    out.baerum_fund = *fund;

    int order = 0;
    for (const auto& spec : baerum_programmes()) {
        funds::ProgrammeInput programme{spec.name, spec.description, spec.kind, true, ++order};
        auto id = funds.create_programme(system, *fund, programme);
        if (!id)
            return tl::unexpected(in_part(id.error(), std::string("programme ") + spec.name));
        out.programmes[spec.name] = *id;
    }

    if (auto scoped = scope_fund_manager(identity, made, *fund); !scoped)
        return tl::unexpected(scoped.error());
    auto manager = principal_of(identity, made, FUND_MANAGER);
    if (!manager)
        return tl::unexpected(manager.error());
    Poster poster(funds, Actor::web(&*manager, "demo"), *fund);
    for (int year = 2017; year <= 2020; ++year) {
        for (const auto& spec : baerum_programmes()) {
            DEMO_TRY(poster.post(EntryKind::Frame, year, out.programmes.at(spec.name), spec.frame,
                                 "Årlig ramme " + std::to_string(year) +
                                     ", vedtatt i kommunens budsjett"));
        }
    }
    DEMO_TRY(baerum_ledger(poster, out.programmes));
    return {};
}

// A small fund of the second tenant.
Result<void> demo_asker(FundsService& funds, const DemoIdentity& made, DemoFunds& out) {
    const Actor system = Actor::system("demo");
    funds::FundInput input;
    input.organisation_id = made.asker;
    input.name = "Innovasjonsmidler";
    input.description = "Asker kommunes midler til tjenesteinnovasjon og sosialt entreprenørskap.";
    input.first_year = 2020;
    input.last_year = 2023;
    auto fund = funds.create_fund(system, input);
    if (!fund)
        return tl::unexpected(in_part(fund.error(), "Asker fund"));
    out.asker_fund = *fund;
    struct Spec {
        const char* name;
        ProgrammeKind kind;
        Ore frame;
    };
    const Spec specs[] = {
        {"Tjenesteinnovasjon", ProgrammeKind::Other, kr(1'500'000)},
        {"Sosialt entreprenørskap", ProgrammeKind::SocialEntrepreneurs, kr(500'000)}};
    int order = 0;
    Poster poster(funds, system, *fund);
    for (const auto& spec : specs) {
        auto id = funds.create_programme(system, *fund, {spec.name, "", spec.kind, true, ++order});
        if (!id)
            return tl::unexpected(in_part(id.error(), std::string("programme ") + spec.name));
        for (int year = 2020; year <= 2021; ++year)
            DEMO_TRY(poster.post(EntryKind::Frame, year, *id, spec.frame,
                                 "Årlig ramme " + std::to_string(year)));
    }
    return {};
}

#undef DEMO_TRY

} // namespace

Result<DemoFunds> create_demo_funds(FundsService& funds, identity::IdentityService& identity,
                                    DemoIdentity& made) {
    DemoFunds out;
    if (auto baerum = demo_baerum(funds, identity, made, out); !baerum)
        return tl::unexpected(baerum.error());
    if (auto asker = demo_asker(funds, made, out); !asker)
        return tl::unexpected(asker.error());
    return out;
}

} // namespace spire::app
