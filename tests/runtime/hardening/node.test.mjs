// Node-only hardening suite (../node-suite.mjs runs it): no secret in any error (secrets.mjs).
import { runNodeSuite } from "../node-suite.mjs";
import { secretsCases } from "./secrets.mjs";

runNodeSuite(secretsCases);
