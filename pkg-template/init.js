// Explicit initialization for hosts that load the WebAssembly themselves.
import __wbg_init, { initSync } from "./oauth_edge.js";

/**
 * Loads the WebAssembly module. `input` may be a `WebAssembly.Module`, the bytes of
 * `oauth_edge_bg.wasm` (ArrayBuffer / typed array), a URL or string URL, a `Response`, or a
 * promise of any of these; with no argument the file next to this module is fetched.
 * Calling it again is a no-op.
 */
export async function init(input) {
  let bytes = false;
  try {
    bytes = input instanceof WebAssembly.Module || ArrayBuffer.isView(input) || input instanceof ArrayBuffer;
  } catch {
    // a Proxy whose traps throw: not a module or bytes; the loader below decides
  }
  if (bytes) {
    initSync({ module: input });
    return;
  }
  await __wbg_init(input === undefined ? undefined : { module_or_path: input });
}

export { initSync };
