// Client-side helpers for the simulator's own tests, independent of the simulator's code:
// OAuth 1.0a signing through the oauth-1.0a package, fetch wrappers, and small XML and CSV
// readers (so the tests decode what the wire says, not what the simulator meant).

import { createHash, createHmac, randomBytes } from "node:crypto";
import { createRequire } from "node:module";

const OAuth = createRequire(import.meta.url)("oauth-1.0a");
const enc = (s) => OAuth.prototype.percentEncode(s);
const HASH = { "HMAC-SHA1": "sha1", "HMAC-SHA256": "sha256" };

/** Signs a request with oauth-1.0a → {url, init} for fetch (placement: header, query or body). */
export function sign({ creds, method = "GET", url, form, placement = "header", signatureMethod = "HMAC-SHA1", token, extra = {}, omitNonceTimestamp = false }) {
  const oa = OAuth({
    consumer: { key: creds.consumerKey, secret: creds.consumerSecret },
    signature_method: signatureMethod,
    hash_function: (base, key) => (signatureMethod === "PLAINTEXT" ? key : createHmac(HASH[signatureMethod], key).update(base).digest("base64")),
  });
  const u = new URL(url);
  const data = {};
  const add = (k, v) => {
    data[k] = k in data ? [].concat(data[k], v) : v;
  };
  for (const [k, v] of u.searchParams) add(k, v);
  for (const [k, v] of Object.entries(form || {})) add(k, v);
  const params = { oauth_consumer_key: creds.consumerKey, oauth_signature_method: signatureMethod, oauth_version: "1.0", ...extra };
  if (!omitNonceTimestamp) {
    params.oauth_nonce = oa.getNonce();
    params.oauth_timestamp = oa.getTimeStamp();
  }
  if (token) params.oauth_token = token.key;
  params.oauth_signature = oa.getSignature({ method, url: u.origin + u.pathname, data }, token ? token.secret : "", { ...params });
  const headers = {};
  const formPairs = Object.entries(form || {});
  if (placement === "header") headers.Authorization = oa.toHeader(params).Authorization;
  if (placement === "query") for (const [k, v] of Object.entries(params)) u.searchParams.append(k, v);
  if (placement === "body") formPairs.push(...Object.entries(params));
  let body;
  if (formPairs.length || placement === "body") {
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    body = formPairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join("&");
  }
  return { url: u.toString(), init: { method, headers, body }, params };
}

/** fetch without following redirects → {status, headers, text, json|null}. */
export async function send({ url, init = {} }) {
  const res = await fetch(url, { ...init, redirect: "manual" });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Request helpers bound to a simulator base URL. */
export function client(base) {
  const call = (path, init = {}) => send({ url: base + path, init });
  return {
    call,
    postForm: (path, obj, headers = {}) =>
      call(path, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers }, body: new URLSearchParams(obj).toString() }),
    postJson: (path, obj) => call(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(obj) }),
    counters: async () => (await call("/__sim/counters")).json,
  };
}

/** RFC 6749 §2.3.1 Basic: id and secret form-urlencoded, then base64. */
export const basicRfc = (id, secret) => {
  const f = (s) => encodeURIComponent(s).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${f(id)}:${f(secret)}`).toString("base64")}`;
};

/** A fresh PKCE pair (RFC 7636 §4.1/§4.2, S256). */
export function pkcePair() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

// ---- XML: a minimal reader (elements, attributes, self-closing tags, CDATA, entities) ---------

const decodeEntities = (s) => s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e) => {
  if (e[0] === "#") return String.fromCodePoint(e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
  return { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }[e.toLowerCase()];
});

/** Parses an XML document → {name, attrs, children: [node], text} (text = decoded concatenation). */
export function parseXml(xml) {
  let i = xml.startsWith("<?xml") ? xml.indexOf("?>") + 2 : 0;
  const stack = [{ name: "#doc", attrs: {}, children: [], text: "" }];
  while (i < xml.length) {
    if (xml.startsWith("<![CDATA[", i)) {
      const end = xml.indexOf("]]>", i);
      stack.at(-1).text += xml.slice(i + 9, end);
      i = end + 3;
    } else if (xml.startsWith("</", i)) {
      const end = xml.indexOf(">", i);
      const node = stack.pop();
      if (node.name !== xml.slice(i + 2, end).trim()) throw new Error(`mismatched </${xml.slice(i + 2, end)}>`);
      i = end + 1;
    } else if (xml[i] === "<") {
      const end = xml.indexOf(">", i);
      let tag = xml.slice(i + 1, end);
      const selfClosing = tag.endsWith("/");
      if (selfClosing) tag = tag.slice(0, -1);
      const [name] = tag.trim().split(/\s/, 1);
      const attrs = {};
      for (const m of tag.matchAll(/([\w:-]+)="([^"]*)"/g)) attrs[m[1]] = decodeEntities(m[2]);
      const node = { name, attrs, children: [], text: "" };
      stack.at(-1).children.push(node);
      if (!selfClosing) stack.push(node);
      i = end + 1;
    } else {
      const end = xml.indexOf("<", i) < 0 ? xml.length : xml.indexOf("<", i);
      stack.at(-1).text += decodeEntities(xml.slice(i, end));
      i = end;
    }
  }
  if (stack.length !== 1) throw new Error("unclosed elements");
  return stack[0].children[0];
}

/** A flat record element → {childName: text}; nested list elements → arrays (of records or texts). */
export function xmlRecord(node) {
  const out = {};
  for (const c of node.children) {
    if (c.children.length || ["activities", "questions", "options"].includes(c.name)) {
      out[c.name] = c.children.map((x) => (x.children.length ? xmlRecord(x) : x.text));
    } else {
      out[c.name] = c.text;
    }
  }
  return out;
}

// ---- CSV: RFC 4180 reader --------------------------------------------------------------------

/** Parses CSV (CRLF rows, quoted fields) → array of objects keyed by the header row. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = "";
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      field += c;
      i++;
    } else if (c === '"') {
      quoted = true;
      i++;
    } else if (c === ",") {
      row.push(field);
      field = "";
      i++;
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i += 2;
    } else {
      if (c === "\n") throw new Error("bare LF outside quotes");
      field += c;
      i++;
    }
  }
  if (field !== "" || row.length) throw new Error("CSV does not end with CRLF");
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, k) => [h, r[k]])));
}
