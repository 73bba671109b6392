#pragma once

// The allocation pages (issue 7 §1, §2; DESIGN.md §11), for the fund's
// managers (decision makers and auditors read; allocation/policy.hpp):
//
//   GET  /calls/{id}/manage/allocation                    saved scenarios
//   GET  /calls/{id}/manage/allocation/new                the form
//   POST /calls/{id}/manage/allocation                    save a scenario
//   GET  /calls/{id}/manage/allocation/{s}                the three methods
//   POST /calls/{id}/manage/allocation/{s}/seed           publish the seed
//   POST /calls/{id}/manage/allocation/{s}/draw           draw and record
//   GET  /calls/{id}/manage/allocation/{s}/scenario.json?method=
//                                                         for `spire allocate`
//   GET  /calls/{id}/manage/allocation/{s}/lottery.json   the recorded draw,
//                                                         for `spire lottery verify`
//
// Server-rendered; every form is a plain POST (no JavaScript).

#include "allocation/service.hpp"
#include "http/router.hpp"
#include "web/view.hpp"

#include <memory>

namespace spire::allocation {

struct AllocationRoutesDeps {
    std::shared_ptr<AllocationService> allocation;
    std::shared_ptr<const web::View> view;
};

void register_allocation_routes(http::Router& router, AllocationRoutesDeps deps);

} // namespace spire::allocation
