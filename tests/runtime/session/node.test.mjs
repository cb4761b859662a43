// Node session suite: `node --test suite/session/node.test.mjs` from target/runtime-app (run.mjs
// copies this directory there), so "oauth-edge" resolves through the package's "node" condition.
// The "session" cases of ../suites.mjs (cases.mjs, and the lockless and regression cases of
// lockless.mjs), then scenario (k): Node child processes on one HTTP compare-and-set record
// (processes.mjs).
import { before, test } from "node:test";
import * as pkg from "oauth-edge";
import { assert } from "../assert.mjs";
import { loadFixtures } from "../cases.mjs";
import { caseList, contextFor } from "../suites.mjs";
import { PROCESSES, PROCESS_CYCLES, processCycles } from "./processes.mjs";

const simUrl = process.env.SIM_URL;
if (!simUrl) throw new Error("SIM_URL is not set (run tests/runtime/run.mjs)");

const base = { modules: { "oauth-edge": pkg }, simUrl, assert, runtime: "node", fixtures: null, log: (m) => console.log(`# ${m}`) };

before(async () => {
  base.fixtures = await loadFixtures(simUrl);
});

for (const c of caseList("session", "node", base)) test(c.name, { timeout: 60_000 }, c.run);
test(`(k) ${PROCESSES} Node processes, one HTTP compare-and-set record without lock(), ${PROCESS_CYCLES} lock-step cycles: exactly 1 refresh per cycle`, { timeout: 60_000 }, () =>
  processCycles(contextFor(base), { processes: PROCESSES, cycles: PROCESS_CYCLES }));
