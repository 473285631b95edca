//! The data segment of Table 3, on the standard's Appendix C examples and real-world variants.

use super::*;

#[test]
fn appendix_c_examples_parse_conforming_and_round_trip() {
    for (name, text, st, cn, flag) in APPENDIX_C {
        let s = Segment::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(s.st(), *st, "{name}");
        assert_eq!(s.command().code(), *cn, "{name}");
        assert_eq!(s.flag(), Some(Flag::new(*flag)), "{name}");
        assert_eq!(s.version(), Version::V2017, "{name}");
        assert_eq!(s.mn(), "010000A8900016F000169DC0", "{name}");
        assert!(
            s.nonconformities().is_empty(),
            "{name}: {:?}",
            s.nonconformities()
        );
        assert!(s.qn_time().is_some(), "{name}");
        s.cp_data().unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(Segment::parse(&s.to_string()).as_ref(), Ok(&s), "{name}");
        let framed = frame(text);
        let f = strict(framed.as_bytes()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(f.segment, *text);
    }
}

#[test]
fn appendix_c_checksums() {
    // CRCs of Appendix C segments, computed independently (a separate transcription of the
    // Appendix A C code) and checked here against ours.
    let cases = [
        (APPENDIX_C[0].1, "##0107", "CAC1"),
        (APPENDIX_C[1].1, "##0094", "1B00"),
        (APPENDIX_C[2].1, "##0095", "6240"),
        (APPENDIX_C[7].1, "##0087", "3240"),
        (APPENDIX_C[17].1, "##0134", "7EC0"),
    ];
    for (segment, head, crc) in cases {
        assert_eq!(frame(segment), format!("{head}{segment}{crc}\r\n"));
    }
}

#[test]
fn appendix_c_misprints_are_rejected_or_read_literally() {
    // C.19: "Flag=5CP=&&" lacks the ';' before CP.
    assert_eq!(
        Segment::parse(
            "QN=20160802000000001;ST=32;CN=2041;PW=123456;MN=010000A8900016F000169DC0;\
Flag=5CP=&&DataTime=20160801000000;SB1-RT=1.1;SB2-RT=2.1&&"
        ),
        Err(SegmentError::MissingCp)
    );
    // C.22 and C.48: "QN=…534,ST=32" has ',' for ';'.
    assert!(matches!(
        Segment::parse(
            "QN=20160801085857534,ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;\
Flag=5;CP=&&DataTime=20160801080000&&"
        ),
        Err(SegmentError::BadValue { name: "QN", .. })
    ));
    // C.29: the same field twice ("e01001-Rtd=1.1;e01001-Rtd=2.2") is ambiguous.
    let twice = seg("QN=20160801085857223;ST=52;CN=2011;PW=123456;\
MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801085857;e01001-Rtd=1.1;e01001-Rtd=2.2&&");
    assert_eq!(
        twice.cp_data(),
        Err(CpError::DuplicateField {
            field: "e01001-Rtd".into()
        })
    );
    // C.14: "01018-Rtd=2.2" (the w is missing) is read as what it says, a factor "01018".
    let c14 = cp(
        "QN=20160801085857223;ST=32;CN=2011;PW=123456;MN=010000A8900016F000169DC0;\
Flag=5;CP=&&DataTime=20160801085857;w01001-Rtd=7.1,w01001-Flag=N;\
w01018-SampleTime=20160801070000,01018-Rtd=2.2,w01018-Flag=N,w01018-EFlag=A01;&&",
    );
    let codes: Vec<&str> = c14.pollutants.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(codes, ["w01001", "w01018", "01018"]);
    let cod = c14.pollutant("w01018").unwrap();
    assert_eq!(cod.sample_time, Some(at(2016, 8, 1, 7, 0, 0)));
    assert_eq!(cod.eflag.as_deref(), Some("A01"));
    assert_eq!(cod.rtd, None);
    assert_eq!(c14.pollutant("01018").unwrap().rtd, Some(2.2));
    assert_eq!(codes::lookup("01018"), None);
}

#[test]
fn appendix_a_segment_fields() {
    let s = seg(APPENDIX_A);
    assert_eq!(s.qn(), Some("20160801085857223"));
    assert_eq!(
        s.qn_time(),
        NaiveDate::from_ymd_opt(2016, 8, 1).and_then(|d| d.and_hms_milli_opt(8, 58, 57, 223))
    );
    assert_eq!(s.st(), "32");
    assert_eq!(s.command(), Command::Other(1062));
    assert_eq!(s.pw(), "100000");
    assert_eq!(s.mn(), "010000A8900016F000169DC0");
    assert_eq!(s.flag().map(Flag::bits), Some(5));
    assert!(s.needs_ack() && !s.is_split());
    assert_eq!((s.pnum(), s.pno()), (None, None));
    assert_eq!(s.cp(), "RtdInterval=30");
    let data = s.cp_data().unwrap();
    assert_eq!(data.get("RtdInterval"), Some("30"));
    assert_eq!(data.data_time, None);
    assert!(data.pollutants.is_empty());
}

#[test]
fn legacy_2005_segment() {
    let s = seg(LEGACY_RTD);
    assert_eq!(s.qn(), None);
    assert_eq!(s.flag(), None);
    assert_eq!(s.version(), Version::V2005);
    assert!(!s.needs_ack() && !s.is_split());
    assert_eq!(s.command(), Command::RealTime);
    assert!(s.nonconformities().is_empty(), "{:?}", s.nonconformities());
    assert_eq!(s.to_string(), LEGACY_RTD);
    let data = s.cp_data().unwrap();
    assert_eq!(
        data.data_time,
        NaiveDate::from_ymd_opt(2016, 8, 24).and_then(|d| d.and_hms_milli_opt(0, 38, 17, 0))
    );
    let current: Vec<&str> = data
        .pollutants
        .iter()
        .map(|p| codes::lookup(&p.code).unwrap().current_code)
        .collect();
    assert_eq!(current, ["w00000", "w01018", "w21003", "w21011"]);
    let tp = data.pollutant("101").unwrap();
    assert_eq!(tp.rtd, Some(0.212));
    assert_eq!(tp.flag, Some(DataFlag::Fault));
    assert_eq!(data.pollutant("B01").unwrap().flag, None);
    assert!(strict(frame(LEGACY_RTD).as_bytes()).is_ok());
}

#[test]
fn field_order_is_free_and_2005_with_qn_is_tolerated() {
    // Modelled on a real minute upload: QN but no Flag, PNO before PNUM, 14-character MN.
    let text = "QN=20191112091100598;ST=31;CN=2051;PW=123456;MN=14513567846884;PNO=0002;\
PNUM=0002;CP=&&DataTime=20191112090000;a01006-Avg=101.85,a01006-Min=101.84,\
a01006-Max=101.87,a01006-ValidNum=10,a01006-TotalNum=10&&";
    let s = seg(text);
    assert_eq!(s.version(), Version::V2005);
    assert_eq!((s.pnum(), s.pno()), (Some(2), Some(2)));
    assert_eq!(
        s.nonconformities(),
        vec![Nonconformity::PacketNumbersWithoutSplitFlag]
    );
    let data = s.cp_data().unwrap();
    assert_eq!(data.pollutant("a01006").unwrap().avg, Some(101.85));
    assert_eq!(
        data.other,
        vec![
            ("a01006-ValidNum".to_string(), "10".to_string()),
            ("a01006-TotalNum".to_string(), "10".to_string())
        ]
    );
    // Written back in the standard's order.
    assert!(s.to_string().contains(";PNUM=2;PNO=2;CP=&&"));
    let reordered = "CN=2011;MN=88888880000001;ST=32;PW=123456;CP=&&&&";
    assert_eq!(
        seg(reordered).to_string(),
        "ST=32;CN=2011;PW=123456;MN=88888880000001;CP=&&&&"
    );
}

#[test]
fn flag_bits() {
    let cases = [
        (0, Version::V2005, false, false),
        (1, Version::V2005, true, false),
        (3, Version::V2005, true, true),
        (4, Version::V2017, false, false),
        (5, Version::V2017, true, false),
        (6, Version::V2017, false, true),
        (7, Version::V2017, true, true),
        (8, Version::Other(2), false, false),
        (9, Version::Other(2), true, false),
        (255, Version::Other(63), true, true),
    ];
    for (bits, version, ack, split) in cases {
        let f = Flag::new(bits);
        assert_eq!(
            (f.version(), f.needs_ack(), f.is_split()),
            (version, ack, split),
            "Flag={bits}"
        );
        let text = format!(
            "QN=20160801085857223;ST=32;CN=2011;PW=123456;MN=010000A8900016F000169DC0;\
Flag={bits};CP=&&&&"
        );
        let s = seg(&text);
        assert_eq!(
            (s.version(), s.needs_ack(), s.is_split()),
            (version, ack, split)
        );
        assert_eq!(Version::from_bits(version.bits()), version);
    }
}

#[test]
fn nonconformities_are_listed_not_refused() {
    let base = "QN=20160801085857223;ST=22;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=4;";
    let check = |text: &str, expected: Vec<Nonconformity>| {
        assert_eq!(seg(text).nonconformities(), expected, "{text}");
    };
    check(&format!("{base}CP=&&&&"), vec![]);
    // Real 2017 packets: a 15-character MN and a 24-character PW.
    check(
        "QN=20190925181031464;ST=22;CN=2061;PW=BF470F88957588DE902D1A52;MN=Z13401000010301;\
Flag=5;CP=&&&&",
        vec![
            Nonconformity::PwLength { len: 24 },
            Nonconformity::MnFormat {
                version: Version::V2017,
            },
        ],
    );
    check(
        "ST=22;CN=2061;PW=123456;MN=010000a8900016f000169dc0;Flag=4;CP=&&&&",
        vec![
            Nonconformity::QnMissing,
            Nonconformity::MnFormat {
                version: Version::V2017,
            },
        ],
    );
    check(
        "QN=2016080108585722;ST=101;CN=2011;PW=123456;MN=4201003;CP=&&&&",
        vec![
            Nonconformity::QnFormat,
            Nonconformity::StFormat,
            Nonconformity::MnFormat {
                version: Version::V2005,
            },
        ],
    );
    check(
        "QN=20160801085857223;ST=22;CN=2011;PW=123456;MN=JLYP01_AIR01_0001;Flag=8;CP=&&&&",
        vec![Nonconformity::UnknownVersion { bits: 2 }],
    );
    check(
        &format!("{}Flag=6;CP=&&&&", base.replace("Flag=4;", "")),
        vec![Nonconformity::SplitFlagWithoutPacketNumbers],
    );
    check(
        &format!("{}Flag=6;PNUM=2;PNO=3;CP=&&&&", base.replace("Flag=4;", "")),
        vec![Nonconformity::PacketNumberOutOfRange { pno: 3, pnum: 2 }],
    );
    assert!(Nonconformity::MnFormat {
        version: Version::V2017
    }
    .to_string()
    .contains("24"));
}

#[test]
fn segment_errors() {
    let m = "MN=010000A8900016F000169DC0";
    let cases: Vec<(String, SegmentError)> = vec![
        (
            format!("ST=32;CN=2011;PW=123456;{m};Flag=4"),
            SegmentError::MissingCp,
        ),
        (
            format!("ST=32;CN=2011;PW=123456;{m};Flag=4;CP=&&a=1"),
            SegmentError::CpNotTerminated,
        ),
        (
            format!("ST=32;CN=2011;PW=123456;{m};CP=&&a=1&&;Flag=4"),
            SegmentError::CpNotTerminated,
        ),
        (
            format!("ST=32;CN=2011;PW=123456;{m};CP=&&a=1&&;Flag=4&&"),
            SegmentError::CpContainsDelimiter,
        ),
        (
            format!("ST=32;CN=2011;PW=123456;CP=xx;{m};CP=&&&&"),
            SegmentError::CpNotTerminated,
        ),
        (
            format!("qn=20160801085857223;ST=32;CN=2011;PW=123456;{m};CP=&&&&"),
            SegmentError::UnknownField { name: "qn".into() },
        ),
        (
            format!("ST=32;ST=22;CN=2011;PW=123456;{m};CP=&&&&"),
            SegmentError::DuplicateField { name: "ST" },
        ),
        (
            "ST=32;CN=2011;PW=123456;CP=&&&&".to_string(),
            SegmentError::MissingField { name: "MN" },
        ),
        (
            format!("ST32;CN=2011;PW=123456;{m};CP=&&&&"),
            SegmentError::MalformedField {
                field: "ST32".into(),
            },
        ),
        (
            format!("ST=32;;CN=2011;PW=123456;{m};CP=&&&&"),
            SegmentError::MalformedField { field: "".into() },
        ),
        (
            format!("ST=32;CN=20111;PW=123456;{m};CP=&&&&"),
            SegmentError::BadValue {
                name: "CN",
                value: "20111".into(),
                expected: "4 decimal digits",
            },
        ),
        (
            format!("ST=32;CN=2O11;PW=123456;{m};CP=&&&&"),
            SegmentError::BadValue {
                name: "CN",
                value: "2O11".into(),
                expected: "4 decimal digits",
            },
        ),
        (
            format!("ST=32;CN=2011;PW=123456;{m};Flag=256;CP=&&&&"),
            SegmentError::BadValue {
                name: "Flag",
                value: "256".into(),
                expected: "an integer 0-255",
            },
        ),
        (
            format!("ST=32;CN=2011;PW=123456;{m};Flag=-1;CP=&&&&"),
            SegmentError::BadValue {
                name: "Flag",
                value: "-1".into(),
                expected: "an integer 0-255",
            },
        ),
        (
            "ST=32;CN=2011;PW=123456;MN=;CP=&&&&".to_string(),
            SegmentError::BadValue {
                name: "MN",
                value: "".into(),
                expected: "printable ASCII without '&' or '='",
            },
        ),
        (
            "ST=32;CN=2011;PW=12 456;MN=1;CP=&&&&".to_string(),
            SegmentError::BadValue {
                name: "PW",
                value: "12 456".into(),
                expected: "printable ASCII without '&' or '='",
            },
        ),
        (
            format!("QN=2016-08-01;ST=32;CN=2011;PW=123456;{m};CP=&&&&"),
            SegmentError::BadValue {
                name: "QN",
                value: "2016-08-01".into(),
                expected: "1 to 20 decimal digits",
            },
        ),
        (
            format!("ST=32;CN=2011;PW=123456;{m};Flag=6;PNUM=x;PNO=1;CP=&&&&"),
            SegmentError::BadValue {
                name: "PNUM",
                value: "x".into(),
                expected: "1 to 9 decimal digits",
            },
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(Segment::parse(&text), Err(expected.clone()), "{text}");
        assert!(!expected.to_string().is_empty());
    }
    assert_eq!(
        SegmentError::BadValue {
            name: "CN",
            value: "20111".into(),
            expected: "4 decimal digits"
        }
        .to_string(),
        "CN=\"20111\" is invalid: 4 decimal digits expected"
    );
}
