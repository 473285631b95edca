//! Pieces shared by the pages.

mod badges;
mod chart;
mod layout;
mod legend;
mod scale;
mod time;

pub use badges::{AqiBadge, SourceBadge, WaterClassBadge};
pub use chart::{TrendBar, TrendChart};
pub use layout::{Footer, Header};
pub use legend::Legend;
pub use scale::{scale_name, ScaleSwitch};
pub use time::{format_local, format_local_hour};
