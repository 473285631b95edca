//! Pollution complaints (投诉举报): what a resident reports, how it is checked, and where it
//! goes. Pure rules only: the store keeps complaints, the server takes them in, the app shows
//! them.
//!
//! - [`Category`]: the kinds of pollution a resident can report.
//! - [`Status`]: where a complaint stands (received → accepted → investigating → closed).
//! - [`TrackingCode`]: `TS-2026-7KQ4MX`, short enough to read out over the phone, from an
//!   alphabet without look-alikes.
//! - [`validate`]: raw form input to a [`ValidComplaint`], with every problem per field.
//! - [`route`]: the district (区县) a location lies in, or the city-level queue.
//! - [`photo`]: the photos a resident attaches, checked and stripped of metadata.
//! - [`suspect`]: the enterprise a resident suspects, linked to the registry or kept as text.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Duration, FixedOffset, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::geo::{LonLat, MultiPolygon};

pub mod addition;
pub mod photo;
pub mod stats;
pub mod suspect;
#[cfg(test)]
mod tests;
mod workflow;

pub use workflow::{add_working_days, Clock, Deadlines};

/// What kind of pollution a complaint is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Smoke, dust, exhaust: anything in the air one can see.
    Air,
    Odour,
    Water,
    Noise,
    SolidWaste,
    Ecology,
    Radiation,
    Other,
}

impl Category {
    pub const ALL: [Category; 8] = [
        Self::Air,
        Self::Odour,
        Self::Water,
        Self::Noise,
        Self::SolidWaste,
        Self::Ecology,
        Self::Radiation,
        Self::Other,
    ];

    /// The code used in forms, the database and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Air => "air",
            Self::Odour => "odour",
            Self::Water => "water",
            Self::Noise => "noise",
            Self::SolidWaste => "solid_waste",
            Self::Ecology => "ecology",
            Self::Radiation => "radiation",
            Self::Other => "other",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Self::Air => "大气污染（烟尘、粉尘、废气）",
            Self::Odour => "异味、恶臭",
            Self::Water => "水污染",
            Self::Noise => "噪声",
            Self::SolidWaste => "固体废物",
            Self::Ecology => "生态破坏",
            Self::Radiation => "辐射",
            Self::Other => "其他",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Self::Air => "Air (smoke, dust, fumes)",
            Self::Odour => "Odour",
            Self::Water => "Water pollution",
            Self::Noise => "Noise",
            Self::SolidWaste => "Solid waste",
            Self::Ecology => "Ecological damage",
            Self::Radiation => "Radiation",
            Self::Other => "Other",
        }
    }
}

/// A category code that is not one of [`Category::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown complaint category '{0}'")]
pub struct UnknownCategory(pub String);

impl FromStr for Category {
    type Err = UnknownCategory;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownCategory(s.to_owned()))
    }
}

/// Where a complaint stands. A new complaint is [`Status::Received`]; the back office moves
/// it on (issue 6, later slices).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Received,
    Accepted,
    Investigating,
    /// Closed: the complaint was founded (a violation was found).
    ClosedFounded,
    /// Closed: nothing was found.
    ClosedUnfounded,
    /// Closed: handed to another authority.
    Referred,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Self::Received,
        Self::Accepted,
        Self::Investigating,
        Self::ClosedFounded,
        Self::ClosedUnfounded,
        Self::Referred,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Accepted => "accepted",
            Self::Investigating => "investigating",
            Self::ClosedFounded => "closed_founded",
            Self::ClosedUnfounded => "closed_unfounded",
            Self::Referred => "referred",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Self::Received => "已收到",
            Self::Accepted => "已受理",
            Self::Investigating => "调查中",
            Self::ClosedFounded => "已办结（情况属实）",
            Self::ClosedUnfounded => "已办结（情况不属实）",
            Self::Referred => "已转交其他部门",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Self::Received => "Received",
            Self::Accepted => "Accepted",
            Self::Investigating => "Under investigation",
            Self::ClosedFounded => "Closed: founded",
            Self::ClosedUnfounded => "Closed: unfounded",
            Self::Referred => "Referred to another authority",
        }
    }
}

/// A status code that is not one of [`Status::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown complaint status '{0}'")]
pub struct UnknownStatus(pub String);

impl FromStr for Status {
    type Err = UnknownStatus;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownStatus(s.to_owned()))
    }
}

// ---------------------------------------------------------------------------------------------
// Tracking codes
// ---------------------------------------------------------------------------------------------

/// The characters of a tracking code: digits and capitals without the look-alikes 0/O,
/// 1/I/L, and without U/V (easily confused when read out): 29 symbols, so 6 of them give
/// 595 million codes a year.
pub const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTWXYZ";
/// Symbols after the year.
const CODE_LEN: usize = 6;

/// A complaint's public tracking code, `TS-YYYY-XXXXXX`: what a resident reads out on the
/// phone and what the register lists.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TrackingCode(String);

/// Text that is not a tracking code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a tracking code (TS-YYYY-XXXXXX expected)")]
pub struct InvalidTrackingCode(pub String);

impl TrackingCode {
    /// A code for `year` from 64 random bits (the caller draws them from the operating system).
    pub fn generate(year: i32, random: u64) -> Self {
        let year = year.clamp(0, 9999);
        let base = CODE_ALPHABET.len() as u64;
        let mut rest = random;
        let mut text = format!("TS-{year:04}-");
        for _ in 0..CODE_LEN {
            // `% 29` of a 64-bit value: the bias is below 2^-58, irrelevant here.
            text.push(char::from(CODE_ALPHABET[(rest % base) as usize]));
            rest /= base;
        }
        Self(text)
    }

    /// A code as a person typed or read it: surrounding blanks are ignored and letters may
    /// be lowercase.
    pub fn parse(raw: &str) -> Result<Self, InvalidTrackingCode> {
        let upper = raw.trim().to_ascii_uppercase();
        let bad = || InvalidTrackingCode(raw.to_owned());
        let rest = upper.strip_prefix("TS-").ok_or_else(bad)?;
        let (year, symbols) = rest.split_once('-').ok_or_else(bad)?;
        let ok = year.len() == 4
            && year.bytes().all(|b| b.is_ascii_digit())
            && symbols.len() == CODE_LEN
            && symbols.bytes().all(|b| CODE_ALPHABET.contains(&b));
        if ok {
            Ok(Self(upper))
        } else {
            Err(bad())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TrackingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for TrackingCode {
    type Error = InvalidTrackingCode;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<TrackingCode> for String {
    fn from(code: TrackingCode) -> Self {
        code.0
    }
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

/// Longest description, in characters.
pub const MAX_DESCRIPTION: usize = 2000;
/// Longest address, in characters.
pub const MAX_ADDRESS: usize = 200;
/// Longest contact (a phone number or an e-mail address), in characters.
pub const MAX_CONTACT: usize = 100;
/// How far back an observation may lie.
pub const MAX_AGE_DAYS: i64 = 365;
/// How far in the future an observation time may lie (clock skew, time zones).
pub const FUTURE_SLACK_MINUTES: i64 = 10;

/// What a resident typed, as text, before any check.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawComplaint {
    pub category: String,
    pub description: String,
    /// A local date and time as `<input type="datetime-local">` sends it: `2026-05-01T14:30`
    /// (seconds optional), in the deployment's display time zone.
    pub observed: String,
    pub lat: String,
    pub lon: String,
    pub address: String,
    pub contact: String,
    pub consent: bool,
}

/// How to reach the reporter, if they want to be reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Contact {
    Phone(String),
    Email(String),
}

impl Contact {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Phone(_) => "phone",
            Self::Email(_) => "email",
        }
    }

    pub fn value(&self) -> &str {
        match self {
            Self::Phone(v) | Self::Email(v) => v,
        }
    }
}

/// A complaint that passed every check.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidComplaint {
    pub category: Category,
    pub description: String,
    pub observed: DateTime<Utc>,
    pub location: Option<LonLat>,
    pub address: Option<String>,
    pub contact: Option<Contact>,
}

/// The form's fields, for attaching a problem to the right one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Category,
    Description,
    Observed,
    Location,
    Address,
    Contact,
    Consent,
}

/// One problem with a submitted complaint. The interface words each in the reader's
/// language; `Display` is for logs and the API.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum Problem {
    #[error("choose a category")]
    CategoryMissing,
    #[error("unknown category")]
    CategoryUnknown,
    #[error("describe what happened")]
    DescriptionEmpty,
    #[error("the description is longer than {max} characters")]
    DescriptionTooLong { max: usize },
    #[error("the time is missing")]
    ObservedMissing,
    #[error("the time is not a date and time")]
    ObservedInvalid,
    #[error("the time is in the future")]
    ObservedInFuture,
    #[error("the time is more than {days} days ago")]
    ObservedTooOld { days: i64 },
    #[error("latitude and longitude must both be given")]
    LocationIncomplete,
    #[error("latitude or longitude is not a valid coordinate")]
    LocationInvalid,
    #[error("give a location or an address")]
    PlaceMissing,
    #[error("the address is longer than {max} characters")]
    AddressTooLong { max: usize },
    #[error("the contact is neither a phone number nor an e-mail address")]
    ContactInvalid,
    #[error("the contact is longer than {max} characters")]
    ContactTooLong { max: usize },
    #[error("consent is required")]
    ConsentMissing,
}

impl Problem {
    pub fn field(&self) -> Field {
        match self {
            Self::CategoryMissing | Self::CategoryUnknown => Field::Category,
            Self::DescriptionEmpty | Self::DescriptionTooLong { .. } => Field::Description,
            Self::ObservedMissing
            | Self::ObservedInvalid
            | Self::ObservedInFuture
            | Self::ObservedTooOld { .. } => Field::Observed,
            Self::LocationIncomplete | Self::LocationInvalid => Field::Location,
            Self::PlaceMissing | Self::AddressTooLong { .. } => Field::Address,
            Self::ContactInvalid | Self::ContactTooLong { .. } => Field::Contact,
            Self::ConsentMissing => Field::Consent,
        }
    }
}

/// Text as a person meant it: line breaks normalised to `\n`, other control characters
/// (which no one types and which can hide text) removed, blanks around it trimmed.
pub fn clean_text(raw: &str, multiline: bool) -> String {
    let unified = raw.replace("\r\n", "\n").replace('\r', "\n");
    unified
        .chars()
        .filter(|c| !c.is_control() || (multiline && *c == '\n'))
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Checks a complaint. `now` and the display time zone (`utc_offset_minutes`, +480 for
/// Asia/Shanghai) place the observation time. Returns every problem, not only the first, so
/// a form can mark all of them at once.
pub fn validate(
    raw: &RawComplaint,
    now: DateTime<Utc>,
    utc_offset_minutes: i32,
) -> Result<ValidComplaint, Vec<Problem>> {
    let mut problems = Vec::new();

    let category = match raw.category.trim() {
        "" => {
            problems.push(Problem::CategoryMissing);
            None
        }
        code => match code.parse::<Category>() {
            Ok(c) => Some(c),
            Err(_) => {
                problems.push(Problem::CategoryUnknown);
                None
            }
        },
    };

    let description = clean_text(&raw.description, true);
    if description.is_empty() {
        problems.push(Problem::DescriptionEmpty);
    } else if description.chars().count() > MAX_DESCRIPTION {
        problems.push(Problem::DescriptionTooLong {
            max: MAX_DESCRIPTION,
        });
    }

    let observed = match parse_local_time(&raw.observed, utc_offset_minutes) {
        Err(p) => {
            problems.push(p);
            None
        }
        Ok(t) if t > now + Duration::minutes(FUTURE_SLACK_MINUTES) => {
            problems.push(Problem::ObservedInFuture);
            None
        }
        Ok(t) if t < now - Duration::days(MAX_AGE_DAYS) => {
            problems.push(Problem::ObservedTooOld { days: MAX_AGE_DAYS });
            None
        }
        Ok(t) => Some(t),
    };

    let location = match (raw.lat.trim(), raw.lon.trim()) {
        ("", "") => None,
        ("", _) | (_, "") => {
            problems.push(Problem::LocationIncomplete);
            None
        }
        (lat, lon) => match (lat.parse::<f64>(), lon.parse::<f64>()) {
            (Ok(lat), Ok(lon)) => match LonLat::new(lon, lat) {
                Ok(p) => Some(p),
                Err(_) => {
                    problems.push(Problem::LocationInvalid);
                    None
                }
            },
            _ => {
                problems.push(Problem::LocationInvalid);
                None
            }
        },
    };

    let address = clean_text(&raw.address, false);
    if address.chars().count() > MAX_ADDRESS {
        problems.push(Problem::AddressTooLong { max: MAX_ADDRESS });
    } else if address.is_empty()
        && location.is_none()
        && !problems.iter().any(|p| p.field() == Field::Location)
    {
        problems.push(Problem::PlaceMissing);
    }

    let contact = match parse_contact(&raw.contact) {
        Ok(c) => c,
        Err(p) => {
            problems.push(p);
            None
        }
    };

    if !raw.consent {
        problems.push(Problem::ConsentMissing);
    }

    match (category, observed) {
        (Some(category), Some(observed)) if problems.is_empty() => Ok(ValidComplaint {
            category,
            description,
            observed,
            location,
            address: (!address.is_empty()).then_some(address),
            contact,
        }),
        _ => Err(problems),
    }
}

/// A `datetime-local` value in the display time zone, as UTC.
fn parse_local_time(raw: &str, utc_offset_minutes: i32) -> Result<DateTime<Utc>, Problem> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(Problem::ObservedMissing);
    }
    let naive = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(raw, f).ok())
        .ok_or(Problem::ObservedInvalid)?;
    let offset = FixedOffset::east_opt(utc_offset_minutes.saturating_mul(60))
        .ok_or(Problem::ObservedInvalid)?;
    offset
        .from_local_datetime(&naive)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .ok_or(Problem::ObservedInvalid)
}

/// An optional phone number or e-mail address. Phone numbers: 5 to 20 digits, optionally a
/// leading `+` and separating blanks, `-` or parentheses (stored without the separators).
fn parse_contact(raw: &str) -> Result<Option<Contact>, Problem> {
    let text = clean_text(raw, false);
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > MAX_CONTACT {
        return Err(Problem::ContactTooLong { max: MAX_CONTACT });
    }
    if let Some((local, domain)) = text.split_once('@') {
        let ok = !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !text
                .chars()
                .any(|c| c.is_whitespace() || "<>\"'".contains(c))
            && !domain.contains('@');
        return if ok {
            Ok(Some(Contact::Email(text)))
        } else {
            Err(Problem::ContactInvalid)
        };
    }
    let allowed = text.chars().enumerate().all(|(i, c)| {
        c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')') || (c == '+' && i == 0)
    });
    let digits: String = text
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    let count = digits.chars().filter(char::is_ascii_digit).count();
    if allowed && (5..=20).contains(&count) {
        Ok(Some(Contact::Phone(digits)))
    } else {
        Err(Problem::ContactInvalid)
    }
}

// ---------------------------------------------------------------------------------------------
// Routing
// ---------------------------------------------------------------------------------------------

/// Where a complaint goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Routing {
    /// To the district whose boundary contains the location (its adcode).
    District(String),
    /// To the city-level queue: no location was given (an address only), so a person has
    /// to place it.
    CityUnplaced,
    /// To the city-level queue, flagged: the location lies outside every district.
    OutsideCity,
}

impl Routing {
    pub fn district(&self) -> Option<&str> {
        match self {
            Self::District(adcode) => Some(adcode),
            Self::CityUnplaced | Self::OutsideCity => None,
        }
    }

    pub fn outside_city(&self) -> bool {
        matches!(self, Self::OutsideCity)
    }
}

/// Routes a location by point-in-polygon against the districts' boundaries (adcode,
/// boundary). Boundaries may overlap by a hair where two districts meet: the first match
/// in the given order wins, so callers pass districts in a stable order (by adcode).
pub fn route<'a>(
    location: Option<LonLat>,
    districts: impl IntoIterator<Item = (&'a str, &'a MultiPolygon)>,
) -> Routing {
    let Some(point) = location else {
        return Routing::CityUnplaced;
    };
    districts
        .into_iter()
        .find(|(_, boundary)| {
            boundary.bbox().is_some_and(|b| b.contains(point)) && boundary.contains(point)
        })
        .map(|(adcode, _)| Routing::District(adcode.to_owned()))
        .unwrap_or(Routing::OutsideCity)
}

/// Grid step for [`coarsen`], in degrees of latitude and longitude (~220 m north–south,
/// ~185 m east–west at Xi'an's latitude).
pub const COARSE_STEP_DEG: f64 = 0.002;

/// A location as the public register shows it: snapped to the centre of its ~200 m grid
/// cell, so a complaint cannot be traced to a doorstep.
pub fn coarsen(p: LonLat) -> LonLat {
    let snap = |v: f64| ((v / COARSE_STEP_DEG).floor() + 0.5) * COARSE_STEP_DEG;
    let round6 = |v: f64| (v * 1e6).round() / 1e6;
    LonLat {
        lon: round6(snap(p.lon)).clamp(-180.0, 180.0),
        lat: round6(snap(p.lat)).clamp(-90.0, 90.0),
    }
}
