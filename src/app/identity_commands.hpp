#pragma once

// Administrative commands of the identity module (DESIGN.md §7):
//
//   spire org add --slug baerum --name "Bærum kommune"
//   spire user add --org baerum --email E --name N --role ROLE [--role ROLE ...]
//   spire user set-password --email E --password-stdin
//   spire audit verify
//
// Each returns the process exit code: 0 done, 1 failed (the reason is
// printed), 2 usage error (bad or missing flags). Everything goes through
// IdentityService as Actor::system("cli"), so it is validated and audited
// like a change made in the web UI. Passwords are never printed.

#include "app/options.hpp"
#include "core/error.hpp"

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spire::db {
class Database;
}

namespace spire::app {

// Where a command reads (a password with --password-stdin) and writes.
struct CommandIo {
    std::istream& in;
    std::ostream& out;
    std::ostream& err;
};
CommandIo standard_io();

// `args` is what follows the command name, e.g. {"add", "--slug", "x"}.
int run_org_command(const std::vector<std::string>& args, CommandIo io);
int run_user_command(const std::vector<std::string>& args, CommandIo io);
int run_audit_command(const std::vector<std::string>& args, CommandIo io);

// --- Shared by the administrative commands (also `spire demo`) -------------

namespace command {

inline constexpr int OK = 0;
inline constexpr int FAILED = 1;
inline constexpr int USAGE = 2;

// Whether a usage message may quote a stray argument back: not for commands
// that take a password, which could be that argument.
enum class EchoArguments { Yes, No };

FlagSpec db_flag();

// Parses the flags or explains why not: nullopt means "exit with `code`"
// (0 after --help, 2 after a usage error).
std::optional<Options> parse_flags(std::string_view command, std::string_view summary,
                                   const std::vector<FlagSpec>& specs,
                                   const std::vector<std::string>& args, CommandIo io, int& code,
                                   EchoArguments echo = EchoArguments::Yes);

// Prints "spire: <message>" and, if any, " (see: spire <command> --help)".
void usage_error(CommandIo io, std::string_view command, const std::string& message);

// Opens the database and applies pending migrations, reporting each applied
// one on `out`; on failure prints why on `err` and returns null.
std::shared_ptr<db::Database> open_migrated(const std::string& url, CommandIo io,
                                            std::size_t pool_size = 1);

// "spire: <message>" and one indented line per field error, naming the flag
// the field came from where there is one.
void print_error(std::ostream& err, const Error& error);

// The whole of the input file, or standard input for "-", refusing more than
// max_bytes; nullopt after printing why it could not be read.
std::optional<std::string> read_input(const std::string& path, std::size_t max_bytes, CommandIo io);

// "spire: <file>: <message>" and one "  <place>: <problem>" line per
// problem: what is wrong in an input file, named by where it is in it.
void print_file_error(std::ostream& err, const std::string& path, const Error& error);

} // namespace command

} // namespace spire::app
