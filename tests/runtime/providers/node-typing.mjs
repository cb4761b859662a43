// JSON records are typed on the host (src/js/records.js: fast paths for the forms providers
// write, the core's writer for anything else); XML records are typed by the core's writer
// alone. These cases feed the same generated field values through both, one value per request,
// and require the same record or the same refusal (PARSE naming the field): the JS fast paths
// may never decide differently from the core. Then all accepted values in one body of more than
// 64 KB (many records sharing one key shape: the per-shape typing plans). Values that
// only JSON can carry (numbers, booleans, null) are checked against the rules as documented.
import { assertRecords } from "./node-kit.mjs";

const BASE = "https://zapevent.typing.invalid/api/rest";

/** Seeded generator (mulberry32): the same values on every run and in every runtime. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n, w) => String(n).padStart(w, "0");

/** Values for each typed participant field: canonical forms, their edges and near misses. */
function values() {
  const r = random(20261202);
  const pick = (list) => list[Math.floor(r() * list.length)];
  const int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
  const dates = ["02-29-2024", "02-29-2023", "2024-02-29", "2023-02-29", "2000-02-29", "1900-02-29", "12-31-1999", "13-01-2020",
    "00-10-2020", "01/05/2025", "01-05/2025", "2025/09/13", "2025-09-13 12:43:26", "2025-09-13T23:59:60", "2025-09-13 24:00:00",
    "2025-09-13 12:43", "2025-09-13T12:43:26Z", "05-06-2025 09:30", "05-06-2025 9:30", " 2025-01-02", "2025-1-02", "", "  ", "x"];
  for (let i = 0; i < 150; i++) {
    const [y, m, d] = [int(1895, 2105), int(0, 13), int(0, 32)];
    const [h, mi, s] = [int(0, 25), int(0, 61), int(0, 61)];
    dates.push(pick([
      `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`,
      `${pad(m, 2)}-${pad(d, 2)}-${pad(y, 4)}`,
      `${pad(m, 2)}/${pad(d, 2)}/${pad(y, 4)}`,
      `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)} ${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}`,
      `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}`,
      `${pad(m, 2)}-${pad(d, 2)}-${pad(y, 4)} ${pad(h, 2)}:${pad(mi, 2)}`,
    ]));
  }
  const integers = ["7", "-0", "0", "007", "+5", " 12 ", "-12", "123456789012345", "1234567890123456", "1.0", "1e3", "", "x", "0x10", "--1"];
  for (let i = 0; i < 60; i++) integers.push(pick(["", "-", "+"]) + String(int(0, 10 ** int(1, 16))));
  const money = ["45.00", "$1,234.50", "-0.50", ".5", "1.", "1e5", "007.10", "1.1234567", "12,5", "", "$", "0"];
  for (let i = 0; i < 60; i++) money.push(`${pick(["", "-", "$"])}${int(0, 10 ** int(1, 16))}${pick(["", `.${pad(int(0, 99), 2)}`, `.${int(0, 9999999)}`])}`);
  const booleans = ["T", "F", "true", "false", "TRUE", "False", "t", "f", "1", "0", "y", "N", "yes", "no", "", "maybe", " T "];
  return { registration_date: dates, age: integers, fee: money, paid: booleans };
}

const xmlText = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
const xmlBody = (records) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<participants>${records
    .map((rec) => `<participant>${Object.entries(rec).map(([k, v]) => `<${k}>${xmlText(String(v))}</${k}>`).join("")}</participant>`)
    .join("")}</participants>`;

/** A ZapEvent client whose fetch answers every participants page with `body(format)` once, then an empty page. */
function clientServing(pkg, bodies) {
  const fetchFn = async (input) => {
    const url = new URL(String(input));
    const format = url.searchParams.get("format");
    const page = Number(url.searchParams.get("page") ?? 1);
    const text = page === 1 ? bodies[format] : format === "json" ? `{"participants":[]}` : "<participants></participants>";
    return new Response(text, { headers: { "content-type": format === "json" ? "application/json" : "text/xml" } });
  };
  return pkg.ZapEvent.oauth1({ consumerKey: "ck", consumerSecret: "cs", token: "t", tokenSecret: "ts", baseUrl: BASE, fetch: fetchFn });
}

async function outcomeOf(pkg, records, format) {
  const zap = clientServing(pkg, { json: JSON.stringify({ participants: records }), xml: xmlBody(records) });
  try {
    return { records: await zap.participants({ eventId: 1, format, resultsPerPage: 250 }).toArray() };
  } catch (e) {
    return { code: e.code, message: e.message };
  }
}

export const typingCases = [
  {
    name: "JSON records typed on the host equal the core's typing of the same values (XML), value by value: dates, integers, money, booleans, accepted or refused alike",
    async run(ctx) {
      const { assert, pkg } = ctx;
      let accepted = 0;
      let refused = 0;
      const keep = [];
      for (const [field, list] of Object.entries(values())) {
        for (const value of list) {
          const record = { participant_id: "1", [field]: value };
          const [json, xml] = [await outcomeOf(pkg, [record], "json"), await outcomeOf(pkg, [record], "xml")];
          const where = `${field} = ${JSON.stringify(value)}`;
          if (xml.code) {
            refused++;
            assert.equal(json.code, xml.code, `${where}: the core refuses it (${xml.message}); JSON gave ${JSON.stringify(json)}`);
            assert.match(json.message, new RegExp(`'${field}'`), `${where}: the refusal names the field`);
          } else {
            accepted++;
            assert.deepEqual(json, xml, `${where}: the same record from JSON and XML`);
            keep.push(record);
          }
        }
      }
      assert.ok(accepted > 150 && refused > 60, `both kinds generated: ${accepted} accepted, ${refused} refused`);
      // All accepted values at once, padded past 64 KB: one typing plan serves many records.
      const many = keep.map((rec, i) => ({ ...rec, participant_id: String(i + 1), note: "x".repeat(120) }));
      while (JSON.stringify({ participants: many }).length < 70 * 1024) many.push(...many.slice(0, 50).map((r, i) => ({ ...r, participant_id: String(many.length + i + 1) })));
      const zap = (format) => clientServing(pkg, { json: JSON.stringify({ participants: many }), xml: xmlBody(many) });
      const [json, xml] = [await zap().participants({ eventId: 1, format: "json" }).toArray(), await zap().participants({ eventId: 1, format: "xml" }).toArray()];
      assertRecords(ctx, json, xml, "one large body");
      assert.equal(json.length, many.length);
    },
  },
  {
    name: "JSON-only values follow the documented rules: numbers and booleans as sent where the rule accepts them, null and \"\" absent, a fraction for an integer refused",
    async run(ctx) {
      const { assert, pkg } = ctx;
      const [ok] = (await outcomeOf(pkg, [{ participant_id: 5, age: 34, fee: 12.5, paid: true, registration_date: null, email: null }], "json")).records;
      assert.deepEqual(ok, { participant_id: 5, age: 34, fee: 12.5, paid: true, email: null });
      const [empty] = (await outcomeOf(pkg, [{ participant_id: "", age: "", paid: "" }], "json")).records;
      assert.deepEqual(empty, {});
      const bad = await outcomeOf(pkg, [{ participant_id: 1, age: 1.5 }], "json");
      assert.equal(bad.code, "PARSE");
      assert.match(bad.message, /'age'/);
      const notRecord = await outcomeOf(pkg, [{ participant_id: 1 }, 42], "json");
      assert.equal(notRecord.code, "PARSE");
      assert.match(notRecord.message, /'record'/);
    },
  },
  {
    name: "XML and CSV records reach JS as the core wrote them (the tape): a __proto__ field stays an own field, astral and accented text and empty values intact, keys shared across records (one beyond ASCII among them)",
    async run(ctx) {
      const { assert, pkg } = ctx;
      const csv = "__proto__,participant_id,pr\u00e9nom,first_name,notes,123\r\nx,7,\u00c9lo\u00efse,\u{1d11e}\u00e9,,a\r\ny,8,Ann,Zo\u00eb,\"q \"\"z\"\"\",b\r\n";
      const xml = "<participants><participant><__proto__>x</__proto__><participant_id>7</participant_id><pr\u00e9nom>\u00c9lo\u00efse</pr\u00e9nom><first_name>\u{1d11e}\u00e9</first_name><notes/></participant>" +
        "<participant><participant_id>8</participant_id><pr\u00e9nom>Ann</pr\u00e9nom><first_name>Zo\u00eb</first_name><notes>q \"z\"</notes><__proto__>y</__proto__></participant></participants>";
      const fetchFn = async (input) => {
        const url = new URL(String(input));
        const format = url.searchParams.get("format");
        const text = url.searchParams.get("page") === "1" || !url.searchParams.get("page") ? (format === "csv" ? csv : xml) : format === "csv" ? "" : "<participants/>";
        return new Response(text, { headers: { "content-type": format === "csv" ? "text/csv" : "text/xml" } });
      };
      const zap = pkg.ZapEvent.oauth1({ consumerKey: "ck", consumerSecret: "cs", token: "t", tokenSecret: "ts", baseUrl: BASE, fetch: fetchFn });
      for (const format of ["csv", "xml"]) {
        const records = await zap.participants({ eventId: 1, format }).toArray();
        assert.equal(records.length, 2, format);
        for (const r of records) assert.equal(Object.getPrototypeOf(r), Object.prototype, `${format}: the prototype is untouched`);
        assert.equal(Object.getOwnPropertyDescriptor(records[0], "__proto__")?.value, "x", `${format}: __proto__ is an own field`);
        assert.equal(Object.getOwnPropertyDescriptor(records[1], "__proto__")?.value, "y", `${format}: __proto__ is an own field`);
        assert.equal(records[0].participant_id, 7);
        assert.equal(records[0].first_name, "\u{1d11e}\u00e9", `${format}: an astral character then an accented one`);
        assert.equal(records[1].first_name, "Zo\u00eb");
        assert.deepEqual([records[0]["pr\u00e9nom"], records[1]["pr\u00e9nom"]], ["\u00c9lo\u00efse", "Ann"], `${format}: a field name beyond ASCII`);
        // CSV keeps the header's order (JS lists an integer-like key such as "123" first).
        if (format === "csv") assert.deepEqual(Object.keys(records[1]).filter((k) => k !== "123").slice(0, 4), ["__proto__", "participant_id", "pr\u00e9nom", "first_name"], "csv: keys in order");
        assert.equal(records[0].notes, "", `${format}: an empty text field is an empty string`);
        assert.equal(records[1].notes, 'q "z"');
        if (format === "csv") assert.deepEqual([records[0]["123"], records[1]["123"]], ["a", "b"], "a numeric column name");
      }
    },
  },
];
