// Firefox driver: opens the one suite page (index.html) for a group in Debian's firefox-esr and
// reports the page's window.__results (no driver-side scenarios in Firefox).
//   SIM_URL=http://127.0.0.1:PORT node [--experimental-websocket] tests/runtime/browser/firefox.mjs [shared|session]
//
// Playwright's own Firefox support needs its patched build (Juggler); stock firefox-esr exits at
// once with "-juggler-pipe". Playwright's WebDriver BiDi channel ("moz-firefox") does launch it,
// but playwright-core 1.65 sends emulation.setMediaFeaturesOverride on every new context, which
// Firefox ESR 153 answers with "unknown command". So this driver speaks the few WebDriver BiDi
// commands it needs itself (Firefox ships BiDi; Node's WebSocket client).
// Exit codes: 0 all passed, 1 a case failed, 2 the browser could not be started or driven.
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { report, suitePage, WAIT_FOR_RESULTS } from "./report.mjs";

const simUrl = process.env.SIM_URL;
const group = process.argv[2] || "shared";
const executablePath = process.env.FIREFOX_PATH || "/usr/bin/firefox-esr";
if (!simUrl) {
  console.error("SIM_URL is not set");
  process.exit(2);
}
if (typeof WebSocket === "undefined") {
  console.log("could not drive firefox: this Node has no WebSocket (Node 20 needs --experimental-websocket)");
  process.exit(2);
}

// Keep the browser off the (absent) internet and quiet.
const PREFS = {
  "app.normandy.enabled": false,
  "app.update.auto": false,
  "app.update.enabled": false,
  "browser.newtabpage.enabled": false,
  "browser.region.network.url": "",
  "browser.safebrowsing.blockedURIs.enabled": false,
  "browser.safebrowsing.downloads.enabled": false,
  "browser.safebrowsing.malware.enabled": false,
  "browser.safebrowsing.phishing.enabled": false,
  "browser.sessionstore.resume_from_crash": false,
  "browser.shell.checkDefaultBrowser": false,
  "browser.startup.homepage": "about:blank",
  "browser.startup.page": 0,
  "datareporting.healthreport.uploadEnabled": false,
  "datareporting.policy.dataSubmissionEnabled": false,
  "extensions.update.enabled": false,
  "messaging-system.rsexperimentloader.enabled": false,
  "network.captive-portal-service.enabled": false,
  "network.connectivity-service.enabled": false,
  "services.settings.server": "http://127.0.0.1:1/remote-settings-disabled",
  "toolkit.telemetry.enabled": false,
  "toolkit.telemetry.server": "",
};

const profile = await mkdtemp(join(tmpdir(), "oauth-edge-firefox-"));
await writeFile(join(profile, "user.js"), Object.entries(PREFS).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`).join("\n") + "\n");

let proc;
let ws;
let code = 2;
// run.mjs stops a driver that overruns with SIGTERM (Firefox is in the same process group).
process.once("SIGTERM", async () => {
  if (proc && proc.exitCode === null) await new Promise((r) => (proc.once("exit", r), setTimeout(r, 3000)));
  await rm(profile, { recursive: true, force: true }).catch(() => {});
  process.exit(143);
});
try {
  proc = spawn(executablePath, ["--headless", "--no-remote", "--profile", profile, "--remote-debugging-port", "0"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: "1" },
  });
  const endpoint = await new Promise((resolve, reject) => {
    let log = "";
    const timer = setTimeout(() => reject(new Error(`no "WebDriver BiDi listening" within 30 s:\n${log.slice(-2000)}`)), 30_000);
    const onData = (d) => {
      log += d;
      const m = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    proc.stdout.on("data", onData);
    proc.stderr.on("data", onData);
    proc.once("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    proc.once("exit", (c, s) => {
      clearTimeout(timer);
      reject(new Error(`firefox exited (${c ?? s}) before BiDi was up:\n${log.slice(-2000)}`));
    });
  });
  proc.stdout.resume();
  proc.stderr.resume();

  ws = new WebSocket(`${endpoint}/session`);
  await new Promise((resolve, reject) => {
    ws.addEventListener("open", resolve, { once: true });
    ws.addEventListener("error", () => reject(new Error(`WebSocket to ${endpoint}/session failed`)), { once: true });
  });
  let nextId = 1;
  const pending = new Map();
  ws.addEventListener("message", (ev) => {
    const msg = JSON.parse(ev.data);
    if (msg.id !== undefined && pending.has(msg.id)) {
      const { resolve, reject } = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.type === "error") reject(new Error(`${msg.error}: ${msg.message}`));
      else resolve(msg.result);
    } else if (msg.method === "log.entryAdded" && msg.params.level === "error") {
      console.log(`[console.error] ${msg.params.text}`);
    }
  });
  ws.addEventListener("close", () => {
    for (const { reject } of pending.values()) reject(new Error("BiDi connection closed"));
    pending.clear();
  });
  const send = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, method, params }));
    });

  const session = await send("session.new", { capabilities: {} });
  console.log(`firefox ${session.capabilities.browserVersion} from ${executablePath} (WebDriver BiDi)`);
  await send("session.subscribe", { events: ["log.entryAdded"] });
  const { contexts } = await send("browsingContext.getTree", {});
  const context = contexts[0].context;
  const url = suitePage(simUrl, { runtime: "firefox", group });
  await send("browsingContext.navigate", { context, url, wait: "complete" });
  const evaluated = await send("script.evaluate", {
    expression: WAIT_FOR_RESULTS,
    target: { context },
    awaitPromise: true,
    resultOwnership: "none",
  });
  if (evaluated.type !== "success") throw new Error(`script.evaluate: ${JSON.stringify(evaluated.exceptionDetails)}`);
  const results = JSON.parse(evaluated.result.value);
  code = report(results.results, results.fatal) ? 0 : 1;
  await send("session.end").catch(() => {});
} catch (e) {
  console.log(`could not drive firefox: ${e && e.stack ? e.stack : e}`);
  code = 2;
} finally {
  try {
    ws?.close();
  } catch {
    /* already closed */
  }
  if (proc && proc.exitCode === null) {
    const exited = new Promise((r) => proc.once("exit", r));
    proc.kill("SIGTERM");
    const t = setTimeout(() => proc.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(t);
  }
  await rm(profile, { recursive: true, force: true }).catch(() => {});
}
process.exit(code);
