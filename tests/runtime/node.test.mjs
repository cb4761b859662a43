// Node suite: `node --test suite/node.test.mjs` from target/runtime-app (run.mjs copies this file
// there), so "oauth-edge" resolves from that consumer project's node_modules like a user's code.
import { before, test } from "node:test";
import { readFile } from "node:fs/promises";
import * as pkg from "oauth-edge";
import * as manual from "oauth-edge/manual";
import * as oauth1 from "oauth-edge/oauth1";
import { assert } from "./assert.mjs";
import { cases, loadFixtures } from "./cases.mjs";
import { zapeventCases } from "./zapevent/cases.mjs";
import { providerCases } from "./providers/cases.mjs";

const simUrl = process.env.SIM_URL;
if (!simUrl) throw new Error("SIM_URL is not set (run tests/runtime/run.mjs)");

const ctx = { pkg, manual, simUrl, assert, runtime: "node", fixtures: null, entry: null };

before(async () => {
  ctx.fixtures = await loadFixtures(simUrl);
  const pkgJsonUrl = new URL(import.meta.resolve("oauth-edge/package.json"));
  const { exports } = JSON.parse(await readFile(pkgJsonUrl, "utf8"));
  ctx.entry = { resolved: import.meta.resolve("oauth-edge"), expected: new URL(exports["."].node, pkgJsonUrl).href };
});

for (const c of cases) test(c.name, () => c.run(ctx));
// The short ZapEvent flows (zapevent/cases.mjs); the thorough Node-only ZapEvent suite is
// zapevent/node.test.mjs, run by the same target.
for (const c of zapeventCases) test(`zapevent: ${c.name}`, () => c.run(ctx));
// The short provider flows (providers/cases.mjs: OneRoster ×3, ORC, Priava, OmniFund,
// TokenSession.paginate); the thorough Node-only suite is providers/node.test.mjs.
for (const c of providerCases) test(`providers: ${c.name}`, () => c.run(ctx));

// The same cases through "oauth-edge/oauth1", the OAuth 1.0a-only module (its own glue and
// error class, so it is its own "manual" counterpart here).
const ctx1 = { pkg: oauth1, manual: oauth1, simUrl, assert, runtime: "node", entry: null };
Object.defineProperty(ctx1, "fixtures", { get: () => ctx.fixtures });
before(async () => {
  const pkgJsonUrl = new URL(import.meta.resolve("oauth-edge/package.json"));
  const { exports } = JSON.parse(await readFile(pkgJsonUrl, "utf8"));
  ctx1.entry = { resolved: import.meta.resolve("oauth-edge/oauth1"), expected: new URL(exports["./oauth1"].node, pkgJsonUrl).href };
});
for (const c of cases) test(`oauth-edge/oauth1: ${c.name}`, () => c.run(ctx1));
