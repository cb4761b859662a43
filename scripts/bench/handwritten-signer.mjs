// A hand-written RFC 5849 signer on node:crypto: the "no library at all" peer of the signing
// bench. Header placement only; HMAC-SHA1, HMAC-SHA256 and PLAINTEXT. The signature base string
// (§3.4.1) is built from the method, the base string URI (§3.4.1.2: scheme and host lower case,
// default port dropped, no query or fragment) and the normalized parameters (§3.4.1.3: the query,
// a form body and the oauth_* protocol parameters, each name and value percent-encoded (§3.6),
// sorted by name then value, joined with = and &). Like oauth-edge, PLAINTEXT without an explicit
// nonce/timestamp sends neither (§3.1 makes them optional there).
import { createHmac, randomBytes } from "node:crypto";

/** RFC 3986 percent-encoding of everything but the unreserved characters (RFC 5849 §3.6). */
export const percentEncode = (s) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const DEFAULT_PORT = { "http:": "80", "https:": "443" };
const HASH = { "HMAC-SHA1": "sha1", "HMAC-SHA256": "sha256" };

/** `{ consumerKey, consumerSecret, token?, tokenSecret?, signatureMethod? }` → a signer. */
export function createSigner({ consumerKey, consumerSecret, token, tokenSecret = "", signatureMethod = "HMAC-SHA1" }) {
  if (signatureMethod !== "PLAINTEXT" && !HASH[signatureMethod]) throw new Error(`unsupported ${signatureMethod}`);
  const key = `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
  const plaintext = signatureMethod === "PLAINTEXT";

  /** `{ method?, url, form?, nonce?, timestamp? }` → the Authorization header value. */
  return function sign({ method = "GET", url, form, nonce, timestamp }) {
    const u = new URL(url);
    const oauth = [["oauth_consumer_key", consumerKey]];
    if (nonce !== undefined || !plaintext) oauth.push(["oauth_nonce", nonce ?? randomBytes(16).toString("hex")]);
    oauth.push(["oauth_signature_method", signatureMethod]);
    if (timestamp !== undefined || !plaintext) oauth.push(["oauth_timestamp", String(timestamp ?? Math.floor(Date.now() / 1000))]);
    if (token !== undefined) oauth.push(["oauth_token", token]);
    oauth.push(["oauth_version", "1.0"]);

    let signature = key;
    if (!plaintext) {
      const pairs = [...u.searchParams, ...new URLSearchParams(form ?? ""), ...oauth]
        .map(([k, v]) => [percentEncode(k), percentEncode(v)])
        .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
      const port = u.port && u.port !== DEFAULT_PORT[u.protocol] ? `:${u.port}` : "";
      const baseUri = `${u.protocol}//${u.hostname}${port}${u.pathname}`; // URL lower-cases both
      const base = [method.toUpperCase(), percentEncode(baseUri), percentEncode(pairs.map((p) => p.join("=")).join("&"))].join("&");
      signature = createHmac(HASH[signatureMethod], key).update(base).digest("base64");
    }
    oauth.push(["oauth_signature", signature]);
    return `OAuth ${oauth.map(([k, v]) => `${k}="${percentEncode(v)}"`).join(", ")}`;
  };
}
