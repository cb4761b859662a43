// Browsers and bundlers: the .wasm next to this file is fetched once, by top-level await.
// Use "oauth-edge/manual" to load it yourself (CSP, CDN, service workers).
import { init } from "../exports.js";

await init(new URL("../oauth_edge_bg.wasm", import.meta.url));

export * from "../exports.js";
