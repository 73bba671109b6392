-- The audit log (DESIGN.md §7): append-only, every entry carrying the hash of
-- the one before it (identity/audit_service.cpp computes and checks the
-- chain; `spire audit verify` walks it).
--
-- Ids are assigned by append_audit (the previous id + 1, under the writer
-- lock) and are part of the hash: never insert a row without one. No foreign
-- keys: the log outlives the users, units and organisations it mentions.
-- Times are UTC text in the fixed format 2026-11-27T14:05:00.000000Z, written
-- by C++ so that the stored text is exactly the text that was hashed.

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    organisation_id BIGINT NULL,
    actor_user_id BIGINT NULL,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id TEXT NOT NULL,
    summary TEXT NOT NULL,
    request_id TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

-- One index per filter of the audit page, each ending in id so that "newest
-- first" reads the index in order (SQLite appends the rowid to every index
-- anyway; it is spelled out to match the PostgreSQL file).
CREATE INDEX audit_log_by_organisation ON audit_log(organisation_id, id DESC);
CREATE INDEX audit_log_by_action ON audit_log(organisation_id, action, id DESC);
CREATE INDEX audit_log_by_actor ON audit_log(organisation_id, actor_user_id, id DESC);
CREATE INDEX audit_log_by_target ON audit_log(organisation_id, target_type, target_id, id DESC);
CREATE INDEX audit_log_by_time ON audit_log(organisation_id, at, id);

-- Append-only. Whoever can drop these triggers can also rewrite the table;
-- the hash chain is what makes that visible.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- INSERT OR REPLACE deletes the row it replaces without firing delete
-- triggers (unless recursive_triggers is on): refuse it before it gets there.
CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
