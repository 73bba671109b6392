#pragma once

// The review's pages (DESIGN.md §11).
//
// Fund managers of the call's fund (auditors read):
//   GET  /calls/{id}/manage/screening                 screening list
//   POST /calls/{id}/manage/screening/{application}   eligible / not (reason)
//   GET  /calls/{id}/manage/reviewers                 settings, pool, progress,
//                                                     assignments
//   POST /calls/{id}/manage/reviewers/settings        reviews per application,
//                                                     review period, sharing
//   POST /calls/{id}/manage/reviewers/pool            user_id, in_pool=1|0
//   POST /calls/{id}/manage/reviewers/auto            automatic assignment
//   POST /calls/{id}/manage/reviewers/assign          application_id, reviewer_id
//   POST /calls/{id}/manage/reviewers/assignments/{a}/withdraw
//   POST /calls/{id}/manage/reviewers/assignments/{a}/reopen
//   GET  /calls/{id}/manage/conflicts                 declarations of the call
//   POST /calls/{id}/manage/conflicts                 record a conflict
// Reviewers:
//   GET  /reviews                                     my assignments, declarations
//   GET  /reviews/{a}                                 declaration first, then scoring
//   POST /reviews/{a}/declaration                     no conflict / conflict
//   POST /reviews/{a}                                 save draft or submit (action=)

#include "http/router.hpp"
#include "review/service.hpp"
#include "web/view.hpp"

#include <memory>

namespace spire::review {

struct ReviewRoutesDeps {
    std::shared_ptr<ReviewService> review;
    std::shared_ptr<const web::View> view;
};

void register_review_routes(http::Router& router, ReviewRoutesDeps deps);

} // namespace spire::review
