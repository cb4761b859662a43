// Makes wasm-bindgen's own argument checks throw OAuthEdgeError (INVALID_ARGUMENT) like the rest
// of the package: `_assertClass` (a TokenSession/OAuth2Client argument that is not one: a plain
// Error, or a raw throw from a hostile Proxy's getPrototypeOf trap) and `__wbindgen_throw` (what
// Rust-side glue throws for an object used after free() or re-entered while in use: "null
// pointer passed to rust", "recursive use of an object detected…"). wasm-bindgen has no hook
// for either; the survival test (tests/runtime/hardening/survival.mjs) checks the result. And
// lets an entry defer instantiation to first use (below).
//   node scripts/patch-glue.mjs pkg/oauth_edge.js   (before minification; wasm-bindgen 0.2.130)
import { readFileSync, writeFileSync } from "node:fs";

const file = process.argv[2];
let glue = readFileSync(file, "utf8");
const replace = (from, to, what) => {
  if (!glue.includes(from)) {
    console.error(`patch-glue: ${what} not found in ${file} (did wasm-bindgen change?)`);
    process.exit(1);
  }
  glue = glue.replace(from, to);
};
if (!/^import \{ makeError \} from '\.\/snippets\/[^']+\/src\/js\/error\.js';$/m.test(glue)) {
  console.error(`patch-glue: ${file} does not import makeError`);
  process.exit(1);
}
if (glue.includes("function _assertClass(")) {
  replace(
    "function _assertClass(instance, klass) {\n    if (!(instance instanceof klass)) {\n        throw new Error(`expected instance of ${klass.name}`);\n    }\n}",
    "function _assertClass(instance, klass) {\n    let ok = false;\n    try { ok = instance instanceof klass; } catch {}\n    if (!ok) throw makeError(\"INVALID_ARGUMENT\", `expected an instance of ${klass.name}`);\n}",
    "_assertClass",
  );
}
// Loading on first use (issue 10, cold start). `initSync(load)` with a function keeps `load` and
// returns: the module is instantiated, from what `load()` returns ({ module } as for initSync),
// at the glue's first touch of the wasm exports, through a stand-in object whose property reads
// load it, or at an init() without input. pkg/entry/node.js starts the compile in the
// background and passes such a function, so an import costs no compile on the main thread. An
// init(input) or initSync(module) before the first touch loads what it is given instead (in Node,
// "oauth-edge/manual" is that entry). Until an entry (or the user) has called init, initSync or
// initSync(load), the stand-in throws INTERNAL, the code documented for a module used before
// init() (it was a TypeError: `wasm` was undefined).
replace(
  "let wasmModule, wasmInstance, wasm;\n",
  "let wasmModule, wasmInstance, lazyLoad;\n" +
    "const notLoaded = new Proxy({}, { get(_, name) {\n" +
    "    if (lazyLoad === undefined) throw makeError(\"INTERNAL\", \"the WebAssembly module is not loaded: call init() first\");\n" +
    "    initSync(lazyLoad());\n" +
    "    return wasm[name];\n" +
    "} });\n" +
    "let wasm = notLoaded;\n",
  "the wasm exports variable",
);
// Whichever load finishes first is the instance: an init(input) still loading when a first use
// has loaded through `load` (or the other way round) drops its own, so objects made meanwhile
// keep pointing into the one instance.
replace(
  "function __wbg_finalize_init(instance, module) {\n",
  "function __wbg_finalize_init(instance, module) {\n    if (wasm !== notLoaded) return wasm;\n",
  "__wbg_finalize_init's start",
);
replace(
  "    wasm = instance.exports;\n",
  "    wasm = instance.exports;\n    lazyLoad = undefined;\n",
  "__wbg_finalize_init",
);
replace(
  "function initSync(module) {\n    if (wasm !== undefined) return wasm;\n",
  "function initSync(module) {\n    if (wasm !== notLoaded) return wasm;\n    if (typeof module === \"function\") { lazyLoad = module; return; }\n",
  "initSync",
);
replace(
  "async function __wbg_init(module_or_path) {\n    if (wasm !== undefined) return wasm;\n",
  "async function __wbg_init(module_or_path) {\n    if (wasm !== notLoaded) return wasm;\n    if (lazyLoad !== undefined && module_or_path === undefined) return initSync(lazyLoad());\n",
  "__wbg_init",
);
// `initSync(module)` and `initSync({ module })` are both documented (common.d.ts): the first
// must not print wasm-bindgen's "deprecated parameters" warning. init.js always passes an
// object to the async loader, so its warning is unreachable: both go.
for (const warning of [
  "console.warn('using deprecated parameters for `initSync()`; pass a single object instead')",
  "console.warn('using deprecated parameters for the initialization function; pass a single object instead')",
]) {
  replace(`\n        } else {\n            ${warning}\n        }`, "\n        }", "a deprecation warning");
}
// TextEncoder.prototype.encodeInto is in every host the package supports (Node ≥ 18, Deno,
// workerd, browsers since 2020): wasm-bindgen's fallback for hosts without it goes.
replace(
  "if (!('encodeInto' in cachedTextEncoder)) {\n    cachedTextEncoder.encodeInto = function (arg, view) {\n        const buf = cachedTextEncoder.encode(arg);\n        view.set(buf);\n        return {\n            read: arg.length,\n            written: buf.length\n        };\n    };\n}\n",
  "",
  "the encodeInto fallback",
);
replace(
  "throw new Error(getStringFromWasm0(arg0, arg1));",
  "throw makeError(\"INVALID_ARGUMENT\", `an oauth-edge object used after free() or re-entrantly (${getStringFromWasm0(arg0, arg1)})`);",
  "__wbindgen_throw",
);
writeFileSync(file, glue);
