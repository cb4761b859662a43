// No secret in any error (issue 12 item 3): every kind of secret a user hands the SDK — client
// secret, consumer secret, token secret, access and refresh tokens, password, PKCE code verifier,
// ZapEvent's tmp_secret — is a sentinel here, each call fails at the simulator or at the host,
// and no sentinel may appear in the error's message, stack, toString, JSON, or in its cause chain
// where the SDK created the cause. The SDK must not log either: console is watched throughout.
// And the simulator's request log (GET /__sim/requests: what an access log or a proxy sees) may
// show a sentinel only where the protocol puts it: tmp_secret as ZapEvent Login's `tmp_secret`
// query parameter, nothing else in any URL. Portable (Node and the browser page).
import { genericClient } from "../session/cases.mjs";
import { zapBase } from "../zapevent/cases.mjs";

const S = {
  clientSecret: "SENTINEL-client-secret-7f3a",
  consumerSecret: "SENTINEL-consumer-secret-91c2",
  tokenSecret: "SENTINEL-token-secret-4b8d",
  accessToken: "SENTINEL-access-token-d2e1",
  refreshToken: "SENTINEL-refresh-token-a6f0",
  password: "SENTINEL-password-55aa",
  codeVerifier: "SENTINEL-code-verifier-0123456789abcdefghijklmnopqrstuvwxyz",
  tmpSecret: "SENTINEL-tmp-secret-c0de",
};
const SENTINELS = Object.values(S);
// Form and percent encodings of the sentinels are caught too ("-" is unreserved, so the
// sentinels encode to themselves; base64 of "id:secret" would not contain them — the checks
// below also look for the base64 of every sentinel).
const b64 = (s) => btoa(s).replace(/=+$/, "");

/** Every text through which an error could show a secret. */
function textsOf(err) {
  const out = [];
  for (let e = err, depth = 0; e && depth < 5; e = e.cause, depth++) {
    out.push(String(e), String(e.message ?? ""), String(e.stack ?? ""));
    try {
      out.push(JSON.stringify(e));
    } catch {
      out.push("[unserializable]");
    }
    for (const k of ["providerCode", "providerDescription", "missingParams", "invalidParams"]) out.push(String(e[k] ?? ""));
  }
  return out.join("\n");
}

function assertClean(ctx, err, what) {
  ctx.assert.ok(err instanceof ctx.pkg.OAuthEdgeError, `${what}: an OAuthEdgeError (got ${err?.name}: ${err?.message})`);
  const text = textsOf(err);
  for (const s of SENTINELS) {
    ctx.assert.ok(!text.includes(s) && !text.includes(b64(s)), `${what}: error shows a secret (${s.slice(0, 20)}…) in ${JSON.stringify(text.slice(0, 300))}`);
  }
}

async function failure(promiseOrFn) {
  try {
    await (typeof promiseOrFn === "function" ? promiseOrFn() : promiseOrFn);
  } catch (e) {
    return e;
  }
  return null;
}

/** A fetch that rejects with an error quoting the whole request, as some hosts do. */
const quotingFetch = async (input, init) => {
  const headers = JSON.stringify([...new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined))]);
  throw new TypeError(`fetch failed for ${input instanceof Request ? input.url : String(input)} headers=${headers} body=${init?.body ?? ""}`);
};

/** The simulator's request-log position (GET /__sim/requests). */
async function requestLogSeq(ctx) {
  return (await (await fetch(`${ctx.simUrl}/__sim/requests`)).json()).seq;
}

/** A request URL shows no sentinel but tmp_secret, and that one only as the `tmp_secret` parameter. */
function assertUrlClean(ctx, url, what) {
  const decoded = decodeURIComponent(url.replace(/\+/g, " "));
  const params = new URLSearchParams(url.split("?")[1] ?? "");
  const allowed = new Set(params.getAll("tmp_secret"));
  for (const s of SENTINELS) {
    const hits = decoded.split(s).length - 1;
    const expected = s === S.tmpSecret && allowed.has(s) ? params.getAll("tmp_secret").filter((v) => v === s).length : 0;
    ctx.assert.ok(hits === expected && !url.includes(b64(s)), `${what}: a secret (${s.slice(0, 20)}…) in a request URL the server sees`);
  }
}

export const secretsCases = [
  {
    name: "no secret in any error: OAuth 2 grants, sessions, OAuth 1.0a signing and fetch, ZapEvent Login, with the console watched",
    async run(ctx) {
      const { pkg } = ctx;
      const logged = [];
      const saved = {};
      for (const level of ["log", "info", "warn", "error", "debug", "trace"]) {
        saved[level] = console[level];
        console[level] = (...args) => logged.push([level, args.map(String).join(" ")]);
      }
      // The scan itself: it does see a secret deep in a cause chain and in base64.
      ctx.assert.ok(textsOf(new Error("x", { cause: new Error(`y ${b64(S.password)}`) })).includes(b64(S.password)), "textsOf walks causes");
      const logStart = await requestLogSeq(ctx);
      try {
        const tokenUrl = `${ctx.simUrl}/oauth2/token`;
        const basic = ctx.fixtures.generic.clients.basic;
        // OAuth 2: a wrong client secret (Basic), a wrong password, an unknown refresh token.
        const wrongSecret = new pkg.OAuth2Client({ clientId: basic.clientId, clientSecret: S.clientSecret, tokenUrl, clientAuth: "basic" });
        assertClean(ctx, await failure(wrongSecret.password({ username: ctx.fixtures.generic.user.username, password: S.password })), "password grant, wrong client secret");
        const wrongPost = new pkg.OAuth2Client({ clientId: basic.clientId, clientSecret: S.clientSecret, tokenUrl, authorizeUrl: `${ctx.simUrl}/oauth2/authorize`, clientAuth: "post" });
        assertClean(ctx, await failure(wrongPost.refresh(S.refreshToken)), "refresh grant, client_secret_post");
        const client = genericClient(ctx);
        assertClean(ctx, await failure(client.password({ username: ctx.fixtures.generic.user.username, password: S.password })), "password grant, wrong password");
        assertClean(ctx, await failure(client.refresh(S.refreshToken)), "refresh grant, unknown refresh token");
        // The code flow with a sentinel verifier: a state mismatch, then a code the server rejects.
        const session = new pkg.TokenSession(client, { store: pkg.memoryStore() });
        const pending = { state: "s-1", codeVerifier: S.codeVerifier, redirectUri: "https://app.example/cb" };
        assertClean(ctx, await failure(session.completeAuthorization("https://app.example/cb?code=c&state=other", pending)), "callback, state mismatch");
        assertClean(ctx, await failure(session.completeAuthorization("https://app.example/cb?code=bogus&state=s-1", pending)), "code exchange, bad code");
        // A session whose tokens are sentinels: the refresh is refused → NEEDS_REAUTH.
        const dead = new pkg.TokenSession(client, { store: pkg.memoryStore({ accessToken: S.accessToken, refreshToken: S.refreshToken, expiresAt: Date.now() - 1000 }) });
        assertClean(ctx, await failure(dead.fetch(`${ctx.simUrl}/oauth2/api/me`)), "session.fetch, dead refresh token");
        assertClean(ctx, await failure(dead.accessToken()), "accessToken(), needs_reauth");
        // A host fetch whose errors quote the request (URL, headers, body): refresh and API call.
        const quoting = new pkg.OAuth2Client({ clientId: basic.clientId, clientSecret: S.clientSecret, tokenUrl, clientAuth: "post", fetch: quotingFetch });
        const viaQuoting = new pkg.TokenSession(quoting, { store: pkg.memoryStore({ accessToken: S.accessToken, refreshToken: S.refreshToken, expiresAt: Date.now() - 1000 }), retry: { maxAttempts: 1 } });
        const e = await failure(viaQuoting.fetch(`${ctx.simUrl}/oauth2/api/me`));
        ctx.assert.equal(e?.code, "NETWORK", "refresh through a failing fetch");
        // NETWORK keeps the host's error as cause; the SDK's own message must stay clean.
        ctx.assert.ok(!SENTINELS.some((s) => String(e.message).includes(s) || String(e.stack).split("\n")[0].includes(s)), `NETWORK message: ${e.message}`);
        // OAuth 1.0a: PLAINTEXT in the query puts both secrets in the URL; a failing fetch that
        // quotes it must not get its error kept as cause.
        const signer = new pkg.OAuth1Signer({ consumerKey: "ck", consumerSecret: S.consumerSecret, token: "tk", tokenSecret: S.tokenSecret, signatureMethod: "PLAINTEXT", placement: "query", fetch: quotingFetch });
        assertClean(ctx, await failure(signer.fetch("https://api.example.com/r?a=1")), "OAuth1Signer.fetch, PLAINTEXT in the query");
        assertClean(ctx, await failure(() => signer.sign({ method: "GET", url: "not a url" })), "OAuth1Signer.sign, bad URL");
        const hmac = new pkg.OAuth1Signer({ consumerKey: "ck", consumerSecret: S.consumerSecret, token: "tk", tokenSecret: S.tokenSecret, placement: "body", fetch: quotingFetch });
        assertClean(ctx, await failure(hmac.fetch("https://api.example.com/r", { method: "POST", body: "x=1" })), "OAuth1Signer.fetch, body placement");
        // ZapEvent Login: a wrong password, then API calls whose URL carries tmp_key/tmp_secret.
        assertClean(ctx, await failure(pkg.ZapEvent.login({ baseUrl: zapBase(ctx), username: ctx.fixtures.zapevent.user.username, password: S.password })), "ZapEvent.login, wrong password");
        assertClean(ctx, await failure(pkg.ZapEvent.login({ baseUrl: zapBase(ctx), username: "nobody", password: S.password, fetch: quotingFetch })), "ZapEvent.login through a quoting fetch");
        // A Login session whose tmp_secret is a sentinel (the login answer is ours, the API
        // calls reach the simulator, which does not know the key): errors clean, and the URLs
        // carry the secret only as `tmp_secret`.
        const fakeLogin = (input, init) => (/\/rest\/login/i.test(String(input))
          ? Promise.resolve(new Response(JSON.stringify({ tmp_key: "SENTINEL-tmp-key", tmp_secret: S.tmpSecret }), { headers: { "content-type": "application/json" } }))
          : fetch(input, init));
        const zap = await pkg.ZapEvent.login({ baseUrl: zapBase(ctx), username: "u", password: S.password, loginFormat: "json", format: "json", fetch: fakeLogin });
        assertClean(ctx, await failure(zap.event(1001)), "ZapEvent Login session: event()");
        assertClean(ctx, await failure(zap.participants({ eventId: 1001 }).toArray()), "ZapEvent Login session: participants()");
        // The authorization URL carries the PKCE challenge, never the verifier or the secret.
        const { url } = await wrongPost.authorizationUrl({ redirectUri: "https://app.example/cb" });
        await fetch(url, { redirect: "manual" }).then((r) => r.body?.cancel(), () => {});
      } finally {
        for (const level of Object.keys(saved)) console[level] = saved[level];
      }
      ctx.assert.equal(logged.length, 0, `the SDK logged: ${JSON.stringify(logged).slice(0, 300)}`);
      const urls = (await (await fetch(`${ctx.simUrl}/__sim/requests`)).json()).entries.filter((e) => e.seq > logStart);
      ctx.assert.ok(urls.some((e) => e.url.includes(`tmp_secret=${S.tmpSecret}`)), "the Login calls reached the simulator with tmp_secret in the query");
      ctx.assert.ok(urls.some((e) => /code_challenge=/.test(e.url)), "the authorization request reached the simulator");
      for (const { method, url } of urls) assertUrlClean(ctx, url, `${method} ${url.slice(0, 80)}`);
    },
  },
];
