// Lockless single flight and regression cases of the redesigned TokenSession (issue 9, items 7
// and 5; session/README.md). Plain ES module (no Node imports): cases like cases.mjs's,
// `{name, runtimes, run(ctx)}`, registered in ../suites.mjs (Node). Every case asserts deltas of the
// simulator's counters and puts its clock (and any config it changed) back.
//   (g) 2, 4 and 8 sessions on ONE compare-and-set store without lock(), 50 cycles each
//   (h) 401 across instances: the provider rejects the still-unexpired access token
//   (i) a 60 s token lifetime with the default 60 s skew
//   (j) regressions: fetch rejecting / not a Response, a broken compare-and-set, a refresh answer
//       without refresh_token
import { casStore } from "./cas-store.mjs";
import {
  API, assertAll200, assertEdgeError, burst, delta, drain, genericClient, passwordTokens, recordingStore, snapshot, summarizeErrors, withSim,
} from "./cases.mjs";

/** POST /__sim/config (TTL, rotation) → the effective settings. */
async function simConfig(ctx, body) {
  const res = await fetch(`${ctx.simUrl}/__sim/config`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`POST /__sim/config ${JSON.stringify(body)}: HTTP ${res.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text).effective;
}

/** RFC 7009 revocation of one access token at the generic provider (the basic client's). */
async function revokeAccessToken(ctx, token) {
  const c = ctx.fixtures.generic.clients.basic;
  const form = (s) => encodeURIComponent(s).replace(/%20/g, "+"); // RFC 6749 §2.3.1
  const res = await fetch(`${ctx.simUrl}/oauth2/revoke`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Authorization: `Basic ${btoa(`${form(c.clientId)}:${form(c.clientSecret)}`)}` },
    body: new URLSearchParams({ token, token_type_hint: "access_token" }).toString(),
  });
  await res.text();
  ctx.assert.equal(res.status, 200, "POST /oauth2/revoke");
}

/** Fresh tokens of any lifetime (passwordTokens checks the default one). */
async function freshTokens(ctx, client) {
  const u = ctx.fixtures.generic.user;
  return client.password({ username: u.username, password: u.password });
}

/** A promise that rejects after `ms` (a hang), cleared when `p` settles. */
function bounded(p, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`${what}: no answer within ${ms} ms (hang)`), { hang: true })), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Settles `p`; returns the rejection reason (fails when it resolves or hangs). */
async function rejection(ctx, p, ms, what) {
  try {
    const v = await bounded(p, ms, what);
    if (v && typeof v.text === "function") await v.text().catch(() => {});
  } catch (e) {
    ctx.assert.ok(!e.hang, e.message);
    return e;
  }
  ctx.assert.fail(`${what}: expected a rejection, got a resolved value`);
}

const urlOf = (input) => (typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
const isTokenEndpoint = (input) => /\/oauth2\/token$/.test(urlOf(input));

/**
 * S sessions on one store, `cycles` alternating expired / expiring (inside the 60 s skew window,
 * old token still accepted), `calls` concurrent session.fetch() per session per cycle →
 * exactly 1 refresh grant per cycle.
 */
async function sharedStoreCycles(ctx, { sessions: S, cycles, calls, make, label }) {
  const { assert, pkg } = ctx;
  const ttl = ctx.fixtures.generic.accessTokenTtl;
  await withSim(ctx, async (ctl, clock) => {
    const { store, stats } = make();
    assert.equal(store.lock, undefined, `${label}: the store has no lock()`);
    const seedClient = genericClient(ctx);
    const sessions = Array.from({ length: S }, () => new pkg.TokenSession(genericClient(ctx), { store, now: clock.now }));
    await sessions[0].signIn(await passwordTokens(ctx, seedClient));
    const perCycle = [];
    const problems = [];
    const t0 = Date.now();
    for (let cycle = 0; cycle < cycles; cycle++) {
      const mode = cycle % 2 === 0 ? "expired" : "expiring";
      await clock.advance(mode === "expired" ? ttl + 5 : ttl - 30);
      const before = snapshot(await ctl.counters());
      const outs = await Promise.all(sessions.map((s) => burst(s, `${ctx.simUrl}${API}`, calls)));
      const d = delta(snapshot(await ctl.counters()), before);
      perCycle.push(d.refresh);
      outs.forEach((o, i) => {
        if (o.errors.length) problems.push(`cycle ${cycle} (${mode}) session ${i}: rejected calls: ${summarizeErrors(o.errors)}`);
        const bad = o.statuses.filter((s) => s !== 200);
        if (bad.length) problems.push(`cycle ${cycle} (${mode}) session ${i}: statuses ${JSON.stringify(bad)}`);
      });
      if (d.refresh !== 1) problems.push(`cycle ${cycle} (${mode}): ${d.refresh} refresh_token grants, expected exactly 1`);
      if (d.invalidGrant !== 0) problems.push(`cycle ${cycle} (${mode}): ${d.invalidGrant} invalid_grant`);
      if (d.familiesRevoked !== 0) problems.push(`cycle ${cycle} (${mode}): ${d.familiesRevoked} families revoked`);
      if (d.apiUnauthorized !== 0) problems.push(`cycle ${cycle} (${mode}): ${d.apiUnauthorized} API 401s`);
      if (d.apiOk !== S * calls) problems.push(`cycle ${cycle} (${mode}): ${d.apiOk} API calls accepted, expected ${S * calls}`);
      if (problems.length > 10) break;
    }
    ctx.log?.(`${label}: ${S} sessions × ${calls} calls, ${perCycle.length} cycles in ${Date.now() - t0} ms; refreshes per cycle ${JSON.stringify(perCycle)}; store ${JSON.stringify(stats ?? {})}`);
    assert.equal(problems.length, 0, `${label}, ${S} sessions:\n  ${problems.slice(0, 12).join("\n  ")}`);
    if (stats) assert.equal(stats.tokenWrites, 1 + cycles, "new tokens written: the signIn + exactly one per cycle");
    for (const [i, s] of sessions.entries()) assert.equal(s.state(), "valid", `session ${i} ends valid`);
    const stored = await store.load();
    assert.equal(stored.tokens.refreshLease ?? null, null, "no refresh lease left in the record");
    // The stored refresh token is the live one: the provider rotates it (no invalid_grant).
    const before = snapshot(await ctl.counters());
    const final = await seedClient.refresh(stored.tokens.refreshToken);
    assert.ok(final.refreshToken, "the stored refresh token is live");
    assert.equal(delta(snapshot(await ctl.counters()), before).invalidGrant, 0, "invalid_grant of the final check");
  });
}

/**
 * Four sessions whose access token the provider rejects while unexpired: concurrently (every
 * session's calls hit the 401) and one after another (the later sessions re-load and use the
 * token the first one got) → exactly 1 refresh per round, every call 200.
 */
async function rejectedAcrossInstances(ctx, { make, label }) {
  const { assert, pkg } = ctx;
  const S = 4;
  const CALLS = 3;
  await withSim(ctx, async (ctl, clock) => {
    const { store } = make();
    const client = genericClient(ctx);
    const sessions = Array.from({ length: S }, () => new pkg.TokenSession(genericClient(ctx), { store, now: clock.now }));
    await sessions[0].signIn(await passwordTokens(ctx, client));
    for (const s of sessions) assert.equal((await s.fetch(`${ctx.simUrl}${API}`).then(drain)).status, 200, "warm-up call (every session holds the token)");
    const perRound = [];
    for (let round = 0; round < 3; round++) {
      const rejected = (await store.load()).tokens.accessToken;
      await revokeAccessToken(ctx, rejected);
      const before = snapshot(await ctl.counters());
      const outs = await Promise.all(sessions.map((s) => burst(s, `${ctx.simUrl}${API}`, CALLS)));
      const d = delta(snapshot(await ctl.counters()), before);
      perRound.push({ refresh: d.refresh, unauthorized: d.apiUnauthorized });
      outs.forEach((o, i) => assertAll200(ctx, o, CALLS, `${label}, concurrent round ${round}, session ${i}`));
      assert.equal(d.refresh, 1, `${label}, concurrent round ${round}: refresh_token grants after the provider rejected the token of ${S} sessions`);
      assert.equal(d.invalidGrant, 0, `${label}, concurrent round ${round}: invalid_grant`);
      assert.equal(d.familiesRevoked, 0, `${label}, concurrent round ${round}: families revoked`);
      assert.ok(d.apiUnauthorized >= 1 && d.apiUnauthorized <= S * CALLS, `${label}, concurrent round ${round}: API 401s ${d.apiUnauthorized}`);
      assert.equal(d.apiOk, S * CALLS, `${label}, concurrent round ${round}: API calls accepted`);
      assert.notEqual((await store.load()).tokens.accessToken, rejected, "the store holds a new access token");
    }
    // One after another: session 0 refreshes; 1..3 get one 401 each, re-load, use its token.
    const rejected = (await store.load()).tokens.accessToken;
    await revokeAccessToken(ctx, rejected);
    const before = snapshot(await ctl.counters());
    for (const [i, s] of sessions.entries()) {
      assert.equal((await s.fetch(`${ctx.simUrl}${API}`).then(drain)).status, 200, `${label}, sequential: session ${i}`);
      const d = delta(snapshot(await ctl.counters()), before);
      assert.equal(d.refresh, 1, `${label}, sequential: refresh_token grants after session ${i} (a later session must use the stored new token)`);
    }
    const d = delta(snapshot(await ctl.counters()), before);
    assert.equal(d.apiUnauthorized, S, `${label}, sequential: one 401 per session`);
    assert.equal(d.apiOk, S, `${label}, sequential: API calls accepted`);
    assert.equal(d.invalidGrant, 0, `${label}, sequential: invalid_grant`);
    ctx.log?.(`(h) ${label}: concurrent rounds ${JSON.stringify(perRound)}; sequential ${JSON.stringify({ refresh: d.refresh, unauthorized: d.apiUnauthorized })}`);
  });
}

/**
 * A 60 s access-token lifetime with the default 60 s skew: due after half of it (30 s) in every
 * instance. Per expiry: +10 s (not due: 0 grants), then +55 s (expired) or +25 s (due, still
 * accepted) → exactly 1 grant, whatever the number of sessions and calls.
 */
async function shortLifetime(ctx, { make, label }) {
  const { assert, pkg } = ctx;
  const S = 4;
  const CALLS = 4;
  const EXPIRIES = 10;
  await withSim(ctx, async (ctl, clock) => {
    const effective = await simConfig(ctx, { provider: "generic", accessTokenTtl: 60 });
    assert.equal(effective.generic.accessTokenTtl, 60, "sim: generic access-token TTL");
    try {
      const { store } = make();
      const client = genericClient(ctx);
      const tokens = await freshTokens(ctx, client);
      assert.ok(Math.abs(tokens.expiresAt - (Date.now() + 60_000)) < 5000, `expiresAt ${tokens.expiresAt} ≈ now + 60 s`);
      const sessions = Array.from({ length: S }, () => new pkg.TokenSession(genericClient(ctx), { store, now: clock.now }));
      await sessions[0].signIn(tokens);
      const round = async (what, expected) => {
        const before = snapshot(await ctl.counters());
        const outs = await Promise.all(sessions.map((s) => burst(s, `${ctx.simUrl}${API}`, CALLS)));
        const d = delta(snapshot(await ctl.counters()), before);
        outs.forEach((o, i) => assertAll200(ctx, o, CALLS, `${label}, ${what}, session ${i}`));
        assert.equal(d.refresh, expected, `${label}, ${what}: refresh_token grants (${S} sessions × ${CALLS} calls)`);
        assert.equal(d.invalidGrant, 0, `${label}, ${what}: invalid_grant`);
        assert.equal(d.apiUnauthorized, 0, `${label}, ${what}: API 401s`);
        return d.refresh;
      };
      await round("first calls (fresh token)", 0);
      const next = sessions[1].nextRefreshAt();
      assert.ok(typeof next === "number" && Math.abs(next - (tokens.expiresAt - 30_000)) < 5000, `nextRefreshAt ${next} ≈ half the lifetime (${tokens.expiresAt - 30_000}), not expiresAt − skew`);
      let grants = 0;
      for (let i = 0; i < EXPIRIES; i++) {
        const mode = i % 2 === 0 ? "expired" : "due, unexpired";
        await clock.advance(10);
        await round(`expiry ${i}: 10 s after the last refresh`, 0);
        await clock.advance(mode === "expired" ? 55 : 25);
        grants += await round(`expiry ${i} (${mode})`, 1);
      }
      assert.equal(grants, EXPIRIES, "1 refresh per expiry");
      ctx.log?.(`(i) ${label}: ${EXPIRIES} expiries of a 60 s token, ${S} sessions × ${CALLS} calls: ${grants} refresh grants`);
    } finally {
      await simConfig(ctx, { provider: "generic", accessTokenTtl: null }).catch(() => {});
    }
  });
}

const memoryWithLock = (ctx) => () => ({ store: ctx.pkg.memoryStore(), stats: null });
const lockless = (seed) => () => casStore({ delayMs: 2, seed });

export const locklessCases = [
  ...[2, 4, 8].map((S) => ({
    name: `(g) ${S} TokenSessions on one compare-and-set store without lock(), 50 cycles (expired / expiring): exactly 1 refresh per cycle, all 200`,
    runtimes: ["node"],
    run: (ctx) => sharedStoreCycles(ctx, { sessions: S, cycles: 50, calls: 5, make: lockless(S), label: "(g) casStore (no lock)" }),
  })),
  {
    name: "(h) 401 across instances, memoryStore (with lock()): 4 sessions, the provider rejects the unexpired token → exactly 1 refresh, all 200",
    runtimes: ["node"],
    run: (ctx) => rejectedAcrossInstances(ctx, { make: memoryWithLock(ctx), label: "memoryStore (lock)" }),
  },
  {
    name: "(h) 401 across instances, casStore (no lock): 4 sessions, the provider rejects the unexpired token → exactly 1 refresh, all 200",
    runtimes: ["node"],
    run: (ctx) => rejectedAcrossInstances(ctx, { make: lockless(41), label: "casStore (no lock)" }),
  },
  {
    name: "(i) 60 s access-token lifetime, default 60 s skew, 4 sessions on memoryStore: 1 refresh per expiry (10 expiries), none in between",
    runtimes: ["node"],
    run: (ctx) => shortLifetime(ctx, { make: memoryWithLock(ctx), label: "memoryStore (lock)" }),
  },
  {
    name: "(i) 60 s access-token lifetime, default 60 s skew, 4 sessions on casStore (no lock): 1 refresh per expiry (10 expiries), none in between",
    runtimes: ["node"],
    run: (ctx) => shortLifetime(ctx, { make: lockless(61), label: "casStore (no lock)" }),
  },
  {
    name: "(j) a fetch whose token request rejects with a custom Error: NETWORK, error.cause is that very error (session fetch and client fetch)",
    runtimes: ["node"],
    async run(ctx) {
      const { assert, pkg } = ctx;
      class CustomTransportError extends Error {}
      await withSim(ctx, async (ctl, clock) => {
        for (const where of ["session", "client"]) {
          const boom = new CustomTransportError(`custom transport failure (${where})`);
          let tokenCalls = 0;
          const fetchFn = (input, init) => {
            if (isTokenEndpoint(input)) {
              tokenCalls++;
              return Promise.reject(boom);
            }
            return fetch(input, init);
          };
          const tokens = await passwordTokens(ctx, genericClient(ctx), clock);
          const client = genericClient(ctx, "basic", where === "client" ? { fetch: fetchFn } : {});
          const session = new pkg.TokenSession(client, {
            store: pkg.memoryStore(),
            now: clock.now,
            retry: { maxAttempts: 2, baseMs: 1, maxMs: 5 },
            ...(where === "session" ? { fetch: fetchFn } : {}),
          });
          await session.signIn(tokens);
          await clock.advance(ctx.fixtures.generic.accessTokenTtl + 5);
          const before = snapshot(await ctl.counters());
          const err = await rejection(ctx, session.fetch(`${ctx.simUrl}${API}`), 5000, `${where} fetch: session.fetch()`);
          assertEdgeError(ctx, err, "NETWORK", `${where} fetch rejecting: session.fetch()`);
          assert.ok(err.cause === boom, `${where} fetch: error.cause is the very error the fetch rejected with (got ${err.cause && err.cause.name}: ${err.cause && err.cause.message})`);
          assert.equal(tokenCalls, 2, `${where} fetch: token requests (a transport failure is retried: maxAttempts 2)`);
          assert.notEqual(session.state(), "needs_reauth", `${where} fetch: a transport failure is not a lost session`);
          const d = delta(snapshot(await ctl.counters()), before);
          assert.equal(d.refresh + d.invalidGrant + d.apiOk + d.apiUnauthorized, 0, `${where} fetch: nothing reached the simulator`);
          if (where === "client") {
            const direct = await rejection(ctx, client.refresh(tokens.refreshToken), 5000, "client.refresh()");
            assertEdgeError(ctx, direct, "NETWORK", "client.refresh() with the rejecting fetch");
            assert.ok(direct.cause === boom, "client.refresh(): error.cause is the very error");
          }
          await clock.zero();
        }
      });
    },
  },
  {
    name: "(j) a fetch resolving to something that is not a Response: INVALID_ARGUMENT, the fetch called exactly once (refresh and API call)",
    runtimes: ["node"],
    async run(ctx) {
      const { assert, pkg } = ctx;
      await withSim(ctx, async (ctl, clock) => {
        const fake = () => ({ status: 200, ok: true, headers: new Headers(), json: async () => ({}), text: async () => "{}" });
        // Refresh request answered by a non-Response.
        let tokenCalls = 0;
        const session = new pkg.TokenSession(genericClient(ctx), {
          store: pkg.memoryStore(),
          now: clock.now,
          retry: { baseMs: 1, maxMs: 5 },
          fetch: (input, init) => (isTokenEndpoint(input) ? (tokenCalls++, Promise.resolve(fake())) : fetch(input, init)),
        });
        await session.signIn(await passwordTokens(ctx, genericClient(ctx)));
        await clock.advance(ctx.fixtures.generic.accessTokenTtl + 5);
        const before = snapshot(await ctl.counters());
        const err = await rejection(ctx, session.fetch(`${ctx.simUrl}${API}`), 5000, "refresh via a non-Response fetch");
        assertEdgeError(ctx, err, "INVALID_ARGUMENT", "refresh answered by a non-Response");
        assert.equal(tokenCalls, 1, "the token request was sent once (an INVALID_ARGUMENT is not retried)");
        assert.notEqual(session.state(), "needs_reauth", "not a lost session");
        // API call answered by a non-Response (fresh token, no refresh involved).
        await clock.zero();
        let apiCalls = 0;
        const apiSession = new pkg.TokenSession(genericClient(ctx), {
          store: pkg.memoryStore(),
          now: clock.now,
          retry: { baseMs: 1, maxMs: 5 },
          fetch: (input, init) => (isTokenEndpoint(input) ? fetch(input, init) : (apiCalls++, Promise.resolve(fake()))),
        });
        await apiSession.signIn(await passwordTokens(ctx, genericClient(ctx)));
        const apiErr = await rejection(ctx, apiSession.fetch(`${ctx.simUrl}${API}`), 5000, "API call via a non-Response fetch");
        assertEdgeError(ctx, apiErr, "INVALID_ARGUMENT", "API call answered by a non-Response");
        assert.equal(apiCalls, 1, "the API request was sent once");
        const d = delta(snapshot(await ctl.counters()), before);
        assert.equal(d.refresh, 0, "no refresh reached the simulator");
      });
    },
  },
  {
    name: "(j) a store whose save() always resolves null (broken compare-and-set): STORE_CONFLICT reaches the caller, bounded, no refresh without a won lease",
    runtimes: ["node"],
    async run(ctx) {
      const { assert, pkg } = ctx;
      await withSim(ctx, async (ctl, clock) => {
        const client = genericClient(ctx);
        const tokens = await passwordTokens(ctx, client);
        for (const withLock of [false, true]) {
          const what = withLock ? "with lock()" : "without lock()";
          const broken = (record) => {
            const s = { loads: 0, saves: 0 };
            const store = {
              load: async () => (s.loads++, record && structuredClone(record)),
              save: async () => (s.saves++, null),
              ...(withLock ? { lock: (_name, fn) => fn() } : {}),
            };
            return { store, s };
          };
          // signIn: nothing can be written.
          const empty = broken(null);
          const fresh = new pkg.TokenSession(client, { store: empty.store, now: clock.now });
          const t0 = Date.now();
          const signErr = await rejection(ctx, fresh.signIn(tokens), 5000, `${what}: signIn`);
          assertEdgeError(ctx, signErr, "STORE_CONFLICT", `${what}: signIn on a store whose save() never wins`);
          assert.ok(empty.s.saves >= 1 && empty.s.saves <= 10, `${what}: signIn save() calls ${empty.s.saves} (bounded)`);
          // A stored, unexpired token: usable without any write.
          const stored = broken({ tokens: { ...tokens, obtainedAt: clock.now() }, version: "1" });
          const session = new pkg.TokenSession(client, { store: stored.store, now: clock.now });
          const ok = await bounded(session.fetch(`${ctx.simUrl}${API}`).then(drain), 5000, `${what}: call with a fresh stored token`);
          assert.equal(ok.status, 200, `${what}: a fresh stored token needs no write`);
          // Expired: the lease claim never wins → STORE_CONFLICT, twice, without looping.
          await clock.advance(ctx.fixtures.generic.accessTokenTtl + 5);
          const before = snapshot(await ctl.counters());
          const savesBefore = stored.s.saves;
          for (let i = 0; i < 2; i++) {
            const err = await rejection(ctx, session.fetch(`${ctx.simUrl}${API}`), 5000, `${what}: expired call ${i}`);
            assertEdgeError(ctx, err, "STORE_CONFLICT", `${what}: expired call ${i} on a store whose save() never wins`);
          }
          const saves = stored.s.saves - savesBefore;
          assert.ok(saves >= 1 && saves <= 20, `${what}: save() calls for two rejected calls: ${saves} (bounded)`);
          await new Promise((r) => setTimeout(r, 300));
          assert.equal(stored.s.saves - savesBefore, saves, `${what}: no save() after the callers were rejected (no background loop)`);
          assert.notEqual(session.state(), "needs_reauth", `${what}: not a lost session`);
          const d = delta(snapshot(await ctl.counters()), before);
          assert.equal(d.refresh, 0, `${what}: refresh grants without a won lease`);
          assert.equal(d.invalidGrant, 0, `${what}: invalid_grant`);
          ctx.log?.(`(j) broken CAS ${what}: signIn ${empty.s.saves} saves; expired calls ${saves} saves, ${stored.s.loads} loads; ${Date.now() - t0} ms`);
          await clock.zero();
        }
      });
    },
  },
  {
    name: "(j) a refresh answer without refresh_token (provider does not rotate): the store keeps the old refresh token, later refreshes work",
    runtimes: ["node"],
    async run(ctx) {
      const { assert, pkg } = ctx;
      await withSim(ctx, async (ctl, clock) => {
        const effective = await simConfig(ctx, { provider: "generic", rotateRefreshTokens: false });
        assert.equal(effective.generic.rotateRefreshTokens, false, "sim: generic does not rotate");
        try {
          const client = genericClient(ctx);
          const tokens = await passwordTokens(ctx, client);
          const rec = recordingStore(pkg.memoryStore());
          const session = new pkg.TokenSession(client, { store: rec.store, now: clock.now });
          await session.signIn(tokens);
          const before = snapshot(await ctl.counters());
          let access = tokens.accessToken;
          for (let i = 0; i < 3; i++) {
            await clock.advance(ctx.fixtures.generic.accessTokenTtl + 5);
            const r = await session.fetch(`${ctx.simUrl}${API}`).then(drain);
            assert.equal(r.status, 200, `expiry ${i}: call`);
            const stored = (await rec.store.load()).tokens;
            assert.equal(stored.refreshToken, tokens.refreshToken, `expiry ${i}: the store keeps the old refresh token`);
            assert.notEqual(stored.accessToken, access, `expiry ${i}: the store holds the new access token`);
            access = stored.accessToken;
          }
          const d = delta(snapshot(await ctl.counters()), before);
          assert.equal(d.refresh, 3, "refresh grants");
          assert.equal(d.invalidGrant, 0, "invalid_grant");
          assert.equal(rec.saves.length, 4, "saves: the signIn + one per refresh");
          assert.ok(rec.saves.every((t) => t.refreshToken === tokens.refreshToken), "every saved record carries the one refresh token");
        } finally {
          await simConfig(ctx, { provider: "generic", rotateRefreshTokens: null }).catch(() => {});
        }
      });
    },
  },
];

