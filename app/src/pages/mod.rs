mod map;
mod not_found;
mod station;

pub use map::{MapPage, MarkerSpec};
pub use not_found::NotFound;
pub use station::StationPage;
