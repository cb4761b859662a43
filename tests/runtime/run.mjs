// The runtime test matrix: installs the BUILT, PACKED package (target/oauth-edge.tgz) into a
// scratch consumer project the way a user would, starts the provider simulator, and runs the
// shared cases (cases.mjs) in Node, Deno, workerd, Chromium and Firefox against it.
//
//   bash scripts/build.sh && node tests/runtime/run.mjs [--only node,deno,workerd,chromium,firefox,types]
//                                                      [--only session | session-node,session-deno,…]
//                                                      [--tgz other/oauth-edge.tgz]
//
// The session-* targets run the TokenSession scenarios (issue 4 item 5, session/README.md):
// session-node (cases + 1,000 concurrent + 200 fault cycles), session-deno (cases + two
// processes on one Deno KV file), session-workerd (cases + Durable Object store), session-chromium
// (cases + two tabs on IndexedDB/Web Locks), session-firefox (cases). `--only session` = all of them.
//
// Last line: `runtime: N passed, N failed` (test cases over every runtime, plus the static
// package checks and the `deno check` of types-check.ts, one case each). Exit status 1 if anything failed or a runtime could not start. Firefox alone
// is skipped with a note (not a failure) when its browser cannot be found or driven.
import { spawn } from "node:child_process";
import { cp, mkdir, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { startSimulator } from "../simulator/server.mjs";
import { scenariosFor } from "./scenarios.mjs";
import { countFor } from "./suites.mjs";
import { runWorkerdTarget } from "./workerd/harness.mjs";
import { nodeCases as zapeventNodeCases } from "./zapevent/node-cases.mjs";
import { nodeCases as providerNodeCases } from "./providers/node-cases.mjs";
import { browserCases as hardeningCases } from "./hardening/cases.mjs";
import { nodeCases as hardeningNodeCases } from "./hardening/node-cases.mjs";
import { faultCases } from "./faults/matrix.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "..", "..");
const TARGET = join(ROOT, "target");
let TGZ = join(TARGET, "oauth-edge.tgz");
const APP = join(TARGET, "runtime-app");
const BIN = join(ROOT, "tests", "node_modules", ".bin");
// "types" is not a runtime: `deno check` of types-check.ts against the installed declarations.
const SESSION_TARGETS = ["session-node", "session-deno", "session-workerd", "session-chromium", "session-firefox"];
const RUNTIMES = ["node", "deno", "workerd", "chromium", "firefox", "types", ...SESSION_TARGETS];
const GROUPS = { session: SESSION_TARGETS };
const CHILD_TIMEOUT_MS = Number(process.env.RUNTIME_TIMEOUT_MS || 120_000);
// What each target runs is listed once, in suites.mjs (the cases, per group and runtime) and
// scenarios.mjs (driver-side scenarios); the counts a target must report come from there.

// ---- arguments ------------------------------------------------------------------------------
function parseArgs(argv) {
  let only = RUNTIMES;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--tgz" || a.startsWith("--tgz=")) {
      // Another tarball of the package (e.g. one downloaded from the registry).
      const v = a === "--tgz" ? argv[++i] : a.slice(6);
      if (!v) {
        console.error("--tgz needs a path");
        process.exit(2);
      }
      TGZ = resolve(v);
      continue;
    }
    const value = a.startsWith("--only=") ? a.slice(7) : a === "--only" ? argv[++i] : null;
    if (value === null || value === undefined) {
      console.error(`usage: node tests/runtime/run.mjs [--only ${RUNTIMES.join(",")}] [--tgz path/to/oauth-edge.tgz]`);
      process.exit(2);
    }
    only = value.split(",").map((s) => s.trim()).filter(Boolean).flatMap((s) => GROUPS[s] ?? [s]);
    const unknown = only.filter((r) => !RUNTIMES.includes(r));
    if (unknown.length || only.length === 0) {
      console.error(`unknown runtime(s) ${unknown.join(", ")}; choose from ${[...RUNTIMES, ...Object.keys(GROUPS)].join(",")}`);
      process.exit(2);
    }
  }
  return only;
}

// ---- child processes ------------------------------------------------------------------------
/**
 * Starts a command in its own process group, prefixing every output line with `[tag]`, bounded
 * by `timeoutMs` (SIGTERM to the group, SIGKILL 5 s later). Returns {done, stop}: `done`
 * resolves to {code, signal, timedOut, output}; `stop()` ends the group early.
 */
const activeChildren = new Set(); // stop() of every child still running (for Ctrl-C)

function startChild(tag, cmd, args, { cwd, env, timeoutMs = CHILD_TIMEOUT_MS } = {}) {
  let output = "";
  let timedOut = false;
  let child;
  let closed = false;
  let hardKill;
  const killGroup = (sig) => {
    if (!child || !child.pid) return;
    try {
      process.kill(-child.pid, sig); // the group of the child we spawned (detached), nothing else
    } catch {
      /* already gone */
    }
  };
  const stop = () => {
    if (closed) return;
    killGroup("SIGTERM");
    hardKill ??= setTimeout(() => killGroup("SIGKILL"), 5000);
  };
  const done = new Promise((resolveRun) => {
    try {
      child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    } catch (e) {
      closed = true;
      resolveRun({ code: null, signal: null, timedOut, output: String(e), spawnError: e });
      return;
    }
    const pipe = (stream) => {
      let buf = "";
      stream.setEncoding("utf8");
      stream.on("data", (d) => {
        output += d;
        buf += d;
        let nl;
        while ((nl = buf.indexOf("\n")) >= 0) {
          console.log(`[${tag}] ${buf.slice(0, nl)}`);
          buf = buf.slice(nl + 1);
        }
      });
      stream.on("end", () => {
        if (buf) console.log(`[${tag}] ${buf}`);
      });
    };
    activeChildren.add(stop);
    pipe(child.stdout);
    pipe(child.stderr);
    const timer = setTimeout(() => {
      timedOut = true;
      console.log(`[${tag}] timed out after ${timeoutMs / 1000} s: stopping it`);
      stop();
    }, timeoutMs);
    const finish = (result) => {
      if (closed) return;
      closed = true;
      activeChildren.delete(stop);
      clearTimeout(timer);
      clearTimeout(hardKill);
      resolveRun(result);
    };
    child.on("error", (e) => finish({ code: null, signal: null, timedOut, output: output + String(e), spawnError: e }));
    child.on("close", (code, signal) => {
      killGroup("SIGKILL"); // stragglers the runner left behind in its own group
      finish({ code, signal, timedOut, output });
    });
  });
  return { done, stop };
}

const runChild = (...args) => startChild(...args).done;

const stripAnsi = (s) => s.replace(/\x1b\[[0-9;]*m/g, "");

/** Turns a runner's own summary into counts; anything abnormal becomes at least one failure. */
function settle(name, run, counts, expected) {
  const notes = [];
  let { passed = 0, failed = 0 } = counts || {};
  if (run.spawnError) notes.push(`could not start: ${run.spawnError.message}`);
  if (run.timedOut) notes.push("timed out");
  if (!counts) notes.push("no summary found in its output");
  if (counts && passed + failed !== expected && failed === 0) notes.push(`ran ${passed + failed} cases, expected ${expected}`);
  if (run.code !== 0 && failed === 0) notes.push(`exited with ${run.code ?? run.signal}`);
  if (notes.length && failed === 0) failed = 1;
  return { name, passed, failed, notes };
}

// ---- the consumer project -------------------------------------------------------------------
async function newestMtime(dir) {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? await newestMtime(p) : (await stat(p)).mtimeMs);
  }
  return newest;
}

async function prepareApp() {
  const tgz = await stat(TGZ).catch(() => null);
  if (!tgz) throw new Error(`${relative(ROOT, TGZ)} is missing: run \`bash scripts/build.sh\` first`);
  const sources = TGZ !== join(TARGET, "oauth-edge.tgz") ? 0 : Math.max(await newestMtime(join(ROOT, "src")), await newestMtime(join(ROOT, "pkg-template")));
  if (sources > tgz.mtimeMs) {
    console.log(`[setup] note: src/ or pkg-template/ changed after ${relative(ROOT, TGZ)} was packed; testing the packed (older) build. Re-run \`bash scripts/build.sh\` to test the current sources.`);
  }
  await rm(APP, { recursive: true, force: true });
  await mkdir(APP, { recursive: true });
  await writeFile(join(APP, "package.json"), JSON.stringify({ name: "oauth-edge-runtime-app", private: true, type: "module" }, null, 2) + "\n");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const install = await runChild("npm", npm, ["install", "--no-audit", "--no-fund", "--loglevel=error", TGZ], { cwd: APP, timeoutMs: 120_000 });
  if (install.code !== 0) throw new Error(`npm install ${relative(ROOT, TGZ)} failed (${install.code ?? install.signal})`);
  // Deno: resolve bare specifiers from this package.json + node_modules, never from a registry.
  await writeFile(join(APP, "deno.json"), JSON.stringify({ nodeModulesDir: "manual" }, null, 2) + "\n");
  // The suites run from inside the app so that "oauth-edge" resolves from its node_modules.
  const suite = join(APP, "suite");
  await mkdir(suite, { recursive: true });
  for (const f of await readdir(HERE)) {
    if ((f.endsWith(".mjs") || f.endsWith(".ts")) && f !== "run.mjs") await cp(join(HERE, f), join(suite, f));
  }
  await cp(join(HERE, "browser"), join(suite, "browser"), { recursive: true });
  await cp(join(HERE, "workerd"), join(suite, "workerd"), { recursive: true });
  await cp(join(HERE, "session"), join(suite, "session"), { recursive: true });
  await cp(join(HERE, "zapevent"), join(suite, "zapevent"), { recursive: true });
  await cp(join(HERE, "providers"), join(suite, "providers"), { recursive: true });
  await cp(join(HERE, "hardening"), join(suite, "hardening"), { recursive: true });
  await cp(join(HERE, "faults"), join(suite, "faults"), { recursive: true });
}

/** Static checks of the installed package: every export target and declared file exists. */
async function checkPackage() {
  const dir = join(APP, "node_modules", "oauth-edge");
  const results = [];
  const check = async (name, fn) => {
    try {
      await fn();
      results.push({ name, ok: true });
    } catch (e) {
      results.push({ name, ok: false, error: e.message });
    }
  };
  const meta = JSON.parse(await readFile(join(dir, "package.json"), "utf8"));
  const exists = async (rel) => {
    const s = await stat(join(dir, rel)).catch(() => null);
    if (!s || !s.isFile()) throw new Error(`${rel} is not in the installed package`);
  };
  for (const [sub, target] of Object.entries(meta.exports || {})) {
    const targets = typeof target === "string" ? { default: target } : target;
    for (const [condition, file] of Object.entries(targets)) {
      await check(`exports["${sub}"].${condition} → ${file}`, () => exists(file));
    }
  }
  await check(`"types" → ${meta.types}`, () => exists(meta.types));
  for (const rt of ["node", "deno", "workerd", "browser"]) {
    await check(`exports["."] has a "${rt}" condition`, async () => {
      if (!meta.exports?.["."]?.[rt]) throw new Error(`no "${rt}" condition`);
    });
  }
  for (const r of results) console.log(`[package] ${r.ok ? "ok  " : "FAIL"} ${r.name}${r.ok ? "" : `: ${r.error}`}`);
  return { meta, results };
}

// ---- runtimes -------------------------------------------------------------------------------
async function runNode(env) {
  // The shared cases, then the Node-only ZapEvent, provider, hardening and fault-matrix suites; one file at a time (they
  // use the one simulator and assert on its counters).
  const files = ["suite/node.test.mjs", "suite/zapevent/node.test.mjs", "suite/providers/node.test.mjs", "suite/hardening/node.test.mjs", "suite/faults/node.test.mjs"];
  // The Node-only suites page 10,000 records in many ways: give them more than one child budget.
  const run = await runChild("node", process.execPath, ["--test", "--test-concurrency=1", "--test-reporter=spec", ...files], { cwd: APP, env, timeoutMs: 4 * CHILD_TIMEOUT_MS });
  const text = stripAnsi(run.output);
  const pass = /^\s*(?:ℹ|#) pass (\d+)\s*$/m.exec(text);
  const fail = /^\s*(?:ℹ|#) fail (\d+)\s*$/m.exec(text);
  return settle("node", run, pass && fail ? { passed: Number(pass[1]), failed: Number(fail[1]) } : null, countFor("shared", "node") + zapeventNodeCases.length + providerNodeCases.length + hardeningCases.length + hardeningNodeCases.length + faultCases.length);
}

async function runDeno(env) {
  const deno = join(BIN, "deno");
  const run = await runChild("deno", deno, ["test", "--no-prompt", "--allow-net", "--allow-read", "--allow-env", "suite/deno.test.mjs"], {
    cwd: APP,
    env: { ...env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1", DENO_DIR: join(TARGET, "deno-cache") },
  });
  const m = /^(?:ok|FAILED) \| (\d+) passed(?: \(\d+ steps?\))? \| (\d+) failed/m.exec(stripAnsi(run.output));
  return settle("deno", run, m ? { passed: Number(m[1]), failed: Number(m[2]) } : null, countFor("shared", "deno"));
}

/** TypeScript users' view: one case, passing when `deno check` accepts types-check.ts. */
async function runTypes(env) {
  // + the session API (session/types-check.ts; --unstable-kv for the Deno.Kv passed to denoKvStore).
  const run = await runChild("types", join(BIN, "deno"), ["check", "--unstable-kv", "suite/types-check.ts", "suite/session/types-check.ts"], {
    cwd: APP,
    env: { ...env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1", DENO_DIR: join(TARGET, "deno-cache") },
  });
  const ok = run.code === 0 && !run.timedOut;
  const errors = (stripAnsi(run.output).match(/^TS\d+ \[ERROR\]/gm) || []).length;
  return { name: "types", passed: ok ? 1 : 0, failed: ok ? 0 : 1, notes: ok ? [] : [errors ? `${errors} type error(s)` : `deno check exited with ${run.code ?? run.signal}`] };
}

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}


// ---- session targets (TokenSession scenarios, session/README.md) ---------------------------
async function runSessionNode(env) {
  const run = await runChild("session-node", process.execPath, ["--test", "--test-reporter=spec", "suite/session/node.test.mjs"], { cwd: APP, env });
  const text = stripAnsi(run.output);
  const pass = /^\s*(?:ℹ|#) pass (\d+)\s*$/m.exec(text);
  const fail = /^\s*(?:ℹ|#) fail (\d+)\s*$/m.exec(text);
  // + (k), Node processes on one CAS record.
  return settle("session-node", run, pass && fail ? { passed: Number(pass[1]), failed: Number(fail[1]) } : null, countFor("session", "node") + 1);
}

async function runSessionDeno(env) {
  const run = await runChild("session-deno", join(BIN, "deno"), ["test", "--no-prompt", "--unstable-kv", "--allow-net", "--allow-read", "--allow-write", "--allow-env", "--allow-run", "suite/session/deno.test.mjs"], {
    cwd: APP,
    env: { ...env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1", DENO_DIR: join(TARGET, "deno-cache") },
  });
  const m = /^(?:ok|FAILED) \| (\d+) passed(?: \(\d+ steps?\))? \| (\d+) failed/m.exec(stripAnsi(run.output));
  // + 1: scenario (d), two deno processes sharing one KV file.
  return settle("session-deno", run, m ? { passed: Number(m[1]), failed: Number(m[2]) } : null, countFor("session", "deno") + 1);
}

/** A browser target: `browser/<browser>.mjs <group>` (the page's cases + driver scenarios). */
async function runBrowser(name, browser, group, env) {
  const args = [];
  if (browser === "firefox" && typeof WebSocket === "undefined") args.push("--experimental-websocket");
  const run = await runChild(name, process.execPath, [...args, join(HERE, "browser", `${browser}.mjs`), group], { cwd: APP, env, timeoutMs: 2 * CHILD_TIMEOUT_MS }); // + the survival probes (~1 min)
  const m = /^@@result (\{.*\})\s*$/m.exec(run.output);
  const counts = m ? JSON.parse(m[1]) : null;
  if (browser === "firefox" && run.code === 2 && !counts && !run.timedOut) {
    return { name, passed: 0, failed: 0, skipped: true, notes: ["firefox could not be started or driven (see its output above); skipped, not counted as a failure"] };
  }
  // SESSION_CASES=c (diagnosis): Chromium runs only its driver scenarios, (c) and (m).
  const pageCases = group === "session" && browser === "chromium" && process.env.SESSION_CASES === "c" ? 0 : countFor(group, browser);
  return settle(name, run, counts, pageCases + scenariosFor(browser, group).length);
}

// ---- main -----------------------------------------------------------------------------------
async function main() {
  const only = parseArgs(process.argv.slice(2));
  const t0 = Date.now();
  const summary = [];
  let sim = null;
  let setupFailed = false;
  try {
    const ts = Date.now();
    await prepareApp();
    const { meta, results: pkgChecks } = await checkPackage();
    summary.push({ name: "package", passed: pkgChecks.filter((r) => r.ok).length, failed: pkgChecks.filter((r) => !r.ok).length, notes: [], ms: Date.now() - ts });

    sim = await startSimulator({ port: 0, host: "127.0.0.1", staticDir: APP });
    const simRef = sim;
    for (const sig of ["SIGINT", "SIGTERM"]) {
      process.once(sig, async () => {
        console.log(`\n[setup] ${sig}: stopping children and the simulator`);
        for (const stop of activeChildren) stop();
        await simRef.close();
        process.exit(130);
      });
    }
    console.log(`[setup] simulator at ${sim.url}, serving ${relative(ROOT, APP)} under /app/`);
    const env = { SIM_URL: sim.url };

    for (const rt of only) {
      const start = Date.now();
      console.log(`\n===== ${rt} =====`);
      let r;
      try {
        if (rt === "firefox" || rt === "session-firefox") {
          const ff = process.env.FIREFOX_PATH || "/usr/bin/firefox-esr";
          if (!(await stat(ff).catch(() => null))) {
            r = { name: rt, passed: 0, failed: 0, skipped: true, notes: [`${ff} not found; skipped, not counted as a failure`] };
          }
        }
        if (!r) {
          if (rt === "node") r = await runNode(env);
          else if (rt === "deno") r = await runDeno(env);
          else if (rt === "types") r = await runTypes(env);
          else if (rt === "session-node") r = await runSessionNode(env);
          else if (rt === "session-deno") r = await runSessionDeno(env);
          else {
            // workerd and the browsers, each with one harness for both groups.
            const [group, runtime] = rt.startsWith("session-") ? ["session", rt.slice("session-".length)] : ["shared", rt];
            if (runtime === "workerd") {
              const host = { startChild, freePort, workerdBin: join(BIN, "workerd"), timeoutMs: CHILD_TIMEOUT_MS };
              r = await runWorkerdTarget({ name: rt, group, scenarios: scenariosFor("workerd", group), app: APP, meta, simUrl: sim.url, host });
            } else r = await runBrowser(rt, runtime, group, env);
          }
        }
      } catch (e) {
        r = { name: rt, passed: 0, failed: 1, notes: [`could not run: ${e.message}`] };
      }
      r.ms = Date.now() - start;
      for (const n of r.notes || []) console.log(`[${rt}] note: ${n}`);
      summary.push(r);
      // Each runtime starts from a clean simulator (tokens, nonces, counters, clock).
      sim.state.reset();
    }
  } catch (e) {
    setupFailed = true;
    console.error(`[setup] ${e.message}`);
  } finally {
    if (sim) await sim.close();
  }

  console.log("\n===== summary =====");
  for (const r of summary) {
    const status = r.skipped ? "skipped" : `${r.passed} passed, ${r.failed} failed`;
    console.log(`${r.name.padEnd(16)} ${status.padEnd(22)} ${((r.ms ?? 0) / 1000).toFixed(1).padStart(6)} s${r.notes?.length ? `  (${r.notes.join("; ")})` : ""}`);
  }
  const passed = summary.reduce((n, r) => n + r.passed, 0);
  const failed = summary.reduce((n, r) => n + r.failed, 0) + (setupFailed ? 1 : 0);
  console.log(`total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`runtime: ${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

await main();
