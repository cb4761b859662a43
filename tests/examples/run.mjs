// The examples (examples-js/cli/, deno/, dashboard/, worker/, and the demo) against the BUILT, PACKED package, the way
// a user runs them: each example folder is copied to a scratch directory, `npm install
// target/oauth-edge.tgz` is run in it, and the provider simulator is started on a loopback port.
//
//   bash scripts/build.sh && node tests/examples/run.mjs [--tgz path/to/oauth-edge.tgz] [--only cli,deno,dashboard,worker,demo]
//
// cli:  sync-participants.mjs — a first run capped at 300, a second run that fetches only the 223
//       newer participants (one request), a third that fetches none; CSV output through the Login
//       method; a run interrupted with SIGINT mid-way and resumed (no duplicate, no gap, only the
//       remaining pages requested); a half-written tail after a crash cut off. export-oneroster.mjs
//       — users, classes and enrollments through 1.1 direct and 1.2, checked against the fixtures.
// deno: `deno test` of examples-js/deno/ (the Priava edge function on Deno KV: one refresh for
//       concurrent calls across an expiry) with SIM_URL pointing at the simulator.
// dashboard: dashboard.mjs (headless Chromium). worker: worker.mjs (workerd).
// demo: `node demo.mjs --once` in examples-js/ (after its npm ci), as `make demo` runs it.
// Last line: `examples: N passed, N failed`; exit status 1 if anything failed.
import { appendFile, cp, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import Papa from "papaparse";

import { startSimulator } from "../simulator/server.mjs";
import { checks } from "../checks.mjs";
import { run, serve } from "./proc.mjs";
import { dashboardChecks } from "./dashboard.mjs";
import { workerChecks } from "./worker.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "..", "..");
const BIN = join(ROOT, "tests", "node_modules", ".bin");
const args = process.argv.slice(2);
const argValue = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const TGZ = resolve(argValue("--tgz") ?? join(ROOT, "target", "oauth-edge.tgz"));
const ONLY = (argValue("--only") ?? "cli,deno,dashboard,worker,demo").split(",");
// Folders of examples-js/ copied and installed; "demo" runs in the repository itself, as `make demo` does.
const INSTALLED = ONLY.filter((name) => name !== "demo");

const { results, check, finish } = checks("examples", { showStack: true });

const tgzStat = await stat(TGZ).catch(() => null);
if (!tgzStat) {
  console.log(`${relative(ROOT, TGZ)} is missing: run \`bash scripts/build.sh\` first\nexamples: 0 passed, 1 failed`);
  process.exit(1);
}

const work = await mkdtemp(join(tmpdir(), "oauth-edge-examples-"));
const sim = await startSimulator({ port: 0 });
console.log(`[examples] simulator at ${sim.url}; scratch ${work}`);
try {
  // ---- install, as a user would --------------------------------------------------------------
  const dirs = Object.fromEntries(INSTALLED.map((name) => [name, join(work, name)]));
  await Promise.all(INSTALLED.map(async (name) => {
    await cp(join(ROOT, "examples-js", name), dirs[name], { recursive: true, filter: (src) => !src.split(/[\\/]/).includes("node_modules") });
  }));
  const installs = await Promise.all(INSTALLED.map((name) => run(`npm ${name}`, "npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", TGZ], { cwd: dirs[name], quiet: true })));
  for (const [i, name] of INSTALLED.entries()) {
    if (installs[i].code !== 0) throw new Error(`npm install ${relative(ROOT, TGZ)} in the ${name} example failed`);
  }

  const fx = sim.state.fixtures;
  const counters = () => sim.state.counters;
  const zapCalls = (c, method = "getparticipants", gen = "oauth1") => c.zapevent_api?.calls?.[gen]?.[method] ?? 0;
  const byId = (a, b) => a.participant_id - b.participant_id;
  const expectedParticipants = (eventId) => fx.zapevent.participants.filter((p) => p.event_id === eventId).sort(byId);
  const readLines = async (file) => (await readFile(file, "utf8")).split("\n").filter(Boolean).map((l) => JSON.parse(l));
  const readState = async (file) => JSON.parse(await readFile(file, "utf8"));

  if (ONLY.includes("cli")) {
    const cli = dirs.cli;
    const z = fx.zapevent;
    const zapEnv = { ZAPEVENT_BASE_URL: `${sim.url}/zapevent/api`, ZAPEVENT_CONSUMER_KEY: z.consumerKey, ZAPEVENT_CONSUMER_SECRET: z.consumerSecret,
      ZAPEVENT_TOKEN: z.accessToken.token, ZAPEVENT_TOKEN_SECRET: z.accessToken.tokenSecret };
    const sync = (argv, opts = {}) => run("sync", process.execPath, ["sync-participants.mjs", ...argv], { cwd: cli, quiet: true, ...opts, env: { ...zapEnv, ...opts.env } });
    /** Runs `fn` and returns [its result, getparticipants requests it made]. */
    const counted = async (fn, gen = "oauth1") => {
      const before = zapCalls(counters(), "getparticipants", gen);
      const r = await fn();
      return [r, zapCalls(counters(), "getparticipants", gen) - before];
    };
    /** The same records as the fixtures (the SDK's typed form: numbers, booleans, ISO dates). */
    const assertSame = (got, want, what) => {
      assert.equal(got.length, want.length, `${what}: record count`);
      assert.deepEqual(got.map((p) => p.participant_id), want.map((p) => p.participant_id), `${what}: participant ids in order, no duplicate, no gap`);
      for (const i of [0, Math.floor(want.length / 2), want.length - 1]) {
        const [g, w] = [got[i], want[i]];
        for (const k of ["registration_id", "first_name", "last_name", "email", "notes", "city"]) assert.equal(g[k], w[k], `${what}: record ${i} ${k}`);
        assert.equal(g.checked_in, w.checked_in === "T" || w.checked_in === true, `${what}: record ${i} checked_in`);
        assert.equal(g.age, Number(w.age), `${what}: record ${i} age`);
      }
    };

    await check("sync-participants: first run (--limit 300), second run fetches only the 223 newer (1 request), third none", async () => {
      const want = expectedParticipants(1001);
      assert.equal(want.length, 523, "fixture: event 1001 has 523 participants");
      const [r1, req1] = await counted(() => sync(["--event", "1001", "--out", "p.jsonl", "--limit", "300"]));
      assert.equal(r1.code, 0, `run 1 exit status: ${r1.stderr}`);
      assert.equal(req1, 2, "run 1: 2 requests (250 + 50 of 250)");
      let state = await readState(join(cli, "p.jsonl.state.json"));
      assert.equal(state.records, 300, "run 1: 300 records in the state");
      assert.equal(state.lastParticipantId, want[299].participant_id, "run 1: last participant id");
      assert.equal(state.run, null, "run 1: complete");
      assertSame(await readLines(join(cli, "p.jsonl")), want.slice(0, 300), "run 1");
      assert.match(r1.stderr, /^participants: 250\/523$/m, "not a TTY: plain progress lines");

      const [r2, req2] = await counted(() => sync(["--event", "1001", "--out", "p.jsonl"]));
      assert.equal(r2.code, 0, `run 2 exit status: ${r2.stderr}`);
      assert.equal(req2, 1, "run 2: one request (only the 223 after the last id; all 523 would take 3)");
      assert.match(r2.stdout, /^223 new participant/m, "run 2: 223 new");
      assert.match(r2.stderr, /^participants: 223\/223$/m, "run 2: the server's total is the 223 newer ones");
      state = await readState(join(cli, "p.jsonl.state.json"));
      assert.equal(state.records, 523, "run 2: 523 in all");
      assert.equal(state.lastParticipantId, want.at(-1).participant_id, "run 2: last participant id");
      assertSame(await readLines(join(cli, "p.jsonl")), want, "after run 2");

      const [r3, req3] = await counted(() => sync(["--event", "1001", "--out", "p.jsonl"]));
      assert.equal(r3.code, 0, `run 3 exit status: ${r3.stderr}`);
      assert.equal(req3, 1, "run 3: one (empty) request");
      assert.match(r3.stdout, /^0 new participant/m, "run 3: nothing new");
      assert.equal((await readLines(join(cli, "p.jsonl"))).length, 523, "run 3: file unchanged");

      // A crash between an append and the state write leaves a tail the state does not cover.
      await appendFile(join(cli, "p.jsonl"), '{"participant_id": 99999999, "half a rec');
      const r4 = await sync(["--event", "1001", "--out", "p.jsonl"]);
      assert.equal(r4.code, 0, `run 4 exit status: ${r4.stderr}`);
      assertSame(await readLines(join(cli, "p.jsonl")), want, "run 4: the unsaved tail is cut off");
    });

    await check("sync-participants --format csv through the Login method (xml on the wire): 523 rows, RFC 4180", async () => {
      const want = expectedParticipants(1001);
      const env = { ZAPEVENT_TOKEN: "", ZAPEVENT_USERNAME: z.user.username, ZAPEVENT_PASSWORD: z.user.password };
      const r = await sync(["--event", "1001", "--out", "p.csv", "--format", "csv", "--wire", "xml", "--page-size", "100"], { env });
      assert.equal(r.code, 0, `exit status: ${r.stderr}`);
      const text = await readFile(join(cli, "p.csv"), "utf8");
      assert.ok(!text.includes(z.user.password), "no password in the output");
      const parsed = Papa.parse(text.replace(/\r\n$/, ""), { header: true, newline: "\r\n" });
      assert.deepEqual(parsed.errors, [], "CSV parses");
      assert.equal(parsed.meta.fields[0], "registration_id", "header row");
      const rows = parsed.data.map((row) => ({ ...row, participant_id: Number(row.participant_id), registration_id: Number(row.registration_id), age: Number(row.age), checked_in: row.checked_in === "true" }));
      assertSame(rows, want, "csv");
      const again = await sync(["--event", "1001", "--out", "p.csv", "--format", "csv", "--wire", "xml"], { env });
      assert.equal(again.code, 0, `second run: ${again.stderr}`);
      assert.equal(await readFile(join(cli, "p.csv"), "utf8"), text, "second run: nothing appended (no second header)");
    });

    await check("sync-participants: a run interrupted with SIGINT after a few pages resumes from its cursor: 10,000, no duplicate, no gap, only the rest requested", async () => {
      const want = expectedParticipants(1005);
      assert.equal(want.length, 10000, "fixture: event 1005 has 10,000 participants");
      const statePath = join(cli, "m.jsonl.state.json");
      sim.state.faults.set([{ path: "/event/getparticipants$", kind: "slow", delayMs: 150 }]);
      let interrupted;
      const [r1, req1] = await counted(() => sync(["--event", "1005", "--out", "m.jsonl"], {
        onSpawn: (child) => {
          const poll = setInterval(async () => {
            const s = await readState(statePath).catch(() => null);
            if (s && s.records >= 1500) {
              clearInterval(poll);
              interrupted = s.records;
              child.kill("SIGINT");
            }
          }, 20);
          child.on("close", () => clearInterval(poll));
        },
      }));
      sim.state.faults.clear();
      assert.ok(interrupted, `the run was interrupted (it exited ${r1.code} first: ${r1.stderr.slice(-300)})`);
      assert.equal(r1.code, 130, `interrupted run exits 130: ${r1.stderr.slice(-300)}`);
      assert.match(r1.stderr, /interrupted: .*run the same command again to resume/, "says how to resume");
      const mid = await readState(statePath);
      assert.ok(mid.run && typeof mid.run.cursor === "string", "the state keeps the run's cursor");
      assert.ok(mid.records >= 1500 && mid.records < 10000 && mid.records % 250 === 0, `whole pages saved (${mid.records})`);
      assert.equal(req1, mid.records / 250 + (req1 > mid.records / 250 ? 1 : 0), "requests of the interrupted run: the pages saved (+ the one in flight)");
      assertSame(await readLines(join(cli, "m.jsonl")), want.slice(0, mid.records), "after the interruption");

      const [r2, req2] = await counted(() => sync(["--event", "1005", "--out", "m.jsonl"]));
      assert.equal(r2.code, 0, `resumed run: ${r2.stderr.slice(-300)}`);
      assert.match(r2.stderr, /resuming the interrupted run/, "says it resumes");
      assert.equal(req2, (10000 - mid.records) / 250, `resumed run: only the ${(10000 - mid.records) / 250} remaining pages`);
      const done = await readState(statePath);
      assert.equal(done.run, null, "complete");
      assert.equal(done.records, 10000, "10,000 in the state");
      assertSame(await readLines(join(cli, "m.jsonl")), want, "after the resumed run");
    });

    const or = fx.oneroster;
    const users = (rec) => ({ sourcedId: rec.sourcedId, givenName: rec.givenName, familyName: rec.familyName, role: rec.role, email: rec.email, username: rec.username });
    const exportOf = async (mode, dir, env) => {
      const r = await run(`export ${mode}`, process.execPath, ["export-oneroster.mjs", "--mode", mode, "--out-dir", dir], { cwd: cli, env, quiet: true });
      assert.equal(r.code, 0, `${mode}: exit status: ${r.stderr.slice(-500)}`);
      const out = {};
      for (const c of ["users", "classes", "enrollments"]) out[c] = await readLines(join(cli, dir, `${c}.jsonl`));
      const manifest = JSON.parse(await readFile(join(cli, dir, "manifest.json"), "utf8"));
      for (const c of ["users", "classes", "enrollments"]) assert.equal(manifest.collections[c].records, out[c].length, `${mode}: manifest count of ${c}`);
      return out;
    };
    const assertRoster = (got, mode) => {
      for (const c of ["users", "classes", "enrollments"]) {
        assert.equal(got[c].length, or.counts[c], `${mode}: ${c} count`);
        assert.deepEqual(got[c].map((r) => r.sourcedId), or[c].map((r) => r.sourcedId), `${mode}: ${c} sourcedIds in order`);
      }
      assert.deepEqual(got.users.map(users), or.users.map(users), `${mode}: users' names, roles, emails`);
      assert.ok(got.users.every((u) => typeof u.enabledUser === "boolean"), `${mode}: enabledUser typed`);
      assert.deepEqual(got.classes.map((c) => [c.title, c.classCode, c.school?.sourcedId]), or.classes.map((c) => [c.title, c.classCode, c.school?.sourcedId]), `${mode}: classes`);
      assert.deepEqual(got.enrollments.map((e) => [e.user?.sourcedId, e.class?.sourcedId, e.role, e.primary]),
        or.enrollments.map((e) => [e.user?.sourcedId, e.class?.sourcedId, e.role, e.primary === true || e.primary === "true"]), `${mode}: enrollments`);
    };
    await check("export-oneroster --mode direct (1.1, OAuth 1.0a HMAC-SHA256): users, classes, enrollments equal the fixtures", async () => {
      const got = await exportOf("direct", "or-direct", { ONEROSTER_BASE_URL: `${sim.url}/oneroster`, ONEROSTER_CLIENT_ID: or.consumerKey, ONEROSTER_CLIENT_SECRET: or.consumerSecret });
      assertRoster(got, "direct");
      const c = counters();
      assert.ok((c.oneroster_api?.calls?.v1p1?.total ?? 0) >= 3, "requests went to the 1.1 binding");
    });
    await check("export-oneroster --mode v1p2 (1.2, client credentials): the same records, one token grant", async () => {
      const client = or.oauth2.clients.core;
      const before = counters().grants?.oneroster?.client_credentials ?? 0;
      const got = await exportOf("v1p2", "or-v1p2", { ONEROSTER_BASE_URL: `${sim.url}/oneroster`, ONEROSTER_TOKEN_URL: `${sim.url}${or.oauth2.tokenPath}`, ONEROSTER_CLIENT_ID: client.clientId, ONEROSTER_CLIENT_SECRET: client.clientSecret });
      assertRoster(got, "v1p2");
      assert.equal((counters().grants?.oneroster?.client_credentials ?? 0) - before, 1, "one client-credentials grant for the whole export");
    });
  }

  if (ONLY.includes("deno")) {
    await check("examples-js/deno: deno test (Priava edge function on Deno KV, one refresh across an expiry)", async () => {
      sim.state.reset();
      const r = await run("deno", join(BIN, "deno"), ["test", "--no-prompt", "--unstable-kv", "--allow-net", "--allow-env", "--allow-read", "--allow-write"], {
        cwd: dirs.deno,
        env: { SIM_URL: sim.url, DENO_NO_UPDATE_CHECK: "1", DENO_DIR: join(ROOT, "target", "deno-cache") },
      });
      assert.equal(r.code, 0, `deno test exited with ${r.code ?? r.signal}`);
      assert.match(`${r.stdout}${r.stderr}`, /^ok \| [1-9]\d* passed.* \| 0 failed/m, "deno test passed");
    });
  }

  if (ONLY.includes("dashboard")) await dashboardChecks({ check, sim, dir: dirs.dashboard, root: ROOT });
  if (ONLY.includes("worker")) await workerChecks({ check, sim, dir: dirs.worker });

  if (ONLY.includes("demo")) {
    await check("demo: `make demo`'s last step with --once: a summary per provider and the dashboard URL, then a clean exit", async () => {
      const examples = join(ROOT, "examples-js");
      // `npm ci`, as `make demo` runs it: exactly examples-js/package-lock.json, never rewritten.
      const installed = await run("demo npm", "npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: examples, quiet: true });
      assert.equal(installed.code, 0, "npm ci in examples-js/");
      const t0 = Date.now();
      const r = await run("demo", process.execPath, ["demo.mjs", "--once"], { cwd: examples, quiet: true, timeoutMs: 120_000 });
      assert.equal(r.code, 0, `demo exit status: ${r.stderr.slice(-500)}`);
      const out = r.stdout;
      for (const provider of ["OAuth 1.0a signing", "ZapEvent", "OneRoster 1.1", "Priava", "Online Registration Center", "OmniFund"]) {
        assert.match(out, new RegExp(`^${provider}.* \\((\\d+ ms|\\d+\\.\\d s)\\)$`, "m"), `a block for ${provider} with its time`);
      }
      assert.match(out, /^  signed +9 requests, .*: 9 of 9 accepted$/m, "every signature accepted");
      assert.match(out, /^  refused +3 of 3 tampered/m, "the tampered requests refused");
      assert.match(out, /^  fetched +CLI sync of event 1001 → .*: 523 new participants; run again: 0 new$/m, "the CLI sync ran, then found nothing new");
      assert.match(out, /^  refreshed +1 refresh grant for 50 concurrent calls on an expired token; rotated refresh token stored: yes$/m, "Priava: one refresh");
      assert.match(out, /^  fetched +roster of module 4103: 10,000 attendees/m, "ORC roster");
      assert.match(out, /^dashboard: http:\/\/127\.0\.0\.1:\d+\/ /m, "the dashboard URL");
      assert.equal(r.stderr.trim(), "", "nothing on stderr");
      const lines = out.trim().split("\n");
      assert.ok(lines.length <= 45 && lines.every((l) => l.length <= 220), `short output: ${lines.length} lines, longest ${Math.max(...lines.map((l) => l.length))}`);
      console.log(`[examples] demo: ${lines.length} lines in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

      // Without --once it stays up, serving the dashboard, until Ctrl-C; then it exits 0 and
      // nothing listens any more.
      const up = await serve("demo", process.execPath, ["demo.mjs"], { cwd: examples, ready: /^dashboard: (http:\/\/127\.0\.0\.1:\d+\/) /m, timeoutMs: 120_000 });
      const url = up.match[1];
      const page = await fetch(url);
      assert.equal(page.status, 200, "the dashboard is served");
      assert.match(await page.text(), /<title>oauth-edge dashboard<\/title>/);
      const sim = /^oauth-edge demo: provider simulator at (\S+)$/m.exec(up.output())?.[1];
      assert.ok(sim, "the simulator's URL is printed");
      up.signal("SIGINT");
      const exit = await up.exited;
      assert.deepEqual(exit, { code: 0, signal: null }, `Ctrl-C: a clean exit\n${up.output().slice(-300)}`);
      assert.match(up.output(), /\nstopped\n$/, "says it stopped");
      for (const gone of [url, `${sim}/__sim/health`]) {
        await assert.rejects(fetch(gone, { signal: AbortSignal.timeout(2000) }), `${gone}: nothing listens after Ctrl-C`);
      }
    });
  }
} catch (e) {
  results.push({ name: "setup", ok: false });
  console.log(`[examples] FAIL setup: ${e.stack ?? e}`);
} finally {
  await sim.close();
  await rm(work, { recursive: true, force: true });
}

finish();
