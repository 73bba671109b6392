-- Calls for proposals (utlysninger), their criteria and form definitions,
-- plus two catalogues a fund manager keeps: external calls (for research
-- co-funding) and partnership models (for social entrepreneurs).
-- DESIGN.md §2.3. Times are UTC text in the fixed format of the identity
-- tables; money is integer øre.

-- A call belongs to one programme of one fund. opens_at/closes_at are UTC
-- instants (entered and shown in Europe/Oslo); a rolling call
-- ("fortløpende") has no closes_at.
CREATE TABLE fund_call (
    id @ID@,
    organisation_id BIGINT NOT NULL REFERENCES organisation(id),
    fund_id BIGINT NOT NULL,
    programme_id BIGINT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',   -- Markdown, rendered sanitised
    eligibility TEXT NOT NULL DEFAULT '',   -- Markdown
    opens_at TEXT,
    closes_at TEXT,
    rolling INTEGER NOT NULL DEFAULT 0 CHECK (rolling IN (0, 1)),
    max_amount_ore BIGINT NOT NULL CHECK (max_amount_ore > 0),
    max_duration_years INTEGER NOT NULL DEFAULT 1 CHECK (max_duration_years BETWEEN 1 AND 10),
    endorsement_required INTEGER NOT NULL DEFAULT 1 CHECK (endorsement_required IN (0, 1)),
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'closed')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    FOREIGN KEY (fund_id, organisation_id) REFERENCES fund(id, organisation_id),
    FOREIGN KEY (programme_id, fund_id) REFERENCES programme(id, fund_id),
    CHECK (rolling = 1 OR closes_at IS NOT NULL),
    UNIQUE (id, organisation_id)
);
CREATE INDEX call_by_fund ON fund_call(fund_id, status, id);
-- The public list of open calls of an organisation.
CREATE INDEX call_by_organisation ON fund_call(organisation_id, status, closes_at);

-- Criteria: weights are whole percent and sum to 100 per call (checked by
-- the service, not here, so a call can be edited criterion by criterion).
-- The scale is scale_min..scale_max (default 1–7, the Research Council's
-- labels); minimum_score is an optional threshold.
CREATE TABLE call_criterion (
    id @ID@,
    call_id BIGINT NOT NULL REFERENCES fund_call(id),
    name TEXT NOT NULL,
    guidance TEXT NOT NULL DEFAULT '',
    weight_percent INTEGER NOT NULL CHECK (weight_percent BETWEEN 0 AND 100),
    scale_min INTEGER NOT NULL DEFAULT 1,
    scale_max INTEGER NOT NULL DEFAULT 7,
    minimum_score INTEGER,
    sort_order INTEGER NOT NULL DEFAULT 0,
    CHECK (scale_min < scale_max),
    CHECK (minimum_score IS NULL OR (minimum_score BETWEEN scale_min AND scale_max))
);
CREATE INDEX call_criterion_by_call ON call_criterion(call_id, sort_order, id);

-- The application form of a call: sections holding fields.
CREATE TABLE form_section (
    id @ID@,
    call_id BIGINT NOT NULL REFERENCES fund_call(id),
    title TEXT NOT NULL,
    help_text TEXT NOT NULL DEFAULT '',
    sort_order INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX form_section_by_call ON form_section(call_id, sort_order, id);

CREATE TABLE form_field (
    id @ID@,
    call_id BIGINT NOT NULL REFERENCES fund_call(id),
    section_id BIGINT NOT NULL REFERENCES form_section(id),
    label TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('short_text', 'long_text', 'number', 'money', 'date',
                                       'single_choice', 'multiple_choice', 'yes_no', 'file')),
    required INTEGER NOT NULL DEFAULT 0 CHECK (required IN (0, 1)),
    help_text TEXT NOT NULL DEFAULT '',
    max_length INTEGER CHECK (max_length IS NULL OR max_length > 0),
    sort_order INTEGER NOT NULL DEFAULT 0,
    -- A removed field keeps its answers (and old revisions stay readable).
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);
CREATE INDEX form_field_by_call ON form_field(call_id, section_id, sort_order, id);

-- The choices of a single- or multiple-choice field.
CREATE TABLE form_field_option (
    id @ID@,
    field_id BIGINT NOT NULL REFERENCES form_field(id),
    label TEXT NOT NULL,
    sort_order INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX form_field_option_by_field ON form_field_option(field_id, sort_order, id);

-- External calls a research co-funding application can point to (e.g. the
-- Research Council's "Offentlig sektor-ph.d."): the own share they require
-- is in whole percent of the total project budget.
CREATE TABLE external_call (
    id @ID@,
    organisation_id BIGINT NOT NULL REFERENCES organisation(id),
    funder TEXT NOT NULL,
    programme TEXT NOT NULL,
    title TEXT NOT NULL,
    deadline TEXT,                           -- a date, YYYY-MM-DD
    required_own_share_percent INTEGER NOT NULL DEFAULT 0
        CHECK (required_own_share_percent BETWEEN 0 AND 100),
    url TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL
);
CREATE INDEX external_call_by_organisation ON external_call(organisation_id, active, deadline);

-- Partnership models offered to social entrepreneurs (a catalogue per
-- organisation, e.g. pilot agreement, grant, outcome-based contract).
CREATE TABLE partnership_model (
    id @ID@,
    organisation_id BIGINT NOT NULL REFERENCES organisation(id),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    sort_order INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    UNIQUE (organisation_id, name)
);
