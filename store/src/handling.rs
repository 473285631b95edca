//! What the back office decides about a complaint beyond its status (issue 6): who handles
//! it (assignment to a named officer) and, when it is closed as founded (查实), which
//! enterprise it was found against. Migration 0018 keeps both in `complaint_handling`;
//! every change is also an event on the audit chain, in the same transaction, whose body
//! records the value before and after ([`Change`]), so `daylight audit verify` can check
//! that the table says what the chain ends with.
//!
//! **Who may be assigned.** A complaint routed to a district is handled by that district's
//! officers (承办), so only a district officer of that district may be its assignee; a
//! complaint of the city-level queue (no point, or one outside every district) is handled at
//! city level, so only a city supervisor may be. Admin accounts run the system and are
//! nobody's assignee. Who may *make* an assignment is whoever may handle the complaint (its
//! district's officers, city supervisors, admins): see docs/complaints.md.

use chrono::{DateTime, Utc};
use daylight_domain::complaint::Status;
use daylight_domain::enterprise::CreditCode;

use crate::{Complaint, ComplaintEvent, QueueScope, Role};

/// The back office's decisions about one complaint.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Handling {
    /// The user name of the officer it is assigned to.
    pub assignee: Option<String>,
    /// The enterprise a founded complaint was found against.
    pub enterprise: Option<CreditCode>,
}

/// A complaint as a queue lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueItem {
    pub complaint: Complaint,
    pub handling: Handling,
}

/// Whose complaints a queue shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum AssigneeFilter {
    #[default]
    Anyone,
    /// Assigned to this user name.
    Is(String),
    /// Not assigned to anyone.
    Nobody,
}

/// Which complaints a queue shows: a scope, and optionally a status and an assignee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueFilter {
    pub scope: QueueScope,
    pub status: Option<Status>,
    pub assignee: AssigneeFilter,
}

impl QueueFilter {
    /// Everything in `scope`.
    pub fn scope(scope: QueueScope) -> Self {
        Self {
            scope,
            status: None,
            assignee: AssigneeFilter::Anyone,
        }
    }

    /// Whether `item` belongs in the queue (what the store's query selects, for items that
    /// arrive one by one: the back office's live queue).
    pub fn matches(&self, item: &QueueItem) -> bool {
        let c = &item.complaint;
        let in_scope = match &self.scope {
            QueueScope::All => true,
            QueueScope::District(d) => c.district.as_deref() == Some(d.as_str()),
            QueueScope::City => c.district.is_none(),
        };
        let assignee = item.handling.assignee.as_deref();
        in_scope
            && self.status.is_none_or(|s| c.status == s)
            && match &self.assignee {
                AssigneeFilter::Anyone => true,
                AssigneeFilter::Is(name) => assignee == Some(name.as_str()),
                AssigneeFilter::Nobody => assignee.is_none(),
            }
    }
}

/// Whether an account of `role` may be the assignee of a complaint routed to `district`
/// (None: the city-level queue). See the module's documentation.
pub fn may_be_assigned(role: &Role, district: Option<&str>) -> bool {
    match role {
        Role::DistrictOfficer { district: own } => district == Some(own.as_str()),
        Role::CitySupervisor => district.is_none(),
        Role::Admin => false,
    }
}

/// A value before and after a change, as the body of an `assignment` or `enterprise_link`
/// event: `before=…\nafter=…`, empty for none. User names and credit codes have neither
/// `=` nor line breaks, so the text is unambiguous.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub before: Option<String>,
    pub after: Option<String>,
}

impl Change {
    pub fn body(&self) -> String {
        format!(
            "before={}\nafter={}",
            self.before.as_deref().unwrap_or(""),
            self.after.as_deref().unwrap_or("")
        )
    }

    /// The change an event body records; None when it is not one.
    pub fn parse(body: &str) -> Option<Self> {
        let (before, after) = body.split_once('\n')?;
        let value = |line: &str, key: &str| -> Option<Option<String>> {
            let v = line.strip_prefix(key)?;
            if v.contains(['\n', '=']) {
                return None;
            }
            Some((!v.is_empty()).then(|| v.to_owned()))
        };
        Some(Self {
            before: value(before, "before=")?,
            after: value(after, "after=")?,
        })
    }
}

/// An assignment (or its removal: `assignee` None).
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    pub complaint_id: i64,
    /// The assignee the officer saw: if it changed meanwhile, nothing is stored.
    pub expected: Option<String>,
    pub assignee: Option<String>,
    pub actor: String,
    pub time: DateTime<Utc>,
}

/// What [`crate::Store::assign_complaint`] did. Nothing is written unless `Done`.
#[derive(Debug, Clone, PartialEq)]
pub enum AssignOutcome {
    /// Recorded: the event on the chain.
    Done(ComplaintEvent),
    /// It was already so.
    Unchanged,
    /// No such complaint, or its assignee changed meanwhile.
    Stale,
    /// The complaint is closed: there is nothing left to handle.
    Closed,
    /// No account has this user name.
    NoSuchOfficer,
    /// The account may not be this complaint's assignee (see [`may_be_assigned`]).
    NotEligible(Role),
}

/// Closing a complaint as founded, and the enterprise it was found against; or, for a
/// complaint already closed as founded, a change of that enterprise (a correction).
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub complaint_id: i64,
    /// The status the officer saw: if it changed meanwhile, nothing is stored.
    pub expected_status: Status,
    /// The linked enterprise the officer saw.
    pub expected_enterprise: Option<CreditCode>,
    pub enterprise: Option<CreditCode>,
    /// The text of the status event, when this closes the complaint.
    pub comment: String,
    pub actor: String,
    pub time: DateTime<Utc>,
}

/// What [`crate::Store::record_finding`] did. Nothing is written unless `Done`.
#[derive(Debug, Clone, PartialEq)]
pub enum FindingOutcome {
    /// Recorded: the events on the chain (the status change first, if any).
    Done(Vec<ComplaintEvent>),
    /// Already closed as founded against this enterprise.
    Unchanged,
    /// No such complaint, or its status or enterprise changed meanwhile.
    Stale,
    /// The complaint's status cannot become closed-founded (see the workflow).
    NotAllowed,
    /// The credit code is not in the enterprise registry.
    UnknownEnterprise,
}

/// A complaint found against an enterprise, as the enterprise's public page lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundComplaint {
    pub complaint: Complaint,
    /// When the enterprise was linked (the latest link).
    pub found: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_reads_back_and_nothing_else_reads_as_one() {
        for (before, after) in [
            (None, Some("li")),
            (Some("li"), Some("wang.2")),
            (Some("-"), None),
            (None, None),
        ] {
            let change = Change {
                before: before.map(str::to_owned),
                after: after.map(str::to_owned),
            };
            assert_eq!(Change::parse(&change.body()), Some(change));
        }
        for bad in [
            "",
            "li",
            "after=li\nbefore=",
            "before=\nafter=a=b",
            "before=\nafter=x\ny",
        ] {
            assert_eq!(Change::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn only_the_complaints_own_level_may_be_assigned() {
        let officer = Role::DistrictOfficer {
            district: "610103".into(),
        };
        assert!(may_be_assigned(&officer, Some("610103")));
        assert!(!may_be_assigned(&officer, Some("610104")));
        assert!(!may_be_assigned(&officer, None));
        assert!(may_be_assigned(&Role::CitySupervisor, None));
        assert!(!may_be_assigned(&Role::CitySupervisor, Some("610103")));
        assert!(!may_be_assigned(&Role::Admin, None));
    }
}
