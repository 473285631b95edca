//! A read-through cache in front of any [`Store`], for the hot read paths of page rendering
//! (station list, latest values, a station's recent window).
//!
//! Writes made through this instance clear the cache at once. Writes made by another
//! instance on a shared database become visible after at most `ttl`, so nothing correct
//! depends on this process's memory: it only saves repeated queries.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use daylight_domain::parameter::Parameter;
use daylight_domain::station::StationCode;

use crate::{Complaint, ComplaintEvent, NewComplaint, Submitted};
use crate::{
    District, ImportCounts, IngestToken, Logger, Reading, Result, SourceName, Station, Store,
    TimeRange, TokenHash,
};

/// Upper bound on cached reading windows; beyond it the window cache starts afresh.
const MAX_WINDOWS: usize = 512;

type WindowKey = (StationCode, i64, i64, Option<Parameter>);

#[derive(Default)]
struct Entries {
    stations: Option<(Instant, Arc<Vec<Station>>)>,
    latest: Option<(Instant, Arc<Vec<Reading>>)>,
    latest_time: HashMap<StationCode, (Instant, Option<DateTime<Utc>>)>,
    windows: HashMap<WindowKey, (Instant, Arc<Vec<Reading>>)>,
    districts: Option<(Instant, Arc<Vec<District>>)>,
}

pub struct CachedStore<S> {
    inner: S,
    ttl: Duration,
    entries: Mutex<Entries>,
}

impl<S: Store> CachedStore<S> {
    pub fn new(inner: S, ttl: Duration) -> Self {
        Self {
            inner,
            ttl,
            entries: Mutex::new(Entries::default()),
        }
    }

    fn entries(&self) -> MutexGuard<'_, Entries> {
        // A panic while holding the lock cannot leave the cache inconsistent in a way that
        // matters (it only holds copies), so a poisoned lock is simply taken over.
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn fresh<T: Clone>(&self, slot: &Option<(Instant, T)>) -> Option<T> {
        slot.as_ref()
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, v)| v.clone())
    }

    fn invalidate(&self) {
        *self.entries() = Entries::default();
    }

    /// After a write of values: stations and districts are unchanged, and are read on every
    /// ingested packet, so they stay.
    fn invalidate_values(&self) {
        let mut entries = self.entries();
        entries.latest = None;
        entries.latest_time.clear();
        entries.windows.clear();
    }
}

#[async_trait]
impl<S: Store> Store for CachedStore<S> {
    async fn upsert_stations(&self, stations: &[Station]) -> Result<ImportCounts> {
        let result = self.inner.upsert_stations(stations).await;
        self.invalidate();
        result
    }

    async fn stations(&self) -> Result<Vec<Station>> {
        if let Some(hit) = self.fresh(&self.entries().stations) {
            return Ok(hit.as_ref().clone());
        }
        let value = Arc::new(self.inner.stations().await?);
        self.entries().stations = Some((Instant::now(), value.clone()));
        Ok(value.as_ref().clone())
    }

    async fn station(&self, code: &StationCode) -> Result<Option<Station>> {
        // Looked up for every ingested packet: clone the one station, not the list.
        if let Some(hit) = self.fresh(&self.entries().stations) {
            return Ok(hit.iter().find(|s| &s.code == code).cloned());
        }
        Ok(self.stations().await?.into_iter().find(|s| &s.code == code))
    }

    async fn upsert_readings(&self, readings: &[Reading]) -> Result<ImportCounts> {
        let result = self.inner.upsert_readings(readings).await;
        self.invalidate_values();
        result
    }

    async fn ingest_readings(&self, readings: &[Reading]) -> Result<()> {
        let result = self.inner.ingest_readings(readings).await;
        self.invalidate_values();
        result
    }

    async fn upsert_derived_readings(&self, readings: &[Reading]) -> Result<ImportCounts> {
        let result = self.inner.upsert_derived_readings(readings).await;
        self.invalidate_values();
        result
    }

    // Samples are read only to aggregate them, right after they are written: not cached.
    async fn upsert_samples(&self, samples: &[Reading]) -> Result<ImportCounts> {
        self.inner.upsert_samples(samples).await
    }

    async fn samples(
        &self,
        code: &StationCode,
        range: TimeRange,
        parameter: Option<Parameter>,
    ) -> Result<Vec<Reading>> {
        self.inner.samples(code, range, parameter).await
    }

    async fn readings(
        &self,
        code: &StationCode,
        range: TimeRange,
        parameter: Option<Parameter>,
    ) -> Result<Vec<Reading>> {
        let key = (
            code.clone(),
            range.from.timestamp(),
            range.to.timestamp(),
            parameter,
        );
        {
            let entries = self.entries();
            if let Some((at, hit)) = entries.windows.get(&key) {
                if at.elapsed() < self.ttl {
                    return Ok(hit.as_ref().clone());
                }
            }
        }
        let value = Arc::new(self.inner.readings(code, range, parameter).await?);
        let mut entries = self.entries();
        if entries.windows.len() >= MAX_WINDOWS {
            entries.windows.clear();
        }
        entries.windows.insert(key, (Instant::now(), value.clone()));
        Ok(value.as_ref().clone())
    }

    async fn latest_readings(&self) -> Result<Vec<Reading>> {
        if let Some(hit) = self.fresh(&self.entries().latest) {
            return Ok(hit.as_ref().clone());
        }
        let value = Arc::new(self.inner.latest_readings().await?);
        self.entries().latest = Some((Instant::now(), value.clone()));
        Ok(value.as_ref().clone())
    }

    async fn latest_time(&self, code: &StationCode) -> Result<Option<DateTime<Utc>>> {
        if let Some((at, hit)) = self.entries().latest_time.get(code) {
            if at.elapsed() < self.ttl {
                return Ok(*hit);
            }
        }
        let value = self.inner.latest_time(code).await?;
        self.entries()
            .latest_time
            .insert(code.clone(), (Instant::now(), value));
        Ok(value)
    }

    async fn upsert_districts(&self, districts: &[District]) -> Result<ImportCounts> {
        let result = self.inner.upsert_districts(districts).await;
        self.invalidate();
        result
    }

    async fn districts(&self) -> Result<Vec<District>> {
        if let Some(hit) = self.fresh(&self.entries().districts) {
            return Ok(hit.as_ref().clone());
        }
        let value = Arc::new(self.inner.districts().await?);
        self.entries().districts = Some((Instant::now(), value.clone()));
        Ok(value.as_ref().clone())
    }

    // Loggers are not cached: the gateway looks one up per packet, and a registration
    // changed by the CLI (another process) must take effect at once, not after `ttl`.
    async fn upsert_logger(&self, logger: &Logger) -> Result<()> {
        self.inner.upsert_logger(logger).await
    }

    async fn logger(&self, mn: &str) -> Result<Option<Logger>> {
        self.inner.logger(mn).await
    }

    async fn loggers(&self) -> Result<Vec<Logger>> {
        self.inner.loggers().await
    }

    async fn remove_logger(&self, mn: &str) -> Result<bool> {
        self.inner.remove_logger(mn).await
    }

    // Push tokens are not cached either: a token revoked with the CLI (another process)
    // must stop working with the next request.
    async fn add_ingest_token(&self, token: &IngestToken, hash: &TokenHash) -> Result<()> {
        self.inner.add_ingest_token(token, hash).await
    }

    async fn ingest_token_by_hash(&self, hash: &TokenHash) -> Result<Option<IngestToken>> {
        self.inner.ingest_token_by_hash(hash).await
    }

    async fn ingest_tokens(&self) -> Result<Vec<IngestToken>> {
        self.inner.ingest_tokens().await
    }

    async fn remove_ingest_token(&self, name: &SourceName) -> Result<bool> {
        self.inner.remove_ingest_token(name).await
    }

    // Complaints are not cached: a resident opens their follow-up link right after
    // submitting, and the public pages in front of them have their own micro-cache.
    async fn submit_complaint(&self, complaint: &NewComplaint) -> Result<Submitted> {
        self.inner.submit_complaint(complaint).await
    }

    async fn complaint_by_follow_hash(&self, hash: &TokenHash) -> Result<Option<Complaint>> {
        self.inner.complaint_by_follow_hash(hash).await
    }

    async fn complaint_by_code(
        &self,
        code: &daylight_domain::complaint::TrackingCode,
    ) -> Result<Option<Complaint>> {
        self.inner.complaint_by_code(code).await
    }

    async fn complaints(&self, limit: u32, offset: u32) -> Result<Vec<Complaint>> {
        self.inner.complaints(limit, offset).await
    }

    async fn complaint_count(&self) -> Result<u64> {
        self.inner.complaint_count().await
    }

    async fn complaint_timelines(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<daylight_domain::complaint::stats::Timeline>> {
        self.inner.complaint_timelines(from, to).await
    }

    async fn complaint_events(&self, complaint_id: i64) -> Result<Vec<ComplaintEvent>> {
        self.inner.complaint_events(complaint_id).await
    }

    async fn submit_complaint_with_photos(
        &self,
        complaint: &NewComplaint,
        photos: &[daylight_domain::complaint::photo::Photo],
    ) -> Result<Submitted> {
        self.inner
            .submit_complaint_with_photos(complaint, photos)
            .await
    }

    async fn complaint_photos(&self, complaint_id: i64) -> Result<Vec<crate::PhotoInfo>> {
        self.inner.complaint_photos(complaint_id).await
    }

    async fn publishable_photos(&self, complaint_ids: &[i64]) -> Result<Vec<crate::PhotoInfo>> {
        self.inner.publishable_photos(complaint_ids).await
    }

    async fn complaint_photo(
        &self,
        complaint_id: i64,
        number: u32,
        copy: crate::PhotoCopy,
    ) -> Result<Option<(crate::PhotoInfo, Vec<u8>)>> {
        self.inner.complaint_photo(complaint_id, number, copy).await
    }

    async fn set_photo_publishable(
        &self,
        complaint_id: i64,
        number: u32,
        publishable: bool,
        actor: &str,
        time: DateTime<Utc>,
    ) -> Result<Option<crate::PhotoInfo>> {
        self.inner
            .set_photo_publishable(complaint_id, number, publishable, actor, time)
            .await
    }

    async fn add_admin(
        &self,
        username: &str,
        role: &crate::Role,
        password_hash: &str,
        created: DateTime<Utc>,
    ) -> Result<bool> {
        self.inner
            .add_admin(username, role, password_hash, created)
            .await
    }

    async fn admins(&self) -> Result<Vec<crate::Admin>> {
        self.inner.admins().await
    }

    async fn remove_admin(&self, username: &str) -> Result<bool> {
        self.inner.remove_admin(username).await
    }

    async fn admin_credentials(&self, username: &str) -> Result<Option<(crate::Admin, String)>> {
        self.inner.admin_credentials(username).await
    }

    async fn create_admin_session(
        &self,
        id_hash: &TokenHash,
        admin_id: i64,
        csrf: &str,
        expires: DateTime<Utc>,
    ) -> Result<()> {
        self.inner
            .create_admin_session(id_hash, admin_id, csrf, expires)
            .await
    }

    async fn admin_session(
        &self,
        id_hash: &TokenHash,
        now: DateTime<Utc>,
    ) -> Result<Option<crate::AdminSession>> {
        self.inner.admin_session(id_hash, now).await
    }

    async fn end_admin_session(&self, id_hash: &TokenHash) -> Result<()> {
        self.inner.end_admin_session(id_hash).await
    }

    async fn complaint_queue(
        &self,
        filter: &crate::QueueFilter,
        limit: u32,
    ) -> Result<Vec<crate::QueueItem>> {
        self.inner.complaint_queue(filter, limit).await
    }

    async fn act_on_complaint(
        &self,
        action: &crate::ComplaintAction,
    ) -> Result<Option<ComplaintEvent>> {
        self.inner.act_on_complaint(action).await
    }

    async fn verify_audit_chain(&self) -> Result<crate::AuditReport> {
        self.inner.verify_audit_chain().await
    }

    // Assignment and findings (issue 6): uncached, like the rest of the back office.
    async fn complaint_handling(
        &self,
        complaint_ids: &[i64],
    ) -> Result<Vec<(i64, crate::Handling)>> {
        self.inner.complaint_handling(complaint_ids).await
    }

    async fn assign_complaint(
        &self,
        assignment: &crate::Assignment,
    ) -> Result<crate::AssignOutcome> {
        self.inner.assign_complaint(assignment).await
    }

    async fn record_finding(&self, finding: &crate::Finding) -> Result<crate::FindingOutcome> {
        self.inner.record_finding(finding).await
    }

    async fn complaints_found_against(
        &self,
        enterprise: &daylight_domain::enterprise::CreditCode,
        limit: u32,
    ) -> Result<Vec<crate::FoundComplaint>> {
        self.inner.complaints_found_against(enterprise, limit).await
    }

    async fn complaints_after(&self, after: i64, limit: u32) -> Result<Vec<crate::QueueItem>> {
        self.inner.complaints_after(after, limit).await
    }

    async fn last_complaint_id(&self) -> Result<i64> {
        self.inner.last_complaint_id().await
    }

    // Enterprises (issue 5): passed through uncached; the pages' micro-cache in front of
    // the server is enough for now.
    async fn upsert_enterprises(&self, enterprises: &[crate::Enterprise]) -> Result<ImportCounts> {
        self.inner.upsert_enterprises(enterprises).await
    }

    async fn enterprises(&self) -> Result<Vec<crate::Enterprise>> {
        self.inner.enterprises().await
    }

    async fn enterprise(
        &self,
        code: &daylight_domain::enterprise::CreditCode,
    ) -> Result<Option<crate::Enterprise>> {
        self.inner.enterprise(code).await
    }

    async fn upsert_outlets(&self, outlets: &[crate::Outlet]) -> Result<ImportCounts> {
        self.inner.upsert_outlets(outlets).await
    }

    async fn outlets(
        &self,
        enterprise: Option<&daylight_domain::enterprise::CreditCode>,
    ) -> Result<Vec<crate::Outlet>> {
        self.inner.outlets(enterprise).await
    }

    async fn upsert_outlet_limits(&self, limits: &[crate::OutletLimit]) -> Result<ImportCounts> {
        self.inner.upsert_outlet_limits(limits).await
    }

    async fn outlet_limits(
        &self,
        enterprise: Option<&daylight_domain::enterprise::CreditCode>,
    ) -> Result<Vec<crate::OutletLimit>> {
        self.inner.outlet_limits(enterprise).await
    }

    async fn upsert_outlet_readings(
        &self,
        readings: &[crate::OutletReading],
    ) -> Result<ImportCounts> {
        self.inner.upsert_outlet_readings(readings).await
    }

    async fn outlet_readings(
        &self,
        enterprise: &daylight_domain::enterprise::CreditCode,
        range: TimeRange,
    ) -> Result<Vec<crate::OutletReading>> {
        self.inner.outlet_readings(enterprise, range).await
    }

    async fn latest_outlet_readings(&self) -> Result<Vec<crate::OutletReading>> {
        self.inner.latest_outlet_readings().await
    }

    async fn outlet_values_over_limit(
        &self,
        enterprise: &daylight_domain::enterprise::CreditCode,
        range: TimeRange,
    ) -> Result<Vec<crate::OutletSeries>> {
        self.inner.outlet_values_over_limit(enterprise, range).await
    }

    async fn outlet_recent(
        &self,
        enterprise: &daylight_domain::enterprise::CreditCode,
        range: TimeRange,
    ) -> Result<Vec<crate::OutletSeries>> {
        self.inner.outlet_recent(enterprise, range).await
    }

    async fn outlet_months(
        &self,
        enterprise: &daylight_domain::enterprise::CreditCode,
        from_day: i64,
        to_day: i64,
    ) -> Result<Vec<crate::OutletMonth>> {
        self.inner.outlet_months(enterprise, from_day, to_day).await
    }

    async fn outlet_days_over_daily_limit(
        &self,
        enterprise: &daylight_domain::enterprise::CreditCode,
        from_day: i64,
        to_day: i64,
        min_values: u32,
    ) -> Result<Vec<crate::OutletDay>> {
        self.inner
            .outlet_days_over_daily_limit(enterprise, from_day, to_day, min_values)
            .await
    }

    async fn set_outlet_day_offset(&self, seconds: i32) -> Result<bool> {
        self.inner.set_outlet_day_offset(seconds).await
    }

    async fn add_open311_key(
        &self,
        name: &SourceName,
        hash: &TokenHash,
        created: DateTime<Utc>,
    ) -> Result<bool> {
        self.inner.add_open311_key(name, hash, created).await
    }

    async fn open311_key_by_hash(&self, hash: &TokenHash) -> Result<Option<crate::Open311Key>> {
        self.inner.open311_key_by_hash(hash).await
    }

    async fn open311_keys(&self) -> Result<Vec<crate::Open311Key>> {
        self.inner.open311_keys().await
    }

    async fn remove_open311_key(&self, name: &SourceName) -> Result<bool> {
        self.inner.remove_open311_key(name).await
    }

    async fn open311_requests(
        &self,
        selection: &crate::RequestSelection,
    ) -> Result<Vec<crate::RequestRecord>> {
        self.inner.open311_requests(selection).await
    }

    async fn add_enterprise_user(
        &self,
        username: &str,
        enterprise: &daylight_domain::enterprise::CreditCode,
        display_name: &str,
        password_hash: &str,
        created: DateTime<Utc>,
    ) -> Result<bool> {
        self.inner
            .add_enterprise_user(username, enterprise, display_name, password_hash, created)
            .await
    }

    async fn enterprise_users(&self) -> Result<Vec<crate::EnterpriseUser>> {
        self.inner.enterprise_users().await
    }

    async fn remove_enterprise_user(&self, username: &str) -> Result<bool> {
        self.inner.remove_enterprise_user(username).await
    }

    async fn enterprise_user_credentials(
        &self,
        username: &str,
    ) -> Result<Option<(crate::EnterpriseUser, String)>> {
        self.inner.enterprise_user_credentials(username).await
    }

    async fn create_enterprise_session(
        &self,
        id_hash: &TokenHash,
        user: &crate::EnterpriseUser,
        csrf: &str,
        expires: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.inner
            .create_enterprise_session(id_hash, user, csrf, expires, now)
            .await
    }

    async fn enterprise_session(
        &self,
        id_hash: &TokenHash,
        now: DateTime<Utc>,
    ) -> Result<Option<crate::EnterpriseSession>> {
        self.inner.enterprise_session(id_hash, now).await
    }

    async fn end_enterprise_session(&self, id_hash: &TokenHash) -> Result<()> {
        self.inner.end_enterprise_session(id_hash).await
    }

    async fn record_manual_results(
        &self,
        user: &crate::EnterpriseUser,
        results: &[crate::NewManualResult],
        now: DateTime<Utc>,
    ) -> Result<Vec<crate::AuditRecord>> {
        self.inner.record_manual_results(user, results, now).await
    }

    async fn manual_results(
        &self,
        enterprise: &daylight_domain::enterprise::CreditCode,
        since: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<crate::ManualResult>> {
        self.inner.manual_results(enterprise, since, limit).await
    }

    async fn publish_statement(
        &self,
        user: &crate::EnterpriseUser,
        statement: &crate::NewStatement,
        now: DateTime<Utc>,
    ) -> Result<crate::Statement> {
        self.inner.publish_statement(user, statement, now).await
    }

    async fn statements(
        &self,
        enterprise: &daylight_domain::enterprise::CreditCode,
    ) -> Result<Vec<crate::Statement>> {
        self.inner.statements(enterprise).await
    }

    async fn enterprise_audit(
        &self,
        enterprise: &daylight_domain::enterprise::CreditCode,
        limit: u32,
    ) -> Result<Vec<crate::AuditRecord>> {
        self.inner.enterprise_audit(enterprise, limit).await
    }

    async fn verify_enterprise_audit_chain(&self) -> Result<crate::EnterpriseAuditReport> {
        self.inner.verify_enterprise_audit_chain().await
    }

    // Snapshots are written once and read by permalink: nothing to cache or invalidate.
    async fn create_snapshot(&self, snapshot: &crate::Snapshot) -> Result<bool> {
        self.inner.create_snapshot(snapshot).await
    }

    async fn snapshot(&self, id: &crate::SnapshotId) -> Result<Option<crate::Snapshot>> {
        self.inner.snapshot(id).await
    }

    async fn is_empty(&self) -> Result<bool> {
        self.inner.is_empty().await
    }
}
