#pragma once

// Identity: organisations (tenants), units, users, role grants, sessions.
// Plain structs and pure rules; no I/O.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spire::identity {

// long long rather than std::int64_t (long): SOCI binds long long.
using Id = long long;

enum class Role {
    Applicant,
    UnitLeader,
    FundManager,
    Reviewer,
    DecisionMaker,
    ProcurementOfficer,
    Partner,
    Auditor,
    Admin,
};

inline constexpr Role ALL_ROLES[] = {Role::Applicant, Role::UnitLeader,    Role::FundManager,
                                     Role::Reviewer,  Role::DecisionMaker, Role::ProcurementOfficer,
                                     Role::Partner,   Role::Auditor,       Role::Admin};

// "fund_manager" etc.: the stored form, also used in URLs and the CLI.
std::string_view role_key(Role role);
std::optional<Role> parse_role(std::string_view key);
// English msgid for the UI ("Fund manager"), translated by the web layer.
std::string_view role_label(Role role);

// What a role may be limited to. Unit leaders and applicants act for a unit;
// fund managers, reviewers and decision makers may be limited to one fund.
enum class RoleScope { Organisation, Unit, Fund };
RoleScope role_scope(Role role);

enum class UnitKind { Sector, Unit, ServiceUnit };
std::string_view unit_kind_key(UnitKind kind);
std::optional<UnitKind> parse_unit_kind(std::string_view key);
std::string_view unit_kind_label(UnitKind kind);

struct Organisation {
    Id id = 0;
    std::string slug;
    std::string name;
};

struct OrgUnit {
    Id id = 0;
    Id organisation_id = 0;
    std::optional<Id> parent_id;
    UnitKind kind = UnitKind::ServiceUnit;
    std::string name;
    bool active = true;
};

struct Grant {
    Id id = 0;
    Id user_id = 0;
    Id organisation_id = 0;
    Role role = Role::Applicant;
    std::optional<Id> unit_id;
    std::optional<Id> fund_id;
};

struct User {
    Id id = 0;
    Id organisation_id = 0;
    std::string email;
    std::string name;
    std::string phone;
    bool active = true;
};

// The logged-in user as every authorisation decision sees them.
struct Principal {
    Id user_id = 0;
    Id organisation_id = 0; // the tenant this session works in
    std::string name;
    std::string email;
    std::vector<Grant> grants; // in organisation_id only

    bool has_role(Role role) const;
    // Holds `role` for the whole organisation or for this unit.
    bool has_role_for_unit(Role role, Id unit_id) const;
};

// Rules on input, shared by the service, the CLI and the forms.
inline constexpr std::size_t MIN_PASSWORD_LENGTH = 12;
inline constexpr std::size_t MAX_PASSWORD_LENGTH = 1024;
inline constexpr std::size_t MAX_NAME_LENGTH = 200;
inline constexpr std::size_t MAX_EMAIL_LENGTH = 254;

// Lower-cased and trimmed; nullopt when it is not a plausible address.
std::optional<std::string> normalise_email(std::string_view raw);
// Lower-case letters, digits and '-', 2–63 characters, e.g. "baerum".
bool is_valid_slug(std::string_view slug);

} // namespace spire::identity
