// Node-only ZapEvent cases (3/3): every documented error code end to end (code, providerCode,
// status, provider), validation before any request, and that no error carries a secret.
// Registered by node.test.mjs.
import { FORMATS, WIRE, assertZapError, calls, zapBase, zapClock, zapLogin, zapOAuth1, zapOAuth2, zapSim } from "./cases.mjs";
import { clientOf } from "./node-api.mjs";
import { outcome } from "../assert.mjs";

/**
 * A fetch that rewrites the URLs containing `only` (the Login keys are query parameters, not
 * signed, so the request stays authenticated).
 */
const rewriting = (from, to, only = "/event/") => (input, init) => fetch(String(input).includes(only) ? String(input).replace(from, to) : input, init);


const ERR = {
  3: { code: "INVALID_ARGUMENT", providerCode: "3", status: 400 },
  6: { code: "INVALID_CREDENTIALS", providerCode: "6", status: 401 },
  7: { code: "PERMISSION_DENIED", providerCode: "7", status: 403 },
  10: { code: "INVALID_ARGUMENT", providerCode: "10", status: 400 },
  12: { code: "PROVIDER_ERROR", providerCode: "12", status: 400 },
  101: { code: "INVALID_CREDENTIALS", providerCode: "101", status: 401 },
  102: { code: "INVALID_CREDENTIALS", providerCode: "102", status: 401 },
  201: { code: "NOT_FOUND", providerCode: "201", status: 404 },
  301: { code: "NOT_FOUND", providerCode: "301", status: 404 },
};

async function expectError(ctx, fn, n, what) {
  const err = await outcome(fn);
  ctx.assert.ok(err, `${what}: expected ZapEvent error ${n}`);
  assertZapError(ctx, err, ERR[n], `${what} (error ${n})`);
  return err;
}

/** Every string of an error and its causes that a user could log. */
function errorTexts(err) {
  const out = [];
  for (let e = err, depth = 0; e && depth < 5; e = e.cause, depth++) {
    out.push(String(e), e.message, e.stack, e.providerDescription);
    try {
      out.push(JSON.stringify(e, Object.getOwnPropertyNames(e)));
    } catch {
      /* cyclic: the fields above cover it */
    }
  }
  return out.filter((t) => typeof t === "string");
}

export const errorCases = [
  {
    name: "documented error codes end to end: 3, 6, 7, 10, 101, 102, 201, 301 with code, providerCode, status and provider, in every format",
    async run(ctx) {
      const { assert } = ctx;
      const z = ctx.fixtures.zapevent;
      const sim = zapSim(ctx.simUrl);
      for (const kind of ["OAuth 1 access token", "OAuth 2 session", "Login (oauth1 generation)", "Login (oauth2 generation)"]) {
        const zap = await clientOf(ctx, kind);
        for (const format of FORMATS) {
          const w = `${kind} ${format}`;
          // 3: values the SDK lets through (signed ids) but the API's uint rejects.
          // (A CSV error body is only `error_code,error_msg`: no parameter names to report.)
          const e3 = await expectError(ctx, () => zap.questions({ eventId: -1, format }), 3, `${w} questions eventId -1`);
          assert.deepEqual(e3.invalidParams, format === "csv" ? undefined : ["event_id"], `${w}: invalidParams from <param_invalid>`);
          const e3b = await expectError(ctx, () => zap.participants({ eventId: 1001, afterRegistrationId: -5, format }), 3, `${w} afterRegistrationId -5`);
          assert.deepEqual(e3b.invalidParams, format === "csv" ? undefined : ["after_registration_id"], `${w}: invalidParams`);
          await expectError(ctx, () => zap.event(1004, { format }), 7, `${w} event 1004`);
          await expectError(ctx, () => zap.participants({ eventId: 1004, format }), 7, `${w} participants of 1004`);
          await expectError(ctx, () => zap.questions({ activityId: 2005, format }), 7, `${w} questions of activity 2005`);
          await expectError(ctx, () => zap.event(9999, { format }), 201, `${w} event 9999`);
          await expectError(ctx, () => zap.participants({ eventId: 9999, format }), 201, `${w} participants of 9999`);
          await expectError(ctx, () => zap.participants({ eventId: 1001, activityId: 2003, format }), 301, `${w} activity 2003 of event 1001`);
          await expectError(ctx, () => zap.questions({ activityId: 2999, format }), 301, `${w} questions of activity 2999`);
        }
      }
      for (const generation of ["oauth1", "oauth2"]) {
        for (const format of FORMATS) {
          const w = `login ${generation} ${format}`;
          // 3 with <param_missing>: the Login keys are plain query parameters, so a fetch that
          // drops event_id reaches the API with everything else intact.
          const drop = await zapLogin(ctx, { generation, fetch: rewriting("event_id=1001", "x=1") });
          const e3 = await expectError(ctx, () => drop.participants({ eventId: 1001, format }), 3, `${w} event_id dropped on the way`);
          assert.deepEqual(e3.missingParams, format === "csv" ? undefined : ["event_id"], `${w}: missingParams from <param_missing>`);
          // 10: a format the API does not serve (the SDK refuses to send one itself).
          const yaml = await zapLogin(ctx, { generation, fetch: rewriting(`format=${format}`, "format=yaml") });
          const e10 = await expectError(ctx, () => yaml.categories({ format }), 10, `${w} format=yaml`);
          assert.deepEqual(e10.invalidParams, ["format"], `${w}: error 10 names the format`);
        }
      }
      // 10 on the Login method itself (csv: the SDK refuses loginFormat "csv", so the wire is rewritten).
      await expectError(ctx, () => zapLogin(ctx, { fetch: rewriting("format=xml", "format=csv", "/rest/login") }), 10, "login format=csv");
      // 6: a wrong token, a wrong token secret, expired Login keys.
      await expectError(ctx, () => zapOAuth1(ctx, { token: "0".repeat(32) }).event(1001), 6, "unknown token");
      await expectError(ctx, () => zapOAuth1(ctx, { tokenSecret: "WRONG", signatureMethod: "PLAINTEXT", placement: "query" }).events().toArray(), 6, "wrong token secret");
      const clock = zapClock(sim);
      try {
        const short = await zapLogin(ctx, { generation: "oauth2" });
        await clock.advance(z.tmpSessionTtl + 1);
        await expectError(ctx, () => short.categories({ format: "csv" }), 6, "expired Login keys");
      } finally {
        await clock.zero();
      }
      for (const loginFormat of ["xml", "json"]) {
        await expectError(ctx, () => zapLogin(ctx, { loginFormat, username: "nobody@example.org" }), 101, `login ${loginFormat} unknown user`);
        await expectError(ctx, () => zapLogin(ctx, { loginFormat, password: "wrong-password" }), 102, `login ${loginFormat} wrong password`);
      }
    },
  },
  {
    name: "errors of ZapEvent.oauth1Flow are ZapEvent errors (12 out of order → PROVIDER_ERROR, 6 → INVALID_CREDENTIALS, provider zapevent)",
    async run(ctx) {
      const z = ctx.fixtures.zapevent;
      const flow = ctx.pkg.ZapEvent.oauth1Flow({ baseUrl: zapBase(ctx), consumerKey: z.consumerKey, consumerSecret: z.consumerSecret });
      const pending = await flow.start({ callback: "oob" });
      const finish = (verifier) => flow.finish({ requestToken: pending.requestToken, requestTokenSecret: pending.requestTokenSecret, verifier });
      const problems = [];
      const check = async (fn, n, what) => {
        const err = await outcome(fn);
        try {
          assertZapError(ctx, err, ERR[n], what);
        } catch (e) {
          problems.push(`${what}: got ${err && err.code} providerCode ${err && err.providerCode} provider ${err && err.provider} status ${err && err.status}`);
        }
      };
      await check(() => finish("0".repeat(32)), 12, "AccessToken before the user authorized (12)");
      const shown = new URLSearchParams(await (await fetch(pending.authorizationUrl)).text());
      await check(() => finish("0".repeat(32)), 6, "AccessToken with a wrong verifier (6)");
      await finish(shown.get("oauth_verifier"));
      await check(() => finish(shown.get("oauth_verifier")), 6, "a used request token (6)");
      const bad = ctx.pkg.ZapEvent.oauth1Flow({ baseUrl: zapBase(ctx), consumerKey: z.consumerKey, consumerSecret: "WRONG" });
      await check(() => bad.start({ callback: "oob" }), 6, "RequestToken with a wrong consumer secret (6)");
      if (problems.length) ctx.assert.fail(`the flow's errors are not typed as ZapEvent errors:\n  ${problems.join("\n  ")}`);
    },
  },
  {
    name: "the `paths` option reaches the API methods (getnewquestion spelling; a path without its parameter → error 3 param_missing)",
    async run(ctx) {
      const { assert } = ctx;
      const log = [];
      const spy = (input, init) => (log.push(new URL(String(input)).pathname), fetch(input, init));
      const zap = await zapLogin(ctx, { generation: "oauth2", fetch: spy, paths: { questions: "/event/getnewquestion" } });
      await zap.questions({ eventId: 1001 }).toArray();
      assert.equal(log.at(-1), "/zapevent/api/event/getnewquestion", "questions() used paths.questions");
      const wrong = await zapLogin(ctx, { paths: { events: "/event/getevent" } });
      const err = await expectError(ctx, () => wrong.events(), 3, "events() sent to getevent (no event_id)");
      assert.deepEqual(err.missingParams, ["event_id"], "missingParams");
    },
  },
  {
    name: "validation happens before any request: INVALID_ARGUMENT (INSECURE_URL for http), nothing sent",
    async run(ctx) {
      const { assert } = ctx;
      const sim = zapSim(ctx.simUrl);
      const sent = [];
      const spy = (input, init) => (sent.push(String(input)), fetch(input, init));
      const zap = zapOAuth1(ctx, { fetch: spy });
      const login = await zapLogin(ctx, { fetch: spy });
      const { zap: zap2 } = await zapOAuth2(ctx);
      sent.length = 0;
      const before = await sim.counters();
      const bad = validationTable(ctx, { zap, login, zap2, spy });
      for (const [label, , fn, code = "INVALID_ARGUMENT"] of bad) {
        const err = await outcome(fn);
        assert.ok(err, `${label}: expected a validation error`);
        assertZapError(ctx, err, { code }, label);
      }
      const after = await sim.counters();
      assert.deepEqual(sent, [], "nothing went through the fetch option");
      assert.equal(after.requests - before.requests, 1, "the simulator saw no request but the counters read");
      assert.equal(calls(after, "oauth1", "total") + calls(after, "oauth2", "total"), calls(before, "oauth1", "total") + calls(before, "oauth2", "total"), "no API call");
    },
  },
  {
    name: "every validation error names its option in the message and in invalidParams",
    async run(ctx) {
      const zap = zapOAuth1(ctx);
      const login = await zapLogin(ctx);
      const { zap: zap2 } = await zapOAuth2(ctx);
      const offenders = [];
      for (const [label, option, fn, code] of validationTable(ctx, { zap, login, zap2 })) {
        if (code) continue; // INSECURE_URL: a policy refusal, not a malformed option
        const err = await outcome(fn);
        if (!err || !String(err.message).includes(option) || !(err.invalidParams || []).includes(option)) {
          offenders.push(`${label}: message ${JSON.stringify(err && err.message)}, invalidParams ${JSON.stringify(err && err.invalidParams)}`);
        }
      }
      if (offenders.length) ctx.assert.fail(`${offenders.length} validation errors do not name their option:\n  ${offenders.join("\n  ")}`);
    },
  },
  {
    name: "ZapEvent.oauth1 with placement 'body' is refused when created (every API method is a GET), while oauth1Flow accepts it",
    async run(ctx) {
      let created;
      const err = await outcome(() => {
        created = zapOAuth1(ctx, { placement: "body" });
      });
      if (!err) {
        const callErr = await outcome(() => created.event(1001));
        ctx.assert.fail(`ZapEvent.oauth1({placement: "body"}) was accepted; event() then rejects with ${callErr && callErr.code}: ${callErr && callErr.message}`);
      }
      assertZapError(ctx, err, { code: "INVALID_ARGUMENT" }, "placement body");
      ctx.assert.match(err.message, /placement/, "the message names the option");
      const z = ctx.fixtures.zapevent;
      const flow = ctx.pkg.ZapEvent.oauth1Flow({ baseUrl: zapBase(ctx), consumerKey: z.consumerKey, consumerSecret: z.consumerSecret, placement: "body" });
      ctx.assert.match((await flow.start({ callback: "oob" })).authorizationUrl, /oauth_token=/, "oauth1Flow in the body");
    },
  },
  {
    name: "no error message, stack, String(err), field or cause carries the password, tmp_secret, consumer/token secrets, client secret or OAuth 2 tokens",
    async run(ctx) {
      const { assert } = ctx;
      const z = ctx.fixtures.zapevent;
      const sim = zapSim(ctx.simUrl);
      const secrets = new Map([
        ["password", z.user.password],
        ["consumer secret", z.consumerSecret],
        ["token secret", z.accessToken.tokenSecret],
        ["client secret", z.oauth2.clientSecret],
        ["wrong password", "zap-SENTINEL-pw-9f8e7d"],
        ["wrong token secret", "ZAP-SENTINEL-TS-1A2B3C"],
        ["wrong consumer secret", "ZAP-SENTINEL-CS-4D5E6F"],
      ]);
      const errors = [];
      const collect = async (what, fn) => {
        const err = await outcome(fn);
        assert.ok(err instanceof ctx.pkg.OAuthEdgeError, `${what}: expected an OAuthEdgeError, got ${err}`);
        errors.push([what, err]);
      };
      // Login method: capture tmp_secret from the wire to use it as a sentinel.
      const spy = async (input, init) => {
        const res = await fetch(input, init);
        if (String(input).includes("/rest/login") && res.status === 200) secrets.set("tmp_secret", /<tmp_secret>([^<]+)</.exec(await res.clone().text())[1]);
        return res;
      };
      const login = await zapLogin(ctx, { fetch: spy });
      assert.ok(secrets.get("tmp_secret"), "tmp_secret captured");
      for (const loginFormat of ["xml", "json"]) {
        await collect(`login 102 ${loginFormat}`, () => zapLogin(ctx, { loginFormat, password: secrets.get("wrong password") }));
        await collect(`login 101 ${loginFormat}`, () => zapLogin(ctx, { loginFormat, username: "nobody@example.org" }));
      }
      await collect("login csv refused", () => zapLogin(ctx, { loginFormat: "csv" }));
      const pt = zapOAuth1(ctx, { signatureMethod: "PLAINTEXT", placement: "query" }); // both secrets in the URL
      const { zap: zap2, store } = await zapOAuth2(ctx);
      const { tokens } = await store.load();
      secrets.set("access token", tokens.accessToken).set("refresh token", tokens.refreshToken);
      for (const [name, zap] of [["login", login], ["PLAINTEXT query", pt], ["oauth2", zap2]]) {
        for (const format of FORMATS) {
          await collect(`${name} ${format} 7`, () => zap.participants({ eventId: 1004, format }));
          await collect(`${name} ${format} 201`, () => zap.event(9999, { format }));
          await collect(`${name} ${format} 3`, () => zap.questions({ questionId: -3, format }));
        }
        await collect(`${name} validation`, () => zap.participants({ eventId: 1001, resultsPerPage: 999 }));
        for (const kind of ["drop", "truncate", "503"]) {
          try {
            await sim.faults([{ path: "/zapevent/api/event/", kind, times: 4, retryAfter: 0 }]);
            await collect(`${name} ${kind}`, () => zap.categories({ format: "json" }));
          } finally {
            await sim.clearFaults();
          }
        }
      }
      await collect("wrong token secret", () => zapOAuth1(ctx, { tokenSecret: secrets.get("wrong token secret"), signatureMethod: "PLAINTEXT", placement: "query" }).event(1001));
      const badFlow = ctx.pkg.ZapEvent.oauth1Flow({ baseUrl: zapBase(ctx), consumerKey: z.consumerKey, consumerSecret: secrets.get("wrong consumer secret"), signatureMethod: "PLAINTEXT", placement: "query" });
      await collect("flow start, wrong consumer secret", () => badFlow.start({ callback: "oob" }));
      const flow = ctx.pkg.ZapEvent.oauth1Flow({ baseUrl: zapBase(ctx), consumerKey: z.consumerKey, consumerSecret: z.consumerSecret, signatureMethod: "PLAINTEXT", placement: "query" });
      const pending = await flow.start({ callback: "oob" });
      secrets.set("request token secret", pending.requestTokenSecret);
      await collect("flow finish out of order", () => flow.finish({ requestToken: pending.requestToken, requestTokenSecret: pending.requestTokenSecret, verifier: "x" }));
      const client = ctx.pkg.OAuth2Client.zapEvent({ baseUrl: zapBase(ctx), clientId: z.oauth2.clientId, clientSecret: z.oauth2.clientSecret });
      await collect("refresh with the access token as refresh token", () => client.refresh(tokens.accessToken));
      const wrongClient = ctx.pkg.OAuth2Client.zapEvent({ baseUrl: zapBase(ctx), clientId: z.oauth2.clientId, clientSecret: secrets.get("wrong consumer secret") });
      await collect("refresh with a wrong client secret", () => wrongClient.refresh(tokens.refreshToken));
      // A host whose fetch errors quote the request URL (Deno's do): a failure of a request
      // with credentials in its URL must not keep that host error as `cause`.
      let quoting = false;
      const quotingFetch = async (input, init) => {
        if (quoting) throw new TypeError(`error sending request for url (${input})`);
        const res = await fetch(input, init);
        if (String(input).includes("/rest/login") && res.status === 200) secrets.set("tmp_secret (2)", /<tmp_secret>([^<]+)</.exec(await res.clone().text())[1]);
        return res;
      };
      const quotingLogin = await zapLogin(ctx, { fetch: quotingFetch });
      const quotingPt = zapOAuth1(ctx, { signatureMethod: "PLAINTEXT", placement: "query", fetch: quotingFetch });
      const quotingFlow = ctx.pkg.ZapEvent.oauth1Flow({ baseUrl: zapBase(ctx), consumerKey: z.consumerKey, consumerSecret: z.consumerSecret, signatureMethod: "PLAINTEXT", placement: "query", fetch: quotingFetch });
      const quotingSigner = new ctx.pkg.OAuth1Signer({ consumerKey: z.consumerKey, consumerSecret: z.consumerSecret, token: z.accessToken.token, tokenSecret: z.accessToken.tokenSecret, signatureMethod: "PLAINTEXT", placement: "query", fetch: quotingFetch });
      quoting = true;
      await collect("login, a fetch error quoting the URL", () => quotingLogin.categories().toArray());
      await collect("PLAINTEXT query, a fetch error quoting the URL", () => quotingPt.event(1001));
      await collect("flow, PLAINTEXT query, a fetch error quoting the URL", () => quotingFlow.start({ callback: "oob" }));
      await collect("OAuth1Signer.fetch, PLAINTEXT query, a fetch error quoting the URL", () => quotingSigner.fetch(`${zapBase(ctx)}/event/getevents`));
      const quoted = errors.slice(-4).map(([, e]) => [e.code, e.cause]);
      assert.deepEqual(quoted, Array(4).fill(["NETWORK", undefined]), "no host error kept as cause");
      const leaks = [];
      for (const [what, err] of errors) {
        for (const text of errorTexts(err)) for (const [name, secret] of secrets) if (secret && text.includes(secret)) leaks.push(`${what}: ${name}`);
      }
      assert.deepEqual([...new Set(leaks)], [], "secrets in errors");
      assert.ok(errors.length > 40, `errors examined: ${errors.length}`);
    },
  },
];

/**
 * Bad options, each refused before anything is sent: [label, the option it must name, call,
 * expected code]. `spy` (optional) is a fetch that must stay unused.
 */
function validationTable(ctx, { zap, login, zap2, spy }) {
  const z = ctx.fixtures.zapevent;
  const base = zapBase(ctx);
  const creds = { baseUrl: base, consumerKey: z.consumerKey, consumerSecret: z.consumerSecret, token: z.accessToken.token, tokenSecret: z.accessToken.tokenSecret, ...(spy ? { fetch: spy } : {}) };
  const loginOpts = { baseUrl: base, username: z.user.username, password: z.user.password, ...(spy ? { fetch: spy } : {}) };
  const p = (extra) => () => zap.participants({ eventId: 1001, ...extra });
  return [
    ["participants without eventId", "eventId", () => zap.participants({})],
    ["eventId 1.5", "eventId", p({ eventId: 1.5 })],
    ["eventId -1 (uint)", "eventId", p({ eventId: -1 })],
    ["eventId 'abc'", "eventId", () => login.participants({ eventId: "abc" })],
    ["resultsPerPage 251", "resultsPerPage", p({ resultsPerPage: 251 })],
    ["resultsPerPage -1", "resultsPerPage", p({ resultsPerPage: -1 })],
    ["resultsPerPage '10'", "resultsPerPage", p({ resultsPerPage: "10" })],
    ["page 0", "page", p({ page: 0 })],
    ["maxItems -1", "maxItems", p({ maxItems: -1 })],
    ["cursor garbage", "cursor", p({ cursor: "garbage" })],
    ["cursor and page", "cursor", p({ cursor: "pg1.2.10.10", page: 2 })],
    ["sort field", "sort", p({ sort: "email ASC" })],
    ["sort order", "sort", p({ sort: "age UP" })],
    ["unknown option", "bogus", p({ bogus: 1 })],
    ["format yaml", "format", p({ format: "yaml" })],
    ["signal not an AbortSignal", "signal", p({ signal: {} })],
    ["onProgress not a function", "onProgress", p({ onProgress: 1 })],
    ["empty search", "searchFirstName", p({ searchFirstName: "" })],
    ["afterRegistrationId 1.5", "afterRegistrationId", p({ afterRegistrationId: 1.5 })],
    ["startDate month 13", "startDate", () => zap.events({ startDate: "2025-13-01" })],
    ["startDate Feb 30", "startDate", () => zap.events({ startDate: "02-30-2025" })],
    ["startDate invalid Date", "startDate", () => zap.events({ startDate: new Date("nope") })],
    ["eventType not in the document", "eventType", () => zap.events({ eventType: "Chess" })],
    ["eventStatus value", "eventStatus", () => zap.events({ eventStatus: "hidden" })],
    ["eventStatus on OAuth 2", "eventStatus", () => zap2.events({ eventStatus: "public" })],
    ["activities not a boolean", "activities", () => zap2.events({ activities: "T" })],
    ["futureEventCategories not a boolean", "futureEventCategories", () => zap.categories({ futureEventCategories: "maybe" })],
    ["questions without an id", "eventId", () => zap2.questions({})],
    ["event() without an id", "eventId", () => zap.event()],
    ["event() unknown option", "bogus", () => zap.event(1001, { bogus: 1 })],
    ["futureActivitiesOnly not a boolean", "futureActivitiesOnly", () => zap.event(1001, { futureActivitiesOnly: "T" })],
    ["event() format", "format", () => zap2.event(1001, { format: "pdf" })],
    ["login empty username", "username", () => ctx.pkg.ZapEvent.login({ ...loginOpts, username: "" })],
    ["login empty password", "password", () => ctx.pkg.ZapEvent.login({ ...loginOpts, password: "" })],
    ["login without password", "password", () => ctx.pkg.ZapEvent.login({ ...loginOpts, password: undefined })],
    ["loginFormat csv", "loginFormat", () => ctx.pkg.ZapEvent.login({ ...loginOpts, loginFormat: "csv" })],
    ["generation", "generation", () => ctx.pkg.ZapEvent.login({ ...loginOpts, generation: "oauth3" })],
    ["HMAC-SHA256", "signatureMethod", () => ctx.pkg.ZapEvent.oauth1({ ...creds, signatureMethod: "HMAC-SHA256" })],
    ["flow HMAC-SHA256", "signatureMethod", () => ctx.pkg.ZapEvent.oauth1Flow({ ...creds, signatureMethod: "HMAC-SHA256" })],
    ["oauth1 without token", "token", () => ctx.pkg.ZapEvent.oauth1({ ...creds, token: undefined, tokenSecret: undefined })],
    ["placement cookie", "placement", () => ctx.pkg.ZapEvent.oauth1({ ...creds, placement: "cookie" })],
    ["placement body on GET methods", "placement", () => ctx.pkg.ZapEvent.oauth1({ ...creds, placement: "body" })],
    ["paths unknown key", "paths", () => ctx.pkg.ZapEvent.oauth1({ ...creds, paths: { bogus: "/x" } })],
    ["paths not a path", "paths", () => ctx.pkg.ZapEvent.oauth1({ ...creds, paths: { events: "event/getevents" } })],
    ["factory format", "format", () => ctx.pkg.ZapEvent.oauth1({ ...creds, format: "yaml" })],
    ["baseUrl not a URL", "baseUrl", () => ctx.pkg.ZapEvent.oauth1({ ...creds, baseUrl: "not a url" })],
    ["baseUrl http to a public host", "baseUrl", () => ctx.pkg.ZapEvent.oauth1({ ...creds, baseUrl: "http://www.zapevent.com/api" }), "INSECURE_URL"],
  ];
}
