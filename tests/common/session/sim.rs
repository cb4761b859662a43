//! The simulated world the sessions live in: a clock, a seeded RNG, a compare-and-set store
//! and an RFC 6750 resource server (the token endpoint is `provider.rs`). Everything is plain
//! data; `driver.rs` and `host.rs` move the time and the operations.

use super::provider::SimProvider;
use oauth_edge::core::error::{Error, ErrorCode};
use oauth_edge::core::oauth2::client::{ClientAuth, ClientConfig};
use oauth_edge::core::oauth2::session::{Saved, Stored, TokenRecord};
use oauth_edge::core::parse::Value;
use std::collections::{HashSet, VecDeque};

/// The simulation's epoch (ms).
pub const T0: u64 = 1_000_000_000_000;
pub const TOKEN_URL: &str = "https://as.example/token";
pub const CLIENT_ID: &str = "app";
pub const CLIENT_SECRET: &str = "s3cr3t";

/// The client every simulated instance uses (`client_secret_basic`, or `post`).
pub fn client(auth: ClientAuth) -> ClientConfig {
    ClientConfig::new(CLIENT_ID, TOKEN_URL)
        .with_secret(CLIENT_SECRET)
        .with_auth(auth)
}

/// SplitMix64: tiny, seedable, good enough to pick interleavings.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5EED_0A07_ED6E_0000)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }
    /// Uniform in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }
    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// Simulated time in ms since the epoch; it only moves forward.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    now: u64,
}

impl Clock {
    pub fn new() -> Clock {
        Clock { now: T0 }
    }
    pub fn now(&self) -> u64 {
        self.now
    }
    pub fn advance_to(&mut self, t: u64) {
        self.now = self.now.max(t);
    }
}

fn store_error(what: &str) -> Error {
    Error::new(ErrorCode::StoreError, format!("sim: store.{what}() failed"))
}

pub fn network() -> Error {
    Error::new(ErrorCode::Network, "sim: connection reset")
}

/// One token family's record with a compare-and-set version and an optional FIFO lock.
#[derive(Debug, Default)]
pub struct SimStore {
    /// What `to_persisted` wrote; read back through `from_persisted` on every load.
    value: Option<Value>,
    /// The version counter: only ever increases.
    version: u64,
    /// Fail the next N loads / saves with `STORE_ERROR`.
    pub fail_loads: u32,
    pub fail_saves: u32,
    /// Fail the next N saves that write other tokens than the stored ones (not lease writes).
    pub fail_token_saves: u32,
    /// Every save answers `Conflict`.
    pub broken_cas: bool,
    /// The lock: its holder and the instances queued for it, in order.
    pub holder: Option<usize>,
    pub queue: VecDeque<usize>,
    /// Every write: (version, refresh token).
    pub history: Vec<(u64, Option<String>)>,
    /// Every access token the store has ever held (an API request must carry one of these).
    pub saved_access_tokens: HashSet<String>,
    /// Refresh tokens the store kept because a save of the tokens rotated from them failed.
    pub unpersisted: HashSet<String>,
    pub loads: u32,
    pub saves: u32,
    pub conflicts: u32,
}

impl SimStore {
    /// Writes `record` as if an earlier process had saved it.
    pub fn seed(&mut self, record: &TokenRecord) {
        self.write(record);
    }

    fn write(&mut self, record: &TokenRecord) {
        self.version += 1;
        self.value = Some(record.to_persisted());
        let rt = record.refresh_token().map(|s| s.expose().to_owned());
        self.history.push((self.version, rt));
        let at = record.tokens.access_token.expose().to_owned();
        self.saved_access_tokens.insert(at);
    }

    /// The stored record (through the persisted form).
    pub fn record(&self) -> Option<TokenRecord> {
        let value = self.value.clone()?;
        Some(TokenRecord::from_persisted(value).expect("the store holds what to_persisted wrote"))
    }

    pub fn refresh_token(&self) -> Option<String> {
        self.record()?
            .refresh_token()
            .map(|s| s.expose().to_owned())
    }

    pub fn access_token(&self) -> Option<String> {
        Some(self.record()?.tokens.access_token.expose().to_owned())
    }

    pub fn version(&self) -> u64 {
        self.version
    }

    pub fn load(&mut self) -> Result<Option<Stored>, Error> {
        self.loads += 1;
        if self.fail_loads > 0 {
            self.fail_loads -= 1;
            return Err(store_error("load"));
        }
        let version = self.version.to_string();
        Ok(self.record().map(|record| Stored { record, version }))
    }

    /// Compare-and-set: `expected` `None` means the store must be empty.
    pub fn save(&mut self, record: &TokenRecord, expected: Option<&str>) -> Result<Saved, Error> {
        self.saves += 1;
        let current = self.record();
        let new_tokens = current.as_ref().is_none_or(|r| !r.same_tokens(record));
        let token_fault = new_tokens && self.fail_token_saves > 0;
        if self.fail_saves > 0 || token_fault {
            if token_fault {
                self.fail_token_saves -= 1;
            } else {
                self.fail_saves -= 1;
            }
            if new_tokens {
                if let Some(rt) = current.as_ref().and_then(TokenRecord::refresh_token) {
                    self.unpersisted.insert(rt.expose().to_owned());
                }
            }
            return Err(store_error("save"));
        }
        let version = current.as_ref().map(|_| self.version.to_string());
        if self.broken_cas || version.as_deref() != expected {
            self.conflicts += 1;
            return Ok(Saved::Conflict);
        }
        self.write(record);
        Ok(Saved::Version(self.version.to_string()))
    }
}

/// What the resource server answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiAnswer {
    pub status: u16,
    pub www_authenticate: Option<String>,
    pub retry_after: Option<String>,
}

/// An RFC 6750 resource server that asks the provider whether a token is good.
#[derive(Debug, Default)]
pub struct SimApi {
    /// Answer 401 to everything (a resource server that never accepts the token).
    pub always_401: bool,
    /// The `WWW-Authenticate` of those 401s (default `error="invalid_token"`).
    pub challenge: Option<&'static str>,
    /// Answer the next N requests 429 with this `Retry-After` (seconds).
    pub rate_limit_next: u32,
    pub rate_limit_retry_after: u64,
    pub requests: u32,
    pub unauthorized: u32,
    /// Requests whose token the store never held (handed out before it was saved).
    pub unsaved: u32,
}

impl SimApi {
    pub fn call(&mut self, p: &SimProvider, s: &SimStore, token: &str, now: u64) -> ApiAnswer {
        self.requests += 1;
        if !s.saved_access_tokens.contains(token) {
            self.unsaved += 1;
        }
        if self.rate_limit_next > 0 {
            self.rate_limit_next -= 1;
            return ApiAnswer {
                status: 429,
                www_authenticate: None,
                retry_after: Some(self.rate_limit_retry_after.to_string()),
            };
        }
        if self.always_401 || !p.access_token_valid(token, now) {
            self.unauthorized += 1;
            let invalid_token = r#"Bearer realm="sim", error="invalid_token""#;
            let challenge = self
                .challenge
                .filter(|_| self.always_401)
                .unwrap_or(invalid_token);
            return ApiAnswer {
                status: 401,
                www_authenticate: Some(challenge.to_owned()),
                retry_after: None,
            };
        }
        ApiAnswer {
            status: 200,
            www_authenticate: None,
            retry_after: None,
        }
    }
}
