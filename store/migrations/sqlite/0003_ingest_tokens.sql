-- Tokens of the HTTP push API (`POST /api/v1/ingest/readings`), one per named source.
-- Only the SHA-256 hash of a token is kept: the token itself is shown once, when it is
-- issued, and cannot be recovered from the database (see docs/operations.md).
--
-- `all_stations` says whether the token may write every station; when it is 0, the token
-- may write only the stations listed in `ingest_token_stations`. The flag is explicit so that
-- a restricted token whose stations have all been deleted writes nothing, instead of an empty
-- list reading as "every station".
CREATE TABLE ingest_tokens (
    name         TEXT PRIMARY KEY NOT NULL,
    token_hash   BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    all_stations INTEGER NOT NULL CHECK (all_stations IN (0, 1)),
    created      INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE ingest_token_stations (
    token_name   TEXT NOT NULL REFERENCES ingest_tokens (name) ON DELETE CASCADE,
    station_code TEXT NOT NULL REFERENCES stations (code) ON DELETE CASCADE,
    PRIMARY KEY (token_name, station_code)
) WITHOUT ROWID;
