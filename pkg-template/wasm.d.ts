// Types of the package's `.wasm` subpaths ("oauth-edge/oauth_edge_bg.wasm",
// "oauth-edge/oauth1/oauth_edge_bg.wasm"). They are exported for hosts that load the module
// themselves, e.g. `import wasm from "oauth-edge/oauth_edge_bg.wasm"` where a `.wasm` import is a
// compiled module (Cloudflare Workers / wrangler), then `init(wasm)` from "oauth-edge/manual".
// Hosts and bundlers that turn a `.wasm` import into a URL or bytes instead: pass that to `init`.
declare const wasmModule: WebAssembly.Module;
export default wasmModule;
