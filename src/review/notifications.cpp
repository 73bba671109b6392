#include "review/notifications.hpp"

#include "applications/store.hpp"
#include "mail/model.hpp"
#include "mail/store.hpp"
#include "web/pages.hpp"

namespace spire::review::notifications {

using web::fill;

void queue_assignment(soci::session& sql, identity::Id organisation_id, identity::Id reviewer_id,
                      const std::string& call_title,
                      const std::vector<AssignedApplication>& applications, const Translate& tr,
                      const std::string& now) {
    if (applications.empty())
        return;
    auto reviewer = applications::store::active_user_contact(sql, reviewer_id);
    // As for the applications' mail: an address SMTP cannot carry gets no
    // mail rather than failing the assignment.
    if (!reviewer || !mail::is_plain_address(reviewer->email))
        return;
    std::string list;
    for (const auto& application : applications)
        list += "- " + application.reference + ": " + application.title + "\n";
    mail::NewMail mail;
    mail.organisation_id = organisation_id;
    mail.kind = mail::MailKind::ReviewerAssignment;
    mail.recipient = reviewer->email;
    mail.subject = fill(tr("New applications to review in “{call}”"), {{"call", call_title}});
    mail.body_text =
        fill(tr("Hello {name},"), {{"name", reviewer->name}}) + "\n\n" +
        fill(tr("You have been asked to review these applications to the call “{call}”:"),
             {{"call", call_title}}) +
        "\n\n" + list + "\n" +
        tr("Log in to Spire and open Reviews. Declare whether you have a conflict of interest "
           "before you read an application.") +
        "\n\n" + tr("This message was sent automatically by Spire. Please do not reply to it.") +
        "\n";
    mail::store::enqueue(sql, mail, now);
}

} // namespace spire::review::notifications
