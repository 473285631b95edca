-- Citable snapshots (docs/open-data.md, "Citing"): what a station or water page showed at
-- one moment, frozen so that a citation keeps pointing at the numbers the author saw. The
-- document is the whole frozen state as JSON (values, units, flags, both AQI scales or the
-- water class, the last hours, the attribution), written once and never recomputed: later
-- corrections of the readings do not reach it, and the trigger below refuses any update.
CREATE TABLE snapshots (
    id           TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 10),
    station_code TEXT NOT NULL REFERENCES stations (code),
    taken        INTEGER NOT NULL,
    document     TEXT NOT NULL CHECK (json_valid(document))
) WITHOUT ROWID;

CREATE TRIGGER snapshots_are_frozen BEFORE UPDATE ON snapshots
BEGIN
    SELECT RAISE(ABORT, 'snapshots are frozen');
END;
