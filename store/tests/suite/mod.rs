//! The behaviour every `Store` implementation must have. Each backend's test file runs all of
//! these against a fresh database (SQLite now; PostgreSQL will call the same functions).

mod enterprise_accounts;
pub use enterprise_accounts::*;
mod enterprises;
pub use enterprises::*;
mod handling;
pub use handling::*;
mod photos;
pub use photos::*;
mod snapshots;
pub use snapshots::*;

use chrono::{DateTime, Duration, TimeZone, Utc};
use daylight_domain::complaint::suspect::Suspect;
use daylight_domain::complaint::{Category, Contact, Status, TrackingCode};
use daylight_domain::enterprise::CreditCode;
use daylight_domain::geo::{LonLat, MultiPolygon, Polygon};
use daylight_domain::parameter::Parameter;
use daylight_domain::station::{DataFlag, DataSource, StationCode, StationKind};
use daylight_domain::water::WaterBody;
use daylight_store::{
    District, ImportCounts, IngestSecret, IngestToken, Logger, LoggerTarget, Reading, SourceName,
    Station, StationScope, Store, StoreError, TimeRange, TokenHash,
};
use daylight_store::{EventKind, NewComplaint, SubmissionKey, Submitted};

fn code(c: &str) -> StationCode {
    StationCode::parse(c).unwrap()
}

fn hour(h: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2022, 1, 1, 0, 0, 0).unwrap() + Duration::hours(h)
}

pub fn air_station(c: &str) -> Station {
    Station {
        code: code(c),
        name: format!("站点 {c}"),
        kind: StationKind::Air,
        position: LonLat::new(108.9, 34.2).unwrap(),
        district: Some("雁塔区".into()),
        water_body: None,
        river: None,
        position_approximate: false,
        provenance: "test".into(),
    }
}

fn water_section(c: &str) -> Station {
    Station {
        kind: StationKind::Water,
        water_body: Some(WaterBody::River),
        river: Some("灞河".into()),
        position_approximate: true,
        ..air_station(c)
    }
}

fn reading(c: &str, parameter: Parameter, h: i64, value: f64) -> Reading {
    Reading {
        station: code(c),
        parameter,
        time: hour(h),
        value,
        unit: parameter.unit(),
        flag: DataFlag::Normal,
        source: DataSource::Measured,
        provenance: String::new(),
    }
}

pub async fn starts_empty(store: &dyn Store) {
    assert!(store.is_empty().await.unwrap());
    assert!(store.stations().await.unwrap().is_empty());
    assert!(store.latest_readings().await.unwrap().is_empty());
}

pub async fn stations_round_trip_and_upserts_count_changes(store: &dyn Store) {
    let stations = vec![air_station("1462A"), water_section("W-BAHEKOU")];
    let first = store.upsert_stations(&stations).await.unwrap();
    assert_eq!(
        first,
        ImportCounts {
            inserted: 2,
            updated: 0,
            unchanged: 0
        }
    );
    let again = store.upsert_stations(&stations).await.unwrap();
    assert_eq!(
        again,
        ImportCounts {
            inserted: 0,
            updated: 0,
            unchanged: 2
        }
    );
    let mut moved = stations[1].clone();
    moved.position = LonLat::new(109.0, 34.4).unwrap();
    let changed = store
        .upsert_stations(std::slice::from_ref(&moved))
        .await
        .unwrap();
    assert_eq!(changed.updated, 1);
    assert_eq!(
        store.station(&code("W-BAHEKOU")).await.unwrap(),
        Some(moved)
    );
    assert_eq!(store.station(&code("NOPE")).await.unwrap(), None);
    assert!(!store.is_empty().await.unwrap());
}

pub async fn readings_are_idempotent_and_corrections_replace(store: &dyn Store) {
    store
        .upsert_stations(&[air_station("1462A")])
        .await
        .unwrap();
    let batch = vec![
        reading("1462A", Parameter::Pm25, 0, 102.0),
        reading("1462A", Parameter::Co, 0, 1.6),
        reading("1462A", Parameter::Pm25, 1, 110.0),
    ];
    assert_eq!(store.upsert_readings(&batch).await.unwrap().inserted, 3);
    assert_eq!(store.upsert_readings(&batch).await.unwrap().unchanged, 3);
    let corrected = reading("1462A", Parameter::Pm25, 1, 111.0);
    let counts = store
        .upsert_readings(std::slice::from_ref(&corrected))
        .await
        .unwrap();
    assert_eq!(
        counts,
        ImportCounts {
            inserted: 0,
            updated: 1,
            unchanged: 0
        }
    );
    let range = TimeRange {
        from: hour(0),
        to: hour(2),
    };
    let all = store.readings(&code("1462A"), range, None).await.unwrap();
    assert_eq!(all.len(), 3);
    assert!(all.contains(&corrected));
    let pm = store
        .readings(&code("1462A"), range, Some(Parameter::Pm25))
        .await
        .unwrap();
    assert_eq!(
        pm.iter().map(|r| r.value).collect::<Vec<_>>(),
        vec![102.0, 111.0]
    );
}

pub async fn ranges_are_half_open_and_ordered(store: &dyn Store) {
    store
        .upsert_stations(&[air_station("1462A")])
        .await
        .unwrap();
    let batch: Vec<Reading> = (0..5)
        .rev()
        .map(|h| reading("1462A", Parameter::O3, h, h as f64))
        .collect();
    store.upsert_readings(&batch).await.unwrap();
    let got = store
        .readings(
            &code("1462A"),
            TimeRange {
                from: hour(1),
                to: hour(3),
            },
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        got.iter().map(|r| r.time).collect::<Vec<_>>(),
        vec![hour(1), hour(2)]
    );
}

pub async fn a_batch_with_an_unknown_station_writes_nothing(store: &dyn Store) {
    store
        .upsert_stations(&[air_station("1462A")])
        .await
        .unwrap();
    let batch = vec![
        reading("1462A", Parameter::Pm25, 0, 1.0),
        reading("9999A", Parameter::Pm25, 0, 1.0),
    ];
    match store.upsert_readings(&batch).await {
        Err(StoreError::UnknownStation(c)) => assert_eq!(c, "9999A"),
        other => panic!("expected UnknownStation, got {other:?}"),
    }
    let range = TimeRange {
        from: hour(0),
        to: hour(1),
    };
    assert!(store
        .readings(&code("1462A"), range, None)
        .await
        .unwrap()
        .is_empty());
}

pub async fn latest_readings_are_each_stations_newest_hour(store: &dyn Store) {
    store
        .upsert_stations(&[air_station("A1"), air_station("A2"), air_station("A3")])
        .await
        .unwrap();
    store
        .upsert_readings(&[
            reading("A1", Parameter::Pm25, 0, 1.0),
            reading("A1", Parameter::Pm25, 5, 2.0),
            reading("A1", Parameter::Co, 5, 0.9),
            reading("A2", Parameter::Pm25, 3, 3.0),
        ])
        .await
        .unwrap();
    let latest = store.latest_readings().await.unwrap();
    let mut got: Vec<(String, &str, f64)> = latest
        .iter()
        .map(|r| (r.station.to_string(), r.parameter.code(), r.value))
        .collect();
    got.sort_by(|a, b| a.partial_cmp(b).unwrap());
    assert_eq!(
        got,
        vec![
            ("A1".into(), "CO", 0.9),
            ("A1".into(), "PM2.5", 2.0),
            ("A2".into(), "PM2.5", 3.0)
        ]
    );
    assert_eq!(store.latest_time(&code("A1")).await.unwrap(), Some(hour(5)));
    assert_eq!(store.latest_time(&code("A3")).await.unwrap(), None);
}

pub async fn districts_round_trip(store: &dyn Store) {
    let square = |x: f64| {
        MultiPolygon(vec![Polygon {
            exterior: vec![
                LonLat::new(x, 34.0).unwrap(),
                LonLat::new(x + 0.1, 34.0).unwrap(),
                LonLat::new(x + 0.1, 34.1).unwrap(),
                LonLat::new(x, 34.0).unwrap(),
            ],
            holes: vec![],
        }])
    };
    let d = District {
        adcode: "610113".into(),
        name: "雁塔区".into(),
        center: LonLat::new(108.95, 34.05).unwrap(),
        boundary: square(108.9),
    };
    assert_eq!(
        store
            .upsert_districts(std::slice::from_ref(&d))
            .await
            .unwrap()
            .inserted,
        1
    );
    assert_eq!(
        store
            .upsert_districts(std::slice::from_ref(&d))
            .await
            .unwrap()
            .unchanged,
        1
    );
    let moved = District {
        boundary: square(109.0),
        ..d
    };
    assert_eq!(
        store
            .upsert_districts(std::slice::from_ref(&moved))
            .await
            .unwrap()
            .updated,
        1
    );
    assert_eq!(store.districts().await.unwrap(), vec![moved]);
}

fn logger(mn: &str, station: &str) -> Logger {
    Logger {
        mn: mn.into(),
        password: "123456".into(),
        target: LoggerTarget::Station(code(station)),
        lenient: false,
        source: DataSource::Measured,
    }
}

pub async fn loggers_round_trip_are_replaced_and_removed(store: &dyn Store) {
    store
        .upsert_stations(&[air_station("1462A"), air_station("1463A")])
        .await
        .unwrap();
    assert!(store.loggers().await.unwrap().is_empty());
    assert_eq!(store.logger("LOGGER2").await.unwrap(), None);
    let b = logger("LOGGER2", "1462A");
    let a = Logger {
        lenient: true,
        source: DataSource::Simulated,
        ..logger("LOGGER1", "1463A")
    };
    store.upsert_logger(&b).await.unwrap();
    store.upsert_logger(&a).await.unwrap();
    assert_eq!(store.loggers().await.unwrap(), vec![a.clone(), b.clone()]);
    assert_eq!(store.logger("LOGGER2").await.unwrap(), Some(b.clone()));
    // MNs are case-sensitive, as every HJ 212 field is.
    assert_eq!(store.logger("logger2").await.unwrap(), None);

    let moved = Logger {
        password: "654321".into(),
        target: LoggerTarget::Station(code("1463A")),
        lenient: true,
        ..b
    };
    store.upsert_logger(&moved).await.unwrap();
    assert_eq!(store.logger("LOGGER2").await.unwrap(), Some(moved));
    assert_eq!(store.loggers().await.unwrap().len(), 2);

    assert!(store.remove_logger("LOGGER2").await.unwrap());
    assert!(!store.remove_logger("LOGGER2").await.unwrap());
    assert_eq!(store.logger("LOGGER2").await.unwrap(), None);
    assert_eq!(store.loggers().await.unwrap(), vec![a]);
}

pub async fn a_logger_of_an_unknown_station_is_refused(store: &dyn Store) {
    let err = store
        .upsert_logger(&logger("LOGGER1", "9999A"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::UnknownStation(ref c) if c == "9999A"),
        "{err}"
    );
    assert!(store.loggers().await.unwrap().is_empty());
}

fn source(name: &str) -> SourceName {
    SourceName::parse(name).unwrap()
}

fn token(name: &str, scope: StationScope) -> IngestToken {
    IngestToken {
        name: source(name),
        scope,
        created: hour(3),
    }
}

fn only(codes: &[&str]) -> StationScope {
    StationScope::Only(codes.iter().map(|c| code(c)).collect())
}

pub async fn ingest_tokens_are_found_by_hash_listed_and_removed(store: &dyn Store) {
    store
        .upsert_stations(&[air_station("1462A"), air_station("1463A")])
        .await
        .unwrap();
    assert!(store.ingest_tokens().await.unwrap().is_empty());
    let feed = token("city-bureau-feed", StationScope::All);
    let lab = token("lab.2", only(&["1463A", "1462A"]));
    let feed_secret = IngestSecret::generate().unwrap();
    let lab_secret = IngestSecret::generate().unwrap();
    store
        .add_ingest_token(&lab, &lab_secret.hash())
        .await
        .unwrap();
    store
        .add_ingest_token(&feed, &feed_secret.hash())
        .await
        .unwrap();

    assert_eq!(
        store
            .ingest_token_by_hash(&feed_secret.hash())
            .await
            .unwrap(),
        Some(feed.clone())
    );
    let found = store
        .ingest_token_by_hash(&lab_secret.hash())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found, lab);
    assert!(found.scope.allows(&code("1462A")));
    assert!(!found.scope.allows(&code("9999A")));
    assert_eq!(
        store
            .ingest_token_by_hash(&TokenHash::from_bytes([7; 32]))
            .await
            .unwrap(),
        None
    );
    // Listed by name; the list carries no secret or hash at all.
    assert_eq!(
        store.ingest_tokens().await.unwrap(),
        vec![feed.clone(), lab.clone()]
    );

    assert!(store
        .remove_ingest_token(&source("city-bureau-feed"))
        .await
        .unwrap());
    assert!(!store
        .remove_ingest_token(&source("city-bureau-feed"))
        .await
        .unwrap());
    assert_eq!(
        store
            .ingest_token_by_hash(&feed_secret.hash())
            .await
            .unwrap(),
        None
    );
    assert_eq!(store.ingest_tokens().await.unwrap(), vec![lab]);
}

pub async fn an_ingest_token_name_is_issued_once(store: &dyn Store) {
    store
        .upsert_stations(&[air_station("1462A")])
        .await
        .unwrap();
    let first = IngestSecret::generate().unwrap();
    let second = IngestSecret::generate().unwrap();
    store
        .add_ingest_token(&token("feed", StationScope::All), &first.hash())
        .await
        .unwrap();
    let err = store
        .add_ingest_token(&token("feed", only(&["1462A"])), &second.hash())
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::TokenNameTaken(ref n) if n == "feed"),
        "{err}"
    );
    // The first token is untouched and the second does not work.
    assert_eq!(
        store
            .ingest_token_by_hash(&first.hash())
            .await
            .unwrap()
            .map(|t| t.scope),
        Some(StationScope::All)
    );
    assert_eq!(
        store.ingest_token_by_hash(&second.hash()).await.unwrap(),
        None
    );
    // Names are case-sensitive, as station codes are.
    store
        .add_ingest_token(&token("Feed", StationScope::All), &second.hash())
        .await
        .unwrap();
    assert_eq!(store.ingest_tokens().await.unwrap().len(), 2);
}

pub async fn an_ingest_token_for_an_unknown_station_is_refused(store: &dyn Store) {
    store
        .upsert_stations(&[air_station("1462A")])
        .await
        .unwrap();
    let secret = IngestSecret::generate().unwrap();
    let err = store
        .add_ingest_token(&token("feed", only(&["1462A", "9999A"])), &secret.hash())
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::UnknownStation(ref c) if c == "9999A"),
        "{err}"
    );
    assert!(store.ingest_tokens().await.unwrap().is_empty());
    assert_eq!(
        store.ingest_token_by_hash(&secret.hash()).await.unwrap(),
        None
    );
}

pub async fn a_token_restricted_to_no_station_writes_none(store: &dyn Store) {
    // An empty restriction is not "every station": it allows nothing.
    let secret = IngestSecret::generate().unwrap();
    store
        .add_ingest_token(&token("closed", only(&[])), &secret.hash())
        .await
        .unwrap();
    let found = store
        .ingest_token_by_hash(&secret.hash())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.scope, only(&[]));
    assert!(!found.scope.allows(&code("1462A")));
}

pub async fn derived_values_fill_gaps_but_never_replace_reported_ones(store: &dyn Store) {
    store
        .upsert_stations(&[air_station("1462A")])
        .await
        .unwrap();
    let derived = |h, value| Reading {
        provenance: "hourly mean of 50 samples".into(),
        ..reading("1462A", Parameter::Pm25, h, value)
    };
    // A derived value fills an empty hour, and a later derivation replaces it.
    store
        .upsert_derived_readings(&[derived(1, 40.0)])
        .await
        .unwrap();
    let counts = store
        .upsert_derived_readings(&[derived(1, 41.0)])
        .await
        .unwrap();
    assert_eq!(counts.updated, 1);
    let range = TimeRange {
        from: hour(0),
        to: hour(3),
    };
    let read = store.readings(&code("1462A"), range, None).await.unwrap();
    assert_eq!(read, vec![derived(1, 41.0)]);
    // A reported value replaces it (and its provenance)...
    store
        .upsert_readings(&[reading("1462A", Parameter::Pm25, 1, 35.0)])
        .await
        .unwrap();
    // ...and is never replaced by a derivation.
    let counts = store
        .upsert_derived_readings(&[derived(1, 42.0)])
        .await
        .unwrap();
    assert_eq!(counts.unchanged, 1);
    let read = store.readings(&code("1462A"), range, None).await.unwrap();
    assert_eq!(read, vec![reading("1462A", Parameter::Pm25, 1, 35.0)]);
}

pub async fn live_ingest_stores_like_an_upsert_replacing_derived_values(store: &dyn Store) {
    store
        .upsert_stations(&[air_station("1462A")])
        .await
        .unwrap();
    let derived = Reading {
        provenance: "hourly mean of 50 samples".into(),
        ..reading("1462A", Parameter::Pm25, 1, 40.0)
    };
    store.upsert_derived_readings(&[derived]).await.unwrap();
    let batch = vec![
        reading("1462A", Parameter::Pm25, 1, 35.0),
        reading("1462A", Parameter::Co, 1, 1.6),
        reading("1462A", Parameter::Pm25, 2, f64::from(u8::MAX)),
    ];
    store.ingest_readings(&batch).await.unwrap();
    // A re-sent packet changes nothing.
    store.ingest_readings(&batch).await.unwrap();
    let range = TimeRange {
        from: hour(0),
        to: hour(3),
    };
    let mut read = store.readings(&code("1462A"), range, None).await.unwrap();
    let mut expected = batch.clone();
    let key = |r: &Reading| (r.time, r.parameter.code());
    read.sort_by_key(key);
    expected.sort_by_key(key);
    assert_eq!(
        read, expected,
        "the reported value replaced the derived one"
    );
    // A batch naming an unknown station writes nothing at all.
    let bad = vec![
        reading("1462A", Parameter::Pm25, 0, 1.0),
        reading("9999A", Parameter::Pm25, 0, 1.0),
    ];
    match store.ingest_readings(&bad).await {
        Err(StoreError::UnknownStation(c)) => assert_eq!(c, "9999A"),
        other => panic!("expected UnknownStation, got {other:?}"),
    }
    let hour0 = TimeRange {
        from: hour(0),
        to: hour(1),
    };
    assert!(store
        .readings(&code("1462A"), hour0, None)
        .await
        .unwrap()
        .is_empty());
}

pub async fn samples_are_kept_apart_from_hourly_readings(store: &dyn Store) {
    store
        .upsert_stations(&[air_station("1462A")])
        .await
        .unwrap();
    let sample = |minute: i64, value| Reading {
        time: hour(1) + Duration::minutes(minute),
        ..reading("1462A", Parameter::Pm25, 0, value)
    };
    let counts = store
        .upsert_samples(&[sample(0, 10.0), sample(1, 11.0), sample(61, 12.0)])
        .await
        .unwrap();
    assert_eq!(counts.inserted, 3);
    // Idempotent, like readings.
    let counts = store.upsert_samples(&[sample(1, 11.0)]).await.unwrap();
    assert_eq!(counts.unchanged, 1);
    let first_hour = TimeRange {
        from: hour(1),
        to: hour(2),
    };
    let read = store
        .samples(&code("1462A"), first_hour, None)
        .await
        .unwrap();
    assert_eq!(read, vec![sample(0, 10.0), sample(1, 11.0)]);
    // Not hourly readings.
    assert!(store.latest_readings().await.unwrap().is_empty());
    // Every sample's station must exist.
    let stray = Reading {
        station: code("9999A"),
        ..sample(2, 1.0)
    };
    assert!(matches!(
        store.upsert_samples(&[sample(3, 1.0), stray]).await,
        Err(StoreError::UnknownStation(_))
    ));
    let read = store
        .samples(&code("1462A"), first_hour, None)
        .await
        .unwrap();
    assert_eq!(read.len(), 2, "nothing of the failed batch is written");
}

fn new_complaint(key: &SubmissionKey, code: &str) -> NewComplaint {
    NewComplaint {
        tracking_code: TrackingCode::parse(code).unwrap(),
        follow_hash: key.follow_token().hash(),
        idempotency_hash: key.idempotency_hash(),
        category: Category::Odour,
        description: "刺鼻气味 <script>".into(),
        observed: hour(1),
        location: Some(LonLat::new(108.947, 34.261).unwrap()),
        address: None,
        district: Some("610104".into()),
        outside_city: false,
        contact: Some(Contact::Phone("13800001234".into())),
        created: hour(2),
        evidence: serde_json::json!({"air": [{"code": "1462A", "aqi": 87}]}),
        suspect: Some(Suspect::Registered {
            code: CreditCode::parse("91610111MA6DM0001J").unwrap(),
            name: "示例热电有限公司（示例企业）".into(),
        }),
    }
}

pub async fn complaints_are_stored_once_per_key_and_found_by_their_secrets(store: &dyn Store) {
    let key = SubmissionKey::generate().unwrap();
    let first = store
        .submit_complaint(&new_complaint(&key, "TS-2022-ABCDEF"))
        .await
        .unwrap();
    let Submitted::Created(created) = &first else {
        panic!("expected a new complaint, got {first:?}");
    };
    assert_eq!(created.status, Status::Received);
    assert_eq!(created.tracking_code.as_str(), "TS-2022-ABCDEF");
    assert_eq!(created.description, "刺鼻气味 <script>");
    assert_eq!(created.contact, Some(Contact::Phone("13800001234".into())));
    assert_eq!(created.evidence["air"][0]["aqi"], 87);
    assert_eq!(created.created, hour(2));
    assert_eq!(
        created
            .suspect
            .as_ref()
            .and_then(Suspect::code)
            .map(|c| c.as_str()),
        Some("91610111MA6DM0001J")
    );

    // The same key again (a double tap), even with another code: the first complaint.
    let again = store
        .submit_complaint(&new_complaint(&key, "TS-2022-GHJKMN"))
        .await
        .unwrap();
    assert_eq!(again, Submitted::Existing(created.clone()));
    assert_eq!(store.complaint_count().await.unwrap(), 1);

    let by_token = store
        .complaint_by_follow_hash(&key.follow_token().hash())
        .await
        .unwrap();
    assert_eq!(by_token.as_ref(), Some(created));
    let stranger = SubmissionKey::generate().unwrap();
    assert_eq!(
        store
            .complaint_by_follow_hash(&stranger.follow_token().hash())
            .await
            .unwrap(),
        None
    );
    let by_code = store
        .complaint_by_code(&TrackingCode::parse("ts-2022-abcdef").unwrap())
        .await
        .unwrap();
    assert_eq!(by_code.as_ref(), Some(created));

    let events = store.complaint_events(created.id).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind, EventKind::Status);
    assert_eq!(events[0].status, Some(Status::Received));
    assert_eq!(events[0].time, hour(2));
}

pub async fn a_taken_tracking_code_stores_nothing(store: &dyn Store) {
    let a = SubmissionKey::generate().unwrap();
    let b = SubmissionKey::generate().unwrap();
    store
        .submit_complaint(&new_complaint(&a, "TS-2022-ABCDEF"))
        .await
        .unwrap();
    let clash = store
        .submit_complaint(&new_complaint(&b, "TS-2022-ABCDEF"))
        .await;
    assert!(
        matches!(clash, Err(StoreError::TrackingCodeTaken(ref c)) if c == "TS-2022-ABCDEF"),
        "{clash:?}"
    );
    assert_eq!(store.complaint_count().await.unwrap(), 1);
    // With a fresh code the second one goes in.
    store
        .submit_complaint(&new_complaint(&b, "TS-2022-GHJKMN"))
        .await
        .unwrap();
    assert_eq!(store.complaint_count().await.unwrap(), 2);
}

pub async fn complaints_list_newest_first_with_paging(store: &dyn Store) {
    let codes = ["TS-2022-AAAAAA", "TS-2022-BBBBBB", "TS-2022-CCCCCC"];
    for (i, code) in codes.iter().enumerate() {
        let key = SubmissionKey::generate().unwrap();
        let complaint = NewComplaint {
            created: hour(i as i64),
            location: None,
            address: Some("某路 12 号".into()),
            district: None,
            contact: None,
            suspect: Some(Suspect::Named {
                text: format!("河边的小厂 {i}"),
            }),
            ..new_complaint(&key, code)
        };
        store.submit_complaint(&complaint).await.unwrap();
    }
    let listed: Vec<String> = store
        .complaints(10, 0)
        .await
        .unwrap()
        .iter()
        .map(|c| c.tracking_code.to_string())
        .collect();
    assert_eq!(
        listed,
        ["TS-2022-CCCCCC", "TS-2022-BBBBBB", "TS-2022-AAAAAA"]
    );
    let page: Vec<String> = store
        .complaints(1, 1)
        .await
        .unwrap()
        .iter()
        .map(|c| c.tracking_code.to_string())
        .collect();
    assert_eq!(page, ["TS-2022-BBBBBB"]);
    let unplaced = &store.complaints(1, 0).await.unwrap()[0];
    assert_eq!(unplaced.location, None);
    assert_eq!(unplaced.district, None);
    assert_eq!(unplaced.contact, None);
    assert_eq!(unplaced.address.as_deref(), Some("某路 12 号"));
    assert_eq!(
        unplaced.suspect,
        Some(Suspect::Named {
            text: "河边的小厂 2".into()
        })
    );
}
