#include "app/rank_command.hpp"

#include "review/ranking.hpp"
#include "review/ranking_file.hpp"

#include <exception>
#include <iostream>
#include <iterator>
#include <optional>

namespace spire::app {

namespace {

constexpr const char* RANK_USAGE = R"(Usage: spire rank FILE

Ranks the applications in a ranking file (docs/ranking-file.md) with the
calibrated model (DESIGN.md section 5) and prints the result as JSON: per
application the expected rank, 50 % and 90 % rank intervals, calibrated
quality, raw mean, spread, disagreement and threshold failures; the call's
ICC. The same file (and its seed) always gives the same result.

  FILE      the ranking file; - reads standard input
  --help    show this help
)";

} // namespace

int run_rank_command(const std::vector<std::string>& args, CommandIo io) {
    auto options = Options::parse({}, args);
    if (!options) {
        command::usage_error(io, "rank", options.error().message);
        return command::USAGE;
    }
    if (options->help_requested()) {
        io.out << RANK_USAGE;
        return command::OK;
    }
    if (options->positional().size() != 1) {
        command::usage_error(io, "rank",
                             options->positional().empty()
                                 ? std::string("give the ranking file (or - for standard input)")
                                 : "give one ranking file, not " +
                                       std::to_string(options->positional().size()));
        return command::USAGE;
    }
    const std::string& path = options->positional().front();
    try {
        auto text = command::read_input(path, review::MAX_RANKING_FILE_BYTES, io);
        if (!text)
            return command::USAGE;
        auto input = review::parse_ranking_input(*text);
        if (!input) {
            command::print_file_error(io.err, path, input.error());
            return command::USAGE;
        }
        auto result = review::rank_applications(*input);
        if (!result) {
            command::print_file_error(io.err, path, result.error());
            return command::USAGE;
        }
        io.out << review::write_ranking_result(*result);
        io.out.flush();
        return command::OK;
    } catch (const std::exception& e) {
        io.err << "spire: rank failed: " << e.what() << "\n";
        return command::FAILED;
    }
}

} // namespace spire::app
