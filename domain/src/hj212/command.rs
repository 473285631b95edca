//! Command codes (CN, §6.6.5 Table 9) and what `DataTime` means for each upload.

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A command code. The pollutant uploads Daylight ingests have their own variants; every other
/// code (parameter commands 1xxx, control 3xxx, replies 9xxx…) is kept as [`Command::Other`].
///
/// Build one with [`Command::from_code`], which never puts a named code into `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Command {
    /// CN=2011 上传污染物实时数据: `xxxxxx-Rtd` values at one instant.
    RealTime,
    /// CN=2051 上传污染物分钟数据: statistics over one minute-data interval (`MinInterval`).
    Minute,
    /// CN=2061 上传污染物小时数据: statistics over one clock hour.
    Hour,
    /// CN=2031 上传污染物日历史数据: statistics over one day.
    Day,
    /// Any other code, as its number.
    Other(u16),
}

/// What the CP field `DataTime` stands for (Table 4, and Tables C.14/C.16/C.17/C.18).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataTimeMeaning {
    /// The moment the values were acquired (real-time data, 2011 and 2021).
    Instant,
    /// The start of the period the statistics cover (2051, 2061, 2031, 2041): hourly data with
    /// `DataTime=20160801080000` covers 08:00–09:00 (Table C.17).
    PeriodStart,
}

impl Command {
    /// Every named variant.
    pub const NAMED: [Command; 4] = [
        Command::RealTime,
        Command::Minute,
        Command::Hour,
        Command::Day,
    ];

    pub const fn from_code(code: u16) -> Self {
        match code {
            2011 => Command::RealTime,
            2051 => Command::Minute,
            2061 => Command::Hour,
            2031 => Command::Day,
            other => Command::Other(other),
        }
    }

    pub const fn code(self) -> u16 {
        match self {
            Command::RealTime => 2011,
            Command::Minute => 2051,
            Command::Hour => 2061,
            Command::Day => 2031,
            Command::Other(code) => code,
        }
    }

    /// True for the four pollutant-data uploads.
    pub const fn is_pollutant_data(self) -> bool {
        !matches!(self, Command::Other(_))
    }

    /// How to read `DataTime` in this command's CP (Table 4): the acquisition instant for
    /// real-time data, the start of the period for minute, hour and day statistics. `None` for
    /// commands whose `DataTime` Table 4 does not define.
    pub const fn data_time_meaning(self) -> Option<DataTimeMeaning> {
        match self {
            Command::RealTime | Command::Other(2021) => Some(DataTimeMeaning::Instant),
            Command::Minute | Command::Hour | Command::Day | Command::Other(2041) => {
                Some(DataTimeMeaning::PeriodStart)
            }
            Command::Other(_) => None,
        }
    }

    /// The length of the period a statistic covers, where the command fixes it: one hour for
    /// 2061, one day for 2031. Minute data covers `MinInterval` minutes, a setting of the
    /// logger (Table 4: 1–30 minutes) that the packet does not carry, so it is `None` here.
    pub fn period(self) -> Option<TimeDelta> {
        match self {
            Command::Hour => TimeDelta::try_hours(1),
            Command::Day => TimeDelta::try_days(1),
            _ => None,
        }
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.code())
    }
}
