// ZapEvent client cases shared by every runtime suite (registered in ../suites.mjs), plus the
// helpers the Node-only suite (node.test.mjs here) builds on. Plain ES module importing only
// ../sim-control.mjs: each case is `async (ctx) => void` with ctx = { pkg, simUrl, fixtures, assert, runtime }.
//
// Expected records are computed from the simulator's fixtures with the document's datatypes
// (uint → number, money → number, date MM-DD-YYYY → "YYYY-MM-DD", bool T/F → boolean), never
// from the SDK's own output. Cases assert DELTAS of /__sim/counters (other cases share the sim)
// and put every simulator switch they touch (clock, faults, meta mode, repeat) back.

export const REDIRECT_URI = "http://127.0.0.1/callback";
export const FORMATS = ["xml", "json", "csv"];

export const zapBase = (ctx) => `${ctx.simUrl}/zapevent/api`;

import { simClock as zapClock, simControl as zapSim } from "../sim-control.mjs";

export { zapClock, zapSim };

/** Counter readers: API calls per generation and method, grants, flow steps. */
export const calls = (c, gen, method) => c.zapevent_api?.calls?.[gen]?.[method] ?? 0;
export const grants = (c, type) => c.grants?.zapevent?.[type] ?? 0;
export const apiUnauthorized = (c) => c.api_by_provider?.zapevent?.unauthorized ?? 0;

/** Wire method names per generation. */
export const WIRE = {
  oauth1: { event: "getevent", events: "getevents", categories: "getcategories", questions: "getquestions", participants: "getparticipants" },
  oauth2: { event: "getnewevent", events: "getnewevents", categories: "getnewcategories", questions: "getnewquestions", participants: "getnewparticipants" },
};


// ---- clients -----------------------------------------------------------------------------

/** The OAuth 1 generation with the fixture access token. */
export function zapOAuth1(ctx, extra = {}) {
  const z = ctx.fixtures.zapevent;
  return ctx.pkg.ZapEvent.oauth1({
    baseUrl: zapBase(ctx),
    consumerKey: z.consumerKey,
    consumerSecret: z.consumerSecret,
    token: z.accessToken.token,
    tokenSecret: z.accessToken.tokenSecret,
    ...extra,
  });
}

/** The Login method as the fixture user (`generation` "oauth1" | "oauth2"). */
export function zapLogin(ctx, extra = {}) {
  const u = ctx.fixtures.zapevent.user;
  return ctx.pkg.ZapEvent.login({ baseUrl: zapBase(ctx), username: u.username, password: u.password, ...extra });
}

/**
 * Step 2 of a flow as a user agent: GET the authorization URL. The simulator's JSON variant
 * (Accept: application/json) works in every runtime (browsers hide a manual redirect's
 * Location); `redirect: true` reads the real 302 instead (Node, Deno, workerd).
 */
export async function authorizeAt(ctx, url, { redirect = false } = {}) {
  if (redirect) {
    const res = await fetch(url, { redirect: "manual" });
    await res.body?.cancel?.();
    ctx.assert.equal(res.status, 302, "authorize: status");
    const location = res.headers.get("location");
    ctx.assert.ok(location, "authorize: Location");
    return { redirect: location, ...Object.fromEntries(new URL(location).searchParams) };
  }
  const res = await fetch(url, { headers: { Accept: "application/json" } });
  const text = await res.text();
  ctx.assert.equal(res.status, 200, `authorize: status (${text.slice(0, 200)})`);
  return JSON.parse(text);
}

/**
 * The OAuth 2 generation: OAuth2Client.zapEvent, the code flow with PKCE, a TokenSession.
 * `now` (optional) is the clock of both client and session (see zapClock).
 */
export async function zapOAuth2(ctx, { now, store, redirect = false, apiOptions = {} } = {}) {
  const z = ctx.fixtures.zapevent;
  const clockOpt = now ? { now } : {};
  const client = ctx.pkg.OAuth2Client.zapEvent({ baseUrl: zapBase(ctx), clientId: z.oauth2.clientId, clientSecret: z.oauth2.clientSecret, ...clockOpt });
  const request = await client.authorizationUrl({ redirectUri: REDIRECT_URI });
  const answer = await authorizeAt(ctx, request.url, { redirect });
  ctx.assert.ok(answer.redirect && answer.redirect.startsWith(REDIRECT_URI), `callback URL ${answer.redirect}`);
  store ??= ctx.pkg.memoryStore();
  const session = new ctx.pkg.TokenSession(client, { store, ...clockOpt });
  await session.completeAuthorization(answer.redirect, { state: request.state, codeVerifier: request.codeVerifier, redirectUri: REDIRECT_URI });
  const zap = ctx.pkg.ZapEvent.oauth2(session, { baseUrl: zapBase(ctx), ...apiOptions });
  return { zap, session, client, store, request };
}

// ---- expected records --------------------------------------------------------------------

const isoDate = (d) => `${d.slice(6, 10)}-${d.slice(0, 2)}-${d.slice(3, 5)}`;
const byText = (key) => (a, b) => a[key].localeCompare(b[key], "en");
const byNumber = (key) => (a, b) => a[key] - b[key];

/** What the SDK must hand out for the fixtures, in the document's datatypes. */
export function zapExpect(fixtures) {
  const z = fixtures.zapevent;
  const own = (e) => e.owner === z.user.userId;
  const question = (q) => ({
    question_id: q.question_id,
    event_id: q.event_id,
    activity_id: q.activity_id,
    question: q.question,
    question_type: q.question_type,
    required: q.required,
    options: [...q.options],
  });
  const questionsOf = (activityId) => z.questions.filter((q) => q.activity_id === activityId).sort(byNumber("question_id")).map(question);
  const activity = (a, withQuestions) => ({
    activity_id: a.activity_id,
    name: a.name,
    start_date: isoDate(a.start_date),
    price: Number(a.price),
    ...(withQuestions ? { questions: questionsOf(a.activity_id) } : {}),
  });
  /** `activities`: include them; `questions`: nest each activity's questions (getevent). */
  const event = (e, { activities = false, questions = false, activityFilter = () => true } = {}) => ({
    event_id: e.event_id,
    name: e.name,
    event_type: e.event_type,
    event_status: e.event_status,
    start_date: isoDate(e.start_date),
    end_date: isoDate(e.end_date),
    created: isoDate(e.created),
    city: e.city,
    state: e.state,
    country: e.country,
    url: e.url,
    ...(activities ? { activities: e.activities.filter(activityFilter).map((a) => activity(a, questions)) } : {}),
  });
  const category = (c) => ({ category_id: c.category_id, category: c.category, event_count: c.event_count });
  const participant = (p) => ({
    registration_id: p.registration_id,
    participant_id: p.participant_id,
    event_id: p.event_id,
    activity_id: p.activity_id,
    first_name: p.first_name,
    last_name: p.last_name,
    email: p.email,
    gender: p.gender,
    age: p.age,
    registration_date: isoDate(p.registration_date),
    amount_paid: Number(p.amount_paid),
    payment_status: p.payment_status,
    city: p.city,
    notes: p.notes,
    checked_in: p.checked_in,
  });
  return {
    event,
    eventById: (id, opts) => event(z.events.find((e) => e.event_id === id), opts),
    /** getevents: the user's events, default sort name ASC. */
    events: (opts, filter = () => true) => z.events.filter((e) => own(e) && filter(e)).sort(byText("name")).map((e) => event(e, opts)),
    categories: () => [...z.categories].sort(byText("category")).map(category),
    questions: ({ eventId, activityId, questionId }) => z.questions
      .filter((q) => (eventId === undefined || q.event_id === eventId)
        && (activityId === undefined || q.activity_id === activityId)
        && (questionId === undefined || q.question_id === questionId))
      .sort(byNumber("question_id"))
      .map(question),
    participants: ({ eventId, activityId, afterRegistrationId, afterParticipantId } = {}) => z.participants
      .filter((p) => p.event_id === eventId
        && (activityId === undefined || p.activity_id === activityId)
        && (afterRegistrationId === undefined || p.registration_id > afterRegistrationId)
        && (afterParticipantId === undefined || p.participant_id > afterParticipantId))
      .sort(byNumber("registration_id"))
      .map(participant),
    participant,
    isoDate,
  };
}

/** A record without its nested activities (CSV cannot nest). */
export const flat = ({ activities, ...rest }) => rest;

/** Short description of where two record lists first differ (keeps failure output small). */
export function firstDifference(actual, expected) {
  if (!Array.isArray(actual)) return `not an array: ${typeof actual}`;
  if (actual.length !== expected.length) return `length ${actual.length}, expected ${expected.length}`;
  for (let i = 0; i < expected.length; i++) {
    const a = JSON.stringify(sortKeys(actual[i]));
    const e = JSON.stringify(sortKeys(expected[i]));
    if (a !== e) return `record ${i}: got ${a.slice(0, 600)}\n  expected ${e.slice(0, 600)}`;
  }
  return null;
}

function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}

/** Asserts two record lists are equal, field by field, with a readable message. */
export function assertRecords(ctx, actual, expected, what) {
  const diff = firstDifference(actual, expected);
  if (diff) ctx.assert.fail(`${what}: ${diff}`);
}

export function assertZapError(ctx, err, { code, providerCode, status }, what) {
  const a = ctx.assert;
  a.ok(err instanceof ctx.pkg.OAuthEdgeError, `${what}: an OAuthEdgeError (got ${err && err.name}: ${err && err.message})`);
  a.equal(err.code, code, `${what}: code (message: ${err.message})`);
  if (providerCode !== undefined) {
    a.equal(err.providerCode, providerCode, `${what}: providerCode`);
    a.equal(err.provider, "zapevent", `${what}: provider`);
  }
  if (status !== undefined) a.equal(err.status, status, `${what}: status`);
}

/** Reads a PagedList page by page → {items, pages: [{page, n, fetched, total, cursor}]}. */
export async function readPages(list) {
  const items = [];
  const pages = [];
  for await (const page of list.pages()) {
    items.push(...page.items);
    pages.push({ page: page.page, n: page.items.length, fetched: page.fetched, total: page.total, cursor: page.cursor });
  }
  return { items, pages };
}

// ---- the cases every runtime runs (short: a few requests each) -------------------------------

/** One format per runtime, so the matrix covers all three without running all of them everywhere. */
const FORMAT_OF = { node: "xml", deno: "json", workerd: "csv", chromium: "json", firefox: "csv" };

export const zapeventCases = [
  {
    name: "ZapEvent: OAuth 1 access token + Login, event 1001's 523 participants paged (the runtime's format) match the fixtures",
    async run(ctx) {
      const { assert } = ctx;
      const sim = zapSim(ctx.simUrl);
      const want = zapExpect(ctx.fixtures);
      const format = FORMAT_OF[ctx.runtime] ?? "xml";
      const before = await sim.counters();
      const zap = zapOAuth1(ctx);
      const progress = [];
      const { items, pages } = await readPages(zap.participants({ eventId: 1001, format, resultsPerPage: 250, onProgress: (p) => progress.push(p) }));
      assertRecords(ctx, items, want.participants({ eventId: 1001 }), `getparticipants ${format}`);
      assert.deepEqual(pages.map((p) => [p.page, p.n, p.fetched]), [[1, 250, 250], [2, 250, 500], [3, 23, 523]], "pages");
      assert.deepEqual(progress.map((p) => p.page), [1, 2, 3], "onProgress pages");
      assert.equal(progress[2].total, 523, "total (X-Total-Count / body metadata)");
      assert.equal(pages[2].cursor, null, "cursor after the last page");
      // The Login method's temporary keys, on the same generation.
      const login = await zapLogin(ctx, { loginFormat: format === "json" ? "json" : "xml" });
      const ev = await login.event(1001, { format });
      const expectedEvent = want.eventById(1001, { activities: format !== "csv", questions: format !== "csv" });
      assertRecords(ctx, [ev], [expectedEvent], `getevent ${format}`);
      const err = await assert.rejects(() => login.event(1004, { format }), "another organizer's event");
      assertZapError(ctx, err, { code: "PERMISSION_DENIED", providerCode: "7", status: 403 }, "event 1004");
      const after = await sim.counters();
      assert.equal(calls(after, "oauth1", "getparticipants") - calls(before, "oauth1", "getparticipants"), 3, "getparticipants requests");
      assert.equal(calls(after, "oauth1", "getevent") - calls(before, "oauth1", "getevent"), 2, "getevent requests");
      assert.equal(calls(after, "oauth2", "total") - calls(before, "oauth2", "total"), 0, "no OAuth 2 generation call");
    },
  },
  {
    name: "ZapEvent: OAuth 2 code flow through a TokenSession, then getnewevents and getnewparticipants",
    async run(ctx) {
      const { assert } = ctx;
      const sim = zapSim(ctx.simUrl);
      const want = zapExpect(ctx.fixtures);
      const before = await sim.counters();
      const { zap, session } = await zapOAuth2(ctx);
      assert.equal(session.state(), "valid", "session after completeAuthorization");
      const events = await zap.events({ resultsPerPage: 3 }).toArray(); // JSON, activities F by default
      assertRecords(ctx, events, want.events({ activities: false }), "getnewevents");
      const list = zap.participants({ eventId: 1002, resultsPerPage: 20, format: FORMAT_OF[ctx.runtime] ?? "json" });
      const { items, pages } = await readPages(list);
      assertRecords(ctx, items, want.participants({ eventId: 1002 }), "getnewparticipants");
      assert.deepEqual(pages.map((p) => p.n), [20, 17], "page sizes");
      assert.equal(list.cursor, null, "run complete");
      const after = await sim.counters();
      assert.equal(grants(after, "authorization_code") - grants(before, "authorization_code"), 1, "authorization_code grants");
      assert.equal(grants(after, "refresh_token") - grants(before, "refresh_token"), 0, "refresh_token grants");
      assert.equal(calls(after, "oauth2", "getnewevents") - calls(before, "oauth2", "getnewevents"), 2, "getnewevents requests");
      assert.equal(calls(after, "oauth2", "getnewparticipants") - calls(before, "oauth2", "getnewparticipants"), 2, "getnewparticipants requests");
      assert.equal(apiUnauthorized(after) - apiUnauthorized(before), 0, "API 401s");
    },
  },
];
