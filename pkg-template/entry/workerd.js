// Cloudflare Workers (workerd): a `.wasm` import is a compiled WebAssembly.Module (wrangler and
// workerd's "wasm" module type), instantiated synchronously; no fetch, no eval.
import wasmModule from "../oauth_edge_bg.wasm";
import { initSync } from "../oauth_edge.js";

initSync({ module: wasmModule });

export * from "../oauth_edge.js";
export { OAuthEdgeError } from "../error.js";
export { init } from "../init.js";
export { memoryStore } from "../stores/memory.js";
export { localStorageStore } from "../stores/local-storage.js";
export { indexedDbStore } from "../stores/indexed-db.js";
export { denoKvStore } from "../stores/deno-kv.js";
export { durableObjectStore, TokenStoreDurableObject } from "../stores/durable-object.js";
