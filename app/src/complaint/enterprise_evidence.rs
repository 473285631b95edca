//! The suspected enterprise's part of the evidence snapshot: what its self-monitoring said
//! when the complaint came (the same figures as its public page, `/enterprise/{code}`), and
//! the same of the registered enterprises near the complaint's point.

use chrono::{DateTime, Utc};
use daylight_domain::enterprise::CreditCode;
use daylight_domain::geo::{distance_m, LonLat};
use daylight_store::{Enterprise, Store, StoreError};

use super::{EnterpriseEvidence, EnterpriseValue, NearbyEnterpriseEvidence};
use crate::enterprise::data::enterprise_page;

/// How many exceedance events the snapshot keeps (the newest).
pub const EXCEEDANCES_KEPT: usize = 5;

/// The enterprise's latest value of every monitored pollutant against its limit and its
/// newest exceedance events. None: the registry no longer knows the code.
pub async fn enterprise_evidence(
    store: &dyn Store,
    code: &CreditCode,
    now: DateTime<Utc>,
    utc_offset_minutes: i32,
) -> Result<Option<EnterpriseEvidence>, StoreError> {
    let Some(page) = enterprise_page(store, code.as_str(), now, utc_offset_minutes).await? else {
        return Ok(None);
    };
    let latest = page
        .outlets
        .iter()
        .flat_map(|o| {
            o.monitored.iter().filter_map(move |m| {
                m.latest.as_ref().map(|v| EnterpriseValue {
                    outlet: o.code.clone(),
                    pollutant: m.pollutant,
                    limit: m.limit,
                    unit: m.unit,
                    time: v.time,
                    value: v.value,
                    multiple: v.multiple,
                    source: v.source,
                })
            })
        })
        .collect();
    Ok(Some(EnterpriseEvidence {
        code: page.info.credit_code.clone(),
        name: page.info.name.clone(),
        demo: page.info.demo,
        exceeding_now: page.exceeding_now,
        latest,
        exceedances: page
            .exceedances
            .iter()
            .take(EXCEEDANCES_KEPT)
            .cloned()
            .collect(),
        exceedances_total: page.exceedances_total,
    }))
}

/// How far from the complaint's point the snapshot looks for registered enterprises.
pub const NEARBY_RADIUS_M: f64 = 5_000.0;
/// How many nearby enterprises the snapshot keeps (the nearest).
pub const NEARBY_KEPT: usize = 5;

/// The registered enterprises with a position within [`NEARBY_RADIUS_M`] of `here`, nearest
/// first, at most [`NEARBY_KEPT`], leaving out the suspected one (it has its own part).
pub fn nearby_for_evidence<'a>(
    enterprises: &'a [Enterprise],
    here: LonLat,
    suspected: Option<&CreditCode>,
) -> Vec<(&'a Enterprise, f64)> {
    let mut near: Vec<(&Enterprise, f64)> = enterprises
        .iter()
        .filter(|e| Some(&e.credit_code) != suspected)
        .filter_map(|e| Some((e, distance_m(here, e.position?))))
        .filter(|(_, d)| *d <= NEARBY_RADIUS_M)
        .collect();
    near.sort_by(|a, b| a.1.total_cmp(&b.1));
    near.truncate(NEARBY_KEPT);
    near
}

/// [`enterprise_evidence`] of each enterprise [`nearby_for_evidence`] chooses. An
/// enterprise whose data cannot be read is left out (and logged): the complaint matters
/// more than its snapshot.
pub async fn nearby_enterprise_evidence(
    store: &dyn Store,
    here: LonLat,
    suspected: Option<&CreditCode>,
    now: DateTime<Utc>,
    utc_offset_minutes: i32,
) -> Result<Vec<NearbyEnterpriseEvidence>, StoreError> {
    let enterprises = store.enterprises().await?;
    let mut nearby = Vec::new();
    for (enterprise, distance) in nearby_for_evidence(&enterprises, here, suspected) {
        match enterprise_evidence(store, &enterprise.credit_code, now, utc_offset_minutes).await {
            Ok(Some(evidence)) => nearby.push(NearbyEnterpriseEvidence {
                distance_m: distance.round(),
                evidence,
            }),
            Ok(None) => {}
            Err(error) => {
                tracing::warn!(%error, code = %enterprise.credit_code, "no evidence of a nearby enterprise");
            }
        }
    }
    Ok(nearby)
}

#[cfg(test)]
mod tests {
    use super::*;
    use daylight_domain::enterprise::credit_code::check_character;

    fn enterprise(n: usize, position: Option<LonLat>) -> Enterprise {
        let first17 = format!("91610100MA6DM00{n:02}");
        let check = check_character(&first17).expect("check character");
        Enterprise {
            credit_code: CreditCode::parse(&format!("{first17}{check}")).expect("code"),
            name: format!("enterprise {n}"),
            permit_number: String::new(),
            industry: String::new(),
            district: None,
            address: String::new(),
            position,
            key_unit: String::new(),
            demo: true,
            provenance: String::new(),
        }
    }

    /// About `km` kilometres east of the Bell Tower (a degree of longitude there is ~91 km).
    fn east(km: f64) -> LonLat {
        LonLat::new(108.94 + km / 91.0, 34.26).expect("position")
    }

    fn names(near: &[(&Enterprise, f64)]) -> Vec<String> {
        near.iter().map(|(e, _)| e.name.clone()).collect()
    }

    #[test]
    fn nearest_first_within_the_radius_and_at_most_five() {
        let here = east(0.0);
        let registry: Vec<Enterprise> = [3.0, 0.5, 4.5, 6.0, 1.0, 2.0, 2.5, 4.0]
            .iter()
            .enumerate()
            .map(|(n, km)| enterprise(n, Some(east(*km))))
            .collect();
        let near = nearby_for_evidence(&registry, here, None);
        assert_eq!(
            names(&near),
            [
                "enterprise 1",
                "enterprise 4",
                "enterprise 5",
                "enterprise 6",
                "enterprise 0"
            ]
        );
        assert!(near.windows(2).all(|w| w[0].1 <= w[1].1));
        assert!(near.iter().all(|(_, d)| *d <= NEARBY_RADIUS_M));
    }

    #[test]
    fn leaves_out_the_suspected_one_and_those_without_a_position() {
        let here = east(0.0);
        let registry = vec![
            enterprise(1, Some(east(0.2))),
            enterprise(2, None),
            enterprise(3, Some(east(1.0))),
            enterprise(4, Some(east(5.5))),
        ];
        let suspected = registry[0].credit_code.clone();
        let near = nearby_for_evidence(&registry, here, Some(&suspected));
        assert_eq!(names(&near), ["enterprise 3"]);
        assert!(nearby_for_evidence(&registry, east(40.0), None).is_empty());
    }
}
