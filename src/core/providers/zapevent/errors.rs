//! ZapEvent error bodies → typed errors. The document shows
//! `<error><error_code>3</error_code><error_msg>Invalid parameters</error_msg>
//! <param_missing><param_name>api_key</param_name></param_missing>…</error>`; the JSON form is
//! taken to be the same tree (`{"error":{"error_code":3,"error_msg":…,"param_missing":[…]}}`),
//! with `param_missing` as names or as `{"param_name":…}` objects.

use super::PROVIDER;
use crate::core::error::{Error, ErrorCode};
use crate::core::parse::Value;
use crate::core::text::{concat, decimal};

/// The error a documented code stands for, with a readable message of ours; the provider's
/// own text goes to `providerDescription`.
pub fn from_code(code: &str, description: Option<String>, status: u16) -> Error {
    let (kind, text) = match code {
        "3" => (ErrorCode::InvalidArgument, "ZapEvent rejected the request's parameters (error 3, invalid parameters)"),
        "6" => (ErrorCode::InvalidCredentials, "ZapEvent did not accept the credentials: the OAuth token or the Login keys are wrong or expired; sign in again (error 6, key authentication failed)"),
        "7" => (ErrorCode::PermissionDenied, "this ZapEvent account may not read that resource (error 7, permission denied)"),
        "10" => (ErrorCode::InvalidArgument, "this ZapEvent method does not answer in the requested format (error 10)"),
        "12" => (ErrorCode::ProviderError, "ZapEvent received the request out of order: restart the authorization (error 12)"),
        "101" => (ErrorCode::InvalidCredentials, "no ZapEvent user has that username (error 101, user not found)"),
        "102" => (ErrorCode::InvalidCredentials, "the ZapEvent password is wrong (error 102, password invalid)"),
        "201" => (ErrorCode::NotFound, "ZapEvent has no such event (error 201, event not found)"),
        "301" => (ErrorCode::NotFound, "ZapEvent has no such activity in that event (error 301, activity not found)"),
        _ => (ErrorCode::ProviderError, "ZapEvent answered with an error"),
    };
    let mut e = Error::new(kind, text)
        .with_provider(PROVIDER)
        .with_provider_error(Some(code.to_owned()), description);
    if status != 0 {
        e = e.with_status(status);
    }
    if code == "10" {
        e.params_mut().invalid.push("format".into());
    }
    e
}

/// The error in an `<error>` element's (or JSON `error` object's) value, if it is one.
pub fn from_error_value(value: &Value, status: u16) -> Option<Error> {
    let map = value.as_object()?;
    let code = map.get("error_code").or_else(|| map.get("code"))?;
    let code = match code {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => n.as_u64().map(decimal)?,
        _ => return None,
    };
    let description = map
        .get("error_msg")
        .or_else(|| map.get("message"))
        .and_then(Value::as_str)
        .map(|s| s.trim().to_owned());
    let mut e = from_code(&code, description, status);
    let missing = names(map.get("param_missing"));
    let invalid = names(map.get("param_invalid"));
    if !missing.is_empty() || !invalid.is_empty() {
        let params = e.params_mut();
        params.missing.extend(missing);
        params.invalid.extend(invalid);
    }
    Some(e)
}

/// A CSV error body (`error_code,error_msg` header): its first row.
pub fn from_csv_row(row: &crate::core::parse::Map, status: u16) -> Option<Error> {
    from_error_value(&Value::Object(row.clone()), status)
}

/// Parameter names under `param_missing`, in any of the shapes XML or JSON gives them.
fn names(value: Option<&Value>) -> Vec<String> {
    let mut out = Vec::new();
    let mut push = |v: &Value| match v {
        Value::String(s) if !s.trim().is_empty() => out.push(s.trim().to_owned()),
        Value::Object(m) => match m.get("param_name") {
            Some(Value::String(s)) => out.push(s.trim().to_owned()),
            Some(Value::Array(a)) => {
                out.extend(a.iter().filter_map(Value::as_str).map(str::to_owned))
            }
            _ => {}
        },
        _ => {}
    };
    match value {
        Some(Value::Array(items)) => items.iter().for_each(&mut push),
        Some(v) => push(v),
        None => {}
    }
    out
}

/// A non-success status with no error body.
pub fn from_status(status: u16) -> Error {
    let kind = match status {
        401 => ErrorCode::InvalidCredentials,
        403 => ErrorCode::PermissionDenied,
        404 => ErrorCode::NotFound,
        _ => ErrorCode::HttpStatus,
    };
    Error::new(
        kind,
        concat(&[
            "ZapEvent answered HTTP ",
            &decimal(status as u64),
            " without an error body",
        ]),
    )
    .with_provider(PROVIDER)
    .with_status(status)
}
