#!/usr/bin/env python3
"""Generate OAuth 1.0a signing test vectors with an INDEPENDENT implementation.

Every expected value (base string, signature, oauth_* parameter set) is computed
by oauthlib 3.2.2's low-level RFC 5849 functions -- never by oauth-edge's own
Rust code.  The only other helpers are the standard library's urllib.parse
(to split the query off the URL, exactly as oauthlib's own request code does),
hashlib/base64 (oauth_body_hash) and random (fixed seed).

Usage:  python tests/vectors/generate.py [outdir]
        (default outdir: the directory this script lives in)

Needs:  pip install oauthlib==3.2.2
Output is byte-for-byte deterministic: fixed RNG seed, no set/dict-hash order,
json.dump(sort_keys=True, indent=1, ensure_ascii=False) + trailing newline.
"""

import base64
import hashlib
import json
import os
import random
import sys
import types
import urllib.parse

import oauthlib
from oauthlib import common
from oauthlib.oauth1.rfc5849 import signature as sig
from oauthlib.oauth1.rfc5849 import utils as oautils

OAUTHLIB_VERSION = "3.2.2"
if oauthlib.__version__ != OAUTHLIB_VERSION:
    sys.exit(f"need oauthlib=={OAUTHLIB_VERSION}, found {oauthlib.__version__}")

GENERATOR = f"oauthlib {OAUTHLIB_VERSION} via tests/vectors/generate.py"
SEED = 5849
ZAP_SEED = "ZapEvent seed (001_f43da516bba4cf64.txt)"


# --------------------------------------------------------------------------
# The signer (oauthlib low-level functions only)
# --------------------------------------------------------------------------

def oauth_param_list(v):
    """The oauth_* protocol parameters that are sent (without oauth_signature)."""
    p = [("oauth_consumer_key", v["consumer_key"]),
         ("oauth_signature_method", v["signature_method"])]
    if v["timestamp"] is not None:
        p.append(("oauth_timestamp", v["timestamp"]))
    if v["nonce"] is not None:
        p.append(("oauth_nonce", v["nonce"]))
    if v["token"] is not None:
        p.append(("oauth_token", v["token"]))
    if v["callback"] is not None:
        p.append(("oauth_callback", v["callback"]))
    if v["verifier"] is not None:
        p.append(("oauth_verifier", v["verifier"]))
    if v["version"]:
        p.append(("oauth_version", "1.0"))
    if v["body_hash"]:
        raw = (v["body"] or "").encode("utf-8")
        p.append(("oauth_body_hash",
                  base64.b64encode(hashlib.sha1(raw).digest()).decode("ascii")))
    return p


def compute(v):
    """Fill v["expected"] using oauthlib."""
    if v["signature_method"] != "PLAINTEXT":
        assert v["nonce"] is not None and v["timestamp"] is not None, v["name"]
    if v["body_hash"]:
        assert not v["body_is_form"], "oauth_body_hash is only for non-form bodies"
        assert v["signature_method"] == "HMAC-SHA1", \
            "body hash algorithm only defined unambiguously for HMAC-SHA1 here"
    if v["token"] is None:
        assert v["token_secret"] is None, v["name"]

    query = urllib.parse.urlsplit(v["url"]).query
    form_body = None
    if v["body_is_form"]:
        assert v["body"] is not None
        form_body = v["body"]
        # oauthlib.common.extract_params silently returns None (=> no body
        # params signed!) for bodies that are not strictly form-urlencoded.
        # Make sure every form body we emit is accepted.
        assert common.extract_params(form_body) is not None, (v["name"], form_body)
    # collect_parameters raises ValueError for a malformed query.
    params = sig.collect_parameters(uri_query=query, body=form_body)
    for k, _ in params:
        assert not k.startswith("oauth_"), \
            "oauthlib re-unescapes oauth_* values from query/body; avoid them"

    oparams = oauth_param_list(v)
    all_params = list(params) + oparams   # realm never enters the base string
    normalized = sig.normalize_parameters(all_params)
    bs_uri = sig.base_string_uri(v["url"])
    base_string = sig.signature_base_string(v["method"], bs_uri, normalized)

    client = types.SimpleNamespace(client_secret=v["consumer_secret"],
                                   resource_owner_secret=v["token_secret"])
    m = v["signature_method"]
    if m == "HMAC-SHA1":
        s = sig.sign_hmac_sha1_with_client(base_string, client)
    elif m == "HMAC-SHA256":
        s = sig.sign_hmac_sha256_with_client(base_string, client)
    elif m == "PLAINTEXT":
        s = sig.sign_plaintext_with_client(base_string, client)
    else:
        raise ValueError(m)

    op = dict(oparams)
    assert len(op) == len(oparams)
    op["oauth_signature"] = s
    v["expected"] = {"base_string": base_string, "signature": s,
                     "oauth_params": op}
    return v


def vec(name, source, method, url, consumer_key, consumer_secret, *,
        body=None, body_is_form=False, body_hash=False, token=None,
        token_secret=None, signature_method="HMAC-SHA1", nonce=None,
        timestamp=None, callback=None, verifier=None, realm=None,
        version=False, **extra):
    v = {"name": name, "source": source, "method": method, "url": url,
         "body": body, "body_is_form": body_is_form, "body_hash": body_hash,
         "consumer_key": consumer_key, "consumer_secret": consumer_secret,
         "token": token, "token_secret": token_secret,
         "signature_method": signature_method, "nonce": nonce,
         "timestamp": timestamp, "callback": callback, "verifier": verifier,
         "realm": realm, "version": version}
    v.update(extra)
    return compute(v)


# --------------------------------------------------------------------------
# rfc5849.json
# --------------------------------------------------------------------------

RFC_3411_BASE_STRING = (
    "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q"
    "%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_"
    "key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m"
    "ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk"
    "9d7dh3k39sjv7")
RFC_3411_NORMALIZED = (
    "a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9dj"
    "dj82h48djs9d2&oauth_nonce=7d8f3e4a&oauth_signature_method=HMAC-SHA1"
    "&oauth_timestamp=137131201&oauth_token=kkk9d7dh3k39sjv7")


def rfc_vectors():
    out = []
    ck, cs = "dpf43f3p2l4k3l03", "kd94hf93k423kf44"

    def printed(v, printed_sig):
        v["rfc_printed_signature"] = printed_sig
        if v["expected"]["signature"] == printed_sig:
            v["note"] = "oauthlib's signature equals the signature printed in the RFC."
        else:
            v["note"] = ("DISCREPANCY: oauthlib's signature differs from the one "
                         "printed in the RFC; `expected` holds oauthlib's value.")
        return v

    out.append(printed(vec(
        "rfc5849-1.2-temporary-credentials",
        "RFC 5849 §1.2 (temporary credential request, sent over HTTPS)",
        "POST", "https://photos.example.net/initiate", ck, cs,
        nonce="wIjqoS", timestamp="137131200",
        callback="http://printer.example.com/ready", realm="Photos"),
        "74KNZJeDHnMBp0EMJ9ZHt/XKycU="))
    out.append(printed(vec(
        "rfc5849-1.2-token-request",
        "RFC 5849 §1.2 (token request, sent over TLS)",
        "POST", "https://photos.example.net/token", ck, cs,
        token="hh5s93j4hdidpola", token_secret="hdhd0244k9j7ao03",
        nonce="walatlh", timestamp="137131201",
        verifier="hfdp7dh39dks9884", realm="Photos"),
        "gKgrFCywp7rO0OXSjdot/IHF7IU="))
    out.append(printed(vec(
        "rfc5849-1.2-protected-resource",
        "RFC 5849 §1.2 (protected resource request)",
        "GET", "http://photos.example.net/photos?file=vacation.jpg&size=original",
        ck, cs, token="nnch734d00sl2jdk", token_secret="pfkkdhi9sl3r4s00",
        nonce="chapoH", timestamp="137131202", realm="Photos"),
        "MdpQcU8iPSUjWoN/UDMsK2sui9I="))

    v = vec("rfc5849-3.4.1.1-base-string",
            "RFC 5849 §3.4.1.1 / §3.4.1.3 example (base string printed in the RFC). "
            "The RFC does not give the secrets: consumer secret \"j49sk3j29djd\" "
            "and token secret \"dh893hdasih9\" were chosen by us, so the signature "
            "is oauthlib's only (the RFC's printed oauth_signature "
            "bYT5CMsGcbgUdFHObYMEfcx6bsw= cannot be reproduced without the real "
            "secrets).",
            "POST", "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
            "9djdj82h48djs9d2", "j49sk3j29djd",
            body="c2&a3=2+q", body_is_form=True,
            token="kkk9d7dh3k39sjv7", token_secret="dh893hdasih9",
            nonce="7d8f3e4a", timestamp="137131201", realm="Example",
            rfc_printed_base_string=RFC_3411_BASE_STRING,
            rfc_printed_normalized_parameters=RFC_3411_NORMALIZED,
            note="rfc_printed_base_string is the RFC's text with the display line "
                 "breaks removed; generate.py asserts oauthlib reproduces it exactly.")
    assert v["expected"]["base_string"] == RFC_3411_BASE_STRING, v["expected"]["base_string"]
    assert v["expected"]["base_string"].endswith(
        oautils.escape(RFC_3411_NORMALIZED))
    out.append(v)

    # §3.4.1.2 base string URI examples (credentials chosen by us).
    for name, url, bsu in [
            ("rfc5849-3.4.1.2-uri-example-1", "HTTP://EXAMPLE.COM:80/r%20v/X?id=123",
             "http://example.com/r%20v/X"),
            ("rfc5849-3.4.1.2-uri-example-2", "https://www.example.net:8080/?q=1",
             "https://www.example.net:8080/")]:
        v = vec(name, "RFC 5849 §3.4.1.2 base string URI example; credentials, "
                "nonce and timestamp chosen by us",
                "GET", url, "9djdj82h48djs9d2", "j49sk3j29djd",
                token="kkk9d7dh3k39sjv7", token_secret="dh893hdasih9",
                nonce="7d8f3e4a", timestamp="137131201",
                rfc_printed_base_string_uri=bsu)
        assert v["expected"]["base_string"].split("&")[1] == oautils.escape(bsu)
        out.append(v)

    # §2.1 PLAINTEXT temporary-credential example: signature "ja893SD9&"
    # => consumer secret "ja893SD9", empty token secret; no nonce/timestamp.
    v = vec("rfc5849-2.1-plaintext-temporary-credentials",
            "RFC 5849 §2.1 (PLAINTEXT temporary credential request; consumer "
            "secret ja893SD9 read off the printed oauth_signature \"ja893SD9%26\")",
            "POST", "https://server.example.com/request_temp_credentials",
            "jd83jd92dhsh93js", "ja893SD9", signature_method="PLAINTEXT",
            callback="http://client.example.net/cb?x=1", realm="Example")
    v["rfc_printed_signature"] = "ja893SD9&"
    assert v["expected"]["signature"] == "ja893SD9&"
    v["note"] = "oauthlib's PLAINTEXT signature equals the RFC's (printed percent-encoded in the header)."
    out.append(v)
    return out


# --------------------------------------------------------------------------
# zapevent.json
# --------------------------------------------------------------------------

def zapevent_vectors():
    out = []
    ck = "8493b95910d748c99bf74e61ef12043f"
    cs = "zapevent-test-consumer-secret"   # not in the seed: chosen by us
    cs_note = ("consumer secret \"zapevent-test-consumer-secret\" is not in the "
               "seed and was chosen by us")
    printed = "Pc+MLdv028fxCErFyi8KXFM+ddU="
    printed_note = ("The seed prints oauth_signature Pc+MLdv028fxCErFyi8KXFM+ddU= for "
                    "BOTH RequestToken and AccessToken (a copy-paste example); it cannot "
                    "be reproduced without the real consumer secret and is not used.")
    rt_tok, rt_sec = "b51d543ead3b43d69fae0ab35101eea6", "471B0501CF909941547B37F2F6C795059FAC26AF"
    at_tok, at_sec = "230bcf6370844029b72e5b67a40e772d", "277AA9779A21600B6BD391AD4AFA7B7EEF2A0BD2"
    verifier = "76bb1c1c95464e5cbd2af1c0617467c3"
    callback = "http://myapp.com:3005/zapevent/callback_process"

    shapes = [
        dict(name="zapevent-request-token",
             source=f"{ZAP_SEED} Step 1 POST oauth/RequestToken; {cs_note}",
             method="POST", url="https://www.zapevent.com/api/oauth/RequestToken",
             nonce="638937701", timestamp="1300228849", callback=callback,
             provider_printed_signature=printed, note=printed_note),
        dict(name="zapevent-access-token",
             source=f"{ZAP_SEED} Step 3 POST oauth/AccessToken; {cs_note}",
             method="POST", url="https://www.zapevent.com/api/oauth/AccessToken",
             token=rt_tok, token_secret=rt_sec, verifier=verifier,
             nonce="792966942", timestamp="1300228849",
             provider_printed_signature=printed, note=printed_note),
        dict(name="zapevent-getevents",
             source=f"{ZAP_SEED} API Access, Get Events (query params from the seed's "
                    f"parameter table; nonce/timestamp chosen by us); {cs_note}",
             method="GET",
             url="https://www.zapevent.com/api/event/getevents?format=json&page=2"
                 "&results_per_page=250&sort=name%20ASC",
             token=at_tok, token_secret=at_sec,
             nonce="417309186", timestamp="1300229000"),
        dict(name="zapevent-getevents-plus-space",
             source=f"{ZAP_SEED} API Access, Get Events, sort value written with '+' "
                    f"for the space (form-urlencoded query: decodes to 'name ASC', same "
                    f"base string as zapevent-getevents); {cs_note}",
             method="GET",
             url="https://www.zapevent.com/api/event/getevents?format=json&page=2"
                 "&results_per_page=250&sort=name+ASC",
             token=at_tok, token_secret=at_sec,
             nonce="417309186", timestamp="1300229000"),
        dict(name="zapevent-getparticipants",
             source=f"{ZAP_SEED} API Access, Get Activity Participants (event_id, "
                    f"activity_id, search_email with '+' and '@' percent-encoded; ids, "
                    f"nonce, timestamp chosen by us); {cs_note}",
             method="GET",
             url="https://www.zapevent.com/api/event/getparticipants?format=json"
                 "&event_id=48213&activity_id=90017"
                 "&search_email=jane.doe%2Bevents%40example.com",
             token=at_tok, token_secret=at_sec,
             nonce="503114872", timestamp="1300229100"),
        dict(name="zapevent-getparticipants-raw-at",
             source=f"{ZAP_SEED} Get Activity Participants, '@' left raw in the query "
                    f"(legal in a query; decodes identically); {cs_note}",
             method="GET",
             url="https://www.zapevent.com/api/event/getparticipants?format=json"
                 "&event_id=48213&activity_id=90017"
                 "&search_email=jane.doe%2Bevents@example.com",
             token=at_tok, token_secret=at_sec,
             nonce="503114872", timestamp="1300229100"),
        dict(name="zapevent-getparticipants-raw-plus-is-space",
             source=f"{ZAP_SEED} Get Activity Participants, PITFALL: '+' left raw in "
                    f"the query decodes to a SPACE ('jane.doe events@example.com'), so "
                    f"this signs a different value than the %2B vector; {cs_note}",
             method="GET",
             url="https://www.zapevent.com/api/event/getparticipants?format=json"
                 "&event_id=48213&activity_id=90017"
                 "&search_email=jane.doe+events@example.com",
             token=at_tok, token_secret=at_sec,
             nonce="503114872", timestamp="1300229100"),
    ]
    for s in shapes:
        s = dict(s)
        name, source, method, url = s.pop("name"), s.pop("source"), s.pop("method"), s.pop("url")
        out.append(vec(name, source, method, url, ck, cs, version=True, **s))
        # PLAINTEXT variant: the seed says nonce and timestamp are omitted.
        p = dict(s)
        p.pop("provider_printed_signature", None)
        p.pop("note", None)
        p["nonce"] = None
        p["timestamp"] = None
        out.append(vec(name + "-plaintext",
                       source + "; PLAINTEXT variant (nonce and timestamp omitted, as "
                       "the seed specifies for PLAINTEXT)",
                       method, url, ck, cs, version=True,
                       signature_method="PLAINTEXT", **p))

    # OneRoster-shaped, 2-legged HMAC-SHA256.
    ork, ors = "oneroster-test-client-key", "oneroster-test-client-secret"
    or_src = ("OneRoster v1.1 shaped request (IMS OneRoster uses 2-legged OAuth 1.0a; "
              "HMAC-SHA256); host, key, secret, nonce, timestamp chosen by us")
    out.append(vec("oneroster-users-filter", or_src, "GET",
                   "https://oneroster.example.org/ims/oneroster/v1p1/users"
                   "?limit=100&offset=200&filter=role%3D%27teacher%27",
                   ork, ors, signature_method="HMAC-SHA256",
                   nonce="Qm9uZXJvc3Rlcg", timestamp="1700000000", version=True))
    out.append(vec("oneroster-users-fields", or_src + "; 'fields' value has a raw ','",
                   "GET",
                   "https://oneroster.example.org/ims/oneroster/v1p1/users"
                   "?limit=100&offset=200&filter=role%3D%27teacher%27"
                   "&fields=sourcedId,givenName",
                   ork, ors, signature_method="HMAC-SHA256",
                   nonce="ZmllbGRzMTIz", timestamp="1700000001", version=True))
    # Filters a roster sync really sends (OneRoster 1.1 section 3.4.2): spaces, a quote doubled
    # inside the literal, '=', '!', '(', ')', '*', non-ASCII and an astral character. The
    # first two URLs are what oauth-edge's OneRosterFilter produces (RFC 3986 encoded); the
    # third is how a form-style client writes the same filter ('+' for space, sub-delims raw):
    # RFC 5849 section 3.4.1.3.1 decodes both to the same parameters.
    tricky = "familyName~'O''Brien (Jr.) = *!é𝒜'"
    out.append(vec("oneroster-filter-tricky-rfc3986", or_src + "; filter with spaces, quotes, "
                   "= ! ( ) * and non-ASCII, RFC 3986 encoded",
                   "GET",
                   "https://oneroster.example.org/ims/oneroster/v1p1/users?limit=100&offset=0"
                   "&filter=" + urllib.parse.quote(tricky, safe="-._~"),
                   ork, ors, signature_method="HMAC-SHA256",
                   nonce="dHJpY2t5MQ", timestamp="1700000002", version=True))
    both = "status='active' AND givenName~'Zoë' "
    out.append(vec("oneroster-filter-and-rfc3986", or_src + "; two predicates joined by AND, "
                   "a trailing space inside the literal",
                   "GET",
                   "https://oneroster.example.org/ims/oneroster/v1p1/students?limit=500&offset=500"
                   "&filter=" + urllib.parse.quote(both, safe="-._~") + "&sort=familyName&orderBy=desc",
                   ork, ors, signature_method="HMAC-SHA256",
                   nonce="dHJpY2t5Mg", timestamp="1700000003", version=True))
    out.append(vec("oneroster-filter-tricky-form-style", or_src + "; the same filter as "
                   "oneroster-filter-tricky-rfc3986 written with '+' for space and raw sub-delims",
                   "GET",
                   "https://oneroster.example.org/ims/oneroster/v1p1/users?limit=100&offset=0"
                   "&filter=" + urllib.parse.quote_plus(tricky, safe="-._~'()*!"),
                   ork, ors, signature_method="HMAC-SHA1",
                   nonce="dHJpY2t5Mw", timestamp="1700000004", version=True))
    return out


# --------------------------------------------------------------------------
# generated.json
# --------------------------------------------------------------------------

UNRESERVED = ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
              "0123456789-._~")
# Sub-delims etc. that may appear raw in a query and decode to themselves
# (no special meaning in application/x-www-form-urlencoded; all accepted by
# oauthlib's validator and by WHATWG URL parsers).  ';' '&' '=' '+' '%' '#'
# are never left raw inside a name/value.
RAW_OK_IN_QUERY = "!'()*,:@/?$~"
# Characters left raw in a path segment (RFC 3986 pchar minus unreserved,
# minus '%'; ';' excluded because urlparse treats it as path params).
RAW_OK_IN_PATH = "!$&'()*+,=:@"

ASCII_WORDS = ["a", "b", "c", "z", "A", "Z", "a1", "a-b", "a.b", "a_b", "a~b",
               "Name", "name", "NAME", "x", "q", "page", "sort", "filter",
               "user_id", "ids", "file", "size", "count", "0", "10", "9"]
UNICODE_WORDS = ["é", "caf\u00e9", "cafe\u0301", "中文", "日本語", "😀", "👍🏽",
                 "naïve", "ключ", "Ω", "ß", "İ", "\u00a0nbsp", "ﬁ", "e\u0301\u0302"]
RESERVED_WORDS = ["+", "%", "~", "*", "'", "!", "(", ")", "&", "=", ";", "/",
                  "?", ":", "@", ",", "$", "#", "[", "]", "a+b", "a&b=c",
                  "100%", "%41", "%2B", "%zz", "1+1=2", "x;y", "path/to?x",
                  "mail@example.com", "user+tag@example.com", "$5,000",
                  "(quoted)", "it's", "wow!", "a*b", "\"dq\"", "<tag>",
                  "back\\slash", "^caret", "`tick`", "{brace}", "|pipe|"]
SPACE_WORDS = [" ", "a b", " lead", "trail ", "two  spaces", "name ASC",
               "tab\tchar", "line\nbreak"]


def pick_word(rng, allow_empty=True):
    r = rng.random()
    if allow_empty and r < 0.08:
        return ""
    if r < 0.40:
        return rng.choice(ASCII_WORDS)
    if r < 0.60:
        return rng.choice(UNICODE_WORDS)
    if r < 0.85:
        return rng.choice(RESERVED_WORDS)
    return rng.choice(SPACE_WORDS)


def pct(s, safe, lower_hex=False):
    out = []
    for ch in s:
        if ch in UNRESERVED or ch in safe:
            out.append(ch)
        else:
            for b in ch.encode("utf-8"):
                h = "%{:02X}".format(b)
                out.append(h.lower() if lower_hex else h)
    return "".join(out)


def enc_form_component(rng, s, style):
    """Encode one name or value for a query string / form body."""
    if style == "strict":
        return pct(s, "")
    if style == "plus":               # spaces as '+'
        return pct(s, " ").replace(" ", "+")
    if style == "lax":                # leave harmless sub-delims raw
        return pct(s, RAW_OK_IN_QUERY)
    if style == "lowerhex":
        return pct(s, "", lower_hex=True)
    raise ValueError(style)


def build_pairs(rng, n, key_mode):
    pairs = []
    for _ in range(n):
        if key_mode == "ascii":
            k = rng.choice(ASCII_WORDS)
        else:
            k = pick_word(rng, allow_empty=False)
        v = pick_word(rng)
        pairs.append((k, v))
    # duplicates: same name with a different value, identical pair repeated
    if pairs and rng.random() < 0.35:
        k, v = rng.choice(pairs)
        pairs.append((k, pick_word(rng)))
    if pairs and rng.random() < 0.25:
        pairs.append(rng.choice(pairs))
    rng.shuffle(pairs)
    return pairs


def serialize_pairs(rng, pairs, styles, allow_bare):
    parts = []
    for k, v in pairs:
        style = rng.choice(styles)
        ek = enc_form_component(rng, k, style)
        if v == "" and allow_bare and rng.random() < 0.5:
            parts.append(ek)           # bare `a` (no '=') => empty value
        else:
            parts.append(ek + "=" + enc_form_component(rng, v, style))
    return "&".join(parts)


HOSTS = ["api.example.com", "Api.Example.COM", "EXAMPLE.ORG", "photos.example.net",
         "sub-domain.example.co.uk", "localhost", "127.0.0.1", "10.0.0.7",
         "xn--caf-dma.example", "a.b.c.example.io"]
PATH_SEGMENTS = ["api", "v1", "v2", "Path", "MixedCase", "users", "items.json",
                 "photos", "r%20v", "X", "%E4%B8%AD%E6%96%87", "caf%C3%A9",
                 "~user", "a-b_c.d", "with%2Fslash", "100%25", "a+b", "a:b@c",
                 "it's", "(x)", "x,y", "k=v", "$dollar", "!bang", "*", "a&b",
                 "%F0%9F%98%80", "space%20here", "index.php"]


def gen_url(rng, i):
    scheme = rng.choice(["http", "https"])
    r = rng.random()
    if r < 0.2:
        scheme = scheme.upper()
    elif r < 0.3:
        scheme = scheme.capitalize()
    host = rng.choice(HOSTS)
    if rng.random() < 0.15:
        host = host.upper()
    sl = scheme.lower()
    pr = rng.random()
    if pr < 0.45:
        port = ""
    elif pr < 0.65:
        port = ":80" if sl == "http" else ":443"        # default -> dropped
    else:
        port = ":" + rng.choice(["8080", "8443", "443" if sl == "http" else "80",
                                 "3005", "65535", "1"])
    pr = rng.random()
    if pr < 0.08:
        path = ""                                        # empty path => "/"
    elif pr < 0.14:
        path = "/"
    else:
        segs = [rng.choice(PATH_SEGMENTS) for _ in range(rng.randint(1, 4))]
        path = "/" + "/".join(segs)
        if rng.random() < 0.15:
            path += "/"                                  # trailing slash kept
    return scheme, host, port, path


METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH"]
SECRETS = ["", "kd94hf93k423kf44", "s3cr3t&with=reserved+chars", "päss wörd",
           "中文秘密", "~*'!()", "a+b%2Fc", "😀key", "tab\tsecret", "x" * 64,
           "semi;colon/slash?q#frag", "line\nbreak"]
KEYS = ["dpf43f3p2l4k3l03", "9djdj82h48djs9d2", "consumer key with spaces",
        "ключ-потребителя", "key+plus&amp", "ck~_.-", "😀"]
TOKENS = ["nnch734d00sl2jdk", "kkk9d7dh3k39sjv7", "tok/with+slash=",
          "tøken", "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"]
CALLBACKS = ["oob", "http://printer.example.com/ready",
             "http://client.example.net/cb?x=1",
             "https://app.example.com/cb?state=a%20b&x=1+2#frag",
             "http://myapp.com:3005/zapevent/callback_process",
             "myapp://oauth/callback?é=中文"]
NONCE_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def gen_one(rng, i):
    f = {}
    scheme, host, port, path = gen_url(rng, i)

    # method: mixed case input
    m = rng.choice(METHODS)
    r = rng.random()
    if r < 0.25:
        m = m.lower()
    elif r < 0.35:
        m = m.capitalize()

    # query
    query = None
    qr = rng.random()
    if qr < 0.75:
        key_mode = "ascii" if rng.random() < 0.5 else "any"
        pairs = build_pairs(rng, rng.randint(1, 5), key_mode)
        styles = rng.choice([["strict"], ["plus"], ["lax"], ["lowerhex"],
                             ["strict", "plus", "lax", "lowerhex"]])
        query = serialize_pairs(rng, pairs, styles, allow_bare=True)
    elif qr < 0.8:
        query = ""                     # a bare '?' with nothing after it
    url = f"{scheme}://{host}{port}{path}"
    if query is not None:
        url += "?" + query
    frag = rng.random() < 0.012 or i in (17, 123)
    if frag:
        url += "#" + rng.choice(["frag", "section-2", "x=1&y=2", "top"])

    # body
    body, body_is_form, body_hash = None, False, False
    sm = ["HMAC-SHA1", "HMAC-SHA256", "PLAINTEXT"][i % 3]
    if m.upper() != "GET" and rng.random() < 0.6:
        if rng.random() < 0.7:
            pairs = build_pairs(rng, rng.randint(0, 5),
                                "ascii" if rng.random() < 0.5 else "any")
            styles = rng.choice([["strict"], ["plus"], ["lax"],
                                 ["strict", "plus", "lax", "lowerhex"]])
            body = serialize_pairs(rng, pairs, styles, allow_bare=True)
            body_is_form = True
        else:
            body = rng.choice([
                '{"name":"café","tags":["a b","中文"],"n":1}',
                '{"a":"x=1&y=2"}', "[]", "", "plain text body\n",
                '{"emoji":"😀","amp":"&","plus":"+"}',
                "a=1&b=2",     # looks form-encoded, but is NOT form content-type
            ])
            body_is_form = False
            body_hash = (sm == "HMAC-SHA1" and rng.random() < 0.8)

    # credentials
    consumer_key = rng.choice(KEYS) if rng.random() < 0.3 else \
        "".join(rng.choice(NONCE_CHARS) for _ in range(16))
    consumer_secret = rng.choice(SECRETS)
    token = token_secret = None
    if rng.random() < 0.65:
        token = rng.choice(TOKENS) if rng.random() < 0.4 else \
            "".join(rng.choice(NONCE_CHARS) for _ in range(rng.randint(8, 40)))
        token_secret = rng.choice(SECRETS)
    callback = rng.choice(CALLBACKS) if rng.random() < 0.25 else None
    verifier = None
    if rng.random() < 0.25:
        verifier = rng.choice(["hfdp7dh39dks9884", "76bb1c1c95464e5cbd2af1c0617467c3",
                               "v+e/r=i&f ier", "ü-verifier"])
    realm = rng.choice(["Photos", "Example", "http://sp.example.com/",
                        "realm with \"quotes\" and spaces", ""]) \
        if rng.random() < 0.3 else None
    version = rng.random() < 0.5

    nonce = "".join(rng.choice(NONCE_CHARS + "-._~") for _ in range(rng.randint(6, 32)))
    timestamp = str(rng.randint(1, 2_000_000_000))
    if sm == "PLAINTEXT" and rng.random() < 0.5:
        nonce = timestamp = None

    return dict(method=m, url=url, body=body, body_is_form=body_is_form,
                body_hash=body_hash, consumer_key=consumer_key,
                consumer_secret=consumer_secret, token=token,
                token_secret=token_secret, signature_method=sm, nonce=nonce,
                timestamp=timestamp, callback=callback, verifier=verifier,
                realm=realm, version=version)


def generated_vectors(n=300):
    rng = random.Random(SEED)
    out = []
    for i in range(n):
        d = gen_one(rng, i)
        name = "gen-{:03d}".format(i)
        out.append(vec(name, f"generated (seed {SEED}) #{i}", **d))
    check_coverage(out)
    return out


def check_coverage(vs):
    def count(pred):
        return sum(1 for v in vs if pred(v))

    def q(v):
        return urllib.parse.urlsplit(v["url"]).query

    def path(v):
        return urllib.parse.urlsplit(v["url"]).path

    def nonascii(s):
        return s is not None and any(ord(c) > 127 for c in urllib.parse.unquote_plus(s))

    checks = {
        "non-ascii in query": count(lambda v: nonascii(q(v))),
        "non-ascii in form body": count(lambda v: v["body_is_form"] and nonascii(v["body"])),
        "combining mark": count(lambda v: "\u0301" in urllib.parse.unquote_plus(v["url"])),
        "emoji": count(lambda v: "😀" in urllib.parse.unquote_plus(v["url"] + (v["body"] or ""))),
        "'+' in query": count(lambda v: "+" in q(v)),
        "'%2B' in query": count(lambda v: "%2B" in q(v)),
        "%20 in query": count(lambda v: "%20" in q(v)),
        "bare key": count(lambda v: any(p and "=" not in p for p in q(v).split("&"))),
        "empty value a=": count(lambda v: any(p.endswith("=") for p in q(v).split("&"))),
        "duplicate keys": count(lambda v: len({k for k, _ in common.urldecode(q(v))})
                                < len(common.urldecode(q(v)))),
        "lowercase method": count(lambda v: v["method"] != v["method"].upper()),
        "default port": count(lambda v: (":80/" in v["url"] or ":80?" in v["url"]
                                         or v["url"].endswith(":80"))
                              and v["url"].lower().startswith("http:")
                              or (":443" in v["url"] and v["url"].lower().startswith("https:"))),
        "non-default port": count(lambda v: any(p in v["url"] for p in
                                                (":8080", ":8443", ":3005"))),
        ":443 on http": count(lambda v: v["url"].lower().startswith("http:")
                              and ":443" in v["url"]),
        "mixed-case scheme": count(lambda v: v["url"].split(":")[0] not in ("http", "https")),
        "uppercase host": count(lambda v: any(c.isupper() for c in
                                              urllib.parse.urlsplit(v["url"]).netloc)),
        "encoded path": count(lambda v: "%" in path(v)),
        "fragment": count(lambda v: "#" in v["url"]),
        "token": count(lambda v: v["token"] is not None),
        "no token": count(lambda v: v["token"] is None),
        "callback": count(lambda v: v["callback"] is not None),
        "verifier": count(lambda v: v["verifier"] is not None),
        "realm": count(lambda v: v["realm"] is not None),
        "version": count(lambda v: v["version"]),
        "no version": count(lambda v: not v["version"]),
        "HMAC-SHA1": count(lambda v: v["signature_method"] == "HMAC-SHA1"),
        "HMAC-SHA256": count(lambda v: v["signature_method"] == "HMAC-SHA256"),
        "PLAINTEXT": count(lambda v: v["signature_method"] == "PLAINTEXT"),
        "PLAINTEXT w/o nonce": count(lambda v: v["signature_method"] == "PLAINTEXT"
                                     and v["nonce"] is None),
        "empty consumer secret": count(lambda v: v["consumer_secret"] == ""),
        "empty token secret": count(lambda v: v["token_secret"] == ""),
        "non-ascii secret": count(lambda v: any(ord(c) > 127 for c in
                                                v["consumer_secret"] + (v["token_secret"] or ""))),
        "form body": count(lambda v: v["body_is_form"]),
        "non-form body": count(lambda v: v["body"] is not None and not v["body_is_form"]),
        "body_hash": count(lambda v: v["body_hash"]),
        "methods": len({v["method"].upper() for v in vs}),
    }
    for k, c in checks.items():
        need = 5 if k == "methods" else (2 if k in ("fragment", ":443 on http",
                                                     "combining mark") else 3)
        assert c >= need, f"coverage: {k} only {c}"
    return checks


# --------------------------------------------------------------------------

def write(outdir, fname, source, vectors):
    names = [v["name"] for v in vectors]
    assert len(names) == len(set(names)), "duplicate vector names"
    doc = {"source": source, "generator": GENERATOR, "vectors": vectors}
    with open(os.path.join(outdir, fname), "w", encoding="utf-8", newline="\n") as fh:
        json.dump(doc, fh, sort_keys=True, indent=1, ensure_ascii=False)
        fh.write("\n")
    print(f"{fname}: {len(vectors)} vectors")


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    os.makedirs(outdir, exist_ok=True)
    write(outdir, "rfc5849.json",
          "RFC 5849 (The OAuth 1.0 Protocol) worked examples §1.2, §2.1, §3.4.1.1, "
          "§3.4.1.2; expected values computed by oauthlib",
          rfc_vectors())
    write(outdir, "zapevent.json",
          f"{ZAP_SEED} request shapes (RequestToken, AccessToken, getevents, "
          "getparticipants; HMAC-SHA1 + PLAINTEXT) and OneRoster-shaped 2-legged "
          "HMAC-SHA256 requests; expected values computed by oauthlib",
          zapevent_vectors())
    write(outdir, "generated.json",
          f"generated edge cases, random.Random({SEED}); expected values computed by oauthlib",
          generated_vectors())


if __name__ == "__main__":
    main()
