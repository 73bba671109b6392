#include "app/allocation_commands.hpp"

#include "allocation/allocate.hpp"
#include "allocation/lottery.hpp"
#include "allocation/scenario_file.hpp"

#include <iterator>
#include <sstream>

namespace spire::app {

namespace {

using command::FAILED;
using command::OK;
using command::USAGE;

constexpr const char* ALLOCATE_SUMMARY =
    "Runs the allocation scenario in FILE (JSON, see docs/allocation-file.md; '-' reads standard "
    "input) and prints the result as JSON.";
constexpr const char* VERIFY_SUMMARY =
    "Re-runs a lottery draw: FILE is a lottery record, a result with one, or {\"scenario\": ..., "
    "\"result\": ...}. Prints 'verified' (exit 0) or what does not match (exit 1).";

// The one FILE argument of a command, or nullopt after explaining (code set).
std::optional<std::string> file_argument(std::string_view command, std::string_view summary,
                                         const std::vector<std::string>& args, CommandIo io,
                                         int& code) {
    auto options = Options::parse({}, args);
    if (!options) {
        command::usage_error(io, command, options.error().message);
        code = USAGE;
        return std::nullopt;
    }
    if (options->help_requested()) {
        io.out << "Usage: spire " << command << " FILE\n\n" << summary << "\n";
        code = OK;
        return std::nullopt;
    }
    if (options->positional().size() != 1) {
        command::usage_error(io, command,
                             options->positional().empty() ? "FILE is required"
                                                           : "give exactly one FILE");
        code = USAGE;
        return std::nullopt;
    }
    return options->positional().front();
}

std::string join(const std::vector<std::string>& ids) {
    std::string text;
    for (const auto& id : ids)
        text += (text.empty() ? "" : ", ") + id;
    return text;
}

int lottery_verify(const std::vector<std::string>& args, CommandIo io) {
    int code = 0;
    auto path = file_argument("lottery verify", VERIFY_SUMMARY, args, io, code);
    if (!path)
        return code;
    auto text = command::read_input(*path, allocation::MAX_FILE_BYTES, io);
    if (!text)
        return USAGE;
    auto input = allocation::parse_verify_input(*text);
    if (!input) {
        command::print_file_error(io.err, *path, input.error());
        return USAGE;
    }
    auto verification = input->scenario
                            ? allocation::verify_lottery(*input->scenario, input->record)
                            : allocation::verify_lottery(input->record);
    if (!verification.matches) {
        io.out << "does not match:\n";
        for (const auto& difference : verification.differences)
            io.out << "  " << difference << "\n";
        return FAILED;
    }
    io.out << "verified: " << input->record.members.size() << " in the lottery group, winners: ["
           << join(input->record.winners) << "]"
           << (input->scenario ? " (re-run from the scenario)" : "") << "\n";
    return OK;
}

int allocate(const std::vector<std::string>& args, CommandIo io) {
    int code = 0;
    auto path = file_argument("allocate", ALLOCATE_SUMMARY, args, io, code);
    if (!path)
        return code;
    auto text = command::read_input(*path, allocation::MAX_FILE_BYTES, io);
    if (!text)
        return USAGE;
    auto scenario = allocation::parse_scenario(*text);
    if (!scenario) {
        command::print_file_error(io.err, *path, scenario.error());
        return USAGE;
    }
    auto run = allocation::allocate(*scenario);
    if (!run) { // parse_scenario validated it: only as a safeguard
        command::print_file_error(io.err, *path, run.error());
        return USAGE;
    }
    io.out << allocation::write_result(*run) << "\n";
    const auto& allocation = run->allocation;
    if (allocation.status == allocation::SolveStatus::Infeasible ||
        allocation.status == allocation::SolveStatus::NoSolution) {
        io.err << "spire: " << allocation::solve_status_key(allocation.status) << ": "
               << allocation.message << "\n";
        return FAILED;
    }
    return OK;
}

int lottery(const std::vector<std::string>& args, CommandIo io) {
    constexpr const char* GROUP_USAGE = "Usage: spire lottery SUBCOMMAND [flags]\n\n"
                                        "Subcommands:\n"
                                        "  verify          re-run a recorded lottery draw\n\n"
                                        "Run 'spire lottery verify --help' for its arguments.\n";
    if (args.empty()) {
        io.err << GROUP_USAGE;
        return USAGE;
    }
    if (args.front() == "--help" || args.front() == "-h" || args.front() == "help") {
        io.out << GROUP_USAGE;
        return OK;
    }
    if (args.front() != "verify") {
        io.err << "spire: unknown subcommand '" << args.front() << "' of spire lottery\n"
               << GROUP_USAGE;
        return USAGE;
    }
    return lottery_verify(std::vector<std::string>(args.begin() + 1, args.end()), io);
}

// An unexpected failure (out of memory, an exception from the solver)
// becomes a message and exit code 1, like the other commands' dispatch.
template <class Command>
int guarded(std::string_view name, CommandIo io, Command&& command) {
    try {
        return command();
    } catch (const std::exception& e) {
        io.err << "spire: " << name << " failed: " << e.what() << "\n";
        return FAILED;
    }
}

} // namespace

int run_allocate_command(const std::vector<std::string>& args, CommandIo io) {
    return guarded("allocate", io, [&] { return allocate(args, io); });
}

int run_lottery_command(const std::vector<std::string>& args, CommandIo io) {
    return guarded("lottery", io, [&] { return lottery(args, io); });
}

} // namespace spire::app
