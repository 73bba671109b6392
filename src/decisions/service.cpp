#include "decisions/service.hpp"

#include "applications/model.hpp"
#include "applications/store.hpp"
#include "calls/store.hpp"
#include "core/crypto.hpp"
#include "core/text.hpp"
#include "db/database.hpp"
#include "decisions/policy.hpp"
#include "funds/store.hpp"
#include "identity/audit_service.hpp"
#include "identity/store.hpp"
#include "mail/model.hpp"
#include "mail/store.hpp"
#include "web/format.hpp"
#include "web/pages.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <soci/soci.h>

namespace spire::decisions {

namespace {

using web::fill;

Result<void> check(const Actor& actor, DecisionsAction action, const DecisionsResource& resource) {
    if (actor.is_system)
        return {};
    Decision decision = authorize(actor.principal, action, resource);
    if (!decision)
        return tl::unexpected(decision.to_error());
    return {};
}

std::optional<Id> user_of(const Actor& actor) {
    if (actor.principal)
        return actor.principal->user_id;
    return std::nullopt;
}

std::string name_of(const Actor& actor) {
    return actor.principal ? actor.principal->name : std::string("Spire");
}

void audit(soci::session& sql, db::Engine engine, const Actor& actor, Id organisation_id,
           std::string action, std::string target_type, Id target_id, std::string summary) {
    identity::record_audit(sql, engine,
                           identity::audit_event(actor, organisation_id, std::move(action),
                                                 std::move(target_type), std::to_string(target_id),
                                                 std::move(summary)));
}

std::string kroner(Ore ore) {
    return to_kroner_input(ore) + " kr";
}

// The call with its fund's period and programmes; NotFound if any is missing.
Result<CallInfo> load_call(soci::session& sql, Id call_id) {
    auto call = calls::store::find_call(sql, call_id);
    if (!call)
        return tl::unexpected(Error::not_found());
    auto fund = funds::store::find_fund(sql, call->fund_id);
    if (!fund)
        return tl::unexpected(Error::not_found());
    CallInfo info;
    info.id = call->id;
    info.organisation_id = call->organisation_id;
    info.fund_id = call->fund_id;
    info.programme_id = call->programme_id;
    info.title = call->title;
    info.fund_name = fund->name;
    info.programme_kind = call->programme_kind;
    info.first_year = fund->first_year;
    info.last_year = fund->last_year;
    info.programmes = funds::store::list_programmes(sql, fund->id);
    return info;
}

const funds::Programme* find_programme(const std::vector<funds::Programme>& programmes, Id id) {
    auto found = std::find_if(programmes.begin(), programmes.end(),
                              [&](const funds::Programme& p) { return p.id == id; });
    return found == programmes.end() ? nullptr : &*found;
}

// Amounts must fall in the fund's period and programmes (the ledger would
// refuse them too, but with field names of its own form).
std::vector<FieldError> cell_problems(const std::vector<YearAmount>& amounts,
                                      const funds::Fund& fund,
                                      const std::vector<funds::Programme>& programmes) {
    std::vector<FieldError> errors;
    for (const auto& amount : amounts) {
        const std::string field = amount_field(amount.year, amount.programme_id);
        if (!fund.has_year(amount.year))
            errors.push_back({field, message::YEAR_OUTSIDE_PERIOD});
        else if (!find_programme(programmes, amount.programme_id))
            errors.push_back({field, message::NOT_THE_FUNDS_PROGRAMME});
    }
    return errors;
}

std::vector<FieldError> prefixed(const std::string& prefix, std::vector<FieldError> errors) {
    for (auto& error : errors)
        error.field = prefix + error.field;
    return errors;
}

bool same_as_proposal(const DecisionInput& decided, const Proposal& proposal) {
    return decided.outcome == proposal.outcome && decided.amounts == proposal.amounts;
}

std::vector<YearAmount> sorted(std::vector<YearAmount> amounts) {
    std::sort(amounts.begin(), amounts.end(), [](const YearAmount& a, const YearAmount& b) {
        return std::pair(a.year, a.programme_id) < std::pair(b.year, b.programme_id);
    });
    return amounts;
}

std::string mail_html(const std::string& letter_fragment) {
    // A minimal document around the stored fragment: mail clients need no
    // more, and the archive keeps the fragment itself.
    return "<!DOCTYPE html>\n<html lang=\"nb\"><head><meta charset=\"utf-8\"></head><body>\n" +
           letter_fragment + "</body></html>\n";
}

} // namespace

DecisionsService::DecisionsService(std::shared_ptr<db::Database> database, DecisionsOptions options)
    : m_database(std::move(database)), m_options(std::move(options)) {}

std::string DecisionsService::now_text() const {
    return to_db_time(m_options.now());
}

// --- The fund manager ---------------------------------------------------------------

Result<Id> DecisionsService::create_recommendation(const Actor& actor, Id call_id,
                                                   const std::vector<Proposal>& input,
                                                   const std::string& source_note) {
    return m_database->transact([&](soci::session& sql) -> Result<Id> {
        auto call = load_call(sql, call_id);
        if (!call)
            return tl::unexpected(call.error());
        if (auto allowed =
                check(actor, DecisionsAction::Recommend, {call->organisation_id, call->fund_id});
            !allowed)
            return tl::unexpected(allowed.error());
        if (input.empty())
            return tl::unexpected(Error::invalid(message::EMPTY_RECOMMENDATION));
        auto fund = funds::store::find_fund(sql, call->fund_id);
        std::map<Id, store::CallApplication> applications;
        for (auto& application : store::call_applications(sql, call_id))
            applications.emplace(application.id, application);

        std::vector<FieldError> errors;
        std::set<Id> seen;
        std::vector<Proposal> proposals;
        for (const auto& raw : input) {
            Proposal proposal = raw;
            proposal.justification = trim(proposal.justification);
            proposal.conditions = trim(proposal.conditions);
            proposal.amounts = sorted(proposal.amounts);
            const std::string prefix = "proposal." + std::to_string(proposal.application_id) + ".";
            auto found = applications.find(proposal.application_id);
            if (found == applications.end())
                return tl::unexpected(Error::invalid(message::NOT_OF_THE_CALL));
            if (!seen.insert(proposal.application_id).second)
                return tl::unexpected(Error::invalid(message::DUPLICATE_APPLICATION));
            if (found->second.status == "withdrawn")
                errors.push_back({prefix + "outcome", message::WITHDRAWN});
            auto problems = validate_proposal(proposal);
            auto cells = cell_problems(proposal.amounts, *fund, call->programmes);
            problems.insert(problems.end(), cells.begin(), cells.end());
            if (proposal.outcome == Outcome::Conditional &&
                call->programme_kind !=
                    funds::programme_kind_key(funds::ProgrammeKind::ResearchCofunding))
                problems.push_back({"outcome", message::CONDITIONAL_NEEDS_RESEARCH});
            auto named = prefixed(prefix, std::move(problems));
            errors.insert(errors.end(), named.begin(), named.end());
            proposals.push_back(std::move(proposal));
        }
        if (!errors.empty())
            return tl::unexpected(Error::invalid(message::CHECK_FIELDS, std::move(errors)));

        store::RecommendationRow row;
        row.organisation_id = call->organisation_id;
        row.call_id = call_id;
        row.fund_id = call->fund_id;
        row.source_note = trim(source_note);
        row.created_by = user_of(actor);
        row.created_at = now_text();
        Id id = store::insert_recommendation(sql, row);
        for (const auto& proposal : proposals)
            store::insert_proposal(sql, id, proposal);
        audit(sql, m_database->engine(), actor, call->organisation_id, "recommendation.create",
              "recommendation", id,
              "call " + std::to_string(call_id) + ": " + std::to_string(proposals.size()) +
                  " proposals" + (row.source_note.empty() ? "" : "; source: " + row.source_note));
        return id;
    });
}

Result<void> DecisionsService::submit_recommendation(const Actor& actor, Id recommendation_id) {
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto row = store::find_recommendation(sql, recommendation_id);
        if (!row)
            return tl::unexpected(Error::not_found());
        if (auto allowed =
                check(actor, DecisionsAction::Recommend, {row->organisation_id, row->fund_id});
            !allowed)
            return tl::unexpected(allowed.error());
        if (row->status != RecommendationStatus::Draft)
            return tl::unexpected(Error::conflict(message::NOT_A_DRAFT));
        store::mark_submitted(sql, recommendation_id, now_text());
        audit(sql, m_database->engine(), actor, row->organisation_id, "recommendation.submit",
              "recommendation", recommendation_id, "call " + std::to_string(row->call_id));
        return {};
    });
}

// --- The decision maker -------------------------------------------------------------

Result<Id> DecisionsService::decide(const Actor& actor, const DecisionInput& input) {
    return m_database->transact(
        [&](soci::session& sql) -> Result<Id> { return decide_within(sql, actor, input); });
}

Result<Id> DecisionsService::decide_within(soci::session& sql, const Actor& actor,
                                           const DecisionInput& raw) {
    const db::Engine engine = m_database->engine();
    // The lock keeps a withdrawal from slipping in between the check and
    // the decision.
    auto application = applications::store::lock_application(sql, engine, raw.application_id);
    if (!application)
        return tl::unexpected(Error::not_found());
    if (auto allowed = check(actor, DecisionsAction::Decide,
                             {application->organisation_id, application->fund_id});
        !allowed)
        return tl::unexpected(allowed.error());
    if (application->status == applications::Status::Withdrawn)
        return tl::unexpected(Error::conflict(message::WITHDRAWN));
    if (application->status != applications::Status::Submitted)
        return tl::unexpected(Error::conflict(message::NOT_SUBMITTED));
    if (!store::ranking_facts(sql, application->id).ranked())
        return tl::unexpected(Error::conflict(message::NOT_RANKED));
    if (store::decision_for_application(sql, application->id))
        return tl::unexpected(Error::conflict(message::ALREADY_DECIDED));

    DecisionInput input = raw;
    input.reasons = trim(input.reasons);
    input.conditions = trim(input.conditions);
    input.amounts = sorted(input.amounts);
    auto call = load_call(sql, application->call_id);
    if (!call)
        return tl::unexpected(call.error());
    auto fund = funds::store::find_fund(sql, application->fund_id);
    auto errors = validate_decision(input);
    auto cells = cell_problems(input.amounts, *fund, call->programmes);
    errors.insert(errors.end(), cells.begin(), cells.end());
    if (input.outcome == Outcome::Conditional &&
        call->programme_kind != funds::programme_kind_key(funds::ProgrammeKind::ResearchCofunding))
        errors.push_back({"outcome", message::CONDITIONAL_NEEDS_RESEARCH});
    if (!errors.empty())
        return tl::unexpected(Error::invalid(message::CHECK_FIELDS, std::move(errors)));

    std::optional<store::RecommendationRow> recommendation;
    if (input.recommendation_id) {
        recommendation = store::find_recommendation(sql, *input.recommendation_id);
        if (!recommendation || recommendation->call_id != application->call_id)
            return tl::unexpected(Error::not_found());
        if (recommendation->status != RecommendationStatus::Submitted)
            return tl::unexpected(Error::conflict(message::NOT_SUBMITTED_RECOMMENDATION));
    }

    // The ledger first: its refusal (overdraw above all) ends the decision
    // before anything of it is written, and the caller's transaction rolls
    // back the postings of earlier years.
    applications::store::load_parts(sql, *application);
    const std::string posting_reason = "Vedtak " + application->reference;
    std::vector<std::pair<YearAmount, Id>> posted;
    for (const auto& amount : input.amounts) {
        funds::Posting posting;
        posting.kind = posting_kind(input.outcome);
        posting.cell = {amount.year, amount.programme_id};
        posting.amount = amount.amount_ore;
        posting.reference = funds::Reference{funds::ReferenceType::Application, application->id};
        posting.reason = posting_reason;
        auto result = funds::FundsService::post_within(sql, engine, actor, application->fund_id,
                                                       posting, m_options.funds);
        if (!result) {
            if (result.error().message == funds::message::NOT_ENOUGH_AVAILABLE)
                return tl::unexpected(Error::invalid(
                    message::OVERDRAWN,
                    {{amount_field(amount.year, amount.programme_id), message::OVERDRAWN}}));
            return tl::unexpected(result.error());
        }
        posted.emplace_back(amount, result->entry_ids.front());
    }

    const std::string now = now_text();
    store::DecisionRow row;
    row.organisation_id = application->organisation_id;
    row.application_id = application->id;
    row.call_id = application->call_id;
    row.fund_id = application->fund_id;
    row.recommendation_id = input.recommendation_id;
    row.outcome = input.outcome;
    row.conditions = input.conditions;
    row.reasons = input.reasons;
    row.decided_by = user_of(actor);
    row.decided_at = now;
    const Id decision_id = store::insert_decision(sql, row);
    for (const auto& [amount, entry_id] : posted)
        store::insert_decision_amount(sql, decision_id, amount, entry_id);

    // The letter as sent, and the e-mail carrying it.
    auto organisation = identity::store::find_organisation(sql, application->organisation_id);
    auto applicant = applications::store::active_user_contact(sql, application->created_by);
    LetterData letter;
    letter.organisation_name = organisation ? organisation->name : "";
    letter.fund_name = fund->name;
    letter.reference = application->reference;
    letter.date = web::format_date(m_options.now());
    letter.recipient_name = applicant ? applicant->name : "";
    letter.unit_name = application->unit_name;
    letter.application_title = application->title;
    letter.call_title = call->title;
    letter.outcome = input.outcome;
    for (const auto& amount : input.amounts) {
        const auto* programme = find_programme(call->programmes, amount.programme_id);
        letter.amounts.push_back(
            {amount.year, programme ? programme->name : "", amount.amount_ore});
    }
    letter.requested_ore = application->requested_ore;
    letter.conditions = input.conditions;
    letter.reasons = input.reasons;
    letter.external_recipient = recipient_is_external(
        funds::parse_programme_kind(call->programme_kind).value_or(funds::ProgrammeKind::Other));
    letter.decided_by_name = name_of(actor);
    const Translate& tr = m_options.translate;

    store::Letter stored;
    stored.decision_id = decision_id;
    stored.organisation_id = application->organisation_id;
    stored.html = letter_html(letter, tr);
    stored.sha256 = sha256_hex(stored.html);
    stored.recipient = applicant ? applicant->email : "";
    stored.created_at = now;
    store::insert_letter(sql, stored);
    if (applicant && mail::is_plain_address(applicant->email)) {
        mail::NewMail mail;
        mail.organisation_id = application->organisation_id;
        mail.kind = mail::MailKind::Decision;
        mail.recipient = applicant->email;
        mail.subject = fill(tr("Decision on application {reference}"),
                            {{"reference", application->reference}});
        mail.body_text = letter_text(letter, tr);
        mail.body_html = mail_html(stored.html);
        mail::store::enqueue(sql, mail, now);
    }

    if (recommendation) {
        // Settled once every proposal has its decision: "approved" if all
        // were decided as proposed, else "approved with changes".
        bool all_decided = true, all_as_proposed = true;
        for (const auto& proposal : store::proposals(sql, recommendation->id)) {
            if (proposal.application_id == application->id) {
                all_as_proposed = all_as_proposed && same_as_proposal(input, proposal);
                continue;
            }
            auto other = store::decision_for_application(sql, proposal.application_id);
            if (!other) {
                all_decided = false;
                break;
            }
            DecisionInput decided{
                other->application_id, other->outcome, other->amounts, {}, {}, {}};
            all_as_proposed = all_as_proposed && same_as_proposal(decided, proposal);
        }
        if (all_decided)
            store::mark_settled(sql, recommendation->id,
                                all_as_proposed ? RecommendationStatus::Approved
                                                : RecommendationStatus::Adjusted,
                                user_of(actor), "", now);
    }

    std::string summary = application->reference + ": " + std::string(outcome_key(input.outcome));
    for (const auto& amount : input.amounts)
        summary += "; " + std::to_string(amount.year) + " programme " +
                   std::to_string(amount.programme_id) + " " + kroner(amount.amount_ore);
    summary += "; letter sha256 " + stored.sha256;
    audit(sql, engine, actor, application->organisation_id, "decision.record", "decision",
          decision_id, summary);
    return decision_id;
}

Result<std::vector<Id>> DecisionsService::approve_recommendation(const Actor& actor,
                                                                 Id recommendation_id) {
    return m_database->transact([&](soci::session& sql) -> Result<std::vector<Id>> {
        auto row = store::find_recommendation(sql, recommendation_id);
        if (!row)
            return tl::unexpected(Error::not_found());
        if (auto allowed =
                check(actor, DecisionsAction::Decide, {row->organisation_id, row->fund_id});
            !allowed)
            return tl::unexpected(allowed.error());
        if (row->status != RecommendationStatus::Submitted)
            return tl::unexpected(Error::conflict(message::NOT_SUBMITTED_RECOMMENDATION));
        std::vector<Id> ids;
        for (const auto& proposal : store::proposals(sql, recommendation_id)) {
            // Applications the decision maker already decided by hand keep
            // that decision.
            if (store::decision_for_application(sql, proposal.application_id))
                continue;
            DecisionInput input;
            input.application_id = proposal.application_id;
            input.outcome = proposal.outcome;
            input.amounts = proposal.amounts;
            input.conditions = proposal.conditions;
            input.reasons = proposal.justification;
            input.recommendation_id = recommendation_id;
            auto id = decide_within(sql, actor, input);
            if (!id) {
                Error error = id.error();
                error.fields = prefixed("proposal." + std::to_string(proposal.application_id) + ".",
                                        error.fields);
                return tl::unexpected(error);
            }
            ids.push_back(*id);
        }
        // decide_within settled it with the last decision; a recommendation
        // whose every application was decided earlier is settled here.
        auto after = store::find_recommendation(sql, recommendation_id);
        if (after && after->status == RecommendationStatus::Submitted)
            store::mark_settled(sql, recommendation_id, RecommendationStatus::Approved,
                                user_of(actor), "", now_text());
        audit(sql, m_database->engine(), actor, row->organisation_id, "recommendation.approve",
              "recommendation", recommendation_id, std::to_string(ids.size()) + " decisions");
        return ids;
    });
}

Result<void> DecisionsService::reject_recommendation(const Actor& actor, Id recommendation_id,
                                                     const std::string& raw_note) {
    const std::string note = trim(raw_note);
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto row = store::find_recommendation(sql, recommendation_id);
        if (!row)
            return tl::unexpected(Error::not_found());
        if (auto allowed =
                check(actor, DecisionsAction::Decide, {row->organisation_id, row->fund_id});
            !allowed)
            return tl::unexpected(allowed.error());
        if (row->status != RecommendationStatus::Submitted)
            return tl::unexpected(Error::conflict(message::NOT_SUBMITTED_RECOMMENDATION));
        if (note.empty())
            return tl::unexpected(Error::invalid(message::CHECK_FIELDS,
                                                 {{"note", message::REJECTION_NOTE_REQUIRED}}));
        if (note.size() > MAX_TEXT_LENGTH)
            return tl::unexpected(
                Error::invalid(message::CHECK_FIELDS, {{"note", message::TEXT_TOO_LONG}}));
        store::mark_settled(sql, recommendation_id, RecommendationStatus::Rejected, user_of(actor),
                            note, now_text());
        audit(sql, m_database->engine(), actor, row->organisation_id, "recommendation.reject",
              "recommendation", recommendation_id, note);
        return {};
    });
}

// --- The external funder's answer --------------------------------------------------------

namespace {

// Releases the reservation of one cell and, when the funder granted,
// commits the same amount: a grant leaves the cell's available money as it
// was, a refusal gives the amount back. The release entry and the commit
// entry (none when refused), or the ledger's refusal.
Result<std::pair<Id, std::optional<Id>>> carry_out_answer(soci::session& sql, db::Engine engine,
                                                          const Actor& actor,
                                                          const store::DecisionRow& decision,
                                                          const YearAmount& amount, bool granted,
                                                          const funds::FundsOptions& options) {
    funds::Posting release;
    release.kind = funds::EntryKind::Release;
    release.release_of = funds::ReleaseOf::Reserve;
    release.cell = {amount.year, amount.programme_id};
    release.amount = amount.amount_ore;
    release.reference =
        funds::Reference{funds::ReferenceType::Application, decision.application_id};
    release.reason = (granted ? "Ekstern finansiering innvilget: vedtak "
                              : "Ekstern finansiering avslått: vedtak ") +
                     decision.application_reference;
    auto released =
        funds::FundsService::post_within(sql, engine, actor, decision.fund_id, release, options);
    if (!released)
        return tl::unexpected(released.error());
    std::optional<Id> committed;
    if (granted) {
        funds::Posting commit = release;
        commit.kind = funds::EntryKind::Commit;
        commit.release_of.reset();
        commit.reason = "Vedtak " + decision.application_reference +
                        " (betinget, ekstern finansiering innvilget)";
        auto posted =
            funds::FundsService::post_within(sql, engine, actor, decision.fund_id, commit, options);
        if (!posted)
            return tl::unexpected(posted.error());
        committed = posted->entry_ids.front();
    }
    return std::pair<Id, std::optional<Id>>{released->entry_ids.front(), committed};
}

} // namespace

Result<void> DecisionsService::record_external_answer(const Actor& actor, Id call_id,
                                                      Id decision_id, bool external_granted,
                                                      const std::string& raw_note) {
    const std::string note = trim(raw_note);
    if (note.size() > MAX_TEXT_LENGTH)
        return tl::unexpected(
            Error::invalid(message::CHECK_FIELDS, {{"note", message::TEXT_TOO_LONG}}));
    const db::Engine engine = m_database->engine();
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        store::lock_decision(sql, decision_id, engine == db::Engine::Postgresql);
        auto decision = store::find_decision(sql, decision_id);
        if (!decision || decision->call_id != call_id)
            return tl::unexpected(Error::not_found());
        if (auto allowed = check(actor, DecisionsAction::RecordExternalAnswer,
                                 {decision->organisation_id, decision->fund_id});
            !allowed)
            return tl::unexpected(allowed.error());
        if (decision->outcome != Outcome::Conditional)
            return tl::unexpected(Error::conflict(message::NOT_CONDITIONAL));
        store::ExternalAnswer answer;
        answer.decision_id = decision_id;
        answer.organisation_id = decision->organisation_id;
        answer.external_granted = external_granted;
        answer.note = note;
        answer.answered_by = user_of(actor);
        answer.answered_at = now_text();
        if (!store::insert_external_answer(sql, answer))
            return tl::unexpected(Error::conflict(message::ALREADY_ANSWERED));
        for (const auto& amount : decision->amounts) {
            auto entries = carry_out_answer(sql, engine, actor, *decision, amount, external_granted,
                                            m_options.funds);
            if (!entries)
                return tl::unexpected(entries.error());
            store::insert_external_answer_entry(sql, decision_id, amount, entries->first,
                                                entries->second);
        }
        audit(sql, engine, actor, decision->organisation_id, "decision.external_answer",
              "grant_decision", decision_id,
              decision->application_reference + (external_granted ? " granted" : " refused") +
                  (note.empty() ? "" : ": " + note));
        return {};
    });
}

// --- Reading --------------------------------------------------------------------------

Result<CallDecisions> DecisionsService::call_decisions(const Actor& actor, Id call_id) {
    return m_database->read([&](soci::session& sql) -> Result<CallDecisions> {
        auto call = load_call(sql, call_id);
        if (!call)
            return tl::unexpected(call.error());
        if (auto allowed =
                check(actor, DecisionsAction::View, {call->organisation_id, call->fund_id});
            !allowed)
            return tl::unexpected(allowed.error());
        CallDecisions out;
        out.call = std::move(*call);
        out.applications = store::call_applications(sql, call_id);
        out.recommendations = store::call_recommendations(sql, call_id);
        out.decisions = store::call_decisions(sql, call_id);
        if (!out.recommendations.empty())
            out.latest_proposals = store::proposals(sql, out.recommendations.front().id);
        return out;
    });
}

Result<RecommendationView> DecisionsService::recommendation(const Actor& actor,
                                                            Id recommendation_id) {
    return m_database->read([&](soci::session& sql) -> Result<RecommendationView> {
        auto row = store::find_recommendation(sql, recommendation_id);
        if (!row)
            return tl::unexpected(Error::not_found());
        if (auto allowed =
                check(actor, DecisionsAction::View, {row->organisation_id, row->fund_id});
            !allowed)
            return tl::unexpected(allowed.error());
        auto call = load_call(sql, row->call_id);
        if (!call)
            return tl::unexpected(call.error());
        RecommendationView view;
        view.recommendation = std::move(*row);
        view.call = std::move(*call);
        view.proposals = store::proposals(sql, recommendation_id);
        view.applications = store::call_applications(sql, view.call.id);
        view.decisions = store::call_decisions(sql, view.call.id);
        return view;
    });
}

Result<std::vector<store::RecommendationRow>> DecisionsService::waiting(const Actor& actor) {
    if (!actor.principal)
        return tl::unexpected(Error::forbidden(reason::VIEW));
    const auto& user = *actor.principal;
    if (!user.has_role(identity::Role::DecisionMaker) &&
        !user.has_role(identity::Role::FundManager) && !user.has_role(identity::Role::Auditor))
        return tl::unexpected(Error::forbidden(reason::VIEW));
    const Id organisation = user.organisation_id;
    auto rows = m_database->read([&](soci::session& sql) {
        return store::list_recommendations(sql, organisation, RecommendationStatus::Submitted, 200);
    });
    std::erase_if(rows, [&](const store::RecommendationRow& row) {
        return !check(actor, DecisionsAction::View, {row.organisation_id, row.fund_id});
    });
    return rows;
}

Result<DecisionView> DecisionsService::decision(const Actor& actor, Id decision_id) {
    return m_database->read([&](soci::session& sql) -> Result<DecisionView> {
        auto row = store::find_decision(sql, decision_id);
        if (!row)
            return tl::unexpected(Error::not_found());
        if (auto allowed =
                check(actor, DecisionsAction::View, {row->organisation_id, row->fund_id});
            !allowed)
            return tl::unexpected(allowed.error());
        DecisionView view;
        view.letter = store::find_letter(sql, decision_id);
        view.decision = std::move(*row);
        return view;
    });
}

std::optional<DecisionView> DecisionsService::decision_for_application(Id application_id) {
    return m_database->read([&](soci::session& sql) -> std::optional<DecisionView> {
        auto row = store::decision_for_application(sql, application_id);
        if (!row)
            return std::nullopt;
        DecisionView view;
        view.letter = store::find_letter(sql, row->id);
        view.decision = std::move(*row);
        return view;
    });
}

} // namespace spire::decisions

namespace spire::decisions {

std::optional<DecisionView> DecisionsService::decision_by_id_unchecked(Id decision_id) {
    return m_database->read([&](soci::session& sql) -> std::optional<DecisionView> {
        auto row = store::find_decision(sql, decision_id);
        if (!row)
            return std::nullopt;
        DecisionView view;
        view.letter = store::find_letter(sql, decision_id);
        view.decision = std::move(*row);
        return view;
    });
}

} // namespace spire::decisions
