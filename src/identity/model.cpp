#include "identity/model.hpp"

#include <algorithm>

namespace spire::identity {

namespace {

struct RoleInfo {
    Role role;
    std::string_view key;
    std::string_view label;
    RoleScope scope;
};

constexpr RoleInfo ROLES[] = {
    {Role::Applicant, "applicant", "Applicant", RoleScope::Unit},
    {Role::UnitLeader, "unit_leader", "Unit leader", RoleScope::Unit},
    {Role::FundManager, "fund_manager", "Fund manager", RoleScope::Fund},
    {Role::Reviewer, "reviewer", "Reviewer", RoleScope::Fund},
    {Role::DecisionMaker, "decision_maker", "Decision maker", RoleScope::Fund},
    {Role::ProcurementOfficer, "procurement_officer", "Procurement officer",
     RoleScope::Organisation},
    {Role::Partner, "partner", "Partner", RoleScope::Organisation},
    {Role::Auditor, "auditor", "Auditor", RoleScope::Organisation},
    {Role::Admin, "admin", "Administrator", RoleScope::Organisation},
};

const RoleInfo& info(Role role) {
    for (const auto& entry : ROLES) {
        if (entry.role == role)
            return entry;
    }
    return ROLES[0];
}

struct UnitKindInfo {
    UnitKind kind;
    std::string_view key;
    std::string_view label;
};

constexpr UnitKindInfo UNIT_KINDS[] = {
    {UnitKind::Sector, "sector", "Sector"},
    {UnitKind::Unit, "unit", "Unit"},
    {UnitKind::ServiceUnit, "service_unit", "Service unit"},
};

} // namespace

std::string_view role_key(Role role) {
    return info(role).key;
}
std::string_view role_label(Role role) {
    return info(role).label;
}
RoleScope role_scope(Role role) {
    return info(role).scope;
}

std::optional<Role> parse_role(std::string_view key) {
    for (const auto& entry : ROLES) {
        if (entry.key == key)
            return entry.role;
    }
    return std::nullopt;
}

std::string_view unit_kind_key(UnitKind kind) {
    for (const auto& entry : UNIT_KINDS) {
        if (entry.kind == kind)
            return entry.key;
    }
    return "service_unit";
}

std::string_view unit_kind_label(UnitKind kind) {
    for (const auto& entry : UNIT_KINDS) {
        if (entry.kind == kind)
            return entry.label;
    }
    return "Service unit";
}

std::optional<UnitKind> parse_unit_kind(std::string_view key) {
    for (const auto& entry : UNIT_KINDS) {
        if (entry.key == key)
            return entry.kind;
    }
    return std::nullopt;
}

bool Principal::has_role(Role role) const {
    return std::any_of(grants.begin(), grants.end(),
                       [&](const Grant& grant) { return grant.role == role; });
}

bool Principal::has_role_for_unit(Role role, Id unit_id) const {
    return std::any_of(grants.begin(), grants.end(), [&](const Grant& grant) {
        return grant.role == role && (!grant.unit_id || *grant.unit_id == unit_id);
    });
}

std::optional<std::string> normalise_email(std::string_view raw) {
    while (!raw.empty() && (raw.front() == ' ' || raw.front() == '\t'))
        raw.remove_prefix(1);
    while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t'))
        raw.remove_suffix(1);
    if (raw.size() < 3 || raw.size() > MAX_EMAIL_LENGTH)
        return std::nullopt;
    auto at = raw.find('@');
    if (at == std::string_view::npos || at == 0 || raw.find('@', at + 1) != std::string_view::npos)
        return std::nullopt;
    std::string_view domain = raw.substr(at + 1);
    if (domain.size() < 3 || domain.find('.') == std::string_view::npos || domain.front() == '.' ||
        domain.back() == '.')
        return std::nullopt;
    std::string email;
    for (char c : raw) {
        auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f || c == '<' || c == '>' || c == '"' || c == ',' || c == ';')
            return std::nullopt;
        email += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return email;
}

bool is_valid_slug(std::string_view slug) {
    if (slug.size() < 2 || slug.size() > 63 || slug.front() == '-' || slug.back() == '-')
        return false;
    return std::all_of(slug.begin(), slug.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    });
}

} // namespace spire::identity
