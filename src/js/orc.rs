//! `OnlineRegistrationCenter.roster`: the Event Roster Request (`core::providers::orc::roster`)
//! through a `TokenSession` of `OAuth2Client.onlineRegistrationCenter(…)`: the access token goes
//! in the form body beside the raw Basic client header, as the ORC document asks, and the
//! session still refreshes (and rotates) when it is due or rejected.

use super::error::{invalid_argument, to_js};
use super::host::get;
use super::token_session::{with_access_token, TokenSession};
use crate::core::providers::orc::roster::{read_roster, roster_request};
use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The Online Registration Center's Registration Data API.
#[wasm_bindgen]
pub struct OnlineRegistrationCenter;

#[wasm_bindgen]
impl OnlineRegistrationCenter {
    /// All attendees of a module (`POST /roster/` with `module_id`, optional `export_id`, the
    /// access token and the Basic client header). An `export_id` that is not a "Registration
    /// Data" template is `INVALID_ARGUMENT` with the provider's message.
    #[wasm_bindgen(unchecked_return_type = "Promise<OrcAttendee[]>")]
    pub fn roster(
        session: &TokenSession,
        #[wasm_bindgen(unchecked_param_type = "{ moduleId: number; exportId?: number }")]
        options: JsValue,
    ) -> Promise {
        let shared = session.shared();
        crate::js::promise(async move {
            let id = |key: &str| -> Result<Option<u64>, JsValue> {
                let v = get(&options, key)?;
                if v.is_undefined() || v.is_null() {
                    return Ok(None);
                }
                match v.as_f64() {
                    Some(n) if n.fract() == 0.0 && (0.0..=9.0e15).contains(&n) => {
                        Ok(Some(n as u64))
                    }
                    _ => Err(invalid_argument(&crate::core::text::concat(&[
                        "option '",
                        key,
                        "' must be a non-negative integer",
                    ]))),
                }
            };
            let module_id =
                id("moduleId")?.ok_or_else(|| invalid_argument("option 'moduleId' is required"))?;
            let export_id = id("exportId")?;
            let config = shared.client_config().clone();
            // The roster lives next to the token endpoint: `{base}/token/` → `{base}/roster/`.
            let trimmed = config.token_url.trim_end_matches('/');
            let base = trimmed.strip_suffix("/token").unwrap_or(trimmed).to_owned();
            let (func, this) = shared.fetcher().parts();
            let send = |token: &crate::core::oauth2::BearerToken| match roster_request(
                &config,
                &base,
                token.token(),
                module_id,
                export_id,
            ) {
                Ok(request) => func
                    .call2(
                        this,
                        &JsValue::from_str(&request.url),
                        &shared.fetcher().request_init(&request, &JsValue::UNDEFINED),
                    )
                    .map(|p| p.unchecked_into::<Promise>())
                    .unwrap_or_else(|e| Promise::reject(&e)),
                Err(e) => Promise::reject(&to_js(e)),
            };
            let response = with_access_token(&shared, &send).await?;
            let response = shared.fetcher().read(&response, &base).await?;
            let attendees = read_roster(&response).map_err(to_js)?;
            Ok(super::records::read(attendees, &response)?.items.into())
        })
    }
}

#[wasm_bindgen(typescript_custom_section)]
const TS_ORC: &'static str = r#"
/** An attendee of an Online Registration Center roster; every other field is kept as sent. */
export interface OrcAttendee {
  module_id?: number;
  summary?: string;
  module_city?: string;
  module_state?: string;
  /** ISO 8601 date. */
  start_date?: string;
  trackno?: string;
  /** ISO 8601 date-time. */
  trxdate?: string;
  lname?: string;
  fname?: string;
  email?: string;
  [field: string]: unknown;
}
"#;
