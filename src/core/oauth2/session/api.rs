//! One API call through the session (RFC 6750): a 401 with a token believed valid refreshes
//! once and retries once; 429/503 retry with the policy's backoff, then `RATE_LIMITED`.

use super::Session;
use crate::core::error::{Error, ErrorCode};
use crate::core::http::parse_retry_after;
use crate::core::oauth2::retry::is_retryable_status;
use crate::core::text::{concat, decimal};

/// What an API answered, for [`ApiCall::on_response`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiResponse<'a> {
    /// The HTTP status.
    pub status: u16,
    /// The `WWW-Authenticate` header, if any.
    pub www_authenticate: Option<&'a str>,
    /// The `Retry-After` header, if any.
    pub retry_after: Option<&'a str>,
    /// The access token the request carried.
    pub used_access_token: &'a str,
}

/// What to do with an API response.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ApiStep {
    /// Hand the response to the caller as it is.
    Done,
    /// Get a token again (the session refreshes, or hands out the one another caller or
    /// instance already got) and send the request again.
    RetryWithNewToken,
    /// Wait `delay_ms`, then send the request again.
    Retry {
        /// How long to wait.
        delay_ms: u64,
    },
    /// Raise this error (`RATE_LIMITED` with `retryAfter`).
    Fail(Error),
}

/// The state of one API call: attempts so far and whether its one 401 retry is spent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ApiCall {
    attempts: u32,
    auth_retried: bool,
}

impl ApiCall {
    /// A call before its first attempt.
    pub fn new() -> Self {
        Self::default()
    }

    /// Classifies the answer to one attempt. A 401 marks the token rejected in `session` (so
    /// that the next token is a refreshed one, once per token across all callers) and retries
    /// once — unless this call already did, the challenge says a refresh cannot help
    /// (`insufficient_scope`, `invalid_request`, RFC 6750 §3.1), or there is no refresh token
    /// (a static token: the 401 goes to the caller).
    pub fn on_response(
        &mut self,
        session: &mut Session,
        response: &ApiResponse<'_>,
        random: u32,
        now_ms: u64,
    ) -> ApiStep {
        self.attempts += 1;
        if response.status == 401 {
            let hopeless = response
                .www_authenticate
                .and_then(bearer_error)
                .is_some_and(|e| {
                    e.eq_ignore_ascii_case("insufficient_scope")
                        || e.eq_ignore_ascii_case("invalid_request")
                });
            if self.auth_retried || hopeless || !session.reject(response.used_access_token) {
                return ApiStep::Done;
            }
            self.auth_retried = true;
            return ApiStep::RetryWithNewToken;
        }
        if !is_retryable_status(response.status) {
            return ApiStep::Done;
        }
        let retry_after_ms = response
            .retry_after
            .and_then(|v| parse_retry_after(v, now_ms));
        match session
            .config()
            .retry
            .delay_ms(self.attempts, retry_after_ms, random)
        {
            Some(delay_ms) => ApiStep::Retry { delay_ms },
            None => ApiStep::Fail(
                Error::new(
                    ErrorCode::RateLimited,
                    concat(&[
                        "the API is rate limiting (HTTP ",
                        &decimal(response.status.into()),
                        ")",
                    ]),
                )
                .with_status(response.status)
                .with_retry_after(retry_after_ms.map(|ms| ms as f64 / 1000.0)),
            ),
        }
    }
}

/// The `error` auth-param of a `WWW-Authenticate: Bearer …` challenge (RFC 6750 §3), read as
/// RFC 7235 §2.1 auth-params: `name=token` or `name="quoted-string"`, a quoted-pair unescaped
/// and a comma inside quotes part of the value (found by the `www_authenticate` fuzz target:
/// both used to flip whether a 401 is retried). A malformed list stops the scan: `None`.
fn bearer_error(header: &str) -> Option<String> {
    let rest = header.trim_start();
    let scheme_end = rest.find([' ', '\t']).unwrap_or(rest.len());
    if !rest[..scheme_end].eq_ignore_ascii_case("bearer") {
        return None;
    }
    let mut params = &rest[scheme_end..];
    loop {
        params = params.trim_start_matches([' ', '\t', ',']);
        if params.is_empty() {
            return None;
        }
        let eq = params.find('=')?;
        let name = params[..eq].trim();
        let after = params[eq + 1..].trim_start();
        let value = if let Some(quoted) = after.strip_prefix('"') {
            let mut value = String::new();
            let mut chars = quoted.char_indices();
            let mut end = None;
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next().map(|(_, escaped)| escaped)),
                    '"' => {
                        end = Some(i + 1);
                        break;
                    }
                    c => value.push(c),
                }
            }
            params = &quoted[end?..];
            value
        } else {
            let end = after.find(',').unwrap_or(after.len());
            params = &after[end..];
            after[..end].trim().to_owned()
        };
        if name.eq_ignore_ascii_case("error") {
            return Some(value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::bearer_error;

    #[test]
    fn bearer_error_param() {
        // RFC 6750 §3 examples.
        assert_eq!(
            bearer_error(
                r#"Bearer realm="example", error="invalid_token", error_description="The access token expired""#
            ),
            Some("invalid_token".into())
        );
        assert_eq!(bearer_error(r#"Bearer realm="example""#), None);
        assert_eq!(
            bearer_error(r#"bearer error="insufficient_scope""#),
            Some("insufficient_scope".into())
        );
        assert_eq!(
            bearer_error("Bearer error=invalid_token"),
            Some("invalid_token".into())
        );
        assert_eq!(bearer_error(r#"Basic realm="x", error="y""#), None);
        // RFC 7230 §3.2.6 quoted-pair and a comma inside a quoted string.
        assert_eq!(
            bearer_error(r#"Bearer error="in\sufficient_scope""#),
            Some("insufficient_scope".into())
        );
        assert_eq!(
            bearer_error(r#"Bearer error_description="a, error=x", error="invalid_token""#),
            Some("invalid_token".into())
        );
        assert_eq!(bearer_error(r#"Bearer error="unterminated"#), None);
    }
}
