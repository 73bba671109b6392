-- Allocation scenarios (DESIGN.md §6, issue 7 §1, §2). A saved scenario is
-- the fund manager's choice of method parameters for one call; the
-- candidates and the remaining budget are read afresh from the ranking and
-- the ledger whenever it is shown, so a scenario never goes stale. Shares
-- are stored as whole percentages (what the form asks for), so both
-- engines hold exactly the same numbers.
CREATE TABLE allocation_scenario (
    id @ID@,
    organisation_id BIGINT NOT NULL REFERENCES organisation(id),
    call_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    -- What funding an application is worth: its calibrated quality, or
    -- quality × the amount it asks for.
    value_kind TEXT NOT NULL CHECK (value_kind IN ('quality', 'quality_amount')),
    -- Partial funding: the smallest share of a request that may be granted;
    -- none when requests are funded whole or not at all.
    partial_min_percent INTEGER CHECK (partial_min_percent BETWEEN 1 AND 100),
    max_grants_per_unit INTEGER CHECK (max_grants_per_unit >= 1),
    -- The lottery's seed is announced before the draw and never changed
    -- afterwards: seed and published_at are set together, once.
    lottery_seed TEXT,
    seed_published_at TEXT,
    seed_published_by BIGINT REFERENCES app_user(id),
    created_by BIGINT NOT NULL REFERENCES app_user(id),
    created_at TEXT NOT NULL,
    FOREIGN KEY (call_id, organisation_id) REFERENCES fund_call(id, organisation_id),
    CHECK ((lottery_seed IS NULL) = (seed_published_at IS NULL))
);
CREATE INDEX allocation_scenario_by_call ON allocation_scenario(call_id, id);

-- A minimum and/or maximum share of the portfolio's money for one programme
-- (its id as text) or one theme.
CREATE TABLE allocation_share_limit (
    scenario_id BIGINT NOT NULL REFERENCES allocation_scenario(id),
    target TEXT NOT NULL CHECK (target IN ('programme', 'theme')),
    name TEXT NOT NULL,
    min_percent INTEGER CHECK (min_percent BETWEEN 0 AND 100),
    max_percent INTEGER CHECK (max_percent BETWEEN 0 AND 100),
    CHECK (min_percent IS NOT NULL OR max_percent IS NOT NULL),
    PRIMARY KEY (scenario_id, target, name)
);

-- Applications locked to be funded (yes) or not (no); the rest are free.
CREATE TABLE allocation_lock (
    scenario_id BIGINT NOT NULL REFERENCES allocation_scenario(id),
    application_id BIGINT NOT NULL REFERENCES application(id),
    lock TEXT NOT NULL CHECK (lock IN ('yes', 'no')),
    PRIMARY KEY (scenario_id, application_id)
);

-- The recorded grey-zone draw: one per scenario, never replaced, so a draw
-- cannot be run again with another seed. record_json is the draw's record
-- (allocation/scenario_file.hpp, spire-lottery-record/1), which
-- `spire lottery verify` re-runs.
CREATE TABLE allocation_lottery_draw (
    scenario_id BIGINT PRIMARY KEY REFERENCES allocation_scenario(id),
    organisation_id BIGINT NOT NULL REFERENCES organisation(id),
    seed TEXT NOT NULL,
    record_json TEXT NOT NULL,
    drawn_by BIGINT NOT NULL REFERENCES app_user(id),
    drawn_at TEXT NOT NULL
);
