// The simulator's control API (/__sim/…, never faulted) and a clock shared with it, for every
// runtime suite: imported by the shared case files (cases.mjs of session/, zapevent/,
// providers/) and embedded by name in the workerd configs.

/** Calls to the simulator at `simUrl`; each resolves to the JSON answer or throws. */
export function simControl(simUrl) {
  const call = async (method, path, body) => {
    const res = await fetch(`${simUrl}${path}`, {
      method,
      headers: body === undefined ? undefined : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${method} ${path}: HTTP ${res.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text);
  };
  return {
    counters: () => call("GET", "/__sim/counters"),
    clock: () => call("GET", "/__sim/clock"),
    advance: (seconds) => call("POST", "/__sim/clock", { advance: seconds }),
    setClock: (epochSeconds) => call("POST", "/__sim/clock", { set: epochSeconds }),
    /** Fault rules (tests/simulator/README.md, Faults); `seed` fixes their randomness. */
    faults: (rules, seed) => call("POST", "/__sim/faults", seed === undefined ? { rules } : { rules, seed }),
    clearFaults: () => call("DELETE", "/__sim/faults"),
    tokens: () => call("GET", "/__sim/tokens"),
    /** ZapEvent page metadata placement: "attributes" | "elements" | "absent". */
    meta: (mode) => call("POST", "/__sim/zapevent/meta", { mode }),
    /** ZapEvent lists answering page 1 whatever is asked. */
    repeat: (on) => call("POST", "/__sim/zapevent/repeat", { on }),
    /** {totalCount?, link?}: whether OneRoster lists carry X-Total-Count / Link. */
    paging: (settings) => call("POST", "/__sim/oneroster/paging", settings),
    /** Access-token TTL override (`null` restores the default). */
    ttl: (provider, seconds) => call("POST", "/__sim/config", { provider, accessTokenTtl: seconds }),
    /** The ORC console's tokens: {access_token, refresh_token, expires_in (hours)}. */
    orcIssue: () => call("POST", "/__sim/orc/issue"),
  };
}

/**
 * A clock shared by the simulator and the SDK objects of a case (client and session `now`):
 * `advance(s)` moves the simulator first, then `offsetMs` (read back from it).
 */
export function simClock(sim) {
  const clock = {
    offsetMs: 0,
    now: () => Date.now() + clock.offsetMs,
    async advance(seconds) {
      clock.offsetMs = (await sim.advance(seconds)).offset * 1000;
    },
    async zero() {
      const { offset } = await sim.clock();
      if (offset !== 0) await sim.advance(-offset);
      clock.offsetMs = 0;
    },
  };
  return clock;
}
