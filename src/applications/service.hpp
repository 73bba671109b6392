#pragma once

// Applications use cases: validate -> authorise -> transact -> audit
// (DESIGN.md §3). Handlers, the API, the demo generator and later modules
// (review, allocation) call these; nothing else touches the application
// tables.
//
// Ids come from URLs: every call takes the application id alone and finds
// the organisation, unit and fund from it. An application the actor may not
// see (another organisation, another unit, a draft for staff) answers
// NotFound, as if it did not exist (applications/policy.hpp).
//
// Saving (save_details, save_budget, save_financing, save_partners,
// add_attachment, remove_attachment) is allowed in Draft only; otherwise
// Conflict with message::NOT_EDITABLE. A save checks formats only (drafts
// may be incomplete) and refuses the whole input with Invalid and
// FieldErrors (names in model.hpp) if any part is bad: nothing is written.
//
// Submitting checks completeness (check_submission lists the same items):
//   - title and summary; every required field of the call's form answered
//     (files: an attachment uploaded for the field);
//   - start year, and duration 1..the call's max_duration_years;
//   - a budget with total > 0, its years within start..start+duration-1;
//   - the financing plan adding up to the budget total, with an amount
//     asked of this fund (source "fund") of at most the call's max amount;
//   - research co-funding programmes: an external call from the registry,
//     the project total, the amount applied for externally, the own
//     contribution (equal to what the financing plan asks of the fund), and
//     the own share met (model.hpp own_share());
//   - social-entrepreneur programmes: at least one partner of kind
//     social_entrepreneur and an active partnership model.
// Submission also needs the call to accept it at the server's time (open,
// published, not past closes_at unless rolling): Conflict otherwise.
//
// The workflow (model.hpp Transition): submit moves Draft to
// AwaitingEndorsement when the call requires endorsement (the unit leader
// then endorses or returns it), else straight to Submitted. Reaching
// Submitted (submit without endorsement, or endorse) is the moment the close
// time is checked, submitted_at is set and a revision is stored. Repeating
// submit on an application already AwaitingEndorsement or Submitted changes
// nothing and returns its status (double clicks are harmless).
//
// Submission queues e-mail in the same transaction (notifications.hpp): a
// receipt to the applicant on reaching Submitted, a request to the unit's
// leaders on reaching AwaitingEndorsement.
//
// Every change is one transaction with one audit entry ("application.create",
// "application.save", "application.submit", "application.endorse",
// "application.return", "application.withdraw", "attachment.add",
// "attachment.remove"; target "application" and its id) and, where the
// status changes, one status-history row. Saves also keep the stored totals
// (budget_total_ore, requested_ore) and the search document in step.

#include "applications/model.hpp"
#include "applications/policy.hpp"
#include "core/error.hpp"
#include "core/time.hpp"
#include "identity/service.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spire::db {
class Database;
}

namespace spire::applications {

using identity::Actor;

struct ApplicationsOptions {
    // The server's clock (tests set it to submit "after the deadline").
    std::function<TimePoint()> now = [] { return Clock::now(); };
    // Translates the msgids of the e-mails the workflow queues
    // (applications/notifications.hpp); the server passes Norwegian. The
    // default leaves them English.
    std::function<std::string(std::string_view)> translate_mail = [](std::string_view msgid) {
        return std::string(msgid);
    };
};

enum class ExportFormat { Csv, Xlsx };

// A call an applicant may apply to, for /my and /applications/new.
struct OpenCall {
    Id id = 0;
    std::string title;
    std::string fund_name;
    std::string programme_name;
    std::string programme_kind;           // funds::programme_kind_key
    std::optional<std::string> closes_at; // UTC; none when rolling
    bool rolling = false;
    Ore max_amount_ore = 0;
};

// Everything the details page needs besides the application: the call's
// form and the catalogues to choose from.
struct EditContext {
    calls::Call call;
    calls::FormDefinition form;
    std::vector<calls::ExternalCall> external_calls;         // active ones of the organisation
    std::vector<calls::PartnershipModel> partnership_models; // active ones
    std::vector<identity::OrgUnit> units; // units the actor may apply for (create page)
};

class ApplicationsService {
public:
    explicit ApplicationsService(std::shared_ptr<db::Database> database,
                                 ApplicationsOptions options = {});

    // --- Applicants ------------------------------------------------------------------

    // A new draft for the call (published and open, or rolling) and the
    // unit (one the actor applies for). Assigns the reference number.
    Result<Id> create(const Actor& actor, Id call_id, Id unit_id, std::string title);
    // The calls open now in the actor's organisation, for /my.
    Result<std::vector<OpenCall>> open_calls(const Actor& actor);
    // Units the actor may create applications for (applicant or unit leader
    // grants; organisation-wide grants: every active service unit).
    Result<std::vector<identity::OrgUnit>> applicant_units(const Actor& actor);

    Result<Application> get(const Actor& actor, Id id);
    // The call, its form and the catalogues, for editing `id` (View).
    Result<EditContext> edit_context(const Actor& actor, Id id);
    // The call and its form for creating an application to call_id.
    Result<EditContext> new_context(const Actor& actor, Id call_id);

    Result<void> save_details(const Actor& actor, Id id, const DetailsInput& input);
    Result<void> save_budget(const Actor& actor, Id id, const std::vector<BudgetLine>& lines);
    Result<void> save_financing(const Actor& actor, Id id, const std::vector<FinancingLine>& lines);
    Result<void> save_partners(const Actor& actor, Id id, const std::vector<Partner>& partners);

    // Sniffs the type (attachments.hpp), refuses empty, oversized (TooLarge)
    // and disallowed files (Invalid, field "file"). With field_id the file
    // answers that File field of the form (replacing an earlier one).
    Result<Id> add_attachment(const Actor& actor, Id id, std::optional<Id> field_id,
                              std::string file_name, std::string_view bytes);
    Result<void> remove_attachment(const Actor& actor, Id id, Id attachment_id);
    // Anyone who may view the application; also removed attachments that a
    // revision names (staff comparing revisions).
    Result<AttachmentDownload> download(const Actor& actor, Id id, Id attachment_id);

    // --- Workflow ----------------------------------------------------------------------

    Result<SubmitCheck> check_submission(const Actor& actor, Id id);
    // Invalid (with the missing items as FieldErrors) when incomplete.
    Result<Status> submit(const Actor& actor, Id id);
    // The unit leader of the application's unit: AwaitingEndorsement ->
    // Submitted (close time checked, revision stored).
    Result<void> endorse(const Actor& actor, Id id);
    // Back to Draft with a comment (required): the unit leader from
    // AwaitingEndorsement, the fund's manager from Submitted.
    Result<void> return_to_draft(const Actor& actor, Id id, std::string comment);
    // The applicant, from Draft, AwaitingEndorsement or Submitted; the
    // comment is optional.
    Result<void> withdraw(const Actor& actor, Id id, std::string comment);

    // --- Lists ---------------------------------------------------------------------------

    // Staff: fund managers (their funds), decision makers (their funds),
    // auditors (all); only applications submitted at least once.
    Result<ListPage> list(const Actor& actor, ListFilter filter);
    // The staff list page in one read: the filter choices within the actor's
    // funds and, when the filter parsed, the page.
    Result<StaffListView> staff_list(const Actor& actor, std::optional<ListFilter> filter);
    // Applicant / unit leader: applications of the actor's units, every
    // status, newest change first.
    Result<ListPage> my_applications(const Actor& actor, int page);
    // Unit leader: AwaitingEndorsement in the units the actor leads, oldest first.
    Result<ListPage> endorsement_queue(const Actor& actor, int page);
    // The staff list with the same filters as a file: CSV (";" and a byte
    // order mark, like funds/export.hpp) or XLSX. Every matching row.
    Result<std::string>
    export_list(const Actor& actor, ListFilter filter, ExportFormat format,
                const std::function<std::string(std::string_view)>& translate = {});

    // --- History ---------------------------------------------------------------------------

    Result<std::vector<StatusChange>> history(const Actor& actor, Id id);      // oldest first
    Result<std::vector<RevisionSummary>> revisions(const Actor& actor, Id id); // by number
    // What changed from one revision to another (any order of numbers):
    // title, summary, themes, years, each answer by its field's label,
    // budget cells ("Budget 2018 – Personnel and indirect costs"), financing
    // rows, partners, the research/social parts, attachments by name and
    // hash. Labels are msgids or data (field labels); the web layer
    // translates those it knows. NotFound for a revision that does not exist.
    Result<std::vector<DiffLine>> compare(const Actor& actor, Id id, int from_revision,
                                          int to_revision);

    const ApplicationsOptions& options() const { return m_options; }

private:
    std::string now_text() const;

    std::shared_ptr<db::Database> m_database;
    ApplicationsOptions m_options;
};

} // namespace spire::applications
