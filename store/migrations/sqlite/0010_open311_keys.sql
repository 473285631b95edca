-- API keys of the Open311 GeoReport v2 interface (`/open311/v2/`, docs/open311.md), one per
-- named client (a third-party app, a city system). A key is needed only to create a
-- request (POST requests); reading is public. Like the push tokens (0003), only the SHA-256
-- hash of a key is kept: the key is printed once by `daylight open311 key add NAME` and
-- cannot be recovered from the database.
CREATE TABLE open311_keys (
    name     TEXT PRIMARY KEY NOT NULL,
    key_hash BLOB NOT NULL UNIQUE CHECK (length(key_hash) = 32),
    created  INTEGER NOT NULL
) WITHOUT ROWID;
