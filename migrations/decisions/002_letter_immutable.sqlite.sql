-- A decision letter is kept exactly as it was sent (issue 7 item 4).

CREATE TRIGGER decision_letter_no_update BEFORE UPDATE ON decision_letter
BEGIN
    SELECT RAISE(ABORT, 'decision_letter is append-only');
END;

CREATE TRIGGER decision_letter_no_delete BEFORE DELETE ON decision_letter
BEGIN
    SELECT RAISE(ABORT, 'decision_letter is append-only');
END;

-- INSERT OR REPLACE deletes the row it conflicts with without firing the
-- delete trigger: refuse it before it gets there.
CREATE TRIGGER decision_letter_no_replace BEFORE INSERT ON decision_letter
WHEN EXISTS (SELECT 1 FROM decision_letter WHERE decision_id = NEW.decision_id)
BEGIN
    SELECT RAISE(ABORT, 'decision_letter is append-only');
END;
