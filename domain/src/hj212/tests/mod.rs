//! HJ 212-2017 codec tests: the standard's own vectors (Appendix A, Appendix C segments),
//! packets built and checksummed here, the reference examples file when it is present, and
//! properties over arbitrary bytes. Shared fixtures live here.

mod code_table;
mod data_area;
mod equivalence;
mod framing;
mod properties;
mod reference;
mod replies;
mod segments;
mod stream;

use super::*;
use crate::parameter::Parameter;
use crate::station::DataFlag;
use crate::units::Unit;
use chrono::{NaiveDate, NaiveDateTime};

/// Appendix A's example segment (PDF p.20).
const APPENDIX_A: &str = "QN=20160801085857223;ST=32;CN=1062;PW=100000;\
MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&";

/// Table C.25 (noise real-time upload), also hutool's `CRC16Test` input (standards.md §1.4).
const NOISE_RTD: &str = "QN=20160801085857223;ST=23;CN=2011;PW=123456;\
MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801085857; LA-Rtd=50.1&&";

/// A 2005-style real-time upload built for these tests: no QN, no Flag, 14-character MN,
/// legacy codes (B01 flow, 011 COD, 060 NH3-N, 101 TP), DataTime with milliseconds.
const LEGACY_RTD: &str = "ST=32;CN=2011;PW=123456;MN=88888880000001;\
CP=&&DataTime=20160824003817000;B01-Rtd=36.91;011-Rtd=231.0,011-Flag=N;\
060-Rtd=1.803,060-Flag=N;101-Rtd=0.212,101-Flag=D&&";

/// A surface-water station's hourly upload built for these tests.
const WATER_HOUR: &str = "QN=20240506090000001;ST=21;CN=2061;PW=123456;\
MN=0A0B0C0D0E0F101112131415;Flag=5;CP=&&DataTime=20240506080000;\
w01001-Avg=7.62,w01001-Flag=N;w01009-Avg=8.1,w01009-Flag=N;w01019-Avg=2.9,w01019-Flag=N;\
w21003-Avg=0.214,w21003-Flag=N;w21011-Avg=0.052,w21011-Flag=C&&";

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, mo, d)
        .and_then(|date| date.and_hms_opt(h, mi, s))
        .unwrap()
}

/// `##` + a length field + segment + a CRC field + `<CR><LF>`, all given explicitly.
fn wire(declared: usize, segment: &[u8], crc: &str) -> Vec<u8> {
    let mut bytes = format!("##{declared:04}").into_bytes();
    bytes.extend_from_slice(segment);
    bytes.extend_from_slice(crc.as_bytes());
    bytes.extend_from_slice(b"\r\n");
    bytes
}

fn strict(bytes: &[u8]) -> Result<Frame, FrameError> {
    Frame::parse(bytes, Mode::Strict)
}

fn lenient(bytes: &[u8]) -> Result<Frame, FrameError> {
    Frame::parse(bytes, Mode::Lenient)
}

/// A valid real-time segment of exactly `len` bytes (padded inside a log text value).
fn segment_of_len(len: usize) -> String {
    let head = "ST=32;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;\
CP=&&DataTime=20160801085857;w01018-Rtd=40.1,w01018-Flag=N;i11001-Info=//";
    let tail = "//&&";
    let pad = len - head.len() - tail.len();
    format!("{head}{}{tail}", "x".repeat(pad))
}

fn seg(text: &str) -> Segment<'_> {
    Segment::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn cp(text: &str) -> CpData {
    seg(text)
        .cp_data()
        .unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// Segments of Appendix C, as printed, with the "…" that stands for further items removed.
/// (QN, ST, CN, Flag) expected for each.
const APPENDIX_C: &[(&str, &str, &str, u16, u8)] = &[
    (
        "C.1 request",
        "QN=20160801085857223;ST=32;CN=1000;PW=123456;MN=010000A8900016F000169DC0;Flag=5;\
CP=&&OverTime=5;ReCount=3&&",
        "32",
        1000,
        5,
    ),
    (
        "C.1 request reply",
        "QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;\
CP=&&QnRtn=1&&",
        "91",
        9011,
        4,
    ),
    (
        "C.1 execution result",
        "QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;\
CP=&&ExeRtn=1&&",
        "91",
        9012,
        4,
    ),
    (
        "C.2 time upload",
        "QN=20160801085857223;ST=32;CN=1011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;\
CP=&& PolId=w01018;SystemTime=20160801085857&&",
        "32",
        1011,
        4,
    ),
    (
        "C.4 time calibration request",
        "QN=20160801085857223;ST=32;CN=1013;PW=123456;MN=010000A8900016F000169DC0;Flag=5;\
CP=&& PolId=w01018&&",
        "32",
        1013,
        5,
    ),
    (
        "C.4 notify reply",
        "QN=20160801085857223;ST=91;CN=9013;PW=123456;MN=010000A8900016F000169DC0;Flag=4;\
CP=&& &&",
        "91",
        9013,
        4,
    ),
    (
        "C.9 set password",
        "QN=20160801085857223;ST=32;CN=1072;PW=123456;MN=010000A8900016F000169DC0;Flag=5;\
CP=&&NewPW=654321&&",
        "32",
        1072,
        5,
    ),
    (
        "C.14 data reply",
        "QN=20160801085857223;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;\
CP=&&&&",
        "91",
        9014,
        4,
    ),
    (
        "C.15 running state",
        "QN=20160801085857223;ST=32;CN=2021;PW=123456;MN=010000A8900016F000169DC0;Flag=5;\
CP=&&DataTime=20160801085857;SB1-RS=1;SB2-RS=0&&",
        "32",
        2021,
        5,
    ),
    (
        "C.16 minute data",
        "QN=20160801085000001;ST=32;CN=2051;PW=123456;MN=010000A8900016F000169DC0;Flag=5;\
CP=&&DataTime=20160801084000;w00000-Cou=10.5,w00000-Min=16.4,w00000-Avg=17.5,\
w00000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,w01001-Avg=7.5,w01001-Max=7.8,w01001-Flag=N;\
w01018-Cou=10.5,w01018-Min=40.1,w01018-Avg=40.1,w01018-Max=40.1,w01018-Flag=N;&&",
        "32",
        2051,
        5,
    ),
    (
        "C.17 hour data",
        "QN=20160801090000001;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=5;\
CP=&&DataTime=20160801080000;w00000-Cou=63.0,w00000-Min=16.4,w00000-Avg=17.5,\
w00000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,w01001-Avg=7.5,w01001-Max=7.8,w01001-Flag=N;\
w01018-Cou=63.0,w01018-Min=40.1,w01018-Avg=40.1,w01018-Max=40.1,w01018-Flag=N;&&",
        "32",
        2061,
        5,
    ),
    (
        "C.18 day data",
        "QN=20160802000000001;ST=32;CN=2031;PW=123456;MN=010000A8900016F000169DC0;Flag=5;\
CP=&&DataTime=20160801000000;w00000-Cou=1512.0,w00000-Min=16.4,w00000-Avg=17.5,\
w00000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,w01001-Avg=7.5,w01001-Max=7.8,w01001-Flag=N;\
w01018-Cou=2142.0,w01018-Min=40.1,w01018-Avg=40.1,w01018-Max=40.1,w01018-Flag=N;&&",
        "32",
        2031,
        5,
    ),
    (
        "C.24 restart time",
        "QN=20160801085857223;ST=32;CN=2081;PW=123456;MN=010000A8900016F000169DC0;Flag=5;\
CP=&&DataTime=20160801085857;RestartTime=20160801085624&&",
        "32",
        2081,
        5,
    ),
    ("C.25 noise real-time", NOISE_RTD, "23", 2011, 5),
    (
        "C.26 noise minute data",
        "QN=20160801085000001;ST=23;CN=2051;PW=123456;MN=010000A8900016F000169DC0;Flag=5;\
CP=&&DataTime=20160801084000;L5-Data=53.0;L10-Data=53.0;L50-Data=49.0;L90-Data=45.0;\
L95-Data=43.0;Leq-Data=50.0;LMx-Data=54.0;LMn-Data=42.0&&",
        "23",
        2051,
        5,
    ),
    (
        "C.28 noise day data",
        "QN=20160802000000001;ST=23;CN=2031;PW=123456;MN=010000A8900016F000169DC0;Flag=5;\
CP=&&DataTime=20160801000000;L5-Data=53.0;L10-Data=53.0;L50-Data=49.0;L90-Data=45.0;\
L95-Data=43.0;Ldn-Data=50.0;LMx-Data=54.0;LMn-Data=42.0;L5-DayData=53.0;L10-DayData=53.0;\
L50-DayData=52.0;L90-DayData=51.0;L95-DayData=50.0;Ld-DayData=52.5;LMx-DayData=54.0;\
LMn-DayData=45.0;L5-NightData=53.0;L10-NightData=53.0;L50-NightData=52.0;\
L90-NightData=51.0;L95-NightData=49.0;Ln-NightData=52.5;LMx-NightData=54.0; \
LMn-NightData=42.0&&",
        "23",
        2031,
        5,
    ),
    (
        "C.41 information request",
        "QN=20160801085857223;ST=32;CN=3020;PW=123456;MN=010000A8900016F000169DC0;Flag=5;\
CP=&&PolId=w01018;InfoId=i11001;BeginTime=20160801010522,EndTime=20160801085857&&",
        "32",
        3020,
        5,
    ),
    (
        "C.47 hour data request",
        "QN=20160801085857223;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=5;\
CP=&&BeginTime=20160801080000;EndTime=20160801080000&&",
        "32",
        2061,
        5,
    ),
    (
        "C.49 split packet 1 of 2",
        "QN=20160801085857534;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=6;\
PNUM=2;PNO=1;CP=&&DataTime=20160801080000;w00000-Cou=63.0,w00000-Min=16.4,\
w00000-Avg=17.5,w00000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,w01001-Avg=7.5,\
w01001-Max=7.8,w01001-Flag=N;&&",
        "32",
        2061,
        6,
    ),
    (
        "C.50 split packet 2 of 2",
        "QN=20160801085857535;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=7;\
PNUM=2;PNO=2;CP=&&DataTime=20160801080000;w01018-Cou=63.0,w01018-Min=40.1,\
w01018-Avg=40.1,w01018-Max=40.1,w01018-Flag=N;&&",
        "32",
        2061,
        7,
    ),
];
