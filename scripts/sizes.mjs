// Prints raw, gzip and brotli sizes of the files given (the wasm and its JS glue) and the total;
// optionally also what an esbuild browser bundle of an entry ships, and checks a size budget.
//
//   node scripts/sizes.mjs [--label NAME] [--bundle ENTRY.js] [--budget BYTES --target BYTES]
//                          [--json FILE] FILE...
//
// --bundle   bundles ENTRY.js the way an app's bundler would for a browser (esbuild --bundle
//            --format=esm --minify, platform browser) and counts the one JS file it writes plus
//            the .wasm the entry loads. The entries load it with `new URL("…wasm",
//            import.meta.url)`, which esbuild leaves alone: the .wasm ships as a separate file
//            (copied next to the bundle), so it is counted as it is. This is the figure a budget
//            checks when given: it includes what the file list leaves out (the entry, init.js,
//            error.js and the token stores the entry re-exports).
// --budget   exits 1 when the brotli total (the bundle's with --bundle, else the files') is over
//            BYTES; --target is the goal printed beside it ("budget X B (target Y B)").
// --json     merges this run's figures into FILE under NAME (scripts/readme-speed.mjs reads it).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, relative, resolve } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const args = process.argv.slice(2);
const opts = {};
const files = [];
for (let i = 0; i < args.length; i++) {
  const m = /^--(label|bundle|budget|target|json)$/.exec(args[i]);
  if (m) opts[m[1]] = args[++i];
  else files.push(args[i]);
}
for (const k of ["budget", "target"]) {
  if (opts[k] !== undefined && !/^\d+$/.test(opts[k])) {
    console.error(`[size] --${k} wants a number of bytes, not ${opts[k]}`);
    process.exit(2);
  }
}
const label = opts.label ?? "total";

const measure = (file, bytes = readFileSync(file)) => ({
  file,
  raw: bytes.length,
  gzip: gzipSync(bytes, { level: 9 }).length,
  brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});
const sum = (rows, file) => rows.reduce((t, r) => ({ file, raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { file, raw: 0, gzip: 0, brotli: 0 });
const kb = (n) => `${(n / 1024).toFixed(1)} KB`.padStart(10);
const bytes = (n) => `${n.toLocaleString("en-US")} B`;
const print = (r) => {
  const name = r.file.replace(/snippets\/[^/]+\/src\/js\//, "snippets/…/"); // the crate-hash dir
  console.log(`[size]   ${name.padEnd(30)} raw ${kb(r.raw)}  gzip ${kb(r.gzip)}  brotli ${kb(r.brotli)}  (${r.brotli} B)`);
};

const rows = files.map((file) => measure(file));
const total = sum(rows, "total");
for (const r of [...rows, total]) print(r);

/** The esbuild browser bundle of `entry`: {entry, js, wasm, total}. */
function bundle(entry) {
  const require = createRequire(new URL("../tests/package.json", import.meta.url));
  const esbuild = require("esbuild");
  // How the entry loads its module: exactly one `new URL("….wasm", import.meta.url)`.
  const refs = [...readFileSync(entry, "utf8").matchAll(/new URL\(\s*(["'])([^"']+\.wasm)\1\s*,\s*import\.meta\.url\s*\)/g)];
  if (refs.length !== 1) throw new Error(`${entry}: want one new URL("….wasm", import.meta.url), found ${refs.length}`);
  const wasmRef = refs[0][2];
  const wasm = resolve(dirname(entry), wasmRef);
  const out = esbuild.buildSync({
    entryPoints: [entry], bundle: true, format: "esm", minify: true, platform: "browser",
    write: false, outfile: "bundle.js", logLevel: "error",
    logOverride: { "duplicate-object-key": "silent" }, // wasm-bindgen's harmless duplicate (build.sh)
  }).outputFiles;
  if (out.length !== 1) throw new Error(`${entry}: esbuild wrote ${out.length} files, want one JS file`);
  // Still a separate file: esbuild must not have inlined or rewritten the reference.
  if (!out[0].text.includes(`new URL(${JSON.stringify(wasmRef)},import.meta.url)`)) {
    throw new Error(`${entry}: the bundle no longer loads ${wasmRef} by new URL(…, import.meta.url)`);
  }
  const js = measure(`esbuild bundle of ${entry}`, Buffer.from(out[0].contents));
  const w = measure(relative(process.cwd(), wasm));
  return { entry, wasmRef, js, wasm: w, total: sum([js, w], "bundle total") };
}

let bundled;
if (opts.bundle) {
  bundled = bundle(opts.bundle);
  console.log(`[size]   as an esbuild browser bundle ships it (--bundle --format=esm --minify; the .wasm, loaded by ` +
    `new URL("${bundled.wasmRef}", import.meta.url), stays a separate file):`);
  for (const r of [bundled.wasm, { ...bundled.js, file: "bundled JS" }, bundled.total]) print(r);
}

let over = false;
let budget;
if (opts.budget !== undefined) {
  const counted = bundled ? "esbuild browser bundle (wasm + JS)" : "wasm + glue + snippets";
  const value = (bundled ? bundled.total : total).brotli;
  const limit = Number(opts.budget);
  const target = opts.target === undefined ? undefined : Number(opts.target);
  const targetText = target === undefined ? "" : ` (target ${bytes(target)}${value <= target ? ": met" : `: ${bytes(value - target)} to go`})`;
  budget = { bytes: limit, target, counted, value };
  over = value > limit;
  if (over) {
    console.error(`[size] FAIL ${label}: ${counted} is ${bytes(value)} brotli, over its budget ${bytes(limit)} by ` +
      `${bytes(value - limit)}${targetText}. The budget only ever goes down: make the module smaller.`);
  } else {
    console.log(`[size]   ${label}: ${counted} ${bytes(value)} brotli, budget ${bytes(limit)}${targetText}`);
  }
}

if (opts.json) {
  const all = existsSync(opts.json) ? JSON.parse(readFileSync(opts.json, "utf8")) : {};
  all[label] = { files: rows, total, bundle: bundled, budget };
  writeFileSync(opts.json, `${JSON.stringify(all, null, 2)}\n`);
}
process.exit(over ? 1 : 0);
