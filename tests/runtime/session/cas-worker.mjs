// One of the Node child processes of scenario (k) (processes.mjs): a TokenSession over
// httpCasStore — the record lives in the driver's CAS server, shared with the other processes;
// no lock anywhere. Driven over stdin/stdout JSON lines like deno-kv-worker.mjs (replies start
// with "@@"):
//   → {op:"cycle", cycle, offsetMs, calls}   ← @@{cycle, statuses:[…], errors:[…], state}
//   → {op:"exit"}
//   args: <cas url> <key> <sim url> <id>
import { createInterface } from "node:readline";
import * as pkg from "oauth-edge";
import { httpCasStore } from "./cas-store.mjs";

const [casUrl, key, simUrl, id] = process.argv.slice(2);
let offsetMs = 0;
const fixtures = await (await fetch(`${simUrl}/__sim/fixtures`)).json();
const c = fixtures.generic.clients.basic;
const client = new pkg.OAuth2Client({ clientId: c.clientId, clientSecret: c.clientSecret, tokenUrl: `${simUrl}/oauth2/token`, clientAuth: "basic" });
const session = new pkg.TokenSession(client, { store: httpCasStore(casUrl, key), now: () => Date.now() + offsetMs });
const reply = (msg) => process.stdout.write(`@@${JSON.stringify(msg)}\n`);
reply({ ready: true, id });

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const msg = JSON.parse(line);
  if (msg.op === "exit") break;
  if (msg.op === "cycle") {
    offsetMs = msg.offsetMs;
    const settled = await Promise.allSettled(
      Array.from({ length: msg.calls }, async () => {
        const res = await session.fetch(`${simUrl}/oauth2/api/me`);
        await res.text();
        return res.status;
      }),
    );
    reply({
      cycle: msg.cycle,
      statuses: settled.filter((s) => s.status === "fulfilled").map((s) => s.value),
      errors: settled.filter((s) => s.status === "rejected").map((s) => `${s.reason?.name}/${s.reason?.code}: ${s.reason?.message}`),
      state: session.state(),
    });
  }
}
process.exit(0);
