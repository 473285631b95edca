//! Filling the complaint pages from the store, and the evidence snapshot (server side only).

use std::collections::HashMap;

use chrono::{DateTime, Datelike, FixedOffset, Offset, Timelike, Utc};
use daylight_domain::aqi::AqiScale;
use daylight_domain::complaint::stats::{self, Month};
use daylight_domain::complaint::{coarsen, RawComplaint};
use daylight_domain::geo::{distance_m, LonLat};
use daylight_domain::station::StationKind;
use daylight_store::{Complaint, FollowToken, NoRandomness, StoreError, SubmissionKey};

use super::{
    AirEvidence, EvidenceSnapshot, FollowView, MonthlyStats, RegisterData, RegisterEntry,
    RegistryEntry, ReportForm, StatsLine, WaterEvidence, REGISTER_PAGE, REGISTRY_LISTED,
    SEARCH_RESULTS,
};
use crate::assess::{self, Status};
use crate::data::{latest_by_station, SiteContext};
use crate::model::ReadingView;

/// Air stations in the snapshot.
const NEAREST_AIR: usize = 3;

/// `now` in the display time zone as a `datetime-local` value (`2026-05-01T14:30`).
pub fn local_input_value(now: DateTime<Utc>, utc_offset_minutes: i32) -> String {
    let tz =
        FixedOffset::east_opt(utc_offset_minutes.saturating_mul(60)).unwrap_or_else(|| Utc.fix());
    let t = now.with_timezone(&tz);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute()
    )
}

/// An empty form with a new submission key and the time set to now.
pub fn fresh_form(site: &SiteContext) -> Result<ReportForm, NoRandomness> {
    Ok(ReportForm {
        key: SubmissionKey::generate()?.expose().to_owned(),
        draft: RawComplaint {
            observed: local_input_value(Utc::now(), site.utc_offset_minutes),
            ..RawComplaint::default()
        },
        problems: Vec::new(),
        unavailable: false,
        photo_problem: None,
        suspect: Default::default(),
        suspect_problem: None,
        registry: Vec::new(),
        tiles: site.tiles.clone(),
        area: None,
    })
}

/// The form with what it lists from the registry (for browsers without script). The form
/// still works when the registry cannot be read: the field is free text.
pub async fn with_registry(site: &SiteContext, mut form: ReportForm) -> ReportForm {
    match site.store.enterprises().await {
        Ok(all) => {
            form.registry = all
                .iter()
                .take(REGISTRY_LISTED)
                .map(registry_entry)
                .collect();
        }
        Err(error) => tracing::warn!(%error, "the registry is not listed on the report form"),
    }
    form.tiles = site.tiles.clone();
    form.area = match site.store.districts().await {
        Ok(districts) => districts
            .iter()
            .filter_map(|d| d.boundary.bbox())
            .reduce(daylight_domain::geo::BBox::union)
            .map(|b| (b.min.lat, b.min.lon, b.max.lat, b.max.lon)),
        Err(error) => {
            tracing::warn!(%error, "no district extent for the location picker");
            None
        }
    };
    form
}

fn registry_entry(e: &daylight_store::Enterprise) -> RegistryEntry {
    RegistryEntry {
        code: e.credit_code.to_string(),
        name: e.name.clone(),
        district: e.district.clone(),
    }
}

/// The form's enterprise search: enterprises whose name or credit code contains `query`
/// (case-insensitive, at most 100 characters used), exact matches first, at most
/// [`SEARCH_RESULTS`].
pub async fn search_registry(
    site: &SiteContext,
    query: &str,
) -> Result<Vec<RegistryEntry>, StoreError> {
    let q: String = query
        .trim()
        .chars()
        .take(100)
        .collect::<String>()
        .to_lowercase();
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let all = site.store.enterprises().await?;
    let mut found: Vec<(bool, &daylight_store::Enterprise)> = all
        .iter()
        .filter(|e| {
            e.name.to_lowercase().contains(&q) || e.credit_code.as_str().to_lowercase().contains(&q)
        })
        .map(|e| {
            let exact = e.name.to_lowercase() == q || e.credit_code.as_str().to_lowercase() == q;
            (!exact, e)
        })
        .collect();
    // Stable: exact matches first, then the registry's order (by name).
    found.sort_by_key(|(not_exact, _)| *not_exact);
    Ok(found
        .into_iter()
        .take(SEARCH_RESULTS)
        .map(|(_, e)| registry_entry(e))
        .collect())
}

/// What the monitoring network says near `location` right now: the nearest air stations
/// that have an hour of data, with their AQI on `scale`, and the nearest water section with
/// data, with its class. The same assessment as the map and station pages.
pub async fn evidence_snapshot(
    site: &SiteContext,
    location: LonLat,
    scale: AqiScale,
) -> Result<EvidenceSnapshot, StoreError> {
    let stations = latest_by_station(site.store.as_ref()).await?;
    let mut with_distance: Vec<(f64, &crate::model::StationLatest)> = stations
        .iter()
        .filter(|s| !s.latest.is_empty())
        .map(|s| {
            let at = LonLat {
                lon: s.station.lon,
                lat: s.station.lat,
            };
            (distance_m(location, at), s)
        })
        .collect();
    with_distance.sort_by(|a, b| a.0.total_cmp(&b.0));
    let air = with_distance
        .iter()
        .filter(|(_, s)| s.station.kind == StationKind::Air)
        .take(NEAREST_AIR)
        .map(|(distance, s)| {
            let readings: Vec<&ReadingView> = s.latest.iter().collect();
            let (aqi, primary) = match assess::status(&s.station, &readings, scale) {
                Status::Air(Ok(report)) => (Some(report.aqi), report.primary),
                _ => (None, Vec::new()),
            };
            AirEvidence {
                code: s.station.code.clone(),
                name: s.station.name.clone(),
                distance_m: distance.round(),
                time: readings.first().map(|r| r.time),
                aqi,
                primary,
                values: readings
                    .iter()
                    .filter(|r| r.flag.is_valid())
                    .map(|r| (r.parameter, r.value))
                    .collect(),
                source: assess::combined_source(&readings),
            }
        })
        .collect();
    let water = with_distance
        .iter()
        .find(|(_, s)| s.station.kind == StationKind::Water)
        .map(|(distance, s)| {
            let readings: Vec<&ReadingView> = s.latest.iter().collect();
            let assessment = match assess::status(&s.station, &readings, scale) {
                Status::Water(a) => a,
                _ => None,
            };
            WaterEvidence {
                code: s.station.code.clone(),
                name: s.station.name.clone(),
                distance_m: distance.round(),
                time: readings.first().map(|r| r.time),
                class: assessment.as_ref().map(|a| a.class),
                deciding: assessment.map(|a| a.deciding).unwrap_or_default(),
                source: assess::combined_source(&readings),
            }
        });
    Ok(EvidenceSnapshot {
        taken: Some(Utc::now()),
        scale: Some(scale),
        air,
        water,
        enterprise: None,
        nearby_enterprises: Vec::new(),
    })
}

/// District names by adcode.
pub async fn district_names(site: &SiteContext) -> Result<HashMap<String, String>, StoreError> {
    Ok(site
        .store
        .districts()
        .await?
        .into_iter()
        .map(|d| (d.adcode, d.name))
        .collect())
}

fn snapshot_of(complaint: &Complaint) -> EvidenceSnapshot {
    serde_json::from_value(complaint.evidence.clone()).unwrap_or_default()
}

/// The reporter's view of their complaint; None for a token that matches none.
pub async fn follow_view(
    site: &SiteContext,
    token: &str,
) -> Result<Option<FollowView>, StoreError> {
    let Some(token) = FollowToken::parse(token) else {
        return Ok(None);
    };
    let Some(complaint) = site.store.complaint_by_follow_hash(&token.hash()).await? else {
        return Ok(None);
    };
    let names = district_names(site).await?;
    let base = site.facts().base_url.unwrap_or_default();
    let events = site.store.complaint_events(complaint.id).await?;
    let of_kind = |kind: daylight_store::EventKind| {
        events
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| super::PublicReply {
                time: e.time,
                body: e.body.clone(),
            })
            .collect::<Vec<_>>()
    };
    let replies = of_kind(daylight_store::EventKind::PublicReply);
    let additions = of_kind(daylight_store::EventKind::ReporterAddition);
    Ok(Some(FollowView {
        tracking_code: complaint.tracking_code.to_string(),
        category: complaint.category,
        status: complaint.status,
        description: complaint.description.clone(),
        district: complaint
            .district
            .as_ref()
            .map(|adcode| names.get(adcode).cloned().unwrap_or_else(|| adcode.clone())),
        outside_city: complaint.outside_city,
        address: complaint.address.clone(),
        location: complaint.location.map(|p| (p.lon, p.lat)),
        submitted: complaint.created,
        observed: complaint.observed,
        evidence: snapshot_of(&complaint),
        utc_offset_minutes: site.utc_offset_minutes,
        follow_url: format!("{base}/report/follow/{}", token.expose()),
        replies,
        additions,
        suspect: complaint.suspect.clone(),
        photos: site
            .store
            .complaint_photos(complaint.id)
            .await?
            .iter()
            .map(|p| p.number)
            .collect(),
    }))
}

/// A complaint as the public may see it.
pub fn register_entry(complaint: &Complaint, names: &HashMap<String, String>) -> RegisterEntry {
    RegisterEntry {
        tracking_code: complaint.tracking_code.to_string(),
        category: complaint.category,
        status: complaint.status,
        district: complaint
            .district
            .as_ref()
            .map(|adcode| names.get(adcode).cloned().unwrap_or_else(|| adcode.clone())),
        outside_city: complaint.outside_city,
        submitted: complaint.created,
        coarse_location: complaint.location.map(coarsen).map(|p| (p.lon, p.lat)),
        photos: Vec::new(),
        enterprise: None,
    }
}

/// The monthly statistics of `month` (the current month when None), district names
/// resolved.
pub async fn monthly_stats(
    site: &SiteContext,
    names: &HashMap<String, String>,
    month: Option<Month>,
) -> Result<MonthlyStats, StoreError> {
    let now = Utc::now();
    let offset = site.utc_offset_minutes;
    let current = Month::of(now, offset);
    let month = month.filter(|m| *m <= current).unwrap_or(current);
    let (from, to) = month.range(offset);
    let timelines = site.store.complaint_timelines(from, to).await?;
    let rows = stats::monthly_stats(&timelines, &site.deadlines, now, offset)
        .into_iter()
        .map(|row| StatsLine {
            district: row
                .district
                .as_ref()
                .map(|adcode| names.get(adcode).cloned().unwrap_or_else(|| adcode.clone())),
            row,
        })
        .collect();
    Ok(MonthlyStats {
        month,
        previous: month.previous(),
        next: (month < current).then(|| month.next()),
        rows,
    })
}

/// The newest complaints for the public register, and the statistics of `month`.
pub async fn register(
    site: &SiteContext,
    month: Option<Month>,
) -> Result<RegisterData, StoreError> {
    let names = district_names(site).await?;
    let stats = monthly_stats(site, &names, month).await?;
    let complaints = site.store.complaints(REGISTER_PAGE, 0).await?;
    let ids: Vec<i64> = complaints.iter().map(|c| c.id).collect();
    let published = site.store.publishable_photos(&ids).await?;
    let found = found_enterprises(site, &complaints).await?;
    Ok(RegisterData {
        entries: complaints
            .iter()
            .map(|c| RegisterEntry {
                photos: published
                    .iter()
                    .filter(|p| p.complaint_id == c.id)
                    .map(|p| p.number)
                    .collect(),
                enterprise: found.get(&c.id).cloned(),
                ..register_entry(c, &names)
            })
            .collect(),
        total: site.store.complaint_count().await?,
        utc_offset_minutes: site.utc_offset_minutes,
        stats,
        tiles: site.tiles.clone(),
    })
}

/// The enterprises these complaints were found against, by complaint id: only complaints
/// closed as founded, only links to the registry (names as registered now).
pub async fn found_enterprises(
    site: &SiteContext,
    complaints: &[Complaint],
) -> Result<HashMap<i64, super::FoundEnterprise>, StoreError> {
    let founded: Vec<i64> = complaints
        .iter()
        .filter(|c| c.status == daylight_domain::complaint::Status::ClosedFounded)
        .map(|c| c.id)
        .collect();
    let mut names: HashMap<String, Option<String>> = HashMap::new();
    let mut found = HashMap::new();
    for (id, handling) in site.store.complaint_handling(&founded).await? {
        let Some(code) = handling.enterprise else {
            continue;
        };
        if !names.contains_key(code.as_str()) {
            let name = site.store.enterprise(&code).await?.map(|e| e.name);
            names.insert(code.to_string(), name);
        }
        if let Some(Some(name)) = names.get(code.as_str()) {
            found.insert(
                id,
                super::FoundEnterprise {
                    code: code.to_string(),
                    name: name.clone(),
                },
            );
        }
    }
    Ok(found)
}

/// The complaints found against an enterprise, for its public page (most recent first).
pub async fn found_against(
    site: &SiteContext,
    code: &str,
) -> Result<super::FoundAgainst, StoreError> {
    let complaints = match daylight_domain::enterprise::CreditCode::parse(code) {
        Ok(code) => site
            .store
            .complaints_found_against(&code, super::FOUND_SHOWN)
            .await?
            .into_iter()
            .map(|f| super::FoundComplaint {
                tracking_code: f.complaint.tracking_code.to_string(),
                category: f.complaint.category,
                submitted: f.complaint.created,
                found: f.found,
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    Ok(super::FoundAgainst {
        complaints,
        utc_offset_minutes: site.utc_offset_minutes,
    })
}
