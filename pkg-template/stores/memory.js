// memoryStore: tokens kept in this JS realm only (tests, scripts, one long-lived server).
// Versions are a counter; lock() is an in-process mutex per name.

import { checked } from "./checked.js";

export const memoryStore = checked("memoryStore", (initial) => {
  let current = initial ? { tokens: structuredClone(initial), version: "1" } : null;
  let counter = current ? 1 : 0;
  const chains = new Map();
  return {
    async load() {
      return current && { tokens: structuredClone(current.tokens), version: current.version };
    },
    async save(tokens, { expectedVersion = null } = {}) {
      if ((current?.version ?? null) !== expectedVersion) return null; // another writer won
      counter += 1;
      current = { tokens: structuredClone(tokens), version: String(counter) };
      return current.version;
    },
    lock(name, fn) {
      const previous = chains.get(name) ?? Promise.resolve();
      const run = previous.then(fn, fn);
      const settled = run.then(() => {}, () => {});
      chains.set(name, settled);
      settled.then(() => chains.get(name) === settled && chains.delete(name));
      return run;
    },
  };
});
