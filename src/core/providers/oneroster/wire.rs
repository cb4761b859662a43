//! OneRoster JSON bodies → records, page metadata and typed errors.
//!
//! - Lists are `{"users": [...]}` (the collection's plural key; schools answer `orgs`), one
//!   record `{"user": {...}}`; a bare array or a record without its wrapper is accepted too.
//! - Paging metadata lives in headers: `X-Total-Count` and `Link: rel="next"` (RFC 8288), both
//!   optional; without them a short page ends the run.
//! - Records keep every field (vendor `metadata` included); the specification's boolean fields,
//!   which 1.1 serializes as the strings `"true"`/`"false"`, become booleans.
//! - Errors are the imsx status payload (`imsx_codeMajor`, `imsx_severity`, `imsx_description`,
//!   `imsx_CodeMinor.imsx_codeMinorField[].imsx_codeMinorFieldValue`), also inside a
//!   `statusInfoSet` and with 1.2's `imsx_codeMinor` spelling.

use super::Collection;
use crate::core::error::{Error, ErrorCode, Result};
use crate::core::http::{next_link, Response};
use crate::core::paging::PageMeta;
use crate::core::parse::typed::{
    locate, write_value, Envelope, JsonShape, ListBody, Located, Records, Rule, Rules,
};
use crate::core::parse::{json, Value};
use crate::core::text::{concat, decimal};

/// One page of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct ListPage {
    /// Records, booleans normalized, as the JSON text handed to JS.
    pub records: Records,
    /// `X-Total-Count` and `Link: rel="next"`.
    pub meta: PageMeta,
}

/// The typing of OneRoster records: the specification's boolean fields (strings in 1.1).
struct RosterRules {
    collection: Collection,
    provider: &'static str,
}

impl Rules for RosterRules {
    fn rule(&self, name: &str) -> Rule {
        match name {
            "enabledUser"
            | "primary"
            | "americanIndianOrAlaskaNative"
            | "asian"
            | "blackOrAfricanAmerican"
            | "nativeHawaiianOrOtherPacificIslander"
            | "white"
            | "demographicRaceTwoOrMoreRaces"
            | "hispanicOrLatinoEthnicity" => Rule::Bool,
            _ => Rule::Keep,
        }
    }

    fn error(&self, field: &str, why: &str) -> Error {
        Error::parse(concat(&[
            "OneRoster ",
            self.collection.path(),
            ": field '",
            field,
            "' ",
            why,
        ]))
        .with_provider(self.provider)
    }
}

/// A collection's JSON list body: `{"users": [...]}` (or the singular key), paged by the
/// `X-Total-Count` and `Link` headers.
#[derive(Clone, Copy)]
struct RosterJson {
    collection: Collection,
    provider: &'static str,
    /// The keys that may hold the records: the collection's plural and singular, or (one
    /// record) the singular only.
    keys: &'static [&'static str],
}

impl JsonShape for RosterJson {
    fn envelope(&self) -> Envelope<'static> {
        Envelope {
            item_keys: self.keys,
            wrapper_key: None,
            read_meta: false,
            error_keys: &[],
        }
    }

    fn rules(&self) -> Box<dyn Rules> {
        Box::new(RosterRules {
            collection: self.collection,
            provider: self.provider,
        })
    }

    fn finish(&self, located: &Located, _top: &Value, response: &Response) -> Result<PageMeta> {
        // `{}` is an empty list; any other object without the list is not a OneRoster answer.
        if located.no_list && !located.empty_object {
            return Err(shape_error(self.collection, self.provider, self.keys[0]));
        }
        Ok(PageMeta {
            total: response
                .header("x-total-count")
                .and_then(|v| v.trim().parse::<u64>().ok()),
            next: next_link(&response.headers),
            links: response.header("link").is_some(),
            ..Default::default()
        })
    }

    fn body_error(&self, e: Error) -> Error {
        prefix(self.collection, self.provider, e)
    }
}

/// A list response of `collection`: its JSON body, for the host to parse and type in place.
pub fn read_list(
    collection: Collection,
    response: &Response,
    provider: &'static str,
) -> Result<ListBody> {
    success_body(response, provider)?;
    Ok(ListBody::Json(Box::new(RosterJson {
        collection,
        provider,
        keys: collection.list_keys(),
    })))
}

/// Parses a list response of `collection` natively.
pub fn parse_list(
    collection: Collection,
    response: &Response,
    provider: &'static str,
) -> Result<ListPage> {
    let (records, meta) = read_list(collection, response, provider)?.read(response)?;
    Ok(ListPage { records, meta })
}

/// Parses a single-record response of `collection`, as a one-record tape.
pub fn parse_record(
    collection: Collection,
    response: &Response,
    provider: &'static str,
) -> Result<Records> {
    let body = success_body(response, provider)?;
    let (_, singular) = collection.keys();
    let shape = RosterJson {
        collection,
        provider,
        keys: collection.record_keys(),
    };
    let value = json::parse(body).map_err(|e| shape.body_error(e))?;
    let located = locate(&value, &shape.envelope()).map_err(|e| shape.body_error(e))?;
    // The record with its wrapper (`{"user": {…}}`), or without it.
    let record = match located.items_of(&value) {
        [one, ..] => Some(one),
        [] => Some(&value).filter(|v| located.no_list && v.get("sourcedId").is_some()),
    };
    let mut records = Records::default();
    if let Some(record) = record {
        write_value(&mut records, &*shape.rules(), record)?;
    }
    match records.is_empty() {
        true => Err(shape_error(collection, provider, singular)),
        false => Ok(records),
    }
}

fn shape_error(collection: Collection, provider: &'static str, key: &str) -> Error {
    Error::parse(concat(&[
        "OneRoster ",
        collection.path(),
        ": the response has no '",
        key,
        "'",
    ]))
    .with_provider(provider)
}

fn prefix(collection: Collection, provider: &'static str, e: Error) -> Error {
    let message = concat(&["OneRoster ", collection.path(), ": ", &e.message]);
    e.with_message(message).with_provider(provider)
}

/// The body of a success, or the error a failure (its imsx payload, else its status) stands for.
fn success_body<'a>(response: &'a Response, provider: &'static str) -> Result<&'a [u8]> {
    if response.is_success() {
        return Ok(&response.body);
    }
    let status_error = json::parse(&response.body)
        .ok()
        .and_then(|v| imsx_error(&v, response.status, provider));
    Err(status_error.unwrap_or_else(|| from_status(response.status, None, None, provider)))
}

/// The imsx status payload of an error response, if the body is one.
fn imsx_error(body: &Value, status: u16, provider: &'static str) -> Option<Error> {
    let info = match body.get("statusInfoSet") {
        Some(Value::Array(set)) => set.first()?,
        _ => body,
    };
    let info = info.get("imsx_StatusInfo").unwrap_or(info);
    info.get("imsx_codeMajor")?.as_str()?;
    let description = info
        .get("imsx_description")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let minor = info
        .get("imsx_CodeMinor")
        .or_else(|| info.get("imsx_codeMinor"))
        .and_then(|m| m.get("imsx_codeMinorField"))
        .and_then(|f| match f {
            Value::Array(a) => a.first(),
            one => Some(one),
        })
        .and_then(|f| f.get("imsx_codeMinorFieldValue"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    Some(from_status(status, minor, description, provider))
}

/// The typed error of a status and an imsx `codeMinor`.
fn from_status(
    status: u16,
    minor: Option<String>,
    description: Option<String>,
    provider: &'static str,
) -> Error {
    let minor_is = |names: &[&str]| {
        minor
            .as_deref()
            .is_some_and(|m| names.iter().any(|n| m.eq_ignore_ascii_case(n)))
    };
    let (code, text) = if status == 401 && provider == crate::core::providers::classlink::PROVIDER {
        (ErrorCode::InvalidCredentials, "the ClassLink proxy rejected the access token: it does not expire and cannot be refreshed, so renew it in the ClassLink developer console")
    } else if status == 403 || minor_is(&["forbidden"]) {
        // Before codeMinor: 1.2 answers an insufficient scope with 403 + `unauthorisedrequest`.
        (ErrorCode::PermissionDenied, "the OneRoster server refused access (HTTP 403): the credentials or scopes do not cover this collection")
    } else if status == 401 || minor_is(&["unauthorisedrequest", "unauthorizedrequest"]) {
        (
            ErrorCode::InvalidCredentials,
            "the OneRoster server rejected the credentials (HTTP 401)",
        )
    } else if status == 404 || minor_is(&["unknownobject"]) {
        (
            ErrorCode::NotFound,
            "the OneRoster server has no such object (HTTP 404)",
        )
    } else if status == 400
        || minor_is(&[
            "invalid_filter_field",
            "invalid_selection_field",
            "invalid_sort_field",
            "invaliddata",
        ])
    {
        (
            ErrorCode::InvalidArgument,
            "the OneRoster server rejected the query (HTTP 400)",
        )
    } else {
        (
            ErrorCode::HttpStatus,
            "the OneRoster server answered with an error status",
        )
    };
    let message = concat(&[text, " [status ", &decimal(status as u64), "]"]);
    Error::new(code, message)
        .with_status(status)
        .with_provider(provider)
        .with_provider_error(minor, description)
}
