// ZapEvent OAuth 2 generation, raw HTTP: the code flow with the seed's spellings and PKCE, the
// token endpoint as form POST (post or Basic client auth) and as GET, strict refresh rotation,
// and which credentials each API generation accepts.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { startSimulator } from "./server.mjs";
import { basicRfc, client, pkcePair, send, sign } from "./testkit.mjs";

let sim;
let fx;
let z2;
let http;
before(async () => {
  sim = await startSimulator({ port: 0 });
  fx = sim.state.fixtures.zapevent;
  z2 = fx.oauth2;
  http = client(sim.url);
});
after(async () => {
  await sim?.close();
});

const REDIRECT = "http://127.0.0.1:4321/callback"; // loopback registration: any port

/** Runs the authorization request; returns {status, location: URL|null, json, text}. */
async function authorize(params, { method = "GET", path = "oauth2/Authorize", accept } = {}) {
  const headers = accept ? { Accept: accept } : {};
  const q = new URLSearchParams(params).toString();
  const r = method === "GET"
    ? await http.call(`/zapevent/api/${path}?${q}`, { headers })
    : await http.call(`/zapevent/api/${path}`, { method: "POST", headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" }, body: q });
  return { ...r, location: r.headers.get("location") ? new URL(r.headers.get("location")) : null };
}

const codeParams = (extra = {}) => ({ response_type: "code", client_id: z2.clientId, redirect_uri: REDIRECT, state: "st-42", ...extra });

async function getCode(extra = {}) {
  const r = await authorize(codeParams(extra));
  assert.equal(r.status, 302, r.text);
  assert.equal(r.location.searchParams.get("state"), "st-42");
  return r.location.searchParams.get("code");
}

const exchangePost = (code, extra = {}) => http.postForm("/zapevent/api/OAuth2/RequestToken",
  { grant_type: "authorization_code", code, redirect_uri: REDIRECT, client_id: z2.clientId, client_secret: z2.clientSecret, ...extra });
const refreshPost = (refreshToken) => http.postForm("/zapevent/api/OAuth2/RequestToken",
  { grant_type: "refresh_token", refresh_token: refreshToken }, { Authorization: basicRfc(z2.clientId, z2.clientSecret) });
const bearer = (token, path = "event/getnewevents") => http.call(`/zapevent/api/${path}`, { headers: { Authorization: `Bearer ${token}` } });

test("code flow: authorize → 302 with code and state → form POST (client_secret_post) → getnew* with Bearer", async () => {
  const before = await http.counters();
  const code = await getCode();
  assert.ok(code);
  assert.equal(new URL(REDIRECT).pathname, "/callback");
  const t = await exchangePost(code);
  assert.equal(t.status, 200, t.text);
  assert.deepEqual(Object.keys(t.json).sort(), ["access_token", "expires_in", "refresh_token", "token_type"]);
  assert.equal(t.json.token_type, "Bearer");
  assert.equal(t.json.expires_in, 3600);
  assert.equal(t.headers.get("cache-control"), "no-store");
  const r = await bearer(t.json.access_token);
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get("content-type"), /^application\/json/); // OAuth 2 generation: JSON by default
  assert.equal(r.json.total_count, fx.events.filter((e) => e.owner === fx.user.userId).length);
  assert.equal(r.json.events[0].activities, undefined); // getnewevents: activities defaults to F
  const now = await http.counters();
  assert.equal(now.grants.zapevent.authorization_code, (before.grants.zapevent?.authorization_code ?? 0) + 1);
});

test("the seed's spellings: oauth_consumer_key, oauth_callback, responce_type, POST oauth2/Authorization; JSON answer", async () => {
  const r = await authorize({ oauth_consumer_key: z2.clientId, oauth_callback: REDIRECT, responce_type: "code", state: "s p&c" },
    { method: "POST", path: "oauth2/Authorization", accept: "application/json" });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, "s p&c");
  const redirect = new URL(r.json.redirect);
  assert.equal(redirect.searchParams.get("code"), r.json.code);
  assert.equal(redirect.searchParams.get("state"), "s p&c");
  // Basic client authentication (RFC 6749 §2.3.1) is accepted as well.
  const t = await http.postForm("/zapevent/api/oauth2/requesttoken", { grant_type: "authorization_code", code: r.json.code, redirect_uri: REDIRECT },
    { Authorization: basicRfc(z2.clientId, z2.clientSecret) });
  assert.equal(t.status, 200, t.text);
  // Both spellings at once: fine when equal, 400 when they differ.
  const same = await authorize({ client_id: z2.clientId, oauth_consumer_key: z2.clientId, redirect_uri: REDIRECT, responce_type: "code" });
  assert.equal(same.status, 302, same.text);
  const differ = await authorize({ client_id: z2.clientId, oauth_consumer_key: "other", redirect_uri: REDIRECT, response_type: "code" });
  assert.equal(differ.status, 400);
  assert.equal(differ.json.error, "invalid_request");
});

test("authorization errors: response type other than code, unknown client, unregistered redirect", async () => {
  const implicit = await authorize({ responce_type: "token", client_id: z2.clientId, redirect_uri: REDIRECT, state: "st-42" });
  assert.equal(implicit.status, 302);
  assert.equal(implicit.location.searchParams.get("error"), "unsupported_response_type");
  assert.equal(implicit.location.searchParams.get("state"), "st-42");
  const none = await authorize({ client_id: z2.clientId, redirect_uri: REDIRECT });
  assert.equal(none.location.searchParams.get("error"), "invalid_request");
  const unknown = await authorize(codeParams({ client_id: "nope" }));
  assert.equal(unknown.status, 400);
  assert.equal(unknown.json.error, "invalid_client");
  const elsewhere = await authorize(codeParams({ redirect_uri: "https://evil.example/cb" }));
  assert.equal(elsewhere.status, 400); // never redirected to an unregistered URI
});

test("PKCE S256: a wrong or missing code_verifier is invalid_grant; the right one passes", async () => {
  const { verifier, challenge } = pkcePair();
  const code = await getCode({ code_challenge: challenge, code_challenge_method: "S256" });
  const missing = await exchangePost(code);
  assert.equal(missing.status, 400);
  assert.equal(missing.json.error, "invalid_grant");
  const wrong = await exchangePost(code, { code_verifier: pkcePair().verifier });
  assert.equal(wrong.json.error, "invalid_grant");
  const right = await exchangePost(code, { code_verifier: verifier });
  assert.equal(right.status, 200, right.text);
});

test("GET token variants: OAuth2/RequestToken and the seed's oauth/RequestToken?grant_type=…; POST oauth/RequestToken stays OAuth 1", async () => {
  for (const path of ["OAuth2/RequestToken", "oauth/RequestToken"]) {
    const code = await getCode();
    const q = new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT, client_id: z2.clientId, client_secret: z2.clientSecret });
    const t = await http.call(`/zapevent/api/${path}?${q}`);
    assert.equal(t.status, 200, `${path}: ${t.text}`);
    assert.equal(t.json.token_type, "Bearer");
    assert.equal((await bearer(t.json.access_token)).status, 200);
  }
  // POST with an empty body: the query string carries the parameters (seed: "POST Body: N/A").
  const code = await getCode();
  const q = new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT, client_id: z2.clientId, client_secret: z2.clientSecret });
  assert.equal((await http.call(`/zapevent/api/OAuth2/RequestToken?${q}`, { method: "POST" })).status, 200);
  // GET oauth/RequestToken without grant_type: the OAuth 1 step is POST only.
  assert.equal((await http.call("/zapevent/api/oauth/RequestToken")).status, 405);
  // POST oauth/RequestToken is still the OAuth 1.0a request-token step (unsigned → error 6).
  const oauth1 = await http.postForm("/zapevent/api/oauth/RequestToken", { grant_type: "authorization_code", code: "x" });
  assert.equal(oauth1.status, 401);
  assert.match(oauth1.text, /<error_code>6<\/error_code>/);
  const signed = await send(sign({ creds: fx, method: "POST", url: `${sim.url}/zapevent/api/oauth/RequestToken`, extra: { oauth_callback: "oob" } }));
  assert.equal(signed.status, 200, signed.text);
  assert.match(signed.text, /oauth_callback_confirmed=true/);
});

test("client authentication: missing, wrong secret (post and Basic), codes single-use", async () => {
  const code = await getCode();
  const noSecret = await http.postForm("/zapevent/api/OAuth2/RequestToken", { grant_type: "authorization_code", code, redirect_uri: REDIRECT, client_id: z2.clientId });
  assert.equal(noSecret.status, 400);
  assert.equal(noSecret.json.error, "invalid_client");
  const wrongPost = await exchangePost(code, { client_secret: "WRONG" });
  assert.equal(wrongPost.json.error, "invalid_client");
  const wrongBasic = await http.postForm("/zapevent/api/OAuth2/RequestToken", { grant_type: "authorization_code", code, redirect_uri: REDIRECT },
    { Authorization: basicRfc(z2.clientId, "WRONG") });
  assert.equal(wrongBasic.status, 401);
  assert.match(wrongBasic.headers.get("www-authenticate"), /^Basic realm="zapevent"/);
  const unsupported = await http.postForm("/zapevent/api/OAuth2/RequestToken", { grant_type: "password", client_id: z2.clientId, client_secret: z2.clientSecret });
  assert.equal(unsupported.json.error, "unsupported_grant_type");
  const first = await exchangePost(code);
  assert.equal(first.status, 200, first.text);
  const second = await exchangePost(code);
  assert.equal(second.json.error, "invalid_grant");
  assert.equal((await bearer(first.json.access_token)).status, 401); // RFC 6749 §4.1.2: revoked
});

test("refresh: strict rotation; reusing a rotated refresh token revokes the whole family", async () => {
  const before = await http.counters();
  const t0 = (await exchangePost(await getCode())).json;
  const r1 = await refreshPost(t0.refresh_token);
  assert.equal(r1.status, 200, r1.text);
  assert.notEqual(r1.json.refresh_token, t0.refresh_token);
  assert.notEqual(r1.json.access_token, t0.access_token);
  const r2 = await refreshPost(r1.json.refresh_token);
  assert.equal(r2.status, 200, r2.text);
  assert.equal((await bearer(r2.json.access_token)).status, 200);
  const reuse = await refreshPost(t0.refresh_token);
  assert.equal(reuse.status, 400);
  assert.equal(reuse.json.error, "invalid_grant");
  assert.equal((await refreshPost(r2.json.refresh_token)).json.error, "invalid_grant"); // the newest one died too
  for (const at of [t0.access_token, r1.json.access_token, r2.json.access_token]) {
    const dead = await bearer(at, "event/getnewparticipants?event_id=1001");
    assert.equal(dead.status, 401);
    assert.match(dead.headers.get("www-authenticate"), /^Bearer realm="zapevent", error="invalid_token"/);
    assert.deepEqual(dead.json, { error: { error_code: 6, error_msg: "Key authentication failed" } });
  }
  const now = await http.counters();
  assert.equal(now.grants.zapevent.refresh_token, (before.grants.zapevent?.refresh_token ?? 0) + 2);
  assert.equal(now.families_revoked, before.families_revoked + 1);
});

test("access tokens expire on the sim clock (/__sim/config provider zapevent); a refresh recovers", async () => {
  assert.equal((await http.postJson("/__sim/config", { accessTokenTtl: 30, provider: "zapevent" })).status, 200);
  try {
    const t = (await exchangePost(await getCode())).json;
    assert.equal(t.expires_in, 30);
    assert.equal((await bearer(t.access_token)).status, 200);
    await http.postJson("/__sim/clock", { advance: 31 });
    const expired = await bearer(t.access_token);
    assert.equal(expired.status, 401);
    assert.match(expired.headers.get("www-authenticate"), /error="invalid_token", error_description="The access token expired"/);
    const fresh = await refreshPost(t.refresh_token);
    assert.equal(fresh.status, 200, fresh.text);
    assert.equal((await bearer(fresh.json.access_token)).status, 200);
  } finally {
    await http.postJson("/__sim/clock", { advance: -31 });
    await http.postJson("/__sim/config", { accessTokenTtl: null, provider: "zapevent" });
  }
});

test("generations do not mix: Bearer on get* and OAuth 1 on getnew* are error 6 (401)", async () => {
  const t = (await exchangePost(await getCode())).json;
  const onOauth1 = await bearer(t.access_token, "event/getevents");
  assert.equal(onOauth1.status, 401);
  assert.match(onOauth1.text, /^<\?xml[^>]*>\n<error><error_code>6<\/error_code>/);
  assert.equal(onOauth1.headers.get("www-authenticate"), 'OAuth realm="zapevent"');
  const token = { key: fx.accessToken.token, secret: fx.accessToken.tokenSecret };
  const ok1 = await send(sign({ creds: fx, url: `${sim.url}/zapevent/api/event/getevents`, token }));
  assert.equal(ok1.status, 200, ok1.text);
  for (const placement of ["header", "query"]) {
    const onOauth2 = await send(sign({ creds: fx, url: `${sim.url}/zapevent/api/event/getnewevents`, token, placement }));
    assert.equal(onOauth2.status, 401, placement);
    assert.equal(onOauth2.json.error.error_code, 6);
    assert.equal(onOauth2.headers.get("www-authenticate"), 'Bearer realm="zapevent"');
  }
  const nothing = await http.call("/zapevent/api/event/getnewevents");
  assert.equal(nothing.status, 401);
  assert.equal(nothing.headers.get("www-authenticate"), 'Bearer realm="zapevent"');
  const garbage = await bearer("not-a-token");
  assert.match(garbage.headers.get("www-authenticate"), /^Bearer realm="zapevent", error="invalid_token"/);
  // The Login Method works on both generations.
  const u = fx.user;
  const login = await http.postForm("/zapevent/api/rest/login?format=json", { username: u.username, password: u.password });
  const q = new URLSearchParams({ tmp_key: login.json.tmp_key, tmp_secret: login.json.tmp_secret });
  assert.equal((await http.call(`/zapevent/api/event/getnewevents?${q}`)).status, 200);
  assert.equal((await http.call(`/zapevent/api/event/getevents?${q}`)).status, 200);
  const c = await http.counters();
  assert.ok(c.api_by_provider.zapevent.unauthorized >= 5, JSON.stringify(c.api_by_provider.zapevent));
});
