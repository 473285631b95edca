//! Complaint photos on SQLite (migration 0011). A child of `sqlite` so the complaint's
//! transaction can insert them and an officer's decision can go on the audit chain.

use chrono::{DateTime, Utc};
use daylight_domain::complaint::photo::{ImageKind, Photo};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, Sqlite, Transaction};

use super::backoffice::{append, Draft};
use super::{corrupt, to_unix, SqliteStore, WRITE};
use crate::{PhotoCopy, PhotoInfo, Result, StoreError};

const INFO_COLUMNS: &str = "complaint_id, number, kind, length(original) AS original_bytes, \
     coalesce(length(public), length(original)) AS public_bytes, publishable";

fn info_from_row(row: &SqliteRow) -> Result<PhotoInfo> {
    let kind: String = row.try_get("kind")?;
    let number: i64 = row.try_get("number")?;
    let size = |column: &str| -> Result<u64> {
        Ok(u64::try_from(row.try_get::<i64, _>(column)?).unwrap_or(0))
    };
    Ok(PhotoInfo {
        complaint_id: row.try_get("complaint_id")?,
        number: u32::try_from(number).map_err(|_| corrupt("photo number", &number.to_string()))?,
        kind: ImageKind::parse(&kind).ok_or_else(|| corrupt("photo kind", &kind))?,
        original_bytes: size("original_bytes")?,
        public_bytes: size("public_bytes")?,
        publishable: row.try_get::<i64, _>("publishable")? != 0,
    })
}

/// Inserts a new complaint's photos, numbered from 1, inside its transaction. The public
/// copy is left NULL when it is the original byte for byte.
pub(super) async fn insert(
    tx: &mut Transaction<'_, Sqlite>,
    complaint_id: i64,
    photos: &[Photo],
) -> Result<()> {
    for (i, photo) in photos.iter().enumerate() {
        let public = (photo.public() != photo.original()).then_some(photo.public());
        sqlx::query(
            "INSERT INTO complaint_photos (complaint_id, number, kind, original, public) \
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(complaint_id)
        .bind(i64::try_from(i + 1).map_err(|e| StoreError::Corrupt(e.to_string()))?)
        .bind(photo.kind().as_str())
        .bind(photo.original())
        .bind(public)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// The audit record of an officer's decision on a photo (a note on the complaint's chain:
/// the chain's event kinds are fixed by a CHECK in migration 0005).
fn decision_text(number: u32, publishable: bool) -> String {
    if publishable {
        format!("照片 {number}：设为可公开 / photo {number}: marked publishable")
    } else {
        format!("照片 {number}：设为不公开 / photo {number}: marked not publishable")
    }
}

impl SqliteStore {
    pub(super) async fn ph_list(&self, complaint_id: i64) -> Result<Vec<PhotoInfo>> {
        sqlx::query(&format!(
            "SELECT {INFO_COLUMNS} FROM complaint_photos WHERE complaint_id = ? ORDER BY number"
        ))
        .bind(complaint_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(info_from_row)
        .collect()
    }

    pub(super) async fn ph_publishable(&self, complaint_ids: &[i64]) -> Result<Vec<PhotoInfo>> {
        if complaint_ids.is_empty() {
            return Ok(Vec::new());
        }
        let ids =
            serde_json::to_string(complaint_ids).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        sqlx::query(&format!(
            "SELECT {INFO_COLUMNS} FROM complaint_photos WHERE publishable = 1 \
             AND complaint_id IN (SELECT value FROM json_each(?)) ORDER BY complaint_id, number"
        ))
        .bind(ids)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(info_from_row)
        .collect()
    }

    pub(super) async fn ph_bytes(
        &self,
        complaint_id: i64,
        number: u32,
        copy: PhotoCopy,
    ) -> Result<Option<(PhotoInfo, Vec<u8>)>> {
        let bytes = match copy {
            PhotoCopy::Original => "original",
            PhotoCopy::Public => "coalesce(public, original)",
        };
        let row = sqlx::query(&format!(
            "SELECT {INFO_COLUMNS}, {bytes} AS bytes FROM complaint_photos \
             WHERE complaint_id = ? AND number = ?"
        ))
        .bind(complaint_id)
        .bind(i64::from(number))
        .fetch_optional(&self.pool)
        .await?;
        match row {
            None => Ok(None),
            Some(row) => Ok(Some((info_from_row(&row)?, row.try_get("bytes")?))),
        }
    }

    pub(super) async fn ph_set_publishable(
        &self,
        complaint_id: i64,
        number: u32,
        publishable: bool,
        actor: &str,
        time: DateTime<Utc>,
    ) -> Result<Option<PhotoInfo>> {
        let mut tx = self.writer.begin_with(WRITE).await?;
        let row = sqlx::query(&format!(
            "SELECT {INFO_COLUMNS}, c.tracking_code FROM complaint_photos \
             JOIN complaints c ON c.id = complaint_id WHERE complaint_id = ? AND number = ?"
        ))
        .bind(complaint_id)
        .bind(i64::from(number))
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let mut info = info_from_row(&row)?;
        if info.publishable == publishable {
            // Pressed twice: nothing changed, nothing to record.
            return Ok(Some(info));
        }
        let code: String = row.try_get("tracking_code")?;
        sqlx::query(
            "UPDATE complaint_photos SET publishable = ? WHERE complaint_id = ? AND number = ?",
        )
        .bind(i64::from(publishable))
        .bind(complaint_id)
        .bind(i64::from(number))
        .execute(&mut *tx)
        .await?;
        append(
            &mut tx,
            &Draft {
                complaint_id,
                tracking_code: &code,
                time: to_unix(time),
                kind: "note",
                status: None,
                body: &decision_text(number, publishable),
                actor,
            },
        )
        .await?;
        tx.commit().await?;
        info.publishable = publishable;
        Ok(Some(info))
    }
}
