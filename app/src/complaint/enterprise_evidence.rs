//! The suspected enterprise's part of the evidence snapshot: what its self-monitoring said
//! when the complaint came (the same figures as its public page, `/enterprise/{code}`).

use chrono::{DateTime, Utc};
use daylight_domain::enterprise::CreditCode;
use daylight_store::{Store, StoreError};

use super::{EnterpriseEvidence, EnterpriseValue};
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
