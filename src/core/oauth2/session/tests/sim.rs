//! The simulated world the sessions live in: a clock, a seeded RNG, a compare-and-set store, an
//! RFC 6749 token endpoint with strict refresh-token rotation, and an RFC 6750 resource server.
//! Everything is plain data; `driver.rs` moves the time and the operations.

use crate::core::error::{Error, ErrorCode};
use crate::core::form;
use crate::core::http::{Request, Response};
use crate::core::oauth2::client::{ClientAuth, ClientConfig};
use crate::core::oauth2::session::{Saved, Stored, TokenRecord};
use crate::core::oauth2::TokenSet;
use crate::core::secret::Secret;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet, VecDeque};

/// The simulation's epoch (ms).
pub const T0: u64 = 1_000_000_000_000;
pub const TOKEN_URL: &str = "https://as.example/token";
pub const CLIENT_ID: &str = "app";
pub const CLIENT_SECRET: &str = "s3cr3t";
/// `Basic base64("app:s3cr3t")`, computed with coreutils `base64` (RFC 6749 §2.3.1; neither
/// part changes under the form encoding).
const BASIC: &str = "Basic YXBwOnMzY3IzdA==";

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

fn network() -> Error {
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

/// What goes wrong with one token request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    None,
    /// 429 with `Retry-After` in seconds.
    TooMany(u64),
    /// 503 without `Retry-After`.
    Unavailable,
    /// The connection fails before the provider sees the request.
    FailBefore,
    /// The provider processes the request (and rotates); its answer is lost.
    LoseResponse,
}

#[derive(Debug, Clone)]
struct RtState {
    family: usize,
    used_at: Option<u64>,
    /// The pair it was exchanged for (replayed inside the grace period).
    answer: Option<(String, Option<String>)>,
}

#[derive(Debug, Clone)]
struct AtState {
    family: usize,
    expires_at: u64,
    revoked: bool,
}

/// An RFC 6749 token endpoint: refresh tokens are single use (rotation), reuse revokes the
/// family (OAuth 2.0 Security BCP §4.14.2) unless inside the reuse grace period.
#[derive(Debug)]
pub struct SimProvider {
    client: ClientConfig,
    /// `expires_in` of every access token (seconds).
    pub lifetime_s: u64,
    /// Issue a new refresh token with every refresh (false: the response has none and the old
    /// one stays valid).
    pub rotate: bool,
    pub grace_ms: u64,
    pub reuse_revokes_family: bool,
    /// Faults for the next requests, in order (then none).
    pub faults: VecDeque<Fault>,
    next: u64,
    rts: HashMap<String, RtState>,
    ats: HashMap<String, AtState>,
    revoked: Vec<bool>,
    /// The newest refresh token of the newest family.
    latest: Option<String>,
    /// Requests that reached the endpoint (not the failed-before ones).
    pub requests: u32,
    pub grants: u32,
    pub invalid_grants: u32,
    pub reuses: u32,
    pub grace_replays: u32,
    /// Refresh tokens presented after their use, outside the grace period.
    pub reused: Vec<String>,
    /// Refresh tokens whose exchange was processed but whose answer was lost.
    pub lost: HashSet<String>,
    /// Every refresh token presented to a processed request, in order.
    pub presented: Vec<String>,
    /// Requests that break RFC 6749 (wrong method, body or client authentication).
    pub bad_requests: Vec<String>,
}

impl SimProvider {
    pub fn new(client: ClientConfig, lifetime_s: u64) -> SimProvider {
        SimProvider {
            client,
            lifetime_s,
            rotate: true,
            grace_ms: 0,
            reuse_revokes_family: true,
            faults: VecDeque::new(),
            next: 0,
            rts: HashMap::new(),
            ats: HashMap::new(),
            revoked: Vec::new(),
            latest: None,
            requests: 0,
            grants: 0,
            invalid_grants: 0,
            reuses: 0,
            grace_replays: 0,
            reused: Vec::new(),
            lost: HashSet::new(),
            presented: Vec::new(),
            bad_requests: Vec::new(),
        }
    }

    /// A completed authorization (code exchange): a new family, `at-N` + `rt-N`.
    pub fn authorize(&mut self, now: u64) -> TokenSet {
        self.revoked.push(false);
        let family = self.revoked.len() - 1;
        let (at, rt) = self.issue(family, true, now);
        TokenSet {
            refresh_token: rt.map(Secret::new),
            expires_at_ms: Some(now + self.lifetime_s * 1000),
            ..TokenSet::bearer(at)
        }
    }

    fn issue(&mut self, family: usize, with_rt: bool, now: u64) -> (String, Option<String>) {
        self.next += 1;
        let at = format!("at-{}", self.next);
        let expires_at = now + self.lifetime_s * 1000;
        let state = AtState {
            family,
            expires_at,
            revoked: false,
        };
        self.ats.insert(at.clone(), state);
        let rt = with_rt.then(|| format!("rt-{}", self.next));
        if let Some(rt) = &rt {
            let state = RtState {
                family,
                used_at: None,
                answer: None,
            };
            self.rts.insert(rt.clone(), state);
            self.latest = Some(rt.clone());
        }
        (at, rt)
    }

    /// The refresh token the provider accepts now (the family's newest, if not revoked).
    pub fn live_refresh_token(&self) -> Option<String> {
        let rt = self.latest.as_ref()?;
        let s = &self.rts[rt];
        (!self.revoked[s.family] && (s.used_at.is_none() || !self.rotate)).then(|| rt.clone())
    }

    /// Revokes one access token (an admin action; it stays unexpired).
    pub fn revoke_access_token(&mut self, at: &str) {
        self.ats.get_mut(at).expect("issued").revoked = true;
    }

    /// Revokes the family of `rt` (the user withdrew the grant).
    pub fn revoke_family(&mut self, rt: &str) {
        let family = self.rts[rt].family;
        self.revoked[family] = true;
    }

    pub fn family_revoked(&self, rt: &str) -> bool {
        self.revoked[self.rts[rt].family]
    }

    /// Whether a resource server accepts `at` at `now`.
    pub fn access_token_valid(&self, at: &str, now: u64) -> bool {
        self.ats
            .get(at)
            .is_some_and(|s| !s.revoked && !self.revoked[s.family] && now < s.expires_at)
    }

    /// Processes one token request as it reaches the endpoint.
    pub fn handle(&mut self, req: &Request, now: u64, fault: Fault) -> Result<Response, Error> {
        match fault {
            Fault::FailBefore => return Err(network()),
            Fault::TooMany(s) => {
                self.requests += 1;
                let body = json!({"error": "temporarily_unavailable"});
                return Ok(reply(429, &body, Some(s)));
            }
            Fault::Unavailable => {
                self.requests += 1;
                return Ok(reply(
                    503,
                    &json!({"error": "temporarily_unavailable"}),
                    None,
                ));
            }
            Fault::None | Fault::LoseResponse => self.requests += 1,
        }
        let rt = match self.validate(req) {
            Ok(rt) => rt,
            Err((status, error, why)) => {
                self.bad_requests.push(why);
                return Ok(reply(status, &json!({ "error": error }), None));
            }
        };
        let response = self.exchange(&rt, now);
        if fault == Fault::LoseResponse {
            self.lost.insert(rt);
            return Err(network());
        }
        Ok(response)
    }

    fn exchange(&mut self, rt: &str, now: u64) -> Response {
        let Some(state) = self.rts.get(rt).cloned() else {
            return self.invalid_grant("unknown refresh token");
        };
        self.presented.push(rt.to_owned());
        if self.revoked[state.family] {
            return self.invalid_grant("the grant was revoked");
        }
        let (at, new_rt) = match (state.used_at, &state.answer) {
            (Some(used), Some(answer)) if self.grace_ms > 0 && now - used <= self.grace_ms => {
                self.grace_replays += 1;
                answer.clone()
            }
            (Some(_), _) => {
                self.reuses += 1;
                self.reused.push(rt.to_owned());
                if self.reuse_revokes_family {
                    self.revoked[state.family] = true;
                }
                return self.invalid_grant("refresh token reuse");
            }
            (None, _) => {
                self.grants += 1;
                let pair = self.issue(state.family, self.rotate, now);
                if self.rotate {
                    let s = self.rts.get_mut(rt).expect("known");
                    s.used_at = Some(now);
                    s.answer = Some(pair.clone());
                }
                pair
            }
        };
        let expires_in = (self.ats[&at].expires_at.saturating_sub(now) / 1000).max(1);
        let mut body =
            json!({"access_token": at, "token_type": "Bearer", "expires_in": expires_in});
        if let Some(new_rt) = new_rt {
            body["refresh_token"] = Value::from(new_rt);
        }
        reply(200, &body, None)
    }

    fn invalid_grant(&mut self, why: &str) -> Response {
        self.invalid_grants += 1;
        let body = json!({"error": "invalid_grant", "error_description": why});
        reply(400, &body, None)
    }

    /// RFC 6749 §6 and §2.3.1: the refresh token, or (status, error, what is wrong).
    fn validate(&self, req: &Request) -> Result<String, (u16, &'static str, String)> {
        let bad = |why: &str| (400, "invalid_request", why.to_owned());
        if req.method != "POST" || req.url != TOKEN_URL {
            return Err(bad("not POST to the token endpoint"));
        }
        if req.header("content-type") != Some("application/x-www-form-urlencoded") {
            return Err(bad("not a form body"));
        }
        let body = req.body.as_deref().unwrap_or_default();
        let params = form::parse_utf8(body).map_err(|_| bad("malformed body"))?;
        let get = |name: &str| {
            let mut values = params.iter().filter(|(n, _)| n == name);
            match (values.next(), values.next()) {
                (Some((_, v)), None) => Ok(Some(v.as_str())),
                (None, _) => Ok(None),
                _ => Err(bad("repeated parameter")),
            }
        };
        if get("grant_type")? != Some("refresh_token") {
            return Err(bad("grant_type is not refresh_token"));
        }
        let rt = get("refresh_token")?.filter(|v| !v.is_empty());
        let rt = rt.ok_or_else(|| bad("no refresh_token"))?.to_owned();
        let basic = req.header("authorization");
        let (id, secret) = (get("client_id")?, get("client_secret")?);
        let authenticated = match self.client.auth {
            ClientAuth::Basic => basic == Some(BASIC) && secret.is_none(),
            ClientAuth::Post => {
                basic.is_none() && id == Some(CLIENT_ID) && secret == Some(CLIENT_SECRET)
            }
            _ => basic.is_none() && id == Some(CLIENT_ID) && secret.is_none(),
        };
        if !authenticated {
            return Err((401, "invalid_client", "client authentication".into()));
        }
        Ok(rt)
    }
}

/// A JSON response (RFC 6749 §5.1: `Cache-Control: no-store`).
fn reply(status: u16, body: &Value, retry_after_s: Option<u64>) -> Response {
    let mut headers = vec![
        ("Content-Type".to_owned(), "application/json".to_owned()),
        ("Cache-Control".to_owned(), "no-store".to_owned()),
    ];
    if let Some(s) = retry_after_s {
        headers.push(("Retry-After".to_owned(), s.to_string()));
    }
    let body = serde_json::to_vec(body).expect("json");
    Response {
        status,
        headers,
        body,
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
            let challenge = r#"Bearer realm="sim", error="invalid_token""#;
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
