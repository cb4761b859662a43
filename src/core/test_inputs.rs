//! Reproducible inputs for the generated-input tests (oracle comparisons over many texts).

/// A xorshift64 generator (Marsaglia 2003): the same sequence for the same seed, every run.
pub(crate) fn xorshift(mut seed: u64) -> impl FnMut() -> u64 {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    }
}
