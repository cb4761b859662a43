// The one browser page of the runtime suite (index.html; Chromium and Firefox): runs the cases
// ../suites.mjs lists for `?group=shared|session` and this `?runtime=`, and publishes
// window.__results = {done, results: [{name, ok, error, ms}], fatal?} for the driver to read
// (browser/chromium.mjs, browser/firefox.mjs). `?tabs=1` runs nothing and exposes window.__tabs
// instead (session scenarios (c) and (m): ../session/tabs.mjs, driven by ../session/tabs-driver.mjs).
import * as pkg from "oauth-edge";
import * as manual from "oauth-edge/manual";
import * as oauth1 from "oauth-edge/oauth1";
import { assert } from "../assert.mjs";
import { loadFixtures } from "../cases.mjs";
import { tabs } from "../session/tabs.mjs";
import { caseList, contextFor, runListed } from "../suites.mjs";

const params = new URLSearchParams(location.search);
const runtime = params.get("runtime") || "chromium";
const group = params.get("group") || "shared";
const simUrl = location.origin;
const out = document.getElementById("out");

try {
  const fixtures = await loadFixtures(simUrl);
  // Each entry must resolve (through the import map, as a user maps the installed package by
  // hand) to the package's "browser" export.
  const pkgJsonUrl = new URL("/app/node_modules/oauth-edge/package.json", location.href);
  const { exports } = await (await fetch(pkgJsonUrl)).json();
  const entries = Object.fromEntries(["oauth-edge", "oauth-edge/oauth1"].map((e) => [e, {
    resolved: import.meta.resolve(e),
    expected: new URL(exports[e === "oauth-edge" ? "." : `./${e.slice("oauth-edge/".length)}`].browser, pkgJsonUrl).href,
  }]));
  const base = {
    modules: { "oauth-edge": pkg, "oauth-edge/manual": manual, "oauth-edge/oauth1": oauth1 },
    entries, simUrl, fixtures, assert, runtime, log: (m) => console.log(m),
    ...(params.get("n") ? { concurrency: Number(params.get("n")) } : {}),
  };
  if (params.get("tabs")) {
    window.__tabs = tabs(contextFor(base));
    out.textContent = "ready";
  } else {
    const results = [];
    out.textContent = "running…";
    for (const c of caseList(group, runtime, base)) {
      const r = await runListed(c);
      results.push(r);
      out.textContent += `\n${r.ok ? "ok  " : "FAIL"} ${r.name}${r.ok ? "" : `\n${r.error}`}`;
    }
    window.__results = { done: true, results };
  }
} catch (e) {
  window.__results = { done: true, fatal: String((e && (e.stack || e.message)) || e), results: [] };
  window.__tabsError = window.__results.fatal;
}
