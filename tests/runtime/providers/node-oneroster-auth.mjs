// Node-only OneRoster cases (3/3): credentials and errors of the three ways in — the OAuth 1.0a
// header (HMAC-SHA256 / HMAC-SHA1, signed afresh on a 429 retry), the ClassLink proxy's
// console token, the 1.2 client-credentials token across expiries on the sim clock (one grant
// per expiry, shared by concurrent calls) and its scopes, imsx errors, validation before any
// request, a Link to another origin, and no secret in any error. Registered by node.test.mjs.
import { MODES, PROVIDER, apiCount, grants, oneRosterClient, providerSim, rosterCalls } from "./cases.mjs";
import { clientOf, expectError, outcome, withSim } from "./node-kit.mjs";

/** A fetch that records [url, headers] of every call. */
function recording() {
  const calls = [];
  const fetchFn = (input, init = {}) => {
    calls.push([String(input), new Headers(init.headers)]);
    return fetch(input, init);
  };
  return { calls, fetch: fetchFn };
}

const grantsOf = (c) => grants(c, "oneroster", "client_credentials");

export const authCases = [
  {
    name: "OneRoster 1.1 direct: two-legged OAuth 1.0a in the Authorization header, HMAC-SHA256 by default and HMAC-SHA1 on request; a 429 is retried signed afresh; a wrong secret is INVALID_CREDENTIALS",
    async run(ctx) {
      const { assert } = ctx;
      await withSim(ctx, async (sim) => {
        for (const signatureMethod of [undefined, "HMAC-SHA1"]) {
          const rec = recording();
          const client = oneRosterClient(ctx, "direct", { fetch: rec.fetch, ...(signatureMethod ? { signatureMethod } : {}) });
          await sim.faults([{ path: "/ims/oneroster/v1p1/schools$", kind: "429", retryAfter: 0, times: 1 }]);
          const before = await sim.counters();
          const schools = await client.list("schools", { resultsPerPage: 500 }).toArray();
          const after = await sim.counters();
          assert.equal(schools.length, 20, "schools");
          assert.equal(rec.calls.length, 2, "the 429 and the retry");
          const auth = rec.calls.map(([, h]) => h.get("authorization") ?? "");
          for (const a of auth) {
            assert.match(a, new RegExp(`^OAuth .*oauth_signature_method="${signatureMethod ?? "HMAC-SHA256"}"`), "Authorization: OAuth …");
            assert.ok(!/oauth_token=/.test(a), "two-legged: no oauth_token");
          }
          const nonce = (a) => /oauth_nonce="([^"]+)"/.exec(a)?.[1];
          assert.notEqual(nonce(auth[0]), nonce(auth[1]), "the retry has a fresh nonce");
          assert.ok(rec.calls.every(([u]) => !/oauth_/.test(new URL(u).search)), "nothing OAuth in the query");
          assert.equal(after.oauth1.accepted - before.oauth1.accepted, 1, "the retry verified");
          assert.equal(after.faults_injected - before.faults_injected, 1, "one 429 injected");
        }
        await sim.clearFaults();
        const wrong = "WRONG-consumer-secret-9f8e7d";
        const bad = oneRosterClient(ctx, "direct", { clientSecret: wrong });
        const before = await sim.counters();
        await expectError(ctx, () => bad.list("users"), { code: "INVALID_CREDENTIALS", providerCode: "unauthorisedrequest", status: 401, provider: "oneroster" }, "wrong secret", [wrong]);
        await expectError(ctx, () => bad.get("users", ctx.fixtures.oneroster.ids.student), { code: "INVALID_CREDENTIALS", status: 401 }, "wrong secret (get)", [wrong]);
        const after = await sim.counters();
        assert.equal(after.oauth1.signature_invalid - before.oauth1.signature_invalid, 2, "signature_invalid at the server, no retry");
      });
    },
  },
  {
    name: "OneRoster: a baseUrl that already ends in the version path (with a trailing slash) is used as is (1.1 direct, 1.2)",
    async run(ctx) {
      const { assert } = ctx;
      const paths = ctx.fixtures.oneroster.paths;
      for (const [mode, path] of [["direct", paths.v1p1], ["v1p2", paths.v1p2]]) {
        const rec = recording();
        const client = oneRosterClient(ctx, mode, { baseUrl: `${ctx.simUrl}${path}/`, fetch: rec.fetch });
        assert.equal((await client.list("terms").toArray()).length, 2, `${mode}: terms`);
        assert.equal(new URL(rec.calls.at(-1)[0]).pathname, `${path}/terms`, `${mode}: the path`);
      }
    },
  },
  {
    name: "ClassLink proxy: Bearer console token; a wrong token → INVALID_CREDENTIALS 'renew it in the ClassLink developer console' after one request; another app's token → PERMISSION_DENIED; an unknown app → NOT_FOUND",
    async run(ctx) {
      const { assert, fixtures } = ctx;
      const cl = fixtures.classlink;
      const sim = providerSim(ctx.simUrl);
      const rec = recording();
      await oneRosterClient(ctx, "proxy", { fetch: rec.fetch }).list("terms").toArray();
      assert.deepEqual(rec.calls.map(([u, h]) => [new URL(u).pathname, h.get("authorization")]), [[`/classlink-proxy/${cl.appId}/ims/oneroster/v1p1/terms`, `Bearer ${cl.accessToken}`]], "the proxy URL and the Bearer header");
      const wrong = "cl-WRONG-token-0123456789abcdef";
      const before = await sim.counters();
      const err = await expectError(ctx, () => oneRosterClient(ctx, "proxy", { accessToken: wrong }).list("users"), { code: "INVALID_CREDENTIALS", providerCode: "unauthorisedrequest", status: 401, provider: "classlink" }, "wrong token", [wrong]);
      assert.match(err.message, /renew it in the ClassLink developer console/, "the console message");
      const after = await sim.counters();
      assert.equal(apiCount(after, "classlink", "unauthorized") - apiCount(before, "classlink", "unauthorized"), 1, "one 401, no retry");
      await expectError(ctx, () => oneRosterClient(ctx, "proxy", { accessToken: cl.otherAccessToken }).list("users"), { code: "PERMISSION_DENIED", providerCode: "forbidden", status: 403, provider: "classlink" }, "another app's token");
      await expectError(ctx, () => oneRosterClient(ctx, "proxy", { appId: "app-unknown" }).get("users", fixtures.oneroster.ids.student), { code: "NOT_FOUND", providerCode: "unknownobject", status: 404, provider: "classlink" }, "unknown app");
    },
  },
  {
    name: "OneRoster 1.2: client-credentials token on the sim clock — one grant for 20 concurrent first calls, exactly one new grant per expiry (due, within the 60 s skew, or rejected by the server → one 401 retry), shared by concurrent calls",
    async run(ctx) {
      const { assert } = ctx;
      const { student } = ctx.fixtures.oneroster.ids;
      await withSim(ctx, async (sim, clock) => {
        const client = oneRosterClient(ctx, "v1p2", { now: clock.now });
        const burst = (n) => Promise.all(Array.from({ length: n }, (_, i) => (i % 2 ? client.get("users", student) : client.list("schools", { maxItems: 3 }).toArray())));
        const step = async (what, n, move) => {
          if (move) await move();
          const before = await sim.counters();
          const results = await burst(n);
          const after = await sim.counters();
          assert.equal(results.length, n, `${what}: calls`);
          return { grants: grantsOf(after) - grantsOf(before), unauthorized: apiCount(after, "oneroster", "unauthorized") - apiCount(before, "oneroster", "unauthorized") };
        };
        assert.deepEqual(await step("first use", 20), { grants: 1, unauthorized: 0 }, "first use: one grant for 20 calls");
        assert.deepEqual(await step("valid", 10), { grants: 0, unauthorized: 0 }, "a valid token is reused");
        assert.deepEqual(await step("expired", 20, () => clock.advance(3600 + 5)), { grants: 1, unauthorized: 0 }, "expired by the SDK's clock: one grant, no 401");
        assert.deepEqual(await step("within the skew", 10, () => clock.advance(3600 - 30)), { grants: 1, unauthorized: 0 }, "30 s before expiry (skew 60 s): renewed before use");
        // The server's clock only: the SDK still thinks the token is good, the server says 401.
        const serverOnly = async () => {
          await sim.advance(3600 + 5);
        };
        assert.deepEqual(await step("rejected by the server", 20, serverOnly), { grants: 1, unauthorized: 20 }, "401s: one grant, each call retried once");
        // (The SDK's clock stays behind the sim's from here: by it, the new token is fresh.)
        assert.deepEqual(await step("after the retry", 5), { grants: 0, unauthorized: 0 }, "the new token is kept");
        const after = await sim.counters();
        assert.ok(rosterCalls(after, "v1p2") > 0, "1.2 calls counted");
      });
    },
  },
  {
    name: "OneRoster 1.2 scopes: the core client asking for the demographics scope is refused at the token endpoint (OAUTH_INVALID_SCOPE); a wrong client secret is OAUTH_INVALID_CLIENT",
    async run(ctx) {
      const { assert, fixtures } = ctx;
      const or = fixtures.oneroster;
      const core = or.oauth2.clients.core;
      await expectError(ctx, () => oneRosterClient(ctx, "v1p2", { client: "core", scope: [or.oauth2.scopes.core, or.oauth2.scopes.demographics] }).list("users"), { code: "OAUTH_INVALID_SCOPE", providerCode: "invalid_scope", status: 400 }, "core client asks for demographics");
      const wrong = "WRONG-1p2-secret-a1b2c3";
      await expectError(ctx, () => oneRosterClient(ctx, "v1p2", { client: "core", clientSecret: wrong }).list("users"), { code: "OAUTH_INVALID_CLIENT", providerCode: "invalid_client", status: 401 }, "wrong client secret", [wrong, core.clientSecret]);
      // The core client's token reads every core collection.
      assert.equal((await oneRosterClient(ctx, "v1p2", { client: "core" }).list("terms").toArray()).length, 2, "core scope: terms");
    },
  },
  {
    name: "OneRoster 1.2 core-scoped token on demographics: the server's 403 insufficient_scope (codeMinor unauthorisedrequest) is PERMISSION_DENIED",
    async run(ctx) {
      const { assert } = ctx;
      const sim = providerSim(ctx.simUrl);
      const client = oneRosterClient(ctx, "v1p2", { client: "core" });
      await client.list("terms").toArray(); // the token, first
      const before = await sim.counters();
      const err = await outcome(() => client.list("demographics"));
      const after = await sim.counters();
      assert.equal(grantsOf(after) - grantsOf(before), 0, "a 403 asks for no new token");
      assert.equal(rosterCalls(after, "v1p2", "demographics") - rosterCalls(before, "v1p2", "demographics"), 1, "one request, no retry");
      await expectError(ctx, () => Promise.reject(err), { code: "PERMISSION_DENIED", providerCode: "unauthorisedrequest", status: 403, provider: "oneroster" }, "core scope on demographics");
      assert.ok(!/HTTP 401/.test(err.message), `the message must not say HTTP 401 for a 403: ${err.message}`);
    },
  },
  {
    name: "OneRoster imsx errors in each way in: an unknown id → NOT_FOUND unknownobject (the id travels percent-encoded: '/', space, 𝒜)",
    async run(ctx) {
      const { assert } = ctx;
      for (const mode of MODES) {
        const client = clientOf(ctx, mode);
        const provider = mode === "proxy" ? "classlink" : "oneroster";
        for (const id of ["no-such-user", "a/b c 𝒜?#%"]) {
          const err = await expectError(ctx, () => client.get("users", id), { code: "NOT_FOUND", providerCode: "unknownobject", status: 404, provider }, `${mode}: get users ${id}`);
          assert.ok((err.providerDescription ?? "").includes(`sourcedId ${id} `), `${mode}: the server saw the id as one segment (${err.providerDescription})`);
        }
        await expectError(ctx, () => client.list("classes", { parent: ["courses", "no/such"] }), { code: "NOT_FOUND", providerCode: "unknownobject", status: 404, provider }, `${mode}: unknown parent`);
      }
    },
  },
  {
    name: "OneRoster validation before any request: collections, parents, options, cursors, factories (INVALID_ARGUMENT, INSECURE_URL)",
    async run(ctx) {
      const { assert, pkg, fixtures } = ctx;
      const or = fixtures.oneroster;
      const sim = providerSim(ctx.simUrl);
      const client = oneRosterClient(ctx, "direct");
      const before = await sim.counters();
      const bad = [
        ["unknown collection", () => client.list("pupils")],
        ["get: unknown collection", () => client.get("pupils", "x")],
        ["get: empty id", () => client.get("users", "")],
        ["parent not a pair", () => client.list("classes", { parent: "schools" })],
        ["a nesting OneRoster does not define", () => client.list("enrollments", { parent: ["courses", or.ids.course] })],
        ["orderBy DESC", () => client.list("users", { orderBy: "DESC" })],
        ["resultsPerPage 0", () => client.list("users", { resultsPerPage: 0 })],
        ["resultsPerPage 10001", () => client.list("users", { resultsPerPage: 10001 })],
        ["resultsPerPage 2.5", () => client.list("users", { resultsPerPage: 2.5 })],
        ["empty filter", () => client.list("users", { filter: "" })],
        ["fields not strings", () => client.list("users", { fields: [1] })],
        ["maxItems -1", () => client.list("users", { maxItems: -1 })],
        ["a foreign cursor", () => client.list("users", { cursor: "page=2" })],
        ["page and cursor", () => client.list("users", { page: 2, cursor: "pg1.2.100.100" })],
        ["signal not an AbortSignal", () => client.list("users", { signal: {} })],
        ["direct: PLAINTEXT", () => oneRosterClient(ctx, "direct", { signatureMethod: "PLAINTEXT" })],
        ["direct: no clientSecret", () => pkg.OneRoster.direct({ baseUrl: `${ctx.simUrl}/oneroster`, clientId: or.consumerKey })],
        ["proxy: no appId", () => pkg.OneRoster.classLinkProxy({ baseUrl: `${ctx.simUrl}/classlink-proxy`, accessToken: "t" })],
        ["1.2: scope not strings", () => oneRosterClient(ctx, "v1p2", { scope: [1] })],
        ["1.2: no tokenUrl", () => pkg.OneRoster.v1p2({ baseUrl: `${ctx.simUrl}/oneroster`, clientId: "a", clientSecret: "b" })],
      ];
      for (const [what, fn] of bad) await expectError(ctx, fn, { code: "INVALID_ARGUMENT" }, what);
      for (const [what, fn] of [
        ["direct over http to another host", () => oneRosterClient(ctx, "direct", { baseUrl: "http://district.example/oneroster" })],
        ["1.2 token over http to another host", () => oneRosterClient(ctx, "v1p2", { tokenUrl: "http://district.example/token" })],
      ]) await expectError(ctx, fn, { code: "INSECURE_URL" }, what);
      const aborted = await outcome(() => client.list("users", { signal: AbortSignal.abort() }));
      assert.equal(aborted?.code, "ABORTED", "a pre-aborted signal");
      const after = await sim.counters();
      assert.equal(after.requests - before.requests, 1, "nothing was sent (the one request counted is the counters call)");
    },
  },
  {
    name: "OneRoster: a Link rel=next to another origin is not followed — the run fails (PARSE), the credentials never leave the API's origin (in each way in)",
    async run(ctx) {
      const { assert } = ctx;
      for (const mode of MODES) {
        const { seen, client } = crossOriginLinks(ctx, mode);
        const err = await outcome(() => client.list("users", { resultsPerPage: 100 }));
        assert.ok(err, `${mode}: the run must fail, not stop silently or follow the link`);
        assert.equal(err.code, "PARSE", `${mode}: code (${err.message})`);
        const api = seen.filter((u) => !u.pathname.endsWith("/oauth/token"));
        assert.ok(api.length === 1 && seen.every((u) => u.origin === ctx.simUrl), `${mode}: one API request, to the API's origin only (${seen})`);
      }
    },
  },
  {
    name: "the ClassLink proxy's refused cross-origin Link error names provider \"classlink\", as its other errors do",
    async run(ctx) {
      const { client } = crossOriginLinks(ctx, "proxy");
      const err = await outcome(() => client.list("users", { resultsPerPage: 100 }));
      ctx.assert.equal(err?.provider, "classlink", `provider of "${err && err.message}"`);
    },
  },
  {
    name: "OneRoster 1.1 direct and ClassLink proxy: one 429 or 503 is retried (backoff, Retry-After 0) and the run completes; five in a row → RATE_LIMITED with the status",
    async run(ctx) {
      const { assert } = ctx;
      await withSim(ctx, async (sim) => {
        for (const mode of ["direct", "proxy"]) {
          for (const kind of ["429", "503"]) {
            const what = `${mode} ${kind}`;
            await sim.faults([{ path: "/v1p1/terms$", kind, retryAfter: 0, times: 1 }]);
            assert.equal((await clientOf(ctx, mode).list("terms").toArray()).length, 2, `${what} once: retried`);
            await sim.faults([{ path: "/v1p1/terms$", kind, retryAfter: 0, times: 5 }]);
            await expectError(ctx, () => clientOf(ctx, mode).list("terms"), { code: "RATE_LIMITED", status: Number(kind) }, `${what} ×5`);
            await sim.clearFaults();
          }
        }
      });
    },
  },
  {
    name: "RATE_LIMITED after the bounded 429/503 retries of 1.1 direct and the ClassLink proxy carries the provider",
    async run(ctx) {
      await withSim(ctx, async (sim) => {
        for (const mode of ["direct", "proxy"]) {
          await sim.faults([{ path: "/v1p1/terms$", kind: "429", retryAfter: 0, times: 5 }]);
          const err = await outcome(() => clientOf(ctx, mode).list("terms"));
          ctx.assert.equal(err?.code, "RATE_LIMITED", `${mode}: code`);
          ctx.assert.equal(err.provider, PROVIDER[mode], `${mode}: provider of "${err.message}"`);
        }
      });
    },
  },
  {
    name: "OneRoster 1.2 retries a 429/503 like 1.1 direct and the proxy, then RATE_LIMITED",
    async run(ctx) {
      const { assert } = ctx;
      await withSim(ctx, async (sim) => {
        const client = clientOf(ctx, "v1p2");
        await client.list("terms").toArray(); // the token, first
        const outcomes = [];
        for (const kind of ["429", "503"]) {
          await sim.faults([{ path: "/v1p2/terms$", kind, retryAfter: 0, times: 1 }]);
          const once = await outcome(() => client.list("terms"));
          await sim.faults([{ path: "/v1p2/terms$", kind, retryAfter: 0, times: 5 }]);
          const five = await outcome(() => client.list("terms"));
          await sim.clearFaults();
          outcomes.push(`${kind} once → ${once ? once.code : "ok"}, ×5 → ${five ? five.code : "ok"}`);
        }
        assert.deepEqual(outcomes, ["429 once → ok, ×5 → RATE_LIMITED", "503 once → ok, ×5 → RATE_LIMITED"], "like the other ways in");
      });
    },
  },
];

/** A client of `mode` whose fetch moves every Link URL to another origin (127.0.0.2); `seen`: the URLs fetched. */
function crossOriginLinks(ctx, mode) {
  const seen = [];
  const evil = async (input, init) => {
    seen.push(new URL(String(input)));
    const res = await fetch(input, init);
    const headers = new Headers(res.headers);
    const link = headers.get("link");
    if (link) headers.set("link", link.replace(/http:\/\/127\.0\.0\.1:\d+/g, "http://127.0.0.2:9"));
    return new Response(await res.arrayBuffer(), { status: res.status, headers });
  };
  return { seen, client: oneRosterClient(ctx, mode, { fetch: evil }) };
}
