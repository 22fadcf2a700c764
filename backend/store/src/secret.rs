//! Secrets handed to people (invite codes, session tokens): random, URL-safe, never printed,
//! and stored only as a SHA-256 hash.
//!
//! A plain unsalted SHA-256 is enough because the secrets carry 256 bits of randomness: there
//! is no dictionary to attack, and a fast hash keeps the per-request token lookup cheap. What
//! the hash buys is that a leaked database (or backup) does not hand out working logins.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand::RngCore as _;
use sha2::{Digest as _, Sha256};

/// 32 random bytes: 256 bits, well past the 128 a guessing attacker would have to beat.
const SECRET_BYTES: usize = 32;

macro_rules! secret_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            pub(crate) fn generate() -> Self {
                Self(random_url_safe())
            }

            /// Wraps a secret received from a client, so it is redacted from logs from here on.
            pub fn new(secret: impl Into<String>) -> Self {
                Self(secret.into())
            }

            /// The secret itself, to hand to its owner (a link, a cookie). Never log it.
            pub fn expose(&self) -> &str {
                &self.0
            }

            /// What the database keeps instead of the secret.
            pub(crate) fn hash(&self) -> String {
                sha256_hex(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "(<redacted>)"))
            }
        }
    };
}

secret_type!(
    /// The single-use code inside an invite link.
    InviteCode
);
secret_type!(
    /// A bearer token that authenticates a member's session.
    SessionToken
);

fn random_url_safe() -> String {
    // ThreadRng is a CSPRNG reseeded from the operating system, suitable for secrets.
    let mut bytes = [0u8; SECRET_BYTES];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn sha256_hex(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_never_appears_in_debug_output() {
        let token = SessionToken::generate();
        let printed = format!("{token:?}");
        assert_eq!(printed, "SessionToken(<redacted>)");
        assert!(!printed.contains(token.expose()));
    }

    #[test]
    fn a_generated_code_is_url_safe_and_carries_256_bits() {
        let code = InviteCode::generate();
        assert_eq!(code.expose().len(), 43);
        assert!(code.expose().chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    }

    #[test]
    fn two_generated_codes_differ() {
        assert_ne!(InviteCode::generate(), InviteCode::generate());
    }

    #[test]
    fn the_stored_hash_is_sha256_of_the_code() {
        let code = InviteCode::new("abc");
        assert_eq!(code.hash(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
