// The Node-only ZapEvent cases, in the order node.test.mjs runs them; run.mjs imports this list
// to know how many tests the node target must report.
import { apiCases } from "./node-api.mjs";
import { errorCases } from "./node-errors.mjs";
import { pagingCases } from "./node-paging.mjs";

export const nodeCases = [...apiCases, ...pagingCases, ...errorCases];
