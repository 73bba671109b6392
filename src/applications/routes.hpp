#pragma once

// The applications module's pages (DESIGN.md §11, issue 5):
//
//   applicants and unit leaders
//     GET  /my                                    own units' applications, open calls
//     GET  /my/endorsements                       unit leader: waiting for endorsement
//     GET  /applications/new?call=ID, POST /applications    start a draft
//     GET  /applications/{id}, POST               details and the call's form
//     GET  /applications/{id}/budget, POST        year × cost type grid
//     GET  /applications/{id}/financing, POST     financing plan rows
//     GET  /applications/{id}/partners, POST      partner rows
//     GET  /applications/{id}/attachments, POST   list, upload (multipart, ≤ 20 MB)
//     GET  /applications/{id}/attachments/{a}     download
//     POST /applications/{id}/attachments/{a}/remove
//     GET  /applications/{id}/history?from=&to=   status history, revisions, diff
//     GET  /applications/{id}/submit, POST        check list, submit
//     GET  /applications/{id}/receipt
//     POST /applications/{id}/withdraw, /endorse, /return
//   staff
//     GET  /applications?call=&programme=&status=&unit=&theme=&q=&sort=&dir=&page=
//     GET  /applications/export.csv, /applications/export.xlsx (same filters)
//   API (DESIGN.md §12)
//     GET  /api/v1/applications                   the staff list, paginated
//     GET  /api/v1/applications/{id}
//
// Every tab is a normal form that saves its part; read-only for staff and
// once the application has left Draft. The service decides; handlers parse,
// call it and render.

#include "applications/service.hpp"
#include "http/router.hpp"
#include "web/view.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace spire::applications {

// The outcome of screening an application (review module), as its page
// shows it to the applicant.
struct ScreeningNote {
    bool eligible = true;
    std::string reason;
};
// None when the application has not been screened; the caller has already
// checked that the user may see the application.
using ScreeningLookup = std::function<std::optional<ScreeningNote>(Id application_id)>;

// The decision on an application (decisions module), as its page shows it:
// the outcome and a link to the letter as it was sent.
struct DecisionNote {
    std::string outcome_label; // msgid
    std::string letter_href;   // "/letters/{decision id}"
};
using DecisionLookup = std::function<std::optional<DecisionNote>(Id application_id)>;

struct ApplicationsRoutesDeps {
    std::shared_ptr<ApplicationsService> applications;
    std::shared_ptr<const web::View> view;
    // The screening shown on the application's page; null: not shown.
    ScreeningLookup screening;
    // The decision shown on the application's page; null: not shown.
    DecisionLookup decision;
};

// An upload's body: a 20 MB file, its multipart framing and the other fields.
inline constexpr std::size_t UPLOAD_BODY_LIMIT = 21u << 20;

void register_applications_routes(http::Router& router, ApplicationsRoutesDeps deps);
void register_applications_export_routes(http::Router& router, ApplicationsRoutesDeps deps);
void register_applications_api_routes(http::Router& router, ApplicationsRoutesDeps deps);

} // namespace spire::applications
