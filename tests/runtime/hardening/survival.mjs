// Survival (issue 12 item 2): every exported constructor, static and method of every entry
// ("oauth-edge", "oauth-edge/oauth1"; "oauth-edge/manual" is the first one's module instance) is
// fed malformed input — wrong types, undefined, null, throwing getters, hostile Proxies, 10 MB
// strings, invalid and non-https URLs — and faulty hosts: fetch functions that reject, return a
// non-Response or garbage, bodies cut in the middle, stores whose callbacks throw or return junk,
// abort signals. Every failure must be an OAuthEdgeError with a documented code (never a wasm
// trap, a TypeError from the glue, or a hang), and after EACH probe the same module instance
// must still reproduce RFC 5849's signature (survival-kit.mjs `healthy`). Each group ends with a
// real exchange with the simulator. Shared by the Node suite (hardening/node.test.mjs) and the
// browser page (browser/page.mjs, through ../suites.mjs).
import { BAD, BAD_FETCHES, BAD_URLS, HUGE, badStores, hostileProxy, okFetch, probeArgs, prober } from "./survival-kit.mjs";

const TOKENS = { accessToken: "at", refreshToken: "rt", tokenType: "Bearer", expiresAt: Date.now() + 3_600_000, scope: null };
const EXPIRED = { ...TOKENS, expiresAt: Date.now() - 1000 };
const store = (t = TOKENS) => ({ load: async () => ({ tokens: t, version: "1" }), save: async () => "2" });

/** Both module entries (a case skips the classes an entry does not have). */
async function entries(ctx) {
  return [["oauth-edge", ctx.pkg], ["oauth-edge/oauth1", await import("oauth-edge/oauth1")]];
}

/** One real request to the simulator through the instance (an OAuth 1.0a echo, verified). */
async function simulatorWorks(ctx, pkg) {
  // A throwaway request first: during a long group the simulator closes the idle keep-alive
  // socket, and Node's fetch (undici) may reuse it once and fail ("fetch failed").
  await fetch(`${ctx.simUrl}/__sim/clock`).then((r) => r.body?.cancel(), () => {});
  const c = ctx.fixtures.oauth1.echo;
  const signer = new pkg.OAuth1Signer({ consumerKey: c.consumerKey, consumerSecret: c.consumerSecret, token: c.token, tokenSecret: c.tokenSecret });
  const res = await signer.fetch(`${ctx.simUrl}/oauth1/echo/survival?x=1`).catch((e) => ctx.assert.fail(`simulator echo: ${e.message} (${e.cause})`));
  const body = await res.json();
  ctx.assert.equal(res.status, 200, `simulator echo after the probes (${body.reason ?? ""})`);
}

/** Runs `body(p, pkg)` for each entry that has `needs`, then the simulator exchange. */
function group(name, needs, body) {
  return {
    name: `survival: ${name}`,
    async run(ctx) {
      let ran = 0;
      for (const [entry, pkg] of await entries(ctx)) {
        if (!needs.every((n) => typeof pkg[n] === "function")) continue;
        const p = prober(pkg, ctx.assert);
        await body(p, pkg, ctx);
        p.finish();
        await simulatorWorks(ctx, pkg);
        ran++;
      }
      ctx.assert.ok(ran > 0, `no entry has ${needs.join(", ")}`);
    },
  };
}

const signerOpts = () => ({ consumerKey: "ck", consumerSecret: "cs", token: "t", tokenSecret: "ts", fetch: okFetch });
const flowOpts = () => ({ consumerKey: "ck", consumerSecret: "cs", requestTokenUrl: "https://as.example/rt", authorizeUrl: "https://as.example/auth", accessTokenUrl: "https://as.example/at", fetch: okFetch });
const clientOpts = () => ({ clientId: "id", clientSecret: "secret", tokenUrl: "https://as.example/token", authorizeUrl: "https://as.example/authorize", fetch: okFetch });
const SIGNER_KEYS = ["signatureMethod", "placement", "realm", "includeVersion", "allowInsecureRequests", "maxResponseBytes"];
const CLIENT_KEYS = ["clientAuth", "basicEncoding", "headers", "tokenParams", "expiresInUnit", "refreshTokenFields", "issuer", "provider", "allowInsecureRequests", "maxResponseBytes", "now"];
const PAGING_KEYS = ["resultsPerPage", "page", "maxItems", "cursor", "signal", "onProgress"];

export const survivalCases = [
  group("OAuth1Signer: constructor options, sign() input, fetch() input and init", ["OAuth1Signer"], async (p, pkg) => {
    await probeArgs(p, "new OAuth1Signer", () => [signerOpts()], ([o]) => new pkg.OAuth1Signer(o), { opt: 0, extra: SIGNER_KEYS });
    const signer = new pkg.OAuth1Signer(signerOpts());
    const input = () => ({ method: "POST", url: "https://api.example/r?a=1", form: { b: "2" }, nonce: "n", timestamp: 1, callback: "oob", verifier: "v" });
    await probeArgs(p, "sign", () => [input()], ([i]) => signer.sign(i), { opt: 0, extra: ["body", "bodyHash"], urlKeys: ["url"] });
    await probeArgs(p, "sign (body)", () => [{ method: "PUT", url: "https://api.example/r", body: "x", bodyHash: true }], ([i]) => signer.sign(i), { opt: 0 });
    await probeArgs(p, "fetch", () => ["https://api.example/r", { method: "POST", headers: { "content-type": "text/plain" }, body: "x", bodyHash: true, signal: undefined }], ([u, i]) => signer.fetch(u, i), { opt: 1, extra: ["form", "redirect"], urlArgs: [0] });
    for (const [label, f] of BAD_FETCHES) await p.probe(`fetch through a fetch that ${label}`, () => new pkg.OAuth1Signer({ ...signerOpts(), fetch: f }).fetch("https://api.example/r"));
  }),

  group("OAuth1Flow: constructor options, start(), finish(), faulty fetches", ["OAuth1Flow"], async (p, pkg) => {
    const urls = ["requestTokenUrl", "authorizeUrl", "accessTokenUrl"];
    await probeArgs(p, "new OAuth1Flow", () => [flowOpts()], ([o]) => new pkg.OAuth1Flow(o), { opt: 0, extra: SIGNER_KEYS, urlKeys: urls });
    const flow = new pkg.OAuth1Flow(flowOpts());
    await probeArgs(p, "start", () => [{ callback: "https://app.example/cb" }], ([i]) => flow.start(i), { opt: 0 });
    const finish = () => [{ requestToken: "rt", requestTokenSecret: "rts", callbackUrl: "https://app.example/cb?oauth_token=rt&oauth_verifier=v", verifier: undefined }];
    await probeArgs(p, "finish", finish, ([i]) => flow.finish(i), { opt: 0, urlKeys: ["callbackUrl"] });
    for (const [label, f] of BAD_FETCHES) {
      const bad = new pkg.OAuth1Flow({ ...flowOpts(), fetch: f });
      await p.probe(`start through a fetch that ${label}`, () => bad.start({ callback: "oob" }));
      await p.probe(`finish through a fetch that ${label}`, () => bad.finish(finish()[0]));
    }
  }),

  group("OAuth2Client: constructor options, presets, every grant, faulty fetches", ["OAuth2Client"], async (p, pkg) => {
    await probeArgs(p, "new OAuth2Client", () => [clientOpts()], ([o]) => new pkg.OAuth2Client(o), { opt: 0, extra: CLIENT_KEYS, urlKeys: ["tokenUrl", "authorizeUrl"] });
    const preset = { clientId: "id", clientSecret: "s", baseUrl: "https://p.example", fetch: okFetch };
    for (const [name, extra] of [["omniFund", {}], ["onlineRegistrationCenter", {}], ["zapEvent", {}], ["priava", { region: "EU", redirectUri: "https://app.example/cb" }]]) {
      await probeArgs(p, `OAuth2Client.${name}`, () => [{ ...preset, ...extra }], ([o]) => pkg.OAuth2Client[name](o), { opt: 0, extra: ["maxResponseBytes", "allowInsecureRequests", "now"], urlKeys: ["baseUrl", "redirectUri"] });
    }
    const client = new pkg.OAuth2Client(clientOpts());
    await probeArgs(p, "authorizationUrl", () => [{ redirectUri: "https://app.example/cb", scope: "a b", params: { x: "1" } }], ([i]) => client.authorizationUrl(i), { opt: 0, urlKeys: ["redirectUri"] });
    const code = () => [{ callbackUrl: "https://app.example/cb?code=c&state=s", state: "s", codeVerifier: "v".repeat(43), redirectUri: "https://app.example/cb" }];
    await probeArgs(p, "exchangeCode", code, ([i]) => client.exchangeCode(i), { opt: 0, urlKeys: ["callbackUrl", "redirectUri"] });
    await probeArgs(p, "password", () => [{ username: "u", password: "pw", scope: "s" }], ([i]) => client.password(i), { opt: 0 });
    await probeArgs(p, "clientCredentials", () => [{ scope: "s" }], ([i]) => client.clientCredentials(i), { opt: 0 });
    await probeArgs(p, "refresh", () => ["rt", { scope: "s" }], ([t, i]) => client.refresh(t, i), { opt: 1 });
    for (const [label, f] of BAD_FETCHES) {
      const bad = new pkg.OAuth2Client({ ...clientOpts(), fetch: f });
      await p.probe(`refresh through a fetch that ${label}`, () => bad.refresh("rt"));
      await p.probe(`exchangeCode through a fetch that ${label}`, () => bad.exchangeCode(code()[0]));
    }
  }),

  group("TokenSession: constructor options, methods, faulty stores and fetches, abort signals", ["TokenSession"], async (p, pkg) => {
    const client = new pkg.OAuth2Client(clientOpts());
    const opts = () => ({ store: store(), skewSeconds: 60, leaseSeconds: 30, reuseGraceSeconds: 0, onStateChange: () => {}, lockName: "l", fetch: okFetch, retry: { maxAttempts: 2, baseMs: 1, maxMs: 2 } });
    await probeArgs(p, "new TokenSession", () => [client, opts()], ([c, o]) => new pkg.TokenSession(c, o), { opt: 1, extra: ["now", "maxResponseBytes"] });
    await probeArgs(p, "new TokenSession retry", () => [client, { ...opts(), retry: { maxAttempts: 2, baseMs: 1, maxMs: 2 } }], ([c, o]) => new pkg.TokenSession(c, o).accessToken(), { opt: 1 });
    const session = () => new pkg.TokenSession(client, opts());
    await probeArgs(p, "session.fetch", () => ["https://api.example/r", { method: "GET", headers: { a: "b" }, signal: undefined }], ([u, i]) => session().fetch(u, i), { opt: 1, extra: ["body", "redirect"], urlArgs: [0] });
    await probeArgs(p, "signIn", () => [{ ...TOKENS }], ([t]) => session().signIn(t), { opt: 0, extra: ["idToken", "extra"] });
    await probeArgs(p, "completeAuthorization", () => ["https://app.example/cb?code=c&state=s", { state: "s", codeVerifier: "v".repeat(43), redirectUri: "https://app.example/cb" }], ([u, q]) => session().completeAuthorization(u, q), { opt: 1, urlArgs: [0] });
    await probeArgs(p, "paginate", () => ["https://api.example/items", { style: "page", itemsPath: "data", totalPath: "total", nextCursorPath: "n", pageParam: "p", sizeParam: "s", offsetParam: "o", limitParam: "l", cursorParam: "c", maxItems: 5 }], ([u, o]) => session().paginate(u, o), { opt: 1, extra: PAGING_KEYS, urlArgs: [0] });
    for (const [label, s] of [...badStores(EXPIRED), ...badStores(TOKENS)]) {
      await p.probe(`accessToken with a store whose ${label}`, () => new pkg.TokenSession(client, { ...opts(), store: s }).accessToken());
      await p.probe(`session.fetch with a store whose ${label}`, () => new pkg.TokenSession(client, { ...opts(), store: s }).fetch("https://api.example/r"));
      await p.probe(`signIn with a store whose ${label}`, () => new pkg.TokenSession(client, { ...opts(), store: s }).signIn(TOKENS));
    }
    for (const [label, f] of BAD_FETCHES) {
      const api = new pkg.TokenSession(client, { ...opts(), fetch: f });
      await p.probe(`session.fetch through a fetch that ${label}`, () => api.fetch("https://api.example/r"));
      const refreshing = new pkg.TokenSession(new pkg.OAuth2Client({ ...clientOpts(), fetch: f }), { ...opts(), store: store(EXPIRED) });
      await p.probe(`a refresh through a fetch that ${label}`, () => refreshing.accessToken());
      await p.probe(`paginate through a fetch that ${label}`, () => api.paginate("https://api.example/items", { style: "link" }));
    }
    for (const [label, signal] of abortSignals()) {
      await p.probe(`session.fetch with ${label}`, () => session().fetch("https://api.example/r", { signal }));
      await p.probe(`paginate with ${label}`, () => session().paginate("https://api.example/items", { style: "page", signal }));
    }
    for (const [label, cb] of callbacks()) {
      await p.probe(`onStateChange ${label}`, () => new pkg.TokenSession(client, { ...opts(), onStateChange: cb }).accessToken());
      await p.probe(`now ${label}`, () => new pkg.TokenSession(client, { ...opts(), now: cb }).accessToken());
      await p.probe(`paginate onProgress ${label}`, () => session().paginate("https://api.example/items", { style: "page", onProgress: cb }));
    }
  }),

  group("ZapEvent, OneRoster, OneRosterFilter, OnlineRegistrationCenter, OmniFund", ["ZapEvent"], async (p, pkg) => {
    const zapOpts = () => ({ consumerKey: "ck", consumerSecret: "cs", token: "t", tokenSecret: "ts", baseUrl: "https://zap.example", format: "json", paths: { event: "/e" }, fetch: okFetch });
    await probeArgs(p, "ZapEvent.oauth1", () => [zapOpts()], ([o]) => pkg.ZapEvent.oauth1(o), { opt: 0, extra: ["signatureMethod", "placement", "realm", "includeVersion", "allowInsecureRequests", "maxResponseBytes"], urlKeys: ["baseUrl"] });
    await probeArgs(p, "ZapEvent.oauth1Flow", () => [{ ...zapOpts(), token: undefined, tokenSecret: undefined }], ([o]) => pkg.ZapEvent.oauth1Flow(o), { opt: 0, urlKeys: ["baseUrl"] });
    await probeArgs(p, "ZapEvent.login", () => [{ username: "u", password: "pw", generation: "oauth1", loginFormat: "json", baseUrl: "https://zap.example", fetch: okFetch }], ([o]) => pkg.ZapEvent.login(o), { opt: 0, urlKeys: ["baseUrl"] });
    const session = new pkg.TokenSession(new pkg.OAuth2Client(clientOpts()), { store: store() });
    await probeArgs(p, "ZapEvent.oauth2", () => [session, { baseUrl: "https://zap.example", format: "xml" }], ([s, o]) => pkg.ZapEvent.oauth2(s, o), { opt: 1, urlKeys: ["baseUrl"] });
    const zap = pkg.ZapEvent.oauth1(zapOpts());
    await probeArgs(p, "zap.event", () => [1001, { futureActivitiesOnly: true, format: "xml" }], ([id, o]) => zap.event(id, o), { opt: 1 });
    const zapDates = { startDate: "2026-01-01", endDate: new Date(0), createdSince: "2026-01-01", createdOnOrBefore: "2026-01-02" };
    await probeArgs(p, "zap.events", () => [{ format: "csv", activities: true, sort: "name DESC", name: "n", ...zapDates, state: "s", country: "c", eventType: "t", eventStatus: "all", maxItems: 3 }], ([o]) => zap.events(o), { opt: 0, extra: PAGING_KEYS });
    await probeArgs(p, "zap.categories", () => [{ sort: "category", futureEventCategories: true }], ([o]) => zap.categories(o), { opt: 0 });
    await probeArgs(p, "zap.questions", () => [{ eventId: 1, activityId: 2, questionId: 3 }], ([o]) => zap.questions(o), { opt: 0 });
    const participants = { eventId: 1, activityId: 2, sort: "age ASC", afterRegistrationId: 1, afterParticipantId: 1, searchFirstName: "a", searchLastName: "b", searchEmail: "c", resultsPerPage: 10 };
    await probeArgs(p, "zap.participants", () => [{ ...participants }], ([o]) => zap.participants(o), { opt: 0, extra: PAGING_KEYS });
    for (const [label, f] of BAD_FETCHES) {
      await p.probe(`zap.participants through a fetch that ${label}`, () => pkg.ZapEvent.oauth1({ ...zapOpts(), fetch: f }).participants({ eventId: 1 }));
      await p.probe(`ZapEvent.login through a fetch that ${label}`, () => pkg.ZapEvent.login({ username: "u", password: "p", baseUrl: "https://zap.example", fetch: f }));
    }
    const direct = () => [{ baseUrl: "https://or.example/ims/oneroster/v1p1", clientId: "id", clientSecret: "s", signatureMethod: "HMAC-SHA256", fetch: okFetch }];
    await probeArgs(p, "OneRoster.direct", direct, ([o]) => pkg.OneRoster.direct(o), { opt: 0, extra: ["allowInsecureRequests", "maxResponseBytes"], urlKeys: ["baseUrl"] });
    await probeArgs(p, "OneRoster.classLinkProxy", () => [{ appId: "a", accessToken: "t", baseUrl: "https://cl.example", fetch: okFetch }], ([o]) => pkg.OneRoster.classLinkProxy(o), { opt: 0, urlKeys: ["baseUrl"] });
    await probeArgs(p, "OneRoster.v1p2", () => [{ baseUrl: "https://or.example/v1p2", tokenUrl: "https://or.example/token", clientId: "id", clientSecret: "s", scope: ["a"], fetch: okFetch }], ([o]) => pkg.OneRoster.v1p2(o), { opt: 0, extra: ["now"], urlKeys: ["baseUrl", "tokenUrl"] });
    const or = pkg.OneRoster.direct(direct()[0]);
    await probeArgs(p, "or.list", () => ["users", { parent: ["schools", "s1"], filter: "role='teacher'", sort: "familyName", orderBy: "asc", fields: ["sourcedId"], maxItems: 2 }], ([c, o]) => or.list(c, o), { opt: 1, extra: PAGING_KEYS });
    await probeArgs(p, "or.get", () => ["users", "u1"], ([c, id]) => or.get(c, id));
    await probeArgs(p, "OneRosterFilter.where", () => ["role", "=", "teacher"], ([f, op, v]) => pkg.OneRosterFilter.where(f, op, v).toString());
    const filter = pkg.OneRosterFilter.where("role", "=", "teacher");
    await probeArgs(p, "filter.and", () => ["a", "!=", "b"], ([f, op, v]) => filter.and(f, op, v).toString());
    await probeArgs(p, "filter.or", () => ["a", "~", "b"], ([f, op, v]) => filter.or(f, op, v).toString());
    await probeArgs(p, "OnlineRegistrationCenter.roster", () => [session, { moduleId: 4101, exportId: 1 }], ([s, o]) => pkg.OnlineRegistrationCenter.roster(s, o), { opt: 1 });
    await probeArgs(p, "OmniFund.tokenLogin", () => [session, { url: "https://omni.example/login", allowInsecureRequests: false }], ([s, o]) => pkg.OmniFund.tokenLogin(s, o), { opt: 1, urlKeys: ["url"] });
  }),

  group("the wasm-bindgen boundary: wrong classes, freed and re-entered objects, non-string arguments", ["OAuth1Signer"], async (p, pkg) => {
    const signer = () => new pkg.OAuth1Signer(signerOpts());
    const freed = signer();
    freed.free();
    await p.probe("sign() on a freed signer", () => freed.sign({ url: "https://api.example/r" }));
    await p.probe("fetch() on a freed signer", () => freed.fetch("https://api.example/r"));
    await p.probe("sign() called on a plain object", () => pkg.OAuth1Signer.prototype.sign.call({}, { url: "https://api.example/r" }));
    const s = signer();
    await p.probe("a getter that frees the signer during sign()", () => s.sign({ get url() { s.free(); return "https://api.example/r"; } }));
    await p.probe("sign() after that", () => s.sign({ url: "https://api.example/r" }));
    if (pkg.TokenSession) {
      const client = new pkg.OAuth2Client(clientOpts());
      for (const [label, v] of [...BAD, ["a signer", signer()], ["a freed client", (() => { const c = new pkg.OAuth2Client(clientOpts()); c.free(); return c; })()]]) {
        await p.probe(`new TokenSession(${label})`, () => new pkg.TokenSession(v, { store: store() }));
        await p.probe(`ZapEvent.oauth2(${label})`, () => pkg.ZapEvent.oauth2(v));
        await p.probe(`OnlineRegistrationCenter.roster(${label})`, () => pkg.OnlineRegistrationCenter.roster(v, { moduleId: 1 }));
        await p.probe(`OmniFund.tokenLogin(${label})`, () => pkg.OmniFund.tokenLogin(v, { url: "https://omni.example/login" }));
      }
      const session = new pkg.TokenSession(client, { store: store(), fetch: async () => { session.free(); return new Response("{}"); } });
      await p.probe("a fetch that frees its session during session.fetch", () => session.fetch("https://api.example/r"));
      const byeClient = new pkg.OAuth2Client({ ...clientOpts(), fetch: async () => { byeClient.free(); return okFetch(); } });
      await p.probe("a fetch that frees its client during refresh", () => byeClient.refresh("rt"));
    }
  }),

  group("the store adapters and init", ["OAuth1Signer"], async (p, pkg) => {
    const client = pkg.OAuth2Client && new pkg.OAuth2Client(clientOpts());
    for (const [name, fn] of Object.entries(pkg)) {
      if (!/Store$/.test(name) || typeof fn !== "function") continue;
      for (const [label, v] of BAD) {
        await p.probe(`${name}(${label}, ${label}) used by a session`, () => new pkg.TokenSession(client, { store: fn(v, v) }).accessToken());
      }
    }
    for (const [label, v] of [...BAD, ...BAD_URLS]) {
      if (typeof pkg.init === "function") await p.probe(`init(${label}) when initialized`, () => pkg.init(v));
    }
  }),
];

/** AbortSignals: aborted before, aborted during, with odd reasons, and things that are not signals. */
function abortSignals() {
  const aborted = (reason) => { const c = new AbortController(); c.abort(reason); return c.signal; };
  const later = () => { const c = new AbortController(); setTimeout(() => c.abort(), 1); return c.signal; };
  return [
    ["an aborted signal", aborted()], ["an aborted signal whose reason is undefined", aborted(undefined)],
    ["an aborted signal whose reason is a hostile Proxy", aborted(hostileProxy)], ["a signal aborted mid-flight", later()],
    ["a signal that is a plain object", { aborted: true }], ["a signal that is a string", "abort"], ["a signal that is a hostile Proxy", hostileProxy],
  ];
}

/** Callbacks that throw, return junk, or re-enter. */
function callbacks() {
  return [
    ["throws", () => { throw new Error("survival: callback threw"); }], ["returns a rejected promise (handled)", () => { const r = Promise.reject(new Error("x")); r.catch(() => {}); return r; }],
    ["returns a string", () => "soon"], ["returns NaN", () => Number.NaN], ["returns a 10 MB string", () => HUGE], ["is a hostile Proxy", hostileProxy],
  ];
}
