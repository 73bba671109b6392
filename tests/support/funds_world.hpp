#pragma once

// A small Bærum-like world for the funds tests: two organisations, a fund
// 2017–2020 with four programmes in the first, one user per role that
// matters to funds, and the services on their own pool of the test database
// (as the application opens it).

#include "funds/service.hpp"
#include "identity/service.hpp"

#include <memory>
#include <string>

namespace spire::test {

struct FundsWorld {
    std::shared_ptr<db::Database> database;
    std::unique_ptr<identity::IdentityService> identity;
    std::unique_ptr<funds::FundsService> funds;

    identity::Id baerum = 0, asker = 0;
    identity::Id fund = 0; // Bærum's, 2017–2020, carry-over allowed
    identity::Id risk = 0, research = 0, social = 0, rd = 0;

    // Users of Bærum (the manager's grant is for `fund` only) and Asker.
    identity::Principal manager, admin, auditor, decision_maker, reviewer, other_manager;
    identity::Principal asker_admin;

    // Opens a pool of `pool_size` sessions on `url` (a migrated database)
    // and builds the world through the services (system actor).
    // With Durability::Relaxed, SQLite connections commit without fsync
    // (PRAGMA synchronous = OFF): for tests that commit thousands of times
    // and test nothing about durability.
    enum class Durability { Full, Relaxed };
    static std::unique_ptr<FundsWorld> create(const std::string& url, std::size_t pool_size = 2,
                                              funds::FundsOptions options = {},
                                              Durability durability = Durability::Full);

    identity::Actor as(const identity::Principal& principal) const {
        return identity::Actor::web(&principal, "req-test");
    }
    static identity::Actor system() { return identity::Actor::system("test"); }

    // A user in `organisation` with one grant, as a Principal (no login).
    identity::Principal user(identity::Id organisation, const std::string& email,
                             identity::Role role,
                             std::optional<identity::Id> fund_id = std::nullopt);
};

} // namespace spire::test
