// Gives the module's glue imports and its exports one- or two-letter names, in the wasm and in
// wasm-bindgen's glue alike: node scripts/short-wasm-names.mjs <module.wasm> <glue.js>
//
// Why: wasm-bindgen names each glue import `__wbg_<name>_<16 hex digits>` and each closure
// invoker after its full Rust type (three exports of 300+ characters). Every name is shipped
// twice (the wasm's import/export section and the glue's imports object or `wasm.<name>`
// calls), and the hex digits do not compress: about 7.8 KB of raw names per module.
//
// Only the glue's own import module (`./<out-name>_bg.js`) is renamed: the snippets' imports
// are named by their ES exports. The rewrite is checked both ways: every old name must be
// found in the glue (as an `imports` key or a `wasm.` member), and none may be left after.
// Short names cannot clash with the ones kept: those are wasm-bindgen's `__`-prefixed names.
import { readFileSync, writeFileSync } from "node:fs";

const [wasmPath, gluePath] = process.argv.slice(2);
const wasm = readFileSync(wasmPath);
let glue = readFileSync(gluePath, "utf8");

// ---- the wasm binary: sections are (id, LEB128 size, content); names are LEB128-length UTF-8 --

let at = 0;
const u32 = (buf) => {
  let n = 0;
  let shift = 0;
  for (;;) {
    const b = buf[at++];
    n += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return n;
    shift += 7;
  }
};
const leb = (n) => {
  const out = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
};
const name = (buf) => {
  const len = u32(buf);
  const s = buf.subarray(at, at + len).toString("utf8");
  at += len;
  return s;
};
const encodeName = (s) => Buffer.concat([leb(Buffer.byteLength(s)), Buffer.from(s, "utf8")]);
/** Skips limits (memory, table): a flags byte (bit 0: a maximum follows), then the bounds. */
const limits = (buf) => {
  const flags = buf[at++];
  u32(buf);
  if (flags & 1) u32(buf);
};

const shortNames = (() => {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let i = 0;
  return () => {
    let n = i++;
    let s = letters[n % letters.length];
    while ((n = Math.floor(n / letters.length) - 1) >= 0) s = letters[n % letters.length] + s;
    return s;
  };
})();

const glueMembers = new Set([...glue.matchAll(/\bwasm\.([A-Za-z0-9_$]+)/g)].map((m) => m[1]));
const glueModule = `./${gluePath.split("/").pop().replace(/\.js$/, "")}_bg.js`;
const imports = new Map();
const exports = new Map();

/** A section that is a vector of entries, each rewritten by `entry` (which returns its bytes). */
function vector(body, entry) {
  at = 0;
  const count = u32(body);
  const parts = [leb(count)];
  for (let i = 0; i < count; i++) parts.push(...entry(body));
  return Buffer.concat(parts);
}

const importEntry = (body) => {
  const module = name(body);
  const field = name(body);
  const descStart = at;
  const kind = body[at++];
  if (kind === 0x00 || kind === 0x04) {
    if (kind === 0x04) at++; // tag attribute
    u32(body);
  } else if (kind === 0x01) {
    at++; // reftype
    limits(body);
  } else if (kind === 0x02) limits(body);
  else if (kind === 0x03) at += 2; // valtype, mutability
  else throw new Error(`[short-wasm-names] unknown import kind ${kind}`);
  let renamed = field;
  if (module === glueModule) {
    renamed = shortNames();
    imports.set(field, renamed);
  }
  return [encodeName(module), encodeName(renamed), body.subarray(descStart, at)];
};

const exportEntry = (body) => {
  const field = name(body);
  const descStart = at;
  at++; // kind
  u32(body);
  // An export the glue never calls (`__abort_handler`) keeps its name: only callers outside
  // the package could know it. So does `memory`: `initSync()` hands the exports to callers,
  // who read `memory` (tests/runtime/hardening/memory-run.mjs does).
  let renamed = field;
  if (glueMembers.has(field) && field !== "memory") {
    renamed = shortNames();
    exports.set(field, renamed);
  }
  return [encodeName(renamed), body.subarray(descStart, at)];
};

if (wasm.readUInt32LE(0) !== 0x6d736100) throw new Error(`[short-wasm-names] ${wasmPath} is not wasm`);
const out = [wasm.subarray(0, 8)];
at = 8;
while (at < wasm.length) {
  const id = wasm[at++];
  const size = u32(wasm);
  const body = wasm.subarray(at, at + size);
  const next = at + size;
  const rewritten = id === 2 ? vector(body, importEntry) : id === 7 ? vector(body, exportEntry) : body;
  out.push(Buffer.from([id]), leb(rewritten.length), rewritten);
  at = next;
}

// ---- the glue: `<import>:` keys of its imports object, `wasm.<export>` members -------------------

const escape = (s) => s.replace(/[$]/g, "\\$");
const rename = (pattern, old, renamed, what) => {
  let found = false;
  glue = glue.replace(pattern, (_, before) => ((found = true), `${before}${renamed}`));
  if (!found) throw new Error(`[short-wasm-names] ${what} ${old} is not in ${gluePath}`);
};
for (const [old, renamed] of imports) rename(new RegExp(`(^|[\\s{,])${escape(old)}(?=\\s*:)`, "gm"), old, renamed, "import");
for (const [old, renamed] of exports) rename(new RegExp(`(\\bwasm\\.)${escape(old)}\\b`, "g"), old, renamed, "export");
// What is left of a renamed export is the glue's own JS function of the same name (the closure
// invokers, kept by esbuild's --keep-names): named after the export too.
for (const [old, renamed] of exports) glue = glue.replace(new RegExp(`\\b${escape(old)}\\b`, "g"), `__wbg_export_${renamed}`);
for (const old of imports.keys()) {
  if (new RegExp(`\\b${escape(old)}\\b`).test(glue)) throw new Error(`[short-wasm-names] import ${old} is still in ${gluePath}`);
}
for (const old of exports.keys()) {
  if (new RegExp(`\\bwasm\\.${escape(old)}\\b`).test(glue)) throw new Error(`[short-wasm-names] export ${old} is still in ${gluePath}`);
}

writeFileSync(wasmPath, Buffer.concat(out));
writeFileSync(gluePath, glue);
console.log(`[short-wasm-names] ${imports.size} imports and ${exports.size} exports renamed (${wasmPath})`);
