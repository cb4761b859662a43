// Node session suite: `node --test suite/session/node.test.mjs` from target/runtime-app (run.mjs
// copies this directory there), so "oauth-edge" resolves through the package's "node" condition.
import { before, test } from "node:test";
import * as pkg from "oauth-edge";
import { assert } from "../assert.mjs";
import { loadFixtures } from "../cases.mjs";
import { casesFor } from "./cases.mjs";

const simUrl = process.env.SIM_URL;
if (!simUrl) throw new Error("SIM_URL is not set (run tests/runtime/run.mjs)");

const ctx = { pkg, simUrl, assert, runtime: "node", fixtures: null, concurrency: 1000, log: (m) => console.log(`# ${m}`) };

before(async () => {
  ctx.fixtures = await loadFixtures(simUrl);
});

for (const c of casesFor("node")) test(c.name, { timeout: 60_000 }, () => c.run(ctx));
