-- A data logger belongs to a station or to an enterprise's outlet (issue 5: enterprises'
-- automatic monitoring over HJ 212, ST 31/32). Exactly one of the two targets is set.
CREATE TABLE loggers_with_targets (
    mn                TEXT PRIMARY KEY NOT NULL,
    password          TEXT NOT NULL,
    station_code      TEXT REFERENCES stations (code) ON DELETE CASCADE,
    outlet_enterprise TEXT,
    outlet_code       TEXT,
    lenient           INTEGER NOT NULL DEFAULT 0 CHECK (lenient IN (0, 1)),
    created           INTEGER NOT NULL,
    source            TEXT NOT NULL DEFAULT 'measured' CHECK (source IN ('measured', 'simulated')),
    FOREIGN KEY (outlet_enterprise, outlet_code)
        REFERENCES outlets (enterprise, code) ON DELETE CASCADE,
    CHECK ((outlet_enterprise IS NULL) = (outlet_code IS NULL)),
    CHECK ((station_code IS NULL) <> (outlet_code IS NULL))
) WITHOUT ROWID;

INSERT INTO loggers_with_targets (mn, password, station_code, lenient, created, source)
    SELECT mn, password, station_code, lenient, created, source FROM loggers;
DROP INDEX loggers_by_station;
DROP TABLE loggers;
ALTER TABLE loggers_with_targets RENAME TO loggers;
CREATE INDEX loggers_by_station ON loggers (station_code);
CREATE INDEX loggers_by_outlet ON loggers (outlet_enterprise, outlet_code);
