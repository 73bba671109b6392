#pragma once

// The ranking pages (issue 6 §5, §6; DESIGN.md §11), for the fund's
// managers and decision makers (review/ranking_policy.hpp):
//
//   GET /calls/{id}/manage/ranking?sort=&dir=          table, rank plot, ICC
//   GET /calls/{id}/manage/ranking.csv, .xlsx          the table as a file
//   GET /calls/{id}/manage/ranking/review-data.json    the review-data file
//                                                      (docs/ranking-file.md)
//
// Server-rendered, no JavaScript needed: the table sorts by links in its
// column headers.

#include "http/router.hpp"
#include "review/ranking_service.hpp"
#include "web/view.hpp"

#include <memory>

namespace spire::review {

struct RankingRoutesDeps {
    std::shared_ptr<RankingService> ranking;
    std::shared_ptr<const web::View> view;
};

void register_ranking_routes(http::Router& router, RankingRoutesDeps deps);

} // namespace spire::review
