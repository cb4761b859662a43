// Node-only ZapEvent suite: `node --test suite/zapevent/node.test.mjs` from target/runtime-app
// (run.mjs's node target runs it after ../node.test.mjs, one file at a time), so "oauth-edge"
// resolves from the installed tarball like a user's code. The cases live in node-api.mjs,
// node-paging.mjs and node-errors.mjs (run.mjs counts them).
import { before, test } from "node:test";
import * as pkg from "oauth-edge";
import { assert } from "../assert.mjs";
import { loadFixtures } from "../cases.mjs";
import { nodeCases } from "./node-cases.mjs";

const simUrl = process.env.SIM_URL;
if (!simUrl) throw new Error("SIM_URL is not set (run tests/runtime/run.mjs)");

// `clients`: the four ways in, made once and shared by the cases (see node-api.mjs clientOf).
const ctx = { pkg, simUrl, assert, runtime: "node", fixtures: null, clients: {} };

before(async () => {
  ctx.fixtures = await loadFixtures(simUrl);
});

for (const c of nodeCases) test(c.name, { timeout: 120_000 }, () => c.run(ctx));
