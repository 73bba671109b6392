-- The session lookup (run on every request) joins a user's grants on
-- (user_id, organisation_id). With only role_grant_by_user and
-- role_grant_by_organisation to choose from, PostgreSQL without fresh
-- statistics (after a bulk load, before autovacuum's ANALYZE) walked every
-- grant of the organisation: milliseconds instead of microseconds. An index
-- on both columns is the obvious choice with or without statistics, and
-- serves every query role_grant_by_user served (all filter on user_id).
CREATE INDEX role_grant_by_user_organisation ON role_grant(user_id, organisation_id);
DROP INDEX role_grant_by_user;
