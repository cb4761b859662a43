// Node-only provider suite (../node-suite.mjs runs it): the cases live in node-oneroster.mjs,
// node-oneroster-query.mjs, node-oneroster-auth.mjs, node-orc.mjs and node-paginate.mjs, listed
// by node-cases.mjs (run.mjs counts them).
import { runNodeSuite } from "../node-suite.mjs";
import { nodeCases } from "./node-cases.mjs";

runNodeSuite(nodeCases);
