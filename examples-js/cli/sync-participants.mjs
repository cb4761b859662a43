#!/usr/bin/env node
// Incremental, resumable sync of a ZapEvent event's participants to a JSON Lines (or CSV) file.
//
//   export ZAPEVENT_CONSUMER_KEY=… ZAPEVENT_CONSUMER_SECRET=… ZAPEVENT_TOKEN=… ZAPEVENT_TOKEN_SECRET=…
//   node sync-participants.mjs --base-url https://www.zapevent.com/api --event 1001 --out participants.jsonl
//   node sync-participants.mjs … --format csv --out participants.csv      # CSV instead
//
// How it stays incremental and resumable: participants are read in `participant_id` order and
// appended page by page. After each page is on disk (fsync) the state file (`<out>.state.json`)
// records the last participant id, the run's cursor and the output's length. So:
//   - the next run asks only for participants after the last id (`afterParticipantId`);
//   - a run that was interrupted (Ctrl-C, a crash, a network failure) resumes from its cursor;
//     anything written after the last saved state is cut off and fetched again, so the file
//     never holds a duplicate or a half record.
// Exit status: 0 done, 1 failed (run again to resume), 2 bad usage, 130 interrupted.
import { open, readFile, rm, stat, truncate } from "node:fs/promises";
import { OAuthEdgeError, ZapEvent } from "oauth-edge";
import { csvLine, fail, interruptSignal, jsonLine, options, progress, required, writeJsonAtomic } from "./common.mjs";

const opts = options("usage: node sync-participants.mjs --event ID --out FILE [options]", {
  "base-url": { env: "ZAPEVENT_BASE_URL", default: "https://zapevent.invalid/api", help: "ZapEvent API base URL (the real one: https://www.zapevent.com/api)" },
  auth: { env: "ZAPEVENT_AUTH", choices: ["oauth1", "login"], help: "oauth1 (consumer key + access token) or login (username + password); default: oauth1 when a token is given" },
  "consumer-key": { env: "ZAPEVENT_CONSUMER_KEY", help: "OAuth 1.0a consumer key" },
  "consumer-secret": { env: "ZAPEVENT_CONSUMER_SECRET", help: "OAuth 1.0a consumer secret" },
  token: { env: "ZAPEVENT_TOKEN", help: "OAuth 1.0a access token" },
  "token-secret": { env: "ZAPEVENT_TOKEN_SECRET", help: "OAuth 1.0a access token secret" },
  username: { env: "ZAPEVENT_USERNAME", help: "account username (--auth login)" },
  password: { env: "ZAPEVENT_PASSWORD", help: "account password (--auth login; prefer the environment variable)" },
  event: { type: "integer", env: "ZAPEVENT_EVENT_ID", help: "event id" },
  activity: { type: "integer", help: "only this activity of the event" },
  out: { help: "output file (appended to)" },
  format: { choices: ["jsonl", "csv"], default: "jsonl", help: "output format" },
  state: { help: "state file (default <out>.state.json)" },
  "page-size": { type: "integer", default: 250, help: "records per request (ZapEvent allows up to 250)" },
  limit: { type: "integer", help: "fetch at most this many participants in this run" },
  wire: { choices: ["json", "xml", "csv"], default: "json", help: "response format asked of ZapEvent (same records either way)" },
  restart: { type: "boolean", help: "forget the state and the output, sync everything again" },
});
required(opts, ["event", "out"]);
const statePath = opts.state ?? `${opts.out}.state.json`;
const auth = opts.auth ?? (opts.token ? "oauth1" : "login");
if (auth === "oauth1") required(opts, ["consumer-key", "consumer-secret", "token", "token-secret"]);
else required(opts, ["username", "password"]);

/** Columns of the CSV output: the documented participant fields, then any other the first page has. */
const KNOWN = ["registration_id", "participant_id", "event_id", "activity_id", "first_name", "last_name", "email", "gender", "age",
  "registration_date", "amount_paid", "payment_status", "checked_in"];

const size = async (path) => (await stat(path).catch(() => null))?.size ?? 0;

if (opts.restart) {
  await rm(statePath, { force: true });
  await rm(opts.out, { force: true });
}
let state = JSON.parse(await readFile(statePath, "utf8").catch(() => "null"));
if (state) {
  for (const [key, value] of [["eventId", opts.event], ["activityId", opts.activity ?? null], ["format", opts.format]]) {
    if (state[key] !== value) fail(`${statePath} belongs to a sync with ${key} ${JSON.stringify(state[key])}, not ${JSON.stringify(value)}: use another --state (and --out), or --restart`, 2);
  }
  const onDisk = await size(opts.out);
  if (onDisk < state.bytes) fail(`${opts.out} is shorter (${onDisk} bytes) than ${statePath} says (${state.bytes}): it was changed; use --restart`, 1);
  // Written after the last saved state (a crash between the append and the state write): cut off,
  // those records come again.
  if (onDisk > state.bytes) await truncate(opts.out, state.bytes);
} else {
  if ((await size(opts.out)) > 0) fail(`${opts.out} exists but ${statePath} does not: remove the file or pass --restart`, 2);
  state = { version: 1, eventId: opts.event, activityId: opts.activity ?? null, format: opts.format, columns: null,
    lastParticipantId: null, records: 0, bytes: 0, run: null, completedRuns: 0, updatedAt: null };
}

// One run: either the interrupted one, continued from its cursor with its own options, or a new
// one asking for everything after the last participant id stored.
const resuming = Boolean(state.run);
state.run ??= { afterParticipantId: state.lastParticipantId, pageSize: opts["page-size"], wire: opts.wire, limit: opts.limit ?? null, cursor: null, fetched: 0 };
const run = state.run;

const zap = auth === "oauth1"
  ? ZapEvent.oauth1({ baseUrl: opts["base-url"], consumerKey: opts["consumer-key"], consumerSecret: opts["consumer-secret"], token: opts.token, tokenSecret: opts["token-secret"] })
  : await ZapEvent.login({ baseUrl: opts["base-url"], username: opts.username, password: opts.password }).catch(report);

const bar = progress();
const signal = interruptSignal();
const list = zap.participants({
  eventId: opts.event,
  ...(opts.activity !== undefined ? { activityId: opts.activity } : {}),
  sort: "participant_id ASC",
  ...(run.afterParticipantId !== null ? { afterParticipantId: run.afterParticipantId } : {}),
  resultsPerPage: run.pageSize,
  format: run.wire,
  ...(run.limit !== null ? { maxItems: run.limit } : {}),
  ...(run.cursor ? { cursor: run.cursor } : {}),
  signal,
  onProgress: ({ fetched, total }) => bar.update({ label: "participants", done: fetched, total }),
});

const out = await open(opts.out, "a");
let added = 0;
try {
  if (resuming) bar.end(`resuming the interrupted run (${run.fetched} of it already saved)`);
  for await (const page of list.pages()) {
    // participant_id order: everything new is above the last id kept (a guard, should a server repeat one).
    const fresh = page.items.filter((p) => state.lastParticipantId === null || p.participant_id > state.lastParticipantId);
    let text = "";
    if (opts.format === "csv") {
      if (!state.columns) {
        const extra = [...new Set(page.items.flatMap((p) => Object.keys(p)))].filter((k) => !KNOWN.includes(k));
        state.columns = [...KNOWN, ...extra];
      }
      if (state.bytes === 0) text += csvLine(state.columns);
      for (const p of fresh) text += csvLine(state.columns.map((c) => p[c]));
    } else {
      for (const p of fresh) text += jsonLine(p);
    }
    if (text) {
      await out.write(text);
      await out.sync();
    }
    state.bytes += Buffer.byteLength(text);
    state.records += fresh.length;
    for (const p of fresh) state.lastParticipantId = Math.max(state.lastParticipantId ?? 0, p.participant_id);
    run.cursor = page.cursor;
    run.fetched = page.fetched;
    state.updatedAt = new Date().toISOString();
    await writeJsonAtomic(statePath, state);
    added += fresh.length;
  }
  state.run = null;
  state.completedRuns += 1;
  state.updatedAt = new Date().toISOString();
  await writeJsonAtomic(statePath, state);
  bar.end();
  console.log(`${added} new participant(s) of event ${opts.event}${opts.activity !== undefined ? ` activity ${opts.activity}` : ""}; ${state.records} in ${opts.out}; last participant_id ${state.lastParticipantId ?? "none"}`);
} catch (e) {
  bar.end();
  if (e instanceof OAuthEdgeError && e.code === "ABORTED") {
    console.error(`interrupted: ${added} participant(s) saved in this run, ${state.records} in ${opts.out}; run the same command again to resume`);
    process.exitCode = 130;
  } else report(e, `${state.records} participant(s) are saved in ${opts.out}; run the same command again to resume`);
} finally {
  await out.close();
}

function report(e, hint) {
  const what = e instanceof OAuthEdgeError
    ? `${e.code}${e.status ? ` (HTTP ${e.status})` : ""}: ${e.message}${e.providerDescription ? ` — ${e.providerDescription}` : ""}`
    : String(e?.stack ?? e);
  fail(hint ? `${what}\n${hint}` : what, 1);
}
