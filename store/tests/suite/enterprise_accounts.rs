//! Enterprise accounts (issue 5, items 2, 3, 5): an account writes only to its own
//! enterprise's outlets, all of a batch or nothing; statements are append-only; every change
//! is on the audit chain, which verifies.

use chrono::{Duration, TimeZone, Utc};
use daylight_domain::enterprise::{CreditCode, OutletCode, OutletKind, Pollutant, StatementKind};
use daylight_domain::units::Unit;
use daylight_store::{
    AuditAction, NewManualResult, NewStatement, Outlet, SessionId, Store, StoreError, TimeRange,
};

use super::enterprise;

const A: &str = "91350100M000100Y43";
const B: &str = "914403001922038216";

fn credit(c: &str) -> CreditCode {
    CreditCode::parse(c).unwrap()
}

fn outlet(owner: &str, code: &str) -> Outlet {
    Outlet {
        enterprise: credit(owner),
        code: OutletCode::parse(code).unwrap(),
        name: "排口".into(),
        kind: OutletKind::Water,
        position: None,
        stack_height: None,
        receiving_water: None,
    }
}

fn result(outlet: &str, h: i64, value: f64) -> NewManualResult {
    NewManualResult {
        outlet: OutletCode::parse(outlet).unwrap(),
        pollutant: Pollutant::Cod,
        time: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + Duration::hours(h),
        value,
        unit: Unit::MilligramsPerLitre,
        lab_note: "lab".into(),
    }
}

fn statement(kind: StatementKind, body: &str, corrects: Option<i64>) -> NewStatement {
    NewStatement {
        kind,
        body: body.into(),
        outlet: None,
        period_from: None,
        period_to: None,
        corrects,
    }
}

async fn two_enterprises(store: &dyn Store) {
    store
        .upsert_enterprises(&[enterprise(A, "甲"), enterprise(B, "乙")])
        .await
        .unwrap();
    store
        .upsert_outlets(&[outlet(A, "DW001"), outlet(B, "DW001"), outlet(B, "DW002")])
        .await
        .unwrap();
}

pub async fn an_account_writes_only_its_own_outlets_all_or_nothing(store: &dyn Store) {
    two_enterprises(store).await;
    let now = Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).unwrap();
    assert!(store
        .add_enterprise_user("a", &credit(A), "", "$argon2id$x", now)
        .await
        .unwrap());
    assert!(!store
        .add_enterprise_user("a", &credit(B), "", "$argon2id$x", now)
        .await
        .unwrap());
    let unknown = store
        .add_enterprise_user("c", &credit("91110000600037341L"), "", "$argon2id$x", now)
        .await;
    assert!(
        matches!(unknown, Err(StoreError::UnknownEnterprise(_))),
        "{unknown:?}"
    );
    let (user, hash) = store
        .enterprise_user_credentials("a")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (user.enterprise.as_str(), hash.as_str()),
        (A, "$argon2id$x")
    );

    // DW002 exists, but is B's: the whole batch is refused.
    let refused = store
        .record_manual_results(
            &user,
            &[result("DW001", 1, 40.0), result("DW002", 1, 41.0)],
            now,
        )
        .await;
    assert!(
        matches!(refused, Err(StoreError::UnknownOutlet(_))),
        "{refused:?}"
    );
    let all = TimeRange {
        from: now - Duration::days(400),
        to: now,
    };
    assert!(store
        .outlet_readings(&credit(A), all)
        .await
        .unwrap()
        .is_empty());
    assert!(store
        .outlet_readings(&credit(B), all)
        .await
        .unwrap()
        .is_empty());
    assert!(store
        .enterprise_audit(&credit(A), 10)
        .await
        .unwrap()
        .is_empty());

    let records = store
        .record_manual_results(&user, &[result("DW001", 1, 40.0)], now)
        .await
        .unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].before, None);
    let replaced = store
        .record_manual_results(&user, &[result("DW001", 1, 42.0)], now)
        .await
        .unwrap();
    assert_eq!(replaced[0].before.as_deref(), Some("40 mg/L (manual; lab)"));
    assert_eq!(replaced[0].after.as_deref(), Some("42 mg/L (manual; lab)"));
    let values = store.outlet_readings(&credit(A), all).await.unwrap();
    assert_eq!(values.len(), 1);
    assert_eq!(values[0].value, 42.0);
    assert_eq!(values[0].source.as_str(), "self_reported");
    assert!(store
        .outlet_readings(&credit(B), all)
        .await
        .unwrap()
        .is_empty());
    let manual = store
        .manual_results(&credit(A), now - Duration::days(400), 10)
        .await
        .unwrap();
    assert_eq!(manual.len(), 1);
    assert_eq!(
        (manual[0].value, manual[0].uploaded_by.as_str()),
        (42.0, "a")
    );

    // Sessions: found until they end or the account goes.
    let id = SessionId::generate().unwrap();
    store
        .create_enterprise_session(&id.hash(), &user, "csrf", now + Duration::hours(1), now)
        .await
        .unwrap();
    let session = store
        .enterprise_session(&id.hash(), now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((session.user.id, session.csrf.as_str()), (user.id, "csrf"));
    assert!(store
        .enterprise_session(&id.hash(), now + Duration::hours(2))
        .await
        .unwrap()
        .is_none());
    assert!(store.remove_enterprise_user("a").await.unwrap());
    assert!(store
        .enterprise_session(&id.hash(), now)
        .await
        .unwrap()
        .is_none());
    // The audit trail stays: two results and the sign-in, newest first.
    let audit = store.enterprise_audit(&credit(A), 10).await.unwrap();
    let actions: Vec<AuditAction> = audit.iter().map(|r| r.action).collect();
    assert_eq!(
        actions,
        [
            AuditAction::SignIn,
            AuditAction::ManualResult,
            AuditAction::ManualResult
        ]
    );
    let report = store.verify_enterprise_audit_chain().await.unwrap();
    assert_eq!(
        (report.records, report.enterprises, report.broken),
        (3, 1, None)
    );
}

pub async fn statements_are_append_only_and_corrections_name_their_own(store: &dyn Store) {
    two_enterprises(store).await;
    let now = Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).unwrap();
    for (name, code, display) in [("a", A, "王工"), ("b", B, "")] {
        store
            .add_enterprise_user(name, &credit(code), display, "$argon2id$x", now)
            .await
            .unwrap();
    }
    let users = store.enterprise_users().await.unwrap();
    let (a, b) = (&users[0], &users[1]);
    let first = store
        .publish_statement(
            a,
            &statement(StatementKind::InstrumentFault, "故障", None),
            now,
        )
        .await
        .unwrap();
    assert_eq!(first.author, "王工");
    let theirs = store
        .publish_statement(b, &statement(StatementKind::Other, "乙的说明", None), now)
        .await
        .unwrap();
    assert_eq!(theirs.author, "b");
    // A correction of another enterprise's statement, or for its outlet: nothing stored.
    let refused = store
        .publish_statement(
            a,
            &statement(StatementKind::Other, "x", Some(theirs.id)),
            now,
        )
        .await;
    assert!(
        matches!(refused, Err(StoreError::UnknownStatement(_))),
        "{refused:?}"
    );
    let mut for_b = statement(StatementKind::Other, "x", None);
    for_b.outlet = Some(OutletCode::parse("DW002").unwrap());
    let refused = store.publish_statement(a, &for_b, now).await;
    assert!(
        matches!(refused, Err(StoreError::UnknownOutlet(_))),
        "{refused:?}"
    );

    let later = now + Duration::minutes(5);
    let correction = store
        .publish_statement(
            a,
            &statement(StatementKind::InstrumentFault, "更正", Some(first.id)),
            later,
        )
        .await
        .unwrap();
    let list = store.statements(&credit(A)).await.unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0], correction, "newest first");
    assert_eq!(list[1], first, "the corrected statement is unchanged");
    assert_eq!(store.statements(&credit(B)).await.unwrap(), [theirs]);
    let report = store.verify_enterprise_audit_chain().await.unwrap();
    assert_eq!(
        (report.records, report.enterprises, report.broken),
        (3, 2, None)
    );
}
