-- Recommendations (innstilling) and decisions (vedtak) with their letters
-- (DESIGN.md §2.5, issue 7 items 3 and 4).
--
-- A recommendation is the fund manager's proposal for a call: per
-- application an outcome, amounts per year × programme and a justification.
-- The decision maker approves it as it is, adjusts it (decides some
-- applications otherwise) or rejects it (the fund manager makes a new one).
CREATE TABLE recommendation (
    id @ID@,
    organisation_id BIGINT NOT NULL REFERENCES organisation(id),
    call_id BIGINT NOT NULL REFERENCES fund_call(id),
    fund_id BIGINT NOT NULL REFERENCES fund(id),
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'submitted', 'approved', 'adjusted', 'rejected')),
    -- Where the proposal came from ("scenario 3: optimal portfolio", or typed).
    source_note TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES app_user(id), -- none: the demo data (system)
    created_at TEXT NOT NULL,
    submitted_at TEXT,
    settled_by BIGINT REFERENCES app_user(id),
    settled_at TEXT,
    settle_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX recommendation_by_call ON recommendation(call_id, id);
CREATE INDEX recommendation_by_org_status ON recommendation(organisation_id, status, id);

CREATE TABLE recommendation_item (
    recommendation_id BIGINT NOT NULL REFERENCES recommendation(id),
    application_id BIGINT NOT NULL REFERENCES application(id),
    outcome TEXT NOT NULL
        CHECK (outcome IN ('granted', 'partly_granted', 'rejected', 'conditional')),
    justification TEXT NOT NULL CHECK (justification <> ''),
    conditions TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (recommendation_id, application_id)
);

CREATE TABLE recommendation_amount (
    recommendation_id BIGINT NOT NULL,
    application_id BIGINT NOT NULL,
    year INTEGER NOT NULL,
    programme_id BIGINT NOT NULL REFERENCES programme(id),
    amount_ore BIGINT NOT NULL CHECK (amount_ore > 0),
    PRIMARY KEY (recommendation_id, application_id, year, programme_id),
    FOREIGN KEY (recommendation_id, application_id)
        REFERENCES recommendation_item(recommendation_id, application_id)
);

-- One decision per application. Granted, partly granted and conditional
-- decisions have amounts, each posted to the ledger in the same transaction
-- (commit; reserve for a conditional one) and linked to its entry.
CREATE TABLE grant_decision (
    id @ID@,
    organisation_id BIGINT NOT NULL REFERENCES organisation(id),
    application_id BIGINT NOT NULL UNIQUE REFERENCES application(id),
    call_id BIGINT NOT NULL REFERENCES fund_call(id),
    fund_id BIGINT NOT NULL REFERENCES fund(id),
    recommendation_id BIGINT REFERENCES recommendation(id),
    outcome TEXT NOT NULL
        CHECK (outcome IN ('granted', 'partly_granted', 'rejected', 'conditional')),
    conditions TEXT NOT NULL DEFAULT '',
    reasons TEXT NOT NULL DEFAULT '',
    decided_by BIGINT REFERENCES app_user(id),
    decided_at TEXT NOT NULL,
    CHECK (outcome NOT IN ('rejected', 'partly_granted') OR reasons <> '')
);
CREATE INDEX grant_decision_by_call ON grant_decision(call_id, id);

CREATE TABLE grant_decision_amount (
    decision_id BIGINT NOT NULL REFERENCES grant_decision(id),
    year INTEGER NOT NULL,
    programme_id BIGINT NOT NULL REFERENCES programme(id),
    amount_ore BIGINT NOT NULL CHECK (amount_ore > 0),
    ledger_entry_id BIGINT NOT NULL REFERENCES ledger_entry(id),
    PRIMARY KEY (decision_id, year, programme_id)
);

-- The letter as it was sent: the rendered HTML and its SHA-256 (hex), written
-- once with the decision and never changed (002 refuses updates and deletes).
CREATE TABLE decision_letter (
    decision_id BIGINT PRIMARY KEY REFERENCES grant_decision(id),
    organisation_id BIGINT NOT NULL REFERENCES organisation(id),
    html TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    recipient TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
