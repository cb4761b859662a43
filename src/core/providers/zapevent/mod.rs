//! ZapEvent (seed 001): events, categories, questions and participants in XML, JSON or CSV,
//! through either API generation, as request/parse pairs over [`Credentials`].
//!
//! - `params`: the ten API methods, their documented parameters and validation.
//! - `records`: one record shape whatever the wire format (dates, booleans, numbers, arrays).
//! - `wire`: XML / JSON / CSV bodies → records and page metadata; the Login response.
//! - `errors`: `<error><error_code>…` bodies → typed errors.
//!
//! Choices where the document is silent or contradicts itself are written next to the code
//! and collected in `docs/providers/zapevent.md`.
//!
//! [`Credentials`]: crate::core::credentials::Credentials

pub mod errors;
pub mod params;
pub mod records;
pub mod wire;

use crate::core::error::{Error, Result};
use crate::core::form::rfc3986_encode;
use crate::core::http::Request;
use crate::core::paging::PageRequest;
use crate::core::text::{concat, decimal};
pub use params::{Method, ParamValue, Query};

/// Production base URL; every path below is relative to it.
pub const BASE_URL: &str = "https://www.zapevent.com/api";
/// Provider name on errors.
pub const PROVIDER: &str = "zapevent";

/// OAuth 1.0a endpoints. The document writes the authorize step as `oauth/Authorize` (the
/// registration page), `oauth/authorize` (its resource URL) and the token step as
/// `oauth/access_token` (a heading) and `oauth/AccessToken` (its resource URL): the resource
/// URLs are used; every path can be overridden.
pub const OAUTH1_REQUEST_TOKEN_PATH: &str = "/oauth/RequestToken";
/// See [`OAUTH1_REQUEST_TOKEN_PATH`].
pub const OAUTH1_AUTHORIZE_PATH: &str = "/oauth/authorize";
/// See [`OAUTH1_REQUEST_TOKEN_PATH`].
pub const OAUTH1_ACCESS_TOKEN_PATH: &str = "/oauth/AccessToken";
/// OAuth 2 authorization endpoint (resource URL `oauth2/Authorize`; its example says
/// `oauth2/Authorization`).
pub const OAUTH2_AUTHORIZE_PATH: &str = "/oauth2/Authorize";
/// OAuth 2 token endpoint (resource URL `OAuth2/RequestToken`; its example GETs
/// `oauth/RequestToken` with query parameters).
pub const OAUTH2_TOKEN_PATH: &str = "/OAuth2/RequestToken";
/// The Login method.
pub const LOGIN_PATH: &str = "/rest/login";

/// Which API generation a client speaks: the OAuth 1 one (`getevent`, …, default XML) or the
/// OAuth 2 one (`getnewevent`, …, default JSON). The Login method's keys work with both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generation {
    /// `event/get*` methods.
    OAuth1,
    /// `event/getnew*` methods.
    OAuth2,
}

/// Response format (`format` parameter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `xml`.
    Xml,
    /// `json`.
    Json,
    /// `csv`: flat, so nested activities and questions are absent.
    Csv,
}

impl Format {
    /// Parses `xml` / `json` / `csv` (any case).
    pub fn parse(name: &str) -> Result<Format> {
        match name.to_ascii_lowercase().as_str() {
            "xml" => Ok(Format::Xml),
            "json" => Ok(Format::Json),
            "csv" => Ok(Format::Csv),
            _ => Err(invalid("format", "must be \"xml\", \"json\" or \"csv\"")),
        }
    }

    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Xml => "xml",
            Format::Json => "json",
            Format::Csv => "csv",
        }
    }

    /// The `Accept` header matching the format.
    fn accept(self) -> &'static str {
        match self {
            Format::Xml => "application/xml, text/xml;q=0.9, */*;q=0.1",
            Format::Json => "application/json, */*;q=0.1",
            Format::Csv => "text/csv, */*;q=0.1",
        }
    }
}

/// The API of one account: base URL, generation and default format.
#[derive(Debug, Clone)]
pub struct Api {
    /// Base URL without a trailing slash (production: [`BASE_URL`]).
    pub base_url: String,
    /// Which method names to call.
    pub generation: Generation,
    /// Format when a call does not choose one: the document's defaults are XML for the OAuth 1
    /// generation and JSON for the OAuth 2 one.
    pub format: Format,
    /// Allow `http:` to non-loopback hosts (test rigs only).
    pub allow_insecure: bool,
    /// Method paths replacing the documented ones (e.g. the OAuth 2 part's singular
    /// `/event/getnewquestion`).
    pub paths: Vec<(Method, String)>,
}

impl Api {
    /// An API at `base_url` (checked against the HTTPS rule) with the generation's default format.
    pub fn new(base_url: &str, generation: Generation, allow_insecure: bool) -> Result<Api> {
        super::endpoint(base_url, "/", allow_insecure)?;
        Ok(Api {
            base_url: base_url.trim_end_matches('/').to_owned(),
            generation,
            format: match generation {
                Generation::OAuth1 => Format::Xml,
                Generation::OAuth2 => Format::Json,
            },
            allow_insecure,
            paths: Vec::new(),
        })
    }

    /// The path of `method`: an override, else the documented one of the generation.
    pub fn path(&self, method: Method) -> &str {
        self.paths
            .iter()
            .find(|(m, _)| *m == method)
            .map_or(method.path(self.generation), |(_, p)| p.as_str())
    }

    /// The GET request of `method` with a validated `query`, for `page` when it is a list.
    pub fn request(
        &self,
        method: Method,
        query: &Query,
        format: Format,
        page: Option<&PageRequest>,
    ) -> Result<Request> {
        let mut url = concat(&[
            &self.base_url,
            self.path(method),
            "?format=",
            format.as_str(),
        ]);
        for (name, value) in &query.params {
            url.push('&');
            url.push_str(name);
            url.push('=');
            url.push_str(&rfc3986_encode(value.as_bytes()));
        }
        if let Some(page) = page {
            url.push_str("&page=");
            url.push_str(&decimal(page.page));
            url.push_str("&results_per_page=");
            url.push_str(&decimal(page.limit));
        }
        Ok(Request {
            method: "GET".into(),
            url,
            headers: vec![("Accept".into(), format.accept().into())],
            body: None,
        })
    }

    /// The Login method: `POST rest/login?format=…` with `username` and `password` in the form
    /// body. The response holds `tmp_key` / `tmp_secret` (see [`wire::parse_login`]).
    pub fn login_request(&self, username: &str, password: &str, format: Format) -> Result<Request> {
        if username.is_empty() {
            return Err(invalid("username", "must not be empty"));
        }
        if password.is_empty() {
            return Err(invalid("password", "must not be empty"));
        }
        if format == Format::Csv {
            return Err(invalid(
                "format",
                "the Login method answers in xml or json only",
            ));
        }
        let body = crate::core::form::serialize([("username", username), ("password", password)]);
        Ok(Request {
            method: "POST".into(),
            url: concat(&[
                &self.base_url,
                self.path(Method::Login),
                "?format=",
                format.as_str(),
            ]),
            headers: vec![
                (
                    "Content-Type".into(),
                    "application/x-www-form-urlencoded".into(),
                ),
                ("Accept".into(), format.accept().into()),
            ],
            body: Some(body.into_bytes()),
        })
    }

    /// `base_url` + `path`, checked against the HTTPS rule (OAuth endpoints).
    pub fn endpoint(&self, path: &str) -> Result<String> {
        super::endpoint(&self.base_url, path, self.allow_insecure)
    }
}

/// The OAuth 2 generation's client: authorization at `oauth2/Authorize`, the code exchanged
/// by a form POST to `OAuth2/RequestToken` with `client_id` and `client_secret` in the body
/// (the document lists `client_id` in the token request and no client authentication scheme).
/// The authorization request carries RFC 6749's names *and* the document's
/// (`oauth_consumer_key`, `oauth_callback`, the misspelt `responce_type`): a server reading
/// either finds what it needs, and unknown parameters are ignored by both kinds.
#[cfg(feature = "oauth2")]
pub fn oauth2_client(
    base_url: &str,
    client_id: impl Into<String>,
    client_secret: Option<crate::core::secret::ClientSecret>,
    allow_insecure: bool,
) -> Result<crate::core::oauth2::ClientConfig> {
    use crate::core::oauth2::{ClientAuth, ClientConfig};
    let token_url = super::endpoint(base_url, OAUTH2_TOKEN_PATH, allow_insecure)?;
    let mut c = ClientConfig::new(client_id, token_url);
    c.auth = match client_secret {
        Some(secret) => {
            c.client_secret = Some(secret);
            ClientAuth::Post
        }
        None => ClientAuth::None,
    };
    c.authorize_url = Some(super::endpoint(
        base_url,
        OAUTH2_AUTHORIZE_PATH,
        allow_insecure,
    )?);
    c.authorize_param_aliases = vec![
        ("oauth_consumer_key", "client_id"),
        ("oauth_callback", "redirect_uri"),
        ("responce_type", "response_type"),
    ];
    c.provider = Some(PROVIDER.into());
    c.allow_insecure = allow_insecure;
    c.validate()?;
    Ok(c)
}

/// `INVALID_ARGUMENT` naming the JS option.
pub(crate) fn invalid(option: &str, why: &str) -> Error {
    let mut e = Error::invalid_argument(concat(&["ZapEvent option '", option, "' ", why]))
        .with_provider(PROVIDER);
    e.params_mut().invalid.push(option.to_owned());
    e
}

#[cfg(test)]
mod tests;
