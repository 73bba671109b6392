#include "app/demo.hpp"

#include "app/demo_calls.hpp"
#include "app/demo_decisions.hpp"
#include "app/demo_funds.hpp"
#include "app/demo_national.hpp"
#include "app/demo_review.hpp"
#include "calls/service.hpp"
#include "db/database.hpp"
#include "funds/service.hpp"
#include "identity/password.hpp"
#include "identity/service.hpp"

#include <algorithm>
#include <chrono>
#include <iomanip>
#include <limits>
#include <ostream>

namespace spire::app {

namespace {

using identity::Actor;
using identity::Id;
using identity::IdentityService;
using identity::Role;
using identity::UnitKind;

// --- The data ------------------------------------------------------------------

// sector -> unit -> service units (DESIGN.md §2: the unit tree).
struct DemoUnit {
    const char* name;
    std::vector<const char*> service_units;
};
struct DemoSector {
    const char* name;
    std::vector<DemoUnit> units;
};

// Modelled on Bærum kommune's organisation: five sectors, the service units
// (tjenestesteder) that apply to the fund, and the staff units around the
// fund's secretariat.
const std::vector<DemoSector>& baerum_units() {
    static const std::vector<DemoSector> sectors = {
        {"Oppvekst",
         {
             {"Barnehager", {"Bekkestua barnehage", "Eiksmarka barnehage"}},
             {"Skoler", {"Eikeli skole", "Jar skole", "Hosle skole"}},
             {"Barn og unge", {"Pedagogisk-psykologisk tjeneste"}},
         }},
        {"Helse og omsorg",
         {
             {"Bo- og behandlingssentre",
              {"Østerås bo- og behandlingssenter", "Dønski bo- og behandlingssenter"}},
             {"Hjemmetjenester", {"Hjemmetjenesten Sandvika"}},
         }},
        {"Bistand og rehabilitering",
         {
             {"Arbeid og velferd", {"NAV Bærum"}},
             {"Rehabilitering", {"Fysio- og ergoterapitjenesten"}},
             {"Psykisk helse og rus", {"Rustjenesten"}},
         }},
        {"Miljø, idrett og kultur",
         {
             {"Kultur", {"Bærum bibliotek", "Bærum kulturskole"}},
         }},
        {"Organisasjon og styring",
         {
             {"Strategi og utvikling", {"Strategi- og utviklingsenheten"}},
             {"Anskaffelser", {"Anskaffelsesenheten"}},
             {"Økonomi og internkontroll", {"Internkontroll"}},
         }},
    };
    return sectors;
}

const std::vector<DemoSector>& asker_units() {
    static const std::vector<DemoSector> sectors = {
        {"Oppvekst", {{"Skoler", {"Hvalstad skole", "Borgen skole"}}}},
        {"Helse og mestring", {{"Bo- og omsorgssentre", {"Nesbru bo- og omsorgssenter"}}}},
    };
    return sectors;
}

struct DemoUser {
    const char* local_part; // before "@<domain>"
    const char* name;
    const char* phone;
    Role role;
    const char* unit = nullptr; // for unit-scoped roles
};

constexpr const char* DEMO_SERVICE_UNIT = "Bekkestua barnehage";

// One per role, and five reviewers: the innovation council's panel for the
// demo review round (app/demo_review.hpp).
const std::vector<DemoUser>& baerum_users() {
    static const std::vector<DemoUser> users = {
        {"applicant", "Ingrid Hansen", "+47 412 34 501", Role::Applicant, DEMO_SERVICE_UNIT},
        {"unit-leader", "Lars Johansen", "+47 412 34 502", Role::UnitLeader, DEMO_SERVICE_UNIT},
        {"fund-manager", "Silje Berg", "+47 412 34 503", Role::FundManager},
        {"reviewer1", "Ole Kristiansen", "+47 412 34 504", Role::Reviewer},
        {"reviewer2", "Marte Solberg", "+47 412 34 505", Role::Reviewer},
        {"reviewer3", "Kjetil Nilsen", "+47 412 34 511", Role::Reviewer},
        {"reviewer4", "Astrid Lund", "+47 412 34 512", Role::Reviewer},
        {"reviewer5", "Håkon Eriksen", "+47 412 34 513", Role::Reviewer},
        {"decision-maker", "Erik Haugen", "+47 412 34 506", Role::DecisionMaker},
        {"procurement-officer", "Nina Andersen", "+47 412 34 507", Role::ProcurementOfficer},
        {"partner", "Anders Lie", "+47 412 34 508", Role::Partner},
        {"auditor", "Hilde Strand", "+47 412 34 509", Role::Auditor},
        {"admin", "Jonas Bakke", "+47 412 34 510", Role::Admin},
    };
    return users;
}

const std::vector<DemoUser>& asker_users() {
    static const std::vector<DemoUser> users = {
        {"admin", "Marius Dahl", "+47 413 56 701", Role::Admin},
        {"applicant", "Kristin Moe", "+47 413 56 702", Role::Applicant, "Hvalstad skole"},
    };
    return users;
}

// --- The parts -------------------------------------------------------------------

Error in_part(Error error, const std::string& what) {
    error.message = "demo data (" + what + "): " + error.message;
    return error;
}

Result<Id> demo_organisation(IdentityService& service, const Actor& actor, const std::string& slug,
                             const std::string& name) {
    auto id = service.create_organisation(actor, slug, name);
    if (!id)
        return Unexpected(in_part(id.error(), "organisation " + slug));
    return *id;
}

Result<Id> demo_unit(IdentityService& service, const Actor& actor, Id organisation_id,
                     std::optional<Id> parent, UnitKind kind, const std::string& name) {
    identity::OrgUnit unit;
    unit.organisation_id = organisation_id;
    unit.parent_id = parent;
    unit.kind = kind;
    unit.name = name;
    auto id = service.create_unit(actor, unit);
    if (!id)
        return Unexpected(in_part(id.error(), "unit " + name));
    return *id;
}

// Every unit of the tree, by name.
Result<std::map<std::string, Id>> demo_units(IdentityService& service, const Actor& actor,
                                             Id organisation_id,
                                             const std::vector<DemoSector>& sectors) {
    std::map<std::string, Id> ids;
    for (const auto& sector : sectors) {
        auto sector_id =
            demo_unit(service, actor, organisation_id, std::nullopt, UnitKind::Sector, sector.name);
        if (!sector_id)
            return Unexpected(sector_id.error());
        ids[sector.name] = *sector_id;
        for (const auto& unit : sector.units) {
            auto unit_id =
                demo_unit(service, actor, organisation_id, *sector_id, UnitKind::Unit, unit.name);
            if (!unit_id)
                return Unexpected(unit_id.error());
            ids[unit.name] = *unit_id;
            for (const char* name : unit.service_units) {
                auto id = demo_unit(service, actor, organisation_id, *unit_id,
                                    UnitKind::ServiceUnit, name);
                if (!id)
                    return Unexpected(id.error());
                ids[name] = *id;
            }
        }
    }
    return ids;
}

// The users of one organisation, each with their own role; adds them to
// `made.users` and `made.logins`.
Result<void> demo_users(IdentityService& service, const Actor& actor, Id organisation_id,
                        const std::string& domain, const std::vector<DemoUser>& users,
                        const std::map<std::string, Id>& units, const std::string& password,
                        DemoIdentity& made) {
    for (const auto& spec : users) {
        const std::string email = std::string(spec.local_part) + "@" + domain;
        identity::NewUser input;
        input.organisation_id = organisation_id;
        input.name = spec.name;
        input.email = email;
        input.phone = spec.phone;
        input.password = password; // hashed with a salt of its own, user by user
        auto user_id = service.create_user(actor, input);
        if (!user_id)
            return Unexpected(in_part(user_id.error(), "user " + email));

        identity::Grant grant;
        grant.user_id = *user_id;
        grant.organisation_id = organisation_id;
        grant.role = spec.role;
        std::string roles(identity::role_key(spec.role));
        if (spec.unit) {
            auto unit = units.find(spec.unit);
            if (unit == units.end())
                return Unexpected(Error::not_found("demo data: no unit " + std::string(spec.unit)));
            grant.unit_id = unit->second;
            roles += " (" + std::string(spec.unit) + ")";
        }
        if (auto granted = service.grant_role(actor, grant); !granted)
            return Unexpected(in_part(granted.error(), "role of " + email));
        made.users[email] = *user_id;
        made.logins.push_back({email, spec.name, roles});
    }
    return {};
}

Result<void> demo_baerum(IdentityService& service, const Actor& actor, const std::string& password,
                         DemoIdentity& made) {
    auto organisation = demo_organisation(service, actor, "baerum", "Bærum kommune");
    if (!organisation)
        return Unexpected(organisation.error());
    made.baerum = *organisation;
    auto units = demo_units(service, actor, made.baerum, baerum_units());
    if (!units)
        return Unexpected(units.error());
    made.baerum_units = std::move(*units);
    return demo_users(service, actor, made.baerum, "baerum.example", baerum_users(),
                      made.baerum_units, password, made);
}

// A second tenant, to show that one organisation never sees another's data.
Result<void> demo_asker(IdentityService& service, const Actor& actor, const std::string& password,
                        DemoIdentity& made) {
    auto organisation = demo_organisation(service, actor, "asker", "Asker kommune");
    if (!organisation)
        return Unexpected(organisation.error());
    made.asker = *organisation;
    auto units = demo_units(service, actor, made.asker, asker_units());
    if (!units)
        return Unexpected(units.error());
    made.asker_units = std::move(*units);
    return demo_users(service, actor, made.asker, "asker.example", asker_users(), made.asker_units,
                      password, made);
}

// --- Output ----------------------------------------------------------------------

// Characters, not bytes, so "Bærum" lines up with "Asker".
std::size_t display_width(const std::string& text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

std::string padded(const std::string& text, std::size_t width) {
    std::size_t used = display_width(text);
    return text + std::string(used < width ? width - used : 1, ' ');
}

// The shared demo password is shown; one the operator chose (perhaps from
// SPIRE_PASSWORD, set for another command) is never printed.
std::string password_text(const std::string& password) {
    return password == DEMO_PASSWORD ? password : std::string("the one given with --password");
}

void print_logins(std::ostream& out, const std::vector<DemoLogin>& logins,
                  const std::string& password) {
    std::size_t email_width = 6, name_width = 4;
    for (const auto& login : logins) {
        email_width = std::max(email_width, display_width(login.email));
        name_width = std::max(name_width, display_width(login.name));
    }
    out << "\nDemo logins (password for all: " << password_text(password) << ")\n\n";
    out << "  " << padded("E-mail", email_width + 2) << padded("Name", name_width + 2) << "Role\n";
    for (const auto& login : logins) {
        out << "  " << padded(login.email, email_width + 2) << padded(login.name, name_width + 2)
            << login.roles << "\n";
    }
}

// spire demo --scale national: hashes the password once for every user.
int run_national_demo(const Options& options, const std::string& password, CommandIo io) {
    NationalOptions national;
    auto seed = options.get_int("seed", 0, std::numeric_limits<long long>::max());
    auto organisations = options.get_int("organisations", 1, 356);
    auto applications = options.get_int("applications", 0, 10'000'000);
    for (const auto* value : {&seed, &organisations, &applications}) {
        if (!*value) {
            command::usage_error(io, "demo", value->error().message);
            return command::USAGE;
        }
    }
    national.seed = static_cast<std::uint64_t>(*seed);
    national.organisations = static_cast<int>(*organisations);
    national.applications = *applications;
    try {
        auto database = command::open_migrated(options.get("db"), io);
        if (!database)
            return command::FAILED;
        const auto start = std::chrono::steady_clock::now();
        io.out << "spire: building the national demo (seed " << national.seed << "); every user "
               << "gets the password " << password_text(password) << "\n";
        national.password_hash = identity::hash_password(password);
        auto made = create_national_demo(*database, national);
        if (!made) {
            command::print_error(io.err, made.error());
            return command::FAILED;
        }
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        io.out << "spire: " << made->organisations << " organisations, " << made->units
               << " units, " << made->users << " users, " << made->calls << " calls, "
               << made->applications << " applications (" << made->rows << " rows) in "
               << std::fixed << std::setprecision(1) << seconds << " s\n"
               << "spire: log in as " << national_fund_manager_email(made->largest_slug)
               << " (fund manager of the largest organisation); applicants are applicant-N@, "
                  "unit leaders unit-leader-N@, and admin@, auditor@, decision-maker@ on the "
                  "same domain\n";
    } catch (const std::exception& e) {
        io.err << "spire: demo failed: " << e.what() << "\n";
        return command::FAILED;
    }
    return command::OK;
}

} // namespace

Result<DemoIdentity> create_demo_identity(IdentityService& service, const std::string& password) {
    const Actor actor = Actor::system("demo");
    DemoIdentity made;
    if (auto baerum = demo_baerum(service, actor, password, made); !baerum)
        return Unexpected(baerum.error());
    if (auto asker = demo_asker(service, actor, password, made); !asker)
        return Unexpected(asker.error());
    return made;
}

int run_demo_command(const std::vector<std::string>& args, CommandIo io) {
    const std::vector<FlagSpec> specs = {
        command::db_flag(),
        {"password", FlagKind::Value, DEMO_PASSWORD, "the password of every demo user"},
        {"scale", FlagKind::Value, "",
         "'national': 356 municipalities and ~100 000 applications instead (an empty database)"},
        {"seed", FlagKind::Value, "2017", "with --scale national: the random seed"},
        {"organisations", FlagKind::Value, "356", "with --scale national: how many (1-356)"},
        {"applications", FlagKind::Value, "100000", "with --scale national: how many in all"},
    };
    int code = command::OK;
    auto options = command::parse_flags(
        "demo",
        "Fills an empty database with demo data: Bærum kommune with its units and one user per "
        "role, and Asker kommune to show that tenants are kept apart. Does nothing when the "
        "organisation 'baerum' exists.",
        specs, args, io, code, command::EchoArguments::No);
    if (!options)
        return code;
    const std::string password = options->get("password");
    if (auto problem = identity::password_problem(password)) {
        command::usage_error(io, "demo", "--password: " + *problem);
        return command::USAGE;
    }
    if (const std::string scale = options->get("scale"); !scale.empty()) {
        if (scale != "national") {
            command::usage_error(io, "demo", "--scale: the only scale is 'national'");
            return command::USAGE;
        }
        return run_national_demo(*options, password, io);
    }
    try {
        auto database = command::open_migrated(options->get("db"), io);
        if (!database)
            return command::FAILED;
        IdentityService service(database);
        if (service.organisation_by_slug("baerum")) {
            io.out << "spire: demo data is already there (organisation baerum exists); nothing "
                      "to do\n";
            return command::OK;
        }
        io.out << "spire: building demo data; every demo user gets the password "
               << password_text(password) << "\n";
        auto identity = create_demo_identity(service, password);
        if (!identity) {
            command::print_error(io.err, identity.error());
            return command::FAILED;
        }
        funds::FundsService funds(database);
        auto made = create_demo_funds(funds, service, *identity);
        if (!made) {
            command::print_error(io.err, made.error());
            return command::FAILED;
        }
        calls::CallsService calls(database);
        if (auto called = create_demo_calls(calls, *made, *identity); !called) {
            command::print_error(io.err, called.error());
            return command::FAILED;
        }
        auto reviewed = create_demo_review(database, *made, *identity);
        if (!reviewed) {
            command::print_error(io.err, reviewed.error());
            return command::FAILED;
        }
        if (auto decided = create_demo_decisions(database, *made, *identity, reviewed->call);
            !decided) {
            command::print_error(io.err, decided.error());
            return command::FAILED;
        }
        print_logins(io.out, identity->logins, password);
    } catch (const std::exception& e) {
        io.err << "spire: demo failed: " << e.what() << "\n";
        return command::FAILED;
    }
    return command::OK;
}

} // namespace spire::app
