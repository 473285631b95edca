//! Computing the enterprise views from the store (server side; also used by the JSON API).

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, Offset, TimeZone, Utc};
use daylight_domain::enterprise::{
    completeness, daily_means, exceedances, exceedances_every, Averaging, CreditCode, Method,
    OutletCode, Pollutant,
};
use daylight_store::{
    Enterprise, OutletLimit, OutletReading, Statement, Store, StoreError, TimeRange,
};

use super::{
    EnterpriseInfo, EnterpriseList, EnterprisePageData, EnterpriseRow, ExceedanceView, LatestValue,
    ManualResultView, MonitoredView, MonthView, OutletView, StatementView, MANUAL_SHOWN,
    RECENT_HOURS,
};

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

/// One enterprise's page: outlets with their latest values against the limits, the
/// exceedance events and the completeness of the last [`WINDOW_DAYS`]. None: no such
/// enterprise.
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
    let from = now - Duration::days(WINDOW_DAYS);
    let outlets = store.outlets(Some(&code)).await?;
    let limits = store.outlet_limits(Some(&code)).await?;
    let readings = store
        .outlet_readings(
            &code,
            TimeRange {
                from,
                to: now + Duration::hours(1),
            },
        )
        .await?;
    // Readings come by outlet, pollutant, time: one slice per series.
    let mut series: HashMap<(&OutletCode, Pollutant), &[OutletReading]> = HashMap::new();
    let mut start = 0;
    for i in 1..=readings.len() {
        let boundary = i == readings.len()
            || (&readings[i].outlet, readings[i].pollutant)
                != (&readings[start].outlet, readings[start].pollutant);
        if boundary {
            series.insert(
                (&readings[start].outlet, readings[start].pollutant),
                &readings[start..i],
            );
            start = i;
        }
    }
    let mut sources: Vec<_> = readings.iter().map(|r| r.source).collect();
    sources.sort_by_key(|s| s.as_str());
    sources.dedup();
    let mut events = Vec::new();
    let mut outlet_views = Vec::new();
    for outlet in &outlets {
        let mut monitored = Vec::new();
        for l in limits.iter().filter(|l| l.outlet == outlet.code) {
            let values = series
                .get(&(&outlet.code, l.pollutant))
                .copied()
                .unwrap_or(&[]);
            let points: Vec<(DateTime<Utc>, f64)> =
                values.iter().map(|r| (r.time, r.value)).collect();
            let found = match (l.method, l.limit.averaging) {
                // A manual result stands alone: each one over the limit is an event.
                (Method::Manual, _) => exceedances_every(&points, l.limit.value, Duration::zero()),
                (_, Averaging::Hourly) => exceedances(&points, l.limit.value),
                (_, Averaging::Daily) => {
                    exceedances_every(&daily_means(&points, tz), l.limit.value, Duration::days(1))
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
            let latest = values.last().map(|r| LatestValue {
                time: r.time,
                value: r.value,
                ratio: l.limit.ratio(r.value),
                multiple: l.limit.exceedance_multiple(r.value),
                flag: r.flag,
                source: r.source,
            });
            let exceeding_now = values.last().is_some_and(|r| over_now(l, r, now));
            // Expected from the month of the first value in the window (the current month
            // when there is none): missing data is disclosed, not hidden.
            let begin = month_start(values.first().map(|r| r.time).unwrap_or(now), tz).max(from);
            let times: Vec<DateTime<Utc>> = values.iter().map(|r| r.time).collect();
            let months = completeness(&times, l.frequency, begin, now, tz)
                .into_iter()
                .map(|m| MonthView {
                    year: m.year,
                    month: m.month,
                    expected: m.expected,
                    received: m.received,
                })
                .collect();
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
    Ok(Some(EnterprisePageData {
        info: info(&enterprise),
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
