//! RFC 7636 (PKCE) with the S256 method only: a code verifier built from host randomness and
//! its challenge `BASE64URL(SHA256(ASCII(code_verifier)))` (§4.1, §4.2).

use crate::core::crypto::base64;
use crate::core::crypto::hash::Hash;
use crate::core::error::{Error, Result};
use crate::core::secret::CodeVerifier;

/// The only `code_challenge_method` sent: RFC 7636 §4.2 says clients capable of S256 MUST use
/// it, and RFC 9700 §2.1.1 forbids `plain` in new deployments.
pub const CODE_CHALLENGE_METHOD: &str = "S256";

/// Random bytes accepted by [`Pkce::from_random`]: 32 bytes give the 43-character minimum of
/// §4.1, 96 bytes the 128-character maximum (base64url without padding: ⌈4n/3⌉ characters).
pub const RANDOM_BYTES: std::ops::RangeInclusive<usize> = 32..=96;

/// A code verifier and its S256 challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pkce {
    verifier: CodeVerifier,
    challenge: String,
}

impl Pkce {
    /// A verifier from host randomness (§4.1: "a high-entropy cryptographic random STRING"):
    /// the base64url encoding (no padding) of `random`, which is 32 to 96 bytes long.
    pub fn from_random(random: &[u8]) -> Result<Pkce> {
        if !RANDOM_BYTES.contains(&random.len()) {
            return Err(Error::invalid_argument(
                "PKCE needs 32 to 96 random bytes (a 43 to 128 character verifier)",
            ));
        }
        Pkce::from_verifier(base64::encode_url_no_pad(random))
    }

    /// Rebuilds the pair from a verifier kept by the application between the redirect and the
    /// callback; §4.1 syntax is checked: 43–128 characters of `[A-Z] / [a-z] / [0-9] / "-" /
    /// "." / "_" / "~"`.
    pub fn from_verifier(verifier: impl Into<String>) -> Result<Pkce> {
        let verifier = verifier.into();
        let syntax_ok = (43..=128).contains(&verifier.len())
            && verifier
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
        if !syntax_ok {
            return Err(Error::invalid_argument(
                "code_verifier must be 43 to 128 unreserved characters (RFC 7636 §4.1)",
            ));
        }
        let challenge = s256_challenge(&verifier);
        Ok(Pkce {
            verifier: CodeVerifier::new(verifier),
            challenge,
        })
    }

    /// `code_verifier`, sent with the token request (§4.5).
    pub fn verifier(&self) -> &CodeVerifier {
        &self.verifier
    }

    /// `code_challenge`, sent with the authorization request (§4.3).
    pub fn challenge(&self) -> &str {
        &self.challenge
    }
}

/// §4.2: `code_challenge = BASE64URL-ENCODE(SHA256(ASCII(code_verifier)))`.
pub fn s256_challenge(verifier: &str) -> String {
    base64::encode_url_no_pad(Hash::Sha256.digest(verifier.as_bytes()).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_appendix_b() {
        // RFC 7636 Appendix B: these 32 octets give this verifier and this challenge.
        let octets = [
            116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212,
            37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
        ];
        let pkce = Pkce::from_random(&octets).unwrap();
        assert_eq!(
            pkce.verifier().expose(),
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        );
        assert_eq!(
            pkce.challenge(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        let again = Pkce::from_verifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").unwrap();
        assert_eq!(again, pkce);
    }

    #[test]
    fn lengths() {
        assert_eq!(
            Pkce::from_random(&[0xff; 96])
                .unwrap()
                .verifier()
                .expose()
                .len(),
            128
        );
        assert!(Pkce::from_random(&[0; 31]).is_err());
        assert!(Pkce::from_random(&[0; 97]).is_err());
        assert!(Pkce::from_verifier("a".repeat(42)).is_err());
        assert!(Pkce::from_verifier("a".repeat(129)).is_err());
        assert!(Pkce::from_verifier("~".repeat(128)).is_ok());
        assert!(Pkce::from_verifier(format!("{}+", "a".repeat(42))).is_err());
        assert!(Pkce::from_verifier(format!("{}é", "a".repeat(42))).is_err());
    }

    #[test]
    fn debug_redacts_the_verifier() {
        let p = Pkce::from_random(&[7; 32]).unwrap();
        assert!(!format!("{p:?}").contains(p.verifier().expose()));
    }
}
