//! RFC 5849 §3.4.2–§3.4.4: turning a signature base string and the two secrets into
//! `oauth_signature`, plus the `oauth_body_hash` extension for non-form bodies.

use crate::core::crypto::base64;
use crate::core::crypto::hash::{Hash, HmacKey};
use crate::core::error::{Error, Result};
use crate::core::form::{ascii_string, rfc3986_encode_bytes};
use crate::core::secret::{ClientSecret, Secret, TokenSecret};

/// `oauth_signature_method`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignatureMethod {
    /// RFC 5849 §3.4.2 (ZapEvent's default).
    HmacSha1,
    /// HMAC-SHA256: not in RFC 5849 but the same construction with SHA-256; many OneRoster
    /// servers require it (IMS OneRoster 1.1 security guidance).
    HmacSha256,
    /// RFC 5849 §3.4.4: the key itself, only over TLS.
    Plaintext,
}

impl SignatureMethod {
    /// The protocol name, e.g. `HMAC-SHA1`.
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureMethod::HmacSha1 => "HMAC-SHA1",
            SignatureMethod::HmacSha256 => "HMAC-SHA256",
            SignatureMethod::Plaintext => "PLAINTEXT",
        }
    }

    /// Parses a protocol name (case-insensitive).
    pub fn parse(name: &str) -> Result<Self> {
        match name.to_ascii_uppercase().as_str() {
            "HMAC-SHA1" => Ok(SignatureMethod::HmacSha1),
            "HMAC-SHA256" => Ok(SignatureMethod::HmacSha256),
            "PLAINTEXT" => Ok(SignatureMethod::Plaintext),
            _ => Err(Error::invalid_argument(
                "signatureMethod must be HMAC-SHA1, HMAC-SHA256 or PLAINTEXT",
            )),
        }
    }

    /// Computes `oauth_signature` (unencoded) over `base_string`.
    pub fn sign(
        self,
        base_string: &str,
        consumer_secret: &ClientSecret,
        token_secret: &TokenSecret,
    ) -> String {
        SigningKey::new(self, consumer_secret, token_secret).sign(base_string)
    }

    /// `oauth_body_hash` of a non-form body (OAuth Request Body Hash draft §3.2): the digest of
    /// the signature method's hash. PLAINTEXT has no hash and cannot carry one.
    pub fn body_hash(self, body: &[u8]) -> Result<String> {
        match self {
            SignatureMethod::HmacSha1 => Ok(base64::encode(Hash::Sha1.digest(body).as_bytes())),
            SignatureMethod::HmacSha256 => Ok(base64::encode(Hash::Sha256.digest(body).as_bytes())),
            SignatureMethod::Plaintext => Err(Error::invalid_argument(
                "oauth_body_hash needs an HMAC signature method, not PLAINTEXT",
            )),
        }
    }
}

/// The signing key of one credential set, derived once: for HMAC the keyed MAC state (both
/// pads already absorbed), so each signature only hashes its base string. Long-lived signers
/// keep one; it prints `[redacted]`.
#[derive(Clone)]
pub enum SigningKey {
    /// HMAC-SHA1 or HMAC-SHA256 keyed with `enc(cs)&enc(ts)`.
    Hmac(HmacKey),
    /// PLAINTEXT: the key is the signature.
    Plaintext(Secret),
}

impl SigningKey {
    /// Derives the key for `method` from the two secrets (RFC 5849 §3.4.2, §3.4.4).
    pub fn new(
        method: SignatureMethod,
        consumer_secret: &ClientSecret,
        token_secret: &TokenSecret,
    ) -> Self {
        let key = signing_key(consumer_secret, token_secret);
        let hash = match method {
            SignatureMethod::HmacSha1 => Hash::Sha1,
            SignatureMethod::HmacSha256 => Hash::Sha256,
            SignatureMethod::Plaintext => return SigningKey::Plaintext(Secret::new(key)),
        };
        SigningKey::Hmac(HmacKey::new(hash, key.as_bytes()))
    }

    /// `oauth_signature` (unencoded) over `base_string`.
    pub fn sign(&self, base_string: &str) -> String {
        match self {
            SigningKey::Hmac(key) => base64::encode(key.sign(base_string.as_bytes()).as_bytes()),
            SigningKey::Plaintext(key) => key.expose().to_owned(),
        }
    }
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey([redacted])")
    }
}

/// RFC 5849 §3.4.2: `enc(consumer secret) "&" enc(token secret)`, the `&` kept even when the
/// token secret is empty. PLAINTEXT (§3.4.4) sends this very string.
fn signing_key(consumer_secret: &ClientSecret, token_secret: &TokenSecret) -> String {
    let mut key =
        Vec::with_capacity(3 * (consumer_secret.expose().len() + token_secret.expose().len()) + 1);
    rfc3986_encode_bytes(&mut key, consumer_secret.expose().as_bytes());
    key.push(b'&');
    rfc3986_encode_bytes(&mut key, token_secret.expose().as_bytes());
    ascii_string(key)
}
