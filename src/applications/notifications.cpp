#include "applications/notifications.hpp"

#include "applications/store.hpp"
#include "mail/store.hpp"
#include "web/pages.hpp"

namespace spire::applications::notifications {

namespace {

using web::fill;

// Paragraphs separated by blank lines, as plain-text mail reads best.
std::string paragraphs(std::initializer_list<std::string> parts) {
    std::string text;
    for (const auto& part : parts) {
        if (!text.empty())
            text += "\n\n";
        text += part;
    }
    return text + "\n";
}

std::string footer(const Translate& tr) {
    return tr("This message was sent automatically by Spire. Please do not reply to it.");
}

void queue(soci::session& sql, const Application& application, mail::MailKind kind,
           const store::Contact& to, std::string subject, std::string body,
           const std::string& now) {
    // identity accepts some addresses SMTP cannot carry as they are (non-ASCII,
    // brackets): such a user gets no mail rather than the submission failing.
    if (!mail::is_plain_address(to.email))
        return;
    mail::NewMail mail;
    mail.organisation_id = application.organisation_id;
    mail.kind = kind;
    mail.recipient = to.email;
    mail.subject = std::move(subject);
    mail.body_text = std::move(body);
    mail::store::enqueue(sql, mail, now);
}

} // namespace

void queue_receipt(soci::session& sql, const Application& application, const Translate& tr,
                   const std::string& now) {
    auto applicant = store::active_user_contact(sql, application.created_by);
    if (!applicant)
        return; // deactivated since: nobody to tell
    const std::string& reference = application.reference;
    queue(sql, application, mail::MailKind::ApplicationReceipt, *applicant,
          fill(tr("Application {reference} received"), {{"reference", reference}}),
          paragraphs({fill(tr("Hello {name},"), {{"name", applicant->name}}),
                      fill(tr("We have received your application {reference}, “{title}”, to the "
                              "call “{call}”."),
                           {{"reference", reference},
                            {"title", application.title},
                            {"call", application.call_title}}),
                      fill(tr("Please quote the reference {reference} when you contact us about "
                              "the application."),
                           {{"reference", reference}}),
                      footer(tr)}),
          now);
}

void queue_endorsement_request(soci::session& sql, const Application& application,
                               const Translate& tr, const std::string& now) {
    const std::string& reference = application.reference;
    for (const auto& leader :
         store::unit_leader_contacts(sql, application.organisation_id, application.unit_id)) {
        queue(
            sql, application, mail::MailKind::EndorsementRequest, leader,
            fill(tr("Application {reference} awaits your endorsement"), {{"reference", reference}}),
            paragraphs(
                {fill(tr("Hello {name},"), {{"name", leader.name}}),
                 fill(tr("Application {reference}, “{title}”, from {unit} to the call “{call}” "
                         "awaits your endorsement."),
                      {{"reference", reference},
                       {"title", application.title},
                       {"unit", application.unit_name},
                       {"call", application.call_title}}),
                 tr("Log in to Spire to endorse the application or return it to the applicant."),
                 footer(tr)}),
            now);
    }
}

} // namespace spire::applications::notifications
