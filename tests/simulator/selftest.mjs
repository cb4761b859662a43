// Self-test of the simulator (node --test tests/simulator/): the client side uses only the
// oauth-1.0a package, node:crypto and fetch, so a simulator bug cannot hide behind SDK code.

import assert from "node:assert/strict";
import { createHash, createHmac, randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { after, before, test } from "node:test";

import { startSimulator } from "./server.mjs";
import { basicRfc, send, sign } from "./testkit.mjs";

const OAuth = createRequire(import.meta.url)("oauth-1.0a");

let sim;
let fx;
before(async () => {
  sim = await startSimulator({ port: 0 });
  fx = sim.state.fixtures;
});
after(async () => {
  await sim?.close();
});

// ---- client helpers (independent of the simulator's own code) --------------------------------

const call = (path, init = {}) => send({ url: sim.url + path, init });
const postForm = (path, obj, headers = {}) =>
  call(path, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers }, body: new URLSearchParams(obj).toString() });
const postJson = (path, obj) => call(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(obj) });
const counters = async () => (await call("/__sim/counters")).json;
const basicRaw = (id, secret) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;

// ---- OAuth 1.0a verifier via /oauth1/echo ------------------------------------------------------

test("HMAC-SHA1 header-signed request to /oauth1/echo is accepted", async () => {
  const before = await counters();
  const creds = fx.oauth1.echo;
  const r = await send(sign({ creds, url: `${sim.url}/oauth1/echo/a/b?q=hello%20world&z=1&z=0`, token: { key: creds.token, secret: creds.tokenSecret } }));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.ok, true);
  assert.equal(r.json.placement, "header");
  assert.equal(r.json.path, "/oauth1/echo/a/b");
  assert.deepEqual(r.json.query, [["q", "hello world"], ["z", "1"], ["z", "0"]]);
  assert.equal(r.json.form, null);
  assert.equal(r.json.oauth.oauth_token, creds.token);
  assert.equal(r.json.oauth.oauth_signature, undefined);
  assert.equal((await counters()).oauth1.accepted, before.oauth1.accepted + 1);
});

test("query-placed and body-placed signatures are accepted", async () => {
  const creds = fx.oauth1.echo;
  const token = { key: creds.token, secret: creds.tokenSecret };
  const q = await send(sign({ creds, url: `${sim.url}/oauth1/echo?x=1`, placement: "query", token }));
  assert.equal(q.status, 200, q.text);
  assert.equal(q.json.placement, "query");
  assert.deepEqual(q.json.query, [["x", "1"]]);
  const b = await send(sign({ creds, method: "POST", url: `${sim.url}/oauth1/echo?x=1`, form: { msg: "a+b c&d=é", x: "2" }, placement: "body", token }));
  assert.equal(b.status, 200, b.text);
  assert.equal(b.json.placement, "body");
  assert.deepEqual(b.json.form, [["msg", "a+b c&d=é"], ["x", "2"]]);
});

test("HMAC-SHA256 and PLAINTEXT are accepted, also with the encoding-torture credentials", async () => {
  for (const creds of [fx.oauth1.echo, fx.oauth1.echoWeird]) {
    for (const signatureMethod of ["HMAC-SHA1", "HMAC-SHA256", "PLAINTEXT"]) {
      const token = { key: creds.token, secret: creds.tokenSecret };
      const r = await send(sign({ creds, method: "POST", url: `${sim.url}/oauth1/echo?k=v`, form: { f: "1" }, signatureMethod, token }));
      assert.equal(r.status, 200, `${creds.consumerKey} ${signatureMethod}: ${r.text}`);
      assert.equal(r.json.oauth.oauth_signature_method, signatureMethod);
    }
  }
  // Two-legged (no token): the token secret is empty.
  const r = await send(sign({ creds: fx.oauth1.echo, url: `${sim.url}/oauth1/echo`, signatureMethod: "HMAC-SHA256" }));
  assert.equal(r.status, 200, r.text);
});

test("oauth_body_hash signs a JSON body (query parameters still signed)", async () => {
  const creds = fx.oauth1.echo;
  const oa = OAuth({
    consumer: { key: creds.consumerKey, secret: creds.consumerSecret },
    signature_method: "HMAC-SHA1",
    hash_function: (base, key) => createHmac("sha1", key).update(base).digest("base64"),
    body_hash_function: (body) => createHash("sha1").update(body).digest("base64"),
  });
  const url = `${sim.url}/oauth1/echo/json?x=1`;
  const body = JSON.stringify({ hello: "wörld" });
  const post = (sentBody) => {
    const p = oa.authorize({ url, method: "POST", data: body, includeBodyHash: true }, { key: creds.token, secret: creds.tokenSecret });
    return send({ url, init: { method: "POST", headers: { ...oa.toHeader(p), "Content-Type": "application/json" }, body: sentBody } });
  };
  const ok = await post(body);
  assert.equal(ok.status, 200, ok.text);
  assert.ok(ok.json.oauth.oauth_body_hash);
  const tampered = await post(`${body} `);
  assert.equal(tampered.status, 401);
  assert.equal(tampered.json.reason, "body_hash_invalid");
});

test("a tampered request (changed query value) is rejected as signature_invalid", async () => {
  const before = await counters();
  const creds = fx.oauth1.echo;
  const s = sign({ creds, url: `${sim.url}/oauth1/echo?amount=10`, token: { key: creds.token, secret: creds.tokenSecret } });
  s.url = s.url.replace("amount=10", "amount=1000");
  const r = await send(s);
  assert.equal(r.status, 401);
  assert.equal(r.json.ok, false);
  assert.equal(r.json.reason, "signature_invalid");
  assert.equal(r.headers.get("www-authenticate"), 'OAuth realm="sim", oauth_problem="signature_invalid"');
  // A wrong consumer secret is the same failure.
  const bad = await send(sign({ creds: { ...creds, consumerSecret: "nope" }, url: `${sim.url}/oauth1/echo` }));
  assert.equal(bad.status, 401);
  assert.equal(bad.json.reason, "signature_invalid");
  assert.equal((await counters()).oauth1.signature_invalid, before.oauth1.signature_invalid + 2);
});

test("a timestamp more than 300 s from the sim clock is rejected as timestamp_stale", async () => {
  const creds = fx.oauth1.echo;
  const token = { key: creds.token, secret: creds.tokenSecret };
  try {
    assert.equal((await postJson("/__sim/clock", { advance: 301 })).status, 200);
    const r = await send(sign({ creds, url: `${sim.url}/oauth1/echo`, token }));
    assert.equal(r.status, 401);
    assert.equal(r.json.reason, "timestamp_stale");
    assert.match(r.headers.get("www-authenticate"), /oauth_problem="timestamp_refused", oauth_acceptable_timestamps="\d+-\d+"/);
  } finally {
    await postJson("/__sim/clock", { advance: -301 });
  }
  // Inside the window (sim clock 250 s ahead) the same kind of request passes.
  await postJson("/__sim/clock", { advance: 250 });
  try {
    const ok = await send(sign({ creds, url: `${sim.url}/oauth1/echo`, token }));
    assert.equal(ok.status, 200, ok.text);
  } finally {
    await postJson("/__sim/clock", { advance: -250 });
  }
});

test("a replayed nonce is rejected as nonce_replayed", async () => {
  const creds = fx.oauth1.echo;
  const s = sign({ creds, url: `${sim.url}/oauth1/echo?once=1`, token: { key: creds.token, secret: creds.tokenSecret } });
  assert.equal((await send(s)).status, 200);
  const r = await send(s);
  assert.equal(r.status, 401);
  assert.equal(r.json.reason, "nonce_replayed");
  assert.match(r.headers.get("www-authenticate"), /oauth_problem="nonce_used"/);
});

test("OAuth parameters in two places, unknown consumers and malformed input are refused", async () => {
  const creds = fx.oauth1.echo;
  const s = sign({ creds, url: `${sim.url}/oauth1/echo` });
  s.url += "?oauth_nonce=x";
  const twice = await send(s);
  assert.equal(twice.status, 400);
  assert.equal(twice.json.reason, "parameter_placement");
  const unknown = await send(sign({ creds: { consumerKey: "who", consumerSecret: "x" }, url: `${sim.url}/oauth1/echo` }));
  assert.equal(unknown.status, 401);
  assert.equal(unknown.json.reason, "consumer_key_unknown");
  assert.equal((await call("/oauth1/echo?a=%E0%A4")).status, 400); // truncated UTF-8
  assert.equal((await call("/oauth1/echo", { headers: { Authorization: "OAuth oauth_consumer_key=unquoted" } })).status, 400);
  assert.equal((await call("/oauth2/token", { method: "POST", headers: { Authorization: "Basic !!!" }, body: "" })).status, 400);
  assert.equal((await call("/__sim/health")).status, 200); // still alive
});

test("CORS preflight is answered for browser pages", async () => {
  const r = await call("/oauth2/token", { method: "OPTIONS", headers: { Origin: "http://example.test", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,tenantregion" } });
  assert.equal(r.status, 204);
  assert.equal(r.headers.get("access-control-allow-origin"), "*");
  assert.match(r.headers.get("access-control-allow-headers"), /Authorization, Content-Type, TenantRegion, Accept/);
  assert.match(r.headers.get("access-control-expose-headers"), /WWW-Authenticate, Retry-After/);
});

// ---- ZapEvent three-legged flow ------------------------------------------------------------------

test("ZapEvent three-legged flow end to end, then paged participants", async () => {
  const z = fx.zapevent;
  const before = await counters();
  const callback = "http://myapp.example:3005/zapevent/callback_process";
  // Step 1: request token (RFC 5849 §2.1).
  const rt = await send(sign({ creds: z, method: "POST", url: `${sim.url}/zapevent/api/oauth/RequestToken`, extra: { oauth_callback: callback } }));
  assert.equal(rt.status, 200, rt.text);
  const temp = Object.fromEntries(new URLSearchParams(rt.text));
  assert.equal(temp.oauth_callback_confirmed, "true");
  assert.ok(temp.oauth_token && temp.oauth_token_secret);
  // A request token cannot be exchanged before the user authorized it (error 12).
  const early = await send(sign({ creds: z, method: "POST", url: `${sim.url}/zapevent/api/oauth/AccessToken`,
    token: { key: temp.oauth_token, secret: temp.oauth_token_secret }, extra: { oauth_verifier: "nope" } }));
  assert.equal(early.status, 400);
  assert.match(early.text, /<error_code>12<\/error_code>/);
  // Step 2: authorize, auto-approved, 302 back to the callback.
  const auth = await call(`/zapevent/api/oauth/authorize?oauth_token=${encodeURIComponent(temp.oauth_token)}`);
  assert.equal(auth.status, 302);
  const back = new URL(auth.headers.get("location"));
  assert.equal(back.origin + back.pathname, callback);
  assert.equal(back.searchParams.get("oauth_token"), temp.oauth_token);
  const verifier = back.searchParams.get("oauth_verifier");
  assert.ok(verifier);
  // Step 3: access token; the request token is single-use.
  const accessReq = () => sign({ creds: z, method: "POST", url: `${sim.url}/zapevent/api/oauth/AccessToken`,
    token: { key: temp.oauth_token, secret: temp.oauth_token_secret }, extra: { oauth_verifier: verifier } });
  const at = await send(accessReq());
  assert.equal(at.status, 200, at.text);
  const access = Object.fromEntries(new URLSearchParams(at.text));
  assert.ok(access.oauth_token && access.oauth_token_secret);
  const again = await send(accessReq());
  assert.equal(again.status, 401);
  assert.match(again.text, /<error_code>6<\/error_code><error_msg>Key authentication failed<\/error_msg>/);
  // API: all 523 participants of event 1001 over three pages of 250.
  const token = { key: access.oauth_token, secret: access.oauth_token_secret };
  const ids = new Set();
  for (let page = 1; page <= 3; page++) {
    const r = await send(sign({ creds: z, url: `${sim.url}/zapevent/api/event/getparticipants?event_id=1001&results_per_page=250&page=${page}&format=json`, token }));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.total_count, 523);
    assert.equal(r.json.total_pages, 3);
    for (const p of r.json.participants) ids.add(p.registration_id);
  }
  assert.equal(ids.size, 523);
  // Errors as in the seed: missing event_id → 3 with param_missing; bad format → 10.
  const missing = await send(sign({ creds: z, url: `${sim.url}/zapevent/api/event/getparticipants`, token }));
  assert.equal(missing.status, 400);
  assert.match(missing.text, /<error_code>3<\/error_code>.*<param_missing><param_name>event_id<\/param_name><\/param_missing>/);
  const fmt = await send(sign({ creds: z, url: `${sim.url}/zapevent/api/event/getevents?format=yaml`, token }));
  assert.equal(fmt.status, 400);
  assert.match(fmt.text, /<error_code>10<\/error_code>/);
  // Seed: HMAC-SHA1 or PLAINTEXT (PLAINTEXT may omit nonce and timestamp); HMAC-SHA256 is refused.
  const plain = await send(sign({ creds: z, url: `${sim.url}/zapevent/api/event/getcategories?format=csv`, token, signatureMethod: "PLAINTEXT", omitNonceTimestamp: true }));
  assert.equal(plain.status, 200, plain.text);
  assert.match(plain.text, /^category_id,category,event_count\r\n/);
  const sha256 = await send(sign({ creds: z, url: `${sim.url}/zapevent/api/event/getevents`, token, signatureMethod: "HMAC-SHA256" }));
  assert.equal(sha256.status, 400);
  const now = await counters();
  assert.equal(now.oauth1_flow.request_tokens, before.oauth1_flow.request_tokens + 1);
  assert.equal(now.oauth1_flow.access_tokens, before.oauth1_flow.access_tokens + 1);
});

// ---- OAuth 2 -------------------------------------------------------------------------------------

test("refresh rotation: reusing the old refresh token is invalid_grant AND revokes the newer tokens", async () => {
  const c = fx.generic.clients.basic;
  const auth = { Authorization: basicRfc(c.clientId, c.clientSecret) };
  const before = await counters();
  const first = await postForm("/oauth2/token", { grant_type: "password", username: fx.generic.user.username, password: fx.generic.user.password }, auth);
  assert.equal(first.status, 200, first.text);
  const second = await postForm("/oauth2/token", { grant_type: "refresh_token", refresh_token: first.json.refresh_token }, auth);
  assert.equal(second.status, 200, second.text);
  assert.notEqual(second.json.refresh_token, first.json.refresh_token);
  const me = () => call("/oauth2/api/me", { headers: { Authorization: `Bearer ${second.json.access_token}` } });
  assert.equal((await me()).status, 200);
  // Reuse of the rotated-out refresh token: invalid_grant and the whole family dies.
  const reuse = await postForm("/oauth2/token", { grant_type: "refresh_token", refresh_token: first.json.refresh_token }, auth);
  assert.equal(reuse.status, 400);
  assert.equal(reuse.json.error, "invalid_grant");
  const newer = await postForm("/oauth2/token", { grant_type: "refresh_token", refresh_token: second.json.refresh_token }, auth);
  assert.equal(newer.status, 400);
  assert.equal(newer.json.error, "invalid_grant");
  const dead = await me();
  assert.equal(dead.status, 401);
  assert.match(dead.headers.get("www-authenticate"), /^Bearer realm="oauth2", error="invalid_token"/);
  const now = await counters();
  assert.equal(now.grants.generic.refresh_token, (before.grants.generic?.refresh_token ?? 0) + 1);
  assert.equal(now.families_revoked, before.families_revoked + 1);
  assert.equal(now.invalid_grant, before.invalid_grant + 2);
  // The RFC 6749 §2.3.1 encoding matters: the raw form of this secret is refused.
  const raw = await postForm("/oauth2/token", { grant_type: "client_credentials" }, { Authorization: basicRaw(c.clientId, c.clientSecret) });
  assert.equal(raw.status, 401);
  assert.equal(raw.json.error, "invalid_client");
  assert.match(raw.headers.get("www-authenticate"), /^Basic /);
});

async function authorizeCode(client, { verifier, method = "S256", state = "st-1", scope = "openid profile" } = {}) {
  const redirectUri = "http://127.0.0.1:8765/callback"; // loopback: any port (RFC 8252 §7.3)
  const q = new URLSearchParams({ response_type: "code", client_id: client.clientId, redirect_uri: redirectUri, state, scope });
  if (verifier) {
    q.set("code_challenge", method === "S256" ? createHash("sha256").update(verifier).digest("base64url") : verifier);
    q.set("code_challenge_method", method);
  }
  const r = await call(`/oauth2/authorize?${q}`);
  assert.equal(r.status, 302, r.text);
  const loc = new URL(r.headers.get("location"));
  assert.equal(loc.searchParams.get("state"), state);
  return { code: loc.searchParams.get("code"), error: loc.searchParams.get("error"), redirectUri };
}

test("PKCE: a wrong code_verifier is rejected; the generic provider requires S256", async () => {
  const c = fx.generic.clients.public;
  const verifier = randomBytes(32).toString("base64url");
  const { code, redirectUri } = await authorizeCode(c, { verifier });
  const wrong = await postForm("/oauth2/token", { grant_type: "authorization_code", code, redirect_uri: redirectUri, client_id: c.clientId, code_verifier: randomBytes(32).toString("base64url") });
  assert.equal(wrong.status, 400);
  assert.equal(wrong.json.error, "invalid_grant");
  const right = await postForm("/oauth2/token", { grant_type: "authorization_code", code, redirect_uri: redirectUri, client_id: c.clientId, code_verifier: verifier });
  assert.equal(right.status, 200, right.text);
  assert.equal(right.json.token_type, "Bearer");
  const none = await authorizeCode(c, {});
  assert.equal(none.error, "invalid_request");
  const plain = await authorizeCode(c, { verifier, method: "plain" });
  assert.equal(plain.error, "invalid_request");
  const denied = await call(`/oauth2/authorize?${new URLSearchParams({ response_type: "code", client_id: c.clientId, redirect_uri: "http://127.0.0.1/callback", state: "s", login_hint: "deny", code_challenge: createHash("sha256").update(verifier).digest("base64url"), code_challenge_method: "S256" })}`);
  assert.equal(new URL(denied.headers.get("location")).searchParams.get("error"), "access_denied");
});

test("an authorization code used twice is rejected and its tokens are revoked", async () => {
  const c = fx.generic.clients.post;
  const verifier = randomBytes(40).toString("base64url");
  const { code, error, redirectUri } = await authorizeCode(c, { verifier, scope: "read" });
  assert.equal(error, null);
  assert.ok(code);
  const body = { grant_type: "authorization_code", code, redirect_uri: redirectUri, client_id: c.clientId, client_secret: c.clientSecret, code_verifier: verifier };
  const firstUse = await postForm("/oauth2/token", body);
  assert.equal(firstUse.status, 200, firstUse.text);
  const secondUse = await postForm("/oauth2/token", body);
  assert.equal(secondUse.status, 400);
  assert.equal(secondUse.json.error, "invalid_grant");
  const me = await call("/oauth2/api/me", { headers: { Authorization: `Bearer ${firstUse.json.access_token}` } });
  assert.equal(me.status, 401);
});

test("access tokens expire on the sim clock (per-provider TTL via /__sim/config)", async () => {
  const o = fx.omnifund;
  assert.equal((await postJson("/__sim/config", { accessTokenTtl: 30, provider: "omnifund" })).status, 200);
  const t = await postForm("/omnifund/oauth/v2/token", { grant_type: "password", client_id: o.clientId, client_secret: o.clientSecret, username: o.user.username, password: o.user.password });
  assert.equal(t.status, 200, t.text);
  assert.equal(t.json.expires_in, 30);
  assert.equal(t.json.scope, null);
  assert.equal(t.json.token_type, "bearer");
  const login = () => call("/omnifund/login", { method: "POST", headers: { Authorization: `Bearer ${t.json.access_token}` } });
  assert.equal((await login()).status, 200);
  await postJson("/__sim/clock", { advance: 31 });
  try {
    const expired = await login();
    assert.equal(expired.status, 401);
    assert.match(expired.headers.get("www-authenticate"), /error="invalid_token", error_description="The access token expired"/);
  } finally {
    await postJson("/__sim/clock", { advance: -31 });
    await postJson("/__sim/config", { accessTokenTtl: null, provider: "omnifund" });
  }
});

test("ORC: raw Basic credentials, access_refresh_token, expires_in in hours; Priava needs TenantRegion", async () => {
  const orc = fx.orc;
  const issued = (await call("/__sim/orc/issue", { method: "POST" })).json;
  const rfc = await postForm("/orc/token/", { grant_type: "refresh_token", refresh_token: issued.refresh_token }, { Authorization: basicRfc(orc.clientId, orc.clientSecret) });
  assert.equal(rfc.status, 401); // the secret's '+' '/' '=' differ once form-encoded
  assert.equal(rfc.json.error, "invalid_client");
  const ok = await postForm("/orc/token/", { refresh_token: issued.refresh_token }, { Authorization: basicRaw(orc.clientId, orc.clientSecret) });
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(Object.keys(ok.json).sort(), ["access_refresh_token", "access_token", "expires_in"]);
  assert.equal(ok.json.expires_in, 24);
  const roster = await postForm("/orc/roster/", { module_id: "4101", access_token: ok.json.access_token }, { Authorization: basicRaw(orc.clientId, orc.clientSecret) });
  assert.equal(roster.status, 200, roster.text);
  assert.equal(roster.json.attendees.length, 42);
  const p = fx.priava;
  const noRegion = await postForm("/priava/rest/oauth/token", { grant_type: "refresh_token", client_id: p.clientId, client_secret: p.clientSecret, refresh_token: "x", redirect_uri: p.redirectUri });
  assert.equal(noRegion.status, 400);
  assert.equal(noRegion.json.error, "invalid_request");
});

// ---- Faults and counters -------------------------------------------------------------------------

test("fault injection: one 429 with Retry-After, then normal answers", async () => {
  const before = await counters();
  const creds = fx.oauth1.echo;
  const set = await postJson("/__sim/faults", { rules: [{ path: "^/oauth1/echo$", method: "GET", kind: "429", retryAfter: 7, times: 1 }] });
  assert.equal(set.status, 200, set.text);
  try {
    const limited = await send(sign({ creds, url: `${sim.url}/oauth1/echo` }));
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get("retry-after"), "7");
    assert.equal(limited.json.error, "rate_limited");
    const normal = await send(sign({ creds, url: `${sim.url}/oauth1/echo` }));
    assert.equal(normal.status, 200, normal.text);
    // HTTP-date form, 503.
    await postJson("/__sim/faults", { rules: [{ path: "^/oauth1/echo$", kind: "503", retryAfter: "http-date", retryAfterSeconds: 5, times: 1 }] });
    const unavailable = await call("/oauth1/echo");
    assert.equal(unavailable.status, 503);
    assert.ok(!Number.isNaN(Date.parse(unavailable.headers.get("retry-after"))));
    // drop: no response at all; truncate: fewer bytes than Content-Length.
    await postJson("/__sim/faults", { rules: [{ path: "^/__none$|^/oauth1/echo/drop$", kind: "drop", times: 1 }, { path: "^/oauth1/echo/cut$", kind: "truncate", times: 1 }] });
    await assert.rejects(fetch(`${sim.url}/oauth1/echo/drop`));
    await assert.rejects(async () => {
      const r = await fetch(`${sim.url}/oauth1/echo/cut`);
      await r.text();
    });
  } finally {
    assert.equal((await call("/__sim/faults", { method: "DELETE" })).status, 200);
  }
  const now = await counters();
  assert.equal(now.faults_injected, before.faults_injected + 4);
  assert.equal(now.faults_by_kind["429"], (before.faults_by_kind["429"] ?? 0) + 1);
});

test("counters reflect everything above, and /__sim/reset clears them", async () => {
  const c = await counters();
  assert.ok(c.oauth1.accepted >= 15, JSON.stringify(c.oauth1));
  assert.equal(c.oauth1.body_hash_invalid, 1);
  assert.equal(c.oauth1.signature_invalid, 2);
  assert.equal(c.oauth1.timestamp_stale, 1);
  assert.equal(c.oauth1.nonce_replayed, 1);
  assert.equal(c.oauth1.parameter_placement, 1);
  assert.equal(c.oauth1.consumer_key_unknown, 1);
  assert.equal(c.oauth1_flow.request_tokens, 1);
  assert.equal(c.oauth1_flow.authorized, 1);
  assert.equal(c.oauth1_flow.access_tokens, 1);
  assert.equal(c.grants.generic.password, 1);
  assert.equal(c.grants.generic.refresh_token, 1);
  assert.equal(c.grants.generic.authorization_code, 2);
  assert.equal(c.grants.orc.refresh_token, 1);
  assert.equal(c.grants.omnifund.password, 1);
  assert.equal(c.families_revoked, 2); // refresh reuse + code reuse
  assert.equal(c.invalid_grant, 4); // reuse, newer, wrong PKCE, code reuse
  assert.equal(c.faults_injected, 4);
  assert.equal(c.api_by_provider.generic.unauthorized, 2);
  assert.equal(c.api_by_provider.omnifund.unauthorized, 1);
  assert.equal(sim.state.counters.invalid_grant, 4); // same numbers through the JS state object
  assert.equal((await call("/__sim/reset", { method: "POST" })).status, 200);
  const z = await counters();
  assert.equal(z.requests, 1);
  assert.equal(z.invalid_grant, 0);
  assert.deepEqual(z.grants, {});
  assert.equal((await call("/__sim/tokens")).json.families.total, 0);
});
