//! Password hashes: argon2id with the crate's default parameters (19 MiB, 2 passes, 1 lane,
//! the OWASP minimum), as PHC strings. Slow on purpose: call from `spawn_blocking`.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// A PHC string for `password` with a fresh random salt.
pub fn hash(password: &str) -> anyhow::Result<String> {
    let mut salt = [0u8; 16];
    getrandom_salt(&mut salt)?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))
}

fn getrandom_salt(salt: &mut [u8; 16]) -> anyhow::Result<()> {
    let secret = daylight_store::random_secret()?;
    for (i, byte) in salt.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&secret[2 * i..2 * i + 2], 16)?;
    }
    Ok(())
}

/// Whether `password` matches the PHC string `stored` (false for a malformed one).
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A hash to check against when the user does not exist, so that an unknown name takes as
/// long as a wrong password.
pub fn dummy() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash("daylight-dummy-password").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    #[test]
    fn hashes_verify_and_are_salted() {
        let a = super::hash("correct horse").unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, super::hash("correct horse").unwrap());
        assert!(super::verify("correct horse", &a));
        assert!(!super::verify("wrong horse", &a));
        assert!(!super::verify("x", "not a hash"));
    }
}
