// Self-test of what the fault matrix of tests/runtime/faults/ relies on: the fault kinds "500"
// and "malformed" (faults.mjs), and the simulated clock's `Date` on OAuth 1.0a refusals (its
// clock-skew row). Its own simulator, plain fetch, no SDK.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { SERVER_ERROR_PAGE, garble } from "./faults.mjs";
import { startSimulator } from "./server.mjs";

let sim;
before(async () => {
  sim = await startSimulator({ port: 0 });
});
after(async () => {
  await sim?.close();
});

const get = async (path, init) => {
  const res = await fetch(sim.url + path, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text };
};
const setFaults = (rules) => fetch(`${sim.url}/__sim/faults`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ rules }) });

test("500: a provider-neutral HTML error page before the handler runs, once", async () => {
  const before = sim.state.counters;
  assert.equal((await setFaults([{ path: "^/oauth2/api/me$", kind: "500", times: 1 }])).status, 200);
  const failed = await get("/oauth2/api/me");
  assert.equal(failed.status, 500);
  assert.match(failed.headers.get("content-type"), /^text\/html/);
  assert.equal(failed.text, SERVER_ERROR_PAGE);
  const normal = await get("/oauth2/api/me");
  assert.equal(normal.status, 401, "then the real handler (no token: 401)");
  const now = sim.state.counters;
  assert.equal(now.faults_by_kind["500"], (before.faults_by_kind?.["500"] ?? 0) + 1);
  sim.state.faults.clear();
});

test("malformed: the real answer's status and headers, its body garbled in its own format (JSON, XML, CSV), Content-Length right", async () => {
  const cases = [
    // JSON: the RFC 8414 metadata document (no credentials needed).
    { path: "/.well-known/oauth-authorization-server/oauth2", rule: "^/\\.well-known/", type: /json/, status: 200 },
    // XML and CSV: ZapEvent error bodies (no credentials: 401, error 6) in the asked format.
    { path: "/zapevent/api/event/getevents?format=xml", rule: "^/zapevent/api/event/getevents$", type: /xml/, status: 401 },
    { path: "/zapevent/api/event/getevents?format=csv", rule: "^/zapevent/api/event/getevents$", type: /csv/, status: 401 },
  ];
  for (const c of cases) {
    const clean = await get(c.path);
    assert.equal((await setFaults([{ path: c.rule, kind: "malformed", times: 1 }])).status, 200);
    const bad = await get(c.path);
    assert.equal(bad.status, c.status, `${c.path}: status kept`);
    assert.match(bad.headers.get("content-type"), c.type, `${c.path}: Content-Type kept`);
    assert.equal(Number(bad.headers.get("content-length")), Buffer.byteLength(bad.text), `${c.path}: Content-Length of the garbled body`);
    assert.notEqual(bad.text, clean.text, `${c.path}: garbled`);
    assert.equal(bad.text, garble(clean.headers.get("content-type"), clean.text), `${c.path}: deterministic`);
    if (/json/.test(c.type.source)) assert.throws(() => JSON.parse(bad.text), SyntaxError, "JSON no longer parses");
    if (/xml/.test(c.type.source)) assert.match(bad.text, /<error_code>6<\/error_code_garbled>/, "XML: a mismatched end tag");
    if (/csv/.test(c.type.source)) {
      const [header, row] = bad.text.split("\r\n");
      assert.equal(row.split(",").length, header.split(",").length + 1, "CSV: a row wider than its header");
    }
    const again = await get(c.path);
    assert.equal(again.text, clean.text, `${c.path}: times 1, then the real body again`);
  }
  sim.state.faults.clear();
});

test("garble: every format, edge cases (quoted line breaks in CSV, empty lists, no key in JSON)", () => {
  assert.equal(garble("application/json", '{"a":1}'), '{"a":,1}');
  assert.equal(garble("application/json", "[1,2]"), "[,1,2]");
  assert.equal(garble("application/json", ""), "{,");
  assert.equal(garble("application/xml; charset=utf-8", "<a><b>1</b></a>"), "<a><b>1</b_garbled></a>");
  assert.equal(garble("application/xml", "<a/>"), "<a/><garbled>");
  // A quoted field spanning lines belongs to the first row: the extra field goes after it.
  assert.equal(garble("text/csv", 'a,b\r\n"x\ny",2\r\n3,4\r\n'), 'a,b\r\n"x\ny",2,garbled\r\n3,4\r\n');
  assert.equal(garble("text/csv", "a,b\r\n"), "a,b\r\ngarbled,garbled,garbled\r\n");
  assert.equal(garble("application/x-www-form-urlencoded", "a=1&b=2"), "a=%G1&b=2");
  assert.equal(garble("text/plain", "hi"), "<{hi");
});

test("rule validation names the new kinds", async () => {
  const res = await setFaults([{ path: "x", kind: "502" }]);
  assert.equal(res.status, 400);
  const body = await res.json();
  assert.match(body.error_description, /rules\[0\]\.kind must be one of 429, 503, 500, drop, truncate, slow, malformed/);
});

test("OAuth 1.0a refusals carry the simulated clock's Date (echo, ZapEvent, OneRoster 1.1); other answers the real one", async () => {
  const skew = 600;
  sim.state.clock.advance(skew);
  try {
    const oauth = { Authorization: 'OAuth oauth_consumer_key="nobody", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1", oauth_nonce="n", oauth_signature="x"' };
    for (const path of ["/oauth1/echo", "/zapevent/api/event/getevents", "/oneroster/ims/oneroster/v1p1/orgs"]) {
      const res = await get(path, { headers: oauth });
      assert.ok(res.status === 400 || res.status === 401, `${path}: refused (${res.status})`);
      assert.match(res.headers.get("www-authenticate") ?? "", /^OAuth /, `${path}: an OAuth 1.0a challenge`);
      const date = Date.parse(res.headers.get("date"));
      assert.ok(Math.abs(date - (Date.now() + skew * 1000)) < 2000, `${path}: Date ${res.headers.get("date")} is the simulated clock's`);
    }
    const other = await get("/__sim/health");
    assert.ok(Math.abs(Date.parse(other.headers.get("date")) - Date.now()) < 2000, "any other answer: the real clock's Date");
  } finally {
    sim.state.clock.advance(-skew);
  }
});
