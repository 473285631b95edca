//! The shared store suite against SQLite, each test on a fresh database file, directly and
//! through the read cache.

mod suite;

use std::time::Duration;

use daylight_store::{CachedStore, SqliteStore, Store};

async fn fresh() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("test.sqlite3"))
        .await
        .unwrap();
    (dir, store)
}

macro_rules! suite {
    ($($name:ident),* $(,)?) => {
        mod direct {
            use super::*;
            $(
                #[tokio::test]
                async fn $name() {
                    let (_dir, store) = fresh().await;
                    suite::$name(&store as &dyn Store).await;
                }
            )*
        }
        mod cached {
            use super::*;
            $(
                #[tokio::test]
                async fn $name() {
                    let (_dir, store) = fresh().await;
                    let cached = CachedStore::new(store, Duration::from_secs(60));
                    suite::$name(&cached as &dyn Store).await;
                }
            )*
        }
    };
}

suite!(
    starts_empty,
    stations_round_trip_and_upserts_count_changes,
    readings_are_idempotent_and_corrections_replace,
    ranges_are_half_open_and_ordered,
    a_batch_with_an_unknown_station_writes_nothing,
    latest_readings_are_each_stations_newest_hour,
    districts_round_trip,
    loggers_round_trip_are_replaced_and_removed,
    a_logger_of_an_unknown_station_is_refused,
    ingest_tokens_are_found_by_hash_listed_and_removed,
    an_ingest_token_name_is_issued_once,
    an_ingest_token_for_an_unknown_station_is_refused,
    a_token_restricted_to_no_station_writes_none,
    derived_values_fill_gaps_but_never_replace_reported_ones,
    live_ingest_stores_like_an_upsert_replacing_derived_values,
    samples_are_kept_apart_from_hourly_readings,
    complaints_are_stored_once_per_key_and_found_by_their_secrets,
    a_taken_tracking_code_stores_nothing,
    complaints_list_newest_first_with_paging,
    enterprises_outlets_and_limits_round_trip,
    a_logger_may_belong_to_an_outlet_that_exists,
    outlets_and_limits_of_unknown_owners_are_refused,
    outlet_readings_are_idempotent_ranged_and_latest,
    photos_are_stored_with_their_complaint_and_published_on_the_chain,
    a_failed_photo_leaves_no_complaint_behind,
    an_account_writes_only_its_own_outlets_all_or_nothing,
    statements_are_append_only_and_corrections_name_their_own,
    snapshots_are_stored_once_and_read_back_as_written,
    assignments_and_findings_are_checked_and_on_the_chain,
);

#[tokio::test]
async fn data_survives_reopening_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("test.sqlite3");
    {
        let store = SqliteStore::open(&path).await.unwrap();
        store
            .upsert_stations(&[suite::air_station("1462A")])
            .await
            .unwrap();
    }
    let store = SqliteStore::open(&path).await.unwrap();
    assert_eq!(store.stations().await.unwrap().len(), 1);
}

/// Two handles on one file, as the CLI beside a running server: a write that reads first
/// must wait for the other's long write, not fail with "database is locked" when the other
/// commits in between.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_process_waits_for_a_long_write_instead_of_failing() {
    use daylight_domain::parameter::Parameter;
    use daylight_domain::station::{DataFlag, DataSource};
    use daylight_store::{Logger, Reading};

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("test.sqlite3");
    let server = SqliteStore::open(&path).await.unwrap();
    let cli = SqliteStore::open(&path).await.unwrap();
    server
        .upsert_stations(&[suite::air_station("1462A")])
        .await
        .unwrap();
    let start = chrono::Utc::now();
    let batch: Vec<Reading> = (0..40_000)
        .map(|i| Reading {
            station: daylight_domain::station::StationCode::parse("1462A").unwrap(),
            parameter: Parameter::Pm25,
            time: start + chrono::Duration::hours(i),
            value: 1.0,
            unit: Parameter::Pm25.unit(),
            flag: DataFlag::Normal,
            source: DataSource::Measured,
            provenance: String::new(),
        })
        .collect();
    let long_write = tokio::spawn(async move { server.upsert_readings(&batch).await });
    for i in 0..40 {
        let logger = Logger {
            mn: format!("LOGGER{i}"),
            password: "123456".into(),
            target: daylight_store::LoggerTarget::Station(
                daylight_domain::station::StationCode::parse("1462A").unwrap(),
            ),
            lenient: false,
            source: DataSource::Measured,
        };
        cli.upsert_logger(&logger)
            .await
            .unwrap_or_else(|e| panic!("registration {i} failed: {e}"));
    }
    long_write.await.unwrap().unwrap();
}

/// The complaint history is append-only: the database itself refuses changes.
#[tokio::test]
async fn complaint_events_cannot_be_changed_or_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("test.sqlite3");
    let store = SqliteStore::open(&path).await.unwrap();
    let key = daylight_store::SubmissionKey::generate().unwrap();
    let complaint = daylight_store::NewComplaint {
        tracking_code: daylight_domain::complaint::TrackingCode::parse("TS-2022-ABCDEF").unwrap(),
        follow_hash: key.follow_token().hash(),
        idempotency_hash: key.idempotency_hash(),
        category: daylight_domain::complaint::Category::Noise,
        description: "night work".into(),
        observed: chrono::Utc::now(),
        location: None,
        address: Some("somewhere".into()),
        district: None,
        outside_city: false,
        contact: None,
        created: chrono::Utc::now(),
        evidence: serde_json::json!({}),
        suspect: None,
    };
    store.submit_complaint(&complaint).await.unwrap();
    drop(store);
    let url = format!("sqlite://{}", path.display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    for sql in [
        "UPDATE complaint_events SET body = 'edited'",
        "DELETE FROM complaint_events",
    ] {
        let error = sqlx::query(sql).execute(&pool).await.unwrap_err();
        assert!(error.to_string().contains("append-only"), "{sql}: {error}");
    }
}
