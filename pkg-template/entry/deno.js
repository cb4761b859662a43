// Deno: the module is read next to this file at import time (top-level await). Deno asks for
// read permission on that file (`--allow-read`, which may be scoped to the package directory;
// Deno Deploy allows it). To avoid it, import "oauth-edge/manual" and call init() with bytes
// or a WebAssembly.Module you obtained yourself.
import { initSync } from "../oauth_edge.js";

initSync({ module: await Deno.readFile(new URL("../oauth_edge_bg.wasm", import.meta.url)) });

export * from "../oauth_edge.js";
export { OAuthEdgeError } from "../error.js";
export { init } from "../init.js";
