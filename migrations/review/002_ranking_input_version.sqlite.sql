-- What the ranking cache trusts (review/ranking_service.hpp): every change to
-- a call's ranking input – a score, a review's status, a conflict, a
-- screening, a criterion, the seed, an application entering or leaving
-- 'submitted' – bumps the call's version here, in the writer's own
-- transaction, whichever module or tool made it. A cached result stamped with
-- the current version is the result for the current input, so a page view
-- reads the cache without reading every score again.
--
-- Bumps are upserts on one row per call. INSERT ... SELECT with a WHERE
-- clause (SQLite needs one before ON CONFLICT) inserts nothing when the
-- parent row is missing, so a bump can never fail the writer's statement.

CREATE TABLE ranking_input_version (
    call_id BIGINT PRIMARY KEY NOT NULL, -- no foreign key: a bump must never fail a write
    version BIGINT NOT NULL
);

-- Stamped when computed; rows of the digest-only cache (-1) are recomputed.
ALTER TABLE ranking_cache ADD COLUMN input_version BIGINT NOT NULL DEFAULT -1;
ALTER TABLE ranking_cache ADD COLUMN model_version TEXT NOT NULL DEFAULT '';
ALTER TABLE ranking_cache ADD COLUMN review_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ranking_cache ADD COLUMN reviewer_count INTEGER NOT NULL DEFAULT 0;

-- Scores: the call is the assignment's.
CREATE TRIGGER ranking_input_score_insert AFTER INSERT ON review_score
BEGIN
    INSERT INTO ranking_input_version (call_id, version)
    SELECT call_id, 1 FROM review_assignment WHERE id = NEW.assignment_id
    ON CONFLICT (call_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER ranking_input_score_update AFTER UPDATE ON review_score
BEGIN
    INSERT INTO ranking_input_version (call_id, version)
    SELECT call_id, 1 FROM review_assignment WHERE id IN (OLD.assignment_id, NEW.assignment_id)
    ON CONFLICT (call_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER ranking_input_score_delete AFTER DELETE ON review_score
BEGIN
    INSERT INTO ranking_input_version (call_id, version)
    SELECT call_id, 1 FROM review_assignment WHERE id = OLD.assignment_id
    ON CONFLICT (call_id) DO UPDATE SET version = version + 1;
END;

-- Assignments carry their call.
CREATE TRIGGER ranking_input_assignment_insert AFTER INSERT ON review_assignment
BEGIN
    INSERT INTO ranking_input_version (call_id, version)
    SELECT id, 1 FROM fund_call WHERE id = NEW.call_id
    ON CONFLICT (call_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER ranking_input_assignment_update AFTER UPDATE ON review_assignment
BEGIN
    INSERT INTO ranking_input_version (call_id, version)
    SELECT id, 1 FROM fund_call WHERE id IN (OLD.call_id, NEW.call_id)
    ON CONFLICT (call_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER ranking_input_assignment_delete AFTER DELETE ON review_assignment
BEGIN
    INSERT INTO ranking_input_version (call_id, version)
    SELECT id, 1 FROM fund_call WHERE id = OLD.call_id
    ON CONFLICT (call_id) DO UPDATE SET version = version + 1;
END;

-- Conflict declarations and screenings: the call is the application's.
CREATE TRIGGER ranking_input_conflict_insert AFTER INSERT ON conflict_declaration
BEGIN
    INSERT INTO ranking_input_version (call_id, version)
    SELECT call_id, 1 FROM application WHERE id = NEW.application_id
    ON CONFLICT (call_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER ranking_input_conflict_update AFTER UPDATE ON conflict_declaration
BEGIN
    INSERT INTO ranking_input_version (call_id, version)
    SELECT call_id, 1 FROM application WHERE id IN (OLD.application_id, NEW.application_id)
    ON CONFLICT (call_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER ranking_input_conflict_delete AFTER DELETE ON conflict_declaration
BEGIN
    INSERT INTO ranking_input_version (call_id, version)
    SELECT call_id, 1 FROM application WHERE id = OLD.application_id
    ON CONFLICT (call_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER ranking_input_screening_insert AFTER INSERT ON application_screening
BEGIN
    INSERT INTO ranking_input_version (call_id, version)
    SELECT call_id, 1 FROM application WHERE id = NEW.application_id
    ON CONFLICT (call_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER ranking_input_screening_update AFTER UPDATE ON application_screening
BEGIN
    INSERT INTO ranking_input_version (call_id, version)
    SELECT call_id, 1 FROM application WHERE id IN (OLD.application_id, NEW.application_id)
    ON CONFLICT (call_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER ranking_input_screening_delete AFTER DELETE ON application_screening
BEGIN
    INSERT INTO ranking_input_version (call_id, version)
    SELECT call_id, 1 FROM application WHERE id = OLD.application_id
    ON CONFLICT (call_id) DO UPDATE SET version = version + 1;
END;

-- Applications: only entering or leaving 'submitted' (or moving call) changes
-- the ranked set; draft edits do not bump.
CREATE TRIGGER ranking_input_application_insert AFTER INSERT ON application
WHEN NEW.status = 'submitted'
BEGIN
    INSERT INTO ranking_input_version (call_id, version)
    SELECT id, 1 FROM fund_call WHERE id = NEW.call_id
    ON CONFLICT (call_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER ranking_input_application_update AFTER UPDATE OF status, call_id ON application
WHEN OLD.status IS NOT NEW.status OR OLD.call_id IS NOT NEW.call_id
BEGIN
    INSERT INTO ranking_input_version (call_id, version)
    SELECT id, 1 FROM fund_call WHERE id IN (OLD.call_id, NEW.call_id)
    ON CONFLICT (call_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER ranking_input_application_delete AFTER DELETE ON application
WHEN OLD.status = 'submitted'
BEGIN
    INSERT INTO ranking_input_version (call_id, version)
    SELECT id, 1 FROM fund_call WHERE id = OLD.call_id
    ON CONFLICT (call_id) DO UPDATE SET version = version + 1;
END;

-- Criteria and review settings (the seed) carry their call.
CREATE TRIGGER ranking_input_criterion_insert AFTER INSERT ON call_criterion
BEGIN
    INSERT INTO ranking_input_version (call_id, version)
    SELECT id, 1 FROM fund_call WHERE id = NEW.call_id
    ON CONFLICT (call_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER ranking_input_criterion_update AFTER UPDATE ON call_criterion
BEGIN
    INSERT INTO ranking_input_version (call_id, version)
    SELECT id, 1 FROM fund_call WHERE id IN (OLD.call_id, NEW.call_id)
    ON CONFLICT (call_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER ranking_input_criterion_delete AFTER DELETE ON call_criterion
BEGIN
    INSERT INTO ranking_input_version (call_id, version)
    SELECT id, 1 FROM fund_call WHERE id = OLD.call_id
    ON CONFLICT (call_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER ranking_input_settings_insert AFTER INSERT ON call_review_settings
BEGIN
    INSERT INTO ranking_input_version (call_id, version)
    SELECT id, 1 FROM fund_call WHERE id = NEW.call_id
    ON CONFLICT (call_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER ranking_input_settings_update AFTER UPDATE ON call_review_settings
BEGIN
    INSERT INTO ranking_input_version (call_id, version)
    SELECT id, 1 FROM fund_call WHERE id IN (OLD.call_id, NEW.call_id)
    ON CONFLICT (call_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER ranking_input_settings_delete AFTER DELETE ON call_review_settings
BEGIN
    INSERT INTO ranking_input_version (call_id, version)
    SELECT id, 1 FROM fund_call WHERE id = OLD.call_id
    ON CONFLICT (call_id) DO UPDATE SET version = version + 1;
END;
