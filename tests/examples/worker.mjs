// The Cloudflare Worker example (examples-js/worker/) in workerd: built with its own build.mjs
// (esbuild, the `workerd` condition), served by its own workerd.capnp (settings from the
// environment, `--socket-addr` for a free port), ORC console tokens handed over once, then
// rosters checked against the fixtures and, across three access-token expiries at the
// simulator, 24 concurrent requests per expiry (each its own TokenSession over the one
// Durable Object): every one answered, exactly one refresh grant per expiry.
import assert from "node:assert/strict";
import { stat } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { simControl } from "../runtime/sim-control.mjs";
import { run, serve } from "./proc.mjs";

const CONCURRENT = 24;
const CYCLES = 3;
const TTL = 120; // the ORC access-token lifetime at the simulator during the check (s)

const freePort = () => new Promise((ok, fail) => {
  const s = createServer().once("error", fail).listen(0, "127.0.0.1", () => {
    const { port } = s.address();
    s.close(() => ok(port));
  });
});

export async function workerChecks({ check, sim, dir }) {
  const fx = sim.state.fixtures;
  const ctl = simControl(sim.url);
  await check(`worker: builds (esbuild, workerd condition), runs in workerd; ${CONCURRENT} concurrent requests across each of ${CYCLES} expiries: all 200, 1 refresh grant per expiry`, async () => {
    const built = await run("worker build", "npm", ["run", "--silent", "build"], { cwd: dir, quiet: true });
    assert.equal(built.code, 0, "npm run build");
    for (const f of ["worker.js", "oauth_edge_bg.wasm"]) assert.ok((await stat(join(dir, "dist", f))).size > 0, `dist/${f} written`);

    sim.state.reset();
    await ctl.ttl("orc", TTL);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const ADMIN_TOKEN = "local-admin-token-for-the-check";
    const env = { ORC_BASE_URL: `${sim.url}/orc`, ORC_CLIENT_ID: fx.orc.clientId, ORC_CLIENT_SECRET: fx.orc.clientSecret, ADMIN_TOKEN };
    const workerd = await serve("workerd", join(dir, "node_modules", ".bin", "workerd"), ["serve", "workerd.capnp", "--experimental", "--socket-addr", `http=127.0.0.1:${port}`], {
      cwd: dir, env, poll: async () => (await fetch(`${base}/status`, { signal: AbortSignal.timeout(2000) })).ok,
    });
    const get = async (path, init) => {
      const res = await fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(30_000) });
      return { status: res.status, body: await res.json() };
    };
    try {
      assert.deepEqual((await get("/status")).body, { state: "empty", nextRefreshAt: null }, "no tokens yet");
      const notSignedIn = await get("/roster/4101");
      assert.equal(notSignedIn.status, 503, "before the console tokens: 503");
      assert.equal(notSignedIn.body.error, "NEEDS_REAUTH");

      const issued = sim.state.orcIssue();
      const put = (auth) => get("/admin/orc-tokens", { method: "PUT", headers: { authorization: `Bearer ${auth}`, "content-type": "application/json" }, body: JSON.stringify(issued) });
      assert.equal((await put("wrong")).status, 401, "a wrong admin token is refused");
      assert.deepEqual(await put(ADMIN_TOKEN), { status: 200, body: { state: "valid" } }, "console tokens accepted");

      const first = await get("/roster/4101");
      assert.equal(first.status, 200, JSON.stringify(first.body));
      const want = fx.orc.attendees[4101];
      assert.equal(first.body.count, want.length, "attendee count");
      assert.deepEqual(first.body.attendees.map((a) => [a.trackno, a.fname, a.lname, a.email, a.module_id]), want.map((a) => [a.trackno, a.fname, a.lname, a.email, Number(a.module_id)]), "attendees of module 4101");
      const missing = await get("/roster/999999");
      assert.equal(missing.status, 404, `an unknown module: ${JSON.stringify(missing.body)}`);

      const counters = async () => {
        const c = await ctl.counters();
        return { refresh: c.grants?.orc?.refresh_token ?? 0, invalidGrant: c.oauth2_errors?.invalid_grant ?? 0, revoked: c.families_revoked ?? 0 };
      };
      const per = [];
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        await ctl.advance(TTL + 5);
        // A slow token endpoint widens the window in which a second refresh could start.
        await ctl.faults([{ path: "^/orc/token/$", kind: "slow", delayMs: 300 }]);
        const before = await counters();
        const replies = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => get(`/roster/${i % 2 ? 4101 : 4102}`)));
        const after = await counters();
        await ctl.clearFaults();
        per.push(after.refresh - before.refresh);
        replies.forEach((r, i) => {
          assert.equal(r.status, 200, `cycle ${cycle} request ${i}: ${JSON.stringify(r.body).slice(0, 300)}`);
          assert.equal(r.body.count, fx.orc.attendees[i % 2 ? 4101 : 4102].length, `cycle ${cycle} request ${i}: attendees`);
        });
        assert.equal(after.invalidGrant - before.invalidGrant, 0, `cycle ${cycle}: no invalid_grant`);
        assert.equal(after.revoked - before.revoked, 0, `cycle ${cycle}: no family revoked`);
      }
      console.log(`[examples] worker: refresh grants per expiry ${JSON.stringify(per)}`);
      assert.deepEqual(per, Array(CYCLES).fill(1), "exactly one refresh grant per expiry");
    } finally {
      const { offset } = await ctl.clock();
      if (offset) await ctl.advance(-offset);
      await ctl.ttl("orc", null);
      await ctl.clearFaults();
      const exit = await workerd.stop();
      if (exit.code !== 0 && exit.signal !== "SIGTERM") console.log(workerd.output().split("\n").slice(-20).map((l) => `[workerd] ${l}`).join("\n"));
    }
  });
}
