//! The back office on SQLite: accounts, sessions, officers' actions and the audit chain
//! (see `crate::admin`). A child of `sqlite` so it shares its row readers.

use chrono::{DateTime, Utc};
use sqlx::{Row, Sqlite, SqlitePool, Transaction};

use super::{complaint_from_row, corrupt, event_from_row, from_unix, to_unix, COMPLAINT_COLUMNS};
use crate::admin::{
    chain_hash, to_hex, Admin, AdminSession, AuditReport, BrokenRecord, ChainedEvent,
    ComplaintAction, Role, GENESIS,
};
use crate::handling::Change;
use crate::{ComplaintEvent, EventKind, Result, SqliteStore, TokenHash};

/// An event to append to the chain.
pub(super) struct Draft<'a> {
    pub complaint_id: i64,
    pub tracking_code: &'a str,
    pub time: i64,
    pub kind: &'a str,
    pub status: Option<&'a str>,
    pub body: &'a str,
    pub actor: &'a str,
}

fn hash32(bytes: Option<Vec<u8>>) -> Option<[u8; 32]> {
    bytes.and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok())
}

/// Appends an event at the head of the chain, inside a write transaction (which SQLite holds
/// alone, so nobody appends in between). Its id is the next one, chosen here because the id
/// is part of what is hashed.
pub(super) async fn append(tx: &mut Transaction<'_, Sqlite>, draft: &Draft<'_>) -> Result<i64> {
    let last = sqlx::query("SELECT id, hash FROM complaint_events ORDER BY id DESC LIMIT 1")
        .fetch_optional(&mut **tx)
        .await?;
    let (id, prev) = match last {
        None => (1, GENESIS),
        Some(row) => {
            let id: i64 = row.try_get("id")?;
            let prev = hash32(row.try_get("hash")?)
                .ok_or_else(|| corrupt("audit chain head", &id.to_string()))?;
            (id + 1, prev)
        }
    };
    let hash = chain_hash(
        &ChainedEvent {
            id,
            tracking_code: draft.tracking_code,
            time: draft.time,
            kind: draft.kind,
            status: draft.status,
            body: draft.body,
            actor: draft.actor,
        },
        &prev,
    );
    sqlx::query(
        "INSERT INTO complaint_events (id, complaint_id, time, kind, status, body, actor, \
         prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id)
    .bind(draft.complaint_id)
    .bind(draft.time)
    .bind(draft.kind)
    .bind(draft.status)
    .bind(draft.body)
    .bind(draft.actor)
    .bind(prev.as_slice())
    .bind(hash.as_slice())
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

const EVENT_CHAIN_SQL: &str = "SELECT e.id, e.time, e.kind, e.status, e.body, e.actor, \
     e.prev_hash, e.hash, c.tracking_code FROM complaint_events e \
     LEFT JOIN complaints c ON c.id = e.complaint_id ORDER BY e.id";

/// Events from before the chain (migration 0007) get their hashes once, when the store opens:
/// only when no event has a hash yet, so an event slipped in later is never sealed.
pub(super) async fn seal_legacy(pool: &SqlitePool) -> Result<()> {
    let mut tx = pool.begin_with(super::WRITE).await?;
    let unsealed: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM complaint_events WHERE hash IS NULL")
            .fetch_one(&mut *tx)
            .await?;
    let sealed: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM complaint_events WHERE hash IS NOT NULL")
            .fetch_one(&mut *tx)
            .await?;
    if unsealed == 0 || sealed > 0 {
        return Ok(());
    }
    let rows = sqlx::query(EVENT_CHAIN_SQL).fetch_all(&mut *tx).await?;
    sqlx::query("DROP TRIGGER complaint_events_no_update")
        .execute(&mut *tx)
        .await?;
    let mut prev = GENESIS;
    for row in &rows {
        let id: i64 = row.try_get("id")?;
        let code: Option<String> = row.try_get("tracking_code")?;
        let status: Option<String> = row.try_get("status")?;
        let hash = chain_hash(
            &ChainedEvent {
                id,
                tracking_code: code.as_deref().unwrap_or(""),
                time: row.try_get("time")?,
                kind: row.try_get("kind")?,
                status: status.as_deref(),
                body: row.try_get("body")?,
                actor: row.try_get("actor")?,
            },
            &prev,
        );
        sqlx::query("UPDATE complaint_events SET prev_hash = ?, hash = ? WHERE id = ?")
            .bind(prev.as_slice())
            .bind(hash.as_slice())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        prev = hash;
    }
    sqlx::query(
        "CREATE TRIGGER complaint_events_no_update BEFORE UPDATE ON complaint_events \
         BEGIN SELECT RAISE(ABORT, 'complaint_events is append-only'); END",
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    tracing::info!(
        events = rows.len(),
        "complaint history sealed into the audit chain"
    );
    Ok(())
}

fn admin_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<Admin> {
    let role: String = row.try_get("role")?;
    Ok(Admin {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        role: Role::from_parts(&role, row.try_get("district")?)
            .ok_or_else(|| corrupt("admin role", &role))?,
        created: from_unix(row.try_get("created")?)?,
    })
}

impl SqliteStore {
    pub(super) async fn bo_add_admin(
        &self,
        username: &str,
        role: &Role,
        password_hash: &str,
        created: DateTime<Utc>,
    ) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO admins (username, role, district, password_hash, created) \
             VALUES (?, ?, ?, ?, ?) ON CONFLICT (username) DO NOTHING",
        )
        .bind(username)
        .bind(role.as_str())
        .bind(role.district())
        .bind(password_hash)
        .bind(to_unix(created))
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub(super) async fn bo_admins(&self) -> Result<Vec<Admin>> {
        sqlx::query("SELECT id, username, role, district, created FROM admins ORDER BY username")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(admin_from_row)
            .collect()
    }

    pub(super) async fn bo_remove_admin(&self, username: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM admins WHERE username = ?")
            .bind(username)
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    pub(super) async fn bo_admin_credentials(
        &self,
        username: &str,
    ) -> Result<Option<(Admin, String)>> {
        let row = sqlx::query(
            "SELECT id, username, role, district, created, password_hash FROM admins \
             WHERE username = ?",
        )
        .bind(username)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            None => Ok(None),
            Some(row) => Ok(Some((admin_from_row(&row)?, row.try_get("password_hash")?))),
        }
    }

    pub(super) async fn bo_create_session(
        &self,
        id_hash: &TokenHash,
        admin_id: i64,
        csrf: &str,
        expires: DateTime<Utc>,
    ) -> Result<()> {
        // Expired sessions go whenever a new one starts.
        sqlx::query("DELETE FROM admin_sessions WHERE expires < ?")
            .bind(to_unix(Utc::now()))
            .execute(&self.writer)
            .await?;
        sqlx::query(
            "INSERT INTO admin_sessions (id_hash, admin_id, csrf, expires) VALUES (?, ?, ?, ?)",
        )
        .bind(id_hash.as_bytes().as_slice())
        .bind(admin_id)
        .bind(csrf)
        .bind(to_unix(expires))
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    pub(super) async fn bo_session(
        &self,
        id_hash: &TokenHash,
        now: DateTime<Utc>,
    ) -> Result<Option<AdminSession>> {
        let row = sqlx::query(
            "SELECT a.id, a.username, a.role, a.district, a.created, s.csrf, s.expires \
             FROM admin_sessions s JOIN admins a ON a.id = s.admin_id \
             WHERE s.id_hash = ? AND s.expires > ?",
        )
        .bind(id_hash.as_bytes().as_slice())
        .bind(to_unix(now))
        .fetch_optional(&self.pool)
        .await?;
        match row {
            None => Ok(None),
            Some(row) => Ok(Some(AdminSession {
                admin: admin_from_row(&row)?,
                csrf: row.try_get("csrf")?,
                expires: from_unix(row.try_get("expires")?)?,
            })),
        }
    }

    pub(super) async fn bo_end_session(&self, id_hash: &TokenHash) -> Result<()> {
        sqlx::query("DELETE FROM admin_sessions WHERE id_hash = ?")
            .bind(id_hash.as_bytes().as_slice())
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    pub(super) async fn bo_act(&self, action: &ComplaintAction) -> Result<Option<ComplaintEvent>> {
        let mut tx = self.writer.begin_with(super::WRITE).await?;
        let row = sqlx::query(&format!(
            "SELECT {COMPLAINT_COLUMNS} FROM complaints WHERE id = ?"
        ))
        .bind(action.complaint_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let complaint = complaint_from_row(&row)?;
        if complaint.status != action.expected_status {
            return Ok(None);
        }
        // Assignments and findings change `complaint_handling` too: they have calls of
        // their own (`crate::handling`), never a bare event.
        if matches!(
            action.kind,
            EventKind::Assignment | EventKind::EnterpriseLink
        ) {
            return Ok(None);
        }
        if action.kind == EventKind::Status {
            let Some(status) = action.status else {
                return Ok(None);
            };
            sqlx::query("UPDATE complaints SET status = ? WHERE id = ?")
                .bind(status.as_str())
                .bind(complaint.id)
                .execute(&mut *tx)
                .await?;
        }
        let id = append(
            &mut tx,
            &Draft {
                complaint_id: complaint.id,
                tracking_code: complaint.tracking_code.as_str(),
                time: to_unix(action.time),
                kind: action.kind.as_str(),
                status: action.status.map(|s| s.as_str()),
                body: &action.body,
                actor: &action.actor,
            },
        )
        .await?;
        let row = sqlx::query(
            "SELECT id, complaint_id, time, kind, status, body, actor FROM complaint_events \
             WHERE id = ?",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let event = event_from_row(&row)?;
        tx.commit().await?;
        Ok(Some(event))
    }

    pub(super) async fn bo_verify(&self) -> Result<AuditReport> {
        let rows = sqlx::query(EVENT_CHAIN_SQL).fetch_all(&self.pool).await?;
        let mut prev = GENESIS;
        let mut broken = None;
        let mut last_status: std::collections::HashMap<String, String> = Default::default();
        // What each complaint's assignments and enterprise links end with (migration 0018).
        let mut handled: std::collections::HashMap<String, ChainHandling> = Default::default();
        for row in &rows {
            let id: i64 = row.try_get("id")?;
            let code: Option<String> = row.try_get("tracking_code")?;
            let code_text = code.clone().unwrap_or_default();
            let status: Option<String> = row.try_get("status")?;
            let kind: String = row.try_get("kind")?;
            let stored_prev = hash32(row.try_get("prev_hash")?);
            let stored = hash32(row.try_get("hash")?);
            let body: &str = row.try_get("body")?;
            let computed = chain_hash(
                &ChainedEvent {
                    id,
                    tracking_code: &code_text,
                    time: row.try_get("time")?,
                    kind: &kind,
                    status: status.as_deref(),
                    body,
                    actor: row.try_get("actor")?,
                },
                &prev,
            );
            let handling = handled.entry(code_text.clone()).or_default();
            let reason = if code.is_none() {
                Some("its complaint is missing (deleted)".to_owned())
            } else if stored.is_none() {
                Some("it carries no hash (inserted outside Daylight)".to_owned())
            } else if stored_prev != Some(prev) {
                Some(
                    "it does not follow the record before it (a record was deleted or \
                     inserted before it, or it was moved)"
                        .to_owned(),
                )
            } else if stored != Some(computed) {
                Some("its content does not match its hash (edited)".to_owned())
            } else {
                handling.follow(id, &kind, body)
            };
            if let Some(reason) = reason {
                broken = Some(BrokenRecord {
                    event_id: id,
                    tracking_code: code_text,
                    reason,
                });
                break;
            }
            if kind == "status" {
                if let Some(status) = status {
                    last_status.insert(code_text, status);
                }
            }
            prev = stored.unwrap_or(computed);
        }
        let complaints = sqlx::query(
            "SELECT c.id, c.tracking_code, c.status, h.assignee, h.enterprise \
             FROM complaints c LEFT JOIN complaint_handling h ON h.complaint_id = c.id \
             ORDER BY c.id",
        )
        .fetch_all(&self.pool)
        .await?;
        if broken.is_none() {
            // A complaint's status must be the one its history ends with.
            for row in &complaints {
                let code: String = row.try_get("tracking_code")?;
                let status: String = row.try_get("status")?;
                if last_status.get(&code) != Some(&status) {
                    let last_event: Option<i64> = sqlx::query_scalar(
                        "SELECT MAX(id) FROM complaint_events WHERE complaint_id = ?",
                    )
                    .bind(row.try_get::<i64, _>("id")?)
                    .fetch_one(&self.pool)
                    .await?;
                    broken = Some(BrokenRecord {
                        event_id: last_event.unwrap_or(0),
                        tracking_code: code,
                        reason: format!(
                            "the complaint's status '{status}' is not the one its history \
                             ends with (the complaint or its last event was changed or deleted)"
                        ),
                    });
                    break;
                }
                // So must its assignee and linked enterprise.
                let chain = handled.get(&code).cloned().unwrap_or_default();
                for (what, stored, ended) in [
                    (
                        "assignee",
                        row.try_get::<Option<String>, _>("assignee")?,
                        chain.assignee,
                    ),
                    (
                        "linked enterprise",
                        row.try_get::<Option<String>, _>("enterprise")?,
                        chain.enterprise,
                    ),
                ] {
                    if stored != ended.value {
                        let event_id = match ended.event_id {
                            0 => sqlx::query_scalar::<_, Option<i64>>(
                                "SELECT MAX(id) FROM complaint_events WHERE complaint_id = ?",
                            )
                            .bind(row.try_get::<i64, _>("id")?)
                            .fetch_one(&self.pool)
                            .await?
                            .unwrap_or(0),
                            id => id,
                        };
                        broken = Some(BrokenRecord {
                            event_id,
                            tracking_code: code.clone(),
                            reason: format!(
                                "the complaint's {what} '{}' is not the one its history ends \
                                 with ('{}'): the complaint's handling or its record was \
                                 changed or deleted",
                                stored.as_deref().unwrap_or("-"),
                                ended.value.as_deref().unwrap_or("-"),
                            ),
                        });
                        break;
                    }
                }
                if broken.is_some() {
                    break;
                }
            }
        }
        Ok(AuditReport {
            events: rows.len() as u64,
            complaints: complaints.len() as u64,
            head: to_hex(&prev),
            broken,
        })
    }
}

/// Where a complaint's chain leaves one of its handling values.
#[derive(Debug, Clone, Default)]
struct Ended {
    value: Option<String>,
    /// The record that set it (0: none did).
    event_id: i64,
}

/// What a complaint's assignment and enterprise-link records end with, followed record by
/// record while the chain is verified.
#[derive(Debug, Clone, Default)]
struct ChainHandling {
    assignee: Ended,
    enterprise: Ended,
}

impl ChainHandling {
    /// Follows one record; the reason it does not hold, if it does not: a body that is not a
    /// change, or a change that does not start from where the previous one ended.
    fn follow(&mut self, id: i64, kind: &str, body: &str) -> Option<String> {
        let (what, ended) = match kind {
            "assignment" => ("assignment", &mut self.assignee),
            "enterprise_link" => ("enterprise link", &mut self.enterprise),
            _ => return None,
        };
        let Some(change) = Change::parse(body) else {
            return Some(format!("its body is not the record of an {what}"));
        };
        if change.before != ended.value {
            return Some(format!(
                "its {what} starts from '{}', but the one before it ended with '{}'",
                change.before.as_deref().unwrap_or("-"),
                ended.value.as_deref().unwrap_or("-"),
            ));
        }
        *ended = Ended {
            value: change.after,
            event_id: id,
        };
        None
    }
}
