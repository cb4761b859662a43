// Helpers of the fault matrix (matrix.mjs): what a cell needs around its one provider call —
// the simulator put back before and after, the requests the simulator saw (GET /__sim/requests,
// which logs a request line before any fault answers it), elapsed times, typed-error checks
// without secrets, and a clock for the SDK objects that a cell moves to make a refresh due.
import { simControl } from "../sim-control.mjs";
import { assertNoSecrets, assertProviderError, fixtureSecrets } from "../providers/cases.mjs";
import { outcome } from "../assert.mjs";

export { outcome };

/** The simulator's control API plus the request log. */
export function cellSim(simUrl) {
  const sim = simControl(simUrl);
  const log = async () => {
    const res = await fetch(`${simUrl}/__sim/requests`);
    if (res.status !== 200) throw new Error(`GET /__sim/requests: HTTP ${res.status}`);
    return res.json();
  };
  return {
    ...sim,
    /** A mark in the request log: `sent(mark, path)` counts what came after it. */
    mark: async () => (await log()).seq,
    /** Requests after `mark` whose path (no query) matches the regex source `path`. */
    async sent(mark, path) {
      const re = new RegExp(path);
      return (await log()).entries.filter((e) => e.seq > mark && re.test(e.url.split("?")[0])).length;
    },
    /** One fault rule on `path` (a regex source, as the simulator's rules take). */
    fault: (path, rule) => sim.faults([{ path, ...rule }]),
  };
}

/** Adds the access and refresh tokens the cell's stores hold now to `sim.tokens`. */
export async function collectTokens(sim) {
  for (const store of sim.stores) {
    const t = (await store.load())?.tokens;
    for (const v of [t?.accessToken, t?.refreshToken]) if (typeof v === "string" && v) sim.tokens.add(v);
  }
}

/**
 * Runs `body(sim)` with every simulator switch at its default before and after, whatever
 * happens: no faults, the sim clock at offset 0, ZapEvent metadata in attributes and no
 * repeated pages, OneRoster paging headers on, default token TTLs.
 */
export async function withCell(ctx, body) {
  const sim = cellSim(ctx.simUrl);
  const restore = async () => {
    await sim.clearFaults();
    const { offset } = await sim.clock();
    if (offset !== 0) await sim.advance(-offset);
    await sim.meta("attributes");
    await sim.repeat(false);
    await sim.paging({ totalCount: true, link: true });
    for (const p of ["zapevent", "oneroster", "orc", "priava", "omnifund", "generic"]) await sim.ttl(p, null);
  };
  await restore();
  // The token stores of the cell's sessions, and every token they have held: no error may show one.
  sim.stores = new Set();
  sim.tokens = new Set();
  try {
    return await body(sim);
  } finally {
    await restore();
  }
}

/** The clock of a cell's SDK objects (their `now` option): real time plus `offsetMs`. */
export function sdkClock() {
  const clock = {
    offsetMs: 0,
    now: () => Date.now() + clock.offsetMs,
    /** Moves the SDK's clock (not the simulator's) `hours` ahead: access tokens become due. */
    skip(hours) {
      clock.offsetMs += hours * 3_600_000;
    },
  };
  return clock;
}

/** Runs `fn` → {value, error, ms}: its result or what it threw, and how long it took. */
export async function timed(fn) {
  const started = performance.now();
  let value;
  let error = null;
  try {
    value = await fn();
  } catch (e) {
    error = e;
  }
  return { value, error, ms: performance.now() - started };
}

/** Every secret a cell may hand the SDK: the fixtures' (all providers) plus `extra`. */
export function secretsOf(fixtures, extra = []) {
  const z = fixtures.zapevent;
  return fixtureSecrets(fixtures, [z.consumerSecret, z.accessToken.tokenSecret, z.user.password, z.oauth2.clientSecret, ...extra]);
}

/**
 * `error` is an OAuthEdgeError matching `spec` ({code, status?, provider?, providerCode?,
 * retryAfter?, message?: RegExp}) and carries no secret.
 */
export function assertFault(ctx, error, spec, what, extraSecrets = []) {
  const a = ctx.assert;
  a.ok(error, `${what}: expected ${spec.code}, got success`);
  assertProviderError(ctx, error, spec, what);
  if (spec.retryAfter !== undefined) a.equal(error.retryAfter, spec.retryAfter, `${what}: retryAfter`);
  if (spec.message) a.match(error.message, spec.message, `${what}: message`);
  assertNoSecrets(ctx, error, secretsOf(ctx.fixtures, extraSecrets), what);
}

/** The refresh token a store holds now (null when empty). */
export async function storedRefreshToken(store) {
  const loaded = await store.load();
  return loaded?.tokens?.refreshToken ?? null;
}
