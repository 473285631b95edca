//! Assignment and findings (issue 6, migration 0018): who may be assigned, what a refused
//! decision leaves (nothing), the queue's filters, the live queue's reads, and the audit
//! chain that records each decision.

use chrono::{Duration, TimeZone, Utc};
use daylight_domain::complaint::Status;
use daylight_domain::enterprise::CreditCode;
use daylight_store::{
    AssignOutcome, AssigneeFilter, Assignment, ComplaintAction, EventKind, Finding, FindingOutcome,
    QueueFilter, QueueScope, Role, Store, SubmissionKey, Submitted,
};

const PLANT: &str = "91350100M000100Y43";

pub async fn assignments_and_findings_are_checked_and_on_the_chain(store: &dyn Store) {
    let at = Utc.with_ymd_and_hms(2022, 1, 2, 8, 0, 0).unwrap();
    for (name, role) in [
        (
            "li",
            Role::DistrictOfficer {
                district: "610104".into(),
            },
        ),
        (
            "wang",
            Role::DistrictOfficer {
                district: "610103".into(),
            },
        ),
        ("chen", Role::CitySupervisor),
    ] {
        assert!(store
            .add_admin(name, &role, "$argon2id$x", at)
            .await
            .unwrap());
    }
    store
        .upsert_enterprises(&[super::enterprise(PLANT, "示例热电")])
        .await
        .unwrap();
    let key = SubmissionKey::generate().unwrap();
    let Submitted::Created(c) = store
        .submit_complaint(&super::new_complaint(&key, "TS-2022-HANDED"))
        .await
        .unwrap()
    else {
        panic!("a new complaint");
    };
    assert_eq!(c.district.as_deref(), Some("610104"));
    let assign = |to: Option<&str>, expected: Option<&str>| Assignment {
        complaint_id: c.id,
        expected: expected.map(str::to_owned),
        assignee: to.map(str::to_owned),
        actor: "chen".into(),
        time: at,
    };
    let events = || async { store.complaint_events(c.id).await.unwrap().len() };
    let before = events().await;
    for (to, refused) in [
        ("wang", "another district's officer"),
        ("chen", "a supervisor for a district complaint"),
    ] {
        let outcome = store
            .assign_complaint(&assign(Some(to), None))
            .await
            .unwrap();
        assert!(
            matches!(outcome, AssignOutcome::NotEligible(_)),
            "{refused}: {outcome:?}"
        );
    }
    assert_eq!(
        store
            .assign_complaint(&assign(Some("ghost"), None))
            .await
            .unwrap(),
        AssignOutcome::NoSuchOfficer
    );
    assert_eq!(
        store
            .assign_complaint(&assign(Some("li"), Some("wang")))
            .await
            .unwrap(),
        AssignOutcome::Stale
    );
    assert_eq!(events().await, before, "nothing written");
    let AssignOutcome::Done(event) = store
        .assign_complaint(&assign(Some("li"), None))
        .await
        .unwrap()
    else {
        panic!("assigned");
    };
    assert_eq!(event.kind, EventKind::Assignment);
    assert_eq!(
        (event.actor.as_str(), event.body.as_str()),
        ("chen", "before=\nafter=li")
    );
    assert_eq!(
        store
            .assign_complaint(&assign(Some("li"), Some("li")))
            .await
            .unwrap(),
        AssignOutcome::Unchanged
    );

    // The queue's filters, in SQL and one by one, agree.
    let mine = QueueFilter {
        assignee: AssigneeFilter::Is("li".into()),
        ..QueueFilter::scope(QueueScope::District("610104".into()))
    };
    let nobody = QueueFilter {
        assignee: AssigneeFilter::Nobody,
        ..QueueFilter::scope(QueueScope::All)
    };
    let queue = store.complaint_queue(&mine, 10).await.unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].handling.assignee.as_deref(), Some("li"));
    assert!(mine.matches(&queue[0]) && !nobody.matches(&queue[0]));
    assert!(store.complaint_queue(&nobody, 10).await.unwrap().is_empty());
    assert_eq!(store.last_complaint_id().await.unwrap(), c.id);
    let after = store.complaints_after(c.id - 1, 10).await.unwrap();
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].handling.assignee.as_deref(), Some("li"));
    assert!(store.complaints_after(c.id, 10).await.unwrap().is_empty());

    // A finding: not from "received", not against an unknown enterprise; then closed
    // founded against the plant, in one go.
    let plant = CreditCode::parse(PLANT).unwrap();
    let finding = |expected: Status, enterprise: Option<CreditCode>| Finding {
        complaint_id: c.id,
        expected_status: expected,
        expected_enterprise: None,
        enterprise,
        comment: "查实".into(),
        actor: "li".into(),
        time: at + Duration::hours(1),
    };
    assert_eq!(
        store
            .record_finding(&finding(Status::Received, Some(plant.clone())))
            .await
            .unwrap(),
        FindingOutcome::NotAllowed
    );
    for (from, to) in [
        (Status::Received, Status::Accepted),
        (Status::Accepted, Status::Investigating),
    ] {
        store
            .act_on_complaint(&ComplaintAction {
                complaint_id: c.id,
                expected_status: from,
                time: at,
                kind: EventKind::Status,
                status: Some(to),
                body: String::new(),
                actor: "li".into(),
            })
            .await
            .unwrap()
            .unwrap();
    }
    let unknown = CreditCode::parse("914403001922038216").unwrap();
    let before = events().await;
    assert_eq!(
        store
            .record_finding(&finding(Status::Investigating, Some(unknown)))
            .await
            .unwrap(),
        FindingOutcome::UnknownEnterprise
    );
    assert_eq!(events().await, before, "nothing written");
    let FindingOutcome::Done(recorded) = store
        .record_finding(&finding(Status::Investigating, Some(plant.clone())))
        .await
        .unwrap()
    else {
        panic!("recorded");
    };
    let kinds: Vec<EventKind> = recorded.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [EventKind::Status, EventKind::EnterpriseLink]);
    assert_eq!(
        store
            .complaint_by_code(&c.tracking_code)
            .await
            .unwrap()
            .unwrap()
            .status,
        Status::ClosedFounded
    );
    let found = store.complaints_found_against(&plant, 10).await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].found, at + Duration::hours(1));
    // Closed: no more assignments.
    assert_eq!(
        store
            .assign_complaint(&assign(None, Some("li")))
            .await
            .unwrap(),
        AssignOutcome::Closed
    );
    let report = store.verify_audit_chain().await.unwrap();
    assert!(report.broken.is_none(), "{report:?}");
}
