// Deno session suite: `deno test --unstable-kv --allow-net --allow-read --allow-write --allow-env
// --allow-run suite/session/deno.test.mjs` from target/runtime-app ("deno" condition). Runs the
// "session" cases of ../suites.mjs in this process, then scenario (d) for Deno: two `deno run` processes
// (deno-kv-worker.mjs) sharing one Deno KV file through denoKvStore, driven in lock-step cycles.
import * as pkg from "oauth-edge";
import { assert } from "../assert.mjs";
import { loadFixtures } from "../cases.mjs";
import { caseList, contextFor } from "../suites.mjs";
import { delta, genericClient, passwordTokens, simControl, snapshot, virtualClock } from "./cases.mjs";

const simUrl = Deno.env.get("SIM_URL");
if (!simUrl) throw new Error("SIM_URL is not set (run tests/runtime/run.mjs)");
const base = { modules: { "oauth-edge": pkg }, simUrl, fixtures: await loadFixtures(simUrl), assert, runtime: "deno", log: (m) => console.log(`# ${m}`) };
const ctx = contextFor(base);

for (const c of caseList("session", "deno", base)) Deno.test(c.name, c.run);

const CYCLES = Number(Deno.env.get("SESSION_KV_CYCLES") || 10);
const CALLS = 8; // concurrent session.fetch() per process per cycle

/** A `deno run` child speaking JSON lines on stdin/stdout. */
function startWorker(id, kvPath) {
  const cmd = new Deno.Command(Deno.execPath(), {
    args: ["run", "--unstable-kv", "--allow-net", "--allow-read", "--allow-write", "--allow-env", new URL("./deno-kv-worker.mjs", import.meta.url).pathname, kvPath, simUrl, String(id)],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  });
  const child = cmd.spawn();
  const writer = child.stdin.getWriter();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  const next = async (timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const nl = buf.indexOf("\n");
      if (nl >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith("@@")) return JSON.parse(line.slice(2));
        console.log(`[kv-worker ${id}] ${line}`);
        continue;
      }
      let timer;
      const r = await Promise.race([
        lines.read(),
        new Promise((_, rej) => (timer = setTimeout(() => rej(new Error(`kv worker ${id}: no answer within ${timeoutMs} ms`)), Math.max(1, deadline - Date.now())))),
      ]).finally(() => clearTimeout(timer));
      if (r.done) throw new Error(`kv worker ${id} exited`);
      buf += r.value;
    }
  };
  const send = (msg) => writer.write(new TextEncoder().encode(JSON.stringify(msg) + "\n"));
  const stop = async () => {
    try {
      await send({ op: "exit" });
      await writer.close();
    } catch {
      /* gone */
    }
    const timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch {
        /* gone */
      }
    }, 5000);
    await child.status;
    clearTimeout(timer);
    await lines.cancel().catch(() => {});
  };
  return { send, next, stop };
}

Deno.test(`(d) Deno: two processes sharing one Deno KV file, ${CYCLES} expiry cycles: exactly 1 refresh per cycle`, async () => {
  const ctl = simControl(simUrl);
  const clock = virtualClock(ctl);
  await ctl.clearFaults();
  await clock.zero();
  const dir = await Deno.makeTempDir({ prefix: "oauth-edge-kv-" });
  const kvPath = `${dir}/tokens.sqlite`;
  const workers = [];
  try {
    // Seed the shared KV with fresh tokens (through the package's own adapter).
    const kv = await Deno.openKv(kvPath);
    try {
      const client = genericClient(ctx);
      const seeded = new pkg.TokenSession(client, { store: pkg.denoKvStore(kv), now: clock.now });
      await seeded.signIn(await passwordTokens(ctx, client));
    } finally {
      kv.close();
    }
    workers.push(startWorker(1, kvPath), startWorker(2, kvPath));
    for (const w of workers) assert.equal((await w.next()).ready, true, "worker ready");
    const ttl = ctx.fixtures.generic.accessTokenTtl;
    const perCycle = [];
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const mode = cycle % 2 === 0 ? "expired" : "expiring";
      await clock.advance(mode === "expired" ? ttl + 5 : ttl - 30);
      const before = snapshot(await ctl.counters());
      for (const w of workers) await w.send({ op: "cycle", cycle, offsetMs: clock.offsetMs, calls: CALLS });
      const replies = await Promise.all(workers.map((w) => w.next()));
      const d = delta(snapshot(await ctl.counters()), before);
      perCycle.push(d.refresh);
      for (const [i, r] of replies.entries()) {
        assert.equal(r.errors.length, 0, `cycle ${cycle} (${mode}), process ${i + 1}: rejected calls: ${r.errors.join("; ")}`);
        assert.deepEqual(r.statuses, Array(CALLS).fill(200), `cycle ${cycle} (${mode}), process ${i + 1}: statuses`);
        assert.notEqual(r.state, "needs_reauth", `cycle ${cycle}, process ${i + 1}: state`);
      }
      assert.equal(d.refresh, 1, `cycle ${cycle} (${mode}): refresh_token grants for two processes sharing Deno KV (so far ${JSON.stringify(perCycle)})`);
      assert.equal(d.invalidGrant, 0, `cycle ${cycle} (${mode}): invalid_grant`);
      assert.equal(d.familiesRevoked, 0, `cycle ${cycle} (${mode}): families revoked`);
    }
    console.log(`# (d) deno kv: refreshes per cycle ${JSON.stringify(perCycle)}`);
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    await ctl.clearFaults().catch(() => {});
    await clock.zero().catch(() => {});
  }
});
