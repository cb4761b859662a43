// 4. Rosters as JSON, bytes → typed records, the simulator's two 10,000-record rosters:
//      orc        Online Registration Center module 4103, one ~2.7 MB body {"attendees":[...]},
//                 OnlineRegistrationCenter.roster(session, { moduleId }) through a TokenSession
//                 over OAuth2Client.onlineRegistrationCenter (signed in once, token valid)
//      oneroster  OneRoster 1.1 users as 20 pages of 500 ({"users":[...]}, X-Total-Count, Link),
//                 OneRoster.direct(...).list("users", { resultsPerPage: 500 }).toArray()
//                 (two-legged OAuth 1.0a HMAC-SHA256 signing per page)
//    The bodies are built by the simulator's own fixtures and serialisation and checked byte for
//    byte against what the running simulator serves. oauth-edge parses them the way a user drives
//    it, over an in-memory fetch answering new Response(sameBytes); the named peer parses the same
//    bodies: TextDecoder + JSON.parse (untyped: the SDK's records are typed and normalised, ORC's
//    module_id to a number and trxdate to ISO 8601)                     goal: <= 1.5x (aim 1.2x)
//    oauth-edge's time includes what a user's run pays besides parsing (the session's token check
//    or the OAuth 1.0a signature, new Response() and arrayBuffer()). Two parts of it are also timed
//    alone: "transport only" (the same fetch + arrayBuffer, no parsing: subtract it for parsing
//    alone) and "hand-off, JS side", the decode + JSON.parse the SDK's glue does of the records its
//    wasm hands over as JSON text (here: JSON.stringify of the SDK's own output, per page).
import { OAuth2Client, OneRoster, OnlineRegistrationCenter, TokenSession, memoryStore } from "../../pkg/entry/node.js";
import { fixtures } from "../../tests/simulator/fixtures.mjs";
import { rosterData } from "../../tests/simulator/oneroster/data.mjs";
import { linkHeader, parsePaging } from "../../tests/simulator/oneroster/query.mjs";
import { startSimulator } from "../../tests/simulator/server.mjs";
import { MB, RUNS, WARMUP, interleaved, printer } from "./measure.mjs";
import { ratio as timeRatio, reporter } from "./report.mjs";

const TOTAL = 10_000;
const GOAL = { max: 1.5, aim: 1.2 };
const BENCH_ORIGIN = "https://bench.invalid";
const decoder = new TextDecoder();
const encoder = new TextEncoder();

// ---- ORC module 4103: the body /orc/roster/ writes (tests/simulator/orc.mjs, rosterBody) -----------

const orcFx = fixtures.orc;
const MODULE_ID = orcFx.largeModule.moduleId; // 4103
const attendees = orcFx.attendees[MODULE_ID];
const orcBody = new Uint8Array(Buffer.from(JSON.stringify({ attendees }), "utf8"));
const orcLast = { email: attendees.at(-1).email, trackno: attendees.at(-1).trackno };

/** The fetch every ORC run uses: POST …/roster/ answered with the same bytes. */
const orcFetch = async (url, init) => {
  if (!String(url).endsWith("/roster/") || init?.method !== "POST") throw new Error(`[bench] orc: unexpected ${init?.method} ${url}`);
  return new Response(orcBody, { headers: { "content-type": "application/json" } });
};

/** A TokenSession over the ORC client, signed in once with a token valid for a day. */
async function orcSession({ baseUrl, fetch, tokens }) {
  const client = OAuth2Client.onlineRegistrationCenter({ baseUrl, clientId: orcFx.clientId, clientSecret: orcFx.clientSecret, fetch });
  const session = new TokenSession(client, { store: memoryStore() });
  await session.signIn({ accessToken: tokens.access_token, refreshToken: tokens.refresh_token, tokenType: "Bearer", expiresAt: Date.now() + 86400e3, scope: null });
  return session;
}

// ---- OneRoster 1.1 users: what serve() writes for GET …/v1p1/users (tests/simulator/oneroster/index.mjs) --

const orFx = fixtures.oneroster;
const orData = rosterData(orFx);
const userRows = orData.lists.users;
const orLast = { sourcedId: userRows.at(-1).rec.sourcedId, email: userRows.at(-1).rec.email };
const orCredentials = { clientId: orFx.consumerKey, clientSecret: orFx.consumerSecret };

/** The page `url` asks for, as the simulator serves it (default paging: X-Total-Count and Link). */
function servedUsersPage(url) {
  const u = new URL(url);
  const r = { query: [...u.searchParams], origin: u.origin, path: u.pathname };
  const { limit, offset } = parsePaging(r.query);
  const total = userRows.length;
  const headers = { "Content-Type": "application/json; charset=utf-8", "X-Total-Count": String(total), Link: linkHeader(r, { limit, offset, total }) };
  const body = `{"users":[${userRows.slice(offset, offset + limit).map((row) => orData.json(row, "v1p1")).join(",")}]}`;
  return { headers, body: encoder.encode(body) };
}

/** url → page, filled by the recording run; every measured run answers from it. */
const usersPages = new Map();
const usersFetch = async (url) => {
  const p = usersPages.get(String(url));
  if (!p) throw new Error(`[bench] oneroster: the SDK asked for a page the bench has not built: ${url}`);
  return new Response(p.body, { headers: p.headers });
};
const oneRoster = (baseUrl, fetch) => OneRoster.direct({ baseUrl, ...orCredentials, fetch });
const listUsers = (client) => client.list("users", { resultsPerPage: 500 }).toArray();

// ---- byte equality with the running simulator ----------------------------------------------------

async function checkAgainstSimulator(usersBodies) {
  const sim = await startSimulator({ port: 0 });
  try {
    const recorder = (served) => async (url, init) => {
      const res = await fetch(url, init);
      served.push({ headers: res.headers, body: new Uint8Array(await res.clone().arrayBuffer()) });
      return res;
    };
    const same = (a, b) => Buffer.from(a).equals(Buffer.from(b));

    const orcServed = [];
    const session = await orcSession({ baseUrl: `${sim.url}/orc`, fetch: recorder(orcServed), tokens: sim.state.orcIssue() });
    const orcRecords = await OnlineRegistrationCenter.roster(session, { moduleId: MODULE_ID });
    if (orcServed.length !== 1 || !same(orcServed[0].body, orcBody) || orcRecords.length !== TOTAL) {
      throw new Error(`[bench] orc: the simulator served ${orcServed.length} bodies, ${orcRecords.length} records, not the bench's body`);
    }

    const orServed = [];
    const orRecords = await listUsers(oneRoster(`${sim.url}/oneroster`, recorder(orServed)));
    const sameUsers = orServed.length === usersBodies.length && orServed.every((s, i) => same(s.body, usersBodies[i].body) &&
      s.headers.get("x-total-count") === usersBodies[i].headers["X-Total-Count"] &&
      s.headers.get("link").replaceAll(sim.url, BENCH_ORIGIN) === usersBodies[i].headers.Link);
    if (!sameUsers || orRecords.length !== TOTAL) {
      throw new Error(`[bench] oneroster: the simulator served ${orServed.length} pages, ${orRecords.length} records, not the bench's pages`);
    }
  } finally {
    await sim.close();
  }
}

// ---- the contenders ------------------------------------------------------------------------------

const concat = (parsePage, inputs) => {
  const out = [];
  for (const input of inputs) for (const record of parsePage(input)) out.push(record);
  return out;
};
const transportOf = (fetchFn, calls) => async () => {
  let bytes = 0;
  for (const [url, init] of calls) bytes += (await (await fetchFn(url, init)).arrayBuffer()).byteLength;
  return bytes;
};

/** The four runs of ORC; each returns what it produced, for checking. */
async function orcContenders() {
  const calls = [];
  const session = await orcSession({ baseUrl: `${BENCH_ORIGIN}/orc`, fetch: (url, init) => (calls.push([url, init]), orcFetch(url, init)),
    tokens: { access_token: "bench-orc-access-token", refresh_token: "bench-orc-refresh-token" } });
  const first = await OnlineRegistrationCenter.roster(session, { moduleId: MODULE_ID });
  const recorded = calls.splice(0);
  if (recorded.length !== 1) throw new Error(`[bench] orc: the roster took ${recorded.length} requests, want 1`);
  const handOff = [encoder.encode(JSON.stringify(first))];
  return {
    bodies: [{ body: orcBody }],
    handOff,
    runs: {
      sdk: () => OnlineRegistrationCenter.roster(session, { moduleId: MODULE_ID }),
      peer: async () => JSON.parse(decoder.decode(orcBody)).attendees,
      transport: transportOf(orcFetch, recorded),
      handOff: async () => concat((text) => JSON.parse(decoder.decode(text)), handOff),
    },
    check: (name, records) => {
      const last = records.at(-1);
      if (records.length !== TOTAL || last?.email !== orcLast.email || last?.trackno !== orcLast.trackno) {
        throw new Error(`[bench] orc ${name}: ${records.length} records ending at ${last?.trackno} ${last?.email}, want ${TOTAL} ending at ${orcLast.trackno} ${orcLast.email}`);
      }
    },
  };
}

/** The four runs of OneRoster users; the recording run builds the pages the SDK asks for. */
async function oneRosterContenders() {
  const urls = [];
  const building = async (url) => {
    urls.push(String(url));
    if (!usersPages.has(String(url))) usersPages.set(String(url), servedUsersPage(String(url)));
    return usersFetch(url);
  };
  const handOff = [];
  for await (const page of oneRoster(`${BENCH_ORIGIN}/oneroster`, building).list("users", { resultsPerPage: 500 }).pages()) {
    handOff.push(encoder.encode(JSON.stringify(page.items)));
  }
  const bodies = urls.map((url) => usersPages.get(url));
  const client = oneRoster(`${BENCH_ORIGIN}/oneroster`, usersFetch);
  return {
    bodies,
    handOff,
    runs: {
      sdk: () => listUsers(client),
      peer: async () => concat((bytes) => JSON.parse(decoder.decode(bytes)).users, bodies.map((p) => p.body)),
      transport: transportOf(usersFetch, urls.map((url) => [url])),
      handOff: async () => concat((text) => JSON.parse(decoder.decode(text)), handOff),
    },
    check: (name, records) => {
      const last = records.at(-1);
      if (records.length !== TOTAL || last?.sourcedId !== orLast.sourcedId || last?.email !== orLast.email) {
        throw new Error(`[bench] oneroster ${name}: ${records.length} records ending at ${last?.sourcedId} ${last?.email}, want ${TOTAL} ending at ${orLast.sourcedId} ${orLast.email}`);
      }
    },
  };
}

function measure({ runs, check, bodies }) {
  return interleaved({ runs, check, bodyBytes: bodies.reduce((n, p) => n + p.body.length, 0) });
}

// ---- the run -------------------------------------------------------------------------------------

const orc = await orcContenders();
const or = await oneRosterContenders();
await checkAgainstSimulator(or.bodies);

const line = printer(TOTAL);
const report = reporter("rosters");
const PEER = "TextDecoder + JSON.parse";

console.log(`[bench] Rosters as JSON, ${TOTAL.toLocaleString("en-US")} records each, bodies byte-identical to the simulator's; ` +
  `median of ${RUNS} runs after ${WARMUP} warm-up, Node ${process.version}`);
console.log("[bench]   oauth-edge's time includes the token check or OAuth 1.0a signing, new Response() and arrayBuffer(): subtract \"transport only\" for parsing alone");
for (const [label, api, c] of [
  [`orc: module ${MODULE_ID} attendees`, "OnlineRegistrationCenter.roster()", orc],
  ["oneroster: 1.1 users, pages of 500", 'OneRoster.direct().list("users").toArray()', or],
]) {
  const r = await measure(c);
  const bodyBytes = c.bodies.reduce((n, p) => n + p.body.length, 0);
  const handOffBytes = c.handOff.reduce((n, t) => n + t.length, 0);
  const ratio = r.sdk / r.peer;
  const parseOnly = (r.sdk - r.transport) / r.peer;
  console.log(`[bench]   ${label}: ${c.bodies.length} ${c.bodies.length === 1 ? "body" : "bodies"}, ${MB(bodyBytes)}`);
  line(`oauth-edge ${api}`, r.sdk);
  line("  of which transport only (same fetch + arrayBuffer)", r.transport, false);
  line(`  of which hand-off, JS side (decode + JSON.parse, ${MB(handOffBytes)})`, r.handOff, false);
  line(PEER, r.peer);
  console.log(`[bench]     oauth-edge / ${PEER} = ${ratio.toFixed(2)} (${parseOnly.toFixed(2)} less transport); ` +
    `goal <= ${GOAL.max}: ${ratio <= GOAL.max ? "met" : "NOT met"} (aim ${GOAL.aim}: ${ratio <= GOAL.aim ? "met" : "not met"})`);
  report.row({
    what: `${label}, ${TOTAL.toLocaleString("en-US")} records in ${c.bodies.length} ${c.bodies.length === 1 ? "body" : "bodies"} (${MB(bodyBytes)}), ` +
      `bytes → typed records via \`${api}\`; median of ${RUNS}`,
    ours: `${r.sdk.toFixed(0)} ms (incl. ${r.transport.toFixed(0)} ms transport)`,
    peer: `${PEER} ${r.peer.toFixed(0)} ms`,
    ratio: `${timeRatio(r.sdk, r.peer)}; goal oauth-edge / peer <= ${GOAL.max}: ${ratio <= GOAL.max ? "met" : "NOT met"}`,
  });
}
