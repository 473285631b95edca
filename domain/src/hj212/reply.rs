//! The host's replies to a data logger (§6.5, Appendix C): 9014 data reply and 9011 request
//! reply, each a complete frame ready to write to the connection.
//!
//! A reply echoes the request's QN, PW and MN, uses ST=91 (系统交互) and a Flag with the
//! request's version bits and neither A nor D set: `Flag=4` for HJ 212-2017 (Tables C.14–C.18).

use super::frame::frame;
use super::segment::Segment;
use chrono::{NaiveDateTime, Timelike};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Request return codes (请求命令返回, §6.6.3 Table 7), the `QnRtn` of a 9011 reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum QnRtn {
    /// 1 准备执行请求.
    Ready,
    /// 2 请求被拒绝.
    Refused,
    /// 3 PW 错误.
    PwError,
    /// 4 MN 错误.
    MnError,
    /// 5 ST 错误.
    StError,
    /// 6 Flag 错误.
    FlagError,
    /// 7 QN 错误.
    QnError,
    /// 8 CN 错误.
    CnError,
    /// 9 CRC 校验错误.
    CrcError,
    /// 100 未知错误.
    Unknown,
}

impl QnRtn {
    pub const ALL: [QnRtn; 10] = [
        QnRtn::Ready,
        QnRtn::Refused,
        QnRtn::PwError,
        QnRtn::MnError,
        QnRtn::StError,
        QnRtn::FlagError,
        QnRtn::QnError,
        QnRtn::CnError,
        QnRtn::CrcError,
        QnRtn::Unknown,
    ];

    pub const fn code(self) -> u16 {
        match self {
            QnRtn::Ready => 1,
            QnRtn::Refused => 2,
            QnRtn::PwError => 3,
            QnRtn::MnError => 4,
            QnRtn::StError => 5,
            QnRtn::FlagError => 6,
            QnRtn::QnError => 7,
            QnRtn::CnError => 8,
            QnRtn::CrcError => 9,
            QnRtn::Unknown => 100,
        }
    }

    pub const fn from_code(code: u16) -> Option<QnRtn> {
        Some(match code {
            1 => QnRtn::Ready,
            2 => QnRtn::Refused,
            3 => QnRtn::PwError,
            4 => QnRtn::MnError,
            5 => QnRtn::StError,
            6 => QnRtn::FlagError,
            7 => QnRtn::QnError,
            8 => QnRtn::CnError,
            9 => QnRtn::CrcError,
            100 => QnRtn::Unknown,
            _ => return None,
        })
    }
}

impl fmt::Display for QnRtn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code())
    }
}

/// The framed 9014 data reply (数据应答) to an upload, e.g. Table C.14:
/// `QN=20160801085857223;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&`.
///
/// The request's QN is echoed; a 2005-style request without one gets a fresh QN made from
/// `now` (`YYYYMMDDhhmmsszzz`, the logger's local time is what QN uses). Whether to send the
/// reply at all is the caller's decision: the standard asks for it when the request's Flag has
/// the A bit ([`Segment::needs_ack`]).
pub fn data_reply(request: &Segment, now: NaiveDateTime) -> String {
    let qn = request.qn().map_or_else(|| qn_from(now), str::to_owned);
    frame(&reply_segment(request, Some(&qn), 9014, ""))
}

/// The framed 9011 request reply (请求应答) with `QnRtn` (Table 7), e.g. Table C.1:
/// `QN=…;ST=91;CN=9011;PW=123456;MN=…;Flag=4;CP=&&QnRtn=1&&`. Echoes the request's QN, and
/// has none when the request had none (a request reply only makes sense for the request it
/// answers).
pub fn request_reply(request: &Segment, qn_rtn: QnRtn) -> String {
    let cp = format!("QnRtn={}", qn_rtn.code());
    frame(&reply_segment(request, request.qn(), 9011, &cp))
}

/// The Flag's bits V5–V0 (bits 7–2).
const VERSION_BITS: u8 = 0b1111_1100;

fn reply_segment(request: &Segment, qn: Option<&str>, cn: u16, cp: &str) -> String {
    let mut segment = String::with_capacity(96 + cp.len());
    if let Some(qn) = qn {
        segment.push_str("QN=");
        segment.push_str(qn);
        segment.push(';');
    }
    segment.push_str(&format!(
        "ST=91;CN={cn};PW={};MN={};",
        request.pw(),
        request.mn()
    ));
    // The request's version, no acknowledgement, no split: 4 for HJ 212-2017. A 2005-style
    // request without Flag gets a reply without Flag.
    if let Some(flag) = request.flag() {
        segment.push_str(&format!("Flag={};", flag.bits() & VERSION_BITS));
    }
    segment.push_str("CP=&&");
    segment.push_str(cp);
    segment.push_str("&&");
    segment
}

/// A QN for `now`: `YYYYMMDDhhmmsszzz`.
fn qn_from(now: NaiveDateTime) -> String {
    let millis = (now.nanosecond() % 1_000_000_000) / 1_000_000;
    format!("{}{millis:03}", now.format("%Y%m%d%H%M%S"))
}
