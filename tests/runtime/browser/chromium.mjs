// Chromium driver: opens ${SIM_URL}/app/suite/browser/index.html in Debian's chromium through
// playwright-core (tests/node_modules) and reports the page's window.__results.
//   SIM_URL=http://127.0.0.1:PORT node tests/runtime/browser/chromium.mjs
// Exit codes: 0 all passed, 1 a case failed, 2 the browser could not be started or driven.
import { rm } from "node:fs/promises";
import { chromium, executablePath, launchOptions, tempProfile } from "./launch.mjs";
import { report, WAIT_FOR_RESULTS } from "./report.mjs";

const simUrl = process.env.SIM_URL;
if (!simUrl) {
  console.error("SIM_URL is not set");
  process.exit(2);
}

let context;
let code = 2;
const profile = await tempProfile("oauth-edge-chromium-", () => context);
try {
  context = await (await chromium()).launchPersistentContext(profile, launchOptions);
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
