//! Vectors derived from GB 3838-2002 Table 1 (standards §4).

use super::*;
use proptest::prelude::*;

const AUTOMATIC_SAMPLE: [(WaterItem, f64); 5] = [
    (WaterItem::Ph, 7.5),
    (WaterItem::DissolvedOxygen, 6.2),
    (WaterItem::CodMn, 3.9),
    (WaterItem::Nh3N, 0.48),
    (WaterItem::TotalPhosphorus, 0.11),
];

fn assess_or_panic(sample: &[(WaterItem, f64)], body: WaterBody, j: Judgement) -> WaterAssessment {
    match assess(sample, body, j) {
        Some(a) => a,
        None => panic!("no assessable item in {sample:?}"),
    }
}

#[test]
fn river_sample_is_class_iii_decided_by_tp() {
    // pH 7.5 → I; DO 6.2 → II; CODMn 3.9 → II; NH3-N 0.48 → II; TP 0.11 → III (river 0.1–0.2).
    let a = assess_or_panic(&AUTOMATIC_SAMPLE, WaterBody::River, Judgement::Automatic);
    assert_eq!(a.class, WaterClass::III);
    assert_eq!(a.deciding, vec![WaterItem::TotalPhosphorus]);
    let classes: Vec<WaterClass> = a.items.iter().map(|i| i.class).collect();
    assert_eq!(
        classes,
        vec![
            WaterClass::I,
            WaterClass::II,
            WaterClass::II,
            WaterClass::II,
            WaterClass::III
        ]
    );
    assert!(a.missing.is_empty() && a.is_complete());
    assert_eq!(a.total_nitrogen, None);
    assert_eq!(a.class.label_zh(), "Ⅲ类");
    assert_eq!(a.class.quality_zh(), "良好");
}

#[test]
fn same_sample_in_a_lake_is_class_v() {
    // Lake TP limits: IV 0.1, V 0.2 → 0.11 is V.
    for body in [WaterBody::Lake, WaterBody::Reservoir] {
        let a = assess_or_panic(&AUTOMATIC_SAMPLE, body, Judgement::Automatic);
        assert_eq!(a.class, WaterClass::V, "{body:?}");
        assert_eq!(a.deciding, vec![WaterItem::TotalPhosphorus]);
    }
}

#[test]
fn ammonia_above_class_v_is_worse_than_v() {
    let mut s = AUTOMATIC_SAMPLE;
    s[3] = (WaterItem::Nh3N, 2.3);
    let a = assess_or_panic(&s, WaterBody::River, Judgement::Automatic);
    assert_eq!(a.class, WaterClass::WorseThanV);
    assert_eq!(a.deciding, vec![WaterItem::Nh3N]);
    assert_eq!(a.class.label_zh(), "劣Ⅴ类");
    assert_eq!(a.class.roman(), "劣V");
    assert_eq!(a.class.quality_zh(), "重度污染");
}

#[test]
fn ties_in_the_worst_class_are_all_deciding() {
    let s = [
        (WaterItem::Ph, 7.0),
        (WaterItem::DissolvedOxygen, 4.0),  // IV
        (WaterItem::CodMn, 8.0),            // IV
        (WaterItem::Nh3N, 0.2),             // II
        (WaterItem::TotalPhosphorus, 0.25), // IV
    ];
    let a = assess_or_panic(&s, WaterBody::River, Judgement::Automatic);
    assert_eq!(a.class, WaterClass::IV);
    assert_eq!(
        a.deciding,
        vec![
            WaterItem::DissolvedOxygen,
            WaterItem::CodMn,
            WaterItem::TotalPhosphorus
        ]
    );
}

#[test]
fn dissolved_oxygen_edges() {
    let cases = [
        (9.0, WaterClass::I),
        (7.5, WaterClass::I),
        (7.49, WaterClass::II),
        (6.0, WaterClass::II),
        (5.99, WaterClass::III),
        (5.0, WaterClass::III),
        (4.99, WaterClass::IV),
        (3.0, WaterClass::IV),
        (2.99, WaterClass::V),
        (2.0, WaterClass::V),
        (1.99, WaterClass::WorseThanV),
        (0.0, WaterClass::WorseThanV),
    ];
    for (v, class) in cases {
        assert_eq!(
            item_class(WaterItem::DissolvedOxygen, v, WaterBody::River),
            class,
            "DO {v}"
        );
    }
}

#[test]
fn ph_outside_6_to_9_is_worse_than_v() {
    let cases = [
        (5.9, WaterClass::WorseThanV),
        (6.0, WaterClass::I),
        (7.5, WaterClass::I),
        (9.0, WaterClass::I),
        (9.1, WaterClass::WorseThanV),
    ];
    for (v, class) in cases {
        assert_eq!(
            item_class(WaterItem::Ph, v, WaterBody::River),
            class,
            "pH {v}"
        );
    }
    let mut s = AUTOMATIC_SAMPLE;
    s[0] = (WaterItem::Ph, 5.9);
    let a = assess_or_panic(&s, WaterBody::River, Judgement::Automatic);
    assert_eq!(a.class, WaterClass::WorseThanV);
    assert_eq!(a.deciding, vec![WaterItem::Ph]);
}

#[test]
fn at_most_item_edges() {
    let river = WaterBody::River;
    let lake = WaterBody::Lake;
    let cases: &[(WaterItem, WaterBody, f64, WaterClass)] = &[
        (WaterItem::CodMn, river, 2.0, WaterClass::I),
        (WaterItem::CodMn, river, 2.01, WaterClass::II),
        (WaterItem::CodMn, river, 15.0, WaterClass::V),
        (WaterItem::CodMn, river, 15.1, WaterClass::WorseThanV),
        (WaterItem::Nh3N, river, 0.15, WaterClass::I),
        (WaterItem::Nh3N, river, 0.5, WaterClass::II),
        (WaterItem::Nh3N, river, 1.0, WaterClass::III),
        (WaterItem::Nh3N, river, 1.5, WaterClass::IV),
        (WaterItem::Nh3N, river, 2.0, WaterClass::V),
        (WaterItem::TotalPhosphorus, river, 0.02, WaterClass::I),
        (WaterItem::TotalPhosphorus, river, 0.1, WaterClass::II),
        (WaterItem::TotalPhosphorus, river, 0.4, WaterClass::V),
        (
            WaterItem::TotalPhosphorus,
            river,
            0.41,
            WaterClass::WorseThanV,
        ),
        (WaterItem::TotalPhosphorus, lake, 0.01, WaterClass::I),
        (WaterItem::TotalPhosphorus, lake, 0.025, WaterClass::II),
        (WaterItem::TotalPhosphorus, lake, 0.05, WaterClass::III),
        (WaterItem::TotalPhosphorus, lake, 0.2, WaterClass::V),
        (
            WaterItem::TotalPhosphorus,
            lake,
            0.21,
            WaterClass::WorseThanV,
        ),
        // Equal limits for I and II: the better class.
        (WaterItem::Cod, river, 15.0, WaterClass::I),
        (WaterItem::Cod, river, 16.0, WaterClass::III),
        (WaterItem::Mercury, river, 0.00005, WaterClass::I),
        (WaterItem::Mercury, river, 0.0001, WaterClass::III),
        (WaterItem::Cadmium, river, 0.005, WaterClass::II),
        (WaterItem::VolatilePhenol, river, 0.05, WaterClass::V),
        (WaterItem::FecalColiform, river, 10000.0, WaterClass::III),
    ];
    for &(item, body, v, class) in cases {
        assert_eq!(item_class(item, v, body), class, "{item:?} {v} {body:?}");
    }
}

#[test]
fn full_judgement_has_21_items_and_lake_tn_is_separate() {
    assert_eq!(Judgement::Full.items().len(), 21);
    assert!(!Judgement::Full.items().contains(&WaterItem::TotalNitrogen));
    assert!(!Judgement::Full.items().contains(&WaterItem::FecalColiform));
    assert_eq!(Judgement::Automatic.items().len(), 5);

    let mut s = AUTOMATIC_SAMPLE.to_vec();
    s.push((WaterItem::TotalNitrogen, 2.5));
    s.push((WaterItem::Cod, 18.0)); // III
    s.push((WaterItem::FecalColiform, 90000.0)); // not assessed
    let a = assess_or_panic(&s, WaterBody::River, Judgement::Full);
    assert_eq!(a.class, WaterClass::III);
    assert_eq!(a.deciding, vec![WaterItem::Cod, WaterItem::TotalPhosphorus]);
    assert_eq!(a.missing.len(), 21 - 6);
    assert!(a.missing.contains(&WaterItem::Lead));
    assert!(!a.missing.contains(&WaterItem::TotalNitrogen));
    assert_eq!(a.total_nitrogen, None);

    // Lake: TP 0.11 → V decides; TN 2.5 → 劣V is reported beside it, not in the class.
    let a = assess_or_panic(&s, WaterBody::Lake, Judgement::Automatic);
    assert_eq!(a.class, WaterClass::V);
    assert_eq!(
        a.total_nitrogen,
        Some(ItemClass {
            item: WaterItem::TotalNitrogen,
            value: 2.5,
            class: WaterClass::WorseThanV
        })
    );
    // Items outside the judgement are ignored (COD for an automatic station).
    assert!(a.items.iter().all(|i| i.item != WaterItem::Cod));
}

#[test]
fn missing_and_invalid_items() {
    let a = assess_or_panic(
        &[(WaterItem::Nh3N, 0.8), (WaterItem::CodMn, -1.0)],
        WaterBody::River,
        Judgement::Automatic,
    );
    assert_eq!(a.class, WaterClass::III);
    assert_eq!(
        a.missing,
        vec![
            WaterItem::Ph,
            WaterItem::DissolvedOxygen,
            WaterItem::TotalPhosphorus
        ]
    );
    assert_eq!(a.invalid, vec![WaterItem::CodMn]);
    assert!(!a.is_complete());
    assert_eq!(assess(&[], WaterBody::River, Judgement::Automatic), None);
    assert_eq!(
        assess(
            &[(WaterItem::Ph, f64::NAN)],
            WaterBody::River,
            Judgement::Automatic
        ),
        None
    );
    assert_eq!(
        assess(
            &[(WaterItem::Lead, 0.01)],
            WaterBody::River,
            Judgement::Automatic
        ),
        None
    );
    assert_eq!(try_item_class(WaterItem::Ph, 15.0, WaterBody::River), None);
    assert_eq!(
        item_class(WaterItem::Nh3N, f64::NAN, WaterBody::River),
        WaterClass::WorseThanV
    );
    // First value of a repeated item counts.
    let a = assess_or_panic(
        &[(WaterItem::Nh3N, 0.1), (WaterItem::Nh3N, 5.0)],
        WaterBody::River,
        Judgement::Automatic,
    );
    assert_eq!(a.class, WaterClass::I);
}

#[test]
fn exceedance_multiples() {
    let river = WaterBody::River;
    // NH3-N 2.3 against class III (1.0): (2.3 − 1.0) / 1.0 = 1.3.
    let m = exceedance_multiple(WaterItem::Nh3N, 2.3, WaterClass::III, river);
    assert!(m.is_some_and(|m| (m - 1.3).abs() < 1e-12), "{m:?}");
    // TP 0.11 river vs III (0.2): within; lake vs III (0.05): 1.2.
    assert_eq!(
        exceedance_multiple(WaterItem::TotalPhosphorus, 0.11, WaterClass::III, river),
        None
    );
    let m = exceedance_multiple(
        WaterItem::TotalPhosphorus,
        0.11,
        WaterClass::III,
        WaterBody::Lake,
    );
    assert!(m.is_some_and(|m| (m - 1.2).abs() < 1e-12), "{m:?}");
    // Exactly on the limit is not an exceedance.
    assert_eq!(
        exceedance_multiple(WaterItem::CodMn, 6.0, WaterClass::III, river),
        None
    );
    // No multiple for pH and DO, nor against "worse than V", nor for junk.
    assert_eq!(
        exceedance_multiple(WaterItem::Ph, 10.0, WaterClass::III, river),
        None
    );
    assert_eq!(
        exceedance_multiple(WaterItem::DissolvedOxygen, 1.0, WaterClass::III, river),
        None
    );
    assert_eq!(
        exceedance_multiple(WaterItem::Nh3N, 9.0, WaterClass::WorseThanV, river),
        None
    );
    assert_eq!(
        exceedance_multiple(WaterItem::Nh3N, f64::INFINITY, WaterClass::III, river),
        None
    );
    assert_eq!(limit(WaterItem::Nh3N, WaterClass::IV, river), Some(1.5));
    assert_eq!(limit(WaterItem::Ph, WaterClass::IV, river), None);
}

#[test]
fn class_labels_order_and_parsing() {
    assert!(WaterClass::I < WaterClass::II && WaterClass::V < WaterClass::WorseThanV);
    let zh: Vec<&str> = WaterClass::ALL.iter().map(|c| c.label_zh()).collect();
    assert_eq!(zh, ["Ⅰ类", "Ⅱ类", "Ⅲ类", "Ⅳ类", "Ⅴ类", "劣Ⅴ类"]);
    let en: Vec<&str> = WaterClass::ALL.iter().map(|c| c.label_en()).collect();
    assert_eq!(
        en,
        [
            "Class I",
            "Class II",
            "Class III",
            "Class IV",
            "Class V",
            "Worse than V"
        ]
    );
    for c in WaterClass::ALL {
        assert_eq!(c.as_str().parse::<WaterClass>(), Ok(c));
        assert_eq!(c.roman().parse::<WaterClass>(), Ok(c));
        assert_eq!(c.label_zh().parse::<WaterClass>(), Ok(c));
    }
    assert_eq!("劣V类".parse::<WaterClass>(), Ok(WaterClass::WorseThanV));
    assert_eq!("III类".parse::<WaterClass>(), Ok(WaterClass::III));
    assert!("VI".parse::<WaterClass>().is_err());
}

#[test]
fn colours_follow_the_2011_scheme_and_are_readable() {
    assert_eq!(WaterClass::I.color(), WaterClass::II.color());
    let distinct: std::collections::BTreeSet<&str> =
        WaterClass::ALL[1..].iter().map(|c| c.color()).collect();
    assert_eq!(distinct.len(), 5);
    for c in WaterClass::ALL {
        let ratio = crate::aqi::category::contrast_ratio(c.color(), c.text_color());
        assert!(ratio >= 4.5, "{c:?}: {ratio}");
    }
}

#[test]
fn water_body_parsing_and_items() {
    for (raw, body) in [
        ("river", WaterBody::River),
        ("河流", WaterBody::River),
        ("Lake", WaterBody::Lake),
        ("湖泊", WaterBody::Lake),
        ("reservoir", WaterBody::Reservoir),
        ("水库", WaterBody::Reservoir),
    ] {
        assert_eq!(raw.parse::<WaterBody>(), Ok(body));
    }
    assert!("sea".parse::<WaterBody>().is_err());
    assert!(
        WaterBody::Reservoir.is_lake_or_reservoir() && !WaterBody::River.is_lake_or_reservoir()
    );
    assert_eq!(
        WaterItem::from_parameter(Parameter::Nh3N),
        Some(WaterItem::Nh3N)
    );
    assert_eq!(WaterItem::from_parameter(Parameter::Turbidity), None);
    assert_eq!(WaterItem::from_parameter(Parameter::Pm25), None);
    assert_eq!(
        WaterItem::TotalPhosphorus.parameter(),
        Some(Parameter::TotalPhosphorus)
    );
    assert_eq!(WaterItem::Lnas.name_zh(), "阴离子表面活性剂");
    assert_eq!(WaterItem::FecalColiform.unit(), None);
}

fn at_most_items() -> Vec<WaterItem> {
    WaterItem::ALL
        .into_iter()
        .filter(|i| i.kind() == LimitKind::AtMost)
        .collect()
}

proptest! {
    #[test]
    fn class_never_improves_when_an_at_most_item_rises(
        index in 0usize..21,
        v in 0.0..50.0f64,
        delta in 0.0..50.0f64,
        lake in any::<bool>(),
    ) {
        let items = at_most_items();
        let item = items[index % items.len()];
        let body = if lake { WaterBody::Lake } else { WaterBody::River };
        // Scale to the item's range so every class is reachable.
        let scale = limit(item, WaterClass::V, body).unwrap_or(1.0) / 10.0;
        let (a, b) = (v * scale, (v + delta) * scale);
        prop_assert!(item_class(item, b, body) >= item_class(item, a, body));
    }

    #[test]
    fn class_never_improves_when_do_falls(v in 0.0..12.0f64, delta in 0.0..12.0f64) {
        let body = WaterBody::River;
        let lower = (v - delta).max(0.0);
        prop_assert!(
            item_class(WaterItem::DissolvedOxygen, lower, body)
                >= item_class(WaterItem::DissolvedOxygen, v, body)
        );
    }

    #[test]
    fn sample_class_never_improves_when_one_item_worsens(
        values in proptest::array::uniform5(0.0..1.0f64),
        which in 1usize..5,
        delta in 0.0..1.0f64,
    ) {
        // pH fixed at 7; DO 0–12 mg/L; CODMn 0–20; NH3-N 0–3; TP 0–0.6.
        let make = |v: [f64; 5]| vec![
            (WaterItem::Ph, 7.0),
            (WaterItem::DissolvedOxygen, v[1] * 12.0),
            (WaterItem::CodMn, v[2] * 20.0),
            (WaterItem::Nh3N, v[3] * 3.0),
            (WaterItem::TotalPhosphorus, v[4] * 0.6),
        ];
        let mut worse = values;
        worse[which] = if which == 1 { (values[1] - delta).max(0.0) } else { values[which] + delta };
        let a = assess(&make(values), WaterBody::River, Judgement::Automatic).map(|a| a.class);
        let b = assess(&make(worse), WaterBody::River, Judgement::Automatic).map(|a| a.class);
        prop_assert!(b >= a);
    }

    #[test]
    fn any_f64_is_classed_without_panic(x in any::<f64>(), index in 0usize..23) {
        let item = WaterItem::ALL[index];
        let _ = item_class(item, x, WaterBody::River);
        let _ = exceedance_multiple(item, x, WaterClass::III, WaterBody::Lake);
        let valid = try_item_class(item, x, WaterBody::River).is_some();
        prop_assert_eq!(valid, is_valid_value(item, x));
    }
}
