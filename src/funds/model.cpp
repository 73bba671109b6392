#include "funds/model.hpp"

namespace spire::funds {

namespace {

// key <-> enum <-> label tables; one lookup for each direction.
template <class E>
struct Named {
    E value;
    std::string_view key;
    std::string_view label;
};

template <class E, std::size_t N>
std::string_view key_of(const Named<E> (&table)[N], E value) {
    for (const auto& entry : table) {
        if (entry.value == value)
            return entry.key;
    }
    return table[0].key;
}

template <class E, std::size_t N>
std::string_view label_of(const Named<E> (&table)[N], E value) {
    for (const auto& entry : table) {
        if (entry.value == value)
            return entry.label;
    }
    return table[0].label;
}

template <class E, std::size_t N>
std::optional<E> parse(const Named<E> (&table)[N], std::string_view key) {
    for (const auto& entry : table) {
        if (entry.key == key)
            return entry.value;
    }
    return std::nullopt;
}

constexpr Named<ProgrammeKind> PROGRAMME_KINDS[] = {
    {ProgrammeKind::RiskCapital, "risk_capital", "Internal risk capital"},
    {ProgrammeKind::ResearchCofunding, "research_cofunding", "Research co-funding"},
    {ProgrammeKind::SocialEntrepreneurs, "social_entrepreneurs", "Social entrepreneurs"},
    {ProgrammeKind::RdContracts, "rd_contracts", "R&D contracts"},
    {ProgrammeKind::Other, "other", "Other"},
};

constexpr Named<EntryKind> ENTRY_KINDS[] = {
    {EntryKind::Frame, "frame", "Frame"},
    {EntryKind::Transfer, "transfer", "Transfer"},
    {EntryKind::Reserve, "reserve", "Reservation"},
    {EntryKind::Commit, "commit", "Commitment"},
    {EntryKind::Disburse, "disburse", "Disbursement"},
    {EntryKind::Release, "release", "Release"},
    {EntryKind::CarryOver, "carry_over", "Carry-over"},
};

constexpr Named<ReleaseOf> RELEASE_OF[] = {
    {ReleaseOf::Reserve, "reserve", "Reservation"},
    {ReleaseOf::Commit, "commit", "Commitment"},
};

constexpr Named<ReferenceType> REFERENCE_TYPES[] = {
    {ReferenceType::Application, "application", "Application"},
    {ReferenceType::Project, "project", "Project"},
    {ReferenceType::Contract, "contract", "Contract"},
};

} // namespace

std::string_view programme_kind_key(ProgrammeKind kind) {
    return key_of(PROGRAMME_KINDS, kind);
}
std::optional<ProgrammeKind> parse_programme_kind(std::string_view key) {
    return parse(PROGRAMME_KINDS, key);
}
std::string_view programme_kind_label(ProgrammeKind kind) {
    return label_of(PROGRAMME_KINDS, kind);
}

std::string_view entry_kind_key(EntryKind kind) {
    return key_of(ENTRY_KINDS, kind);
}
std::optional<EntryKind> parse_entry_kind(std::string_view key) {
    return parse(ENTRY_KINDS, key);
}
std::string_view entry_kind_label(EntryKind kind) {
    return label_of(ENTRY_KINDS, kind);
}

std::string_view release_of_key(ReleaseOf of) {
    return key_of(RELEASE_OF, of);
}
std::optional<ReleaseOf> parse_release_of(std::string_view key) {
    return parse(RELEASE_OF, key);
}

std::string_view reference_type_key(ReferenceType type) {
    return key_of(REFERENCE_TYPES, type);
}
std::optional<ReferenceType> parse_reference_type(std::string_view key) {
    return parse(REFERENCE_TYPES, key);
}
std::string_view reference_type_label(ReferenceType type) {
    return label_of(REFERENCE_TYPES, type);
}

} // namespace spire::funds
