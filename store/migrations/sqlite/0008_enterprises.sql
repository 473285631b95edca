-- Enterprises under discharge permits (排污单位, issue 5), their outlets (排放口), the limits
-- that apply to each monitored pollutant, and the outlets' self-monitoring values. Outlet
-- values are kept apart from the monitoring network's readings: they are the enterprise's
-- own figures (source 'self_reported'; 'simulated' in the demo), never mixed with measured
-- ambient data.
CREATE TABLE enterprises (
    -- The unified social credit code (GB 32100-2015), check character verified on input:
    -- the enterprise's public, stable identifier.
    credit_code   TEXT PRIMARY KEY CHECK (length(credit_code) = 18),
    name          TEXT NOT NULL,
    permit_number TEXT NOT NULL DEFAULT '',
    industry      TEXT NOT NULL DEFAULT '',
    district      TEXT,
    address       TEXT NOT NULL DEFAULT '',
    -- WGS-84, or both NULL.
    lon           REAL,
    lat           REAL,
    -- 重点排污单位 category as published (e.g. 水环境重点排污单位), '' when none.
    key_unit      TEXT NOT NULL DEFAULT '',
    -- A fictional enterprise of the demo.
    demo          INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    provenance    TEXT NOT NULL DEFAULT '',
    CHECK ((lon IS NULL) = (lat IS NULL))
);

CREATE TABLE outlets (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    enterprise    TEXT NOT NULL REFERENCES enterprises (credit_code) ON DELETE CASCADE,
    code          TEXT NOT NULL,
    name          TEXT NOT NULL DEFAULT '',
    kind          TEXT NOT NULL CHECK (kind IN ('air', 'water')),
    lon           REAL,
    lat           REAL,
    -- Stack height in metres (air outlets only).
    stack_height  REAL,
    CHECK ((lon IS NULL) = (lat IS NULL)),
    UNIQUE (enterprise, code)
);

CREATE TABLE outlet_limits (
    outlet_id     INTEGER NOT NULL REFERENCES outlets (id) ON DELETE CASCADE,
    -- HJ 212-2017 pollutant code (a21026, w01018, …).
    pollutant     TEXT NOT NULL,
    limit_value   REAL NOT NULL CHECK (limit_value > 0),
    unit          TEXT NOT NULL,
    -- The standard and table the limit comes from, e.g. 'GB 13223-2011 表1'.
    standard      TEXT NOT NULL,
    averaging     TEXT NOT NULL CHECK (averaging IN ('1h', '24h')),
    method        TEXT NOT NULL CHECK (method IN ('automatic', 'manual')),
    frequency     TEXT NOT NULL CHECK (frequency IN ('hourly', 'daily', 'monthly')),
    PRIMARY KEY (outlet_id, pollutant)
) WITHOUT ROWID;

-- Keyed by (outlet, time, parameter) like the network's readings: one hour of an outlet is
-- contiguous.
CREATE TABLE outlet_readings (
    outlet_id     INTEGER NOT NULL REFERENCES outlets (id) ON DELETE CASCADE,
    time          INTEGER NOT NULL,
    parameter     TEXT NOT NULL,
    value         REAL NOT NULL,
    unit          TEXT NOT NULL,
    flag          TEXT NOT NULL DEFAULT 'N',
    source        TEXT NOT NULL CHECK (source IN ('measured', 'replayed', 'simulated', 'self_reported')),
    provenance    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (outlet_id, time, parameter)
) WITHOUT ROWID;
