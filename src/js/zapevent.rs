//! `ZapEvent`: the ZapEvent API client (`core::providers::zapevent`) over the three ways in:
//! an OAuth 1.0a access token, the Login method's temporary keys, or an OAuth 2 `TokenSession`.
//! Requests are built, validated and parsed in the core; this file sends them and hands the
//! records over through `records.rs` (XML and CSV as a tape per page, JSON typed in place).

use super::error::{invalid_argument, invalid_option, to_js};
use super::host::{get, opt_bool, opt_string, req_string, url_string, Fetcher};
use super::oauth1_flow::OAuth1Flow;
use super::oauth1_signer::signer_from_options;
use super::paging::{paged_list, ListSource, PagingOptions, PAGING_OPTIONS};
use super::records::first_record;
use super::token_session::TokenSession;
use super::transport::Transport;
use crate::core::credentials::Credentials;
use crate::core::http::{Request, Response};
use crate::core::oauth1::SignatureMethod;
use crate::core::paging::{PageRequest, Scheme};
use crate::core::parse::typed::ListBody;
use crate::core::providers::zapevent::{
    self as core_zap, params, wire, Api, Format, Generation, Method, ParamValue, Query,
};
use crate::core::text::concat;
use js_sys::{Object, Promise};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

struct Client {
    api: Api,
    transport: Transport,
}

impl Client {
    fn format(&self, options: &JsValue) -> Result<Format, JsValue> {
        match field(options, "format")? {
            v if v.is_undefined() || v.is_null() => Ok(self.api.format),
            v => Format::parse(
                &v.as_string()
                    .ok_or_else(|| invalid_argument("option 'format' must be a string"))?,
            )
            .map_err(to_js),
        }
    }
}

/// A ZapEvent API client. Create one with `ZapEvent.oauth1`, `ZapEvent.login` or
/// `ZapEvent.oauth2`; every list method returns a `PagedList`.
#[wasm_bindgen]
pub struct ZapEvent {
    client: Rc<Client>,
}

#[wasm_bindgen]
impl ZapEvent {
    /// The OAuth 1 generation with an OAuth 1.0a access token (from `ZapEvent.oauth1Flow`):
    /// HMAC-SHA1 (default) or PLAINTEXT, in the header (default), the query or the body.
    pub fn oauth1(
        #[wasm_bindgen(unchecked_param_type = "ZapEventOAuth1Options")] options: JsValue,
    ) -> Result<ZapEvent, JsValue> {
        let mut signer = signer_from_options(&options, true)?;
        if signer.token.is_none() {
            return Err(invalid_option(
                "token",
                "option 'token' is required (an access token from ZapEvent.oauth1Flow)",
            ));
        }
        check_signature_method(signer.signature_method)?;
        if signer.placement == crate::core::oauth1::Placement::Body {
            // RFC 5849 §3.5.2 needs a form body; every ZapEvent API method is a GET.
            return Err(invalid_option("placement", "placement 'body' needs a form body and the ZapEvent API methods are GETs: use 'header' or 'query' (oauth1Flow accepts 'body')"));
        }
        let api = api_from(&options, Generation::OAuth1)?;
        signer.allow_insecure = api.allow_insecure;
        let fetcher = Fetcher::from_options(&options)?;
        Ok(ZapEvent::new(
            api,
            Transport::fetch(fetcher, Credentials::oauth1(signer)),
        ))
    }

    /// The Login method: `POST rest/login` with the account's username and password; the
    /// temporary keys it returns go on every call as `tmp_key` / `tmp_secret`. They work with
    /// either generation (`generation`, default `"oauth1"`).
    #[wasm_bindgen(unchecked_return_type = "Promise<ZapEvent>")]
    pub fn login(
        #[wasm_bindgen(unchecked_param_type = "ZapEventLoginOptions")] options: JsValue,
    ) -> Promise {
        crate::js::promise(async move { login(options).await.map(JsValue::from) })
    }

    /// The OAuth 2 generation (`getnew*` methods) through a `TokenSession` of
    /// `OAuth2Client.zapEvent(…)`: Bearer attached, refreshed when due, one retry after a 401.
    pub fn oauth2(
        session: &TokenSession,
        #[wasm_bindgen(unchecked_optional_param_type = "Omit<ZapEventApiOptions, \"fetch\">")]
        options: Option<JsValue>,
    ) -> Result<ZapEvent, JsValue> {
        let options = options.unwrap_or(JsValue::UNDEFINED);
        if !field(&options, "fetch")?.is_undefined() {
            return Err(invalid_option(
                "fetch",
                "ZapEvent.oauth2 sends through the session: pass 'fetch' to the OAuth2Client or the TokenSession",
            ));
        }
        let api = api_from(&options, Generation::OAuth2)?;
        Ok(ZapEvent::new(api, Transport::Session(session.shared())))
    }

    /// The OAuth 1.0a three-legged flow with ZapEvent's endpoints (`oauth/RequestToken`,
    /// `oauth/authorize`, `oauth/AccessToken`; each overridable through `paths`).
    #[wasm_bindgen(js_name = oauth1Flow)]
    pub fn oauth1_flow(
        #[wasm_bindgen(unchecked_param_type = "ZapEventOAuth1FlowOptions")] options: JsValue,
    ) -> Result<OAuth1Flow, JsValue> {
        if let Some(m) = opt_string(&options, "signatureMethod")? {
            check_signature_method(SignatureMethod::parse(&m).map_err(to_js)?)?;
        }
        let api = api_from(&options, Generation::OAuth1)?;
        let flow_options = Object::new();
        for key in [
            "consumerKey",
            "consumerSecret",
            "signatureMethod",
            "placement",
            "realm",
            "includeVersion",
            "allowInsecureRequests",
            "fetch",
            "maxResponseBytes",
            "timeoutMs",
        ] {
            set(&flow_options, key, &get(&options, key)?);
        }
        let paths = get(&options, "paths")?;
        for (key, default) in [
            ("requestToken", core_zap::OAUTH1_REQUEST_TOKEN_PATH),
            ("authorize", core_zap::OAUTH1_AUTHORIZE_PATH),
            ("accessToken", core_zap::OAUTH1_ACCESS_TOKEN_PATH),
        ] {
            let path = path_option(&paths, key)?.unwrap_or_else(|| default.to_owned());
            let url = api.endpoint(&path).map_err(to_js)?;
            set(
                &flow_options,
                &concat(&[key, "Url"]),
                &JsValue::from_str(&url),
            );
        }
        OAuth1Flow::with_provider_errors(flow_options.into(), Some(wire::error_body))
    }

    /// One event with all its activities (`getevent` / `getnewevent`).
    #[wasm_bindgen(unchecked_return_type = "Promise<ZapEventEvent>")]
    pub fn event(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number | string")] event_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ZapEventEventOptions")] options: Option<
            JsValue,
        >,
    ) -> Promise {
        let client = self.client.clone();
        crate::js::promise(async move {
            let options = options.unwrap_or(JsValue::UNDEFINED);
            let mut args = method_options(Method::Event, &options, &["format"])?;
            args.insert(
                0,
                (
                    "eventId".into(),
                    param_value("eventId", &event_id)?
                        .ok_or_else(|| invalid_option("eventId", "eventId is required"))?,
                ),
            );
            let query =
                params::build(Method::Event, client.api.generation, &args).map_err(to_js)?;
            let format = client.format(&options)?;
            let request = client
                .api
                .request(Method::Event, &query, format, None)
                .map_err(to_js)?;
            let response = client
                .transport
                .send(request, &JsValue::UNDEFINED, Some(core_zap::PROVIDER))
                .await?;
            let event = wire::parse_event(format, &response).map_err(to_js)?;
            Ok(first_record(&event))
        })
    }

    /// Events (`getevents` / `getnewevents`), page by page.
    #[wasm_bindgen(unchecked_return_type = "PagedList<ZapEventEvent>")]
    pub fn events(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ZapEventEventsOptions")] options: Option<
            JsValue,
        >,
    ) -> Result<JsValue, JsValue> {
        self.list(Method::Events, options)
    }

    /// Event categories (`getcategories` / `getnewcategories`).
    #[wasm_bindgen(unchecked_return_type = "PagedList<ZapEventCategory>")]
    pub fn categories(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ZapEventCategoriesOptions")]
        options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        self.list(Method::Categories, options)
    }

    /// Registration questions of an event, an activity or one question (`getquestions` /
    /// `getnewquestions`).
    #[wasm_bindgen(unchecked_return_type = "PagedList<ZapEventQuestion>")]
    pub fn questions(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ZapEventQuestionsOptions")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        self.list(Method::Questions, Some(options))
    }

    /// Participants of an event or one of its activities (`getparticipants` /
    /// `getnewparticipants`); `afterRegistrationId` / `afterParticipantId` for incremental sync.
    #[wasm_bindgen(unchecked_return_type = "PagedList<ZapEventParticipant>")]
    pub fn participants(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ZapEventParticipantsOptions")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        self.list(Method::Participants, Some(options))
    }
}

impl ZapEvent {
    fn new(api: Api, transport: Transport) -> ZapEvent {
        ZapEvent {
            client: Rc::new(Client { api, transport }),
        }
    }

    /// Validates everything up front (a bad option throws here, before any request), then
    /// returns the run's `PagedList`.
    fn list(&self, method: Method, options: Option<JsValue>) -> Result<JsValue, JsValue> {
        let options = options.unwrap_or(JsValue::UNDEFINED);
        let args = method_options(method, &options, PAGING_OPTIONS)?;
        let query = params::build(method, self.client.api.generation, &args).map_err(to_js)?;
        let format = self.client.format(&options)?;
        let paging = PagingOptions::read(&options, Scheme::PageNumber, params::PAGE_SIZES)?;
        Ok(paged_list(
            ZapList {
                client: self.client.clone(),
                method,
                query,
                format,
            },
            paging,
        ))
    }
}

/// One list call: the request it repeats.
struct ZapList {
    client: Rc<Client>,
    method: Method,
    query: Query,
    format: Format,
}

impl ListSource for ZapList {
    fn request(&self, page: &PageRequest) -> crate::core::error::Result<Request> {
        self.client
            .api
            .request(self.method, &self.query, self.format, Some(page))
    }

    fn parse(&self, response: &Response) -> crate::core::error::Result<ListBody> {
        wire::read_list(self.method, self.format, response)
    }

    fn provider(&self) -> Option<&str> {
        Some(core_zap::PROVIDER)
    }

    fn transport(&self) -> &Transport {
        &self.client.transport
    }
}

async fn login(options: JsValue) -> Result<ZapEvent, JsValue> {
    let generation = match opt_string(&options, "generation")?.as_deref() {
        None | Some("oauth1") => Generation::OAuth1,
        Some("oauth2") => Generation::OAuth2,
        Some(_) => {
            return Err(invalid_option(
                "generation",
                "option 'generation' must be \"oauth1\" or \"oauth2\"",
            ))
        }
    };
    let api = api_from(&options, generation)?;
    let username = req_string(&options, "username")?;
    let password = crate::core::secret::Password::new(req_string(&options, "password")?);
    let login_format = match opt_string(&options, "loginFormat")? {
        Some(f) if f == "xml" || f == "json" => Format::parse(&f).map_err(to_js)?,
        Some(_) => {
            return Err(invalid_option(
                "loginFormat",
                "option 'loginFormat' must be \"xml\" or \"json\" (the Login method answers in no other)",
            ))
        }
        None => Format::Xml,
    };
    let fetcher = Fetcher::from_options(&options)?;
    let request = api
        .login_request(&username, password.expose(), login_format)
        .map_err(to_js)?;
    let response = fetcher.send(&request).await?;
    let (key, secret) = wire::parse_login(login_format, &response).map_err(to_js)?;
    let credentials = Credentials::QueryParams(vec![("tmp_key", key), ("tmp_secret", secret)]);
    Ok(ZapEvent::new(api, Transport::fetch(fetcher, credentials)))
}

fn check_signature_method(method: SignatureMethod) -> Result<(), JsValue> {
    if method == SignatureMethod::HmacSha256 {
        return Err(invalid_option(
            "signatureMethod",
            "option 'signatureMethod': ZapEvent documents HMAC-SHA1 and PLAINTEXT only",
        ));
    }
    Ok(())
}

/// `baseUrl`, `format`, `paths` and `allowInsecureRequests` of any factory.
fn api_from(options: &JsValue, generation: Generation) -> Result<Api, JsValue> {
    let base = match field(options, "baseUrl")? {
        v if v.is_undefined() || v.is_null() => core_zap::BASE_URL.to_owned(),
        v => url_string(&v, "baseUrl")?,
    };
    let allow_insecure = if options.is_object() {
        opt_bool(options, "allowInsecureRequests")?.unwrap_or(false)
    } else {
        false
    };
    let mut api = Api::new(&base, generation, allow_insecure).map_err(to_js)?;
    if let Some(f) = if options.is_object() {
        opt_string(options, "format")?
    } else {
        None
    } {
        api.format = Format::parse(&f).map_err(to_js)?;
    }
    let paths = field(options, "paths")?;
    if !paths.is_undefined() && !paths.is_null() {
        if !paths.is_object() {
            return Err(invalid_option(
                "paths",
                "option 'paths' must be an object of paths",
            ));
        }
        for key in Object::keys(paths.unchecked_ref::<Object>())
            .iter()
            .filter_map(|k| k.as_string())
        {
            let path = path_option(&paths, &key)?.unwrap_or_default();
            match Method::from_js_name(&key) {
                Some(method) => api.paths.push((method, path)),
                None if ["requestToken", "authorize", "accessToken"].contains(&key.as_str()) => {}
                None => {
                    return Err(invalid_option(
                        "paths",
                        &concat(&["unknown key '", &key, "' in option 'paths'"]),
                    ))
                }
            }
        }
    }
    Ok(api)
}

/// `paths[key]`: a string starting with `/`.
fn path_option(paths: &JsValue, key: &str) -> Result<Option<String>, JsValue> {
    let v = field(paths, key)?;
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    match v.as_string() {
        Some(p) if p.starts_with('/') && !p.contains(['?', '#']) => Ok(Some(p)),
        _ => Err(invalid_option(
            "paths",
            &concat(&["paths.", key, " must be a path starting with '/'"]),
        )),
    }
}

/// `options[key]`, `undefined` when `options` itself is absent.
fn field(options: &JsValue, key: &str) -> Result<JsValue, JsValue> {
    if options.is_undefined() || options.is_null() {
        Ok(JsValue::UNDEFINED)
    } else {
        get(options, key)
    }
}

fn set(obj: &Object, key: &str, value: &JsValue) {
    if !value.is_undefined() {
        let _ = js_sys::Reflect::set(obj, &JsValue::from_str(key), value);
    }
}

/// The method's own options (every key but `skip`), as core values; the core validates them.
fn method_options(
    method: Method,
    options: &JsValue,
    skip: &[&str],
) -> Result<Vec<(String, ParamValue)>, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(Vec::new());
    }
    if !options.is_object() {
        return Err(invalid_argument(&concat(&[
            method.js_name(),
            "() options must be an object",
        ])));
    }
    let mut out = Vec::new();
    for key in Object::keys(options.unchecked_ref::<Object>())
        .iter()
        .filter_map(|k| k.as_string())
    {
        if skip.contains(&key.as_str()) {
            continue;
        }
        if let Some(v) = param_value(&key, &get(options, &key)?)? {
            out.push((key, v));
        }
    }
    Ok(out)
}

/// A JS option value as a core value; `undefined` and `null` mean "not given".
fn param_value(key: &str, v: &JsValue) -> Result<Option<ParamValue>, JsValue> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    if let Some(s) = v.as_string() {
        return Ok(Some(ParamValue::Text(s)));
    }
    if let Some(n) = v.as_f64() {
        return Ok(Some(ParamValue::Number(n)));
    }
    if let Some(b) = v.as_bool() {
        return Ok(Some(ParamValue::Bool(b)));
    }
    if let Some(d) = v.dyn_ref::<js_sys::Date>() {
        // A Date is its UTC calendar date (what `new Date("2025-06-14")` means).
        if d.get_time().is_nan() {
            return Err(invalid_option(
                key,
                &concat(&["option '", key, "' is an invalid Date"]),
            ));
        }
        return Ok(Some(ParamValue::Date {
            year: d.get_utc_full_year() as i32,
            month: d.get_utc_month() + 1,
            day: d.get_utc_date(),
        }));
    }
    Err(invalid_option(
        key,
        &concat(&[
            "option '",
            key,
            "' must be a string, number, boolean or Date",
        ]),
    ))
}

#[wasm_bindgen(typescript_custom_section)]
const TS_ZAPEVENT: &'static str = r#"
/** Response format of the ZapEvent API. */
export type ZapEventFormat = "xml" | "json" | "csv";

/** Options shared by every ZapEvent factory. */
export interface ZapEventApiOptions extends TransportOptions {
  /** Default `https://www.zapevent.com/api`. */
  baseUrl?: string | URL;
  /** Default format of every call: `"xml"` for the OAuth 1 generation, `"json"` for OAuth 2. */
  format?: ZapEventFormat;
  /**
   * Paths replacing the documented ones, e.g. `{ questions: "/event/getnewquestion" }` (the
   * OAuth 2 part's singular spelling) or `{ authorize: "/oauth/Authorize" }`.
   */
  paths?: Partial<Record<"event" | "events" | "categories" | "questions" | "participants" | "login" | "requestToken" | "authorize" | "accessToken", string>>;
}

/** {@link ZapEvent.oauth1}: consumer credentials and an access token. */
export interface ZapEventOAuth1Options extends ZapEventApiOptions {
  consumerKey: string;
  consumerSecret: string;
  token: string;
  tokenSecret: string;
  /** `"HMAC-SHA1"` (default) or `"PLAINTEXT"` (nonce and timestamp omitted, as ZapEvent asks). */
  signatureMethod?: "HMAC-SHA1" | "PLAINTEXT";
  /** Default `"header"`. */
  placement?: Placement;
  realm?: string;
  includeVersion?: boolean;
}

/** {@link ZapEvent.oauth1Flow}. */
export interface ZapEventOAuth1FlowOptions extends ZapEventApiOptions {
  consumerKey: string;
  consumerSecret: string;
  signatureMethod?: "HMAC-SHA1" | "PLAINTEXT";
  placement?: Placement;
  realm?: string;
  includeVersion?: boolean;
}

/** {@link ZapEvent.login}: the account's credentials (secret: never logged). */
export interface ZapEventLoginOptions extends ZapEventApiOptions {
  username: string;
  password: string;
  /** Which method names the keys are used with (default `"oauth1"`: `getevent`, …). */
  generation?: "oauth1" | "oauth2";
  /** Format of the login response (default `"xml"`, as documented; or `"json"`). */
  loginFormat?: "xml" | "json";
}

/** A date parameter: a `Date` (its UTC calendar date), `"YYYY-MM-DD"` or ZapEvent's `"MM-DD-YYYY"`. */
export type ZapEventDate = Date | string;
type ZapSort<F extends string> = F | `${F} ASC` | `${F} DESC`;

export interface ZapEventEventOptions {
  /** Only activities that occur in the future. */
  futureActivitiesOnly?: boolean;
  format?: ZapEventFormat;
}

export interface ZapEventEventsOptions extends PagingOptions {
  format?: ZapEventFormat;
  /** Include activities (default true for OAuth 1, false for OAuth 2, as documented). */
  activities?: boolean;
  sort?: ZapSort<"name" | "eventtype" | "date">;
  name?: string;
  startDate?: ZapEventDate;
  endDate?: ZapEventDate;
  createdSince?: ZapEventDate;
  createdOnOrBefore?: ZapEventDate;
  state?: string;
  country?: string;
  /** One of the document's event types, e.g. `"Running/Walking"`. */
  eventType?: string;
  /** OAuth 1 generation only. */
  eventStatus?: "all" | "public" | "private";
}

export interface ZapEventCategoriesOptions extends PagingOptions {
  format?: ZapEventFormat;
  sort?: ZapSort<"category">;
  /** Only categories with at least one future event. */
  futureEventCategories?: boolean;
}

/** At least one of `eventId`, `activityId`, `questionId`. */
export interface ZapEventQuestionsOptions extends PagingOptions {
  format?: ZapEventFormat;
  eventId?: number;
  activityId?: number;
  questionId?: number;
}

export interface ZapEventParticipantsOptions extends PagingOptions {
  format?: ZapEventFormat;
  eventId: number;
  activityId?: number;
  sort?: ZapSort<"registration_id" | "registration_date" | "age" | "first_name" | "last_name" | "gender" | "participant_id">;
  /** Incremental sync: only registrations after this id. */
  afterRegistrationId?: number;
  /** Incremental sync: only registrations after this participant id. */
  afterParticipantId?: number;
  searchFirstName?: string;
  searchLastName?: string;
  searchEmail?: string;
}

/**
 * Fields ZapEvent sends that the document does not name are kept under their own names.
 * Dates are ISO 8601 (`YYYY-MM-DD`), `T`/`F` are booleans, ids and amounts are numbers.
 */
export interface ZapEventRecord {
  [field: string]: unknown;
}

export interface ZapEventQuestion extends ZapEventRecord {
  question_id?: number;
  event_id?: number;
  activity_id?: number;
  question?: string;
  question_type?: string;
  required?: boolean;
  options?: string[];
}

export interface ZapEventActivity extends ZapEventRecord {
  activity_id?: number;
  name?: string;
  start_date?: string;
  end_date?: string;
  price?: number;
  questions?: ZapEventQuestion[];
}

export interface ZapEventEvent extends ZapEventRecord {
  event_id: number;
  name?: string;
  event_type?: string;
  event_status?: string;
  start_date?: string;
  end_date?: string;
  created?: string;
  state?: string;
  country?: string;
  /** Absent in CSV, which cannot nest. */
  activities?: ZapEventActivity[];
}

export interface ZapEventCategory extends ZapEventRecord {
  category_id?: number;
  category?: string;
  event_count?: number;
}

export interface ZapEventParticipant extends ZapEventRecord {
  registration_id?: number;
  participant_id?: number;
  event_id?: number;
  activity_id?: number;
  first_name?: string;
  last_name?: string;
  email?: string;
  gender?: string;
  age?: number;
  registration_date?: string;
  amount_paid?: number;
  payment_status?: string;
  checked_in?: boolean;
}
"#;
