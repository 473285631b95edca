//! Arbitrary text as a data segment and CP data area, and framed here so that the segment
//! parser sees inputs with a valid CRC (which random bytes almost never have).
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    common::check_segment(text);
    common::check_own_frame(text);
    common::check_frame(daylight_domain::hj212::frame(text).as_bytes());
});
