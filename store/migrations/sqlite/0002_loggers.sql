-- HJ 212 data loggers (数采仪): the MN a logger sends in every packet, the password (PW) it
-- must send with it, and the station its values belong to. PW is the protocol's shared
-- secret, sent in clear text in every packet, so it is stored as given (see
-- docs/operations.md). Enterprise outlets (issue 5) will add a second, alternative target
-- column; exactly one of the two will then be set.
CREATE TABLE loggers (
    mn           TEXT PRIMARY KEY NOT NULL,
    password     TEXT NOT NULL,
    station_code TEXT NOT NULL REFERENCES stations (code) ON DELETE CASCADE,
    lenient      INTEGER NOT NULL DEFAULT 0 CHECK (lenient IN (0, 1)),
    created      INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX loggers_by_station ON loggers (station_code);
