// Deno suite: `deno test --allow-net --allow-read --allow-env suite/deno.test.mjs` from
// target/runtime-app (run.mjs copies this file there; its deno.json says nodeModulesDir
// "manual"), so "oauth-edge" resolves from that project's node_modules like a user's code.
import * as pkg from "oauth-edge";
import * as manual from "oauth-edge/manual";
import * as oauth1 from "oauth-edge/oauth1";
import { assert } from "./assert.mjs";
import { cases, loadFixtures } from "./cases.mjs";
import { zapeventCases } from "./zapevent/cases.mjs";
import { providerCases } from "./providers/cases.mjs";

const simUrl = Deno.env.get("SIM_URL");
if (!simUrl) throw new Error("SIM_URL is not set (run tests/runtime/run.mjs)");

const fixtures = await loadFixtures(simUrl);
const pkgJsonUrl = new URL(import.meta.resolve("oauth-edge/package.json"));
const { exports } = JSON.parse(await Deno.readTextFile(pkgJsonUrl));
const entry = { resolved: import.meta.resolve("oauth-edge"), expected: new URL(exports["."].deno, pkgJsonUrl).href };
const ctx = { pkg, manual, simUrl, assert, runtime: "deno", fixtures, entry };

// Deno's op and resource sanitizers stay on: a case that leaks a response body fails here.
for (const c of cases) Deno.test(c.name, () => c.run(ctx));
// The short ZapEvent flows (zapevent/cases.mjs), through the main entry only.
for (const c of zapeventCases) Deno.test(`zapevent: ${c.name}`, () => c.run(ctx));
// The short provider flows (providers/cases.mjs), through the main entry only.
for (const c of providerCases) Deno.test(`providers: ${c.name}`, () => c.run(ctx));

// The same cases through "oauth-edge/oauth1", the OAuth 1.0a-only module.
const entry1 = { resolved: import.meta.resolve("oauth-edge/oauth1"), expected: new URL(exports["./oauth1"].deno, pkgJsonUrl).href };
const ctx1 = { ...ctx, pkg: oauth1, manual: oauth1, entry: entry1 };
for (const c of cases) Deno.test(`oauth-edge/oauth1: ${c.name}`, () => c.run(ctx1));
