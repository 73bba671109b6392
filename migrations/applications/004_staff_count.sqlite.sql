-- The staff list's count without a search, theme, call, programme or unit
-- filter (its first page, its other pages, a status or a fund): counting a
-- large organisation's entries of a list index took milliseconds of every
-- such request. This table holds how many applications submitted at least
-- once (the staff lists' rows, store.cpp list_conditions) there are per
-- organisation, fund and status, kept exact by the triggers below in the
-- same transaction as the change; the count is then a sum over a handful of
-- rows. (PostgreSQL's triggers work per statement; SQLite has only row
-- triggers.)
CREATE TABLE application_staff_count (
    organisation_id BIGINT NOT NULL REFERENCES organisation(id),
    fund_id BIGINT NOT NULL REFERENCES fund(id),
    status TEXT NOT NULL,
    applications BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, fund_id, status)
);

INSERT INTO application_staff_count (organisation_id, fund_id, status, applications)
SELECT organisation_id, fund_id, status, count(*) FROM application
WHERE revision_count > 0
GROUP BY organisation_id, fund_id, status;

CREATE TRIGGER application_staff_count_insert AFTER INSERT ON application
WHEN NEW.revision_count > 0
BEGIN
    INSERT INTO application_staff_count (organisation_id, fund_id, status, applications)
    VALUES (NEW.organisation_id, NEW.fund_id, NEW.status, 1)
    ON CONFLICT (organisation_id, fund_id, status)
    DO UPDATE SET applications = applications + 1;
END;

CREATE TRIGGER application_staff_count_delete AFTER DELETE ON application
WHEN OLD.revision_count > 0
BEGIN
    UPDATE application_staff_count SET applications = applications - 1
    WHERE organisation_id = OLD.organisation_id AND fund_id = OLD.fund_id
      AND status = OLD.status;
END;

-- Only an update that moves the application between groups (or into or out
-- of the lists) touches the counts.
CREATE TRIGGER application_staff_count_update
AFTER UPDATE OF organisation_id, fund_id, status, revision_count ON application
WHEN (OLD.revision_count > 0) <> (NEW.revision_count > 0)
  OR (NEW.revision_count > 0
      AND (OLD.organisation_id <> NEW.organisation_id OR OLD.fund_id <> NEW.fund_id
           OR OLD.status <> NEW.status))
BEGIN
    UPDATE application_staff_count SET applications = applications - 1
    WHERE OLD.revision_count > 0 AND organisation_id = OLD.organisation_id
      AND fund_id = OLD.fund_id AND status = OLD.status;
    INSERT INTO application_staff_count (organisation_id, fund_id, status, applications)
    SELECT NEW.organisation_id, NEW.fund_id, NEW.status, 1
    WHERE NEW.revision_count > 0
    ON CONFLICT (organisation_id, fund_id, status)
    DO UPDATE SET applications = applications + 1;
END;
