// ZapEvent event API, raw HTTP, both generations: wire shapes decoded independently (XML with
// CDATA and character references, JSON typing, RFC 4180 CSV) against the fixtures, the
// 10,000-participant activity paged in every format, questions, metadata placement modes,
// the repeat fault, validation, every documented error code, and the per-method counters.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { startSimulator } from "./server.mjs";
import { client, parseCsv, parseXml, send, sign, xmlRecord } from "./testkit.mjs";

let sim;
let fx;
let http;
let tmp; // Login Method credentials as a query string
before(async () => {
  sim = await startSimulator({ port: 0 });
  fx = sim.state.fixtures.zapevent;
  http = client(sim.url);
  const login = await http.postForm("/zapevent/api/rest/login?format=json", { username: fx.user.username, password: fx.user.password });
  assert.equal(login.status, 200, login.text);
  tmp = new URLSearchParams({ tmp_key: login.json.tmp_key, tmp_secret: login.json.tmp_secret }).toString();
});
after(async () => {
  await sim?.close();
});

const api = (method, params = {}) => http.call(`/zapevent/api/event/${method}?${new URLSearchParams(params)}&${tmp}`);
const PARTICIPANT_FIELDS = ["registration_id", "participant_id", "event_id", "activity_id", "first_name", "last_name", "email",
  "gender", "age", "registration_date", "amount_paid", "payment_status", "city", "notes", "checked_in"];
const tf = (b) => (b ? "T" : "F");
/** What XML and CSV must say: every value as text, booleans T/F. */
const asText = (p) => Object.fromEntries(PARTICIPANT_FIELDS.map((f) => [f, typeof p[f] === "boolean" ? tf(p[f]) : String(p[f])]));
/** What JSON must say: ids numbers, money strings, T/F, age a string for odd registration ids. */
const asJson = (p) => Object.fromEntries(PARTICIPANT_FIELDS.map((f) => [f,
  typeof p[f] === "boolean" ? tf(p[f]) : f === "age" && p.registration_id % 2 === 1 ? String(p.age) : p[f]]));

/** Decodes a list body of any format → {items, meta|null}. */
function decodeList(format, r, root, item) {
  if (format === "json") {
    const { [root]: items, ...rest } = r.json;
    return { items, meta: rest.meta ?? (Object.keys(rest).length ? rest : null) };
  }
  if (format === "csv") return { items: parseCsv(r.text), meta: null };
  const doc = parseXml(r.text);
  assert.equal(doc.name, root);
  return { items: doc.children.filter((c) => c.name === item).map(xmlRecord), meta: Object.keys(doc.attrs).length ? doc.attrs : null, doc };
}

test("the 10,000-participant activity pages completely in xml, json and csv on both generations, fast", async () => {
  const expected = fx.participants.filter((p) => p.activity_id === fx.marathon.activityId);
  assert.equal(expected.length, 10000);
  assert.equal(expected[0].registration_id, fx.marathon.firstRegistrationId);
  const before = await http.counters();
  for (const [method, gen] of [["getparticipants", "oauth1"], ["getnewparticipants", "oauth2"]]) {
    for (const format of ["xml", "json", "csv"]) {
      const started = Date.now();
      const seen = [];
      for (let page = 1; page <= 40; page++) {
        const r = await api(method, { event_id: 1005, activity_id: 2006, results_per_page: 250, page, format });
        assert.equal(r.status, 200, r.text.slice(0, 300));
        assert.equal(r.headers.get("x-total-count"), "10000");
        assert.equal(r.headers.get("x-total-pages"), "40");
        const { items, meta } = decodeList(format, r, "participants", "participant");
        if (format === "json") assert.equal(meta.total_pages, 40);
        if (format === "xml") assert.deepEqual(meta, { total_count: "10000", page: String(page), results_per_page: "250", total_pages: "40" });
        assert.equal(items.length, 250);
        seen.push(...items);
      }
      const ms = Date.now() - started;
      assert.ok(ms < 8000, `${method} ${format}: 40 pages took ${ms} ms`);
      const want = expected.map(format === "json" ? asJson : asText);
      assert.deepEqual(seen, want, `${method} ${format}`);
      const past = await api(method, { event_id: 1005, results_per_page: 250, page: 41, format });
      assert.equal(decodeList(format, past, "participants", "participant").items.length, 0);
    }
    const now = await http.counters();
    assert.equal(now.zapevent_api.calls[gen][method] - (before.zapevent_api?.calls?.[gen]?.[method] ?? 0), 123);
  }
});

test("wire details: CDATA for '<' '&' newlines, &#39; for apostrophes, JSON typing, CSV quoting", async () => {
  const xml = await api("getparticipants", { event_id: 1001, results_per_page: 250 });
  assert.match(xml.headers.get("content-type"), /^application\/xml/);
  assert.match(xml.text, /<notes><!\[CDATA\[Line one\nLine two\]\]><\/notes>/);
  assert.match(xml.text, /<last_name>O&#39;Brien<\/last_name>/);
  assert.match(xml.text, /<checked_in>[TF]<\/checked_in>/);
  assert.doesNotMatch(xml.text, /<notes>[^<]*&(?!#39;|quot;|gt;)/); // no raw '&' outside CDATA
  const json = await api("getnewparticipants", { event_id: 1001, results_per_page: 4 });
  const [a, b] = json.json.participants;
  assert.equal(a.registration_id % 2, 1);
  assert.equal(typeof a.age, "string");
  assert.equal(typeof b.age, "number");
  assert.equal(typeof a.amount_paid, "string");
  assert.match(a.amount_paid, /^\d+\.\d{2}$/);
  assert.match(a.registration_date, /^\d{2}-\d{2}-\d{4}$/);
  assert.ok(["T", "F"].includes(a.checked_in));
  const csv = await api("getparticipants", { event_id: 1001, results_per_page: 250, format: "csv" });
  assert.match(csv.text, /^registration_id,participant_id,.*,notes,checked_in\r\n/);
  assert.match(csv.text, /"Line one\nLine two"/);
  assert.deepEqual(parseCsv(csv.text), fx.participants.filter((p) => p.event_id === 1001).slice(0, 250).map(asText));
  assert.equal(csv.headers.get("x-total-count"), "523");
});

test("questions: getquestions / getnewquestions / getnewquestion, filters, options in every format", async () => {
  const all = fx.questions.filter((q) => q.event_id === 1001);
  const xml = await api("getquestions", { event_id: 1001 });
  assert.equal(xml.status, 200, xml.text);
  const { items, meta } = decodeList("xml", xml, "questions", "question");
  assert.equal(meta.total_count, String(all.length));
  assert.deepEqual(items, all.map((q) => ({ ...Object.fromEntries(Object.entries(q).map(([k, v]) => [k, typeof v === "boolean" ? tf(v) : Array.isArray(v) ? v : String(v)])) })));
  const json = await api("getnewquestions", { activity_id: 2002 });
  const json2 = await api("getnewquestion", { activity_id: 2002 });
  assert.deepEqual(json2.json, json.json);
  const want = fx.questions.filter((q) => q.activity_id === 2002);
  assert.deepEqual(json.json.questions, want.map((q) => ({ ...q, required: tf(q.required) })));
  assert.ok(json.json.questions.some((q) => q.options.length > 1));
  const one = await api("getnewquestions", { event_id: 1001, activity_id: 2002, question_id: want[1].question_id });
  assert.equal(one.json.total_count, 1);
  const csv = await api("getquestions", { event_id: 1001, format: "csv" });
  const rows = parseCsv(csv.text);
  assert.deepEqual(Object.keys(rows[0]), ["question_id", "event_id", "activity_id", "question", "question_type", "required", "options"]);
  assert.deepEqual(rows.map((r) => r.options), all.map((q) => q.options.join("|")));
  assert.match(xml.text, /<options \/>|<option>/);
  // Errors: none of the three ids → 3 (param_missing event_id); unknown event/activity; activity of another event.
  const none = await api("getnewquestions");
  assert.equal(none.status, 400);
  assert.deepEqual(none.json, { error: { error_code: 3, error_msg: "Invalid parameters", param_missing: ["event_id"] } });
  assert.equal((await api("getquestions", { event_id: 9999 })).status, 404);
  const noAct = await api("getquestions", { activity_id: 2999 });
  assert.equal(noAct.status, 404);
  assert.match(noAct.text, /<error_code>301<\/error_code>/);
  assert.equal((await api("getquestions", { event_id: 1002, activity_id: 2001 })).status, 404);
  assert.equal((await api("getquestions", { event_id: 1004 })).status, 403);
  assert.equal((await api("getquestions", { activity_id: 2005 })).status, 403);
  assert.equal((await api("getquestions", { question_id: 99999 })).text.includes('total_count="0"'), true);
  // OAuth 1.0a-signed, with the pre-authorized fixture token.
  const token = { key: fx.accessToken.token, secret: fx.accessToken.tokenSecret };
  const signed = await send(sign({ creds: fx, url: `${sim.url}/zapevent/api/event/getquestions?event_id=1005&format=json`, token }));
  assert.equal(signed.status, 200, signed.text);
  assert.equal(signed.json.total_count, fx.questions.filter((q) => q.event_id === 1005).length);
});

test("getevent nests activities and their questions (XML, JSON); CSV is one flat row", async () => {
  const ev = fx.events.find((e) => e.event_id === 1001);
  const xml = await api("getevent", { event_id: 1001 });
  const doc = parseXml(xml.text);
  assert.equal(doc.name, "event");
  const rec = xmlRecord(doc);
  assert.equal(rec.name, ev.name);
  assert.equal(rec.activities.length, ev.activities.length);
  const q0 = fx.questions.filter((q) => q.activity_id === ev.activities[0].activity_id);
  assert.deepEqual(rec.activities[0].questions.map((q) => q.question), q0.map((q) => q.question));
  assert.deepEqual(rec.activities[0].questions.map((q) => q.options), q0.map((q) => q.options));
  const json = await api("getnewevent", { event_id: 1001 });
  assert.equal(json.json.event.event_id, 1001);
  assert.deepEqual(json.json.event.activities[1].questions, fx.questions.filter((q) => q.activity_id === 2002).map((q) => ({ ...q, required: tf(q.required) })));
  const csv = parseCsv((await api("getevent", { event_id: 1001, format: "csv" })).text);
  assert.equal(csv.length, 1);
  assert.equal(csv[0].name, ev.name);
  assert.equal(csv[0].activities, undefined);
  const future = await api("getnewevent", { event_id: 1001, future_activities_only: "T" });
  assert.deepEqual(future.json.event.activities, []); // fixture activities are in 2025, the sim clock is later
});

test("getevents vs getnewevents: default format, activities default, event_status only on OAuth 1, event_type list", async () => {
  const old = await api("getevents");
  assert.match(old.headers.get("content-type"), /^application\/xml/);
  assert.ok(decodeList("xml", old, "events", "event").items.every((e) => Array.isArray(e.activities)));
  const neu = await api("getnewevents");
  assert.ok(neu.json.events.every((e) => e.activities === undefined));
  assert.ok((await api("getnewevents", { activities: "true" })).json.events.every((e) => e.activities.length >= 1));
  assert.equal((await api("getevents", { event_status: "private", format: "json" })).json.total_count, 1);
  assert.equal((await api("getevents", { event_status: "bogus" })).status, 400);
  assert.equal((await api("getnewevents", { event_status: "bogus" })).json.total_count, 4); // ignored there
  const rw = await api("getnewevents", { event_type: "running/walking", sort: "date DESC" });
  assert.deepEqual(rw.json.events.map((e) => e.event_id), [1005, 1001]);
  const bad = await api("getevents", { event_type: "Quidditch" });
  assert.equal(bad.status, 400);
  assert.match(bad.text, /<param_invalid><param_name>event_type<\/param_name><\/param_invalid>/);
  const cats = await api("getnewcategories", { sort: "category DESC", results_per_page: 3 });
  assert.equal(cats.json.total_count, fx.categories.length);
  assert.equal(cats.json.categories[0].category, "Youth");
});

test("getnewparticipants accepts after_participant_id and sort participant_id", async () => {
  const last = fx.participants.filter((p) => p.event_id === 1005).at(-3);
  const r = await api("getnewparticipants", { event_id: 1005, after_participant_id: last.participant_id, sort: "participant_id DESC" });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.total_count, 2);
  assert.ok(r.json.participants[0].participant_id > r.json.participants[1].participant_id);
  const byAge = await api("getnewparticipants", { event_id: 1005, sort: "age DESC", results_per_page: 250 });
  const ages = byAge.json.participants.map((p) => Number(p.age));
  assert.deepEqual(ages, [...ages].sort((x, y) => y - x));
  const after = await api("getparticipants", { event_id: 1005, after_registration_id: 60000, format: "json" });
  assert.equal(after.json.total_count, fx.marathon.lastRegistrationId - 60000);
});

test("metadata placement modes (attributes, elements, absent) and their reset", async () => {
  const page = { event_id: 1001, results_per_page: 5, page: 2 };
  const meta = { total_count: 523, page: 2, results_per_page: 5, total_pages: 105 };
  assert.equal((await http.postJson("/__sim/zapevent/meta", { mode: "elements" })).json.mode, "elements");
  const xml = await api("getparticipants", page);
  const doc = parseXml(xml.text);
  assert.deepEqual(doc.attrs, {});
  assert.deepEqual(doc.children.slice(0, 4).map((c) => [c.name, c.text]), Object.entries(meta).map(([k, v]) => [k, String(v)]));
  assert.equal(doc.children.filter((c) => c.name === "participant").length, 5);
  assert.equal(xml.headers.get("x-total-count"), null);
  const json = await api("getnewparticipants", page);
  assert.deepEqual(Object.keys(json.json).sort(), ["meta", "participants"]);
  assert.deepEqual(json.json.meta, meta);
  await http.postJson("/__sim/zapevent/meta", { mode: "absent" });
  assert.deepEqual(Object.keys((await api("getnewparticipants", page)).json), ["participants"]);
  const bare = await api("getquestions", { event_id: 1001 });
  assert.match(bare.text, /<questions><question>/);
  assert.equal(bare.headers.get("x-total-count"), null);
  assert.equal((await http.postJson("/__sim/zapevent/meta", { mode: "nope" })).status, 400);
  await http.call("/__sim/reset", { method: "POST" });
  assert.equal((await http.call("/__sim/zapevent/meta")).json.mode, "attributes");
  const login = await http.postForm("/zapevent/api/rest/login?format=json", { username: fx.user.username, password: fx.user.password });
  tmp = new URLSearchParams({ tmp_key: login.json.tmp_key, tmp_secret: login.json.tmp_secret }).toString(); // reset dropped the session
  const attrs = await api("getnewparticipants", page);
  assert.equal(attrs.json.total_pages, 105);
  assert.equal(attrs.headers.get("x-page"), "2");
});

test("repeat mode: list methods ignore page and answer page 1", async () => {
  const p1 = await api("getnewparticipants", { event_id: 1001, results_per_page: 7 });
  assert.equal((await http.postJson("/__sim/zapevent/repeat", { on: true })).json.on, true);
  try {
    const p2 = await api("getnewparticipants", { event_id: 1001, results_per_page: 7, page: 2 });
    assert.deepEqual(p2.json, p1.json);
    assert.equal(p2.headers.get("x-page"), "1");
  } finally {
    await http.postJson("/__sim/zapevent/repeat", { on: false });
  }
  assert.notDeepEqual((await api("getnewparticipants", { event_id: 1001, results_per_page: 7, page: 2 })).json, p1.json);
  assert.equal((await http.postJson("/__sim/zapevent/repeat", { on: "yes" })).status, 400);
});

test("validation: paging bounds, sort fields, dates, booleans", async () => {
  const invalid = async (method, params, name) => {
    const r = await api(method, { format: "json", ...params });
    assert.equal(r.status, 400, `${JSON.stringify(params)}: ${r.text}`);
    assert.deepEqual(r.json.error.param_invalid, [name]);
  };
  await invalid("getnewparticipants", { event_id: 1001, results_per_page: 251 }, "results_per_page");
  await invalid("getnewparticipants", { event_id: 1001, page: 0 }, "page");
  await invalid("getparticipants", { event_id: 1001, sort: "email ASC" }, "sort");
  await invalid("getnewevents", { sort: "name SIDEWAYS" }, "sort");
  await invalid("getevents", { start_date: "02-30-2025" }, "start_date");
  await invalid("getevents", { created_since: "2025-01-01" }, "created_since");
  await invalid("getnewevents", { activities: "maybe" }, "activities");
  await invalid("getnewcategories", { future_event_categories: "yes" }, "future_event_categories");
  assert.equal((await api("getnewcategories", { future_event_categories: "true" })).status, 200);
  assert.equal((await api("getnewparticipants", { event_id: 1001, results_per_page: 0 })).json.total_pages, 0);
  assert.equal((await api("getevents", { start_date: "06-14-2025", end_date: "06-30-2025", format: "json" })).json.total_count, 1);
});

test("every documented error code, with its HTTP status, in the requested format", async () => {
  const u = fx.user;
  const code = (r) => (r.json ? r.json.error.error_code : Number(/<error_code>(\d+)<\/error_code>/.exec(r.text)?.[1]));
  const cases = [
    [3, 400, await api("getparticipants")],
    [6, 401, await http.call("/zapevent/api/event/getevents")],
    [6, 401, await http.call("/zapevent/api/event/getnewevents?tmp_key=x&tmp_secret=y")],
    [7, 403, await api("getnewparticipants", { event_id: fx.privateEventId })],
    [10, 400, await api("getnewevents", { format: "yaml" })],
    [10, 400, await http.postForm("/zapevent/api/rest/login?format=csv", { username: u.username, password: u.password })],
    [101, 401, await http.postForm("/zapevent/api/rest/login", { username: "nobody@example.org", password: "x" })],
    [102, 401, await http.postForm("/zapevent/api/rest/login?format=json", { username: u.username, password: "wrong" })],
    [201, 404, await api("getnewevent", { event_id: 424242 })],
    [301, 404, await api("getnewparticipants", { event_id: 1001, activity_id: 2003 })],
  ];
  // 12: the OAuth 1.0a flow out of order (access token before authorization; authorizing twice).
  const rt = await send(sign({ creds: fx, method: "POST", url: `${sim.url}/zapevent/api/oauth/RequestToken`, extra: { oauth_callback: "oob" } }));
  const temp = Object.fromEntries(new URLSearchParams(rt.text));
  cases.push([12, 400, await send(sign({ creds: fx, method: "POST", url: `${sim.url}/zapevent/api/oauth/AccessToken`,
    token: { key: temp.oauth_token, secret: temp.oauth_token_secret }, extra: { oauth_verifier: "x" } }))]);
  assert.equal((await http.call(`/zapevent/api/oauth/authorize?oauth_token=${temp.oauth_token}`)).status, 200);
  cases.push([12, 400, await http.call(`/zapevent/api/oauth/authorize?oauth_token=${temp.oauth_token}`)]);
  for (const [want, status, r] of cases) {
    assert.equal(code(r), want, r.text);
    assert.equal(r.status, status, `${want}: ${r.text}`);
  }
  // Formats: getnew* errors default to JSON, get* and login to XML; error 10 is written in the default.
  assert.match(cases[4][2].headers.get("content-type"), /^application\/json/);
  assert.match(cases[5][2].text, /^<\?xml[^>]*>\n<error><error_code>10<\/error_code><error_msg>Response format not supported for this REST method<\/error_msg><\/error>$/);
  assert.match(cases[0][2].text, /<param_missing><param_name>event_id<\/param_name><\/param_missing>/);
  const login = await http.postForm("/zapevent/api/rest/login", { username: u.username, password: u.password });
  assert.match(login.text, /^<\?xml[^>]*>\n<login><tmp_key>[0-9a-f]{32}<\/tmp_key><tmp_secret>[0-9A-F]{40}<\/tmp_secret><\/login>$/);
});

test("counters: calls and errors per generation and method", async () => {
  const before = await http.counters();
  const calls = (c, gen, m) => c.zapevent_api?.calls?.[gen]?.[m] ?? 0;
  for (let i = 0; i < 3; i++) await api("getnewquestion", { event_id: 1001 });
  await api("getnewquestions");
  await api("getquestions", { event_id: 1001 });
  const now = await http.counters();
  assert.equal(calls(now, "oauth2", "getnewquestions") - calls(before, "oauth2", "getnewquestions"), 4);
  assert.equal(calls(now, "oauth2", "total") - calls(before, "oauth2", "total"), 4);
  assert.equal(calls(now, "oauth1", "getquestions") - calls(before, "oauth1", "getquestions"), 1);
  assert.equal((now.zapevent_api.errors.oauth2.getnewquestions ?? 0) - (before.zapevent_api?.errors?.oauth2?.getnewquestions ?? 0), 1);
});
