// Node-only hardening suite (../node-suite.mjs runs it): no secret in any error (secrets.mjs), response size limits (limits.mjs).
import { runNodeSuite } from "../node-suite.mjs";
import { limitCases } from "./limits.mjs";
import { secretsCases } from "./secrets.mjs";

runNodeSuite([...secretsCases, ...limitCases]);
