// The oauth-edge demo (`make demo`): the provider simulator (which checks every OAuth 1.0a
// signature with an independent implementation, npm oauth-1.0a) and the browser dashboard on
// free loopback ports, the CLI examples run against them, one short summary per provider (what
// was signed, refreshed and fetched, and how long it took), then the dashboard's URL. Stays up
// until Ctrl-C; `--once` (or OAUTH_EDGE_DEMO_ONCE=1) exits after the summary.
import { spawn } from "node:child_process";
import { mkdir, readFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { OAuth1Signer, OAuth2Client, OAuthEdgeError, OnlineRegistrationCenter, TokenSession, ZapEvent, memoryStore } from "oauth-edge";
import { startSimulator } from "../tests/simulator/server.mjs";
import { startDashboard } from "./dashboard/serve.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = join(HERE, "..", "target", "demo");
const once = process.argv.includes("--once") || process.env.OAUTH_EDGE_DEMO_ONCE === "1";
const tty = process.stdout.isTTY;
const bold = (s) => (tty ? `\x1b[1m${s}\x1b[0m` : s);
const ms = (t0) => {
  const d = performance.now() - t0;
  return d < 1000 ? `${d.toFixed(0)} ms` : `${(d / 1000).toFixed(1)} s`;
};
const n = (x) => x.toLocaleString("en-US");

const sim = await startSimulator({ port: 0 });
const { fixtures } = sim.state;
const simCall = async (path, body) => (await fetch(`${sim.url}${path}`, body === undefined ? {} : { method: "POST", body: JSON.stringify(body) })).json();
let dashboard;
const stop = async () => {
  await dashboard?.close();
  await sim.close();
};

/** Prints one provider's block: {signed, refreshed, fetched} lines, with the time it took. */
function report(provider, t0, lines) {
  console.log(`\n${bold(provider)} ${`(${ms(t0)})`}`);
  for (const [k, v] of Object.entries(lines)) console.log(`  ${k.padEnd(10)} ${v}`);
}

/** Runs one of the CLI examples (cli/*.mjs) as a child process; resolves to its stdout. */
function cli(script, args, env) {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [join(HERE, "cli", script), ...args], { env: { ...process.env, ...env, NO_PROGRESS_BAR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", fail);
    child.on("close", (code) => (code === 0 ? ok(out) : fail(new Error(`${script} exited ${code}: ${err.trim().split("\n").at(-1)}`))));
  });
}

async function oauth1() {
  const t0 = performance.now();
  const verdict = async (res) => (await res.json().catch(() => ({}))).ok === true;
  let accepted = 0;
  for (const signatureMethod of ["HMAC-SHA1", "HMAC-SHA256", "PLAINTEXT"]) {
    for (const placement of ["header", "query", "body"]) {
      // Keys and secrets with spaces, &, +, %, =, /, non-ASCII and an emoji.
      const s = new OAuth1Signer({ ...credentials(fixtures.oauth1.echoWeird), signatureMethod, placement });
      accepted += (await verdict(await s.fetch(`${sim.url}/oauth1/echo/form`, { method: "POST", form: { city: "Zürich", note: "a+b & c=d" } }))) ? 1 : 0;
    }
  }
  const signer = new OAuth1Signer(credentials(fixtures.oauth1.echo));
  const url = `${sim.url}/oauth1/echo/events?name=Caf%C3%A9&sort=date+DESC`;
  const signed = signer.sign({ method: "GET", url });
  await fetch(signed.url, { headers: signed.headers });
  const again = signer.sign({ method: "GET", url });
  const stale = signer.sign({ method: "GET", url, timestamp: Math.floor(Date.now() / 1000) - 301 });
  const refused = [
    await verdict(await fetch(signed.url, { headers: signed.headers })), // replayed nonce
    await verdict(await fetch(again.url.replace("DESC", "ASC"), { headers: again.headers })), // tampered query
    await verdict(await fetch(stale.url, { headers: stale.headers })), // 301 s old
  ].filter((ok) => !ok).length;
  report("OAuth 1.0a signing, checked by the simulator", t0, {
    signed: `9 requests, HMAC-SHA1 / HMAC-SHA256 / PLAINTEXT × header / query / body: ${accepted} of 9 accepted`,
    refused: `${refused} of 3 tampered: a replayed nonce, a changed query, a timestamp 301 s old`,
  });
}

async function zapEvent() {
  const t0 = performance.now();
  const zap = fixtures.zapevent;
  const baseUrl = `${sim.url}/zapevent/api`;
  const flow = ZapEvent.oauth1Flow({ baseUrl, consumerKey: zap.consumerKey, consumerSecret: zap.consumerSecret });
  const pending = await flow.start({ callback: "http://127.0.0.1/zapevent/callback" });
  const callbackUrl = (await fetch(pending.authorizationUrl, { redirect: "manual" })).headers.get("location"); // the simulator approves at once
  const creds = await flow.finish({ ...pending, callbackUrl });
  const env = { ZAPEVENT_BASE_URL: baseUrl, ZAPEVENT_CONSUMER_KEY: zap.consumerKey, ZAPEVENT_CONSUMER_SECRET: zap.consumerSecret, ZAPEVENT_TOKEN: creds.token, ZAPEVENT_TOKEN_SECRET: creds.tokenSecret };
  const out = join(OUT, "participants.jsonl");
  const added = async (args) => /^(\d+) new participant/m.exec(await cli("sync-participants.mjs", ["--event", "1001", "--out", out, ...args], env))?.[1] ?? "?";
  const first = await added(["--restart"]);
  const second = await added([]); // incremental: only participants after the last one synced
  const api = ZapEvent.oauth1({ baseUrl, consumerKey: zap.consumerKey, consumerSecret: zap.consumerSecret, token: creds.token, tokenSecret: creds.tokenSecret });
  const times = [];
  for (const format of ["xml", "json", "csv"]) {
    const t = performance.now();
    const all = await api.participants({ eventId: zap.marathon.eventId, activityId: zap.marathon.activityId, resultsPerPage: 250, format }).toArray();
    times.push(`${format} ${ms(t)}${all.length === zap.marathon.participants ? "" : ` (${all.length}!)`}`);
  }
  let notFound = "";
  try {
    await api.event(424242);
  } catch (e) {
    notFound = `${e.code} (ZapEvent error ${e.providerCode})`;
  }
  report("ZapEvent", t0, {
    signed: "OAuth 1.0a three-legged flow (request token → authorize → access token), HMAC-SHA1 header",
    refreshed: "— (OAuth 1.0a tokens do not expire)",
    fetched: `CLI sync of event 1001 → ${relative(process.cwd(), out)}: ${first} new participants; run again: ${second} new`,
    parsed: `${n(zap.marathon.participants)} participants, 40 pages, in ${times.join(", ")}; event 424242 → ${notFound}`,
  });
}

async function oneRoster() {
  const t0 = performance.now();
  const or = fixtures.oneroster;
  const dir = join(OUT, "oneroster");
  await cli("export-oneroster.mjs", ["--mode", "direct", "--out-dir", dir], { ONEROSTER_BASE_URL: `${sim.url}/oneroster`, ONEROSTER_CLIENT_ID: or.consumerKey, ONEROSTER_CLIENT_SECRET: or.consumerSecret });
  const { collections } = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8"));
  report("OneRoster 1.1", t0, {
    signed: "two-legged OAuth 1.0a, HMAC-SHA256, every page",
    fetched: `CLI export → ${relative(process.cwd(), dir)}/: ${Object.entries(collections).map(([c, v]) => `${n(v.records)} ${c}`).join(", ")}`,
  });
}

async function priava() {
  const t0 = performance.now();
  const pv = fixtures.priava;
  const redirectUri = "http://127.0.0.1/callback";
  const client = OAuth2Client.priava({ baseUrl: `${sim.url}/priava`, region: "EU", clientId: pv.clientId, clientSecret: pv.clientSecret, redirectUri });
  const auth = await client.authorizationUrl({ redirectUri });
  const back = (await fetch(auth.url, { redirect: "manual" })).headers.get("location");
  // A clock the demo can move (with the simulator's), to show an expiry without waiting 6 hours.
  let skewMs = 0;
  const store = memoryStore();
  const session = new TokenSession(client, { store, now: () => Date.now() + skewMs });
  await session.completeAuthorization(back, { state: auth.state, codeVerifier: auth.codeVerifier, redirectUri });
  const me = await (await session.fetch(`${sim.url}/priava/api/me`)).json();
  const before = (await store.load()).tokens.refreshToken;
  const grants0 = (await simCall("/__sim/counters")).grants.priava?.refresh_token ?? 0;
  skewMs = pv.accessTokenTtl * 1000;
  await simCall("/__sim/clock", { advance: pv.accessTokenTtl });
  try {
    const results = await Promise.all(Array.from({ length: 50 }, () => session.fetch(`${sim.url}/priava/api/events`)));
    const grants = ((await simCall("/__sim/counters")).grants.priava?.refresh_token ?? 0) - grants0;
    const rotated = (await store.load()).tokens.refreshToken !== before;
    report("Priava", t0, {
      signed: `in as ${me.name}: authorization code + PKCE S256, client_secret_post, TenantRegion ${me.region}`,
      refreshed: `${grants} refresh grant for 50 concurrent calls on an expired token; rotated refresh token stored: ${rotated ? "yes" : "NO"}`,
      fetched: `/api/me, then /api/events × 50: ${results.filter((r) => r.ok).length} × 200`,
    });
  } finally {
    await simCall("/__sim/clock", { advance: -pv.accessTokenTtl }); // the dashboard shares this simulator
  }
}

async function orcAndOmniFund() {
  let t0 = performance.now();
  const issued = await simCall("/__sim/orc/issue", {});
  const orc = OAuth2Client.onlineRegistrationCenter({ baseUrl: `${sim.url}/orc`, clientId: fixtures.orc.clientId, clientSecret: fixtures.orc.clientSecret });
  const session = new TokenSession(orc, { store: memoryStore() });
  await session.signIn({ accessToken: issued.access_token, refreshToken: issued.refresh_token, tokenType: "Bearer", expiresAt: Date.now() + issued.expires_in * 3_600_000, scope: null });
  const attendees = await OnlineRegistrationCenter.roster(session, { moduleId: 4103 });
  const rotated = await orc.refresh(issued.refresh_token);
  let reuse = "";
  try {
    await orc.refresh(issued.refresh_token); // a rotated refresh token used again
  } catch (e) {
    reuse = e.code;
  }
  report("Online Registration Center", t0, {
    signed: "in with the console's tokens (session.signIn); Basic base64(id:secret) raw, as its document shows",
    refreshed: `1 refresh: expires_in ${issued.expires_in} (hours) read as hours, new refresh token ${rotated.refreshToken !== issued.refresh_token ? "issued" : "NOT issued"}; the old one reused → ${reuse}, family revoked`,
    fetched: `roster of module 4103: ${n(attendees.length)} attendees in one body, typed (ISO dates, numeric module_id)`,
  });

  t0 = performance.now();
  const of = fixtures.omnifund;
  const omni = OAuth2Client.omniFund({ baseUrl: `${sim.url}/omnifund`, clientId: of.clientId, clientSecret: of.clientSecret });
  const omniSession = new TokenSession(omni, { store: memoryStore() });
  await omniSession.signIn(await omni.password({ username: of.user.username, password: of.user.password }));
  const login = await (await omniSession.fetch(`${sim.url}/omnifund/login`, { method: "POST" })).json();
  report("OmniFund", t0, { signed: `in with the password grant as ${login.user?.name}`, fetched: `POST /login → logged_in: ${login.logged_in}` });
}

function errors() {
  try {
    new OAuth1Signer(credentials(fixtures.oauth1.echo)).sign({ url: "http://api.example.com/" });
  } catch (e) {
    console.log(`\n${bold("Errors")}: ${e instanceof OAuthEdgeError ? "OAuthEdgeError" : "?"} ${e.code}: ${e.message}`);
  }
}

function credentials(c) {
  return { consumerKey: c.consumerKey, consumerSecret: c.consumerSecret, token: c.token, tokenSecret: c.tokenSecret };
}

try {
  const t0 = performance.now();
  await mkdir(OUT, { recursive: true });
  console.log(`oauth-edge demo: provider simulator at ${sim.url}`);
  await oauth1();
  await zapEvent();
  await oneRoster();
  await priava();
  await orcAndOmniFund();
  errors();
  dashboard = await startDashboard({ config: await dashboardConfig() });
  console.log(`\nall of the above in ${ms(t0)}`);
  console.log(`${bold("dashboard")}: ${dashboard.url}  (sign in with Priava: the simulator approves at once)`);
} catch (e) {
  console.error(`demo failed: ${e instanceof OAuthEdgeError ? `${e.code}: ${e.message}` : e.stack ?? e}`);
  await stop();
  process.exit(1);
}
if (once) {
  await stop();
} else {
  console.log("Ctrl-C stops the demo.");
  for (const sig of ["SIGINT", "SIGTERM"]) {
    process.once(sig, async () => {
      await stop();
      console.log("\nstopped");
      process.exit(0);
    });
  }
}

/** The dashboard's settings: the simulator's providers (configFromEnv reads the same from the environment). */
async function dashboardConfig() {
  const orc = await simCall("/__sim/orc/issue", {});
  const z = fixtures.zapevent;
  return {
    priava: { baseUrl: `${sim.url}/priava`, region: "EU", clientId: fixtures.priava.clientId, clientSecret: fixtures.priava.clientSecret },
    orc: { baseUrl: `${sim.url}/orc`, clientId: fixtures.orc.clientId, clientSecret: fixtures.orc.clientSecret, moduleId: 4101, consoleTokens: orc },
    zapevent: { baseUrl: `${sim.url}/zapevent/api`, consumerKey: z.consumerKey, consumerSecret: z.consumerSecret, token: z.accessToken.token, tokenSecret: z.accessToken.tokenSecret, eventId: 1001 },
  };
}
