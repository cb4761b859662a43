// Makes wasm-bindgen's own argument checks throw OAuthEdgeError (INVALID_ARGUMENT) like the rest
// of the package: `_assertClass` (a TokenSession/OAuth2Client argument that is not one: a plain
// Error, or a raw throw from a hostile Proxy's getPrototypeOf trap) and `__wbindgen_throw` (what
// Rust-side glue throws for an object used after free() or re-entered while in use: "null
// pointer passed to rust", "recursive use of an object detected…"). wasm-bindgen has no hook
// for either; the survival test (tests/runtime/hardening/survival.mjs) checks the result.
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
replace(
  "throw new Error(getStringFromWasm0(arg0, arg1));",
  "throw makeError(\"INVALID_ARGUMENT\", `an oauth-edge object used after free() or re-entrantly (${getStringFromWasm0(arg0, arg1)})`);",
  "__wbindgen_throw",
);
writeFileSync(file, glue);
