//! The Open311 interface on SQLite: its API keys (migration 0010) and the complaints of
//! `GET requests` (see `crate::open311`). A child of `sqlite` so it shares its row readers.

use chrono::{DateTime, Utc};
use sqlx::{QueryBuilder, Row, Sqlite};

use super::{complaint_from_row, corrupt, from_unix, to_unix, COMPLAINT_COLUMNS};
use crate::open311::{Open311Key, RequestRecord, RequestSelection};
use crate::{Result, SourceName, SqliteStore, TokenHash};

fn key_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<Open311Key> {
    let name: String = row.try_get("name")?;
    Ok(Open311Key {
        name: SourceName::parse(&name).map_err(|_| corrupt("Open311 key name", &name))?,
        created: from_unix(row.try_get("created")?)?,
    })
}

impl SqliteStore {
    pub(super) async fn o311_add_key(
        &self,
        name: &SourceName,
        hash: &TokenHash,
        created: DateTime<Utc>,
    ) -> Result<bool> {
        // One statement: a name taken is "nothing inserted", not an error to decode.
        let inserted = sqlx::query(
            "INSERT INTO open311_keys (name, key_hash, created) VALUES (?, ?, ?) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(name.as_str())
        .bind(hash.as_bytes().as_slice())
        .bind(to_unix(created))
        .execute(&self.writer)
        .await?
        .rows_affected();
        Ok(inserted > 0)
    }

    pub(super) async fn o311_key_by_hash(&self, hash: &TokenHash) -> Result<Option<Open311Key>> {
        sqlx::query("SELECT name, created FROM open311_keys WHERE key_hash = ?")
            .bind(hash.as_bytes().as_slice())
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(key_from_row)
            .transpose()
    }

    pub(super) async fn o311_keys(&self) -> Result<Vec<Open311Key>> {
        sqlx::query("SELECT name, created FROM open311_keys ORDER BY name")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(key_from_row)
            .collect()
    }

    pub(super) async fn o311_remove_key(&self, name: &SourceName) -> Result<bool> {
        let removed = sqlx::query("DELETE FROM open311_keys WHERE name = ?")
            .bind(name.as_str())
            .execute(&self.writer)
            .await?
            .rows_affected();
        Ok(removed > 0)
    }

    /// One statement: each complaint comes with the time of its latest history record, its
    /// latest public reply and its first published photo (correlated subqueries on the
    /// complaint indexes of `complaint_events` and `complaint_photos`), so a thousand
    /// requests cost one query, not two thousand.
    pub(super) async fn o311_requests(
        &self,
        selection: &RequestSelection,
    ) -> Result<Vec<RequestRecord>> {
        let mut sql: QueryBuilder<Sqlite> = QueryBuilder::new(format!(
            "SELECT {COMPLAINT_COLUMNS}, \
             (SELECT MAX(e.time) FROM complaint_events e WHERE e.complaint_id = complaints.id) \
             AS updated, \
             (SELECT e.body FROM complaint_events e WHERE e.complaint_id = complaints.id \
             AND e.kind = 'public_reply' ORDER BY e.id DESC LIMIT 1) AS reply, \
             (SELECT MIN(p.number) FROM complaint_photos p \
             WHERE p.complaint_id = complaints.id AND p.publishable = 1) AS photo \
             FROM complaints WHERE "
        ));
        match selection {
            RequestSelection::Codes(codes) => {
                if codes.is_empty() {
                    return Ok(Vec::new());
                }
                sql.push("tracking_code IN (");
                let mut list = sql.separated(", ");
                for code in codes {
                    list.push_bind(code.as_str().to_owned());
                }
                sql.push(") ORDER BY created DESC, id DESC");
            }
            RequestSelection::Query {
                range,
                categories,
                statuses,
                limit,
            } => {
                sql.push("created >= ")
                    .push_bind(to_unix(range.from))
                    .push(" AND created <= ")
                    .push_bind(to_unix(range.to));
                if !categories.is_empty() {
                    sql.push(" AND category IN (");
                    let mut list = sql.separated(", ");
                    for category in categories {
                        list.push_bind(category.as_str());
                    }
                    sql.push(")");
                }
                if !statuses.is_empty() {
                    sql.push(" AND status IN (");
                    let mut list = sql.separated(", ");
                    for status in statuses {
                        list.push_bind(status.as_str());
                    }
                    sql.push(")");
                }
                sql.push(" ORDER BY created DESC, id DESC LIMIT ")
                    .push_bind(i64::from(*limit));
            }
        }
        sql.build()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|row| {
                let complaint = complaint_from_row(row)?;
                let updated = match row.try_get::<Option<i64>, _>("updated")? {
                    Some(secs) => from_unix(secs)?,
                    None => complaint.created,
                };
                let photo: Option<i64> = row.try_get("photo")?;
                Ok(RequestRecord {
                    updated,
                    latest_public_reply: row.try_get("reply")?,
                    public_photo: photo.and_then(|n| u32::try_from(n).ok()),
                    complaint,
                })
            })
            .collect()
    }
}
