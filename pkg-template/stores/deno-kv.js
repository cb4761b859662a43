// denoKvStore: tokens in Deno KV, shared by every process or isolate that opens the same KV.
// save() is an atomic check on the versionstamp; lock() is a lease in the same KV.
import { withLease } from "./lease.js";

export function denoKvStore(kv, key = ["oauth-edge", "tokens"], { lockTtlMs = 30_000, pollMs = 20, lockTimeoutMs = 60_000 } = {}) {
  return {
    async load() {
      const entry = await kv.get(key);
      return entry.value ? { tokens: entry.value, version: entry.versionstamp } : null;
    },
    async save(tokens, { expectedVersion = null } = {}) {
      const result = await kv.atomic().check({ key, versionstamp: expectedVersion }).set(key, tokens).commit();
      return result.ok ? result.versionstamp : null;
    },
    lock(name, fn) {
      const lockKey = [...key, "lock", name];
      return withLease({
        ttlMs: lockTtlMs,
        pollMs,
        timeoutMs: lockTimeoutMs,
        async tryAcquire(owner, ttlMs) {
          const current = await kv.get(lockKey);
          if (current.value && current.value.expiresAt > Date.now()) return false;
          const lease = { owner, expiresAt: Date.now() + ttlMs };
          const r = await kv.atomic().check(current).set(lockKey, lease, { expireIn: ttlMs }).commit();
          return r.ok;
        },
        async release(owner) {
          const current = await kv.get(lockKey);
          if (current.value?.owner === owner) await kv.atomic().check(current).delete(lockKey).commit();
        },
      }, fn);
    },
  };
}
