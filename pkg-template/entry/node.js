// Node: the module is read from disk and instantiated synchronously at import time.
import { readFileSync } from "node:fs";
import { initSync } from "../oauth_edge.js";

initSync({ module: readFileSync(new URL("../oauth_edge_bg.wasm", import.meta.url)) });

export * from "../oauth_edge.js";
export { OAuthEdgeError } from "../error.js";
export { init } from "../init.js";
export { memoryStore } from "../stores/memory.js";
export { localStorageStore } from "../stores/local-storage.js";
export { indexedDbStore } from "../stores/indexed-db.js";
export { denoKvStore } from "../stores/deno-kv.js";
export { durableObjectStore, TokenStoreDurableObject } from "../stores/durable-object.js";
