// Deno: the .wasm is imported as a compiled WebAssembly.Module (source phase import, Deno ≥ 2.x),
// so no read permission and no fetch are needed, and instantiation is synchronous.
import source wasmModule from "../oauth_edge_bg.wasm";
import { initSync } from "../exports.js";

initSync({ module: wasmModule });

export * from "../exports.js";
