//! Enterprises, outlets, limits and outlet values in SQLite (migration 0008).

use std::collections::HashMap;
use std::str::FromStr;

use daylight_domain::enterprise::{
    Averaging, CreditCode, Frequency, Limit, Method, OutletCode, OutletKind, Pollutant,
};
use daylight_domain::geo::LonLat;
use daylight_domain::station::{DataFlag, DataSource};
use daylight_domain::units::Unit;
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

use super::{corrupt, from_unix, to_unix, SqliteStore, WRITE};
use crate::{
    Enterprise, ImportCounts, Outlet, OutletDay, OutletLimit, OutletMonth, OutletReading,
    OutletSeries, Result, StoreError, TimeRange,
};

const ENTERPRISE_COLUMNS: &str = "credit_code, name, permit_number, industry, district, \
     address, lon, lat, key_unit, demo, provenance";

fn parse<T: FromStr>(row: &SqliteRow, column: &str) -> Result<T> {
    let raw: String = row.try_get(column)?;
    T::from_str(&raw).map_err(|_| corrupt(column, &raw))
}

fn credit_code(row: &SqliteRow, column: &str) -> Result<CreditCode> {
    let raw: String = row.try_get(column)?;
    CreditCode::parse(&raw).map_err(|_| corrupt(column, &raw))
}

fn outlet_code(row: &SqliteRow, column: &str) -> Result<OutletCode> {
    let raw: String = row.try_get(column)?;
    OutletCode::parse(&raw).map_err(|_| corrupt(column, &raw))
}

fn position(row: &SqliteRow) -> Result<Option<LonLat>> {
    let lon: Option<f64> = row.try_get("lon")?;
    let lat: Option<f64> = row.try_get("lat")?;
    match (lon, lat) {
        (Some(lon), Some(lat)) => LonLat::new(lon, lat)
            .map(Some)
            .map_err(|_| corrupt("position", &format!("{lon},{lat}"))),
        _ => Ok(None),
    }
}

fn enterprise_from_row(row: &SqliteRow) -> Result<Enterprise> {
    Ok(Enterprise {
        credit_code: credit_code(row, "credit_code")?,
        name: row.try_get("name")?,
        permit_number: row.try_get("permit_number")?,
        industry: row.try_get("industry")?,
        district: row.try_get("district")?,
        address: row.try_get("address")?,
        position: position(row)?,
        key_unit: row.try_get("key_unit")?,
        demo: row.try_get::<i64, _>("demo")? != 0,
        provenance: row.try_get("provenance")?,
    })
}

fn outlet_from_row(row: &SqliteRow) -> Result<Outlet> {
    Ok(Outlet {
        enterprise: credit_code(row, "enterprise")?,
        code: outlet_code(row, "code")?,
        name: row.try_get("name")?,
        kind: parse::<OutletKind>(row, "kind")?,
        position: position(row)?,
        stack_height: row.try_get("stack_height")?,
        receiving_water: row.try_get("receiving_water")?,
    })
}

fn limit_from_row(row: &SqliteRow) -> Result<OutletLimit> {
    Ok(OutletLimit {
        enterprise: credit_code(row, "enterprise")?,
        outlet: outlet_code(row, "outlet")?,
        pollutant: parse::<Pollutant>(row, "pollutant")?,
        limit: Limit {
            value: row.try_get("limit_value")?,
            unit: parse::<Unit>(row, "unit")?,
            standard: row.try_get("standard")?,
            averaging: parse::<Averaging>(row, "averaging")?,
        },
        method: parse::<Method>(row, "method")?,
        frequency: parse::<Frequency>(row, "frequency")?,
    })
}

fn reading_from_row(row: &SqliteRow) -> Result<OutletReading> {
    let flag: String = row.try_get("flag")?;
    Ok(OutletReading {
        enterprise: credit_code(row, "enterprise")?,
        outlet: outlet_code(row, "outlet")?,
        pollutant: parse::<Pollutant>(row, "parameter")?,
        time: from_unix(row.try_get("time")?)?,
        value: row.try_get("value")?,
        unit: parse::<Unit>(row, "unit")?,
        flag: DataFlag::from_code(&flag),
        source: parse::<DataSource>(row, "source")?,
        provenance: row.try_get("provenance")?,
    })
}

fn count(counts: &mut ImportCounts, inserted: u64, updated: u64) {
    if inserted == 1 {
        counts.inserted += 1;
    } else if updated == 1 {
        counts.updated += 1;
    } else {
        counts.unchanged += 1;
    }
}

const READING_SELECT: &str = "SELECT o.enterprise AS enterprise, o.code AS outlet, r.time, \
     r.parameter, r.value, r.unit, r.flag, r.source, r.provenance \
     FROM outlet_readings AS r JOIN outlets AS o ON o.id = r.outlet_id";

/// Rows of one series each (the latest value's columns and `points`, "time value" pairs
/// joined by commas) as series, points oldest first.
fn series_from_rows(rows: &[SqliteRow]) -> Result<Vec<OutletSeries>> {
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let raw: &str = row.try_get("points")?;
        let mut points = Vec::new();
        for point in raw.split(',') {
            let parsed = point.split_once(' ').and_then(|(t, v)| {
                let t = t.parse::<i64>().ok()?;
                Some((from_unix(t).ok()?, v.parse::<f64>().ok()?))
            });
            points.push(parsed.ok_or_else(|| corrupt("outlet_readings", point))?);
        }
        points.sort_by_key(|p| p.0);
        out.push(OutletSeries {
            latest: reading_from_row(row)?,
            points,
        });
    }
    Ok(out)
}

impl SqliteStore {
    pub(super) async fn upsert_enterprises_impl(
        &self,
        enterprises: &[Enterprise],
    ) -> Result<ImportCounts> {
        let mut tx = self.writer.begin_with(WRITE).await?;
        let mut counts = ImportCounts::default();
        for e in enterprises {
            let bind = |sql| {
                sqlx::query(sql)
                    .bind(e.credit_code.as_str())
                    .bind(&e.name)
                    .bind(&e.permit_number)
                    .bind(&e.industry)
                    .bind(&e.district)
                    .bind(&e.address)
                    .bind(e.position.map(|p| p.lon))
                    .bind(e.position.map(|p| p.lat))
                    .bind(&e.key_unit)
                    .bind(i64::from(e.demo))
                    .bind(&e.provenance)
            };
            let inserted = bind(
                "INSERT OR IGNORE INTO enterprises (credit_code, name, permit_number, industry, \
                 district, address, lon, lat, key_unit, demo, provenance) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )
            .execute(&mut *tx)
            .await?
            .rows_affected();
            let updated = if inserted == 1 {
                0
            } else {
                bind(
                    "UPDATE enterprises SET name = ?2, permit_number = ?3, industry = ?4, \
                     district = ?5, address = ?6, lon = ?7, lat = ?8, key_unit = ?9, demo = ?10, \
                     provenance = ?11 WHERE credit_code = ?1 AND (name IS NOT ?2 \
                     OR permit_number IS NOT ?3 OR industry IS NOT ?4 OR district IS NOT ?5 \
                     OR address IS NOT ?6 OR lon IS NOT ?7 OR lat IS NOT ?8 OR key_unit IS NOT ?9 \
                     OR demo IS NOT ?10 OR provenance IS NOT ?11)",
                )
                .execute(&mut *tx)
                .await?
                .rows_affected()
            };
            count(&mut counts, inserted, updated);
        }
        tx.commit().await?;
        Ok(counts)
    }

    pub(super) async fn enterprises_impl(&self) -> Result<Vec<Enterprise>> {
        let sql =
            format!("SELECT {ENTERPRISE_COLUMNS} FROM enterprises ORDER BY name, credit_code");
        sqlx::query(&sql)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(enterprise_from_row)
            .collect()
    }

    pub(super) async fn enterprise_impl(&self, code: &CreditCode) -> Result<Option<Enterprise>> {
        let sql = format!("SELECT {ENTERPRISE_COLUMNS} FROM enterprises WHERE credit_code = ?");
        sqlx::query(&sql)
            .bind(code.as_str())
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(enterprise_from_row)
            .transpose()
    }

    pub(super) async fn upsert_outlets_impl(&self, outlets: &[Outlet]) -> Result<ImportCounts> {
        let mut tx = self.writer.begin_with(WRITE).await?;
        let mut counts = ImportCounts::default();
        for o in outlets {
            let known: Option<i64> =
                sqlx::query_scalar("SELECT 1 FROM enterprises WHERE credit_code = ?")
                    .bind(o.enterprise.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
            if known.is_none() {
                return Err(StoreError::UnknownEnterprise(o.enterprise.to_string()));
            }
            let bind = |sql| {
                sqlx::query(sql)
                    .bind(o.enterprise.as_str())
                    .bind(o.code.as_str())
                    .bind(&o.name)
                    .bind(o.kind.as_str())
                    .bind(o.position.map(|p| p.lon))
                    .bind(o.position.map(|p| p.lat))
                    .bind(o.stack_height)
                    .bind(&o.receiving_water)
            };
            let inserted = bind(
                "INSERT OR IGNORE INTO outlets (enterprise, code, name, kind, lon, lat, \
                 stack_height, receiving_water) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .execute(&mut *tx)
            .await?
            .rows_affected();
            let updated = if inserted == 1 {
                0
            } else {
                bind(
                    "UPDATE outlets SET name = ?3, kind = ?4, lon = ?5, lat = ?6, \
                     stack_height = ?7, receiving_water = ?8 WHERE enterprise = ?1 \
                     AND code = ?2 AND (name IS NOT ?3 OR kind IS NOT ?4 OR lon IS NOT ?5 \
                     OR lat IS NOT ?6 OR stack_height IS NOT ?7 OR receiving_water IS NOT ?8)",
                )
                .execute(&mut *tx)
                .await?
                .rows_affected()
            };
            count(&mut counts, inserted, updated);
        }
        tx.commit().await?;
        Ok(counts)
    }

    pub(super) async fn outlets_impl(
        &self,
        enterprise: Option<&CreditCode>,
    ) -> Result<Vec<Outlet>> {
        sqlx::query(
            "SELECT enterprise, code, name, kind, lon, lat, stack_height, receiving_water \
             FROM outlets \
             WHERE ?1 IS NULL OR enterprise = ?1 ORDER BY enterprise, code",
        )
        .bind(enterprise.map(|e| e.as_str()))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(outlet_from_row)
        .collect()
    }

    pub(super) async fn upsert_outlet_limits_impl(
        &self,
        limits: &[OutletLimit],
    ) -> Result<ImportCounts> {
        let mut tx = self.writer.begin_with(WRITE).await?;
        let mut counts = ImportCounts::default();
        for l in limits {
            let id: Option<i64> =
                sqlx::query_scalar("SELECT id FROM outlets WHERE enterprise = ? AND code = ?")
                    .bind(l.enterprise.as_str())
                    .bind(l.outlet.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some(id) = id else {
                return Err(StoreError::UnknownOutlet(format!(
                    "{}/{}",
                    l.enterprise, l.outlet
                )));
            };
            let bind = |sql| {
                sqlx::query(sql)
                    .bind(id)
                    .bind(l.pollutant.as_str())
                    .bind(l.limit.value)
                    .bind(l.limit.unit.ascii())
                    .bind(&l.limit.standard)
                    .bind(l.limit.averaging.as_str())
                    .bind(l.method.as_str())
                    .bind(l.frequency.as_str())
            };
            let inserted = bind(
                "INSERT OR IGNORE INTO outlet_limits (outlet_id, pollutant, limit_value, unit, \
                 standard, averaging, method, frequency) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .execute(&mut *tx)
            .await?
            .rows_affected();
            let updated = if inserted == 1 {
                0
            } else {
                bind(
                    "UPDATE outlet_limits SET limit_value = ?3, unit = ?4, standard = ?5, \
                     averaging = ?6, method = ?7, frequency = ?8 WHERE outlet_id = ?1 \
                     AND pollutant = ?2 AND (limit_value IS NOT ?3 OR unit IS NOT ?4 \
                     OR standard IS NOT ?5 OR averaging IS NOT ?6 OR method IS NOT ?7 \
                     OR frequency IS NOT ?8)",
                )
                .execute(&mut *tx)
                .await?
                .rows_affected()
            };
            count(&mut counts, inserted, updated);
        }
        tx.commit().await?;
        Ok(counts)
    }

    pub(super) async fn outlet_limits_impl(
        &self,
        enterprise: Option<&CreditCode>,
    ) -> Result<Vec<OutletLimit>> {
        sqlx::query(
            "SELECT o.enterprise AS enterprise, o.code AS outlet, l.pollutant, l.limit_value, \
             l.unit, l.standard, l.averaging, l.method, l.frequency \
             FROM outlet_limits AS l JOIN outlets AS o ON o.id = l.outlet_id \
             WHERE ?1 IS NULL OR o.enterprise = ?1 ORDER BY o.enterprise, o.code, l.pollutant",
        )
        .bind(enterprise.map(|e| e.as_str()))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(limit_from_row)
        .collect()
    }

    pub(super) async fn upsert_outlet_readings_impl(
        &self,
        readings: &[OutletReading],
    ) -> Result<ImportCounts> {
        let mut tx = self.writer.begin_with(WRITE).await?;
        let mut counts = ImportCounts::default();
        let mut ids: HashMap<(&CreditCode, &OutletCode), i64> = HashMap::new();
        for r in readings {
            let id = match ids.get(&(&r.enterprise, &r.outlet)) {
                Some(id) => *id,
                None => {
                    let id: Option<i64> = sqlx::query_scalar(
                        "SELECT id FROM outlets WHERE enterprise = ? AND code = ?",
                    )
                    .bind(r.enterprise.as_str())
                    .bind(r.outlet.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
                    let Some(id) = id else {
                        return Err(StoreError::UnknownOutlet(format!(
                            "{}/{}",
                            r.enterprise, r.outlet
                        )));
                    };
                    ids.insert((&r.enterprise, &r.outlet), id);
                    id
                }
            };
            let bind = |sql| {
                sqlx::query(sql)
                    .bind(id)
                    .bind(to_unix(r.time))
                    .bind(r.pollutant.as_str())
                    .bind(r.value)
                    .bind(r.unit.ascii())
                    .bind(r.flag.code().to_string())
                    .bind(r.source.as_str())
                    .bind(&r.provenance)
            };
            let inserted = bind(
                "INSERT OR IGNORE INTO outlet_readings (outlet_id, time, parameter, value, unit, \
                 flag, source, provenance) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .execute(&mut *tx)
            .await?
            .rows_affected();
            let updated = if inserted == 1 {
                0
            } else {
                bind(
                    "UPDATE outlet_readings SET value = ?4, unit = ?5, flag = ?6, source = ?7, \
                     provenance = ?8 WHERE outlet_id = ?1 AND time = ?2 AND parameter = ?3 \
                     AND (value IS NOT ?4 OR unit IS NOT ?5 OR flag IS NOT ?6 \
                     OR source IS NOT ?7 OR provenance IS NOT ?8)",
                )
                .execute(&mut *tx)
                .await?
                .rows_affected()
            };
            count(&mut counts, inserted, updated);
        }
        tx.commit().await?;
        Ok(counts)
    }

    pub(super) async fn outlet_readings_impl(
        &self,
        enterprise: &CreditCode,
        range: TimeRange,
    ) -> Result<Vec<OutletReading>> {
        let sql = format!(
            "{READING_SELECT} WHERE o.enterprise = ? AND r.time >= ? AND r.time < ? \
             ORDER BY o.code, r.parameter, r.time"
        );
        sqlx::query(&sql)
            .bind(enterprise.as_str())
            .bind(to_unix(range.from))
            .bind(to_unix(range.to))
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(reading_from_row)
            .collect()
    }

    pub(super) async fn latest_outlet_readings_impl(&self) -> Result<Vec<OutletReading>> {
        let sql = format!(
            "{READING_SELECT} WHERE r.time = \
             (SELECT MAX(time) FROM outlet_readings WHERE outlet_id = o.id) \
             ORDER BY o.enterprise, o.code, r.parameter"
        );
        sqlx::query(&sql)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(reading_from_row)
            .collect()
    }

    pub(super) async fn outlet_values_over_limit_impl(
        &self,
        enterprise: &CreditCode,
        range: TimeRange,
    ) -> Result<Vec<OutletSeries>> {
        // Per limit, a range of the (outlet, parameter, value) index: only the values over
        // the limit are visited. CROSS JOIN keeps that order: left to itself, SQLite walks
        // the readings first and looks up each one's limit (a read of the whole series).
        // One row per series, as in outlet_recent.
        let rows = sqlx::query(
            "SELECT o.enterprise AS enterprise, o.code AS outlet, MAX(r.time) AS time, \
             r.parameter, r.value, r.unit, r.flag, r.source, r.provenance, \
             group_concat(r.time || ' ' || r.value, ',') AS points \
             FROM outlets AS o CROSS JOIN outlet_limits AS l \
             CROSS JOIN outlet_readings AS r INDEXED BY outlet_readings_by_value \
             WHERE o.enterprise = ?1 AND l.outlet_id = o.id AND r.outlet_id = l.outlet_id \
             AND r.parameter = l.pollutant AND r.value > l.limit_value \
             AND r.time >= ?2 AND r.time < ?3 \
             GROUP BY o.code, r.parameter ORDER BY o.code, r.parameter",
        )
        .bind(enterprise.as_str())
        .bind(to_unix(range.from))
        .bind(to_unix(range.to))
        .fetch_all(&self.pool)
        .await?;
        series_from_rows(&rows)
    }

    pub(super) async fn outlet_recent_impl(
        &self,
        enterprise: &CreditCode,
        range: TimeRange,
    ) -> Result<Vec<OutletSeries>> {
        // One row per series: sqlx hands rows over from its SQLite thread one at a time, so
        // a week of hourly values costs far less as one text per series. The bare columns
        // come from the row with MAX(time) (SQLite's rule for min/max aggregates).
        let rows = sqlx::query(
            "SELECT o.enterprise AS enterprise, o.code AS outlet, MAX(r.time) AS time, \
             r.parameter, r.value, r.unit, r.flag, r.source, r.provenance, \
             group_concat(r.time || ' ' || r.value, ',') AS points \
             FROM outlets AS o CROSS JOIN outlet_readings AS r \
             WHERE o.enterprise = ?1 AND r.outlet_id = o.id AND r.time >= ?2 AND r.time < ?3 \
             GROUP BY o.code, r.parameter ORDER BY o.code, r.parameter",
        )
        .bind(enterprise.as_str())
        .bind(to_unix(range.from))
        .bind(to_unix(range.to))
        .fetch_all(&self.pool)
        .await?;
        series_from_rows(&rows)
    }

    pub(super) async fn outlet_months_impl(
        &self,
        enterprise: &CreditCode,
        from_day: i64,
        to_day: i64,
    ) -> Result<Vec<OutletMonth>> {
        let rows = sqlx::query(
            "SELECT o.code AS code, d.parameter AS parameter, \
             CAST(strftime('%Y', d.day * 86400, 'unixepoch') AS INTEGER) AS year, \
             CAST(strftime('%m', d.day * 86400, 'unixepoch') AS INTEGER) AS month, \
             SUM(d.n) AS n, COUNT(*) AS days, MIN(d.day) AS first_day, MAX(d.day) AS last_day \
             FROM outlets AS o CROSS JOIN outlet_days AS d \
             WHERE o.enterprise = ?1 AND d.outlet_id = o.id AND d.day >= ?2 AND d.day < ?3 \
             AND d.n > 0 GROUP BY o.code, d.parameter, year, month \
             ORDER BY o.code, d.parameter, year, month",
        )
        .bind(enterprise.as_str())
        .bind(from_day)
        .bind(to_day)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let n: i64 = row.try_get("n")?;
                let days: i64 = row.try_get("days")?;
                let month: i64 = row.try_get("month")?;
                let year: i64 = row.try_get("year")?;
                Ok(OutletMonth {
                    outlet: outlet_code(row, "code")?,
                    pollutant: parse::<Pollutant>(row, "parameter")?,
                    year: i32::try_from(year).map_err(|_| corrupt("day", &year.to_string()))?,
                    month: u32::try_from(month).map_err(|_| corrupt("day", &month.to_string()))?,
                    values: u32::try_from(n).unwrap_or(u32::MAX),
                    days: u32::try_from(days).unwrap_or(u32::MAX),
                    first_day: row.try_get("first_day")?,
                    last_day: row.try_get("last_day")?,
                })
            })
            .collect()
    }

    pub(super) async fn outlet_days_over_daily_limit_impl(
        &self,
        enterprise: &CreditCode,
        from_day: i64,
        to_day: i64,
        min_values: u32,
    ) -> Result<Vec<OutletDay>> {
        sqlx::query(
            "SELECT o.code AS code, d.parameter AS parameter, d.day AS day, d.n AS n, \
             d.total AS total FROM outlets AS o CROSS JOIN outlet_limits AS l \
             CROSS JOIN outlet_days AS d \
             WHERE o.enterprise = ?1 AND l.outlet_id = o.id AND l.averaging = '24h' \
             AND l.method = 'automatic' AND d.outlet_id = l.outlet_id \
             AND d.parameter = l.pollutant AND d.day >= ?2 AND d.day < ?3 AND d.n >= ?4 \
             AND d.total > l.limit_value * d.n ORDER BY o.code, d.parameter, d.day",
        )
        .bind(enterprise.as_str())
        .bind(from_day)
        .bind(to_day)
        .bind(min_values)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            let n: i64 = row.try_get("n")?;
            Ok(OutletDay {
                outlet: outlet_code(row, "code")?,
                pollutant: parse::<Pollutant>(row, "parameter")?,
                day: row.try_get("day")?,
                values: u32::try_from(n).unwrap_or(0),
                total: row.try_get("total")?,
            })
        })
        .collect()
    }

    pub(super) async fn set_outlet_day_offset_impl(&self, seconds: i32) -> Result<bool> {
        let mut tx = self.writer.begin_with(WRITE).await?;
        let current: Option<i64> =
            sqlx::query_scalar("SELECT seconds FROM outlet_day_offset WHERE id = 1")
                .fetch_optional(&mut *tx)
                .await?;
        if current == Some(i64::from(seconds)) {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO outlet_day_offset (id, seconds) VALUES (1, ?1) \
             ON CONFLICT (id) DO UPDATE SET seconds = excluded.seconds",
        )
        .bind(seconds)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM outlet_days")
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO outlet_days (outlet_id, parameter, day, n, total) \
             SELECT outlet_id, parameter, (time + ?1) / 86400, COUNT(*), SUM(value) \
             FROM outlet_readings GROUP BY outlet_id, parameter, (time + ?1) / 86400",
        )
        .bind(seconds)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}
