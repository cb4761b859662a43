// A tiny HTTP compare-and-set record server (Node) for the lockless cross-process scenarios:
// the Node child processes of processes.mjs and the workerd Worker requests of workerd.mjs keep
// their token record here through httpCasStore (cas-store.mjs). One Node event loop, so every
// compare-and-write is atomic; nothing offers a lock.
//   GET  /kv/<key>    → {record: {tokens, version} | null}
//   POST /kv/<key>    {tokens, expectedVersion} → {version: string | null}
//   GET  /stats/<key> → {loads, saves, conflicts, tokenWrites, leaseWrites}
import { createServer } from "node:http";

export async function startCasServer() {
  const records = new Map(); // key → {tokens, version}
  const stats = new Map();
  let counter = 0;
  const statsOf = (key) => {
    if (!stats.has(key)) stats.set(key, { loads: 0, saves: 0, conflicts: 0, tokenWrites: 0, leaseWrites: 0 });
    return stats.get(key);
  };
  const reply = (res, status, value) => {
    const body = JSON.stringify(value);
    res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
    res.end(body);
  };
  const server = createServer(async (req, res) => {
    try {
      const m = /^\/(kv|stats)\/([^/?]+)$/.exec(req.url ?? "");
      if (!m) return reply(res, 404, { error: "no such route" });
      const key = decodeURIComponent(m[2]);
      const s = statsOf(key);
      if (m[1] === "stats") return reply(res, 200, s);
      if (req.method === "GET") {
        s.loads += 1;
        return reply(res, 200, { record: records.get(key) ?? null });
      }
      if (req.method !== "POST") return reply(res, 405, { error: "GET or POST" });
      const chunks = [];
      for await (const c of req) chunks.push(c);
      const { tokens, expectedVersion = null } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      // From here to the write: no await, so the compare-and-set is atomic.
      s.saves += 1;
      const current = records.get(key) ?? null;
      if ((current?.version ?? null) !== expectedVersion) {
        s.conflicts += 1;
        return reply(res, 200, { version: null });
      }
      const same = current && current.tokens.accessToken === tokens.accessToken && current.tokens.refreshToken === tokens.refreshToken;
      if (same) s.leaseWrites += 1;
      else s.tokenWrites += 1;
      counter += 1;
      const version = `h${counter}`;
      records.set(key, { tokens, version });
      return reply(res, 200, { version });
    } catch (e) {
      return reply(res, 500, { error: String((e && e.message) || e) });
    }
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    stats: (key) => ({ ...statsOf(key) }),
    record: (key) => records.get(key) ?? null,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}
