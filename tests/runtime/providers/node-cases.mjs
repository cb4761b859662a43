// The Node-only provider cases, in the order node.test.mjs runs them; run.mjs imports this list
// to know how many tests the node target must report.
import { authCases } from "./node-oneroster-auth.mjs";
import { rosterCases } from "./node-oneroster.mjs";
import { queryCases } from "./node-oneroster-query.mjs";
import { orcCases } from "./node-orc.mjs";
import { paginateCases } from "./node-paginate.mjs";
import { typingCases } from "./node-typing.mjs";

export const nodeCases = [...rosterCases, ...queryCases, ...authCases, ...orcCases, ...paginateCases, ...typingCases];
