//! `OmniFund.tokenLogin`: the document's "Token Login" (a POST with the access token in the
//! Authorization header) through a `TokenSession` of `OAuth2Client.omniFund(…)`, its answer
//! typed (`core::providers::omnifund`).

use super::error::to_js;
use super::host::url_string;
use super::records::first_record;
use super::token_session::{send_core, TokenSession};
use crate::core::providers::omnifund::{parse_token_login, token_login_request};
use js_sys::Promise;
use wasm_bindgen::prelude::*;

/// OmniFund calls beyond the OAuth 2 preset.
#[wasm_bindgen]
pub struct OmniFund;

#[wasm_bindgen]
impl OmniFund {
    /// Logs the user in to OmniFund with the session's access token (refreshed when due, once
    /// more after a 401). The document does not name the login endpoint: pass its `url`.
    #[wasm_bindgen(js_name = tokenLogin, unchecked_return_type = "Promise<OmniFundLogin>")]
    pub fn token_login(
        session: &TokenSession,
        #[wasm_bindgen(
            unchecked_param_type = "{ url: string | URL; allowInsecureRequests?: boolean }"
        )]
        options: JsValue,
    ) -> Promise {
        let shared = session.shared();
        crate::js::promise(async move {
            let url = url_string(&super::host::get(&options, "url")?, "url")?;
            let allow_insecure =
                super::host::opt_bool(&options, "allowInsecureRequests")?.unwrap_or(false);
            let request = token_login_request(&url, allow_insecure).map_err(to_js)?;
            let response = send_core(&shared, &request, &JsValue::UNDEFINED).await?;
            Ok(first_record(&parse_token_login(&response).map_err(to_js)?))
        })
    }
}

#[wasm_bindgen(typescript_custom_section)]
const TS_OMNIFUND: &'static str = r#"
/** The answer of {@link OmniFund.tokenLogin}. */
export interface OmniFundLogin {
  loggedIn: true;
  status: number;
  /** The login response's body: JSON as sent, other text as a string, none as `null`. */
  data: unknown;
}
"#;
