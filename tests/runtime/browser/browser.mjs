// Browser suite (Chromium, Firefox): runs every shared case in the page and publishes
// window.__results = {done, results: [{name, ok, error, ms}]} for run.mjs (Playwright) to read.
import * as pkg from "oauth-edge";
import * as manual from "oauth-edge/manual";
import * as oauth1 from "oauth-edge/oauth1";
import { assert } from "../assert.mjs";
import { cases, loadFixtures, runCase } from "../cases.mjs";
import { zapeventCases } from "../zapevent/cases.mjs";
import { providerCases } from "../providers/cases.mjs";
import { browserCases as hardeningCases } from "../hardening/cases.mjs";

const params = new URLSearchParams(location.search);
const runtime = params.get("runtime") || "browser";
const simUrl = location.origin;
const out = document.getElementById("out");

try {
  const fixtures = await loadFixtures(simUrl);
  const pkgJsonUrl = new URL("/app/node_modules/oauth-edge/package.json", location.href);
  const { exports } = await (await fetch(pkgJsonUrl)).json();
  const entry = { resolved: import.meta.resolve("oauth-edge"), expected: new URL(exports["."].browser, pkgJsonUrl).href };
  const ctx = { pkg, manual, simUrl, fixtures, assert, runtime, entry };
  // Every case twice: through "oauth-edge" and through "oauth-edge/oauth1" (OAuth 1.0a-only module).
  const entry1 = { resolved: import.meta.resolve("oauth-edge/oauth1"), expected: new URL(exports["./oauth1"].browser, pkgJsonUrl).href };
  const ctx1 = { ...ctx, pkg: oauth1, manual: oauth1, entry: entry1 };
  const results = [];
  // + the short ZapEvent flows (zapevent/cases.mjs) and provider flows (providers/cases.mjs),
  // through the main entry only.
  for (const [prefix, context, list] of [["", ctx, cases], ["oauth-edge/oauth1: ", ctx1, cases], ["zapevent: ", ctx, zapeventCases], ["providers: ", ctx, providerCases], ["hardening: ", ctx, hardeningCases]]) {
    for (const c of list) {
      const r = await runCase(c, context);
      r.name = prefix + r.name;
      results.push(r);
      out.textContent += `\n${r.ok ? "ok  " : "FAIL"} ${r.name}${r.ok ? "" : `\n${r.error}`}`;
    }
  }
  window.__results = { done: true, results };
} catch (e) {
  window.__results = { done: true, fatal: String((e && (e.stack || e.message)) || e), results: [] };
}
