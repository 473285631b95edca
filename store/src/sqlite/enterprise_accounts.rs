//! Enterprise accounts on SQLite (migration 0012): users, sessions, manual results,
//! statements and the audit chain (see `crate::enterprise_accounts`).

use std::str::FromStr;

use chrono::{DateTime, Utc};
use daylight_domain::enterprise::{CreditCode, OutletCode, Pollutant, StatementKind};
use daylight_domain::station::DataSource;
use daylight_domain::units::Unit;
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, Sqlite, Transaction};

use super::{corrupt, from_unix, to_unix, SqliteStore, WRITE};
use crate::admin::{to_hex, GENESIS};
use crate::enterprise_accounts::{
    audit_hash, AuditAction, AuditRecord, ChainedAudit, EnterpriseAuditReport, EnterpriseSession,
    EnterpriseUser, ManualResult, NewManualResult, NewStatement, Statement,
};
use crate::{Result, StoreError, TokenHash};

const USER_COLUMNS: &str = "u.id, u.username, u.enterprise, u.display_name, u.created";

fn user_from_row(row: &SqliteRow) -> Result<EnterpriseUser> {
    let enterprise: String = row.try_get("enterprise")?;
    Ok(EnterpriseUser {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        enterprise: CreditCode::parse(&enterprise)
            .map_err(|_| corrupt("enterprise", &enterprise))?,
        display_name: row.try_get("display_name")?,
        created: from_unix(row.try_get("created")?)?,
    })
}

fn parsed<T: FromStr>(row: &SqliteRow, column: &str) -> Result<T> {
    let raw: String = row.try_get(column)?;
    T::from_str(&raw).map_err(|_| corrupt(column, &raw))
}

fn optional_time(row: &SqliteRow, column: &str) -> Result<Option<DateTime<Utc>>> {
    row.try_get::<Option<i64>, _>(column)?
        .map(from_unix)
        .transpose()
}

fn statement_from_row(row: &SqliteRow) -> Result<Statement> {
    let outlet: Option<String> = row.try_get("outlet")?;
    Ok(Statement {
        id: row.try_get("id")?,
        enterprise: CreditCode::parse(&row.try_get::<String, _>("enterprise")?)
            .map_err(|_| corrupt("statement enterprise", ""))?,
        kind: parsed::<StatementKind>(row, "kind")?,
        body: row.try_get("body")?,
        outlet: outlet
            .map(|o| OutletCode::parse(&o).map_err(|_| corrupt("statement outlet", &o)))
            .transpose()?,
        period_from: optional_time(row, "period_from")?,
        period_to: optional_time(row, "period_to")?,
        corrects: row.try_get("corrects")?,
        author: row.try_get("author")?,
        created: from_unix(row.try_get("created")?)?,
    })
}

fn audit_from_row(row: &SqliteRow) -> Result<AuditRecord> {
    let action: String = row.try_get("action")?;
    Ok(AuditRecord {
        id: row.try_get("id")?,
        enterprise: CreditCode::parse(&row.try_get::<String, _>("enterprise")?)
            .map_err(|_| corrupt("audit enterprise", ""))?,
        time: from_unix(row.try_get("time")?)?,
        actor: row.try_get("actor")?,
        action: AuditAction::parse(&action).ok_or_else(|| corrupt("audit action", &action))?,
        subject: row.try_get("subject")?,
        before: row.try_get("before")?,
        after: row.try_get("after")?,
    })
}

fn hash32(bytes: Option<Vec<u8>>) -> Option<[u8; 32]> {
    bytes.and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok())
}

/// A record to append to the chain.
struct Draft<'a> {
    enterprise: &'a CreditCode,
    time: DateTime<Utc>,
    actor: &'a str,
    action: AuditAction,
    subject: &'a str,
    before: Option<&'a str>,
    after: Option<&'a str>,
}

/// Appends a record at the head of the chain inside a write transaction (held alone, so
/// nobody appends in between); the id is chosen here because it is hashed.
async fn append(tx: &mut Transaction<'_, Sqlite>, draft: &Draft<'_>) -> Result<AuditRecord> {
    let last = sqlx::query("SELECT id, hash FROM enterprise_audit ORDER BY id DESC LIMIT 1")
        .fetch_optional(&mut **tx)
        .await?;
    let (id, prev) = match last {
        None => (1, GENESIS),
        Some(row) => {
            let id: i64 = row.try_get("id")?;
            let prev = hash32(row.try_get("hash")?)
                .ok_or_else(|| corrupt("enterprise audit head", &id.to_string()))?;
            (id + 1, prev)
        }
    };
    let time = to_unix(draft.time);
    let hash = audit_hash(
        &ChainedAudit {
            id,
            enterprise: draft.enterprise.as_str(),
            time,
            actor: draft.actor,
            action: draft.action.as_str(),
            subject: draft.subject,
            before: draft.before,
            after: draft.after,
        },
        &prev,
    );
    sqlx::query(
        "INSERT INTO enterprise_audit (id, enterprise, time, actor, action, subject, before, \
         after, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id)
    .bind(draft.enterprise.as_str())
    .bind(time)
    .bind(draft.actor)
    .bind(draft.action.as_str())
    .bind(draft.subject)
    .bind(draft.before)
    .bind(draft.after)
    .bind(prev.as_slice())
    .bind(hash.as_slice())
    .execute(&mut **tx)
    .await?;
    Ok(AuditRecord {
        id,
        enterprise: draft.enterprise.clone(),
        time: from_unix(time)?,
        actor: draft.actor.to_owned(),
        action: draft.action,
        subject: draft.subject.to_owned(),
        before: draft.before.map(str::to_owned),
        after: draft.after.map(str::to_owned),
    })
}

/// A value as the audit trail states it.
fn describe_value(value: f64, unit: &str, source: &str, note: Option<&str>) -> String {
    match note {
        Some(note) if !note.is_empty() => format!("{value} {unit} ({source}; {note})"),
        _ => format!("{value} {unit} ({source})"),
    }
}

impl SqliteStore {
    pub(super) async fn ea_add_user(
        &self,
        username: &str,
        enterprise: &CreditCode,
        display_name: &str,
        password_hash: &str,
        created: DateTime<Utc>,
    ) -> Result<bool> {
        let mut tx = self.writer.begin_with(WRITE).await?;
        let known: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM enterprises WHERE credit_code = ?")
                .bind(enterprise.as_str())
                .fetch_optional(&mut *tx)
                .await?;
        if known.is_none() {
            return Err(StoreError::UnknownEnterprise(enterprise.to_string()));
        }
        let done = sqlx::query(
            "INSERT INTO enterprise_users (username, enterprise, display_name, password_hash, \
             created) VALUES (?, ?, ?, ?, ?) ON CONFLICT (username) DO NOTHING",
        )
        .bind(username)
        .bind(enterprise.as_str())
        .bind(display_name)
        .bind(password_hash)
        .bind(to_unix(created))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    pub(super) async fn ea_users(&self) -> Result<Vec<EnterpriseUser>> {
        sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM enterprise_users u ORDER BY u.username"
        ))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(user_from_row)
        .collect()
    }

    pub(super) async fn ea_remove_user(&self, username: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM enterprise_users WHERE username = ?")
            .bind(username)
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    pub(super) async fn ea_credentials(
        &self,
        username: &str,
    ) -> Result<Option<(EnterpriseUser, String)>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS}, u.password_hash FROM enterprise_users u WHERE u.username = ?"
        ))
        .bind(username)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            None => Ok(None),
            Some(row) => Ok(Some((user_from_row(&row)?, row.try_get("password_hash")?))),
        }
    }

    pub(super) async fn ea_create_session(
        &self,
        id_hash: &TokenHash,
        user: &EnterpriseUser,
        csrf: &str,
        expires: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut tx = self.writer.begin_with(WRITE).await?;
        // Expired sessions go whenever a new one starts.
        sqlx::query("DELETE FROM enterprise_sessions WHERE expires < ?")
            .bind(to_unix(now))
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO enterprise_sessions (id_hash, user_id, csrf, expires) \
             VALUES (?, ?, ?, ?)",
        )
        .bind(id_hash.as_bytes().as_slice())
        .bind(user.id)
        .bind(csrf)
        .bind(to_unix(expires))
        .execute(&mut *tx)
        .await?;
        append(
            &mut tx,
            &Draft {
                enterprise: &user.enterprise,
                time: now,
                actor: &user.username,
                action: AuditAction::SignIn,
                subject: "session",
                before: None,
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub(super) async fn ea_session(
        &self,
        id_hash: &TokenHash,
        now: DateTime<Utc>,
    ) -> Result<Option<EnterpriseSession>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS}, s.csrf, s.expires FROM enterprise_sessions s \
             JOIN enterprise_users u ON u.id = s.user_id WHERE s.id_hash = ? AND s.expires > ?"
        ))
        .bind(id_hash.as_bytes().as_slice())
        .bind(to_unix(now))
        .fetch_optional(&self.pool)
        .await?;
        match row {
            None => Ok(None),
            Some(row) => Ok(Some(EnterpriseSession {
                user: user_from_row(&row)?,
                csrf: row.try_get("csrf")?,
                expires: from_unix(row.try_get("expires")?)?,
            })),
        }
    }

    pub(super) async fn ea_end_session(&self, id_hash: &TokenHash) -> Result<()> {
        sqlx::query("DELETE FROM enterprise_sessions WHERE id_hash = ?")
            .bind(id_hash.as_bytes().as_slice())
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// All of `results` or nothing: an outlet not of the user's enterprise is
    /// [`StoreError::UnknownOutlet`] and the transaction is dropped.
    pub(super) async fn ea_record_manual_results(
        &self,
        user: &EnterpriseUser,
        results: &[NewManualResult],
        now: DateTime<Utc>,
    ) -> Result<Vec<AuditRecord>> {
        let mut tx = self.writer.begin_with(WRITE).await?;
        let mut records = Vec::with_capacity(results.len());
        for r in results {
            let id: Option<i64> =
                sqlx::query_scalar("SELECT id FROM outlets WHERE enterprise = ? AND code = ?")
                    .bind(user.enterprise.as_str())
                    .bind(r.outlet.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some(id) = id else {
                return Err(StoreError::UnknownOutlet(format!(
                    "{}/{}",
                    user.enterprise, r.outlet
                )));
            };
            let time = to_unix(r.time);
            let before = sqlx::query(
                "SELECT r.value, r.unit, r.source, m.lab_note FROM outlet_readings r \
                 LEFT JOIN outlet_manual_results m ON m.outlet_id = r.outlet_id \
                 AND m.time = r.time AND m.parameter = r.parameter \
                 WHERE r.outlet_id = ? AND r.time = ? AND r.parameter = ?",
            )
            .bind(id)
            .bind(time)
            .bind(r.pollutant.as_str())
            .fetch_optional(&mut *tx)
            .await?
            .map(|row| -> Result<String> {
                let note: Option<String> = row.try_get("lab_note")?;
                let source: String = row.try_get("source")?;
                let source = if note.is_some() {
                    "manual".to_owned()
                } else {
                    source
                };
                Ok(describe_value(
                    row.try_get("value")?,
                    &row.try_get::<String, _>("unit")?,
                    &source,
                    note.as_deref(),
                ))
            })
            .transpose()?;
            let provenance = if r.lab_note.is_empty() {
                format!("manual upload by {}", user.username)
            } else {
                format!("manual upload by {}: {}", user.username, r.lab_note)
            };
            sqlx::query(
                "INSERT INTO outlet_readings (outlet_id, time, parameter, value, unit, flag, \
                 source, provenance) VALUES (?1, ?2, ?3, ?4, ?5, 'N', ?6, ?7) \
                 ON CONFLICT (outlet_id, time, parameter) DO UPDATE SET value = ?4, unit = ?5, \
                 flag = 'N', source = ?6, provenance = ?7",
            )
            .bind(id)
            .bind(time)
            .bind(r.pollutant.as_str())
            .bind(r.value)
            .bind(r.unit.ascii())
            .bind(DataSource::SelfReported.as_str())
            .bind(&provenance)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO outlet_manual_results (outlet_id, time, parameter, value, lab_note, \
                 uploaded_by, uploaded) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
                 ON CONFLICT (outlet_id, time, parameter) DO UPDATE SET value = ?4, \
                 lab_note = ?5, uploaded_by = ?6, uploaded = ?7",
            )
            .bind(id)
            .bind(time)
            .bind(r.pollutant.as_str())
            .bind(r.value)
            .bind(&r.lab_note)
            .bind(&user.username)
            .bind(to_unix(now))
            .execute(&mut *tx)
            .await?;
            let subject = format!(
                "{} {} {}",
                r.outlet,
                r.pollutant.as_str(),
                r.time.format("%Y-%m-%dT%H:%M:%SZ")
            );
            let after = describe_value(r.value, r.unit.ascii(), "manual", Some(&r.lab_note));
            records.push(
                append(
                    &mut tx,
                    &Draft {
                        enterprise: &user.enterprise,
                        time: now,
                        actor: &user.username,
                        action: AuditAction::ManualResult,
                        subject: &subject,
                        before: before.as_deref(),
                        after: Some(&after),
                    },
                )
                .await?,
            );
        }
        tx.commit().await?;
        Ok(records)
    }

    pub(super) async fn ea_manual_results(
        &self,
        enterprise: &CreditCode,
        since: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<ManualResult>> {
        // Only while the stored value is still the uploaded one: a later automatic value
        // for the same hour is not labelled manual.
        let rows = sqlx::query(
            "SELECT o.code, m.time, m.parameter, m.value, r.unit, m.lab_note, m.uploaded_by, \
             m.uploaded FROM outlet_manual_results m JOIN outlets o ON o.id = m.outlet_id \
             JOIN outlet_readings r ON r.outlet_id = m.outlet_id AND r.time = m.time \
             AND r.parameter = m.parameter AND r.value = m.value \
             WHERE o.enterprise = ? AND m.time >= ? ORDER BY m.time DESC, o.code, m.parameter \
             LIMIT ?",
        )
        .bind(enterprise.as_str())
        .bind(to_unix(since))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let outlet: String = row.try_get("code")?;
                Ok(ManualResult {
                    enterprise: enterprise.clone(),
                    outlet: OutletCode::parse(&outlet).map_err(|_| corrupt("outlet", &outlet))?,
                    pollutant: parsed::<Pollutant>(row, "parameter")?,
                    time: from_unix(row.try_get("time")?)?,
                    value: row.try_get("value")?,
                    unit: parsed::<Unit>(row, "unit")?,
                    lab_note: row.try_get("lab_note")?,
                    uploaded_by: row.try_get("uploaded_by")?,
                    uploaded: from_unix(row.try_get("uploaded")?)?,
                })
            })
            .collect()
    }

    pub(super) async fn ea_publish_statement(
        &self,
        user: &EnterpriseUser,
        statement: &NewStatement,
        now: DateTime<Utc>,
    ) -> Result<Statement> {
        let mut tx = self.writer.begin_with(WRITE).await?;
        if let Some(outlet) = &statement.outlet {
            let known: Option<i64> =
                sqlx::query_scalar("SELECT 1 FROM outlets WHERE enterprise = ? AND code = ?")
                    .bind(user.enterprise.as_str())
                    .bind(outlet.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
            if known.is_none() {
                return Err(StoreError::UnknownOutlet(format!(
                    "{}/{}",
                    user.enterprise, outlet
                )));
            }
        }
        if let Some(corrects) = statement.corrects {
            let known: Option<i64> = sqlx::query_scalar(
                "SELECT 1 FROM enterprise_statements WHERE id = ? AND enterprise = ?",
            )
            .bind(corrects)
            .bind(user.enterprise.as_str())
            .fetch_optional(&mut *tx)
            .await?;
            if known.is_none() {
                return Err(StoreError::UnknownStatement(corrects.to_string()));
            }
        }
        let created = to_unix(now);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO enterprise_statements (enterprise, kind, body, outlet, period_from, \
             period_to, corrects, author, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) \
             RETURNING id",
        )
        .bind(user.enterprise.as_str())
        .bind(statement.kind.as_str())
        .bind(&statement.body)
        .bind(statement.outlet.as_ref().map(|o| o.as_str()))
        .bind(statement.period_from.map(to_unix))
        .bind(statement.period_to.map(to_unix))
        .bind(statement.corrects)
        .bind(user.author())
        .bind(created)
        .fetch_one(&mut *tx)
        .await?;
        let subject = match statement.corrects {
            Some(old) => format!("statement {id} (corrects {old})"),
            None => format!("statement {id}"),
        };
        let after = format!("{}: {}", statement.kind.as_str(), statement.body);
        append(
            &mut tx,
            &Draft {
                enterprise: &user.enterprise,
                time: now,
                actor: &user.username,
                action: AuditAction::Statement,
                subject: &subject,
                before: None,
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Statement {
            id,
            enterprise: user.enterprise.clone(),
            kind: statement.kind,
            body: statement.body.clone(),
            outlet: statement.outlet.clone(),
            period_from: statement.period_from,
            period_to: statement.period_to,
            corrects: statement.corrects,
            author: user.author().to_owned(),
            created: from_unix(created)?,
        })
    }

    pub(super) async fn ea_statements(&self, enterprise: &CreditCode) -> Result<Vec<Statement>> {
        sqlx::query(
            "SELECT id, enterprise, kind, body, outlet, period_from, period_to, corrects, \
             author, created FROM enterprise_statements WHERE enterprise = ? ORDER BY id DESC",
        )
        .bind(enterprise.as_str())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(statement_from_row)
        .collect()
    }

    pub(super) async fn ea_audit(
        &self,
        enterprise: &CreditCode,
        limit: u32,
    ) -> Result<Vec<AuditRecord>> {
        sqlx::query(
            "SELECT id, enterprise, time, actor, action, subject, before, after \
             FROM enterprise_audit WHERE enterprise = ? ORDER BY id DESC LIMIT ?",
        )
        .bind(enterprise.as_str())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(audit_from_row)
        .collect()
    }

    pub(super) async fn ea_verify_chain(&self) -> Result<EnterpriseAuditReport> {
        let rows = sqlx::query(
            "SELECT id, enterprise, time, actor, action, subject, before, after, prev_hash, \
             hash FROM enterprise_audit ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut prev = GENESIS;
        let mut enterprises = std::collections::BTreeSet::new();
        for (expected_id, row) in (1_i64..).zip(&rows) {
            let id: i64 = row.try_get("id")?;
            let enterprise: String = row.try_get("enterprise")?;
            let broken = |reason: &str| EnterpriseAuditReport {
                records: rows.len() as u64,
                enterprises: 0,
                head: to_hex(&prev),
                broken: Some((id, reason.to_owned())),
            };
            if id != expected_id {
                return Ok(broken(&format!(
                    "record {expected_id} is missing (the next one is {id})"
                )));
            }
            if hash32(row.try_get("prev_hash")?) != Some(prev) {
                return Ok(broken(
                    "its previous hash is not the hash of the record before",
                ));
            }
            let before: Option<String> = row.try_get("before")?;
            let after: Option<String> = row.try_get("after")?;
            let actor: String = row.try_get("actor")?;
            let action: String = row.try_get("action")?;
            let subject: String = row.try_get("subject")?;
            let hash = audit_hash(
                &ChainedAudit {
                    id,
                    enterprise: &enterprise,
                    time: row.try_get("time")?,
                    actor: &actor,
                    action: &action,
                    subject: &subject,
                    before: before.as_deref(),
                    after: after.as_deref(),
                },
                &prev,
            );
            if hash32(row.try_get("hash")?) != Some(hash) {
                return Ok(broken("its content does not match its hash (edited)"));
            }
            enterprises.insert(enterprise);
            prev = hash;
        }
        Ok(EnterpriseAuditReport {
            records: rows.len() as u64,
            enterprises: enterprises.len() as u64,
            head: to_hex(&prev),
            broken: None,
        })
    }
}
