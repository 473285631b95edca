//! The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters, the last
//! one a check character computed from the first 17.
//!
//! Layout (GB 32100-2015 §4): 1 registration authority, 2 organisation category, 3–8 the
//! administrative division code (GB/T 2260, digits), 9–17 the organisation code (GB 11714),
//! 18 the check character. The character set is the digits and the capital letters without
//! I, O, Z, S, V (31 characters); character `i` (from 1) weighs 3^(i-1) mod 31 and the check
//! character is the one whose value is 31 − (Σ value × weight mod 31), 31 counting as 0.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The 31 characters of GB 32100-2015, in value order (0–30).
const CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// 3^(i-1) mod 31 for positions 1 to 17.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    #[error("a unified social credit code has 18 characters, this one has {0}")]
    Length(usize),
    #[error("character {position} ('{character}') is not allowed in a unified social credit code")]
    BadCharacter { position: usize, character: char },
    #[error("characters 3 to 8 (the administrative division) must be digits")]
    Division,
    #[error("the check character should be '{expected}', not '{found}'")]
    Check { expected: char, found: char },
}

/// A unified social credit code whose check character is right. Stored uppercase.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

fn value(c: u8) -> Option<u32> {
    CHARSET.iter().position(|&x| x == c).map(|p| p as u32)
}

/// The check character for the first 17 characters, if they are all in the character set.
pub fn check_character(first17: &str) -> Option<char> {
    let bytes = first17.as_bytes();
    if bytes.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (b, w) in bytes.iter().zip(WEIGHTS) {
        sum += value(b.to_ascii_uppercase())? * w;
    }
    let check = (31 - sum % 31) % 31;
    Some(CHARSET[check as usize] as char)
}

impl CreditCode {
    pub fn parse(raw: &str) -> Result<Self, CreditCodeError> {
        let code = raw.trim().to_ascii_uppercase();
        let count = code.chars().count();
        if count != 18 {
            return Err(CreditCodeError::Length(count));
        }
        for (i, c) in code.chars().enumerate() {
            if !c.is_ascii() || value(c as u8).is_none() {
                return Err(CreditCodeError::BadCharacter {
                    position: i + 1,
                    character: c,
                });
            }
        }
        if !code[2..8].bytes().all(|b| b.is_ascii_digit()) {
            return Err(CreditCodeError::Division);
        }
        let expected = check_character(&code[..17]).ok_or(CreditCodeError::Length(count))?;
        let found = code[17..].chars().next().unwrap_or(' ');
        if expected != found {
            return Err(CreditCodeError::Check { expected, found });
        }
        Ok(Self(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The administrative division code (GB/T 2260) of the registering authority.
    pub fn division(&self) -> &str {
        &self.0[2..8]
    }
}

impl TryFrom<String> for CreditCode {
    type Error = CreditCodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CreditCode> for String {
    fn from(code: CreditCode) -> Self {
        code.0
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Published codes: the example of GB 32100-2015 and codes printed on well-known
    /// companies' business licences.
    const REAL: [&str; 4] = [
        "91350100M000100Y43",
        "914403001922038216",
        "9144030071526726XG",
        "91110000802100433B",
    ];

    #[test]
    fn real_codes_pass() {
        for code in REAL {
            assert_eq!(CreditCode::parse(code).unwrap().as_str(), code);
        }
        assert_eq!(
            CreditCode::parse(" 9144030071526726xg ").unwrap().as_str(),
            "9144030071526726XG"
        );
        assert_eq!(
            CreditCode::parse("914403001922038216").unwrap().division(),
            "440300"
        );
    }

    #[test]
    fn weights_are_powers_of_three_mod_31() {
        let mut w = 1u32;
        for weight in WEIGHTS {
            assert_eq!(weight, w);
            w = w * 3 % 31;
        }
    }

    #[test]
    fn the_check_character_is_computed_from_the_first_17() {
        assert_eq!(check_character("91350100M000100Y4"), Some('3'));
        assert_eq!(check_character("9144030071526726X"), Some('G'));
        assert_eq!(check_character("9144030071526726I"), None);
        assert_eq!(check_character("short"), None);
    }

    #[test]
    fn every_changed_character_is_caught() {
        // A single substitution anywhere changes the weighted sum by a non-multiple of 31.
        let good = REAL[0].as_bytes();
        for position in 0..18 {
            for &c in CHARSET {
                if c == good[position] {
                    continue;
                }
                let mut bad = good.to_vec();
                bad[position] = c;
                let bad = String::from_utf8(bad).unwrap();
                assert!(CreditCode::parse(&bad).is_err(), "{bad}");
            }
        }
    }

    #[test]
    fn bad_shapes_are_named() {
        assert_eq!(
            CreditCode::parse("91350100M000100Y4"),
            Err(CreditCodeError::Length(17))
        );
        assert_eq!(
            CreditCode::parse("91350100M000100Y44"),
            Err(CreditCodeError::Check {
                expected: '3',
                found: '4'
            })
        );
        assert!(matches!(
            CreditCode::parse("91350100M0001O0Y43"),
            Err(CreditCodeError::BadCharacter { position: 14, .. })
        ));
        assert_eq!(
            CreditCode::parse("913501A0M000100Y43"),
            Err(CreditCodeError::Division)
        );
        assert!(CreditCode::parse("统一社会信用代码统一社会信用代码统一").is_err());
    }
}
