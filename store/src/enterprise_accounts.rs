//! Enterprise accounts as the store keeps them (issue 5, items 2, 3, 5): an enterprise's own
//! users and their sessions, the manual lab results they upload, their statements (right of
//! reply) and the audit trail of their changes.
//!
//! **The audit chain.** Like the complaints' history (`crate::admin`), every audit record
//! carries `prev_hash` and `hash`, the SHA-256 of its [`audit_canonical`] form, in one chain
//! over all enterprises in id order; the table refuses UPDATE and DELETE by trigger. It is a
//! chain of its own, not appended to the complaints' one, so that either can be verified
//! (and reasoned about) without the other; `daylight audit verify` walks both.

use std::fmt;

use chrono::{DateTime, Utc};
use daylight_domain::enterprise::{CreditCode, OutletCode, Pollutant, StatementKind};
use daylight_domain::units::Unit;
use sha2::{Digest, Sha256};

use crate::admin::to_hex;

/// An account of an enterprise (never with its password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnterpriseUser {
    pub id: i64,
    pub username: String,
    /// The one enterprise this account may see and change.
    pub enterprise: CreditCode,
    /// Shown as the author of statements; empty means the user name is shown.
    pub display_name: String,
    pub created: DateTime<Utc>,
}

impl EnterpriseUser {
    /// The name statements are published under.
    pub fn author(&self) -> &str {
        if self.display_name.is_empty() {
            &self.username
        } else {
            &self.display_name
        }
    }
}

/// A signed-in enterprise session: who, and the CSRF token its forms must carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnterpriseSession {
    pub user: EnterpriseUser,
    pub csrf: String,
    pub expires: DateTime<Utc>,
}

/// A lab result to store, already validated against the enterprise's outlets and limits.
#[derive(Debug, Clone, PartialEq)]
pub struct NewManualResult {
    pub outlet: OutletCode,
    pub pollutant: Pollutant,
    /// The sampling time.
    pub time: DateTime<Utc>,
    pub value: f64,
    pub unit: Unit,
    /// The laboratory and method, as the enterprise gives them.
    pub lab_note: String,
}

/// A stored manual result, for the public page.
#[derive(Debug, Clone, PartialEq)]
pub struct ManualResult {
    pub enterprise: CreditCode,
    pub outlet: OutletCode,
    pub pollutant: Pollutant,
    pub time: DateTime<Utc>,
    pub value: f64,
    pub unit: Unit,
    pub lab_note: String,
    pub uploaded_by: String,
    pub uploaded: DateTime<Utc>,
}

/// A statement to publish.
#[derive(Debug, Clone, PartialEq)]
pub struct NewStatement {
    pub kind: StatementKind,
    pub body: String,
    pub outlet: Option<OutletCode>,
    pub period_from: Option<DateTime<Utc>>,
    pub period_to: Option<DateTime<Utc>>,
    /// The id of an earlier statement of the same enterprise that this one corrects.
    pub corrects: Option<i64>,
}

/// A published statement: never edited, never deleted.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub id: i64,
    pub enterprise: CreditCode,
    pub kind: StatementKind,
    pub body: String,
    pub outlet: Option<OutletCode>,
    pub period_from: Option<DateTime<Utc>>,
    pub period_to: Option<DateTime<Utc>>,
    pub corrects: Option<i64>,
    /// The account's display name (or user name) when it was published.
    pub author: String,
    pub created: DateTime<Utc>,
}

/// What an audit record is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    SignIn,
    ManualResult,
    Statement,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignIn => "sign_in",
            Self::ManualResult => "manual_result",
            Self::Statement => "statement",
        }
    }

    pub(crate) fn parse(raw: &str) -> Option<Self> {
        [Self::SignIn, Self::ManualResult, Self::Statement]
            .into_iter()
            .find(|a| a.as_str() == raw)
    }
}

impl fmt::Display for AuditAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One record of the enterprise audit trail: who did what, when, and the value before and
/// after (for a result that replaced an earlier value, both).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub id: i64,
    pub enterprise: CreditCode,
    pub time: DateTime<Utc>,
    pub actor: String,
    pub action: AuditAction,
    /// What was changed, e.g. `DA001 a21026 2026-11-30T02:00:00Z` or `statement 3`.
    pub subject: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The fields of a record as the chain hashes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainedAudit<'a> {
    pub id: i64,
    pub enterprise: &'a str,
    pub time: i64,
    pub actor: &'a str,
    pub action: &'a str,
    pub subject: &'a str,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
}

fn field(out: &mut String, name: &str, value: Option<&str>) {
    match value {
        Some(v) => out.push_str(&format!("{name}={}:{v}\n", v.len())),
        None => out.push_str(&format!("{name}=-\n")),
    }
}

/// The canonical serialisation of a record after `prev`: versioned, free text
/// length-prefixed, so that no choice of text makes two records serialise alike.
pub fn audit_canonical(record: &ChainedAudit<'_>, prev: &[u8; 32]) -> String {
    let mut out = format!(
        "daylight.enterprise_audit.v1\nid={}\nenterprise={}\ntime={}\naction={}\n",
        record.id, record.enterprise, record.time, record.action
    );
    field(&mut out, "actor", Some(record.actor));
    field(&mut out, "subject", Some(record.subject));
    field(&mut out, "before", record.before);
    field(&mut out, "after", record.after);
    out.push_str(&format!("prev={}\n", to_hex(prev)));
    out
}

/// The SHA-256 of the record's canonical form after `prev`.
pub fn audit_hash(record: &ChainedAudit<'_>, prev: &[u8; 32]) -> [u8; 32] {
    Sha256::digest(audit_canonical(record, prev).as_bytes()).into()
}

/// What `daylight audit verify` found in the enterprise chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnterpriseAuditReport {
    pub records: u64,
    pub enterprises: u64,
    /// The hash of the last record (hex).
    pub head: String,
    /// The first record at which the chain does not hold: id and reason.
    pub broken: Option<(i64, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record<'a>(subject: &'a str, before: Option<&'a str>) -> ChainedAudit<'a> {
        ChainedAudit {
            id: 1,
            enterprise: "91610111MA6DM0001J",
            time: 1_780_000_000,
            actor: "wang",
            action: "manual_result",
            subject,
            before,
            after: Some("1.0 mg/L"),
        }
    }

    #[test]
    fn the_hash_covers_every_field_and_the_previous_hash() {
        let genesis = [0u8; 32];
        let a = audit_hash(&record("DW001", None), &genesis);
        assert_eq!(a, audit_hash(&record("DW001", None), &genesis));
        assert_ne!(a, audit_hash(&record("DW002", None), &genesis));
        assert_ne!(a, audit_hash(&record("DW001", Some("")), &genesis));
        assert_ne!(a, audit_hash(&record("DW001", None), &[1; 32]));
        // Moving text between fields changes the hash (length prefixes).
        let mut moved = record("DW001\nbefore=-", None);
        moved.before = None;
        assert_ne!(a, audit_hash(&moved, &genesis));
    }

    #[test]
    fn the_author_is_the_display_name_when_there_is_one() {
        let mut user = EnterpriseUser {
            id: 1,
            username: "wang".into(),
            enterprise: CreditCode::parse("91610111MA6DM0001J")
                .unwrap_or_else(|_| panic!("test code")),
            display_name: String::new(),
            created: Utc::now(),
        };
        assert_eq!(user.author(), "wang");
        user.display_name = "王工（环保部）".into();
        assert_eq!(user.author(), "王工（环保部）");
    }
}
