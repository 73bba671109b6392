#include "app/demo_calls.hpp"

#include "calls/service.hpp"

#include <vector>

namespace spire::app {

namespace {

using calls::CallInput;
using calls::CallsService;
using calls::CriterionInput;
using calls::FieldInput;
using calls::FieldKind;
using identity::Actor;
using identity::Id;

constexpr Ore kr(long long kroner) {
    return kroner * ORE_PER_KRONE;
}

Error in_part(Error error, const std::string& what) {
    error.message = "demo data (" + what + "): " + error.message;
    if (!error.fields.empty())
        error.message +=
            " [" + error.fields.front().field + ": " + error.fields.front().message + "]";
    return error;
}

// Oslo local time to stored UTC.
std::string oslo(const char* date, const char* time) {
    auto utc = calls::oslo_to_utc(date, time);
    return utc ? *utc : std::string();
}

enum class Outcome { Draft, Published, Closed };

struct DemoCall {
    const char* title;
    const char* programme; // Bærum's programme, by name
    const char* description;
    const char* eligibility;
    const char* opens_date;
    const char* closes_date; // nullptr: rolling
    Ore max_amount;
    int max_years;
    bool endorsement;
    Outcome outcome;
};

constexpr const char* RISK_DESCRIPTION =
    "Bærum kommunes **interne risikokapital** gir tjenestestedene mulighet til å prøve ut nye "
    "løsninger: forbedring, forenkling og fornyelse.\n\n"
    "Innovasjonsrådet vurderer søknadene etter kriteriene nedenfor og gir råd til "
    "kommunedirektøren. Prosjektene skal være nyskapende og knyttet til kommunens hovedmål.\n\n"
    "- Søk om inntil 500 000 kr per prosjekt.\n"
    "- Prosjektet skal være forankret hos leder.\n"
    "- Se [kommunens innovasjonsstrategi](https://www.baerum.kommune.no/) for mer.";

constexpr const char* RISK_ELIGIBILITY =
    "Alle tjenestesteder i Bærum kommune kan søke. Søknaden må **godkjennes av enhetsleder** før "
    "den sendes inn.";

const std::vector<DemoCall>& demo_calls() {
    static const std::vector<DemoCall> calls = {
        {"Innovasjonsmidler vår 2018", "Intern risikokapital", RISK_DESCRIPTION, RISK_ELIGIBILITY,
         "2018-02-01", "2018-04-15", kr(500'000), 2, true, Outcome::Closed},
        {"Innovasjonsmidler høst 2018", "Intern risikokapital", RISK_DESCRIPTION, RISK_ELIGIBILITY,
         "2018-08-20", "2018-10-15", kr(500'000), 2, true, Outcome::Published},
        {"Innovasjonsmidler vår 2027", "Intern risikokapital", RISK_DESCRIPTION, RISK_ELIGIBILITY,
         "2026-11-01", "2027-03-15", kr(500'000), 2, true, Outcome::Published},
        {"Sosialt entreprenørskap – fortløpende", "Sosiale entreprenører",
         "Kommunen samarbeider systematisk med **sosiale entreprenører** for å løse "
         "samfunnsutfordringer på nye måter. Søknader behandles fortløpende.\n\n"
         "Velg en samarbeidsmodell (for eksempel pilotavtale eller effektkontrakt) og oppgi minst "
         "én sosial entreprenør som partner.",
         "Tjenestesteder som vil samarbeide med en sosial entreprenør.", "2018-01-01", nullptr,
         kr(400'000), 3, true, Outcome::Published},
        {"Forskningsmedfinansiering 2018–2020", "Forskningsmedfinansiering",
         "Fondet dekker kommunens **egenandel** når kommunen deltar i eksterne "
         "forskningsutlysninger, for eksempel Forskningsrådets offentlig sektor-ph.d. og "
         "innovasjonsprosjekter i offentlig sektor.\n\n"
         "Oppgi hvilken ekstern utlysning prosjektet søker, totalbudsjettet og egenandelen.",
         "Tjenestesteder og stabsenheter som deltar i eksterne forskningssøknader.", "2018-01-01",
         nullptr, kr(1'500'000), 4, true, Outcome::Published},
    };
    return calls;
}

Result<void> add_form(CallsService& service, const Actor& actor, Id call_id) {
    auto section = service.add_section(
        actor, call_id,
        {"Om prosjektet", "Beskriv behovet prosjektet skal løse og hvem det er for."});
    if (!section)
        return tl::unexpected(section.error());
    const std::vector<FieldInput> fields = {
        {*section,
         "Behov og problemstilling",
         FieldKind::LongText,
         true,
         "Hvilket behov skal prosjektet løse, og hvorfor nå?",
         4000,
         {},
         true},
        {*section,
         "Målgruppe",
         FieldKind::SingleChoice,
         true,
         "",
         std::nullopt,
         {"Barn og unge", "Voksne", "Eldre", "Ansatte", "Hele befolkningen"},
         true},
        {*section,
         "Involverer brukere",
         FieldKind::YesNo,
         false,
         "Deltar brukere eller pårørende i utviklingen?",
         std::nullopt,
         {},
         true},
        {*section,
         "Prosjektskisse",
         FieldKind::File,
         false,
         "En kort skisse (PDF eller Word), gjerne med tidsplan.",
         std::nullopt,
         {},
         true},
    };
    for (const auto& field : fields) {
        if (auto added = service.add_field(actor, call_id, field); !added)
            return tl::unexpected(added.error());
    }
    return {};
}

Result<Id> add_call(CallsService& service, const Actor& actor, const DemoFunds& funds,
                    const DemoCall& demo) {
    auto programme = funds.programmes.find(demo.programme);
    if (programme == funds.programmes.end())
        return tl::unexpected(Error::not_found(std::string("no programme ") + demo.programme));
    CallInput input;
    input.programme_id = programme->second;
    input.title = demo.title;
    input.description = demo.description;
    input.eligibility = demo.eligibility;
    input.opens_at = oslo(demo.opens_date, "00:00");
    input.rolling = demo.closes_date == nullptr;
    if (demo.closes_date)
        input.closes_at = oslo(demo.closes_date, "12:00");
    input.max_amount_ore = demo.max_amount;
    input.max_duration_years = demo.max_years;
    input.endorsement_required = demo.endorsement;
    auto id = service.create_call(actor, funds.baerum_fund, input);
    if (!id)
        return id;
    for (const auto& criterion : demo_criteria()) {
        if (auto added = service.add_criterion(actor, *id, criterion); !added)
            return tl::unexpected(added.error());
    }
    if (auto form = add_form(service, actor, *id); !form)
        return tl::unexpected(form.error());
    if (demo.outcome != Outcome::Draft) {
        if (auto published = service.publish_call(actor, *id); !published)
            return tl::unexpected(published.error());
    }
    if (demo.outcome == Outcome::Closed) {
        if (auto closed = service.close_call(actor, *id); !closed)
            return tl::unexpected(closed.error());
    }
    return id;
}

} // namespace

// The innovation council's criteria (mission/MISSION.md), weights summing
// to 100.
const std::vector<CriterionInput>& demo_criteria() {
    static const std::vector<CriterionInput> criteria = {
        {"Nyskapende og knyttet til kommunens hovedmål",
         "Er løsningen ny for Bærum, og bidrar den til kommunens hovedmål?", 25, 1, 7, 4},
        {"Forankret i linjen", "Er prosjektet godt forankret hos leder og i tjenesten?", 15, 1, 7,
         std::nullopt},
        {"Potensial for spredning og skalering",
         "Kan løsningen tas i bruk av flere tjenestesteder eller kommuner?", 15, 1, 7,
         std::nullopt},
        {"Gevinstpotensial – økonomi og kvalitet",
         "Hvilke gevinster kan forventes, økonomisk og for kvaliteten på tjenestene?", 20, 1, 7,
         std::nullopt},
        {"Utenfor ordinær drift", "Ligger prosjektet utenfor det tjenesten ellers ville gjort?", 10,
         1, 7, std::nullopt},
        {"Samarbeid med eksterne aktører",
         "Samarbeider prosjektet med forskning, næringsliv, frivillige eller brukere?", 15, 1, 7,
         std::nullopt},
    };
    return criteria;
}

Result<DemoCalls> create_demo_calls(CallsService& service, const DemoFunds& funds,
                                    const DemoIdentity& made) {
    Actor actor = Actor::system("demo");
    DemoCalls result;
    for (const auto& demo : demo_calls()) {
        auto id = add_call(service, actor, funds, demo);
        if (!id)
            return tl::unexpected(in_part(id.error(), demo.title));
        result.calls[demo.title] = *id;
    }

    const std::vector<calls::ExternalCallInput> externals = {
        {"Forskningsrådet", "Offentlig sektor-ph.d.", "Offentlig sektor-ph.d. 2018", "2018-11-14",
         50, "https://www.forskningsradet.no/", true},
        {"Forskningsrådet", "Innovasjonsprosjekt i offentlig sektor",
         "Innovasjonsprosjekter i offentlig sektor 2019", "2019-02-13", 25,
         "https://www.forskningsradet.no/", true},
    };
    for (const auto& external : externals) {
        auto id = service.create_external_call(actor, made.baerum, external);
        if (!id)
            return tl::unexpected(in_part(id.error(), external.title));
        result.external_calls[external.title] = *id;
    }

    const std::vector<calls::PartnershipModelInput> models = {
        {"Pilotavtale", "En avgrenset utprøving i én eller flere tjenester, med avtalt evaluering.",
         true, 10},
        {"Tilskudd", "Kommunen gir tilskudd til den sosiale entreprenørens arbeid.", true, 20},
        {"Felles FoU-samarbeid",
         "Kommunen og entreprenøren utvikler og forsker på løsningen sammen.", true, 30},
        {"Effektkontrakt (resultatbasert kontrakt)",
         "Betaling etter oppnådde resultater, for eksempel færre i utenforskap.", true, 40},
        {"Anskaffelse etter pilot", "Vellykkede piloter går videre til en ordinær anskaffelse.",
         true, 50},
    };
    for (const auto& model : models) {
        auto id = service.create_partnership_model(actor, made.baerum, model);
        if (!id)
            return tl::unexpected(in_part(id.error(), model.name));
        result.partnership_models[model.name] = *id;
    }
    return result;
}

} // namespace spire::app
