// The simulator's HTTP core: routing table, CORS, fault injection hook, control API (/__sim/…),
// static /app/ files, and the CLI (`node tests/simulator/server.mjs [--port N] [--static DIR]`).

import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

import { createClock, handleClock } from "./clock.mjs";
import { createCounters } from "./counters.mjs";
import { createEcho } from "./echo.mjs";
import { createFaults, handleFaults } from "./faults.mjs";
import { createFixtures, fixtures as defaultFixtures } from "./fixtures.mjs";
import { createGeneric } from "./generic.mjs";
import { createOAuth1Verifier } from "./oauth1.mjs";
import { createOAuth2, PROVIDERS } from "./oauth2.mjs";
import { createOmniFund } from "./omnifund.mjs";
import { createOneRoster } from "./oneroster/index.mjs";
import { createOrc } from "./orc.mjs";
import { createPriava } from "./priava.mjs";
import { createZapEvent } from "./zapevent/index.mjs";
import { HttpError, mediaType, parseForm, readBody, send, sendJson } from "./util.mjs";

/** Browser pages call every route cross-origin (the demo, wasm-bindgen-test pages). */
const CORS_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Expose-Headers": "WWW-Authenticate, Retry-After, X-Total-Count, X-Page, X-Results-Per-Page, X-Total-Pages, Link, Location",
};
const PREFLIGHT_HEADERS = {
  "Access-Control-Allow-Methods": "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS",
  "Access-Control-Allow-Headers": "Authorization, Content-Type, TenantRegion, Accept",
  "Access-Control-Max-Age": "600",
};

const CONTENT_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
};

/** Parses what every route needs; malformed targets, hosts or encodings become 400. */
function parseRequest(req, body) {
  const raw = req.url || "";
  // Only origin-form targets made of visible ASCII (RFC 9112 §3.2.1, RFC 3986 §2).
  if (!raw.startsWith("/") || /[^\x21-\x7e]/.test(raw)) throw new HttpError(400, "invalid_request", "malformed request target");
  const qi = raw.indexOf("?");
  const path = qi < 0 ? raw : raw.slice(0, qi);
  const rawQuery = qi < 0 ? "" : raw.slice(qi + 1);
  const hostHeader = req.headers.host;
  if (!hostHeader || !/^[A-Za-z0-9.\-[\]:]{1,255}$/.test(hostHeader)) throw new HttpError(400, "invalid_request", "missing or malformed Host");
  // RFC 5849 §3.4.1.2: scheme and host lower-case, default port dropped, no query.
  let host = hostHeader.toLowerCase();
  if (host.endsWith(":80")) host = host.slice(0, -3);
  const origin = `http://${host}`;
  const query = parseForm(rawQuery);
  let form = null;
  if (mediaType(req) === "application/x-www-form-urlencoded") {
    let text;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(body);
    } catch {
      throw new HttpError(400, "invalid_request", "form body is not UTF-8");
    }
    form = parseForm(text);
  }
  return {
    req,
    method: req.method,
    path,
    rawQuery,
    query,
    form,
    body,
    headers: req.headers,
    origin,
    baseUrl: origin + path,
    url: origin + raw,
    /** The body as a JSON object ({} when empty); 400 when it is not one. */
    json() {
      if (body.length === 0) return {};
      let v;
      try {
        v = JSON.parse(body.toString("utf8"));
      } catch {
        throw new HttpError(400, "invalid_request", "body is not valid JSON");
      }
      if (!v || typeof v !== "object" || Array.isArray(v)) throw new HttpError(400, "invalid_request", "body must be a JSON object");
      return v;
    },
  };
}

/** Serves files from `root` under /app/ with the content types browsers insist on. */
async function serveStatic(root, r, res) {
  if (r.method !== "GET" && r.method !== "HEAD") throw new HttpError(405, "method_not_allowed", "GET only");
  let rel;
  try {
    rel = decodeURIComponent(r.path.slice("/app/".length));
  } catch {
    throw new HttpError(400, "invalid_request", "malformed path");
  }
  let file = resolve(root, "." + sep + rel);
  if (file !== root && !file.startsWith(root + sep)) throw new HttpError(404, "not_found", "no such file");
  let info = await stat(file).catch(() => null);
  if (info && info.isDirectory()) {
    file = join(file, "index.html");
    info = await stat(file).catch(() => null);
  }
  if (!info || !info.isFile()) throw new HttpError(404, "not_found", "no such file");
  const type = CONTENT_TYPES[extname(file).toLowerCase()] || "application/octet-stream";
  send(res, 200, { "Content-Type": type, "Cache-Control": "no-store" }, await readFile(file));
}

/**
 * Starts the simulator. Resolves to {url, port, close(), state}; `state` gives tests the same
 * control as the HTTP API: counters, reset(), clock, faults, config, fixtures, orcIssue().
 */
export async function startSimulator({ port = 0, host = "127.0.0.1", staticDir, seed, log } = {}) {
  const fixtures = seed === undefined ? defaultFixtures : createFixtures(seed);
  const clock = createClock();
  const counters = createCounters();
  const faults = createFaults({ counters, defaultSeed: seed ?? 1 });
  const verifier = createOAuth1Verifier({ clock, counters });
  const oauth2 = createOAuth2({ clock, counters, fixtures });
  const staticRoot = staticDir ? resolve(staticDir) : null;
  const timers = new Set();
  // The last request lines (method and path with query), numbered: what a server, a proxy or an
  // access log would see; the secrets test reads them (GET /__sim/requests).
  const requestLog = { seq: 0, entries: [] };
  const logLine = typeof log === "function" ? log : log ? (l) => console.error(JSON.stringify(l)) : null;

  const ctx = { fixtures, clock, counters, verifier, oauth2 };
  const orc = createOrc(ctx);
  const modules = [
    createEcho(ctx),
    createZapEvent(ctx),
    createOneRoster(ctx),
    orc,
    createPriava(ctx),
    createOmniFund(ctx),
    createGeneric(ctx),
  ];

  function reset() {
    counters.reset();
    faults.clear();
    clock.reset();
    verifier.reset();
    oauth2.reset();
    for (const m of modules) m.reset();
    requestLog.entries = [];
  }

  /** The control API. Everything a test needs to steer or observe the simulator. */
  const control = [
    { method: "GET", path: "/__sim/health", handler: (r, res) => sendJson(res, 200, { ok: true, now: clock.now() }) },
    { method: "GET", path: "/__sim/counters", handler: (r, res) => sendJson(res, 200, counters.snapshot()) },
    { method: "POST", path: "/__sim/reset", handler: (r, res) => { reset(); sendJson(res, 200, { ok: true }); } },
    { method: "*", path: "/__sim/clock", handler: (r, res) => handleClock(clock, r, res) },
    { method: "*", path: "/__sim/faults", handler: (r, res) => handleFaults(faults, r, res) },
    { method: "*", path: "/__sim/config", handler: (r, res) => oauth2.handleConfig(r, res) },
    { method: "GET", path: "/__sim/tokens", handler: (r, res) => sendJson(res, 200, oauth2.summary()) },
    { method: "GET", path: "/__sim/fixtures", handler: (r, res) => sendJson(res, 200, fixtures) },
    { method: "GET", path: "/__sim/requests", handler: (r, res) => sendJson(res, 200, requestLog) },
  ];
  const routes = [...control, ...modules.flatMap((m) => m.routes)];

  function route(r) {
    let pathMatched = false;
    for (const rt of routes) {
      const m = typeof rt.path === "string" ? (rt.path === r.path ? [r.path] : null) : rt.path.exec(r.path);
      if (!m) continue;
      pathMatched = true;
      const methods = rt.method === "*" ? null : rt.method.split(",");
      if (methods && !methods.includes(r.method) && !(r.method === "HEAD" && methods.includes("GET"))) continue;
      return { rt, m };
    }
    if (pathMatched) throw new HttpError(405, "method_not_allowed", `${r.method} not allowed on ${r.path}`);
    return null;
  }

  async function handle(req, res) {
    const started = Date.now();
    counters.inc("requests");
    if (!String(req.url).startsWith("/__sim/")) {
      requestLog.entries.push({ seq: ++requestLog.seq, method: req.method, url: String(req.url) });
      if (requestLog.entries.length > 2000) requestLog.entries.shift();
    }
    for (const [k, v] of Object.entries(CORS_HEADERS)) res.setHeader(k, v);
    if (logLine) {
      res.on("close", () => logLine({ method: req.method, path: String(req.url).split("?")[0], status: res.statusCode, ms: Date.now() - started, complete: res.writableFinished }));
    }
    try {
      const path = String(req.url || "").split("?")[0];
      const rule = faults.match(req.method, path);
      if (rule && (await faults.apply(rule, req, res, timers)) === "handled") return;
      if (req.method === "OPTIONS") {
        // CORS preflight (Fetch standard §3.2.2): no credentials involved, any origin.
        send(res, 204, PREFLIGHT_HEADERS);
        return;
      }
      const body = await readBody(req);
      const r = parseRequest(req, body);
      if (staticRoot && (r.path === "/app" || r.path.startsWith("/app/"))) {
        if (r.path === "/app") return send(res, 301, { Location: "/app/" });
        return await serveStatic(staticRoot, r, res);
      }
      const found = route(r);
      if (!found) throw new HttpError(404, "not_found", `no route for ${r.path}`);
      r.match = found.m;
      await found.rt.handler(r, res);
      if (!res.headersSent && !res.destroyed) throw new Error(`route ${r.path} did not answer`);
    } catch (err) {
      if (res.headersSent || res.destroyed) return;
      if (err instanceof HttpError) {
        if (err.status === 413) res.setHeader("Connection", "close");
        sendJson(res, err.status, { error: err.error, error_description: err.description }, err.headers);
      } else {
        console.error("[simulator] internal error:", err && err.stack ? err.stack : err);
        sendJson(res, 500, { error: "server_error", error_description: "internal simulator error" });
      }
    }
  }

  const server = createServer({ maxHeaderSize: 16384 }, (req, res) => {
    handle(req, res).catch((e) => {
      console.error("[simulator] unhandled:", e);
      res.destroy();
    });
  });
  // Unparseable requests (bad request line, oversized headers) never reach handle():
  // answer them here instead of letting the socket error escape.
  server.on("clientError", (err, socket) => {
    if (!socket.writable || err.code === "ECONNRESET") {
      socket.destroy();
      return;
    }
    const status = err.code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : "400 Bad Request";
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\nAccess-Control-Allow-Origin: *\r\n\r\n`);
  });

  await new Promise((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolveListen();
    });
  });
  const actualPort = server.address().port;
  const urlHost = host.includes(":") ? `[${host}]` : host;

  const state = {
    fixtures,
    get counters() {
      return counters.snapshot();
    },
    reset,
    clock: {
      now: () => clock.now(),
      advance: (s) => clock.advance(s),
      set: (s) => clock.set(s),
    },
    faults: {
      set: (rules, faultSeed) => faults.set(rules, faultSeed),
      clear: () => faults.clear(),
      list: () => faults.list(),
    },
    config: {
      /** Same as POST /__sim/config {"accessTokenTtl": seconds, "provider"?}. */
      setAccessTokenTtl: (seconds, provider) => oauth2.setAccessTokenTtl(seconds, provider),
    },
    /** Same as POST /__sim/orc/issue: fresh pre-issued ORC tokens. */
    orcIssue: () => orc.preissue(),
    tokens: () => oauth2.summary(),
  };

  return {
    url: `http://${urlHost}:${actualPort}`,
    port: actualPort,
    state,
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      return new Promise((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
    },
  };
}

export { PROVIDERS };

// ---- CLI --------------------------------------------------------------------------------------
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opts = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const val = () => {
      if (i + 1 >= args.length) {
        console.error(`missing value for ${a}`);
        process.exit(2);
      }
      return args[++i];
    };
    if (a === "--port") opts.port = Number(val());
    else if (a === "--host") opts.host = val();
    else if (a === "--static") opts.staticDir = val();
    else if (a === "--seed") opts.seed = Number(val());
    else if (a === "--log") opts.log = true;
    else {
      console.error(`usage: node tests/simulator/server.mjs [--port N] [--host H] [--static DIR] [--seed N] [--log]`);
      process.exit(2);
    }
  }
  if (opts.port !== undefined && !(Number.isInteger(opts.port) && opts.port >= 0 && opts.port < 65536)) {
    console.error("--port must be 0-65535");
    process.exit(2);
  }
  const sim = await startSimulator(opts);
  process.stdout.write(JSON.stringify({ url: sim.url }) + "\n");
  let closing = false;
  const stop = async () => {
    if (closing) return;
    closing = true;
    await sim.close();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
