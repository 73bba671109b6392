#pragma once

// The calls part of `spire demo` (issue 5): Bærum's calls for proposals in
// the research and innovation fund (two rounds of internal risk capital a
// year, a rolling call for social entrepreneurs, research co-funding), each
// with the innovation council's criteria and a small application form; and
// the organisation's catalogues of external calls and partnership models.

#include "app/demo.hpp"
#include "app/demo_funds.hpp"
#include "core/error.hpp"
#include "identity/model.hpp"

#include <map>
#include <string>
#include <vector>

namespace spire::calls {
class CallsService;
struct CriterionInput;
} // namespace spire::calls

namespace spire::app {

struct DemoCalls {
    std::map<std::string, identity::Id> calls;              // by title
    std::map<std::string, identity::Id> external_calls;     // by title
    std::map<std::string, identity::Id> partnership_models; // by name
};

// The innovation council's criteria for the risk-capital calls.
const std::vector<calls::CriterionInput>& demo_criteria();

// Runs after create_demo_funds(), as the system.
Result<DemoCalls> create_demo_calls(calls::CallsService& calls, const DemoFunds& funds,
                                    const DemoIdentity& made);

} // namespace spire::app
