#include "app/identity_commands.hpp"

#include "db/database.hpp"
#include "db/migrations.hpp"
#include "identity/audit_cli.hpp"
#include "identity/model.hpp"
#include "identity/service.hpp"

#include <algorithm>
#include <climits>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <span>

namespace spire::app {

CommandIo standard_io() {
    return {std::cin, std::cout, std::cerr};
}

namespace command {

FlagSpec db_flag() {
    return {"db", FlagKind::Value, "sqlite:var/spire.db",
            "database: sqlite:PATH or postgresql://USER@HOST:PORT/NAME"};
}

void usage_error(CommandIo io, std::string_view command, const std::string& message) {
    io.err << "spire: " << message << " (see: spire " << command << " --help)\n";
}

std::optional<Options> parse_flags(std::string_view command, std::string_view summary,
                                   const std::vector<FlagSpec>& specs,
                                   const std::vector<std::string>& args, CommandIo io, int& code,
                                   EchoArguments echo) {
    auto options = Options::parse(specs, args);
    if (!options) {
        usage_error(io, command, options.error().message);
        code = USAGE;
        return std::nullopt;
    }
    if (options->help_requested()) {
        io.out << usage(command, summary, specs);
        code = OK;
        return std::nullopt;
    }
    if (!options->positional().empty()) {
        usage_error(io, command,
                    echo == EchoArguments::Yes
                        ? "unexpected argument '" + options->positional().front() + "'"
                        : std::string("unexpected argument (flags start with --)"));
        code = USAGE;
        return std::nullopt;
    }
    return std::move(*options);
}

namespace {

void print_database_error(std::ostream& err, std::string_view what, const Error& error) {
    err << "spire: " << what << ": " << error.message;
    if (!error.detail.empty())
        err << " (" << error.detail << ")";
    err << "\n";
}

} // namespace

std::shared_ptr<db::Database> open_migrated(const std::string& url, CommandIo io,
                                            std::size_t pool_size) {
    auto database = db::Database::open(url, pool_size);
    if (!database) {
        print_database_error(io.err, "cannot open database", database.error());
        return nullptr;
    }
    auto report = db::migrate(**database);
    if (!report) {
        print_database_error(io.err, "migration failed", report.error());
        return nullptr;
    }
    for (const auto& applied : report->applied)
        io.out << "spire: applied migration " << applied.module << " " << applied.version << " "
               << applied.name << "\n";
    return std::shared_ptr<db::Database>(std::move(*database));
}

void print_error(std::ostream& err, const Error& error) {
    err << "spire: " << error.message << "\n";
    for (const auto& field : error.fields) {
        // The service names form fields; on the command line they are flags.
        std::string flag = field.field == "unit_id"   ? "unit"
                           : field.field == "fund_id" ? "fund"
                                                      : field.field;
        err << "  --" << flag << ": " << field.message << "\n";
    }
}

namespace {

std::string input_name(const std::string& path) {
    return path == "-" ? "standard input" : path;
}

} // namespace

std::optional<std::string> read_input(const std::string& path, std::size_t max_bytes,
                                      CommandIo io) {
    std::istream* in = &io.in;
    std::ifstream file;
    if (path != "-") {
        file.open(path, std::ios::binary);
        if (!file) {
            io.err << "spire: cannot read " << path << "\n";
            return std::nullopt;
        }
        in = &file;
    }
    std::string text;
    char buffer[1 << 16];
    while (in->read(buffer, sizeof buffer) || in->gcount() > 0) {
        text.append(buffer, static_cast<std::size_t>(in->gcount()));
        if (text.size() > max_bytes) {
            io.err << "spire: " << input_name(path) << " is larger than "
                   << max_bytes / (1024 * 1024) << " MiB\n";
            return std::nullopt;
        }
    }
    if (in->bad()) {
        io.err << "spire: cannot read " << input_name(path) << "\n";
        return std::nullopt;
    }
    return text;
}

void print_file_error(std::ostream& err, const std::string& path, const Error& error) {
    err << "spire: " << input_name(path) << ": " << error.message << "\n";
    for (const auto& field : error.fields)
        err << "  " << field.field << ": " << field.message << "\n";
}

} // namespace command

namespace {

using command::EchoArguments;
using command::FAILED;
using command::OK;
using command::USAGE;
using identity::Actor;
using identity::Id;
using identity::IdentityService;
using identity::Role;
using identity::RoleScope;

using Run = int (*)(const std::vector<std::string>&, CommandIo);

struct Subcommand {
    std::string_view name;
    std::string_view summary;
    Run run;
};

std::string group_usage(std::string_view command, std::span<const Subcommand> subcommands) {
    std::string text =
        "Usage: spire " + std::string(command) + " SUBCOMMAND [flags]\n\n" + "Subcommands:\n";
    for (const auto& sub : subcommands) {
        std::string left = "  " + std::string(sub.name);
        text += left + std::string(left.size() < 18 ? 18 - left.size() : 1, ' ') +
                std::string(sub.summary) + "\n";
    }
    text += "\nRun 'spire " + std::string(command) + " SUBCOMMAND --help' for its flags.\n";
    return text;
}

// `spire org add ...`: picks the subcommand, and turns an unexpected failure
// (a database gone away) into a message and exit code 1.
int dispatch(std::string_view command, std::span<const Subcommand> subcommands,
             const std::vector<std::string>& args, CommandIo io) {
    if (args.empty()) {
        io.err << group_usage(command, subcommands);
        return USAGE;
    }
    const std::string& name = args.front();
    if (name == "--help" || name == "-h" || name == "help") {
        io.out << group_usage(command, subcommands);
        return OK;
    }
    for (const auto& sub : subcommands) {
        if (sub.name != name)
            continue;
        try {
            return sub.run(std::vector<std::string>(args.begin() + 1, args.end()), io);
        } catch (const std::exception& e) {
            io.err << "spire: " << command << " " << name << " failed: " << e.what() << "\n";
            return FAILED;
        }
    }
    io.err << "spire: unknown subcommand '" << name << "' of spire " << command << "\n"
           << group_usage(command, subcommands);
    return USAGE;
}

// The first of `names` that is empty, for "--x is required".
std::optional<std::string> missing_flag(const Options& options,
                                        std::initializer_list<std::string_view> names) {
    for (auto name : names) {
        if (options.get(name).empty())
            return "--" + std::string(name) + " is required";
    }
    return std::nullopt;
}

FlagSpec password_flag() {
    return {"password", FlagKind::Value, "",
            "the password (visible to other local users while the command runs: prefer "
            "--password-stdin or the environment variable)"};
}

FlagSpec password_stdin_flag() {
    return {"password-stdin", FlagKind::Switch, "", "read the password from one line of input"};
}

// The password from --password-stdin, --password or SPIRE_PASSWORD; empty
// when none was given. nullopt after a usage error (printed).
std::optional<std::string> read_password(const Options& options, std::string_view command,
                                         CommandIo io) {
    std::string given = options.get("password");
    if (!options.enabled("password-stdin"))
        return given;
    if (!given.empty()) {
        command::usage_error(io, command,
                             "give the password either on standard input (--password-stdin) or "
                             "with --password/SPIRE_PASSWORD, not both");
        return std::nullopt;
    }
    std::string line;
    if (!std::getline(io.in, line) && line.empty()) {
        command::usage_error(io, command, "--password-stdin: no line to read on standard input");
        return std::nullopt;
    }
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    return line;
}

std::string role_keys(RoleScope scope) {
    std::string keys;
    for (Role role : identity::ALL_ROLES) {
        if (identity::role_scope(role) != scope)
            continue;
        keys += (keys.empty() ? "" : ", ") + std::string(identity::role_key(role));
    }
    return keys;
}

std::string all_role_keys() {
    std::string keys;
    for (Role role : identity::ALL_ROLES)
        keys += (keys.empty() ? "" : ", ") + std::string(identity::role_key(role));
    return keys;
}

// "unit-leader" is accepted for "unit_leader": both spellings are in use
// (the demo's e-mail addresses use hyphens).
std::optional<Role> parse_role_flag(std::string key) {
    for (char& c : key) {
        if (c == '-')
            c = '_';
    }
    return identity::parse_role(key);
}

std::string lower_ascii(std::string text) {
    for (char& c : text) {
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    }
    return text;
}

// A unit of the organisation by its name: exactly, else ignoring ASCII case.
Result<identity::OrgUnit> find_unit_by_name(IdentityService& service, Id organisation_id,
                                            const std::string& slug, const std::string& name) {
    auto units = service.units(Actor::system("cli"), organisation_id);
    if (!units)
        return Unexpected(units.error());
    std::vector<identity::OrgUnit> exact, folded;
    for (const auto& unit : *units) {
        if (unit.name == name)
            exact.push_back(unit);
        else if (lower_ascii(unit.name) == lower_ascii(name))
            folded.push_back(unit);
    }
    const auto& found = exact.empty() ? folded : exact;
    if (found.size() == 1)
        return found.front();
    if (found.empty())
        return Unexpected(
            Error::not_found("No unit called '" + name + "' in organisation " + slug + "."));
    return Unexpected(Error::conflict(std::to_string(found.size()) + " units are called '" + name +
                                      "' in organisation " + slug + "."));
}

// --- spire org ---------------------------------------------------------------

int org_add(const std::vector<std::string>& args, CommandIo io) {
    const std::vector<FlagSpec> specs = {
        command::db_flag(),
        {"slug", FlagKind::Value, "",
         "short name: 2-63 lower-case letters, digits and '-', e.g. baerum"},
        {"name", FlagKind::Value, "", "full name, e.g. \"Bærum kommune\""},
    };
    int code = OK;
    auto options = command::parse_flags(
        "org add", "Adds an organisation: a tenant, e.g. a municipality.", specs, args, io, code);
    if (!options)
        return code;
    if (auto missing = missing_flag(*options, {"slug", "name"})) {
        command::usage_error(io, "org add", *missing);
        return USAGE;
    }
    auto database = command::open_migrated(options->get("db"), io);
    if (!database)
        return FAILED;
    IdentityService service(database);
    std::string slug = options->get("slug");
    auto id = service.create_organisation(Actor::system("cli"), slug, options->get("name"));
    if (!id) {
        command::print_error(io.err, id.error());
        return FAILED;
    }
    io.out << "spire: created organisation " << slug << " (id " << *id
           << "): " << options->get("name") << "\n";
    return OK;
}

constexpr Subcommand ORG_SUBCOMMANDS[] = {
    {"add", "add an organisation (tenant)", org_add},
};

// --- spire user --------------------------------------------------------------

struct RequestedRoles {
    std::vector<Role> roles;
    bool needs_unit = false;
};

// Roles from the --role flags, checked against --unit and --fund before
// anything is written: the user and the grants are separate transactions.
std::optional<RequestedRoles> requested_roles(const Options& options, CommandIo io) {
    RequestedRoles requested;
    bool fund_role = false;
    for (const auto& key : options.get_all("role")) {
        auto role = parse_role_flag(key);
        if (!role) {
            command::usage_error(io, "user add",
                                 "unknown role '" + key + "'; roles are: " + all_role_keys());
            return std::nullopt;
        }
        if (std::find(requested.roles.begin(), requested.roles.end(), *role) ==
            requested.roles.end())
            requested.roles.push_back(*role);
        requested.needs_unit |= identity::role_scope(*role) == RoleScope::Unit;
        fund_role |= identity::role_scope(*role) == RoleScope::Fund;
    }
    if (requested.roles.empty()) {
        command::usage_error(io, "user add",
                             "give at least one --role; roles are: " + all_role_keys());
        return std::nullopt;
    }
    bool has_unit = !options.get("unit").empty();
    if (requested.needs_unit && !has_unit) {
        command::usage_error(io, "user add",
                             "the roles " + role_keys(RoleScope::Unit) +
                                 " apply to one unit: give --unit \"Unit name\"");
        return std::nullopt;
    }
    if (has_unit && !requested.needs_unit) {
        command::usage_error(io, "user add",
                             "--unit only applies to the roles " + role_keys(RoleScope::Unit));
        return std::nullopt;
    }
    if (!options.get("fund").empty() && !fund_role) {
        command::usage_error(io, "user add",
                             "--fund only applies to the roles " + role_keys(RoleScope::Fund));
        return std::nullopt;
    }
    return requested;
}

std::string describe_grant(Role role, const std::optional<identity::OrgUnit>& unit,
                           std::optional<Id> fund) {
    std::string text(identity::role_key(role));
    if (identity::role_scope(role) == RoleScope::Unit && unit)
        text += " (" + unit->name + ")";
    if (identity::role_scope(role) == RoleScope::Fund && fund)
        text += " (fund " + std::to_string(*fund) + ")";
    return text;
}

int user_add(const std::vector<std::string>& args, CommandIo io) {
    const std::vector<FlagSpec> specs = {
        command::db_flag(),
        {"org", FlagKind::Value, "", "short name of the user's organisation, e.g. baerum"},
        {"email", FlagKind::Value, "", "e-mail address, also the login name"},
        {"name", FlagKind::Value, "", "full name"},
        {"phone", FlagKind::Value, "", "phone number"},
        password_flag(),
        password_stdin_flag(),
        {"role", FlagKind::Value, "", "a role to give; repeat for several: " + all_role_keys()},
        {"unit", FlagKind::Value, "",
         "name of the unit the roles " + role_keys(RoleScope::Unit) + " apply to"},
        {"fund", FlagKind::Value, "",
         "id of the fund the roles " + role_keys(RoleScope::Fund) +
             " are limited to (default: all funds)"},
    };
    int code = OK;
    auto options = command::parse_flags(
        "user add",
        "Adds a user with one or more roles. Without a password the user cannot log in until "
        "one is set with 'spire user set-password'.",
        specs, args, io, code, EchoArguments::No);
    if (!options)
        return code;
    if (auto missing = missing_flag(*options, {"org", "email", "name"})) {
        command::usage_error(io, "user add", *missing);
        return USAGE;
    }
    auto requested = requested_roles(*options, io);
    if (!requested)
        return USAGE;
    std::optional<Id> fund;
    if (!options->get("fund").empty()) {
        auto parsed = options->get_int("fund", 1, LLONG_MAX);
        if (!parsed) {
            command::usage_error(io, "user add", parsed.error().message);
            return USAGE;
        }
        fund = *parsed;
    }
    auto password = read_password(*options, "user add", io);
    if (!password)
        return USAGE;

    auto database = command::open_migrated(options->get("db"), io);
    if (!database)
        return FAILED;
    IdentityService service(database);
    const Actor actor = Actor::system("cli");
    const std::string slug = options->get("org");
    auto organisation = service.organisation_by_slug(slug);
    if (!organisation) {
        io.err << "spire: no organisation has the short name '" << slug
               << "' (add it with 'spire org add')\n";
        return FAILED;
    }
    std::optional<identity::OrgUnit> unit;
    if (requested->needs_unit) {
        auto found = find_unit_by_name(service, organisation->id, slug, options->get("unit"));
        if (!found) {
            command::print_error(io.err, found.error());
            return FAILED;
        }
        unit = *found;
    }

    identity::NewUser input;
    input.organisation_id = organisation->id;
    input.name = options->get("name");
    input.email = options->get("email");
    input.phone = options->get("phone");
    input.password = *password;
    auto user_id = service.create_user(actor, input);
    if (!user_id) {
        command::print_error(io.err, user_id.error());
        return FAILED;
    }
    std::string email = identity::normalise_email(input.email).value_or(input.email);

    std::string granted;
    for (Role role : requested->roles) {
        identity::Grant grant;
        grant.user_id = *user_id;
        grant.organisation_id = organisation->id;
        grant.role = role;
        if (identity::role_scope(role) == RoleScope::Unit)
            grant.unit_id = unit->id;
        if (identity::role_scope(role) == RoleScope::Fund)
            grant.fund_id = fund;
        auto grant_id = service.grant_role(actor, grant);
        if (!grant_id) {
            io.err << "spire: user " << email << " was created (id " << *user_id
                   << "), but the role " << identity::role_key(role) << " could not be given:\n";
            command::print_error(io.err, grant_id.error());
            return FAILED;
        }
        granted += (granted.empty() ? "" : ", ") + describe_grant(role, unit, grant.fund_id);
    }
    io.out << "spire: created user " << email << " (id " << *user_id << ") in " << slug
           << " with the roles " << granted << "\n";
    if (password->empty())
        io.out << "spire: no password set: the user cannot log in until one is set with 'spire "
                  "user set-password'\n";
    return OK;
}

int user_set_password(const std::vector<std::string>& args, CommandIo io) {
    const std::vector<FlagSpec> specs = {
        command::db_flag(),
        {"email", FlagKind::Value, "", "e-mail address of the user"},
        password_flag(),
        password_stdin_flag(),
    };
    int code = OK;
    auto options = command::parse_flags(
        "user set-password",
        "Sets a user's password and ends all their sessions. The password comes from one line "
        "of standard input (--password-stdin) or from SPIRE_PASSWORD.",
        specs, args, io, code, EchoArguments::No);
    if (!options)
        return code;
    if (auto missing = missing_flag(*options, {"email"})) {
        command::usage_error(io, "user set-password", *missing);
        return USAGE;
    }
    auto password = read_password(*options, "user set-password", io);
    if (!password)
        return USAGE;
    if (password->empty()) {
        command::usage_error(io, "user set-password",
                             "no password given: use --password-stdin or SPIRE_PASSWORD");
        return USAGE;
    }
    auto database = command::open_migrated(options->get("db"), io);
    if (!database)
        return FAILED;
    IdentityService service(database);
    std::string email = options->get("email");
    auto changed = service.set_password(Actor::system("cli"), email, *password);
    if (!changed) {
        command::print_error(io.err, changed.error());
        return FAILED;
    }
    io.out << "spire: password changed for " << identity::normalise_email(email).value_or(email)
           << "; their sessions were ended\n";
    return OK;
}

constexpr Subcommand USER_SUBCOMMANDS[] = {
    {"add", "add a user with roles", user_add},
    {"set-password", "set a user's password (ends their sessions)", user_set_password},
};

// --- spire audit -------------------------------------------------------------

// A verification must not change what it verifies: no migrations, and no
// new empty SQLite file for a mistyped path.
std::shared_ptr<db::Database> open_existing(const std::string& url, CommandIo io) {
    if (url.starts_with("sqlite:")) {
        std::filesystem::path path = url.substr(std::string_view("sqlite:").size());
        std::error_code ec;
        if (!std::filesystem::is_regular_file(path, ec)) {
            io.err << "spire: cannot open database: no database file at " << path.string() << "\n";
            return nullptr;
        }
    }
    auto database = db::Database::open(url, 1);
    if (!database) {
        command::print_database_error(io.err, "cannot open database", database.error());
        return nullptr;
    }
    return std::shared_ptr<db::Database>(std::move(*database));
}

int audit_verify(const std::vector<std::string>& args, CommandIo io) {
    const std::vector<FlagSpec> specs = {command::db_flag()};
    int code = OK;
    auto options = command::parse_flags(
        "audit verify",
        "Checks the audit log's hash chain: exit code 0 when intact, 1 naming the first entry "
        "that was changed, removed or reordered. Keep the printed last entry elsewhere: only a "
        "comparison with it shows entries cut off the end.",
        specs, args, io, code);
    if (!options)
        return code;
    auto database = open_existing(options->get("db"), io);
    if (!database)
        return FAILED;
    return identity::run_audit_verify(*database, io.out, io.err);
}

constexpr Subcommand AUDIT_SUBCOMMANDS[] = {
    {"verify", "check the audit log's hash chain", audit_verify},
};

} // namespace

int run_org_command(const std::vector<std::string>& args, CommandIo io) {
    return dispatch("org", ORG_SUBCOMMANDS, args, io);
}

int run_user_command(const std::vector<std::string>& args, CommandIo io) {
    return dispatch("user", USER_SUBCOMMANDS, args, io);
}

int run_audit_command(const std::vector<std::string>& args, CommandIo io) {
    return dispatch("audit", AUDIT_SUBCOMMANDS, args, io);
}

} // namespace spire::app
