//! The Event Roster Request (seed 000): `POST /roster/` and its `{"attendees": [...]}` answer,
//! typed. The seed's sample shows `module_id` both as `0` and as `"integer"`, `start_date` as
//! "date" and `trxdate` as "date/time" without a format: numbers come out as numbers whatever
//! their JSON type; `start_date` (`MM/DD/YYYY`, `MM-DD-YYYY` or ISO) as `YYYY-MM-DD`;
//! `trxdate` (`YYYY-MM-DD HH:MM:SS`, `MM/DD/YYYY HH:MM[:SS]` or ISO) as `YYYY-MM-DDTHH:MM:SS`.
//! Every other field is kept as sent.

use super::{endpoint, PROVIDER};
use crate::core::error::{Error, ErrorCode, Result};
use crate::core::form;
use crate::core::http::{Request, Response};
use crate::core::oauth2::ClientConfig;
use crate::core::paging::PageMeta;
use crate::core::parse::typed::{Envelope, JsonShape, ListBody, Located, Records, Rule, Rules};
use crate::core::parse::{json, Value};
use crate::core::secret::AccessToken;
use crate::core::text::{concat, decimal};

/// `POST {base_url}/roster/` (Event Roster Request): `module_id`, optional `export_id` (a
/// "Registration Data" template), `access_token`, with the Basic client header.
pub fn roster_request(
    client: &ClientConfig,
    base_url: &str,
    access_token: &AccessToken,
    module_id: u64,
    export_id: Option<u64>,
) -> Result<Request> {
    let authorization = client.basic_authorization().ok_or_else(|| {
        Error::invalid_argument("the ORC roster request needs the Basic client credentials")
    })?;
    let module_id = decimal(module_id);
    let export_id = export_id.map(decimal);
    let mut params = vec![("module_id", module_id.as_str())];
    if let Some(e) = &export_id {
        params.push(("export_id", e));
    }
    params.push(("access_token", access_token.expose()));
    Ok(Request {
        method: "POST".into(),
        url: endpoint(base_url, "/roster/", client.allow_insecure)?,
        headers: vec![
            ("Authorization".into(), authorization.expose().to_owned()),
            (
                "Content-Type".into(),
                "application/x-www-form-urlencoded".into(),
            ),
            ("Accept".into(), "application/json".into()),
        ],
        body: Some(form::serialize(params).into_bytes()),
    })
}

/// The attendees of a roster response, read natively (see [`read_roster`]).
pub fn parse_roster(response: &Response) -> Result<Records> {
    read_roster(response)?
        .read(response)
        .map(|(records, _)| records)
}

/// A roster response: its `{"attendees": [...]}` body, for the host to parse and type in place;
/// an error body or status is a typed error with the provider's message (e.g. an `export_id`
/// that is not a "Registration Data" template).
pub fn read_roster(response: &Response) -> Result<ListBody> {
    // A redirect is never followed for a POST (it would arrive as a GET): 3xx, or the opaque
    // status 0 a browser reports for it.
    if response.status == 0 || (300..400).contains(&response.status) {
        return Err(Error::new(ErrorCode::ProviderError, "the Online Registration Center redirected the roster POST; not followed (POST to /roster/ exactly)")
            .with_status(response.status)
            .with_provider(PROVIDER));
    }
    if !response.is_success() {
        return Err(roster_error(
            response,
            json::parse(&response.body).ok().as_ref(),
        ));
    }
    Ok(ListBody::Json(Box::new(RosterJson)))
}

/// The roster body: `attendees`, or an `error` object (sent with 200 by some deployments).
struct RosterJson;

impl JsonShape for RosterJson {
    fn envelope(&self) -> Envelope<'static> {
        Envelope {
            item_keys: &["attendees"],
            wrapper_key: None,
            read_meta: false,
            error_keys: &["error"],
        }
    }

    fn rules(&self) -> Box<dyn Rules> {
        Box::new(AttendeeRules)
    }

    fn finish(&self, located: &Located, _top: &Value, response: &Response) -> Result<PageMeta> {
        if located.error {
            // Error bodies are small: read whole.
            return Err(roster_error(
                response,
                json::parse(&response.body).ok().as_ref(),
            ));
        }
        if located.no_list {
            return Err(self.body_error(Error::parse("the response has no 'attendees' array")));
        }
        Ok(PageMeta::default())
    }

    fn body_error(&self, e: Error) -> Error {
        let message = concat(&["ORC roster: ", &e.message]);
        e.with_message(message).with_provider(PROVIDER)
    }
}

/// The seed's attendee fields: `module_id` a number, `start_date` and `trxdate` ISO 8601.
struct AttendeeRules;

impl Rules for AttendeeRules {
    fn rule(&self, name: &str) -> Rule {
        match name {
            "module_id" => Rule::Integer,
            "start_date" | "trxdate" => Rule::Date,
            _ => Rule::Keep,
        }
    }

    fn error(&self, field: &str, why: &str) -> Error {
        Error::parse(concat(&["ORC roster: field '", field, "' ", why])).with_provider(PROVIDER)
    }
}

fn roster_error(response: &Response, body: Option<&Value>) -> Error {
    let field = |k: &str| {
        body.and_then(|b| b.get(k))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let code = match (response.status, field("error").as_deref()) {
        (401, _) | (_, Some("invalid_token")) => ErrorCode::InvalidCredentials,
        (404, _) => ErrorCode::NotFound,
        (_, Some("invalid_request")) | (400, _) => ErrorCode::InvalidArgument,
        (_, Some(_)) => ErrorCode::ProviderError,
        _ => ErrorCode::HttpStatus,
    };
    let text = match code {
        ErrorCode::InvalidArgument => "the Online Registration Center refused the roster request (module_id or export_id; only \"Registration Data\" export templates are accepted)",
        ErrorCode::NotFound => "the Online Registration Center has no such module or export template",
        ErrorCode::InvalidCredentials => "the Online Registration Center rejected the access token",
        _ => "the Online Registration Center answered the roster request with an error",
    };
    Error::new(
        code,
        concat(&[text, " [status ", &decimal(response.status as u64), "]"]),
    )
    .with_status(response.status)
    .with_provider(PROVIDER)
    .with_provider_error(
        field("error"),
        field("error_description").or_else(|| field("message")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ok(body: &str) -> Response {
        Response {
            status: 200,
            headers: vec![],
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn attendees_are_typed_and_names_kept() {
        let body = r#"{"attendees":[{"module_id":"4101","summary":"Spring 5K","start_date":"04/12/2025","trxdate":"2025-03-14 09:26:53","lname":"Nguyễn","fname":"𝒜lice","email":"a@example.org","extra":true},
                                    {"module_id":4101,"start_date":"2025-04-12","trxdate":"2025-03-14T09:26:53Z"}]}"#;
        let a: serde_json::Value =
            serde_json::from_str(&parse_roster(&ok(body)).unwrap().to_json()).unwrap();
        assert_eq!(
            a[0],
            json!({"module_id":4101,"summary":"Spring 5K","start_date":"2025-04-12","trxdate":"2025-03-14T09:26:53","lname":"Nguyễn","fname":"𝒜lice","email":"a@example.org","extra":true})
        );
        assert_eq!(
            a[1],
            json!({"module_id":4101,"start_date":"2025-04-12","trxdate":"2025-03-14T09:26:53Z"})
        );
    }

    #[test]
    fn refused_exports_and_bad_bodies_are_typed() {
        let refused = Response { status: 400, headers: vec![], body: br#"{"error":"invalid_request","error_description":"only \"Registration Data\" export templates are accepted"}"#.to_vec() };
        let e = parse_roster(&refused).unwrap_err();
        assert_eq!(
            (e.code, e.provider_code.as_deref()),
            (ErrorCode::InvalidArgument, Some("invalid_request"))
        );
        assert!(e
            .provider_description
            .as_deref()
            .unwrap()
            .contains("Registration Data"));
        for bad in [
            r#"{"attendees":[{"module_id":"x"}]}"#,
            r#"{"attendees":[{"start_date":"13/45/2025"}]}"#,
            r#"{"nope":1}"#,
            "{",
        ] {
            assert_eq!(
                parse_roster(&ok(bad)).unwrap_err().code,
                ErrorCode::Parse,
                "{bad}"
            );
        }
    }
}
