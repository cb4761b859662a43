// Self-test of the generic provider's paged resource GET /oauth2/api/items, raw HTTP: Bearer
// authorization like /oauth2/api/me, the four paging styles walked to the end by hand, the
// item formula, the cursor token, validation and counters.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { genericItem, itemsCursor } from "./generic.mjs";
import { startSimulator } from "./server.mjs";
import { basicRfc, client } from "./testkit.mjs";

let sim;
let http;
let bearer;
before(async () => {
  sim = await startSimulator({ port: 0 });
  http = client(sim.url);
  const c = sim.state.fixtures.generic.clients.basic;
  const t = await http.postForm("/oauth2/token", { grant_type: "client_credentials" }, { Authorization: basicRfc(c.clientId, c.clientSecret) });
  assert.equal(t.status, 200, t.text);
  bearer = { Authorization: `Bearer ${t.json.access_token}` };
});
after(async () => {
  await sim?.close();
});

const get = (query, headers = bearer) => http.call(`/oauth2/api/items?${query}`, { headers });
const ALL = Array.from({ length: 1000 }, (_, i) => genericItem(i + 1));

test("items: Bearer required (no token → 401 without error, unknown token → invalid_token)", async () => {
  const none = await get("style=page", {});
  assert.equal(none.status, 401);
  assert.equal(none.headers.get("www-authenticate"), 'Bearer realm="oauth2"');
  const unknown = await get("style=page", { Authorization: "Bearer nope" });
  assert.equal(unknown.status, 401);
  assert.match(unknown.headers.get("www-authenticate"), /^Bearer realm="oauth2", error="invalid_token"/);
  assert.equal(unknown.json.error, "invalid_token");
});

test("items: the formula (ids 1..1000, every 100th non-ASCII/astral/emoji)", () => {
  assert.deepEqual(genericItem(1), { id: 1, name: "Item 1", tag: "beta" });
  assert.deepEqual(genericItem(100), { id: 100, name: "Élément 100 𝒜 🎉", tag: "alpha" });
});

test("style=page: {data, meta:{total,page,per_page}}, walked to the end; past the end is empty", async () => {
  const seen = [];
  for (let page = 1; ; page++) {
    const r = await get(`style=page&page=${page}&per_page=150`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.meta, { total: 1000, page, per_page: 150 });
    if (r.json.data.length === 0) break;
    seen.push(...r.json.data);
  }
  assert.deepEqual(seen, ALL);
  assert.equal((await get("style=page")).json.data.length, 20, "default per_page 20");
});

test("style=offset: a bare array with X-Total-Count", async () => {
  const seen = [];
  for (let offset = 0; offset < 1000; offset += 250) {
    const r = await get(`style=offset&offset=${offset}&limit=250`);
    assert.equal(r.headers.get("x-total-count"), "1000");
    assert.ok(Array.isArray(r.json));
    seen.push(...r.json);
  }
  assert.deepEqual(seen, ALL);
  assert.deepEqual((await get("style=offset&offset=1000&limit=5")).json, []);
});

test("style=link: {results} with absolute Link rel=next until the last page", async () => {
  const seen = [];
  let url = `${sim.url}/oauth2/api/items?style=link&per_page=240`;
  let pages = 0;
  while (url) {
    const r = await http.call(url.slice(sim.url.length), { headers: bearer });
    pages++;
    seen.push(...r.json.results);
    const link = r.headers.get("link");
    assert.match(link, /rel="first"/);
    url = /<([^>]+)>; rel="next"/.exec(link)?.[1];
    if (url) assert.ok(url.startsWith(`${sim.url}/oauth2/api/items?style=link&per_page=240&after=`), url);
  }
  assert.equal(pages, 5);
  assert.deepEqual(seen, ALL);
});

test("style=cursor: {items, next_cursor} (base64 starting '+/') until null; a forged or unencoded cursor is 400", async () => {
  const seen = [];
  let cursor = null;
  do {
    const r = await get(`style=cursor&limit=233${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    assert.equal(r.status, 200, r.text);
    seen.push(...r.json.items);
    cursor = r.json.next_cursor;
    if (cursor) {
      assert.equal(cursor, itemsCursor(seen.length));
      assert.match(cursor, /^\+\//, "starts with '+/'");
    }
  } while (cursor);
  assert.deepEqual(seen, ALL);
  // A raw '+' is a space in a query: the unencoded token is unknown.
  for (const forged of ["bm9wZQ==", "x", encodeURIComponent(itemsCursor(1001)), itemsCursor(233)]) {
    const r = await get(`style=cursor&cursor=${forged}`);
    assert.equal(r.status, 400, forged);
    assert.equal(r.json.error, "invalid_request");
  }
});

test("items: validation (style, sizes 1..250, integers, repeats) and counters per style", async () => {
  const before = (await http.counters()).generic_api?.items ?? {};
  for (const q of ["", "style=pages", "style=page&per_page=0", "style=page&per_page=251", "style=offset&limit=2.5", "style=offset&offset=-1", "style=page&page=0", "style=page&style=page", "style=link&after=x"]) {
    const r = await get(q);
    assert.equal(r.status, 400, q);
    assert.equal(r.json.error, "invalid_request", q);
  }
  await get("style=page");
  await get("style=cursor");
  const now = (await http.counters()).generic_api.items;
  assert.equal(now.page - (before.page ?? 0), 1, "only valid requests are counted");
  assert.equal(now.cursor - (before.cursor ?? 0), 1);
});
