// Transport rules (issue 12 item 4), Node-only (two local origins): no credential reaches an
// origin other than the one the request was for. Origin A (127.0.0.1) answers every request with
// a redirect (status from `?s=`, default 302) to origin B (localhost, another origin), or with a
// page whose `Link: rel="next"` points to B; B records everything it receives.
//  - Header credentials (Bearer, OAuth 1.0a Authorization): the runtime follows GET redirects and
//    drops Authorization on the cross-origin hop (Fetch standard; measured in Node/undici, Deno,
//    workerd and Chromium 156, README "Transport"). B must see no Authorization.
//  - Body credentials (OAuth 1.0a body placement, token requests): not redirected at all, so a
//    307 cannot re-send the body to B, unless the caller opts in with `redirect: "follow"`.
//  - Server-provided paging URLs on another origin are refused before anything is sent.
import { createServer } from "node:http";

async function listen(handler) {
  const server = createServer(handler);
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return server;
}

async function origins() {
  const seen = [];
  const b = await listen(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    seen.push({ method: req.method, url: req.url, authorization: req.headers.authorization ?? null, body });
    res.writeHead(200, { "content-type": "application/json" });
    res.end("[]");
  });
  const B = `http://localhost:${b.address().port}`;
  const a = await listen((req, res) => {
    const url = new URL(req.url, "http://a");
    req.resume();
    if (url.searchParams.has("link")) {
      res.writeHead(200, { "content-type": "application/json", link: `<${B}/next?page=2>; rel="next"` });
      return res.end('[{"id":1}]');
    }
    res.writeHead(Number(url.searchParams.get("s") ?? 302), { location: `${B}/landed${url.search}` });
    res.end();
  });
  const A = `http://127.0.0.1:${a.address().port}`;
  return { A, B, seen, close: () => Promise.all([a, b].map((s) => new Promise((r) => s.close(r)))) };
}

const TOKENS = { accessToken: "SENTINEL-bearer", refreshToken: "r", tokenType: "Bearer", expiresAt: Date.now() + 3_600_000, scope: null };
const OAUTH1 = { consumerKey: "ck", consumerSecret: "SENTINEL-cs", token: "tk", tokenSecret: "SENTINEL-ts" };

async function code(promise) {
  try {
    await promise;
    return "resolved";
  } catch (e) {
    return e?.code ?? String(e);
  }
}

export const transportCases = [
  {
    name: "transport: no Authorization header, signed body or token request reaches another origin through a redirect; opting in with redirect: \"follow\" does",
    async run(ctx) {
      const { pkg, assert } = ctx;
      const o = await origins();
      const leaked = () => o.seen.filter((s) => s.authorization || /SENTINEL/.test(s.body));
      try {
        const client = new pkg.OAuth2Client({ clientId: "c", clientSecret: "SENTINEL-client-secret", clientAuth: "post", tokenUrl: `${o.A}/token?s=307` });
        const session = new pkg.TokenSession(client, { store: pkg.memoryStore(TOKENS) });
        const res = await session.fetch(`${o.A}/api?s=302`);
        assert.equal(res.status, 200, "session.fetch followed the GET redirect");
        assert.ok(res.url.startsWith(o.B), `it landed on the other origin (${res.url})`);
        await res.body?.cancel();
        await (await session.fetch(`${o.A}/api?s=307`)).body?.cancel();
        await (await new pkg.OAuth1Signer(OAUTH1).fetch(`${o.A}/r?s=302`)).body?.cancel();
        // OAuth 1.0a credentials in the body (PLAINTEXT: both secrets): the 307 comes back.
        const plain = new pkg.OAuth1Signer({ ...OAUTH1, signatureMethod: "PLAINTEXT", placement: "body" });
        const r307 = await plain.fetch(`${o.A}/r?s=307`, { method: "POST", form: { a: "1" } });
        assert.equal(r307.status, 307, "a body-signed POST is not redirected");
        // Core-built requests: a token POST and a provider API GET (OAuth 1.0a header).
        assert.equal(await code(client.refresh("SENTINEL-refresh")), "HTTP_STATUS", "a redirected token request is an error");
        const zap = pkg.ZapEvent.oauth1({ ...OAUTH1, baseUrl: o.A, format: "json" });
        assert.ok((await code(zap.event(1001))) !== "resolved", "ZapEvent's event() on a redirect to []");
        assert.deepEqual(leaked(), [], "credentials reached the other origin");
        assert.ok(o.seen.filter((s) => s.url.startsWith("/landed")).length >= 4, `the GET redirects were followed (${o.seen.length} requests at B)`);
        // The caller's explicit choice wins: this is what the default prevents.
        // (The body as text: Node 20's undici fails to replay a Uint8Array body on a 307,
        // "Cannot perform ArrayBuffer.prototype.slice on a detached ArrayBuffer".)
        const textBody = (u, i) => fetch(u, { ...i, body: new TextDecoder().decode(i.body) });
        const follow = new pkg.OAuth1Signer({ ...OAUTH1, signatureMethod: "PLAINTEXT", placement: "body", fetch: textBody });
        await (await follow.fetch(`${o.A}/r?s=307`, { method: "POST", form: { a: "1" }, redirect: "follow" })).body?.cancel();
        assert.equal(leaked().length, 1, "with redirect: \"follow\" the signed body went to the other origin");
      } finally {
        await o.close();
      }
    },
  },
  {
    name: "transport: a Link rel=\"next\" to another origin is refused before anything is sent there",
    async run(ctx) {
      const { pkg, assert } = ctx;
      const o = await origins();
      try {
        const client = new pkg.OAuth2Client({ clientId: "c", tokenUrl: `${o.A}/token` });
        const session = new pkg.TokenSession(client, { store: pkg.memoryStore(TOKENS) });
        const err = await assert.rejects(() => session.paginate(`${o.A}/items?link=1`, { style: "link" }).toArray());
        assert.ok(err instanceof pkg.OAuthEdgeError, `an OAuthEdgeError (${err})`);
        assert.equal(o.seen.length, 0, "nothing was sent to the other origin");
      } finally {
        await o.close();
      }
    },
  },
];
