//! Tokens of the HTTP push API: how they are made, and the only form in which they are kept.
//!
//! A token is 32 random bytes from the operating system, written as `dlt_` and 64 lowercase
//! hex digits (the prefix lets secret scanners and people recognise it). The database keeps
//! its SHA-256 hash, never the token. A fast hash is the right one here: slow password
//! hashes (Argon2, bcrypt) exist to make guessing low-entropy passwords expensive, but a
//! 256-bit random token cannot be guessed, so its plain SHA-256 is as safe to store and costs
//! microseconds per request instead of tens of milliseconds. It also allows looking a token
//! up by its hash, with an index, instead of comparing against every stored token.

use std::fmt;

use sha2::{Digest, Sha256};

/// The prefix of every token.
const PREFIX: &str = "dlt_";
/// Random bytes per token.
const SECRET_BYTES: usize = 32;

/// A token in clear text: shown once when it is issued, then only ever hashed.
///
/// `Debug` does not print it, so that it cannot end up in a log by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct IngestSecret(String);

/// The operating system could not provide random bytes.
#[derive(Debug, thiserror::Error)]
#[error("no randomness from the operating system: {0}")]
pub struct NoRandomness(pub(crate) getrandom::Error);

impl IngestSecret {
    /// A new random token.
    pub fn generate() -> Result<Self, NoRandomness> {
        let mut bytes = [0u8; SECRET_BYTES];
        getrandom::fill(&mut bytes).map_err(NoRandomness)?;
        let mut text = String::with_capacity(PREFIX.len() + 2 * SECRET_BYTES);
        text.push_str(PREFIX);
        for b in bytes {
            text.push_str(&format!("{b:02x}"));
        }
        Ok(Self(text))
    }

    /// A token as a client presents it, if it has the shape of one (surrounding blanks are
    /// ignored). Whether it is a valid token is for the store to say, by its hash.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        let hex = raw.strip_prefix(PREFIX)?;
        let well_formed = hex.len() == 2 * SECRET_BYTES
            && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        well_formed.then(|| Self(raw.to_owned()))
    }

    /// The token itself, to show the operator once.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> TokenHash {
        TokenHash(Sha256::digest(self.0.as_bytes()).into())
    }
}

impl fmt::Debug for IngestSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("IngestSecret(…)")
    }
}

/// The SHA-256 hash of an [`IngestSecret`]: what the store keeps and looks tokens up by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TokenHash([u8; 32]);

impl TokenHash {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_tokens_are_well_formed_distinct_and_parse_back() {
        let a = IngestSecret::generate().unwrap();
        let b = IngestSecret::generate().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.expose().len(), 4 + 64);
        assert_eq!(IngestSecret::parse(a.expose()), Some(a.clone()));
        assert_eq!(
            IngestSecret::parse(&format!(" {} ", a.expose())),
            Some(a.clone())
        );
        assert_eq!(
            IngestSecret::parse(a.expose()).map(|s| s.hash()),
            Some(a.hash())
        );
        assert_ne!(a.hash(), b.hash());
    }

    #[test]
    fn anything_else_is_not_a_token() {
        let hex = "0123456789abcdef".repeat(4);
        assert!(IngestSecret::parse(&format!("dlt_{hex}")).is_some());
        for bad in [
            String::new(),
            hex.clone(),
            format!("dlt_{}", &hex[1..]),
            format!("dlt_{hex}0"),
            format!("dlt_{}", hex.to_uppercase()),
            format!("DLT_{hex}"),
            format!("dlt_{}g", &hex[1..]),
            format!("dlt_{}é", &hex[2..]),
        ] {
            assert_eq!(IngestSecret::parse(&bad), None, "{bad}");
        }
    }

    #[test]
    fn the_hash_is_sha256_of_the_token_text() {
        // SHA-256("abc"), FIPS 180-2 Appendix B.1: the hash is the standard one, so another
        // implementation (PostgreSQL's sha256(), a script) finds the same tokens.
        let secret = IngestSecret("abc".into());
        let hex: String = secret
            .hash()
            .as_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            hex,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn debug_does_not_reveal_the_token() {
        let secret = IngestSecret::generate().unwrap();
        assert!(!format!("{secret:?}").contains(&secret.expose()[4..]));
    }
}
