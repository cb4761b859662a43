// Launching Debian's Chromium through playwright-core, for the Chromium driver (chromium.mjs).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/** playwright-core from tests/node_modules (never downloads a browser). */
export async function chromium() {
  return (await import(new URL("../../node_modules/playwright-core/index.mjs", import.meta.url).href)).chromium;
}

/**
 * launchPersistentContext options. Without the background-networking flags Chromium keeps
 * trying to reach the internet, which this machine refuses.
 */
export const launchOptions = {
  executablePath,
  headless: true,
  timeout: 30_000,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
};

/**
 * A fresh profile directory, removed again (with the context from `getContext`) when run.mjs
 * stops an overrunning driver with SIGTERM.
 */
export async function tempProfile(prefix, getContext) {
  const profile = await mkdtemp(join(tmpdir(), prefix));
  process.once("SIGTERM", async () => {
    await getContext()?.close().catch(() => {});
    await rm(profile, { recursive: true, force: true }).catch(() => {});
    process.exit(143);
  });
  return profile;
}
