//! The token session engine (src/core/oauth2/session/) driven by an arbitrary sequence of
//! calls: `want_token`, `sign_in`, `reject`, `poll`, every `handle_*` with arbitrary outcomes
//! (in order or not), API answers through `ApiCall`, another instance writing the store, and an
//! arbitrary clock (1970 to 2106, forwards and backwards). A model store (compare-and-set) and
//! provider answer the actions as a host would when asked to (`Answer`, `Drive`), with faults.
//!
//! Checked after every call: no panic; `poll` returns `Idle` while an action it handed out has
//! not had its outcome back (the engine never has two actions out); and a token handed to
//! callers (`Deliver`, `usable_token`) was saved to or loaded from the store first, never one
//! that exists only in a provider's answer or in a sign-in not yet persisted.
//!
//! Input: `arbitrary` bytes for `Scenario` (a config and up to 256 operations).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use oauth_edge::core::error::{Error, ErrorCode};
use oauth_edge::core::http::Response;
use oauth_edge::core::oauth2::client::ClientConfig;
use oauth_edge::core::oauth2::retry::RetryPolicy;
use oauth_edge::core::oauth2::session::{
    Action, ApiCall, ApiResponse, Lease, Saved, Session, SessionConfig, Stored, TokenRecord,
};
use oauth_edge::core::oauth2::token_response::TokenSet;
use oauth_edge::core::secret::RefreshToken;
use std::collections::HashSet;

const ME: &str = "me";
const MAX_OPS: usize = 256;

#[derive(Arbitrary, Debug)]
struct Scenario {
    skew: Knob,
    lease: Knob,
    grace: Knob,
    base: Knob,
    max: Knob,
    attempts: u8,
    lock: bool,
    start: u32,
    ops: Vec<Op>,
}

/// A duration setting: the default, a small one, or anything (JS options reach any u64).
#[derive(Arbitrary, Debug, Clone, Copy)]
enum Knob {
    Default,
    Small(u16),
    Any(u64),
}

impl Knob {
    fn ms(self, default: u64) -> u64 {
        match self {
            Knob::Default => default,
            Knob::Small(v) => u64::from(v),
            Knob::Any(v) => v,
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Op {
    WantToken,
    SignIn(Tokens),
    /// `reject` of the cached access token (`None`) or of another one.
    Reject(Option<u8>),
    Poll,
    /// The clock moves forward this many ms.
    Tick(u16),
    /// The clock jumps to this many seconds since the epoch (either way).
    Jump(u32),
    /// The action out is answered as the store or the provider would, with this fault.
    Answer(Fault, Lifetime),
    /// A driver loop: poll and answer without faults, sleeping as told, up to n steps.
    Drive(u8),
    Loaded(Option<Option<Rec>>),
    Saved(Option<Option<u8>>),
    Response(Option<Reply>, u32),
    Locked(bool),
    Unlocked,
    /// An API answered `status` to the cached access token (`None`) or to another one.
    Api(u8, Option<u8>, bool),
    /// Another instance writes the store.
    Other(Option<Rec>),
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Fault {
    None,
    /// The store or the lock fails; a grant fails in transit.
    Error,
    /// The write or the grant happens but its answer is lost.
    Lost,
    InvalidGrant,
    RateLimited(u8),
    Unavailable,
    Garbage,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Lifetime {
    Absent,
    Seconds(u16),
    Huge,
}

#[derive(Arbitrary, Debug, Clone)]
struct Tokens {
    access: u8,
    refresh: Option<u8>,
    expires: Option<Time>,
}

#[derive(Arbitrary, Debug, Clone)]
struct Rec {
    tokens: Tokens,
    obtained: Option<Time>,
    lease: Option<(bool, Time)>,
    version: u8,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Time {
    /// Seconds from now, either way.
    Rel(i32),
    /// Any time a store may hold (below 9e15 ms).
    Abs(u64),
}

#[derive(Arbitrary, Debug, Clone)]
enum Reply {
    Tokens(Option<u8>, Lifetime),
    Status(u8, Vec<u8>),
    Network,
}

/// What the host has out with the host's side (the store, the provider, the lock).
#[derive(Debug, Clone, PartialEq)]
enum Out {
    Load,
    Save {
        record: Box<TokenRecord>,
        expected: Option<String>,
    },
    Send,
    Lock,
    Unlock,
}

struct World {
    session: Session,
    now: u64,
    out: Option<Out>,
    /// The model store: the record and its version.
    store: Option<(TokenRecord, u64)>,
    versions: u64,
    /// Access tokens that reached the store or came out of it.
    persisted: HashSet<String>,
    issued: u32,
}

fuzz_target!(|scenario: Scenario| {
    // FUZZ_DEBUG=1 prints the decoded scenario (to read a crash input).
    static DEBUG: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if *DEBUG.get_or_init(|| std::env::var_os("FUZZ_DEBUG").is_some()) {
        eprintln!("{scenario:#?}");
    }
    let retry = RetryPolicy {
        max_attempts: u32::from(scenario.attempts % 21),
        base_ms: scenario.base.ms(250),
        max_ms: scenario.max.ms(10_000),
    };
    let config = SessionConfig {
        skew_ms: scenario.skew.ms(60_000),
        retry,
        lease_ms: scenario.lease.ms(30_000).max(1),
        lease_poll_ms: 100,
        reuse_grace_ms: scenario.grace.ms(0),
        lock: scenario.lock,
    };
    let client = ClientConfig::new("client", "https://as.example/token").with_secret("s");
    let mut w = World {
        session: Session::new(config, client, ME),
        now: u64::from(scenario.start) * 1000,
        out: None,
        store: None,
        versions: 0,
        persisted: HashSet::new(),
        issued: 0,
    };
    for op in scenario.ops.into_iter().take(MAX_OPS) {
        w.step(op);
        let _ = (
            w.session.state(w.now),
            w.session.next_refresh_at(),
            w.session.record(),
        );
        if let Some(token) = w.session.usable_token(w.now) {
            w.check_delivered(token.token().expose(), "usable_token");
        }
    }
});

impl World {
    fn step(&mut self, op: Op) {
        let now = self.now;
        match op {
            Op::WantToken => self.session.want_token(),
            Op::SignIn(t) => {
                // A name of its own, so that handing it out before it is saved shows.
                let mut tokens = token_set(&t, now);
                tokens.access_token = self.fresh("s").as_str().into();
                self.session.sign_in(tokens, now);
            }
            Op::Reject(which) => {
                let used = self.used_token(which);
                let _ = self.session.reject(&used);
            }
            Op::Poll => {
                self.poll();
            }
            Op::Tick(ms) => self.now = self.now.saturating_add(u64::from(ms)),
            Op::Jump(s) => self.now = u64::from(s) * 1000,
            Op::Answer(fault, lifetime) => self.answer(fault, lifetime),
            Op::Drive(steps) => {
                for _ in 0..steps.min(32) {
                    if self.out.is_some() {
                        self.answer(Fault::None, Lifetime::Seconds(3600));
                    }
                    match self.poll() {
                        Some(Action::Idle) | None => break,
                        Some(Action::Sleep { until_ms }) => {
                            // A timer; the clock stays within the host's range.
                            let cap = self.now.saturating_add(3_600_000);
                            self.now = self.now.max(until_ms.min(cap));
                        }
                        Some(_) => {}
                    }
                }
            }
            Op::Loaded(result) => {
                let result = match result {
                    None => Err(store_error()),
                    Some(None) => Ok(None),
                    Some(Some(rec)) => {
                        let stored = stored(&rec, now);
                        self.persisted
                            .insert(stored.record.tokens.access_token.expose().to_owned());
                        Ok(Some(stored))
                    }
                };
                if self.out == Some(Out::Load) {
                    self.out = None;
                }
                self.session.handle_loaded(result, now);
            }
            Op::Saved(result) => {
                let result = match result {
                    None => Err(store_error()),
                    Some(None) => Ok(Saved::Conflict),
                    Some(Some(v)) => Ok(Saved::Version(format!("x{v}"))),
                };
                if let Some(Out::Save { record, .. }) = &self.out {
                    if matches!(result, Ok(Saved::Version(_))) {
                        self.persisted
                            .insert(record.tokens.access_token.expose().to_owned());
                    }
                    self.out = None;
                }
                self.session.handle_saved(result, now);
            }
            Op::Response(reply, random) => {
                let result = match reply {
                    None | Some(Reply::Network) => Err(Error::new(ErrorCode::Network, "lost")),
                    Some(Reply::Tokens(refresh, lifetime)) => {
                        Ok(self.grant_response(refresh.map(|r| format!("r{r}")), lifetime))
                    }
                    Some(Reply::Status(s, body)) => Ok(Response {
                        status: oauth_edge_fuzz::status(s),
                        headers: vec![("Retry-After".into(), "1".into())],
                        body,
                    }),
                };
                if self.out == Some(Out::Send) {
                    self.out = None;
                }
                self.session.handle_response(result, random, now);
            }
            Op::Locked(ok) => {
                if self.out == Some(Out::Lock) {
                    self.out = None;
                }
                self.session
                    .handle_locked(if ok { Ok(()) } else { Err(store_error()) }, now);
            }
            Op::Unlocked => {
                if self.out == Some(Out::Unlock) {
                    self.out = None;
                }
                self.session.handle_unlocked();
            }
            Op::Api(status, which, insufficient) => {
                let used = self.used_token(which);
                let status = [401, 429, 503, 200][status as usize % 4];
                let header = if insufficient {
                    r#"Bearer error="insufficient_scope""#
                } else {
                    r#"Bearer error="invalid_token""#
                };
                let answer = ApiResponse {
                    status,
                    www_authenticate: Some(header),
                    retry_after: Some("2"),
                    used_access_token: &used,
                };
                let _ = ApiCall::new().on_response(&mut self.session, &answer, 7, now);
            }
            Op::Other(rec) => match rec {
                None => self.store = None,
                Some(rec) => {
                    let record = stored(&rec, now).record;
                    self.persisted
                        .insert(record.tokens.access_token.expose().to_owned());
                    self.versions += 1;
                    self.store = Some((record, self.versions));
                }
            },
        }
    }

    /// `poll`, with the in-flight check; `None` when the engine rightly said nothing new.
    fn poll(&mut self) -> Option<Action> {
        let action = self.session.poll(self.now);
        if let Some(out) = &self.out {
            assert_eq!(
                action,
                Action::Idle,
                "poll handed out an action while {out:?} was out"
            );
            return None;
        }
        self.out = match &action {
            Action::Load => Some(Out::Load),
            Action::Save {
                record,
                expected_version,
            } => Some(Out::Save {
                record: Box::new(record.clone()),
                expected: expected_version.clone(),
            }),
            Action::Send(_) => Some(Out::Send),
            Action::Lock => Some(Out::Lock),
            Action::Unlock => Some(Out::Unlock),
            Action::Deliver(token) => {
                self.check_delivered(token.token().expose(), "Deliver");
                None
            }
            _ => None,
        };
        Some(action)
    }

    fn check_delivered(&self, token: &str, how: &str) {
        assert!(
            self.persisted.contains(token),
            "{how} handed out {token:?}, which was never saved to or loaded from the store"
        );
    }

    /// The action out answered as a host would.
    fn answer(&mut self, fault: Fault, lifetime: Lifetime) {
        let now = self.now;
        let Some(out) = self.out.take() else {
            return;
        };
        match out {
            Out::Load => {
                let result = match fault {
                    Fault::Error | Fault::Garbage => Err(store_error()),
                    _ => Ok(self.store.as_ref().map(|(record, v)| {
                        self.persisted
                            .insert(record.tokens.access_token.expose().to_owned());
                        Stored {
                            record: record.clone(),
                            version: v.to_string(),
                        }
                    })),
                };
                self.session.handle_loaded(result, now);
            }
            Out::Save { record, expected } => {
                let current = self.store.as_ref().map(|(_, v)| v.to_string());
                let result = if matches!(fault, Fault::Error) {
                    Err(store_error())
                } else if current == expected {
                    self.versions += 1;
                    self.persisted
                        .insert(record.tokens.access_token.expose().to_owned());
                    self.store = Some((*record, self.versions));
                    if matches!(fault, Fault::Lost) {
                        Err(store_error())
                    } else {
                        Ok(Saved::Version(self.versions.to_string()))
                    }
                } else {
                    Ok(Saved::Conflict)
                };
                self.session.handle_saved(result, now);
            }
            Out::Send => {
                let result = match fault {
                    Fault::None => {
                        let refresh = self.fresh("r");
                        Ok(self.grant_response(Some(refresh), lifetime))
                    }
                    Fault::Error => Err(Error::new(ErrorCode::Network, "fetch failed")),
                    Fault::Lost => {
                        self.issued += 1; // rotated at the provider, never seen here
                        Err(Error::new(ErrorCode::Network, "fetch failed"))
                    }
                    Fault::InvalidGrant => Ok(Response {
                        status: 400,
                        headers: vec![],
                        body: br#"{"error":"invalid_grant"}"#.to_vec(),
                    }),
                    Fault::RateLimited(s) => Ok(Response {
                        status: 429,
                        headers: vec![("Retry-After".into(), s.to_string())],
                        body: vec![],
                    }),
                    Fault::Unavailable => Ok(Response {
                        status: 503,
                        headers: vec![],
                        body: vec![],
                    }),
                    Fault::Garbage => Ok(Response {
                        status: 200,
                        headers: vec![],
                        body: b"<html>".to_vec(),
                    }),
                };
                self.session.handle_response(result, 0x9e37_79b9, now);
            }
            Out::Lock => {
                let ok = !matches!(fault, Fault::Error);
                self.session
                    .handle_locked(if ok { Ok(()) } else { Err(store_error()) }, now);
            }
            Out::Unlock => self.session.handle_unlocked(),
        }
    }

    /// A token endpoint's 200 with a fresh access token (never seen before).
    fn grant_response(&mut self, refresh: Option<String>, lifetime: Lifetime) -> Response {
        let mut body =
            serde_json::json!({ "access_token": self.fresh("p"), "token_type": "bearer" });
        if let Some(r) = refresh {
            body["refresh_token"] = r.into();
        }
        match lifetime {
            Lifetime::Absent => {}
            Lifetime::Seconds(s) => body["expires_in"] = s.into(),
            Lifetime::Huge => body["expires_in"] = 1e300.into(),
        }
        Response {
            status: 200,
            headers: vec![],
            body: body.to_string().into_bytes(),
        }
    }

    fn fresh(&mut self, prefix: &str) -> String {
        self.issued += 1;
        format!("{prefix}{}", self.issued)
    }

    fn used_token(&self, which: Option<u8>) -> String {
        match (which, self.session.record()) {
            (None, Some(r)) => r.tokens.access_token.expose().to_owned(),
            (Some(n), _) => format!("a{}", n % 4),
            (None, None) => "a0".to_owned(),
        }
    }
}

fn store_error() -> Error {
    Error::new(ErrorCode::StoreError, "the store failed")
}

fn time(t: Time, now: u64) -> u64 {
    match t {
        Time::Rel(s) => now.saturating_add_signed(i64::from(s) * 1000),
        Time::Abs(ms) => ms % 9_000_000_000_000_000,
    }
}

fn token_set(t: &Tokens, now: u64) -> TokenSet {
    let mut tokens = TokenSet::bearer(format!("a{}", t.access % 4));
    tokens.refresh_token = t.refresh.map(|r| RefreshToken::new(format!("r{}", r % 4)));
    tokens.expires_at_ms = t.expires.map(|e| time(e, now));
    tokens
}

fn stored(rec: &Rec, now: u64) -> Stored {
    let mut record = TokenRecord::new(token_set(&rec.tokens, now), now);
    record.obtained_at_ms = rec.obtained.map(|t| time(t, now));
    record.lease = rec.lease.map(|(mine, until)| Lease {
        owner: if mine { ME.into() } else { "other".into() },
        until_ms: time(until, now),
    });
    Stored {
        record,
        version: format!("x{}", rec.version % 4),
    }
}
