-- The staff list's count for a theme (with at most a status or a fund
-- besides), as application_staff_count (004) is for the whole list: how
-- many applications submitted at least once there are per organisation,
-- theme, fund and status, kept exact by the trigger below in the same
-- transaction as the change. Counting a large theme's rows meant joining
-- all of them with the organisation's applications (Oslo's 1 794
-- "velferdsteknologi" with its 9 953: most of that page's time), and
-- knowing the count first lets the store choose how to find the page
-- (store.cpp theme_by_probe).
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

-- One function for the three statement-level triggers (as 004's, over the
-- transition tables): the rows that enter the counts (+1) and those that
-- leave them (-1), netted per group, so an update that moves nothing
-- writes nothing. Groups are written in key order, so two transactions
-- cannot deadlock on them. A theme row is counted through its application;
-- an application is deleted only after its themes (the foreign key), so
-- it is still there when they go.
CREATE FUNCTION application_theme_count_on_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'application_theme' AND TG_OP = 'INSERT' THEN
        INSERT INTO application_theme_count AS c
            (organisation_id, theme, fund_id, status, applications)
        SELECT a.organisation_id, n.theme, a.fund_id, a.status, count(*)
        FROM new_rows n JOIN application a ON a.id = n.application_id
        WHERE a.revision_count > 0
        GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (organisation_id, theme, fund_id, status)
        DO UPDATE SET applications = c.applications + EXCLUDED.applications;
    ELSIF TG_TABLE_NAME = 'application_theme' THEN -- DELETE
        INSERT INTO application_theme_count AS c
            (organisation_id, theme, fund_id, status, applications)
        SELECT a.organisation_id, o.theme, a.fund_id, a.status, -count(*)
        FROM old_rows o JOIN application a ON a.id = o.application_id
        WHERE a.revision_count > 0
        GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (organisation_id, theme, fund_id, status)
        DO UPDATE SET applications = c.applications + EXCLUDED.applications;
    ELSE -- UPDATE of application
        INSERT INTO application_theme_count AS c
            (organisation_id, theme, fund_id, status, applications)
        SELECT organisation_id, theme, fund_id, status, sum(delta) FROM (
            SELECT n.organisation_id, t.theme, n.fund_id, n.status, 1 AS delta
            FROM new_rows n JOIN application_theme t ON t.application_id = n.id
            WHERE n.revision_count > 0
            UNION ALL
            SELECT o.organisation_id, t.theme, o.fund_id, o.status, -1 AS delta
            FROM old_rows o JOIN application_theme t ON t.application_id = o.id
            WHERE o.revision_count > 0
        ) AS d
        GROUP BY 1, 2, 3, 4
        HAVING sum(delta) <> 0
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (organisation_id, theme, fund_id, status)
        DO UPDATE SET applications = c.applications + EXCLUDED.applications;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER application_theme_count_insert AFTER INSERT ON application_theme
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION application_theme_count_on_change();
CREATE TRIGGER application_theme_count_delete AFTER DELETE ON application_theme
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION application_theme_count_on_change();
CREATE TRIGGER application_theme_count_update AFTER UPDATE ON application
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION application_theme_count_on_change();
-- TRUNCATE fires no row or transition triggers: empty the counts with it.
CREATE FUNCTION application_theme_count_on_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM application_theme_count;
    RETURN NULL;
END;
$$;
CREATE TRIGGER application_theme_count_truncate AFTER TRUNCATE ON application_theme
    FOR EACH STATEMENT EXECUTE FUNCTION application_theme_count_on_truncate();
