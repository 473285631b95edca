//! The registry's three files (enterprises, outlets, limits) checked against what is stored
//! and written all or nothing. The back office's upload (`crate::admin::registry`) goes
//! through here; the parsers and the store's one-transaction upserts are the same ones
//! `daylight import enterprises|outlets|limits` uses.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use daylight_store::{ImportCounts, Store, StoreError};

use super::{parse_enterprises, parse_limits, parse_outlets, Parsed, RowError};

/// Which registry file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistryFile {
    Enterprises,
    Outlets,
    Limits,
}

impl RegistryFile {
    pub const ALL: [RegistryFile; 3] = [Self::Enterprises, Self::Outlets, Self::Limits];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Enterprises => "enterprises",
            Self::Outlets => "outlets",
            Self::Limits => "limits",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == raw)
    }
}

/// What an all-or-nothing import did.
#[derive(Debug)]
pub enum Outcome {
    /// Every row was good and is stored.
    Stored(ImportCounts),
    /// Some row was bad: these are the errors, and nothing was written.
    Refused(Vec<RowError>),
}

/// The rows of a file with no bad row, or its errors.
fn all_good<T>(parsed: Parsed<T>) -> Result<Vec<T>, Vec<RowError>> {
    if parsed.errors.is_empty() {
        Ok(parsed.rows)
    } else {
        Err(parsed.errors)
    }
}

/// Parses `input` as `file` (outlets against the stored enterprises, limits against the
/// stored outlets) and writes it only if every row is good.
pub async fn import_all_or_nothing(
    store: &dyn Store,
    file: RegistryFile,
    input: impl Read,
) -> Result<Outcome, StoreError> {
    let counts = match file {
        RegistryFile::Enterprises => match all_good(parse_enterprises(input)) {
            Ok(rows) => store.upsert_enterprises(&rows).await?,
            Err(errors) => return Ok(Outcome::Refused(errors)),
        },
        RegistryFile::Outlets => {
            let known: HashSet<_> = store
                .enterprises()
                .await?
                .into_iter()
                .map(|e| e.credit_code)
                .collect();
            match all_good(parse_outlets(input, &known)) {
                Ok(rows) => store.upsert_outlets(&rows).await?,
                Err(errors) => return Ok(Outcome::Refused(errors)),
            }
        }
        RegistryFile::Limits => {
            let known: HashMap<_, _> = store
                .outlets(None)
                .await?
                .into_iter()
                .map(|o| ((o.enterprise, o.code), o.kind))
                .collect();
            match all_good(parse_limits(input, &known)) {
                Ok(rows) => store.upsert_outlet_limits(&rows).await?,
                Err(errors) => return Ok(Outcome::Refused(errors)),
            }
        }
    };
    Ok(Outcome::Stored(counts))
}
