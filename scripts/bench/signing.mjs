// 1. Full-header OAuth 1.0a signing of one GET with a query, per signature method (HMAC-SHA1,
//    HMAC-SHA256, PLAINTEXT), two ways:
//      fixed  the nonce and timestamp given (as tests do): every contender's signature must be
//             identical before anything is timed
//      fresh  the way a user calls it: each call makes its own nonce and timestamp. Every
//             contender's header is checked first: a nonce that changes per call, a timestamp of
//             now, and a signature the hand-written signer recomputes from them
//    oauth-edge (both entries) vs npm oauth-1.0a with node:crypto (and with crypto-js for the
//    HMACs), npm oauth (node-oauth's OAuth.authHeader) and a hand-written signer on node:crypto
//    (handwritten-signer.mjs). The nonces differ by design: oauth-edge 16 bytes of
//    crypto.getRandomValues as hex, the hand-written one node:crypto's randomBytes(16) as hex,
//    oauth-1.0a and node-oauth 32 Math.random characters. For fresh PLAINTEXT, oauth-edge and the
//    hand-written signer send no nonce or timestamp (RFC 5849 §3.1 allows it); the two npm peers
//    make them anyway.
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { OAuth1Signer } from "../../pkg/entry/node.js";
import { OAuth1Signer as OAuth1OnlySigner } from "../../pkg/oauth1/entry/node.js";
import { createSigner } from "./handwritten-signer.mjs";
import { ratio, reporter } from "./report.mjs";

const testsDir = new URL("../../tests/", import.meta.url);
const require = createRequire(new URL("package.json", testsDir));
const OAuth = require("oauth-1.0a");
const CryptoJS = require("crypto-js");
const NodeOAuth = require("oauth").OAuth;
const versionOf = (name) => JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, testsDir), "utf8")).version;

const consumer = { key: "8493b95910d748c99bf74e61ef12043f", secret: "zapevent consumer secret" };
const token = { key: "230bcf6370844029b72e5b67a40e772d", secret: "277AA9779A21600B6BD391AD4AFA7B7EEF2A0BD2" };
const request = {
  method: "GET",
  url: "https://www.zapevent.com/api/event/getparticipants?event_id=1001&activity_id=2001&page=2&results_per_page=250&format=json&sort=registration_id%20ASC",
};
const nonce = "638937701";
const timestamp = 1300228849;
const METHODS = ["HMAC-SHA1", "HMAC-SHA256", "PLAINTEXT"];
const OURS = "oauth-edge (wasm)";

const options = (signatureMethod) => ({ consumerKey: consumer.key, consumerSecret: consumer.secret, token: token.key, tokenSecret: token.secret, signatureMethod });
const hmac = { "HMAC-SHA1": "sha1", "HMAC-SHA256": "sha256" };
const cryptoJsHmac = { "HMAC-SHA1": CryptoJS.HmacSHA1, "HMAC-SHA256": CryptoJS.HmacSHA256 };

/** name → { fixed: () => header, fresh: () => header } for one signature method. */
function contendersOf(method) {
  const oauthEdge = (Signer) => {
    const signer = new Signer(options(method));
    return {
      fixed: () => signer.sign({ method: request.method, url: request.url, nonce, timestamp }).headers.Authorization,
      fresh: () => signer.sign({ method: request.method, url: request.url }).headers.Authorization,
    };
  };
  const oauth10a = (hash_function) => {
    const make = (fixed) => {
      const oauth = OAuth({ consumer, signature_method: method, hash_function });
      if (fixed) Object.assign(oauth, { getNonce: () => nonce, getTimeStamp: () => timestamp });
      return () => oauth.toHeader(oauth.authorize({ ...request }, token)).Authorization;
    };
    return { fixed: make(true), fresh: make(false) };
  };
  const nodeOAuth = () => {
    const make = (fixed) => {
      const oa = new NodeOAuth(null, null, consumer.key, consumer.secret, "1.0", null, method);
      if (fixed) Object.assign(oa, { _getNonce: () => nonce, _getTimestamp: () => timestamp });
      return () => oa.authHeader(request.url, token.key, token.secret, request.method);
    };
    return { fixed: make(true), fresh: make(false) };
  };
  const handwritten = createSigner(options(method));
  const all = {
    [OURS]: oauthEdge(OAuth1Signer),
    "oauth-edge/oauth1 (wasm)": oauthEdge(OAuth1OnlySigner),
    // PLAINTEXT: oauth-1.0a's own hash_function (the key); no crypto library involved.
    [method === "PLAINTEXT" ? "oauth-1.0a" : "oauth-1.0a + node:crypto"]:
      oauth10a(hmac[method] && ((base, key) => createHmac(hmac[method], key).update(base).digest("base64"))),
    ...(cryptoJsHmac[method] && { "oauth-1.0a + crypto-js": oauth10a((base, key) => CryptoJS.enc.Base64.stringify(cryptoJsHmac[method](base, key))) }),
    "oauth (node-oauth)": nodeOAuth(),
    "hand-written + node:crypto": {
      fixed: () => handwritten({ ...request, nonce, timestamp }),
      fresh: () => handwritten(request),
    },
  };
  return all;
}

// ---- the checks: nothing is timed unless every contender signs correctly --------------------------

/** `OAuth k="v", k="v"` (node-oauth writes no space after the comma) → {k: decoded v}. */
const paramsOf = (header) => Object.fromEntries([...header.matchAll(/(\w+)="([^"]*)"/g)].map(([, k, v]) => [k, decodeURIComponent(v)]));

function fail(message) {
  console.error(`[bench] signing: ${message}`);
  process.exit(1);
}

function check(method, contenders) {
  const expected = { oauth_consumer_key: consumer.key, oauth_token: token.key, oauth_signature_method: method, oauth_version: "1.0" };
  const sameProtocolParams = (name, p) => {
    for (const [k, v] of Object.entries(expected)) if (p[k] !== v) fail(`${method} ${name}: ${k}="${p[k]}", want "${v}"`);
  };
  // Fixed: the very same signature from every contender.
  const signatures = Object.entries(contenders).map(([name, c]) => {
    const p = paramsOf(c.fixed());
    sameProtocolParams(name, p);
    if (p.oauth_nonce !== nonce || p.oauth_timestamp !== String(timestamp)) fail(`${method} ${name}: the fixed nonce/timestamp were not used`);
    return [name, p.oauth_signature];
  });
  if (new Set(signatures.map(([, s]) => s)).size !== 1 || !signatures[0][1]) fail(`${method} signatures differ: ${JSON.stringify(signatures)}`);
  // Fresh: a new nonce each call, the clock's timestamp, and a signature that the hand-written
  // signer recomputes from the nonce and timestamp the contender chose.
  const now = Math.floor(Date.now() / 1000);
  for (const [name, c] of Object.entries(contenders)) {
    const [a, b] = [paramsOf(c.fresh()), paramsOf(c.fresh())];
    sameProtocolParams(name, a);
    const omits = a.oauth_nonce === undefined && a.oauth_timestamp === undefined;
    if (omits ? method !== "PLAINTEXT" : a.oauth_nonce === b.oauth_nonce || Math.abs(Number(a.oauth_timestamp) - now) > 5) {
      fail(`${method} ${name}: fresh calls gave nonces ${a.oauth_nonce}, ${b.oauth_nonce} and timestamp ${a.oauth_timestamp} (now ${now})`);
    }
    const recomputed = paramsOf(createSigner(options(method))({ ...request, nonce: a.oauth_nonce, timestamp: a.oauth_timestamp && Number(a.oauth_timestamp) })).oauth_signature;
    if (a.oauth_signature !== recomputed) fail(`${method} ${name}: fresh signature ${a.oauth_signature}, recomputed ${recomputed}`);
  }
  return signatures[0][1];
}

// ---- the timing --------------------------------------------------------------------------------

function measure(fn, ms) {
  for (let i = 0; i < 2000; i++) fn(); // warm-up (JIT, wasm tier-up)
  let n = 0;
  const t0 = process.hrtime.bigint();
  const deadline = t0 + BigInt(ms) * 1_000_000n;
  let t = t0;
  while (t < deadline) {
    for (let i = 0; i < 200; i++) fn();
    n += 200;
    t = process.hrtime.bigint();
  }
  return Number(t - t0) / 1000 / n; // µs per call
}

const ROUNDS = 5;
const ROUND_MS = 200;
const report = reporter("signing");
const µs = (v) => `${v.toFixed(2)} µs`;

console.log(`[bench] full-header OAuth 1.0a signing, Node ${process.version}, best of ${ROUNDS} interleaved rounds of ${ROUND_MS} ms; ` +
  `peers oauth-1.0a ${versionOf("oauth-1.0a")}, crypto-js ${versionOf("crypto-js")}, oauth (node-oauth) ${versionOf("oauth")}`);
for (const method of METHODS) {
  const contenders = contendersOf(method);
  const signature = check(method, contenders);
  console.log(`[bench] ${method}: identical fixed signature from all ${Object.keys(contenders).length}: ${signature}; ` +
    `fresh headers checked (new nonce per call, timestamp now, signature recomputed)`);
  // Interleave rounds so a noisy neighbour hits every contender alike; keep each one's best.
  const cases = Object.entries(contenders).flatMap(([name, c]) => ["fixed", "fresh"].map((mode) => [`${mode} ${name}`, c[mode]]));
  const best = Object.fromEntries(cases.map(([k]) => [k, Infinity]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [key, fn] of cases) best[key] = Math.min(best[key], measure(fn, ROUND_MS));
  }
  for (const mode of ["fixed", "fresh"]) {
    const ours = best[`${mode} ${OURS}`];
    const oauth1Entry = best[`${mode} oauth-edge/oauth1 (wasm)`];
    const peers = Object.keys(contenders).filter((name) => !name.startsWith("oauth-edge"));
    console.log(`[bench]   ${method}, ${mode === "fixed" ? "fixed nonce/timestamp" : "fresh nonce/timestamp per call"}:`);
    for (const name of Object.keys(contenders)) {
      const us = best[`${mode} ${name}`];
      const vs = name.startsWith("oauth-edge") ? "" : `  oauth-edge is ${ratio(ours, us)}`;
      console.log(`[bench]     ${name.padEnd(28)} ${us.toFixed(2).padStart(7)} µs/signature${vs}`);
    }
    // Issue 10's per-call goals, on the fresh case (the way users call it): faster than the
    // hand-written signer for every method, and at least 3x oauth-1.0a + node:crypto for HMAC-SHA1.
    let goal = "";
    if (mode === "fresh") {
      const handwritten = best[`${mode} hand-written + node:crypto`] / ours;
      const npm = best[`${mode} oauth-1.0a + node:crypto`] / ours;
      const met = handwritten > 1 && (method !== "HMAC-SHA1" || npm >= 3);
      goal = `; goal faster than hand-written${method === "HMAC-SHA1" ? " and >= 3x oauth-1.0a + node:crypto" : ""}: ${met ? "met" : "NOT met"}`;
      console.log(`[bench]     goal${goal.slice(6)} (${handwritten.toFixed(2)}x hand-written${method === "HMAC-SHA1" ? `, ${npm.toFixed(2)}x oauth-1.0a` : ""})`);
    }
    report.row({
      what: `${method} full-header signature, ${mode === "fixed" ? "fixed nonce/timestamp, identical signatures" : "fresh nonce/timestamp per call"}${goal}`,
      ours: `${µs(ours)} (oauth1 entry ${µs(oauth1Entry)})`,
      peer: peers.map((name) => `${name} ${µs(best[`${mode} ${name}`])}`).join("<br>"),
      ratio: peers.map((name) => ratio(ours, best[`${mode} ${name}`])).join("<br>"),
    });
  }
}
