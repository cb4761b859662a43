//! How a provider API request gets its credentials: one abstraction over the three ways the
//! seed providers ask for them, so every provider client builds plain requests and hands them
//! here.
//!
//! - [`Credentials::OAuth1`]: an RFC 5849 signature (ZapEvent's OAuth 1 generation, OneRoster
//!   1.1 signed directly).
//! - [`Credentials::QueryParams`]: secret query parameters (ZapEvent's Login method sends
//!   `tmp_key` and `tmp_secret` on every call). They travel in the URL, so [`redact_url`]
//!   exists for anything that must show one.
//! - [`Credentials::Bearer`]: a static `Authorization: Bearer` token (the ClassLink proxy).
//! - [`Credentials::SessionBearer`]: `Authorization: Bearer` from a token session, which the
//!   host's session attaches itself because it owns refresh and the one retry after a 401.

use crate::core::error::Result;
use crate::core::form::rfc3986_encode;
use crate::core::http::Request;
use crate::core::oauth1::signature::SigningKey;
use crate::core::oauth1::{RequestBody, SignableRequest, SignatureMethod, Signer};
use crate::core::secret::{AccessToken, Secret};

/// Credentials of a provider API client.
#[derive(Debug)]
pub enum Credentials {
    /// Signs every request (the key is derived once).
    OAuth1 {
        /// Consumer and token credentials plus the signing choices.
        signer: Box<Signer>,
        /// `signer`'s derived key.
        key: SigningKey,
    },
    /// Appended to every request's query, in this order.
    QueryParams(Vec<(&'static str, Secret)>),
    /// `Authorization: Bearer` with this token (the ClassLink proxy's console token, a
    /// client-credentials token).
    Bearer(AccessToken),
    /// Attached by the token session that sends the request.
    SessionBearer,
}

impl Credentials {
    /// OAuth 1.0a credentials from a configured signer.
    pub fn oauth1(signer: Signer) -> Self {
        Credentials::OAuth1 {
            key: signer.signing_key(),
            signer: Box::new(signer),
        }
    }

    /// True when [`Credentials::apply`] needs a nonce and a timestamp (HMAC signatures).
    pub fn needs_entropy(&self) -> bool {
        matches!(self, Credentials::OAuth1 { signer, .. } if signer.signature_method != SignatureMethod::Plaintext)
    }

    /// The request with its credentials in place. `nonce` and `timestamp` come from the host
    /// (see [`Credentials::needs_entropy`]); PLAINTEXT omits them, as ZapEvent asks.
    pub fn apply(
        &self,
        request: Request,
        nonce: Option<&str>,
        timestamp: Option<u64>,
    ) -> Result<Request> {
        match self {
            Credentials::OAuth1 { signer, key } => {
                let form = request
                    .header("content-type")
                    .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
                let body = match (&request.body, form) {
                    (None, _) => RequestBody::Empty,
                    (Some(b), true) => RequestBody::Form(b),
                    (Some(b), false) => RequestBody::Other(b),
                };
                let signable = SignableRequest {
                    method: &request.method,
                    url: &request.url,
                    body,
                    ..Default::default()
                };
                let signed = signer.sign_with_key(key, &signable, nonce, timestamp)?;
                let mut out = signed.request;
                // Keep the caller's other headers (Accept, …) beside the signature.
                for (name, value) in request.headers {
                    if out.header(&name).is_none() {
                        out.headers.push((name, value));
                    }
                }
                Ok(out)
            }
            Credentials::QueryParams(params) => {
                let mut request = request;
                let mut url = request.url;
                for (name, value) in params {
                    url.push(if url.contains('?') { '&' } else { '?' });
                    url.push_str(name);
                    url.push('=');
                    url.push_str(&rfc3986_encode(value.expose().as_bytes()));
                }
                request.url = url;
                Ok(request)
            }
            Credentials::Bearer(token) => {
                let mut request = request;
                request
                    .headers
                    .retain(|(n, _)| !n.eq_ignore_ascii_case("authorization"));
                // RFC 6750 §2.1; the scheme is always written `Bearer`.
                request.headers.push((
                    "Authorization".into(),
                    crate::core::text::concat(&["Bearer ", token.expose()]),
                ));
                Ok(request)
            }
            Credentials::SessionBearer => Ok(request),
        }
    }
}

/// `url` with the values of the named query parameters replaced by `[redacted]`, for error
/// messages and logs (ZapEvent's `tmp_secret` and `password` ride in query strings).
pub fn redact_url(url: &str, secret_params: &[&str]) -> String {
    let (head, query) = match url.split_once('?') {
        Some(parts) => parts,
        None => return url.to_owned(),
    };
    let (query, fragment) = match query.split_once('#') {
        Some((q, f)) => (q, Some(f)),
        None => (query, None),
    };
    let mut out = String::with_capacity(url.len());
    out.push_str(head);
    for (i, pair) in query.split('&').enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        let name = pair.split('=').next().unwrap_or_default();
        let secret = secret_params.iter().any(|s| s.eq_ignore_ascii_case(name))
            || name.starts_with("oauth_signature");
        if secret && pair.contains('=') {
            out.push_str(name);
            out.push_str("=[redacted]");
        } else {
            out.push_str(pair);
        }
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(url: &str) -> Request {
        Request {
            method: "GET".into(),
            url: url.into(),
            headers: vec![("Accept".into(), "application/xml".into())],
            body: None,
        }
    }

    #[test]
    fn query_params_are_appended_encoded() {
        let creds = Credentials::QueryParams(vec![
            ("tmp_key", Secret::new("k 1")),
            ("tmp_secret", Secret::new("s&=/")),
        ]);
        let out = creds
            .apply(
                get("https://z.example/api/event/getevents?format=xml"),
                None,
                None,
            )
            .unwrap();
        assert_eq!(
            out.url,
            "https://z.example/api/event/getevents?format=xml&tmp_key=k%201&tmp_secret=s%26%3D%2F"
        );
        let bare = creds.apply(get("https://z.example/a"), None, None).unwrap();
        assert!(bare.url.starts_with("https://z.example/a?tmp_key="));
    }

    #[test]
    fn oauth1_plaintext_signs_without_entropy_and_keeps_headers() {
        let mut signer = Signer::new("ck", "cs").with_token("t", "ts");
        signer.signature_method = SignatureMethod::Plaintext;
        let creds = Credentials::oauth1(signer);
        assert!(!creds.needs_entropy());
        let out = creds
            .apply(get("https://z.example/a?x=1"), None, None)
            .unwrap();
        let auth = out.header("authorization").unwrap();
        assert!(auth.contains("oauth_signature=\"cs%26ts\""), "{auth}");
        assert!(!auth.contains("oauth_nonce"));
        assert_eq!(out.header("accept"), Some("application/xml"));
    }

    #[test]
    fn hmac_needs_entropy() {
        let creds = Credentials::oauth1(Signer::new("ck", "cs"));
        assert!(creds.needs_entropy());
        assert!(creds.apply(get("https://z.example/a"), None, None).is_err());
        assert!(creds
            .apply(
                get("https://z.example/a"),
                Some("n0nce"),
                Some(1_300_000_000)
            )
            .is_ok());
    }

    #[test]
    fn redaction_hides_only_the_named_values() {
        assert_eq!(
            redact_url(
                "https://z.example/a?format=xml&tmp_key=k&TMP_SECRET=s%20x&password=p#f",
                &["tmp_secret", "password"]
            ),
            "https://z.example/a?format=xml&tmp_key=k&TMP_SECRET=[redacted]&password=[redacted]#f"
        );
        assert_eq!(
            redact_url("https://z.example/a", &["x"]),
            "https://z.example/a"
        );
    }
}
