// 3. ZapEvent participants, bytes → records, in XML, JSON and CSV: the 10,000 participants of
//    event 1005 / activity 2006 as 40 pages of 250, the bodies built by the simulator's own
//    fixtures and serialisers (and checked byte for byte against what the running simulator
//    serves). oauth-edge parses them the way a user drives it, ZapEvent.oauth1(...) and
//    participants(...).toArray() over an in-memory fetch; each format has a named peer that
//    parses the same 40 bodies:
//      xml   fast-xml-parser, XMLParser with attributes on (untyped objects)     goal: faster
//      json  TextDecoder + JSON.parse (untyped: the SDK's records are typed and normalised,
//            dates to ISO, T/F to booleans, ids and money to numbers)           goal: <= 1.5x
//      csv   papaparse, header: true (+ skipEmptyLines for the final CRLF)       goal: faster
//    oauth-edge's time includes what a user's run pays besides parsing: PLAINTEXT signing,
//    new Response() and arrayBuffer() per page. "transport only" is timed alone (subtract it
//    for parsing alone), and for reference "the records as JSON text, decode + JSON.parse": what
//    the hand-off of XML and CSV pages cost while the wasm handed them over as JSON text (it
//    hands over a tape now, src/core/parse/typed/tape.rs); for JSON bodies, about what the
//    SDK's own JSON.parse of the body costs.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { ZapEvent } from "../../pkg/entry/node.js";
import { fixtures } from "../../tests/simulator/fixtures.mjs";
import { startSimulator } from "../../tests/simulator/server.mjs";
import { createData, PARTICIPANT_FIELDS } from "../../tests/simulator/zapevent/data.mjs";
import { pageOf } from "../../tests/simulator/zapevent/params.mjs";
import { sendList } from "../../tests/simulator/zapevent/wire.mjs";
import { MB, RUNS, WARMUP, interleaved, printer } from "./measure.mjs";
import { ratio as timeRatio, reporter } from "./report.mjs";

const testsDir = new URL("../../tests/", import.meta.url);
const require = createRequire(new URL("package.json", testsDir));
const { XMLParser } = require("fast-xml-parser");
const Papa = require("papaparse");
const versionOf = (name) => JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, testsDir), "utf8")).version;

const PER_PAGE = 250;
const FORMATS = ["xml", "json", "csv"];
const zap = fixtures.zapevent;
const { eventId, activityId, participants: TOTAL, lastRegistrationId } = zap.marathon; // 1005, 2006, 10,000
const credentials = {
  consumerKey: zap.consumerKey, consumerSecret: zap.consumerSecret,
  token: zap.accessToken.token, tokenSecret: zap.accessToken.tokenSecret, signatureMethod: "PLAINTEXT",
};
const query = (format) => ({ eventId, activityId, resultsPerPage: PER_PAGE, format });

// ---- the bodies: what the simulator's getparticipants writes (tests/simulator/zapevent/api.mjs) --

const rows = createData(zap).participantsSorted(eventId, "registration_id", false).filter((p) => p.activity_id === activityId);

/** Page `page` as {status, headers, body: Uint8Array}, page metadata in attributes and X-* headers (the default). */
function servedPage(format, page) {
  const out = {};
  const res = { writeHead: (status, headers) => Object.assign(out, { status, headers }), end: (buf) => (out.body = new Uint8Array(buf)) };
  const { meta, items } = pageOf(rows, { page, perPage: PER_PAGE });
  sendList(res, format, { root: "participants", item: "participant", columns: PARTICIPANT_FIELDS, meta, items });
  return out;
}

/** The fetch every run uses: page n of `pages` as a fresh Response. */
function pageFetch(pages) {
  return async (url) => {
    const page = Number(/[?&]page=(\d+)/.exec(url)?.[1]);
    const p = pages[page - 1];
    if (!p) throw new Error(`[bench] the SDK asked for page ${page} of ${pages.length}: ${url}`);
    return new Response(p.body, { status: p.status, headers: p.headers });
  };
}

/** The same run against the running simulator: every body must be byte-identical to ours. */
async function checkAgainstSimulator(bodies) {
  const sim = await startSimulator({ port: 0 });
  try {
    for (const format of FORMATS) {
      const served = [];
      const recording = async (url, init) => {
        const res = await fetch(url, init);
        served.push(new Uint8Array(await res.clone().arrayBuffer()));
        return res;
      };
      const client = ZapEvent.oauth1({ ...credentials, baseUrl: `${sim.url}/zapevent/api`, format, fetch: recording });
      const records = await client.participants(query(format)).toArray();
      const ours = bodies[format];
      const same = served.length === ours.length && served.every((b, i) => Buffer.from(b).equals(Buffer.from(ours[i].body)));
      if (!same || records.length !== TOTAL) {
        throw new Error(`[bench] ${format}: the simulator served ${served.length} pages, ${records.length} records, not the bench's bodies`);
      }
    }
  } finally {
    await sim.close();
  }
}

// ---- the contenders ------------------------------------------------------------------------------

const decoder = new TextDecoder();
const xmlParser = new XMLParser({ ignoreAttributes: false });
const PEERS = {
  xml: { name: `fast-xml-parser ${versionOf("fast-xml-parser")}`, goal: { max: 1, text: "< 1 (oauth-edge faster)" },
    parse: (bytes) => xmlParser.parse(decoder.decode(bytes)).participants.participant },
  json: { name: "TextDecoder + JSON.parse", goal: { max: 1.5, orEqual: true, text: "<= 1.5" },
    parse: (bytes) => JSON.parse(decoder.decode(bytes)).participants },
  csv: { name: `papaparse ${versionOf("papaparse")}`, goal: { max: 1, text: "< 1 (oauth-edge faster)" },
    parse: (bytes) => Papa.parse(decoder.decode(bytes), { header: true, skipEmptyLines: true }).data },
};

/** Every contender's output is checked after each run: all records, and the last is the last one. */
function checkRecords(name, records) {
  const last = records.at(-1)?.registration_id;
  if (records.length !== TOTAL || String(last) !== String(lastRegistrationId)) {
    throw new Error(`[bench] ${name}: ${records.length} records ending at registration_id ${last}, want ${TOTAL} ending at ${lastRegistrationId}`);
  }
}

/** The four runs of one format; each returns what it produced, for checking. */
async function contenders(format, pages) {
  const fetchPage = pageFetch(pages);
  const client = (fetch) => ZapEvent.oauth1({ ...credentials, baseUrl: "https://bench.invalid/zapevent/api", format, fetch });
  // One run first, to record the URLs the SDK asks for and its records page by page as JSON
  // text (the reference row above).
  const urls = [];
  const handOff = [];
  for await (const page of client((url) => (urls.push(url), fetchPage(url))).participants(query(format)).pages()) {
    handOff.push(new TextEncoder().encode(JSON.stringify(page.items)));
  }
  const sdk = client(fetchPage);
  const peer = PEERS[format];
  const concat = (parsePage, inputs) => {
    const out = [];
    for (const input of inputs) for (const record of parsePage(input)) out.push(record);
    return out;
  };
  return {
    handOffBytes: handOff.reduce((n, t) => n + t.length, 0),
    runs: {
      sdk: () => sdk.participants(query(format)).toArray(),
      peer: async () => concat(peer.parse, pages.map((p) => p.body)),
      transport: async () => {
        let bytes = 0;
        for (const url of urls) bytes += (await (await fetchPage(url)).arrayBuffer()).byteLength;
        return bytes;
      },
      handOff: async () => concat((text) => JSON.parse(decoder.decode(text)), handOff),
    },
  };
}

async function measure(format, pages) {
  const { runs, handOffBytes } = await contenders(format, pages);
  const bodyBytes = pages.reduce((n, p) => n + p.body.length, 0);
  const medians = await interleaved({ runs, bodyBytes, check: (name, out) => checkRecords(`${format} ${name}`, out) });
  return { bodyBytes, handOffBytes, ...medians };
}

// ---- the run -------------------------------------------------------------------------------------

const bodies = Object.fromEntries(FORMATS.map((f) => [f, Array.from({ length: Math.ceil(TOTAL / PER_PAGE) }, (_, i) => servedPage(f, i + 1))]));
await checkAgainstSimulator(bodies);

const line = printer(TOTAL);
const report = reporter("zapevent");

console.log(`[bench] ZapEvent participants, event ${eventId} / activity ${activityId}: ${TOTAL.toLocaleString("en-US")} records in ` +
  `${bodies.json.length} pages of ${PER_PAGE}, bodies byte-identical to the simulator's; median of ${RUNS} runs after ${WARMUP} warm-up, Node ${process.version}`);
console.log("[bench]   oauth-edge's time includes PLAINTEXT signing, new Response() and arrayBuffer() per page: subtract \"transport only\" for parsing alone");
for (const format of FORMATS) {
  const r = await measure(format, bodies[format]);
  const peer = PEERS[format];
  const ratio = r.sdk / r.peer;
  const parseOnly = (r.sdk - r.transport) / r.peer;
  const met = peer.goal.orEqual ? ratio <= peer.goal.max : ratio < peer.goal.max;
  console.log(`[bench]   ${format}: ${bodies[format].length} bodies, ${MB(r.bodyBytes)}`);
  line("oauth-edge ZapEvent.participants().toArray()", r.sdk);
  line("  of which transport only (same fetch + arrayBuffer)", r.transport, false);
  line(`  for reference: the records as JSON text, decode + JSON.parse (${MB(r.handOffBytes)})`, r.handOff, false);
  line(peer.name, r.peer);
  console.log(`[bench]     oauth-edge / ${peer.name} = ${ratio.toFixed(2)} (${parseOnly.toFixed(2)} less transport); ` +
    `goal ${peer.goal.text}: ${met ? "met" : "NOT met"}`);
  report.row({
    what: `ZapEvent \`participants().toArray()\`, ${format.toUpperCase()}: ${TOTAL.toLocaleString("en-US")} records in ${bodies[format].length} pages (${MB(r.bodyBytes)}), ` +
      `bytes → typed records; median of ${RUNS}`,
    ours: `${r.sdk.toFixed(0)} ms (incl. ${r.transport.toFixed(0)} ms transport)`,
    peer: `${peer.name} ${r.peer.toFixed(0)} ms`,
    ratio: `${timeRatio(r.sdk, r.peer)}; goal oauth-edge / peer ${peer.goal.text}: ${met ? "met" : "NOT met"}`,
  });
}
