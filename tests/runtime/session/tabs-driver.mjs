// Session scenarios (c) and (m) in Chromium, the driver side (../browser/chromium.mjs runs them
// after the page's session cases; the page side is tabs.mjs):
//  (c) two pages of one origin, each with its own TokenSession over indexedDbStore (one
//      IndexedDB, navigator.locks across the tabs), both calling session.fetch() continuously
//      across expiry cycles → exactly 1 refresh per cycle;
//  (m) the same two pages over indexedDbStore({ locks: null }): no lock(), single flight through
//      the IndexedDB compare-and-set alone.
import { delta, simControl, snapshot, virtualClock } from "./cases.mjs";

const CYCLES = Number(process.env.SESSION_TAB_CYCLES || 20);
const TAB_STORE = process.env.SESSION_TABS_STORE || "idb"; // "localStorage": diagnosis only, see tabs.mjs

const TAB_STORES = {
  idb: "(c) two Chromium pages, indexedDbStore + Web Locks",
  localStorage: "(c) two Chromium pages, localStorageStore (diagnosis) + Web Locks",
  "idb-nolock": "(m) two Chromium pages, indexedDbStore({ locks: null }): no lock(), compare-and-set only",
};

/** Scenario (c) (or (m) with store "idb-nolock"). Returns {name, ok, error, ms}. */
async function twoTabs({ openPage, simUrl }, store = TAB_STORE) {
  const name = `${TAB_STORES[store] ?? store}, ${CYCLES} expiry cycles of continuous calls: exactly 1 refresh per cycle, session never lost`;
  const t0 = Date.now();
  const ctl = simControl(simUrl);
  const clock = virtualClock(ctl);
  const pages = [];
  try {
    await ctl.clearFaults();
    await clock.zero();
    const url = `${simUrl}/app/suite/browser/index.html?runtime=chromium&tabs=1`;
    pages.push(await openPage(url), await openPage(url));
    const key = `oauth-edge:tabs-${Date.now()}`;
    for (const p of pages) {
      await p.waitForFunction(() => window.__tabs || window.__tabsError, null, { timeout: 30_000 });
      const err = await p.evaluate(() => window.__tabsError);
      if (err) throw new Error(`page failed to load: ${err}`);
      await p.evaluate((o) => window.__tabs.init(o), { key, store });
    }
    const signed = await pages[0].evaluate(() => window.__tabs.signIn());
    if (signed !== "valid") throw new Error(`state after signIn in page 1: ${signed}`);
    const ttl = (await (await fetch(`${simUrl}/__sim/fixtures`)).json()).generic.accessTokenTtl;
    const perCycle = [];
    const calls = [0, 0];
    const problems = [];
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const mode = cycle % 2 === 0 ? "expired" : "expiring";
      await clock.advance(mode === "expired" ? ttl + 5 : ttl - 30);
      const before = snapshot(await ctl.counters());
      const results = await Promise.all(pages.map((p) => p.evaluate((o) => window.__tabs.cycle(o), { offsetMs: clock.offsetMs, workers: 3, durationMs: 120 })));
      const d = delta(snapshot(await ctl.counters()), before);
      perCycle.push(d.refresh);
      results.forEach((r, i) => {
        calls[i] += r.calls;
        const non200 = Object.entries(r.statuses).filter(([s]) => s !== "200");
        if (Object.keys(r.errors).length) problems.push(`cycle ${cycle} (${mode}) page ${i + 1}: rejected calls ${JSON.stringify(r.errors)}`);
        if (non200.length) problems.push(`cycle ${cycle} (${mode}) page ${i + 1}: statuses ${JSON.stringify(r.statuses)}`);
        if (r.states.includes("needs_reauth") || r.state === "needs_reauth") problems.push(`cycle ${cycle} page ${i + 1}: session lost (needs_reauth)`);
        if (!r.statuses[200]) problems.push(`cycle ${cycle} page ${i + 1}: no successful call`);
      });
      if (d.refresh !== 1) problems.push(`cycle ${cycle} (${mode}): ${d.refresh} refresh_token grants, expected exactly 1`);
      if (d.invalidGrant !== 0) problems.push(`cycle ${cycle} (${mode}): ${d.invalidGrant} invalid_grant`);
      if (d.familiesRevoked !== 0) problems.push(`cycle ${cycle} (${mode}): ${d.familiesRevoked} families revoked`);
      if (problems.length > 10) break;
    }
    console.log(`${store === "idb-nolock" ? "(m)" : "(c)"} refreshes per cycle ${JSON.stringify(perCycle)}; calls per page ${JSON.stringify(calls)}; ${Date.now() - t0} ms`);
    if (problems.length) throw new Error(problems.join("\n"));
    const stored = await pages[1].evaluate(() => window.__tabs.stored());
    if (!stored || !stored.tokens || !stored.tokens.refreshToken) throw new Error(`${store === "localStorage" ? "localStorage" : "IndexedDB"}[${key}] holds no tokens: ${JSON.stringify(stored)}`);
    if (stored.tokens.refreshLease) throw new Error(`a refresh lease is left in the record: ${JSON.stringify(stored.tokens.refreshLease)}`);
    return { name, ok: true, error: null, ms: Date.now() - t0 };
  } catch (e) {
    return { name, ok: false, error: String((e && (e.stack || e.message)) || e), ms: Date.now() - t0 };
  } finally {
    for (const p of pages) await p.close().catch(() => {});
    await ctl.clearFaults().catch(() => {});
    await clock.zero().catch(() => {});
  }
}

/** The driver-side scenarios of the session-chromium target, in order: `({openPage, simUrl})`. */
export const tabScenarios = [(env) => twoTabs(env), (env) => twoTabs(env, "idb-nolock")];
