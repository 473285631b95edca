-- Sub-hourly values: HJ 212 real-time (CN 2011) and minute (CN 2051) uploads. Kept apart
-- from the hourly `readings`, which they become by averaging (GB 3095-2012: an hour needs
-- 45 minutes of data). Same keys, same idempotency: re-sending a sample replaces it.
CREATE TABLE samples (
    station_code TEXT NOT NULL REFERENCES stations (code) ON DELETE CASCADE,
    parameter    TEXT NOT NULL,
    time         INTEGER NOT NULL,
    value        REAL NOT NULL,
    unit         TEXT NOT NULL,
    flag         TEXT NOT NULL DEFAULT 'N',
    source       TEXT NOT NULL CHECK (source IN ('measured', 'replayed', 'simulated', 'self_reported')),
    provenance   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (station_code, parameter, time)
) WITHOUT ROWID;

-- An hourly value worked out from samples (1) rather than reported as hourly (0). A reported
-- value always replaces a derived one; a derived one never replaces a reported one.
ALTER TABLE readings ADD COLUMN derived INTEGER NOT NULL DEFAULT 0 CHECK (derived IN (0, 1));
-- How a value came to be, where that is more than its source says: accepted from a logger
-- leniently (which deviation), or derived (from how many samples).
ALTER TABLE readings ADD COLUMN provenance TEXT NOT NULL DEFAULT '';

-- What a logger's values are: 'simulated' for the demo's loggers, so that data arriving over
-- the production path still says it is not real.
ALTER TABLE loggers ADD COLUMN source TEXT NOT NULL DEFAULT 'measured'
    CHECK (source IN ('measured', 'simulated'));
