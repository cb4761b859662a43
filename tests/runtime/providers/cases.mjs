// Provider client cases shared by every runtime suite (registered in ../suites.mjs): one short flow per provider — OneRoster 1.1
// direct, the ClassLink proxy, OneRoster 1.2, the Online Registration Center, Priava, OmniFund
// and TokenSession.paginate — plus the helpers the Node-only suite (node.test.mjs here) builds
// on. Plain ES module importing only ../sim-control.mjs: each case is
// `async (ctx) => void` with ctx = { pkg, simUrl, fixtures, assert, runtime }.
//
// Expected records come from the simulator's fixtures (GET /__sim/fixtures) with the documented
// rules applied (docs/providers/oneroster.md: 1.1 "true"/"false" → booleans; docs/providers/orc.md:
// module_id a number, trxdate ISO; tests/simulator/README.md: the /oauth2/api/items formula),
// never from the SDK's own output. Cases assert DELTAS of /__sim/counters and put every switch
// they touch (clock, faults, OneRoster paging headers, TTL overrides) back.

export const REDIRECT_URI = "http://127.0.0.1/callback";

import { simClock, simControl as providerSim } from "../sim-control.mjs";
import { readPages } from "../zapevent/cases.mjs";

export { providerSim, simClock };


/** Counter readers. */
export const grants = (c, provider, type) => c.grants?.[provider]?.[type] ?? 0;
export const rosterCalls = (c, binding, endpoint = "total") => c.oneroster_api?.calls?.[binding]?.[endpoint] ?? 0;
export const itemsCalls = (c, style) => c.generic_api?.items?.[style] ?? 0;
export const apiCount = (c, provider, kind) => c.api_by_provider?.[provider]?.[kind] ?? 0;

// readPages: the one PagedList reader, shared with the ZapEvent cases.
export { readPages };

// ---- errors ----------------------------------------------------------------------------------

/** An OAuthEdgeError with `code` and, when given, providerCode / status / provider. */
export function assertProviderError(ctx, err, { code, providerCode, status, provider }, what) {
  const a = ctx.assert;
  a.ok(err instanceof ctx.pkg.OAuthEdgeError, `${what}: an OAuthEdgeError (got ${err && err.name}: ${err && err.message})`);
  a.equal(err.code, code, `${what}: code (message: ${err.message}; provider says ${err.providerCode}: ${err.providerDescription})`);
  if (providerCode !== undefined) a.equal(err.providerCode, providerCode, `${what}: providerCode`);
  if (status !== undefined) a.equal(err.status, status, `${what}: status`);
  if (provider !== undefined) a.equal(err.provider, provider, `${what}: provider`);
}

/** Every secret of the fixtures a case may hand the SDK (plus `extra`, e.g. issued tokens). */
export function fixtureSecrets(fixtures, extra = []) {
  const or = fixtures.oneroster;
  return [
    or.consumerSecret,
    ...Object.values(or.oauth2.clients).map((c) => c.clientSecret),
    fixtures.classlink.accessToken,
    fixtures.classlink.otherAccessToken,
    fixtures.orc.clientSecret,
    fixtures.priava.clientSecret,
    fixtures.omnifund.clientSecret,
    fixtures.omnifund.user.password,
    fixtures.generic.user.password,
    ...Object.values(fixtures.generic.clients).map((c) => c.clientSecret).filter(Boolean),
    ...extra,
  ].filter((s) => typeof s === "string" && s.length >= 6);
}

/** No secret in any text of the error or its causes a user could log. */
export function assertNoSecrets(ctx, err, secrets, what) {
  for (let e = err, depth = 0; e && depth < 5; e = e.cause, depth++) {
    const texts = [String(e), e.message, e.stack, e.providerDescription, e.providerCode];
    try {
      texts.push(JSON.stringify(e, Object.getOwnPropertyNames(e)));
    } catch {
      /* cyclic: the fields above cover it */
    }
    for (const t of texts) for (const s of secrets) ctx.assert.doesNotInclude(t, s, `${what}: a secret leaked into the error`);
  }
}

// ---- OneRoster -------------------------------------------------------------------------------

export const MODES = ["direct", "proxy", "v1p2"];
/** The simulator's counter binding and the SDK's `provider` per mode. */
export const BINDING = { direct: "v1p1", proxy: "classlink", v1p2: "v1p2" };
export const PROVIDER = { direct: "oneroster", proxy: "classlink", v1p2: "oneroster" };

/** The 1.1 JSON binding's list key per collection (schools answer under orgs, …). */
export const LIST_KEY = {
  orgs: "orgs", schools: "orgs", academicSessions: "academicSessions", terms: "academicSessions",
  gradingPeriods: "academicSessions", courses: "courses", classes: "classes", users: "users", students: "users",
  teachers: "users", enrollments: "enrollments", demographics: "demographics",
};
export const COLLECTIONS = Object.keys(LIST_KEY);

/** docs/providers/oneroster.md: the boolean fields 1.1 writes as "true"/"false". */
const BOOL_FIELDS = ["enabledUser", "primary", "americanIndianOrAlaskaNative", "asian", "blackOrAfricanAmerican",
  "nativeHawaiianOrOtherPacificIslander", "white", "demographicRaceTwoOrMoreRaces", "hispanicOrLatinoEthnicity"];

/** A record as the SDK documents it: every field kept, the boolean strings as booleans. */
export function rosterRecord(rec) {
  const out = {};
  for (const [k, v] of Object.entries(rec)) {
    if (BOOL_FIELDS.includes(k) && typeof v === "string") {
      if (v.trim() === "") continue;
      out[k] = v.trim().toLowerCase() === "true";
    } else out[k] = v;
  }
  return out;
}

/**
 * A OneRoster client in `mode`: "direct" (1.1, OAuth 1.0a), "proxy" (ClassLink) or "v1p2"
 * (client credentials; `client` "full" asks roster-core + demographics, "core" roster-core).
 */
export function oneRosterClient(ctx, mode, { client = "full", ...extra } = {}) {
  const { pkg, simUrl, fixtures } = ctx;
  const or = fixtures.oneroster;
  if (mode === "direct") return pkg.OneRoster.direct({ baseUrl: `${simUrl}/oneroster`, clientId: or.consumerKey, clientSecret: or.consumerSecret, ...extra });
  if (mode === "proxy") {
    return pkg.OneRoster.classLinkProxy({ baseUrl: `${simUrl}/classlink-proxy`, appId: fixtures.classlink.appId, accessToken: fixtures.classlink.accessToken, ...extra });
  }
  const c = or.oauth2.clients[client];
  const scope = client === "full" ? [or.oauth2.scopes.core, or.oauth2.scopes.demographics] : or.oauth2.scopes.core;
  return pkg.OneRoster.v1p2({ baseUrl: `${simUrl}/oneroster`, tokenUrl: `${simUrl}${or.oauth2.tokenPath}`, clientId: c.clientId, clientSecret: c.clientSecret, scope, ...extra });
}

// ---- Online Registration Center ----------------------------------------------------------------

/**
 * The console tokens (POST /__sim/orc/issue) signed into a TokenSession over
 * OAuth2Client.onlineRegistrationCenter. `now`: the clock of client and session.
 */
export async function orcSession(ctx, { now, store, fetch } = {}) {
  const { pkg, simUrl, fixtures } = ctx;
  const clockOpt = now ? { now } : {};
  const issued = await providerSim(simUrl).orcIssue();
  const client = pkg.OAuth2Client.onlineRegistrationCenter({ baseUrl: `${simUrl}/orc`, clientId: fixtures.orc.clientId, clientSecret: fixtures.orc.clientSecret, ...clockOpt, ...(fetch ? { fetch } : {}) });
  store ??= pkg.memoryStore();
  const session = new pkg.TokenSession(client, { store, ...clockOpt });
  const at = now ? now() : Date.now();
  await session.signIn({ accessToken: issued.access_token, refreshToken: issued.refresh_token, tokenType: "Bearer", expiresAt: at + issued.expires_in * 3_600_000, scope: null });
  return { session, client, store, issued };
}

/** docs/providers/orc.md: module_id a number, start_date YYYY-MM-DD, trxdate YYYY-MM-DDTHH:MM:SS. */
export function orcAttendee(a) {
  return { ...a, module_id: Number(a.module_id), trxdate: a.trxdate.replace(" ", "T") };
}

// ---- generic OAuth 2 (TokenSession.paginate over /oauth2/api/items) ------------------------------

/** tests/simulator/README.md, "Paged resource": item n of /oauth2/api/items. */
export const genericItem = (n) => ({ id: n, name: n % 100 === 0 ? `Élément ${n} 𝒜 🎉` : `Item ${n}`, tag: ["alpha", "beta", "gamma", "delta"][n % 4] });
export const ITEMS = Array.from({ length: 1000 }, (_, i) => genericItem(i + 1));

/** alice's tokens (password grant of the basic client) in a TokenSession (+ `sessionOptions`). */
export async function genericSession(ctx, { now, store, sessionOptions = {} } = {}) {
  const { pkg, simUrl, fixtures } = ctx;
  const c = fixtures.generic.clients.basic;
  const clockOpt = now ? { now } : {};
  const client = new pkg.OAuth2Client({ clientId: c.clientId, clientSecret: c.clientSecret, tokenUrl: `${simUrl}/oauth2/token`, clientAuth: "basic", ...clockOpt });
  const tokens = await client.password({ username: fixtures.generic.user.username, password: fixtures.generic.user.password });
  store ??= pkg.memoryStore();
  const session = new pkg.TokenSession(client, { store, ...clockOpt, ...sessionOptions });
  await session.signIn(tokens);
  return { session, client, store, tokens };
}

/** session.paginate arguments per style: [url, options] for pages of `perPage`. */
export function paginateArgs(ctx, style, perPage = 100, extra = {}) {
  const base = `${ctx.simUrl}/oauth2/api/items`;
  const opts = {
    page: [`${base}?style=page`, { itemsPath: "data", totalPath: "meta.total" }],
    offset: [`${base}?style=offset`, {}], // a bare array; the total is X-Total-Count
    link: [`${base}?style=link&per_page=${perPage}`, { itemsPath: "results" }],
    cursor: [`${base}?style=cursor`, { itemsPath: "items", nextCursorPath: "next_cursor" }],
  }[style];
  return [opts[0], { style, resultsPerPage: perPage, ...opts[1], ...extra }];
}

/** Step 2 as a user agent: the JSON variant in browsers (they hide a manual redirect's Location). */
async function authorizeAt(ctx, url) {
  if (ctx.runtime === "chromium" || ctx.runtime === "firefox") {
    const res = await fetch(url, { headers: { Accept: "application/json" } });
    const text = await res.text();
    ctx.assert.equal(res.status, 200, `authorize: status (${text.slice(0, 200)})`);
    return JSON.parse(text).redirect;
  }
  const res = await fetch(url, { redirect: "manual" });
  await res.body?.cancel?.();
  ctx.assert.equal(res.status, 302, "authorize: status");
  return res.headers.get("location");
}

async function jsonOf(res, what) {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${what}: HTTP ${res.status} is not JSON: ${text.slice(0, 200)}`);
  }
}

// ---- the cases every runtime runs (short: a few requests each) -------------------------------

/** One paging style per runtime, so the matrix covers all four. */
const STYLE_OF = { node: "page", deno: "offset", workerd: "link", chromium: "cursor", firefox: "page" };

export const providerCases = [
  {
    name: "OneRoster direct (OAuth 1.0a HMAC-SHA256): schools paged under orgs, the tricky-title and emoji filters, one get",
    async run(ctx) {
      const { assert, fixtures } = ctx;
      const or = fixtures.oneroster;
      const sim = providerSim(ctx.simUrl);
      const before = await sim.counters();
      const client = oneRosterClient(ctx, "direct");
      const { items, pages } = await readPages(client.list("schools", { resultsPerPage: 8 }));
      assert.deepEqual(items, or.orgs.filter((o) => o.type === "school").map(rosterRecord), "schools (the 1.1 binding answers under 'orgs')");
      assert.deepEqual(pages.map((p) => [p.n, p.total]), [[8, 20], [8, 20], [4, 20]], "pages and X-Total-Count");
      const title = or.ids.trickyClassTitle;
      const tricky = await client.list("classes", { filter: ctx.pkg.OneRosterFilter.where("title", "=", title) }).toArray();
      assert.deepEqual(tricky.map((c) => [c.sourcedId, c.title]), [[or.ids.trickyClass, title]], "the tricky title's = filter (signed and verified)");
      const filter = ctx.pkg.OneRosterFilter.where("role", "=", "teacher").and("familyName", "=", "Kim 🍎");
      const emoji = await client.list("users", { filter }).toArray();
      assert.deepEqual(emoji.map((u) => u.sourcedId), [or.ids.emojiUser], "role='teacher' AND familyName='Kim 🍎'");
      assert.equal(emoji[0].enabledUser, true, "enabledUser as a boolean");
      const cls = await client.get("classes", or.ids.trickyClass);
      assert.equal(cls.title, title, "get: title intact");
      assert.equal(cls.school.type, "org", "get: references kept");
      const after = await sim.counters();
      assert.equal(rosterCalls(after, "v1p1") - rosterCalls(before, "v1p1"), 6, "requests");
      assert.equal(apiCount(after, "oneroster", "unauthorized") - apiCount(before, "oneroster", "unauthorized"), 0, "no 401");
    },
  },
  {
    name: "ClassLink proxy: academic sessions paged (Bearer console token), a wrong token is INVALID_CREDENTIALS",
    async run(ctx) {
      const { assert, fixtures } = ctx;
      const or = fixtures.oneroster;
      const sim = providerSim(ctx.simUrl);
      const before = await sim.counters();
      const client = oneRosterClient(ctx, "proxy");
      const { items, pages } = await readPages(client.list("academicSessions", { resultsPerPage: 3 }));
      assert.deepEqual(items, or.academicSessions.map(rosterRecord), "academicSessions");
      assert.deepEqual(pages.map((p) => p.n), [3, 3, 1], "pages");
      const terms = await client.list("terms").toArray();
      assert.deepEqual(terms.map((t) => t.sourcedId), ["term-2025-fall", "term-2026-spring"], "terms answer under academicSessions");
      const bad = oneRosterClient(ctx, "proxy", { accessToken: "cl-not-the-console-token" });
      const err = await assert.rejects(() => bad.list("terms").toArray(), "wrong token");
      assertProviderError(ctx, err, { code: "INVALID_CREDENTIALS", status: 401, provider: "classlink" }, "wrong token");
      assert.match(err.message, /ClassLink developer console/, "the message says where to renew the token");
      assertNoSecrets(ctx, err, fixtureSecrets(fixtures), "wrong token");
      const after = await sim.counters();
      assert.equal(rosterCalls(after, "classlink") - rosterCalls(before, "classlink"), 5, "requests (no retry after the 401)");
    },
  },
  {
    name: "OneRoster 1.2: one client-credentials grant, a school's courses, a teacher with roles",
    async run(ctx) {
      const { assert, fixtures } = ctx;
      const or = fixtures.oneroster;
      const sim = providerSim(ctx.simUrl);
      const before = await sim.counters();
      const client = oneRosterClient(ctx, "v1p2");
      const courses = await client.list("courses", { parent: ["schools", or.ids.school], resultsPerPage: 4 }).toArray();
      assert.deepEqual(courses, or.courses.filter((c) => c.org.sourcedId === or.ids.school).map(rosterRecord), "schools/{id}/courses");
      const teacher = await client.get("teachers", or.ids.teacher);
      assert.equal(teacher.role, "teacher", "role");
      assert.equal(teacher.roles?.[0]?.roleType, "primary", "1.2 roles");
      const after = await sim.counters();
      assert.equal(grants(after, "oneroster", "client_credentials") - grants(before, "oneroster", "client_credentials"), 1, "one grant for all calls");
      assert.equal(rosterCalls(after, "v1p2") - rosterCalls(before, "v1p2"), 4, "requests");
    },
  },
  {
    name: "Online Registration Center: console tokens in a TokenSession, module 4101's 42 attendees typed",
    async run(ctx) {
      const { assert, fixtures } = ctx;
      const sim = providerSim(ctx.simUrl);
      const before = await sim.counters();
      const { session } = await orcSession(ctx);
      const attendees = await ctx.pkg.OnlineRegistrationCenter.roster(session, { moduleId: 4101, exportId: 77 });
      assert.deepEqual(attendees, fixtures.orc.attendees[4101].map(orcAttendee), "roster");
      assert.match(attendees[0].trxdate, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/, "trxdate ISO");
      const after = await sim.counters();
      assert.equal(grants(after, "orc", "refresh_token") - grants(before, "orc", "refresh_token"), 0, "no refresh");
      assert.equal(apiCount(after, "orc", "ok") - apiCount(before, "orc", "ok"), 1, "one roster request");
    },
  },
  {
    name: "Priava: authorization code with TenantRegion, session.fetch of /priava/api/events and /priava/api/me",
    async run(ctx) {
      const { assert, fixtures, pkg, simUrl } = ctx;
      const pv = fixtures.priava;
      const sim = providerSim(simUrl);
      const before = await sim.counters();
      const client = pkg.OAuth2Client.priava({ baseUrl: `${simUrl}/priava`, region: "EU", clientId: pv.clientId, clientSecret: pv.clientSecret, redirectUri: REDIRECT_URI });
      const request = await client.authorizationUrl({ redirectUri: REDIRECT_URI });
      const callback = await authorizeAt(ctx, request.url);
      assert.ok(callback && callback.startsWith(REDIRECT_URI), `callback ${callback}`);
      const session = new pkg.TokenSession(client, { store: pkg.memoryStore() });
      await session.completeAuthorization(callback, { state: request.state, codeVerifier: request.codeVerifier, redirectUri: REDIRECT_URI });
      const events = await jsonOf(await session.fetch(`${simUrl}/priava/api/events`), "events");
      assert.deepEqual(events, { events: pv.events }, "events");
      const me = await jsonOf(await session.fetch(`${simUrl}/priava/api/me`), "me");
      assert.deepEqual(me, { userId: pv.user.userId, name: pv.user.name, region: "EU" }, "me (tokens of the EU region)");
      const after = await sim.counters();
      assert.equal(grants(after, "priava", "authorization_code") - grants(before, "priava", "authorization_code"), 1, "code grants");
      assert.equal(apiCount(after, "priava", "ok") - apiCount(before, "priava", "ok"), 2, "API calls");
    },
  },
  {
    name: "OmniFund: password grant (client credentials in the body), token login POST /omnifund/login",
    async run(ctx) {
      const { assert, fixtures, pkg, simUrl } = ctx;
      const of = fixtures.omnifund;
      const sim = providerSim(simUrl);
      const before = await sim.counters();
      const client = pkg.OAuth2Client.omniFund({ baseUrl: `${simUrl}/omnifund`, clientId: of.clientId, clientSecret: of.clientSecret });
      const tokens = await client.password({ username: of.user.username, password: of.user.password });
      assert.equal(tokens.tokenType, "bearer", "token_type as sent");
      assert.equal(tokens.scope, null, "scope null");
      const session = new pkg.TokenSession(client, { store: pkg.memoryStore() });
      await session.signIn(tokens);
      const res = await session.fetch(`${simUrl}/omnifund/login`, { method: "POST" });
      const body = await jsonOf(res, "login");
      assert.equal(res.status, 200, "login status");
      const user = { id: of.user.userId, username: of.user.username, name: of.user.name };
      assert.deepEqual(body, { logged_in: true, user }, "token login");
      // The same login, typed by the SDK.
      const typed = await pkg.OmniFund.tokenLogin(session, { url: `${simUrl}/omnifund/login` });
      assert.deepEqual(typed, { loggedIn: true, status: 200, data: { logged_in: true, user } }, "OmniFund.tokenLogin");
      const after = await sim.counters();
      assert.equal(grants(after, "omnifund", "password") - grants(before, "omnifund", "password"), 1, "password grants");
      assert.equal(apiCount(after, "omnifund", "ok") - apiCount(before, "omnifund", "ok"), 2, "login calls");
    },
  },
  {
    name: "TokenSession.paginate: the 1,000 items of /oauth2/api/items in the runtime's style, then maxItems",
    async run(ctx) {
      const { assert } = ctx;
      const style = STYLE_OF[ctx.runtime] ?? "page";
      const sim = providerSim(ctx.simUrl);
      const { session } = await genericSession(ctx);
      const before = await sim.counters();
      const progress = [];
      const { items, pages } = await readPages(session.paginate(...paginateArgs(ctx, style, 250, { onProgress: (p) => progress.push(p.fetched) })));
      assert.deepEqual(items, ITEMS, `${style}: items`);
      assert.deepEqual(pages.map((p) => p.n), [250, 250, 250, 250], `${style}: pages`);
      assert.deepEqual(progress, [250, 500, 750, 1000], `${style}: onProgress`);
      assert.equal(pages[3].cursor, null, `${style}: complete`);
      const some = await session.paginate(...paginateArgs(ctx, style, 100, { maxItems: 150 })).toArray();
      assert.deepEqual(some, ITEMS.slice(0, 150), `${style}: maxItems 150`);
      const after = await sim.counters();
      assert.equal(itemsCalls(after, style) - itemsCalls(before, style), 6, `${style}: requests`);
    },
  },
];
