//! What the register's monthly statistics read: each complaint of a period with the times
//! of its first status change and of its closing, from its history (`complaint_events`),
//! in one query over the `created` index instead of one per complaint.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use daylight_domain::complaint::stats::Timeline;
use daylight_domain::complaint::Category;
use sqlx::{Row, SqlitePool};

use super::{from_unix, to_unix};
use crate::{Result, StoreError};

pub(super) async fn complaint_timelines(
    pool: &SqlitePool,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Timeline>> {
    let rows = sqlx::query(
        "SELECT c.district, c.category, c.created, \
           (SELECT MIN(e.time) FROM complaint_events e WHERE e.complaint_id = c.id \
              AND e.kind = 'status' AND e.status <> 'received') AS accepted, \
           (SELECT MIN(e.time) FROM complaint_events e WHERE e.complaint_id = c.id \
              AND e.kind = 'status' \
              AND e.status IN ('closed_founded', 'closed_unfounded', 'referred')) AS closed \
         FROM complaints c WHERE c.created >= ? AND c.created < ? ORDER BY c.created",
    )
    .bind(to_unix(from))
    .bind(to_unix(to))
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            let category: String = row.try_get("category")?;
            let optional = |name: &str| -> Result<Option<DateTime<Utc>>> {
                row.try_get::<Option<i64>, _>(name)?
                    .map(from_unix)
                    .transpose()
            };
            Ok(Timeline {
                district: row.try_get("district")?,
                category: Category::from_str(&category)
                    .map_err(|_| StoreError::Corrupt(format!("complaint category {category:?}")))?,
                created: from_unix(row.try_get("created")?)?,
                accepted: optional("accepted")?,
                closed: optional("closed")?,
            })
        })
        .collect()
}
