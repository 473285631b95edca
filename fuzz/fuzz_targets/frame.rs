//! Arbitrary bytes as a frame (strict and lenient), through the resynchronising
//! [`FrameReader`] whole and in chunks, and on to the segment and CP parsers.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::check_frame(data);
});
