// Online Registration Center self-test, raw HTTP: the 10,000-attendee module 4103 (~2.7 MB,
// mixed module_id types, non-ASCII and astral names, date formats), the small modules,
// export templates, exactly-POST routes (405, 301 for the slash-less form), the token
// endpoint, client/token errors, faults and serving speed.

import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, test } from "node:test";

import { startSimulator } from "./server.mjs";
import { client } from "./testkit.mjs";

let sim;
let fx;
let http;
let tokens;
const served = [];
before(async () => {
  sim = await startSimulator({ port: 0, log: (e) => served.push(e) });
  fx = sim.state.fixtures.orc;
  http = client(sim.url);
  tokens = (await http.call("/__sim/orc/issue", { method: "POST" })).json;
});
after(async () => {
  await sim?.close();
});

/** Seed: "Basic " + base64(CLIENT_ID + ":" + CLIENT_SECRET), raw. */
const basic = () => `Basic ${Buffer.from(`${fx.clientId}:${fx.clientSecret}`).toString("base64")}`;
const roster = (form, headers = { Authorization: basic() }) => http.postForm("/orc/roster/", { access_token: tokens.access_token, ...form }, headers);

/** A request with an exact method, target and body (no redirect handling at all). */
function raw(method, path, body = "", headers = {}) {
  return new Promise((resolve, reject) => {
    const u = new URL(sim.url);
    const req = request({ host: u.hostname, port: u.port, path, method, headers: { "Content-Length": Buffer.byteLength(body), ...headers } }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const buf = Buffer.concat(chunks);
        let json = null;
        try {
          json = JSON.parse(buf.toString("utf8"));
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode, headers: res.headers, bytes: buf.length, json });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

test("module 4103: 10,000 attendees, ~2.7 MB, exactly the fixture records", async () => {
  assert.deepEqual(fx.largeModule, { moduleId: 4103, attendees: 10000, stringModuleIdEvery: 10, astralIndex: 4, emojiIndex: 8 });
  const r = await raw("POST", "/orc/roster/", new URLSearchParams({ module_id: "4103", export_id: "77", access_token: tokens.access_token }).toString(),
    { Authorization: basic(), "Content-Type": "application/x-www-form-urlencoded" });
  assert.equal(r.status, 200);
  assert.match(r.headers["content-type"], /^application\/json; charset=utf-8$/);
  assert.ok(r.bytes > 2.5e6 && r.bytes < 3.0e6, `${r.bytes} bytes`);
  assert.deepEqual(Object.keys(r.json), ["attendees"]);
  const list = r.json.attendees;
  assert.equal(list.length, 10000);
  assert.deepEqual(list, fx.attendees[4103]);
  assert.equal(list[0].trackno, "T4103-00001");
  assert.equal(list[9999].trackno, "T4103-10000");
  const keys = ["module_id", "summary", "module_city", "module_state", "start_date", "trackno", "trxdate", "lname", "fname", "email"];
  for (const [i, a] of list.entries()) {
    assert.deepEqual(Object.keys(a), keys);
    // The seed's sample has module_id as 0 and as "integer": every 10th one is a numeric string.
    if (i % 10 === 9) assert.equal(a.module_id, "4103");
    else assert.equal(a.module_id, 4103);
    assert.equal(a.start_date, "2025-10-12");
    assert.match(a.trxdate, /^2025-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    assert.ok(!Number.isNaN(Date.parse(a.trxdate.replace(" ", "T"))), a.trxdate);
    assert.match(a.email, /^[a-z]+\.[a-z]+\.4103\.\d+@example\.com$/);
  }
  const nonAscii = list.filter((a) => /[^\x20-\x7e]/.test(a.fname + a.lname));
  assert.ok(nonAscii.length > 700 && nonAscii.length < 1400, `${nonAscii.length} non-ASCII names`);
  assert.ok(nonAscii.some((a) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(a.fname + a.lname)), "CJK");
  assert.ok(nonAscii.some((a) => /[À-ž]/.test(a.fname + a.lname)), "accents");
  assert.equal(list[4].fname, "𝒜manda");
  assert.ok(list[4].fname.codePointAt(0) > 0xffff);
  assert.equal(list[8].lname, "Lee 🏊");
});

test("module 4103 is served in well under 100 ms after warm-up", async () => {
  assert.equal((await roster({ module_id: "4103" })).status, 200);
  const times = [];
  for (let i = 0; i < 5; i++) {
    const from = served.length;
    const r = await roster({ module_id: "4103" });
    assert.equal(r.status, 200);
    let entry;
    for (let k = 0; k < 50 && !entry; k++) {
      entry = served.slice(from).find((e) => e.path === "/orc/roster/");
      if (!entry) await new Promise((done) => setTimeout(done, 2));
    }
    times.push(entry.ms);
  }
  times.sort((a, b) => a - b);
  assert.ok(times[2] < 100, `median ${times[2]} ms (${times.join(", ")})`);
});

test("the small modules are unchanged; export templates: only Registration Data", async () => {
  for (const [id, n] of [["4101", 42], ["4102", 5]]) {
    const r = await roster({ module_id: id });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.attendees.length, n);
    assert.deepEqual(r.json.attendees, fx.attendees[id]);
    assert.ok(r.json.attendees.every((a) => a.module_id === Number(id)));
  }
  assert.equal((await roster({ module_id: "4103", export_id: "77" })).status, 200);
  const other = await roster({ module_id: "4103", export_id: "78" });
  assert.equal(other.status, 400);
  assert.deepEqual(other.json, { error: "invalid_request", error_description: 'only "Registration Data" export templates are accepted' });
  const unknownExport = await roster({ module_id: "4101", export_id: "99" });
  assert.equal(unknownExport.status, 404);
  assert.equal(unknownExport.json.error, "invalid_request");
  const unknownModule = await roster({ module_id: "4999" });
  assert.equal(unknownModule.status, 404);
  assert.equal(unknownModule.json.error_description, "module not found");
  assert.equal((await roster({ module_id: "41x" })).status, 400);
  assert.equal((await roster({})).json.error_description, "module_id required");
});

test("exactly POST /orc/token/ and /orc/roster/: other methods 405, the slash-less paths 301 (not to be followed as GET)", async () => {
  for (const path of ["/orc/roster/", "/orc/token/"]) {
    for (const method of ["GET", "PUT", "DELETE", "HEAD"]) {
      const r = await raw(method, path);
      assert.equal(r.status, 405, `${method} ${path}`);
      assert.equal(r.headers.allow, "POST");
    }
  }
  const form = new URLSearchParams({ module_id: "4101", access_token: tokens.access_token }).toString();
  const moved = await raw("POST", "/orc/roster", form, { Authorization: basic(), "Content-Type": "application/x-www-form-urlencoded" });
  assert.equal(moved.status, 301);
  assert.equal(moved.headers.location, `${sim.url}/orc/roster/`);
  const movedGet = await raw("GET", "/orc/token?x=1");
  assert.equal(movedGet.status, 301);
  assert.equal(movedGet.headers.location, `${sim.url}/orc/token/?x=1`);
  // A client that follows the 301 the way browsers do (POST → GET, body dropped) meets a 405.
  const followed = await raw("GET", new URL(moved.headers.location).pathname, "", { Authorization: basic() });
  assert.equal(followed.status, 405);
  // fetch follows it the same way, so the SDK must use the slash form (redirect: "manual" shows the 301).
  const viaFetch = await fetch(`${sim.url}/orc/roster`, { method: "POST", body: form, headers: { Authorization: basic(), "Content-Type": "application/x-www-form-urlencoded" } });
  assert.equal(viaFetch.status, 405);
  assert.equal(viaFetch.redirected, true);
});

test("token endpoint and roster authentication errors", async () => {
  const issued = (await http.call("/__sim/orc/issue", { method: "POST" })).json;
  const refreshed = await http.postForm("/orc/token/", { refresh_token: issued.refresh_token }, { Authorization: basic() });
  assert.equal(refreshed.status, 200, refreshed.text);
  assert.deepEqual(Object.keys(refreshed.json).sort(), ["access_refresh_token", "access_token", "expires_in"]);
  assert.equal(refreshed.json.expires_in, 24);
  const ok = await roster({ module_id: "4102", access_token: refreshed.json.access_token });
  assert.equal(ok.status, 200, ok.text);
  const noBasic = await roster({ module_id: "4102" }, {});
  assert.equal(noBasic.status, 401);
  assert.equal(noBasic.json.error, "invalid_client");
  const badToken = await roster({ module_id: "4102", access_token: "nope" });
  assert.equal(badToken.status, 401);
  assert.equal(badToken.json.error, "invalid_token");
  assert.match(badToken.headers.get("www-authenticate"), /^Bearer realm="orc", error="invalid_token"/);
  await http.postJson("/__sim/clock", { advance: 86401 });
  try {
    const expired = await roster({ module_id: "4102", access_token: refreshed.json.access_token });
    assert.equal(expired.status, 401);
    assert.match(expired.headers.get("www-authenticate"), /The access token expired/);
  } finally {
    await http.postJson("/__sim/clock", { advance: -86401 });
  }
});

test("faults apply to the ORC routes", async () => {
  await http.postJson("/__sim/faults", { rules: [
    { path: "^/orc/roster/$", kind: "429", retryAfter: 2, times: 1 },
    { path: "^/orc/roster/$", kind: "truncate", times: 1 },
    { path: "^/orc/token/$", kind: "503", times: 1 },
  ] });
  try {
    const limited = await roster({ module_id: "4103" });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get("retry-after"), "2");
    await assert.rejects(async () => {
      const r = await fetch(`${sim.url}/orc/roster/`, { method: "POST", headers: { Authorization: basic(), "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ module_id: "4103", access_token: tokens.access_token }).toString() });
      await r.text();
    });
    assert.equal((await http.postForm("/orc/token/", { refresh_token: "x" }, { Authorization: basic() })).status, 503);
    assert.equal((await roster({ module_id: "4103" })).status, 200);
  } finally {
    await http.call("/__sim/faults", { method: "DELETE" });
  }
});
