//! Citable snapshots: written once, read back as written, never changed.

use chrono::{TimeZone, Utc};
use daylight_store::{Snapshot, SnapshotId, Store, StoreError};
use serde_json::json;

use super::{air_station, code};

pub async fn snapshots_are_stored_once_and_read_back_as_written(store: &dyn Store) {
    store
        .upsert_stations(&[air_station("1001A")])
        .await
        .unwrap();
    let id = SnapshotId::generate().unwrap();
    let snapshot = Snapshot {
        id: id.clone(),
        station: code("1001A"),
        taken: Utc.with_ymd_and_hms(2026, 11, 30, 4, 0, 0).unwrap(),
        document: json!({ "version": 1, "hours": [{ "values": [{ "parameter": "PM2.5", "value": 102.0 }] }] }),
    };
    assert!(store.create_snapshot(&snapshot).await.unwrap());
    assert_eq!(store.snapshot(&id).await.unwrap(), Some(snapshot.clone()));

    // The same id again writes nothing: the first document stays.
    let mut other = snapshot.clone();
    other.document = json!({ "version": 1, "hours": [] });
    assert!(!store.create_snapshot(&other).await.unwrap());
    assert_eq!(store.snapshot(&id).await.unwrap(), Some(snapshot));

    let unknown = SnapshotId::parse("aaaaaaaaaa").unwrap();
    assert_eq!(store.snapshot(&unknown).await.unwrap(), None);

    let mut orphan = other;
    orphan.id = SnapshotId::generate().unwrap();
    orphan.station = code("9999Z");
    assert!(matches!(
        store.create_snapshot(&orphan).await,
        Err(StoreError::UnknownStation(_))
    ));
}
