// THE registry of the portable runtime cases: every case module that runs in more than Node is
// listed here once, and every runtime harness runs what this lists —
//   Node      node.test.mjs ("shared"), session/node.test.mjs ("session")
//   Deno      deno.test.mjs, session/deno.test.mjs
//   workerd   workerd/worker.mjs (one Worker for both groups, driven by workerd/harness.mjs)
//   browsers  browser/page.mjs (one page for both groups, driven by browser/chromium.mjs and
//             browser/firefox.mjs)
// and run.mjs counts what each target must report from it (countFor).
//
// To add a provider's (or any) runtime cases: write one case module (plain ES module, portable:
// no node: imports; each case `{ name, run: async (ctx) => void, runtimes? }`, see cases.mjs for
// ctx) and add one line to SUITES below. `runtimes` on the line (or on a case) limits where it
// runs, e.g. `runtimes: ["chromium"]`. workerd embeds the modules a Worker imports by itself
// (workerd/harness.mjs follows the imports), so nothing else needs to change.
// Node-only suites (node: imports, long runs) are not listed here: see node-suite.mjs.
import { cases } from "./cases.mjs";
import { browserCases as hardeningCases } from "./hardening/cases.mjs";
import { providerCases } from "./providers/cases.mjs";
import { sessionCases } from "./session/cases.mjs";
import { locklessCases } from "./session/lockless.mjs";
import { zapeventCases } from "./zapevent/cases.mjs";

/**
 * `group`: "shared" (targets node, deno, workerd, chromium, firefox) or "session" (targets
 * session-node, …, session-firefox); `prefix` starts each case's name; `entries`: the package
 * entry points the cases run through, each once (default: the main one).
 */
export const SUITES = [
  { group: "shared", prefix: "", cases, entries: ["oauth-edge", "oauth-edge/oauth1"] },
  { group: "shared", prefix: "zapevent: ", cases: zapeventCases },
  { group: "shared", prefix: "providers: ", cases: providerCases },
  // Node runs these in hardening/node.test.mjs with its Node-only ones.
  { group: "shared", prefix: "hardening: ", cases: hardeningCases, runtimes: ["chromium", "firefox"] },
  { group: "session", prefix: "", cases: sessionCases },
  { group: "session", prefix: "", cases: locklessCases, runtimes: ["node"] }, // (g)–(j)
];

export const GROUPS = ["shared", "session"];

/** N of session scenario (a) (concurrent `session.fetch()` on an expired token) per runtime. */
export const CONCURRENCY = { node: 1000, deno: 500, workerd: 100, chromium: 300, firefox: 200 };

const runsIn = (item, runtime) => !item.runtimes || item.runtimes.includes(runtime);

/**
 * The ctx of one case (see cases.mjs): `base` holds what the harness knows — simUrl, fixtures,
 * assert, runtime, log, `modules` (the namespaces of "oauth-edge", "oauth-edge/manual" and
 * "oauth-edge/oauth1") and `entries` (entry point → {resolved, expected}, for the
 * export-condition check; absent where a runtime cannot tell). The OAuth 1.0a-only module is
 * its own "manual" counterpart (its own glue and error class).
 */
export function contextFor(base, entry = "oauth-edge") {
  const { modules, entries, ...rest } = base;
  const oauth1 = entry === "oauth-edge/oauth1";
  return {
    concurrency: CONCURRENCY[base.runtime],
    ...rest,
    pkg: modules[entry],
    manual: oauth1 ? modules[entry] : modules["oauth-edge/manual"],
    entry: entries?.[entry] ?? null,
  };
}

/**
 * The cases `runtime` runs in `group`, in order: [{name, run}], where `run()` builds the ctx
 * from `base` when it is called (so a harness may fill `base.fixtures` in a before hook).
 */
export function caseList(group, runtime, base) {
  const out = [];
  for (const suite of SUITES) {
    if (suite.group !== group || !runsIn(suite, runtime)) continue;
    for (const entry of suite.entries ?? ["oauth-edge"]) {
      const entryPrefix = entry === "oauth-edge" ? "" : `${entry}: `;
      for (const c of suite.cases) {
        if (runsIn(c, runtime)) out.push({ name: `${entryPrefix}${suite.prefix}${c.name}`, run: () => c.run(contextFor(base, entry)) });
      }
    }
  }
  return out;
}

/** How many cases `runtime` runs in `group` (what run.mjs expects a target to report). */
export const countFor = (group, runtime) => caseList(group, runtime, {}).length;

/** Runs one listed case; never throws. Returns {name, ok, error, ms}. */
export async function runListed(c) {
  const t0 = Date.now();
  try {
    await c.run();
    return { name: c.name, ok: true, error: null, ms: Date.now() - t0 };
  } catch (e) {
    return { name: c.name, ok: false, error: String((e && (e.stack || e.message)) || e), ms: Date.now() - t0 };
  }
}
