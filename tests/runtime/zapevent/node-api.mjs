// Node-only ZapEvent cases (1/3): every method × way in × format end to end against the
// fixtures, the OAuth 1.0a three-legged flow in every signature method and placement, the
// OAuth 2 code flow with refreshes counted at the simulator, and record details (unknown
// fields, future activities, filters, sorts). Registered by node.test.mjs; same case shape as
// cases.mjs (`{name, run(ctx)}`, ctx = { pkg, simUrl, fixtures, assert, runtime, clients }).
import {
  FORMATS, WIRE, apiUnauthorized, assertRecords, assertZapError, authorizeAt, calls, flat, grants, readPages,
  zapBase, zapClock, zapExpect, zapLogin, zapOAuth1, zapOAuth2, zapSim,
} from "./cases.mjs";

/** The four ways in; clients are made once per suite run (ctx.clients) and reused. */
export const KINDS = {
  "OAuth 1 access token": { gen: "oauth1", make: (ctx) => zapOAuth1(ctx) },
  "OAuth 2 session": { gen: "oauth2", make: async (ctx) => (await zapOAuth2(ctx)).zap },
  "Login (oauth1 generation)": { gen: "oauth1", make: (ctx) => zapLogin(ctx) },
  "Login (oauth2 generation)": { gen: "oauth2", make: (ctx) => zapLogin(ctx, { generation: "oauth2", loginFormat: "json" }) },
};

export async function clientOf(ctx, kind) {
  ctx.clients ??= {};
  ctx.clients[kind] ??= await KINDS[kind].make(ctx);
  return ctx.clients[kind];
}

/**
 * Per method: what to call in one format → {records, expected, requests}. `nested`: whether
 * the records carry activities (compared without them in CSV).
 */
const METHODS = {
  event: {
    nested: true,
    async run(zap, format, gen, want) {
      const records = [await zap.event(1001, { format }), await zap.event("1005", { format })];
      const opts = { activities: format !== "csv", questions: format !== "csv" };
      return { records, expected: [want.eventById(1001, opts), want.eventById(1005, opts)], requests: 2 };
    },
  },
  events: {
    nested: true,
    async run(zap, format, gen, want) {
      // getevents includes activities by default (T), getnewevents does not (F); never in CSV.
      const records = await zap.events({ format, resultsPerPage: 3 }).toArray();
      return { records, expected: want.events({ activities: gen === "oauth1" && format !== "csv" }), requests: 2 };
    },
  },
  categories: {
    async run(zap, format, gen, want) {
      const records = await zap.categories({ format, resultsPerPage: 5 }).toArray();
      return { records, expected: want.categories(), requests: 3 };
    },
  },
  questions: {
    async run(zap, format, gen, want) {
      const queries = [{ eventId: 1001 }, { activityId: 2006 }, { questionId: 4003 }, { eventId: 1002, activityId: 2003 }];
      const records = [];
      const expected = [];
      for (const q of queries) {
        records.push(...(await zap.questions({ ...q, format }).toArray()));
        expected.push(...want.questions(q));
      }
      return { records, expected, requests: queries.length };
    },
  },
  participants: {
    async run(zap, format, gen, want) {
      const all = await zap.participants({ eventId: 1001, format, resultsPerPage: 250 }).toArray();
      const five = await zap.participants({ eventId: 1001, activityId: 2002, format, resultsPerPage: 100 }).toArray();
      return { records: [...all, ...five], expected: [...want.participants({ eventId: 1001 }), ...want.participants({ eventId: 1001, activityId: 2002 })], requests: 3 + 2 };
    },
  },
};

const matrix = [];
for (const kind of Object.keys(KINDS)) {
  for (const [method, spec] of Object.entries(METHODS)) {
    matrix.push({
      name: `${method}() via ${kind}: xml, json and csv give the fixtures' records, identical across formats, on the ${KINDS[kind].gen} methods`,
      async run(ctx) {
        const { assert } = ctx;
        const sim = zapSim(ctx.simUrl);
        const want = zapExpect(ctx.fixtures);
        const { gen } = KINDS[kind];
        const other = gen === "oauth1" ? "oauth2" : "oauth1";
        const zap = await clientOf(ctx, kind);
        const byFormat = {};
        for (const format of FORMATS) {
          const before = await sim.counters();
          const { records, expected, requests } = await spec.run(zap, format, gen, want);
          const after = await sim.counters();
          assertRecords(ctx, records, expected, `${method} ${format}`);
          assert.equal(calls(after, gen, WIRE[gen][method]) - calls(before, gen, WIRE[gen][method]), requests, `${format}: ${WIRE[gen][method]} requests`);
          assert.equal(calls(after, other, "total") - calls(before, other, "total"), 0, `${format}: no ${other} generation call`);
          byFormat[format] = records;
        }
        assertRecords(ctx, byFormat.json, byFormat.xml, "json vs xml");
        const strip = spec.nested ? (list) => list.map(flat) : (list) => list;
        assertRecords(ctx, byFormat.csv, strip(byFormat.xml), "csv vs xml (csv cannot nest)");
      },
    });
  }
}

/** The OAuth 1.0a protocol parameters of one sent request, and where they travelled. */
function protocolParams(call) {
  const url = new URL(call.url);
  const found = [];
  const auth = new Headers(call.init?.headers).get("authorization");
  if (auth && /^OAuth /i.test(auth)) {
    const header = {};
    for (const m of auth.slice(6).matchAll(/([A-Za-z_]+)="([^"]*)"/g)) header[m[1]] = decodeURIComponent(m[2]);
    found.push(["header", header]);
  }
  const pick = (params) => Object.fromEntries([...params].filter(([k]) => k.startsWith("oauth_")));
  const query = pick(url.searchParams);
  if (Object.keys(query).length) found.push(["query", query]);
  const body = call.init?.body;
  const text = typeof body === "string" ? body : body ? new TextDecoder().decode(body) : "";
  const form = pick(new URLSearchParams(text));
  if (Object.keys(form).length) found.push(["body", form]);
  return found;
}

function assertProtocolParams(ctx, call, { placement, signatureMethod, consumerSecret, tokenSecret }, what) {
  const { assert } = ctx;
  const found = protocolParams(call);
  assert.deepEqual(found.map(([where]) => where), [placement], `${what}: the OAuth parameters travel in the ${placement} only`);
  const p = found[0][1];
  assert.equal(p.oauth_signature_method, signatureMethod, `${what}: oauth_signature_method`);
  if (signatureMethod === "PLAINTEXT") {
    // The document: "(Omit in PLAINTEXT Signature method)" for oauth_nonce and oauth_timestamp.
    assert.equal(p.oauth_nonce, undefined, `${what}: PLAINTEXT sends no oauth_nonce`);
    assert.equal(p.oauth_timestamp, undefined, `${what}: PLAINTEXT sends no oauth_timestamp`);
    assert.equal(p.oauth_signature, `${consumerSecret}&${tokenSecret ?? ""}`, `${what}: PLAINTEXT signature`);
  } else {
    assert.match(p.oauth_nonce ?? "", /^[\x21-\x7e]+$/, `${what}: an ASCII oauth_nonce (the document accepts only ASCII)`);
    assert.match(p.oauth_timestamp ?? "", /^[1-9]\d{8,}$/, `${what}: oauth_timestamp`);
  }
}

const spyFetch = (log) => (input, init) => {
  log.push({ url: String(input), init });
  return fetch(input, init);
};

const flows = [];
for (const signatureMethod of ["HMAC-SHA1", "PLAINTEXT"]) {
  for (const placement of ["header", "query", "body"]) {
    flows.push({
      name: `OAuth 1.0a three-legged flow, ${signatureMethod} in the ${placement}: RequestToken → authorize (302) → AccessToken → API calls`,
      async run(ctx) {
        const { assert } = ctx;
        const z = ctx.fixtures.zapevent;
        const sim = zapSim(ctx.simUrl);
        const log = [];
        const flow = ctx.pkg.ZapEvent.oauth1Flow({ baseUrl: zapBase(ctx), consumerKey: z.consumerKey, consumerSecret: z.consumerSecret, signatureMethod, placement, fetch: spyFetch(log) });
        const before = await sim.counters();
        const pending = await flow.start({ callback: "http://127.0.0.1/zapevent/callback?from=test" });
        assert.equal(pending.authorizationUrl, `${zapBase(ctx)}/oauth/authorize?oauth_token=${encodeURIComponent(pending.requestToken)}`, "authorizationUrl");
        const answer = await authorizeAt(ctx, pending.authorizationUrl, { redirect: true });
        assert.ok(answer.redirect.startsWith("http://127.0.0.1/zapevent/callback?from=test&"), `callback keeps its query: ${answer.redirect}`);
        assert.equal(answer.oauth_token, pending.requestToken, "callback oauth_token");
        const creds = await flow.finish({ requestToken: pending.requestToken, requestTokenSecret: pending.requestTokenSecret, callbackUrl: answer.redirect });
        assert.match(creds.token, /^[0-9a-f]{32}$/, "access token");
        assert.match(creds.tokenSecret, /^[0-9A-F]{40}$/, "access token secret");
        assert.deepEqual(log.map((c) => [c.init?.method, new URL(c.url).pathname]), [["POST", "/zapevent/api/oauth/RequestToken"], ["POST", "/zapevent/api/oauth/AccessToken"]], "flow requests");
        assertProtocolParams(ctx, log[0], { placement, signatureMethod, consumerSecret: z.consumerSecret, tokenSecret: "" }, "RequestToken");
        assertProtocolParams(ctx, log[1], { placement, signatureMethod, consumerSecret: z.consumerSecret, tokenSecret: pending.requestTokenSecret }, "AccessToken");
        assert.equal(protocolParams(log[1])[0][1].oauth_verifier, answer.oauth_verifier, "AccessToken sends the verifier");
        // The new token on the API (GET: the parameters go in the header or the query).
        const apiLog = [];
        const apiPlacement = placement === "body" ? "header" : placement;
        const zap = ctx.pkg.ZapEvent.oauth1({ baseUrl: zapBase(ctx), consumerKey: z.consumerKey, consumerSecret: z.consumerSecret, token: creds.token, tokenSecret: creds.tokenSecret, signatureMethod, placement: apiPlacement, fetch: spyFetch(apiLog) });
        const want = zapExpect(ctx.fixtures);
        assertRecords(ctx, [await zap.event(1002)], [want.eventById(1002, { activities: true, questions: true })], "getevent with the flow's token");
        assertRecords(ctx, await zap.participants({ eventId: 1002, resultsPerPage: 25, format: "json" }).toArray(), want.participants({ eventId: 1002 }), "getparticipants with the flow's token");
        for (const [i, call] of apiLog.entries()) assertProtocolParams(ctx, call, { placement: apiPlacement, signatureMethod, consumerSecret: z.consumerSecret, tokenSecret: creds.tokenSecret }, `API call ${i + 1}`);
        const after = await sim.counters();
        for (const k of ["request_tokens", "authorized", "access_tokens"]) assert.equal(after.oauth1_flow[k] - before.oauth1_flow[k], 1, `oauth1_flow.${k}`);
        assert.equal(calls(after, "oauth1", "getparticipants") - calls(before, "oauth1", "getparticipants"), 2, "getparticipants requests");
      },
    });
  }
}

flows.push({
  name: "OAuth 1.0a flow out of band: callback oob, the user types the verifier shown by authorize",
  async run(ctx) {
    const z = ctx.fixtures.zapevent;
    const flow = ctx.pkg.ZapEvent.oauth1Flow({ baseUrl: zapBase(ctx), consumerKey: z.consumerKey, consumerSecret: z.consumerSecret, signatureMethod: "PLAINTEXT" });
    const pending = await flow.start({ callback: "oob" });
    const res = await fetch(pending.authorizationUrl);
    const shown = new URLSearchParams(await res.text());
    ctx.assert.equal(res.status, 200, "oob authorize: 200 with the verifier in the body");
    const creds = await flow.finish({ requestToken: pending.requestToken, requestTokenSecret: pending.requestTokenSecret, verifier: shown.get("oauth_verifier") });
    const zap = ctx.pkg.ZapEvent.oauth1({ baseUrl: zapBase(ctx), consumerKey: z.consumerKey, consumerSecret: z.consumerSecret, token: creds.token, tokenSecret: creds.tokenSecret, signatureMethod: "PLAINTEXT", placement: "query" });
    assertRecords(ctx, await zap.categories({ resultsPerPage: 250, format: "csv" }).toArray(), zapExpect(ctx.fixtures).categories(), "getcategories with the oob token");
  },
});

const oauth2 = [
  {
    name: "OAuth 2 code flow: the authorization URL carries RFC 6749's and the document's names with PKCE S256; the 302 callback completes; token request is a form POST with client_id/secret",
    async run(ctx) {
      const { assert } = ctx;
      const z = ctx.fixtures.zapevent;
      const sim = zapSim(ctx.simUrl);
      const before = await sim.counters();
      const log = [];
      const client = ctx.pkg.OAuth2Client.zapEvent({ baseUrl: zapBase(ctx), clientId: z.oauth2.clientId, clientSecret: z.oauth2.clientSecret, fetch: spyFetch(log) });
      const request = await client.authorizationUrl({ redirectUri: "http://127.0.0.1/callback" });
      const u = new URL(request.url);
      assert.equal(`${u.origin}${u.pathname}`, `${zapBase(ctx)}/oauth2/Authorize`, "authorization endpoint");
      const q = Object.fromEntries(u.searchParams);
      assert.equal(q.response_type, "code", "response_type");
      assert.equal(q.responce_type, "code", "the document's responce_type");
      assert.equal(q.client_id, z.oauth2.clientId, "client_id");
      assert.equal(q.oauth_consumer_key, z.oauth2.clientId, "the document's oauth_consumer_key");
      assert.equal(q.redirect_uri, "http://127.0.0.1/callback", "redirect_uri");
      assert.equal(q.oauth_callback, "http://127.0.0.1/callback", "the document's oauth_callback");
      assert.equal(q.code_challenge_method, "S256", "PKCE S256");
      assert.equal(q.state, request.state, "state");
      const answer = await authorizeAt(ctx, request.url, { redirect: true });
      const session = new ctx.pkg.TokenSession(client, { store: ctx.pkg.memoryStore() });
      await session.completeAuthorization(answer.redirect, { state: request.state, codeVerifier: request.codeVerifier, redirectUri: "http://127.0.0.1/callback" });
      assert.equal(log.length, 1, "one token request");
      assert.equal(log[0].init.method, "POST", "token request method");
      assert.equal(new URL(log[0].url).pathname, "/zapevent/api/OAuth2/RequestToken", "token endpoint");
      const form = new URLSearchParams(typeof log[0].init.body === "string" ? log[0].init.body : new TextDecoder().decode(log[0].init.body));
      assert.equal(form.get("grant_type"), "authorization_code", "grant_type");
      assert.equal(form.get("client_id"), z.oauth2.clientId, "client_id in the body");
      assert.equal(form.get("client_secret"), z.oauth2.clientSecret, "client_secret in the body");
      assert.equal(form.get("code_verifier"), request.codeVerifier, "code_verifier");
      const zap = ctx.pkg.ZapEvent.oauth2(session, { baseUrl: zapBase(ctx), format: "xml" });
      assertRecords(ctx, await zap.questions({ eventId: 1005 }).toArray(), zapExpect(ctx.fixtures).questions({ eventId: 1005 }), "getnewquestions (client default format xml)");
      const after = await sim.counters();
      assert.equal(grants(after, "authorization_code") - grants(before, "authorization_code"), 1, "authorization_code grants");
      assert.equal(calls(after, "oauth2", "getnewquestions") - calls(before, "oauth2", "getnewquestions"), 1, "getnewquestions requests");
    },
  },
  {
    name: "OAuth 2 refresh: expiry on the shared clock → exactly one refresh per expiry, 20 concurrent calls included, no API 401",
    async run(ctx) {
      const { assert } = ctx;
      const sim = zapSim(ctx.simUrl);
      const clock = zapClock(sim);
      const ttl = ctx.fixtures.zapevent.oauth2.accessTokenTtl;
      const want = zapExpect(ctx.fixtures);
      await clock.zero();
      try {
        const before = await sim.counters();
        const { zap, store } = await zapOAuth2(ctx, { now: clock.now });
        const first = (await store.load()).tokens;
        assertRecords(ctx, await zap.categories({ resultsPerPage: 12 }).toArray(), want.categories(), "before expiry");
        await clock.advance(ttl + 5);
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => zap.event(i % 2 ? 1001 : 1002, { format: i % 3 ? "json" : "xml" })));
        assert.deepEqual(results.map((e) => e.event_id), Array.from({ length: 20 }, (_, i) => (i % 2 ? 1001 : 1002)), "20 concurrent calls after expiry");
        let mid = await sim.counters();
        assert.equal(grants(mid, "refresh_token") - grants(before, "refresh_token"), 1, "one refresh for 20 concurrent calls");
        const second = (await store.load()).tokens;
        assert.notEqual(second.refreshToken, first.refreshToken, "the rotated refresh token was stored");
        assertRecords(ctx, await zap.participants({ eventId: 1002, format: "csv", resultsPerPage: 10 }).toArray(), want.participants({ eventId: 1002 }), "after the refresh");
        await clock.advance(ttl - 120); // still valid (skew 60 s)
        await zap.event(1003);
        mid = await sim.counters();
        assert.equal(grants(mid, "refresh_token") - grants(before, "refresh_token"), 1, "no refresh while the token is valid");
        await clock.advance(200); // expired again
        await zap.event(1003, { format: "csv" });
        const after = await sim.counters();
        assert.equal(grants(after, "refresh_token") - grants(before, "refresh_token"), 2, "one more refresh after the second expiry");
        assert.equal(grants(after, "authorization_code") - grants(before, "authorization_code"), 1, "authorization_code grants");
        assert.equal(after.invalid_grant - before.invalid_grant, 0, "invalid_grant");
        assert.equal(apiUnauthorized(after) - apiUnauthorized(before), 0, "API 401s");
      } finally {
        await clock.zero();
      }
    },
  },
  {
    name: "OAuth 2: a token the provider expired early → 401 error 6 → one refresh and one retry, the call succeeds",
    async run(ctx) {
      const { assert } = ctx;
      const sim = zapSim(ctx.simUrl);
      const clock = zapClock(sim);
      await clock.zero();
      try {
        const { zap } = await zapOAuth2(ctx, { now: clock.now });
        const before = await sim.counters();
        // Only the simulator moves on: the session still believes its token is valid.
        await sim.advance(ctx.fixtures.zapevent.oauth2.accessTokenTtl + 5);
        const ev = await zap.event(1001, { format: "xml" });
        assert.equal(ev.event_id, 1001, "the call succeeded after the retry");
        const after = await sim.counters();
        assert.equal(apiUnauthorized(after) - apiUnauthorized(before), 1, "the first attempt was refused");
        assert.equal(grants(after, "refresh_token") - grants(before, "refresh_token"), 1, "one refresh");
        assert.equal(calls(after, "oauth2", "getnewevent") - calls(before, "oauth2", "getnewevent"), 2, "getnewevent: the refused call and its retry");
      } finally {
        await clock.zero();
      }
    },
  },
];

/** A fetch that adds unknown fields to every participant, in whichever format came back. */
function addUnknownFields(input, init) {
  return fetch(input, init).then(async (res) => {
    if (!String(input).includes("participants")) return res;
    const type = res.headers.get("content-type") || "";
    let text = await res.text();
    if (type.includes("xml")) text = text.replaceAll("</participant>", "<shoe_size>42</shoe_size><Team_Name>Zoë's &amp; co</Team_Name></participant>");
    else if (type.includes("json")) {
      const body = JSON.parse(text);
      for (const p of body.participants) Object.assign(p, { shoe_size: "42", Team_Name: "Zoë's & co" });
      text = JSON.stringify(body);
    } else {
      const rows = text.split("\r\n");
      text = rows.map((r, i) => (r === "" ? r : i === 0 ? `${r},shoe_size,Team_Name` : `${r},42,Zoë's & co`)).join("\r\n");
    }
    const headers = new Headers(res.headers);
    headers.delete("content-length");
    return new Response(text, { status: res.status, headers });
  });
}

const records = [
  {
    name: "records keep fields the document does not name, as sent, in every format",
    async run(ctx) {
      const zap = await zapLogin(ctx, { fetch: addUnknownFields });
      const want = zapExpect(ctx.fixtures).participants({ eventId: 1002 }).map((p) => ({ ...p, shoe_size: "42", Team_Name: "Zoë's & co" }));
      for (const format of FORMATS) assertRecords(ctx, await zap.participants({ eventId: 1002, format, resultsPerPage: 50 }).toArray(), want, format);
    },
  },
  {
    name: "futureActivitiesOnly on the simulator's clock (set to 2025-06-15), both generations, every format",
    async run(ctx) {
      const sim = zapSim(ctx.simUrl);
      const clock = zapClock(sim);
      const want = zapExpect(ctx.fixtures);
      const today = "2025-06-15";
      try {
        await sim.setClock(Date.UTC(2025, 5, 15, 12) / 1000);
        for (const generation of ["oauth1", "oauth2"]) {
          // Login keys live on the sim clock: log in after moving it.
          const zap = await zapLogin(ctx, { generation });
          for (const format of FORMATS) {
            const nested = format !== "csv";
            for (const id of [1001, 1002, 1005]) {
              const future = (a) => want.isoDate(a.start_date) >= today;
              assertRecords(ctx, [await zap.event(id, { format, futureActivitiesOnly: true })], [want.eventById(id, { activities: nested, questions: nested, activityFilter: future })], `${generation} ${format} event ${id} future only`);
              assertRecords(ctx, [await zap.event(id, { format, futureActivitiesOnly: false })], [want.eventById(id, { activities: nested, questions: nested })], `${generation} ${format} event ${id} all activities`);
            }
          }
        }
      } finally {
        await clock.zero();
      }
    },
  },
  {
    name: "events() filters and sorts, participants() sorts and searches, categories() sort, on both generations",
    async run(ctx) {
      const want = zapExpect(ctx.fixtures);
      const z = ctx.fixtures.zapevent;
      const key = (d) => d.slice(6) + d.slice(0, 2) + d.slice(3, 5);
      for (const generation of ["oauth1", "oauth2"]) {
        const zap = await zapLogin(ctx, { generation });
        const opts = { activities: generation === "oauth1" };
        const check = async (options, filter, what) => assertRecords(ctx, await zap.events({ ...options, format: "json" }).toArray(), want.events(opts, filter), `${generation} events ${what}`);
        await check({ eventType: "conference" }, (e) => e.event_type === "Conference", "eventType");
        await check({ name: "MARATHON" }, (e) => e.name.includes("Marathon"), "name");
        await check({ startDate: "2025-09-01" }, (e) => key(e.end_date) >= "20250901", "startDate ISO");
        await check({ endDate: new Date("2025-07-01T00:00:00Z") }, (e) => key(e.start_date) <= "20250701", "endDate Date");
        await check({ createdSince: "03-01-2025", createdOnOrBefore: "05-01-2025" }, (e) => key(e.created) >= "20250301" && key(e.created) <= "20250501", "created range");
        await check({ state: "qc", country: "Can" }, (e) => e.state === "QC", "state + country");
        if (generation === "oauth1") await check({ eventStatus: "private" }, (e) => e.event_status === "private", "eventStatus");
        const byDate = await zap.events({ sort: "date DESC", format: "xml" }).toArray();
        ctx.assert.deepEqual(byDate.map((e) => e.event_id), [1005, 1002, 1003, 1001], `${generation} events sort date DESC`);
        const byAge = [...z.participants.filter((p) => p.event_id === 1002)].sort((a, b) => b.age - a.age).map(want.participant);
        assertRecords(ctx, await zap.participants({ eventId: 1002, sort: "age desc", format: "csv", resultsPerPage: 250 }).toArray(), byAge, `${generation} participants sort age DESC`);
        const search = (p) => p.last_name.toLowerCase().includes("o'brien") && p.email.includes("mary");
        const found = z.participants.filter((p) => p.event_id === 1001 && search(p)).map(want.participant);
        ctx.assert.ok(found.length > 0, "the search fixture matches someone");
        assertRecords(ctx, await zap.participants({ eventId: 1001, searchLastName: "O'Brien", searchEmail: "mary", format: "xml", resultsPerPage: 250 }).toArray(), found, `${generation} participants search`);
        assertRecords(ctx, await zap.categories({ sort: "category DESC", futureEventCategories: true, resultsPerPage: 250 }).toArray(), want.categories().reverse(), `${generation} categories DESC`);
      }
    },
  },
];

export const apiCases = [...matrix, ...flows, ...oauth2, ...records];
