// TokenSession runtime cases (issue 4, item 5), shared by the session suites of every runtime
// (registered in ../suites.mjs, which every runtime harness runs). Plain ES
// module importing only ../sim-control.mjs: each case is
// `async (ctx) => void`, where
//   ctx = { pkg, simUrl, fixtures, assert, runtime, concurrency }
//   concurrency  N of scenario (a) in this runtime (1,000 in Node)
// A case may list `runtimes` (default: all). Cases run one after another against one simulator:
// they assert on DELTAS of its counters, and every case puts the sim clock back to offset 0 when
// it starts and when it ends (the session under test gets the same offset through `now`).
//
// Expiry without waiting: a session's clock is `now = () => Date.now() + offsetMs` and the
// simulator's clock is moved by the same amount (POST /__sim/clock {advance}) — sim first, then
// the session, so a token issued in between can only look older to the session than to the sim.

export const API = "/oauth2/api/me";

import { simControl } from "../sim-control.mjs";

export { simControl };

/** The counters a session case asserts on (generic provider). */
export function snapshot(c) {
  const g = c.grants?.generic ?? {};
  const api = c.api_by_provider?.generic ?? {};
  return {
    refresh: g.refresh_token ?? 0,
    password: g.password ?? 0,
    code: g.authorization_code ?? 0,
    invalidGrant: c.invalid_grant ?? 0,
    familiesRevoked: c.families_revoked ?? 0,
    apiOk: api.ok ?? 0,
    apiUnauthorized: api.unauthorized ?? 0,
    faults: c.faults_injected ?? 0,
  };
}

export const delta = (after, before) => Object.fromEntries(Object.keys(after).map((k) => [k, after[k] - before[k]]));

/**
 * A clock shared by the simulator and the sessions of a case. `advance(s)` moves the sim first,
 * then `offsetMs` (read back from the sim, so both agree to the millisecond).
 */
export function virtualClock(ctl) {
  const clock = {
    offsetMs: 0,
    now: () => Date.now() + clock.offsetMs,
    async sync() {
      clock.offsetMs = (await ctl.clock()).offset * 1000;
    },
    async advance(seconds) {
      clock.offsetMs = (await ctl.advance(seconds)).offset * 1000;
    },
    /** Back to offset 0 (sim and session). */
    async zero() {
      const { offset } = await ctl.clock();
      if (offset !== 0) await ctl.advance(-offset);
      clock.offsetMs = 0;
    },
  };
  return clock;
}

export function genericClient(ctx, which = "basic", extra = {}) {
  const c = ctx.fixtures.generic.clients[which];
  return new ctx.pkg.OAuth2Client({
    clientId: c.clientId,
    ...(c.clientSecret ? { clientSecret: c.clientSecret } : {}),
    tokenUrl: `${ctx.simUrl}/oauth2/token`,
    authorizeUrl: `${ctx.simUrl}/oauth2/authorize`,
    clientAuth: which === "basic" ? "basic" : which === "post" ? "post" : "none",
    ...extra,
  });
}

/**
 * Fresh tokens for alice (password grant of the basic client): a new token family. The client
 * computes expiresAt from the host clock; with a `clock` at a non-zero offset it is moved onto
 * the session's (virtual) clock so the token is as fresh for the session as it is at the sim.
 */
export async function passwordTokens(ctx, client, clock) {
  const u = ctx.fixtures.generic.user;
  const t = await client.password({ username: u.username, password: u.password });
  ctx.assert.ok(t && typeof t.accessToken === "string" && t.accessToken.length > 0, "password grant: accessToken");
  ctx.assert.ok(typeof t.refreshToken === "string" && t.refreshToken.length > 0, "password grant: refreshToken");
  ctx.assert.ok(typeof t.expiresAt === "number", "password grant: expiresAt is a number (ms epoch)");
  const ttlMs = ctx.fixtures.generic.accessTokenTtl * 1000;
  ctx.assert.ok(Math.abs(t.expiresAt - (Date.now() + ttlMs)) < 5000, `password grant: expiresAt ${t.expiresAt} ≈ host now + ${ttlMs} ms`);
  return clock && clock.offsetMs ? { ...t, expiresAt: t.expiresAt + clock.offsetMs } : t;
}

/** Reads and returns {status, body} so no response body is left open (Deno's sanitizer). */
export async function drain(res) {
  const text = await res.text();
  return { status: res.status, text };
}

/** Groups rejection reasons for a readable failure message. */
export function summarizeErrors(errors) {
  const groups = new Map();
  for (const e of errors) {
    const key = e && e.code ? `${e.name}/${e.code}: ${e.message}` : `${(e && e.name) || typeof e}: ${(e && e.message) || e}`;
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  return [...groups].map(([k, n]) => `${n}× ${k}`).join("; ");
}

export function assertEdgeError(ctx, err, code, what) {
  ctx.assert.ok(err instanceof ctx.pkg.OAuthEdgeError, `${what}: expected an OAuthEdgeError, got ${err && err.name}: ${err && err.message}`);
  ctx.assert.equal(err.code, code, `${what}: code (message: ${err.message})`);
}

/**
 * Wraps a store: records every save() that writes new tokens (not the session's refresh-lease
 * claims and releases, which rewrite the same tokens) and can be told to fail the next such
 * save(s).
 */
export function recordingStore(inner) {
  const rec = {
    saves: [],
    leaseWrites: 0,
    failNextSaves: 0,
    failures: 0,
    store: {
      load: () => inner.load(),
      async save(tokens, opts) {
        const current = (await inner.load())?.tokens;
        const sameTokens = current && current.accessToken === tokens.accessToken && current.refreshToken === tokens.refreshToken;
        if (!sameTokens && rec.failNextSaves > 0) {
          rec.failNextSaves -= 1;
          rec.failures += 1;
          throw new Error("simulated storage failure (disk full)");
        }
        const version = await inner.save(tokens, opts);
        if (version !== null) sameTokens ? (rec.leaseWrites += 1) : rec.saves.push(tokens);
        return version;
      },
      ...(inner.lock ? { lock: (name, fn) => inner.lock(name, fn) } : {}),
    },
  };
  return rec;
}

/** Runs `n` session.fetch() calls at once; returns {statuses, errors}. */
export async function burst(session, url, n, init) {
  const settled = await Promise.allSettled(Array.from({ length: n }, () => session.fetch(url, init).then(drain)));
  return {
    statuses: settled.filter((s) => s.status === "fulfilled").map((s) => s.value.status),
    errors: settled.filter((s) => s.status === "rejected").map((s) => s.reason),
  };
}

export function assertAll200(ctx, { statuses, errors }, n, what) {
  ctx.assert.equal(errors.length, 0, `${what}: rejected calls (${summarizeErrors(errors)})`);
  const bad = statuses.filter((s) => s !== 200);
  ctx.assert.equal(bad.length, 0, `${what}: non-200 statuses ${JSON.stringify([...new Set(bad)])}`);
  ctx.assert.equal(statuses.length, n, `${what}: calls completed`);
}

/** Runs `body(ctl, clock)` with the sim clock at offset 0 before and after, faults cleared. */
export async function withSim(ctx, body) {
  const ctl = simControl(ctx.simUrl);
  const clock = virtualClock(ctl);
  await ctl.clearFaults();
  await clock.zero();
  try {
    return await body(ctl, clock);
  } finally {
    await ctl.clearFaults().catch(() => {});
    await clock.zero().catch(() => {});
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A promise that rejects after `ms` (marks a hang); cleared when `p` settles. */
function bounded(p, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`${what}: no answer within ${ms} ms (hang)`), { hang: true })), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export const sessionCases = [
  {
    name: "(a) N concurrent session.fetch() on an expired token: exactly 1 refresh grant, all 200",
    async run(ctx) {
      const { assert, pkg } = ctx;
      const N = ctx.concurrency;
      await withSim(ctx, async (ctl, clock) => {
        const client = genericClient(ctx);
        const tokens = await passwordTokens(ctx, client);
        const rec = recordingStore(pkg.memoryStore());
        const session = new pkg.TokenSession(client, { store: rec.store, now: clock.now });
        await session.signIn(tokens);
        assert.equal(session.state(), "valid", "state after signIn");
        await clock.advance(ctx.fixtures.generic.accessTokenTtl + 5);
        assert.equal(session.state(), "expiring", "state of an expired token before any call");
        const before = snapshot(await ctl.counters());
        const t0 = Date.now();
        const out = await burst(session, `${ctx.simUrl}${API}`, N);
        const ms = Date.now() - t0;
        const d = delta(snapshot(await ctl.counters()), before);
        assertAll200(ctx, out, N, `${N} concurrent calls`);
        assert.equal(d.refresh, 1, `refresh_token grants at the simulator for ${N} concurrent calls`);
        assert.equal(d.invalidGrant, 0, "invalid_grant at the simulator");
        assert.equal(d.apiUnauthorized, 0, "API 401s (no call may use the expired token)");
        assert.equal(d.apiOk, N, "API calls accepted");
        const stored = await rec.store.load();
        assert.notEqual(stored.tokens.refreshToken, tokens.refreshToken, "the store holds the rotated refresh token");
        assert.equal(rec.saves.length, 2, "saves: the signIn and exactly one after the refresh");
        assert.equal(session.state(), "valid", "state after the refresh");
        ctx.log?.(`(a) ${N} calls in ${ms} ms`);
      });
    },
  },
  {
    name: "(b) two TokenSessions sharing one memoryStore: exactly 1 refresh per cycle, 0 invalid_grant (expired and expiring)",
    async run(ctx) {
      const { assert, pkg } = ctx;
      const ttl = ctx.fixtures.generic.accessTokenTtl;
      await withSim(ctx, async (ctl, clock) => {
        const client = genericClient(ctx);
        const tokens = await passwordTokens(ctx, client);
        const rec = recordingStore(pkg.memoryStore());
        const one = new pkg.TokenSession(client, { store: rec.store, now: clock.now });
        const two = new pkg.TokenSession(genericClient(ctx), { store: rec.store, now: clock.now });
        await one.signIn(tokens);
        // The second instance never saw signIn: its first call must load the shared store.
        const first = await two.fetch(`${ctx.simUrl}${API}`).then(drain);
        assert.equal(first.status, 200, "second instance's first call (tokens loaded from the shared store)");
        const perSession = Math.max(10, Math.floor(ctx.concurrency / 10));
        for (let cycle = 0; cycle < 4; cycle++) {
          const mode = cycle % 2 === 0 ? "expired" : "expiring";
          // expiring: inside the 60 s skew window, the old token is still accepted by the sim.
          await clock.advance(mode === "expired" ? ttl + 5 : ttl - 30);
          const before = snapshot(await ctl.counters());
          const [a, b] = await Promise.all([
            burst(one, `${ctx.simUrl}${API}`, perSession),
            burst(two, `${ctx.simUrl}${API}`, perSession),
          ]);
          const d = delta(snapshot(await ctl.counters()), before);
          assertAll200(ctx, a, perSession, `cycle ${cycle} (${mode}), instance one`);
          assertAll200(ctx, b, perSession, `cycle ${cycle} (${mode}), instance two`);
          assert.equal(d.refresh, 1, `cycle ${cycle} (${mode}): refresh_token grants for two instances sharing a store`);
          assert.equal(d.invalidGrant, 0, `cycle ${cycle} (${mode}): invalid_grant`);
          assert.equal(d.familiesRevoked, 0, `cycle ${cycle} (${mode}): families revoked`);
          assert.equal(d.apiUnauthorized, 0, `cycle ${cycle} (${mode}): API 401s`);
        }
        assert.equal(one.state(), "valid", "instance one ends valid");
        assert.equal(two.state(), "valid", "instance two ends valid");
      });
    },
  },
  {
    name: "a Bearer token never goes over plain http to a non-loopback host: INSECURE_URL, nothing sent",
    async run(ctx) {
      const { assert, pkg } = ctx;
      let sent = 0;
      const fetch = async () => {
        sent++;
        return new Response("ok");
      };
      const client = new pkg.OAuth2Client({ clientId: "c", tokenUrl: "https://as.example/token", fetch });
      const tokens = { accessToken: "at-never-leaks", refreshToken: null, tokenType: "Bearer", expiresAt: null, scope: null };
      const session = new pkg.TokenSession(client, { store: pkg.memoryStore(tokens) });
      let error;
      try {
        await session.fetch("http://api.example.com/v1/me");
      } catch (e) {
        error = e;
      }
      assert.ok(error instanceof pkg.OAuthEdgeError, "typed error");
      assert.equal(error.code, "INSECURE_URL");
      assert.ok(!String(error.message).includes("at-never-leaks"), "no token in the message");
      assert.equal(sent, 0, "nothing was sent");
      assert.equal((await session.fetch("https://api.example.com/v1/me")).status, 200, "https is fine");
      assert.equal(sent, 1);
    },
  },

  {
    name: "(f) save() fails right after a rotation: STORE_ERROR, rotated refresh token kept, next call persists it and succeeds",
    async run(ctx) {
      const { assert, pkg } = ctx;
      await withSim(ctx, async (ctl, clock) => {
        const client = genericClient(ctx);
        const tokens = await passwordTokens(ctx, client);
        const rec = recordingStore(pkg.memoryStore());
        const states = [];
        const session = new pkg.TokenSession(client, { store: rec.store, now: clock.now, onStateChange: (s) => states.push(s) });
        await session.signIn(tokens);
        await clock.advance(ctx.fixtures.generic.accessTokenTtl + 5);
        const before = snapshot(await ctl.counters());
        rec.failNextSaves = 1;
        const err = await assert.rejects(() => session.fetch(`${ctx.simUrl}${API}`).then(drain), "the call whose save failed must reject");
        assertEdgeError(ctx, err, "STORE_ERROR", "the call whose save failed");
        assert.equal(rec.failures, 1, "save() was called (and failed) once");
        let d = delta(snapshot(await ctl.counters()), before);
        assert.equal(d.refresh, 1, "the provider rotated once");
        assert.equal(d.apiOk + d.apiUnauthorized, 0, "no API request was sent with tokens that were not persisted");
        const stillOld = await rec.store.load();
        assert.equal(stillOld.tokens.refreshToken, tokens.refreshToken, "the store still holds the old refresh token (its save failed)");
        assert.notEqual(session.state(), "needs_reauth", "a failed save is not a lost session");

        const ok = await session.fetch(`${ctx.simUrl}${API}`).then(drain);
        assert.equal(ok.status, 200, "the next call succeeds");
        d = delta(snapshot(await ctl.counters()), before);
        assert.equal(d.refresh, 1, "no second refresh: the kept tokens were saved, not re-fetched");
        assert.equal(d.invalidGrant, 0, "invalid_grant (the old, used refresh token must not be sent again)");
        const stored = await rec.store.load();
        assert.notEqual(stored.tokens.refreshToken, tokens.refreshToken, "the store now holds the rotated refresh token");
        assert.equal(rec.saves.length, 2, "saves: signIn + the retried save");
        assert.equal(rec.saves[1].refreshToken, stored.tokens.refreshToken, "the retried save wrote the rotated token");
        // The stored refresh token is the live one: the provider accepts it (strict rotation
        // would answer invalid_grant for any older one).
        const next = await client.refresh(stored.tokens.refreshToken);
        assert.ok(next.refreshToken && next.refreshToken !== stored.tokens.refreshToken, "the stored refresh token is accepted and rotates");
        d = delta(snapshot(await ctl.counters()), before);
        assert.equal(d.invalidGrant, 0, "invalid_grant after all");
      });
    },
  },
  {
    name: "store failures are typed: load() or lock() rejecting → STORE_ERROR, no refresh lost, the next call succeeds",
    async run(ctx) {
      const { assert, pkg } = ctx;
      await withSim(ctx, async (ctl, clock) => {
        const client = genericClient(ctx);
        const inner = pkg.memoryStore(await passwordTokens(ctx, client));
        const fail = { load: 0, lock: 0 };
        const store = {
          async load() {
            if (fail.load > 0) {
              fail.load--;
              throw new TypeError("database is locked");
            }
            return inner.load();
          },
          save: (t, o) => inner.save(t, o),
          lock(name, fn) {
            // A lock that cannot be taken (e.g. a lease store that errors or times out) rejects
            // without calling fn.
            if (fail.lock > 0) {
              fail.lock--;
              return Promise.reject(new TypeError("database is locked"));
            }
            return inner.lock(name, fn);
          },
        };
        const session = new pkg.TokenSession(client, { store, now: clock.now });
        const before = snapshot(await ctl.counters());
        fail.load = 1;
        const e1 = await assert.rejects(() => session.fetch(`${ctx.simUrl}${API}`).then(drain), "first call with load() rejecting");
        assertEdgeError(ctx, e1, "STORE_ERROR", "load() rejected");
        assert.equal((await session.fetch(`${ctx.simUrl}${API}`).then(drain)).status, 200, "next call after the load failure");
        await clock.advance(ctx.fixtures.generic.accessTokenTtl + 5);
        fail.lock = 1;
        const e2 = await assert.rejects(() => session.fetch(`${ctx.simUrl}${API}`).then(drain), "call with lock() rejecting");
        assertEdgeError(ctx, e2, "STORE_ERROR", "lock() rejected before running the refresh");
        assert.equal(delta(snapshot(await ctl.counters()), before).refresh, 0, "no refresh without the lock");
        assert.equal((await session.fetch(`${ctx.simUrl}${API}`).then(drain)).status, 200, "next call after the lock failure");
        const d = delta(snapshot(await ctl.counters()), before);
        assert.equal(d.refresh, 1, "one refresh in all");
        assert.equal(d.invalidGrant, 0, "invalid_grant");
      });
    },
  },
  {
    name: "onStateChange: refreshing then valid around a refresh; state() follows the clock",
    async run(ctx) {
      const { assert, pkg } = ctx;
      await withSim(ctx, async (ctl, clock) => {
        const client = genericClient(ctx);
        const states = [];
        const session = new pkg.TokenSession(client, { store: pkg.memoryStore(), now: clock.now, onStateChange: (s) => states.push(s) });
        assert.equal(session.state(), "empty", "state before any tokens");
        const err = await assert.rejects(() => session.fetch(`${ctx.simUrl}${API}`).then(drain), "a call with no tokens must reject");
        assertEdgeError(ctx, err, "NEEDS_REAUTH", "a call on an empty session");
        assert.ok(session.nextRefreshAt() == null, `nextRefreshAt() of an empty session (got ${session.nextRefreshAt()})`);
        const signed = await passwordTokens(ctx, client);
        await session.signIn(signed);
        assert.equal(session.state(), "valid", "state after signIn");
        assert.equal(session.nextRefreshAt(), signed.expiresAt - 60_000, "nextRefreshAt() = expiresAt − 60 s skew");
        const ttl = ctx.fixtures.generic.accessTokenTtl;
        await clock.advance(ttl - 120);
        assert.equal(session.state(), "valid", "2 minutes before expiry (skew 60 s)");
        await clock.advance(90);
        assert.equal(session.state(), "expiring", "30 s before expiry, inside the skew window");
        states.length = 0;
        const r = await session.fetch(`${ctx.simUrl}${API}`).then(drain);
        assert.equal(r.status, 200, "call inside the skew window");
        // The call used the still-valid token at once; the refresh runs in the background.
        for (let i = 0; i < 200 && states[states.length - 1] !== "valid"; i++) await new Promise((res) => setTimeout(res, 5));
        const iRefreshing = states.indexOf("refreshing");
        assert.ok(iRefreshing >= 0, `onStateChange reported "refreshing" (got ${JSON.stringify(states)})`);
        assert.ok(states.indexOf("valid", iRefreshing + 1) > iRefreshing, `onStateChange reported "valid" after "refreshing" (got ${JSON.stringify(states)})`);
        assert.equal(states[states.length - 1], "valid", `last reported state (got ${JSON.stringify(states)})`);
        assert.equal(session.state(), "valid", "state() after the refresh");
        for (let i = 1; i < states.length; i++) assert.notEqual(states[i], states[i - 1], `onStateChange repeats a state: ${JSON.stringify(states)}`);
        // skewSeconds: with 10 minutes of skew, 5 minutes before expiry is already "expiring".
        const wide = new pkg.TokenSession(client, { store: pkg.memoryStore(), now: clock.now, skewSeconds: 600 });
        await wide.signIn(await passwordTokens(ctx, client, clock));
        await clock.advance(ttl - 300);
        assert.equal(wide.state(), "expiring", "skewSeconds: 600, 5 minutes before expiry");
        assert.equal(session.state(), "valid", "default skew, same moment (the first session's token is newer)");
      });
    },
  },
  {
    name: "code flow: completeAuthorization() stores the tokens, session.fetch() uses them",
    async run(ctx) {
      const { assert, pkg } = ctx;
      await withSim(ctx, async (ctl, clock) => {
        const client = genericClient(ctx, "public");
        const rec = recordingStore(pkg.memoryStore());
        const session = new pkg.TokenSession(client, { store: rec.store, now: clock.now });
        const redirectUri = "http://127.0.0.1/callback";
        const { url, state, codeVerifier } = await client.authorizationUrl({ redirectUri, scope: "openid profile" });
        let callbackUrl;
        if (ctx.runtime === "chromium" || ctx.runtime === "firefox") {
          // Browsers hide a manual redirect's Location: use the sim's JSON variant.
          const res = await fetch(url, { headers: { Accept: "application/json" } });
          callbackUrl = (await res.json()).redirect;
        } else {
          const res = await fetch(url, { redirect: "manual" });
          await res.body?.cancel?.();
          assert.equal(res.status, 302, "authorize: status");
          callbackUrl = res.headers.get("location");
        }
        assert.ok(callbackUrl && callbackUrl.startsWith(redirectUri), `callback URL ${callbackUrl}`);
        const before = snapshot(await ctl.counters());
        await session.completeAuthorization(callbackUrl, { state, codeVerifier, redirectUri });
        assert.equal(rec.saves.length, 1, "completeAuthorization saved the tokens");
        assert.equal(session.state(), "valid", "state after completeAuthorization");
        const r = await session.fetch(`${ctx.simUrl}${API}`).then(drain);
        assert.equal(r.status, 200, "API call after the code flow");
        assert.equal(JSON.parse(r.text).client_id, ctx.fixtures.generic.clients.public.clientId, "the API saw the public client's token");
        await clock.advance(ctx.fixtures.generic.accessTokenTtl + 5);
        const r2 = await session.fetch(`${ctx.simUrl}${API}`).then(drain);
        assert.equal(r2.status, 200, "API call after expiry (refresh with client auth none)");
        const d = delta(snapshot(await ctl.counters()), before);
        assert.equal(d.code, 1, "authorization_code grants");
        assert.equal(d.refresh, 1, "refresh_token grants");
        assert.equal(d.invalidGrant, 0, "invalid_grant");
      });
    },
  },
  {
    name: "a reused refresh token revokes the family: session.fetch() rejects NEEDS_REAUTH, state needs_reauth",
    async run(ctx) {
      const { assert, pkg } = ctx;
      await withSim(ctx, async (ctl, clock) => {
        const client = genericClient(ctx);
        const tokens = await passwordTokens(ctx, client);
        const states = [];
        const rec = recordingStore(pkg.memoryStore());
        const session = new pkg.TokenSession(client, { store: rec.store, now: clock.now, onStateChange: (s) => states.push(s) });
        await session.signIn(tokens);
        await clock.advance(ctx.fixtures.generic.accessTokenTtl + 5);
        const r = await session.fetch(`${ctx.simUrl}${API}`).then(drain);
        assert.equal(r.status, 200, "the first call refreshes");
        const before = snapshot(await ctl.counters());
        // An attacker (or a buggy second copy) replays the old, already rotated refresh token:
        // the simulator revokes the whole family, the session's live tokens included.
        const replay = await assert.rejects(() => client.refresh(tokens.refreshToken), "replaying a rotated refresh token must fail");
        assertEdgeError(ctx, replay, "OAUTH_INVALID_GRANT", "client.refresh(old refresh token)");
        let d = delta(snapshot(await ctl.counters()), before);
        assert.equal(d.familiesRevoked, 1, "the simulator revoked the family");
        // The access token is still "valid" for the session but revoked at the sim: 401 → one
        // refresh → invalid_grant → re-load (same token) → NEEDS_REAUTH.
        const err = await assert.rejects(() => session.fetch(`${ctx.simUrl}${API}`).then(drain), "a call after the revocation must reject");
        assertEdgeError(ctx, err, "NEEDS_REAUTH", "session.fetch() after the family was revoked");
        assert.equal(session.state(), "needs_reauth", "state()");
        assert.equal(states[states.length - 1], "needs_reauth", `last onStateChange (got ${JSON.stringify(states)})`);
        d = delta(snapshot(await ctl.counters()), before);
        assert.equal(d.apiUnauthorized, 1, "the API answered 401 once");
        assert.equal(d.invalidGrant, 2, "invalid_grant: the replay + the session's one refresh attempt");
        // From now on the session fails fast, without asking the provider again.
        const again = await assert.rejects(() => session.fetch(`${ctx.simUrl}${API}`).then(drain), "later calls reject too");
        assertEdgeError(ctx, again, "NEEDS_REAUTH", "a later call");
        const tok = await assert.rejects(() => session.accessToken(), "accessToken() rejects too");
        assertEdgeError(ctx, tok, "NEEDS_REAUTH", "accessToken()");
        const d2 = delta(snapshot(await ctl.counters()), before);
        assert.equal(d2.invalidGrant, d.invalidGrant, "no further token requests after needs_reauth");
        assert.equal(d2.apiUnauthorized, d.apiUnauthorized, "no further API requests after needs_reauth");
        // Signing in again recovers.
        await session.signIn(await passwordTokens(ctx, client, clock));
        assert.equal(session.state(), "valid", "state after signing in again");
        const back = await session.fetch(`${ctx.simUrl}${API}`).then(drain);
        assert.equal(back.status, 200, "a call after signing in again");
      });
    },
  },
  {
    name: "(e) 200 rotation cycles under seeded random faults: success or typed error, 0 invalid_grant, 0 lost refresh tokens",
    runtimes: ["node"],
    async run(ctx) {
      await faultCycles(ctx, { cycles: 200, seed: 20240604 });
    },
  },
  {
    name: "(e) a truncated token response after the provider rotated: typed errors only, needs_reauth only because the simulator revoked",
    runtimes: ["node"],
    async run(ctx) {
      // The one fault no client can survive under strict rotation: the provider rotated, the
      // new refresh token never arrived. Whatever the session does, it must not hang or throw
      // untyped errors, and needs_reauth must coincide with a revocation at the simulator.
      const { assert, pkg } = ctx;
      await withSim(ctx, async (ctl, clock) => {
        const client = genericClient(ctx);
        const states = [];
        const session = new pkg.TokenSession(client, { store: pkg.memoryStore(), now: clock.now, retry: { baseMs: 5, maxMs: 50 }, onStateChange: (s) => states.push(s) });
        await session.signIn(await passwordTokens(ctx, client));
        await clock.advance(ctx.fixtures.generic.accessTokenTtl + 5);
        const before = snapshot(await ctl.counters());
        await ctl.faults([{ path: "^/oauth2/token$", method: "POST", kind: "truncate", times: 1 }]);
        const outcomes = [];
        for (let i = 0; i < 3; i++) {
          try {
            const r = await bounded(session.fetch(`${ctx.simUrl}${API}`).then(drain), 5000, `call ${i}`);
            outcomes.push(`HTTP ${r.status}`);
          } catch (e) {
            assert.ok(!e.hang, e.message);
            assert.ok(e instanceof pkg.OAuthEdgeError, `call ${i}: expected an OAuthEdgeError, got ${e && e.name}: ${e && e.message}`);
            outcomes.push(e.code);
          }
        }
        const d = delta(snapshot(await ctl.counters()), before);
        ctx.log?.(`(e) truncated token response: outcomes ${JSON.stringify(outcomes)}, counters ${JSON.stringify(d)}`);
        assert.equal(d.refresh, 1, "the provider rotated once (the truncated answer)");
        if (session.state() === "needs_reauth" || outcomes.includes("NEEDS_REAUTH")) {
          assert.equal(d.familiesRevoked, 1, "needs_reauth only after the simulator revoked the family");
        }
        assert.ok(states.every((s, i) => i === 0 || s !== states[i - 1]), `onStateChange repeats: ${JSON.stringify(states)}`);
      });
    },
  },
];

/**
 * Scenario (e). Faults on /oauth2/token: 429 (Retry-After 0, and 1 s which exceeds maxMs so
 * RATE_LIMITED comes at once), 503 without Retry-After, dropped connections, slow answers. On
 * /oauth2/api/me the same plus truncated bodies. NOT on /oauth2/token: truncate — the simulator
 * truncates a response it has already produced, i.e. after it rotated the refresh token, so the
 * new refresh token is lost by construction and no client could avoid the invalid_grant.
 */
export async function faultCycles(ctx, { cycles, seed }) {
  const { assert, pkg } = ctx;
  const TOKEN = "^/oauth2/token$";
  const ME = "^/oauth2/api/me$";
  const rules = [
    { path: TOKEN, method: "POST", kind: "429", retryAfter: 0, probability: 0.08 },
    { path: TOKEN, method: "POST", kind: "503", retryAfter: null, probability: 0.08 },
    { path: TOKEN, method: "POST", kind: "drop", probability: 0.06 },
    { path: TOKEN, method: "POST", kind: "slow", delayMs: 40, probability: 0.06 },
    { path: TOKEN, method: "POST", kind: "429", retryAfter: 1, probability: 0.03 },
    { path: ME, kind: "429", retryAfter: 0, probability: 0.06 },
    { path: ME, kind: "503", retryAfter: null, probability: 0.06 },
    { path: ME, kind: "drop", probability: 0.04 },
    { path: ME, kind: "truncate", probability: 0.04 },
    { path: ME, kind: "slow", delayMs: 40, probability: 0.04 },
    { path: ME, kind: "503", retryAfter: 1, probability: 0.02 },
  ];
  const ALLOWED = new Set(["RATE_LIMITED", "NETWORK", "HTTP_STATUS", "PARSE", "PROVIDER_ERROR"]);
  const CALL_TIMEOUT_MS = 5000;
  const PER_CYCLE = 3;
  await withSim(ctx, async (ctl, clock) => {
    const client = genericClient(ctx);
    const tokens = await passwordTokens(ctx, client);
    const rec = recordingStore(pkg.memoryStore());
    const states = [];
    const session = new pkg.TokenSession(client, {
      store: rec.store,
      now: clock.now,
      retry: { baseMs: 5, maxMs: 50 },
      onStateChange: (s) => states.push(s),
    });
    await session.signIn(tokens);
    const before = snapshot(await ctl.counters());
    await ctl.faults(rules, seed);
    const outcomes = { ok: 0, bodyTruncated: 0, errors: {}, waitedRetryAfter: 0, extraRounds: 0 };
    const problems = [];
    const call = async (cycle) => {
      let res;
      try {
        res = await bounded(session.fetch(`${ctx.simUrl}${API}`), CALL_TIMEOUT_MS, `cycle ${cycle}: session.fetch`);
      } catch (e) {
        if (e && e.hang) {
          problems.push(e.message);
          return { kind: "hang" };
        }
        if (!(e instanceof pkg.OAuthEdgeError)) {
          problems.push(`cycle ${cycle}: session.fetch rejected with a non-OAuthEdgeError ${e && e.name}: ${e && e.message}`);
          return { kind: "untyped" };
        }
        outcomes.errors[e.code] = (outcomes.errors[e.code] ?? 0) + 1;
        if (!ALLOWED.has(e.code)) problems.push(`cycle ${cycle}: unexpected error code ${e.code}: ${e.message}`);
        if (e.code === "RATE_LIMITED" && !(typeof e.retryAfter === "number" && e.retryAfter >= 0)) {
          problems.push(`cycle ${cycle}: RATE_LIMITED without a numeric retryAfter (${e.retryAfter})`);
        }
        return { kind: "error", error: e };
      }
      if (res.status !== 200) {
        // 429/503 must end as RATE_LIMITED after the bounded retries, 401 cannot happen here.
        const text = await res.text().catch(() => "");
        problems.push(`cycle ${cycle}: session.fetch resolved with HTTP ${res.status} (${text.slice(0, 120)})`);
        return { kind: "status", status: res.status };
      }
      try {
        // Reading the body is the app's business, outside session.fetch(): a truncated body
        // fails here with the host's own error, after the SDK did its job.
        await bounded(res.text(), CALL_TIMEOUT_MS, `cycle ${cycle}: body`);
        outcomes.ok++;
        return { kind: "ok" };
      } catch (e) {
        if (e && e.hang) problems.push(e.message);
        outcomes.bodyTruncated++;
        return { kind: "body" };
      }
    };
    const t0 = Date.now();
    for (let cycle = 0; cycle < cycles; cycle++) {
      await clock.advance(ctx.fixtures.generic.accessTokenTtl + 5);
      let results = await Promise.all(Array.from({ length: PER_CYCLE }, () => call(cycle)));
      // Make sure each cycle rotates: keep calling until one call got a 200 (bounded).
      for (let round = 0; !results.some((r) => r.kind === "ok" || r.kind === "body") && round < 20; round++) {
        outcomes.extraRounds++;
        const limited = results.map((r) => r.error).find((e) => e && e.code === "RATE_LIMITED" && e.retryAfter > 0);
        if (limited) {
          // The session blocks refreshes for Retry-After on ITS clock: move both clocks on.
          outcomes.waitedRetryAfter++;
          await clock.advance(Math.ceil(limited.retryAfter) + 1);
        }
        results = [await call(cycle)];
      }
      if (!results.some((r) => r.kind === "ok" || r.kind === "body")) problems.push(`cycle ${cycle}: no successful call in 21 rounds`);
      if (states.includes("needs_reauth")) {
        problems.push(`cycle ${cycle}: the session went to needs_reauth`);
        break;
      }
      if (problems.length > 20) break;
    }
    const ms = Date.now() - t0;
    await ctl.clearFaults();
    const after = snapshot(await ctl.counters());
    const d = delta(after, before);
    ctx.log?.(`(e) ${cycles} cycles in ${ms} ms: ${JSON.stringify({ ...outcomes, faults: d.faults, refresh: d.refresh, saves: rec.saves.length })}`);
    assert.equal(problems.length, 0, `problems:\n  ${problems.slice(0, 20).join("\n  ")}`);
    assert.ok(d.faults > cycles / 2, `faults were injected (${d.faults})`);
    assert.equal(d.invalidGrant, 0, "invalid_grant at the simulator");
    assert.equal(d.familiesRevoked, 0, "families revoked");
    assert.ok(!states.includes("needs_reauth"), "never needs_reauth");
    assert.equal(d.refresh, cycles, "refresh_token grants: exactly one per cycle");
    // Every refresh token the provider issued reached the store (signIn + one per rotation,
    // all distinct), and the stored one is the live one: the provider accepts it.
    const savedRts = rec.saves.map((t) => t.refreshToken);
    assert.equal(new Set(savedRts).size, savedRts.length, "no refresh token saved twice");
    assert.equal(savedRts.length, 1 + d.refresh, "saved refresh tokens = 1 + rotations at the provider");
    const stored = await rec.store.load();
    assert.equal(stored.tokens.refreshToken, savedRts[savedRts.length - 1], "the store holds the last saved refresh token");
    const final = await client.refresh(stored.tokens.refreshToken);
    assert.ok(final.refreshToken, "the stored refresh token is live (the provider rotated it)");
    assert.equal(delta(snapshot(await ctl.counters()), before).invalidGrant, 0, "invalid_grant after the final check");
  });
}

export { sleep };
