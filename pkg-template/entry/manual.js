// No automatic loading: call `await init(input)` before using any class.
export * from "../oauth_edge.js";
export { OAuthEdgeError } from "../error.js";
export { init } from "../init.js";
export { memoryStore } from "../stores/memory.js";
export { localStorageStore } from "../stores/local-storage.js";
export { indexedDbStore } from "../stores/indexed-db.js";
export { denoKvStore } from "../stores/deno-kv.js";
export { durableObjectStore, TokenStoreDurableObject } from "../stores/durable-object.js";
