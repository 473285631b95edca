-- The rest of the back office (issue 6): a complaint is assigned to a named officer, and a
-- complaint closed as founded (查实) may name the enterprise it was found against.
--
-- Both are the back office's decisions, not what the resident sent, so they live in a table
-- of their own beside `complaints`: one row per complaint that has either, made on the first
-- assignment or finding. Every change is also an event on the audit chain (kinds
-- 'assignment' and 'enterprise_link', body "before=…\nafter=…"), written in the same
-- transaction, and `daylight audit verify` checks that this table says what the chain ends
-- with (see store/src/handling.rs).
CREATE TABLE complaint_handling (
    complaint_id INTEGER PRIMARY KEY REFERENCES complaints (id),
    -- The officer's user name (admins.username). Not a foreign key: removing an account
    -- must not rewrite a complaint's history; the queue shows a removed account as such.
    assignee     TEXT,
    -- The unified social credit code of the enterprise a founded complaint was found
    -- against (checked against the registry when linked; kept if the registry changes).
    enterprise   TEXT CHECK (enterprise IS NULL OR length(enterprise) = 18)
);

CREATE INDEX complaint_handling_by_assignee ON complaint_handling (assignee)
    WHERE assignee IS NOT NULL;
CREATE INDEX complaint_handling_by_enterprise ON complaint_handling (enterprise)
    WHERE enterprise IS NOT NULL;

-- The two new event kinds. SQLite cannot change a CHECK, so the table is rebuilt as in
-- 0016: every row, id, hash and prev_hash as they were (the chain still verifies), the
-- index and the append-only triggers made again.
CREATE TABLE complaint_events_0018 (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    complaint_id INTEGER NOT NULL REFERENCES complaints (id),
    time         INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('status', 'public_reply', 'note',
                     'reporter_addition', 'assignment', 'enterprise_link')),
    status       TEXT CHECK (status IN ('received', 'accepted', 'investigating',
                     'closed_founded', 'closed_unfounded', 'referred')),
    body         TEXT NOT NULL DEFAULT '',
    actor        TEXT NOT NULL DEFAULT '',
    prev_hash    BLOB,
    hash         BLOB
);

INSERT INTO complaint_events_0018 (id, complaint_id, time, kind, status, body, actor,
                                   prev_hash, hash)
SELECT id, complaint_id, time, kind, status, body, actor, prev_hash, hash
FROM complaint_events ORDER BY id;

DROP TABLE complaint_events;
ALTER TABLE complaint_events_0018 RENAME TO complaint_events;

CREATE INDEX complaint_events_by_complaint ON complaint_events (complaint_id, id);

CREATE TRIGGER complaint_events_no_update BEFORE UPDATE ON complaint_events
BEGIN
    SELECT RAISE(ABORT, 'complaint_events is append-only');
END;

CREATE TRIGGER complaint_events_no_delete BEFORE DELETE ON complaint_events
BEGIN
    SELECT RAISE(ABORT, 'complaint_events is append-only');
END;
