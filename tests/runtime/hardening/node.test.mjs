// The hardening suite in Node (../node-suite.mjs runs it): the cases shared with the browser page
// (browserCases: survival.mjs, secrets.mjs) and response size limits (limits.mjs).
import { runNodeSuite } from "../node-suite.mjs";
import { browserCases } from "./cases.mjs";
import { limitCases } from "./limits.mjs";

runNodeSuite([...browserCases, ...limitCases]);
