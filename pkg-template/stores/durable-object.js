// Cloudflare Workers: one Durable Object per token family holds the tokens and the refresh
// lease, so every isolate of every Worker sees one version and refreshes one at a time.
//
//   // worker.js
//   export { TokenStoreDurableObject } from "oauth-edge";
//   const store = durableObjectStore(env.TOKENS.get(env.TOKENS.idFromName("priava:tenant-42")));
//
// wrangler.toml: [[durable_objects.bindings]] name = "TOKENS", class_name = "TokenStoreDurableObject"
import { withLease } from "./lease.js";

const json = (value, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json" } });

export class TokenStoreDurableObject {
  constructor(state) {
    this.storage = state.storage;
    this.leases = new Map(); // lock name → {owner, expiresAt}; in memory: a restart frees them
  }

  // Requests to one object are delivered one at a time and storage calls hold the input gate,
  // so the read-compare-write below is atomic.
  async fetch(request) {
    const op = new URL(request.url).pathname.slice(1);
    const body = request.method === "POST" ? await request.json() : {};
    switch (op) {
      case "load":
        return json((await this.storage.get("stored")) ?? null);
      case "save": {
        const current = await this.storage.get("stored");
        if ((current?.version ?? null) !== (body.expectedVersion ?? null)) return json({ version: null });
        const version = crypto.randomUUID();
        await this.storage.put("stored", { tokens: body.tokens, version });
        return json({ version });
      }
      case "acquire": {
        const lease = this.leases.get(body.name);
        if (lease && lease.expiresAt > Date.now() && lease.owner !== body.owner) return json({ ok: false });
        this.leases.set(body.name, { owner: body.owner, expiresAt: Date.now() + body.ttlMs });
        return json({ ok: true });
      }
      case "release":
        if (this.leases.get(body.name)?.owner === body.owner) this.leases.delete(body.name);
        return json({ ok: true });
      default:
        return json({ error: "not_found" }, 404);
    }
  }
}

/** A TokenStore backed by a TokenStoreDurableObject stub. */
export function durableObjectStore(stub, { lockTtlMs = 30_000, pollMs = 20, lockTimeoutMs = 60_000 } = {}) {
  const call = async (op, body) => {
    const res = await stub.fetch(`https://token-store/${op}`, body === undefined ? undefined : {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`token store Durable Object answered ${res.status}`);
    return res.json();
  };
  return {
    load: () => call("load"),
    async save(tokens, { expectedVersion = null } = {}) {
      return (await call("save", { tokens, expectedVersion })).version;
    },
    lock(name, fn) {
      return withLease({
        ttlMs: lockTtlMs,
        pollMs,
        timeoutMs: lockTimeoutMs,
        tryAcquire: async (owner, ttlMs) => (await call("acquire", { name, owner, ttlMs })).ok,
        release: (owner) => call("release", { name, owner }),
      }, fn);
    },
  };
}
