// The fault matrix in Node (../node-suite.mjs runs it): one test per applicable cell of
// matrix.mjs (provider × fault), against the simulator run.mjs started.
import { runNodeSuite } from "../node-suite.mjs";
import { faultCases } from "./matrix.mjs";

runNodeSuite(faultCases);
