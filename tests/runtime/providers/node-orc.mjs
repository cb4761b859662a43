// Node-only Online Registration Center cases: the 10,000-attendee module 4103 across an
// access-token expiry (sim clock and the session's `now` moved together), the request's shape
// (raw Basic, the token in the form body, redirect "manual"), a token the server rejects,
// concurrent rosters, the refused export template, unknown modules, the slash-less redirect,
// and no secret in any error. Registered by node.test.mjs.
import { apiCount, grants, orcAttendee, orcSession, providerSim } from "./cases.mjs";
import { assertRecords, expectError, withSim } from "./node-kit.mjs";

const refreshes = (c) => grants(c, "orc", "refresh_token");
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

/** A fetch that records every call's url, method, redirect mode, headers and form body. */
function recording(rewrite = (u) => u) {
  const calls = [];
  const fetchFn = (input, init = {}) => {
    calls.push({ url: String(input), method: init.method, redirect: init.redirect, headers: new Headers(init.headers), body: init.body == null ? null : typeof init.body === "string" ? init.body : new TextDecoder().decode(init.body) });
    return fetch(rewrite(String(input)), init);
  };
  return { calls, fetch: fetchFn };
}

export const orcCases = [
  {
    name: "ORC module 4103: 10,000 attendees typed (module_id a number where sent as a string, ISO start_date and trxdate, astral and emoji names intact), across an access-token expiry: exactly one refresh, the rotated refresh token stored",
    async run(ctx) {
      const { assert, pkg, fixtures } = ctx;
      const big = fixtures.orc.largeModule;
      const want = fixtures.orc.attendees[big.moduleId].map(orcAttendee);
      assert.equal(want.length, 10000, "fixture size");
      assert.equal(typeof fixtures.orc.attendees[big.moduleId][9].module_id, "string", "fixture: attendee 9 sends module_id as a string");
      await withSim(ctx, async (sim, clock) => {
        await sim.ttl("orc", 3600); // access tokens live 1 h, the refresh token 24 h
        const { session, store, issued, client } = await orcSession(ctx, { now: clock.now });
        const secrets = [issued.access_token, issued.refresh_token];
        let before = await sim.counters();
        const first = await pkg.OnlineRegistrationCenter.roster(session, { moduleId: big.moduleId });
        assertRecords(ctx, first, want, "roster 4103");
        assert.ok(first.every((a) => a.module_id === 4103), "module_id is the number 4103 everywhere");
        assert.ok(first.every((a) => ISO_DATE.test(a.start_date) && ISO_DATE_TIME.test(a.trxdate)), "ISO dates");
        assert.equal(first[big.astralIndex].fname, "𝒜manda", "astral fname");
        assert.equal(first[big.emojiIndex].lname, "Lee 🏊", "emoji lname");
        assert.equal(refreshes(await sim.counters()) - refreshes(before), 0, "no refresh while the token is valid");

        await clock.advance(3600 + 5);
        before = await sim.counters();
        const second = await pkg.OnlineRegistrationCenter.roster(session, { moduleId: big.moduleId, exportId: 77 });
        let after = await sim.counters();
        assertRecords(ctx, second, want, "roster 4103 after the expiry");
        assert.equal(refreshes(after) - refreshes(before), 1, "exactly one refresh grant");
        assert.equal(apiCount(after, "orc", "unauthorized") - apiCount(before, "orc", "unauthorized"), 0, "refreshed before use, no 401");
        const stored = (await store.load()).tokens;
        assert.notEqual(stored.refreshToken, issued.refresh_token, "the rotated refresh token (access_refresh_token) is stored");
        assert.notEqual(stored.accessToken, issued.access_token, "a new access token");
        assert.ok(Math.abs(stored.expiresAt - (clock.now() + 3_600_000)) < 10_000, "expires_in read as hours (1 h)");
        secrets.push(stored.accessToken, stored.refreshToken);

        before = await sim.counters();
        assert.equal((await pkg.OnlineRegistrationCenter.roster(session, { moduleId: 4102 })).length, 5, "module 4102");
        after = await sim.counters();
        assert.equal(refreshes(after) - refreshes(before), 0, "the new token is used as is");
        // The server rotated too: the console's refresh token is spent.
        await expectError(ctx, () => client.refresh(issued.refresh_token), { code: "OAUTH_INVALID_GRANT", providerCode: "invalid_grant" }, "reusing the rotated-out refresh token", secrets);
      });
    },
  },
  {
    name: "ORC roster request: POST /orc/roster/ with raw Basic, the access token in the form body (no Bearer), redirect 'manual'; a token the server rejects → one refresh, one retry; concurrent rosters on an expired token share one refresh",
    async run(ctx) {
      const { assert, pkg, fixtures } = ctx;
      await withSim(ctx, async (sim, clock) => {
        await sim.ttl("orc", 3600);
        const rec = recording();
        const { session, issued } = await orcSession(ctx, { now: clock.now, fetch: rec.fetch });
        await pkg.OnlineRegistrationCenter.roster(session, { moduleId: 4101, exportId: 77 });
        const [call] = rec.calls;
        assert.equal(rec.calls.length, 1, "one request");
        assert.deepEqual([new URL(call.url).pathname, call.method, call.redirect], ["/orc/roster/", "POST", "manual"], "POST /orc/roster/, not followed");
        assert.equal(call.headers.get("authorization"), `Basic ${btoa(`${fixtures.orc.clientId}:${fixtures.orc.clientSecret}`)}`, "raw Basic (not form-encoded)");
        assert.deepEqual(Object.fromEntries(new URLSearchParams(call.body)), { module_id: "4101", export_id: "77", access_token: issued.access_token }, "the form body");

        // The sim's clock only: the session still thinks its token is good.
        await sim.advance(3600 + 5);
        let before = await sim.counters();
        assert.equal((await pkg.OnlineRegistrationCenter.roster(session, { moduleId: 4101 })).length, 42, "roster after a 401");
        let after = await sim.counters();
        assert.equal(refreshes(after) - refreshes(before), 1, "one refresh after the 401");
        assert.equal(apiCount(after, "orc", "unauthorized") - apiCount(before, "orc", "unauthorized"), 1, "one 401, then the retry");
        const tokenRequest = rec.calls.find((c) => c.url.endsWith("/orc/token/"));
        assert.equal(tokenRequest?.headers.get("authorization"), call.headers.get("authorization"), "the refresh uses the same raw Basic");

        await clock.advance(0); // the session's clock catches up: its token is past due
        await clock.advance(3600 + 5);
        before = await sim.counters();
        const rosters = await Promise.all(Array.from({ length: 5 }, () => pkg.OnlineRegistrationCenter.roster(session, { moduleId: 4102 })));
        after = await sim.counters();
        assert.deepEqual(rosters.map((r) => r.length), [5, 5, 5, 5, 5], "five rosters");
        assert.equal(refreshes(after) - refreshes(before), 1, "one shared refresh");
      });
    },
  },
  {
    name: "ORC errors: export_id 78 → INVALID_ARGUMENT with the provider's message; unknown export, unknown module → NOT_FOUND; bad moduleId → INVALID_ARGUMENT before any request; a wrong client secret",
    async run(ctx) {
      const { assert, pkg, fixtures } = ctx;
      const { session, issued } = await orcSession(ctx);
      const secrets = [issued.access_token, issued.refresh_token];
      const roster = (opts) => () => pkg.OnlineRegistrationCenter.roster(session, opts);
      const refused = await expectError(ctx, roster({ moduleId: 4101, exportId: 78 }), { code: "INVALID_ARGUMENT", providerCode: "invalid_request", status: 400, provider: "orc" }, "export 78", secrets);
      assert.equal(refused.providerDescription, 'only "Registration Data" export templates are accepted', "the provider's error_description");
      await expectError(ctx, roster({ moduleId: 4101, exportId: 99 }), { code: "NOT_FOUND", status: 404, provider: "orc" }, "unknown export", secrets);
      await expectError(ctx, roster({ moduleId: 9999 }), { code: "NOT_FOUND", status: 404, provider: "orc" }, "unknown module", secrets);
      for (const [what, opts] of [["no moduleId", {}], ["moduleId a string", { moduleId: "4101" }], ["moduleId -1", { moduleId: -1 }], ["exportId 7.5", { moduleId: 4101, exportId: 7.5 }]]) {
        await expectError(ctx, roster(opts), { code: "INVALID_ARGUMENT" }, what, secrets);
      }
      const wrong = "WRONG-orc-secret+/=abc";
      const badClient = pkg.OAuth2Client.onlineRegistrationCenter({ baseUrl: `${ctx.simUrl}/orc`, clientId: fixtures.orc.clientId, clientSecret: wrong });
      const badSession = new pkg.TokenSession(badClient, { store: pkg.memoryStore() });
      await badSession.signIn({ accessToken: issued.access_token, refreshToken: issued.refresh_token, tokenType: "Bearer", expiresAt: Date.now() + 3_600_000, scope: null });
      const e = await expectError(ctx, () => pkg.OnlineRegistrationCenter.roster(badSession, { moduleId: 4101 }), { code: "OAUTH_INVALID_CLIENT", provider: "orc" }, "wrong client secret", [...secrets, wrong]);
      assert.equal(e.status, 401, "status");
    },
  },
  {
    name: "ORC: the slash-less /orc/roster answers 301 — refused as PROVIDER_ERROR, never followed as a GET",
    async run(ctx) {
      const { assert, pkg } = ctx;
      const sim = providerSim(ctx.simUrl);
      const rec = recording((u) => u.replace("/orc/roster/", "/orc/roster"));
      const { session, issued } = await orcSession(ctx, { fetch: rec.fetch });
      const before = await sim.counters();
      const err = await expectError(ctx, () => pkg.OnlineRegistrationCenter.roster(session, { moduleId: 4101 }), { code: "PROVIDER_ERROR", status: 301, provider: "orc" }, "301", [issued.access_token, issued.refresh_token]);
      const after = await sim.counters();
      assert.match(err.message, /redirect/i, "the message says it was a redirect");
      assert.deepEqual(rec.calls.map((c) => [c.method, c.redirect]), [["POST", "manual"]], "one POST, redirect manual");
      assert.equal(after.requests - before.requests, 2, "the POST and the counters call: no GET after the 301");
    },
  },
];
