//! HJ 212-2017 (污染物在线监控（监测）系统数据传输标准): the codec between data loggers and
//! Daylight, without any I/O. A later TCP gateway feeds received bytes to a [`FrameReader`],
//! parses each [`Frame`]'s [`Segment`] and its [`CpData`], maps factor codes to Daylight
//! parameters with [`codes::lookup`], and writes back [`data_reply`] / [`request_reply`].
//!
//! The layers follow the standard (§6.3):
//! * [`crc`]: the checksum of Appendix A (not CRC-16/MODBUS).
//! * [`frame`] and [`reader`]: the packet of Table 2, `##` + length + data segment + CRC +
//!   `<CR><LF>`, checked in a [`Mode`]: strict by default, lenient per logger for the
//!   deviations real devices are known for, each recorded as a [`Deviation`].
//! * [`segment`]: the data segment of Table 3 (`QN`, `ST`, `CN`, `PW`, `MN`, `Flag`, `PNUM`,
//!   `PNO`, `CP`), HJ 212-2017 and HJ/T 212-2005 style.
//! * [`cp`]: the CP data area of §6.3.3 (`DataTime`, `xxxxxx-Rtd`, `xxxxxx-Flag`…).
//! * [`codes`]: the factor codes of Appendix B, current and 2005.
//! * [`command`]: the CN codes of Table 9 that carry pollutant data.
//! * [`reply`]: the host's 9014 and 9011 replies (Appendix C).
//! * [`short_str`]: factor codes and flags kept inline, without an allocation each.
//!
//! Nothing here panics on input from the wire, and every parser is total over arbitrary bytes.

pub mod codes;
pub mod command;
pub mod cp;
pub mod crc;
pub mod frame;
pub mod reader;
pub mod reply;
pub mod segment;
pub mod short_str;

#[cfg(test)]
mod tests;

pub use codes::{lookup, CodeInfo};
pub use command::{Command, DataTimeMeaning};
pub use cp::{parse_timestamp, CpData, CpError, PollutantValues};
pub use crc::{crc16, crc16_modbus};
pub use frame::{
    frame, Deviation, Frame, FrameError, Mode, FRAME_OVERHEAD, LENIENT_MAX_SEGMENT_LEN,
    MAX_SEGMENT_LEN,
};
pub use reader::FrameReader;
pub use reply::{data_reply, request_reply, QnRtn};
pub use segment::{Flag, Nonconformity, Segment, SegmentError, Version};
pub use short_str::ShortStr;
