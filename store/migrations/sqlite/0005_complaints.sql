-- Pollution complaints (投诉举报, issue 6). A resident files one without an account and gets
-- a tracking code (public, read out on the phone) and a secret follow-up link. The link's
-- token is kept only as its SHA-256 hash, like push tokens; so is the submission's
-- idempotency key, from which the token is derived (a repeated submission finds the same
-- complaint and the same link, see store/src/complaint.rs).
CREATE TABLE complaints (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    tracking_code    TEXT NOT NULL UNIQUE,
    follow_hash      BLOB NOT NULL UNIQUE CHECK (length(follow_hash) = 32),
    idempotency_hash BLOB NOT NULL UNIQUE CHECK (length(idempotency_hash) = 32),
    category         TEXT NOT NULL CHECK (category IN ('air', 'odour', 'water', 'noise',
                         'solid_waste', 'ecology', 'radiation', 'other')),
    description      TEXT NOT NULL,
    -- When the resident saw it (UTC, unix seconds).
    observed         INTEGER NOT NULL,
    -- WGS-84, or both NULL when only an address was given.
    lon              REAL,
    lat              REAL,
    address          TEXT,
    -- The district (adcode) it was routed to; NULL: the city-level queue.
    district         TEXT,
    -- The location lies outside every district (city-level queue, flagged).
    outside_city     INTEGER NOT NULL DEFAULT 0 CHECK (outside_city IN (0, 1)),
    -- Personal data: never shown to the public, never in the API.
    contact_kind     TEXT CHECK (contact_kind IN ('phone', 'email')),
    contact          TEXT,
    status           TEXT NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'accepted',
                         'investigating', 'closed_founded', 'closed_unfounded', 'referred')),
    created          INTEGER NOT NULL,
    -- What the monitoring network measured nearby at submission (JSON, see app/src/complaint).
    evidence         TEXT NOT NULL DEFAULT '{}',
    CHECK ((lon IS NULL) = (lat IS NULL)),
    CHECK (lon IS NOT NULL OR address IS NOT NULL),
    CHECK ((contact IS NULL) = (contact_kind IS NULL))
);

CREATE INDEX complaints_by_created ON complaints (created DESC, id DESC);
CREATE INDEX complaints_by_district ON complaints (district, status);

-- What happened to a complaint, oldest first: status changes, public replies, notes.
-- Append-only: the triggers refuse any change or removal (留痕).
CREATE TABLE complaint_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    complaint_id INTEGER NOT NULL REFERENCES complaints (id),
    time         INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('status', 'public_reply', 'note')),
    status       TEXT CHECK (status IN ('received', 'accepted', 'investigating',
                     'closed_founded', 'closed_unfounded', 'referred')),
    body         TEXT NOT NULL DEFAULT '',
    actor        TEXT NOT NULL DEFAULT ''
);

CREATE INDEX complaint_events_by_complaint ON complaint_events (complaint_id, id);

CREATE TRIGGER complaint_events_no_update BEFORE UPDATE ON complaint_events
BEGIN
    SELECT RAISE(ABORT, 'complaint_events is append-only');
END;

CREATE TRIGGER complaint_events_no_delete BEFORE DELETE ON complaint_events
BEGIN
    SELECT RAISE(ABORT, 'complaint_events is append-only');
END;
