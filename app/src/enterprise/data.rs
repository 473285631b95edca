//! Computing the enterprise views from the store (server side; also used by the JSON API).

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, Offset, TimeZone, Utc};
use daylight_domain::enterprise::exceedance::MIN_HOURS_PER_DAY;
use daylight_domain::enterprise::{
    completeness, exceedances, exceedances_every, Averaging, CreditCode, Frequency, Method,
    OutletCode, Pollutant,
};
use daylight_store::{
    Enterprise, OutletLimit, OutletMonth, OutletReading, OutletSeries, Statement, Store,
    StoreError, TimeRange,
};

use super::{
    EnterpriseInfo, EnterpriseList, EnterprisePageData, EnterpriseRow, ExceedanceView, LatestValue,
    ManualResultView, MonitoredView, MonthView, NearbyStation, OutletView, StatementView,
    CHART_HOURS, MANUAL_SHOWN, NEARBY_RADIUS_M, NEARBY_SHOWN, RECENT_HOURS,
};
use daylight_domain::geo::{distance_m, LonLat};
use daylight_domain::station::StationKind;
use daylight_store::Station;

/// Statements as the pages show them, each with the later ones that correct it.
pub fn statement_views(statements: &[Statement]) -> Vec<StatementView> {
    statements
        .iter()
        .map(|s| StatementView {
            id: s.id,
            kind: s.kind,
            body: s.body.clone(),
            outlet: s.outlet.as_ref().map(|o| o.to_string()),
            period_from: s.period_from,
            period_to: s.period_to,
            corrects: s.corrects,
            corrected_by: statements
                .iter()
                .filter(|c| c.corrects == Some(s.id))
                .map(|c| c.id)
                .collect(),
            author: s.author.clone(),
            created: s.created,
        })
        .collect()
}

/// How far back the page looks for exceedances and completeness.
pub const WINDOW_DAYS: i64 = 366;

pub fn offset(utc_offset_minutes: i32) -> FixedOffset {
    FixedOffset::east_opt(utc_offset_minutes * 60).unwrap_or_else(|| Utc.fix())
}

fn over_now(limit: &OutletLimit, r: &OutletReading, now: DateTime<Utc>) -> bool {
    r.value > limit.limit.value && now - r.time <= Duration::hours(RECENT_HOURS)
}

pub fn info(e: &Enterprise) -> EnterpriseInfo {
    EnterpriseInfo {
        credit_code: e.credit_code.to_string(),
        name: e.name.clone(),
        permit_number: e.permit_number.clone(),
        industry: e.industry.clone(),
        district: e.district.clone(),
        address: e.address.clone(),
        position: e.position.map(|p| (p.lon, p.lat)),
        key_unit: e.key_unit.clone(),
        demo: e.demo,
        provenance: e.provenance.clone(),
    }
}

/// Whether a search matches an enterprise: name, credit code, district or industry contain
/// it (case-insensitive).
fn matches(e: &Enterprise, query: &str) -> bool {
    if query.is_empty() {
        return true;
    }
    let q = query.to_lowercase();
    [
        e.name.as_str(),
        e.credit_code.as_str(),
        e.district.as_deref().unwrap_or(""),
        e.industry.as_str(),
    ]
    .iter()
    .any(|field| field.to_lowercase().contains(&q))
}

/// The register, filtered by `query` (at most 100 characters are used).
pub async fn enterprise_list(
    store: &dyn Store,
    query: &str,
    now: DateTime<Utc>,
    utc_offset_minutes: i32,
) -> Result<EnterpriseList, StoreError> {
    let query: String = query.trim().chars().take(100).collect();
    let enterprises = store.enterprises().await?;
    let limits: HashMap<(CreditCode, OutletCode, Pollutant), OutletLimit> = store
        .outlet_limits(None)
        .await?
        .into_iter()
        .map(|l| ((l.enterprise.clone(), l.outlet.clone(), l.pollutant), l))
        .collect();
    let mut exceeding: BTreeSet<CreditCode> = BTreeSet::new();
    let mut latest: HashMap<CreditCode, DateTime<Utc>> = HashMap::new();
    for r in store.latest_outlet_readings().await? {
        let key = (r.enterprise.clone(), r.outlet.clone(), r.pollutant);
        if limits.get(&key).is_some_and(|l| over_now(l, &r, now)) {
            exceeding.insert(r.enterprise.clone());
        }
        let t = latest.entry(r.enterprise.clone()).or_insert(r.time);
        *t = (*t).max(r.time);
    }
    let total = enterprises.len();
    let rows = enterprises
        .iter()
        .filter(|e| matches(e, &query))
        .map(|e| EnterpriseRow {
            credit_code: e.credit_code.to_string(),
            name: e.name.clone(),
            district: e.district.clone(),
            industry: e.industry.clone(),
            demo: e.demo,
            exceeding_now: exceeding.contains(&e.credit_code),
            latest_time: latest.get(&e.credit_code).copied(),
        })
        .collect();
    Ok(EnterpriseList {
        rows,
        query,
        total,
        utc_offset_minutes,
    })
}

fn month_start(time: DateTime<Utc>, offset: FixedOffset) -> DateTime<Utc> {
    let local = time.with_timezone(&offset);
    NaiveDate::from_ymd_opt(local.year(), local.month(), 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .and_then(|t| offset.from_local_datetime(&t).single())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(time)
}

/// The local day number (days since 1970-01-01 in the display zone) of a time.
fn local_day(time: DateTime<Utc>, tz: FixedOffset) -> i64 {
    (time.timestamp() + i64::from(tz.local_minus_utc())).div_euclid(86_400)
}

/// The start (UTC) of a local day number.
fn day_start(day: i64, tz: FixedOffset) -> DateTime<Utc> {
    DateTime::from_timestamp(day * 86_400 - i64::from(tz.local_minus_utc()), 0).unwrap_or_default()
}

/// Received values of one series in a month: values for an hourly frequency (hourly
/// values are one per hour), days with a value for a daily one, 1 for a month with any
/// value for a monthly one.
fn received(month: &OutletMonth, frequency: Frequency) -> u32 {
    match frequency {
        Frequency::Hourly => month.values,
        Frequency::Daily => month.days,
        Frequency::Monthly => u32::from(month.values > 0),
    }
}

/// Splits rows sorted by outlet and pollutant into one slice per series.
fn by_series<T>(
    rows: &[T],
    key: impl Fn(&T) -> (&OutletCode, Pollutant),
) -> HashMap<(&OutletCode, Pollutant), &[T]> {
    let mut series = HashMap::new();
    let mut start = 0;
    for i in 1..=rows.len() {
        if i == rows.len() || key(&rows[i]) != key(&rows[start]) {
            series.insert(key(&rows[start]), &rows[start..i]);
            start = i;
        }
    }
    series
}

/// One enterprise's page: outlets with their latest values against the limits, the
/// exceedance events and the completeness of the last [`WINDOW_DAYS`] (local days, today
/// included), and the last [`CHART_HOURS`] for the charts. None: no such enterprise.
///
/// A year is not read value by value: exceedances of hourly limits (and manual results)
/// come from the values over the limit only (an index seek), daily means and completeness
/// from the store's daily counts and sums; only the chart's week is read in full.
pub async fn enterprise_page(
    store: &dyn Store,
    code: &str,
    now: DateTime<Utc>,
    utc_offset_minutes: i32,
) -> Result<Option<EnterprisePageData>, StoreError> {
    let Ok(code) = CreditCode::parse(code) else {
        return Ok(None);
    };
    let Some(enterprise) = store.enterprise(&code).await? else {
        return Ok(None);
    };
    let tz = offset(utc_offset_minutes);
    let today = local_day(now, tz);
    let from_day = today - (WINDOW_DAYS - 1);
    let from = day_start(from_day, tz);
    let until = now + Duration::hours(1);
    let outlets = store.outlets(Some(&code)).await?;
    let limits = store.outlet_limits(Some(&code)).await?;
    let recent = store
        .outlet_recent(
            &code,
            TimeRange {
                from: now - Duration::hours(CHART_HOURS),
                to: until,
            },
        )
        .await?;
    let over = store
        .outlet_values_over_limit(&code, TimeRange { from, to: until })
        .await?;
    let months = store.outlet_months(&code, from_day, today + 1).await?;
    let over_days = store
        .outlet_days_over_daily_limit(
            &code,
            from_day,
            today + 1,
            u32::try_from(MIN_HOURS_PER_DAY).unwrap_or(u32::MAX),
        )
        .await?;
    let recent_series: HashMap<(&OutletCode, Pollutant), &OutletSeries> = recent
        .iter()
        .map(|s| ((&s.latest.outlet, s.latest.pollutant), s))
        .collect();
    let over_series: HashMap<(&OutletCode, Pollutant), &OutletSeries> = over
        .iter()
        .map(|s| ((&s.latest.outlet, s.latest.pollutant), s))
        .collect();
    let month_series = by_series(&months, |m| (&m.outlet, m.pollutant));
    let over_day_series = by_series(&over_days, |d| (&d.outlet, d.pollutant));
    // A series with nothing in the chart's window: its latest value is on its latest day.
    let mut stale: HashMap<(OutletCode, Pollutant), OutletReading> = HashMap::new();
    for l in &limits {
        let key = (&l.outlet, l.pollutant);
        if recent_series.contains_key(&key) {
            continue;
        }
        let Some(last) = month_series.get(&key).and_then(|m| m.last()) else {
            continue;
        };
        let start = day_start(last.last_day, tz);
        let day = store
            .outlet_recent(
                &code,
                TimeRange {
                    from: start,
                    to: start + Duration::days(1),
                },
            )
            .await?;
        if let Some(s) = day
            .into_iter()
            .find(|s| s.latest.outlet == l.outlet && s.latest.pollutant == l.pollutant)
        {
            stale.insert((l.outlet.clone(), l.pollutant), s.latest);
        }
    }
    let mut sources: Vec<_> = recent
        .iter()
        .chain(&over)
        .map(|s| &s.latest)
        .chain(stale.values())
        .map(|r| r.source)
        .collect();
    sources.sort_by_key(|s| s.as_str());
    sources.dedup();
    let mut events = Vec::new();
    let mut outlet_views = Vec::new();
    for outlet in &outlets {
        let mut monitored = Vec::new();
        for l in limits.iter().filter(|l| l.outlet == outlet.code) {
            let key = (&outlet.code, l.pollutant);
            let series = recent_series.get(&key).copied();
            let over_points: &[(DateTime<Utc>, f64)] = over_series
                .get(&key)
                .map(|s| s.points.as_slice())
                .unwrap_or(&[]);
            let series_months = month_series.get(&key).copied().unwrap_or(&[]);
            // Only values over the limit can be in an event, and an hour under the limit
            // ends one just as a missing hour does: the events over these alone are the
            // events over the whole series.
            let found = match (l.method, l.limit.averaging) {
                // A manual result stands alone: each one over the limit is an event.
                (Method::Manual, _) => {
                    exceedances_every(over_points, l.limit.value, Duration::zero())
                }
                (_, Averaging::Hourly) => exceedances(over_points, l.limit.value),
                // Likewise the days whose mean (of at least MIN_HOURS_PER_DAY values) is
                // over a daily limit.
                (_, Averaging::Daily) => {
                    let means: Vec<(DateTime<Utc>, f64)> = over_day_series
                        .get(&key)
                        .copied()
                        .unwrap_or(&[])
                        .iter()
                        .map(|d| (day_start(d.day, tz), d.total / f64::from(d.values)))
                        .collect();
                    exceedances_every(&means, l.limit.value, Duration::days(1))
                }
            };
            events.extend(found.into_iter().map(|e| ExceedanceView {
                outlet: outlet.code.to_string(),
                pollutant: l.pollutant,
                limit: l.limit.value,
                unit: l.limit.unit,
                averaging: l.limit.averaging,
                start: e.start,
                end: e.end,
                values: e.hours,
                peak: e.peak,
                multiple: e.multiple,
            }));
            let last = series
                .map(|s| &s.latest)
                .or_else(|| stale.get(&(outlet.code.clone(), l.pollutant)));
            let latest = last.map(|r| LatestValue {
                time: r.time,
                value: r.value,
                ratio: l.limit.ratio(r.value),
                multiple: l.limit.exceedance_multiple(r.value),
                flag: r.flag,
                source: r.source,
            });
            let exceeding_now = last.is_some_and(|r| over_now(l, r, now));
            // Expected from the month of the first value in the window (the current month
            // when there is none): missing data is disclosed, not hidden.
            let first = series_months
                .first()
                .map(|m| day_start(m.first_day, tz))
                .unwrap_or(now);
            let begin = month_start(first, tz).max(from);
            let months = completeness(&[], l.frequency, begin, now, tz)
                .into_iter()
                .map(|m| MonthView {
                    year: m.year,
                    month: m.month,
                    expected: m.expected,
                    received: series_months
                        .iter()
                        .find(|s| (s.year, s.month) == (m.year, m.month))
                        .map(|s| received(s, l.frequency))
                        .unwrap_or(0)
                        .min(m.expected),
                })
                .collect();
            let recent_points = match (l.method, series) {
                (Method::Automatic, Some(s)) => {
                    s.points.iter().map(|(t, v)| (t.timestamp(), *v)).collect()
                }
                _ => Vec::new(),
            };
            monitored.push(MonitoredView {
                pollutant: l.pollutant,
                limit: l.limit.value,
                unit: l.limit.unit,
                standard: l.limit.standard.clone(),
                averaging: l.limit.averaging,
                method: l.method,
                frequency: l.frequency,
                latest,
                exceeding_now,
                completeness: months,
                recent: recent_points,
            });
        }
        outlet_views.push(OutletView {
            code: outlet.code.to_string(),
            name: outlet.name.clone(),
            kind: outlet.kind,
            stack_height: outlet.stack_height,
            monitored,
        });
    }
    events.sort_by(|a, b| b.start.cmp(&a.start).then(a.outlet.cmp(&b.outlet)));
    let exceeding_now = outlet_views
        .iter()
        .any(|o| o.monitored.iter().any(|m| m.exceeding_now));
    let statements = statement_views(&store.statements(&code).await?);
    let manual_results = store
        .manual_results(&code, from, MANUAL_SHOWN)
        .await?
        .into_iter()
        .map(|m| ManualResultView {
            outlet: m.outlet.to_string(),
            pollutant: m.pollutant,
            time: m.time,
            value: m.value,
            unit: m.unit,
            lab_note: m.lab_note,
            uploaded: m.uploaded,
        })
        .collect();
    let nearby = match enterprise.position {
        Some(here) => nearby_stations(&store.stations().await?, here),
        None => Vec::new(),
    };
    Ok(Some(EnterprisePageData {
        info: info(&enterprise),
        nearby,
        exceedances_total: events.len(),
        outlets: outlet_views,
        exceedances: events,
        sources,
        exceeding_now,
        statements,
        manual_results,
        from,
        now,
        utc_offset_minutes,
    }))
}

/// The air stations and water sections within [`NEARBY_RADIUS_M`] of `here`, nearest
/// first, at most [`NEARBY_SHOWN`] of each kind.
pub fn nearby_stations(stations: &[Station], here: LonLat) -> Vec<NearbyStation> {
    let mut near: Vec<NearbyStation> = stations
        .iter()
        .map(|s| NearbyStation {
            code: s.code.to_string(),
            name: s.name.clone(),
            kind: s.kind,
            distance_m: distance_m(here, s.position),
        })
        .filter(|n| n.distance_m <= NEARBY_RADIUS_M)
        .collect();
    near.sort_by(|a, b| a.distance_m.total_cmp(&b.distance_m));
    let mut shown: HashMap<StationKind, usize> = HashMap::new();
    near.retain(|n| {
        let count = shown.entry(n.kind).or_default();
        *count += 1;
        *count <= NEARBY_SHOWN
    });
    near
}

/// One enterprise's outlet values in `range`, or None when there is no such enterprise.
pub async fn enterprise_readings(
    store: &dyn Store,
    code: &str,
    range: TimeRange,
) -> Result<Option<(Enterprise, Vec<OutletReading>)>, StoreError> {
    let Ok(code) = CreditCode::parse(code) else {
        return Ok(None);
    };
    let Some(enterprise) = store.enterprise(&code).await? else {
        return Ok(None);
    };
    let readings = store.outlet_readings(&code, range).await?;
    Ok(Some((enterprise, readings)))
}

/// One enterprise's statements, newest first, or None when there is no such enterprise.
pub async fn enterprise_statements(
    store: &dyn Store,
    code: &str,
) -> Result<Option<(Enterprise, Vec<StatementView>)>, StoreError> {
    let Ok(code) = CreditCode::parse(code) else {
        return Ok(None);
    };
    let Some(enterprise) = store.enterprise(&code).await? else {
        return Ok(None);
    };
    let statements = statement_views(&store.statements(&code).await?);
    Ok(Some((enterprise, statements)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use daylight_domain::station::StationCode;

    fn station(code: &str, kind: StationKind, lon: f64, lat: f64) -> Station {
        Station {
            code: StationCode::parse(code).unwrap(),
            name: code.to_string(),
            kind,
            position: LonLat::new(lon, lat).unwrap(),
            district: None,
            water_body: None,
            river: None,
            position_approximate: false,
            provenance: String::new(),
        }
    }

    #[test]
    fn nearby_stations_are_within_the_radius_nearest_first() {
        let here = LonLat::new(108.95, 34.27).unwrap();
        let stations = [
            station("FAR", StationKind::Air, 109.2, 34.27), // ~23 km
            station("B", StationKind::Air, 108.97, 34.27),  // ~1.8 km
            station("A", StationKind::Air, 108.951, 34.27), // ~0.1 km
            station("W", StationKind::Water, 108.95, 34.30), // ~3.3 km
        ];
        let near = nearby_stations(&stations, here);
        let codes: Vec<&str> = near.iter().map(|n| n.code.as_str()).collect();
        assert_eq!(codes, ["A", "B", "W"]);
        assert!(
            (near[1].distance_m - 1_840.0).abs() < 50.0,
            "{}",
            near[1].distance_m
        );
    }
}
