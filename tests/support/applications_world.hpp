#pragma once

// A world for the applications tests: the funds world (Bærum and Asker, a
// fund with four programmes) plus service units, applicants and unit
// leaders, catalogues (an external call, partnership models) and three
// published calls with criteria and a form, made through CallsService.

#include "applications/service.hpp"
#include "calls/service.hpp"
#include "support/funds_world.hpp"

#include <memory>
#include <string>

namespace spire::test {

struct ApplicationsWorld {
    std::unique_ptr<FundsWorld> funds;
    std::unique_ptr<calls::CallsService> calls;
    std::unique_ptr<applications::ApplicationsService> applications;
    // The clock the applications service reads; tests move it.
    std::shared_ptr<TimePoint> clock;

    identity::Id school = 0, nursing_home = 0; // Bærum service units
    identity::Id asker_unit = 0;
    // Calls of Bærum: risk capital (endorsement required, closes in 30 days),
    // research co-funding (no endorsement, rolling), social entrepreneurs
    // (no endorsement, rolling).
    identity::Id risk_call = 0, research_call = 0, social_call = 0;
    identity::Id text_field = 0, number_field = 0, choice_field = 0, file_field = 0;
    identity::Id choice_a = 0, choice_b = 0;
    identity::Id external_call = 0;     // requires 20 % own share
    identity::Id partnership_model = 0; // "Pilotavtale"

    identity::Principal applicant, leader, other_applicant, asker_applicant;

    static std::unique_ptr<ApplicationsWorld> create(const std::string& url,
                                                     std::size_t pool_size = 2);

    identity::Actor as(const identity::Principal& principal) const {
        return identity::Actor::web(&principal, "req-test");
    }
    // A user with one grant scoped to a unit.
    identity::Principal unit_user(identity::Id organisation, const std::string& email,
                                  identity::Role role, identity::Id unit);
};

} // namespace spire::test
