#pragma once

// The calls module's pages (DESIGN.md §11).
//
// Public (no login needed; published and closed calls only):
//   GET  /                                             the front page: the fund and
//                                                      the calls open now
//   GET  /calls                                        published calls of every
//                                                      organisation, by organisation
//   GET  /calls/{id}                                   one call
// Fund managers (auditors and admins read; decision makers see the list):
//   GET  /funds/{id}/calls                             a fund's calls
//   GET  /funds/{id}/calls/new, POST /funds/{id}/calls a new call (draft)
//   GET  /calls/{id}/manage, POST                      settings
//   POST /calls/{id}/publish, POST /calls/{id}/close   status
//   GET  /calls/{id}/manage/criteria, POST (add)       criteria
//   GET  /calls/{id}/manage/criteria/{c}, POST (save)
//   POST /calls/{id}/manage/criteria/{c}/remove, .../move (direction=up|down)
//   GET  /calls/{id}/manage/form                       the application form
//   POST /calls/{id}/manage/form/sections (add), GET/POST .../sections/{s},
//        POST .../sections/{s}/remove, .../sections/{s}/move
//   POST /calls/{id}/manage/form/fields (add), GET/POST .../fields/{f},
//        POST .../fields/{f}/remove, .../fields/{f}/move, .../fields/{f}/active
// The organisation's catalogues (they belong to the organisation, not to a
// fund; everyone logged in reads them, fund managers edit them):
//   GET  /calls/external, POST (add), GET/POST /calls/external/{e}
//   GET  /calls/partnership-models, POST (add), GET/POST /calls/partnership-models/{m}

#include "calls/service.hpp"
#include "funds/service.hpp"
#include "http/router.hpp"
#include "web/view.hpp"

#include <memory>

namespace spire::calls {

struct CallsRoutesDeps {
    std::shared_ptr<CallsService> calls;
    std::shared_ptr<funds::FundsService> funds;
    std::shared_ptr<const web::View> view;
};

void register_calls_routes(http::Router& router, CallsRoutesDeps deps);

} // namespace spire::calls
