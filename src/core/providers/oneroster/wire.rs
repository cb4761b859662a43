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
use crate::core::parse::{json, Map, Value};
use crate::core::text::{concat, decimal};

/// One page of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct ListPage {
    /// Records, booleans normalized.
    pub items: Vec<Value>,
    /// `X-Total-Count` and `Link: rel="next"`.
    pub meta: PageMeta,
}

/// Boolean fields of the specification (1.1 serializes them as strings).
const BOOL_FIELDS: &[&str] = &[
    "enabledUser",
    "primary",
    "americanIndianOrAlaskaNative",
    "asian",
    "blackOrAfricanAmerican",
    "nativeHawaiianOrOtherPacificIslander",
    "white",
    "demographicRaceTwoOrMoreRaces",
    "hispanicOrLatinoEthnicity",
];

/// Parses a list response of `collection`.
pub fn parse_list(
    collection: Collection,
    response: &Response,
    provider: &'static str,
) -> Result<ListPage> {
    let body = decode(collection, response, provider)?;
    let (plural, singular) = collection.keys();
    let items = match body {
        Value::Array(items) => items,
        Value::Object(mut map) => match map.remove(plural).or_else(|| map.remove(singular)) {
            Some(Value::Array(items)) => items,
            Some(Value::Null) | None if map.is_empty() => Vec::new(),
            Some(one @ Value::Object(_)) => vec![one],
            _ => return Err(shape(collection, provider, plural)),
        },
        _ => return Err(shape(collection, provider, plural)),
    };
    let items = items
        .into_iter()
        .map(|r| normalize(collection, r, provider))
        .collect::<Result<Vec<_>>>()?;
    let total = response
        .header("x-total-count")
        .and_then(|v| v.trim().parse::<u64>().ok());
    Ok(ListPage {
        items,
        meta: PageMeta {
            total,
            next: next_link(&response.headers),
            ..Default::default()
        },
    })
}

/// Parses a single-record response of `collection`.
pub fn parse_record(
    collection: Collection,
    response: &Response,
    provider: &'static str,
) -> Result<Value> {
    let body = decode(collection, response, provider)?;
    let (_, singular) = collection.keys();
    let record = match body {
        Value::Object(mut map) => match map.remove(singular) {
            Some(r @ Value::Object(_)) => r,
            None if map.contains_key("sourcedId") => Value::Object(map),
            _ => return Err(shape(collection, provider, singular)),
        },
        _ => return Err(shape(collection, provider, singular)),
    };
    normalize(collection, record, provider)
}

fn shape(collection: Collection, provider: &'static str, key: &str) -> Error {
    Error::parse(concat(&[
        "OneRoster ",
        collection.path(),
        ": the response has no '",
        key,
        "'",
    ]))
    .with_provider(provider)
}

fn normalize(collection: Collection, record: Value, provider: &'static str) -> Result<Value> {
    let Value::Object(map) = record else {
        return Err(Error::parse(concat(&[
            "OneRoster ",
            collection.path(),
            ": a record is not an object",
        ]))
        .with_provider(provider));
    };
    let mut out = Map::new();
    for (name, value) in map {
        let value = match (&value, BOOL_FIELDS.contains(&name.as_str())) {
            (Value::String(s), true) => match s.trim().to_ascii_lowercase().as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                "" => continue,
                _ => {
                    return Err(Error::parse(concat(&[
                        "OneRoster ",
                        collection.path(),
                        ": field '",
                        &name,
                        "' is not true or false",
                    ]))
                    .with_provider(provider))
                }
            },
            _ => value,
        };
        out.insert(name, value);
    }
    Ok(Value::Object(out))
}

/// The body as JSON, or the error it (or the status) stands for.
fn decode(collection: Collection, response: &Response, provider: &'static str) -> Result<Value> {
    let parsed = json::parse(&response.body);
    if !response.is_success() {
        let status_error = match &parsed {
            Ok(v) => imsx_error(v, response.status, provider),
            Err(_) => None,
        };
        return Err(
            status_error.unwrap_or_else(|| from_status(response.status, None, None, provider))
        );
    }
    parsed.map_err(|e| {
        Error::parse(concat(&["OneRoster ", collection.path(), ": ", &e.message]))
            .with_provider(provider)
    })
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
    } else if status == 401 || minor_is(&["unauthorisedrequest", "unauthorizedrequest"]) {
        (
            ErrorCode::InvalidCredentials,
            "the OneRoster server rejected the credentials (HTTP 401)",
        )
    } else if status == 403 || minor_is(&["forbidden"]) {
        (ErrorCode::PermissionDenied, "the OneRoster server refused access (HTTP 403): the credentials or scopes do not cover this collection")
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
