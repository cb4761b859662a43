// The hardening cases every runner shares (Node: node.test.mjs; Chromium and Firefox:
// the page, through ../suites.mjs): survival under malformed input (survival.mjs) and no secret in any
// error or request URL (secrets.mjs). run.mjs counts them.
import { secretsCases } from "./secrets.mjs";
import { survivalCases } from "./survival.mjs";

export const browserCases = [...survivalCases, ...secretsCases];
