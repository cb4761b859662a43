// `deno task test` (or `deno test --unstable-kv --allow-net --allow-env --allow-read --allow-write`)
// with SIM_URL set to a running provider simulator of the oauth-edge repository
// (`node tests/simulator/server.mjs` prints it; tests/examples/run.mjs sets it). Signs in through
// the function's /login → Priava → /callback, then calls /events concurrently, many times, across
// access-token expiries (the simulator's clock and the function's moved together) and checks
// through the simulator's counters that each expiry cost exactly one refresh grant.
import { createHandler } from "./main.ts";

const simUrl = Deno.env.get("SIM_URL");

function assert(ok: unknown, message: string): asserts ok {
  if (!ok) throw new Error(`assertion failed: ${message}`);
}

type Counters = { grants?: Record<string, Record<string, number>> };
const sim = {
  async json<T>(path: string, init?: RequestInit): Promise<T> {
    const res = await fetch(`${simUrl}${path}`, init);
    const body = await res.json();
    assert(res.ok, `${path}: HTTP ${res.status}`);
    return body as T;
  },
  counters: () => sim.json<Counters>("/__sim/counters"),
  advance: (seconds: number) => sim.json<{ now: number; offset: number }>("/__sim/clock", { method: "POST", body: JSON.stringify({ advance: seconds }) }),
  grants: (c: Counters, grant: string) => c.grants?.priava?.[grant] ?? 0,
};

Deno.test({
  name: "Priava edge function: sign-in, then 40 concurrent calls per expiry, 3 expiries: one refresh each, every call 200",
  ignore: !simUrl,
  async fn() {
    const fixtures = await sim.json<{ priava: { clientId: string; clientSecret: string; accessTokenTtl: number; events: unknown[] } }>("/__sim/fixtures");
    const { priava } = fixtures;
    const dir = await Deno.makeTempDir({ prefix: "oauth-edge-deno-example-" });
    const kv = await Deno.openKv(`${dir}/tokens.kv`);
    let offsetMs = 0;
    const handler = createHandler(kv, { baseUrl: `${simUrl}/priava`, region: "EU", clientId: priava.clientId, clientSecret: priava.clientSecret, now: () => Date.now() + offsetMs });
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
    const origin = `http://127.0.0.1:${server.addr.port}`;
    try {
      // Sign in as a browser would: /login → Priava's consent (the simulator approves) → /callback.
      const login = await fetch(`${origin}/login`, { redirect: "manual" });
      await login.body?.cancel();
      assert(login.status === 302, `/login: 302, got ${login.status}`);
      const consent = await fetch(login.headers.get("location")!, { redirect: "manual" });
      await consent.body?.cancel();
      const back = consent.headers.get("location") ?? "";
      assert(back.startsWith(`${origin}/callback?`), `Priava redirects to the function's /callback, got ${back}`);
      const callback = await fetch(back);
      assert(callback.status === 200 && (await callback.json()).signedIn === true, `/callback signs in (HTTP ${callback.status})`);
      const replay = await fetch(back);
      await replay.body?.cancel();
      assert(replay.status === 400, `the same callback again is refused (its state is spent), got ${replay.status}`);

      const first = await fetch(`${origin}/events`);
      const body = await first.json();
      assert(first.status === 200 && Array.isArray(body.events) && body.events.length === priava.events.length, `/events: ${first.status}`);

      let refreshToken = (await kv.get<{ refreshToken: string }>(["priava", "tokens", "default"])).value?.refreshToken;
      assert(typeof refreshToken === "string", "the tokens are in Deno KV");
      for (let expiry = 1; expiry <= 3; expiry++) {
        const later = priava.accessTokenTtl + 60; // past the access token's lifetime
        const { offset } = await sim.advance(later);
        offsetMs = offset * 1000;
        const before = await sim.counters();
        const answers = await Promise.all(Array.from({ length: 40 }, async () => {
          const res = await fetch(`${origin}/${expiry % 2 ? "events" : "me"}`);
          const text = await res.text();
          return { status: res.status, text };
        }));
        const after = await sim.counters();
        const bad = answers.filter((a) => a.status !== 200);
        assert(bad.length === 0, `expiry ${expiry}: every call 200, got ${bad.length} others: ${bad[0]?.status} ${bad[0]?.text.slice(0, 200)}`);
        const refreshes = sim.grants(after, "refresh_token") - sim.grants(before, "refresh_token");
        assert(refreshes === 1, `expiry ${expiry}: exactly one refresh for 40 concurrent calls, got ${refreshes}`);
        assert(sim.grants(after, "authorization_code") === sim.grants(before, "authorization_code"), `expiry ${expiry}: no new sign-in`);
        const rotated = (await kv.get<{ refreshToken: string }>(["priava", "tokens", "default"])).value?.refreshToken;
        assert(typeof rotated === "string" && rotated !== refreshToken, `expiry ${expiry}: the rotated refresh token is stored`);
        refreshToken = rotated;
      }
    } finally {
      if (offsetMs) await sim.advance(-offsetMs / 1000);
      await server.shutdown();
      kv.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
