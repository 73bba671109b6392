#pragma once

// Who may do what with applications. Pure functions; see core/decision.hpp.
//
//   applicant / unit leader  for the application's unit (Principal::
//                            has_role_for_unit): create, view, edit (drafts),
//                            submit, withdraw, download, history
//   unit leader              of the unit: also endorse and return while it
//                            awaits endorsement; the endorsement queue
//   fund manager             of the fund (grant for the fund or the whole
//                            organisation): view, download, history,
//                            revisions, the staff list and exports of
//                            applications submitted at least once; return a
//                            submitted one to draft
//   decision maker           of the fund: view, download, history,
//                            revisions, list, export (submitted at least once)
//   auditor                  reads everything submitted at least once, and
//                            lists; writes nothing
//   anyone else              NotFound for one application (it is not theirs
//                            to know about), Forbidden for lists
//   other tenants            NotFound
//
// A draft that was never submitted is the unit's own: staff do not see it.

#include "applications/model.hpp"
#include "core/decision.hpp"
#include "identity/model.hpp"

#include <optional>

namespace spire::applications {

using identity::Principal;

enum class ApplicationsAction {
    Create,           // resource: organisation and unit
    View,             // the application, its attachments' list
    Edit,             // save parts, add/remove attachments
    Submit,           // and check_submission
    Endorse,          // unit leader
    Return,           // to draft with a comment
    Withdraw,         // applicant
    Download,         // an attachment's bytes
    ViewHistory,      // status history
    ViewRevisions,    // revisions and their comparison
    ListOwn,          // /my: resource organisation only
    EndorsementQueue, // /my/endorsements: resource organisation only
    ListStaff,        // /applications: resource organisation (and fund when filtered)
    Export,           // the staff list as CSV/XLSX
};

inline constexpr ApplicationsAction ALL_APPLICATIONS_ACTIONS[] = {
    ApplicationsAction::Create,      ApplicationsAction::View,
    ApplicationsAction::Edit,        ApplicationsAction::Submit,
    ApplicationsAction::Endorse,     ApplicationsAction::Return,
    ApplicationsAction::Withdraw,    ApplicationsAction::Download,
    ApplicationsAction::ViewHistory, ApplicationsAction::ViewRevisions,
    ApplicationsAction::ListOwn,     ApplicationsAction::EndorsementQueue,
    ApplicationsAction::ListStaff,   ApplicationsAction::Export};

// The application as authorisation sees it. For list actions only
// organisation_id (and fund_id when the list is limited to one fund).
struct ApplicationResource {
    Id organisation_id = 0;
    std::optional<Id> unit_id;
    std::optional<Id> fund_id;
    Status status = Status::Draft;
    bool submitted_once = false; // a revision exists
};

// `user` is null for anonymous requests. The status is not checked here
// (editing a submitted application is a Conflict, not a permission matter),
// except that staff never see applications not yet submitted once.
Decision authorize(const Principal* user, ApplicationsAction action,
                   const ApplicationResource& resource);

// Whether the user acts for the unit as applicant or unit leader.
bool applies_for_unit(const Principal& user, Id unit_id);
// Whether the user is a fund manager / decision maker for the fund, or an
// auditor: staff who read submitted applications of that fund.
bool reads_fund_applications(const Principal& user, Id fund_id);

} // namespace spire::applications
