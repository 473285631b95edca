//! Complaints as the store keeps them, and the secrets that come with one.
//!
//! A complaint form carries a random [`SubmissionKey`], generated when the form is rendered.
//! The key makes a submission idempotent (a double tap or a retry finds the complaint the
//! first one created) and the complaint's secret follow-up token is derived from it, so a
//! repeated submission can show the same follow-up link again although the store keeps
//! neither the key nor the token, only their SHA-256 hashes (with different prefixes, so one
//! hash says nothing about the other). 128 random bits cannot be guessed, so a fast hash is
//! the right one (see `token.rs`).

use std::fmt;

use chrono::{DateTime, Utc};
use daylight_domain::complaint::suspect::Suspect;
use daylight_domain::complaint::{Category, Contact, Status, TrackingCode};
use daylight_domain::geo::LonLat;
use sha2::{Digest, Sha256};

use crate::token::{NoRandomness, TokenHash};

/// Random bytes in a submission key.
const KEY_BYTES: usize = 16;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn is_hex(text: &str, len: usize) -> bool {
    text.len() == len && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn random_bytes<const N: usize>() -> Result<[u8; N], NoRandomness> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(NoRandomness)?;
    Ok(bytes)
}

/// A new tracking code for `year` from the operating system's randomness.
pub fn random_tracking_code(year: i32) -> Result<TrackingCode, NoRandomness> {
    Ok(TrackingCode::generate(
        year,
        u64::from_le_bytes(random_bytes::<8>()?),
    ))
}

/// The key of one submission: 32 lowercase hex digits (128 random bits) in a hidden form
/// field. `Debug` does not print it: the follow-up token can be derived from it.
#[derive(Clone, PartialEq, Eq)]
pub struct SubmissionKey(String);

impl SubmissionKey {
    pub fn generate() -> Result<Self, NoRandomness> {
        Ok(Self(hex(&random_bytes::<KEY_BYTES>()?)))
    }

    /// A key as a form sent it, if it has the shape of one. Anything else (a short key could
    /// be guessed, and the follow-up token is derived from it) is refused.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        is_hex(raw, 2 * KEY_BYTES).then(|| Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// What the store looks a submission up by.
    pub fn idempotency_hash(&self) -> TokenHash {
        TokenHash::from_bytes(Sha256::digest(format!("daylight.submission:{}", self.0)).into())
    }

    /// The follow-up token of the complaint this submission creates.
    pub fn follow_token(&self) -> FollowToken {
        let digest = Sha256::digest(format!("daylight.follow:{}", self.0));
        FollowToken(hex(&digest[..KEY_BYTES]))
    }
}

impl fmt::Debug for SubmissionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SubmissionKey(…)")
    }
}

/// The secret in a complaint's follow-up link (`/report/follow/{token}`): 32 lowercase hex
/// digits. Whoever has it sees the complaint's status; the store keeps only its hash.
#[derive(Clone, PartialEq, Eq)]
pub struct FollowToken(String);

impl FollowToken {
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        is_hex(raw, 2 * KEY_BYTES).then(|| Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> TokenHash {
        TokenHash::from_bytes(Sha256::digest(self.0.as_bytes()).into())
    }
}

impl fmt::Debug for FollowToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FollowToken(…)")
    }
}

/// A complaint to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewComplaint {
    pub tracking_code: TrackingCode,
    pub follow_hash: TokenHash,
    pub idempotency_hash: TokenHash,
    pub category: Category,
    pub description: String,
    pub observed: DateTime<Utc>,
    pub location: Option<LonLat>,
    pub address: Option<String>,
    /// The district (adcode) it is routed to; None: the city-level queue.
    pub district: Option<String>,
    pub outside_city: bool,
    pub contact: Option<Contact>,
    /// Stored to the second.
    pub created: DateTime<Utc>,
    /// The evidence snapshot, as JSON.
    pub evidence: serde_json::Value,
    /// The enterprise the resident suspects, if they named one (officers only).
    pub suspect: Option<Suspect>,
}

/// A stored complaint. `contact` is personal data: only officers may see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Complaint {
    pub id: i64,
    pub tracking_code: TrackingCode,
    pub category: Category,
    pub description: String,
    pub observed: DateTime<Utc>,
    pub location: Option<LonLat>,
    pub address: Option<String>,
    pub district: Option<String>,
    pub outside_city: bool,
    pub contact: Option<Contact>,
    pub status: Status,
    pub created: DateTime<Utc>,
    pub evidence: serde_json::Value,
    /// The enterprise the resident suspects: personal input, never public.
    pub suspect: Option<Suspect>,
}

/// What [`crate::Store::submit_complaint`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum Submitted {
    Created(Complaint),
    /// A complaint with the same idempotency key existed: nothing new was stored.
    Existing(Complaint),
}

impl Submitted {
    pub fn complaint(&self) -> &Complaint {
        match self {
            Self::Created(c) | Self::Existing(c) => c,
        }
    }
}

/// What kind of thing happened to a complaint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// The status changed to the event's `status`.
    Status,
    /// A reply the reporter and the public may read.
    PublicReply,
    /// An internal note (officers only).
    Note,
    /// Information the reporter added from the follow-up page: seen by officers and the
    /// reporter, never by the public.
    ReporterAddition,
    /// The complaint was assigned to an officer, or unassigned: the body is a
    /// [`crate::Change`] of user names.
    Assignment,
    /// The enterprise a founded complaint was found against was linked, changed or removed:
    /// the body is a [`crate::Change`] of credit codes.
    EnterpriseLink,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Status => "status",
            Self::PublicReply => "public_reply",
            Self::Note => "note",
            Self::ReporterAddition => "reporter_addition",
            Self::Assignment => "assignment",
            Self::EnterpriseLink => "enterprise_link",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "status" => Some(Self::Status),
            "public_reply" => Some(Self::PublicReply),
            "note" => Some(Self::Note),
            "reporter_addition" => Some(Self::ReporterAddition),
            "assignment" => Some(Self::Assignment),
            "enterprise_link" => Some(Self::EnterpriseLink),
            _ => None,
        }
    }
}

/// One entry of a complaint's append-only history.
#[derive(Debug, Clone, PartialEq)]
pub struct ComplaintEvent {
    pub id: i64,
    pub complaint_id: i64,
    pub time: DateTime<Utc>,
    pub kind: EventKind,
    pub status: Option<Status>,
    pub body: String,
    /// Who did it ("" for the system or the reporter).
    pub actor: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_random_well_formed_and_parse_back() {
        let a = SubmissionKey::generate().unwrap();
        let b = SubmissionKey::generate().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.expose().len(), 32);
        assert_eq!(SubmissionKey::parse(a.expose()), Some(a.clone()));
        for bad in ["", "1", &"g".repeat(32), &"A".repeat(32), &"a".repeat(33)] {
            assert_eq!(SubmissionKey::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_follow_token_is_derived_from_the_key_and_hashed_apart() {
        let key = SubmissionKey::parse(&"0123456789abcdef".repeat(2)).unwrap();
        let token = key.follow_token();
        assert_eq!(key.follow_token(), token);
        assert_eq!(token.expose().len(), 32);
        assert_eq!(FollowToken::parse(token.expose()), Some(token.clone()));
        assert_ne!(token.hash(), key.idempotency_hash());
        assert_ne!(token.expose(), key.expose());
        let other = SubmissionKey::generate().unwrap();
        assert_ne!(other.follow_token(), token);
        assert!(!format!("{key:?}{token:?}").contains("0123"));
    }

    #[test]
    fn tracking_codes_come_from_the_os() {
        let a = random_tracking_code(2026).unwrap();
        assert!(a.as_str().starts_with("TS-2026-"));
    }
}
