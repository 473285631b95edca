//! Properties over arbitrary and generated input.

use super::*;
use proptest::prelude::*;

fn mode() -> impl Strategy<Value = Mode> {
    prop_oneof![Just(Mode::Strict), Just(Mode::Lenient)]
}

/// Bytes that look like frames often enough to reach the deeper checks.
fn frameish() -> impl Strategy<Value = Vec<u8>> {
    let byte = prop::sample::select(
        b"##0123456789ABCDEFabcdef\r\n;=&,CPQNSTMW-./xX \t\xFF\xE6\x00".to_vec(),
    );
    (
        prop::option::of("[0-9]{4}"),
        prop::collection::vec(byte, 0..160),
    )
        .prop_map(|(len, body)| {
            let mut bytes = b"##".to_vec();
            if let Some(len) = len {
                bytes.extend_from_slice(len.as_bytes());
            }
            bytes.extend(body);
            bytes
        })
}

prop_compose! {
    /// A conforming segment text, in the standard's field order.
    fn segment_text()(
        qn in prop::option::of("20[0-9]{2}0[1-9]1[0-9]0[0-9][0-5][0-9][0-5][0-9][0-9]{3}"),
        st in "[0-9A-Z]{2}",
        cn in 0u16..10000,
        pw in "[0-9A-Za-z]{6}",
        mn in prop_oneof!["[0-9A-F]{24}", "[0-9A-Z]{14}"],
        flag in prop::option::of(any::<u8>()),
        numbers in prop::option::of((1u32..10000, 1u32..10000)),
        time in prop::option::of("20[0-9]{2}0[1-9]1[0-9]0[0-9][0-5][0-9][0-5][0-9]"),
        values in prop::collection::vec(
            ("[aw][0-9]{5}", -1.0e6..1.0e6f64, prop::sample::select(vec!["N", "D", "T", "P"])),
            0..20,
        ),
        other in prop::collection::vec(("[A-Z][a-z]{1,8}", "[0-9a-z]{0,8}"), 0..4),
    ) -> String {
        let mut text = String::new();
        if let Some(qn) = qn {
            text.push_str(&format!("QN={qn};"));
        }
        text.push_str(&format!("ST={st};CN={cn:04};PW={pw};MN={mn};"));
        if let Some(flag) = flag {
            text.push_str(&format!("Flag={flag};"));
        }
        if let Some((pnum, pno)) = numbers {
            text.push_str(&format!("PNUM={pnum};PNO={pno};"));
        }
        let mut items: Vec<String> = Vec::new();
        if let Some(time) = time {
            items.push(format!("DataTime={time}"));
        }
        let mut seen = std::collections::HashSet::new();
        for (code, value, flag) in values {
            if seen.insert(code.clone()) {
                items.push(format!("{code}-Rtd={value:.3},{code}-Flag={flag}"));
            }
        }
        for (name, value) in other {
            if name != "DataTime" {
                items.push(format!("{name}={value}"));
            }
        }
        text.push_str(&format!("CP=&&{}&&", items.join(";")));
        text
    }
}

proptest! {
    #[test]
    fn frame_parse_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..1200), mode in mode()) {
        let _ = Frame::parse(&bytes, mode);
    }

    #[test]
    fn frame_parse_never_panics_on_near_frames(bytes in frameish(), mode in mode()) {
        if let Ok(f) = Frame::parse(&bytes, mode) {
            prop_assert!(f.segment.len() <= mode.max_segment_len());
            let _ = f.parse_segment().map(|s| s.cp_data());
        }
    }

    #[test]
    fn segment_and_cp_parsers_never_panic(text in "\\PC{0,200}", cp_text in "[a-zA-Z0-9=;,/&. -]{0,120}") {
        let _ = Segment::parse(&text).map(|s| (s.nonconformities(), s.cp_data()));
        let _ = CpData::parse(&text);
        let _ = CpData::parse(&cp_text);
        let _ = Segment::parse(&format!("ST=32;CN=2011;PW=1;MN=1;CP=&&{cp_text}&&"))
            .map(|s| s.cp_data());
    }

    #[test]
    fn reader_never_panics_and_stays_bounded(
        chunks in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..700), 0..12),
        mode in mode(),
    ) {
        let mut reader = FrameReader::new(mode);
        for chunk in &chunks {
            let _ = reader.feed(chunk);
            prop_assert!(reader.buffered() <= reader.capacity());
        }
        let _ = reader.finish();
        prop_assert_eq!(reader.buffered(), 0);
    }

    #[test]
    fn reader_never_panics_on_near_frames(chunks in prop::collection::vec(frameish(), 0..12), mode in mode()) {
        let mut reader = FrameReader::new(mode);
        for chunk in &chunks {
            let _ = reader.feed(chunk);
            prop_assert!(reader.buffered() <= reader.capacity());
        }
        let _ = reader.finish();
    }

    #[test]
    fn frame_round_trips(text in segment_text()) {
        let framed = frame(&text);
        let f = Frame::parse(framed.as_bytes(), Mode::Strict);
        prop_assert!(f.is_ok(), "{:?}: {:?}", framed, f);
        let f = f.unwrap();
        prop_assert_eq!(&f.segment, &text);
        prop_assert!(f.deviations.is_empty());
        let segment = f.parse_segment();
        prop_assert!(segment.is_ok(), "{}: {:?}", text, segment);
        let segment = segment.unwrap();
        prop_assert_eq!(segment.to_string(), text.clone());
        prop_assert!(segment.cp_data().is_ok(), "{}", text);
    }

    #[test]
    fn a_changed_byte_never_passes_as_another_frame(
        text in segment_text(),
        at in any::<prop::sample::Index>(),
        byte in any::<u8>(),
        mode in mode(),
    ) {
        let mut bytes = frame(&text).into_bytes();
        let i = at.index(bytes.len());
        bytes[i] = byte;
        // Appendix A's CRC catches every error burst of up to 16 bits, so a changed byte in
        // the segment is always caught; what may pass is the same frame (a CRC digit's case,
        // a length digit in lenient mode). A changed segment matching the MODBUS deviation by
        // chance (1 in 65536) is the one exception lenient mode accepts knowingly.
        if let Ok(f) = Frame::parse(&bytes, mode) {
            let by_chance = f
                .deviations
                .iter()
                .any(|d| matches!(d, Deviation::SwappedModbusCrc { .. }));
            if !by_chance {
                prop_assert_eq!(f.segment, text);
            }
        }
    }

    #[test]
    fn reader_finds_every_frame_between_garbage(
        texts in prop::collection::vec(segment_text(), 1..6),
        garbage in prop::collection::vec("[^#]{0,40}", 6),
        cut in 1usize..200,
    ) {
        let mut stream = Vec::new();
        for (text, noise) in texts.iter().zip(&garbage) {
            stream.extend_from_slice(noise.as_bytes());
            stream.extend_from_slice(frame(text).as_bytes());
        }
        let mut reader = FrameReader::new(Mode::Strict);
        let mut found = Vec::new();
        for chunk in stream.chunks(cut) {
            for item in reader.feed(chunk) {
                match item {
                    Ok(f) => found.push(f.segment),
                    Err(FrameError::Garbage { .. }) => {}
                    Err(e) => prop_assert!(false, "{}", e),
                }
            }
        }
        prop_assert!(reader.finish().is_empty());
        prop_assert_eq!(found, texts);
    }
}
