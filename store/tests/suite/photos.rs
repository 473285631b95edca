//! Complaint photos (issue 6): stored with their complaint or not at all, listed without
//! their bytes, two copies, and the publishing decision on the audit chain.

use chrono::{TimeZone, Utc};
use daylight_domain::complaint::photo::{ImageKind, Photo};
use daylight_domain::complaint::{Category, TrackingCode};
use daylight_store::{NewComplaint, PhotoCopy, Store, SubmissionKey, Submitted};

fn complaint(key: &SubmissionKey, code: &str) -> NewComplaint {
    let at = Utc.with_ymd_and_hms(2022, 1, 1, 8, 0, 0).unwrap();
    NewComplaint {
        tracking_code: TrackingCode::parse(code).unwrap(),
        follow_hash: key.follow_token().hash(),
        idempotency_hash: key.idempotency_hash(),
        category: Category::Air,
        description: "dust".into(),
        observed: at,
        location: None,
        address: Some("somewhere".into()),
        district: None,
        outside_city: false,
        contact: None,
        created: at,
        evidence: serde_json::json!({}),
        suspect: None,
    }
}

/// A minimal JPEG with a comment (which the public copy loses).
fn jpeg() -> Photo {
    let mut j = vec![0xFF, 0xD8, 0xFF, 0xFE, 0, 6, b'h', b'o', b'm', b'e'];
    j.extend_from_slice(&[0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 0x3F, 0, 1, 2, 3, 0xFF, 0xD9]);
    Photo::check(j).unwrap()
}

/// A minimal PNG with nothing to strip (stored once).
fn png() -> Photo {
    let chunk = |kind: &[u8; 4], data: &[u8]| {
        let mut c = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
        c.extend_from_slice(kind);
        c.extend_from_slice(data);
        c.extend_from_slice(&[0; 4]);
        c
    };
    let mut p = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    p.extend(chunk(b"IHDR", &[0; 13]));
    p.extend(chunk(b"IEND", b""));
    Photo::check(p).unwrap()
}

pub async fn photos_are_stored_with_their_complaint_and_published_on_the_chain(store: &dyn Store) {
    let key = SubmissionKey::generate().unwrap();
    let new = complaint(&key, "TS-2022-PHPHPH");
    let (a, b) = (jpeg(), png());
    let Submitted::Created(c) = store
        .submit_complaint_with_photos(&new, &[a.clone(), b.clone()])
        .await
        .unwrap()
    else {
        panic!("a new complaint");
    };
    // Submitted again: the same complaint, no more photos.
    let again = store
        .submit_complaint_with_photos(&new, &[a.clone(), b.clone(), a.clone()])
        .await
        .unwrap();
    assert!(matches!(again, Submitted::Existing(_)));
    let listed = store.complaint_photos(c.id).await.unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!((listed[0].number, listed[0].kind), (1, ImageKind::Jpeg));
    assert_eq!((listed[1].number, listed[1].kind), (2, ImageKind::Png));
    assert_eq!(listed[0].original_bytes, a.original().len() as u64);
    assert_eq!(listed[0].public_bytes, a.public().len() as u64);
    assert!(listed.iter().all(|p| !p.publishable));
    let (_, original) = store
        .complaint_photo(c.id, 1, PhotoCopy::Original)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(original, a.original());
    let (_, public) = store
        .complaint_photo(c.id, 1, PhotoCopy::Public)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(public, a.public());
    assert_ne!(public, original);
    let (_, png_public) = store
        .complaint_photo(c.id, 2, PhotoCopy::Public)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(png_public, b.original());
    assert!(store
        .complaint_photo(c.id, 3, PhotoCopy::Public)
        .await
        .unwrap()
        .is_none());
    assert!(store.publishable_photos(&[c.id]).await.unwrap().is_empty());

    let events = store.complaint_events(c.id).await.unwrap().len();
    let at = Utc.with_ymd_and_hms(2022, 1, 2, 8, 0, 0).unwrap();
    let done = store
        .set_photo_publishable(c.id, 2, true, "li", at)
        .await
        .unwrap()
        .unwrap();
    assert!(done.publishable);
    // Pressed twice: recorded once.
    store
        .set_photo_publishable(c.id, 2, true, "li", at)
        .await
        .unwrap();
    assert!(store
        .set_photo_publishable(c.id, 9, true, "li", at)
        .await
        .unwrap()
        .is_none());
    let published = store.publishable_photos(&[c.id, 12345]).await.unwrap();
    assert_eq!(published.iter().map(|p| p.number).collect::<Vec<_>>(), [2]);
    let history = store.complaint_events(c.id).await.unwrap();
    assert_eq!(history.len(), events + 1);
    let last = history.last().unwrap();
    assert_eq!(last.actor, "li");
    assert!(
        last.body.contains("photo 2: marked publishable"),
        "{}",
        last.body
    );
    let report = store.verify_audit_chain().await.unwrap();
    assert!(report.broken.is_none(), "{report:?}");
}

/// A photo the database refuses (a sixth: numbers go to 5) takes the complaint with it.
pub async fn a_failed_photo_leaves_no_complaint_behind(store: &dyn Store) {
    let key = SubmissionKey::generate().unwrap();
    let six = vec![png(); 6];
    let result = store
        .submit_complaint_with_photos(&complaint(&key, "TS-2022-FAFAFA"), &six)
        .await;
    assert!(result.is_err());
    assert_eq!(store.complaint_count().await.unwrap(), 0);
    // The same key then files normally: nothing of the failed attempt is in the way.
    let ok = store
        .submit_complaint_with_photos(&complaint(&key, "TS-2022-FAFAFA"), &six[..5])
        .await
        .unwrap();
    assert!(matches!(ok, Submitted::Created(_)));
    assert_eq!(store.complaint_count().await.unwrap(), 1);
}
