// Session scenarios (d) and (l) in workerd, the driver side (run by ../workerd/harness.mjs after
// the Worker's session cases; the Worker side is workerd-routes.mjs): concurrent requests, each
// with its own TokenSession over durableObjectStore (like requests landing on different
// isolates), across expiry cycles → exactly 1 refresh per cycle at the simulator; and (l) the
// same over a store that is not the Durable Object: an HTTP compare-and-set server this driver
// starts (cas-server.mjs), which the Worker reaches by fetch (httpCasStore, no lock).
import { startCasServer } from "./cas-server.mjs";
import { delta, simControl, snapshot, virtualClock } from "./cases.mjs";

const CYCLES = Number(process.env.SESSION_DO_CYCLES || 10);
const REQUESTS = 12; // concurrent Worker requests per cycle
const CALLS = 3; // concurrent session.fetch() per request

/**
 * Scenario (d) (`route` "/d", the Durable Object store) or (l) ("/h", the HTTP CAS store at
 * `casUrl`), workerd. Returns {name, ok, error, ms}.
 */
async function requestCycles(base, simUrl, log, { route = "/d", casUrl = null, cas = null } = {}) {
  const tag = route === "/d" ? "(d)" : "(l)";
  const name = route === "/d"
    ? `(d) workerd: ${REQUESTS} concurrent requests × ${CALLS} calls, a TokenSession per request over the Durable Object store, ${CYCLES} expiry cycles: exactly 1 refresh per cycle`
    : `(l) workerd: ${REQUESTS} concurrent requests × ${CALLS} calls, a TokenSession per request over an HTTP compare-and-set store (not a Durable Object, no lock), ${CYCLES} expiry cycles: exactly 1 refresh per cycle`;
  const casQuery = casUrl ? `&cas=${encodeURIComponent(casUrl)}` : "";
  const t0 = Date.now();
  const ctl = simControl(simUrl);
  const clock = virtualClock(ctl);
  const get = async (path, init) => {
    const res = await fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(30_000) });
    const text = await res.text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`${path}: HTTP ${res.status}: ${text.slice(0, 300)}`);
    }
    if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}: ${body.error ?? text.slice(0, 300)}`);
    return body;
  };
  try {
    await ctl.clearFaults();
    await clock.zero();
    const doName = `family-${Date.now()}`;
    const signed = await get(`${route}/signin?name=${doName}${casQuery}`, { method: "POST" });
    if (signed.state !== "valid") throw new Error(`state after signIn: ${signed.state}`);
    const ttl = (await (await fetch(`${simUrl}/__sim/fixtures`)).json()).generic.accessTokenTtl;
    const perCycle = [];
    const problems = [];
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const mode = cycle % 2 === 0 ? "expired" : "expiring";
      await clock.advance(mode === "expired" ? ttl + 5 : ttl - 30);
      const before = snapshot(await ctl.counters());
      const replies = await Promise.all(Array.from({ length: REQUESTS }, () => get(`${route}/call?name=${doName}&offsetMs=${clock.offsetMs}&calls=${CALLS}${casQuery}`)));
      const d = delta(snapshot(await ctl.counters()), before);
      perCycle.push(d.refresh);
      replies.forEach((r, i) => {
        if (r.errors.length) problems.push(`cycle ${cycle} (${mode}) request ${i}: ${r.errors.join("; ")}`);
        if (r.statuses.some((s) => s !== 200)) problems.push(`cycle ${cycle} (${mode}) request ${i}: statuses ${JSON.stringify(r.statuses)}`);
        if (r.state === "needs_reauth") problems.push(`cycle ${cycle} request ${i}: needs_reauth`);
      });
      if (d.refresh !== 1) problems.push(`cycle ${cycle} (${mode}): ${d.refresh} refresh_token grants, expected exactly 1`);
      if (d.invalidGrant !== 0) problems.push(`cycle ${cycle} (${mode}): ${d.invalidGrant} invalid_grant`);
      if (d.familiesRevoked !== 0) problems.push(`cycle ${cycle} (${mode}): ${d.familiesRevoked} families revoked`);
      if (d.apiUnauthorized !== 0) problems.push(`cycle ${cycle} (${mode}): ${d.apiUnauthorized} API 401s`);
      if (problems.length > 10) break;
    }
    const stats = cas ? cas.stats(doName) : null;
    log(`${tag} workerd: refreshes per cycle ${JSON.stringify(perCycle)}; ${Date.now() - t0} ms${stats ? `; CAS ${JSON.stringify(stats)}` : ""}`);
    if (problems.length) throw new Error(problems.join("\n"));
    if (stats && stats.tokenWrites !== 1 + CYCLES) throw new Error(`new tokens written ${stats.tokenWrites} times, expected ${1 + CYCLES} (the signIn + one per cycle)`);
    const stored = await get(`${route}/stored?name=${doName}${casQuery}`);
    if (!stored?.tokens?.refreshToken) throw new Error(`the ${route === "/d" ? "Durable Object" : "CAS server"} holds no tokens: ${JSON.stringify(stored)}`);
    if (stored.tokens.refreshLease) throw new Error(`a refresh lease is left in the record: ${JSON.stringify(stored.tokens.refreshLease)}`);
    return { name, ok: true, error: null, ms: Date.now() - t0 };
  } catch (e) {
    return { name, ok: false, error: String((e && (e.stack || e.message)) || e), ms: Date.now() - t0 };
  } finally {
    await ctl.clearFaults().catch(() => {});
    await clock.zero().catch(() => {});
  }
}

/** The driver-side scenarios of the session-workerd target, in order. */
export const workerdScenarios = [
  ({ base, simUrl, log }) => requestCycles(base, simUrl, log, { route: "/d" }),
  async ({ base, simUrl, log }) => {
    const cas = await startCasServer();
    try {
      return await requestCycles(base, simUrl, log, { route: "/h", casUrl: cas.url, cas });
    } finally {
      await cas.close();
    }
  },
];
