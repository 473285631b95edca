//! Cutting a byte stream into frames.

use super::*;

fn oks(items: &[Result<Frame, FrameError>]) -> Vec<&str> {
    items
        .iter()
        .filter_map(|i| i.as_ref().ok())
        .map(|f| f.segment.as_str())
        .collect()
}

#[test]
fn reader_skips_garbage_between_frames_and_reports_it() {
    let mut reader = FrameReader::new(Mode::Strict);
    let stream = [
        b"AT+CSQ\r\nOK\r\n".as_slice(),
        frame(APPENDIX_A).as_bytes(),
        b"\0\0junk#",
        frame(WATER_HOUR).as_bytes(),
        b"\r\n",
        frame(LEGACY_RTD).as_bytes(),
    ]
    .concat();
    let items = reader.feed(&stream);
    assert_eq!(
        items,
        vec![
            Err(FrameError::Garbage { len: 12 }),
            strict(frame(APPENDIX_A).as_bytes()),
            Err(FrameError::Garbage { len: 7 }),
            strict(frame(WATER_HOUR).as_bytes()),
            strict(frame(LEGACY_RTD).as_bytes()),
        ]
    );
    assert_eq!(reader.buffered(), 0);
    assert!(reader.finish().is_empty());
}

#[test]
fn reader_works_byte_by_byte() {
    let mut reader = FrameReader::new(Mode::Strict);
    let stream = [frame(APPENDIX_A), "xx".into(), frame(WATER_HOUR)].concat();
    let mut items = Vec::new();
    for byte in stream.as_bytes() {
        assert_eq!(reader.push(std::slice::from_ref(byte)), 1);
        while let Some(item) = reader.next_frame() {
            items.push(item);
        }
    }
    assert_eq!(oks(&items), vec![APPENDIX_A, WATER_HOUR]);
    assert_eq!(items.len(), 3);
}

#[test]
fn reader_recovers_after_a_cut_or_corrupt_frame() {
    let first = frame(APPENDIX_A);
    let second = frame(WATER_HOUR);
    let mut corrupt = frame(LEGACY_RTD).into_bytes();
    corrupt[30] = b'7';
    let stream = [
        &first.as_bytes()[..50],
        second.as_bytes(),
        &corrupt,
        first.as_bytes(),
    ]
    .concat();
    let items = FrameReader::new(Mode::Strict).feed(&stream);
    assert_eq!(items.len(), 4, "{items:?}");
    assert!(matches!(items[0], Err(FrameError::LengthMismatch { .. })));
    assert!(matches!(items[2], Err(FrameError::BadCrc { .. })));
    assert_eq!(oks(&items), vec![WATER_HOUR, APPENDIX_A]);
}

#[test]
fn reader_rejects_bad_headers_and_endless_frames_and_resyncs() {
    let good = frame(APPENDIX_A);
    // A bad length field: reported once, the rest up to the next header is not garbage.
    let items = FrameReader::new(Mode::Strict).feed(format!("##abcd{good}").as_bytes());
    assert_eq!(
        items,
        vec![
            Err(FrameError::BadLength {
                field: "abcd".into()
            }),
            strict(good.as_bytes())
        ]
    );
    // "###…": the first '#' is noise.
    let items = FrameReader::new(Mode::Strict).feed(format!("#{good}").as_bytes());
    assert_eq!(
        items,
        vec![Err(FrameError::Garbage { len: 1 }), strict(good.as_bytes())]
    );
    // A header followed by far more than a frame without <CR><LF>.
    let endless = format!("##0101{}", "x".repeat(3000));
    let mut reader = FrameReader::new(Mode::Strict);
    let items = reader.feed(format!("{endless}{good}").as_bytes());
    assert_eq!(
        items,
        vec![
            Err(FrameError::Unterminated {
                len: 1036,
                max: 1036
            }),
            strict(good.as_bytes())
        ]
    );
    // Strict mode refuses an oversize frame as soon as its length field arrives.
    let big = frame(&segment_of_len(1500));
    let items = FrameReader::new(Mode::Strict).feed(format!("{big}{good}").as_bytes());
    assert_eq!(
        items,
        vec![
            Err(FrameError::TooLong {
                len: 1500,
                max: 1024
            }),
            strict(good.as_bytes())
        ]
    );
    let items = FrameReader::new(Mode::Lenient).feed(format!("{big}{good}").as_bytes());
    assert_eq!(oks(&items).len(), 2);
    assert_eq!(
        items[0].as_ref().unwrap().deviations,
        vec![Deviation::Oversize { len: 1500 }]
    );
}

#[test]
fn reader_buffer_is_bounded() {
    for mode in [Mode::Strict, Mode::Lenient] {
        let mut reader = FrameReader::new(mode);
        assert_eq!(reader.capacity(), mode.max_frame_len());
        let flood = vec![b'x'; 10_000];
        assert_eq!(reader.push(&flood), reader.capacity());
        assert_eq!(reader.next_frame(), None);
        assert_eq!(reader.buffered(), 0);
        let header_flood = [b"##0101".as_slice(), &flood].concat();
        let items = reader.feed(&header_flood);
        assert_eq!(
            items[0],
            Err(FrameError::Garbage {
                len: reader.capacity()
            })
        );
        assert!(matches!(items[1], Err(FrameError::Unterminated { .. })));
        assert!(reader.buffered() <= reader.capacity());
    }
}

#[test]
fn reader_finish_reports_a_cut_frame() {
    let mut reader = FrameReader::new(Mode::Strict);
    let good = frame(APPENDIX_A);
    assert!(reader.feed(&good.as_bytes()[..60]).is_empty());
    assert_eq!(reader.buffered(), 60);
    assert_eq!(
        reader.finish(),
        vec![Err(FrameError::Truncated { got: 60, need: 113 })]
    );
    assert_eq!(reader.buffered(), 0);
    // Unreported garbage is reported at the end of the stream.
    let mut reader = FrameReader::new(Mode::Strict);
    assert!(reader.feed(b"hello").is_empty());
    assert_eq!(reader.finish(), vec![Err(FrameError::Garbage { len: 5 })]);
    // Items still buffered come first.
    let mut reader = FrameReader::new(Mode::Strict);
    assert_eq!(reader.push(good.as_bytes()), good.len());
    assert_eq!(oks(&reader.finish()), vec![APPENDIX_A]);
}

#[test]
fn reader_lenient_accepts_recorded_deviations() {
    let segment = LEGACY_RTD.as_bytes();
    let swapped = crc16_modbus(segment).swap_bytes();
    let bytes = wire(segment.len(), segment, &format!("{swapped:04x}"));
    let items = FrameReader::new(Mode::Lenient).feed(&bytes);
    assert_eq!(
        items[0].as_ref().unwrap().deviations,
        vec![Deviation::SwappedModbusCrc { received: swapped }]
    );
    let items = FrameReader::new(Mode::Strict).feed(&bytes);
    assert!(matches!(items[0], Err(FrameError::BadCrc { .. })));
}

/// Found by fuzzing (fuzz/, target `frame`): a run of '#' cut right after its first two
/// bytes was reported as two pieces of garbage instead of one.
#[test]
fn a_run_of_hashes_cut_between_reads_gives_the_same_items() {
    // "junk###" + "##0101…": in the run of five hashes, the header is the last two.
    let stream = [b"junk###".as_slice(), frame(APPENDIX_A).as_bytes()].concat();
    let mut whole = FrameReader::new(Mode::Strict);
    let expected = whole.feed(&stream);
    assert_eq!(
        expected,
        vec![
            Err(FrameError::Garbage { len: 7 }),
            strict(frame(APPENDIX_A).as_bytes()),
        ]
    );
    for cut in 0..stream.len() {
        let mut reader = FrameReader::new(Mode::Strict);
        let mut items = reader.feed(&stream[..cut]);
        items.extend(reader.feed(&stream[cut..]));
        items.extend(reader.finish());
        assert_eq!(items, expected, "cut at {cut}");
    }
    // At the end of the stream, garbage before a lone header is still reported.
    let mut reader = FrameReader::new(Mode::Strict);
    assert!(reader.feed(b"junk##").is_empty());
    assert_eq!(
        reader.finish(),
        vec![
            Err(FrameError::Garbage { len: 4 }),
            Err(FrameError::Truncated { got: 2, need: 12 }),
        ]
    );
}
