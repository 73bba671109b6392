#pragma once

// `spire rank FILE`: ranks the applications of a ranking file
// (review/ranking_file.hpp, docs/ranking-file.md) offline and prints the
// result as JSON on standard output. FILE "-" reads standard input.
//
// Exit codes as the other commands (app/identity_commands.hpp): 0 ranked,
// 2 usage error or a bad file (every problem on standard error, each with
// its place in the file), 1 an unexpected failure.

#include "app/identity_commands.hpp"

#include <string>
#include <vector>

namespace spire::app {

int run_rank_command(const std::vector<std::string>& args, CommandIo io);

} // namespace spire::app
