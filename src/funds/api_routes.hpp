#pragma once

// The funds module's JSON API (DESIGN.md §12) and its ledger downloads:
//
//   GET /api/v1/funds/{id}/budget    the budget summary, year × programme
//   GET /api/v1/funds/{id}/ledger    one page of entries (filters as the
//                                    ledger page; ?page=&per_page=)
//   GET /funds/{id}/ledger.csv       every matching entry, oldest first
//   GET /funds/{id}/ledger.xlsx
//
// Same use cases and authorisation as the pages: the service decides (the
// budget: fund managers of the fund, decision makers, auditors and
// administrators; the ledger and its exports: not decision makers). Other
// organisations' funds answer 404 as if they did not exist. The API answers
// every error as application/problem+json, 401 when not logged in; the
// downloads answer like pages (login redirect, error page).

#include "funds/service.hpp"
#include "http/router.hpp"
#include "web/view.hpp"

#include <memory>

namespace spire::funds {

struct FundsApiDeps {
    std::shared_ptr<FundsService> service;
    // Translates problem titles and details, headers and labels of the
    // exports; null: English.
    std::shared_ptr<const web::View> view;
};

void register_funds_api_routes(http::Router& router, FundsApiDeps deps);
void register_funds_export_routes(http::Router& router, FundsApiDeps deps);

} // namespace spire::funds
