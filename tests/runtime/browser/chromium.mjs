// The Chromium driver (playwright-core + Debian's /usr/bin/chromium): opens the one suite page
// (index.html) for a group, reports its window.__results, then runs the group's driver-side
// scenarios (../scenarios.mjs; session: (c) and (m), two tabs of one origin).
//   SIM_URL=http://127.0.0.1:PORT node tests/runtime/browser/chromium.mjs [shared|session]
// Environment (session): SESSION_BROWSER_N (N of scenario (a)), SESSION_CASES=c (only (c) and (m)).
// Exit codes: 0 all passed, 1 a case failed, 2 the browser could not be started or driven.
import { rm } from "node:fs/promises";
import { scenariosFor } from "../scenarios.mjs";
import { GROUPS } from "../suites.mjs";
import { chromium, executablePath, launchOptions, tempProfile } from "./launch.mjs";
import { report, suitePage, WAIT_FOR_RESULTS } from "./report.mjs";

const simUrl = process.env.SIM_URL;
const group = process.argv[2] || "shared";
if (!simUrl || !GROUPS.includes(group)) {
  console.error(simUrl ? `unknown group ${group}` : "SIM_URL is not set");
  process.exit(2);
}

let context;
let code = 2;
const profile = await tempProfile(`oauth-edge-chromium-${group}-`, () => context);

async function openPage(url) {
  const page = await context.newPage();
  page.on("console", (m) => {
    // Expected 401s and the blocked port of the NETWORK case show up as resource errors.
    if (m.type() === "log") console.log(`[page] ${m.text()}`);
    else if ((m.type() === "error" || m.type() === "warning") && !/^Failed to load resource/.test(m.text())) console.log(`[console.${m.type()}] ${m.text()}`);
  });
  page.on("pageerror", (e) => console.log(`[pageerror] ${e && e.stack ? e.stack : e}`));
  const nav = await page.goto(url, { timeout: 30_000 });
  if (!nav || nav.status() !== 200) throw new Error(`GET ${url}: ${nav ? nav.status() : "no response"}`);
  return page;
}

try {
  context = await (await chromium()).launchPersistentContext(profile, launchOptions);
  console.log(`chromium ${context.browser()?.version() ?? "(persistent context)"} from ${executablePath}`);
  let results = [];
  let fatal = null;
  if (!(group === "session" && process.env.SESSION_CASES === "c")) {
    const n = group === "session" && process.env.SESSION_BROWSER_N ? { n: process.env.SESSION_BROWSER_N } : {};
    const page = await openPage(suitePage(simUrl, { runtime: "chromium", group, ...n }));
    ({ results, fatal } = JSON.parse(await page.evaluate(WAIT_FOR_RESULTS)));
    await page.close();
  }
  for (const scenario of scenariosFor("chromium", group)) results.push(await scenario({ openPage, simUrl }));
  code = report(results, fatal) ? 0 : 1;
} catch (e) {
  console.log(`could not drive chromium: ${e && e.stack ? e.stack : e}`);
  code = 2;
} finally {
  await context?.close().catch(() => {});
  await rm(profile, { recursive: true, force: true }).catch(() => {});
}
process.exit(code);
