//! The few cryptographic primitives OAuth needs, all encoding or hashing (no RNG: random bytes
//! come from the host): RFC 4648 base64 and FIPS 180-4 SHA-1/SHA-256 with RFC 2104 HMAC.

pub mod base64;
pub mod hash;
