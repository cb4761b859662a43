// The one runner of the Node-only suites (zapevent/node.test.mjs, providers/node.test.mjs):
// run from target/runtime-app by run.mjs's node target, one file at a time, so "oauth-edge"
// resolves from the installed tarball like a user's code.
import { before, test } from "node:test";
import * as pkg from "oauth-edge";
import { assert } from "./assert.mjs";
import { loadFixtures } from "./cases.mjs";

/** Registers `cases` as node:test tests with ctx = {pkg, simUrl, assert, runtime, fixtures, clients}. */
export function runNodeSuite(cases) {
  const simUrl = process.env.SIM_URL;
  if (!simUrl) throw new Error("SIM_URL is not set (run tests/runtime/run.mjs)");
  // `clients`: clients made once and shared by a suite's cases (their clientOf helpers).
  const ctx = { pkg, simUrl, assert, runtime: "node", fixtures: null, clients: {} };
  before(async () => {
    ctx.fixtures = await loadFixtures(simUrl);
  });
  for (const c of cases) test(c.name, { timeout: 120_000 }, () => c.run(ctx));
}
