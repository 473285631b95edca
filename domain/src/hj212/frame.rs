//! One HJ 212 communication packet (通讯包, §6.3.1 Table 2):
//! `##` + 4-digit decimal length + data segment + 4 hex-digit CRC + `<CR><LF>`.

use super::crc::{crc16, crc16_modbus};
use super::segment::{Segment, SegmentError};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest data segment Table 2 allows ("0≤n≤1024").
pub const MAX_SEGMENT_LEN: usize = 1024;

/// Hard cap on the data segment in [`Mode::Lenient`]. Real loggers exceed 1024 bytes (segments
/// of 1025 and 1623 bytes are on record, standards.md §1.1); four times the standard's limit
/// leaves room for those while still bounding what one connection can make us buffer.
pub const LENIENT_MAX_SEGMENT_LEN: usize = 4096;

/// Bytes around the data segment: `##`, four length digits, four CRC digits, `<CR><LF>`.
pub const FRAME_OVERHEAD: usize = 12;

/// How strictly a frame is checked. A per-logger setting: the standard by default, tolerance
/// only where an operator has configured it for a device known to deviate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Table 2 as written: declared length equal to the segment's byte length, segment at most
    /// 1024 bytes, Appendix A CRC.
    #[default]
    Strict,
    /// Accepts the deviations documented for real devices (see [`Deviation`]) and records each
    /// one on the [`Frame`], so that the provenance of every value can say so.
    Lenient,
}

impl Mode {
    /// The longest data segment this mode accepts.
    pub const fn max_segment_len(self) -> usize {
        match self {
            Mode::Strict => MAX_SEGMENT_LEN,
            Mode::Lenient => LENIENT_MAX_SEGMENT_LEN,
        }
    }

    /// The longest whole frame this mode accepts.
    pub const fn max_frame_len(self) -> usize {
        self.max_segment_len() + FRAME_OVERHEAD
    }
}

/// A departure from Table 2 that [`Mode::Lenient`] accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Deviation {
    /// The data segment is longer than Table 2's 1024 bytes.
    Oversize { len: usize },
    /// The length field disagrees with the segment's byte length (some loggers count
    /// characters rather than UTF-8 bytes, others are simply wrong).
    LengthMismatch { declared: usize, actual: usize },
    /// The CRC field holds CRC-16/MODBUS of the segment with its two bytes swapped, not the
    /// Appendix A CRC.
    SwappedModbusCrc { received: u16 },
}

impl fmt::Display for Deviation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Deviation::Oversize { len } => write!(
                f,
                "data segment of {len} bytes exceeds the standard's {MAX_SEGMENT_LEN}"
            ),
            Deviation::LengthMismatch { declared, actual } => write!(
                f,
                "length field says {declared} but the data segment is {actual} bytes"
            ),
            Deviation::SwappedModbusCrc { received } => write!(
                f,
                "CRC {received:04X} is CRC-16/MODBUS with swapped bytes, not HJ 212 Appendix A"
            ),
        }
    }
}

/// Why bytes are not an acceptable frame.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    #[error("packet does not start with the header \"##\"")]
    MissingHeader,
    #[error("packet is truncated: {got} bytes, at least {need} expected")]
    Truncated { got: usize, need: usize },
    #[error("length field {field:?} is not 4 decimal digits")]
    BadLength { field: String },
    #[error("data segment of {len} bytes is longer than the {max} allowed")]
    TooLong { len: usize, max: usize },
    #[error("length field says {declared} but the data segment is {actual} bytes")]
    LengthMismatch { declared: usize, actual: usize },
    #[error("CRC field {field:?} is not 4 hexadecimal digits")]
    BadCrcDigits { field: String },
    #[error(
        "CRC mismatch: the packet carries {actual:04X}, its data segment gives {expected:04X}"
    )]
    BadCrc { expected: u16, actual: u16 },
    #[error("packet does not end with <CR><LF>")]
    MissingCrlf,
    #[error("{len} bytes follow the packet's <CR><LF>")]
    TrailingData { len: usize },
    #[error("no <CR><LF> within {len} bytes of a packet header (longest packet allowed: {max})")]
    Unterminated { len: usize, max: usize },
    #[error("data segment is not valid UTF-8 (from byte {at})")]
    NotUtf8 { at: usize },
    #[error("data segment contains control character 0x{byte:02X} at byte {at}")]
    ControlCharacter { at: usize, byte: u8 },
    #[error("skipped {len} bytes that are not part of any packet")]
    Garbage { len: usize },
}

/// A checked frame: its data segment passed the length, size and CRC checks of `mode`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Frame {
    /// The data segment (Table 3), without `##`, length, CRC and `<CR><LF>`.
    pub segment: String,
    /// The value of the length field.
    pub declared_len: usize,
    /// The value of the CRC field, as received.
    pub crc: u16,
    /// What [`Mode::Lenient`] tolerated; always empty in [`Mode::Strict`].
    pub deviations: Vec<Deviation>,
}

impl Frame {
    /// Checks one complete frame, `##` through `<CR><LF>`, and nothing after it.
    ///
    /// The length counts bytes of the segment. Table 2 says "ASCII 字符数" because the standard
    /// thinks of the packet as ASCII; with UTF-8 Chinese text (allowed by §6.3) only the byte
    /// count can be checked before decoding, and it is what HJ 212-2025 reportedly settles on.
    /// The CRC's hex digits are accepted in either case: the standard only says "十六进制整数"
    /// and real loggers send lowercase.
    ///
    /// The segment must be UTF-8 without control characters; its fields are checked by
    /// [`Segment::parse`].
    pub fn parse(bytes: &[u8], mode: Mode) -> Result<Frame, FrameError> {
        if !bytes.starts_with(b"##") {
            return Err(if b"##".starts_with(bytes) {
                FrameError::Truncated {
                    got: bytes.len(),
                    need: FRAME_OVERHEAD,
                }
            } else {
                FrameError::MissingHeader
            });
        }
        let Some(len_field) = bytes.get(2..6) else {
            return Err(FrameError::Truncated {
                got: bytes.len(),
                need: FRAME_OVERHEAD,
            });
        };
        let declared = parse_length(len_field)?;
        if mode == Mode::Strict && declared > MAX_SEGMENT_LEN {
            return Err(FrameError::TooLong {
                len: declared,
                max: MAX_SEGMENT_LEN,
            });
        }
        let expected_end = declared + FRAME_OVERHEAD;
        // <CR><LF> where the length field says the frame ends, and more after it. (A data
        // segment cannot contain <CR><LF>: control characters are refused below.)
        if bytes.len() > expected_end && bytes.get(expected_end - 2..expected_end) == Some(b"\r\n")
        {
            return Err(FrameError::TrailingData {
                len: bytes.len() - expected_end,
            });
        }
        if !bytes.ends_with(b"\r\n") || bytes.len() < FRAME_OVERHEAD {
            let need = expected_end.max(FRAME_OVERHEAD);
            return Err(if bytes.len() < need {
                FrameError::Truncated {
                    got: bytes.len(),
                    need,
                }
            } else {
                FrameError::MissingCrlf
            });
        }
        let body = &bytes[6..bytes.len() - 2];
        let (segment, crc_field) = body.split_at(body.len() - 4);
        let actual = segment.len();
        if actual > mode.max_segment_len() {
            return Err(FrameError::TooLong {
                len: actual,
                max: mode.max_segment_len(),
            });
        }
        let mut deviations = Vec::new();
        if actual != declared {
            if mode == Mode::Strict {
                return Err(FrameError::LengthMismatch { declared, actual });
            }
            deviations.push(Deviation::LengthMismatch { declared, actual });
        }
        if actual > MAX_SEGMENT_LEN {
            deviations.push(Deviation::Oversize { len: actual });
        }
        let received = parse_crc(crc_field)?;
        let expected = crc16(segment);
        if received != expected {
            if mode == Mode::Lenient && received == crc16_modbus(segment).swap_bytes() {
                deviations.push(Deviation::SwappedModbusCrc { received });
            } else {
                return Err(FrameError::BadCrc {
                    expected,
                    actual: received,
                });
            }
        }
        // One branch-free pass that the compiler vectorises; the position is only looked for
        // when there is one. Invalid UTF-8 is reported first, as before.
        let has_control = segment
            .iter()
            .fold(false, |found, &b| found | (b < 0x20) | (b == 0x7F));
        let text = std::str::from_utf8(segment).map_err(|e| FrameError::NotUtf8 {
            at: e.valid_up_to(),
        })?;
        if has_control {
            if let Some(at) = segment.iter().position(|&b| b < 0x20 || b == 0x7F) {
                return Err(FrameError::ControlCharacter {
                    at,
                    byte: segment[at],
                });
            }
        }
        Ok(Frame {
            segment: text.to_owned(),
            declared_len: declared,
            crc: received,
            deviations,
        })
    }

    /// Parses the data segment's fields.
    pub fn parse_segment(&self) -> Result<Segment<'_>, SegmentError> {
        Segment::parse(&self.segment)
    }

    /// True when the frame follows Table 2 exactly (nothing was tolerated).
    pub fn is_conforming(&self) -> bool {
        self.deviations.is_empty()
    }
}

/// Wraps a data segment into a frame: `##`, its byte length as 4 digits, the segment, its
/// Appendix A CRC as 4 uppercase hex digits, `<CR><LF>`.
///
/// For segments the host builds (replies), which are short; a segment longer than 9999 bytes
/// cannot be framed and would give a length field no receiver accepts.
pub fn frame(segment: &str) -> String {
    format!(
        "##{:04}{}{:04X}\r\n",
        segment.len(),
        segment,
        crc16(segment.as_bytes())
    )
}

/// The four decimal digits after `##`.
pub(super) fn parse_length(field: &[u8]) -> Result<usize, FrameError> {
    if field.len() == 4 && field.iter().all(u8::is_ascii_digit) {
        Ok(field.iter().fold(0, |n, d| n * 10 + usize::from(d - b'0')))
    } else {
        Err(FrameError::BadLength {
            field: String::from_utf8_lossy(field).into_owned(),
        })
    }
}

/// The four hex digits before `<CR><LF>`, either case.
fn parse_crc(field: &[u8]) -> Result<u16, FrameError> {
    let mut value: u16 = 0;
    for &b in field {
        let digit = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            _ => {
                return Err(FrameError::BadCrcDigits {
                    field: String::from_utf8_lossy(field).into_owned(),
                })
            }
        };
        value = (value << 4) | u16::from(digit);
    }
    Ok(value)
}
