// The browser dashboard (examples-js/dashboard/) in headless Chromium, through the shared
// launcher of the runtime suite: its own server (`node serve.mjs`, the esbuild bundle) on a
// loopback port, the Priava sign-in clicked through (the simulator's authorize page redirects
// back), the two tables checked against the simulator's fixtures, the progress bar seen mid-way,
// an access token expired at the simulator and the silent refresh seen in the token state,
// the tokens found again in IndexedDB after a reload, an error shown in plain words, a
// screenshot saved to target/artifacts/dashboard.png and checked not to be blank, sign-out.
import assert from "node:assert/strict";
import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { chromium, launchOptions, tempProfile } from "../runtime/browser/launch.mjs";
import { simControl } from "../runtime/sim-control.mjs";
import { serve } from "./proc.mjs";
import { pngStats } from "./png.mjs";

const ZAP_EVENT = 1001;
const ORC_MODULE = 4101;

/** The dashboard's settings for the simulator at `sim.url`, as environment variables. */
export async function dashboardEnv(sim) {
  const fx = sim.state.fixtures;
  const orc = sim.state.orcIssue();
  return {
    PRIAVA_BASE_URL: `${sim.url}/priava`, PRIAVA_REGION: "EU", PRIAVA_CLIENT_ID: fx.priava.clientId, PRIAVA_CLIENT_SECRET: fx.priava.clientSecret,
    ORC_BASE_URL: `${sim.url}/orc`, ORC_CLIENT_ID: fx.orc.clientId, ORC_CLIENT_SECRET: fx.orc.clientSecret, ORC_MODULE_ID: String(ORC_MODULE),
    ORC_ACCESS_TOKEN: orc.access_token, ORC_REFRESH_TOKEN: orc.refresh_token, ORC_EXPIRES_IN: String(orc.expires_in),
    ZAPEVENT_BASE_URL: `${sim.url}/zapevent/api`, ZAPEVENT_CONSUMER_KEY: fx.zapevent.consumerKey, ZAPEVENT_CONSUMER_SECRET: fx.zapevent.consumerSecret,
    ZAPEVENT_TOKEN: fx.zapevent.accessToken.token, ZAPEVENT_TOKEN_SECRET: fx.zapevent.accessToken.tokenSecret, ZAPEVENT_EVENT_ID: String(ZAP_EVENT),
  };
}

const rowsOf = (page, id) => page.$$eval(`#${id} tbody tr`, (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));

export async function dashboardChecks({ check, sim, dir, root }) {
  const fx = sim.state.fixtures;
  const ctl = simControl(sim.url);
  const grants = (c, grant) => c.grants?.priava?.[grant] ?? 0;
  let server;
  let context;
  let profile;
  try {
    await check("dashboard: esbuild bundle (browser entry); Chromium signs in to Priava (code + PKCE, redirect and back), ORC and ZapEvent tables equal the fixtures, progress bar while pages load", async () => {
      sim.state.reset();
      server = await serve("dashboard", process.execPath, ["serve.mjs", "--port", "0"], { cwd: dir, env: await dashboardEnv(sim), ready: /^dashboard: (http:\/\/127\.0\.0\.1:\d+\/)$/m });
      const url = server.match[1];
      // Issue 11 item 3's browser-bundler check: esbuild took the package's `browser` entry (the
      // .wasm fetched next to the bundle), not the Node one (read from disk).
      const bundle = await readFile(join(dir, "dist", "app.js"), "utf8");
      assert.ok(bundle.includes('new URL("../oauth_edge_bg.wasm",import.meta.url)'), "the bundle loads the .wasm by new URL(…, import.meta.url)");
      assert.ok(!/node:fs|readFileSync/.test(bundle), "no Node file-system code in the browser bundle");
      profile = await tempProfile("oauth-edge-dashboard-", () => context);
      context = await (await chromium()).launchPersistentContext(profile, { ...launchOptions, viewport: { width: 1200, height: 1000 } });
      const page = context.pages()[0] ?? (await context.newPage());
      const pageErrors = [];
      page.on("pageerror", (e) => pageErrors.push(String(e)));
      await page.goto(url);
      await page.waitForSelector('#priava-state[data-state="signed-out"]', { timeout: 20_000 });
      assert.equal(await page.textContent("#priava-state"), "signed out", "before sign-in: signed out");

      // Slow ZapEvent pages, so the progress bar can be seen between pages.
      await ctl.faults([{ path: "/event/getparticipants$", kind: "slow", delayMs: 700 }]);
      await page.click("#sign-in");
      await page.waitForURL(url, { timeout: 20_000 }); // /callback, then replaced by /
      const mid = await page.waitForFunction(() => {
        const bar = document.getElementById("zap-progress");
        return bar.hasAttribute("value") && bar.value > 0 && bar.value < bar.max && { value: bar.value, max: bar.max, text: document.getElementById("zap-count").textContent };
      }, null, { timeout: 20_000 }).then((h) => h.jsonValue());
      const want = fx.zapevent.participants.filter((p) => p.event_id === ZAP_EVENT).sort((a, b) => a.participant_id - b.participant_id);
      assert.equal(mid.max, want.length, "the bar's maximum is the event's participant count");
      assert.equal(mid.text, `${mid.value} of ${want.length} participants (page 1)`, "progress text after page 1");
      await page.waitForSelector('#zap-table[data-state="done"]', { timeout: 30_000 });
      await page.waitForSelector('#orc-table[data-state="done"]', { timeout: 30_000 });
      await ctl.clearFaults();

      assert.equal(await page.textContent("#priava-state"), "valid", "signed in: valid");
      assert.match(await page.textContent("#priava-me"), new RegExp(`^Signed in as ${fx.priava.user.name} \\(region EU\\); ${fx.priava.events.length} events\\.$`));
      const zapRows = await rowsOf(page, "zap-table");
      assert.deepEqual(zapRows, want.map((p) => [String(p.participant_id), p.first_name, p.last_name, p.email, String(Number(p.age)), p.checked_in === true || p.checked_in === "T" ? "yes" : "no"]), "ZapEvent table rows");
      assert.equal(await page.textContent("#zap-count"), `${want.length} of ${want.length} participants (page 3)`, "progress complete");
      const orcRows = await rowsOf(page, "orc-table");
      const attendees = fx.orc.attendees[ORC_MODULE];
      assert.deepEqual(orcRows, attendees.map((a) => [a.trackno, a.fname, a.lname, a.email, a.start_date, a.module_city]), "ORC table rows");
      assert.equal(await page.textContent("#orc-count"), `${attendees.length} attendees`);
      assert.equal(await page.textContent("#orc-state"), "valid");
      const c = await ctl.counters();
      assert.equal(grants(c, "authorization_code"), 1, "one code exchange at Priava");
      assert.deepEqual(pageErrors, [], "no uncaught page errors");
      assert.equal(await page.isHidden("#error"), true, "no error shown");
    });

    await check("dashboard: an access token expired at the simulator is refreshed silently (valid → refreshing → valid, 1 refresh grant); tokens kept in IndexedDB across a reload; errors in plain words; a non-blank screenshot; sign-out", async () => {
      assert.ok(context, "the sign-in check ran");
      const page = context.pages()[0];
      const before = await ctl.counters();
      const loaded = await page.getAttribute("#priava-me", "data-loaded");
      await ctl.advance(fx.priava.accessTokenTtl + 60); // the page's token is now dead at Priava
      try {
        await page.click("#reload");
        await page.waitForFunction((t) => document.getElementById("priava-me").dataset.loaded !== t, loaded, { timeout: 20_000 });
      } finally {
        await ctl.advance(-(fx.priava.accessTokenTtl + 60));
      }
      const after = await ctl.counters();
      assert.equal(grants(after, "refresh_token") - grants(before, "refresh_token"), 1, "exactly one refresh grant");
      assert.ok((after.api_by_provider?.priava?.unauthorized ?? 0) > (before.api_by_provider?.priava?.unauthorized ?? 0), "the expired token was refused once (the refresh followed a 401)");
      assert.equal(await page.textContent("#priava-history"), "valid → refreshing… → valid", "token history (since the page came back from Priava) shows the silent refresh");
      assert.equal(await page.textContent("#priava-state"), "valid");
      assert.equal(await page.isHidden("#error"), true, "no error shown for a silent refresh");

      // A reload finds the (rotated) tokens in IndexedDB: no second sign-in.
      await page.reload();
      await page.waitForSelector('#zap-table[data-state="done"]', { timeout: 30_000 });
      assert.equal(await page.textContent("#priava-state"), "valid", "still signed in after a reload");
      assert.equal(grants(await ctl.counters(), "authorization_code"), grants(after, "authorization_code"), "no new code exchange");

      await mkdir(join(root, "target", "artifacts"), { recursive: true });
      const shot = join(root, "target", "artifacts", "dashboard.png");
      await page.screenshot({ path: shot, fullPage: true });
      const stats = pngStats(await readFile(shot));
      console.log(`[examples] screenshot ${shot}: ${stats.width}×${stats.height}, ${stats.distinctColors} colours, luma σ ${stats.lumaStdDev.toFixed(1)}`);
      assert.ok(stats.distinctColors >= 50 && stats.lumaStdDev >= 10, `the screenshot is not blank: ${JSON.stringify(stats)}`);

      // Priava unreachable: the reload says so in plain words.
      await ctl.faults([{ path: "^/priava/api/", kind: "drop" }]);
      try {
        await page.click("#reload");
        await page.waitForSelector("#error:not([hidden])", { timeout: 20_000 });
      } finally {
        await ctl.clearFaults();
      }
      assert.equal(await page.textContent("#error"), "Priava: The server could not be reached. Check the connection and try again.");

      // Signing out deletes the tokens from IndexedDB: after the reload it does, signed out.
      await page.click("#sign-out");
      await page.waitForSelector('#priava-state[data-state="signed-out"]', { timeout: 20_000 });
      assert.equal(await page.isVisible("#sign-in"), true, "the sign-in button is back");
      assert.equal(await page.isHidden("#zap"), true, "no data shown when signed out");
    });
  } finally {
    await context?.close().catch(() => {});
    if (profile) await rm(profile, { recursive: true, force: true }).catch(() => {});
    await server?.stop();
  }
}
