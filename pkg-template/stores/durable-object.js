// Cloudflare Workers: one Durable Object per token family holds the tokens (with the session's
// refresh lease inside them), so every isolate of every Worker sees one version and refreshes
// one at a time. Its save is the compare-and-set; no lock() is needed.
//
//   // worker.js
//   export { TokenStoreDurableObject } from "oauth-edge";
//   const store = durableObjectStore(env.TOKENS.get(env.TOKENS.idFromName("priava:tenant-42")));
//
// wrangler.toml: [[durable_objects.bindings]] name = "TOKENS", class_name = "TokenStoreDurableObject"

import { checked } from "./checked.js";

const json = (value, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json" } });

export class TokenStoreDurableObject {
  constructor(state) {
    this.storage = state.storage;
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
      default:
        return json({ error: "not_found" }, 404);
    }
  }
}

/** A TokenStore backed by a TokenStoreDurableObject stub. */
export const durableObjectStore = checked("durableObjectStore", (stub) => {
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
  };
}, (stub) => typeof stub?.fetch === "function");
