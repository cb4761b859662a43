// Compare-and-set token stores WITHOUT lock() for the lockless session scenarios (issue 9 items
// 7 and 5; session/README.md). Plain ES module, no imports: used by lockless.mjs (Node), the
// Node child processes (cas-worker.mjs) and the workerd Worker (embedded as
// "session/cas-store.mjs").
//
//   casStore()               one JS realm: a version counter, the check-and-write atomic (no
//                            await between them), optional random latency before and after
//   httpCasStore(url, key)   the record lives in a tiny HTTP CAS server (cas-server.mjs, Node)
//                            shared by processes / Worker requests
//
// Neither has lock(): single flight across the sessions on them rests on the refresh lease
// claimed through save()'s compare-and-set alone.

/** mulberry32: a small seeded PRNG (latency jitter reproducible per seed). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** True when `tokens` carries the same token pair as the stored record (a lease write). */
const sameTokens = (a, b) => !!a && !!b && a.accessToken === b.accessToken && a.refreshToken === b.refreshToken;

/**
 * An in-realm compare-and-set store without lock(). `delayMs` > 0 adds a random 0..delayMs
 * latency before and after every call (timers, so calls of different sessions interleave like
 * over a network); the compare and the write themselves are atomic.
 *   stats: loads, saves, conflicts (save answered null), tokenWrites (new tokens),
 *          leaseWrites (same tokens: lease claims and releases)
 */
export function casStore({ delayMs = 0, seed = 1 } = {}) {
  let current = null;
  let counter = 0;
  const random = prng(seed);
  const stats = { loads: 0, saves: 0, conflicts: 0, tokenWrites: 0, leaseWrites: 0 };
  const pause = () => (delayMs > 0 ? new Promise((r) => setTimeout(r, Math.floor(random() * (delayMs + 1)))) : Promise.resolve());
  const store = {
    async load() {
      await pause();
      stats.loads += 1;
      const out = current && { tokens: structuredClone(current.tokens), version: current.version };
      await pause();
      return out;
    },
    async save(tokens, { expectedVersion = null } = {}) {
      await pause();
      stats.saves += 1;
      let out = null;
      if ((current?.version ?? null) !== expectedVersion) {
        stats.conflicts += 1;
      } else {
        if (sameTokens(current?.tokens, tokens)) stats.leaseWrites += 1;
        else stats.tokenWrites += 1;
        counter += 1;
        current = { tokens: structuredClone(tokens), version: `v${counter}` };
        out = current.version;
      }
      await pause();
      return out;
    },
  };
  return { store, stats, peek: () => current && structuredClone(current) };
}

/**
 * A store over the HTTP CAS server of cas-server.mjs: GET /kv/<key> → {record}; POST /kv/<key>
 * {tokens, expectedVersion} → {version} (null when the compare-and-set lost). No lock().
 */
export function httpCasStore(baseUrl, key, { fetch: fetchFn = globalThis.fetch } = {}) {
  const url = `${baseUrl}/kv/${encodeURIComponent(key)}`;
  const call = async (init) => {
    const res = await fetchFn(url, init);
    const text = await res.text();
    if (res.status !== 200) throw new Error(`CAS server: HTTP ${res.status}: ${text.slice(0, 200)}`);
    return JSON.parse(text);
  };
  return {
    load: async () => (await call({ method: "GET" })).record,
    save: async (tokens, { expectedVersion = null } = {}) =>
      (await call({ method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ tokens, expectedVersion }) })).version,
  };
}
