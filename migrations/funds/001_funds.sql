-- Funds, programmes and the budget ledger (DESIGN.md §2.2, §4). @ID@ is
-- replaced per engine by the migration runner; everything else is portable.
-- Money is integer øre (BIGINT); times are UTC text in the fixed format
-- 2026-11-27T14:05:00.000000Z, like the identity tables.
--
-- Who manages a fund is an identity role grant (role_grant.role =
-- 'fund_manager' with fund_id), not a column here.

CREATE TABLE fund (
    id @ID@,
    organisation_id BIGINT NOT NULL REFERENCES organisation(id),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    first_year INTEGER NOT NULL CHECK (first_year BETWEEN 2000 AND 2100),
    last_year INTEGER NOT NULL CHECK (last_year BETWEEN 2000 AND 2100),
    carry_over_allowed INTEGER NOT NULL DEFAULT 0 CHECK (carry_over_allowed IN (0, 1)),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL,
    CHECK (first_year <= last_year),
    UNIQUE (organisation_id, name),
    -- For the ledger's foreign key: an entry's organisation is its fund's.
    UNIQUE (id, organisation_id)
);

CREATE TABLE programme (
    id @ID@,
    fund_id BIGINT NOT NULL REFERENCES fund(id),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL CHECK (kind IN ('risk_capital', 'research_cofunding',
                                       'social_entrepreneurs', 'rd_contracts', 'other')),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    sort_order INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    UNIQUE (fund_id, name),
    -- For the ledger's foreign key: an entry's programme is its fund's.
    UNIQUE (id, fund_id)
);
CREATE INDEX programme_by_fund ON programme(fund_id, sort_order, id);

-- The budget ledger: append-only (002_ledger_append_only refuses UPDATE and
-- DELETE). Each row changes one cell (fund × year × programme): amount_ore
-- is the signed change of that cell's total of `kind` (funds/ledger.hpp).
-- A transfer or carry-over is two rows, the second naming the first in
-- counterpart_id; a correction is a row naming the row it cancels in
-- `reverses` (each row at most once). release_of is '' except for releases.
CREATE TABLE ledger_entry (
    id @ID@,
    fund_id BIGINT NOT NULL,
    organisation_id BIGINT NOT NULL,
    year INTEGER NOT NULL,
    programme_id BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('frame', 'transfer', 'reserve', 'commit', 'disburse',
                                       'release', 'carry_over')),
    release_of TEXT NOT NULL DEFAULT '' CHECK (release_of IN ('', 'reserve', 'commit')),
    amount_ore BIGINT NOT NULL CHECK (amount_ore <> 0),
    reference_type TEXT CHECK (reference_type IN ('application', 'project', 'contract')),
    reference_id BIGINT,
    counterpart_id BIGINT UNIQUE REFERENCES ledger_entry(id),
    reverses BIGINT UNIQUE REFERENCES ledger_entry(id),
    author_user_id BIGINT REFERENCES app_user(id),
    reason TEXT NOT NULL,
    overridden INTEGER NOT NULL DEFAULT 0 CHECK (overridden IN (0, 1)),
    override_reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    FOREIGN KEY (fund_id, organisation_id) REFERENCES fund(id, organisation_id),
    FOREIGN KEY (programme_id, fund_id) REFERENCES programme(id, fund_id),
    CHECK ((kind = 'release') = (release_of <> '')),
    CHECK ((reference_type IS NULL) = (reference_id IS NULL)),
    CHECK (overridden = 0 OR override_reason <> '')
);
-- The roll-up tail and the unfiltered ledger page, newest first.
CREATE INDEX ledger_entry_by_fund ON ledger_entry(fund_id, id);
-- Drill-down from a cell of the budget overview; the year filter.
CREATE INDEX ledger_entry_by_cell ON ledger_entry(fund_id, year, programme_id, id);
CREATE INDEX ledger_entry_by_kind ON ledger_entry(fund_id, kind, id);
-- Everything posted for one application, project or contract.
CREATE INDEX ledger_entry_by_reference ON ledger_entry(fund_id, reference_type, reference_id, id);

-- Roll-up checkpoints: balances are sums of entries, and a checkpoint is
-- such a sum, written once for an immutable prefix of a fund's ledger (every
-- entry of the fund with id <= through_entry_id) and never changed. A budget
-- summary reads the fund's newest checkpoint and adds the entries after it
-- (at most FundsOptions::checkpoint_every of them). Writers of a fund's
-- entries are serialised (the fund row is locked on PostgreSQL, SQLite has
-- one writer), so no entry of the fund can later appear below a checkpoint.
CREATE TABLE ledger_checkpoint (
    id @ID@,
    fund_id BIGINT NOT NULL REFERENCES fund(id),
    through_entry_id BIGINT NOT NULL,
    entry_count BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (fund_id, through_entry_id)
);

-- The sums of one checkpoint, cumulative from the fund's first entry: one
-- row per cell, kind, release target and sign (transfers and carry-overs
-- are reported by sign).
CREATE TABLE ledger_checkpoint_total (
    checkpoint_id BIGINT NOT NULL REFERENCES ledger_checkpoint(id),
    year INTEGER NOT NULL,
    programme_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    release_of TEXT NOT NULL,
    positive INTEGER NOT NULL CHECK (positive IN (0, 1)),
    total_ore BIGINT NOT NULL,
    entry_count BIGINT NOT NULL,
    PRIMARY KEY (checkpoint_id, year, programme_id, kind, release_of, positive)
);
