-- The staff list's count for a theme (with at most a status or a fund
-- besides), as application_staff_count (004) is for the whole list: how
-- many applications submitted at least once there are per organisation,
-- theme, fund and status, kept exact by the triggers below in the same
-- transaction as the change. Counting a large theme's rows meant looking up
-- each of its applications (Oslo's 1 794 "velferdsteknologi": most of that
-- page's time), and knowing the count first lets the store choose how to
-- find the page (store.cpp theme_by_probe).
CREATE TABLE application_theme_count (
    organisation_id BIGINT NOT NULL REFERENCES organisation(id),
    theme TEXT NOT NULL,
    fund_id BIGINT NOT NULL REFERENCES fund(id),
    status TEXT NOT NULL,
    applications BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, theme, fund_id, status)
);

INSERT INTO application_theme_count (organisation_id, theme, fund_id, status, applications)
SELECT a.organisation_id, t.theme, a.fund_id, a.status, count(*)
FROM application_theme t JOIN application a ON a.id = t.application_id
WHERE a.revision_count > 0
GROUP BY a.organisation_id, t.theme, a.fund_id, a.status;

CREATE TRIGGER application_theme_count_insert AFTER INSERT ON application_theme
BEGIN
    INSERT INTO application_theme_count (organisation_id, theme, fund_id, status, applications)
    SELECT a.organisation_id, NEW.theme, a.fund_id, a.status, 1 FROM application a
    WHERE a.id = NEW.application_id AND a.revision_count > 0
    ON CONFLICT (organisation_id, theme, fund_id, status)
    DO UPDATE SET applications = applications + 1;
END;

CREATE TRIGGER application_theme_count_delete AFTER DELETE ON application_theme
BEGIN
    UPDATE application_theme_count SET applications = applications - 1
    WHERE theme = OLD.theme
      AND (organisation_id, fund_id, status) IN (
          SELECT a.organisation_id, a.fund_id, a.status FROM application a
          WHERE a.id = OLD.application_id AND a.revision_count > 0);
END;

-- An application's themes move with it between groups, or into or out of
-- the lists (the condition of 004's update trigger).
CREATE TRIGGER application_theme_count_update
AFTER UPDATE OF organisation_id, fund_id, status, revision_count ON application
WHEN (OLD.revision_count > 0) <> (NEW.revision_count > 0)
  OR (NEW.revision_count > 0
      AND (OLD.organisation_id <> NEW.organisation_id OR OLD.fund_id <> NEW.fund_id
           OR OLD.status <> NEW.status))
BEGIN
    UPDATE application_theme_count SET applications = applications - 1
    WHERE OLD.revision_count > 0 AND organisation_id = OLD.organisation_id
      AND fund_id = OLD.fund_id AND status = OLD.status
      AND theme IN (SELECT t.theme FROM application_theme t WHERE t.application_id = OLD.id);
    INSERT INTO application_theme_count (organisation_id, theme, fund_id, status, applications)
    SELECT NEW.organisation_id, t.theme, NEW.fund_id, NEW.status, 1 FROM application_theme t
    WHERE t.application_id = NEW.id AND NEW.revision_count > 0
    ON CONFLICT (organisation_id, theme, fund_id, status)
    DO UPDATE SET applications = applications + 1;
END;
