// workerd suite: a Worker that imports "oauth-edge" (mapped by the generated config to the
// package's "workerd" export) and runs one shared case per request, inside the Worker:
//   GET /cases      → [{index, name}]
//   GET /case/<i>   → {name, ok, error, ms}
// SIM_URL arrives as a text binding; outbound fetch reaches the loopback simulator through a
// network service with allow = ["local"] (the Worker's globalOutbound).
import * as pkg from "oauth-edge";
import * as manual from "oauth-edge/manual";
import * as oauth1 from "oauth-edge/oauth1";
// workerd resolves every specifier, bare ones included, against the importing module's name as
// a path, so the generated config puts this module, cases.mjs, assert.mjs and the "oauth-edge"
// alias modules at the root of the module tree.
import { assert } from "./assert.mjs";
import { cases, loadFixtures, runCase } from "./cases.mjs";
import { zapeventCases } from "./zapevent/cases.mjs";
import { providerCases } from "./providers/cases.mjs";

let fixtures = null; // plain JSON, safe to keep across requests

const json = (value, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { "Content-Type": "application/json" } });

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    // Every case twice: indexes past cases.length run through "oauth-edge/oauth1"; past 2n,
    // the short ZapEvent flows (zapevent/cases.mjs), then the short provider flows
    // (providers/cases.mjs), both through the main entry only.
    const n = cases.length;
    const z = 2 * n + zapeventCases.length;
    const total = z + providerCases.length;
    const name = (i) => (i < n ? cases[i].name : i < 2 * n ? `oauth-edge/oauth1: ${cases[i - n].name}` : i < z ? `zapevent: ${zapeventCases[i - 2 * n].name}` : `providers: ${providerCases[i - z].name}`);
    if (url.pathname === "/cases") return json(Array.from({ length: total }, (_, index) => ({ index, name: name(index) })));
    const m = /^\/case\/(\d+)$/.exec(url.pathname);
    const index = m ? Number(m[1]) : -1;
    if (!(index >= 0 && index < total)) return json({ error: "no such route" }, 404);
    const c = index < 2 * n ? cases[index % n] : index < z ? zapeventCases[index - 2 * n] : providerCases[index - z];
    try {
      fixtures ??= await loadFixtures(env.SIM_URL);
    } catch (e) {
      return json({ name: c.name, ok: false, error: `fixtures: ${e && e.stack ? e.stack : e}`, ms: 0 });
    }
    // The export condition is applied by run.mjs when it maps "oauth-edge" in the config.
    const [p, mod] = index < n || index >= 2 * n ? [pkg, manual] : [oauth1, oauth1];
    const ctx = { pkg: p, manual: mod, simUrl: env.SIM_URL, fixtures, assert, runtime: "workerd", entry: null };
    return json({ ...(await runCase(c, ctx)), name: name(index) });
  },
};
