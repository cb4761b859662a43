// Node session suite: `node --test suite/session/node.test.mjs` from target/runtime-app (run.mjs
// copies this directory there), so "oauth-edge" resolves through the package's "node" condition.
// The shared cases (cases.mjs), the lockless and regression cases (lockless.mjs), then scenario
// (k): Node child processes on one HTTP compare-and-set record (processes.mjs).
import { before, test } from "node:test";
import * as pkg from "oauth-edge";
import { assert } from "../assert.mjs";
import { loadFixtures } from "../cases.mjs";
import { casesFor } from "./cases.mjs";
import { locklessCasesFor } from "./lockless.mjs";
import { PROCESSES, PROCESS_CYCLES, processCycles } from "./processes.mjs";

const simUrl = process.env.SIM_URL;
if (!simUrl) throw new Error("SIM_URL is not set (run tests/runtime/run.mjs)");

const ctx = { pkg, simUrl, assert, runtime: "node", fixtures: null, concurrency: 1000, log: (m) => console.log(`# ${m}`) };

before(async () => {
  ctx.fixtures = await loadFixtures(simUrl);
});

for (const c of casesFor("node")) test(c.name, { timeout: 60_000 }, () => c.run(ctx));
for (const c of locklessCasesFor("node")) test(c.name, { timeout: 60_000 }, () => c.run(ctx));
test(`(k) ${PROCESSES} Node processes, one HTTP compare-and-set record without lock(), ${PROCESS_CYCLES} lock-step cycles: exactly 1 refresh per cycle`, { timeout: 60_000 }, () =>
  processCycles(ctx, { processes: PROCESSES, cycles: PROCESS_CYCLES }));
