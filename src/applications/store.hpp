#pragma once

// SQL for applications and their parts, attachments, revisions, status
// history and the search index. Every function runs inside the caller's
// transaction (the service opens it) and decides nothing about permissions.
//
// The stored totals application.budget_total_ore and requested_ore follow
// the lines: replace_budget and replace_financing update them. The search
// document follows title, summary, themes and text answers: the service
// calls write_search after every save that touches them.

#include "applications/model.hpp"
#include "db/dialect.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace soci {
class session;
}
namespace spire::db {
class Connection;
}

namespace spire::applications::store {

// --- Applications ---------------------------------------------------------------

// The row of a new draft; reference_year/number must be free (next_reference).
struct NewApplication {
    Id organisation_id = 0;
    Id call_id = 0;
    Id unit_id = 0;
    Id created_by = 0;
    int reference_year = 0;
    int reference_number = 0;
    std::string title;
};
Id insert_application(soci::session& sql, const NewApplication& row, const std::string& now);

// Serialises reference numbering of an organisation until the transaction
// ends (PostgreSQL: the organisation row FOR NO KEY UPDATE, which does not
// block inserts referring to it; SQLite: the write transaction already
// holds the only write lock), then returns the next number for the year.
int next_reference(soci::session& sql, db::Engine engine, Id organisation_id, int year);

// The application row alone (no parts), with fund/programme from its call,
// by id whatever the organisation (the service authorises).
std::optional<Application> find_application(soci::session& sql, Id id);
// The row FOR UPDATE on PostgreSQL (status changes and saves of one
// application run one after the other); plain read on SQLite.
std::optional<Application> lock_application(soci::session& sql, db::Engine engine, Id id);
// Fills themes, budget, financing, partners, answers, attachments and the
// display names (call, unit, endorser, external call, partnership model).
void load_parts(soci::session& sql, Application& application);

// Title, summary, years, research/social columns and updated_at.
void update_details(soci::session& sql, const Application& application, const std::string& now);
void replace_themes(soci::session& sql, Id id, const std::vector<std::string>& themes);
// Answers of the given fields replace the stored ones; answers to File
// fields are left alone (add_attachment keeps them).
void replace_answers(soci::session& sql, Id id, const std::vector<Answer>& answers,
                     const std::vector<Id>& file_field_ids);
void set_file_answer(soci::session& sql, Id id, Id field_id, std::optional<Id> attachment_id);
// Lines and application.budget_total_ore, updated_at.
void replace_budget(soci::session& sql, Id id, const std::vector<BudgetLine>& lines,
                    const std::string& now);
// Lines and application.requested_ore (the "fund" lines' total), updated_at.
void replace_financing(soci::session& sql, Id id, const std::vector<FinancingLine>& lines,
                       const std::string& now);
void replace_partners(soci::session& sql, Id id, const std::vector<Partner>& partners,
                      const std::string& now);
void touch(soci::session& sql, Id id, const std::string& now);

// Status with the columns that go with it.
struct StatusUpdate {
    Status status = Status::Draft;
    std::optional<Id> endorsed_by; // set on endorse
    std::optional<std::string> endorsed_at;
    std::optional<std::string> submitted_at; // set when it reaches Submitted
    bool clear_endorsement = false;          // on return to draft
    bool add_revision = false;               // revision_count + 1
};
void update_status(soci::session& sql, Id id, const StatusUpdate& update, const std::string& now);
void insert_status_change(soci::session& sql, Id id, std::optional<Status> from, Status to,
                          std::optional<Id> user_id, const std::string& comment,
                          const std::string& now);
std::vector<StatusChange> status_changes(soci::session& sql, Id id); // oldest first

// --- Search -------------------------------------------------------------------------

// SQLite: the FTS5 row (rowid = id) with the stemmed document; PostgreSQL:
// the body (its generated tsvector stems). `body` is the unstemmed text.
void write_search(soci::session& sql, db::Engine engine, Id id, const std::string& body);

// --- Attachments ----------------------------------------------------------------------

struct NewAttachment {
    Id organisation_id = 0;
    Id application_id = 0;
    std::optional<Id> field_id;
    std::string file_name;
    std::string media_type;
    long long size_bytes = 0;
    std::string sha256;
    Id uploaded_by = 0;
    std::string content_base64;
};
Id insert_attachment(soci::session& sql, const NewAttachment& attachment, const std::string& now);
struct AttachmentRow {
    AttachmentInfo info;
    bool removed = false;
};
std::optional<AttachmentRow> find_attachment(soci::session& sql, Id application_id,
                                             Id attachment_id);
std::optional<std::string> attachment_content(soci::session& sql, Id attachment_id);
void mark_attachment_removed(soci::session& sql, Id attachment_id);
// Attachments of the application answering the field (not removed).
std::vector<Id> field_attachments(soci::session& sql, Id application_id, Id field_id);
// Ids named by any revision of the application.
bool attachment_in_revision(soci::session& sql, Id application_id, Id attachment_id);
// Physically deletes an attachment no revision names (metadata and bytes).
void delete_attachment(soci::session& sql, Id attachment_id);

// --- Revisions --------------------------------------------------------------------------

void insert_revision(soci::session& sql, Id id, int number, Id submitted_by,
                     const std::string& submitted_at, const std::string& document);
std::vector<RevisionSummary> revisions(soci::session& sql, Id id);
std::optional<std::string> revision_document(soci::session& sql, Id id, int number);

// --- Lists --------------------------------------------------------------------------------

// Who the list is for: the rows are limited to these.
struct ListScope {
    Id organisation_id = 0;
    bool submitted_once_only = false;        // staff lists
    std::optional<std::vector<Id>> fund_ids; // none: every fund
    std::optional<std::vector<Id>> unit_ids; // none: every unit
};
// One page (filter assumed clamped) and the count of all matching rows.
// The statement of a page without a search stays prepared on the
// connection, per text (a Connection local). A theme's count is read first
// when the count tables hold it; it decides how the page is found.
ListPage list_applications(db::Connection& connection, db::Engine engine, const ListScope& scope,
                           const ListFilter& filter);
// The staff list's filter choices: the organisation's service units, and
// the programmes and calls of these funds (none: every fund), in the funds'
// order of the funds pages. Its statement stays prepared on the connection.
ListChoices list_choices(db::Connection& connection, Id organisation_id,
                         const std::optional<std::vector<Id>>& fund_ids);
// Every matching row in the filter's order (exports).
void for_each_application(soci::session& sql, db::Engine engine, const ListScope& scope,
                          const ListFilter& filter,
                          const std::function<void(const ListRow&)>& visit);

// Units by id for a unit filter's check and the applicant's unit choice.
std::vector<identity::OrgUnit> service_units(soci::session& sql, Id organisation_id);

// --- Notification recipients (applications/notifications.hpp) ---------------------

struct Contact {
    std::string name;
    std::string email;
};
// The user if active.
std::optional<Contact> active_user_contact(soci::session& sql, Id user_id);
// Active users who lead the unit: a unit-leader grant for it, or for every
// unit of the organisation (no unit), as Principal::has_role_for_unit reads it.
std::vector<Contact> unit_leader_contacts(soci::session& sql, Id organisation_id, Id unit_id);

} // namespace spire::applications::store
