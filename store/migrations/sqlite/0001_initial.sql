-- Stations: air stations and water sections. Positions are WGS-84.
CREATE TABLE stations (
    code                 TEXT PRIMARY KEY NOT NULL,
    name                 TEXT NOT NULL,
    kind                 TEXT NOT NULL CHECK (kind IN ('air', 'water')),
    lon                  REAL NOT NULL,
    lat                  REAL NOT NULL,
    district             TEXT,
    water_body           TEXT CHECK (water_body IN ('river', 'lake', 'reservoir')),
    river                TEXT,
    position_approximate INTEGER NOT NULL DEFAULT 0 CHECK (position_approximate IN (0, 1)),
    provenance           TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

-- One value per station, parameter and time (UTC, unix seconds). Re-sending the same
-- value is idempotent; a corrected value replaces the old one.
CREATE TABLE readings (
    station_code TEXT NOT NULL REFERENCES stations (code) ON DELETE CASCADE,
    parameter    TEXT NOT NULL,
    time         INTEGER NOT NULL,
    value        REAL NOT NULL,
    unit         TEXT NOT NULL,
    flag         TEXT NOT NULL DEFAULT 'N',
    source       TEXT NOT NULL CHECK (source IN ('measured', 'replayed', 'simulated', 'self_reported')),
    PRIMARY KEY (station_code, parameter, time)
) WITHOUT ROWID;

CREATE INDEX readings_by_station_time ON readings (station_code, time);

-- Administrative districts (区县) with their WGS-84 boundary as JSON (a MultiPolygon of
-- [lon, lat] rings), used for the offline basemap and for routing by location.
CREATE TABLE districts (
    adcode     TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    center_lon REAL NOT NULL,
    center_lat REAL NOT NULL,
    boundary   TEXT NOT NULL
) WITHOUT ROWID;
