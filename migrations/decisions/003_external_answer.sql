-- The external funder's answer to a conditional decision (research
-- co-funding, issue 7 item 3): the decision reserved its amounts, valid only
-- if the external funder grants. The answer, recorded once, releases each
-- reservation and, when the funder granted, commits the same amount in the
-- same transaction; the entries are linked here per cell.
CREATE TABLE external_answer (
    decision_id BIGINT PRIMARY KEY REFERENCES grant_decision(id),
    organisation_id BIGINT NOT NULL REFERENCES organisation(id),
    external_granted INTEGER NOT NULL CHECK (external_granted IN (0, 1)),
    note TEXT NOT NULL DEFAULT '',
    answered_by BIGINT REFERENCES app_user(id),
    answered_at TEXT NOT NULL
);

CREATE TABLE external_answer_entry (
    decision_id BIGINT NOT NULL REFERENCES external_answer(decision_id),
    year INTEGER NOT NULL,
    programme_id BIGINT NOT NULL REFERENCES programme(id),
    release_entry_id BIGINT NOT NULL REFERENCES ledger_entry(id),
    commit_entry_id BIGINT REFERENCES ledger_entry(id), -- none: the funder refused
    PRIMARY KEY (decision_id, year, programme_id)
);
