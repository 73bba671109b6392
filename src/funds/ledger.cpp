#include "funds/ledger.hpp"

#include <algorithm>

namespace spire::funds {

namespace {

const CellBalance ZERO_BALANCE{};

const CellBalance& lookup(const Balances& balances, const Cell& cell) {
    auto found = balances.find(cell);
    return found == balances.end() ? ZERO_BALANCE : found->second;
}

const Programme* find_programme(const std::vector<Programme>& programmes, Id id) {
    for (const auto& programme : programmes) {
        if (programme.id == id)
            return &programme;
    }
    return nullptr;
}

bool blank(const std::string& text) {
    return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

// A cell of the fund that takes postings: the year in the period, the
// programme the fund's and active.
void check_cell(const Cell& cell, const Fund& fund, const std::vector<Programme>& programmes,
                const char* year_field, const char* programme_field,
                std::vector<FieldError>& errors) {
    if (!fund.has_year(cell.year))
        errors.push_back({year_field, message::YEAR_OUTSIDE_PERIOD});
    const Programme* programme = find_programme(programmes, cell.programme_id);
    if (!programme)
        errors.push_back({programme_field, message::UNKNOWN_PROGRAMME});
    else if (!programme->active)
        errors.push_back({programme_field, message::PROGRAMME_CLOSED});
}

bool takes_reference(EntryKind kind) {
    return kind == EntryKind::Reserve || kind == EntryKind::Commit || kind == EntryKind::Disburse ||
           kind == EntryKind::Release;
}

// Which rule a cell broke, in words that fit what was posted.
const char* reserved_message(const Effect& effect, bool for_reference) {
    if (effect.kind == EntryKind::Release && effect.amount > 0)
        return for_reference ? message::REFERENCE_RELEASE_MORE_THAN_RESERVED
                             : message::RELEASE_MORE_THAN_RESERVED;
    return message::REVERSAL_BREAKS_BALANCE;
}

const char* unpaid_message(const Effect& effect, bool for_reference) {
    if (effect.amount > 0 && effect.kind == EntryKind::Disburse)
        return for_reference ? message::REFERENCE_MORE_THAN_UNPAID
                             : message::DISBURSE_MORE_THAN_UNPAID;
    if (effect.amount > 0 && effect.kind == EntryKind::Release)
        return for_reference ? message::REFERENCE_MORE_THAN_UNPAID
                             : message::RELEASE_MORE_THAN_UNPAID;
    return message::REVERSAL_BREAKS_BALANCE;
}

const Effect& first_effect_on(const std::vector<Effect>& effects, const Cell& cell) {
    for (const auto& effect : effects) {
        if (effect.cell == cell)
            return effect;
    }
    return effects.front();
}

struct Touched {
    Balances before;
    Balances after;
};

Touched touch(const Balances& balances, const std::vector<Effect>& effects) {
    Touched touched;
    for (const auto& effect : effects)
        touched.before.try_emplace(effect.cell, lookup(balances, effect.cell));
    touched.after = touched.before;
    apply_effects(touched.after, effects);
    return touched;
}

// The rules that no override lifts, for the cells in `touched`.
void hard_problems(const Touched& touched, const std::vector<Effect>& effects, bool for_reference,
                   std::vector<std::string>& problems) {
    for (const auto& [cell, after] : touched.after) {
        const CellBalance& before = touched.before.at(cell);
        const Effect& effect = first_effect_on(effects, cell);
        if (!for_reference && after.frame < 0 && after.frame < before.frame)
            problems.emplace_back(message::FRAME_BELOW_ZERO);
        if (after.reserved() < 0 && after.reserved() < before.reserved())
            problems.emplace_back(reserved_message(effect, for_reference));
        if (after.unpaid() < 0 && after.unpaid() < before.unpaid())
            problems.emplace_back(unpaid_message(effect, for_reference));
    }
}

} // namespace

// --- Balances ---------------------------------------------------------------------

void CellBalance::add(EntryKind kind, std::optional<ReleaseOf> release_of, Ore amount,
                      long long count) {
    entries += count;
    switch (kind) {
    case EntryKind::Frame:
        frame += amount;
        break;
    case EntryKind::Transfer:
        (amount > 0 ? transfers_in : transfers_out) += amount > 0 ? amount : -amount;
        break;
    case EntryKind::CarryOver:
        (amount > 0 ? carried_in : carried_out) += amount > 0 ? amount : -amount;
        break;
    case EntryKind::Reserve:
        reserve_entries += amount;
        break;
    case EntryKind::Commit:
        commit_entries += amount;
        break;
    case EntryKind::Disburse:
        disbursed += amount;
        break;
    case EntryKind::Release:
        (release_of == ReleaseOf::Commit ? released_commit : released_reserve) += amount;
        break;
    }
}

CellBalance& CellBalance::operator+=(const CellBalance& other) {
    frame += other.frame;
    transfers_in += other.transfers_in;
    transfers_out += other.transfers_out;
    carried_in += other.carried_in;
    carried_out += other.carried_out;
    reserve_entries += other.reserve_entries;
    released_reserve += other.released_reserve;
    commit_entries += other.commit_entries;
    released_commit += other.released_commit;
    disbursed += other.disbursed;
    entries += other.entries;
    return *this;
}

Balances fold(const std::vector<BucketSum>& buckets) {
    Balances balances;
    for (const auto& bucket : buckets)
        balances[bucket.cell].add(bucket.kind, bucket.release_of, bucket.total, bucket.count);
    return balances;
}

void apply_effects(Balances& balances, const std::vector<Effect>& effects) {
    for (const auto& effect : effects)
        balances[effect.cell].add(effect.kind, effect.release_of, effect.amount);
}

// --- Postings ---------------------------------------------------------------------

std::optional<FieldError> reason_problem(const std::string& reason) {
    if (blank(reason))
        return FieldError{"reason", message::REASON_MISSING};
    if (reason.size() > MAX_REASON_LENGTH)
        return FieldError{"reason", message::REASON_TOO_LONG};
    return std::nullopt;
}

std::optional<FieldError> override_problem(const OverrideRequest& request) {
    if (!request.requested)
        return std::nullopt;
    if (blank(request.reason))
        return FieldError{"override_reason", message::OVERRIDE_REASON_MISSING};
    if (request.reason.size() > MAX_REASON_LENGTH)
        return FieldError{"override_reason", message::REASON_TOO_LONG};
    return std::nullopt;
}

std::vector<FieldError> validate_posting(const Posting& posting, const Fund& fund,
                                         const std::vector<Programme>& programmes) {
    std::vector<FieldError> errors;
    if (posting.kind == EntryKind::CarryOver) {
        errors.push_back({"kind", message::NOT_A_POSTING_KIND});
        return errors;
    }
    if (posting.amount <= 0)
        errors.push_back({"amount", message::AMOUNT_NOT_POSITIVE});
    else if (posting.amount > MAX_POSTING_ORE)
        errors.push_back({"amount", message::AMOUNT_TOO_LARGE});
    check_cell(posting.cell, fund, programmes, "year", "programme_id", errors);

    if (posting.kind == EntryKind::Transfer) {
        if (!posting.to) {
            errors.push_back({"to_programme_id", message::TRANSFER_NEEDS_TARGET});
        } else {
            check_cell(*posting.to, fund, programmes, "to_year", "to_programme_id", errors);
            if (*posting.to == posting.cell)
                errors.push_back({"to_programme_id", message::TRANSFER_SAME_CELL});
        }
    }
    if (posting.kind == EntryKind::Release && !posting.release_of)
        errors.push_back({"release_of", message::RELEASE_NEEDS_TARGET});
    if (posting.reference) {
        if (!takes_reference(posting.kind))
            errors.push_back({"reference_type", message::REFERENCE_NOT_ALLOWED});
        else if (posting.reference->id <= 0)
            errors.push_back({"reference_id", message::REFERENCE_ID});
    }
    if (auto problem = reason_problem(posting.reason))
        errors.push_back(*problem);
    if (auto problem = override_problem(posting.override))
        errors.push_back(*problem);
    return errors;
}

std::vector<Effect> effects_of(const Posting& posting) {
    if (posting.kind == EntryKind::Transfer && posting.to) {
        return {{posting.cell, EntryKind::Transfer, std::nullopt, -posting.amount},
                {*posting.to, EntryKind::Transfer, std::nullopt, posting.amount}};
    }
    std::optional<ReleaseOf> release_of;
    if (posting.kind == EntryKind::Release)
        release_of = posting.release_of;
    return {{posting.cell, posting.kind, release_of, posting.amount}};
}

std::vector<Effect> reversal_of(const std::vector<LedgerEntry>& legs) {
    std::vector<Effect> effects;
    for (const auto& leg : legs) {
        effects.push_back(
            {{leg.year, leg.programme_id}, leg.kind, leg.release_of, -leg.amount_ore});
    }
    return effects;
}

std::vector<Effect> carry_over_of(const Balances& balances, int year,
                                  const std::vector<Id>& programme_ids) {
    std::vector<Effect> effects;
    for (Id programme_id : programme_ids) {
        Ore available = lookup(balances, {year, programme_id}).available();
        if (available <= 0)
            continue;
        effects.push_back({{year, programme_id}, EntryKind::CarryOver, std::nullopt, -available});
        effects.push_back(
            {{year + 1, programme_id}, EntryKind::CarryOver, std::nullopt, available});
    }
    return effects;
}

std::optional<Effect> frame_change(const Balances& balances, Cell cell, Ore total) {
    Ore delta = total - lookup(balances, cell).frame;
    if (delta == 0)
        return std::nullopt;
    return Effect{cell, EntryKind::Frame, std::nullopt, delta};
}

Result<Checked> check_effects(const Balances& before, const Balances* reference_before,
                              const std::vector<Effect>& effects, const OverrideRequest& request,
                              MayOverride may_override) {
    if (effects.empty())
        return Checked{};
    Touched cells = touch(before, effects);
    std::vector<std::string> problems;
    hard_problems(cells, effects, false, problems);
    if (reference_before)
        hard_problems(touch(*reference_before, effects), effects, true, problems);
    if (!problems.empty()) {
        std::vector<FieldError> fields;
        for (const auto& problem : problems) {
            bool seen = std::any_of(fields.begin(), fields.end(),
                                    [&](const FieldError& f) { return f.message == problem; });
            if (!seen)
                fields.push_back({"amount", problem});
        }
        return tl::unexpected(Error::invalid(problems.front(), std::move(fields)));
    }

    bool over_budget = false;
    for (const auto& [cell, after] : cells.after) {
        const CellBalance& was = cells.before.at(cell);
        if (after.available() < 0 && after.available() < was.available())
            over_budget = true;
    }
    Checked checked;
    checked.after = std::move(cells.after);
    if (!over_budget)
        return checked;
    if (!request.requested)
        return tl::unexpected(Error::invalid(message::NOT_ENOUGH_AVAILABLE,
                                             {{"amount", message::NOT_ENOUGH_AVAILABLE}}));
    if (auto problem = override_problem(request))
        return tl::unexpected(Error::invalid(problem->message, {*problem}));
    if (may_override == MayOverride::No)
        return tl::unexpected(Error::forbidden(message::OVERRIDE_FORBIDDEN));
    checked.overridden = true;
    return checked;
}

// --- The budget overview ----------------------------------------------------------

const CellBalance& BudgetSummary::cell(int year, Id programme_id) const {
    return lookup(cells, {year, programme_id});
}

CellBalance BudgetSummary::year_total(int year) const {
    CellBalance sum;
    for (const auto& [cell, balance] : cells) {
        if (cell.year == year)
            sum += balance;
    }
    return sum;
}

CellBalance BudgetSummary::programme_total(Id programme_id) const {
    CellBalance sum;
    for (const auto& [cell, balance] : cells) {
        if (cell.programme_id == programme_id)
            sum += balance;
    }
    return sum;
}

CellBalance BudgetSummary::total() const {
    CellBalance sum;
    for (const auto& [cell, balance] : cells)
        sum += balance;
    return sum;
}

BudgetSummary make_summary(Fund fund, std::vector<Programme> programmes, Balances balances) {
    std::stable_sort(programmes.begin(), programmes.end(), [](const auto& a, const auto& b) {
        return a.sort_order != b.sort_order ? a.sort_order < b.sort_order : a.id < b.id;
    });
    BudgetSummary summary;
    for (int year = fund.first_year; year <= fund.last_year; ++year) {
        summary.years.push_back(year);
        for (const auto& programme : programmes)
            balances.try_emplace({year, programme.id});
    }
    summary.fund = std::move(fund);
    summary.programmes = std::move(programmes);
    summary.cells = std::move(balances);
    return summary;
}

} // namespace spire::funds
