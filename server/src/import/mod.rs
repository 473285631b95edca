//! File imports: stations and readings as CSV, districts as GeoJSON. Every bad row is
//! reported with its line number and reason; by default a file with any bad row imports
//! nothing.

mod districts;
mod enterprises;
mod readings;
mod registry;
mod stations;
mod validate;

pub use districts::parse_districts;
pub use enterprises::{parse_enterprises, parse_limits, parse_outlets};
pub use readings::parse_readings;
pub use registry::{import_all_or_nothing, Outcome, RegistryFile};
pub use stations::parse_stations;
pub use validate::{check_reading, RawValue, ReadingError, ReadingFields, ReadingRules};

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

/// Reads a CSV file with a header naming at least `required`, turning each record into a row
/// with `row`. A row whose `key` was already seen is an error ("appears twice"), so a file
/// cannot say two things about the same fact.
pub(crate) fn parse_csv<T, K: std::hash::Hash + Eq>(
    input: impl std::io::Read,
    required: &[&str],
    mut row: impl FnMut(&Columns, &csv::StringRecord) -> Result<T, String>,
    key: impl Fn(&T) -> K,
    duplicate: impl Fn(&T) -> String,
) -> Parsed<T> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let mut parsed = Parsed::default();
    let columns = match reader.headers() {
        Ok(h) => Columns::new(h),
        Err(e) => {
            parsed.errors.push(RowError::whole_file(
                1,
                format!("cannot read the header: {e}"),
            ));
            return parsed;
        }
    };
    if let Err(e) = columns.require(required) {
        parsed.errors.push(e);
        return parsed;
    }
    let mut seen = std::collections::HashSet::new();
    for (index, record) in reader.records().enumerate() {
        let fallback_line = index as u64 + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                parsed.errors.push(RowError::line(
                    fallback_line,
                    format!("unreadable row: {e}"),
                ));
                continue;
            }
        };
        let line = record.position().map(|p| p.line()).unwrap_or(fallback_line);
        match row(&columns, &record) {
            Ok(value) if seen.insert(key(&value)) => parsed.rows.push(value),
            Ok(value) => parsed.errors.push(RowError::line(line, duplicate(&value))),
            Err(message) => parsed.errors.push(RowError::line(line, message)),
        }
    }
    parsed
}
