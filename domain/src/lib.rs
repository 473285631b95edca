//! Daylight's domain: the vocabulary of environmental monitoring and the national standards
//! that turn measurements into what the public reads (AQI, water class, noise exceedance).
//!
//! This crate has no web or database dependency, so it compiles for the server and the
//! browser alike, and every rule in it is unit-tested against the standards' own numbers.

pub mod aqi;
pub mod complaint;
pub mod enterprise;
pub mod geo;
pub mod hj212;
pub mod noise;
pub mod parameter;
pub mod series;
pub mod station;
pub mod units;
pub mod water;
