//! Where one typical HJ 212 packet's parsing time goes, stage by stage (frame check with the
//! CRC, the CRC alone, data segment, CP data area), single-threaded. A companion to
//! `hj212_parse`, which times the whole; `bench/hj212.sh` runs both.

use daylight_domain::hj212::{crc16, CpData, Frame, Mode, Segment};
use std::hint::black_box;
use std::time::Instant;

const N: u32 = 2_000_000;
const ROUNDS: u32 = 20;

/// The typical packet of `hj212_parse`: an air station's hourly upload (CN 2061).
const HOUR_2061: &str = "##0285QN=20190925181031464;ST=22;CN=2061;PW=BF470F88957588DE902D1A52;\
MN=Z13401000010301;Flag=5;CP=&&DataTime=20190924220000;a34006-Avg=2.69700,a34006-Flag=N;\
a34007-Avg=7.96600,a34007-Flag=N;a34048-Avg=3.30600,a34048-Flag=N;a34047-Avg=7.35700,\
a34047-Flag=N;a34049-Avg=10.66300,a34049-Flag=N&&C181\r\n";

/// Times `run` in rounds and prints the fastest: on a machine whose cores are shared with
/// other work the fastest round is the one least disturbed.
fn time<T>(label: &str, mut run: impl FnMut() -> T) {
    for _ in 0..10_000 {
        black_box(run());
    }
    let mut best = f64::INFINITY;
    for _ in 0..ROUNDS {
        let start = Instant::now();
        for _ in 0..N / ROUNDS {
            black_box(run());
        }
        best = best.min(start.elapsed().as_secs_f64() / f64::from(N / ROUNDS) * 1e9);
    }
    println!("{label:<34} {best:>6.0} ns/packet (fastest of {ROUNDS} rounds)");
}

fn main() {
    let packet = HOUR_2061.as_bytes();
    let frame = Frame::parse(packet, Mode::Strict).expect("a valid frame");
    let segment = frame.parse_segment().expect("a valid segment");
    let cp = segment.cp().to_owned();
    time("Frame::parse (with its CRC)", || {
        Frame::parse(black_box(packet), Mode::Strict).map(|f| f.crc)
    });
    time("  of which crc16", || {
        crc16(black_box(frame.segment.as_bytes()))
    });
    time("Segment::parse", || {
        Segment::parse(black_box(&frame.segment)).map(|s| s.command())
    });
    time("CpData::parse", || {
        CpData::parse(black_box(&cp)).map(|c| c.pollutants.len())
    });
}
