// Deno: the .wasm is imported as a compiled WebAssembly.Module (source phase import, Deno ≥ 2.x),
// so no read permission and no fetch are needed, and instantiation is synchronous.
import source wasmModule from "../oauth_edge_bg.wasm";
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
