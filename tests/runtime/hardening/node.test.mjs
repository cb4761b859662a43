// The hardening suite in Node (../node-suite.mjs runs it): the cases shared with the browser page
// (browserCases: survival.mjs, secrets.mjs), response size limits (limits.mjs) and the redirect
// and origin rules (transport.mjs, two local origins).
import { runNodeSuite } from "../node-suite.mjs";
import { browserCases } from "./cases.mjs";
import { nodeCases } from "./node-cases.mjs";

runNodeSuite([...browserCases, ...nodeCases]);
