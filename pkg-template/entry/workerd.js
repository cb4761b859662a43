// Cloudflare Workers (workerd): a `.wasm` import is a compiled WebAssembly.Module (wrangler and
// workerd's "wasm" module type), instantiated synchronously; no fetch, no eval.
import wasmModule from "../oauth_edge_bg.wasm";
import { initSync } from "../exports.js";

initSync({ module: wasmModule });

export * from "../exports.js";
