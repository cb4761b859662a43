//! Provider presets as `OAuth2Client` factories: each seed provider's quirks (client
//! authentication, encodings, extra headers, units) chosen in `core::providers`, not by users.

use super::error::{invalid_argument, to_js};
use super::host::{get, opt_bool, opt_string, req_string, url_string, Clock, Fetcher};
use super::oauth2_client::OAuth2Client;
use crate::core::oauth2::client::ClientConfig;
use crate::core::providers::{omnifund, orc, priava, zapevent};
use crate::core::secret::ClientSecret;
use wasm_bindgen::prelude::*;

fn base_url(options: &JsValue, default: Option<&str>) -> Result<String, JsValue> {
    let v = get(options, "baseUrl")?;
    if v.is_undefined() || v.is_null() {
        return default
            .map(str::to_owned)
            .ok_or_else(|| invalid_argument("option 'baseUrl' is required"));
    }
    // The presets append their paths themselves: no trailing slash.
    Ok(url_string(&v, "baseUrl")?.trim_end_matches('/').to_owned())
}

fn finish(mut config: ClientConfig, options: &JsValue) -> Result<OAuth2Client, JsValue> {
    config.allow_insecure = opt_bool(options, "allowInsecureRequests")?.unwrap_or(false);
    config.validate().map_err(to_js)?;
    let clock = Clock::from_options(options)?.unwrap_or_else(Clock::host);
    Ok(OAuth2Client::from_config(
        config,
        Fetcher::from_options(options)?,
        clock,
    ))
}

#[wasm_bindgen]
impl OAuth2Client {
    /// Online Registration Center: refresh with `Basic base64(id:secret)` as its document shows,
    /// `expires_in` in hours, the refresh token under `access_refresh_token`. Its first tokens
    /// come from its console: hand them to `TokenSession.signIn`.
    #[wasm_bindgen(js_name = onlineRegistrationCenter)]
    pub fn online_registration_center(
        #[wasm_bindgen(
            unchecked_param_type = "{ clientId: string; clientSecret: string; baseUrl?: string; now?: () => number } & TransportOptions"
        )]
        options: JsValue,
    ) -> Result<OAuth2Client, JsValue> {
        let base = base_url(&options, Some(orc::BASE_URL))?;
        let config = orc::client(
            &base,
            req_string(&options, "clientId")?,
            req_string(&options, "clientSecret")?,
        )
        .map_err(to_js)?;
        finish(config, &options)
    }

    /// Priava: authorization code + refresh with `client_secret_post`, the `TenantRegion`
    /// header (`APAC`, `EU` or `US`) and `redirect_uri` on every token request.
    pub fn priava(
        #[wasm_bindgen(
            unchecked_param_type = "{ baseUrl: string; region: \"APAC\" | \"EU\" | \"US\"; clientId: string; clientSecret: string; redirectUri: string; now?: () => number } & TransportOptions"
        )]
        options: JsValue,
    ) -> Result<OAuth2Client, JsValue> {
        let base = base_url(&options, None)?;
        let region =
            priava::TenantRegion::parse(&req_string(&options, "region")?).map_err(to_js)?;
        let config = priava::client(
            &base,
            region,
            req_string(&options, "clientId")?,
            req_string(&options, "clientSecret")?,
            req_string(&options, "redirectUri")?,
        )
        .map_err(to_js)?;
        finish(config, &options)
    }

    /// OmniFund: password grant + refresh, client credentials in the body.
    #[wasm_bindgen(js_name = omniFund)]
    pub fn omni_fund(
        #[wasm_bindgen(
            unchecked_param_type = "{ baseUrl: string; clientId: string; clientSecret: string; now?: () => number } & TransportOptions"
        )]
        options: JsValue,
    ) -> Result<OAuth2Client, JsValue> {
        let base = base_url(&options, None)?;
        let config = omnifund::client(
            &base,
            req_string(&options, "clientId")?,
            req_string(&options, "clientSecret")?,
        )
        .map_err(to_js)?;
        finish(config, &options)
    }

    /// ZapEvent's OAuth 2 generation: authorization at `oauth2/Authorize` (RFC 6749 names plus
    /// the document's `oauth_consumer_key`, `oauth_callback`, `responce_type`), the code
    /// exchanged by a form POST to `OAuth2/RequestToken` with `client_id` (and `client_secret`)
    /// in the body. Use the session with `ZapEvent.oauth2(session)`.
    #[wasm_bindgen(js_name = zapEvent)]
    pub fn zap_event(
        #[wasm_bindgen(
            unchecked_param_type = "{ clientId: string; clientSecret?: string; baseUrl?: string; now?: () => number } & TransportOptions"
        )]
        options: JsValue,
    ) -> Result<OAuth2Client, JsValue> {
        let base = base_url(&options, Some(zapevent::BASE_URL))?;
        let allow_insecure = opt_bool(&options, "allowInsecureRequests")?.unwrap_or(false);
        let config = zapevent::oauth2_client(
            &base,
            req_string(&options, "clientId")?,
            opt_string(&options, "clientSecret")?.map(ClientSecret::new),
            allow_insecure,
        )
        .map_err(to_js)?;
        finish(config, &options)
    }
}
