// Chromium driver: opens ${SIM_URL}/app/suite/browser/index.html in Debian's chromium through
// playwright-core (tests/node_modules) and reports the page's window.__results.
//   SIM_URL=http://127.0.0.1:PORT node tests/runtime/browser/chromium.mjs
// Exit codes: 0 all passed, 1 a case failed, 2 the browser could not be started or driven.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { report, WAIT_FOR_RESULTS } from "./report.mjs";

const simUrl = process.env.SIM_URL;
const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
if (!simUrl) {
  console.error("SIM_URL is not set");
  process.exit(2);
}

const { chromium } = await import(new URL("../../node_modules/playwright-core/index.mjs", import.meta.url).href);
const profile = await mkdtemp(join(tmpdir(), "oauth-edge-chromium-"));
let context;
let code = 2;
// run.mjs stops a driver that overruns with SIGTERM: still remove the profile.
process.once("SIGTERM", async () => {
  await context?.close().catch(() => {});
  await rm(profile, { recursive: true, force: true }).catch(() => {});
  process.exit(143);
});
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    timeout: 30_000,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
  });
  console.log(`chromium ${context.browser()?.version() ?? "(persistent context)"} from ${executablePath}`);
  const page = context.pages()[0] || (await context.newPage());
  page.on("console", (m) => {
    // Expected 401s and the blocked port of the NETWORK case show up as resource errors.
    if ((m.type() === "error" || m.type() === "warning") && !/^Failed to load resource/.test(m.text())) console.log(`[console.${m.type()}] ${m.text()}`);
  });
  page.on("pageerror", (e) => console.log(`[pageerror] ${e && e.stack ? e.stack : e}`));
  const url = `${simUrl}/app/suite/browser/index.html?runtime=chromium`;
  const nav = await page.goto(url, { timeout: 30_000 });
  if (!nav || nav.status() !== 200) throw new Error(`GET ${url}: ${nav ? nav.status() : "no response"}`);
  const results = JSON.parse(await page.evaluate(WAIT_FOR_RESULTS));
  code = report(results.results, results.fatal) ? 0 : 1;
} catch (e) {
  console.log(`could not drive chromium: ${e && e.stack ? e.stack : e}`);
  code = 2;
} finally {
  await context?.close().catch(() => {});
  await rm(profile, { recursive: true, force: true }).catch(() => {});
}
process.exit(code);
