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
    EnterpriseInfo, EnterpriseList, EnterprisePageData, EnterpriseRow, EnterpriseSummary,
    ExceedanceView, LatestValue, ManualResultView, MonitoredView, MonthView, NearbyBasis,
    NearbyEnterprise, NearbyEnterprises, NearbyStation, OutletView, StatementView, CHART_HOURS,
    MANUAL_SHOWN, NEARBY_ENTERPRISES_SHOWN, NEARBY_RADIUS_M, NEARBY_SHOWN, RECENT_HOURS,
    SAME_RIVER_RADIUS_M,
};
use daylight_domain::enterprise::OutletKind;
use daylight_domain::geo::{distance_m, LonLat};
use daylight_domain::station::StationKind;
use daylight_store::{Outlet, Station};

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

/// "Exceeding now" and the newest value of every enterprise with values: one rule for the
/// register, the map, the nearby lists and the live events.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct StatusNow {
    /// Some outlet's latest values has one over its limit, no older than [`RECENT_HOURS`].
    pub exceeding: BTreeSet<CreditCode>,
    pub latest: HashMap<CreditCode, DateTime<Utc>>,
}

impl StatusNow {
    /// From the limits and every outlet's values at its latest time stamp
    /// ([`Store::latest_outlet_readings`]).
    pub fn from_latest(
        limits: Vec<OutletLimit>,
        latest_values: &[OutletReading],
        now: DateTime<Utc>,
    ) -> Self {
        let limits: HashMap<(CreditCode, OutletCode, Pollutant), OutletLimit> = limits
            .into_iter()
            .map(|l| ((l.enterprise.clone(), l.outlet.clone(), l.pollutant), l))
            .collect();
        let mut status = Self::default();
        for r in latest_values {
            let key = (r.enterprise.clone(), r.outlet.clone(), r.pollutant);
            if limits.get(&key).is_some_and(|l| over_now(l, r, now)) {
                status.exceeding.insert(r.enterprise.clone());
            }
            let t = status.latest.entry(r.enterprise.clone()).or_insert(r.time);
            *t = (*t).max(r.time);
        }
        status
    }

    pub async fn read(store: &dyn Store, now: DateTime<Utc>) -> Result<Self, StoreError> {
        let limits = store.outlet_limits(None).await?;
        let latest = store.latest_outlet_readings().await?;
        Ok(Self::from_latest(limits, &latest, now))
    }
}

/// The map's enterprises: those with a position, by name.
pub fn enterprise_summaries(
    enterprises: &[Enterprise],
    status: &StatusNow,
) -> Vec<EnterpriseSummary> {
    enterprises
        .iter()
        .filter_map(|e| {
            let p = e.position?;
            Some(EnterpriseSummary {
                credit_code: e.credit_code.to_string(),
                name: e.name.clone(),
                lon: p.lon,
                lat: p.lat,
                district: e.district.clone(),
                industry: e.industry.clone(),
                demo: e.demo,
                exceeding_now: status.exceeding.contains(&e.credit_code),
                latest_time: status.latest.get(&e.credit_code).copied(),
            })
        })
        .collect()
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
    let StatusNow { exceeding, latest } = StatusNow::read(store, now).await?;
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
        base_url: None,
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

/// The enterprises a station's or section's page lists (issue 5, item 4), nearest first, at
/// most [`NEARBY_ENTERPRISES_SHOWN`].
///
/// A water section on a river looks first for water outlets whose `receiving_water` is that
/// river, within [`SAME_RIVER_RADIUS_M`]. Daylight has no river geometry (no course, no
/// direction of flow, no chainage), so it cannot tell upstream from downstream: these are the
/// candidates "on the same river", an outlet downstream of the section among them, and the
/// page says so. Measuring along the river would need its course; a straight line is what
/// is known. When the river has no such outlet (or the section names no river), the section
/// lists, like an air station, the outlets of its kind within [`NEARBY_RADIUS_M`]: water
/// outlets for a section, air outlets for an air station. An outlet without a position of its
/// own is taken to be at its enterprise's.
pub fn nearby_enterprises(
    station: &Station,
    enterprises: &[Enterprise],
    outlets: &[Outlet],
    status: &StatusNow,
) -> NearbyEnterprises {
    let kind = match station.kind {
        StationKind::Air => OutletKind::Air,
        StationKind::Water => OutletKind::Water,
    };
    let registry: HashMap<&CreditCode, &Enterprise> =
        enterprises.iter().map(|e| (&e.credit_code, e)).collect();
    let located: Vec<(&Outlet, &Enterprise, f64)> = outlets
        .iter()
        .filter(|o| o.kind == kind)
        .filter_map(|o| {
            let e = registry.get(&o.enterprise)?;
            let at = o.position.or(e.position)?;
            Some((o, *e, distance_m(station.position, at)))
        })
        .collect();
    let river = match station.kind {
        StationKind::Water => station
            .river
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty()),
        StationKind::Air => None,
    };
    let same_river: Vec<&(&Outlet, &Enterprise, f64)> = located
        .iter()
        .filter(|(o, _, d)| {
            river.is_some()
                && o.receiving_water.as_deref().map(str::trim) == river
                && *d <= SAME_RIVER_RADIUS_M
        })
        .collect();
    let (basis, chosen) = match river {
        Some(river) if !same_river.is_empty() => (
            NearbyBasis::SameRiver {
                river: river.to_string(),
            },
            same_river,
        ),
        _ => (
            NearbyBasis::Radius,
            located
                .iter()
                .filter(|(_, _, d)| *d <= NEARBY_RADIUS_M)
                .collect(),
        ),
    };
    let mut items: Vec<NearbyEnterprise> = Vec::new();
    for (outlet, e, distance) in chosen {
        let code = e.credit_code.to_string();
        match items.iter_mut().find(|n| n.credit_code == code) {
            Some(n) => {
                n.distance_m = n.distance_m.min(*distance);
                n.outlets.push(outlet.code.to_string());
            }
            None => items.push(NearbyEnterprise {
                credit_code: code,
                name: e.name.clone(),
                distance_m: *distance,
                exceeding_now: status.exceeding.contains(&e.credit_code),
                demo: e.demo,
                outlets: vec![outlet.code.to_string()],
            }),
        }
    }
    items.sort_by(|a, b| a.distance_m.total_cmp(&b.distance_m));
    items.truncate(NEARBY_ENTERPRISES_SHOWN);
    NearbyEnterprises { basis, items }
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

    fn enterprise(code: &str, lon: f64, lat: f64) -> Enterprise {
        Enterprise {
            credit_code: CreditCode::parse(code).unwrap(),
            name: code.to_string(),
            permit_number: String::new(),
            industry: String::new(),
            district: None,
            address: String::new(),
            position: Some(LonLat::new(lon, lat).unwrap()),
            key_unit: String::new(),
            demo: true,
            provenance: String::new(),
        }
    }

    fn outlet(owner: &str, code: &str, kind: OutletKind, river: Option<&str>) -> Outlet {
        Outlet {
            enterprise: CreditCode::parse(owner).unwrap(),
            code: OutletCode::parse(code).unwrap(),
            name: String::new(),
            kind,
            position: None,
            stack_height: None,
            receiving_water: river.map(str::to_string),
        }
    }

    const NEAR: &str = "91610112MA6DM00037";
    const FAR_ON_RIVER: &str = "91610124MA6DM0010B";
    const AIR: &str = "91610111MA6DM0001J";

    fn section(river: Option<&str>) -> Station {
        Station {
            river: river.map(str::to_string),
            ..station("W", StationKind::Water, 108.95, 34.27)
        }
    }

    fn registry() -> (Vec<Enterprise>, Vec<Outlet>) {
        let enterprises = vec![
            enterprise(NEAR, 108.96, 34.28),         // ~1.4 km
            enterprise(FAR_ON_RIVER, 109.15, 34.27), // ~18 km
            enterprise(AIR, 108.951, 34.27),         // ~0.1 km
        ];
        let outlets = vec![
            outlet(NEAR, "DW001", OutletKind::Water, None),
            outlet(FAR_ON_RIVER, "DW001", OutletKind::Water, Some("渭河")),
            outlet(AIR, "DA001", OutletKind::Air, None),
        ];
        (enterprises, outlets)
    }

    #[test]
    fn a_section_lists_the_outlets_on_its_river_before_those_merely_near() {
        let (enterprises, outlets) = registry();
        let status = StatusNow {
            exceeding: [CreditCode::parse(FAR_ON_RIVER).unwrap()].into(),
            ..StatusNow::default()
        };
        let on_river = nearby_enterprises(&section(Some(" 渭河")), &enterprises, &outlets, &status);
        assert_eq!(
            on_river.basis,
            NearbyBasis::SameRiver {
                river: "渭河".into()
            }
        );
        let codes: Vec<&str> = on_river
            .items
            .iter()
            .map(|n| n.credit_code.as_str())
            .collect();
        assert_eq!(codes, [FAR_ON_RIVER]);
        assert!(on_river.items[0].exceeding_now);
        assert!((on_river.items[0].distance_m - 18_400.0).abs() < 300.0);
        // Another river, or none: water outlets within 10 km, never an air stack.
        for river in [Some("灞河"), None] {
            let near = nearby_enterprises(&section(river), &enterprises, &outlets, &status);
            assert_eq!(near.basis, NearbyBasis::Radius);
            let codes: Vec<&str> = near.items.iter().map(|n| n.credit_code.as_str()).collect();
            assert_eq!(codes, [NEAR], "{river:?}");
            assert!(!near.items[0].exceeding_now);
        }
        // Beyond 30 km the river's outlets are not candidates.
        let far = Station {
            position: LonLat::new(108.5, 34.27).unwrap(),
            ..section(Some("渭河"))
        };
        let far = nearby_enterprises(&far, &enterprises, &outlets, &status);
        assert_eq!((far.basis, far.items.len()), (NearbyBasis::Radius, 0));
    }

    #[test]
    fn an_air_station_lists_the_air_outlets_within_the_radius() {
        let (enterprises, mut outlets) = registry();
        // A second stack of the same plant, 3 km away, counts once, at the nearer distance.
        outlets.push(Outlet {
            position: Some(LonLat::new(108.95, 34.297).unwrap()),
            ..outlet(AIR, "DA002", OutletKind::Air, None)
        });
        let station = station("A", StationKind::Air, 108.95, 34.27);
        let near = nearby_enterprises(&station, &enterprises, &outlets, &StatusNow::default());
        assert_eq!(near.basis, NearbyBasis::Radius);
        assert_eq!(near.items.len(), 1);
        assert_eq!(near.items[0].credit_code, AIR);
        assert_eq!(near.items[0].outlets, ["DA001", "DA002"]);
        assert!(near.items[0].distance_m < 200.0);
    }

    fn value(owner: &str, pollutant: Pollutant, hours_ago: i64, value: f64) -> OutletReading {
        OutletReading {
            enterprise: CreditCode::parse(owner).unwrap(),
            outlet: OutletCode::parse("DA001").unwrap(),
            pollutant,
            time: Utc::now() - Duration::hours(hours_ago),
            value,
            unit: daylight_domain::units::Unit::MilligramsPerCubicMetre,
            flag: daylight_domain::station::DataFlag::Normal,
            source: daylight_domain::station::DataSource::Simulated,
            provenance: String::new(),
        }
    }

    #[test]
    fn exceeding_now_needs_a_value_over_its_limit_within_three_hours() {
        let limit = |owner: &str| OutletLimit {
            enterprise: CreditCode::parse(owner).unwrap(),
            outlet: OutletCode::parse("DA001").unwrap(),
            pollutant: Pollutant::Nox,
            limit: daylight_domain::enterprise::Limit {
                value: 50.0,
                unit: daylight_domain::units::Unit::MilligramsPerCubicMetre,
                standard: "GB 13223-2011".into(),
                averaging: Averaging::Hourly,
            },
            method: Method::Automatic,
            frequency: Frequency::Hourly,
        };
        let limits = vec![limit(NEAR), limit(AIR), limit(FAR_ON_RIVER)];
        let values = [
            value(NEAR, Pollutant::Nox, 1, 60.0),
            // Over, but four hours old.
            value(AIR, Pollutant::Nox, 4, 60.0),
            // At the limit is not over; a pollutant without a limit is not judged.
            value(FAR_ON_RIVER, Pollutant::Nox, 0, 50.0),
            value(FAR_ON_RIVER, Pollutant::So2, 0, 500.0),
        ];
        let status = StatusNow::from_latest(limits, &values, Utc::now());
        let codes: Vec<&str> = status.exceeding.iter().map(|c| c.as_str()).collect();
        assert_eq!(codes, [NEAR]);
        assert_eq!(status.latest.len(), 3);
        let (enterprises, _) = registry();
        let summaries = enterprise_summaries(&enterprises, &status);
        assert_eq!(summaries.len(), 3);
        assert!(
            summaries
                .iter()
                .find(|s| s.credit_code == NEAR)
                .unwrap()
                .exceeding_now
        );
        assert!(
            !summaries
                .iter()
                .find(|s| s.credit_code == AIR)
                .unwrap()
                .exceeding_now
        );
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
