//! The checksum of HJ 212-2017 Appendix A, and the CRC-16/MODBUS some loggers send instead.
//!
//! Appendix A calls its algorithm "ANSI CRC16", but it is not any catalogued CRC-16: each byte is
//! XORed into the register *after* shifting the register right by eight bits, so the low byte
//! of the previous round is discarded (`crc = (crc >> 8) ^ byte`). CRC-16/MODBUS instead XORs
//! the byte into the low byte and keeps the high one (`crc ^= byte`). Both then run the same
//! eight reflected steps with the polynomial 0xA001. The check values differ ("123456789":
//! 0x2F80 here, 0x4B37 for MODBUS), so a receiver must implement Appendix A by hand.
//!
//! The checksum covers the data segment only: from the first byte after the four length digits
//! to the final `&&` of CP, excluding `##`, the length, the CRC itself and `\r\n` (Table 2).

/// The CRC of HJ 212-2017 Appendix A over `data` (the data segment of a packet).
///
/// The standard stores the result "high byte first", i.e. printed as four hex digits (`%04X`).
/// Appendix A's own example gives 0x1C80 for its `QN=20160801085857223;…;CP=&&RtdInterval=30&&`
/// segment (its prose says "1C08", a typo: the frame printed beside it ends in `1C80`).
pub fn crc16(data: &[u8]) -> u16 {
    // Only the register's high byte survives into the next round, so between bytes the state
    // is that byte alone: `high' = HIGH[0][high ^ byte]`, a linear map over GF(2)^8. Sixteen
    // rounds are then the XOR of sixteen independent look-ups (slice-by-16), one per byte of
    // the chunk, and only the last round needs the full 16-bit table. The rounds' chain of
    // dependent look-ups is what limits the speed: one link per sixteen bytes.
    let Some((&last, body)) = data.split_last() else {
        return 0xFFFF;
    };
    let mut high: u8 = 0xFF;
    let mut chunks = body.chunks_exact(CHUNK);
    for chunk in &mut chunks {
        let mut next = HIGH[CHUNK - 1][usize::from(high ^ chunk[0])];
        for (i, &byte) in chunk.iter().enumerate().skip(1) {
            next ^= HIGH[CHUNK - 1 - i][usize::from(byte)];
        }
        high = next;
    }
    for &byte in chunks.remainder() {
        high = HIGH[0][usize::from(high ^ byte)];
    }
    // `(reg >> 8) ^ byte` is below 256, so the eight steps are one table look-up.
    TABLE[usize::from(high ^ last)]
}

/// CRC-16/MODBUS (init 0xFFFF, reflected polynomial 0xA001) over `data`.
///
/// Not the standard's algorithm. It exists because some real loggers send this value with its
/// two bytes swapped in place of the Appendix A CRC; [`super::Mode::Lenient`] recognises that
/// (compare `crc16_modbus(data).swap_bytes()` with the received field) and records it.
pub fn crc16_modbus(data: &[u8]) -> u16 {
    let mut reg: u16 = 0xFFFF;
    for &byte in data {
        // The eight steps are linear: the high byte just moves down, the low one (with the
        // data byte) goes through the table.
        reg = (reg >> 8) ^ TABLE[usize::from(reg as u8 ^ byte)];
    }
    reg
}

/// Steps 4–7 of Appendix A for every byte value: eight right shifts, XOR with 0xA001 whenever
/// a 1 bit falls out.
const TABLE: [u16; 256] = {
    let mut table = [0u16; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = shift_eight(i as u16);
        i += 1;
    }
    table
};

/// Bytes per step of [`crc16`]'s main loop.
const CHUNK: usize = 16;

/// `HIGH[k][x]`: the register's high byte after `k + 1` rounds that start from high byte `x`
/// and then feed zero bytes. Rounds are linear, so a byte fed `k` rounds before the end of a
/// chunk contributes `HIGH[k][byte]`, independently of the others. 4 KiB: within L1.
const HIGH: [[u8; 256]; CHUNK] = {
    let mut high = [[0u8; 256]; CHUNK];
    let mut x = 0;
    while x < 256 {
        let mut reg = TABLE[x];
        high[0][x] = (reg >> 8) as u8;
        let mut k = 1;
        while k < CHUNK {
            reg = TABLE[(reg >> 8) as usize];
            high[k][x] = (reg >> 8) as u8;
            k += 1;
        }
        x += 1;
    }
    high
};

/// Steps 4–7 of Appendix A: eight right shifts, XOR with 0xA001 whenever a 1 bit falls out.
const fn shift_eight(mut reg: u16) -> u16 {
    let mut step = 0;
    while step < 8 {
        let lsb = reg & 1;
        reg >>= 1;
        if lsb == 1 {
            reg ^= 0xA001;
        }
        step += 1;
    }
    reg
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bit-by-bit algorithms exactly as Appendix A and MODBUS write them.
    fn reference(data: &[u8], modbus: bool) -> u16 {
        let mut reg: u16 = 0xFFFF;
        for &byte in data {
            reg = if modbus {
                reg ^ u16::from(byte)
            } else {
                (reg >> 8) ^ u16::from(byte)
            };
            reg = shift_eight(reg);
        }
        reg
    }

    #[test]
    fn the_table_gives_the_bitwise_results() {
        let data: Vec<u8> = (0..=255u8).chain((0..=255u8).rev()).collect();
        for end in 0..data.len() {
            for start in [0, end / 2, end] {
                let slice = &data[start..end];
                assert_eq!(crc16(slice), reference(slice, false));
                assert_eq!(crc16_modbus(slice), reference(slice, true));
            }
        }
        assert_eq!(crc16(b"123456789"), 0x2F80);
        assert_eq!(crc16_modbus(b"123456789"), 0x4B37);
    }

    proptest::proptest! {
        /// The slice-by-16 loop against the bitwise algorithm, at every length and alignment
        /// of the sixteen-byte chunks.
        #[test]
        fn slice_by_eight_gives_the_bitwise_result(
            data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2100),
            skip in 0usize..17,
        ) {
            let slice = &data[skip.min(data.len())..];
            proptest::prop_assert_eq!(crc16(slice), reference(slice, false));
            proptest::prop_assert_eq!(crc16_modbus(slice), reference(slice, true));
        }
    }
}
