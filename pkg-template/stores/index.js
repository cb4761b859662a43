// The token stores every full entry exports (through ../exports.js).
export { memoryStore } from "./memory.js";
export { localStorageStore } from "./local-storage.js";
export { indexedDbStore } from "./indexed-db.js";
export { denoKvStore } from "./deno-kv.js";
export { durableObjectStore, TokenStoreDurableObject } from "./durable-object.js";
