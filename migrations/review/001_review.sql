-- Review (DESIGN.md §2.4, §5): screening, the reviewer pool, disqualification
-- declarations (forvaltningsloven § 6), assignments, scores per criterion and
-- the cached ranking. Every row names its organisation so tenant checks never
-- need a join.

-- Per call: how many reviews each application gets, and whether reviewers
-- see each other's reviews once the review period is over (never before:
-- no anchoring). The ranking's seed is stored so the same data gives the
-- same ranking.
CREATE TABLE call_review_settings (
    call_id BIGINT PRIMARY KEY REFERENCES fund_call(id),
    organisation_id BIGINT NOT NULL REFERENCES organisation(id),
    reviews_per_application INTEGER NOT NULL DEFAULT 3
        CHECK (reviews_per_application BETWEEN 1 AND 10),
    review_closes_at TEXT,                 -- UTC; none: open until the manager closes it
    share_reviews_after_close INTEGER NOT NULL DEFAULT 0
        CHECK (share_reviews_after_close IN (0, 1)),
    ranking_seed BIGINT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Screening: eligible or not, with the reason the applicant is shown.
CREATE TABLE application_screening (
    application_id BIGINT PRIMARY KEY REFERENCES application(id),
    organisation_id BIGINT NOT NULL REFERENCES organisation(id),
    eligible INTEGER NOT NULL CHECK (eligible IN (0, 1)),
    reason TEXT NOT NULL DEFAULT '',
    screened_by BIGINT NOT NULL REFERENCES app_user(id),
    screened_at TEXT NOT NULL,
    CHECK (eligible = 1 OR reason <> '')
);

-- The call's reviewer pool (users holding the reviewer role for the fund).
CREATE TABLE call_reviewer (
    call_id BIGINT NOT NULL REFERENCES fund_call(id),
    user_id BIGINT NOT NULL REFERENCES app_user(id),
    organisation_id BIGINT NOT NULL REFERENCES organisation(id),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    added_by BIGINT NOT NULL REFERENCES app_user(id),
    added_at TEXT NOT NULL,
    PRIMARY KEY (call_id, user_id)
);

-- Disqualification (forvaltningsloven § 6): one declaration per reviewer and
-- application, made before the reviewer may open it, by the reviewer or
-- recorded for them by the fund manager. A conflict names its ground.
CREATE TABLE conflict_declaration (
    id @ID@,
    organisation_id BIGINT NOT NULL REFERENCES organisation(id),
    application_id BIGINT NOT NULL REFERENCES application(id),
    reviewer_id BIGINT NOT NULL REFERENCES app_user(id),
    conflict INTEGER NOT NULL CHECK (conflict IN (0, 1)),
    category TEXT CHECK (category IN ('party', 'relative', 'leader_of_party',
                                      'special_circumstances')),
    note TEXT NOT NULL DEFAULT '',
    declared_by BIGINT NOT NULL REFERENCES app_user(id),
    declared_at TEXT NOT NULL,
    UNIQUE (application_id, reviewer_id),
    CHECK ((conflict = 0 AND category IS NULL) OR (conflict = 1 AND category IS NOT NULL))
);
CREATE INDEX conflict_by_reviewer ON conflict_declaration(reviewer_id, application_id);

-- An assignment is a reviewer's review of one application: draft until
-- submitted, then locked unless the fund manager reopens it. A reviewer who
-- drops out keeps the row (withdrawn) for the record.
CREATE TABLE review_assignment (
    id @ID@,
    organisation_id BIGINT NOT NULL REFERENCES organisation(id),
    call_id BIGINT NOT NULL REFERENCES fund_call(id),
    application_id BIGINT NOT NULL REFERENCES application(id),
    reviewer_id BIGINT NOT NULL REFERENCES app_user(id),
    status TEXT NOT NULL DEFAULT 'assigned'
        CHECK (status IN ('assigned', 'submitted', 'withdrawn')),
    recommendation TEXT
        CHECK (recommendation IN ('fund', 'fund_with_changes', 'do_not_fund')),
    overall_comment TEXT NOT NULL DEFAULT '',
    assigned_by BIGINT NOT NULL REFERENCES app_user(id),
    assigned_at TEXT NOT NULL,
    submitted_at TEXT,
    updated_at TEXT NOT NULL,
    UNIQUE (application_id, reviewer_id)
);
CREATE INDEX assignment_by_call ON review_assignment(call_id, status, application_id);
CREATE INDEX assignment_by_reviewer ON review_assignment(reviewer_id, status, call_id);

-- One score (and comment) per criterion of the call; a draft may lack some.
CREATE TABLE review_score (
    assignment_id BIGINT NOT NULL REFERENCES review_assignment(id),
    criterion_id BIGINT NOT NULL REFERENCES call_criterion(id),
    score INTEGER,
    comment TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (assignment_id, criterion_id)
);

-- The ranking model's result per call (review/ranking.hpp), kept until the
-- data it was computed from changes: input_digest is a hash of the ranking
-- file (review/ranking_file.hpp) it was computed from.
CREATE TABLE ranking_cache (
    call_id BIGINT PRIMARY KEY REFERENCES fund_call(id),
    input_digest TEXT NOT NULL,
    result_json TEXT NOT NULL,
    computed_at TEXT NOT NULL
);
