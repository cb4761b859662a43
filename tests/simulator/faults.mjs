// Fault injection: rules set through /__sim/faults that make matching requests fail the way
// real networks and providers do (429/503 + Retry-After, 500, slow, truncated, dropped
// connections, a body garbled in its own format).

import { HttpError, mulberry32, send, sendJson } from "./util.mjs";

const KINDS = new Set(["429", "503", "500", "drop", "truncate", "slow", "malformed"]);
const MAX_RULES = 100;
/** The body of a "500" fault (nginx's own page, as a proxy in front of any provider sends it). */
export const SERVER_ERROR_PAGE =
  "<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body>\r\n<center><h1>500 Internal Server Error</h1></center>\r\n</body>\r\n</html>\r\n";

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
      case "malformed":
        garbleResponse(res); // the handler's answer, its body garbled in its own format
        return "continue";
      case "500":
        // What a server or the proxy in front of it sends: a provider-neutral HTML page.
        send(res, 500, { "Content-Type": "text/html; charset=utf-8" }, SERVER_ERROR_PAGE);
        return "handled";
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

/**
 * The handler's response with its body replaced by plausible garbage of the same format, as a
 * broken cache or intermediary would serve it: same status and headers, a correct
 * Content-Length, a body no strict parser accepts. Every response is written by util.send() as
 * one writeHead(status, headers) and one end(body): both are intercepted on this response only.
 */
function garbleResponse(res) {
  const writeHead = res.writeHead;
  const end = res.end;
  let head = null;
  res.writeHead = function (status, headers) {
    head = { status, headers: { ...(headers || {}) } };
    return this;
  };
  res.end = function (body, ...rest) {
    res.writeHead = writeHead;
    res.end = end;
    if (!head) return end.call(this, body, ...rest);
    const type = String(headerOf(head.headers, "content-type") ?? res.getHeader("content-type") ?? "");
    const garbled = Buffer.from(garble(type, body === undefined ? "" : Buffer.from(body).toString("utf8")), "utf8");
    for (const k of Object.keys(head.headers)) if (k.toLowerCase() === "content-length") delete head.headers[k];
    head.headers["Content-Length"] = String(garbled.length);
    writeHead.call(this, head.status, head.headers);
    return end.call(this, res.req && res.req.method === "HEAD" ? undefined : garbled, ...rest);
  };
}

function headerOf(headers, name) {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}

/**
 * `text` (a body of media type `type`) made unparseable, deterministically, in its own format:
 * JSON loses the first value after a key (`"total_count":,523`); XML closes its first element
 * with another name (`<registration_id>50001</registration_id_garbled>`: a mismatched end tag);
 * CSV gets a first data row with one field more than the header (RFC 4180 rows have the
 * header's width); a form body gets a broken percent-escape (`=%G`); anything else is prefixed
 * with an unbalanced `<{`.
 */
export function garble(type, text) {
  const t = type.toLowerCase();
  if (t.includes("json")) {
    const key = text.indexOf('":');
    if (key >= 0) return `${text.slice(0, key + 2)},${text.slice(key + 2)}`;
    const open = text.search(/[[{]/);
    return open >= 0 ? `${text.slice(0, open + 1)},${text.slice(open + 1)}` : `{,${text}`;
  }
  if (t.includes("xml")) {
    const m = /<\/([A-Za-z_][\w.:-]*)\s*>/.exec(text);
    if (m) return `${text.slice(0, m.index)}</${m[1]}_garbled>${text.slice(m.index + m[0].length)}`;
    return `${text}<garbled>`;
  }
  if (t.includes("csv")) {
    // The end of the header row and of the first data row, outside quoted fields (ZapEvent
    // notes hold line breaks inside quotes).
    const ends = [];
    let quoted = false;
    for (let i = 0; i < text.length && ends.length < 2; i++) {
      if (text[i] === '"') quoted = !quoted;
      else if (text[i] === "\n" && !quoted) ends.push(i);
    }
    const eol = ends.length && text[ends[0] - 1] === "\r" ? "\r\n" : "\n";
    const header = (ends.length ? text.slice(0, ends[0]) : text).replace(/\r$/, "");
    const rest = ends.length ? text.slice(ends[0] + 1) : "";
    if (rest.trim() === "") {
      const width = header.split(",").length + 1;
      return `${header}${eol}${Array.from({ length: width }, () => "garbled").join(",")}${eol}`;
    }
    const rowEnd = ends.length > 1 ? ends[1] : text.length;
    const row = text.slice(ends[0] + 1, rowEnd).replace(/\r$/, "");
    // One field more than the header, after the row's last field.
    return `${header}${eol}${row},garbled${eol}${text.slice(rowEnd + 1)}`;
  }
  if (t.includes("x-www-form-urlencoded")) {
    const eq = text.indexOf("=");
    return eq >= 0 ? `${text.slice(0, eq + 1)}%G${text.slice(eq + 1)}` : `${text}=%G`;
  }
  return `<{${text}`;
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
