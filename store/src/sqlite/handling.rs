//! Assignment and findings on SQLite (migration 0018, see `crate::handling`): the queue with
//! each complaint's handling, the two decisions with their audit records, and the complaints
//! found against an enterprise. A child of `sqlite` so it shares its row readers and the
//! chain's `append`.

use daylight_domain::complaint::Status;
use daylight_domain::enterprise::CreditCode;
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, Transaction};

use super::backoffice::{append, Draft};
use super::{complaint_from_row, corrupt, event_from_row, from_unix, to_unix, WRITE};
use super::{SqliteStore, COMPLAINT_COLUMNS};
use crate::handling::{
    may_be_assigned, AssignOutcome, AssigneeFilter, Assignment, Change, Finding, FindingOutcome,
    FoundComplaint, Handling, QueueFilter, QueueItem,
};
use crate::{ComplaintEvent, QueueScope, Result, Role};

/// The handling columns, named apart from the complaint's own.
const HANDLING_COLUMNS: &str =
    "h.assignee AS handling_assignee, h.enterprise AS handling_enterprise";

fn handling_from_row(row: &SqliteRow) -> Result<Handling> {
    let enterprise: Option<String> = row.try_get("handling_enterprise")?;
    Ok(Handling {
        assignee: row.try_get("handling_assignee")?,
        enterprise: enterprise
            .map(|code| CreditCode::parse(&code).map_err(|_| corrupt("linked enterprise", &code)))
            .transpose()?,
    })
}

fn item_from_row(row: &SqliteRow) -> Result<QueueItem> {
    Ok(QueueItem {
        complaint: complaint_from_row(row)?,
        handling: handling_from_row(row)?,
    })
}

/// A complaint's state as a decision needs it, read inside the decision's transaction.
struct Current {
    tracking_code: String,
    status: Status,
    district: Option<String>,
    handling: Handling,
}

async fn current(tx: &mut Transaction<'_, Sqlite>, complaint_id: i64) -> Result<Option<Current>> {
    let row = sqlx::query(&format!(
        "SELECT c.tracking_code, c.status, c.district, {HANDLING_COLUMNS} FROM complaints c \
         LEFT JOIN complaint_handling h ON h.complaint_id = c.id WHERE c.id = ?"
    ))
    .bind(complaint_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let status: String = row.try_get("status")?;
    Ok(Some(Current {
        tracking_code: row.try_get("tracking_code")?,
        status: status.parse().map_err(|_| corrupt("status", &status))?,
        district: row.try_get("district")?,
        handling: handling_from_row(&row)?,
    }))
}

async fn event(tx: &mut Transaction<'_, Sqlite>, id: i64) -> Result<ComplaintEvent> {
    let row = sqlx::query(
        "SELECT id, complaint_id, time, kind, status, body, actor FROM complaint_events \
         WHERE id = ?",
    )
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    event_from_row(&row)
}

impl SqliteStore {
    /// One statement: the complaints of the queue joined with their handling, the filters in
    /// SQL (so "assigned to me" finds an old complaint too, not only among the newest).
    pub(super) async fn hd_queue(
        &self,
        filter: &QueueFilter,
        limit: u32,
    ) -> Result<Vec<QueueItem>> {
        let mut sql: QueryBuilder<Sqlite> = QueryBuilder::new(format!(
            "SELECT {COMPLAINT_COLUMNS}, {HANDLING_COLUMNS} FROM complaints \
             LEFT JOIN complaint_handling h ON h.complaint_id = complaints.id WHERE 1 = 1"
        ));
        match &filter.scope {
            QueueScope::All => {}
            QueueScope::District(d) => {
                sql.push(" AND complaints.district = ").push_bind(d.clone());
            }
            QueueScope::City => {
                sql.push(" AND complaints.district IS NULL");
            }
        }
        if let Some(status) = filter.status {
            sql.push(" AND complaints.status = ")
                .push_bind(status.as_str());
        }
        match &filter.assignee {
            AssigneeFilter::Anyone => {}
            AssigneeFilter::Is(name) => {
                sql.push(" AND h.assignee = ").push_bind(name.clone());
            }
            AssigneeFilter::Nobody => {
                sql.push(" AND h.assignee IS NULL");
            }
        }
        sql.push(" ORDER BY complaints.created DESC, complaints.id DESC LIMIT ")
            .push_bind(i64::from(limit));
        sql.build()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(item_from_row)
            .collect()
    }

    pub(super) async fn hd_after(&self, after: i64, limit: u32) -> Result<Vec<QueueItem>> {
        sqlx::query(&format!(
            "SELECT {COMPLAINT_COLUMNS}, {HANDLING_COLUMNS} FROM complaints \
             LEFT JOIN complaint_handling h ON h.complaint_id = complaints.id \
             WHERE complaints.id > ? ORDER BY complaints.id LIMIT ?"
        ))
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(item_from_row)
        .collect()
    }

    pub(super) async fn hd_last_id(&self) -> Result<i64> {
        let id: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM complaints")
            .fetch_one(&self.pool)
            .await?;
        Ok(id.unwrap_or(0))
    }

    pub(super) async fn hd_handling(&self, complaint_ids: &[i64]) -> Result<Vec<(i64, Handling)>> {
        if complaint_ids.is_empty() {
            return Ok(Vec::new());
        }
        let ids = serde_json::to_string(complaint_ids)
            .map_err(|e| crate::StoreError::Corrupt(e.to_string()))?;
        sqlx::query(&format!(
            "SELECT h.complaint_id, {HANDLING_COLUMNS} FROM complaint_handling h \
             WHERE h.complaint_id IN (SELECT value FROM json_each(?)) ORDER BY h.complaint_id"
        ))
        .bind(ids)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| Ok((row.try_get("complaint_id")?, handling_from_row(row)?)))
        .collect()
    }

    pub(super) async fn hd_found_against(
        &self,
        enterprise: &CreditCode,
        limit: u32,
    ) -> Result<Vec<FoundComplaint>> {
        sqlx::query(&format!(
            "SELECT {COMPLAINT_COLUMNS}, \
             (SELECT MAX(e.time) FROM complaint_events e WHERE e.complaint_id = complaints.id \
             AND e.kind = 'enterprise_link') AS found \
             FROM complaint_handling h JOIN complaints ON complaints.id = h.complaint_id \
             WHERE h.enterprise = ? AND complaints.status = 'closed_founded' \
             ORDER BY found DESC, complaints.id DESC LIMIT ?"
        ))
        .bind(enterprise.as_str())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            let complaint = complaint_from_row(row)?;
            let found = match row.try_get::<Option<i64>, _>("found")? {
                Some(secs) => from_unix(secs)?,
                None => complaint.created,
            };
            Ok(FoundComplaint { complaint, found })
        })
        .collect()
    }

    pub(super) async fn hd_assign(&self, a: &Assignment) -> Result<AssignOutcome> {
        let mut tx = self.writer.begin_with(WRITE).await?;
        let Some(now) = current(&mut tx, a.complaint_id).await? else {
            return Ok(AssignOutcome::Stale);
        };
        if now.handling.assignee != a.expected {
            return Ok(AssignOutcome::Stale);
        }
        if now.status.is_closed() {
            return Ok(AssignOutcome::Closed);
        }
        if now.handling.assignee == a.assignee {
            return Ok(AssignOutcome::Unchanged);
        }
        if let Some(name) = &a.assignee {
            // In the transaction: an account removed or changed meanwhile is seen here.
            let row = sqlx::query("SELECT role, district FROM admins WHERE username = ?")
                .bind(name)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(row) = row else {
                return Ok(AssignOutcome::NoSuchOfficer);
            };
            let role: String = row.try_get("role")?;
            let role = Role::from_parts(&role, row.try_get("district")?)
                .ok_or_else(|| corrupt("admin role", &role))?;
            if !may_be_assigned(&role, now.district.as_deref()) {
                return Ok(AssignOutcome::NotEligible(role));
            }
        }
        sqlx::query(
            "INSERT INTO complaint_handling (complaint_id, assignee) VALUES (?, ?) \
             ON CONFLICT (complaint_id) DO UPDATE SET assignee = excluded.assignee",
        )
        .bind(a.complaint_id)
        .bind(&a.assignee)
        .execute(&mut *tx)
        .await?;
        let body = Change {
            before: now.handling.assignee.clone(),
            after: a.assignee.clone(),
        }
        .body();
        let id = append(
            &mut tx,
            &Draft {
                complaint_id: a.complaint_id,
                tracking_code: &now.tracking_code,
                time: to_unix(a.time),
                kind: "assignment",
                status: None,
                body: &body,
                actor: &a.actor,
            },
        )
        .await?;
        let recorded = event(&mut tx, id).await?;
        tx.commit().await?;
        Ok(AssignOutcome::Done(recorded))
    }

    pub(super) async fn hd_finding(&self, f: &Finding) -> Result<FindingOutcome> {
        let mut tx = self.writer.begin_with(WRITE).await?;
        let Some(now) = current(&mut tx, f.complaint_id).await? else {
            return Ok(FindingOutcome::Stale);
        };
        if now.status != f.expected_status || now.handling.enterprise != f.expected_enterprise {
            return Ok(FindingOutcome::Stale);
        }
        let closing = now.status != Status::ClosedFounded;
        if closing && !now.status.can_become(Status::ClosedFounded) {
            return Ok(FindingOutcome::NotAllowed);
        }
        let relink = now.handling.enterprise != f.enterprise;
        if !closing && !relink {
            return Ok(FindingOutcome::Unchanged);
        }
        if let (true, Some(code)) = (relink, &f.enterprise) {
            let known: Option<i64> =
                sqlx::query_scalar("SELECT 1 FROM enterprises WHERE credit_code = ?")
                    .bind(code.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
            if known.is_none() {
                return Ok(FindingOutcome::UnknownEnterprise);
            }
        }
        let time = to_unix(f.time);
        let mut ids = Vec::new();
        if closing {
            sqlx::query("UPDATE complaints SET status = 'closed_founded' WHERE id = ?")
                .bind(f.complaint_id)
                .execute(&mut *tx)
                .await?;
            ids.push(
                append(
                    &mut tx,
                    &Draft {
                        complaint_id: f.complaint_id,
                        tracking_code: &now.tracking_code,
                        time,
                        kind: "status",
                        status: Some(Status::ClosedFounded.as_str()),
                        body: &f.comment,
                        actor: &f.actor,
                    },
                )
                .await?,
            );
        }
        if relink {
            sqlx::query(
                "INSERT INTO complaint_handling (complaint_id, enterprise) VALUES (?, ?) \
                 ON CONFLICT (complaint_id) DO UPDATE SET enterprise = excluded.enterprise",
            )
            .bind(f.complaint_id)
            .bind(f.enterprise.as_ref().map(CreditCode::as_str))
            .execute(&mut *tx)
            .await?;
            let body = Change {
                before: now.handling.enterprise.as_ref().map(|c| c.to_string()),
                after: f.enterprise.as_ref().map(|c| c.to_string()),
            }
            .body();
            ids.push(
                append(
                    &mut tx,
                    &Draft {
                        complaint_id: f.complaint_id,
                        tracking_code: &now.tracking_code,
                        time,
                        kind: "enterprise_link",
                        status: None,
                        body: &body,
                        actor: &f.actor,
                    },
                )
                .await?,
            );
        }
        let mut events = Vec::with_capacity(ids.len());
        for id in ids {
            events.push(event(&mut tx, id).await?);
        }
        tx.commit().await?;
        Ok(FindingOutcome::Done(events))
    }
}
