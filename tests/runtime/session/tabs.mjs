// Browser side of session scenarios (c) and (m) (../browser/page.mjs?tabs=1 exposes it as
// window.__tabs; tabs-driver.mjs drives two pages of one origin through it).
import { genericClient, passwordTokens } from "./cases.mjs";

/**
 * Scenario (c): this tab's TokenSession over the shipped indexedDbStore (shared with the other
 * tab of the same origin) and navigator.locks; the driver sets the virtual clock offset every
 * cycle. store "idb-nolock" (scenario (m)): the same indexedDbStore with `locks: null`, so it
 * has no lock() and single flight rests on its compare-and-set alone.
 * SESSION_TABS_STORE=localStorage runs the same scenario over localStorageStore, which fails
 * across Chromium tabs (see session/README.md): kept as a diagnosis switch.
 */
export function tabs(ctx) {
  const { pkg, simUrl } = ctx;
  return {
    offsetMs: 0,
    session: null,
    states: [],
    storeKind: "idb",
    init({ key, store = "idb" }) {
      this.storeKind = store;
      this.key = key;
      this.client = genericClient(ctx);
      this.ctx = ctx;
      if (!navigator.locks) throw new Error("no navigator.locks in this page");
      const tokenStore =
        store === "localStorage"
          ? pkg.localStorageStore({ key })
          : pkg.indexedDbStore({ database: "oauth-edge-test", key, ...(store === "idb-nolock" ? { locks: null } : {}) });
      if (store === "idb-nolock" && tokenStore.lock !== undefined) throw new Error("indexedDbStore({ locks: null }) still has lock()");
      if (store === "idb" && typeof tokenStore.lock !== "function") throw new Error("indexedDbStore() has no lock() although navigator.locks exists");
      this.session = new pkg.TokenSession(this.client, {
        store: tokenStore,
        now: () => Date.now() + this.offsetMs,
        onStateChange: (s) => this.states.push(s),
      });
      return true;
    },
    async signIn() {
      await this.session.signIn(await passwordTokens(this.ctx, this.client));
      return this.session.state();
    },
    /** Calls session.fetch() continuously from `workers` loops for `durationMs`. */
    async cycle({ offsetMs, workers, durationMs }) {
      this.offsetMs = offsetMs;
      const statuses = {};
      const errors = {};
      let calls = 0;
      const end = Date.now() + durationMs;
      const loop = async () => {
        do {
          calls++;
          try {
            const res = await this.session.fetch(`${simUrl}/oauth2/api/me`);
            await res.text();
            statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          } catch (e) {
            const k = `${e && e.name}/${e && e.code}: ${e && e.message}`;
            errors[k] = (errors[k] ?? 0) + 1;
          }
        } while (Date.now() < end);
      };
      await Promise.all(Array.from({ length: workers }, loop));
      const states = this.states.splice(0);
      return { calls, statuses, errors, states, state: this.session.state() };
    },
    async stored() {
      return this.storeKind !== "localStorage" ? pkg.indexedDbStore({ database: "oauth-edge-test", key: this.key }).load() : JSON.parse(localStorage.getItem(this.key) ?? "null");
    },
  };
}
