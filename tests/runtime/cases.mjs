// The runtime test cases, shared by every runtime suite (Node, Deno, workerd, browsers). Plain
// ES module, no imports: each case is `async (ctx) => void` and throws on failure, where
//   ctx = { pkg, manual, simUrl, fixtures, assert, runtime, entry }
//   pkg      the module namespace of `import * as pkg from "oauth-edge"`
//   manual   the namespace of "oauth-edge/manual"
//   simUrl   the simulator origin, e.g. http://127.0.0.1:41234
//   fixtures the JSON of GET /__sim/fixtures
//   runtime  "node" | "deno" | "workerd" | "chromium" | "firefox"
//   entry    { resolved, expected } for the export-condition check (resolved null: not checkable)
// Cases run one after another; the only shared simulator state a case changes (the clock) is
// restored in a finally block.

/** Query pairs with non-ASCII (BMP and astral), reserved and sub-delim characters, an empty
 *  value, a repeated name and a name that needs encoding. */
const TRICKY_QUERY = [
  ["q", "héllo wörld 漢字 🎉"],
  ["reserved", "a&b=c+d/e?f#g%h"],
  ["subdelims", "!'()*,;:@$~-._"],
  ["empty", ""],
  ["dup", "2"],
  ["dup", "1"],
  ["na me+&=", "x y"],
];

const enc = (s) => encodeURIComponent(s);
const rawQuery = (pairs) => pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join("&");

function echoCreds(ctx, which = "echo") {
  const c = ctx.fixtures.oauth1[which];
  return { consumerKey: c.consumerKey, consumerSecret: c.consumerSecret, token: c.token, tokenSecret: c.tokenSecret };
}

async function json(res) {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`response ${res.status} is not JSON: ${text.slice(0, 200)}`);
  }
}

/** Asserts a 200 {ok:true} echo and returns its body. */
async function expectAccepted(ctx, res, what) {
  const body = await json(res);
  ctx.assert.equal(res.status, 200, `${what}: status (reason ${body.reason}: ${body.message})`);
  ctx.assert.equal(body.ok, true, `${what}: ok`);
  return body;
}

/** Asserts a 401 {ok:false, reason} echo with the matching WWW-Authenticate problem. */
async function expectRejected(ctx, res, reason, problem, what) {
  const body = await json(res);
  ctx.assert.equal(res.status, 401, `${what}: status`);
  ctx.assert.equal(body.ok, false, `${what}: ok`);
  ctx.assert.equal(body.reason, reason, `${what}: reason`);
  ctx.assert.match(res.headers.get("www-authenticate") || "", new RegExp(`oauth_problem="${problem}"`), `${what}: WWW-Authenticate`);
  return body;
}

/** Sends a SignedRequest from sign() with the host's plain fetch. */
function sendSigned(signed, overrideUrl) {
  return fetch(overrideUrl ?? signed.url, { method: signed.method, headers: signed.headers, body: signed.body ?? undefined });
}

async function simNow(ctx) {
  const res = await fetch(`${ctx.simUrl}/__sim/clock`);
  ctx.assert.equal(res.status, 200, "GET /__sim/clock");
  const { now } = await res.json();
  ctx.assert.ok(Number.isInteger(now) && now > 1.7e9, "sim clock now");
  return now;
}

async function advanceSimClock(ctx, seconds) {
  const res = await fetch(`${ctx.simUrl}/__sim/clock`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ advance: seconds }),
  });
  ctx.assert.equal(res.status, 200, "POST /__sim/clock");
  await res.body?.cancel?.();
}

/** Every string that must never show up in an error: all secrets a case handed the SDK. */
function assertNoSecrets(ctx, err, secrets, what) {
  const texts = [err && err.message, String(err), err && err.stack, err && err.providerDescription];
  try {
    texts.push(JSON.stringify(err, Object.getOwnPropertyNames(err)));
  } catch {
    /* cyclic cause: covered by the fields above */
  }
  for (const t of texts) for (const s of secrets) ctx.assert.doesNotInclude(t, s, `${what}: a secret leaked into the error`);
}

function assertEdgeError(ctx, err, code, what) {
  ctx.assert.ok(err instanceof ctx.pkg.OAuthEdgeError, `${what}: instanceof OAuthEdgeError (got ${err && err.name}: ${err && err.message})`);
  ctx.assert.ok(err instanceof Error, `${what}: instanceof Error`);
  ctx.assert.equal(err.name, "OAuthEdgeError", `${what}: name`);
  ctx.assert.equal(err.code, code, `${what}: code (message: ${err.message})`);
  ctx.assert.ok(typeof err.message === "string" && err.message.length > 0, `${what}: has a message`);
}

function zapFlow(ctx, overrides = {}) {
  const z = ctx.fixtures.zapevent;
  return new ctx.pkg.OAuth1Flow({
    consumerKey: z.consumerKey,
    consumerSecret: z.consumerSecret,
    requestTokenUrl: `${ctx.simUrl}/zapevent/api/oauth/RequestToken`,
    authorizeUrl: `${ctx.simUrl}/zapevent/api/oauth/authorize`,
    accessTokenUrl: `${ctx.simUrl}/zapevent/api/oauth/AccessToken`,
    ...overrides,
  });
}

const browserLike = (ctx) => ctx.runtime === "chromium" || ctx.runtime === "firefox";

/**
 * Step 2 as the user agent would do it: GET the authorization URL and read where the provider
 * redirects. Browsers hide a manual redirect's Location (Fetch: "opaqueredirect", status 0),
 * so there the simulator's JSON variant of the same endpoint (Accept: application/json) is used.
 */
async function authorize(ctx, authorizationUrl) {
  if (browserLike(ctx)) {
    const res = await fetch(authorizationUrl, { headers: { Accept: "application/json" } });
    const body = await json(res);
    ctx.assert.equal(res.status, 200, "authorize (JSON variant): status");
    ctx.assert.ok(typeof body.redirect === "string", "authorize (JSON variant): redirect");
    return body.redirect;
  }
  const res = await fetch(authorizationUrl, { redirect: "manual" });
  ctx.assert.equal(res.status, 302, "authorize: status");
  const location = res.headers.get("location");
  await res.body?.cancel?.();
  ctx.assert.ok(location, "authorize: Location header");
  return location;
}

export const cases = [
  {
    name: "package resolves through the runtime's export condition",
    async run(ctx) {
      const { pkg, manual, assert, entry } = ctx;
      for (const name of ["OAuth1Signer", "OAuth1Flow", "OAuthEdgeError", "init"]) {
        assert.equal(typeof pkg[name], "function", `export ${name}`);
      }
      if (entry && entry.resolved !== null) {
        assert.ok(entry.expected, "expected entry known");
        assert.equal(String(entry.resolved), String(entry.expected), "resolved entry module");
      }
      // oauth-edge/manual shares the glue and the error module with the main entry.
      assert.equal(manual.OAuthEdgeError, pkg.OAuthEdgeError, "one OAuthEdgeError class across entries");
      assert.equal(manual.OAuth1Signer, pkg.OAuth1Signer, "one OAuth1Signer class across entries");
      await manual.init(); // already initialized by the main entry: must be a no-op
      const s = new manual.OAuth1Signer({ consumerKey: "k", consumerSecret: "s" });
      const signed = s.sign({ url: "https://api.example/x", nonce: "n", timestamp: 1 });
      assert.match(signed.headers.Authorization || signed.headers.authorization || "", /^OAuth /, "manual entry signs");
    },
  },

  {
    name: "signed GET with non-ASCII and reserved query characters via signer.fetch()",
    async run(ctx) {
      const { pkg, assert, simUrl } = ctx;
      const c = echoCreds(ctx);
      const signer = new pkg.OAuth1Signer(c);
      // Two spellings of the same pairs: %20 for spaces (encodeURIComponent) and '+' (URLSearchParams).
      for (const [label, query] of [["percent", rawQuery(TRICKY_QUERY)], ["urlsearchparams", new URLSearchParams(TRICKY_QUERY).toString()]]) {
        const res = await signer.fetch(`${simUrl}/oauth1/echo/päth/${enc("a b")}?${query}`);
        const body = await expectAccepted(ctx, res, label);
        assert.equal(body.method, "GET", `${label}: method`);
        assert.equal(body.path, "/oauth1/echo/p%C3%A4th/a%20b", `${label}: path`);
        assert.deepEqual(body.query, TRICKY_QUERY, `${label}: echoed query`);
        assert.equal(body.placement, "header", `${label}: placement`);
        assert.equal(body.oauth.oauth_signature_method, "HMAC-SHA1", `${label}: method`);
        assert.equal(body.oauth.oauth_consumer_key, c.consumerKey, `${label}: consumer key`);
        assert.equal(body.oauth.oauth_token, c.token, `${label}: token`);
        assert.equal(body.oauth.oauth_version, "1.0", `${label}: version`);
        assert.match(body.oauth.oauth_nonce, /^[0-9a-f]{32}$/, `${label}: nonce`);
      }
    },
  },

  {
    name: "HMAC-SHA256 and PLAINTEXT, header/query/body placements are accepted",
    async run(ctx) {
      const { pkg, assert, simUrl } = ctx;
      const variants = [
        { signatureMethod: "HMAC-SHA256", placement: "header" },
        { signatureMethod: "PLAINTEXT", placement: "header" },
        { signatureMethod: "HMAC-SHA1", placement: "query" },
        { signatureMethod: "HMAC-SHA256", placement: "query" },
        { signatureMethod: "PLAINTEXT", placement: "query" },
        { signatureMethod: "HMAC-SHA1", placement: "body" },
        { signatureMethod: "HMAC-SHA256", placement: "body" },
        { signatureMethod: "PLAINTEXT", placement: "body" },
      ];
      for (const which of ["echo", "echoWeird"]) {
        for (const v of variants) {
          const label = `${which} ${v.signatureMethod}/${v.placement}`;
          const signer = new pkg.OAuth1Signer({ ...echoCreds(ctx, which), ...v });
          const init = v.placement === "body"
            ? { method: "POST", form: [["x", "1 2"], ["ü", "é&="]] }
            : { method: "GET" };
          const res = await signer.fetch(`${simUrl}/oauth1/echo?k=${enc("v/ü")}`, init);
          const body = await expectAccepted(ctx, res, label);
          assert.equal(body.placement, v.placement, `${label}: placement`);
          assert.equal(body.oauth.oauth_signature_method, v.signatureMethod, `${label}: signature method`);
          assert.deepEqual(body.query, [["k", "v/ü"]], `${label}: query`);
          if (v.placement === "body") assert.deepEqual(body.form, [["x", "1 2"], ["ü", "é&="]], `${label}: form`);
          if (v.signatureMethod === "PLAINTEXT") {
            assert.equal(body.oauth.oauth_nonce, undefined, `${label}: PLAINTEXT sends no nonce`);
          } else {
            assert.match(body.oauth.oauth_nonce || "", /^[0-9a-f]{32}$/, `${label}: nonce`);
          }
        }
      }
    },
  },

  {
    name: "PLAINTEXT sign() gives its kept request-independent header only where the core accepts it",
    async run(ctx) {
      const { pkg, assert, simUrl } = ctx;
      const signer = new pkg.OAuth1Signer({ ...echoCreds(ctx), signatureMethod: "PLAINTEXT" });
      // Several URLs of one origin (the second and later are served from the kept header, see
      // pkg-template/oauth1_sign.js): each verified by the simulator.
      for (const [method, path] of [["get", "/oauth1/echo?k=1"], ["GET", "/oauth1/echo/a?k=2"], ["get", "/oauth1/echo?k=1"], ["DELETE", "/oauth1/echo/b"]]) {
        const signed = signer.sign({ method, url: `${simUrl}${path}` });
        assert.equal(signed.method, method.toUpperCase(), `${method} ${path}: method`);
        assert.equal(signed.url, `${simUrl}${path}`, `${method} ${path}: url`);
        assert.deepEqual(Object.keys(signed.headers), ["Authorization"], `${method} ${path}: headers`);
        assert.equal(signed.body, null, `${method} ${path}: body`);
        const body = await expectAccepted(ctx, await sendSigned(signed), `${method} ${path}`);
        assert.equal(body.oauth.oauth_signature_method, "PLAINTEXT", `${method} ${path}: signature method`);
        assert.equal(body.oauth.oauth_nonce, undefined, `${method} ${path}: no nonce`);
      }
      // A per-request parameter is never served from the kept header.
      const withNonce = signer.sign({ url: `${simUrl}/oauth1/echo`, nonce: "n-1", timestamp: 1 });
      assert.match(withNonce.headers.Authorization, /oauth_nonce="n-1"/, "a given nonce is sent");
      // What the core refuses stays refused after a header of another origin was kept.
      const remote = new pkg.OAuth1Signer({ consumerKey: "k", consumerSecret: "s", signatureMethod: "PLAINTEXT" });
      assert.match(remote.sign({ url: "https://api.example/x" }).headers.Authorization, /^OAuth /, "https");
      assert.match(remote.sign({ url: "https://api.example/y" }).headers.Authorization, /^OAuth /, "https again");
      assertEdgeError(ctx, assert.throws(() => remote.sign({ url: "http://api.example/x" }), "http"), "INSECURE_URL", "http after https");
      assertEdgeError(ctx, assert.throws(() => remote.sign({ method: "G T", url: "https://api.example/x" }), "bad method"), "INVALID_ARGUMENT", "bad method");
      remote.free();
      assertEdgeError(ctx, assert.throws(() => remote.sign({ url: "https://api.example/x" }), "freed"), "INVALID_ARGUMENT", "a freed signer");
    },
  },

  {
    name: "form POST via signer.fetch(url, {method: 'POST', form})",
    async run(ctx) {
      const { pkg, assert, simUrl } = ctx;
      const signer = new pkg.OAuth1Signer(echoCreds(ctx));
      const form = { status: "Hello Ladies + Gentlemen, a signed OAuth request!", list: ["b", "a"], uni: "ü€🎉", empty: "" };
      const res = await signer.fetch(`${simUrl}/oauth1/echo/post?include_entities=true`, { method: "POST", form });
      const body = await expectAccepted(ctx, res, "form POST");
      assert.equal(body.method, "POST", "method");
      assert.deepEqual(body.query, [["include_entities", "true"]], "query");
      assert.deepEqual(body.form, [["status", form.status], ["list", "b"], ["list", "a"], ["uni", "ü€🎉"], ["empty", ""]], "form");
      assert.ok(body.body_length > 0, "body sent");
      // URLSearchParams and a string body declared as a form are signed the same way.
      const res2 = await signer.fetch(`${simUrl}/oauth1/echo/post`, { method: "POST", form: new URLSearchParams([["a", "1"], ["b", "x y"]]) });
      assert.deepEqual((await expectAccepted(ctx, res2, "URLSearchParams form")).form, [["a", "1"], ["b", "x y"]], "URLSearchParams form");
      const res3 = await signer.fetch(`${simUrl}/oauth1/echo/post`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: "c=3&d=%C3%BC",
      });
      assert.deepEqual((await expectAccepted(ctx, res3, "string form body")).form, [["c", "3"], ["d", "ü"]], "string form body");
    },
  },

  {
    name: "signer.fetch(Request) signs the Request's own method, headers and form body",
    async run(ctx) {
      const { pkg, assert, simUrl } = ctx;
      const signer = new pkg.OAuth1Signer(echoCreds(ctx));
      const request = new Request(`${simUrl}/oauth1/echo/request?q=${enc("ü v")}`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Trace": "abc" },
        body: "r=1&s=%C3%BC+x",
      });
      const res = await signer.fetch(request);
      const body = await expectAccepted(ctx, res, "Request input");
      assert.equal(body.method, "POST", "method taken from the Request");
      assert.deepEqual(body.query, [["q", "ü v"]], "query");
      assert.deepEqual(body.form, [["r", "1"], ["s", "ü x"]], "form body taken from the Request and signed");
    },
  },

  {
    name: "non-form body with bodyHash is accepted; a changed body is rejected",
    async run(ctx) {
      const { pkg, assert, simUrl } = ctx;
      for (const signatureMethod of ["HMAC-SHA1", "HMAC-SHA256"]) {
        const signer = new pkg.OAuth1Signer({ ...echoCreds(ctx), signatureMethod });
        const payload = JSON.stringify({ hello: "wörld", n: 1 });
        const res = await signer.fetch(`${simUrl}/oauth1/echo/json`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: payload,
          bodyHash: true,
        });
        const body = await expectAccepted(ctx, res, `${signatureMethod} body hash`);
        assert.ok(typeof body.oauth.oauth_body_hash === "string" && body.oauth.oauth_body_hash.length > 0, "oauth_body_hash sent");
        assert.equal(body.body_length, new TextEncoder().encode(payload).length, "body length");
        const signed = signer.sign({ method: "POST", url: `${simUrl}/oauth1/echo/json`, body: payload, bodyHash: true });
        const tampered = await fetch(signed.url, { method: "POST", headers: { ...signed.headers, "Content-Type": "application/json" }, body: payload.replace("1", "2") });
        const t = await json(tampered);
        assert.equal(tampered.status, 401, "tampered body: status");
        assert.equal(t.reason, "body_hash_invalid", "tampered body: reason");
      }
    },
  },

  {
    name: "a tampered request is rejected with 401 signature_invalid",
    async run(ctx) {
      const { pkg, assert, simUrl } = ctx;
      const signer = new pkg.OAuth1Signer(echoCreds(ctx));
      const signed = signer.sign({ url: `${simUrl}/oauth1/echo/transfer?amount=100&to=${enc("alice ü")}` });
      assert.equal(signed.method, "GET", "signed method");
      assert.equal(signed.body, null, "signed body");
      const u = new URL(signed.url);
      assert.equal(u.searchParams.get("amount"), "100", "signed URL keeps the query");
      u.searchParams.set("amount", "1000");
      await expectRejected(ctx, await sendSigned(signed, u.toString()), "signature_invalid", "signature_invalid", "tampered");
      // The untouched request is fine (a rejected request does not consume its nonce).
      const ok = await expectAccepted(ctx, await sendSigned(signed), "untampered");
      assert.deepEqual(ok.query, [["amount", "100"], ["to", "alice ü"]], "untampered query");
    },
  },

  {
    name: "a stale timestamp is rejected with 401 timestamp_stale",
    async run(ctx) {
      const { pkg, simUrl } = ctx;
      const signer = new pkg.OAuth1Signer(echoCreds(ctx));
      const now = await simNow(ctx);
      const url = `${simUrl}/oauth1/echo/stale`;
      await expectRejected(ctx, await sendSigned(signer.sign({ url, timestamp: now - 301 })), "timestamp_stale", "timestamp_refused", "now-301");
      await expectRejected(ctx, await sendSigned(signer.sign({ url, timestamp: now + 400 })), "timestamp_stale", "timestamp_refused", "now+400");
      // Inside the ±300 s window an explicit timestamp is fine: the rejection above is about age.
      await expectAccepted(ctx, await sendSigned(signer.sign({ url, timestamp: now - 250 })), "now-250");
    },
  },

  {
    name: "the default timestamp is the host clock (sim clock moved +301 s → stale)",
    async run(ctx) {
      const { pkg, simUrl } = ctx;
      const signer = new pkg.OAuth1Signer(echoCreds(ctx));
      const url = `${simUrl}/oauth1/echo/clock`;
      await expectAccepted(ctx, await signer.fetch(url), "clock in sync");
      await advanceSimClock(ctx, 301);
      try {
        await expectRejected(ctx, await signer.fetch(url), "timestamp_stale", "timestamp_refused", "sim clock +301");
      } finally {
        await advanceSimClock(ctx, -301);
      }
      await expectAccepted(ctx, await signer.fetch(url), "clock restored");
    },
  },

  {
    name: "a replayed request is rejected with 401 nonce_replayed",
    async run(ctx) {
      const { pkg, assert, simUrl } = ctx;
      const signer = new pkg.OAuth1Signer(echoCreds(ctx));
      const signed = signer.sign({ method: "POST", url: `${simUrl}/oauth1/echo/replay`, form: { a: "1" } });
      assert.equal(typeof signed.body, "string", "form body returned as a string");
      assert.equal(signed.headers["Content-Type"] ?? signed.headers["content-type"], "application/x-www-form-urlencoded", "form content type");
      await expectAccepted(ctx, await sendSigned(signed), "first");
      await expectRejected(ctx, await sendSigned(signed), "nonce_replayed", "nonce_used", "replay");
      // sign() twice gives different nonces, so both are accepted.
      const a = signer.sign({ url: `${simUrl}/oauth1/echo/replay` });
      const b = signer.sign({ url: `${simUrl}/oauth1/echo/replay` });
      assert.notEqual(a.headers.Authorization, b.headers.Authorization, "fresh nonce per sign()");
      await expectAccepted(ctx, await sendSigned(a), "a");
      await expectAccepted(ctx, await sendSigned(b), "b");
    },
  },

  {
    name: "ZapEvent three-legged flow with OAuth1Flow, then an API call with the token",
    async run(ctx) {
      const { pkg, assert, simUrl, fixtures } = ctx;
      const z = fixtures.zapevent;
      const flow = zapFlow(ctx);
      const callback = "http://127.0.0.1/callback?state=xyz";
      const pending = await flow.start({ callback });
      assert.match(pending.requestToken, /^[0-9a-f]{32}$/, "request token");
      assert.match(pending.requestTokenSecret, /^[0-9A-F]{40}$/, "request token secret");
      const authUrl = new URL(pending.authorizationUrl);
      assert.equal(authUrl.origin + authUrl.pathname, `${simUrl}/zapevent/api/oauth/authorize`, "authorization URL endpoint");
      assert.equal(authUrl.searchParams.get("oauth_token"), pending.requestToken, "authorization URL oauth_token");

      const location = await authorize(ctx, pending.authorizationUrl);
      const cb = new URL(location);
      assert.equal(cb.origin + cb.pathname, "http://127.0.0.1/callback", "redirect target");
      assert.equal(cb.searchParams.get("state"), "xyz", "callback keeps its own query");
      assert.equal(cb.searchParams.get("oauth_token"), pending.requestToken, "callback oauth_token");
      assert.match(cb.searchParams.get("oauth_verifier") || "", /^[0-9a-f]{32}$/, "callback oauth_verifier");

      const creds = await flow.finish({ requestToken: pending.requestToken, requestTokenSecret: pending.requestTokenSecret, callbackUrl: location });
      assert.match(creds.token, /^[0-9a-f]{32}$/, "access token");
      assert.match(creds.tokenSecret, /^[0-9A-F]{40}$/, "access token secret");
      assert.notEqual(creds.token, pending.requestToken, "access token differs from request token");
      assert.deepEqual(creds.params, {}, "no extra params");

      const api = new pkg.OAuth1Signer({ consumerKey: z.consumerKey, consumerSecret: z.consumerSecret, token: creds.token, tokenSecret: creds.tokenSecret });
      const res = await api.fetch(`${simUrl}/zapevent/api/event/getevents?format=json&results_per_page=250&activities=false`);
      const body = await json(res);
      assert.equal(res.status, 200, `API call status (${JSON.stringify(body).slice(0, 200)})`);
      const mine = z.events.filter((e) => e.owner === z.user.userId);
      assert.ok(mine.length > 0, "fixture user owns events");
      assert.equal(body.total_count, mine.length, "total_count");
      assert.deepEqual(body.events.map((e) => e.event_id).sort((a, b) => a - b), mine.map((e) => e.event_id).sort((a, b) => a - b), "event ids");

      // The request token is single-use: finishing again is a typed provider error.
      const again = await ctx.assert.rejects(() => flow.finish({ requestToken: pending.requestToken, requestTokenSecret: pending.requestTokenSecret, callbackUrl: location }), "second finish");
      assertEdgeError(ctx, again, "PROVIDER_ERROR", "second finish");
      assert.equal(again.status, 401, "second finish: status");
      assert.equal(again.providerCode, "token_used", "second finish: providerCode");
      assertNoSecrets(ctx, again, [pending.requestTokenSecret, z.consumerSecret, creds.tokenSecret], "second finish");
    },
  },

  {
    name: "OAuth1Flow errors: STATE_MISMATCH, PROVIDER_ERROR, INSECURE_URL",
    async run(ctx) {
      const { assert, simUrl, fixtures } = ctx;
      const flow = zapFlow(ctx);
      const pending = await flow.start({ callback: "http://127.0.0.1/callback" });
      const forged = `http://127.0.0.1/callback?oauth_token=${"0".repeat(32)}&oauth_verifier=abc`;
      const mismatch = await assert.rejects(() => flow.finish({ ...pending, callbackUrl: forged }), "forged callback");
      assertEdgeError(ctx, mismatch, "STATE_MISMATCH", "forged callback");
      assertNoSecrets(ctx, mismatch, [pending.requestTokenSecret, fixtures.zapevent.consumerSecret], "forged callback");

      const neither = await assert.rejects(() => flow.finish({ requestToken: pending.requestToken, requestTokenSecret: pending.requestTokenSecret }), "no callbackUrl nor verifier");
      assertEdgeError(ctx, neither, "INVALID_ARGUMENT", "no callbackUrl nor verifier");

      const wrongSecret = "wrong-consumer-secret-" + "q".repeat(12);
      const bad = zapFlow(ctx, { consumerSecret: wrongSecret });
      const rejected = await assert.rejects(() => bad.start({ callback: "http://127.0.0.1/callback" }), "wrong consumer secret");
      assertEdgeError(ctx, rejected, "PROVIDER_ERROR", "wrong consumer secret");
      assert.equal(rejected.status, 401, "wrong consumer secret: status");
      assert.equal(rejected.providerCode, "signature_invalid", "wrong consumer secret: providerCode");
      assertNoSecrets(ctx, rejected, [wrongSecret, fixtures.zapevent.consumerSecret], "wrong consumer secret");

      const insecure = assert.throws(() => zapFlow(ctx, { requestTokenUrl: "http://zapevent.example/api/oauth/RequestToken" }), "http:// non-loopback endpoint");
      assertEdgeError(ctx, insecure, "INSECURE_URL", "http:// endpoint");
      assert.ok(simUrl.startsWith("http://127.0.0.1:"), "loopback http endpoints accepted (the flows above)");
    },
  },

  {
    name: "typed errors: INSECURE_URL, INVALID_ARGUMENT, NETWORK; no secret in any message",
    async run(ctx) {
      const { pkg, assert } = ctx;
      const consumerSecret = "cs-SECRET-" + "a1b2c3d4e5f6";
      const tokenSecret = "ts-SECRET-" + "f6e5d4c3b2a1";
      const secrets = [consumerSecret, tokenSecret];
      const opts = { consumerKey: "key", consumerSecret, token: "tok", tokenSecret };
      const signer = new pkg.OAuth1Signer(opts);

      const insecure = assert.throws(() => signer.sign({ url: "http://example.com/" }), "http://example.com");
      assertEdgeError(ctx, insecure, "INSECURE_URL", "http://example.com");
      assertNoSecrets(ctx, insecure, secrets, "INSECURE_URL");
      const insecureFetch = await assert.rejects(() => signer.fetch("http://example.com/"), "fetch http://example.com");
      assertEdgeError(ctx, insecureFetch, "INSECURE_URL", "fetch http://example.com");
      // Loopback hosts may use http without any option; other hosts only with allowInsecureRequests.
      for (const url of ["http://127.0.0.1:8080/x", "http://127.9.9.9/x", "http://localhost/x", "http://[::1]:9/x", "https://example.com/x"]) {
        assert.match(signer.sign({ url }).headers.Authorization || "", /^OAuth /, `sign ${url}`);
      }
      const lax = new pkg.OAuth1Signer({ ...opts, allowInsecureRequests: true });
      assert.match(lax.sign({ url: "http://example.com/" }).headers.Authorization || "", /^OAuth /, "allowInsecureRequests");

      const badOptions = [
        ["missing consumerSecret", () => new pkg.OAuth1Signer({ consumerKey: "k" })],
        ["missing consumerKey", () => new pkg.OAuth1Signer({ consumerSecret })],
        ["non-string consumerSecret", () => new pkg.OAuth1Signer({ consumerKey: "k", consumerSecret: 42 })],
        ["unknown signatureMethod", () => new pkg.OAuth1Signer({ ...opts, signatureMethod: "RSA-SHA1" })],
        ["unknown placement", () => new pkg.OAuth1Signer({ ...opts, placement: "cookie" })],
        ["tokenSecret without token", () => new pkg.OAuth1Signer({ consumerKey: "k", consumerSecret, tokenSecret })],
        ["options not an object", () => new pkg.OAuth1Signer("nope")],
        ["includeVersion not a boolean", () => new pkg.OAuth1Signer({ ...opts, includeVersion: "yes" })],
        ["sign: relative URL", () => signer.sign({ url: "/relative" })],
        ["sign: url missing", () => signer.sign({})],
        ["sign: negative timestamp", () => signer.sign({ url: "https://a.example/", timestamp: -1 })],
        ["sign: fractional timestamp", () => signer.sign({ url: "https://a.example/", timestamp: 1.5 })],
        ["sign: form and body", () => signer.sign({ url: "https://a.example/", method: "POST", form: { a: "1" }, body: "x" })],
        ["sign: non-string form value", () => signer.sign({ url: "https://a.example/", method: "POST", form: { a: 1 } })],
        ["flow: missing accessTokenUrl", () => new pkg.OAuth1Flow({ consumerKey: "k", consumerSecret, requestTokenUrl: "https://a.example/r", authorizeUrl: "https://a.example/a" })],
      ];
      for (const [label, fn] of badOptions) {
        const e = assert.throws(fn, `${label}: expected a throw`);
        assertEdgeError(ctx, e, "INVALID_ARGUMENT", label);
        assertNoSecrets(ctx, e, secrets, label);
      }
      // A non-function `fetch` option: rejected at construction or, at the latest, by .fetch()
      // (the constructor defers fetch problems so sign() works on hosts without a global fetch).
      let badFetch;
      try {
        const s = new pkg.OAuth1Signer({ ...opts, fetch: "nope" });
        badFetch = await assert.rejects(() => s.fetch("https://a.example/"), "fetch option not a function");
      } catch (e) {
        badFetch = e;
      }
      assertEdgeError(ctx, badFetch, "INVALID_ARGUMENT", "fetch option not a function");
      assertNoSecrets(ctx, badFetch, secrets, "fetch option not a function");
      const badInit = await assert.rejects(() => signer.fetch("https://a.example/", { bodyHash: "yes" }), "fetch: bodyHash not a boolean");
      assertEdgeError(ctx, badInit, "INVALID_ARGUMENT", "fetch: bodyHash not a boolean");

      // A transport failure (nothing listens on port 1; browsers also block it) → NETWORK.
      const net = await assert.rejects(() => signer.fetch("http://127.0.0.1:1/unreachable"), "unreachable");
      assertEdgeError(ctx, net, "NETWORK", "unreachable");
      assert.ok(net.cause !== undefined, "NETWORK keeps the host error as cause");
      assertNoSecrets(ctx, net, secrets, "NETWORK");
    },
  },

  {
    name: "the fetch option is used instead of globalThis.fetch",
    async run(ctx) {
      const { pkg, assert, simUrl } = ctx;
      const calls = [];
      const myFetch = (input, init) => {
        calls.push({ input: String(input), init });
        return fetch(input, init);
      };
      const signer = new pkg.OAuth1Signer({ ...echoCreds(ctx), fetch: myFetch });
      const res = await signer.fetch(`${simUrl}/oauth1/echo/custom?x=1`, { headers: { "X-Custom": "kept" } });
      await expectAccepted(ctx, res, "custom fetch");
      assert.equal(calls.length, 1, "custom fetch called once");
      assert.equal(calls[0].input, `${simUrl}/oauth1/echo/custom?x=1`, "custom fetch URL");
      const h = new Headers(calls[0].init.headers);
      assert.match(h.get("authorization") || "", /^OAuth /, "Authorization passed to custom fetch");
      assert.equal(h.get("x-custom"), "kept", "caller's headers kept");
      const flowCalls = [];
      const flow = zapFlow(ctx, { fetch: (i, init) => (flowCalls.push(String(i)), fetch(i, init)) });
      await flow.start({ callback: "oob" });
      assert.deepEqual(flowCalls, [`${simUrl}/zapevent/api/oauth/RequestToken`], "flow uses the fetch option");
    },
  },

  {
    name: "50 overlapping signer.fetch() calls on one instance all succeed",
    async run(ctx) {
      const { pkg, assert, simUrl } = ctx;
      const signer = new pkg.OAuth1Signer(echoCreds(ctx));
      const N = 50;
      const settled = await Promise.allSettled(Array.from({ length: N }, async (_, i) => {
        // Interleave synchronous sign() calls with the pending fetches on the same instance.
        signer.sign({ url: `${simUrl}/oauth1/echo/concurrent?i=${i}` });
        const res = await (i % 2
          ? signer.fetch(`${simUrl}/oauth1/echo/concurrent?i=${i}`)
          : signer.fetch(`${simUrl}/oauth1/echo/concurrent?i=${i}`, { method: "POST", form: { i: String(i) } }));
        return { i, status: res.status, body: await res.json() };
      }));
      const failures = settled.filter((s) => s.status === "rejected").map((s) => String(s.reason && (s.reason.stack || s.reason)));
      assert.deepEqual(failures, [], "no call rejected");
      const results = settled.map((s) => s.value);
      for (const r of results) {
        assert.equal(r.status, 200, `call ${r.i} status (${r.body.reason})`);
        assert.deepEqual(r.body.query, [["i", String(r.i)]], `call ${r.i} query`);
      }
      assert.equal(new Set(results.map((r) => r.body.oauth.oauth_nonce)).size, N, "distinct nonces");
      // Overlapping flows on one OAuth1Flow instance too.
      const flow = zapFlow(ctx);
      const starts = await Promise.all(Array.from({ length: 10 }, () => flow.start({ callback: "oob" })));
      assert.equal(new Set(starts.map((s) => s.requestToken)).size, 10, "distinct request tokens");
    },
  },
];

/** Fetches the fixture set the simulator serves (credentials for every case). */
export async function loadFixtures(simUrl) {
  const res = await fetch(`${simUrl}/__sim/fixtures`);
  if (res.status !== 200) throw new Error(`GET /__sim/fixtures: ${res.status}`);
  return res.json();
}
