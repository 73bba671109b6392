#pragma once

// Offline allocation commands (issue #7, docs/allocation-file.md):
//
//   spire allocate FILE          run the scenario in FILE ('-': standard
//                                input) and print the result JSON
//   spire lottery verify FILE    re-run a recorded lottery draw
//
// Exit codes: allocate 0 with a portfolio, 1 when the scenario has none
// (infeasible, or no solution within the time limit; the JSON still says
// why), 2 for bad usage or a bad file. lottery verify: 0 "verified", 1 "does
// not match" with each difference, 2 for bad usage or a bad file. Neither
// touches a database.

#include "app/identity_commands.hpp"

#include <string>
#include <vector>

namespace spire::app {

int run_allocate_command(const std::vector<std::string>& args, CommandIo io);
int run_lottery_command(const std::vector<std::string>& args, CommandIo io);

} // namespace spire::app
