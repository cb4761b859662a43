// localStorageStore: tokens in localStorage, refreshes serialized with Web Locks and save()
// re-checking the version synchronously. Safe for ONE tab (e.g. tokens that survive a reload);
// across tabs use indexedDbStore: Chromium does not make one tab's localStorage write visible
// to another at once, even under a Web Lock, so a second tab can refresh with a rotated token.

import { checked } from "./checked.js";

export const localStorageStore = checked("localStorageStore", ({
  key = "oauth-edge:tokens",
  storage = globalThis.localStorage,
  locks = globalThis.navigator?.locks,
} = {}) => {
  if (!storage) throw new TypeError("no localStorage in this host");
  const read = () => {
    try {
      const value = JSON.parse(storage.getItem(key) ?? "null");
      return value && typeof value.version === "string" && value.tokens ? value : null;
    } catch {
      return null; // corrupt entry: treated as empty, the next save overwrites it
    }
  };
  return {
    async load() {
      return read();
    },
    async save(tokens, { expectedVersion = null } = {}) {
      if ((read()?.version ?? null) !== expectedVersion) return null;
      const version = crypto.randomUUID();
      storage.setItem(key, JSON.stringify({ tokens, version }));
      return version;
    },
    lock: locks ? (name, fn) => locks.request(`${key}:${name}`, () => fn()) : undefined,
  };
});
