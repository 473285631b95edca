//! [`ShortStr`]: the few bytes of a factor code (`w01018`, `011`, `LA`) or a data flag (`N`,
//! `A01`) without a heap allocation each. A CP data area is mostly such fields, and copying
//! each into a `String` cost a packet ten allocations.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

/// Longest text kept inline; the type is as large as a `String`.
const INLINE: usize = 22;

/// An immutable string kept inline up to 22 bytes, on the heap beyond. Reads as a `&str`
/// ([`ShortStr::as_str`], `Deref`) and compares with `str`, `&str` and `String`.
#[derive(Clone)]
pub struct ShortStr(Repr);

#[derive(Clone)]
enum Repr {
    /// The first `len` bytes are the text (whole characters); the rest are zero.
    Inline {
        len: u8,
        bytes: [u8; INLINE],
    },
    Heap(Box<str>),
}

impl ShortStr {
    // Inlined so that the value is assembled where it is stored: returned through memory,
    // its bytes were written in words and read back in 16-byte moves, which stalled.
    #[inline(always)]
    pub fn new(text: &str) -> Self {
        if text.len() <= INLINE {
            let bytes = pack(text.as_bytes());
            ShortStr(Repr::Inline {
                // At most INLINE, so within u8.
                len: text.len() as u8,
                bytes,
            })
        } else {
            ShortStr(Repr::Heap(text.into()))
        }
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Always whole characters of a `str` (see `new`), so never the empty fallback.
            Repr::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
            Repr::Heap(text) => text,
        }
    }

    /// Equality with `text`, compared byte by byte in line: faster than a `memcmp` call for
    /// the few bytes of a factor code.
    pub fn is(&self, text: &str) -> bool {
        let (a, b) = (self.as_bytes(), text.as_bytes());
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
    }

    fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            Repr::Inline { len, bytes } => &bytes[..usize::from(*len)],
            Repr::Heap(text) => text.as_bytes(),
        }
    }
}

/// The inline bytes of `text` (at most [`INLINE`] bytes), zero-padded.
///
/// Assembled in three 64-bit registers and stored as whole words: `copy_from_slice` of a
/// few bytes becomes calls to `memset` and `memcpy` that cost more than the copy, and the
/// bytes they write one by one stall the store buffer when the value is then moved as a
/// whole (a profile of the HJ 212 parser showed both).
#[inline(always)]
fn pack(text: &[u8]) -> [u8; INLINE] {
    let mut words = [0u64; 3];
    for (i, &byte) in text.iter().take(INLINE).enumerate() {
        words[i / 8] |= u64::from(byte) << (8 * (i % 8));
    }
    let mut bytes = [0; INLINE];
    bytes[..8].copy_from_slice(&words[0].to_le_bytes());
    bytes[8..16].copy_from_slice(&words[1].to_le_bytes());
    bytes[16..].copy_from_slice(&words[2].to_le_bytes()[..INLINE - 16]);
    bytes
}

impl Default for ShortStr {
    fn default() -> Self {
        ShortStr::new("")
    }
}

impl Deref for ShortStr {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for ShortStr {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for ShortStr {
    #[inline]
    fn from(text: &str) -> Self {
        ShortStr::new(text)
    }
}

impl From<String> for ShortStr {
    fn from(text: String) -> Self {
        ShortStr::new(&text)
    }
}

impl PartialEq for ShortStr {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for ShortStr {}

impl PartialEq<str> for ShortStr {
    fn eq(&self, other: &str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialEq<&str> for ShortStr {
    fn eq(&self, other: &&str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialEq<String> for ShortStr {
    fn eq(&self, other: &String) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialEq<ShortStr> for str {
    fn eq(&self, other: &ShortStr) -> bool {
        other == self
    }
}

impl PartialEq<ShortStr> for &str {
    fn eq(&self, other: &ShortStr) -> bool {
        other == self
    }
}

impl Hash for ShortStr {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for ShortStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for ShortStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ShortStr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ShortStr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(ShortStr::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn it_is_as_small_as_a_string() {
        assert_eq!(size_of::<ShortStr>(), size_of::<String>());
        assert_eq!(size_of::<Option<ShortStr>>(), size_of::<String>());
    }

    proptest! {
        #[test]
        fn it_holds_any_text(text in "\\PC{0,40}", other in "\\PC{0,40}") {
            let short = ShortStr::new(&text);
            prop_assert_eq!(short.as_str(), text.as_str());
            prop_assert_eq!(&short, text.as_str());
            prop_assert_eq!(short.to_string(), text.clone());
            prop_assert_eq!(format!("{short:?}"), format!("{text:?}"));
            prop_assert_eq!(short == ShortStr::new(&other), text == other);
            prop_assert_eq!(short.is(&other), text == other);
            prop_assert!(short.is(&text));
            prop_assert_eq!(short.clone(), ShortStr::from(text.clone()));
        }
    }
}
