// Deno suite: `deno test --allow-net --allow-read --allow-env suite/deno.test.mjs` from
// target/runtime-app (run.mjs copies this file there; its deno.json says nodeModulesDir
// "manual"), so "oauth-edge" resolves from that project's node_modules like a user's code.
// Runs the "shared" cases of suites.mjs.
import * as pkg from "oauth-edge";
import * as manual from "oauth-edge/manual";
import * as oauth1 from "oauth-edge/oauth1";
import { assert } from "./assert.mjs";
import { loadFixtures } from "./cases.mjs";
import { caseList } from "./suites.mjs";

const simUrl = Deno.env.get("SIM_URL");
if (!simUrl) throw new Error("SIM_URL is not set (run tests/runtime/run.mjs)");

const pkgJsonUrl = new URL(import.meta.resolve("oauth-edge/package.json"));
const { exports } = JSON.parse(await Deno.readTextFile(pkgJsonUrl));
const base = {
  modules: { "oauth-edge": pkg, "oauth-edge/manual": manual, "oauth-edge/oauth1": oauth1 },
  entries: {
    "oauth-edge": { resolved: import.meta.resolve("oauth-edge"), expected: new URL(exports["."].deno, pkgJsonUrl).href },
    "oauth-edge/oauth1": { resolved: import.meta.resolve("oauth-edge/oauth1"), expected: new URL(exports["./oauth1"].deno, pkgJsonUrl).href },
  },
  simUrl, fixtures: await loadFixtures(simUrl), assert, runtime: "deno",
};

// Deno's op and resource sanitizers stay on: a case that leaks a response body fails here.
for (const c of caseList("shared", "deno", base)) Deno.test(c.name, c.run);
