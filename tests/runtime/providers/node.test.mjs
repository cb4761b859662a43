// Node-only provider suite: `node --test suite/providers/node.test.mjs` from target/runtime-app
// (run.mjs's node target runs it after ../node.test.mjs and ../zapevent/node.test.mjs, one file
// at a time), so "oauth-edge" resolves from the installed tarball like a user's code. The cases
// live in node-oneroster.mjs, node-oneroster-query.mjs, node-oneroster-auth.mjs, node-orc.mjs
// and node-paginate.mjs, listed by node-cases.mjs (run.mjs counts them).
import { before, test } from "node:test";
import * as pkg from "oauth-edge";
import { assert } from "../assert.mjs";
import { loadFixtures } from "../cases.mjs";
import { nodeCases } from "./node-cases.mjs";

const simUrl = process.env.SIM_URL;
if (!simUrl) throw new Error("SIM_URL is not set (run tests/runtime/run.mjs)");

// `clients`: one OneRoster client per way in, made once and shared (node-kit.mjs clientOf).
const ctx = { pkg, simUrl, assert, runtime: "node", fixtures: null, clients: {} };

before(async () => {
  ctx.fixtures = await loadFixtures(simUrl);
});

for (const c of nodeCases) test(c.name, { timeout: 120_000 }, () => c.run(ctx));
