// One of the two `deno run --unstable-kv` processes of scenario (d): a TokenSession over
// denoKvStore on a KV file shared with the other process. Driven by session/deno.test.mjs over
// stdin/stdout JSON lines (replies start with "@@"):
//   → {op:"cycle", cycle, offsetMs, calls}   ← @@{cycle, statuses:[…], errors:[…], state}
//   → {op:"exit"}
//   args: <kv path> <sim url> <id>
import * as pkg from "oauth-edge";

const [kvPath, simUrl, id] = Deno.args;
const realKv = await Deno.openKv(kvPath);

/**
 * Diagnosis only (SESSION_KV_WORKAROUND=1): Deno KV's SQLite backend throws TypeError
 * "database is locked" when another process writes the same file at the same moment; this
 * wrapper retries such calls so the rest of the scenario can be checked while the shipped
 * denoKvStore does not retry them itself. Off by default: the suite tests the adapter as shipped.
 */
function retryLocked(kv) {
  const retry = async (f) => {
    for (let i = 0; ; i++) {
      try {
        return await f();
      } catch (e) {
        if (i >= 50 || !/database is locked/.test(String(e && e.message))) throw e;
        await new Promise((r) => setTimeout(r, 2 + Math.random() * 5));
      }
    }
  };
  const atomic = () => {
    const ops = [];
    const op = {
      check: (...a) => (ops.push(["check", a]), op),
      set: (...a) => (ops.push(["set", a]), op),
      delete: (...a) => (ops.push(["delete", a]), op),
      commit: () => retry(() => ops.reduce((at, [m, a]) => at[m](...a), kv.atomic()).commit()),
    };
    return op;
  };
  return { get: (...a) => retry(() => kv.get(...a)), atomic, close: () => kv.close() };
}
const kv = Deno.env.get("SESSION_KV_WORKAROUND") === "1" ? retryLocked(realKv) : realKv;
let offsetMs = 0;
const clientFixtures = (await (await fetch(`${simUrl}/__sim/fixtures`)).json()).generic.clients.basic;
const client = new pkg.OAuth2Client({
  clientId: clientFixtures.clientId,
  clientSecret: clientFixtures.clientSecret,
  tokenUrl: `${simUrl}/oauth2/token`,
  clientAuth: "basic",
});
// No lock: the session claims its refresh lease through the KV compare-and-set.
const session = new pkg.TokenSession(client, { store: pkg.denoKvStore(kv), now: () => Date.now() + offsetMs });
const reply = (msg) => Deno.stdout.write(new TextEncoder().encode(`@@${JSON.stringify(msg)}\n`));
await reply({ ready: true, id });

let buf = "";
for await (const chunk of Deno.stdin.readable.pipeThrough(new TextDecoderStream())) {
  buf += chunk;
  let nl;
  while ((nl = buf.indexOf("\n")) >= 0) {
    const msg = JSON.parse(buf.slice(0, nl));
    buf = buf.slice(nl + 1);
    if (msg.op === "exit") {
      kv.close();
      Deno.exit(0);
    }
    if (msg.op === "cycle") {
      offsetMs = msg.offsetMs;
      const settled = await Promise.allSettled(
        Array.from({ length: msg.calls }, async () => {
          const res = await session.fetch(`${simUrl}/oauth2/api/me`);
          await res.text();
          return res.status;
        }),
      );
      await reply({
        cycle: msg.cycle,
        statuses: settled.filter((s) => s.status === "fulfilled").map((s) => s.value),
        errors: settled.filter((s) => s.status === "rejected").map((s) => `${s.reason?.name}/${s.reason?.code}: ${s.reason?.message}`),
        state: session.state(),
      });
    }
  }
}
kv.close();
