// What the simulator served, counted per outcome, so tests can assert "exactly one refresh
// happened"; exposed at GET /__sim/counters and as startSimulator().state.counters.

/** The shape every snapshot starts from (keys tests may rely on are always present). */
function emptyCounters() {
  return {
    requests: 0,
    grants: {}, // provider → grant_type → successful token responses
    invalid_grant: 0,
    families_revoked: 0,
    oauth2_errors: {}, // RFC 6749 §5.2 error code → count (invalid_grant included)
    oauth1: {
      accepted: 0,
      signature_invalid: 0,
      timestamp_stale: 0,
      nonce_replayed: 0,
    },
    oauth1_flow: { request_tokens: 0, authorized: 0, access_tokens: 0 },
    api: { ok: 0, unauthorized: 0 },
    api_by_provider: {}, // provider → {ok, unauthorized}
    faults_injected: 0,
    faults_by_kind: {},
  };
}

export function createCounters() {
  let c = emptyCounters();
  return {
    /** Adds `n` at a dotted path of keys, creating intermediate objects. */
    inc(path, n = 1) {
      const keys = Array.isArray(path) ? path : path.split(".");
      let node = c;
      for (const k of keys.slice(0, -1)) {
        if (typeof node[k] !== "object" || node[k] === null) node[k] = {};
        node = node[k];
      }
      const last = keys[keys.length - 1];
      node[last] = (node[last] || 0) + n;
    },
    /** Counts one protected-API answer, overall and per provider. */
    api(provider, ok) {
      const k = ok ? "ok" : "unauthorized";
      c.api[k]++;
      const p = (c.api_by_provider[provider] ||= { ok: 0, unauthorized: 0 });
      p[k]++;
    },
    snapshot: () => structuredClone(c),
    reset() {
      c = emptyCounters();
    },
  };
}
