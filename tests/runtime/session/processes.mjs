// Scenario (k), Node: several `node` child processes (cas-worker.mjs), each with its own
// TokenSession over httpCasStore, sharing one record in a CAS server this process starts
// (cas-server.mjs) — no lock anywhere. Lock-step like (d) in Deno: the driver advances the
// simulator, hands the offset to every process (a stdin line), waits for all replies, then
// checks the counter delta: exactly 1 refresh per cycle.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { startCasServer } from "./cas-server.mjs";
import { httpCasStore } from "./cas-store.mjs";
import { delta, genericClient, passwordTokens, snapshot, withSim } from "./cases.mjs";

const WORKER = fileURLToPath(new URL("./cas-worker.mjs", import.meta.url));
export const PROCESSES = Number(process.env.SESSION_CAS_PROCESSES || 4);
export const PROCESS_CYCLES = Number(process.env.SESSION_CAS_CYCLES || 20);

/** A child speaking JSON lines; `next()` is the next "@@" reply. */
function startWorker(id, args) {
  const child = spawn(process.execPath, [WORKER, ...args, String(id)], { stdio: ["pipe", "pipe", "inherit"] });
  const replies = [];
  const waiting = [];
  let exited = null;
  const rl = createInterface({ input: child.stdout });
  rl.on("line", (line) => {
    if (!line.startsWith("@@")) return console.log(`# [cas-worker ${id}] ${line}`);
    const msg = JSON.parse(line.slice(2));
    const w = waiting.shift();
    if (w) w.resolve(msg);
    else replies.push(msg);
  });
  child.on("exit", (code, signal) => {
    exited = code ?? signal;
    for (const w of waiting.splice(0)) w.reject(new Error(`cas worker ${id} exited (${exited})`));
  });
  const next = (timeoutMs = 20_000) => {
    if (replies.length) return Promise.resolve(replies.shift());
    if (exited !== null) return Promise.reject(new Error(`cas worker ${id} exited (${exited})`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`cas worker ${id}: no answer within ${timeoutMs} ms`)), timeoutMs);
      waiting.push({ resolve: (v) => (clearTimeout(timer), resolve(v)), reject: (e) => (clearTimeout(timer), reject(e)) });
    });
  };
  const send = (msg) => child.stdin.write(JSON.stringify(msg) + "\n");
  const stop = async () => {
    if (exited !== null) return;
    const done = new Promise((r) => child.once("exit", r));
    try {
      send({ op: "exit" });
      child.stdin.end();
    } catch {
      /* gone */
    }
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await done;
    clearTimeout(timer);
  };
  return { send, next, stop };
}

export async function processCycles(ctx, { processes = 4, cycles = 20, calls = 6 } = {}) {
  const { assert, pkg } = ctx;
  const ttl = ctx.fixtures.generic.accessTokenTtl;
  const cas = await startCasServer();
  const workers = [];
  try {
    await withSim(ctx, async (ctl, clock) => {
      const key = `family-${Date.now()}`;
      const client = genericClient(ctx);
      const seeded = new pkg.TokenSession(client, { store: httpCasStore(cas.url, key), now: clock.now });
      await seeded.signIn(await passwordTokens(ctx, client));
      for (let i = 1; i <= processes; i++) workers.push(startWorker(i, [cas.url, key, ctx.simUrl]));
      for (const w of workers) assert.equal((await w.next()).ready, true, "worker ready");
      const perCycle = [];
      const problems = [];
      const t0 = Date.now();
      for (let cycle = 0; cycle < cycles; cycle++) {
        const mode = cycle % 2 === 0 ? "expired" : "expiring";
        await clock.advance(mode === "expired" ? ttl + 5 : ttl - 30);
        const before = snapshot(await ctl.counters());
        for (const w of workers) w.send({ op: "cycle", cycle, offsetMs: clock.offsetMs, calls });
        const replies = await Promise.all(workers.map((w) => w.next()));
        const d = delta(snapshot(await ctl.counters()), before);
        perCycle.push(d.refresh);
        replies.forEach((r, i) => {
          if (r.errors.length) problems.push(`cycle ${cycle} (${mode}) process ${i + 1}: rejected calls: ${r.errors.join("; ")}`);
          if (r.statuses.some((s) => s !== 200)) problems.push(`cycle ${cycle} (${mode}) process ${i + 1}: statuses ${JSON.stringify(r.statuses)}`);
          if (r.state === "needs_reauth") problems.push(`cycle ${cycle} process ${i + 1}: needs_reauth`);
        });
        if (d.refresh !== 1) problems.push(`cycle ${cycle} (${mode}): ${d.refresh} refresh_token grants, expected exactly 1`);
        if (d.invalidGrant !== 0) problems.push(`cycle ${cycle} (${mode}): ${d.invalidGrant} invalid_grant`);
        if (d.familiesRevoked !== 0) problems.push(`cycle ${cycle} (${mode}): ${d.familiesRevoked} families revoked`);
        if (d.apiUnauthorized !== 0) problems.push(`cycle ${cycle} (${mode}): ${d.apiUnauthorized} API 401s`);
        if (problems.length > 10) break;
      }
      const stats = cas.stats(key);
      ctx.log?.(`(k) ${processes} node processes on one HTTP CAS record: ${perCycle.length} cycles in ${Date.now() - t0} ms; refreshes per cycle ${JSON.stringify(perCycle)}; CAS ${JSON.stringify(stats)}`);
      assert.equal(problems.length, 0, `problems:\n  ${problems.slice(0, 12).join("\n  ")}`);
      assert.equal(stats.tokenWrites, 1 + cycles, "new tokens written: the signIn + exactly one per cycle");
      const stored = cas.record(key);
      assert.equal(stored.tokens.refreshLease ?? null, null, "no refresh lease left in the record");
      const before = snapshot(await ctl.counters());
      assert.ok((await client.refresh(stored.tokens.refreshToken)).refreshToken, "the stored refresh token is live");
      assert.equal(delta(snapshot(await ctl.counters()), before).invalidGrant, 0, "invalid_grant of the final check");
    });
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await cas.close();
  }
}
