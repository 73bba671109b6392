#include "decisions/model.hpp"

#include "core/text.hpp"

#include <set>
#include <utility>

namespace spire::decisions {

namespace {

struct OutcomeName {
    Outcome outcome;
    std::string_view key;
    std::string_view label;
};

constexpr OutcomeName OUTCOME_NAMES[] = {
    {Outcome::Granted, "granted", "Granted"},
    {Outcome::PartlyGranted, "partly_granted", "Partly granted"},
    {Outcome::Rejected, "rejected", "Rejected"},
    {Outcome::Conditional, "conditional", "Granted on condition"},
};

struct StatusName {
    RecommendationStatus status;
    std::string_view key;
    std::string_view label;
};

constexpr StatusName STATUS_NAMES[] = {
    {RecommendationStatus::Draft, "draft", "Draft"},
    {RecommendationStatus::Submitted, "submitted", "Awaiting decision"},
    {RecommendationStatus::Approved, "approved", "Approved"},
    {RecommendationStatus::Adjusted, "adjusted", "Approved with changes"},
    {RecommendationStatus::Rejected, "rejected", "Not approved"},
};

void check_text(const std::string& text, const char* field, std::vector<FieldError>& errors) {
    if (text.size() > MAX_TEXT_LENGTH)
        errors.push_back({field, message::TEXT_TOO_LONG});
}

} // namespace

std::string_view outcome_key(Outcome outcome) {
    for (const auto& name : OUTCOME_NAMES) {
        if (name.outcome == outcome)
            return name.key;
    }
    return {};
}

std::optional<Outcome> parse_outcome(std::string_view key) {
    for (const auto& name : OUTCOME_NAMES) {
        if (name.key == key)
            return name.outcome;
    }
    return std::nullopt;
}

std::string_view outcome_label(Outcome outcome) {
    for (const auto& name : OUTCOME_NAMES) {
        if (name.outcome == outcome)
            return name.label;
    }
    return {};
}

bool needs_reasons(Outcome outcome) {
    return outcome == Outcome::Rejected || outcome == Outcome::PartlyGranted;
}

bool has_amounts(Outcome outcome) {
    return outcome != Outcome::Rejected;
}

funds::EntryKind posting_kind(Outcome outcome) {
    return outcome == Outcome::Conditional ? funds::EntryKind::Reserve : funds::EntryKind::Commit;
}

std::string_view recommendation_status_key(RecommendationStatus status) {
    for (const auto& name : STATUS_NAMES) {
        if (name.status == status)
            return name.key;
    }
    return {};
}

std::optional<RecommendationStatus> parse_recommendation_status(std::string_view key) {
    for (const auto& name : STATUS_NAMES) {
        if (name.key == key)
            return name.status;
    }
    return std::nullopt;
}

std::string_view recommendation_status_label(RecommendationStatus status) {
    for (const auto& name : STATUS_NAMES) {
        if (name.status == status)
            return name.label;
    }
    return {};
}

Ore total(const std::vector<YearAmount>& amounts) {
    Ore sum = 0;
    for (const auto& amount : amounts)
        sum += amount.amount_ore;
    return sum;
}

bool recipient_is_external(funds::ProgrammeKind kind) {
    return kind == funds::ProgrammeKind::SocialEntrepreneurs;
}

std::string amount_field(int year, Id programme_id) {
    return "amount." + std::to_string(year) + "." + std::to_string(programme_id);
}

std::vector<FieldError> validate_amounts(Outcome outcome, const std::vector<YearAmount>& amounts) {
    std::vector<FieldError> errors;
    if (!has_amounts(outcome)) {
        if (!amounts.empty())
            errors.push_back({amount_field(amounts.front().year, amounts.front().programme_id),
                              message::REJECTION_HAS_NO_AMOUNT});
        return errors;
    }
    if (amounts.empty()) {
        errors.push_back({"amount", message::AMOUNT_REQUIRED});
        return errors;
    }
    std::set<std::pair<int, Id>> cells;
    for (const auto& amount : amounts) {
        const std::string field = amount_field(amount.year, amount.programme_id);
        if (!cells.insert({amount.year, amount.programme_id}).second)
            errors.push_back({field, message::DUPLICATE_CELL});
        else if (amount.amount_ore <= 0)
            errors.push_back({field, message::AMOUNT_NOT_POSITIVE});
        else if (amount.amount_ore > funds::MAX_POSTING_ORE)
            errors.push_back({field, message::AMOUNT_TOO_LARGE});
        else if (amount.amount_ore % ORE_PER_KRONE != 0)
            errors.push_back({field, message::AMOUNT_NOT_WHOLE_KRONER});
    }
    return errors;
}

std::vector<FieldError> validate_decision(const DecisionInput& input) {
    auto errors = validate_amounts(input.outcome, input.amounts);
    if (needs_reasons(input.outcome) && trim(input.reasons).empty())
        errors.push_back({"reasons", message::REASONS_REQUIRED});
    check_text(input.reasons, "reasons", errors);
    check_text(input.conditions, "conditions", errors);
    return errors;
}

std::vector<FieldError> validate_proposal(const Proposal& proposal) {
    auto errors = validate_amounts(proposal.outcome, proposal.amounts);
    if (trim(proposal.justification).empty())
        errors.push_back({"justification", message::JUSTIFICATION_REQUIRED});
    check_text(proposal.justification, "justification", errors);
    check_text(proposal.conditions, "conditions", errors);
    return errors;
}

} // namespace spire::decisions
