// Fault injection: rules set through /__sim/faults that make matching requests fail the way
// real networks and providers do (429/503 + Retry-After, slow, truncated, dropped connections).

import { HttpError, mulberry32, sendJson } from "./util.mjs";

const KINDS = new Set(["429", "503", "drop", "truncate", "slow"]);
const MAX_RULES = 100;

/**
 * Creates the fault table. `match(method, path)` returns the rule to apply to this request
 * (consuming one of its `times`), or null. Control routes (/__sim/…) are never faulted so a
 * test can always clean up, and CORS preflights only when a rule names OPTIONS explicitly.
 */
export function createFaults({ counters, defaultSeed = 1 }) {
  let rules = [];
  let random = mulberry32(defaultSeed);

  /** Validates and installs rules; throws HttpError(400) on anything malformed. */
  function set(input, seed) {
    if (!Array.isArray(input)) throw new HttpError(400, "invalid_request", '"rules" must be an array');
    if (input.length > MAX_RULES) throw new HttpError(400, "invalid_request", `at most ${MAX_RULES} rules`);
    const compiled = input.map((rule, i) => {
      const where = `rules[${i}]`;
      if (!rule || typeof rule !== "object") throw new HttpError(400, "invalid_request", `${where} must be an object`);
      const kind = String(rule.kind);
      if (!KINDS.has(kind)) throw new HttpError(400, "invalid_request", `${where}.kind must be one of ${[...KINDS].join(", ")}`);
      if (typeof rule.path !== "string" || rule.path.length > 500) {
        throw new HttpError(400, "invalid_request", `${where}.path must be a regex source string`);
      }
      let re;
      try {
        re = new RegExp(rule.path);
      } catch {
        throw new HttpError(400, "invalid_request", `${where}.path is not a valid regular expression`);
      }
      const num = (v, name, lo, hi) => {
        if (v === undefined) return undefined;
        if (typeof v !== "number" || !Number.isFinite(v) || v < lo || v > hi) {
          throw new HttpError(400, "invalid_request", `${where}.${name} must be a number in [${lo}, ${hi}]`);
        }
        return v;
      };
      let retryAfter = rule.retryAfter;
      if (retryAfter !== undefined && retryAfter !== null && retryAfter !== "http-date") {
        retryAfter = num(retryAfter, "retryAfter", 0, 86400);
      }
      return {
        path: rule.path,
        re,
        method: rule.method === undefined ? undefined : String(rule.method).toUpperCase(),
        kind,
        retryAfter: retryAfter === undefined ? 1 : retryAfter,
        retryAfterSeconds: num(rule.retryAfterSeconds, "retryAfterSeconds", 0, 86400) ?? 2,
        delayMs: num(rule.delayMs, "delayMs", 0, 60000) ?? 2000,
        times: num(rule.times, "times", 0, 1e9),
        probability: num(rule.probability, "probability", 0, 1),
        fired: 0,
      };
    });
    if (seed !== undefined) {
      if (typeof seed !== "number" || !Number.isFinite(seed)) throw new HttpError(400, "invalid_request", '"seed" must be a number');
      random = mulberry32(seed);
    }
    rules = compiled;
  }

  function match(method, path) {
    if (path.startsWith("/__sim/")) return null;
    for (const rule of rules) {
      if (rule.method ? rule.method !== method : method === "OPTIONS") continue;
      if (!rule.re.test(path)) continue;
      if (rule.times !== undefined && rule.fired >= rule.times) continue;
      if (rule.probability !== undefined && random() >= rule.probability) continue;
      rule.fired++;
      counters.inc("faults_injected");
      counters.inc(["faults_by_kind", rule.kind]);
      return rule;
    }
    return null;
  }

  /**
   * Applies `rule` to the response. Returns "handled" when the fault answered (or killed) the
   * request, "continue" when the normal handler should still run (slow, truncate).
   */
  async function apply(rule, req, res, timers) {
    switch (rule.kind) {
      case "drop":
        req.socket.destroy(); // no status line at all: the client sees a network error
        return "handled";
      case "truncate":
        res.simTruncate = true; // util.send() announces the full length and sends half
        return "continue";
      case "slow":
        await new Promise((resolve) => {
          const t = setTimeout(() => {
            timers.delete(t);
            resolve();
          }, rule.delayMs);
          timers.add(t);
        });
        return res.destroyed ? "handled" : "continue";
      default: {
        // 429 / 503 with Retry-After as delta-seconds or an HTTP-date (RFC 9110 §10.2.3). The
        // date uses the real clock: the client compares it with its own Date.now().
        const headers = {};
        if (rule.retryAfter === "http-date") {
          headers["Retry-After"] = new Date(Date.now() + rule.retryAfterSeconds * 1000).toUTCString();
        } else if (rule.retryAfter !== null) {
          headers["Retry-After"] = String(rule.retryAfter);
        }
        const status = Number(rule.kind);
        const error = status === 429 ? "rate_limited" : "temporarily_unavailable";
        sendJson(res, status, { error, error_description: `injected ${status} fault`, retry_after: headers["Retry-After"] ?? null }, headers);
        return "handled";
      }
    }
  }

  return {
    set,
    match,
    apply,
    clear() {
      rules = [];
    },
    list: () => rules.map(({ re: _re, ...r }) => r),
  };
}

/** POST /__sim/faults {"rules": [...], "seed"?}; GET lists; DELETE clears. */
export function handleFaults(faults, r, res) {
  if (r.method === "POST") {
    const body = r.json();
    faults.set(body.rules, body.seed);
  } else if (r.method === "DELETE") {
    faults.clear();
  } else if (r.method !== "GET") {
    throw new HttpError(405, "method_not_allowed", "GET, POST or DELETE");
  }
  sendJson(res, 200, { rules: faults.list() });
}
