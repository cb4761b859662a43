// Node: the module is read from disk and instantiated synchronously at import time.
import { readFileSync } from "node:fs";
import { initSync } from "../exports.js";

initSync({ module: readFileSync(new URL("../oauth_edge_bg.wasm", import.meta.url)) });

export * from "../exports.js";
