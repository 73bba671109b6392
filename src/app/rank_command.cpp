#include "app/rank_command.hpp"

#include "review/ranking.hpp"
#include "review/ranking_file.hpp"

#include <exception>
#include <fstream>
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

// At most MAX_RANKING_FILE_BYTES + 1 bytes of `in`: one more than allowed is
// enough for the parser to refuse the file as too large.
std::string read_limited(std::istream& in) {
    std::string text;
    char buffer[64 * 1024];
    while (text.size() <= review::MAX_RANKING_FILE_BYTES &&
           in.read(buffer, sizeof buffer).gcount() > 0)
        text.append(buffer, static_cast<std::size_t>(in.gcount()));
    return text;
}

// The file's text, or nullopt after saying why it could not be read.
std::optional<std::string> read_input(const std::string& path, CommandIo io) {
    if (path == "-")
        return read_limited(io.in);
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        io.err << "spire: cannot read " << path << "\n";
        return std::nullopt;
    }
    std::string text = read_limited(file);
    if (file.bad()) {
        io.err << "spire: cannot read " << path << "\n";
        return std::nullopt;
    }
    return text;
}

void print_problems(std::ostream& err, const std::string& path, const Error& error) {
    err << "spire: " << (path == "-" ? "standard input" : path) << ": " << error.message << "\n";
    for (const auto& field : error.fields)
        err << "  " << field.field << ": " << field.message << "\n";
}

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
        auto text = read_input(path, io);
        if (!text)
            return command::USAGE;
        auto input = review::parse_ranking_input(*text);
        if (!input) {
            print_problems(io.err, path, input.error());
            return command::USAGE;
        }
        auto result = review::rank_applications(*input);
        if (!result) {
            print_problems(io.err, path, result.error());
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
