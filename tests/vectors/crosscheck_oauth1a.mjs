// Cross-check the oauthlib-generated vectors with two other implementations.
//
//   node tests/vectors/crosscheck_oauth1a.mjs
//
// 1. npm `oauth-1.0a` (tests/node_modules) + node:crypto HMAC, for the vectors
//    that library can express (HMAC-SHA1, already-normalized
//    URL, no '+', no duplicate or bare keys, no fragment).
// 2. A tiny from-scratch RFC 5849 signer built on the WHATWG URL parser
//    (new URL / URLSearchParams) + node:crypto, run over EVERY vector.  Besides
//    re-deriving base string and signature, this checks that each URL is a
//    valid absolute URL whose path survives WHATWG parsing unchanged (so a
//    URL-parsing Rust client sees the same path oauthlib signed).
//
// Throwaway tooling: reads the JSON files, writes nothing.
import { readFileSync } from 'node:fs';
import { createHmac, createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'package.json'));
const OAuth = require('oauth-1.0a');

const files = ['rfc5849.json', 'zapevent.json', 'generated.json'];
const enc = (s) => encodeURIComponent(s).replace(/[!*'()]/g,
  (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
const hmac = (alg, key, text) => createHmac(alg, key).update(text).digest('base64');

let failures = 0, checked = 0, libChecked = 0;
const fail = (v, msg) => { failures++; console.log(`FAIL ${v.name}: ${msg}`); };

function independent(v) {
  const u = new URL(v.url);                     // throws if not absolute/valid
  // path as written in the input (between authority and ?/#)
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/.exec(v.url);
  const rawPath = m[1] === '' ? '/' : m[1];
  if (u.pathname !== rawPath) fail(v, `WHATWG path ${u.pathname} != raw ${rawPath}`);
  const scheme = u.protocol.slice(0, -1);
  const bsUri = `${scheme}://${u.hostname}${u.port ? ':' + u.port : ''}${u.pathname}`;
  const params = [...new URLSearchParams(u.search)];
  if (v.body_is_form) params.push(...new URLSearchParams(v.body));
  const op = { ...v.expected.oauth_params };
  delete op.oauth_signature;
  if (v.body_hash) {
    const h = createHash('sha1').update(Buffer.from(v.body ?? '', 'utf8')).digest('base64');
    if (op.oauth_body_hash !== h) fail(v, 'body hash');
  }
  params.push(...Object.entries(op));
  const norm = params.map(([k, val]) => [enc(k), enc(val)])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, val]) => `${k}=${val}`).join('&');
  const bs = `${enc(v.method.toUpperCase())}&${enc(bsUri)}&${enc(norm)}`;
  if (bs !== v.expected.base_string) fail(v, `base string\n  node: ${bs}\n  py:   ${v.expected.base_string}`);
  const key = `${enc(v.consumer_secret)}&${enc(v.token_secret ?? '')}`;
  const sig = v.signature_method === 'HMAC-SHA1' ? hmac('sha1', key, bs)
    : v.signature_method === 'HMAC-SHA256' ? hmac('sha256', key, bs) : key;
  if (sig !== v.expected.signature) fail(v, `signature ${sig} != ${v.expected.signature}`);
  checked++;
}

function libraryExpressible(v) {
  if (v.signature_method !== 'HMAC-SHA1' || v.body_hash) return false;
  if (v.url.includes('#') || v.url.includes('+')) return false;
  const u = new URL(v.url);
  if (`${u.origin}${u.pathname}${u.search}` !== v.url) return false;   // already normalized
  const q = u.search.slice(1);
  const parts = [q, v.body_is_form ? v.body : ''].join('&').split('&').filter(Boolean);
  if (parts.some((p) => !p.includes('=') || p.includes('+'))) return false;
  const keys = parts.map((p) => decodeURIComponent(p.split('=')[0]));
  if (new Set(keys).size !== keys.length || keys.some((k) => k !== encodeURIComponent(k))) return false;
  return true;
}

function viaLibrary(v) {
  const oauth = OAuth({
    consumer: { key: v.consumer_key, secret: v.consumer_secret },
    signature_method: 'HMAC-SHA1',
    hash_function: (base, key) => hmac('sha1', key, base),
  });
  oauth.getNonce = () => v.nonce;
  oauth.getTimeStamp = () => v.timestamp;
  const data = v.body_is_form ? Object.fromEntries(new URLSearchParams(v.body)) : {};
  if (v.callback !== null) data.oauth_callback = v.callback;
  if (v.verifier !== null) data.oauth_verifier = v.verifier;
  const token = v.token !== null ? { key: v.token, secret: v.token_secret } : undefined;
  let got;
  if (v.version) {
    got = oauth.authorize({ url: v.url, method: v.method, data }, token).oauth_signature;
  } else {
    // authorize() always adds oauth_version; call the library's signer directly.
    const oauthData = {
      oauth_consumer_key: v.consumer_key, oauth_nonce: v.nonce,
      oauth_signature_method: 'HMAC-SHA1', oauth_timestamp: v.timestamp,
    };
    if (token) oauthData.oauth_token = token.key;
    got = oauth.getSignature({ url: v.url, method: v.method, data }, token?.secret, oauthData);
  }
  if (got !== v.expected.signature) {
    fail(v, `oauth-1.0a signature ${got} != ${v.expected.signature}`);
  }
  libChecked++;
  if (process.env.VERBOSE) console.log(`oauth-1.0a ok: ${v.name}`);
}

for (const f of files) {
  const doc = JSON.parse(readFileSync(join(here, f), 'utf8'));
  for (const v of doc.vectors) {
    try { independent(v); } catch (e) { fail(v, String(e)); }
    if (libraryExpressible(v)) viaLibrary(v);
  }
}
console.log(`independent WHATWG/node:crypto check: ${checked} vectors; ` +
  `oauth-1.0a check: ${libChecked} vectors; failures: ${failures}`);
process.exit(failures ? 1 : 0);
