// The Node-only hardening cases (node.test.mjs runs them after the shared ones; run.mjs counts
// them): response size limits (limits.mjs), redirect and origin rules (transport.mjs, which
// needs node:http for its two local origins).
import { limitCases } from "./limits.mjs";
import { transportCases } from "./transport.mjs";

export const nodeCases = [...limitCases, ...transportCases];
