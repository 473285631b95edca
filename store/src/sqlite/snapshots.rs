//! Citable snapshots on SQLite (migration 0014): written once, read by id.

use sqlx::Row;

use super::{corrupt, from_unix, to_unix};
use crate::snapshot::{Snapshot, SnapshotId};
use crate::{Result, SqliteStore, StoreError};
use daylight_domain::station::StationCode;

impl SqliteStore {
    /// False when the id is taken (nothing written): the caller draws another.
    pub(super) async fn snap_create(&self, snapshot: &Snapshot) -> Result<bool> {
        let result = sqlx::query(
            "INSERT INTO snapshots (id, station_code, taken, document) VALUES (?, ?, ?, ?) \
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(snapshot.id.as_str())
        .bind(snapshot.station.as_str())
        .bind(to_unix(snapshot.taken))
        .bind(snapshot.document.to_string())
        .execute(&self.writer)
        .await;
        match result {
            Ok(done) => Ok(done.rows_affected() > 0),
            Err(sqlx::Error::Database(error)) if error.is_foreign_key_violation() => Err(
                StoreError::UnknownStation(snapshot.station.as_str().to_string()),
            ),
            Err(error) => Err(error.into()),
        }
    }

    pub(super) async fn snap_get(&self, id: &SnapshotId) -> Result<Option<Snapshot>> {
        let Some(row) =
            sqlx::query("SELECT station_code, taken, document FROM snapshots WHERE id = ?")
                .bind(id.as_str())
                .fetch_optional(&self.pool)
                .await?
        else {
            return Ok(None);
        };
        let station: String = row.try_get("station_code")?;
        let document: String = row.try_get("document")?;
        Ok(Some(Snapshot {
            id: id.clone(),
            station: StationCode::parse(&station)
                .map_err(|_| corrupt("snapshot station", &station))?,
            taken: from_unix(row.try_get("taken")?)?,
            document: serde_json::from_str(&document)
                .map_err(|_| corrupt("snapshot document", id.as_str()))?,
        }))
    }
}
