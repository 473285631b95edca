//! The reference examples file, which is not part of the repository.

use super::*;

#[test]
fn reference_examples_file_verdicts() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/reference/hj212_examples.tsv"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        println!("NOTE: {path} is absent; the reference-example check is skipped.");
        return;
    };
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let column = |name: &str| {
        header
            .iter()
            .position(|c| *c == name)
            .unwrap_or_else(|| panic!("no column {name:?} in {header:?}"))
    };
    let (verdict_at, packet_at) = (column("verdict"), column("packet"));
    let mut checked = 0;
    for (row, line) in lines.enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let cells: Vec<&str> = line.split('\t').collect();
        let (verdict, packet) = (cells[verdict_at], cells[packet_at]);
        // The file's packets omit the <CR><LF> trailer.
        let bytes = if packet.ends_with("\r\n") {
            packet.to_string()
        } else {
            format!("{packet}\r\n")
        };
        let strict_result = strict(bytes.as_bytes());
        let lenient_result = lenient(bytes.as_bytes());
        if verdict.starts_with("OK") {
            let f = strict_result.unwrap_or_else(|e| panic!("row {row}: {e}: {packet}"));
            assert!(f.deviations.is_empty());
            let s = f
                .parse_segment()
                .unwrap_or_else(|e| panic!("row {row}: {e}"));
            s.cp_data().unwrap_or_else(|e| panic!("row {row}: {e}"));
            assert_eq!(lenient_result.as_ref(), Ok(&f), "row {row}");
        } else if verdict.starts_with("BAD") {
            let err = strict_result.expect_err(packet);
            if verdict.contains("CRC") {
                assert!(matches!(err, FrameError::BadCrc { .. }), "row {row}: {err}");
            }
            if verdict.contains("MODBUS") {
                let f = lenient_result.unwrap_or_else(|e| panic!("row {row}: {e}"));
                assert!(matches!(
                    f.deviations.as_slice(),
                    [Deviation::SwappedModbusCrc { .. }]
                ));
                let s = f
                    .parse_segment()
                    .unwrap_or_else(|e| panic!("row {row}: {e}"));
                s.cp_data().unwrap_or_else(|e| panic!("row {row}: {e}"));
            } else {
                assert!(lenient_result.is_err(), "row {row}");
            }
        } else {
            panic!("row {row}: unknown verdict {verdict:?}");
        }
        checked += 1;
    }
    assert!(checked > 0);
    println!("checked {checked} packets of {path}");
}
