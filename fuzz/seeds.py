#!/usr/bin/env python3
"""Writes the seed corpus fuzz/corpus/<target>/ from the repository's own vectors
(tests/vectors/*.json, tests/vectors/zapevent/*) and the RFC examples quoted below.

Each seed is laid out as its target reads it (fuzz/src/lib.rs, fuzz/README.md): a fixed
option header, text fields separated by 0xFF, then the body. Deterministic: re-running it
rewrites the same files (named by content hash), so `git status` shows any change.

    python3 fuzz/seeds.py          # from the repository root or anywhere
"""
import hashlib
import json
import os
import pathlib
import shutil
import struct

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"
VECTORS = ROOT / "tests" / "vectors"
SEP = b"\xff"

# fuzz/src/lib.rs STATUSES: the byte that picks each status.
STATUSES = [200, 201, 204, 299, 400, 401, 403, 404, 409, 429, 500, 503, 0, 100, 199, 300, 302,
            399, 599, 999]


def status_byte(status):
    """The byte picking `status`. Targets that read a byte below 128 as 200 (zapevent,
    oneroster, orc_roster) take 140 + this (140 % 20 == 0)."""
    return STATUSES.index(status)


def clock(ms):
    """The 4 clock bytes of fuzz/src/lib.rs now_ms (seconds; the ms part is b[0] % 1000)."""
    return struct.pack("<I", ms // 1000)


def b(x):
    if x is None:
        return b""
    return x if isinstance(x, bytes) else str(x).encode()


def seed(target, header, fields, body):
    data = bytes(header) + b"".join(b(f) + SEP for f in fields) + b(body)
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()[:16]).write_bytes(data)


NOW = 1_735_689_600_000  # 2025-01-01T00:00:00Z


def oauth1_sign():
    vectors = []
    for name, every in (("rfc5849.json", 1), ("zapevent.json", 1), ("generated.json", 5)):
        vs = json.loads((VECTORS / name).read_text())["vectors"]
        vectors += vs[::every]
    for i, v in enumerate(vectors):
        method = {"HMAC-SHA1": 0, "HMAC-SHA256": 1, "PLAINTEXT": 2}[v["signature_method"]]
        body = v.get("body")
        kind = 0 if body is None else (1 if v.get("body_is_form") else 2)
        o = method | (i % 3) << 2 | kind << 4 | (64 if v.get("body_hash") else 0)
        o |= 128 if v.get("version") else 0
        p = (2 if v.get("callback") is not None else 0) | (4 if v.get("verifier") is not None else 0)
        p |= (8 if v.get("realm") is not None else 0) | (16 if v.get("token") is not None else 0)
        p |= (32 if v.get("nonce") is not None else 0) | (64 if v.get("timestamp") is not None else 0)
        fields = [v["method"], v["url"], v.get("callback"), v.get("verifier"), v.get("realm"),
                  v.get("nonce"), v.get("timestamp"), v["consumer_key"], v["consumer_secret"],
                  v.get("token"), v.get("token_secret")]
        seed("oauth1_sign", [o, p], fields, body)


def oauth1_token_response():
    ok = status_byte(200)
    for body in [
        # RFC 5849 §2.1 and §2.3
        "oauth_token=hh5s93j4hdidpola&oauth_token_secret=hdhd0244k9j7ao03&oauth_callback_confirmed=true",
        "oauth_token=nnch734d00sl2jdk&oauth_token_secret=pfkkdhi9sl3r4s00",
        # ZapEvent's documented answer (a line break before oauth_callback_confirmed)
        "oauth_token=a%20b&oauth_token_secret=c+d&\noauth_callback_confirmed=true&user_id=7",
    ]:
        seed("oauth1_token_response", [ok], [""], body)
    problems = "oauth_problem=signature_invalid&oauth_problem_advice=check%20the%20key"
    seed("oauth1_token_response", [status_byte(401)], [""], problems)
    seed("oauth1_token_response", [status_byte(401)],
         ['OAuth realm="Photos", oauth_problem="token_rejected"'], "")
    for name in ("error-6-document.xml", "error-3-document.xml"):
        seed("oauth1_token_response", [status_byte(400)], [""], (VECTORS / "zapevent" / name).read_bytes())


def callbacks():
    verifier = "dBjftJeZ4CVP-mJ92K9aIt9rkz3ze5ZKjRnmvWOmO6" + "Q"  # 43 chars (RFC 7636 §4.1 shape)
    cases = [
        # RFC 6749 §4.1.2, §4.1.2.1
        (0, "xyz", "https://client.example.com/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz"),
        (0, "xyz", "https://client.example.com/cb?error=access_denied&state=xyz"),
        (0, "xyz", "https://client.example.com/cb?error=invalid_scope&error_description=bad+scope"
                   "&error_uri=https%3A%2F%2Fas.example%2Ferr&state=xyz#frag"),
        (0, "xyz", "https://client.example.com/cb?code=a&code=b&state=xyz"),
        # RFC 9207 §2.4 (iss)
        (1, "ZWVlNDBlYzA1NjdkMDNhYjg3ZjUxZjAyNGQzMTM2NzI",
         "https://client.example/cb?code=x1848ZT64p4IirMPT0R-X3141MFPTuBX-VFL_cvaplMH58"
         "&state=ZWVlNDBlYzA1NjdkMDNhYjg3ZjUxZjAyNGQzMTM2NzI&iss=https%3A%2F%2Fhonest.as.example"),
        # RFC 5849 §2.2 (the OAuth 1.0a callback; state is the temporary token)
        (0, "hh5s93j4hdidpola",
         "http://printer.example.com/ready?oauth_token=hh5s93j4hdidpola&oauth_verifier=hfdp7dh39dks9884"),
        (0, "hh5s93j4hdidpola", "https://app.example/cb?oauth_problem=user_refused"),
    ]
    for o, state, url in cases:
        seed("callbacks", [o | 4 | 8], [state, verifier, "https://client.example.com/cb",
                                        "https://honest.as.example"], url)
    seed("callbacks", [0], ["xyz", "", "", ""], "https://client.example.com/cb?code=c&state=xyz")


def oauth2_token_response():
    ok = status_byte(200)
    c = clock(NOW)
    bodies = [
        # RFC 6749 §5.1 (and §4.4.3)
        '{"access_token":"2YotnFZFEjr1zCsicMWpAA","token_type":"example","expires_in":3600,'
        '"refresh_token":"tGzv3JOkF0XG5Qx2TlKWIA","example_parameter":"example_value"}',
        '{"access_token":"a","refresh_token":"r","expires_in":"3600","token_type":"BEARER","scope":null}',
        '{"access_token":"a","expires_in":1e308,"scope":["read","write"],"id_token":"h.p.s"}',
        '\ufeff{"access_token":"a|b","expires_in":59.5}',
        "access_token=a&expires_in=60&token_type=bearer",
        '{"error":"invalid_grant","error_description":"refresh token revoked"}',
    ]
    for i, body in enumerate(bodies):
        seed("oauth2_token_response", [ok, 0] + list(c), ["", "application/json"], body)
    # The Online Registration Center: expires_in in hours, refresh token as access_refresh_token.
    seed("oauth2_token_response", [ok, 3] + list(c), ["", ""],
         '{"access_token":"orc","access_refresh_token":"orr","expires_in":24}')
    # RFC 6749 §5.2 errors, rate limits with RFC 9110 Retry-After.
    seed("oauth2_token_response", [status_byte(400), 4] + list(c), ["", "application/json"],
         '{"error":"invalid_request","error_description":"x","error_uri":"https://as.example/e"}')
    seed("oauth2_token_response", [status_byte(429), 0] + list(c), ["120", ""], "")
    seed("oauth2_token_response", [status_byte(503), 0] + list(c),
         ["Wed, 21 Oct 2015 07:28:00 GMT", "text/html"], "<html>busy</html>")


def http_date():
    values = [
        # RFC 9110 §5.6.7 (the three forms), §10.2.3 (Retry-After)
        "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
        "Fri, 31 Dec 1999 23:59:59 GMT", "120", "Thu, 29 Feb 2024 23:59:60 GMT",
        "Thu, 01 Jan 1970 00:00:00 GMT", "Sunday, 01-Jan-76 00:00:00 GMT", " 0 ", "99999999999999999999999",
        "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 31 Nov 1994 08:49:37 GMT", "-1",
    ]
    for v in values:
        seed("http_date", clock(NOW), [], v)


def link_header():
    # RFC 8288 §3.5 examples, GitHub's pagination header.
    seed("link_header", [], ['<http://example.com/TheBook/chapter2>; rel="previous"; title="previous chapter"',
                             ""], '</>; rel="http://example.net/foo"')
    seed("link_header", [], ["</TheBook/chapter2>; rel=\"previous\"; title*=UTF-8'de'letztes%20Kapitel, "
                             "</TheBook/chapter4>; rel=\"next\"; title*=UTF-8'de'n%c3%a4chstes%20Kapitel", ""], "")
    seed("link_header", [], ['<http://example.org/>; rel="start http://example.net/relation/other"', ""], "")
    seed("link_header", [], ['<https://api.github.com/repositories/1300192/issues?page=2>; rel="next", '
                             '<https://api.github.com/repositories/1300192/issues?page=515>; rel="last"', ""], "")
    seed("link_header", [], ['<https://x/?ids=1,2>; rel=next; title="a, \\"b\\"; c", </e>; REL="Prev Last"',
                             "x"], "<a>;; rel ; anchor=\"#x\" , ,<b>; rel=next")


def www_authenticate():
    c = clock(NOW)
    for o, value, retry in [
        # RFC 6750 §3 examples
        (1, 'Bearer realm="example"', ""),
        (1, 'Bearer realm="example", error="invalid_token", error_description="The access token expired"', ""),
        (1, 'Bearer error="insufficient_scope", scope="read write"', ""),
        (1, 'bearer error=invalid_request', ""),
        (1, 'Basic realm="x", error="y"', ""),
        (0, "", "120"),
        (0, "", "Wed, 21 Oct 2015 07:28:00 GMT"),
    ]:
        status = status_byte(429) if o == 0 else 0
        seed("www_authenticate", [status, o, 1, 2, 3, 4] + list(c), [value, retry], "a")


def zapevent():
    methods = ["participants", "events", "event", "categories", "questions", "login"]
    fmts = {".xml": 0, ".json": 1, ".csv": 2}
    for f in sorted((VECTORS / "zapevent").iterdir()):
        if f.suffix not in fmts:
            continue
        stem = f.stem
        m = next((i for i, n in enumerate(methods) if stem.startswith(n)), 0)
        status = 140 + STATUSES.index(400) if stem.startswith("error") else 0
        seed("zapevent", [m, fmts[f.suffix], status, 2], ["", "", ""], f.read_bytes())
    seed("zapevent", [0, 1, 0, 2], ["523", "1", "pg1.2.250.250"],
         '{"total_count":"2","participants":[{"age":"34","amount_paid":"1,234.50","created":"01-10-2025 09:30"}]}')


def oneroster():
    users = ('{"users":[{"sourcedId":"u1","status":"active","dateLastModified":"2025-01-15T12:00:00.000Z",'
             '"enabledUser":"true","givenName":"Zo\u00eb","orgs":[{"href":"orgs/s1","sourcedId":"s1","type":"org"}],'
             '"metadata":{"classlink.grade":"07"},"x_extra":1}]}')
    link = '<https://district.example/ims/oneroster/v1p1/students?limit=1&offset=1>; rel="next"'
    seed("oneroster", [8, 0, 6], ["10000", link, ""], users)
    seed("oneroster", [1, 0, 0], ["", "", ""], '{"orgs":[]}')
    seed("oneroster", [6, 0, 0], ["", "", "pg1.1.0.0"], '{"class":{"sourcedId":"c1","title":"Fran\u00e7ais"}}')
    seed("oneroster", [11, 0, 0], ["", "", ""], '[{"sourcedId":"d1","white":"false","asian":true}]')
    imsx = {"imsx_codeMajor": "failure", "imsx_severity": "error", "imsx_description": "unknown filter field foo",
            "imsx_CodeMinor": {"imsx_codeMinorField": [{"imsx_codeMinorFieldName": "TargetEndSystem",
                                                        "imsx_codeMinorFieldValue": "invalid_filter_field"}]}}
    seed("oneroster", [7, 140 + STATUSES.index(400), 0], ["", "", ""], json.dumps(imsx))
    sets = {"statusInfoSet": [{"imsx_codeMajor": "failure", "imsx_description": "x",
                               "imsx_codeMinor": {"imsx_codeMinorField": [{"imsx_codeMinorFieldValue": "unknownobject"}]}}]}
    seed("oneroster", [7, 140 + STATUSES.index(404), 0], ["", "", ""], json.dumps(sets))
    seed("oneroster", [7, 140 + STATUSES.index(401), 1], ["", "", ""], "{}")


def orc_roster():
    seed("orc_roster", [0], [], '{"attendees":[{"module_id":"4101","summary":"Spring 5K","start_date":"04/12/2025",'
         '"trxdate":"2025-03-14 09:26:53","lname":"Nguy\u1ec5n","email":"a@example.org","extra":true},'
         '{"module_id":4101,"start_date":"2025-04-12","trxdate":"2025-03-14T09:26:53Z"}]}')
    seed("orc_roster", [0], [], '{"attendees":[{"start_date":"02-29-2024","trxdate":"03/14/2025 09:26"}]}')
    seed("orc_roster", [140 + STATUSES.index(400)], [],
         '{"error":"invalid_request","error_description":"only \\"Registration Data\\" export templates are accepted"}')
    seed("orc_roster", [140 + STATUSES.index(302)], [], "")


def json_bodies():
    # RFC 8259 §13's examples, then near-misses the reader must refuse as serde_json does.
    seed("json", [], [], '{"Image":{"Width":800,"Height":600,"Title":"View from 15th Floor","Thumbnail":'
         '{"Url":"http://www.example.com/image/481989943","Height":125,"Width":100},"Animated":false,'
         '"IDs":[116,943,234,38793]}}')
    seed("json", [], [], '[{"precision":"zip","Latitude":37.7668,"Longitude":-122.3959,"Address":"",'
         '"City":"SAN FRANCISCO","State":"CA","Zip":"94107","Country":"US"}]')
    for body in ['"Hello world!"', "42", "true", '"\\ud834\\udd1e \\u00e9\\n"', '{"a":1,"a":[2.50e-3]}',
                 '"\\ud834"', "[1,]", "01", "1e400", '{"access_token":"a","expires_in":3600}']:
        seed("json", [], [], body)


if __name__ == "__main__":
    for target in ("oauth1_sign", "oauth1_token_response", "callbacks", "oauth2_token_response", "http_date",
                   "link_header", "www_authenticate", "zapevent", "oneroster", "orc_roster", "json"):
        shutil.rmtree(CORPUS / target, ignore_errors=True)
        globals()["json_bodies" if target == "json" else target]()
        n = len(os.listdir(CORPUS / target))
        size = sum(f.stat().st_size for f in (CORPUS / target).iterdir())
        print(f"{target}: {n} seeds, {size} bytes")
