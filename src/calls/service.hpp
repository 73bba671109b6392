#pragma once

// Calls use cases: validate -> authorise -> transact -> audit (DESIGN.md §3).
// Handlers, the demo data and the applications module call these; nothing
// else touches the calls tables (migrations/calls/001_calls.sql).
//
// Call ids come from URLs: every use case finds the organisation from the
// call; a call of another organisation answers NotFound (calls/policy.hpp).
//
// Reads for other modules come in two kinds:
//   - with an Actor (call): authorised here;
//   - system-level (call_for_application, form, criteria, external_calls,
//     external_call, partnership_models, partnership_model, open_calls): no
//     authorisation check, for services that authorise themselves (the
//     applications service checks the applicant's unit and the call's
//     organisation).
//
// Every change is one transaction with one audit entry: "call.create",
// "call.update", "call.publish", "call.close", "criterion.create",
// "criterion.update", "criterion.remove", "criterion.move", "form.section.create",
// "form.section.update", "form.section.remove", "form.section.move",
// "form.field.create", "form.field.update", "form.field.remove",
// "form.field.move", "external_call.create", "external_call.update",
// "partnership_model.create", "partnership_model.update".
//
// Rules the service enforces (with the database):
//   - a call is created as a draft in an active programme of its fund;
//   - publishing needs at least one criterion, weights summing to 100, an
//     open time and a close time after it (or rolling);
//   - criteria change freely while the call is a draft; after publishing
//     only name and guidance (reviewers score against them);
//   - the form changes freely until the call has applications; then only
//     new fields may be added and existing ones deactivated (answers stay);
//   - a closed call changes no more (Conflict).

#include "calls/model.hpp"
#include "calls/policy.hpp"
#include "core/error.hpp"
#include "identity/service.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spire::db {
class Database;
}

namespace spire::calls {

using identity::Actor;

// A call's settings as typed (after calls/forms.hpp parsed them). Times are
// UTC in core/time.hpp format.
struct CallInput {
    Id programme_id = 0;
    std::string title;
    std::string description; // Markdown
    std::string eligibility; // Markdown
    std::optional<std::string> opens_at;
    std::optional<std::string> closes_at; // ignored when rolling
    bool rolling = false;
    Ore max_amount_ore = 0;
    int max_duration_years = 1;
    bool endorsement_required = true;
};

struct CriterionInput {
    std::string name;
    std::string guidance;
    int weight_percent = 0;
    int scale_min = 1;
    int scale_max = 7;
    std::optional<int> minimum_score;
};

struct SectionInput {
    std::string title;
    std::string help_text;
};

struct FieldInput {
    Id section_id = 0;
    std::string label;
    FieldKind kind = FieldKind::ShortText;
    bool required = false;
    std::string help_text;
    std::optional<int> max_length;
    std::vector<std::string> options; // choice kinds; one label each
    bool active = true;
};

struct ExternalCallInput {
    std::string funder;
    std::string programme;
    std::string title;
    std::optional<std::string> deadline; // YYYY-MM-DD
    int required_own_share_percent = 0;
    std::string url;
    bool active = true;
};

struct PartnershipModelInput {
    std::string name;
    std::string description;
    bool active = true;
    int sort_order = 0;
};

// Public list of published calls of every organisation, by organisation
// name, then close time.
struct CallPage {
    std::vector<Call> calls; // organisation_name filled in
    long long total = 0;
    int page = 1;
    int per_page = 20;
};

// A call as its manager edits it.
struct CallDetail {
    Call call;
    std::vector<Criterion> criteria;
    FormDefinition form; // inactive fields too (FormField::active)
    long long applications = 0;
    bool form_locked = false; // has applications: add and deactivate only
};

// Field-level checks without the database, shared with the forms.
std::vector<FieldError> validate_call(const CallInput& input);
std::vector<FieldError> validate_criterion(const CriterionInput& input);
std::vector<FieldError> validate_section(const SectionInput& input);
std::vector<FieldError> validate_field(const FieldInput& input);
std::vector<FieldError> validate_external_call(const ExternalCallInput& input);
std::vector<FieldError> validate_partnership_model(const PartnershipModelInput& input);

class CallsService {
public:
    explicit CallsService(std::shared_ptr<db::Database> database);

    // --- Reading, for pages -------------------------------------------------

    // Published and closed calls: anyone logged in to the call's
    // organisation; drafts: its fund managers, auditors and administrators.
    Result<Call> call(const Actor& actor, Id call_id);
    // With criteria, the full form and whether it is locked (ManageCall or
    // ViewDrafts).
    Result<CallDetail> detail(const Actor& actor, Id call_id);
    // The fund's calls, newest first (ViewFundCalls).
    Result<std::vector<Call>> fund_calls(const Actor& actor, Id fund_id);
    // Anonymous: a published or closed call of any organisation, else
    // NotFound.
    Result<Call> public_call(Id call_id);
    // Anonymous: one page of published calls of every organisation.
    Result<CallPage> public_calls(int page, int per_page = 20);
    // Anonymous: at most `limit` published calls of every organisation
    // accepting submissions at `now` (UTC), the nearest deadline first.
    Result<std::vector<Call>> public_open_calls(std::string_view now, int limit);

    // --- Reading, system level (no authorisation) --------------------------

    Result<Call> call_for_application(Id call_id);
    // Active fields only, sections in order.
    Result<FormDefinition> form(Id call_id);
    Result<std::vector<Criterion>> criteria(Id call_id);
    Result<std::vector<ExternalCall>> external_calls(Id organisation_id, bool active_only);
    Result<std::optional<ExternalCall>> external_call(Id organisation_id, Id id);
    Result<std::vector<PartnershipModel>> partnership_models(Id organisation_id, bool active_only);
    Result<std::optional<PartnershipModel>> partnership_model(Id organisation_id, Id id);
    // Published calls accepting submissions at `now` (UTC), by close time.
    Result<std::vector<Call>> open_calls(Id organisation_id, std::string_view now);

    // --- Calls ----------------------------------------------------------------

    Result<Id> create_call(const Actor& actor, Id fund_id, const CallInput& input);
    Result<void> update_call(const Actor& actor, Id call_id, const CallInput& input);
    Result<void> publish_call(const Actor& actor, Id call_id);
    Result<void> close_call(const Actor& actor, Id call_id);

    // --- Criteria ---------------------------------------------------------------

    Result<Id> add_criterion(const Actor& actor, Id call_id, const CriterionInput& input);
    Result<void> update_criterion(const Actor& actor, Id call_id, Id criterion_id,
                                  const CriterionInput& input);
    Result<void> remove_criterion(const Actor& actor, Id call_id, Id criterion_id);
    // direction < 0: one up; > 0: one down.
    Result<void> move_criterion(const Actor& actor, Id call_id, Id criterion_id, int direction);

    // --- The form ---------------------------------------------------------------

    Result<Id> add_section(const Actor& actor, Id call_id, const SectionInput& input);
    Result<void> update_section(const Actor& actor, Id call_id, Id section_id,
                                const SectionInput& input);
    // Only an empty section, and only while the form is not locked.
    Result<void> remove_section(const Actor& actor, Id call_id, Id section_id);
    Result<void> move_section(const Actor& actor, Id call_id, Id section_id, int direction);

    Result<Id> add_field(const Actor& actor, Id call_id, const FieldInput& input);
    // A locked form: only `active` may change (anything else: Conflict).
    Result<void> update_field(const Actor& actor, Id call_id, Id field_id, const FieldInput& input);
    // Deactivating keeps the field's answers; allowed on a locked form.
    Result<void> set_field_active(const Actor& actor, Id call_id, Id field_id, bool active);
    // Only while the form is not locked.
    Result<void> remove_field(const Actor& actor, Id call_id, Id field_id);
    Result<void> move_field(const Actor& actor, Id call_id, Id field_id, int direction);

    // --- Catalogues of the organisation ------------------------------------------

    // For the management pages (ViewCatalogues).
    Result<std::vector<ExternalCall>> list_external_calls(const Actor& actor, Id organisation_id);
    Result<std::vector<PartnershipModel>> list_partnership_models(const Actor& actor,
                                                                  Id organisation_id);
    Result<Id> create_external_call(const Actor& actor, Id organisation_id,
                                    const ExternalCallInput& input);
    Result<void> update_external_call(const Actor& actor, Id organisation_id, Id id,
                                      const ExternalCallInput& input);
    Result<Id> create_partnership_model(const Actor& actor, Id organisation_id,
                                        const PartnershipModelInput& input);
    Result<void> update_partnership_model(const Actor& actor, Id organisation_id, Id id,
                                          const PartnershipModelInput& input);

private:
    std::shared_ptr<db::Database> m_database;
};

} // namespace spire::calls
