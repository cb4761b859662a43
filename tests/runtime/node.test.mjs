// Node suite: `node --test suite/node.test.mjs` from target/runtime-app (run.mjs copies this file
// there), so "oauth-edge" resolves from that consumer project's node_modules like a user's code.
// Runs the "shared" cases of suites.mjs; the thorough Node-only suites (zapevent/, providers/,
// hardening/ node.test.mjs, through node-suite.mjs) are run by the same target.
import { before, test } from "node:test";
import { readFile } from "node:fs/promises";
import * as pkg from "oauth-edge";
import * as manual from "oauth-edge/manual";
import * as oauth1 from "oauth-edge/oauth1";
import { assert } from "./assert.mjs";
import { loadFixtures } from "./cases.mjs";
import { caseList } from "./suites.mjs";

const simUrl = process.env.SIM_URL;
if (!simUrl) throw new Error("SIM_URL is not set (run tests/runtime/run.mjs)");

const base = { modules: { "oauth-edge": pkg, "oauth-edge/manual": manual, "oauth-edge/oauth1": oauth1 }, simUrl, assert, runtime: "node", fixtures: null, entries: {} };

before(async () => {
  base.fixtures = await loadFixtures(simUrl);
  const pkgJsonUrl = new URL(import.meta.resolve("oauth-edge/package.json"));
  const { exports } = JSON.parse(await readFile(pkgJsonUrl, "utf8"));
  base.entries = {
    "oauth-edge": { resolved: import.meta.resolve("oauth-edge"), expected: new URL(exports["."].node, pkgJsonUrl).href },
    "oauth-edge/oauth1": { resolved: import.meta.resolve("oauth-edge/oauth1"), expected: new URL(exports["./oauth1"].node, pkgJsonUrl).href },
  };
});

for (const c of caseList("shared", "node", base)) test(c.name, c.run);
