// denoKvStore: tokens in Deno KV, shared by every process or isolate that opens the same KV.
// save() is an atomic check on the versionstamp, which is all a TokenSession needs for single
// flight (it claims its refresh lease through save). No lock(): a KV lock would be a polled
// lease too, i.e. the same mechanism twice.

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

import { checked } from "./checked.js";

export const denoKvStore = checked("denoKvStore", (kv, key = ["oauth-edge", "tokens"]) => {
  return {
    async load() {
      const entry = await retryLocked(() => kv.get(key));
      return entry.value ? { tokens: entry.value, version: entry.versionstamp } : null;
    },
    async save(tokens, { expectedVersion = null } = {}) {
      const result = await retryLocked(() => kv.atomic().check({ key, versionstamp: expectedVersion }).set(key, tokens).commit());
      return result.ok ? result.versionstamp : null;
    },
  };
}, (kv, key) => typeof kv?.get === "function" && typeof kv.atomic === "function" && (key === undefined || Array.isArray(key)));
