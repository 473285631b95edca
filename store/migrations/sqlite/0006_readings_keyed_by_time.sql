-- Readings and samples keyed by (station, time, parameter) instead of (station, parameter,
-- time): the values of one station and hour sit together, which is how they arrive (one
-- packet, one hour, all parameters) and how pages read them (an hour, or a window of hours).
-- A commit of many stations' hour then touches one B-tree page per station instead of one per
-- station and parameter, and the separate (station, time) index is no longer needed.
CREATE TABLE readings_by_time (
    station_code TEXT NOT NULL REFERENCES stations (code) ON DELETE CASCADE,
    parameter    TEXT NOT NULL,
    time         INTEGER NOT NULL,
    value        REAL NOT NULL,
    unit         TEXT NOT NULL,
    flag         TEXT NOT NULL DEFAULT 'N',
    source       TEXT NOT NULL CHECK (source IN ('measured', 'replayed', 'simulated', 'self_reported')),
    derived      INTEGER NOT NULL DEFAULT 0 CHECK (derived IN (0, 1)),
    provenance   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (station_code, time, parameter)
) WITHOUT ROWID;

INSERT INTO readings_by_time
    (station_code, parameter, time, value, unit, flag, source, derived, provenance)
    SELECT station_code, parameter, time, value, unit, flag, source, derived, provenance
    FROM readings;
DROP INDEX readings_by_station_time;
DROP TABLE readings;
ALTER TABLE readings_by_time RENAME TO readings;

CREATE TABLE samples_by_time (
    station_code TEXT NOT NULL REFERENCES stations (code) ON DELETE CASCADE,
    parameter    TEXT NOT NULL,
    time         INTEGER NOT NULL,
    value        REAL NOT NULL,
    unit         TEXT NOT NULL,
    flag         TEXT NOT NULL DEFAULT 'N',
    source       TEXT NOT NULL CHECK (source IN ('measured', 'replayed', 'simulated', 'self_reported')),
    provenance   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (station_code, time, parameter)
) WITHOUT ROWID;

INSERT INTO samples_by_time
    (station_code, parameter, time, value, unit, flag, source, provenance)
    SELECT station_code, parameter, time, value, unit, flag, source, provenance
    FROM samples;
DROP TABLE samples;
ALTER TABLE samples_by_time RENAME TO samples;
