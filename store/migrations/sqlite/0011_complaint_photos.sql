-- Photos a resident attaches to a complaint (issue 6: up to 5, JPEG, PNG or WebP, 10 MiB
-- each). Stored in the database, in the complaint's own transaction, so a complaint never
-- exists with half its photos and a refused upload leaves nothing behind; a backup of the
-- database file is a backup of the photos.
--
-- `original` is the file as sent, metadata (EXIF with its GPS position) and all: officers
-- only. `public` is the copy without metadata (daylight_domain::complaint::photo) that the
-- reporter's page and, once an officer marked the photo publishable, the public register
-- serve; NULL when stripping removed nothing (the original is then served).
CREATE TABLE complaint_photos (
    id           INTEGER PRIMARY KEY,
    complaint_id INTEGER NOT NULL REFERENCES complaints (id),
    -- 1, 2, … in the order the form sent them: the public address is /complaints/{code}/photos/{number}.
    number       INTEGER NOT NULL CHECK (number BETWEEN 1 AND 5),
    kind         TEXT NOT NULL CHECK (kind IN ('jpeg', 'png', 'webp')),
    original     BLOB NOT NULL CHECK (length(original) > 0),
    public       BLOB,
    -- Set by an officer (and recorded on the audit chain); 0 until then.
    publishable  INTEGER NOT NULL DEFAULT 0 CHECK (publishable IN (0, 1)),
    UNIQUE (complaint_id, number)
);
