-- The reporter may add information from the follow-up page (issue 6): a new kind of
-- complaint event, 'reporter_addition', on the same append-only audit chain. SQLite cannot
-- change a CHECK, so the table is rebuilt with every row, id, hash and prev_hash as they
-- were (the chain still verifies), and its index and append-only triggers are made again.
CREATE TABLE complaint_events_0016 (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    complaint_id INTEGER NOT NULL REFERENCES complaints (id),
    time         INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('status', 'public_reply', 'note',
                     'reporter_addition')),
    status       TEXT CHECK (status IN ('received', 'accepted', 'investigating',
                     'closed_founded', 'closed_unfounded', 'referred')),
    body         TEXT NOT NULL DEFAULT '',
    actor        TEXT NOT NULL DEFAULT '',
    prev_hash    BLOB,
    hash         BLOB
);

INSERT INTO complaint_events_0016 (id, complaint_id, time, kind, status, body, actor,
                                   prev_hash, hash)
SELECT id, complaint_id, time, kind, status, body, actor, prev_hash, hash
FROM complaint_events ORDER BY id;

DROP TABLE complaint_events;
ALTER TABLE complaint_events_0016 RENAME TO complaint_events;

CREATE INDEX complaint_events_by_complaint ON complaint_events (complaint_id, id);

CREATE TRIGGER complaint_events_no_update BEFORE UPDATE ON complaint_events
BEGIN
    SELECT RAISE(ABORT, 'complaint_events is append-only');
END;

CREATE TRIGGER complaint_events_no_delete BEFORE DELETE ON complaint_events
BEGIN
    SELECT RAISE(ABORT, 'complaint_events is append-only');
END;
