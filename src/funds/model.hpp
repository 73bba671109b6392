#pragma once

// Funds, programmes and the budget ledger (DESIGN.md §2.2, §4): plain structs
// and their stored names; no I/O. The ledger's arithmetic and rules are in
// funds/ledger.hpp.
//
// Who manages a fund is not stored here: it is an identity role grant
// (Role::FundManager with fund_id = the fund; a grant without fund_id covers
// every fund of the organisation). Decision makers are scoped the same way.

#include "core/money.hpp"
#include "identity/model.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spire::funds {

using identity::Id;

// --- Funds and programmes -------------------------------------------------------

struct Fund {
    Id id = 0;
    Id organisation_id = 0;
    std::string name;
    std::string description;
    int first_year = 0; // the period, both inclusive, e.g. 2017–2020
    int last_year = 0;
    bool carry_over_allowed = false; // unused money may move to the next year
    bool active = true;              // an inactive fund takes no new postings
    std::string created_at;

    bool has_year(int year) const { return year >= first_year && year <= last_year; }
};

enum class ProgrammeKind {
    RiskCapital,
    ResearchCofunding,
    SocialEntrepreneurs,
    RdContracts,
    Other
};

inline constexpr ProgrammeKind ALL_PROGRAMME_KINDS[] = {
    ProgrammeKind::RiskCapital, ProgrammeKind::ResearchCofunding,
    ProgrammeKind::SocialEntrepreneurs, ProgrammeKind::RdContracts, ProgrammeKind::Other};

// "risk_capital" etc.: the stored form, also used in forms and the API.
std::string_view programme_kind_key(ProgrammeKind kind);
std::optional<ProgrammeKind> parse_programme_kind(std::string_view key);
// English msgid for the UI ("Internal risk capital").
std::string_view programme_kind_label(ProgrammeKind kind);

struct Programme {
    Id id = 0;
    Id fund_id = 0;
    std::string name;
    std::string description;
    ProgrammeKind kind = ProgrammeKind::Other;
    bool active = true; // an inactive programme takes no new postings
    int sort_order = 0; // shown in ascending order, then by id
    std::string created_at;
};

// --- The ledger -------------------------------------------------------------------

enum class EntryKind { Frame, Transfer, Reserve, Commit, Disburse, Release, CarryOver };

inline constexpr EntryKind ALL_ENTRY_KINDS[] = {
    EntryKind::Frame,    EntryKind::Transfer, EntryKind::Reserve,  EntryKind::Commit,
    EntryKind::Disburse, EntryKind::Release,  EntryKind::CarryOver};

std::string_view entry_kind_key(EntryKind kind); // "frame", ..., "carry_over"
std::optional<EntryKind> parse_entry_kind(std::string_view key);
std::string_view entry_kind_label(EntryKind kind); // msgid: "Frame", "Carry-over"

// What a release gives back.
enum class ReleaseOf { Reserve, Commit };
std::string_view release_of_key(ReleaseOf of); // "reserve", "commit"
std::optional<ReleaseOf> parse_release_of(std::string_view key);

// What an entry is about, in the modules that post automatically later.
enum class ReferenceType { Application, Project, Contract };
std::string_view reference_type_key(ReferenceType type); // "application", ...
std::optional<ReferenceType> parse_reference_type(std::string_view key);
std::string_view reference_type_label(ReferenceType type); // msgid

struct Reference {
    ReferenceType type = ReferenceType::Application;
    Id id = 0;
    bool operator==(const Reference&) const = default;
};

// One row of the append-only ledger. Every entry touches exactly one cell
// (fund × year × programme); amount_ore is the signed change of that cell's
// total of `kind` (see funds/ledger.hpp for what each kind means):
//   - frame, reserve, commit, disburse, release: positive when posted,
//     negative in the entry that reverses one;
//   - transfer and carry_over come as two legs, written together: the source
//     leg negative, the destination leg positive. The second leg names the
//     first in counterpart_id.
// Nothing is ever updated or deleted: a correction is a new entry whose
// `reverses` names the entry it cancels (each entry at most once).
struct LedgerEntry {
    Id id = 0;
    Id fund_id = 0;
    Id organisation_id = 0;
    int year = 0;
    Id programme_id = 0;
    EntryKind kind = EntryKind::Frame;
    std::optional<ReleaseOf> release_of; // set exactly for Release
    Ore amount_ore = 0;                  // never 0
    std::optional<Reference> reference;
    std::optional<Id> counterpart_id; // the other leg of a transfer or carry-over
    std::optional<Id> reverses;       // the entry this one cancels
    std::optional<Id> author_user_id; // none for the system (demo, CLI)
    std::string reason;
    bool override = false; // made `available` negative, allowed by a fund manager
    std::string override_reason;
    std::string created_at;

    // Filled in by listings only.
    std::string author_name;
    std::optional<Id> reversed_by; // the entry that cancels this one
};

// The ledger page's filters (each backed by an index on ledger_entry).
struct LedgerFilter {
    std::optional<int> year;
    std::optional<Id> programme_id;
    std::optional<EntryKind> kind;
    std::optional<Reference> reference;
    int page = 1;      // from 1
    int per_page = 50; // 1..MAX_LEDGER_PER_PAGE
};

struct LedgerPage {
    std::vector<LedgerEntry> entries; // newest first
    long long total = 0;              // entries matching the filter, all pages
    int page = 1;
    int per_page = 50;
};

// --- Limits -----------------------------------------------------------------------

inline constexpr int MIN_FUND_YEAR = 2000;
inline constexpr int MAX_FUND_YEAR = 2100;
inline constexpr int MAX_FUND_YEARS = 20; // length of a period
inline constexpr std::size_t MAX_NAME_LENGTH = 200;
inline constexpr std::size_t MAX_DESCRIPTION_LENGTH = 5000;
inline constexpr std::size_t MAX_REASON_LENGTH = 1000;
inline constexpr int MAX_PROGRAMMES_PER_FUND = 50;
// One posting at most 10 000 000 000 kr: a million of them still sum inside
// int64, on both engines.
inline constexpr Ore MAX_POSTING_ORE = 1'000'000'000'000;
inline constexpr int MAX_LEDGER_PER_PAGE = 200;

} // namespace spire::funds
