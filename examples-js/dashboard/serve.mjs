// Builds the dashboard with esbuild (app.js → dist/app.js, the way any browser bundler would:
// the `browser` condition of oauth-edge; its .wasm, loaded by new URL(…, import.meta.url), copied
// next to the bundle) and serves it on a loopback port.
//
//   node serve.mjs [--port 8080] [--host 127.0.0.1]
//
// Settings from the environment (sent to the page as /config.json: the page itself calls the
// providers, so these are the browser's; a public deploy keeps secrets on a server instead, as
// examples-js/worker/ does):
//   PRIAVA_BASE_URL, PRIAVA_REGION (APAC|EU|US), PRIAVA_CLIENT_ID, PRIAVA_CLIENT_SECRET
//     register http://<host>:<port>/callback as the redirect URI
//   ORC_BASE_URL, ORC_CLIENT_ID, ORC_CLIENT_SECRET, ORC_MODULE_ID, and the console's first tokens
//     ORC_ACCESS_TOKEN, ORC_REFRESH_TOKEN, ORC_EXPIRES_IN (hours)          (optional section)
//   ZAPEVENT_BASE_URL, ZAPEVENT_CONSUMER_KEY, ZAPEVENT_CONSUMER_SECRET, ZAPEVENT_TOKEN,
//     ZAPEVENT_TOKEN_SECRET, ZAPEVENT_EVENT_ID                              (optional section)
import { createServer } from "node:http";
import { copyFile, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const HERE = dirname(fileURLToPath(import.meta.url));
const DIST = join(HERE, "dist");

/** esbuild bundle of app.js into dist/, with the package's .wasm beside it. */
export async function buildDashboard() {
  await build({ entryPoints: [join(HERE, "app.js")], bundle: true, format: "esm", platform: "browser", minify: true,
    outdir: DIST, logLevel: "warning", logOverride: { "duplicate-object-key": "silent" } });
  // The browser entry fetches new URL("../oauth_edge_bg.wasm", import.meta.url): served from
  // the root next to /app.js (a URL cannot go above the root).
  const pkg = dirname(createRequire(join(HERE, "app.js")).resolve("oauth-edge/package.json"));
  await copyFile(join(pkg, "oauth_edge_bg.wasm"), join(DIST, "oauth_edge_bg.wasm"));
}

/** The page's settings from environment variables (see the top of this file). */
export function configFromEnv(env = process.env) {
  const need = (name) => {
    if (!env[name]) throw new Error(`set ${name}`);
    return env[name];
  };
  const config = {
    priava: { baseUrl: need("PRIAVA_BASE_URL"), region: env.PRIAVA_REGION ?? "EU", clientId: need("PRIAVA_CLIENT_ID"), clientSecret: need("PRIAVA_CLIENT_SECRET") },
  };
  if (env.ORC_BASE_URL) {
    config.orc = { baseUrl: env.ORC_BASE_URL, clientId: need("ORC_CLIENT_ID"), clientSecret: need("ORC_CLIENT_SECRET"), moduleId: Number(need("ORC_MODULE_ID")),
      consoleTokens: env.ORC_ACCESS_TOKEN ? { access_token: env.ORC_ACCESS_TOKEN, refresh_token: need("ORC_REFRESH_TOKEN"), expires_in: Number(env.ORC_EXPIRES_IN ?? 1) } : null };
  }
  if (env.ZAPEVENT_BASE_URL) {
    config.zapevent = { baseUrl: env.ZAPEVENT_BASE_URL, consumerKey: need("ZAPEVENT_CONSUMER_KEY"), consumerSecret: need("ZAPEVENT_CONSUMER_SECRET"),
      token: need("ZAPEVENT_TOKEN"), tokenSecret: need("ZAPEVENT_TOKEN_SECRET"), eventId: Number(need("ZAPEVENT_EVENT_ID")) };
  }
  return config;
}

const FILES = {
  "/": ["index.html", "text/html; charset=utf-8"],
  "/callback": ["index.html", "text/html; charset=utf-8"],
  "/style.css": ["style.css", "text/css; charset=utf-8"],
  "/app.js": ["dist/app.js", "text/javascript; charset=utf-8"],
  "/oauth_edge_bg.wasm": ["dist/oauth_edge_bg.wasm", "application/wasm"],
};

/** Builds, then serves on `host:port` (0: a free port). Resolves to {url, close()}. */
export async function startDashboard({ config, port = 0, host = "127.0.0.1" }) {
  await buildDashboard();
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    const headers = { "cache-control": "no-store", "x-content-type-options": "nosniff" };
    if (req.method !== "GET") return res.writeHead(405, { ...headers, allow: "GET" }).end();
    if (path === "/config.json") return res.writeHead(200, { ...headers, "content-type": "application/json" }).end(JSON.stringify(config));
    const file = FILES[path];
    if (!file) return res.writeHead(404, { ...headers, "content-type": "text/plain" }).end("not found");
    try {
      const body = await readFile(join(HERE, file[0]));
      res.writeHead(200, { ...headers, "content-type": file[1] }).end(body);
    } catch {
      res.writeHead(500, headers).end();
    }
  });
  await new Promise((ok, fail) => server.once("error", fail).listen(port, host, ok));
  const url = `http://${host}:${server.address().port}/`;
  return { url, close: () => new Promise((ok) => { server.closeAllConnections(); server.close(ok); }) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const dash = await startDashboard({ config: configFromEnv(), port: Number(arg("--port", 8080)), host: arg("--host", "127.0.0.1") });
  console.log(`dashboard: ${dash.url}`);
  for (const sig of ["SIGINT", "SIGTERM"]) process.once(sig, () => dash.close().then(() => process.exit(0)));
}
