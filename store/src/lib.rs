//! Daylight's storage. Callers hold an `Arc<dyn Store>`; the SQLite implementation ships
//! first, and a PostgreSQL one can be added behind the same trait without touching callers.

mod admin;
mod cache;
mod complaint;
mod enterprise;
mod enterprise_accounts;
mod error;
mod handling;
mod model;
mod open311;
mod photo;
mod snapshot;
mod sqlite;
mod token;

pub use admin::{
    canonical, chain_hash, random_secret, valid_username, Admin, AdminSession, AuditReport,
    BrokenRecord, ChainedEvent, ComplaintAction, QueueScope, Role, SessionId,
};
pub use cache::CachedStore;
pub use complaint::{
    random_tracking_code, Complaint, ComplaintEvent, EventKind, FollowToken, NewComplaint,
    SubmissionKey, Submitted,
};
pub use enterprise::{
    Enterprise, Outlet, OutletDay, OutletLimit, OutletMonth, OutletReading, OutletSeries,
};
pub use enterprise_accounts::{
    audit_canonical, audit_hash, AuditAction, AuditRecord, ChainedAudit, EnterpriseAuditReport,
    EnterpriseSession, EnterpriseUser, ManualResult, NewManualResult, NewStatement, Statement,
};
pub use error::StoreError;
pub use handling::{
    may_be_assigned, AssignOutcome, AssigneeFilter, Assignment, Change, Finding, FindingOutcome,
    FoundComplaint, Handling, QueueFilter, QueueItem,
};
pub use model::{
    District, ImportCounts, IngestToken, InvalidSourceName, Logger, LoggerTarget, Reading,
    SourceName, Station, StationScope, TimeRange,
};
pub use open311::{open311_submission_key, Open311Key, RequestRecord, RequestSelection};
pub use photo::{PhotoCopy, PhotoInfo};
pub use snapshot::{Snapshot, SnapshotId, SNAPSHOT_ID_LEN};
pub use sqlite::SqliteStore;
pub use token::{IngestSecret, NoRandomness, TokenHash};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use daylight_domain::parameter::Parameter;
use daylight_domain::station::StationCode;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Everything Daylight persists. Writes of a batch are atomic: all of it or nothing.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Inserts new stations and updates changed ones, in one transaction.
    async fn upsert_stations(&self, stations: &[Station]) -> Result<ImportCounts>;
    async fn stations(&self) -> Result<Vec<Station>>;
    async fn station(&self, code: &StationCode) -> Result<Option<Station>>;

    /// Inserts new readings and replaces changed ones, in one transaction. Every reading's
    /// station must exist, or nothing is written.
    async fn upsert_readings(&self, readings: &[Reading]) -> Result<ImportCounts>;
    /// [`Store::upsert_readings`] without working out what changed: the live ingest path,
    /// where nobody reads the counts and they cost a query per batch.
    async fn ingest_readings(&self, readings: &[Reading]) -> Result<()>;
    /// Stores hourly values derived from samples, in one transaction. They fill hours that
    /// have no reported value and replace earlier derived ones, never a reported value (which
    /// in turn always replaces a derived one).
    async fn upsert_derived_readings(&self, readings: &[Reading]) -> Result<ImportCounts>;
    /// Stores sub-hourly samples (HJ 212 real-time and minute values), in one transaction,
    /// idempotently like readings. Their `time` is the sample's own time.
    async fn upsert_samples(&self, samples: &[Reading]) -> Result<ImportCounts>;
    /// Samples of one station in `[from, to)`, oldest first, optionally of one parameter.
    async fn samples(
        &self,
        code: &StationCode,
        range: TimeRange,
        parameter: Option<Parameter>,
    ) -> Result<Vec<Reading>>;
    /// Readings of one station in `[from, to)`, oldest first, optionally of one parameter.
    async fn readings(
        &self,
        code: &StationCode,
        range: TimeRange,
        parameter: Option<Parameter>,
    ) -> Result<Vec<Reading>>;
    /// For every station that has readings, all readings at its most recent time stamp.
    async fn latest_readings(&self) -> Result<Vec<Reading>>;
    /// The time of a station's most recent reading.
    async fn latest_time(&self, code: &StationCode) -> Result<Option<DateTime<Utc>>>;

    async fn upsert_districts(&self, districts: &[District]) -> Result<ImportCounts>;
    async fn districts(&self) -> Result<Vec<District>>;

    /// Registers a data logger or replaces the registration with the same MN. The station
    /// must exist ([`StoreError::UnknownStation`] otherwise).
    async fn upsert_logger(&self, logger: &Logger) -> Result<()>;
    /// The logger with this MN, if registered.
    async fn logger(&self, mn: &str) -> Result<Option<Logger>>;
    /// Every registered logger, by MN.
    async fn loggers(&self) -> Result<Vec<Logger>>;
    /// Unregisters a logger; false when none had this MN.
    async fn remove_logger(&self, mn: &str) -> Result<bool>;

    /// Issues a push token: `token` is stored under `hash`, the SHA-256 of the secret the
    /// source will send. A name already in use is [`StoreError::TokenNameTaken`] (tokens are
    /// rotated by issuing one under a new name and removing the old one); a station of a
    /// restricted scope that does not exist is [`StoreError::UnknownStation`]. Nothing is
    /// stored on error.
    async fn add_ingest_token(&self, token: &IngestToken, hash: &TokenHash) -> Result<()>;
    /// The token whose secret has this hash, if any.
    async fn ingest_token_by_hash(&self, hash: &TokenHash) -> Result<Option<IngestToken>>;
    /// Every push token, by name.
    async fn ingest_tokens(&self) -> Result<Vec<IngestToken>>;
    /// Revokes a push token; false when none had this name.
    async fn remove_ingest_token(&self, name: &SourceName) -> Result<bool>;

    /// Stores a complaint with its first event (status received), in one transaction. A
    /// complaint with the same idempotency hash is returned as [`Submitted::Existing`] and
    /// nothing is written; a tracking code already in use is
    /// [`StoreError::TrackingCodeTaken`] (draw another and retry).
    async fn submit_complaint(&self, complaint: &NewComplaint) -> Result<Submitted>;
    /// The complaint whose follow-up token has this hash.
    async fn complaint_by_follow_hash(&self, hash: &TokenHash) -> Result<Option<Complaint>>;
    async fn complaint_by_code(
        &self,
        code: &daylight_domain::complaint::TrackingCode,
    ) -> Result<Option<Complaint>>;
    /// Complaints, newest first, `limit` of them after skipping `offset`.
    async fn complaints(&self, limit: u32, offset: u32) -> Result<Vec<Complaint>>;
    /// How many complaints are stored.
    async fn complaint_count(&self) -> Result<u64>;
    /// The complaints submitted in `[from, to)` with the times of their first status change
    /// and of their closing: what the register's monthly statistics are computed from.
    async fn complaint_timelines(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<daylight_domain::complaint::stats::Timeline>>;
    /// A complaint's history, oldest first.
    async fn complaint_events(&self, complaint_id: i64) -> Result<Vec<ComplaintEvent>>;
    /// [`Store::submit_complaint`] with photos, numbered 1, 2, … in order and stored in the
    /// complaint's transaction: the complaint and all its photos, or nothing. A repeated
    /// submission ([`Submitted::Existing`]) stores none of them again.
    async fn submit_complaint_with_photos(
        &self,
        complaint: &NewComplaint,
        photos: &[daylight_domain::complaint::photo::Photo],
    ) -> Result<Submitted>;
    /// A complaint's photos by number, without their bytes.
    async fn complaint_photos(&self, complaint_id: i64) -> Result<Vec<PhotoInfo>>;
    /// The photos officers marked publishable among these complaints' (for the register).
    async fn publishable_photos(&self, complaint_ids: &[i64]) -> Result<Vec<PhotoInfo>>;
    /// One copy of one photo, with what is known about it.
    async fn complaint_photo(
        &self,
        complaint_id: i64,
        number: u32,
        copy: PhotoCopy,
    ) -> Result<Option<(PhotoInfo, Vec<u8>)>>;
    /// An officer's decision whether the public may see a photo, recorded on the audit
    /// chain (as a note by `actor`) in the same transaction; a decision that changes
    /// nothing is not recorded. None: no such photo.
    async fn set_photo_publishable(
        &self,
        complaint_id: i64,
        number: u32,
        publishable: bool,
        actor: &str,
        time: DateTime<Utc>,
    ) -> Result<Option<PhotoInfo>>;

    /// Adds a back-office account; false when the user name is taken (nothing changed).
    async fn add_admin(
        &self,
        username: &str,
        role: &Role,
        password_hash: &str,
        created: DateTime<Utc>,
    ) -> Result<bool>;
    /// Every account, by user name.
    async fn admins(&self) -> Result<Vec<Admin>>;
    /// Removes an account and its sessions; false when none had this name.
    async fn remove_admin(&self, username: &str) -> Result<bool>;
    /// An account and its password hash (PHC string), for signing in.
    async fn admin_credentials(&self, username: &str) -> Result<Option<(Admin, String)>>;
    async fn create_admin_session(
        &self,
        id_hash: &TokenHash,
        admin_id: i64,
        csrf: &str,
        expires: DateTime<Utc>,
    ) -> Result<()>;
    /// The session with this id hash, unless expired.
    async fn admin_session(
        &self,
        id_hash: &TokenHash,
        now: DateTime<Utc>,
    ) -> Result<Option<AdminSession>>;
    async fn end_admin_session(&self, id_hash: &TokenHash) -> Result<()>;
    /// Complaints of a queue with their handling, newest first.
    async fn complaint_queue(&self, filter: &QueueFilter, limit: u32) -> Result<Vec<QueueItem>>;
    /// Records an officer's action (a status change also changes the complaint) at the head
    /// of the audit chain, in one transaction. None: no such complaint, or its status is no
    /// longer `expected_status` (nothing stored).
    async fn act_on_complaint(&self, action: &ComplaintAction) -> Result<Option<ComplaintEvent>>;
    /// Walks the audit chain (see `admin.rs`).
    async fn verify_audit_chain(&self) -> Result<AuditReport>;
    /// The handling (assignee, linked enterprise) of those of these complaints that have
    /// any, by complaint id.
    async fn complaint_handling(&self, complaint_ids: &[i64]) -> Result<Vec<(i64, Handling)>>;
    /// Assigns a complaint to an officer (or to nobody), checking in the same transaction
    /// that the account may be its assignee, with the audit record (before and after). See
    /// [`AssignOutcome`]: nothing is written unless it is `Done`.
    async fn assign_complaint(&self, assignment: &Assignment) -> Result<AssignOutcome>;
    /// Closes a complaint as founded and/or links the enterprise it was found against (or
    /// changes or removes the link of a founded complaint), with the audit records, in one
    /// transaction. See [`FindingOutcome`]: nothing is written unless it is `Done`.
    async fn record_finding(&self, finding: &Finding) -> Result<FindingOutcome>;
    /// The complaints closed as founded against an enterprise, most recently found first,
    /// at most `limit`.
    async fn complaints_found_against(
        &self,
        enterprise: &daylight_domain::enterprise::CreditCode,
        limit: u32,
    ) -> Result<Vec<FoundComplaint>>;
    /// The complaints with an id above `after` with their handling, oldest first, at most
    /// `limit` (what an open queue has not shown yet).
    async fn complaints_after(&self, after: i64, limit: u32) -> Result<Vec<QueueItem>>;
    /// The id of the newest complaint; 0 when there is none.
    async fn last_complaint_id(&self) -> Result<i64>;

    /// Inserts new enterprises and updates changed ones (by credit code), in one transaction.
    async fn upsert_enterprises(&self, enterprises: &[Enterprise]) -> Result<ImportCounts>;
    /// Every enterprise, by name.
    async fn enterprises(&self) -> Result<Vec<Enterprise>>;
    async fn enterprise(
        &self,
        code: &daylight_domain::enterprise::CreditCode,
    ) -> Result<Option<Enterprise>>;
    /// Inserts new outlets and updates changed ones (by enterprise and outlet code), in one
    /// transaction; an unknown enterprise is [`StoreError::UnknownEnterprise`] and nothing
    /// is written.
    async fn upsert_outlets(&self, outlets: &[Outlet]) -> Result<ImportCounts>;
    /// The outlets of one enterprise, or of all, by enterprise and code.
    async fn outlets(
        &self,
        enterprise: Option<&daylight_domain::enterprise::CreditCode>,
    ) -> Result<Vec<Outlet>>;
    /// Inserts or updates the limit of each (outlet, pollutant), in one transaction; an
    /// unknown outlet is [`StoreError::UnknownOutlet`] and nothing is written.
    async fn upsert_outlet_limits(&self, limits: &[OutletLimit]) -> Result<ImportCounts>;
    /// The limits of one enterprise's outlets, or of all, by enterprise, outlet, pollutant.
    async fn outlet_limits(
        &self,
        enterprise: Option<&daylight_domain::enterprise::CreditCode>,
    ) -> Result<Vec<OutletLimit>>;
    /// Stores outlet values idempotently, in one transaction; an unknown outlet is
    /// [`StoreError::UnknownOutlet`] and nothing is written.
    async fn upsert_outlet_readings(&self, readings: &[OutletReading]) -> Result<ImportCounts>;
    /// One enterprise's outlet values in `[from, to)`, by outlet, pollutant, then time.
    async fn outlet_readings(
        &self,
        enterprise: &daylight_domain::enterprise::CreditCode,
        range: TimeRange,
    ) -> Result<Vec<OutletReading>>;
    /// For every outlet with values, all its values at its most recent time stamp.
    async fn latest_outlet_readings(&self) -> Result<Vec<OutletReading>>;
    /// One enterprise's outlet values in `range` that are above their outlet's limit for
    /// that pollutant (a seek on an index, not a read of the series), one series per outlet
    /// and pollutant (the newest of them in full), by outlet, pollutant.
    async fn outlet_values_over_limit(
        &self,
        enterprise: &daylight_domain::enterprise::CreditCode,
        range: TimeRange,
    ) -> Result<Vec<OutletSeries>>;
    /// One enterprise's values per outlet and pollutant in `range`: the latest in full and
    /// all as points (one row per series from the database), by outlet, pollutant.
    async fn outlet_recent(
        &self,
        enterprise: &daylight_domain::enterprise::CreditCode,
        range: TimeRange,
    ) -> Result<Vec<OutletSeries>>;
    /// One enterprise's values per local month for the local days `from_day..to_day`, from
    /// the daily sums (see [`OutletMonth`]), by outlet, pollutant, month.
    async fn outlet_months(
        &self,
        enterprise: &daylight_domain::enterprise::CreditCode,
        from_day: i64,
        to_day: i64,
    ) -> Result<Vec<OutletMonth>>;
    /// The local days `from_day..to_day` with at least `min_values` values whose mean is
    /// over the outlet's daily (24 h) limit of automatic monitoring, by outlet, pollutant,
    /// day: the days a daily exceedance is made of.
    async fn outlet_days_over_daily_limit(
        &self,
        enterprise: &daylight_domain::enterprise::CreditCode,
        from_day: i64,
        to_day: i64,
        min_values: u32,
    ) -> Result<Vec<OutletDay>>;
    /// Sets the UTC offset (seconds) the daily sums are counted in, rebuilding them when it
    /// changes; true when it did.
    async fn set_outlet_day_offset(&self, seconds: i32) -> Result<bool>;

    /// Issues an Open311 API key: `hash` is the SHA-256 of the key the client will send.
    /// False when the name is taken (nothing changed).
    async fn add_open311_key(
        &self,
        name: &SourceName,
        hash: &TokenHash,
        created: DateTime<Utc>,
    ) -> Result<bool>;
    /// The Open311 client whose key has this hash, if any.
    async fn open311_key_by_hash(&self, hash: &TokenHash) -> Result<Option<Open311Key>>;
    /// Every Open311 client, by name.
    async fn open311_keys(&self) -> Result<Vec<Open311Key>>;
    /// Revokes an Open311 key; false when none had this name.
    async fn remove_open311_key(&self, name: &SourceName) -> Result<bool>;
    /// Complaints as Open311's `GET requests` selects them, newest first.
    async fn open311_requests(&self, selection: &RequestSelection) -> Result<Vec<RequestRecord>>;

    /// Adds an enterprise account; false when the user name is taken (nothing changed), an
    /// unknown enterprise is [`StoreError::UnknownEnterprise`].
    async fn add_enterprise_user(
        &self,
        username: &str,
        enterprise: &daylight_domain::enterprise::CreditCode,
        display_name: &str,
        password_hash: &str,
        created: DateTime<Utc>,
    ) -> Result<bool>;
    /// Every enterprise account, by user name.
    async fn enterprise_users(&self) -> Result<Vec<EnterpriseUser>>;
    /// Removes an enterprise account and its sessions (its statements and audit records
    /// stay); false when none had this name.
    async fn remove_enterprise_user(&self, username: &str) -> Result<bool>;
    /// An enterprise account and its password hash (PHC string), for signing in.
    async fn enterprise_user_credentials(
        &self,
        username: &str,
    ) -> Result<Option<(EnterpriseUser, String)>>;
    /// Starts a session and writes the sign-in to the audit trail, in one transaction.
    async fn create_enterprise_session(
        &self,
        id_hash: &TokenHash,
        user: &EnterpriseUser,
        csrf: &str,
        expires: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// The enterprise session with this id hash, unless expired.
    async fn enterprise_session(
        &self,
        id_hash: &TokenHash,
        now: DateTime<Utc>,
    ) -> Result<Option<EnterpriseSession>>;
    async fn end_enterprise_session(&self, id_hash: &TokenHash) -> Result<()>;
    /// Stores lab results of the user's enterprise as self-reported outlet values marked
    /// manual, each with an audit record (before and after), all in one transaction: an
    /// outlet not of the user's enterprise is [`StoreError::UnknownOutlet`] and nothing is
    /// written.
    async fn record_manual_results(
        &self,
        user: &EnterpriseUser,
        results: &[NewManualResult],
        now: DateTime<Utc>,
    ) -> Result<Vec<AuditRecord>>;
    /// An enterprise's manual results sampled since `since` (still the stored value), newest
    /// first, at most `limit`.
    async fn manual_results(
        &self,
        enterprise: &daylight_domain::enterprise::CreditCode,
        since: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<ManualResult>>;
    /// Publishes a statement of the user's enterprise with its audit record. An outlet or a
    /// corrected statement not of that enterprise is [`StoreError::UnknownOutlet`] /
    /// [`StoreError::UnknownStatement`] and nothing is written.
    async fn publish_statement(
        &self,
        user: &EnterpriseUser,
        statement: &NewStatement,
        now: DateTime<Utc>,
    ) -> Result<Statement>;
    /// An enterprise's statements, newest first.
    async fn statements(
        &self,
        enterprise: &daylight_domain::enterprise::CreditCode,
    ) -> Result<Vec<Statement>>;
    /// An enterprise's audit records, newest first, at most `limit`.
    async fn enterprise_audit(
        &self,
        enterprise: &daylight_domain::enterprise::CreditCode,
        limit: u32,
    ) -> Result<Vec<AuditRecord>>;
    /// Walks the enterprise audit chain (see `enterprise_accounts.rs`).
    async fn verify_enterprise_audit_chain(&self) -> Result<EnterpriseAuditReport>;

    /// Stores a citable snapshot (written once, never changed). False when the id is taken
    /// and nothing was written (draw another id); an unknown station is
    /// [`StoreError::UnknownStation`].
    async fn create_snapshot(&self, snapshot: &Snapshot) -> Result<bool>;
    /// The snapshot with this id, as it was stored.
    async fn snapshot(&self, id: &SnapshotId) -> Result<Option<Snapshot>>;

    /// True when no station, reading or district is stored (a first run).
    async fn is_empty(&self) -> Result<bool>;
}
