use chrono::TimeZone;

use super::*;
use crate::geo::Polygon;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 1, 6, 0, 0).unwrap() // 14:00 in Xi'an
}

fn good() -> RawComplaint {
    RawComplaint {
        category: "odour".into(),
        description: "  刺鼻的气味，从工厂方向飘来\r\n晚上更重  ".into(),
        observed: "2026-05-01T13:30".into(),
        lat: "34.2610".into(),
        lon: "108.9470".into(),
        address: String::new(),
        contact: String::new(),
        consent: true,
    }
}

fn problems(raw: &RawComplaint) -> Vec<Problem> {
    validate(raw, now(), 480).expect_err("should be refused")
}

#[test]
fn tracking_codes_are_readable_and_parse_back() {
    for random in [0, 1, 42, u64::MAX, 0x0123_4567_89ab_cdef] {
        let code = TrackingCode::generate(2026, random);
        let text = code.as_str();
        assert_eq!(text.len(), "TS-2026-XXXXXX".len(), "{text}");
        assert!(text.starts_with("TS-2026-"), "{text}");
        for c in text[8..].chars() {
            assert!(!"01ILOUV".contains(c), "ambiguous symbol in {text}");
        }
        assert_eq!(TrackingCode::parse(text), Ok(code.clone()));
        assert_eq!(
            TrackingCode::parse(&format!(" {} ", text.to_lowercase())),
            Ok(code)
        );
    }
    assert_ne!(
        TrackingCode::generate(2026, 1),
        TrackingCode::generate(2026, 2)
    );
}

#[test]
fn anything_else_is_not_a_tracking_code() {
    for bad in [
        "",
        "TS-2026-",
        "TS-2026-ABCDE",
        "TS-2026-ABCDEFG",
        "TS-26-ABCDEF",
        "XX-2026-ABCDEF",
        "TS-2026-ABCDE0",
        "TS-2026-ABCDEO",
        "TS-2026-ABCDE1",
        "TS-2026-ABCDEI",
        "TS2026ABCDEF",
        "TS-2026-ÄBCDEF",
    ] {
        assert!(TrackingCode::parse(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn categories_and_statuses_round_trip_through_their_codes() {
    for c in Category::ALL {
        assert_eq!(c.as_str().parse::<Category>(), Ok(c));
        assert!(!c.name_zh().is_empty() && !c.name_en().is_empty());
    }
    for s in Status::ALL {
        assert_eq!(s.as_str().parse::<Status>(), Ok(s));
    }
    assert!("smoke".parse::<Category>().is_err());
}

#[test]
fn a_good_complaint_is_cleaned_and_placed_in_utc() {
    let valid = validate(&good(), now(), 480).unwrap();
    assert_eq!(valid.category, Category::Odour);
    assert_eq!(valid.description, "刺鼻的气味，从工厂方向飘来\n晚上更重");
    assert_eq!(
        valid.observed,
        Utc.with_ymd_and_hms(2026, 5, 1, 5, 30, 0).unwrap()
    );
    assert_eq!(valid.location, Some(LonLat::new(108.947, 34.261).unwrap()));
    assert_eq!(valid.address, None);
    assert_eq!(valid.contact, None);
}

#[test]
fn an_address_alone_is_a_place() {
    let raw = RawComplaint {
        lat: String::new(),
        lon: String::new(),
        address: "未央区凤城八路北段".into(),
        ..good()
    };
    let valid = validate(&raw, now(), 480).unwrap();
    assert_eq!(valid.location, None);
    assert_eq!(valid.address.as_deref(), Some("未央区凤城八路北段"));
}

#[test]
fn every_problem_is_reported_with_its_field() {
    let raw = RawComplaint {
        category: String::new(),
        description: " \n ".into(),
        observed: "yesterday".into(),
        lat: String::new(),
        lon: String::new(),
        address: String::new(),
        contact: "not a contact".into(),
        consent: false,
    };
    let found = problems(&raw);
    assert_eq!(
        found,
        vec![
            Problem::CategoryMissing,
            Problem::DescriptionEmpty,
            Problem::ObservedInvalid,
            Problem::PlaceMissing,
            Problem::ContactInvalid,
            Problem::ConsentMissing,
        ]
    );
    let fields: Vec<Field> = found.iter().map(Problem::field).collect();
    assert_eq!(
        fields,
        vec![
            Field::Category,
            Field::Description,
            Field::Observed,
            Field::Address,
            Field::Contact,
            Field::Consent
        ]
    );
}

#[test]
fn length_limits_hold_on_every_text_field() {
    let at_limit = RawComplaint {
        description: "臭".repeat(MAX_DESCRIPTION),
        address: "路".repeat(MAX_ADDRESS),
        contact: format!("{}@example.com", "a".repeat(MAX_CONTACT - 12)),
        ..good()
    };
    assert!(validate(&at_limit, now(), 480).is_ok());
    let over = RawComplaint {
        description: "臭".repeat(MAX_DESCRIPTION + 1),
        address: "路".repeat(MAX_ADDRESS + 1),
        contact: format!("{}@example.com", "a".repeat(MAX_CONTACT)),
        ..good()
    };
    assert_eq!(
        problems(&over),
        vec![
            Problem::DescriptionTooLong {
                max: MAX_DESCRIPTION
            },
            Problem::AddressTooLong { max: MAX_ADDRESS },
            Problem::ContactTooLong { max: MAX_CONTACT },
        ]
    );
}

#[test]
fn times_in_the_future_or_long_ago_are_refused() {
    let future = RawComplaint {
        observed: "2026-05-01T15:00".into(),
        ..good()
    };
    assert_eq!(problems(&future), vec![Problem::ObservedInFuture]);
    let slack = RawComplaint {
        observed: "2026-05-01T14:05".into(),
        ..good()
    };
    assert!(validate(&slack, now(), 480).is_ok());
    let old = RawComplaint {
        observed: "2025-04-01T12:00".into(),
        ..good()
    };
    assert_eq!(
        problems(&old),
        vec![Problem::ObservedTooOld { days: MAX_AGE_DAYS }]
    );
    let missing = RawComplaint {
        observed: " ".into(),
        ..good()
    };
    assert_eq!(problems(&missing), vec![Problem::ObservedMissing]);
}

#[test]
fn coordinates_must_be_complete_and_valid() {
    for (lat, lon, problem) in [
        ("34.2", "", Problem::LocationIncomplete),
        ("", "108.9", Problem::LocationIncomplete),
        ("north", "108.9", Problem::LocationInvalid),
        ("95", "108.9", Problem::LocationInvalid),
        ("NaN", "108.9", Problem::LocationInvalid),
        ("34.2", "inf", Problem::LocationInvalid),
    ] {
        let raw = RawComplaint {
            lat: lat.into(),
            lon: lon.into(),
            ..good()
        };
        assert_eq!(problems(&raw), vec![problem], "{lat:?} {lon:?}");
    }
}

#[test]
fn contacts_are_phones_or_emails() {
    let contact = |text: &str| {
        validate(
            &RawComplaint {
                contact: text.into(),
                ..good()
            },
            now(),
            480,
        )
        .map(|v| v.contact)
    };
    assert_eq!(
        contact("138 0000-1234"),
        Ok(Some(Contact::Phone("13800001234".into())))
    );
    assert_eq!(
        contact("+86 (29) 8888 7777"),
        Ok(Some(Contact::Phone("+862988887777".into())))
    );
    assert_eq!(
        contact("wang@example.cn"),
        Ok(Some(Contact::Email("wang@example.cn".into())))
    );
    assert_eq!(contact(""), Ok(None));
    for bad in [
        "1234",
        "12+345678",
        "a@b",
        "@example.cn",
        "<x>@example.cn",
        "电话",
    ] {
        assert_eq!(contact(bad), Err(vec![Problem::ContactInvalid]), "{bad:?}");
    }
}

#[test]
fn control_characters_are_removed_but_line_breaks_kept_in_descriptions() {
    assert_eq!(clean_text("a\u{0}b\u{202e}\r\nc\t", true), "ab\u{202e}\nc");
    assert_eq!(clean_text("a\nb", false), "ab");
}

fn square(lon0: f64, lat0: f64, size: f64) -> MultiPolygon {
    let p = |lon, lat| LonLat { lon, lat };
    MultiPolygon(vec![Polygon {
        exterior: vec![
            p(lon0, lat0),
            p(lon0 + size, lat0),
            p(lon0 + size, lat0 + size),
            p(lon0, lat0 + size),
            p(lon0, lat0),
        ],
        holes: vec![],
    }])
}

#[test]
fn routing_picks_the_district_containing_the_point() {
    let west = square(108.0, 34.0, 1.0);
    let east = square(109.0, 34.0, 1.0);
    let districts = [("610101", &west), ("610102", &east)];
    let at = |lon, lat| Some(LonLat::new(lon, lat).unwrap());
    assert_eq!(
        route(at(108.5, 34.5), districts),
        Routing::District("610101".into())
    );
    assert_eq!(
        route(at(109.5, 34.5), districts),
        Routing::District("610102".into())
    );
    let outside = route(at(116.4, 39.9), districts);
    assert_eq!(outside, Routing::OutsideCity);
    assert!(outside.outside_city() && outside.district().is_none());
    let unplaced = route(None, districts);
    assert_eq!(unplaced, Routing::CityUnplaced);
    assert!(!unplaced.outside_city());
}

#[test]
fn an_interior_point_is_inside_even_for_a_concave_shape() {
    // A "U": the middle of its box is in the notch, outside the shape.
    let p = |lon, lat| LonLat { lon, lat };
    let u = MultiPolygon(vec![Polygon {
        exterior: vec![
            p(0.0, 0.0),
            p(3.0, 0.0),
            p(3.0, 3.0),
            p(2.0, 3.0),
            p(2.0, 1.0),
            p(1.0, 1.0),
            p(1.0, 3.0),
            p(0.0, 3.0),
        ],
        holes: vec![],
    }]);
    assert!(!u.contains(p(1.5, 1.5)));
    let inside = u.interior_point().unwrap();
    assert!(u.contains(inside), "{inside:?}");
    assert_eq!(MultiPolygon(vec![]).interior_point(), None);
}

#[test]
fn coarsened_locations_stay_within_about_200_m() {
    let p = LonLat::new(108.94712, 34.26133).unwrap();
    let c = coarsen(p);
    assert!(crate::geo::distance_m(p, c) < 160.0);
    // Points in the same cell become one.
    assert_eq!(coarsen(LonLat::new(108.9471, 34.2613).unwrap()), c);
    assert_ne!(c, p);
}
