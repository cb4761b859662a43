//! The simulated token endpoint (RFC 6749 §6 with strict refresh-token rotation and reuse
//! detection, OAuth 2.0 Security BCP §4.14.2), answering real HTTP responses.

use super::sim::{network, CLIENT_ID, CLIENT_SECRET, TOKEN_URL};
use oauth_edge::core::error::Error;
use oauth_edge::core::form;
use oauth_edge::core::http::{Request, Response};
use oauth_edge::core::oauth2::client::{ClientAuth, ClientConfig};
use oauth_edge::core::oauth2::TokenSet;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet, VecDeque};

/// `Basic base64("app:s3cr3t")`, computed with coreutils `base64` (RFC 6749 §2.3.1; neither
/// part changes under the form encoding).
const BASIC: &str = "Basic YXBwOnMzY3IzdA==";

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
            refresh_token: rt.map(oauth_edge::core::secret::RefreshToken::new),
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
            if family + 1 == self.revoked.len() {
                self.latest = Some(rt.clone());
            }
        }
        (at, rt)
    }

    /// The refresh token of the user's latest authorization (the newest family's newest one),
    /// if the provider still accepts it.
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
