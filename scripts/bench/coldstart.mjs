// 5. Cold start: the first import() of the built package in a fresh `node` process, timed inside
//    that process (performance.now() around the import()), so Node's own start-up is left out.
//    In Node, import() is also the init: pkg/entry/node.js reads oauth_edge_bg.wasm and
//    instantiates it synchronously (initSync) at import time, so nothing is left for the first
//    call to set up. Each contender runs in RUNS fresh processes, interleaved; the figure is the
//    median over an empty module's import() (the same loader path, no code) and the minimum too.
//    Peer: oauth4webapi (an OAuth 2 / OpenID Connect client in plain JS), imported the same way.
//    workerd: the module arrives compiled (a "wasm" module of the Worker's config, what wrangler
//    uploads), so a cold start there is instantiating it and evaluating the glue. workerd's clocks
//    stand still inside a Worker (a Spectre mitigation), so it is timed from outside: from
//    spawning `workerd serve` to the first answer of a Worker that imports the package and makes
//    a signer, over the same for a Worker that imports nothing (median of WORKERD_RUNS each).
import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ratio, reporter } from "./report.mjs";

const RUNS = 25;
const TARGET_MS = 3;
const testsDir = new URL("../../tests/", import.meta.url);
const require = createRequire(new URL("package.json", testsDir));
const versionOf = (name) => JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, testsDir), "utf8")).version;

const dir = mkdtempSync(join(tmpdir(), "oauth-edge-coldstart-"));
const empty = join(dir, "empty.mjs");
writeFileSync(empty, "export {};\n");
const CONTENDERS = {
  "empty module": pathToFileURL(empty).href,
  "oauth-edge": new URL("../../pkg/entry/node.js", import.meta.url).href,
  "oauth-edge/oauth1": new URL("../../pkg/oauth1/entry/node.js", import.meta.url).href,
  [`oauth4webapi ${versionOf("oauth4webapi")}`]: pathToFileURL(require.resolve("oauth4webapi")).href,
};
// What each fresh process runs: one import(), timed, and a check that it gave the module.
const child = `const t0 = performance.now(); const m = await import(process.argv[1]); const ms = performance.now() - t0;
if (process.argv[2] && typeof m[process.argv[2]] !== "function") throw new Error("no " + process.argv[2]);
process.stdout.write(String(ms));`;
const probe = { "oauth-edge": "OAuth1Signer", "oauth-edge/oauth1": "OAuth1Signer" };

const times = Object.fromEntries(Object.keys(CONTENDERS).map((k) => [k, []]));
try {
  for (let run = 0; run < RUNS; run++) {
    for (const [name, url] of Object.entries(CONTENDERS)) {
      let out;
      try {
        out = execFileSync(process.execPath, ["--input-type=module", "-e", child, url, probe[name] ?? ""], { encoding: "utf8", stdio: "pipe" });
      } catch (e) {
        const why = /^\w*Error.*$/m.exec(e.stderr)?.[0] ?? e.message;
        throw new Error(`[bench] coldstart: importing ${name} (${url}) failed: ${why}`);
      }
      times[name].push(Number(out));
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (v) => `${v.toFixed(2)} ms`;
const base = { median: median(times["empty module"]), min: Math.min(...times["empty module"]) };
const over = Object.fromEntries(Object.entries(times).map(([name, t]) => [name, { median: median(t) - base.median, min: Math.min(...t) - base.min }]));

console.log(`[bench] cold start: first import() (+ init) in ${RUNS} fresh node processes each, interleaved, Node ${process.version}; ` +
  `empty module's import() median ${ms(base.median)}, min ${ms(base.min)}`);
for (const [name, t] of Object.entries(times)) {
  if (name === "empty module") continue;
  console.log(`[bench]   ${name.padEnd(22)} import() median ${ms(median(t)).padStart(9)}, min ${ms(Math.min(...t)).padStart(9)};  ` +
    `over an empty module: median ${ms(over[name].median)}, min ${ms(over[name].min)}`);
}
const peerName = Object.keys(CONTENDERS).find((n) => n.startsWith("oauth4webapi"));
const ours = over["oauth-edge"].median;
console.log(`[bench] oauth-edge: ${ms(ours)} over an empty module (target ≤ ${TARGET_MS} ms): ${ours <= TARGET_MS ? "met" : "NOT met"}; ` +
  `oauth-edge/oauth1 ${ms(over["oauth-edge/oauth1"].median)}; ${peerName} ${ms(over[peerName].median)}`);

const report = reporter("coldstart");
for (const name of ["oauth-edge", "oauth-edge/oauth1"]) {
  report.row({
    what: `cold start: first \`import("${name}")\` in a fresh Node process, incl. wasm init; median (min) of ${RUNS} over an empty module's import()`,
    ours: `${name === "oauth-edge" ? "" : "oauth1 entry "}${ms(over[name].median)} (${ms(over[name].min)})${name === "oauth-edge" ? `; target ≤ ${TARGET_MS} ms` : ""}`,
    peer: `${peerName} ${ms(over[peerName].median)} (${ms(over[peerName].min)})`,
    ratio: ratio(over[name].median, over[peerName].median),
  });
}

// ---- workerd: the compiled-Module path -----------------------------------------------------------

const WORKERD_RUNS = 11;
const workerdBin = new URL("node_modules/.bin/workerd", testsDir).pathname;

const freePort = () => new Promise((resolve, reject) => {
  const srv = createServer().listen(0, "127.0.0.1", () => {
    const { port } = srv.address();
    srv.close(() => resolve(port));
  });
  srv.on("error", reject);
});

/** A workerd config serving `main` (and `modules`, [name, kind, file]) on `port`. */
const workerdConfig = (port, modules) => `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [${modules.map(([name, kind, file]) => `(name = "${name}", ${kind} = embed "${file}")`).join(", ")}],
  compatibilityDate = "2025-09-01",
);
`;

/** ms from spawning workerd with `config` to its first 200; workerd is stopped after. */
async function workerdFirstAnswer(dir, config) {
  const port = await freePort();
  writeFileSync(join(dir, "workerd.capnp"), workerdConfig(port, config));
  const t0 = performance.now();
  const child = spawn(workerdBin, ["serve", "workerd.capnp", "--experimental"], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`[bench] coldstart: workerd exited: ${stderr.slice(0, 300)}`);
      if (performance.now() - t0 > 20_000) throw new Error("[bench] coldstart: workerd did not answer in 20 s");
      try {
        const res = await fetch(`http://127.0.0.1:${port}/`);
        const text = await res.text();
        if (res.status !== 200 || text !== "ok") throw new Error(`[bench] coldstart: the Worker answered ${res.status}: ${text.slice(0, 300)}`);
        return performance.now() - t0;
      } catch (e) {
        if (e.message.startsWith("[bench]")) throw e;
        await new Promise((r) => setTimeout(r, 1)); // not listening yet
      }
    }
  } finally {
    child.kill();
  }
}

const wdir = mkdtempSync(join(tmpdir(), "oauth-edge-coldstart-workerd-"));
const workerdTimes = { empty: [], "oauth-edge": [] };
try {
  mkdirSync(join(wdir, "pkg", "entry"), { recursive: true });
  for (const f of ["entry/workerd.js", "exports.js", "oauth_edge_bg.wasm"]) copyFileSync(new URL(`../../pkg/${f}`, import.meta.url), join(wdir, "pkg", f));
  writeFileSync(join(wdir, "empty.mjs"), `export default { fetch() { return new Response("ok"); } };\n`);
  writeFileSync(join(wdir, "edge.mjs"), `import { OAuth1Signer } from "./pkg/entry/workerd.js";
export default { fetch() { new OAuth1Signer({ consumerKey: "k", consumerSecret: "s" }).free(); return new Response("ok"); } };\n`);
  const configs = {
    empty: [["empty.mjs", "esModule", "empty.mjs"]],
    "oauth-edge": [["edge.mjs", "esModule", "edge.mjs"], ["pkg/entry/workerd.js", "esModule", "pkg/entry/workerd.js"],
      ["pkg/exports.js", "esModule", "pkg/exports.js"], ["pkg/oauth_edge_bg.wasm", "wasm", "pkg/oauth_edge_bg.wasm"]],
  };
  for (let run = 0; run < WORKERD_RUNS; run++) {
    for (const [name, config] of Object.entries(configs)) workerdTimes[name].push(await workerdFirstAnswer(wdir, config));
  }
} finally {
  rmSync(wdir, { recursive: true, force: true });
}
const workerdOver = median(workerdTimes["oauth-edge"]) - median(workerdTimes.empty);
console.log(`[bench] cold start in workerd (compiled Module): spawn → first answer, median of ${WORKERD_RUNS}: ` +
  `empty Worker ${ms(median(workerdTimes.empty))}, oauth-edge Worker ${ms(median(workerdTimes["oauth-edge"]))}: ${ms(workerdOver)} over the empty one`);
report.row({
  what: `cold start in workerd: the package's compiled Module instantiated and its glue evaluated, a signer made; spawn → first answer, median of ${WORKERD_RUNS} over an empty Worker's`,
  ours: `${ms(workerdOver)} (empty Worker ${ms(median(workerdTimes.empty))})`,
  peer: "",
  ratio: "",
});
