//! Statements (企业说明, the right of reply): what an enterprise says about its own data —
//! a start-up, an instrument fault, an exceedance. Published statements are never edited;
//! a correction is a new statement that names the one it corrects.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::UnknownName;

/// What a statement is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatementKind {
    /// 启停机: start-up or shutdown, when emissions are not representative.
    StartupShutdown,
    /// 仪器故障.
    InstrumentFault,
    /// 设备维护 / calibration.
    Maintenance,
    /// 超标说明.
    ExceedanceExplanation,
    Other,
}

impl StatementKind {
    pub const ALL: &'static [StatementKind] = &[
        Self::StartupShutdown,
        Self::InstrumentFault,
        Self::Maintenance,
        Self::ExceedanceExplanation,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::StartupShutdown => "startup_shutdown",
            Self::InstrumentFault => "instrument_fault",
            Self::Maintenance => "maintenance",
            Self::ExceedanceExplanation => "exceedance_explanation",
            Self::Other => "other",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Self::StartupShutdown => "启停机",
            Self::InstrumentFault => "仪器故障",
            Self::Maintenance => "设备维护",
            Self::ExceedanceExplanation => "超标说明",
            Self::Other => "其他",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Self::StartupShutdown => "Start-up / shutdown",
            Self::InstrumentFault => "Instrument fault",
            Self::Maintenance => "Maintenance",
            Self::ExceedanceExplanation => "Exceedance explanation",
            Self::Other => "Other",
        }
    }
}

impl FromStr for StatementKind {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key = s.trim().to_ascii_lowercase();
        Self::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == key)
            .ok_or_else(|| UnknownName(s.to_owned()))
    }
}

impl fmt::Display for StatementKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Longest statement text, in characters.
pub const MAX_STATEMENT_CHARS: usize = 4000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_unknown_ones_are_refused() {
        for kind in StatementKind::ALL {
            assert_eq!(kind.as_str().parse::<StatementKind>(), Ok(*kind));
        }
        assert_eq!(
            " Maintenance ".parse::<StatementKind>(),
            Ok(StatementKind::Maintenance)
        );
        assert!("edit".parse::<StatementKind>().is_err());
    }
}
