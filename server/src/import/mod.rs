//! File imports: stations and readings as CSV, districts as GeoJSON. Every bad row is
//! reported with its line number and reason; by default a file with any bad row imports
//! nothing.

mod districts;
mod readings;
mod stations;

pub use districts::parse_districts;
pub use readings::parse_readings;
pub use stations::parse_stations;

use std::fmt;

/// One bad row (or GeoJSON feature) and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The line in a CSV file (1 = the header), or the feature's number in a GeoJSON file.
    pub line: u64,
    pub message: String,
    /// Whether the whole file is unusable (a missing column, not JSON): then nothing can be
    /// imported, whatever the options.
    pub fatal: bool,
    pub unit: Unit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Line,
    Feature,
}

impl RowError {
    pub fn line(line: u64, message: impl Into<String>) -> Self {
        Self {
            line,
            message: message.into(),
            fatal: false,
            unit: Unit::Line,
        }
    }

    pub fn feature(number: u64, message: impl Into<String>) -> Self {
        Self {
            line: number,
            message: message.into(),
            fatal: false,
            unit: Unit::Feature,
        }
    }

    pub fn whole_file(line: u64, message: impl Into<String>) -> Self {
        Self {
            line,
            message: message.into(),
            fatal: true,
            unit: Unit::Line,
        }
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.unit {
            Unit::Line => write!(f, "line {}: {}", self.line, self.message),
            Unit::Feature => write!(f, "feature {}: {}", self.line, self.message),
        }
    }
}

/// The good rows of a file and the errors of the bad ones.
#[derive(Debug)]
pub struct Parsed<T> {
    pub rows: Vec<T>,
    pub errors: Vec<RowError>,
}

impl<T> Default for Parsed<T> {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            errors: Vec::new(),
        }
    }
}

/// Reads a CSV header and finds the named columns; the error names what is missing.
pub(crate) struct Columns {
    names: Vec<String>,
}

impl Columns {
    pub(crate) fn new(headers: &csv::StringRecord) -> Self {
        Self {
            names: headers
                .iter()
                .map(|h| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
                .collect(),
        }
    }

    pub(crate) fn require(&self, required: &[&str]) -> Result<(), RowError> {
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|name| !self.names.iter().any(|n| n == name))
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(RowError::whole_file(
                1,
                format!("the header lacks column(s): {}", missing.join(", ")),
            ))
        }
    }

    /// The trimmed value of a column in a record, "" when the column is absent.
    pub(crate) fn get<'r>(&self, record: &'r csv::StringRecord, name: &str) -> &'r str {
        self.names
            .iter()
            .position(|n| n == name)
            .and_then(|i| record.get(i))
            .map(str::trim)
            .unwrap_or("")
    }
}

/// The line of a CSV record, for error messages.
pub(crate) fn line_of(record: &csv::StringRecord, fallback: u64) -> u64 {
    record.position().map(|p| p.line()).unwrap_or(fallback)
}
