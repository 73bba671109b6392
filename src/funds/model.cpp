#include "funds/model.hpp"

#include "core/named.hpp"

namespace spire::funds {

namespace {

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
    return parse_named(PROGRAMME_KINDS, key);
}
std::string_view programme_kind_label(ProgrammeKind kind) {
    return label_of(PROGRAMME_KINDS, kind);
}

std::string_view entry_kind_key(EntryKind kind) {
    return key_of(ENTRY_KINDS, kind);
}
std::optional<EntryKind> parse_entry_kind(std::string_view key) {
    return parse_named(ENTRY_KINDS, key);
}
std::string_view entry_kind_label(EntryKind kind) {
    return label_of(ENTRY_KINDS, kind);
}

std::string_view release_of_key(ReleaseOf of) {
    return key_of(RELEASE_OF, of);
}
std::optional<ReleaseOf> parse_release_of(std::string_view key) {
    return parse_named(RELEASE_OF, key);
}

std::string_view reference_type_key(ReferenceType type) {
    return key_of(REFERENCE_TYPES, type);
}
std::optional<ReferenceType> parse_reference_type(std::string_view key) {
    return parse_named(REFERENCE_TYPES, key);
}
std::string_view reference_type_label(ReferenceType type) {
    return label_of(REFERENCE_TYPES, type);
}

} // namespace spire::funds
