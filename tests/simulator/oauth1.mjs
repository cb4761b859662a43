// The strict OAuth 1.0a (RFC 5849) request verifier every OAuth 1 route reuses: parameter
// placement, timestamp window, nonce replay, token kind, signature (via the oauth-1.0a package).

import { createHash, createHmac } from "node:crypto";
import OAuth from "oauth-1.0a";
import { BoundedMap, percentDecode, safeEqual } from "./util.mjs";

/** RFC 5849 §3.3: how far a timestamp may be from the server clock (either way). */
export const TIMESTAMP_WINDOW_SECONDS = 300;

/** Protocol parameters this server understands; any other oauth_* is "parameter_rejected". */
const KNOWN_PARAMS = new Set(["oauth_consumer_key", "oauth_token", "oauth_signature_method", "oauth_signature",
  "oauth_timestamp", "oauth_nonce", "oauth_version", "oauth_callback", "oauth_verifier", "oauth_body_hash"]);

const HASHES = { "HMAC-SHA1": "sha1", "HMAC-SHA256": "sha256" };

/**
 * Failure reasons (JSON `reason`) → [HTTP status, OAuth Problem Reporting name]. RFC 5849 §3.2:
 * 400 for unsupported/missing/duplicated parameters and unsupported methods, 401 for bad
 * credentials, tokens, signatures and nonces. Problem names: oauth.pbworks.com/ProblemReporting.
 */
const REASONS = {
  header_malformed: [400, "parameter_rejected"],
  parameter_placement: [400, "parameter_rejected"],
  parameter_duplicated: [400, "parameter_rejected"],
  parameter_unsupported: [400, "parameter_rejected"],
  parameter_absent: [400, "parameter_absent"],
  credentials_missing: [401, "parameter_absent"],
  version_rejected: [400, "version_rejected"],
  timestamp_invalid: [400, "parameter_rejected"],
  nonce_invalid: [400, "parameter_rejected"],
  body_hash_with_form: [400, "parameter_rejected"],
  signature_method_rejected: [400, "signature_method_rejected"],
  consumer_key_unknown: [401, "consumer_key_unknown"],
  timestamp_stale: [401, "timestamp_refused"],
  nonce_replayed: [401, "nonce_used"],
  token_unexpected: [401, "token_rejected"],
  token_missing: [401, "parameter_absent"],
  token_unknown: [401, "token_rejected"],
  token_wrong_kind: [401, "token_rejected"],
  token_used: [401, "token_used"],
  token_expired: [401, "token_expired"],
  token_revoked: [401, "token_revoked"],
  signature_invalid: [401, "signature_invalid"],
  body_hash_invalid: [401, "signature_invalid"],
};

function fail(reason, message, extra = {}) {
  const [status, problem] = REASONS[reason];
  return { ok: false, status, reason, problem, message, extra };
}

/** `WWW-Authenticate` value for a failed verification (RFC 5849 §3.2 + Problem Reporting). */
export function oauth1Challenge(failure, realm = "sim") {
  let v = `OAuth realm="${realm}", oauth_problem="${failure.problem}"`;
  for (const [k, val] of Object.entries(failure.extra || {})) v += `, ${k}="${val}"`;
  return v;
}

/** The headers of an OAuth 1.0a refusal: its challenge and the simulated clock's `Date`. */
export function oauth1RefusalHeaders(failure, realm = "sim") {
  return { "WWW-Authenticate": oauth1Challenge(failure, realm), Date: failure.date };
}

/**
 * Parses `Authorization: OAuth realm="…", k="v", …` (RFC 5849 §3.5.1): comma-separated, quoted,
 * percent-encoded names and values. Returns null for other schemes, pairs otherwise.
 */
export function parseOAuthHeader(header) {
  if (!header) return null;
  const m = /^OAuth(?:\s+|$)/i.exec(header);
  if (!m) return null;
  const pairs = [];
  let rest = header.slice(m[0].length);
  const re = /^\s*([^\s=,"]+)\s*=\s*"([^"]*)"\s*(?:,|$)/;
  while (rest.trim() !== "") {
    const p = re.exec(rest);
    if (!p) return { malformed: true, pairs };
    rest = rest.slice(p[0].length);
    if (p[1].toLowerCase() === "realm") continue; // §3.5.1: realm is not a signed parameter
    pairs.push([percentDecode(p[1]), percentDecode(p[2])]);
  }
  return { malformed: false, pairs };
}

/** `enc()` of RFC 5849 §3.6, taken from the independent library. */
const enc = (s) => OAuth.prototype.percentEncode(s);

/**
 * Creates the verifier. `verify(r, policy)` takes the server's parsed request `r`
 * ({method, baseUrl, query, form, body, headers}) and a policy:
 *   consumer(key)  → {key, secret, signatureMethods, placements?} | null
 *   token(value)   → {token, secret, kind: "request"|"access", consumerKey, expiresAt?, used?, revoked?} | null
 *   tokenKind      → "access" | "request" | "none" (2-legged) | "optional" (access or none)
 * and returns {ok: true, consumer, token, oauth, params, placement} or a failure
 * {ok: false, status, reason, problem, message, extra}.
 */
export function createOAuth1Verifier({ clock, counters, maxNonces = 50000 }) {
  // Nonces seen, keyed by (consumer key, token, timestamp, nonce) as RFC 5849 §3.3 requires.
  let nonces = new BoundedMap(maxNonces);

  function count(result) {
    counters.inc(["oauth1", result.ok ? "accepted" : result.reason]);
    return result;
  }

  function verify(r, policy) {
    const result = check(r, policy);
    // A refusal says what the server's clock reads (RFC 9110 §6.6.1 Date), from the simulated
    // clock: a client whose timestamp was refused can learn the offset from it (RFC 5849 §3.3).
    if (!result.ok) result.date = new Date(clock.nowMs()).toUTCString();
    return count(result);
  }

  function check(r, policy) {
    // ---- 1. Where are the protocol parameters? Exactly one place (RFC 5849 §3.5). ----------
    const places = [];
    let header;
    try {
      header = parseOAuthHeader(r.headers.authorization);
    } catch {
      return fail("header_malformed", "Authorization: OAuth header has malformed percent-encoding");
    }
    if (header) {
      if (header.malformed) return fail("header_malformed", "Authorization: OAuth header is not RFC 5849 §3.5.1 syntax");
      places.push(["header", header.pairs]);
    }
    const queryOAuth = r.query.filter(([k]) => k.startsWith("oauth_"));
    if (queryOAuth.length) places.push(["query", queryOAuth]);
    const formOAuth = (r.form || []).filter(([k]) => k.startsWith("oauth_"));
    if (formOAuth.length) places.push(["body", formOAuth]);
    if (places.length === 0) return fail("credentials_missing", "no OAuth protocol parameters");
    if (places.length > 1) {
      return fail("parameter_placement", `OAuth parameters found in ${places.map((p) => p[0]).join(" and ")}; use exactly one place`);
    }
    const [placement, oauthPairs] = places[0];

    // ---- 2. Protocol parameters: known, not repeated, the required ones present. -----------
    const oauth = Object.create(null);
    for (const [k, v] of oauthPairs) {
      if (!KNOWN_PARAMS.has(k)) return fail("parameter_unsupported", `unsupported parameter ${k}`);
      if (k in oauth) return fail("parameter_duplicated", `duplicated parameter ${k}`);
      oauth[k] = v;
    }
    const method = oauth.oauth_signature_method;
    const plaintext = method === "PLAINTEXT";
    // ZapEvent: "oauth_nonce / oauth_timestamp: Omit in PLAINTEXT Signature method".
    const required = ["oauth_consumer_key", "oauth_signature_method", "oauth_signature"];
    if (!plaintext) required.push("oauth_timestamp", "oauth_nonce");
    const absent = required.filter((k) => oauth[k] === undefined);
    if (absent.length) {
      return fail("parameter_absent", `missing ${absent.join(", ")}`, { oauth_parameters_absent: absent.join("&") });
    }
    if (oauth.oauth_version !== undefined && oauth.oauth_version !== "1.0") {
      return fail("version_rejected", "oauth_version must be 1.0", { oauth_acceptable_versions: "1.0-1.0" });
    }
    if (oauth.oauth_timestamp !== undefined && !/^[1-9][0-9]{0,11}$/.test(oauth.oauth_timestamp)) {
      return fail("timestamp_invalid", "oauth_timestamp must be a positive integer");
    }
    // ZapEvent: "Only ASCII values are accepted for the oauth_nonce".
    if (oauth.oauth_nonce !== undefined && !/^[\x20-\x7e]{1,255}$/.test(oauth.oauth_nonce)) {
      return fail("nonce_invalid", "oauth_nonce must be 1-255 printable ASCII characters");
    }
    if (oauth.oauth_body_hash !== undefined && r.form) {
      // OAuth Request Body Hash §3.1: never on form-encoded bodies (they are signed as params).
      return fail("body_hash_with_form", "oauth_body_hash is not allowed with a form-encoded body");
    }

    // ---- 3. Consumer and signature method. ---------------------------------------------------
    const consumer = policy.consumer(oauth.oauth_consumer_key);
    if (!consumer) return fail("consumer_key_unknown", "unknown consumer key");
    if (consumer.placements && !consumer.placements.includes(placement)) {
      return fail("parameter_placement", `this server accepts OAuth parameters only in: ${consumer.placements.join(", ")}`);
    }
    if (!consumer.signatureMethods.includes(method)) {
      return fail("signature_method_rejected", `signature method ${method} not allowed for this consumer`,
        { oauth_acceptable_signature_methods: consumer.signatureMethods.join("&") });
    }

    // ---- 4. Timestamp window and nonce (RFC 5849 §3.3) on the simulated clock. ---------------
    const now = clock.now();
    if (oauth.oauth_timestamp !== undefined) {
      const ts = Number(oauth.oauth_timestamp);
      if (Math.abs(ts - now) > TIMESTAMP_WINDOW_SECONDS) {
        return fail("timestamp_stale", `timestamp ${ts} is outside ${now}±${TIMESTAMP_WINDOW_SECONDS}s`,
          { oauth_acceptable_timestamps: `${now - TIMESTAMP_WINDOW_SECONDS}-${now + TIMESTAMP_WINDOW_SECONDS}` });
      }
    }
    const tokenValue = oauth.oauth_token === undefined || oauth.oauth_token === "" ? null : oauth.oauth_token;
    const nonceKey = oauth.oauth_nonce === undefined ? null
      : JSON.stringify([oauth.oauth_consumer_key, tokenValue, oauth.oauth_timestamp ?? "", oauth.oauth_nonce]);
    if (nonceKey && nonces.has(nonceKey)) return fail("nonce_replayed", "nonce already used with this timestamp");

    // ---- 5. Token: known, of the kind this endpoint needs, usable. ---------------------------
    let token = null;
    const kind = policy.tokenKind;
    if (kind === "none" && tokenValue) return fail("token_unexpected", "this endpoint is 2-legged: send no oauth_token");
    if ((kind === "access" || kind === "request") && !tokenValue) return fail("token_missing", "oauth_token required");
    if (tokenValue && kind !== "none") {
      token = policy.token(tokenValue);
      if (!token || token.consumerKey !== consumer.key) return fail("token_unknown", "unknown token");
      const want = kind === "optional" ? "access" : kind;
      if (token.kind !== want) return fail("token_wrong_kind", `a ${want} token is required here, got a ${token.kind} token`);
      if (token.revoked) return fail("token_revoked", "token revoked");
      if (token.used) return fail("token_used", "token already used");
      if (token.expiresAt !== undefined && token.expiresAt !== null && now >= token.expiresAt) {
        return fail("token_expired", "token expired");
      }
    }
    const tokenSecret = token ? token.secret : "";

    // ---- 6. Signature (RFC 5849 §3.4), computed by the independent oauth-1.0a package. -------
    let expected;
    if (plaintext) {
      // §3.4.4: the signature is the key itself, enc(consumer secret) & enc(token secret).
      expected = `${enc(consumer.secret)}&${enc(tokenSecret)}`;
    } else {
      const alg = HASHES[method];
      const signer = OAuth({
        consumer: { key: consumer.key, secret: consumer.secret },
        signature_method: method,
        hash_function: (base, key) => createHmac(alg, key).update(base).digest("base64"),
      });
      // §3.4.1.3.1: every query and form-body parameter except oauth_signature (and realm),
      // decoded ('+' = space), duplicates kept. Null-prototype objects so names like
      // "constructor" are ordinary keys.
      const data = Object.create(null);
      const add = ([k, v]) => {
        if (k.startsWith("oauth_")) return;
        if (k in data) data[k] = Array.isArray(data[k]) ? [...data[k], v] : [data[k], v];
        else data[k] = v;
      };
      r.query.forEach(add);
      (r.form || []).forEach(add);
      const oauthData = Object.create(null);
      for (const k of Object.keys(oauth)) if (k !== "oauth_signature") oauthData[k] = oauth[k];
      // oauth-1.0a drops request.data from the base string when oauth_body_hash is set
      // (bodies with a hash are not forms), but query parameters must still be signed.
      if (oauth.oauth_body_hash !== undefined) for (const k of Object.keys(data)) oauthData[k] = data[k];
      try {
        expected = signer.getSignature({ method: r.method, url: r.baseUrl, data }, tokenSecret, oauthData);
      } catch {
        return fail("parameter_unsupported", "parameters cannot be encoded for signing");
      }
    }
    if (!safeEqual(expected, oauth.oauth_signature)) return fail("signature_invalid", "signature does not match");

    // ---- 7. Body hash (OAuth Request Body Hash §3.2) for non-form bodies. --------------------
    if (oauth.oauth_body_hash !== undefined) {
      // The draft ties the hash to the signature method: SHA-1 for HMAC-SHA1 (and PLAINTEXT),
      // SHA-256 for HMAC-SHA256 (as IMS LTI/OneRoster do).
      const alg = method === "HMAC-SHA256" ? "sha256" : "sha1";
      const actual = createHash(alg).update(r.body).digest("base64");
      if (!safeEqual(actual, oauth.oauth_body_hash)) return fail("body_hash_invalid", `oauth_body_hash is not base64(${alg}(body))`);
    }

    if (nonceKey) nonces.set(nonceKey, now); // only valid requests consume a nonce
    const params = [...r.query, ...(r.form || [])].filter(([k]) => !k.startsWith("oauth_"));
    const { oauth_signature: _sig, ...unsigned } = oauth;
    return { ok: true, consumer, token, oauth: { ...unsigned }, params, placement };
  }

  return {
    verify,
    reset() {
      nonces = new BoundedMap(maxNonces);
    },
  };
}
