//! Citable snapshots: the frozen state of a station page (migration 0014). The store keeps
//! the document as the server wrote it and never derives anything from it, so a snapshot
//! says tomorrow exactly what it said when it was taken.

use chrono::{DateTime, Utc};
use daylight_domain::station::StationCode;

use crate::token::NoRandomness;

/// The letters of a snapshot id: RFC 4648 base32 in lower case, URL-safe and unambiguous
/// enough to read aloud or retype from print.
const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

/// How long an id is: 10 letters of 5 bits, 50 random bits. Ids are not secrets (the
/// snapshots are public); they only have to be short and not collide.
pub const SNAPSHOT_ID_LEN: usize = 10;

/// A snapshot's permalink id, e.g. `k3qz7mxa2b`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SnapshotId(String);

impl SnapshotId {
    /// A new random id.
    pub fn generate() -> Result<Self, NoRandomness> {
        let mut bytes = [0u8; SNAPSHOT_ID_LEN];
        getrandom::fill(&mut bytes).map_err(NoRandomness)?;
        Ok(Self(
            bytes
                .iter()
                .map(|b| char::from(ALPHABET[usize::from(b & 31)]))
                .collect(),
        ))
    }

    /// An id as it appears in an address; None for anything that cannot be one.
    pub fn parse(text: &str) -> Option<Self> {
        (text.len() == SNAPSHOT_ID_LEN && text.bytes().all(|b| ALPHABET.contains(&b)))
            .then(|| Self(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for SnapshotId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One stored snapshot.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub id: SnapshotId,
    pub station: StationCode,
    /// When it was taken.
    pub taken: DateTime<Utc>,
    /// The frozen page state, as the server wrote it.
    pub document: serde_json::Value,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_short_url_safe_and_parse_back() {
        let a = SnapshotId::generate().unwrap();
        let b = SnapshotId::generate().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), SNAPSHOT_ID_LEN);
        assert_eq!(SnapshotId::parse(a.as_str()), Some(a));
        assert_eq!(SnapshotId::parse("ABCDEFGHIJ"), None);
        assert_eq!(SnapshotId::parse("abc"), None);
        assert_eq!(SnapshotId::parse("abcdefghi1"), None);
        assert_eq!(SnapshotId::parse("abcdefghi/"), None);
    }
}
