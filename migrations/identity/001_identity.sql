-- Organisations (tenants), their unit trees, users, role grants and
-- sessions. @ID@ is replaced per engine by the migration runner
-- (db/migrations.cpp); everything else is portable SQL. Times are UTC text
-- in one fixed format (2026-11-27T14:05:00.000000Z), so they compare and sort
-- the same way on both engines and hash identically in the audit chain.

CREATE TABLE organisation (
    id @ID@,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- sector -> unit -> service unit, e.g. "Oppvekst" -> "Barnehager" -> "Bekkestua barnehage".
CREATE TABLE org_unit (
    id @ID@,
    organisation_id BIGINT NOT NULL REFERENCES organisation(id),
    parent_id BIGINT REFERENCES org_unit(id),
    kind TEXT NOT NULL CHECK (kind IN ('sector', 'unit', 'service_unit')),
    name TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL
);
CREATE INDEX org_unit_by_organisation ON org_unit(organisation_id, parent_id, name);

-- E-mail is the login name, unique across the installation (stored lower-case).
CREATE TABLE app_user (
    id @ID@,
    organisation_id BIGINT NOT NULL REFERENCES organisation(id),
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    phone TEXT,
    password_hash TEXT,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL
);
CREATE INDEX app_user_by_organisation ON app_user(organisation_id, name);

-- A role held by a user in an organisation, optionally limited to one unit
-- or one fund (funds arrive with the funds module; no foreign key yet).
CREATE TABLE role_grant (
    id @ID@,
    user_id BIGINT NOT NULL REFERENCES app_user(id),
    organisation_id BIGINT NOT NULL REFERENCES organisation(id),
    role TEXT NOT NULL CHECK (role IN ('applicant', 'unit_leader', 'fund_manager', 'reviewer',
                                       'decision_maker', 'procurement_officer', 'partner',
                                       'auditor', 'admin')),
    unit_id BIGINT REFERENCES org_unit(id),
    fund_id BIGINT,
    granted_by BIGINT REFERENCES app_user(id),
    granted_at TEXT NOT NULL
);
CREATE INDEX role_grant_by_user ON role_grant(user_id);
CREATE INDEX role_grant_by_organisation ON role_grant(organisation_id, role);

-- Only a hash of the session id is stored: a copy of the database does not
-- let anyone take over a session.
CREATE TABLE user_session (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES app_user(id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    client_address TEXT NOT NULL
);
CREATE INDEX user_session_by_user ON user_session(user_id);
CREATE INDEX user_session_by_expiry ON user_session(expires_at);

-- Failed logins, for throttling per account and per client address.
CREATE TABLE login_failure (
    id @ID@,
    email TEXT NOT NULL,
    client_address TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX login_failure_by_email ON login_failure(email, at);
CREATE INDEX login_failure_by_address ON login_failure(client_address, at);
CREATE INDEX login_failure_by_time ON login_failure(at);
