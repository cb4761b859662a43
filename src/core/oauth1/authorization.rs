//! RFC 5849 §3.1 and §3.5: the [`Signer`], which assembles the protocol parameters, signs, and
//! places them in the `Authorization` header (§3.5.1), the form body (§3.5.2) or the query
//! (§3.5.3).

use super::base_string::{normalize_method, signature_base_string};
use super::signature::{SignatureMethod, SigningKey};
use crate::core::error::{Error, Result};
use crate::core::form::{ascii_string, rfc3986_encode_bytes};
use crate::core::http::Request;
use crate::core::secret::{ClientSecret, Secret, TokenSecret};
use crate::core::text::decimal;
use crate::core::url::Url;

/// Where the protocol parameters travel (RFC 5849 §3.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Placement {
    /// §3.5.1 `Authorization: OAuth …` (the one ZapEvent and OneRoster require for API calls).
    #[default]
    Header,
    /// §3.5.2 appended to an `application/x-www-form-urlencoded` body.
    Body,
    /// §3.5.3 appended to the query string.
    Query,
}

impl Placement {
    /// Parses `header`, `body` or `query`.
    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "header" => Ok(Placement::Header),
            "body" => Ok(Placement::Body),
            "query" => Ok(Placement::Query),
            _ => Err(Error::invalid_argument(
                "placement must be header, body or query",
            )),
        }
    }
}

/// The body of a request to sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RequestBody<'a> {
    /// No body.
    #[default]
    Empty,
    /// An `application/x-www-form-urlencoded` body: its parameters are signed (§3.4.1.3.1).
    Form(&'a [u8]),
    /// Any other body: not signed, unless `body_hash` adds `oauth_body_hash`.
    Other(&'a [u8]),
}

/// One request to sign.
#[derive(Debug, Clone, Copy, Default)]
pub struct SignableRequest<'a> {
    /// HTTP method, any case.
    pub method: &'a str,
    /// Absolute URL, query included.
    pub url: &'a str,
    /// The body.
    pub body: RequestBody<'a>,
    /// `oauth_callback` (temporary credentials request, §2.1).
    pub callback: Option<&'a str>,
    /// `oauth_verifier` (token credentials request, §2.3).
    pub verifier: Option<&'a str>,
    /// Adds `oauth_body_hash` for an [`RequestBody::Other`] body.
    pub body_hash: bool,
}

/// The result of signing: the request to send, and what was signed (for debugging and tests).
#[derive(Debug, Clone)]
pub struct SignedRequest {
    /// The request with the protocol parameters placed.
    pub request: Request,
    /// The signature base string (§3.4.1). Contains no secret. `None` for PLAINTEXT, which
    /// signs no base string (§3.4.4): skipping it is most of a PLAINTEXT signature's cost.
    pub base_string: Option<String>,
    /// `oauth_signature`, unencoded. For PLAINTEXT this *is* the secrets: never log it.
    pub signature: Secret,
}

/// Client (and optional token) credentials plus the signing choices.
#[derive(Debug, Clone)]
pub struct Signer {
    /// `oauth_consumer_key`.
    pub consumer_key: String,
    /// Client shared-secret.
    pub consumer_secret: ClientSecret,
    /// `oauth_token`, absent for two-legged requests and the temporary credentials request.
    pub token: Option<String>,
    /// Token shared-secret (empty when there is no token).
    pub token_secret: TokenSecret,
    /// Signature method.
    pub signature_method: SignatureMethod,
    /// Where the protocol parameters go.
    pub placement: Placement,
    /// `realm` for the Authorization header (§3.5.1); never signed.
    pub realm: Option<String>,
    /// Send `oauth_version="1.0"` (optional per §3.1; ZapEvent's examples send it).
    pub include_version: bool,
    /// Allow `http:` to non-loopback hosts (test rigs only).
    pub allow_insecure: bool,
}

impl Signer {
    /// A signer with HMAC-SHA1 in the header, `oauth_version` sent, HTTPS required.
    pub fn new(consumer_key: impl Into<String>, consumer_secret: impl Into<ClientSecret>) -> Self {
        Signer {
            consumer_key: consumer_key.into(),
            consumer_secret: consumer_secret.into(),
            token: None,
            token_secret: TokenSecret::default(),
            signature_method: SignatureMethod::HmacSha1,
            placement: Placement::Header,
            realm: None,
            include_version: true,
            allow_insecure: false,
        }
    }

    /// Sets the token credentials.
    pub fn with_token(
        mut self,
        token: impl Into<String>,
        token_secret: impl Into<TokenSecret>,
    ) -> Self {
        self.token = Some(token.into());
        self.token_secret = token_secret.into();
        self
    }

    /// Signs `req`. `nonce` and `timestamp` (seconds since the epoch) come from the host; both
    /// are required for HMAC methods and may be `None` for PLAINTEXT (RFC 5849 §3.1; the
    /// ZapEvent seed says to omit them).
    pub fn sign(
        &self,
        req: &SignableRequest<'_>,
        nonce: Option<&str>,
        timestamp: Option<u64>,
    ) -> Result<SignedRequest> {
        self.sign_with_key(&self.signing_key(), req, nonce, timestamp)
    }

    /// The derived signing key of these credentials, for [`Signer::sign_with_key`].
    pub fn signing_key(&self) -> SigningKey {
        SigningKey::new(
            self.signature_method,
            &self.consumer_secret,
            &self.token_secret,
        )
    }

    /// [`Signer::sign`] with a key derived earlier by [`Signer::signing_key`] (long-lived
    /// signers derive it once). The key must come from this signer's current credentials.
    pub fn sign_with_key(
        &self,
        key: &SigningKey,
        req: &SignableRequest<'_>,
        nonce: Option<&str>,
        timestamp: Option<u64>,
    ) -> Result<SignedRequest> {
        if self.consumer_key.is_empty() {
            return Err(Error::invalid_argument("consumerKey must not be empty"));
        }
        let url = Url::parse(req.url)?;
        url.require_secure(self.allow_insecure)?;
        let method = normalize_method(req.method)?;
        let hmac = self.signature_method != SignatureMethod::Plaintext;
        if hmac && (nonce.is_none() || timestamp.is_none()) {
            return Err(Error::invalid_argument(
                "HMAC signatures need a nonce and a timestamp",
            ));
        }
        if nonce.is_some_and(|n| n.is_empty() || !n.bytes().all(|b| b.is_ascii_graphic())) {
            return Err(Error::invalid_argument(
                "nonce must be non-empty printable ASCII",
            ));
        }
        if req.body_hash && !matches!(req.body, RequestBody::Other(_)) {
            return Err(Error::invalid_argument(
                "bodyHash applies to non-form bodies only (form parameters are signed directly)",
            ));
        }
        let form_body = match req.body {
            RequestBody::Form(b) => Some(b),
            _ => None,
        };
        if self.placement == Placement::Body {
            if matches!(req.body, RequestBody::Other(_)) {
                return Err(Error::invalid_argument(
                    "placement 'body' needs a form-urlencoded body (RFC 5849 §3.5.2)",
                ));
            }
            if method == "GET" || method == "HEAD" {
                return Err(Error::invalid_argument(
                    "placement 'body' cannot be used with GET or HEAD",
                ));
            }
        }

        let timestamp = timestamp.map(decimal);
        let body_hash = match (req.body_hash, req.body) {
            (true, RequestBody::Other(b)) => Some(self.signature_method.body_hash(b)?),
            _ => None,
        };
        let mut params: Vec<(&str, &str)> = Vec::with_capacity(10);
        params.push(("oauth_consumer_key", &self.consumer_key));
        if let Some(token) = &self.token {
            params.push(("oauth_token", token));
        }
        params.push(("oauth_signature_method", self.signature_method.as_str()));
        if let Some(ts) = &timestamp {
            params.push(("oauth_timestamp", ts));
        }
        if let Some(nonce) = nonce {
            params.push(("oauth_nonce", nonce));
        }
        if let Some(callback) = req.callback {
            params.push(("oauth_callback", callback));
        }
        if let Some(verifier) = req.verifier {
            params.push(("oauth_verifier", verifier));
        }
        if self.include_version {
            params.push(("oauth_version", "1.0"));
        }
        if let Some(hash) = &body_hash {
            params.push(("oauth_body_hash", hash));
        }

        let base_string = if hmac {
            Some(signature_base_string(&method, &url, form_body, &params)?)
        } else {
            None
        };
        let signature = key.sign(base_string.as_deref().unwrap_or_default());
        params.push(("oauth_signature", &signature));

        let mut headers = Vec::with_capacity(2);
        let mut out_url = url.with_extra_query("");
        let mut body = match req.body {
            RequestBody::Empty => None,
            RequestBody::Form(b) | RequestBody::Other(b) => Some(b.to_vec()),
        };
        match self.placement {
            Placement::Header => {
                headers.push(("Authorization".into(), self.authorization_header(&params)?))
            }
            Placement::Query => out_url = url.with_extra_query(&encode_pairs(&params)),
            Placement::Body => {
                let mut form = body.take().unwrap_or_default();
                if !form.is_empty() {
                    form.push(b'&');
                }
                form.extend_from_slice(encode_pairs(&params).as_bytes());
                body = Some(form);
            }
        }
        if form_body.is_some() || self.placement == Placement::Body {
            headers.push((
                "Content-Type".into(),
                "application/x-www-form-urlencoded".into(),
            ));
        }
        Ok(SignedRequest {
            request: Request {
                method,
                url: out_url,
                headers,
                body,
            },
            base_string,
            signature: Secret::new(signature),
        })
    }

    /// §3.5.1: `OAuth realm="…", name="enc(value)", …`.
    fn authorization_header(&self, params: &[(&str, &str)]) -> Result<String> {
        let mut out = Vec::with_capacity(320);
        out.extend_from_slice(b"OAuth ");
        if let Some(realm) = &self.realm {
            // realm is an RFC 2617 quoted-string, not percent-encoded: `"` and `\` are escaped
            // as quoted-pairs; control and non-ASCII characters cannot be carried at all.
            if realm.bytes().any(|b| !(b' '..0x7f).contains(&b)) {
                return Err(Error::invalid_argument("realm must be printable ASCII"));
            }
            out.extend_from_slice(b"realm=\"");
            for b in realm.bytes() {
                if b == b'"' || b == b'\\' {
                    out.push(b'\\');
                }
                out.push(b);
            }
            out.extend_from_slice(b"\", ");
        }
        for (i, (name, value)) in params.iter().enumerate() {
            if i > 0 {
                out.extend_from_slice(b", ");
            }
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b"=\"");
            rfc3986_encode_bytes(&mut out, value.as_bytes());
            out.push(b'"');
        }
        Ok(ascii_string(out))
    }
}

fn encode_pairs(params: &[(&str, &str)]) -> String {
    let mut out = Vec::with_capacity(256);
    for (i, (name, value)) in params.iter().enumerate() {
        if i > 0 {
            out.push(b'&');
        }
        rfc3986_encode_bytes(&mut out, name.as_bytes());
        out.push(b'=');
        rfc3986_encode_bytes(&mut out, value.as_bytes());
    }
    ascii_string(out)
}
