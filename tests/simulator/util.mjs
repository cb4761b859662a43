// Shared plumbing for every simulator route: strict percent/base64/form decoding, bounded
// in-memory maps, random token minting, body reading with limits and response writing.

import { randomBytes, timingSafeEqual } from "node:crypto";

/** Largest request body any route accepts; bigger bodies get 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** A client error with an HTTP status; thrown anywhere, answered by the server core. */
export class HttpError extends Error {
  constructor(status, error, description, extraHeaders = {}) {
    super(description || error);
    this.status = status;
    this.error = error;
    this.description = description;
    this.headers = extraHeaders;
  }
}

/** A Map that forgets its oldest entries past `max` so no client can grow memory unboundedly. */
export class BoundedMap extends Map {
  constructor(max) {
    super();
    this.max = max;
  }
  set(key, value) {
    if (this.has(key)) this.delete(key); // refresh insertion order
    super.set(key, value);
    while (this.size > this.max) this.delete(this.keys().next().value);
    return this;
  }
}

/** mulberry32: tiny seeded PRNG (fixtures, fault probabilities); returns floats in [0, 1). */
/** The draws fixtures are made of, from one `rnd` stream (their order is part of the data). */
export function draws(rnd) {
  const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = (arr) => arr[Math.floor(rnd() * arr.length)];
  const hex = (n, upper = false) => {
    let s = "";
    for (let i = 0; i < n; i++) s += "0123456789abcdef"[Math.floor(rnd() * 16)];
    return upper ? s.toUpperCase() : s;
  };
  return { int, pick, hex };
}

export function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Unpredictable opaque value for tokens, codes and verifiers. */
export function randomToken(bytes = 24, encoding = "base64url") {
  return randomBytes(bytes).toString(encoding);
}

/** Constant-time string comparison (equal-length buffers only; a length mismatch is false). */
export function safeEqual(a, b) {
  const x = Buffer.from(String(a), "utf8");
  const y = Buffer.from(String(b), "utf8");
  if (x.length !== y.length) {
    timingSafeEqual(x, x); // keep the timing shape similar
    return false;
  }
  return timingSafeEqual(x, y);
}

/**
 * Strict percent-decoding: every '%' must start a valid %XX and the bytes must be UTF-8
 * (RFC 3986 §2.1, RFC 5849 §3.6). `plusAsSpace` applies the form-urlencoded rule ('+' = space),
 * which RFC 5849 §3.4.1.3.1 requires for both the query and a form body.
 */
export function percentDecode(s, plusAsSpace = false) {
  if (plusAsSpace) s = s.replace(/\+/g, " ");
  if (/%(?![0-9A-Fa-f]{2})/.test(s)) throw new HttpError(400, "invalid_request", "malformed percent-encoding");
  try {
    return decodeURIComponent(s);
  } catch {
    throw new HttpError(400, "invalid_request", "percent-encoding is not valid UTF-8");
  }
}

/** application/x-www-form-urlencoded → ordered [name, value] pairs; duplicates kept. */
export function parseForm(s) {
  const pairs = [];
  if (!s) return pairs;
  for (const part of s.split("&")) {
    if (part === "") continue; // "a=1&&b=2": empty segments carry nothing (WHATWG URL §5.1)
    const eq = part.indexOf("=");
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? "" : part.slice(eq + 1);
    pairs.push([percentDecode(name, true), percentDecode(value, true)]);
  }
  if (pairs.length > 1000) throw new HttpError(400, "invalid_request", "too many parameters");
  return pairs;
}

/** First value of `name` in pairs, or undefined. */
export function first(pairs, name) {
  if (!pairs) return undefined;
  for (const [k, v] of pairs) if (k === name) return v;
  return undefined;
}

/** How many times `name` occurs in pairs (RFC 6749 §3.1: token request params MUST NOT repeat). */
export function count(pairs, name) {
  let n = 0;
  if (pairs) for (const [k] of pairs) if (k === name) n++;
  return n;
}

/** Form-encode pairs or an object (RFC 3986 unreserved set left as is, space as %20). */
export function formEncode(obj) {
  const pairs = Array.isArray(obj) ? obj : Object.entries(obj);
  return pairs
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${rfc3986(k)}=${rfc3986(String(v))}`)
    .join("&");
}

/** RFC 3986 §2.3 percent-encoding (what RFC 5849 §3.6 prescribes). */
export function rfc3986(s) {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

/**
 * Strict base64 (RFC 4648 §4, padding required) to a UTF-8 string; malformed input → 400,
 * because Buffer.from(…, "base64") silently ignores junk and would hide client bugs.
 */
export function decodeBase64Strict(s) {
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) {
    throw new HttpError(400, "invalid_request", "malformed base64 in Authorization header");
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(s, "base64"));
  } catch {
    throw new HttpError(400, "invalid_request", "Authorization credentials are not UTF-8");
  }
}

/** Parses `Authorization: Basic …` into the raw user-id and password (RFC 7617 §2). */
export function parseBasic(header) {
  if (!header || !/^basic /i.test(header)) return null;
  const decoded = decodeBase64Strict(header.slice(6).trim());
  const colon = decoded.indexOf(":");
  if (colon < 0) throw new HttpError(400, "invalid_request", "Basic credentials without ':'");
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Parses `Authorization: Bearer <token>` (RFC 6750 §2.1: b64token syntax). */
export function parseBearer(header) {
  if (!header || !/^bearer /i.test(header)) return null;
  const token = header.slice(7).trim();
  if (!/^[A-Za-z0-9\-._~+/]+=*$/.test(token)) return "";
  return token;
}

/** Reads the whole request body, at most `limit` bytes (413 beyond). */
export function readBody(req, limit = MAX_BODY_BYTES) {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] || 0);
    if (declared > limit) {
      reject(new HttpError(413, "invalid_request", "request body too large"));
      return;
    }
    const chunks = [];
    let size = 0;
    req.on("data", (c) => {
      size += c.length;
      if (size > limit) {
        reject(new HttpError(413, "invalid_request", "request body too large"));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/**
 * The one place responses are written, so the `truncate` fault can cut any body: with
 * res.simTruncate set it announces the full Content-Length, sends half and kills the socket.
 */
export function send(res, status, headers, body = "") {
  if (res.headersSent || res.destroyed) return;
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(String(body), "utf8");
  const h = { ...headers };
  if (res.simTruncate) {
    const declared = Math.max(buf.length, 32);
    h["Content-Length"] = String(declared);
    res.writeHead(status, h);
    const partial = buf.subarray(0, Math.floor(buf.length / 2));
    res.write(partial, () => res.destroy());
    return;
  }
  // RFC 9110 §8.6: no Content-Length on 204/304.
  if (status !== 204 && status !== 304) h["Content-Length"] = String(buf.length);
  res.writeHead(status, h);
  res.end(res.req && res.req.method === "HEAD" ? undefined : buf);
}

export function sendJson(res, status, obj, headers = {}) {
  send(res, status, { "Content-Type": "application/json; charset=utf-8", ...headers }, JSON.stringify(obj));
}

export function sendForm(res, status, obj, headers = {}) {
  send(res, status, { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8", ...headers }, formEncode(obj));
}

export function redirect(res, location, headers = {}) {
  send(res, 302, { Location: location, "Cache-Control": "no-store", ...headers }, "");
}

/** Appends query parameters to a URL that may already carry a query (RFC 6749 §4.1.2). */
export function addQuery(url, params) {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) u.searchParams.append(k, v);
  return u.toString();
}

/** Media type of the request, lower-cased, without parameters. */
export function mediaType(req) {
  return String(req.headers["content-type"] || "").split(";")[0].trim().toLowerCase();
}

/** Escapes text for XML element content and attribute values. */
export function xmlEscape(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]);
}

/** One RFC 4180 CSV field: quoted when it holds a comma, quote, CR or LF; quotes doubled. */
export function csvField(v) {
  const s = v === null || v === undefined ? "" : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV document with CRLF line endings and a header row. */
export function toCsv(columns, rows) {
  const lines = [columns.map(csvField).join(",")];
  for (const row of rows) lines.push(columns.map((c) => csvField(row[c])).join(","));
  return lines.join("\r\n") + "\r\n";
}
