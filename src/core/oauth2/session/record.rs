//! What the store holds for one token family: the tokens, when the access token was obtained
//! and the refresh lease. Everything that decides whether a refresh is due lives here, in the
//! persisted record, so that every instance reading the same record decides the same.

use crate::core::error::{Error, ErrorCode};
use crate::core::oauth2::token_response::TokenSet;
use crate::core::parse::{Map, Value};
use crate::core::secret::RefreshToken;

/// The persisted record of a token family.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenRecord {
    /// The tokens.
    pub tokens: TokenSet,
    /// When the access token was obtained (ms since the epoch), if known. Persisted so that the
    /// "not before half its lifetime" floor holds in every instance, not only in the one that
    /// refreshed (a lifetime at or below the skew would otherwise refresh once per instance).
    pub obtained_at_ms: Option<u64>,
    /// The refresh lease: who is refreshing this family, and until when at most.
    pub lease: Option<Lease>,
}

/// A refresh lease, claimed through the store's compare-and-set together with the tokens:
/// whoever wins the write refreshes, every other instance waits and re-loads. A lease past
/// `until_ms` is free again, so a crashed owner blocks refreshes for a bounded time only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    /// The claiming session's random id.
    pub owner: Box<str>,
    /// The lease ends here (ms since the epoch, the owner's clock).
    pub until_ms: u64,
}

/// A record as the store returned it, with the store's opaque version for compare-and-set.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    /// The record.
    pub record: TokenRecord,
    /// The store's version of it.
    pub version: String,
}

/// The persisted field names of the session's own data, beside the `TokenSet` fields.
const OBTAINED_AT: &str = "obtainedAt";
const LEASE: &str = "refreshLease";

impl TokenRecord {
    /// A record for tokens obtained at `now_ms`, with no lease.
    pub fn new(tokens: TokenSet, now_ms: u64) -> TokenRecord {
        TokenRecord {
            tokens,
            obtained_at_ms: Some(now_ms),
            lease: None,
        }
    }

    /// The plain object stores persist: the `TokenSetJson` fields (`accessToken`,
    /// `refreshToken`, `tokenType`, `expiresAt`, `scope`, …) plus `obtainedAt` and
    /// `refreshLease: { owner, until }`. This is the one conversion through which tokens leave
    /// the core.
    pub fn to_persisted(&self) -> Value {
        let mut object = match self.tokens.to_json() {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        if let Some(at) = self.obtained_at_ms {
            object.insert(OBTAINED_AT.into(), Value::from(at));
        }
        if let Some(lease) = &self.lease {
            let mut l = Map::new();
            l.insert("owner".into(), Value::from(&*lease.owner));
            l.insert("until".into(), Value::from(lease.until_ms));
            object.insert(LEASE.into(), Value::Object(l));
        }
        Value::Object(object)
    }

    /// Reads what a store returned (see [`TokenRecord::to_persisted`]); records written before
    /// `obtainedAt` and `refreshLease` existed are read as having neither.
    pub fn from_persisted(value: Value) -> Result<TokenRecord, Error> {
        let Value::Object(mut object) = value else {
            return Err(malformed());
        };
        let obtained_at_ms = object.remove(OBTAINED_AT).and_then(|v| ms(&v));
        let lease = object.remove(LEASE).and_then(|l| {
            let owner = l.get("owner")?.as_str()?;
            let until_ms = ms(l.get("until")?)?;
            Some(Lease {
                owner: owner.into(),
                until_ms,
            })
        });
        let tokens = TokenSet::from_json(Value::Object(object)).map_err(|_| malformed())?;
        Ok(TokenRecord {
            tokens,
            obtained_at_ms,
            lease,
        })
    }

    /// The same record with `lease` in place of the current one.
    pub fn with_lease(&self, lease: Option<Lease>) -> TokenRecord {
        TokenRecord {
            lease,
            ..self.clone()
        }
    }

    /// When a refresh is due: `expires_at − skew`, but never before half the token's lifetime
    /// has passed (a provider's lifetime can be shorter than the skew window; without the floor
    /// every call would refresh). `None`: the token never expires.
    pub fn refresh_point(&self, skew_ms: u64) -> Option<u64> {
        let at = self.tokens.expires_at_ms?;
        let due = at.saturating_sub(skew_ms);
        Some(match self.obtained_at_ms {
            Some(obtained) if obtained < at => due.max(obtained + (at - obtained) / 2),
            _ => due,
        })
    }

    /// True while the access token has not expired (`now < expires_at`).
    pub fn unexpired(&self, now_ms: u64) -> bool {
        self.tokens.expires_at_ms.is_none_or(|at| now_ms < at)
    }

    /// The lease another owner holds and that has not ended, if any.
    pub fn live_lease_of_other(&self, me: &str, now_ms: u64) -> Option<&Lease> {
        self.lease
            .as_ref()
            .filter(|l| &*l.owner != me && now_ms < l.until_ms)
    }

    /// The refresh token, if any.
    pub fn refresh_token(&self) -> Option<&RefreshToken> {
        self.tokens.refresh_token.as_ref()
    }

    /// Same access and refresh token (the version, expiry and lease may differ).
    pub fn same_tokens(&self, other: &TokenRecord) -> bool {
        self.tokens.access_token == other.tokens.access_token
            && self.tokens.refresh_token == other.tokens.refresh_token
    }
}

fn ms(v: &Value) -> Option<u64> {
    v.as_f64()
        .filter(|n| (0.0..9.0e15).contains(n))
        .map(|n| n as u64)
}

fn malformed() -> Error {
    Error::new(
        ErrorCode::StoreError,
        "store.load(): tokens are not a token record ({ accessToken, refreshToken?, expiresAt?, \
         … })",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(expires_at: Option<u64>, obtained: Option<u64>) -> TokenRecord {
        let mut tokens = TokenSet::bearer("at");
        tokens.expires_at_ms = expires_at;
        tokens.refresh_token = Some("rt".into());
        TokenRecord {
            tokens,
            obtained_at_ms: obtained,
            lease: None,
        }
    }

    #[test]
    fn refresh_point_is_skew_before_expiry_with_a_half_lifetime_floor() {
        // One hour token, 60 s skew: due 60 s before expiry.
        assert_eq!(
            record(Some(3_600_000), Some(0)).refresh_point(60_000),
            Some(3_540_000)
        );
        // 60 s token, 60 s skew: not before 30 s (half its life), in every instance.
        assert_eq!(
            record(Some(1_060_000), Some(1_000_000)).refresh_point(60_000),
            Some(1_030_000)
        );
        // Obtained time unknown (a record from an older version): the skew alone.
        assert_eq!(record(Some(60_000), None).refresh_point(60_000), Some(0));
        assert_eq!(record(None, Some(5)).refresh_point(60_000), None);
    }

    #[test]
    fn persisted_shape_round_trips_and_old_records_read() {
        let mut r = record(Some(99), Some(7));
        r.lease = Some(Lease {
            owner: "me".into(),
            until_ms: 1234,
        });
        let v = r.to_persisted();
        assert_eq!(v["accessToken"], "at");
        assert_eq!(v["refreshToken"], "rt");
        assert_eq!(v["expiresAt"], 99);
        assert_eq!(v["obtainedAt"], 7);
        assert_eq!(v["refreshLease"]["owner"], "me");
        assert_eq!(v["refreshLease"]["until"], 1234);
        assert_eq!(TokenRecord::from_persisted(v).unwrap(), r);
        let old = serde_json::json!({ "accessToken": "at", "expiresAt": 5.5 });
        let r = TokenRecord::from_persisted(old.into()).unwrap();
        assert_eq!((r.obtained_at_ms, r.lease), (None, None));
        assert_eq!(r.tokens.expires_at_ms, Some(5));
        for junk in [
            serde_json::json!(null),
            serde_json::json!("x"),
            serde_json::json!({ "accessToken": 1 }),
            serde_json::json!({ "accessToken": "" }),
        ] {
            assert_eq!(
                TokenRecord::from_persisted(junk.into()).unwrap_err().code,
                ErrorCode::StoreError
            );
        }
    }

    #[test]
    fn a_lease_is_live_for_others_until_it_ends() {
        let r = record(None, None).with_lease(Some(Lease {
            owner: "a".into(),
            until_ms: 100,
        }));
        assert!(r.live_lease_of_other("b", 99).is_some());
        assert!(r.live_lease_of_other("b", 100).is_none());
        assert!(r.live_lease_of_other("a", 50).is_none());
    }
}
