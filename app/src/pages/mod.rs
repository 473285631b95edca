mod complaints;
mod map;
mod not_found;
mod report;
mod station;

pub use complaints::{FoundComplaints, RegisterPage};
pub use map::{EmbedMapPage, EmbedView, Layer, Layers, MapPage, MarkerSpec};
pub use not_found::{LoadError, NotFound};
pub use report::{FollowPage, ReportPage};
pub use station::StationPage;
