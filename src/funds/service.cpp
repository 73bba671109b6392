#include "funds/service.hpp"

#include "core/text.hpp"
#include "core/time.hpp"
#include "db/database.hpp"
#include "identity/audit_service.hpp"
#include "identity/store.hpp"

#include <algorithm>
#include <soci/soci.h>
#include <stdexcept>

namespace spire::funds {

namespace {

using identity::AuditEvent;

std::string now_text() {
    return to_db_time(Clock::now());
}

AuditEvent event(const Actor& actor, Id organisation_id, std::string action,
                 std::string target_type, Id target_id, std::string summary) {
    return identity::audit_event(actor, organisation_id, std::move(action), std::move(target_type),
                                 std::to_string(target_id), std::move(summary));
}

// The system actor (CLI, demo) may do everything; web users need the policy.
Result<void> check(const Actor& actor, FundsAction action, const FundsResource& resource) {
    if (actor.is_system)
        return {};
    Decision decision = authorize(actor.principal, action, resource);
    if (!decision)
        return tl::unexpected(decision.to_error());
    return {};
}

bool may(const Actor& actor, FundsAction action, const Fund& fund) {
    return actor.is_system ||
           authorize(actor.principal, action, {fund.organisation_id, fund.id}).allowed;
}

Error check_fields(std::vector<FieldError> fields) {
    return Error::invalid(message::CHECK_FIELDS, std::move(fields));
}

std::string kroner(Ore ore) {
    return to_kroner_input(ore) + " kr";
}

std::string cell_text(const Cell& cell) {
    return std::to_string(cell.year) + " programme " + std::to_string(cell.programme_id);
}

std::string period_text(int first, int last) {
    return std::to_string(first) + "-" + std::to_string(last);
}

const Programme* find_programme(const std::vector<Programme>& programmes, Id id) {
    for (const auto& programme : programmes) {
        if (programme.id == id)
            return &programme;
    }
    return nullptr;
}

// Years that hold ledger entries.
std::vector<int> years_with_entries(const Balances& balances) {
    std::vector<int> years;
    for (const auto& [cell, balance] : balances) {
        if (balance.entries != 0 && std::find(years.begin(), years.end(), cell.year) == years.end())
            years.push_back(cell.year);
    }
    return years;
}

} // namespace

// What one posting writes: its entries in order (a leg that pairs with the
// previous one becomes its counterpart), and what the audit entry says.
struct FundsService::Plan {
    struct Leg {
        Effect effect;
        std::optional<Id> reverses;
        bool pairs_with_previous = false;
    };
    std::vector<Leg> legs;
    std::optional<Reference> reference;
    std::string reason;
    OverrideRequest override;
    std::string action; // audit action
    std::string summary;
};

std::vector<FieldError> validate_fund(const FundInput& input) {
    std::vector<FieldError> errors;
    const std::string name = trim(input.name);
    if (name.empty())
        errors.push_back({"name", message::FUND_NAME_MISSING});
    else if (name.size() > MAX_NAME_LENGTH)
        errors.push_back({"name", message::NAME_TOO_LONG});
    if (input.description.size() > MAX_DESCRIPTION_LENGTH)
        errors.push_back({"description", message::DESCRIPTION_TOO_LONG});
    auto in_range = [](int year) { return year >= MIN_FUND_YEAR && year <= MAX_FUND_YEAR; };
    if (!in_range(input.first_year))
        errors.push_back({"first_year", message::YEAR_OUT_OF_RANGE});
    if (!in_range(input.last_year))
        errors.push_back({"last_year", message::YEAR_OUT_OF_RANGE});
    else if (in_range(input.first_year) && input.last_year < input.first_year)
        errors.push_back({"last_year", message::LAST_YEAR_BEFORE_FIRST});
    else if (in_range(input.first_year) && input.last_year - input.first_year >= MAX_FUND_YEARS)
        errors.push_back({"last_year", message::PERIOD_TOO_LONG});
    return errors;
}

std::vector<FieldError> validate_programme(const ProgrammeInput& input) {
    std::vector<FieldError> errors;
    const std::string name = trim(input.name);
    if (name.empty())
        errors.push_back({"name", message::PROGRAMME_NAME_MISSING});
    else if (name.size() > MAX_NAME_LENGTH)
        errors.push_back({"name", message::NAME_TOO_LONG});
    if (input.description.size() > MAX_DESCRIPTION_LENGTH)
        errors.push_back({"description", message::DESCRIPTION_TOO_LONG});
    return errors;
}

FundsService::FundsService(std::shared_ptr<db::Database> database, FundsOptions options)
    : m_database(std::move(database)), m_options(options) {
    if (m_options.checkpoint_every < 1)
        throw std::invalid_argument("FundsOptions::checkpoint_every must be at least 1");
}

// --- Funds and programmes -----------------------------------------------------------

Result<std::vector<Fund>> FundsService::funds(const Actor& actor, Id organisation_id) {
    if (auto allowed = check(actor, FundsAction::ViewFunds, {organisation_id, std::nullopt});
        !allowed)
        return tl::unexpected(allowed.error());
    auto all = m_database->read(
        [&](soci::session& sql) { return store::list_funds(sql, organisation_id); });
    std::erase_if(all, [&](const Fund& fund) { return !may(actor, FundsAction::ViewFund, fund); });
    return all;
}

Result<FundDetail> FundsService::fund(const Actor& actor, Id fund_id) {
    return m_database->read([&](soci::session& sql) -> Result<FundDetail> {
        auto fund = store::find_fund(sql, fund_id);
        if (!fund)
            return tl::unexpected(Error::not_found());
        if (auto allowed = check(actor, FundsAction::ViewFund, {fund->organisation_id, fund->id});
            !allowed)
            return tl::unexpected(allowed.error());
        FundDetail detail;
        detail.programmes = store::list_programmes(sql, fund_id);
        detail.managers = store::fund_managers(sql, fund->organisation_id, fund_id);
        detail.fund = std::move(*fund);
        return detail;
    });
}

Result<Id> FundsService::create_fund(const Actor& actor, const FundInput& input) {
    if (auto allowed = check(actor, FundsAction::CreateFund, {input.organisation_id, std::nullopt});
        !allowed)
        return tl::unexpected(allowed.error());
    if (auto errors = validate_fund(input); !errors.empty())
        return tl::unexpected(check_fields(std::move(errors)));
    Fund fund;
    fund.organisation_id = input.organisation_id;
    fund.name = trim(input.name);
    fund.description = trim(input.description);
    fund.first_year = input.first_year;
    fund.last_year = input.last_year;
    fund.carry_over_allowed = input.carry_over_allowed;
    fund.active = input.active;
    return m_database->transact([&](soci::session& sql) -> Result<Id> {
        if (!identity::store::find_organisation(sql, fund.organisation_id))
            return tl::unexpected(Error::not_found(message::NO_SUCH_ORGANISATION));
        if (store::fund_name_taken(sql, fund.organisation_id, fund.name, std::nullopt))
            return tl::unexpected(check_fields({{"name", message::FUND_NAME_TAKEN}}));
        Id id = store::insert_fund(sql, fund, now_text());
        identity::record_audit(sql, m_database->engine(),
                               event(actor, fund.organisation_id, "fund.create", "fund", id,
                                     fund.name + " (" +
                                         period_text(fund.first_year, fund.last_year) +
                                         (fund.carry_over_allowed ? ", carry-over" : "") + ")"));
        return id;
    });
}

Result<void> FundsService::update_fund(const Actor& actor, Id fund_id, const FundInput& input) {
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        // As a posting does: a period shortened while a posting goes into
        // the year it drops would otherwise miss that entry.
        store::lock_fund(sql, m_database->engine(), fund_id);
        auto before = store::find_fund(sql, fund_id);
        if (!before)
            return tl::unexpected(Error::not_found());
        if (auto allowed =
                check(actor, FundsAction::ChangeFund, {before->organisation_id, before->id});
            !allowed)
            return tl::unexpected(allowed.error());
        auto errors = validate_fund(input);
        Fund after = *before;
        after.name = trim(input.name);
        after.description = trim(input.description);
        after.first_year = input.first_year;
        after.last_year = input.last_year;
        after.carry_over_allowed = input.carry_over_allowed;
        after.active = input.active;
        if (errors.empty() && after.name != before->name &&
            store::fund_name_taken(sql, after.organisation_id, after.name, after.id))
            errors.push_back({"name", message::FUND_NAME_TAKEN});
        if (errors.empty()) {
            for (int year : years_with_entries(fold(store::bucket_sums(sql, fund_id)))) {
                if (!after.has_year(year)) {
                    errors.push_back({year < after.first_year ? "first_year" : "last_year",
                                      message::PERIOD_LEAVES_OUT_ENTRIES});
                    break;
                }
            }
        }
        if (!errors.empty())
            return tl::unexpected(check_fields(std::move(errors)));

        std::string summary;
        if (after.name != before->name)
            summary += "name: " + before->name + " -> " + after.name + "; ";
        if (after.description != before->description)
            summary += "description changed; ";
        if (after.first_year != before->first_year || after.last_year != before->last_year)
            summary += "period: " + period_text(before->first_year, before->last_year) + " -> " +
                       period_text(after.first_year, after.last_year) + "; ";
        if (after.carry_over_allowed != before->carry_over_allowed)
            summary += std::string("carry-over: ") +
                       (after.carry_over_allowed ? "no -> yes" : "yes -> no") + "; ";
        if (after.active != before->active)
            summary += std::string("active: ") + (after.active ? "no -> yes" : "yes -> no");
        if (summary.empty())
            return {}; // nothing changed: nothing to write or audit
        store::update_fund(sql, after);
        identity::record_audit(
            sql, m_database->engine(),
            event(actor, after.organisation_id, "fund.update", "fund", after.id, summary));
        return {};
    });
}

Result<Id> FundsService::create_programme(const Actor& actor, Id fund_id,
                                          const ProgrammeInput& input) {
    return m_database->transact([&](soci::session& sql) -> Result<Id> {
        auto fund = store::find_fund(sql, fund_id);
        if (!fund)
            return tl::unexpected(Error::not_found());
        if (auto allowed =
                check(actor, FundsAction::ChangeProgrammes, {fund->organisation_id, fund->id});
            !allowed)
            return tl::unexpected(allowed.error());
        if (auto errors = validate_programme(input); !errors.empty())
            return tl::unexpected(check_fields(std::move(errors)));
        Programme programme;
        programme.fund_id = fund_id;
        programme.name = trim(input.name);
        programme.description = trim(input.description);
        programme.kind = input.kind;
        programme.active = input.active;
        programme.sort_order = input.sort_order;
        auto existing = store::list_programmes(sql, fund_id);
        if (existing.size() >= static_cast<std::size_t>(MAX_PROGRAMMES_PER_FUND))
            return tl::unexpected(Error::conflict(message::TOO_MANY_PROGRAMMES));
        if (store::programme_name_taken(sql, fund_id, programme.name, std::nullopt))
            return tl::unexpected(check_fields({{"name", message::PROGRAMME_NAME_TAKEN}}));
        Id id = store::insert_programme(sql, programme, now_text());
        identity::record_audit(
            sql, m_database->engine(),
            event(actor, fund->organisation_id, "programme.create", "programme", id,
                  "fund " + std::to_string(fund_id) + ": " + programme.name + " (" +
                      std::string(programme_kind_key(programme.kind)) + ")"));
        return id;
    });
}

Result<void> FundsService::update_programme(const Actor& actor, Id fund_id, Id programme_id,
                                            const ProgrammeInput& input) {
    return m_database->transact([&](soci::session& sql) -> Result<void> {
        auto fund = store::find_fund(sql, fund_id);
        if (!fund)
            return tl::unexpected(Error::not_found());
        if (auto allowed =
                check(actor, FundsAction::ChangeProgrammes, {fund->organisation_id, fund->id});
            !allowed)
            return tl::unexpected(allowed.error());
        auto programmes = store::list_programmes(sql, fund_id);
        const Programme* before = find_programme(programmes, programme_id);
        if (!before)
            return tl::unexpected(Error::not_found());
        if (auto errors = validate_programme(input); !errors.empty())
            return tl::unexpected(check_fields(std::move(errors)));
        Programme after = *before;
        after.name = trim(input.name);
        after.description = trim(input.description);
        after.kind = input.kind;
        after.active = input.active;
        after.sort_order = input.sort_order;
        if (after.name != before->name &&
            store::programme_name_taken(sql, fund_id, after.name, programme_id))
            return tl::unexpected(check_fields({{"name", message::PROGRAMME_NAME_TAKEN}}));

        std::string summary;
        if (after.name != before->name)
            summary += "name: " + before->name + " -> " + after.name + "; ";
        if (after.description != before->description)
            summary += "description changed; ";
        if (after.kind != before->kind)
            summary += "kind: " + std::string(programme_kind_key(before->kind)) + " -> " +
                       std::string(programme_kind_key(after.kind)) + "; ";
        if (after.sort_order != before->sort_order)
            summary += "order: " + std::to_string(before->sort_order) + " -> " +
                       std::to_string(after.sort_order) + "; ";
        if (after.active != before->active)
            summary += std::string("active: ") + (after.active ? "no -> yes" : "yes -> no");
        if (summary.empty())
            return {};
        store::update_programme(sql, after);
        identity::record_audit(sql, m_database->engine(),
                               event(actor, fund->organisation_id, "programme.update", "programme",
                                     programme_id, summary));
        return {};
    });
}

// --- The ledger -------------------------------------------------------------------

Result<PostingResult> FundsService::run_posting(const Actor& actor, Id fund_id, FundsAction action,
                                                const Planner& planner) {
    return m_database->transact([&](soci::session& sql) -> Result<PostingResult> {
        return run_posting_within(sql, m_database->engine(), m_options, actor, fund_id, action,
                                  AuthorisedBy::FundsPolicy, planner);
    });
}

Result<PostingResult> FundsService::run_posting_within(soci::session& sql, db::Engine engine,
                                                       const FundsOptions& options,
                                                       const Actor& actor, Id fund_id,
                                                       FundsAction action, AuthorisedBy authorised,
                                                       const Planner& planner) {
    // First the lock, then the reads: on PostgreSQL every statement
    // after it sees what the posting before committed.
    store::lock_fund(sql, engine, fund_id);
    auto fund = store::find_fund(sql, fund_id);
    if (!fund)
        return tl::unexpected(Error::not_found());
    if (authorised == AuthorisedBy::FundsPolicy) {
        if (auto allowed = check(actor, action, {fund->organisation_id, fund->id}); !allowed)
            return tl::unexpected(allowed.error());
    } else if (!actor.is_system &&
               (!actor.principal || actor.principal->organisation_id != fund->organisation_id)) {
        // Even an authorised caller never posts into another tenant's fund.
        return tl::unexpected(Error::not_found());
    }
    if (!fund->active)
        return tl::unexpected(Error::conflict(message::FUND_CLOSED));
    const auto programmes = store::list_programmes(sql, fund_id);
    const Balances balances = fold(store::bucket_sums(sql, fund_id));

    auto plan = planner(sql, *fund, programmes, balances);
    if (!plan)
        return tl::unexpected(plan.error());
    std::vector<Effect> effects;
    for (const auto& leg : plan->legs)
        effects.push_back(leg.effect);
    std::optional<Balances> reference_balances;
    if (plan->reference)
        reference_balances = fold(store::reference_bucket_sums(sql, fund_id, *plan->reference));
    auto checked = check_effects(
        balances, reference_balances ? &*reference_balances : nullptr, effects, plan->override,
        may(actor, FundsAction::OverrideAvailable, *fund) ? MayOverride::Yes : MayOverride::No);
    if (!checked)
        return tl::unexpected(checked.error());

    const std::string now = now_text();
    PostingResult result;
    result.overridden = checked->overridden;
    for (const auto& leg : plan->legs) {
        LedgerEntry entry;
        entry.fund_id = fund_id;
        entry.organisation_id = fund->organisation_id;
        entry.year = leg.effect.cell.year;
        entry.programme_id = leg.effect.cell.programme_id;
        entry.kind = leg.effect.kind;
        entry.release_of = leg.effect.release_of;
        entry.amount_ore = leg.effect.amount;
        entry.reference = plan->reference;
        if (leg.pairs_with_previous && !result.entry_ids.empty())
            entry.counterpart_id = result.entry_ids.back();
        entry.reverses = leg.reverses;
        entry.author_user_id =
            actor.principal ? std::optional<Id>(actor.principal->user_id) : std::nullopt;
        entry.reason = plan->reason;
        entry.override = checked->overridden;
        entry.override_reason = checked->overridden ? trim(plan->override.reason) : "";
        entry.created_at = now;
        result.entry_ids.push_back(store::insert_entry(sql, entry));
    }
    if (store::entries_since_checkpoint(sql, fund_id) >= options.checkpoint_every)
        store::write_checkpoint(sql, fund_id, now);

    std::string summary = plan->summary + "; entries";
    for (Id id : result.entry_ids)
        summary += " " + std::to_string(id);
    summary += "; reason: " + plan->reason;
    if (checked->overridden)
        summary += "; OVERRIDE beyond available: " + trim(plan->override.reason);
    identity::record_audit(sql, engine,
                           event(actor, fund->organisation_id,
                                 checked->overridden ? "ledger.override" : plan->action, "fund",
                                 fund_id, summary));
    result.after = std::move(checked->after);
    return result;
}

auto FundsService::plan_posting(const Posting& posting, const Fund& fund,
                                const std::vector<Programme>& programmes) -> Result<Plan> {
    if (auto errors = validate_posting(posting, fund, programmes); !errors.empty())
        return tl::unexpected(check_fields(std::move(errors)));
    Plan plan;
    auto effects = effects_of(posting);
    for (std::size_t i = 0; i < effects.size(); ++i)
        plan.legs.push_back({effects[i], std::nullopt, i > 0});
    plan.reference = posting.reference;
    plan.reason = posting.reason;
    plan.override = posting.override;
    plan.action = "ledger.post";
    plan.summary = std::string(entry_kind_key(posting.kind));
    if (posting.release_of && posting.kind == EntryKind::Release)
        plan.summary += " of " + std::string(release_of_key(*posting.release_of));
    plan.summary += " " + kroner(posting.amount) + ", " + cell_text(posting.cell);
    if (posting.to && posting.kind == EntryKind::Transfer)
        plan.summary += " -> " + cell_text(*posting.to);
    if (posting.reference)
        plan.summary += ", " + std::string(reference_type_key(posting.reference->type)) + " " +
                        std::to_string(posting.reference->id);
    return plan;
}

Result<PostingResult> FundsService::post(const Actor& actor, Id fund_id, const Posting& input) {
    Posting posting = input;
    posting.reason = trim(posting.reason);
    return run_posting(actor, fund_id, FundsAction::Post,
                       [&](soci::session&, const Fund& fund,
                           const std::vector<Programme>& programmes,
                           const Balances&) { return plan_posting(posting, fund, programmes); });
}

Result<PostingResult> FundsService::post_within(soci::session& sql, db::Engine engine,
                                                const Actor& actor, Id fund_id,
                                                const Posting& input, const FundsOptions& options) {
    Posting posting = input;
    posting.reason = trim(posting.reason);
    return run_posting_within(
        sql, engine, options, actor, fund_id, FundsAction::Post, AuthorisedBy::Caller,
        [&](soci::session&, const Fund& fund, const std::vector<Programme>& programmes,
            const Balances&) { return plan_posting(posting, fund, programmes); });
}

Result<PostingResult> FundsService::set_frame(const Actor& actor, Id fund_id,
                                              const FrameChange& change) {
    const std::string reason = trim(change.reason);
    return run_posting(
        actor, fund_id, FundsAction::Post,
        [&](soci::session&, const Fund& fund, const std::vector<Programme>& programmes,
            const Balances& balances) -> Result<Plan> {
            std::vector<FieldError> errors;
            if (!fund.has_year(change.cell.year))
                errors.push_back({"year", message::YEAR_OUTSIDE_PERIOD});
            const Programme* programme = find_programme(programmes, change.cell.programme_id);
            if (!programme)
                errors.push_back({"programme_id", message::UNKNOWN_PROGRAMME});
            else if (!programme->active)
                errors.push_back({"programme_id", message::PROGRAMME_CLOSED});
            if (change.total < 0)
                errors.push_back({"amount", MONEY_NEGATIVE});
            else if (change.total > MAX_POSTING_ORE)
                errors.push_back({"amount", message::AMOUNT_TOO_LARGE});
            if (auto problem = reason_problem(reason))
                errors.push_back(*problem);
            if (auto problem = override_problem(change.override))
                errors.push_back(*problem);
            if (!errors.empty())
                return tl::unexpected(check_fields(std::move(errors)));
            auto effect = frame_change(balances, change.cell, change.total);
            if (!effect)
                return tl::unexpected(check_fields({{"amount", message::FRAME_UNCHANGED}}));
            Plan plan;
            plan.legs.push_back({*effect, std::nullopt, false});
            plan.reason = reason;
            plan.override = change.override;
            plan.action = "ledger.post";
            plan.summary = "frame of " + cell_text(change.cell) + " set to " +
                           kroner(change.total) + " (" + (effect->amount > 0 ? "+" : "") +
                           kroner(effect->amount) + ")";
            return plan;
        });
}

Result<PostingResult> FundsService::reverse(const Actor& actor, Id fund_id, Id entry_id,
                                            const std::string& raw_reason,
                                            const OverrideRequest& override) {
    const std::string reason = trim(raw_reason);
    return run_posting(
        actor, fund_id, FundsAction::Post,
        [&](soci::session& sql, const Fund&, const std::vector<Programme>&,
            const Balances&) -> Result<Plan> {
            auto entry = store::find_entry(sql, fund_id, entry_id);
            if (!entry)
                return tl::unexpected(Error::not_found(message::NO_SUCH_ENTRY));
            if (entry->reverses)
                return tl::unexpected(Error::conflict(message::REVERSAL_OF_REVERSAL));
            if (entry->reversed_by)
                return tl::unexpected(Error::conflict(message::ALREADY_REVERSED));
            std::vector<FieldError> errors;
            if (auto problem = reason_problem(reason))
                errors.push_back(*problem);
            if (auto problem = override_problem(override))
                errors.push_back(*problem);
            if (!errors.empty())
                return tl::unexpected(check_fields(std::move(errors)));

            // Both legs, the first leg (the one without counterpart_id in
            // storage) first, so that the reversal pairs up the same way.
            std::vector<LedgerEntry> legs{*entry};
            if (entry->counterpart_id) {
                auto other = store::find_entry(sql, fund_id, *entry->counterpart_id);
                if (!other)
                    throw std::runtime_error("ledger entry " + std::to_string(entry_id) +
                                             ": counterpart missing");
                if (other->reversed_by)
                    return tl::unexpected(Error::conflict(message::ALREADY_REVERSED));
                if (other->id < entry->id)
                    legs.insert(legs.begin(), *other);
                else
                    legs.push_back(*other);
            }
            Plan plan;
            auto effects = reversal_of(legs);
            for (std::size_t i = 0; i < legs.size(); ++i)
                plan.legs.push_back({effects[i], legs[i].id, i > 0});
            plan.reference = entry->reference;
            plan.reason = reason;
            plan.override = override;
            plan.action = "ledger.reverse";
            plan.summary = "reversal of entry";
            for (const auto& leg : legs)
                plan.summary += " " + std::to_string(leg.id);
            plan.summary += " (" + std::string(entry_kind_key(entry->kind)) + " " +
                            kroner(entry->amount_ore) + ", " +
                            cell_text({entry->year, entry->programme_id}) + ")";
            return plan;
        });
}

Result<PostingResult> FundsService::carry_over(const Actor& actor, Id fund_id, int year,
                                               std::optional<Id> programme_id,
                                               const std::string& raw_reason) {
    const std::string reason = trim(raw_reason);
    return run_posting(
        actor, fund_id, FundsAction::CarryOver,
        [&](soci::session&, const Fund& fund, const std::vector<Programme>& programmes,
            const Balances& balances) -> Result<Plan> {
            if (!fund.carry_over_allowed)
                return tl::unexpected(Error::conflict(message::CARRY_OVER_NOT_ALLOWED));
            std::vector<FieldError> errors;
            if (!fund.has_year(year))
                errors.push_back({"year", message::YEAR_OUTSIDE_PERIOD});
            else if (!fund.has_year(year + 1))
                errors.push_back({"year", message::NO_NEXT_YEAR});
            std::vector<Id> ids;
            if (programme_id) {
                const Programme* programme = find_programme(programmes, *programme_id);
                if (!programme)
                    errors.push_back({"programme_id", message::UNKNOWN_PROGRAMME});
                else if (!programme->active)
                    errors.push_back({"programme_id", message::PROGRAMME_CLOSED});
                else
                    ids.push_back(*programme_id);
            } else {
                for (const auto& programme : programmes) {
                    if (programme.active)
                        ids.push_back(programme.id);
                }
            }
            if (auto problem = reason_problem(reason))
                errors.push_back(*problem);
            if (!errors.empty())
                return tl::unexpected(check_fields(std::move(errors)));
            auto effects = carry_over_of(balances, year, ids);
            if (effects.empty())
                return tl::unexpected(Error::conflict(message::NOTHING_TO_CARRY_OVER));
            Plan plan;
            plan.summary =
                "carry-over " + std::to_string(year) + " -> " + std::to_string(year + 1) + ":";
            for (std::size_t i = 0; i < effects.size(); ++i) {
                bool second = i % 2 == 1; // effects come as (from, to) pairs
                plan.legs.push_back({effects[i], std::nullopt, second});
                if (second)
                    plan.summary += " programme " + std::to_string(effects[i].cell.programme_id) +
                                    " " + kroner(effects[i].amount);
            }
            plan.reason = reason;
            plan.action = "ledger.carry_over";
            return plan;
        });
}

// --- Reading --------------------------------------------------------------------------

Result<BudgetSummary> FundsService::budget(const Actor& actor, Id fund_id) {
    return m_database->read([&](soci::session& sql) -> Result<BudgetSummary> {
        auto fund = store::find_fund(sql, fund_id);
        if (!fund)
            return tl::unexpected(Error::not_found());
        if (auto allowed = check(actor, FundsAction::ViewBudget, {fund->organisation_id, fund->id});
            !allowed)
            return tl::unexpected(allowed.error());
        auto programmes = store::list_programmes(sql, fund_id);
        auto balances = fold(store::bucket_sums(sql, fund_id));
        return make_summary(std::move(*fund), std::move(programmes), std::move(balances));
    });
}

Result<LedgerPage> FundsService::ledger(const Actor& actor, Id fund_id, LedgerFilter filter) {
    filter.page = std::max(filter.page, 1);
    filter.per_page = std::clamp(filter.per_page, 1, MAX_LEDGER_PER_PAGE);
    return m_database->read([&](soci::session& sql) -> Result<LedgerPage> {
        auto fund = store::find_fund(sql, fund_id);
        if (!fund)
            return tl::unexpected(Error::not_found());
        if (auto allowed = check(actor, FundsAction::ViewLedger, {fund->organisation_id, fund->id});
            !allowed)
            return tl::unexpected(allowed.error());
        LedgerPage page;
        page.entries = store::list_entries(sql, fund_id, filter);
        page.total = store::count_entries(sql, fund_id, filter);
        page.page = filter.page;
        page.per_page = filter.per_page;
        return page;
    });
}

Result<LedgerEntry> FundsService::entry(const Actor& actor, Id fund_id, Id entry_id) {
    return m_database->read([&](soci::session& sql) -> Result<LedgerEntry> {
        auto fund = store::find_fund(sql, fund_id);
        if (!fund)
            return tl::unexpected(Error::not_found());
        if (auto allowed = check(actor, FundsAction::ViewLedger, {fund->organisation_id, fund->id});
            !allowed)
            return tl::unexpected(allowed.error());
        auto found = store::find_entry(sql, fund_id, entry_id);
        if (!found)
            return tl::unexpected(Error::not_found(message::NO_SUCH_ENTRY));
        return *found;
    });
}

Result<void> FundsService::export_ledger(const Actor& actor, Id fund_id, const LedgerFilter& filter,
                                         const std::function<void(const LedgerEntry&)>& visit) {
    return m_database->read([&](soci::session& sql) -> Result<void> {
        auto fund = store::find_fund(sql, fund_id);
        if (!fund)
            return tl::unexpected(Error::not_found());
        if (auto allowed = check(actor, FundsAction::ViewLedger, {fund->organisation_id, fund->id});
            !allowed)
            return tl::unexpected(allowed.error());
        store::for_each_entry(sql, fund_id, filter, visit);
        return {};
    });
}

} // namespace spire::funds
