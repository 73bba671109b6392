-- The staff list's count without a search, theme, call, programme or unit
-- filter (its first page, its other pages, a status or a fund): counting
-- Oslo's ~10 000 entries of a list index took 2 ms of every such request.
-- This table holds how many applications submitted at least once (the
-- staff lists' rows, store.cpp list_conditions) there are per organisation,
-- fund and status, kept exact by the triggers below in the same
-- transaction as the change; the count is then a sum over a handful of rows.
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

-- Statement-level, over the transition tables: a bulk load (the national
-- demo's COPY) adds one row per group instead of one upsert per
-- application, and an update that moves nothing between groups (most
-- updates: a saved draft, a new updated_at) nets to zero and writes nothing,
-- so it takes no lock on a count row. Groups are written in key order, so
-- two transactions cannot deadlock on them.
CREATE FUNCTION application_staff_count_on_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO application_staff_count AS c (organisation_id, fund_id, status, applications)
    SELECT organisation_id, fund_id, status, sum(delta) FROM (
        SELECT organisation_id, fund_id, status, 1 AS delta FROM new_rows WHERE revision_count > 0
    ) AS d
    GROUP BY organisation_id, fund_id, status
    HAVING sum(delta) <> 0
    ORDER BY organisation_id, fund_id, status
    ON CONFLICT (organisation_id, fund_id, status)
    DO UPDATE SET applications = c.applications + EXCLUDED.applications;
    RETURN NULL;
END;
$$;

CREATE FUNCTION application_staff_count_on_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO application_staff_count AS c (organisation_id, fund_id, status, applications)
    SELECT organisation_id, fund_id, status, sum(delta) FROM (
        SELECT organisation_id, fund_id, status, 1 AS delta FROM new_rows WHERE revision_count > 0
        UNION ALL
        SELECT organisation_id, fund_id, status, -1 AS delta FROM old_rows WHERE revision_count > 0
    ) AS d
    GROUP BY organisation_id, fund_id, status
    HAVING sum(delta) <> 0
    ORDER BY organisation_id, fund_id, status
    ON CONFLICT (organisation_id, fund_id, status)
    DO UPDATE SET applications = c.applications + EXCLUDED.applications;
    RETURN NULL;
END;
$$;

CREATE FUNCTION application_staff_count_on_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO application_staff_count AS c (organisation_id, fund_id, status, applications)
    SELECT organisation_id, fund_id, status, sum(delta) FROM (
        SELECT organisation_id, fund_id, status, -1 AS delta FROM old_rows WHERE revision_count > 0
    ) AS d
    GROUP BY organisation_id, fund_id, status
    HAVING sum(delta) <> 0
    ORDER BY organisation_id, fund_id, status
    ON CONFLICT (organisation_id, fund_id, status)
    DO UPDATE SET applications = c.applications + EXCLUDED.applications;
    RETURN NULL;
END;
$$;

CREATE TRIGGER application_staff_count_insert AFTER INSERT ON application
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION application_staff_count_on_insert();
CREATE TRIGGER application_staff_count_update AFTER UPDATE ON application
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION application_staff_count_on_update();
CREATE TRIGGER application_staff_count_delete AFTER DELETE ON application
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION application_staff_count_on_delete();
-- TRUNCATE fires no row or transition triggers: empty the counts with it.
CREATE FUNCTION application_staff_count_on_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM application_staff_count;
    RETURN NULL;
END;
$$;
CREATE TRIGGER application_staff_count_truncate AFTER TRUNCATE ON application
    FOR EACH STATEMENT EXECUTE FUNCTION application_staff_count_on_truncate();
