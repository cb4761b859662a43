// Node: the module is read from disk at import time and compiled in the background
// (WebAssembly.compile runs off the main thread), then instantiated synchronously on first use.
// An import costs no compile on the main thread (cold start, README "Speed and size"); a call
// made before the background compile has finished compiles the bytes itself, synchronously.
import { readFileSync } from "node:fs";
import { initSync } from "../exports.js";

let bytes = readFileSync(new URL("../oauth_edge_bg.wasm", import.meta.url));
let compiled;
WebAssembly.compile(bytes).then(
  (module) => (compiled = module),
  () => {}, // the synchronous compile of the first use reports what is wrong with the bytes
);
initSync(() => {
  const module = compiled ?? bytes;
  bytes = compiled = undefined; // instantiated once: nothing to keep
  return { module };
});

export * from "../exports.js";
