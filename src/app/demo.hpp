#pragma once

// `spire demo`: a believable Bærum-like world on an empty database
// (DESIGN.md §13), built through the services as Actor::system("demo") so
// every change is validated and audited like any other. One function per
// part; later modules add theirs (funds, calls, applications ...) after the
// identity part and use what it returns.

#include "app/identity_commands.hpp"
#include "core/error.hpp"
#include "identity/model.hpp"

#include <map>
#include <string>
#include <vector>

namespace spire::identity {
class IdentityService;
}

namespace spire::app {

inline constexpr const char* DEMO_PASSWORD = "spire-demo-2017";

// One demo login, for the table printed at the end.
struct DemoLogin {
    std::string email;
    std::string name;
    std::string roles; // "applicant (Bekkestua barnehage)"
};

// What the identity part made, for the parts that build on it.
struct DemoIdentity {
    identity::Id baerum = 0;
    identity::Id asker = 0;
    std::map<std::string, identity::Id> baerum_units; // by name
    std::map<std::string, identity::Id> asker_units;  // by name
    std::map<std::string, identity::Id> users;        // by e-mail, both organisations
    std::vector<DemoLogin> logins;                    // in creation order
};

// Organisations, unit trees and one user per role. Stops at the first
// refusal (there should be none on an empty database).
Result<DemoIdentity> create_demo_identity(identity::IdentityService& service,
                                          const std::string& password);

// spire demo [--db URL] [--password P]. Skips, saying so, when the
// organisation "baerum" already exists.
int run_demo_command(const std::vector<std::string>& args, CommandIo io);

} // namespace spire::app
