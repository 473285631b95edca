//! The data segment (数据段, §6.3.2 Table 3): `QN=…;ST=…;CN=…;PW=…;MN=…;Flag=…;CP=&&…&&`.
//!
//! [`Segment::parse`] rejects what cannot be read unambiguously (unknown or repeated fields,
//! a CP that is not last or not bracketed by `&&`, a CN that is not four digits…) and accepts
//! what real loggers send even where it departs from Table 3: 2005-style segments without QN
//! and Flag, `PNO` before `PNUM`, MN and PW of other lengths. Those departures are listed by
//! [`Segment::nonconformities`], so that a gateway can log or refuse them by policy.

use super::command::Command;
use super::cp::{parse_timestamp, CpData, CpError};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The `Flag` field (Table 3): bits `V5 V4 V3 V2 V1 V0 D A`, bit 7 first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Flag(u8);

impl Flag {
    pub const fn new(bits: u8) -> Self {
        Flag(bits)
    }

    pub const fn bits(self) -> u8 {
        self.0
    }

    /// Bit 0, `A`: the sender wants a reply (for an upload, a 9014 data reply).
    pub const fn needs_ack(self) -> bool {
        self.0 & 0b01 != 0
    }

    /// Bit 1, `D`: the packet is one of several and carries `PNUM` and `PNO`.
    pub const fn is_split(self) -> bool {
        self.0 & 0b10 != 0
    }

    /// Bits 7–2, `V5…V0`: the version of the standard.
    pub const fn version(self) -> Version {
        Version::from_bits(self.0 >> 2)
    }
}

/// The version of the transmission standard a segment follows, from the Flag's version bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Version {
    /// HJ/T 212-2005: version bits `000000`, or no Flag at all (the 2005 style).
    V2005,
    /// HJ 212-2017: version bits `000001` (Flag 4–7).
    V2017,
    /// Any other version bits, kept as their value (0–63). HJ 212-2025 reportedly uses
    /// `000010` (Flag 8 and 9); its text was not available when this codec was written.
    Other(u8),
}

impl Version {
    pub const fn from_bits(bits: u8) -> Self {
        match bits {
            0 => Version::V2005,
            1 => Version::V2017,
            other => Version::Other(other),
        }
    }

    pub const fn bits(self) -> u8 {
        match self {
            Version::V2005 => 0,
            Version::V2017 => 1,
            Version::Other(bits) => bits,
        }
    }
}

/// A departure from Table 3 that [`Segment::parse`] tolerates.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Nonconformity {
    /// An HJ 212-2017 segment without QN.
    QnMissing,
    /// QN is not the 17-digit `YYYYMMDDhhmmsszzz` time stamp.
    QnFormat,
    /// ST is not two characters from 0–9/A–Z (§6.6.1.2).
    StFormat,
    /// PW is not 6 characters.
    PwLength { len: usize },
    /// MN is not 24 hex digits (2017, EPC-96) or not 14 characters (2005).
    MnFormat { version: Version },
    /// Version bits the codec does not know.
    UnknownVersion { bits: u8 },
    /// PNUM/PNO present although the Flag's D bit is clear or there is no Flag.
    PacketNumbersWithoutSplitFlag,
    /// The Flag's D bit is set but PNUM or PNO is missing.
    SplitFlagWithoutPacketNumbers,
    /// PNO is 0 or greater than PNUM.
    PacketNumberOutOfRange { pno: u32, pnum: u32 },
}

impl fmt::Display for Nonconformity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Nonconformity::QnMissing => f.write_str("HJ 212-2017 segment without QN"),
            Nonconformity::QnFormat => f.write_str("QN is not YYYYMMDDhhmmsszzz"),
            Nonconformity::StFormat => f.write_str("ST is not two characters 0-9/A-Z"),
            Nonconformity::PwLength { len } => write!(f, "PW has {len} characters, not 6"),
            Nonconformity::MnFormat { version } => match version {
                Version::V2005 => f.write_str("MN is not 14 characters (HJ/T 212-2005)"),
                _ => f.write_str("MN is not 24 hexadecimal digits (HJ 212-2017, EPC-96)"),
            },
            Nonconformity::UnknownVersion { bits } => {
                write!(f, "Flag version bits {bits:06b} are not a known version")
            }
            Nonconformity::PacketNumbersWithoutSplitFlag => {
                f.write_str("PNUM/PNO present but the Flag's D bit is not set")
            }
            Nonconformity::SplitFlagWithoutPacketNumbers => {
                f.write_str("the Flag's D bit is set but PNUM/PNO are missing")
            }
            Nonconformity::PacketNumberOutOfRange { pno, pnum } => {
                write!(f, "packet number {pno} is outside 1..={pnum}")
            }
        }
    }
}

/// Why a data segment cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SegmentError {
    #[error("data segment has no CP=&&…&& field")]
    MissingCp,
    #[error("CP must be the last field and end with \"&&\"")]
    CpNotTerminated,
    #[error("CP data area contains the delimiter \"&&\"")]
    CpContainsDelimiter,
    #[error("field {field:?} is not name=value")]
    MalformedField { field: String },
    #[error("unknown field {name:?} (field names are case-sensitive)")]
    UnknownField { name: String },
    #[error("field {name} appears twice")]
    DuplicateField { name: &'static str },
    #[error("required field {name} is missing")]
    MissingField { name: &'static str },
    #[error("{name}={value:?} is invalid: {expected} expected")]
    BadValue {
        name: &'static str,
        value: String,
        expected: &'static str,
    },
}

/// A parsed data segment: a view of the text it was parsed from (no copy; the parser runs on
/// every packet). Fields are only set through [`Segment::parse`], so each holds a value that
/// is safe to echo into a reply (no `;`, `=`, `&` or control characters). Two segments are
/// equal when their fields are, whatever their order in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment<'a> {
    qn: Option<&'a str>,
    st: &'a str,
    cn: Command,
    pw: &'a str,
    mn: &'a str,
    flag: Option<Flag>,
    pnum: Option<u32>,
    pno: Option<u32>,
    cp: &'a str,
}

#[derive(Default)]
struct Fields<'a> {
    qn: Option<&'a str>,
    st: Option<&'a str>,
    cn: Option<&'a str>,
    pw: Option<&'a str>,
    mn: Option<&'a str>,
    flag: Option<&'a str>,
    pnum: Option<&'a str>,
    pno: Option<&'a str>,
}

impl<'a> Fields<'a> {
    /// Reads one `name=value` field before CP.
    fn set(&mut self, field: &'a str) -> Result<(), SegmentError> {
        let Some(equals) = field.bytes().position(|b| b == b'=') else {
            return Err(SegmentError::MalformedField {
                field: field.to_owned(),
            });
        };
        let (name, value) = (&field[..equals], &field[equals + 1..]);
        // Single-byte patterns: integer comparisons, no `memcmp` each.
        let (slot, name) = match *name.as_bytes() {
            [b'Q', b'N'] => (&mut self.qn, "QN"),
            [b'S', b'T'] => (&mut self.st, "ST"),
            [b'C', b'N'] => (&mut self.cn, "CN"),
            [b'P', b'W'] => (&mut self.pw, "PW"),
            [b'M', b'N'] => (&mut self.mn, "MN"),
            [b'F', b'l', b'a', b'g'] => (&mut self.flag, "Flag"),
            [b'P', b'N', b'U', b'M'] => (&mut self.pnum, "PNUM"),
            [b'P', b'N', b'O'] => (&mut self.pno, "PNO"),
            [b'C', b'P'] => return Err(SegmentError::CpNotTerminated),
            _ => {
                return Err(SegmentError::UnknownField {
                    name: name.to_owned(),
                })
            }
        };
        if slot.replace(value).is_some() {
            return Err(SegmentError::DuplicateField { name });
        }
        Ok(())
    }
}

/// Whether `bytes` contain `&&`: one branch-free pass over neighbouring pairs, which the
/// compiler vectorises (a substring search cost more on every packet).
fn has_double_ampersand(bytes: &[u8]) -> bool {
    let next = bytes.get(1..).unwrap_or_default();
    bytes
        .iter()
        .zip(next)
        .fold(false, |found, (&a, &b)| found | ((a == b'&') & (b == b'&')))
}

/// The value of decimal digits already checked by [`digits`] (at most 9: within u32).
fn decimal(digits: &str) -> u32 {
    digits.bytes().fold(0, |n, d| n * 10 + u32::from(d - b'0'))
}

impl<'a> Segment<'a> {
    /// Parses a data segment (the text between the length and the CRC of a frame).
    ///
    /// Fields before CP may come in any order; CP must be last, written `CP=&&data area&&`.
    /// ST, CN, PW and MN are required; QN is optional (2005-style segments have none), so are
    /// Flag (absent: HJ/T 212-2005) and PNUM/PNO. Field names are case-sensitive (§6.3.3.2.1).
    pub fn parse(text: &'a str) -> Result<Segment<'a>, SegmentError> {
        // One pass over the fields before CP, keeping the first malformed one for after the
        // checks of CP itself (which are reported first).
        let bytes = text.as_bytes();
        let mut fields = Fields::default();
        let mut field_error = None;
        let mut start = 0;
        let cp_at = loop {
            let rest = &bytes[start..];
            if let [b'C', b'P', b'=', b'&', b'&', ..] = rest {
                break start;
            }
            let Some(end) = rest.iter().position(|&b| b == b';') else {
                return Err(SegmentError::MissingCp);
            };
            if field_error.is_none() {
                if let Err(error) = fields.set(&text[start..start + end]) {
                    field_error = Some(error);
                }
            }
            start += end + 1;
        };
        let area = &text[cp_at + "CP=&&".len()..];
        let cp = match area.as_bytes() {
            [.., b'&', b'&'] => &area[..area.len() - 2],
            _ => return Err(SegmentError::CpNotTerminated),
        };
        if has_double_ampersand(cp.as_bytes()) {
            return Err(SegmentError::CpContainsDelimiter);
        }
        if let Some(error) = field_error {
            return Err(error);
        }

        let qn = fields
            .qn
            .map(|v| check(v, "QN", "1 to 20 decimal digits", |v| digits(v, 1, 20)))
            .transpose()?;
        let st = required(fields.st, "ST")?;
        check(st, "ST", "1 to 4 letters or digits", |v| {
            (1..=4).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_alphanumeric())
        })?;
        let cn = required(fields.cn, "CN")?;
        // Four digits: always within u16.
        let cn = decimal(check(cn, "CN", "4 decimal digits", |v| digits(v, 4, 4))?) as u16;
        let pw = required(fields.pw, "PW")?;
        check(pw, "PW", "printable ASCII without '&' or '='", |v| {
            v.bytes().all(token_byte)
        })?;
        let mn = required(fields.mn, "MN")?;
        check(mn, "MN", "printable ASCII without '&' or '='", |v| {
            !v.is_empty() && v.bytes().all(token_byte)
        })?;
        let flag = match fields.flag {
            Some(v) => {
                let bits = decimal(check(v, "Flag", "an integer 0-255", |v| digits(v, 1, 3))?);
                Some(Flag(
                    u8::try_from(bits).map_err(|_| bad("Flag", v, "an integer 0-255"))?,
                ))
            }
            None => None,
        };
        // At most 9 digits: always within u32.
        let packet_number = |v: Option<&str>, name: &'static str| {
            v.map(|v| check(v, name, "1 to 9 decimal digits", |v| digits(v, 1, 9)).map(decimal))
                .transpose()
        };
        let pnum = packet_number(fields.pnum, "PNUM")?;
        let pno = packet_number(fields.pno, "PNO")?;

        Ok(Segment {
            qn,
            st,
            cn: Command::from_code(cn),
            pw,
            mn,
            flag,
            pnum,
            pno,
            cp,
        })
    }

    /// QN, the request number (`YYYYMMDDhhmmsszzz`) that a reply echoes.
    pub fn qn(&self) -> Option<&'a str> {
        self.qn
    }

    /// QN read as the time stamp it is, when it is one.
    pub fn qn_time(&self) -> Option<NaiveDateTime> {
        self.qn().and_then(parse_timestamp)
    }

    /// ST, the system code (Table 5), e.g. `22` air quality, `32` wastewater source.
    pub fn st(&self) -> &'a str {
        self.st
    }

    /// CN, the command (Table 9).
    pub fn command(&self) -> Command {
        self.cn
    }

    /// PW, the access password.
    pub fn pw(&self) -> &'a str {
        self.pw
    }

    /// MN, the device's unique identifier.
    pub fn mn(&self) -> &'a str {
        self.mn
    }

    pub fn flag(&self) -> Option<Flag> {
        self.flag
    }

    /// PNUM, the number of packets in a split transmission.
    pub fn pnum(&self) -> Option<u32> {
        self.pnum
    }

    /// PNO, this packet's number in a split transmission (from 1).
    pub fn pno(&self) -> Option<u32> {
        self.pno
    }

    /// The CP data area, between `CP=&&` and the final `&&`, unparsed.
    pub fn cp(&self) -> &'a str {
        self.cp
    }

    /// Parses the CP data area.
    pub fn cp_data(&self) -> Result<CpData, CpError> {
        CpData::parse(self.cp())
    }

    /// The version from the Flag's version bits; a segment without Flag is 2005-style.
    pub fn version(&self) -> Version {
        self.flag.map_or(Version::V2005, Flag::version)
    }

    /// Whether the sender asked for a reply (Flag bit A); never without a Flag.
    pub fn needs_ack(&self) -> bool {
        self.flag.is_some_and(Flag::needs_ack)
    }

    /// Whether the packet is part of a split transmission (Flag bit D).
    pub fn is_split(&self) -> bool {
        self.flag.is_some_and(Flag::is_split)
    }

    /// Everything in this segment that departs from Table 3 for its version.
    pub fn nonconformities(&self) -> Vec<Nonconformity> {
        let mut found = Vec::new();
        let version = self.version();
        match self.qn() {
            None if version == Version::V2017 => found.push(Nonconformity::QnMissing),
            Some(qn) if qn.len() != 17 || self.qn_time().is_none() => {
                found.push(Nonconformity::QnFormat)
            }
            _ => {}
        }
        let (st, pw, mn) = (self.st(), self.pw(), self.mn());
        let st_ok = st.len() == 2
            && st
                .bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase());
        if !st_ok {
            found.push(Nonconformity::StFormat);
        }
        if pw.len() != 6 {
            found.push(Nonconformity::PwLength { len: pw.len() });
        }
        let mn_ok = match version {
            Version::V2017 => {
                mn.len() == 24
                    && mn
                        .bytes()
                        .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
            }
            Version::V2005 => mn.len() == 14,
            Version::Other(_) => true,
        };
        if !mn_ok {
            found.push(Nonconformity::MnFormat { version });
        }
        if let Version::Other(bits) = version {
            found.push(Nonconformity::UnknownVersion { bits });
        }
        let numbered = self.pnum.is_some() || self.pno.is_some();
        if numbered && !self.is_split() {
            found.push(Nonconformity::PacketNumbersWithoutSplitFlag);
        }
        if self.is_split() && !(self.pnum.is_some() && self.pno.is_some()) {
            found.push(Nonconformity::SplitFlagWithoutPacketNumbers);
        }
        if let (Some(pnum), Some(pno)) = (self.pnum, self.pno) {
            if pno == 0 || pno > pnum {
                found.push(Nonconformity::PacketNumberOutOfRange { pno, pnum });
            }
        }
        found
    }
}

/// Writes the fields in the order of the standard's examples (Appendix C):
/// `QN;ST;CN;PW;MN;Flag;PNUM;PNO;CP`, omitting absent optional fields.
impl fmt::Display for Segment<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(qn) = self.qn() {
            write!(f, "QN={qn};")?;
        }
        write!(
            f,
            "ST={};CN={};PW={};MN={};",
            self.st(),
            self.cn,
            self.pw(),
            self.mn()
        )?;
        if let Some(flag) = self.flag {
            write!(f, "Flag={};", flag.bits())?;
        }
        if let Some(pnum) = self.pnum {
            write!(f, "PNUM={pnum};")?;
        }
        if let Some(pno) = self.pno {
            write!(f, "PNO={pno};")?;
        }
        write!(f, "CP=&&{}&&", self.cp())
    }
}

fn required<'a>(value: Option<&'a str>, name: &'static str) -> Result<&'a str, SegmentError> {
    value.ok_or(SegmentError::MissingField { name })
}

fn check<'a>(
    value: &'a str,
    name: &'static str,
    expected: &'static str,
    ok: impl Fn(&str) -> bool,
) -> Result<&'a str, SegmentError> {
    if ok(value) {
        Ok(value)
    } else {
        Err(bad(name, value, expected))
    }
}

fn bad(name: &'static str, value: &str, expected: &'static str) -> SegmentError {
    SegmentError::BadValue {
        name,
        value: value.to_owned(),
        expected,
    }
}

fn digits(value: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit())
}

/// A byte allowed in PW and MN: printable ASCII except the data segment's own delimiters.
fn token_byte(b: u8) -> bool {
    b.is_ascii_graphic() && !matches!(b, b'&' | b'=' | b';')
}
