#pragma once

// The recommendation and decision pages (DESIGN.md §11, issue 7 items 3–4).
//
// Fund managers of the call's fund (decision makers and auditors read):
//   GET  /calls/{id}/manage/decisions        decisions made, recommendations,
//                                            and the proposal form per
//                                            application (outcome, amount per
//                                            year, justification)
//        ?scenario={s}&method={m}            the form filled in from what
//                                            method m of allocation scenario
//                                            s funds (decisions/from_scenario.hpp)
//   POST /calls/{id}/manage/decisions        create and submit a recommendation
// Decision makers:
//   GET  /decisions                          recommendations waiting
//   GET  /decisions/{r}                      one recommendation with its proposals
//   POST /decisions/{r}/approve              approve it as it is
//   POST /decisions/{r}/reject               reject it (note)
//   POST /decisions/{r}/applications/{a}     decide one application otherwise
// Staff of the fund, and the applicant through their application:
//   GET  /letters/{d}                        the decision letter as sent
//                                            (printable)

#include "allocation/service.hpp"
#include "applications/service.hpp"
#include "decisions/service.hpp"
#include "http/router.hpp"
#include "web/view.hpp"

#include <memory>

namespace spire::decisions {

struct DecisionsRoutesDeps {
    std::shared_ptr<DecisionsService> decisions;
    std::shared_ptr<applications::ApplicationsService> applications;
    std::shared_ptr<allocation::AllocationService> allocation;
    std::shared_ptr<const web::View> view;
};

void register_decisions_routes(http::Router& router, DecisionsRoutesDeps deps);

} // namespace spire::decisions
