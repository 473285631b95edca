-- Daily sums of outlet values (issue 5), kept up to date by triggers, so that the enterprise
-- page reads a year as 366 rows per pollutant instead of 8,760: daily means for 24-hour
-- limits and the completeness per month come from here. Days are local days of the
-- deployment's UTC offset, which the server writes into outlet_day_offset at start (the
-- table is rebuilt when it changes); 28,800 s (UTC+8) until then.
CREATE TABLE outlet_day_offset (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    seconds INTEGER NOT NULL
);
INSERT INTO outlet_day_offset (id, seconds) VALUES (1, 28800);

CREATE TABLE outlet_days (
    outlet_id INTEGER NOT NULL REFERENCES outlets (id) ON DELETE CASCADE,
    parameter TEXT NOT NULL,
    -- (time + offset) / 86400: the local day's number since 1970-01-01.
    day       INTEGER NOT NULL,
    -- How many values, and their sum.
    n         INTEGER NOT NULL,
    total     REAL NOT NULL,
    PRIMARY KEY (outlet_id, day, parameter)
) WITHOUT ROWID;

INSERT INTO outlet_days (outlet_id, parameter, day, n, total)
    SELECT outlet_id, parameter, (time + 28800) / 86400, COUNT(*), SUM(value)
    FROM outlet_readings GROUP BY outlet_id, parameter, (time + 28800) / 86400;

CREATE TRIGGER outlet_days_insert AFTER INSERT ON outlet_readings BEGIN
    INSERT INTO outlet_days (outlet_id, parameter, day, n, total)
    VALUES (NEW.outlet_id, NEW.parameter,
            (NEW.time + (SELECT seconds FROM outlet_day_offset WHERE id = 1)) / 86400, 1, NEW.value)
    ON CONFLICT (outlet_id, day, parameter) DO UPDATE SET n = n + 1, total = total + excluded.total;
END;

CREATE TRIGGER outlet_days_update AFTER UPDATE OF value ON outlet_readings BEGIN
    UPDATE outlet_days SET total = total - OLD.value + NEW.value
    WHERE outlet_id = NEW.outlet_id AND parameter = NEW.parameter
      AND day = (NEW.time + (SELECT seconds FROM outlet_day_offset WHERE id = 1)) / 86400;
END;

CREATE TRIGGER outlet_days_delete AFTER DELETE ON outlet_readings BEGIN
    UPDATE outlet_days SET n = n - 1, total = total - OLD.value
    WHERE outlet_id = OLD.outlet_id AND parameter = OLD.parameter
      AND day = (OLD.time + (SELECT seconds FROM outlet_day_offset WHERE id = 1)) / 86400;
    DELETE FROM outlet_days
    WHERE outlet_id = OLD.outlet_id AND parameter = OLD.parameter AND n <= 0;
END;

-- The hours over a limit are found by seeking value > limit within one series, not by
-- reading the series.
CREATE INDEX outlet_readings_by_value ON outlet_readings (outlet_id, parameter, value);
