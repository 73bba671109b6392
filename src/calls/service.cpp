#include "calls/service.hpp"

#include "calls/store.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "db/database.hpp"
#include "funds/store.hpp"
#include "identity/audit_service.hpp"

#include <algorithm>
#include <set>
#include <soci/soci.h>
#include <stdexcept>

namespace spire::calls {

namespace {

using identity::AuditEvent;

constexpr const char* CHECK_FIELDS = "Check the fields marked below.";
constexpr const char* CALL_CLOSED = "A closed call cannot be changed.";
constexpr const char* FORM_LOCKED =
    "The call already has applications: fields can only be added or deactivated.";
constexpr const char* CRITERIA_LOCKED =
    "The call is published: only the criteria's names and guidance can change.";

std::string now_text() {
    return to_db_time(Clock::now());
}

AuditEvent event(const Actor& actor, Id organisation_id, std::string action,
                 std::string target_type, Id target_id, std::string summary) {
    return identity::audit_event(actor, organisation_id, std::move(action), std::move(target_type),
                                 std::to_string(target_id), std::move(summary));
}

Result<void> check(const Actor& actor, CallsAction action, const CallsResource& resource) {
    if (actor.is_system)
        return {};
    Decision decision = authorize(actor.principal, action, resource);
    if (!decision)
        return tl::unexpected(decision.to_error());
    return {};
}

Error check_fields(std::vector<FieldError> fields) {
    return Error::invalid(CHECK_FIELDS, std::move(fields));
}

// Reading a call needs ViewCall, and ViewDraft for a draft.
Result<void> check_read(const Actor& actor, const Call& call) {
    CallsResource resource{call.organisation_id, call.fund_id};
    if (auto allowed = check(actor, CallsAction::ViewCall, resource); !allowed)
        return allowed;
    if (call.status == CallStatus::Draft)
        return check(actor, CallsAction::ViewDraft, resource);
    return {};
}

void check_length(std::vector<FieldError>& errors, const std::string& field,
                  const std::string& text, std::size_t max, bool required,
                  const char* missing = "This field is required.") {
    std::string trimmed = trim(text);
    if (required && trimmed.empty())
        errors.push_back({field, missing});
    else if (trimmed.size() > max)
        errors.push_back({field, "The text is too long."});
}

// Sort orders 10, 20, 30, ... in the current order; then swaps `id` with
// its neighbour in `direction`. Returns false when it cannot move.
template <class T>
bool reorder(std::vector<T>& items, Id id, int direction) {
    for (std::size_t i = 0; i < items.size(); ++i)
        items[i].sort_order = static_cast<int>(i + 1) * 10;
    auto found = std::find_if(items.begin(), items.end(), [&](const T& t) { return t.id == id; });
    if (found == items.end())
        return false;
    std::size_t at = static_cast<std::size_t>(found - items.begin());
    if (direction < 0 && at > 0)
        std::swap(items[at].sort_order, items[at - 1].sort_order);
    else if (direction > 0 && at + 1 < items.size())
        std::swap(items[at].sort_order, items[at + 1].sort_order);
    return true;
}

std::string call_summary(const Call& call) {
    std::string text = call.title + " (" + std::string(call_status_key(call.status));
    if (call.rolling)
        text += ", rolling";
    else if (call.closes_at)
        text += ", closes " + *call.closes_at;
    text += ", max " + to_kroner_input(call.max_amount_ore) + " kr)";
    return text;
}

} // namespace

// --- Validation ------------------------------------------------------------------

std::vector<FieldError> validate_call(const CallInput& input) {
    std::vector<FieldError> errors;
    if (input.programme_id <= 0)
        errors.push_back({"programme_id", "Choose a programme."});
    check_length(errors, "title", input.title, MAX_TITLE_LENGTH, true, "Enter a title.");
    check_length(errors, "description", input.description, MAX_TEXT_LENGTH, false);
    check_length(errors, "eligibility", input.eligibility, MAX_TEXT_LENGTH, false);
    if (input.max_amount_ore <= 0)
        errors.push_back({"max_amount", "Enter an amount above zero."});
    if (input.max_duration_years < 1 || input.max_duration_years > MAX_DURATION_YEARS)
        errors.push_back({"max_duration_years", "Enter a number of years from 1 to 10."});
    if (!input.rolling) {
        if (!input.closes_at)
            errors.push_back({"closes_date", "Enter when the call closes, or choose rolling."});
        else if (input.opens_at) {
            auto opens = from_db_time(*input.opens_at);
            auto closes = from_db_time(*input.closes_at);
            if (opens && closes && *closes <= *opens)
                errors.push_back({"closes_date", "The call must close after it opens."});
        }
    }
    return errors;
}

std::vector<FieldError> validate_criterion(const CriterionInput& input) {
    std::vector<FieldError> errors;
    check_length(errors, "name", input.name, MAX_TITLE_LENGTH, true, "Enter a name.");
    check_length(errors, "guidance", input.guidance, MAX_HELP_LENGTH, false);
    if (input.weight_percent < 0 || input.weight_percent > 100)
        errors.push_back({"weight_percent", "Enter a weight from 0 to 100."});
    if (input.scale_min < MIN_SCALE || input.scale_min > MAX_SCALE)
        errors.push_back({"scale_min", "Enter a number from 0 to 100."});
    else if (input.scale_max < MIN_SCALE || input.scale_max > MAX_SCALE)
        errors.push_back({"scale_max", "Enter a number from 0 to 100."});
    else if (input.scale_max <= input.scale_min)
        errors.push_back({"scale_max", "The top of the scale must be above the bottom."});
    else if (input.minimum_score &&
             (*input.minimum_score < input.scale_min || *input.minimum_score > input.scale_max))
        errors.push_back({"minimum_score", "The minimum must be on the scale."});
    return errors;
}

std::vector<FieldError> validate_section(const SectionInput& input) {
    std::vector<FieldError> errors;
    check_length(errors, "title", input.title, MAX_LABEL_LENGTH, true, "Enter a title.");
    check_length(errors, "help_text", input.help_text, MAX_HELP_LENGTH, false);
    return errors;
}

std::vector<FieldError> validate_field(const FieldInput& input) {
    std::vector<FieldError> errors;
    if (input.section_id <= 0)
        errors.push_back({"section_id", "Choose a section."});
    check_length(errors, "label", input.label, MAX_LABEL_LENGTH, true, "Enter a label.");
    check_length(errors, "help_text", input.help_text, MAX_HELP_LENGTH, false);
    if (input.max_length) {
        if (!is_text_kind(input.kind))
            errors.push_back({"max_length", "Only text fields have a maximum length."});
        else if (*input.max_length < 1 || *input.max_length > MAX_FIELD_LENGTH)
            errors.push_back({"max_length", "Enter a length from 1 to 100000 characters."});
    }
    if (is_choice_kind(input.kind)) {
        std::set<std::string> seen;
        bool bad = false;
        for (const auto& option : input.options) {
            std::string label = trim(option);
            if (label.empty() || label.size() > MAX_LABEL_LENGTH || !seen.insert(label).second)
                bad = true;
        }
        if (input.options.size() < 2)
            errors.push_back({"options", "Enter at least two options, one per line."});
        else if (input.options.size() > static_cast<std::size_t>(MAX_OPTIONS_PER_FIELD))
            errors.push_back({"options", "Enter at most 50 options."});
        else if (bad)
            errors.push_back({"options", "Each option must be different and at most 300 "
                                         "characters long."});
    } else if (!input.options.empty()) {
        errors.push_back({"options", "Only choice fields have options."});
    }
    return errors;
}

std::vector<FieldError> validate_external_call(const ExternalCallInput& input) {
    std::vector<FieldError> errors;
    check_length(errors, "funder", input.funder, MAX_TITLE_LENGTH, true, "Enter the funder.");
    check_length(errors, "programme", input.programme, MAX_TITLE_LENGTH, true,
                 "Enter the programme.");
    check_length(errors, "title", input.title, MAX_TITLE_LENGTH, true, "Enter a title.");
    if (input.required_own_share_percent < 0 || input.required_own_share_percent > 100)
        errors.push_back({"required_own_share_percent", "Enter a share from 0 to 100."});
    std::string url = trim(input.url);
    if (url.size() > MAX_URL_LENGTH)
        errors.push_back({"url", "The text is too long."});
    else if (!url.empty() && url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0)
        errors.push_back({"url", "Enter an address starting with https://."});
    return errors;
}

std::vector<FieldError> validate_partnership_model(const PartnershipModelInput& input) {
    std::vector<FieldError> errors;
    check_length(errors, "name", input.name, MAX_TITLE_LENGTH, true, "Enter a name.");
    check_length(errors, "description", input.description, MAX_TEXT_LENGTH, false);
    return errors;
}

CallsService::CallsService(std::shared_ptr<db::Database> database)
    : m_database(std::move(database)) {}

// --- Reading, for pages ----------------------------------------------------------

Result<Call> CallsService::call(const Actor& actor, Id call_id) {
    return m_database->read([&](soci::session& sql) -> Result<Call> {
        auto found = store::find_call(sql, call_id);
        if (!found)
            return tl::unexpected(Error::not_found());
        if (auto allowed = check_read(actor, *found); !allowed)
            return tl::unexpected(allowed.error());
        return *found;
    });
}

Result<CallDetail> CallsService::detail(const Actor& actor, Id call_id) {
    return m_database->read([&](soci::session& sql) -> Result<CallDetail> {
        auto found = store::find_call(sql, call_id);
        if (!found)
            return tl::unexpected(Error::not_found());
        if (auto allowed =
                check(actor, CallsAction::ViewDraft, {found->organisation_id, found->fund_id});
            !allowed)
            return tl::unexpected(allowed.error());
        CallDetail detail;
        detail.criteria = store::list_criteria(sql, call_id);
        detail.form = store::load_form(sql, call_id, true);
        detail.applications = store::count_applications(sql, call_id);
        detail.form_locked = detail.applications > 0;
        detail.call = std::move(*found);
        return detail;
    });
}

Result<std::vector<Call>> CallsService::fund_calls(const Actor& actor, Id fund_id) {
    return m_database->read([&](soci::session& sql) -> Result<std::vector<Call>> {
        auto fund = funds::store::find_fund(sql, fund_id);
        if (!fund)
            return tl::unexpected(Error::not_found());
        if (auto allowed =
                check(actor, CallsAction::ViewFundCalls, {fund->organisation_id, fund->id});
            !allowed)
            return tl::unexpected(allowed.error());
        return store::list_fund_calls(sql, fund_id);
    });
}

Result<Call> CallsService::public_call(Id call_id) {
    return m_database->read([&](soci::session& sql) -> Result<Call> {
        auto found = store::find_call(sql, call_id);
        if (!found || found->status == CallStatus::Draft)
            return tl::unexpected(Error::not_found());
        return *found;
    });
}

Result<CallPage> CallsService::public_calls(int page, int per_page) {
    CallPage result;
    result.per_page = std::clamp(per_page, 1, 100);
    result.page = std::max(page, 1);
    return m_database->read([&](soci::session& sql) -> Result<CallPage> {
        result.total = store::count_public_calls(sql);
        long long offset = static_cast<long long>(result.page - 1) * result.per_page;
        if (offset < result.total)
            result.calls = store::list_public_calls(sql, static_cast<int>(offset), result.per_page);
        return result;
    });
}

Result<std::vector<Call>> CallsService::public_open_calls(std::string_view now, int limit) {
    return m_database->read([&](soci::session& sql) -> Result<std::vector<Call>> {
        auto calls =
            store::list_open_public_calls(sql, std::string(now), std::clamp(limit, 1, 100));
        // The same rule the submit button obeys, should the SQL and it differ.
        std::erase_if(calls, [&](const Call& call) { return !accepts_submissions(call, now); });
        return calls;
    });
}

// --- Reading, system level ---------------------------------------------------------

Result<Call> CallsService::call_for_application(Id call_id) {
    return m_database->read([&](soci::session& sql) -> Result<Call> {
        auto found = store::find_call(sql, call_id);
        if (!found)
            return tl::unexpected(Error::not_found());
        return *found;
    });
}

Result<FormDefinition> CallsService::form(Id call_id) {
    return m_database->read([&](soci::session& sql) -> Result<FormDefinition> {
        if (!store::find_call(sql, call_id))
            return tl::unexpected(Error::not_found());
        return store::load_form(sql, call_id, false);
    });
}

Result<std::vector<Criterion>> CallsService::criteria(Id call_id) {
    return m_database->read([&](soci::session& sql) -> Result<std::vector<Criterion>> {
        if (!store::find_call(sql, call_id))
            return tl::unexpected(Error::not_found());
        return store::list_criteria(sql, call_id);
    });
}

Result<std::vector<ExternalCall>> CallsService::external_calls(Id organisation_id,
                                                               bool active_only) {
    return m_database->read([&](soci::session& sql) -> Result<std::vector<ExternalCall>> {
        return store::list_external_calls(sql, organisation_id, active_only);
    });
}

Result<std::optional<ExternalCall>> CallsService::external_call(Id organisation_id, Id id) {
    return m_database->read([&](soci::session& sql) -> Result<std::optional<ExternalCall>> {
        return store::find_external_call(sql, organisation_id, id);
    });
}

Result<std::vector<PartnershipModel>> CallsService::partnership_models(Id organisation_id,
                                                                       bool active_only) {
    return m_database->read([&](soci::session& sql) -> Result<std::vector<PartnershipModel>> {
        return store::list_partnership_models(sql, organisation_id, active_only);
    });
}

Result<std::optional<PartnershipModel>> CallsService::partnership_model(Id organisation_id, Id id) {
    return m_database->read([&](soci::session& sql) -> Result<std::optional<PartnershipModel>> {
        return store::find_partnership_model(sql, organisation_id, id);
    });
}

Result<std::vector<Call>> CallsService::open_calls(Id organisation_id, std::string_view now) {
    return m_database->read([&](soci::session& sql) -> Result<std::vector<Call>> {
        auto calls = store::list_published_calls(sql, organisation_id);
        std::erase_if(calls, [&](const Call& call) { return !accepts_submissions(call, now); });
        return calls;
    });
}

// --- Calls ---------------------------------------------------------------------------

namespace {

// The programme must be an active programme of the fund.
std::optional<FieldError> programme_problem(soci::session& sql, Id fund_id, Id programme_id) {
    for (const auto& programme : funds::store::list_programmes(sql, fund_id)) {
        if (programme.id == programme_id) {
            if (!programme.active)
                return FieldError{"programme_id", "The programme is not active."};
            return std::nullopt;
        }
    }
    return FieldError{"programme_id", "Choose a programme."};
}

void apply(Call& call, const CallInput& input) {
    call.programme_id = input.programme_id;
    call.title = trim(input.title);
    call.description = trim(input.description);
    call.eligibility = trim(input.eligibility);
    call.opens_at = input.opens_at;
    call.rolling = input.rolling;
    call.closes_at = input.rolling ? std::nullopt : input.closes_at;
    call.max_amount_ore = input.max_amount_ore;
    call.max_duration_years = input.max_duration_years;
    call.endorsement_required = input.endorsement_required;
}

} // namespace

Result<Id> CallsService::create_call(const Actor& actor, Id fund_id, const CallInput& input) {
    auto errors = validate_call(input);
    return m_database->transact([&](soci::session& sql) -> Result<Id> {
        auto fund = funds::store::find_fund(sql, fund_id);
        if (!fund)
            return tl::unexpected(Error::not_found());
        if (auto allowed = check(actor, CallsAction::ManageCall, {fund->organisation_id, fund->id});
            !allowed)
            return tl::unexpected(allowed.error());
        if (input.programme_id > 0) {
            if (auto problem = programme_problem(sql, fund_id, input.programme_id))
                errors.push_back(*problem);
        }
        if (!errors.empty())
            return tl::unexpected(check_fields(std::move(errors)));
        Call call;
        call.organisation_id = fund->organisation_id;
        call.fund_id = fund_id;
        apply(call, input);
        call.status = CallStatus::Draft;
        call.id = store::insert_call(sql, call, now_text());
        identity::record_audit(
            sql, m_database->engine(),
            event(actor, call.organisation_id, "call.create", "call", call.id, call_summary(call)));
        return call.id;
    });
}

namespace {

// Finds the call and checks that the actor manages it (NotFound for
// another organisation's call, as if it did not exist).
Result<Call> managed_call(soci::session& sql, const Actor& actor, Id call_id) {
    auto call = store::find_call(sql, call_id);
    if (!call)
        return tl::unexpected(Error::not_found());
    if (auto allowed =
            check(actor, CallsAction::ManageCall, {call->organisation_id, call->fund_id});
        !allowed)
        return tl::unexpected(allowed.error());
    return *call;
}

// As managed_call, for a change of the call or its parts: Conflict when closed.
Result<Call> call_to_change(soci::session& sql, const Actor& actor, Id call_id) {
    auto call = managed_call(sql, actor, call_id);
    if (call && call->status == CallStatus::Closed)
        return tl::unexpected(Error::conflict(CALL_CLOSED));
    return call;
}

} // namespace

Result<void> CallsService::update_call(const Actor& actor, Id call_id, const CallInput& input) {
    auto errors = validate_call(input);
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto call = call_to_change(sql, actor, call_id);
        if (!call)
            return tl::unexpected(call.error());
        if (input.programme_id > 0 && input.programme_id != call->programme_id) {
            if (call->status != CallStatus::Draft)
                errors.push_back(
                    {"programme_id", "The programme cannot change after the call is published."});
            else if (auto problem = programme_problem(sql, call->fund_id, input.programme_id))
                errors.push_back(*problem);
        }
        if (!errors.empty())
            return tl::unexpected(check_fields(std::move(errors)));
        apply(*call, input);
        if (call->status == CallStatus::Published) {
            if (auto problems = publish_problems(*call, store::list_criteria(sql, call_id));
                !problems.empty()) {
                std::vector<FieldError> fields;
                for (auto& problem : problems)
                    fields.push_back({"closes_date", std::move(problem)});
                return tl::unexpected(check_fields(std::move(fields)));
            }
        }
        store::update_call(sql, *call, now_text());
        identity::record_audit(sql, m_database->engine(),
                               event(actor, call->organisation_id, "call.update", "call", call->id,
                                     call_summary(*call)));
        return {};
    });
}

Result<void> CallsService::publish_call(const Actor& actor, Id call_id) {
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto call = managed_call(sql, actor, call_id);
        if (!call)
            return tl::unexpected(call.error());
        if (call->status != CallStatus::Draft)
            return tl::unexpected(Error::conflict("Only a draft call can be published."));
        auto problems = publish_problems(*call, store::list_criteria(sql, call_id));
        if (!problems.empty()) {
            std::vector<FieldError> fields;
            for (auto& problem : problems)
                fields.push_back({"publish", std::move(problem)});
            return tl::unexpected(
                Error::invalid("The call cannot be published yet.", std::move(fields)));
        }
        call->status = CallStatus::Published;
        store::update_call(sql, *call, now_text());
        identity::record_audit(sql, m_database->engine(),
                               event(actor, call->organisation_id, "call.publish", "call", call->id,
                                     call_summary(*call)));
        return {};
    });
}

Result<void> CallsService::close_call(const Actor& actor, Id call_id) {
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto call = managed_call(sql, actor, call_id);
        if (!call)
            return tl::unexpected(call.error());
        if (call->status != CallStatus::Published)
            return tl::unexpected(Error::conflict("Only a published call can be closed."));
        call->status = CallStatus::Closed;
        store::update_call(sql, *call, now_text());
        identity::record_audit(sql, m_database->engine(),
                               event(actor, call->organisation_id, "call.close", "call", call->id,
                                     call_summary(*call)));
        return {};
    });
}

// --- Criteria ------------------------------------------------------------------------

namespace {

std::string criterion_summary(const Criterion& criterion) {
    return criterion.name + " (" + std::to_string(criterion.weight_percent) + " %, " +
           std::to_string(criterion.scale_min) + "-" + std::to_string(criterion.scale_max) + ")";
}

} // namespace

Result<Id> CallsService::add_criterion(const Actor& actor, Id call_id,
                                       const CriterionInput& input) {
    auto errors = validate_criterion(input);
    return m_database->transact([&](soci::session& sql) -> Result<Id> {
        auto call = call_to_change(sql, actor, call_id);
        if (!call)
            return tl::unexpected(call.error());
        if (call->status != CallStatus::Draft)
            return tl::unexpected(Error::conflict(CRITERIA_LOCKED));
        if (!errors.empty())
            return tl::unexpected(check_fields(std::move(errors)));
        auto existing = store::list_criteria(sql, call_id);
        if (existing.size() >= static_cast<std::size_t>(MAX_CRITERIA_PER_CALL))
            return tl::unexpected(Error::conflict("A call can have at most 20 criteria."));
        Criterion criterion;
        criterion.call_id = call_id;
        criterion.name = trim(input.name);
        criterion.guidance = trim(input.guidance);
        criterion.weight_percent = input.weight_percent;
        criterion.scale_min = input.scale_min;
        criterion.scale_max = input.scale_max;
        criterion.minimum_score = input.minimum_score;
        criterion.sort_order = static_cast<int>(existing.size() + 1) * 10;
        for (const auto& other : existing)
            criterion.sort_order = std::max(criterion.sort_order, other.sort_order + 10);
        criterion.id = store::insert_criterion(sql, criterion);
        identity::record_audit(sql, m_database->engine(),
                               event(actor, call->organisation_id, "criterion.create", "call",
                                     call_id, criterion_summary(criterion)));
        return criterion.id;
    });
}

Result<void> CallsService::update_criterion(const Actor& actor, Id call_id, Id criterion_id,
                                            const CriterionInput& input) {
    auto errors = validate_criterion(input);
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto call = call_to_change(sql, actor, call_id);
        if (!call)
            return tl::unexpected(call.error());
        auto criteria = store::list_criteria(sql, call_id);
        auto found = std::find_if(criteria.begin(), criteria.end(),
                                  [&](const Criterion& c) { return c.id == criterion_id; });
        if (found == criteria.end())
            return tl::unexpected(Error::not_found());
        if (!errors.empty())
            return tl::unexpected(check_fields(std::move(errors)));
        if (call->status != CallStatus::Draft &&
            (found->weight_percent != input.weight_percent || found->scale_min != input.scale_min ||
             found->scale_max != input.scale_max || found->minimum_score != input.minimum_score))
            return tl::unexpected(Error::conflict(CRITERIA_LOCKED));
        found->name = trim(input.name);
        found->guidance = trim(input.guidance);
        found->weight_percent = input.weight_percent;
        found->scale_min = input.scale_min;
        found->scale_max = input.scale_max;
        found->minimum_score = input.minimum_score;
        store::update_criterion(sql, *found);
        identity::record_audit(sql, m_database->engine(),
                               event(actor, call->organisation_id, "criterion.update", "call",
                                     call_id, criterion_summary(*found)));
        return {};
    });
}

Result<void> CallsService::remove_criterion(const Actor& actor, Id call_id, Id criterion_id) {
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto call = call_to_change(sql, actor, call_id);
        if (!call)
            return tl::unexpected(call.error());
        auto criteria = store::list_criteria(sql, call_id);
        auto found = std::find_if(criteria.begin(), criteria.end(),
                                  [&](const Criterion& c) { return c.id == criterion_id; });
        if (found == criteria.end())
            return tl::unexpected(Error::not_found());
        if (call->status != CallStatus::Draft)
            return tl::unexpected(Error::conflict(CRITERIA_LOCKED));
        store::delete_criterion(sql, call_id, criterion_id);
        identity::record_audit(sql, m_database->engine(),
                               event(actor, call->organisation_id, "criterion.remove", "call",
                                     call_id, criterion_summary(*found)));
        return {};
    });
}

Result<void> CallsService::move_criterion(const Actor& actor, Id call_id, Id criterion_id,
                                          int direction) {
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto call = call_to_change(sql, actor, call_id);
        if (!call)
            return tl::unexpected(call.error());
        auto criteria = store::list_criteria(sql, call_id);
        if (!reorder(criteria, criterion_id, direction))
            return tl::unexpected(Error::not_found());
        if (call->status != CallStatus::Draft)
            return tl::unexpected(Error::conflict(CRITERIA_LOCKED));
        for (const auto& criterion : criteria)
            store::update_criterion(sql, criterion);
        identity::record_audit(
            sql, m_database->engine(),
            event(actor, call->organisation_id, "criterion.move", "call", call_id,
                  "criterion " + std::to_string(criterion_id) + (direction < 0 ? " up" : " down")));
        return {};
    });
}

// --- The form --------------------------------------------------------------------------

namespace {

const FormSection* find_section(const FormDefinition& form, Id section_id) {
    for (const auto& section : form.sections) {
        if (section.id == section_id)
            return &section;
    }
    return nullptr;
}

std::vector<FieldOption> options_of(const FieldInput& input) {
    std::vector<FieldOption> options;
    if (!is_choice_kind(input.kind))
        return options;
    int order = 0;
    for (const auto& label : input.options) {
        FieldOption option;
        option.label = trim(label);
        option.sort_order = ++order * 10;
        options.push_back(std::move(option));
    }
    return options;
}

std::string field_summary(const FormField& field) {
    return field.label + " (" + std::string(field_kind_key(field.kind)) +
           (field.required ? ", required" : "") + (field.active ? "" : ", inactive") + ")";
}

} // namespace

Result<Id> CallsService::add_section(const Actor& actor, Id call_id, const SectionInput& input) {
    auto errors = validate_section(input);
    return m_database->transact([&](soci::session& sql) -> Result<Id> {
        auto call = call_to_change(sql, actor, call_id);
        if (!call)
            return tl::unexpected(call.error());
        if (!errors.empty())
            return tl::unexpected(check_fields(std::move(errors)));
        auto form = store::load_form(sql, call_id, true);
        if (form.sections.size() >= static_cast<std::size_t>(MAX_SECTIONS_PER_CALL))
            return tl::unexpected(Error::conflict("A form can have at most 30 sections."));
        FormSection section;
        section.call_id = call_id;
        section.title = trim(input.title);
        section.help_text = trim(input.help_text);
        section.sort_order = 10;
        for (const auto& other : form.sections)
            section.sort_order = std::max(section.sort_order, other.sort_order + 10);
        section.id = store::insert_section(sql, section);
        identity::record_audit(sql, m_database->engine(),
                               event(actor, call->organisation_id, "form.section.create", "call",
                                     call_id, section.title));
        return section.id;
    });
}

Result<void> CallsService::update_section(const Actor& actor, Id call_id, Id section_id,
                                          const SectionInput& input) {
    auto errors = validate_section(input);
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto call = call_to_change(sql, actor, call_id);
        if (!call)
            return tl::unexpected(call.error());
        auto form = store::load_form(sql, call_id, true);
        const FormSection* found = find_section(form, section_id);
        if (!found)
            return tl::unexpected(Error::not_found());
        if (store::count_applications(sql, call_id) > 0)
            return tl::unexpected(Error::conflict(FORM_LOCKED));
        if (!errors.empty())
            return tl::unexpected(check_fields(std::move(errors)));
        FormSection section = *found;
        section.title = trim(input.title);
        section.help_text = trim(input.help_text);
        store::update_section(sql, section);
        identity::record_audit(sql, m_database->engine(),
                               event(actor, call->organisation_id, "form.section.update", "call",
                                     call_id, section.title));
        return {};
    });
}

Result<void> CallsService::remove_section(const Actor& actor, Id call_id, Id section_id) {
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto call = call_to_change(sql, actor, call_id);
        if (!call)
            return tl::unexpected(call.error());
        auto form = store::load_form(sql, call_id, true);
        const FormSection* found = find_section(form, section_id);
        if (!found)
            return tl::unexpected(Error::not_found());
        if (store::count_applications(sql, call_id) > 0)
            return tl::unexpected(Error::conflict(FORM_LOCKED));
        std::string title = found->title;
        store::delete_section(sql, call_id, section_id);
        identity::record_audit(
            sql, m_database->engine(),
            event(actor, call->organisation_id, "form.section.remove", "call", call_id, title));
        return {};
    });
}

Result<void> CallsService::move_section(const Actor& actor, Id call_id, Id section_id,
                                        int direction) {
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto call = call_to_change(sql, actor, call_id);
        if (!call)
            return tl::unexpected(call.error());
        auto form = store::load_form(sql, call_id, true);
        if (!reorder(form.sections, section_id, direction))
            return tl::unexpected(Error::not_found());
        if (store::count_applications(sql, call_id) > 0)
            return tl::unexpected(Error::conflict(FORM_LOCKED));
        for (const auto& section : form.sections)
            store::update_section(sql, section);
        identity::record_audit(
            sql, m_database->engine(),
            event(actor, call->organisation_id, "form.section.move", "call", call_id,
                  "section " + std::to_string(section_id) + (direction < 0 ? " up" : " down")));
        return {};
    });
}

Result<Id> CallsService::add_field(const Actor& actor, Id call_id, const FieldInput& input) {
    auto errors = validate_field(input);
    return m_database->transact([&](soci::session& sql) -> Result<Id> {
        auto call = call_to_change(sql, actor, call_id);
        if (!call)
            return tl::unexpected(call.error());
        auto form = store::load_form(sql, call_id, true);
        const FormSection* section = find_section(form, input.section_id);
        if (input.section_id > 0 && !section)
            errors.push_back({"section_id", "Choose a section."});
        if (!errors.empty())
            return tl::unexpected(check_fields(std::move(errors)));
        if (store::count_fields(sql, call_id) >= MAX_FIELDS_PER_CALL)
            return tl::unexpected(Error::conflict("A form can have at most 100 fields."));
        FormField field;
        field.call_id = call_id;
        field.section_id = input.section_id;
        field.label = trim(input.label);
        field.kind = input.kind;
        field.required = input.required;
        field.help_text = trim(input.help_text);
        field.max_length = input.max_length;
        field.active = input.active;
        field.options = options_of(input);
        field.sort_order = 10;
        for (const auto& other : section->fields)
            field.sort_order = std::max(field.sort_order, other.sort_order + 10);
        field.id = store::insert_field(sql, field);
        identity::record_audit(sql, m_database->engine(),
                               event(actor, call->organisation_id, "form.field.create", "call",
                                     call_id, field_summary(field)));
        return field.id;
    });
}

Result<void> CallsService::update_field(const Actor& actor, Id call_id, Id field_id,
                                        const FieldInput& input) {
    auto errors = validate_field(input);
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto call = call_to_change(sql, actor, call_id);
        if (!call)
            return tl::unexpected(call.error());
        auto form = store::load_form(sql, call_id, true);
        const FormField* found = form.field(field_id);
        if (!found)
            return tl::unexpected(Error::not_found());
        FormField field = *found;
        if (store::count_applications(sql, call_id) > 0) {
            // Only (de)activating: everything else as stored.
            bool same =
                trim(input.label) == field.label && input.kind == field.kind &&
                input.required == field.required && trim(input.help_text) == field.help_text &&
                input.max_length == field.max_length && input.section_id == field.section_id;
            if (same && is_choice_kind(field.kind)) {
                auto options = options_of(input);
                same = options.size() == field.options.size();
                for (std::size_t i = 0; same && i < options.size(); ++i)
                    same = options[i].label == field.options[i].label;
            }
            if (!same)
                return tl::unexpected(Error::conflict(FORM_LOCKED));
            field.active = input.active;
            store::update_field(sql, field, false);
            identity::record_audit(sql, m_database->engine(),
                                   event(actor, call->organisation_id, "form.field.update", "call",
                                         call_id, field_summary(field)));
            return {};
        }
        if (input.section_id > 0 && !find_section(form, input.section_id))
            errors.push_back({"section_id", "Choose a section."});
        if (!errors.empty())
            return tl::unexpected(check_fields(std::move(errors)));
        if (input.section_id != field.section_id) {
            const FormSection* target = find_section(form, input.section_id);
            field.sort_order = 10;
            for (const auto& other : target->fields)
                field.sort_order = std::max(field.sort_order, other.sort_order + 10);
        }
        field.section_id = input.section_id;
        field.label = trim(input.label);
        field.kind = input.kind;
        field.required = input.required;
        field.help_text = trim(input.help_text);
        field.max_length = input.max_length;
        field.active = input.active;
        field.options = options_of(input);
        store::update_field(sql, field, true);
        identity::record_audit(sql, m_database->engine(),
                               event(actor, call->organisation_id, "form.field.update", "call",
                                     call_id, field_summary(field)));
        return {};
    });
}

Result<void> CallsService::set_field_active(const Actor& actor, Id call_id, Id field_id,
                                            bool active) {
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto call = call_to_change(sql, actor, call_id);
        if (!call)
            return tl::unexpected(call.error());
        auto form = store::load_form(sql, call_id, true);
        const FormField* found = form.field(field_id);
        if (!found)
            return tl::unexpected(Error::not_found());
        FormField field = *found;
        field.active = active;
        store::update_field(sql, field, false);
        identity::record_audit(sql, m_database->engine(),
                               event(actor, call->organisation_id, "form.field.update", "call",
                                     call_id, field_summary(field)));
        return {};
    });
}

Result<void> CallsService::remove_field(const Actor& actor, Id call_id, Id field_id) {
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto call = call_to_change(sql, actor, call_id);
        if (!call)
            return tl::unexpected(call.error());
        auto form = store::load_form(sql, call_id, true);
        const FormField* found = form.field(field_id);
        if (!found)
            return tl::unexpected(Error::not_found());
        if (store::count_applications(sql, call_id) > 0)
            return tl::unexpected(Error::conflict(FORM_LOCKED));
        std::string summary = field_summary(*found);
        store::delete_field(sql, call_id, field_id);
        identity::record_audit(
            sql, m_database->engine(),
            event(actor, call->organisation_id, "form.field.remove", "call", call_id, summary));
        return {};
    });
}

Result<void> CallsService::move_field(const Actor& actor, Id call_id, Id field_id, int direction) {
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto call = call_to_change(sql, actor, call_id);
        if (!call)
            return tl::unexpected(call.error());
        auto form = store::load_form(sql, call_id, true);
        const FormField* found = form.field(field_id);
        if (!found)
            return tl::unexpected(Error::not_found());
        if (store::count_applications(sql, call_id) > 0)
            return tl::unexpected(Error::conflict(FORM_LOCKED));
        for (auto& section : form.sections) {
            if (section.id != found->section_id)
                continue;
            auto fields = section.fields;
            reorder(fields, field_id, direction);
            for (const auto& field : fields)
                store::update_field(sql, field, false);
        }
        identity::record_audit(
            sql, m_database->engine(),
            event(actor, call->organisation_id, "form.field.move", "call", call_id,
                  "field " + std::to_string(field_id) + (direction < 0 ? " up" : " down")));
        return {};
    });
}

// --- Catalogues -----------------------------------------------------------------------

Result<std::vector<ExternalCall>> CallsService::list_external_calls(const Actor& actor,
                                                                    Id organisation_id) {
    if (auto allowed = check(actor, CallsAction::ViewCatalogues, {organisation_id, std::nullopt});
        !allowed)
        return tl::unexpected(allowed.error());
    return external_calls(organisation_id, false);
}

Result<std::vector<PartnershipModel>> CallsService::list_partnership_models(const Actor& actor,
                                                                            Id organisation_id) {
    if (auto allowed = check(actor, CallsAction::ViewCatalogues, {organisation_id, std::nullopt});
        !allowed)
        return tl::unexpected(allowed.error());
    return partnership_models(organisation_id, false);
}

namespace {

ExternalCall make_external(Id organisation_id, const ExternalCallInput& input) {
    ExternalCall external;
    external.organisation_id = organisation_id;
    external.funder = trim(input.funder);
    external.programme = trim(input.programme);
    external.title = trim(input.title);
    external.deadline = input.deadline;
    external.required_own_share_percent = input.required_own_share_percent;
    external.url = trim(input.url);
    external.active = input.active;
    return external;
}

std::string external_summary(const ExternalCall& external) {
    return external.funder + ": " + external.programme + " - " + external.title + " (own share " +
           std::to_string(external.required_own_share_percent) + " %" +
           (external.active ? "" : ", inactive") + ")";
}

} // namespace

Result<Id> CallsService::create_external_call(const Actor& actor, Id organisation_id,
                                              const ExternalCallInput& input) {
    if (auto allowed = check(actor, CallsAction::ManageCatalogues, {organisation_id, std::nullopt});
        !allowed)
        return tl::unexpected(allowed.error());
    if (auto errors = validate_external_call(input); !errors.empty())
        return tl::unexpected(check_fields(std::move(errors)));
    ExternalCall external = make_external(organisation_id, input);
    return m_database->transact([&](soci::session& sql) -> Result<Id> {
        Id id = store::insert_external_call(sql, external, now_text());
        identity::record_audit(sql, m_database->engine(),
                               event(actor, organisation_id, "external_call.create",
                                     "external_call", id, external_summary(external)));
        return id;
    });
}

Result<void> CallsService::update_external_call(const Actor& actor, Id organisation_id, Id id,
                                                const ExternalCallInput& input) {
    if (auto allowed = check(actor, CallsAction::ManageCatalogues, {organisation_id, std::nullopt});
        !allowed)
        return tl::unexpected(allowed.error());
    auto errors = validate_external_call(input);
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        if (!store::find_external_call(sql, organisation_id, id))
            return tl::unexpected(Error::not_found());
        if (!errors.empty())
            return tl::unexpected(check_fields(std::move(errors)));
        ExternalCall external = make_external(organisation_id, input);
        external.id = id;
        store::update_external_call(sql, external);
        identity::record_audit(sql, m_database->engine(),
                               event(actor, organisation_id, "external_call.update",
                                     "external_call", id, external_summary(external)));
        return {};
    });
}

Result<Id> CallsService::create_partnership_model(const Actor& actor, Id organisation_id,
                                                  const PartnershipModelInput& input) {
    if (auto allowed = check(actor, CallsAction::ManageCatalogues, {organisation_id, std::nullopt});
        !allowed)
        return tl::unexpected(allowed.error());
    if (auto errors = validate_partnership_model(input); !errors.empty())
        return tl::unexpected(check_fields(std::move(errors)));
    PartnershipModel model;
    model.organisation_id = organisation_id;
    model.name = trim(input.name);
    model.description = trim(input.description);
    model.active = input.active;
    model.sort_order = input.sort_order;
    return m_database->transact([&](soci::session& sql) -> Result<Id> {
        if (store::partnership_model_name_taken(sql, organisation_id, model.name, std::nullopt))
            return tl::unexpected(
                check_fields({{"name", "Another partnership model has this name."}}));
        Id id = store::insert_partnership_model(sql, model, now_text());
        identity::record_audit(sql, m_database->engine(),
                               event(actor, organisation_id, "partnership_model.create",
                                     "partnership_model", id, model.name));
        return id;
    });
}

Result<void> CallsService::update_partnership_model(const Actor& actor, Id organisation_id, Id id,
                                                    const PartnershipModelInput& input) {
    if (auto allowed = check(actor, CallsAction::ManageCatalogues, {organisation_id, std::nullopt});
        !allowed)
        return tl::unexpected(allowed.error());
    auto errors = validate_partnership_model(input);
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        if (!store::find_partnership_model(sql, organisation_id, id))
            return tl::unexpected(Error::not_found());
        if (!errors.empty())
            return tl::unexpected(check_fields(std::move(errors)));
        PartnershipModel model;
        model.id = id;
        model.organisation_id = organisation_id;
        model.name = trim(input.name);
        model.description = trim(input.description);
        model.active = input.active;
        model.sort_order = input.sort_order;
        if (store::partnership_model_name_taken(sql, organisation_id, model.name, id))
            return tl::unexpected(
                check_fields({{"name", "Another partnership model has this name."}}));
        store::update_partnership_model(sql, model);
        identity::record_audit(sql, m_database->engine(),
                               event(actor, organisation_id, "partnership_model.update",
                                     "partnership_model", id,
                                     model.name + (model.active ? "" : " (inactive)")));
        return {};
    });
}

} // namespace spire::calls
