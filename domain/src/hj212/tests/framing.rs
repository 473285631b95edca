//! The CRC of Appendix A and the frame of Table 2.

use super::*;

#[test]
fn crc_check_values() {
    assert_eq!(crc16(b"123456789"), 0x2F80);
    assert_eq!(crc16_modbus(b"123456789"), 0x4B37);
    assert_eq!(crc16(b""), 0xFFFF);
    assert_eq!(crc16_modbus(b""), 0xFFFF);
}

#[test]
fn crc_of_appendix_a_example() {
    assert_eq!(APPENDIX_A.len(), 101);
    assert_eq!(crc16(APPENDIX_A.as_bytes()), 0x1C80);
}

#[test]
fn crc_of_hutool_vector() {
    assert_eq!(crc16(NOISE_RTD.as_bytes()), 0x1E00);
    assert_eq!(crc16_modbus(NOISE_RTD.as_bytes()), 0x25FB);
}

#[test]
fn appendix_a_frame_parses_and_is_what_frame_builds() {
    let text = format!("##0101{APPENDIX_A}1C80\r\n");
    assert_eq!(frame(APPENDIX_A), text);
    let f = strict(text.as_bytes()).unwrap();
    assert_eq!(f.segment, APPENDIX_A);
    assert_eq!(f.declared_len, 101);
    assert_eq!(f.crc, 0x1C80);
    assert!(f.deviations.is_empty() && f.is_conforming());
    assert_eq!(f.parse_segment().unwrap().command(), Command::Other(1062));
}

#[test]
fn crc_hex_case_is_free_in_strict_mode() {
    for crc in ["1C80", "1c80"] {
        let f = strict(&wire(101, APPENDIX_A.as_bytes(), crc)).unwrap();
        assert_eq!(f.crc, 0x1C80);
        assert!(f.deviations.is_empty());
    }
    // A packet of our own whose CRC has several letters.
    let crc = crc16(WATER_HOUR.as_bytes());
    let lower = format!("{crc:04x}");
    let f = strict(&wire(WATER_HOUR.len(), WATER_HOUR.as_bytes(), &lower)).unwrap();
    assert_eq!(f.crc, crc);
}

#[test]
fn swapped_modbus_crc_is_rejected_strict_and_recorded_lenient() {
    let segment = LEGACY_RTD.as_bytes();
    let swapped = crc16_modbus(segment).swap_bytes();
    assert_ne!(swapped, crc16(segment));
    let bytes = wire(segment.len(), segment, &format!("{swapped:04X}"));
    assert_eq!(
        strict(&bytes),
        Err(FrameError::BadCrc {
            expected: crc16(segment),
            actual: swapped
        })
    );
    let f = lenient(&bytes).unwrap();
    assert_eq!(
        f.deviations,
        vec![Deviation::SwappedModbusCrc { received: swapped }]
    );
    assert!(!f.is_conforming());
    assert_eq!(f.segment, LEGACY_RTD);
    // MODBUS in its own byte order is not a documented deviation: rejected in both modes.
    let plain = wire(
        segment.len(),
        segment,
        &format!("{:04X}", crc16_modbus(segment)),
    );
    assert!(matches!(strict(&plain), Err(FrameError::BadCrc { .. })));
    assert!(matches!(lenient(&plain), Err(FrameError::BadCrc { .. })));
}

#[test]
fn wrong_crc_is_rejected_in_both_modes_with_a_readable_message() {
    let bytes = wire(101, APPENDIX_A.as_bytes(), "1C81");
    let err = strict(&bytes).unwrap_err();
    assert_eq!(
        err,
        FrameError::BadCrc {
            expected: 0x1C80,
            actual: 0x1C81
        }
    );
    let message = err.to_string();
    assert!(
        message.contains("1C81") && message.contains("1C80"),
        "{message}"
    );
    assert_eq!(lenient(&bytes).unwrap_err(), err);
}

#[test]
fn length_mismatch_strict_error_lenient_deviation() {
    let bytes = wire(100, APPENDIX_A.as_bytes(), "1C80");
    assert_eq!(
        strict(&bytes),
        Err(FrameError::LengthMismatch {
            declared: 100,
            actual: 101
        })
    );
    let f = lenient(&bytes).unwrap();
    assert_eq!(
        f.deviations,
        vec![Deviation::LengthMismatch {
            declared: 100,
            actual: 101
        }]
    );
    assert_eq!(f.declared_len, 100);
    assert_eq!(f.segment, APPENDIX_A);
}

#[test]
fn length_counts_utf8_bytes() {
    // Table C.40: a log text in Chinese. 4 characters, 12 bytes.
    let segment = "QN=20160801085857223;ST=32;CN=3020;PW=123456;MN=010000A8900016F000169DC0;\
Flag=5;CP=&&DataTime=20100301145000;PolId=w01018;i11001-Info=//清洗管路//&&";
    let chars = segment.chars().count();
    assert_eq!(segment.len(), chars + 8);
    let framed = frame(segment);
    assert!(framed.starts_with(&format!("##{:04}", segment.len())));
    let f = strict(framed.as_bytes()).unwrap();
    assert_eq!(f.segment, segment);
    let crc = format!("{:04X}", crc16(segment.as_bytes()));
    let by_chars = wire(chars, segment.as_bytes(), &crc);
    assert!(matches!(
        strict(&by_chars),
        Err(FrameError::LengthMismatch { .. })
    ));
    assert_eq!(
        lenient(&by_chars).unwrap().deviations,
        vec![Deviation::LengthMismatch {
            declared: chars,
            actual: segment.len()
        }]
    );
    let info = f.parse_segment().unwrap().cp_data().unwrap();
    assert_eq!(info.get("i11001-Info"), Some("//清洗管路//"));
    assert_eq!(info.get("PolId"), Some("w01018"));
}

#[test]
fn oversize_segments() {
    let max = segment_of_len(MAX_SEGMENT_LEN);
    assert!(strict(frame(&max).as_bytes()).is_ok());

    let big = segment_of_len(1500);
    let framed = frame(&big);
    assert_eq!(
        strict(framed.as_bytes()),
        Err(FrameError::TooLong {
            len: 1500,
            max: 1024
        })
    );
    let f = lenient(framed.as_bytes()).unwrap();
    assert_eq!(f.deviations, vec![Deviation::Oversize { len: 1500 }]);
    assert!(f.parse_segment().unwrap().cp_data().is_ok());

    let cap = segment_of_len(LENIENT_MAX_SEGMENT_LEN);
    assert!(lenient(frame(&cap).as_bytes()).is_ok());
    let huge = segment_of_len(LENIENT_MAX_SEGMENT_LEN + 1);
    assert_eq!(
        lenient(frame(&huge).as_bytes()),
        Err(FrameError::TooLong {
            len: 4097,
            max: 4096
        })
    );
    // Strict refuses on the length field alone, before looking for the rest.
    assert_eq!(
        strict(b"##1500QN="),
        Err(FrameError::TooLong {
            len: 1500,
            max: 1024
        })
    );
}

#[test]
fn malformed_frames() {
    let good = frame(APPENDIX_A).into_bytes();
    let cases: Vec<(Vec<u8>, FrameError)> = vec![
        (
            b"".to_vec(),
            FrameError::Truncated {
                got: 0,
                need: FRAME_OVERHEAD,
            },
        ),
        (
            b"#".to_vec(),
            FrameError::Truncated {
                got: 1,
                need: FRAME_OVERHEAD,
            },
        ),
        (b"##01".to_vec(), FrameError::Truncated { got: 4, need: 12 }),
        (APPENDIX_A.as_bytes().to_vec(), FrameError::MissingHeader),
        (b"#0101QN=".to_vec(), FrameError::MissingHeader),
        (
            b"##01a1QN=1\r\n".to_vec(),
            FrameError::BadLength {
                field: "01a1".into(),
            },
        ),
        (
            b"##+101QN=1\r\n".to_vec(),
            FrameError::BadLength {
                field: "+101".into(),
            },
        ),
        (
            good[..good.len() - 2].to_vec(),
            FrameError::Truncated {
                got: 111,
                need: 113,
            },
        ),
        (
            good[..40].to_vec(),
            FrameError::Truncated { got: 40, need: 113 },
        ),
        (
            [&good[..good.len() - 2], b"\n\r"].concat(),
            FrameError::MissingCrlf,
        ),
        (
            [&good[..], b"##0"].concat(),
            FrameError::TrailingData { len: 3 },
        ),
        (
            [&good[..], b"\r\n"].concat(),
            FrameError::TrailingData { len: 2 },
        ),
        (
            [&good[..], &good[..]].concat(),
            FrameError::TrailingData { len: 113 },
        ),
        (
            wire(101, APPENDIX_A.as_bytes(), "1G80"),
            FrameError::BadCrcDigits {
                field: "1G80".into(),
            },
        ),
        (
            wire(101, APPENDIX_A.as_bytes(), "+C80"),
            FrameError::BadCrcDigits {
                field: "+C80".into(),
            },
        ),
        (
            b"##0000\r\n".to_vec(),
            FrameError::Truncated { got: 8, need: 12 },
        ),
    ];
    for (bytes, expected) in cases {
        assert_eq!(
            strict(&bytes),
            Err(expected.clone()),
            "{:?}",
            String::from_utf8_lossy(&bytes)
        );
        assert!(!expected.to_string().is_empty());
    }
}

#[test]
fn segment_must_be_utf8_without_control_characters() {
    let mut bytes = APPENDIX_A.as_bytes().to_vec();
    bytes[70] = 0xFF;
    let crc = format!("{:04X}", crc16(&bytes));
    assert_eq!(
        strict(&wire(bytes.len(), &bytes, &crc)),
        Err(FrameError::NotUtf8 { at: 70 })
    );
    let mut bytes = APPENDIX_A.as_bytes().to_vec();
    bytes[20] = b'\t';
    let crc = format!("{:04X}", crc16(&bytes));
    let err = strict(&wire(bytes.len(), &bytes, &crc)).unwrap_err();
    assert_eq!(err, FrameError::ControlCharacter { at: 20, byte: 9 });
    assert!(err.to_string().contains("0x09"));
}

#[test]
fn empty_segment_frames() {
    // Table 2 allows 0 ≤ n; the frame layer accepts it, the segment layer does not.
    let f = strict(frame("").as_bytes()).unwrap();
    assert_eq!(f.segment, "");
    assert_eq!(f.parse_segment(), Err(SegmentError::MissingCp));
}

#[test]
fn deviations_read_well() {
    let d = Deviation::SwappedModbusCrc { received: 0xA6EC };
    assert!(d.to_string().contains("A6EC"));
    assert!(Deviation::Oversize { len: 1623 }
        .to_string()
        .contains("1623"));
    assert!(Deviation::LengthMismatch {
        declared: 1,
        actual: 2
    }
    .to_string()
    .contains("says 1"));
}
