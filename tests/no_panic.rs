//! Nothing reachable from JS input may panic (a panic in wasm kills the instance): every parser
//! of the core gets 30,000 seeded random inputs (mutations of valid ones and raw bytes) and
//! must return `Ok` or `Err`, never unwind. A fuzzer in miniature, run on every `cargo test`.

use oauth_edge::core::http::{next_link, parse_link, Response};
use oauth_edge::core::oauth1::flow::{parse_credentials, AuthorizationStep};
use oauth_edge::core::oauth1::{RequestBody, SignableRequest, Signer};
use oauth_edge::core::url::Url;
use oauth_edge::core::{form, oauth1::SignatureMethod};

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// A mutation of one of `seeds`, or random bytes from an alphabet that matters here.
    fn input(&mut self, seeds: &[&str]) -> Vec<u8> {
        const ALPHABET: &[u8] = b"aZ09-._~%+&=?#/:@[]\"{} \t\r\n\\,;\x00\xff\xc3\xa9";
        let mut bytes = if self.below(4) == 0 {
            Vec::new()
        } else {
            seeds[self.below(seeds.len())].as_bytes().to_vec()
        };
        for _ in 0..=self.below(8) {
            match self.below(4) {
                0 if !bytes.is_empty() => {
                    let i = self.below(bytes.len());
                    bytes.remove(i);
                }
                1 if !bytes.is_empty() => {
                    let i = self.below(bytes.len());
                    bytes.truncate(i);
                }
                _ => {
                    let i = self.below(bytes.len() + 1);
                    bytes.insert(i, ALPHABET[self.below(ALPHABET.len())]);
                }
            }
        }
        bytes
    }
}

const ROUNDS: usize = 30_000;

#[test]
fn url_form_and_signing_never_panic() {
    let mut rng = Rng(0x5849);
    let urls = [
        "https://a.example/p?x=1&y=%20",
        "http://127.0.0.1:8080/a/b?c",
        "HTTPS://[::1]:443/?a=b=c&&d",
        "https://h/p?q=%E9%zz",
    ];
    let signer = Signer::new("key", "secret").with_token("t", "ts");
    for _ in 0..ROUNDS {
        let raw = rng.input(&urls);
        let text = String::from_utf8_lossy(&raw);
        let _ = Url::parse(&text);
        let _ = form::parse(&raw);
        let _ = form::parse_utf8(&raw);
        let body = rng.input(&["a=1&b=%20+c", "{\"json\":true}"]);
        let req = SignableRequest {
            method: ["GET", "post", "", "P T"][rng.below(4)],
            url: &text,
            body: [
                RequestBody::Empty,
                RequestBody::Form(&body),
                RequestBody::Other(&body),
            ][rng.below(3)],
            callback: Some(&*text).filter(|_| rng.below(2) == 0),
            verifier: None,
            body_hash: rng.below(2) == 0,
        };
        let mut s = signer.clone();
        s.signature_method = [
            SignatureMethod::HmacSha1,
            SignatureMethod::HmacSha256,
            SignatureMethod::Plaintext,
        ][rng.below(3)];
        s.realm = Some(String::from_utf8_lossy(&rng.input(&["Photos"])).into_owned());
        let _ = s.sign(&req, Some("nonce"), Some(1));
        let _ = s.sign(&req, None, None);
    }
}

#[test]
fn oauth1_responses_and_callbacks_never_panic() {
    let mut rng = Rng(0x1a);
    let bodies = [
        "oauth_token=a&oauth_token_secret=b&\noauth_callback_confirmed=true",
        "<error><error_code>6</error_code><error_msg>x</error_msg></error>",
        "oauth_problem=signature_invalid&oauth_problem_advice=x",
    ];
    for _ in 0..ROUNDS {
        let status = [200, 401, 400, 500, 302][rng.below(5)];
        let response = Response {
            status,
            headers: vec![(
                "WWW-Authenticate".into(),
                String::from_utf8_lossy(&rng.input(&["OAuth oauth_problem=\"x\""])).into_owned(),
            )],
            body: rng.input(&bodies),
        };
        let _ = parse_credentials(&response);
        let callback =
            String::from_utf8_lossy(&rng.input(&["https://app/cb?oauth_token=a&oauth_verifier=v"]))
                .into_owned();
        let _ = AuthorizationStep::resume("a", "s").handle_callback(&callback);
    }
}

#[test]
fn link_headers_never_panic() {
    let mut rng = Rng(0x8288);
    let values = [
        r#"<https://api.github.com/repositories/1300192/issues?page=2>; rel="next", <https://api.github.com/repositories/1300192/issues?page=515>; rel="last""#,
        r#"</TheBook/chapter4>; rel="next"; title*=UTF-8'de'n%c3%a4chstes%20Kapitel"#,
        r#"<https://x/?ids=1,2>; rel=next; title="a, \"b\"; c", </é>; REL="Prev Last""#,
        "<a>;; rel ; anchor=\"#x\" , ,<b>",
    ];
    for _ in 0..ROUNDS {
        let first = String::from_utf8_lossy(&rng.input(&values)).into_owned();
        let second = String::from_utf8_lossy(&rng.input(&values)).into_owned();
        for link in parse_link(&first) {
            // The target is always a piece of the input, the rel values single words.
            assert!(first.contains(&link.uri), "{first:?}");
            assert!(link.rel.iter().all(|r| !r.contains([' ', '\t'])));
        }
        let headers = vec![
            ("Link".to_owned(), first),
            ("x-other".to_owned(), String::new()),
            ("link".to_owned(), second),
        ];
        let _ = next_link(&headers);
    }
}

#[cfg(feature = "oauth2")]
#[test]
fn oauth2_responses_callbacks_and_session_never_panic() {
    use oauth_edge::core::http::{parse_http_date, parse_retry_after};
    use oauth_edge::core::oauth2::authorization::PendingAuthorization;
    use oauth_edge::core::oauth2::client::ClientConfig;
    use oauth_edge::core::oauth2::session::{
        ApiCall, ApiResponse, Saved, Session, SessionConfig, Stored, TokenRecord,
    };
    use oauth_edge::core::oauth2::token_response::{parse_token_response, token_error};

    let mut rng = Rng(0x6749);
    let client = ClientConfig::new("id", "https://as.example/token").with_secret("s");
    let bodies = [
        r#"{"access_token":"a","refresh_token":"r","expires_in":"3600","token_type":"BEARER","scope":null}"#,
        r#"{"access_token":"a","expires_in":1e308,"scope":["a","b"]}"#,
        r#"{"error":"invalid_grant","error_description":"x"}"#,
        "access_token=a&expires_in=60",
    ];
    let config = SessionConfig {
        lock: true,
        ..SessionConfig::default()
    };
    let mut session = Session::new(config, client.clone(), "me");
    let mut call = ApiCall::new();
    for i in 0..ROUNDS {
        let status = [200, 400, 401, 429, 503][rng.below(5)];
        let retry_after = String::from_utf8_lossy(&rng.input(&[
            "120",
            "Wed, 21 Oct 2015 07:28:00 GMT",
            "-1",
            "99999999999999999999",
        ]))
        .into_owned();
        let response = Response {
            status,
            headers: vec![("Retry-After".into(), retry_after.clone())],
            body: rng.input(&bodies),
        };
        let now = rng.next() >> rng.below(64);
        let _ = parse_token_response(&client, &response, now);
        let _ = token_error(&response, None, now);
        let _ = parse_retry_after(&retry_after, now);
        let _ = parse_http_date(&retry_after, now);
        if let Ok(p) = PendingAuthorization::resume("st", "v".repeat(43), "https://app/cb") {
            let cb = String::from_utf8_lossy(&rng.input(&[
                "https://app/cb?code=c&state=st",
                "https://app/cb?error=access_denied&state=st",
            ]))
            .into_owned();
            let _ = p.handle_callback(&client, &cb);
        }
        // Drive the session with arbitrary (even out-of-order) outcomes and demands.
        let record = parse_token_response(&client, &response, now)
            .ok()
            .map(|t| TokenRecord::new(t, now));
        match i % 8 {
            0 => session.want_token(),
            1 => session.handle_response(Ok(response.clone()), rng.next() as u32, now),
            2 => session.handle_saved(Ok(Saved::Version("v".into())), now),
            3 => {
                let _ = call.on_response(
                    &mut session,
                    &ApiResponse {
                        status,
                        www_authenticate: Some(&retry_after),
                        retry_after: Some(&retry_after),
                        used_access_token: "a",
                    },
                    7,
                    now,
                );
            }
            4 => session.handle_saved(Ok(Saved::Conflict), now),
            5 => session.handle_loaded(
                Ok(record.map(|record| Stored {
                    record,
                    version: "1".into(),
                })),
                now,
            ),
            6 => session.handle_locked(Ok(()), now),
            _ => {
                if let Some(record) = record {
                    session.sign_in(record.tokens, now);
                }
            }
        }
        let _ = session.poll(now);
        let _ = session.state(now);
        let _ = session.next_refresh_at();
    }
}

#[cfg(feature = "oauth2")]
#[test]
fn provider_bodies_paging_and_parameters_never_panic() {
    use oauth_edge::core::paging::{Cursor, PageMeta, Pager, Scheme};
    use oauth_edge::core::parse::{csv, json, xml};
    use oauth_edge::core::providers::zapevent::{
        params, wire, Format, Generation, Method, ParamValue,
    };

    let mut rng = Rng(0x2a9e);
    let bodies = [
        r#"<?xml version="1.0"?><participants total_count="3" page="1"><participant><registration_id>5</registration_id><registration_date>01-05-2025</registration_date><checked_in>T</checked_in><notes><![CDATA[a<b]]></notes></participant></participants>"#,
        r#"<event><event_id>1</event_id><activities><activity><price>4.50</price><questions><question><options><option>S</option></options></question></questions></activity></activities></event>"#,
        r#"{"total_count":"2","participants":[{"age":"34","amount_paid":"1,234.50","created":"01-10-2025 09:30"}]}"#,
        r#"{"error":{"error_code":3,"param_missing":[{"param_name":"event_id"}]}}"#,
        "\u{feff}registration_id,first_name,notes\r\n1,\"A, \"\"B\"\"\",\"x\ny\"\r\n",
        "<error><error_code>6</error_code><param_missing><param_name>a</param_name></param_missing></error>",
        "<!DOCTYPE x [<!ENTITY a \"&#38;a;\">]><x>&a;&#x1F389;&#0;</x>",
        "<login><tmp_key>k</tmp_key><tmp_secret>s</tmp_secret></login>",
    ];
    let methods = [
        Method::Event,
        Method::Events,
        Method::Categories,
        Method::Questions,
        Method::Participants,
    ];
    let formats = [Format::Xml, Format::Json, Format::Csv];
    for _ in 0..ROUNDS {
        let body = rng.input(&bodies);
        let _ = xml::parse(&body);
        let _ = json::parse(&body);
        let _ = csv::parse(&body);
        let status = [200, 400, 401, 404, 503][rng.below(5)];
        let header = String::from_utf8_lossy(&rng.input(&["523", "-1", "99999999999999999999"]))
            .into_owned();
        let response = Response {
            status,
            headers: vec![("X-Total-Count".into(), header)],
            body,
        };
        let method = methods[rng.below(methods.len())];
        let format = formats[rng.below(3)];
        let page = wire::parse_list(method, format, &response);
        let _ = wire::parse_event(format, &response);
        let _ = wire::parse_login(format, &response);
        // Parameters from arbitrary text, numbers and dates.
        let text = String::from_utf8_lossy(&rng.input(&[
            "2025-06-14",
            "06-14-2025",
            "last_name DESC",
            "Running/Walking",
            "12",
        ]))
        .into_owned();
        let value = match rng.below(4) {
            0 => ParamValue::Text(text.clone()),
            1 => ParamValue::Number([f64::NAN, -1.0, 1e300, 0.5, 1001.0][rng.below(5)]),
            2 => ParamValue::Bool(true),
            _ => ParamValue::Date {
                year: rng.next() as i32,
                month: rng.below(15) as u32,
                day: rng.below(40) as u32,
            },
        };
        let names = [
            "eventId",
            "sort",
            "startDate",
            "eventType",
            "eventStatus",
            "afterParticipantId",
            "futureEventCategories",
            "x",
        ];
        let name = names[rng.below(names.len())];
        let _ = params::build(
            method,
            [Generation::OAuth1, Generation::OAuth2][rng.below(2)],
            &[(name.to_owned(), value)],
        );
        let _ = params::PAGE_SIZES.check([f64::NAN, -0.0, 250.5, 1e20][rng.below(4)]);
        // The pager against arbitrary metadata, counts and cursors.
        let resume = Cursor::decode(&text).ok();
        let mut pager = Pager::new(
            [Scheme::PageNumber, Scheme::OffsetLimit][rng.below(2)],
            rng.next() >> rng.below(64),
            Some(rng.next() >> rng.below(64)).filter(|_| rng.below(2) == 0),
            resume,
        );
        for _ in 0..4 {
            let meta = match &page {
                Ok(p) => p.meta.clone(),
                Err(_) => PageMeta {
                    page: Some(rng.next() >> 60),
                    total: Some(rng.next() >> rng.below(64)),
                    per_page: Some(rng.next()),
                    total_pages: Some(rng.next() >> 62),
                    next: None,
                    links: rng.below(2) == 0,
                },
            };
            if pager.poll().is_none() {
                break;
            }
            let _ = pager.handle_page(&meta, rng.next() >> rng.below(64), rng.next() >> 62);
            let _ = pager.cursor().map(Cursor::encode);
        }
    }
}
