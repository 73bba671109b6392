#pragma once

// The funds module's pages (DESIGN.md §11), for fund managers, admins,
// auditors and decision makers:
//
//   GET  /funds, GET /funds/new, POST /funds           list, add a fund
//   GET  /funds/{id}                                   overview
//   GET  /funds/{id}/edit, POST /funds/{id}/edit       settings
//   GET  /funds/{id}/programmes, POST (add)            programmes
//   GET  /funds/{id}/programmes/{p}, POST (save)       one programme
//   GET  /funds/{id}/budget                            year × programme, chart
//   POST /funds/{id}/frames                            set a frame
//   POST /funds/{id}/carry-over                        year-end carry-over
//   GET  /funds/{id}/ledger?year=&programme_id=&kind=&reference_type=&reference_id=&page=
//   GET  /funds/{id}/postings/new, POST /funds/{id}/postings
//   GET  /funds/{id}/ledger/{entry}/reverse, POST      reverse an entry

#include "funds/service.hpp"
#include "http/router.hpp"
#include "web/view.hpp"

#include <memory>

namespace spire::funds {

struct FundsRoutesDeps {
    std::shared_ptr<FundsService> funds;
    std::shared_ptr<const web::View> view;
};

void register_funds_routes(http::Router& router, FundsRoutesDeps deps);

} // namespace spire::funds
