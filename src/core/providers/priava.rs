//! Priava (seed 003): authorization code + refresh on a tenant's own base URL, with a
//! mandatory `TenantRegion` header, client_secret_post, and `redirect_uri` on refresh too.
//!
//! Quirks, each absorbed by a setting of [`client`]:
//! - `TenantRegion: [ APAC | EU | US ]` on every token request → `extra_headers`, validated by
//!   [`TenantRegion`] (tokens belong to the region of their code exchange).
//! - `client_id` and `client_secret` travel in the body → [`ClientAuth::Post`].
//! - The refresh request carries `redirect_uri` as well → `extra_token_params` (the code
//!   exchange already has it, so it is not repeated there).
//! - `"token_type" : "BEARER"` (upper case) and `expires_in` in seconds (21600 = 6 hours):
//!   parsed as is; API calls send `Authorization: Bearer …`.
//! - 400 `{"error","error_description"}` on problems: RFC 6749 §5.2 mapping.
//! - The authorization endpoint `/rest/oauth/authorize` is not in the seed (it says the code
//!   is "generated in Priava"); it is the simulator's and the usual path.

use super::endpoint;
use crate::core::error::{Error, Result};
use crate::core::oauth2::{ClientAuth, ClientConfig};

/// Provider name on errors.
pub const PROVIDER: &str = "priava";

/// The `TenantRegion` header value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TenantRegion {
    /// `APAC`
    Apac,
    /// `EU`
    Eu,
    /// `US`
    Us,
}

impl TenantRegion {
    /// Parses `APAC`, `EU` or `US` (exactly, as the header must carry it).
    pub fn parse(value: &str) -> Result<Self> {
        match value {
            "APAC" => Ok(TenantRegion::Apac),
            "EU" => Ok(TenantRegion::Eu),
            "US" => Ok(TenantRegion::Us),
            _ => Err(Error::invalid_argument(
                "Priava tenantRegion must be APAC, EU or US",
            )),
        }
    }

    /// The header value.
    pub fn as_str(self) -> &'static str {
        match self {
            TenantRegion::Apac => "APAC",
            TenantRegion::Eu => "EU",
            TenantRegion::Us => "US",
        }
    }
}

/// The Priava client for a tenant: token endpoint `{base_url}/rest/oauth/token`,
/// authorization endpoint `{base_url}/rest/oauth/authorize`.
pub fn client(
    base_url: &str,
    region: TenantRegion,
    client_id: impl Into<String>,
    client_secret: impl Into<crate::core::secret::ClientSecret>,
    redirect_uri: impl Into<String>,
) -> Result<ClientConfig> {
    let mut c = ClientConfig::new(client_id, endpoint(base_url, "/rest/oauth/token", false)?)
        .with_secret(client_secret)
        .with_auth(ClientAuth::Post);
    c.authorize_url = Some(endpoint(base_url, "/rest/oauth/authorize", false)?);
    c.extra_headers = vec![("TenantRegion".into(), region.as_str().into())];
    c.extra_token_params = vec![("redirect_uri".into(), redirect_uri.into())];
    c.provider = Some(PROVIDER.into());
    c.validate()?;
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::http::Response;
    use crate::core::oauth2::{parse_token_response, token_request, Grant};

    fn priava() -> ClientConfig {
        client(
            "http://127.0.0.1:8787/priava",
            TenantRegion::parse("EU").unwrap(),
            "xxxxxxxx",
            "yyyyyyyy",
            "https://my.app.com/oauth2callback",
        )
        .unwrap()
    }

    #[test]
    fn requests_match_the_seed() {
        let c = priava();
        let expected_headers: Vec<(String, String)> = vec![
            (
                "Content-Type".into(),
                "application/x-www-form-urlencoded".into(),
            ),
            ("Accept".into(), "application/json".into()),
            ("TenantRegion".into(), "EU".into()),
        ];
        // Seed: grant_type=refresh_token&client_id=xxxxxxxx&client_secret=yyyyyyyy
        //       &refresh_token=zzzzzzzz&redirect_uri=https://my.app.com/oauth2callback
        let refresh = token_request(
            &c,
            &Grant::RefreshToken {
                refresh_token: "zzzzzzzz".into(),
                scope: None,
            },
        )
        .unwrap();
        assert_eq!(refresh.url, "http://127.0.0.1:8787/priava/rest/oauth/token");
        assert_eq!(refresh.headers, expected_headers);
        assert_eq!(
            refresh.body.as_deref(),
            Some(
                &b"grant_type=refresh_token&refresh_token=zzzzzzzz&client_id=xxxxxxxx\
                   &client_secret=yyyyyyyy&redirect_uri=https%3A%2F%2Fmy.app.com%2Foauth2callback"
                    [..]
            )
        );
        // Seed: grant_type=authorization_code&client_id=…&client_secret=…&code=zzzzzzzz
        //       &redirect_uri=https://my.app.com/oauth2callback (redirect_uri once).
        let code = token_request(
            &c,
            &Grant::AuthorizationCode {
                code: "zzzzzzzz".into(),
                redirect_uri: Some("https://my.app.com/oauth2callback".into()),
                code_verifier: None,
            },
        )
        .unwrap();
        assert_eq!(code.headers, expected_headers);
        assert_eq!(
            code.body.as_deref(),
            Some(
                &b"grant_type=authorization_code&code=zzzzzzzz\
                   &redirect_uri=https%3A%2F%2Fmy.app.com%2Foauth2callback\
                   &client_id=xxxxxxxx&client_secret=yyyyyyyy"[..]
            )
        );
        assert_eq!(
            c.authorize_url.as_deref(),
            Some("http://127.0.0.1:8787/priava/rest/oauth/authorize")
        );
    }

    #[test]
    fn region_is_validated() {
        for r in ["APAC", "EU", "US"] {
            assert_eq!(TenantRegion::parse(r).unwrap().as_str(), r);
        }
        for bad in ["eu", "EMEA", "", "EU "] {
            assert!(TenantRegion::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn seed_response_and_error() {
        let c = priava();
        let ok = Response {
            status: 200,
            headers: vec![],
            body: br#"{ "access_token": "xxxxxxxx", "refresh_token": "yyyyyyyy", "token_type" : "BEARER", "expires_in": 21600 }"#.to_vec(),
        };
        let t = parse_token_response(&c, &ok, 0).unwrap();
        assert!(t.is_bearer());
        assert_eq!(t.expires_at_ms, Some(21_600_000));
        let err = parse_token_response(
            &c,
            &Response {
                status: 400,
                headers: vec![],
                body: br#"{ "error": "error_code", "error_description" : "A human readable error message" }"#.to_vec(),
            },
            0,
        )
        .unwrap_err();
        assert_eq!(err.provider.as_deref(), Some("priava"));
        assert_eq!(err.provider_code.as_deref(), Some("error_code"));
    }
}
