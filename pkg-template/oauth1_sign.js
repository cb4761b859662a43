// OAuth1Signer.prototype.sign (installed by exports.js), the JS half of src/js/oauth1_signer.rs's `signParts`: the input
// object is read and checked here, and signed with one call into the module taking plain
// strings and numbers. Reading it from Rust cost about thirty calls across the boundary (per
// property a getter, a type check, a copy and a release), most of a PLAINTEXT signature's time
// (issue 10; scripts/bench/signing.mjs). The checks and messages are the ones the Rust reader
// had, in the same order; what RFC 5849 asks of the values is still checked by the core.
import { bodyParts, makeError, normalizeUrl } from "./snippets.js";

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
    const url = normalizeUrl(read(input, "url"));
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
    const text = kind === 1 || kind === 2 ? body : undefined;
    const bytes = kind === 3 ? body : undefined;
    const signed = signParts.call(this, method, url, kind, text, bytes, callback, verifier, nonce, timestamp, bodyHash);
    if (signed.method === undefined) signed.method = method;
    if (signed.url === undefined) signed.url = url;
    return signed;
  };
}
