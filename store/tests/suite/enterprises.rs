//! Enterprises, outlets, limits and outlet values (issue 5).

use chrono::{DateTime, Duration, TimeZone, Utc};
use daylight_domain::enterprise::{
    Averaging, CreditCode, Frequency, Limit, Method, OutletCode, OutletKind, Pollutant,
};
use daylight_domain::geo::LonLat;
use daylight_domain::station::{DataFlag, DataSource};
use daylight_domain::units::Unit;
use daylight_store::{
    Enterprise, ImportCounts, Outlet, OutletLimit, OutletReading, Store, StoreError, TimeRange,
};

const CODE: &str = "91350100M000100Y43";

fn credit(c: &str) -> CreditCode {
    CreditCode::parse(c).unwrap()
}

fn hour(h: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + Duration::hours(h)
}

pub fn enterprise(code: &str, name: &str) -> Enterprise {
    Enterprise {
        credit_code: credit(code),
        name: name.into(),
        permit_number: "91350100M000100Y43001P".into(),
        industry: "火力发电".into(),
        district: Some("灞桥区".into()),
        address: "示例路 1 号".into(),
        position: Some(LonLat::new(109.06, 34.27).unwrap()),
        key_unit: "大气环境重点排污单位".into(),
        demo: true,
        provenance: "test".into(),
    }
}

fn outlet(code: &str) -> Outlet {
    Outlet {
        enterprise: credit(CODE),
        code: OutletCode::parse(code).unwrap(),
        name: "1号锅炉烟囱".into(),
        kind: OutletKind::Air,
        position: None,
        stack_height: Some(120.0),
        receiving_water: None,
    }
}

fn limit(outlet: &str, pollutant: Pollutant, value: f64) -> OutletLimit {
    OutletLimit {
        enterprise: credit(CODE),
        outlet: OutletCode::parse(outlet).unwrap(),
        pollutant,
        limit: Limit {
            value,
            unit: Unit::MilligramsPerCubicMetre,
            standard: "GB 13223-2011 表1".into(),
            averaging: Averaging::Hourly,
        },
        method: Method::Automatic,
        frequency: Frequency::Hourly,
    }
}

fn reading(outlet: &str, pollutant: Pollutant, h: i64, value: f64) -> OutletReading {
    OutletReading {
        enterprise: credit(CODE),
        outlet: OutletCode::parse(outlet).unwrap(),
        pollutant,
        time: hour(h),
        value,
        unit: Unit::MilligramsPerCubicMetre,
        flag: DataFlag::Normal,
        source: DataSource::SelfReported,
        provenance: String::new(),
    }
}

fn counts(inserted: u64, updated: u64, unchanged: u64) -> ImportCounts {
    ImportCounts {
        inserted,
        updated,
        unchanged,
    }
}

pub async fn enterprises_outlets_and_limits_round_trip(store: &dyn Store) {
    let a = enterprise(CODE, "示例企业 A");
    let b = enterprise("914403001922038216", "示例企业 B");
    assert_eq!(
        store
            .upsert_enterprises(&[a.clone(), b.clone()])
            .await
            .unwrap(),
        counts(2, 0, 0)
    );
    let renamed = Enterprise {
        name: "示例企业 A2".into(),
        position: None,
        ..a.clone()
    };
    assert_eq!(
        store
            .upsert_enterprises(&[renamed.clone(), b.clone()])
            .await
            .unwrap(),
        counts(0, 1, 1)
    );
    assert_eq!(store.enterprises().await.unwrap(), vec![renamed.clone(), b]);
    assert_eq!(
        store.enterprise(&credit(CODE)).await.unwrap(),
        Some(renamed)
    );
    assert_eq!(
        store
            .enterprise(&credit("91110000802100433B"))
            .await
            .unwrap(),
        None
    );

    assert_eq!(
        store
            .upsert_outlets(&[outlet("DA002"), outlet("DA001")])
            .await
            .unwrap(),
        counts(2, 0, 0)
    );
    let higher = Outlet {
        stack_height: Some(150.0),
        // Kept and read back (the import allows it on water outlets only).
        receiving_water: Some("渭河".into()),
        ..outlet("DA001")
    };
    assert_eq!(
        store
            .upsert_outlets(std::slice::from_ref(&higher))
            .await
            .unwrap(),
        counts(0, 1, 0)
    );
    assert_eq!(
        store.outlets(Some(&credit(CODE))).await.unwrap(),
        vec![higher, outlet("DA002")]
    );
    assert!(store
        .outlets(Some(&credit("914403001922038216")))
        .await
        .unwrap()
        .is_empty());
    assert_eq!(store.outlets(None).await.unwrap().len(), 2);

    let limits = [
        limit("DA001", Pollutant::So2, 35.0),
        limit("DA001", Pollutant::Nox, 50.0),
    ];
    assert_eq!(
        store.upsert_outlet_limits(&limits).await.unwrap(),
        counts(2, 0, 0)
    );
    assert_eq!(
        store.upsert_outlet_limits(&limits).await.unwrap(),
        counts(0, 0, 2)
    );
    let stored = store.outlet_limits(Some(&credit(CODE))).await.unwrap();
    assert_eq!(stored.len(), 2);
    assert_eq!(stored[0].pollutant, Pollutant::Nox); // a21002 before a21026
    assert_eq!(stored[1], limits[0]);
}

pub async fn outlets_and_limits_of_unknown_owners_are_refused(store: &dyn Store) {
    let error = store.upsert_outlets(&[outlet("DA001")]).await.unwrap_err();
    assert!(matches!(error, StoreError::UnknownEnterprise(_)), "{error}");
    store
        .upsert_enterprises(&[enterprise(CODE, "示例企业")])
        .await
        .unwrap();
    let error = store
        .upsert_outlet_limits(&[limit("DA009", Pollutant::So2, 35.0)])
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::UnknownOutlet(_)), "{error}");
    store.upsert_outlets(&[outlet("DA001")]).await.unwrap();
    // One unknown outlet in the batch: nothing is written.
    let error = store
        .upsert_outlet_readings(&[
            reading("DA001", Pollutant::So2, 0, 10.0),
            reading("DA009", Pollutant::So2, 0, 10.0),
        ])
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::UnknownOutlet(_)), "{error}");
    let all = TimeRange {
        from: hour(-100),
        to: hour(100),
    };
    assert!(store
        .outlet_readings(&credit(CODE), all)
        .await
        .unwrap()
        .is_empty());
}

pub async fn outlet_readings_are_idempotent_ranged_and_latest(store: &dyn Store) {
    store
        .upsert_enterprises(&[enterprise(CODE, "示例企业")])
        .await
        .unwrap();
    store
        .upsert_outlets(&[outlet("DA001"), outlet("DA002")])
        .await
        .unwrap();
    let mut batch = Vec::new();
    for h in 0..5 {
        batch.push(reading("DA001", Pollutant::So2, h, 10.0 + h as f64));
        batch.push(reading("DA001", Pollutant::Nox, h, 40.0));
    }
    batch.push(reading("DA002", Pollutant::So2, 2, 5.0));
    assert_eq!(
        store.upsert_outlet_readings(&batch).await.unwrap(),
        counts(11, 0, 0)
    );
    let corrected = OutletReading {
        value: 99.0,
        flag: DataFlag::Maintenance,
        ..batch[0].clone()
    };
    assert_eq!(
        store
            .upsert_outlet_readings(&[corrected.clone(), batch[1].clone()])
            .await
            .unwrap(),
        counts(0, 1, 1)
    );
    let range = TimeRange {
        from: hour(0),
        to: hour(4),
    };
    let got = store.outlet_readings(&credit(CODE), range).await.unwrap();
    // DA001 NOx ×4, DA001 SO2 ×4, DA002 SO2 ×1; half-open range.
    assert_eq!(got.len(), 9);
    assert_eq!(got[0].pollutant, Pollutant::Nox);
    assert_eq!(got[4], corrected);
    assert!(got.windows(2).all(|w| (&w[0].outlet, w[0].pollutant)
        != (&w[1].outlet, w[1].pollutant)
        || w[0].time < w[1].time));
    let latest = store.latest_outlet_readings().await.unwrap();
    assert_eq!(latest.len(), 3);
    assert!(latest[..2].iter().all(|r| r.time == hour(4)));
    assert_eq!(
        (latest[2].outlet.as_str(), latest[2].time),
        ("DA002", hour(2))
    );
}

pub async fn a_logger_may_belong_to_an_outlet_that_exists(store: &dyn Store) {
    use daylight_store::{Logger, LoggerTarget};
    store
        .upsert_enterprises(&[enterprise(CODE, "示例热电")])
        .await
        .unwrap();
    store.upsert_outlets(&[outlet("DA001")]).await.unwrap();
    let logger = Logger {
        mn: "OUTLETLOGGER1".into(),
        password: "123456".into(),
        target: LoggerTarget::Outlet {
            enterprise: credit(CODE),
            outlet: OutletCode::parse("DA001").unwrap(),
        },
        lenient: false,
        source: DataSource::Measured,
    };
    store.upsert_logger(&logger).await.unwrap();
    assert_eq!(
        store.logger("OUTLETLOGGER1").await.unwrap(),
        Some(logger.clone())
    );
    let stray = Logger {
        mn: "OUTLETLOGGER2".into(),
        target: LoggerTarget::Outlet {
            enterprise: credit(CODE),
            outlet: OutletCode::parse("DA999").unwrap(),
        },
        ..logger
    };
    assert!(matches!(
        store.upsert_logger(&stray).await,
        Err(StoreError::UnknownOutlet(_))
    ));
    assert_eq!(store.loggers().await.unwrap().len(), 1);
}
