#!/usr/bin/env node
// A OneRoster export: users, classes and enrollments (or any collections) to JSON Lines files,
// through OneRoster 1.1 on the district's server (two-legged OAuth 1.0a, HMAC-SHA256) or
// OneRoster 1.2 (an OAuth 2 client-credentials token, fetched and renewed by the SDK).
//
//   export ONEROSTER_CLIENT_ID=… ONEROSTER_CLIENT_SECRET=…
//   node export-oneroster.mjs --base-url https://sis.example.org --out-dir export/               # 1.1
//   node export-oneroster.mjs --mode v1p2 --base-url https://sis.example.org \
//        --token-url https://sis.example.org/oauth/token --out-dir export/                       # 1.2
//
// Each collection is written to `<collection>.jsonl.tmp` and renamed when complete, so a file
// that exists is a whole collection; `manifest.json` lists what was exported, with counts.
// Exit status: 0 done, 1 failed, 2 bad usage, 130 interrupted.
import { mkdir, open, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { OAuthEdgeError, OneRoster } from "oauth-edge";
import { fail, interruptSignal, jsonLine, options, progress, required, writeJsonAtomic } from "./common.mjs";

const COLLECTIONS = ["orgs", "schools", "academicSessions", "terms", "gradingPeriods", "courses", "classes", "users", "students", "teachers", "enrollments", "demographics"];

const opts = options("usage: node export-oneroster.mjs --base-url URL --out-dir DIR [options]", {
  "base-url": { env: "ONEROSTER_BASE_URL", default: "https://oneroster.invalid", help: "the server's OneRoster URL (…/ims/oneroster/… is appended when missing)" },
  mode: { env: "ONEROSTER_MODE", choices: ["direct", "v1p2"], default: "direct", help: "direct: OneRoster 1.1 + OAuth 1.0a; v1p2: OneRoster 1.2 + OAuth 2 client credentials" },
  "client-id": { env: "ONEROSTER_CLIENT_ID", help: "client id (1.1: the OAuth 1.0a consumer key)" },
  "client-secret": { env: "ONEROSTER_CLIENT_SECRET", help: "client secret (prefer the environment variable)" },
  "token-url": { env: "ONEROSTER_TOKEN_URL", help: "token endpoint (v1p2)" },
  scope: { env: "ONEROSTER_SCOPE", help: "space-separated scope URIs (v1p2; default roster-core.readonly)" },
  "signature-method": { choices: ["HMAC-SHA256", "HMAC-SHA1"], default: "HMAC-SHA256", help: "OAuth 1.0a signature method (direct)" },
  "out-dir": { default: "oneroster-export", help: "directory for <collection>.jsonl and manifest.json" },
  collections: { default: "users,classes,enrollments", help: `comma-separated, any of ${COLLECTIONS.join(", ")}` },
  "page-size": { type: "integer", default: 500, help: "records per request" },
});
required(opts, ["client-id", "client-secret"]);
if (opts.mode === "v1p2") required(opts, ["token-url"]);
const collections = opts.collections.split(",").map((c) => c.trim()).filter(Boolean);
const unknown = collections.filter((c) => !COLLECTIONS.includes(c));
if (unknown.length || !collections.length) fail(`unknown collection(s) ${unknown.join(", ")}; choose from ${COLLECTIONS.join(", ")}`, 2);

let roster;
try {
  roster = opts.mode === "direct"
    ? OneRoster.direct({ baseUrl: opts["base-url"], clientId: opts["client-id"], clientSecret: opts["client-secret"], signatureMethod: opts["signature-method"] })
    : OneRoster.v1p2({ baseUrl: opts["base-url"], tokenUrl: opts["token-url"], clientId: opts["client-id"], clientSecret: opts["client-secret"], ...(opts.scope ? { scope: opts.scope.split(/\s+/).filter(Boolean) } : {}) });
} catch (e) {
  report(e);
}

const signal = interruptSignal();
const bar = progress();
await mkdir(opts["out-dir"], { recursive: true });
const manifest = { mode: opts.mode, baseUrl: opts["base-url"], startedAt: new Date().toISOString(), finishedAt: null, collections: {} };
for (const collection of collections) {
  const file = join(opts["out-dir"], `${collection}.jsonl`);
  const tmp = `${file}.tmp`;
  const out = await open(tmp, "w");
  let count = 0;
  try {
    const list = roster.list(collection, { resultsPerPage: opts["page-size"], signal, onProgress: ({ fetched, total }) => bar.update({ label: collection, done: fetched, total }) });
    for await (const page of list.pages()) {
      if (page.items.length) await out.write(page.items.map(jsonLine).join(""));
      count += page.items.length;
    }
    await out.sync();
  } catch (e) {
    await out.close();
    await rm(tmp, { force: true });
    bar.end();
    if (e instanceof OAuthEdgeError && e.code === "ABORTED") fail(`interrupted during ${collection}; the collections before it are complete in ${opts["out-dir"]}`, 130);
    report(e, `while exporting ${collection}`);
  }
  await out.close();
  await rename(tmp, file);
  bar.end(`${collection}: ${count} record(s) → ${file}`);
  manifest.collections[collection] = { file: `${collection}.jsonl`, records: count };
}
manifest.finishedAt = new Date().toISOString();
await writeJsonAtomic(join(opts["out-dir"], "manifest.json"), manifest);
console.log(`exported ${collections.map((c) => `${manifest.collections[c].records} ${c}`).join(", ")} to ${opts["out-dir"]}`);

function report(e, where) {
  const what = e instanceof OAuthEdgeError
    ? `${e.code}${e.status ? ` (HTTP ${e.status})` : ""}: ${e.message}${e.providerDescription ? ` — ${e.providerDescription}` : ""}`
    : String(e?.stack ?? e);
  fail(where ? `${what} (${where})` : what, 1);
}
