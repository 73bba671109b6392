#pragma once

// Who may do what with calls and the organisation's catalogues. Pure
// functions; see core/decision.hpp.
//
//   anyone logged in to the organisation   reads published and closed calls
//                                          and the catalogues
//   fund manager of the fund               everything about the fund's calls,
//                                          drafts included
//   any fund manager of the organisation   edits the catalogues (external
//                                          calls, partnership models)
//   auditor, admin                         read everything, drafts included;
//                                          admins also edit the catalogues
//   decision maker of the fund             reads the fund's call list
//   other tenants                          NotFound, as if it did not exist
//   anonymous                              login required (the public pages
//                                          use CallsService::public_call)

#include "core/decision.hpp"
#include "identity/model.hpp"

#include <optional>

namespace spire::calls {

using identity::Id;
using identity::Principal;

enum class CallsAction {
    ViewCall,         // a published or closed call
    ViewDraft,        // a draft call, and any call's management pages
    ViewFundCalls,    // the list of one fund's calls (drafts included)
    ManageCall,       // create, edit, publish, close; criteria; form
    ViewCatalogues,   // external calls and partnership models
    ManageCatalogues, // create and edit them
};

inline constexpr CallsAction ALL_CALLS_ACTIONS[] = {
    CallsAction::ViewCall,   CallsAction::ViewDraft,      CallsAction::ViewFundCalls,
    CallsAction::ManageCall, CallsAction::ViewCatalogues, CallsAction::ManageCatalogues};

// The organisation of the call or catalogue (not the user's), and the fund
// of the call (none for the catalogues).
struct CallsResource {
    Id organisation_id = 0;
    std::optional<Id> fund_id;
};

// `user` is null for anonymous requests.
Decision authorize(const Principal* user, CallsAction action, const CallsResource& resource);

} // namespace spire::calls
