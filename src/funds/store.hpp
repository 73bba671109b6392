#pragma once

// SQL for funds, programmes, the ledger and its roll-up checkpoints. Every
// function runs inside the caller's transaction (the service opens it) and
// decides nothing about permissions.
//
// Writers of a fund's ledger must call lock_fund() first: the roll-up
// checkpoints rely on a fund's entries being written one transaction at a
// time (see migrations/funds/001_funds.sql).

#include "db/dialect.hpp"
#include "funds/ledger.hpp"
#include "funds/model.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace soci {
class session;
}

namespace spire::funds::store {

// --- Funds ----------------------------------------------------------------------

Id insert_fund(soci::session& sql, const Fund& fund, const std::string& now);
// Changes name, description, period, carry-over and active.
void update_fund(soci::session& sql, const Fund& fund);
// By id alone, whatever the organisation: for the authorisation decision,
// which then compares the organisation.
std::optional<Fund> find_fund(soci::session& sql, Id fund_id);
std::vector<Fund> list_funds(soci::session& sql, Id organisation_id);
bool fund_name_taken(soci::session& sql, Id organisation_id, const std::string& name,
                     std::optional<Id> except_fund_id);

// Holds the fund's write lock until the transaction ends. PostgreSQL: the
// fund row FOR UPDATE, so that parallel postings of one fund run one after
// the other and each computes its balance after the previous committed.
// SQLite: nothing to do, a write transaction (BEGIN IMMEDIATE) already
// holds the database's only write lock.
void lock_fund(soci::session& sql, db::Engine engine, Id fund_id);

// Users holding the fund-manager role for this fund (or for every fund of
// the organisation), active ones only, by name. Reads identity's role_grant
// and app_user (read-only; the grants themselves belong to identity).
struct Manager {
    Id user_id = 0;
    std::string name;
    std::string email;
};
std::vector<Manager> fund_managers(soci::session& sql, Id organisation_id, Id fund_id);

// --- Programmes -----------------------------------------------------------------

Id insert_programme(soci::session& sql, const Programme& programme, const std::string& now);
// Changes name, description, kind, active and sort order.
void update_programme(soci::session& sql, const Programme& programme);
std::vector<Programme> list_programmes(soci::session& sql, Id fund_id); // by sort order, id
bool programme_name_taken(soci::session& sql, Id fund_id, const std::string& name,
                          std::optional<Id> except_programme_id);

// --- Entries --------------------------------------------------------------------

// entry.id, author_name and reversed_by are ignored.
Id insert_entry(soci::session& sql, const LedgerEntry& entry);
// Many entries in few statements (multi-row INSERT), for loading data. Ids
// are not returned; counterpart_id and reverses must name existing entries.
void insert_entries(soci::session& sql, const std::vector<LedgerEntry>& entries);

// With counterpart_id filled in for the first leg too.
std::optional<LedgerEntry> find_entry(soci::session& sql, Id fund_id, Id entry_id);
// The entry that reverses this one, if any.
std::optional<Id> reversal_of(soci::session& sql, Id entry_id);

// --- Balances -------------------------------------------------------------------

// The fund's sums per cell, kind, release target and sign: its newest
// checkpoint plus the entries after it (at most FundsOptions::
// checkpoint_every of them, read through ledger_entry_by_fund).
std::vector<BucketSum> bucket_sums(soci::session& sql, Id fund_id);
// The same from every entry, ignoring checkpoints (tests, benchmark).
std::vector<BucketSum> bucket_sums_full_scan(soci::session& sql, Id fund_id);
// The sums of one reference's entries in the fund.
std::vector<BucketSum> reference_bucket_sums(soci::session& sql, Id fund_id,
                                             const Reference& reference);

// Entries of the fund after its newest checkpoint.
long long entries_since_checkpoint(soci::session& sql, Id fund_id);
// Writes a checkpoint through the fund's newest entry (the previous
// checkpoint plus the entries after it); none when there are no new entries.
std::optional<Id> write_checkpoint(soci::session& sql, Id fund_id, const std::string& now);

// Recomputes every checkpoint of the fund from the entries and compares
// (tests and `verify` tools; reads the whole ledger once per checkpoint).
struct CheckpointVerification {
    long long checked = 0;
    std::optional<Id> first_bad_checkpoint;
};
CheckpointVerification verify_checkpoints(soci::session& sql, Id fund_id);

// --- Listing --------------------------------------------------------------------

// One page, newest first, with author names, reversed_by and counterparts.
// `filter` is assumed valid (page >= 1, per_page within limits).
std::vector<LedgerEntry> list_entries(soci::session& sql, Id fund_id, const LedgerFilter& filter);
// Entries matching the filter. Without a reference filter this comes from
// the roll-up (no scan of the ledger); with one, from its index.
long long count_entries(soci::session& sql, Id fund_id, const LedgerFilter& filter);
// Every matching entry, oldest first, one at a time (exports); page and
// per_page are ignored.
void for_each_entry(soci::session& sql, Id fund_id, const LedgerFilter& filter,
                    const std::function<void(const LedgerEntry&)>& visit);

} // namespace spire::funds::store
