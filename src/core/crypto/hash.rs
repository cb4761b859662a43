//! FIPS 180-4 SHA-1 and SHA-256 digests and RFC 2104 HMAC, over the `sha1` and `sha2` crates'
//! block functions (their `compress` APIs): this file does the padding and the keying.
//!
//! The crates' `Digest`/`Mac` layers (digest, block-buffer, hmac) were about 2 KB of the module
//! for buffering that a signature, which hashes one whole message, does not need (issue 10).

use sha2::digest::generic_array::GenericArray;

/// A hash function of FIPS 180-4 with 64-byte blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    /// SHA-1 (§6.1), 20-byte digests: HMAC-SHA1 signatures (RFC 5849 §3.4.2).
    Sha1,
    /// SHA-256 (§6.2), 32-byte digests: HMAC-SHA256, PKCE S256 (RFC 7636 §4.2).
    Sha256,
}

impl Hash {
    /// The digest of `message`.
    pub fn digest(self, message: &[u8]) -> Digest {
        State::new(self).finish(message)
    }

    /// FIPS 180-4 §5.3.1 and §5.3.3: the initial hash value.
    fn initial(self) -> [u32; 8] {
        match self {
            Hash::Sha1 => [
                0x6745_2301,
                0xefcd_ab89,
                0x98ba_dcfe,
                0x1032_5476,
                0xc3d2_e1f0,
                0,
                0,
                0,
            ],
            Hash::Sha256 => [
                0x6a09_e667,
                0xbb67_ae85,
                0x3c6e_f372,
                0xa54f_f53a,
                0x510e_527f,
                0x9b05_688c,
                0x1f83_d9ab,
                0x5be0_cd19,
            ],
        }
    }

    fn len(self) -> usize {
        match self {
            Hash::Sha1 => 20,
            Hash::Sha256 => 32,
        }
    }

    /// One 64-byte block into `state`.
    fn compress(self, state: &mut [u32; 8], block: &[u8]) {
        match self {
            Hash::Sha1 => {
                let mut words = [state[0], state[1], state[2], state[3], state[4]];
                sha1::compress(
                    &mut words,
                    std::slice::from_ref(GenericArray::from_slice(block)),
                );
                state[..5].copy_from_slice(&words);
            }
            Hash::Sha256 => {
                sha2::compress256(state, std::slice::from_ref(GenericArray::from_slice(block)))
            }
        }
    }
}

/// A digest: SHA-1's 20 bytes or SHA-256's 32.
#[derive(Clone, Copy)]
pub struct Digest {
    bytes: [u8; 32],
    len: usize,
}

impl Digest {
    /// The digest's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

/// A hash with some whole blocks absorbed.
#[derive(Clone)]
struct State {
    hash: Hash,
    words: [u32; 8],
    absorbed: u64,
}

impl State {
    fn new(hash: Hash) -> State {
        State {
            hash,
            words: hash.initial(),
            absorbed: 0,
        }
    }

    fn block(&mut self, block: &[u8]) {
        self.hash.compress(&mut self.words, block);
        self.absorbed += 64;
    }

    /// Absorbs the rest of the message and pads it (FIPS 180-4 §5.1.1: `1`, zeros, the
    /// message's length in bits as 64 bits big-endian).
    fn finish(mut self, rest: &[u8]) -> Digest {
        let mut blocks = rest.chunks_exact(64);
        for block in &mut blocks {
            self.block(block);
        }
        let tail = blocks.remainder();
        let bits = (self.absorbed + tail.len() as u64) * 8;
        let mut last = [0u8; 64];
        last[..tail.len()].copy_from_slice(tail);
        last[tail.len()] = 0x80;
        if tail.len() >= 56 {
            // No room for the length: it ends a block of its own.
            self.block(&last);
            last = [0u8; 64];
        }
        last[56..].copy_from_slice(&bits.to_be_bytes());
        self.block(&last);
        let mut bytes = [0u8; 32];
        for (out, word) in bytes.chunks_exact_mut(4).zip(self.words) {
            out.copy_from_slice(&word.to_be_bytes());
        }
        Digest {
            bytes,
            len: self.hash.len(),
        }
    }
}

/// An HMAC key (RFC 2104 §2): the hash with `K ^ ipad` and `K ^ opad` already absorbed, so a
/// signature hashes only its message. Derived once per credential set.
#[derive(Clone)]
pub struct HmacKey {
    inner: State,
    outer: State,
}

impl HmacKey {
    /// Keys `hash` with `key` (any length: one longer than a block is hashed first, §2).
    pub fn new(hash: Hash, key: &[u8]) -> HmacKey {
        let mut padded = [0u8; 64];
        if key.len() > 64 {
            let digest = hash.digest(key);
            padded[..digest.len].copy_from_slice(digest.as_bytes());
        } else {
            padded[..key.len()].copy_from_slice(key);
        }
        let keyed = |pad: u8| {
            let mut state = State::new(hash);
            state.block(&padded.map(|b| b ^ pad));
            state
        };
        HmacKey {
            inner: keyed(0x36),
            outer: keyed(0x5c),
        }
    }

    /// `H(K ^ opad, H(K ^ ipad, message))`.
    pub fn sign(&self, message: &[u8]) -> Digest {
        let inner = self.inner.clone().finish(message);
        self.outer.clone().finish(inner.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// FIPS 180-2 appendices A and B (one block, two blocks, a million `a`), and the empty
    /// message (NIST's published digests of "").
    #[test]
    fn fips_180_vectors() {
        let million = vec![b'a'; 1_000_000];
        let two_blocks = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        let cases: [(&[u8], &str, &str); 4] = [
            (
                b"abc",
                "a9993e364706816aba3e25717850c26c9cd0d89d",
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            ),
            (
                two_blocks,
                "84983e441c3bd26ebaae4aa1f95129e5e54670f1",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
            ),
            (
                &million,
                "34aa973cd4c4daa4f61eeb2bdbad27316534016f",
                "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
            ),
            (
                b"",
                "da39a3ee5e6b4b0d3255bfef95601890afd80709",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            ),
        ];
        for (message, sha1, sha256) in cases {
            assert_eq!(hex(Hash::Sha1.digest(message).as_bytes()), sha1);
            assert_eq!(hex(Hash::Sha256.digest(message).as_bytes()), sha256);
        }
    }

    /// RFC 2202 §3 (HMAC-SHA1) and RFC 4231 §4 (HMAC-SHA256), test cases 1, 2 and 6 (a key
    /// longer than a block).
    #[test]
    fn rfc2202_and_rfc4231_vectors() {
        let cases: [(Hash, Vec<u8>, &[u8], &str); 6] = [
            (
                Hash::Sha1,
                vec![0x0b; 20],
                b"Hi There",
                "b617318655057264e28bc0b6fb378c8ef146be00",
            ),
            (
                Hash::Sha1,
                b"Jefe".to_vec(),
                b"what do ya want for nothing?",
                "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
            ),
            (
                Hash::Sha1,
                vec![0xaa; 80],
                b"Test Using Larger Than Block-Size Key - Hash Key First",
                "aa4ae5e15272d00e95705637ce8a3b55ed402112",
            ),
            (
                Hash::Sha256,
                vec![0x0b; 20],
                b"Hi There",
                "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
            ),
            (
                Hash::Sha256,
                b"Jefe".to_vec(),
                b"what do ya want for nothing?",
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            ),
            (
                Hash::Sha256,
                vec![0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First",
                "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
            ),
        ];
        for (hash, key, message, expected) in cases {
            assert_eq!(
                hex(HmacKey::new(hash, &key).sign(message).as_bytes()),
                expected
            );
        }
    }

    /// Every message length across the padding's boundaries (55/56/63/64 bytes and the next
    /// block's) and key lengths around a block, against the `hmac` crate (dev-dependency, the
    /// oracle), one key reused for many messages as a signer does.
    #[test]
    fn agrees_with_the_hmac_crate() {
        use hmac::{Hmac, Mac};
        let bytes: Vec<u8> = (0..300u32).map(|i| (i * 131 % 251) as u8).collect();
        for key_len in [0, 1, 20, 63, 64, 65, 100] {
            let key = &bytes[..key_len];
            let sha1_key = HmacKey::new(Hash::Sha1, key);
            let sha256_key = HmacKey::new(Hash::Sha256, key);
            for len in 0..bytes.len() {
                let message = &bytes[..len];
                let mut oracle = Hmac::<sha1::Sha1>::new_from_slice(key).unwrap();
                oracle.update(message);
                assert_eq!(
                    sha1_key.sign(message).as_bytes(),
                    &oracle.finalize().into_bytes()[..]
                );
                let mut oracle = Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
                oracle.update(message);
                assert_eq!(
                    sha256_key.sign(message).as_bytes(),
                    &oracle.finalize().into_bytes()[..]
                );
            }
        }
    }
}
