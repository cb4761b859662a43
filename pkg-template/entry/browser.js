// Browsers and bundlers: the .wasm next to this file is fetched once, by top-level await.
// Use "oauth-edge/manual" to load it yourself (CSP, CDN, service workers).
import { init } from "../init.js";

await init(new URL("../oauth_edge_bg.wasm", import.meta.url));

export * from "../oauth_edge.js";
export { OAuthEdgeError } from "../error.js";
export { init } from "../init.js";
export { memoryStore } from "../stores/memory.js";
export { localStorageStore } from "../stores/local-storage.js";
export { indexedDbStore } from "../stores/indexed-db.js";
export { denoKvStore } from "../stores/deno-kv.js";
export { durableObjectStore, TokenStoreDurableObject } from "../stores/durable-object.js";
