// Node-only ZapEvent suite (../node-suite.mjs runs it): the cases live in node-api.mjs,
// node-paging.mjs and node-errors.mjs, listed by node-cases.mjs (run.mjs counts them).
import { runNodeSuite } from "../node-suite.mjs";
import { nodeCases } from "./node-cases.mjs";

runNodeSuite(nodeCases);
