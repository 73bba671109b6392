-- Applications to calls (DESIGN.md §2.3). Every part lives in real rows –
-- budget lines, financing lines, partners, answers per field – so lists can
-- sort, total, search and export without parsing blobs (STYLE.md, Hypha's
-- lesson). Only a submitted revision is kept as one immutable JSON document,
-- because it is an archive copy that is read whole and compared, never
-- queried.

-- reference_year/reference_number make the reference shown to people,
-- SPIRE-2018-0042: numbered per organisation and year of creation.
CREATE TABLE application (
    id @ID@,
    organisation_id BIGINT NOT NULL REFERENCES organisation(id),
    call_id BIGINT NOT NULL,
    -- The call's fund and programme, copied when the application is created
    -- (a call's programme cannot change once it is published, and only
    -- published calls take applications): the staff lists of fund-scoped
    -- managers filter on them inside the list indexes, without a join.
    fund_id BIGINT NOT NULL REFERENCES fund(id),
    programme_id BIGINT NOT NULL REFERENCES programme(id),
    unit_id BIGINT NOT NULL REFERENCES org_unit(id),
    created_by BIGINT NOT NULL REFERENCES app_user(id),
    reference_year INTEGER NOT NULL,
    reference_number INTEGER NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'awaiting_endorsement', 'submitted', 'withdrawn')),
    start_year INTEGER,
    duration_years INTEGER NOT NULL DEFAULT 1,
    -- Totals kept in step with the lines below by the store, for sorting
    -- and lists: the sum of the budget, and what is asked of this fund.
    budget_total_ore BIGINT NOT NULL DEFAULT 0,
    requested_ore BIGINT NOT NULL DEFAULT 0,
    -- Research co-funding: the external call and the project's figures.
    external_call_id BIGINT REFERENCES external_call(id),
    project_total_ore BIGINT,
    external_applied_ore BIGINT,
    own_contribution_ore BIGINT,
    -- Social entrepreneurs: the chosen partnership model.
    partnership_model_id BIGINT REFERENCES partnership_model(id),
    endorsed_by BIGINT REFERENCES app_user(id),
    endorsed_at TEXT,
    submitted_at TEXT,
    revision_count INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    FOREIGN KEY (call_id, organisation_id) REFERENCES fund_call(id, organisation_id),
    UNIQUE (organisation_id, reference_year, reference_number)
);
-- Staff list per organisation / call / status, newest first; the applicant
-- dashboard per unit; the leader's endorsement queue.
CREATE INDEX application_by_organisation ON application(organisation_id, id);
CREATE INDEX application_by_call ON application(call_id, status, id);
CREATE INDEX application_by_org_status ON application(organisation_id, status, id);
CREATE INDEX application_by_unit ON application(unit_id, status, id);
-- The staff lists (only applications submitted at least once): one partial
-- index per offered sort (store.cpp order_by; the unit's is below), so that
-- a page of a large organisation's list is read in index order. revision_count,
-- status, fund_id and programme_id are repeated as the last columns so that a
-- page's ids and the count, with or without a status, fund or programme
-- filter, are read from the index alone (SQLite does not count a partial
-- index's condition as covered).
CREATE INDEX application_staff_by_updated
    ON application(organisation_id, updated_at, id, revision_count, status, fund_id, programme_id)
    WHERE revision_count > 0;
CREATE INDEX application_staff_by_submitted
    ON application(organisation_id, submitted_at, id, revision_count, status, fund_id, programme_id)
    WHERE revision_count > 0;
CREATE INDEX application_staff_by_requested
    ON application(organisation_id, requested_ore, id, revision_count, status, fund_id, programme_id)
    WHERE revision_count > 0;
CREATE INDEX application_staff_by_title
    ON application(organisation_id, title, id, revision_count, status, fund_id, programme_id)
    WHERE revision_count > 0;
CREATE INDEX application_staff_by_reference
    ON application(organisation_id, reference_year, reference_number, id, revision_count, status, fund_id, programme_id)
    WHERE revision_count > 0;
-- Sorted by unit: the organisation's units by name (this index is the
-- applications list's need, so it is made here and not in identity's
-- migrations), then each unit's applications (store.cpp page_ids_from).
CREATE INDEX org_unit_by_name ON org_unit(organisation_id, name, id);
CREATE INDEX application_staff_by_unit
    ON application(unit_id, id, revision_count, status, fund_id, programme_id, organisation_id)
    WHERE revision_count > 0;

-- organisation_id is the application's, copied so that the staff list's
-- theme filter reads the organisation's applications of one theme from an
-- index (a theme nationwide has thousands).
CREATE TABLE application_theme (
    application_id BIGINT NOT NULL REFERENCES application(id),
    organisation_id BIGINT NOT NULL REFERENCES organisation(id),
    theme TEXT NOT NULL,                      -- lower-case tag, e.g. "tidlig innsats"
    PRIMARY KEY (application_id, theme)
);
CREATE INDEX application_theme_by_theme
    ON application_theme(organisation_id, theme, application_id);

-- Budget by calendar year × cost type (the Research Council's four).
CREATE TABLE application_budget_line (
    application_id BIGINT NOT NULL REFERENCES application(id),
    year INTEGER NOT NULL,
    cost_type TEXT NOT NULL CHECK (cost_type IN ('personnel', 'rd_services', 'equipment', 'other')),
    amount_ore BIGINT NOT NULL CHECK (amount_ore >= 0),
    PRIMARY KEY (application_id, year, cost_type)
);

-- Financing plan: who pays, in cash and in kind (hours × hourly rate).
CREATE TABLE application_financing_line (
    id @ID@,
    application_id BIGINT NOT NULL REFERENCES application(id),
    source TEXT NOT NULL CHECK (source IN ('fund', 'own_unit', 'external', 'partner')),
    funder_name TEXT NOT NULL DEFAULT '',
    cash_ore BIGINT NOT NULL DEFAULT 0 CHECK (cash_ore >= 0),
    in_kind_hours INTEGER NOT NULL DEFAULT 0 CHECK (in_kind_hours >= 0),
    hourly_rate_ore BIGINT NOT NULL DEFAULT 0 CHECK (hourly_rate_ore >= 0),
    sort_order INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX application_financing_by_application ON application_financing_line(application_id, sort_order, id);

CREATE TABLE application_partner (
    id @ID@,
    application_id BIGINT NOT NULL REFERENCES application(id),
    name TEXT NOT NULL,
    organisation_number TEXT NOT NULL DEFAULT '',  -- 9 digits, MOD11-checked; '' if none
    kind TEXT NOT NULL CHECK (kind IN ('research_institution', 'social_entrepreneur', 'company',
                                       'ngo', 'public_body')),
    role TEXT NOT NULL DEFAULT '',
    sort_order INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX application_partner_by_application ON application_partner(application_id, sort_order, id);

-- One row per answered field; the column used depends on the field's kind:
-- text for short/long text and single choice (the option id is in
-- option_id), number_value for numbers (as typed, canonical decimal text),
-- amount_ore for money, date_value (YYYY-MM-DD), bool_value for yes/no,
-- attachment_id for files. Multiple choice uses application_answer_option.
CREATE TABLE application_answer (
    application_id BIGINT NOT NULL REFERENCES application(id),
    field_id BIGINT NOT NULL REFERENCES form_field(id),
    text_value TEXT,
    number_value TEXT,
    amount_ore BIGINT,
    date_value TEXT,
    bool_value INTEGER CHECK (bool_value IS NULL OR bool_value IN (0, 1)),
    option_id BIGINT REFERENCES form_field_option(id),
    attachment_id BIGINT,
    PRIMARY KEY (application_id, field_id)
);
CREATE INDEX application_answer_by_field ON application_answer(field_id, application_id);

CREATE TABLE application_answer_option (
    application_id BIGINT NOT NULL REFERENCES application(id),
    field_id BIGINT NOT NULL REFERENCES form_field(id),
    option_id BIGINT NOT NULL REFERENCES form_field_option(id),
    PRIMARY KEY (application_id, field_id, option_id)
);

-- Attachments, stored in the database (DESIGN.md §7). The bytes are kept
-- base64-encoded in TEXT: SOCI binds strings as text on both engines and
-- its PostgreSQL "blob" is a large object, not bytea; base64 is portable
-- and costs a third more space for files of at most 20 MB. Metadata is in
-- attachment, the bytes in attachment_content, so lists never read them.
CREATE TABLE attachment (
    id @ID@,
    organisation_id BIGINT NOT NULL REFERENCES organisation(id),
    application_id BIGINT NOT NULL REFERENCES application(id),
    field_id BIGINT REFERENCES form_field(id),
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL CHECK (size_bytes > 0),
    sha256 TEXT NOT NULL,
    uploaded_by BIGINT NOT NULL REFERENCES app_user(id),
    uploaded_at TEXT NOT NULL,
    -- A draft's attachment can be removed; a submitted revision names the
    -- attachments it had, so those are only ever marked removed.
    removed INTEGER NOT NULL DEFAULT 0 CHECK (removed IN (0, 1))
);
CREATE INDEX attachment_by_application ON attachment(application_id, removed, id);

CREATE TABLE attachment_content (
    attachment_id BIGINT PRIMARY KEY REFERENCES attachment(id),
    content_base64 TEXT NOT NULL
);

-- Every submission stores an immutable revision (the whole application as
-- JSON, attachments by id and hash), numbered from 1.
CREATE TABLE application_revision (
    id @ID@,
    application_id BIGINT NOT NULL REFERENCES application(id),
    number INTEGER NOT NULL,
    submitted_by BIGINT NOT NULL REFERENCES app_user(id),
    submitted_at TEXT NOT NULL,
    document TEXT NOT NULL,
    UNIQUE (application_id, number)
);

-- Status history: who moved the application from what to what, and why.
CREATE TABLE application_status_change (
    id @ID@,
    application_id BIGINT NOT NULL REFERENCES application(id),
    from_status TEXT,
    to_status TEXT NOT NULL,
    user_id BIGINT REFERENCES app_user(id),
    comment TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL
);
CREATE INDEX application_status_change_by_application ON application_status_change(application_id, id);

-- Idempotent form posts: a token per rendered form, used once. A repeated
-- post with a used token answers as the first one did (redirect target).
CREATE TABLE application_form_token (
    token TEXT PRIMARY KEY,
    application_id BIGINT REFERENCES application(id),
    result_path TEXT NOT NULL,
    created_at TEXT NOT NULL
);
