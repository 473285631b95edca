//! What the Open311 GeoReport v2 interface (`/open311/v2/`) needs from the store: its API
//! keys, and complaints selected the way GeoReport's `GET requests` selects them, each with
//! what the register's list does not carry (when it last changed, its latest public reply,
//! its first published photo).
//!
//! A key is an [`crate::IngestSecret`]-shaped random token (256 bits, shown once); the store
//! keeps its SHA-256 hash in a table of its own, so a push token is never an API key and
//! the other way round.

use chrono::{DateTime, Utc};
use daylight_domain::complaint::{Category, Status, TrackingCode};

use sha2::{Digest, Sha256};

use crate::{Complaint, SourceName, SubmissionKey, TimeRange};

/// A client allowed to create requests. Its name follows the rules of a push source's
/// ([`SourceName`]): safe in a shell and a log line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Open311Key {
    pub name: SourceName,
    /// Stored to the second.
    pub created: DateTime<Utc>,
}

/// Which complaints `GET requests` wants.
#[derive(Debug, Clone, PartialEq)]
pub enum RequestSelection {
    /// These tracking codes, whatever their time, category or status (GeoReport:
    /// `service_request_id` "overrides all other arguments").
    Codes(Vec<TrackingCode>),
    /// Complaints submitted in `range` (`[from, to]`), of any of `categories` (empty: all)
    /// and any of `statuses` (empty: all), newest first, at most `limit`.
    Query {
        range: TimeRange,
        categories: Vec<Category>,
        statuses: Vec<Status>,
        limit: u32,
    },
}

/// A complaint as `GET requests` reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestRecord {
    pub complaint: Complaint,
    /// The time of its latest history record (its submission when nothing happened since).
    pub updated: DateTime<Utc>,
    /// The latest reply an officer published on it.
    pub latest_public_reply: Option<String>,
    /// The number of its first photo an officer marked publishable, if any (GeoReport's
    /// `media_url` has room for one).
    pub public_photo: Option<u32>,
}

/// The submission key of an Open311 request that carries an `Idempotency-Key` header: the
/// same client sending the same idempotency key again finds the complaint the first request
/// created (like a double tap on the form, which carries a key of its own). The client's
/// name is part of it, so one client cannot reach, or collide with, another's requests.
pub fn open311_submission_key(client: &SourceName, idempotency_key: &str) -> SubmissionKey {
    let digest = Sha256::digest(format!(
        "daylight.open311:{}:{}",
        client.as_str(),
        idempotency_key
    ));
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    // 32 lowercase hex digits are always a well-formed key.
    SubmissionKey::parse(&hex).unwrap_or_else(|| unreachable!("32 hex digits are a key"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idempotency_keys_are_scoped_to_their_client() {
        let a = SourceName::parse("app-a").unwrap();
        let b = SourceName::parse("app-b").unwrap();
        assert_eq!(
            open311_submission_key(&a, "k1"),
            open311_submission_key(&a, "k1")
        );
        assert_ne!(
            open311_submission_key(&a, "k1"),
            open311_submission_key(&a, "k2")
        );
        assert_ne!(
            open311_submission_key(&a, "k1"),
            open311_submission_key(&b, "k1")
        );
    }
}
