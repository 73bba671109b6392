#pragma once

// The e-mails the applications workflow sends (issue 7, item 5), queued in
// the mail outbox inside the caller's transaction, so a mail goes out if and
// only if the change it reports is committed:
//   - a receipt to the applicant (the user who created the application) when
//     it reaches Submitted, with its reference number;
//   - a request for endorsement to the unit's leaders (grants for the unit,
//     or for every unit of the organisation) when it awaits endorsement.
// Texts are msgids translated with `translate` (Norwegian in the server).

#include "applications/model.hpp"

#include <functional>
#include <string>
#include <string_view>

namespace soci {
class session;
}

namespace spire::applications::notifications {

using Translate = std::function<std::string(std::string_view)>;

// application with its display names (store::load_parts).
void queue_receipt(soci::session& sql, const Application& application, const Translate& translate,
                   const std::string& now);
void queue_endorsement_request(soci::session& sql, const Application& application,
                               const Translate& translate, const std::string& now);

} // namespace spire::applications::notifications
