// The Cloudflare Worker example (examples-js/worker/) in workerd: built with its own build.mjs
// (esbuild, the `workerd` condition), served by its own workerd.capnp (settings from the
// environment, `--socket-addr` for a free port), ORC console tokens handed over once, rosters
// checked against the fixtures, then, across three access-token expiries at the simulator, 24
// concurrent requests per expiry (each its own TokenSession over the one Durable Object): every
// one answered, exactly one refresh grant per expiry. The same bundle again as two Worker
// services (two isolates, like two Cloudflare locations) sharing the Durable Object namespace,
// requests split between them: still one refresh per expiry.
import assert from "node:assert/strict";
import { stat, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { simControl } from "../runtime/sim-control.mjs";
import { run, serve } from "./proc.mjs";

const CONCURRENT = 24;
const CYCLES = 3;
const TTL = 120; // the ORC access-token lifetime at the simulator during the checks (s)
const ADMIN_TOKEN = "local-admin-token-for-the-check";

const freePort = () => new Promise((ok, fail) => {
  const s = createServer().once("error", fail).listen(0, "127.0.0.1", () => {
    const { port } = s.address();
    s.close(() => ok(port));
  });
});

/** GET/PUT against one Worker socket; resolves to {status, body}. */
const client = (base) => async (path, init) => {
  const res = await fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(30_000) });
  return { status: res.status, body: await res.json() };
};

/** Two Worker services from the example's bundle; `b` binds `a`'s Durable Object namespace. */
function twoIsolatesConfig(portA, portB) {
  const worker = (tokens) => `(
  modules = [
    (name = "worker.js", esModule = embed "dist/worker.js"),
    (name = "oauth_edge_bg.wasm", wasm = embed "dist/oauth_edge_bg.wasm"),
  ],
  compatibilityDate = "2025-09-01",
  bindings = [
    (name = "ORC_BASE_URL", fromEnvironment = "ORC_BASE_URL"),
    (name = "ORC_CLIENT_ID", fromEnvironment = "ORC_CLIENT_ID"),
    (name = "ORC_CLIENT_SECRET", fromEnvironment = "ORC_CLIENT_SECRET"),
    (name = "ADMIN_TOKEN", fromEnvironment = "ADMIN_TOKEN"),
    (name = "TOKENS", durableObjectNamespace = ${tokens}),
  ],${tokens === '"TokenStoreDurableObject"' ? `
  durableObjectNamespaces = [(className = "TokenStoreDurableObject", uniqueKey = "oauth-edge-worker-check")],
  durableObjectStorage = (inMemory = void),` : ""}
  globalOutbound = "outbound",
)`;
  return `# Written by tests/examples/worker.mjs.
using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "a", worker = .a),
    (name = "b", worker = .b),
    (name = "outbound", network = (allow = ["local"])),
  ],
  sockets = [
    (name = "a", address = "127.0.0.1:${portA}", http = (), service = "a"),
    (name = "b", address = "127.0.0.1:${portB}", http = (), service = "b"),
  ],
);
const a :Workerd.Worker = ${worker('"TokenStoreDurableObject"')};
const b :Workerd.Worker = ${worker('(className = "TokenStoreDurableObject", serviceName = "a")')};
`;
}

export async function workerChecks({ check, sim, dir }) {
  const fx = sim.state.fixtures;
  const ctl = simControl(sim.url);
  const env = { ORC_BASE_URL: `${sim.url}/orc`, ORC_CLIENT_ID: fx.orc.clientId, ORC_CLIENT_SECRET: fx.orc.clientSecret, ADMIN_TOKEN };
  const workerdBin = join(dir, "node_modules", ".bin", "workerd");
  const started = (config, argv, base) => serve("workerd", workerdBin, ["serve", config, "--experimental", ...argv], {
    cwd: dir, env, poll: async () => (await fetch(`${base}/status`, { signal: AbortSignal.timeout(2000) })).ok,
  });
  const signIn = async (get) => {
    const issued = sim.state.orcIssue();
    const put = (auth) => get("/admin/orc-tokens", { method: "PUT", headers: { authorization: `Bearer ${auth}`, "content-type": "application/json" }, body: JSON.stringify(issued) });
    assert.equal((await put("wrong")).status, 401, "a wrong admin token is refused");
    assert.deepEqual(await put(ADMIN_TOKEN), { status: 200, body: { state: "valid" } }, "console tokens accepted");
  };
  const counters = async () => {
    const c = await ctl.counters();
    return { refresh: c.grants?.orc?.refresh_token ?? 0, invalidGrant: c.oauth2_errors?.invalid_grant ?? 0, revoked: c.families_revoked ?? 0 };
  };
  /** CYCLES expiries, CONCURRENT requests each, spread over `gets`; returns refresh grants per expiry. */
  const expiryCycles = async (gets) => {
    const per = [];
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      await ctl.advance(TTL + 5);
      // A slow token endpoint widens the window in which a second refresh could start.
      await ctl.faults([{ path: "^/orc/token/$", kind: "slow", delayMs: 300 }]);
      const before = await counters();
      const modules = Array.from({ length: CONCURRENT }, (_, i) => (i % 3 ? 4101 : 4102));
      const replies = await Promise.all(modules.map((m, i) => gets[i % gets.length](`/roster/${m}`)));
      const after = await counters();
      await ctl.clearFaults();
      per.push(after.refresh - before.refresh);
      replies.forEach((r, i) => {
        assert.equal(r.status, 200, `cycle ${cycle} request ${i}: ${JSON.stringify(r.body).slice(0, 300)}`);
        assert.equal(r.body.count, fx.orc.attendees[modules[i]].length, `cycle ${cycle} request ${i}: attendees`);
      });
      assert.equal(after.invalidGrant - before.invalidGrant, 0, `cycle ${cycle}: no invalid_grant`);
      assert.equal(after.revoked - before.revoked, 0, `cycle ${cycle}: no family revoked`);
    }
    return per;
  };
  const cleanUp = async (workerd) => {
    await ctl.clearFaults();
    const { offset } = await ctl.clock();
    if (offset) await ctl.advance(-offset);
    await ctl.ttl("orc", null);
    const exit = await workerd?.stop();
    if (exit && exit.code !== 0 && exit.signal !== "SIGTERM") console.log(workerd.output().split("\n").slice(-20).map((l) => `[workerd] ${l}`).join("\n"));
  };

  let built = false;
  await check(`worker: builds (esbuild, workerd condition), runs in workerd with its workerd.capnp; ${CONCURRENT} concurrent requests across each of ${CYCLES} expiries: all 200, 1 refresh grant per expiry`, async () => {
    const b = await run("worker build", "npm", ["run", "--silent", "build"], { cwd: dir, quiet: true });
    assert.equal(b.code, 0, "npm run build");
    for (const f of ["worker.js", "oauth_edge_bg.wasm"]) assert.ok((await stat(join(dir, "dist", f))).size > 0, `dist/${f} written`);
    built = true;

    sim.state.reset();
    await ctl.ttl("orc", TTL);
    const base = `http://127.0.0.1:${await freePort()}`;
    let workerd;
    try {
      workerd = await started("workerd.capnp", ["--socket-addr", `http=${base.slice(7)}`], base);
      const get = client(base);
      assert.deepEqual((await get("/status")).body, { state: "empty", nextRefreshAt: null }, "no tokens yet");
      const notSignedIn = await get("/roster/4101");
      assert.equal(notSignedIn.status, 503, "before the console tokens: 503");
      assert.equal(notSignedIn.body.error, "NEEDS_REAUTH");
      await signIn(get);

      const first = await get("/roster/4101");
      assert.equal(first.status, 200, JSON.stringify(first.body));
      const want = fx.orc.attendees[4101];
      assert.equal(first.body.count, want.length, "attendee count");
      assert.deepEqual(first.body.attendees.map((a) => [a.trackno, a.fname, a.lname, a.email, a.module_id]), want.map((a) => [a.trackno, a.fname, a.lname, a.email, Number(a.module_id)]), "attendees of module 4101");
      const missing = await get("/roster/999999");
      assert.equal(missing.status, 404, `an unknown module: ${JSON.stringify(missing.body)}`);

      const per = await expiryCycles([get]);
      console.log(`[examples] worker: refresh grants per expiry ${JSON.stringify(per)}`);
      assert.deepEqual(per, Array(CYCLES).fill(1), "exactly one refresh grant per expiry");
    } finally {
      await cleanUp(workerd);
    }
  });

  await check(`worker: two isolates (two Worker services of the same bundle) sharing the Durable Object; ${CONCURRENT} concurrent requests split between them across each of ${CYCLES} expiries: 1 refresh grant per expiry`, async () => {
    assert.ok(built, "the build check passed");
    sim.state.reset();
    await ctl.ttl("orc", TTL);
    const [portA, portB] = [await freePort(), await freePort()];
    await writeFile(join(dir, "two-isolates.capnp"), twoIsolatesConfig(portA, portB));
    let workerd;
    try {
      workerd = await started("two-isolates.capnp", [], `http://127.0.0.1:${portA}`);
      const [a, b] = [client(`http://127.0.0.1:${portA}`), client(`http://127.0.0.1:${portB}`)];
      await signIn(a);
      assert.equal((await b("/status")).body.state, "valid", "isolate b sees the tokens isolate a stored");
      const per = await expiryCycles([a, b]);
      console.log(`[examples] worker, two isolates: refresh grants per expiry ${JSON.stringify(per)}`);
      assert.deepEqual(per, Array(CYCLES).fill(1), "exactly one refresh grant per expiry");
    } finally {
      await cleanUp(workerd);
    }
  });
}
