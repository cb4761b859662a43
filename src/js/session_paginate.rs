//! `TokenSession.paginate`: any JSON list API behind OAuth 2, paged by the core's one pager
//! (`core::paging::json_api`) and returned as the same `PagedList` the provider clients return.

use super::error::{invalid_argument, to_js};
use super::host::{opt_string, url_string};
use super::paging::{paged_list, ListSource, PagingOptions};
use super::token_session::TokenSession;
use super::transport::Transport;
use crate::core::error::Result as CoreResult;
use crate::core::http::{Request, Response};
use crate::core::paging::json_api::{JsonList, Style};
use crate::core::paging::{PageRequest, PageSizes};
use crate::core::parse::typed::ListBody;
use wasm_bindgen::prelude::*;

struct SessionList {
    list: JsonList,
    transport: Transport,
}

impl ListSource for SessionList {
    fn request(&self, page: &PageRequest) -> CoreResult<Request> {
        self.list.request(page)
    }

    fn parse(&self, response: &Response) -> CoreResult<ListBody> {
        let (records, meta) = self.list.parse(response)?;
        Ok(ListBody::Typed(records, meta))
    }

    fn provider(&self) -> Option<&str> {
        // The client's `provider` option (`OAuth2Client.priava()` sets "priava").
        match &self.transport {
            Transport::Session(session) => session.client_config().provider.as_deref(),
            _ => None,
        }
    }

    fn transport(&self) -> &Transport {
        &self.transport
    }
}

#[wasm_bindgen]
impl TokenSession {
    /// Every item of a paged JSON API, through this session (Bearer attached, refreshed when
    /// due): `session.paginate(url, { style: "page" | "offset" | "link" | "cursor", itemsPath })`.
    #[wasm_bindgen(unchecked_return_type = "PagedList<unknown>")]
    pub fn paginate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | URL")] url: JsValue,
        #[wasm_bindgen(unchecked_param_type = "PaginateOptions")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        // The session refuses plain http off loopback on every request (INSECURE_URL).
        let url = url_string(&url, "url")?;
        if !options.is_object() {
            return Err(invalid_argument(
                "paginate() needs options: { style, itemsPath }",
            ));
        }
        let style = Style::parse(
            &opt_string(&options, "style")?
                .ok_or_else(|| invalid_argument("option 'style' is required"))?,
        )
        .map_err(to_js)?;
        let mut list = JsonList::new(
            &url,
            style,
            &opt_string(&options, "itemsPath")?.unwrap_or_default(),
        )
        .map_err(to_js)?;
        list.total_path = opt_string(&options, "totalPath")?;
        let names: [(&str, &mut String); 6] = [
            ("nextCursorPath", &mut list.next_cursor_path),
            ("pageParam", &mut list.page_param),
            ("sizeParam", &mut list.size_param),
            ("offsetParam", &mut list.offset_param),
            ("limitParam", &mut list.limit_param),
            ("cursorParam", &mut list.cursor_param),
        ];
        for (key, slot) in names {
            if let Some(v) = opt_string(&options, key)? {
                *slot = v;
            }
        }
        // Any JSON API: 100 a page unless the caller says otherwise.
        let sizes = PageSizes {
            default: 100,
            min: 1,
            max: 100_000,
        };
        let paging = PagingOptions::read(&options, list.scheme(), sizes)?;
        Ok(paged_list(
            SessionList {
                list,
                transport: Transport::Session(self.shared()),
            },
            paging,
        ))
    }
}

#[wasm_bindgen(typescript_custom_section)]
const TS_PAGINATE: &'static str = r#"
/** Options of {@link TokenSession.paginate}. */
export interface PaginateOptions extends PagingOptions {
  /** `"page"` (`?page=&per_page=`), `"offset"` (`?offset=&limit=`), `"link"` (`Link: rel="next"`), `"cursor"` (a token from the body). */
  style: "page" | "offset" | "link" | "cursor";
  /** Dot path to the items array, e.g. `"data"` or `"result.items"`; omitted: the body is the array. */
  itemsPath?: string;
  /** Dot path to a total count in the body (default: the `X-Total-Count` header). */
  totalPath?: string;
  /** Dot path to the next cursor (`"cursor"` style; default `"next_cursor"`). */
  nextCursorPath?: string;
  pageParam?: string;
  sizeParam?: string;
  offsetParam?: string;
  limitParam?: string;
  cursorParam?: string;
}
"#;
