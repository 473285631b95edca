-- The complaints back office (issue 6, second slice): officers' accounts and sessions, and
-- the hash chain over the complaint history (留痕).

-- Accounts, made on the command line (`daylight admin add`). The password is kept only as an
-- argon2id PHC string. A district officer has a district (adcode); the others have none.
CREATE TABLE admins (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('district_officer', 'city_supervisor', 'admin')),
    district      TEXT,
    password_hash TEXT NOT NULL,
    created       INTEGER NOT NULL,
    CHECK ((role = 'district_officer') = (district IS NOT NULL))
);

-- Signed-in browsers. The cookie holds 32 random bytes; only their SHA-256 is kept. The CSRF
-- token of the session goes into every form of the back office.
CREATE TABLE admin_sessions (
    id_hash  BLOB PRIMARY KEY CHECK (length(id_hash) = 32),
    admin_id INTEGER NOT NULL REFERENCES admins (id) ON DELETE CASCADE,
    csrf     TEXT NOT NULL,
    expires  INTEGER NOT NULL
);

-- The audit chain: every complaint event carries the SHA-256 of its own canonical form, which
-- includes the hash of the event before it (one chain over all complaints, in id order; see
-- store/src/audit.rs). Events stored before this migration are sealed when the store opens.
ALTER TABLE complaint_events ADD COLUMN prev_hash BLOB;
ALTER TABLE complaint_events ADD COLUMN hash BLOB;
