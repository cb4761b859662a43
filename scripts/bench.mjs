// Benchmarks, run by `make bench` after the build: every figure is a ratio against a named peer
// measured in the same run, on the same input, never a fixed time threshold.
//
//   node scripts/bench.mjs                    # all of them, in this order
//   node scripts/bench.mjs zapevent           # only the named ones (any of the names below)
//
// Each benchmark is a module of scripts/bench/ that runs when imported:
// 1. signing    full-header OAuth 1.0a signing, HMAC-SHA1, HMAC-SHA256 and PLAINTEXT, with a fixed
//               and a fresh nonce/timestamp, vs oauth-1.0a (+ node:crypto, + crypto-js), oauth
//               (node-oauth) and a hand-written signer on node:crypto
// 2. session    TokenSession.fetch overhead vs a plain fetch with a hand-set header
// 3. zapevent   ZapEvent participants (10,000 records, 40 pages) parsed from XML, JSON and CSV
//               vs fast-xml-parser, JSON.parse and papaparse
// 4. rosters    ORC module 4103 (10,000 attendees, one body) and OneRoster 1.1 users (10,000,
//               20 pages of 500) parsed from JSON vs TextDecoder + JSON.parse
// 5. coldstart  first import() and first use (wasm init) in fresh node processes, over an empty module,
//               vs oauth4webapi
//
// Each module adds its rows through scripts/bench/report.mjs; at the end the sections of the
// benchmarks that ran are written to docs/bench-results.md (the others' are kept) and README.md's
// "Speed and size" section is regenerated from it and target/sizes.json (scripts/readme-speed.mjs).
const BENCHES = ["signing", "session", "zapevent", "rosters", "coldstart"];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !BENCHES.includes(name));
if (unknown.length) {
  console.error(`[bench] unknown benchmark ${unknown.join(", ")}; choose from: ${BENCHES.join(", ")}`);
  process.exit(2);
}
for (const name of BENCHES) {
  if (wanted.length === 0 || wanted.includes(name)) await import(`./bench/${name}.mjs`);
}

const { writeResults } = await import("./bench/report.mjs");
const { updateReadme } = await import("./readme-speed.mjs");
const { fileURLToPath } = await import("node:url");
const { relative } = await import("node:path");
console.log(`[bench] results written to ${relative(process.cwd(), fileURLToPath(writeResults(BENCHES)))}`);
try {
  console.log(`[bench] README.md's Speed and size section ${updateReadme() ? "already up to date" : "regenerated"}`);
} catch (e) {
  console.error(`[bench] README.md not regenerated: ${e.message}`);
  process.exitCode = 1;
}
