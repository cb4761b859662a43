//! `OneRoster`: IMS OneRoster rostering (`core::providers::oneroster`) in its three ways in:
//! `OneRoster.direct` (1.1, two-legged OAuth 1.0a, HMAC-SHA256 by default), `OneRoster.classLinkProxy`
//! (1.1 through ClassLink's proxy with the console's Bearer token) and `OneRoster.v1p2` (OAuth 2
//! client credentials). Every list is a `PagedList` paged by offset/limit, `X-Total-Count` and
//! `Link: rel="next"`; `OneRosterFilter` builds `filter` expressions.

use super::error::{invalid_argument, string_arg, to_js};
use super::host::{get, opt_bool, opt_string, req_string, url_string, Clock, Fetcher};
use super::oauth1_signer::signer_from_options;
use super::oauth2_client::OAuth2Client;
use super::paging::{paged_list, ListSource, PagingOptions};
use super::records::first_record;
use super::transport::{ClientCredentialsToken, Transport};
use crate::core::credentials::Credentials;
use crate::core::error::Result as CoreResult;
use crate::core::http::{Request, Response};
use crate::core::oauth1::SignatureMethod;
use crate::core::paging::{PageRequest, Scheme};
use crate::core::parse::typed::ListBody;
use crate::core::providers::classlink;
use crate::core::providers::oneroster::filter::{Filter, Op};
use crate::core::providers::oneroster::{
    self as core_or, wire, Api, Collection, ListQuery, Order, Target,
};
use crate::core::text::concat;
use js_sys::{Array, Promise};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

struct Client {
    api: Api,
    transport: Transport,
    provider: &'static str,
}

/// A OneRoster rostering client; create one with `OneRoster.direct`, `OneRoster.classLinkProxy`
/// or `OneRoster.v1p2`.
#[wasm_bindgen]
pub struct OneRoster {
    client: Rc<Client>,
}

#[wasm_bindgen]
impl OneRoster {
    /// OneRoster 1.1 on a district's server, signed with two-legged OAuth 1.0a in the
    /// Authorization header (HMAC-SHA256 unless `signatureMethod: "HMAC-SHA1"`).
    pub fn direct(
        #[wasm_bindgen(unchecked_param_type = "OneRosterDirectOptions")] options: JsValue,
    ) -> Result<OneRoster, JsValue> {
        let renamed = js_sys::Object::new();
        for (from, to) in [
            ("clientId", "consumerKey"),
            ("clientSecret", "consumerSecret"),
        ] {
            let _ = js_sys::Reflect::set(&renamed, &to.into(), &get(&options, from)?);
        }
        let mut signer = signer_from_options(&renamed.into(), false)?;
        signer.signature_method = match opt_string(&options, "signatureMethod")?.as_deref() {
            None | Some("HMAC-SHA256") => SignatureMethod::HmacSha256,
            Some("HMAC-SHA1") => SignatureMethod::HmacSha1,
            Some(_) => {
                return Err(invalid_argument(
                    "OneRoster signatureMethod must be \"HMAC-SHA256\" or \"HMAC-SHA1\"",
                ))
            }
        };
        let allow_insecure = opt_bool(&options, "allowInsecureRequests")?.unwrap_or(false);
        signer.allow_insecure = allow_insecure;
        let base = versioned(
            &url_string(&get(&options, "baseUrl")?, "baseUrl")?,
            core_or::V1P1_PATH,
        );
        let api = Api::new(&base, allow_insecure).map_err(to_js)?;
        let transport = Transport::fetch(
            Fetcher::from_options(&options)?,
            Credentials::oauth1(signer),
        );
        Ok(OneRoster::new(api, transport, core_or::PROVIDER))
    }

    /// OneRoster 1.1 through the ClassLink proxy (`{baseUrl}/{appId}/ims/oneroster/v1p1/…`)
    /// with the developer console's access token. It never expires and cannot be refreshed:
    /// a 401 is `INVALID_CREDENTIALS` asking you to renew it in the console.
    #[wasm_bindgen(js_name = classLinkProxy)]
    pub fn class_link_proxy(
        #[wasm_bindgen(unchecked_param_type = "OneRosterProxyOptions")] options: JsValue,
    ) -> Result<OneRoster, JsValue> {
        let base = match get(&options, "baseUrl")? {
            v if v.is_undefined() || v.is_null() => classlink::BASE_URL.to_owned(),
            v => url_string(&v, "baseUrl")?,
        };
        let allow_insecure = opt_bool(&options, "allowInsecureRequests")?.unwrap_or(false);
        let root =
            classlink::oneroster_base_url(&base, &req_string(&options, "appId")?).map_err(to_js);
        // `oneroster_base_url` applies the HTTPS rule without the opt-out; honour it here.
        let root = match root {
            Ok(r) => r,
            Err(_) if allow_insecure => concat(&[
                base.trim_end_matches('/'),
                "/",
                &req_string(&options, "appId")?,
                core_or::V1P1_PATH,
            ]),
            Err(e) => return Err(e),
        };
        let api = Api::new(&root, allow_insecure).map_err(to_js)?;
        let token = crate::core::secret::AccessToken::new(req_string(&options, "accessToken")?);
        let transport =
            Transport::fetch(Fetcher::from_options(&options)?, Credentials::Bearer(token));
        Ok(OneRoster::new(api, transport, classlink::PROVIDER))
    }

    /// OneRoster 1.2 with an OAuth 2 client-credentials token (HTTP Basic client
    /// authentication, the `scope` URIs; default `roster-core.readonly`), fetched when missing
    /// or due and once more after a 401. There is no refresh token in this grant.
    pub fn v1p2(
        #[wasm_bindgen(unchecked_param_type = "OneRosterV1p2Options")] options: JsValue,
    ) -> Result<OneRoster, JsValue> {
        let allow_insecure = opt_bool(&options, "allowInsecureRequests")?.unwrap_or(false);
        let base = versioned(
            &url_string(&get(&options, "baseUrl")?, "baseUrl")?,
            core_or::V1P2_PATH,
        );
        let api = Api::new(&base, allow_insecure).map_err(to_js)?;
        let token_url = url_string(&get(&options, "tokenUrl")?, "tokenUrl")?;
        let config = core_or::oauth2_client(
            &token_url,
            req_string(&options, "clientId")?,
            req_string(&options, "clientSecret")?,
            allow_insecure,
        )
        .map_err(to_js)?;
        let scope = match get(&options, "scope")? {
            v if v.is_undefined() || v.is_null() => core_or::SCOPE_ROSTER_CORE_READONLY.to_owned(),
            v if v.is_string() => v.as_string().unwrap_or_default(),
            v if Array::is_array(&v) => {
                let parts: Option<Vec<String>> =
                    Array::from(&v).iter().map(|s| s.as_string()).collect();
                parts
                    .ok_or_else(|| {
                        invalid_argument("option 'scope' must be a string or an array of strings")
                    })?
                    .join(" ")
            }
            _ => {
                return Err(invalid_argument(
                    "option 'scope' must be a string or an array of strings",
                ))
            }
        };
        crate::core::oauth2::scope::validate_scope(&scope).map_err(to_js)?;
        let clock = Clock::from_options(&options)?.unwrap_or_else(Clock::host);
        let client =
            OAuth2Client::from_config(config, Fetcher::from_options(&options)?, clock).shared();
        let transport =
            Transport::ClientCredentials(ClientCredentialsToken::new(client, Some(scope)));
        Ok(OneRoster::new(api, transport, core_or::PROVIDER))
    }

    /// A collection, page by page (typed in the `.d.ts` per collection).
    #[wasm_bindgen(skip_typescript)]
    pub fn list(&self, collection: JsValue, options: Option<JsValue>) -> Result<JsValue, JsValue> {
        let options = options.unwrap_or(JsValue::UNDEFINED);
        let collection = string_arg(&collection, "collection")?;
        let collection = Collection::parse(&collection).map_err(to_js)?;
        let target = match field(&options, "parent")? {
            v if v.is_undefined() || v.is_null() => Target::Collection(collection),
            v => {
                // Reflect (a throw is an error here): `Array.from` would run a Proxy's traps
                // where a throw unwinds through wasm.
                let item = |i| {
                    js_sys::Reflect::get_u32(&v, i)
                        .ok()
                        .and_then(|x| x.as_string())
                };
                let (Some(parent), Some(id)) = (item(0), item(1)) else {
                    return Err(invalid_argument(
                        "option 'parent' must be [collection, sourcedId], e.g. [\"schools\", id]",
                    ));
                };
                Target::nested(Collection::parse(&parent).map_err(to_js)?, &id, collection)
                    .map_err(to_js)?
            }
        };
        let query = list_query(&options)?;
        let paging = PagingOptions::read(&options, Scheme::OffsetLimit, core_or::PAGE_SIZES)?;
        Ok(paged_list(
            RosterList {
                client: self.client.clone(),
                target,
                query,
            },
            paging,
        ))
    }

    /// One record by `sourcedId` (typed in the `.d.ts` per collection).
    #[wasm_bindgen(skip_typescript)]
    pub fn get(&self, collection: JsValue, sourced_id: JsValue) -> Promise {
        let client = self.client.clone();
        crate::js::promise(async move {
            let collection = string_arg(&collection, "collection")?;
            let sourced_id = string_arg(&sourced_id, "sourcedId")?;
            let target = Collection::parse(&collection)
                .and_then(|c| core_or::check_id(&sourced_id).map(|_| Target::Record(c, sourced_id)))
                .map_err(to_js)?;
            let request = client
                .api
                .request(&target, &ListQuery::default(), None)
                .map_err(to_js)?;
            let response = client
                .transport
                .send(request, &JsValue::UNDEFINED, Some(client.provider))
                .await?;
            let record = wire::parse_record(target.collection(), &response, client.provider)
                .map_err(to_js)?;
            Ok(first_record(&record))
        })
    }
}

impl OneRoster {
    fn new(api: Api, transport: Transport, provider: &'static str) -> OneRoster {
        OneRoster {
            client: Rc::new(Client {
                api,
                transport,
                provider,
            }),
        }
    }
}

struct RosterList {
    client: Rc<Client>,
    target: Target,
    query: ListQuery,
}

impl ListSource for RosterList {
    fn request(&self, page: &PageRequest) -> CoreResult<Request> {
        self.client
            .api
            .request(&self.target, &self.query, Some(page))
    }

    fn parse(&self, response: &Response) -> CoreResult<ListBody> {
        wire::read_list(self.target.collection(), response, self.client.provider)
    }

    fn provider(&self) -> Option<&str> {
        Some(self.client.provider)
    }

    fn transport(&self) -> &Transport {
        &self.client.transport
    }
}

/// A server URL ending in the version's base path, or the base path appended to it.
fn versioned(url: &str, path: &str) -> String {
    let trimmed = url.trim_end_matches('/');
    if trimmed.ends_with(path) {
        trimmed.to_owned()
    } else {
        concat(&[trimmed, path])
    }
}

fn field(options: &JsValue, key: &str) -> Result<JsValue, JsValue> {
    if options.is_undefined() || options.is_null() {
        Ok(JsValue::UNDEFINED)
    } else {
        get(options, key)
    }
}

/// `filter`, `sort`, `orderBy`, `fields`.
fn list_query(options: &JsValue) -> Result<ListQuery, JsValue> {
    let filter = match field(options, "filter")? {
        v if v.is_undefined() || v.is_null() => None,
        v if v.is_string() => v.as_string(),
        // A OneRosterFilter: its toString() is the expression.
        v => Some(
            js_sys::Reflect::get(&v, &"toString".into())
                .ok()
                .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
                .and_then(|f| f.call0(&v).ok())
                .and_then(|s| s.as_string())
                .ok_or_else(|| {
                    invalid_argument("option 'filter' must be a string or a OneRosterFilter")
                })?,
        ),
    };
    if filter.as_deref().is_some_and(str::is_empty) {
        return Err(invalid_argument("option 'filter' must not be empty"));
    }
    let sort = if options.is_object() {
        opt_string(options, "sort")?
    } else {
        None
    };
    let order_by = match if options.is_object() {
        opt_string(options, "orderBy")?
    } else {
        None
    }
    .as_deref()
    {
        None => None,
        Some("asc") => Some(Order::Asc),
        Some("desc") => Some(Order::Desc),
        Some(_) => {
            return Err(invalid_argument(
                "option 'orderBy' must be \"asc\" or \"desc\"",
            ))
        }
    };
    let fields = match field(options, "fields")? {
        v if v.is_undefined() || v.is_null() => Vec::new(),
        v if v.is_string() => v
            .as_string()
            .unwrap_or_default()
            .split(',')
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect(),
        v if Array::is_array(&v) => Array::from(&v)
            .iter()
            .map(|s| {
                s.as_string()
                    .ok_or_else(|| invalid_argument("option 'fields' must be strings"))
            })
            .collect::<Result<_, _>>()?,
        _ => {
            return Err(invalid_argument(
                "option 'fields' must be a string or an array of strings",
            ))
        }
    };
    Ok(ListQuery {
        filter,
        sort,
        order_by,
        fields,
    })
}

/// Builds OneRoster `filter` expressions (1.1 §3.4.2): `OneRosterFilter.where("status", "=",
/// "active").and("role", "=", "student")`. Quotes in values are doubled; AND and OR cannot be
/// mixed (the grammar has no parentheses).
#[wasm_bindgen]
pub struct OneRosterFilter {
    inner: Filter,
}

#[wasm_bindgen]
impl OneRosterFilter {
    /// One predicate: `op` is `=`, `!=`, `>`, `>=`, `<`, `<=` or `~` (contains).
    #[wasm_bindgen(js_name = "where")]
    pub fn predicate(
        #[wasm_bindgen(unchecked_param_type = "string")] field: JsValue,
        #[wasm_bindgen(unchecked_param_type = "OneRosterFilterOp")] op: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] value: JsValue,
    ) -> Result<OneRosterFilter, JsValue> {
        let (field, op, value) = predicate_args(&field, &op, &value)?;
        Ok(OneRosterFilter {
            inner: Filter::predicate(&field, op, &value).map_err(to_js)?,
        })
    }

    /// This filter AND another predicate.
    pub fn and(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] field: JsValue,
        #[wasm_bindgen(unchecked_param_type = "OneRosterFilterOp")] op: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] value: JsValue,
    ) -> Result<OneRosterFilter, JsValue> {
        self.chain(Filter::and, &field, &op, &value)
    }

    /// This filter OR another predicate.
    pub fn or(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] field: JsValue,
        #[wasm_bindgen(unchecked_param_type = "OneRosterFilterOp")] op: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] value: JsValue,
    ) -> Result<OneRosterFilter, JsValue> {
        self.chain(Filter::or, &field, &op, &value)
    }

    /// The expression, as sent in `filter`.
    #[wasm_bindgen(js_name = toString)]
    pub fn to_text(&self) -> String {
        self.inner.as_str().to_owned()
    }
}

impl OneRosterFilter {
    fn chain(
        &self,
        join: fn(Filter, &str, Op, &str) -> CoreResult<Filter>,
        field: &JsValue,
        op: &JsValue,
        value: &JsValue,
    ) -> Result<OneRosterFilter, JsValue> {
        let (field, op, value) = predicate_args(field, op, value)?;
        let inner = join(self.inner.clone(), &field, op, &value).map_err(to_js)?;
        Ok(OneRosterFilter { inner })
    }
}

/// The `field`, `op`, `value` arguments of a predicate, checked.
fn predicate_args(
    field: &JsValue,
    op: &JsValue,
    value: &JsValue,
) -> Result<(String, Op, String), JsValue> {
    let op = Op::parse(&string_arg(op, "op")?).map_err(to_js)?;
    Ok((string_arg(field, "field")?, op, string_arg(value, "value")?))
}

#[wasm_bindgen(typescript_custom_section)]
const TS_ONEROSTER: &'static str = r#"
export type OneRosterCollection = "orgs" | "schools" | "academicSessions" | "terms" | "gradingPeriods" | "courses" | "classes" | "users" | "students" | "teachers" | "enrollments" | "demographics";
export type OneRosterFilterOp = "=" | "!=" | ">" | ">=" | "<" | "<=" | "~";

export interface OneRosterDirectOptions extends TransportOptions {
  /** The district server's OneRoster URL (`…/ims/oneroster/v1p1` is appended when missing). */
  baseUrl: string | URL;
  clientId: string;
  clientSecret: string;
  /** Default `"HMAC-SHA256"`. */
  signatureMethod?: "HMAC-SHA256" | "HMAC-SHA1";
}

export interface OneRosterProxyOptions extends TransportOptions {
  /** Your application id from the ClassLink developer console. */
  appId: string;
  /** The console's access token (it does not expire; keep it secret). */
  accessToken: string;
  /** Default `https://oneroster-proxy.classlink.io`. */
  baseUrl?: string | URL;
}

export interface OneRosterV1p2Options extends TransportOptions {
  /** The server's OneRoster URL (`…/ims/oneroster/rostering/v1p2` is appended when missing). */
  baseUrl: string | URL;
  tokenUrl: string | URL;
  clientId: string;
  clientSecret: string;
  /** Scope URIs; default `https://purl.imsglobal.org/spec/or/v1p2/scope/roster-core.readonly`. */
  scope?: string | string[];
  now?: () => number;
}

export interface OneRosterListOptions extends PagingOptions {
  /** A nested collection: `["schools", id]` with `"classes"` lists `/schools/{id}/classes`. */
  parent?: [OneRosterCollection, string];
  /** A `OneRosterFilter` or an expression as the specification writes it. */
  filter?: string | OneRosterFilter;
  sort?: string;
  orderBy?: "asc" | "desc";
  fields?: string | string[];
}

/** `{ href, sourcedId, type }` */
export interface OneRosterRef { href: string; sourcedId: string; type: string }

/** Every record keeps the fields the server sends, vendor `metadata` included. */
export interface OneRosterBase {
  sourcedId: string;
  status?: "active" | "tobedeleted" | string;
  dateLastModified?: string;
  metadata?: Record<string, unknown>;
  [field: string]: unknown;
}
export interface OneRosterOrg extends OneRosterBase { name?: string; type?: string; identifier?: string; parent?: OneRosterRef | null; children?: OneRosterRef[] }
export interface OneRosterAcademicSession extends OneRosterBase { title?: string; type?: string; startDate?: string; endDate?: string; parent?: OneRosterRef | null; schoolYear?: string }
export interface OneRosterCourse extends OneRosterBase { title?: string; courseCode?: string; org?: OneRosterRef; schoolYear?: OneRosterRef }
export interface OneRosterClass extends OneRosterBase { title?: string; classCode?: string; classType?: string; course?: OneRosterRef; school?: OneRosterRef; terms?: OneRosterRef[] }
export interface OneRosterUser extends OneRosterBase { username?: string; enabledUser?: boolean; givenName?: string; familyName?: string; role?: string; email?: string; orgs?: OneRosterRef[]; grades?: string[] }
export interface OneRosterEnrollment extends OneRosterBase { role?: string; primary?: boolean; user?: OneRosterRef; class?: OneRosterRef; school?: OneRosterRef }
export interface OneRosterDemographics extends OneRosterBase { birthDate?: string; sex?: string; hispanicOrLatinoEthnicity?: boolean }
export interface OneRosterRecords {
  orgs: OneRosterOrg; schools: OneRosterOrg; academicSessions: OneRosterAcademicSession; terms: OneRosterAcademicSession;
  gradingPeriods: OneRosterAcademicSession; courses: OneRosterCourse; classes: OneRosterClass; users: OneRosterUser;
  students: OneRosterUser; teachers: OneRosterUser; enrollments: OneRosterEnrollment; demographics: OneRosterDemographics;
}
export interface OneRoster {
  /** A collection, page by page: `X-Total-Count`, `Link: rel="next"` or a short page end the run. */
  list<C extends OneRosterCollection>(collection: C, options?: OneRosterListOptions): PagedList<OneRosterRecords[C]>;
  /** One record by `sourcedId`. */
  get<C extends OneRosterCollection>(collection: C, sourcedId: string): Promise<OneRosterRecords[C]>;
}
"#;
