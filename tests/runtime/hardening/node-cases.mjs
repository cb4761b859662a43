// The Node-only hardening cases (node.test.mjs runs them after the shared ones; run.mjs counts
// them): response size limits (limits.mjs), redirect and origin rules (transport.mjs, which
// needs node:http for its two local origins), bounded memory (memory.mjs, its own process),
// loading on first use (loading.mjs, a fresh process per case).
import { limitCases } from "./limits.mjs";
import { loadingCases } from "./loading.mjs";
import { memoryCases } from "./memory.mjs";
import { transportCases } from "./transport.mjs";

export const nodeCases = [...limitCases, ...transportCases, ...memoryCases, ...loadingCases];
