// localStorageStore: tokens shared by every tab of an origin. localStorage has no
// compare-and-set across tabs, so refreshes are serialized with Web Locks (navigator.locks),
// and save() re-checks the version synchronously (no await between read and write).

export function localStorageStore({
  key = "oauth-edge:tokens",
  storage = globalThis.localStorage,
  locks = globalThis.navigator?.locks,
} = {}) {
  if (!storage) throw new TypeError("localStorageStore: no localStorage in this host");
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
}
