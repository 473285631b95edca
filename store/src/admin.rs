//! The complaints back office as the store keeps it: officers' accounts and sessions, the
//! actions on a complaint, and the audit chain (留痕) over the complaint history.
//!
//! **The chain.** Every complaint event (submission, status change, note, public reply) is
//! stored with `prev_hash`, the hash of the event before it, and `hash`, the SHA-256 of its
//! own [`canonical`] form (which includes `prev_hash`). There is **one chain over all
//! complaints**, in id order, rather than one per complaint: deleting a complaint's whole
//! history, or moving an event from one complaint to another, breaks it too, and SQLite
//! serialises writes anyway, so a single head costs nothing. The chain has no secret: someone
//! with the database file can rebuild it entirely. It detects edits made with ordinary tools
//! (triggers dropped, rows updated), and, if the head printed by `daylight audit verify` is
//! written down elsewhere from time to time, a rebuilt chain as well.

use std::fmt;

use chrono::{DateTime, Utc};
use daylight_domain::complaint::Status;
use sha2::{Digest, Sha256};

use crate::token::{NoRandomness, TokenHash};
use crate::EventKind;

/// What an account may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// Sees and handles the complaints of one district (adcode).
    DistrictOfficer { district: String },
    /// Sees and handles every complaint, including the city-level queue.
    CitySupervisor,
    /// Like a city supervisor; also sees the reporter's contact in the CSV export.
    Admin,
}

impl Role {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::DistrictOfficer { .. } => "district_officer",
            Self::CitySupervisor => "city_supervisor",
            Self::Admin => "admin",
        }
    }

    pub fn district(&self) -> Option<&str> {
        match self {
            Self::DistrictOfficer { district } => Some(district),
            _ => None,
        }
    }

    /// Whether this role may see a complaint routed to `district` (None: the city queue).
    pub fn may_see(&self, district: Option<&str>) -> bool {
        match self {
            Self::DistrictOfficer { district: own } => district == Some(own.as_str()),
            Self::CitySupervisor | Self::Admin => true,
        }
    }

    pub(crate) fn from_parts(role: &str, district: Option<String>) -> Option<Self> {
        match (role, district) {
            ("district_officer", Some(district)) => Some(Self::DistrictOfficer { district }),
            ("city_supervisor", None) => Some(Self::CitySupervisor),
            ("admin", None) => Some(Self::Admin),
            _ => None,
        }
    }
}

/// A back-office account (never with its password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admin {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub created: DateTime<Utc>,
}

/// A user name: 1–64 characters of a-z, 0-9, '.', '_' and '-' (stored as typed, lower case).
pub fn valid_username(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'.' | b'_' | b'-'))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// 32 random bytes as 64 hex digits: a session id or a CSRF token.
pub fn random_secret() -> Result<String, NoRandomness> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(NoRandomness)?;
    Ok(hex(&bytes))
}

/// The session id in a cookie: 64 hex digits. Only its hash is stored.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionId(String);

impl SessionId {
    pub fn generate() -> Result<Self, NoRandomness> {
        random_secret().map(Self)
    }

    pub fn parse(raw: &str) -> Option<Self> {
        (raw.len() == 64 && raw.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
            .then(|| Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> TokenHash {
        TokenHash::from_bytes(Sha256::digest(format!("daylight.session:{}", self.0)).into())
    }
}

impl fmt::Debug for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionId(…)")
    }
}

/// A signed-in session: who, and the CSRF token its forms must carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminSession {
    pub admin: Admin,
    pub csrf: String,
    pub expires: DateTime<Utc>,
}

/// Which complaints a queue shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueScope {
    All,
    /// One district's.
    District(String),
    /// The city-level queue (no district).
    City,
}

/// Something an officer does to a complaint.
#[derive(Debug, Clone, PartialEq)]
pub struct ComplaintAction {
    pub complaint_id: i64,
    /// The status the officer saw: if it changed meanwhile, nothing is stored.
    pub expected_status: Status,
    pub time: DateTime<Utc>,
    pub kind: EventKind,
    /// For [`EventKind::Status`]: the new status.
    pub status: Option<Status>,
    pub body: String,
    pub actor: String,
}

/// The hash before the first event.
pub const GENESIS: [u8; 32] = [0; 32];

/// One event as the chain sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct ChainedEvent<'a> {
    pub id: i64,
    pub tracking_code: &'a str,
    pub time: i64,
    pub kind: &'a str,
    pub status: Option<&'a str>,
    pub body: &'a str,
    pub actor: &'a str,
}

/// The canonical serialisation of an event after `prev`: a versioned line per field, free
/// text length-prefixed (so no choice of text can make two events serialise alike).
pub fn canonical(event: &ChainedEvent<'_>, prev: &[u8; 32]) -> String {
    format!(
        "daylight.complaint_event.v1\nid={}\ncomplaint={}\ntime={}\nkind={}\nstatus={}\n\
         actor={}:{}\nbody={}:{}\nprev={}\n",
        event.id,
        event.tracking_code,
        event.time,
        event.kind,
        event.status.unwrap_or("-"),
        event.actor.len(),
        event.actor,
        event.body.len(),
        event.body,
        hex(prev)
    )
}

/// The SHA-256 of the event's canonical form after `prev`.
pub fn chain_hash(event: &ChainedEvent<'_>, prev: &[u8; 32]) -> [u8; 32] {
    Sha256::digest(canonical(event, prev).as_bytes()).into()
}

/// What `daylight audit verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditReport {
    pub events: u64,
    pub complaints: u64,
    /// The hash of the last event (hex), to note down elsewhere.
    pub head: String,
    /// The first broken record, if any.
    pub broken: Option<BrokenRecord>,
}

/// The first record at which the chain does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenRecord {
    pub event_id: i64,
    pub tracking_code: String,
    pub reason: String,
}

pub(crate) fn to_hex(bytes: &[u8]) -> String {
    hex(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: i64, body: &str) -> ChainedEvent<'_> {
        ChainedEvent {
            id,
            tracking_code: "TS-2026-ABCDEF",
            time: 1_780_000_000,
            kind: "note",
            status: None,
            body,
            actor: "li",
        }
    }

    #[test]
    fn the_hash_covers_every_field_and_the_previous_hash() {
        let a = chain_hash(&event(1, "x"), &GENESIS);
        assert_eq!(a, chain_hash(&event(1, "x"), &GENESIS));
        assert_ne!(a, chain_hash(&event(2, "x"), &GENESIS));
        assert_ne!(a, chain_hash(&event(1, "y"), &GENESIS));
        assert_ne!(a, chain_hash(&event(1, "x"), &[1; 32]));
        let mut other = event(1, "x");
        other.status = Some("accepted");
        assert_ne!(a, chain_hash(&other, &GENESIS));
        // Length prefixes: moving text between fields changes the hash.
        let mut moved = event(1, "x\nactor=2:li");
        moved.actor = "";
        assert_ne!(a, chain_hash(&moved, &GENESIS));
        // A chain: each link depends on all before it.
        let b = chain_hash(&event(2, "y"), &a);
        let a2 = chain_hash(&event(1, "edited"), &GENESIS);
        assert_ne!(b, chain_hash(&event(2, "y"), &a2));
    }

    #[test]
    fn roles_limit_what_an_officer_sees() {
        let officer = Role::DistrictOfficer {
            district: "610102".into(),
        };
        assert!(officer.may_see(Some("610102")));
        assert!(!officer.may_see(Some("610103")));
        assert!(!officer.may_see(None));
        assert!(Role::CitySupervisor.may_see(None));
        assert!(Role::Admin.may_see(Some("610103")));
        assert_eq!(Role::from_parts("admin", Some("1".into())), None);
        assert!(valid_username("li.wei-2"));
        assert!(!valid_username("Li Wei"));
        assert!(!valid_username(""));
    }

    #[test]
    fn session_ids_are_random_and_never_printed() {
        let a = SessionId::generate().unwrap();
        assert_ne!(a, SessionId::generate().unwrap());
        assert_eq!(SessionId::parse(a.expose()), Some(a.clone()));
        assert_eq!(SessionId::parse("abc"), None);
        assert!(!format!("{a:?}").contains(&a.expose()[..8]));
    }
}
