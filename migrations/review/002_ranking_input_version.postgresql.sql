-- What the ranking cache trusts (review/ranking_service.hpp): every change to
-- a call's ranking input – a score, a review's status, a conflict, a
-- screening, a criterion, the seed, an application entering or leaving
-- 'submitted' – bumps the call's version here, in the writer's own
-- transaction, whichever module or tool made it. A cached result stamped with
-- the current version is the result for the current input, so a page view
-- reads the cache without reading every score again.
--
-- Scores and assignments arrive by the hundred thousand from the national
-- generator's COPY, so their triggers run once per statement over the
-- transition tables; the others are rare and run per row. Calls are bumped
-- in id order, so two writers never wait on each other's rows in a cycle.

CREATE TABLE ranking_input_version (
    call_id BIGINT PRIMARY KEY, -- no foreign key: a bump must never fail a write
    version BIGINT NOT NULL
);

-- Stamped when computed; rows of the digest-only cache (-1) are recomputed.
ALTER TABLE ranking_cache ADD COLUMN input_version BIGINT NOT NULL DEFAULT -1;
ALTER TABLE ranking_cache ADD COLUMN model_version TEXT NOT NULL DEFAULT '';
ALTER TABLE ranking_cache ADD COLUMN review_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ranking_cache ADD COLUMN reviewer_count INTEGER NOT NULL DEFAULT 0;

CREATE FUNCTION bump_ranking_input(calls BIGINT[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO ranking_input_version (call_id, version)
    SELECT DISTINCT c, 1 FROM unnest(calls) AS c WHERE c IS NOT NULL ORDER BY c
    ON CONFLICT (call_id) DO UPDATE SET version = ranking_input_version.version + 1
$$;

-- Scores: the call is the assignment's.
CREATE FUNCTION ranking_input_scores_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        PERFORM bump_ranking_input(ARRAY(
            SELECT r.call_id FROM new_rows n JOIN review_assignment r ON r.id = n.assignment_id));
    END IF;
    IF TG_OP <> 'INSERT' THEN
        PERFORM bump_ranking_input(ARRAY(
            SELECT r.call_id FROM old_rows o JOIN review_assignment r ON r.id = o.assignment_id));
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER ranking_input_score_insert AFTER INSERT ON review_score
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ranking_input_scores_changed();
CREATE TRIGGER ranking_input_score_update AFTER UPDATE ON review_score
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ranking_input_scores_changed();
CREATE TRIGGER ranking_input_score_delete AFTER DELETE ON review_score
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ranking_input_scores_changed();

-- Assignments carry their call.
CREATE FUNCTION ranking_input_assignments_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        PERFORM bump_ranking_input(ARRAY(SELECT call_id FROM new_rows));
    END IF;
    IF TG_OP <> 'INSERT' THEN
        PERFORM bump_ranking_input(ARRAY(SELECT call_id FROM old_rows));
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER ranking_input_assignment_insert AFTER INSERT ON review_assignment
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ranking_input_assignments_changed();
CREATE TRIGGER ranking_input_assignment_update AFTER UPDATE ON review_assignment
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ranking_input_assignments_changed();
CREATE TRIGGER ranking_input_assignment_delete AFTER DELETE ON review_assignment
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ranking_input_assignments_changed();

-- Conflict declarations and screenings: the call is the application's.
CREATE FUNCTION ranking_input_application_row_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        PERFORM bump_ranking_input(ARRAY(SELECT call_id FROM application
                                         WHERE id = NEW.application_id));
    END IF;
    IF TG_OP <> 'INSERT' THEN
        PERFORM bump_ranking_input(ARRAY(SELECT call_id FROM application
                                         WHERE id = OLD.application_id));
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER ranking_input_conflict AFTER INSERT OR UPDATE OR DELETE ON conflict_declaration
    FOR EACH ROW EXECUTE FUNCTION ranking_input_application_row_changed();
CREATE TRIGGER ranking_input_screening AFTER INSERT OR UPDATE OR DELETE ON application_screening
    FOR EACH ROW EXECUTE FUNCTION ranking_input_application_row_changed();

-- Rows that carry their call: criteria, review settings (the seed), and
-- applications entering or leaving 'submitted' (draft edits do not bump).
CREATE FUNCTION ranking_input_call_row_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM bump_ranking_input(ARRAY[NEW.call_id]);
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM bump_ranking_input(ARRAY[OLD.call_id, NEW.call_id]);
    ELSE
        PERFORM bump_ranking_input(ARRAY[OLD.call_id]);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER ranking_input_criterion AFTER INSERT OR UPDATE OR DELETE ON call_criterion
    FOR EACH ROW EXECUTE FUNCTION ranking_input_call_row_changed();
CREATE TRIGGER ranking_input_settings AFTER INSERT OR UPDATE OR DELETE ON call_review_settings
    FOR EACH ROW EXECUTE FUNCTION ranking_input_call_row_changed();
-- The generator COPYs submitted applications by the thousand: per statement.
CREATE FUNCTION ranking_input_applications_submitted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bump_ranking_input(ARRAY(SELECT call_id FROM new_rows WHERE status = 'submitted'));
    RETURN NULL;
END;
$$;
CREATE TRIGGER ranking_input_application_insert AFTER INSERT ON application
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ranking_input_applications_submitted();
CREATE TRIGGER ranking_input_application_update AFTER UPDATE OF status, call_id ON application
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.call_id IS DISTINCT FROM NEW.call_id)
    EXECUTE FUNCTION ranking_input_call_row_changed();
CREATE TRIGGER ranking_input_application_delete AFTER DELETE ON application
    FOR EACH ROW WHEN (OLD.status = 'submitted')
    EXECUTE FUNCTION ranking_input_call_row_changed();
