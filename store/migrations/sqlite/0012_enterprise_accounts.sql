-- Enterprise accounts (issue 5, items 2, 3 and 5): an enterprise's own users, their
-- sessions, the manual lab results they upload, their statements (right of reply) and the
-- audit trail of every change they make.

-- Accounts, made on the command line (`daylight enterprise-user add`). One account belongs
-- to exactly one enterprise and can see and change nothing else. The password is kept only
-- as an argon2id PHC string.
CREATE TABLE enterprise_users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT NOT NULL UNIQUE,
    enterprise    TEXT NOT NULL REFERENCES enterprises (credit_code) ON DELETE CASCADE,
    -- Shown as the author of statements; '' means the user name is shown.
    display_name  TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    created       INTEGER NOT NULL
);

-- Signed-in browsers, as for the back office: only the SHA-256 of the cookie's id is kept.
CREATE TABLE enterprise_sessions (
    id_hash  BLOB PRIMARY KEY CHECK (length(id_hash) = 32),
    user_id  INTEGER NOT NULL REFERENCES enterprise_users (id) ON DELETE CASCADE,
    csrf     TEXT NOT NULL,
    expires  INTEGER NOT NULL
);

-- The provenance of an outlet value entered by hand (a lab result): who uploaded it, when,
-- and the lab / method note. The value itself is in outlet_readings (source
-- 'self_reported'), so it counts in latest values, exceedances and completeness like any
-- other; this row says it is a manual result. Same key as outlet_readings.
CREATE TABLE outlet_manual_results (
    outlet_id  INTEGER NOT NULL REFERENCES outlets (id) ON DELETE CASCADE,
    time       INTEGER NOT NULL,
    parameter  TEXT NOT NULL,
    value      REAL NOT NULL,
    lab_note   TEXT NOT NULL DEFAULT '',
    uploaded_by TEXT NOT NULL,
    uploaded   INTEGER NOT NULL,
    PRIMARY KEY (outlet_id, time, parameter)
) WITHOUT ROWID;

-- Statements (企业说明, right of reply). Published once, never edited or deleted: a
-- correction is a new statement whose `corrects` names the one it corrects.
CREATE TABLE enterprise_statements (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    enterprise  TEXT NOT NULL REFERENCES enterprises (credit_code),
    kind        TEXT NOT NULL CHECK (kind IN ('startup_shutdown', 'instrument_fault',
                    'maintenance', 'exceedance_explanation', 'other')),
    body        TEXT NOT NULL CHECK (length(body) > 0),
    outlet      TEXT,
    period_from INTEGER,
    period_to   INTEGER,
    corrects    INTEGER REFERENCES enterprise_statements (id),
    author      TEXT NOT NULL,
    created     INTEGER NOT NULL,
    CHECK (period_from IS NULL OR period_to IS NULL OR period_from <= period_to)
);
CREATE INDEX enterprise_statements_by_enterprise ON enterprise_statements (enterprise, id);

CREATE TRIGGER enterprise_statements_no_update BEFORE UPDATE ON enterprise_statements
BEGIN SELECT RAISE(ABORT, 'enterprise_statements is append-only'); END;
CREATE TRIGGER enterprise_statements_no_delete BEFORE DELETE ON enterprise_statements
BEGIN SELECT RAISE(ABORT, 'enterprise_statements is append-only'); END;

-- The audit trail of enterprise accounts: one hash chain over all enterprises (like the
-- complaints' chain, store/src/enterprise_accounts.rs), append-only.
CREATE TABLE enterprise_audit (
    id         INTEGER PRIMARY KEY,
    enterprise TEXT NOT NULL,
    time       INTEGER NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    before     TEXT,
    after      TEXT,
    prev_hash  BLOB NOT NULL CHECK (length(prev_hash) = 32),
    hash       BLOB NOT NULL CHECK (length(hash) = 32)
);
CREATE INDEX enterprise_audit_by_enterprise ON enterprise_audit (enterprise, id);

CREATE TRIGGER enterprise_audit_no_update BEFORE UPDATE ON enterprise_audit
BEGIN SELECT RAISE(ABORT, 'enterprise_audit is append-only'); END;
CREATE TRIGGER enterprise_audit_no_delete BEFORE DELETE ON enterprise_audit
BEGIN SELECT RAISE(ABORT, 'enterprise_audit is append-only'); END;
