//! Invariants shared by the fuzz targets. Every check here is something the codec promises
//! (domain/src/hj212/mod.rs: "every parser is total over arbitrary bytes"; replies are
//! frames the standard accepts), so a failed assertion is a bug in the codec.

#![allow(dead_code)] // each target uses part of this module

use daylight_domain::hj212::{
    data_reply, frame, parse_timestamp, request_reply, CpData, Frame, FrameError, FrameReader,
    Mode, QnRtn, Segment, MAX_SEGMENT_LEN,
};

/// Bytes as one frame, strictly and leniently, then its segment and CP data area.
pub fn check_frame(data: &[u8]) {
    let strict = Frame::parse(data, Mode::Strict);
    let lenient = Frame::parse(data, Mode::Lenient);
    if let Ok(f) = &strict {
        assert!(f.is_conforming(), "a strict frame records no deviation");
        assert_eq!(
            lenient.as_ref(),
            Ok(f),
            "a frame that parses strictly parses leniently, without deviations"
        );
        // Framing the segment again gives the same bytes (the CRC's hex case may differ).
        assert!(
            frame(&f.segment).as_bytes().eq_ignore_ascii_case(data),
            "a strict frame is what `frame` makes of its segment"
        );
    }
    if let Ok(f) = &lenient {
        assert!(f.segment.len() <= Mode::Lenient.max_segment_len());
        assert!(!f.segment.bytes().any(|b| b < 0x20 || b == 0x7F));
        check_segment(&f.segment);
    }
    for mode in [Mode::Strict, Mode::Lenient] {
        check_reader(data, mode, Frame::parse(data, mode).ok());
    }
}

/// Bytes through a [`FrameReader`]: whole, then in chunks whose sizes come from the bytes
/// themselves. The items must not depend on how the stream was cut, the buffer stays within
/// its capacity, and a complete valid frame comes out as exactly that frame.
fn check_reader(data: &[u8], mode: Mode, whole_frame: Option<Frame>) {
    let mut reader = FrameReader::new(mode);
    let mut whole = reader.feed(data);
    assert!(reader.buffered() <= reader.capacity());
    whole.extend(reader.finish());
    assert_eq!(reader.buffered(), 0);
    if let Some(f) = whole_frame {
        assert_eq!(whole, vec![Ok(f)], "a valid frame alone is read as itself");
    }

    let mut reader = FrameReader::new(mode);
    let mut chunked = Vec::new();
    let mut rest = data;
    let mut i = 0;
    while !rest.is_empty() {
        // Chunk sizes 1..=64 cycling through the input's own bytes.
        let n = (usize::from(data[i % data.len()]) % 64 + 1).min(rest.len());
        i += 1;
        let (chunk, tail) = rest.split_at(n);
        rest = tail;
        let mut chunk = chunk;
        while !chunk.is_empty() {
            let taken = reader.push(chunk);
            chunk = &chunk[taken..];
            assert!(reader.buffered() <= reader.capacity());
            let before = chunked.len();
            while let Some(item) = reader.next_frame() {
                chunked.push(item);
            }
            assert!(
                taken > 0 || chunked.len() > before,
                "a full buffer always yields an item"
            );
        }
    }
    chunked.extend(reader.finish());
    // Garbage reports after a rejected frame still depend on where the stream was cut (what
    // follows a rejected frame is dropped silently until the next header, and whether that
    // header has arrived yet decides how much counts as garbage); they only feed the log.
    // Frames and every other error must not.
    let no_garbage = |items: &[Result<Frame, FrameError>]| -> Vec<Result<Frame, FrameError>> {
        items
            .iter()
            .filter(|i| !matches!(i, Err(FrameError::Garbage { .. })))
            .cloned()
            .collect()
    };
    assert_eq!(
        no_garbage(&chunked),
        no_garbage(&whole),
        "the frames and errors do not depend on how the stream is cut"
    );
    for item in &chunked {
        if let Ok(f) = item {
            assert!(f.segment.len() <= mode.max_segment_len());
        }
        if let Err(FrameError::Garbage { len }) = item {
            assert!(*len > 0);
        }
    }
}

/// Text as a data segment and as a CP data area; a segment that parses must print back to
/// itself and get replies that are standard frames.
pub fn check_segment(text: &str) {
    let _ = CpData::parse(text);
    let Ok(segment) = Segment::parse(text) else {
        return;
    };
    let _ = segment.cp_data();
    let _ = segment.nonconformities();
    let _ = segment.qn_time();
    let printed = segment.to_string();
    assert_eq!(
        Segment::parse(&printed).as_ref(),
        Ok(&segment),
        "a segment prints as text that parses back to it"
    );
    let now = parse_timestamp("20240506070809123").expect("a valid time stamp");
    let replies = [
        data_reply(&segment, now),
        request_reply(&segment, QnRtn::MnError),
    ];
    for reply in replies {
        // Replies echo QN, PW and MN; they are short unless the request was huge.
        if reply.len() > MAX_SEGMENT_LEN + 12 {
            continue;
        }
        let parsed = Frame::parse(reply.as_bytes(), Mode::Strict)
            .unwrap_or_else(|e| panic!("reply {reply:?} is not a strict frame: {e}"));
        let answer = parsed
            .parse_segment()
            .unwrap_or_else(|e| panic!("reply {reply:?} has an unreadable segment: {e}"));
        assert_eq!(answer.mn(), segment.mn());
        assert_eq!(answer.pw(), segment.pw());
        assert!(!answer.needs_ack(), "a reply asks for no reply");
        if let Some(qn) = segment.qn() {
            assert_eq!(answer.qn(), Some(qn));
        }
    }
}

/// Text as the data segment of a frame made here: `frame` gives a frame the strict parser
/// accepts exactly when the segment is within the standard's size and has no control
/// characters, and the segment comes back unchanged.
pub fn check_own_frame(text: &str) {
    let framed = frame(text);
    let parsed = Frame::parse(framed.as_bytes(), Mode::Strict);
    let acceptable = text.len() <= MAX_SEGMENT_LEN && !text.bytes().any(|b| b < 0x20 || b == 0x7F);
    match parsed {
        Ok(f) => {
            assert!(acceptable, "{text:?} should have been refused");
            assert_eq!(f.segment, text);
        }
        Err(e) => assert!(!acceptable, "{text:?} refused: {e}"),
    }
}
