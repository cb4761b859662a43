// OAuth1Signer.prototype.sign (installed by exports.js), the JS half of src/js/oauth1_signer.rs's `signParts`: the input
// object is read and checked here, and signed with one call into the module taking plain
// strings and numbers. Reading it from Rust cost about thirty calls across the boundary (per
// property a getter, a type check, a copy and a release), most of a PLAINTEXT signature's time
// (issue 10; scripts/bench/signing.mjs). The checks and messages are the ones the Rust reader
// had, in the same order; what RFC 5849 asks of the values is still checked by the core.
import { bodyParts, canonicalOriginLength, makeError, normalizeUrl } from "./snippets.js";

const invalid = (message) => makeError("INVALID_ARGUMENT", message);
const absent = (v) => v === undefined || v === null;

/** `v` as a string, `undefined` when absent; `what must be a string` otherwise. */
function optionalString(v, what) {
  if (absent(v)) return undefined;
  if (typeof v !== "string") throw invalid(`${what} must be a string`);
  return v;
}

/** Reads `input[key]`; a throwing getter or Proxy trap is the caller's INVALID_ARGUMENT. */
function read(input, key) {
  try {
    return input[key];
  } catch {
    throw invalid("an input property could not be read");
  }
}

// PLAINTEXT without nonce and timestamp (RFC 5849 §3.1, §3.4.4) signs nothing of the request:
// the core says when a header is such a request-independent one, and it is kept per signer,
// method and origin, then given again without a call into the module for any URL of that
// origin that the URL parser would return unchanged (canonicalOriginLength). For such a URL the
// core's checks (http(s), host syntax, HTTPS off loopback) depend on the origin alone, so a
// kept header is only ever given where the core accepted one. ZapEvent's PLAINTEXT API calls
// are the case: its document asks to omit both.
const independentHeaders = new WeakMap(); // signer → Map("METHOD origin" → [method, header])
const MAX_KEPT = 64;

/**
 * Gives the class its `sign` over the module's `signParts`, which leaves the prototype (it is
 * no API). Called on anything but a live signer, `signParts` throws the glue's OAuthEdgeError.
 */
export function installSign(OAuth1Signer) {
  const signParts = OAuth1Signer.prototype.signParts;
  delete OAuth1Signer.prototype.signParts;
  /**
   * Signs one request without sending it; `nonce` and `timestamp` default to fresh host values
   * (none for PLAINTEXT, RFC 5849 §3.1). Throws `OAuthEdgeError` (`INVALID_ARGUMENT`).
   */
  OAuth1Signer.prototype.sign = function sign(input) {
    if (typeof input !== "object" || input === null) throw invalid("sign() expects an object like { method, url }");
    let method = read(input, "method");
    if (method === undefined) method = "GET";
    else if (typeof method !== "string") throw invalid("method must be a string");
    const rawUrl = read(input, "url");
    const originLength = canonicalOriginLength(rawUrl);
    const url = originLength > 0 ? rawUrl : normalizeUrl(rawUrl);
    if (url === undefined) throw invalid("url must be an absolute URL (string or URL)");
    const [kind, body] = bodyParts(read(input, "form"), read(input, "body"), undefined);
    if (kind === 4) throw invalid(body);
    const callback = optionalString(read(input, "callback"), "callback");
    const verifier = optionalString(read(input, "verifier"), "verifier");
    const nonce = optionalString(read(input, "nonce"), "nonce");
    let bodyHash = read(input, "bodyHash");
    if (absent(bodyHash)) bodyHash = false;
    else if (typeof bodyHash !== "boolean") throw invalid("bodyHash must be a boolean");
    let timestamp = read(input, "timestamp");
    if (absent(timestamp)) timestamp = undefined;
    else if (!Number.isInteger(timestamp) || timestamp < 0 || timestamp > 9.007e15) {
      throw invalid("timestamp must be a non-negative integer (seconds)");
    }
    const perRequest = kind !== 0 || bodyHash || callback !== undefined || verifier !== undefined ||
      nonce !== undefined || timestamp !== undefined;
    const key = !perRequest && originLength > 0 ? `${method} ${url.slice(0, originLength)}` : undefined;
    // `__wbg_ptr` is 0 once the signer is freed: then signParts throws, as it must.
    const kept = key !== undefined && this.__wbg_ptr ? independentHeaders.get(this)?.get(key) : undefined;
    if (kept !== undefined) return { method: kept[0], url, headers: { Authorization: kept[1] }, body: null };
    const text = kind === 1 || kind === 2 ? body : undefined;
    const bytes = kind === 3 ? body : undefined;
    const [signed, requestIndependent] = signParts.call(this, method, url, kind, text, bytes, callback, verifier, nonce, timestamp, bodyHash);
    if (signed.method === undefined) signed.method = method;
    if (signed.url === undefined) signed.url = url;
    if (key !== undefined && requestIndependent) {
      let headers = independentHeaders.get(this);
      if (headers === undefined) independentHeaders.set(this, (headers = new Map()));
      if (headers.size >= MAX_KEPT) headers.clear();
      headers.set(key, [signed.method, signed.headers.Authorization]);
    }
    return signed;
  };
}
