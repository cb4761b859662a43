// Self-test of the simulator's refresh-rotation switch (/__sim/config rotateRefreshTokens), raw
// HTTP against its own simulator (so selftest.mjs's counter totals are untouched).

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { startSimulator } from "./server.mjs";
import { basicRfc, client } from "./testkit.mjs";

let sim;
let http;
let fx;
before(async () => {
  sim = await startSimulator({ port: 0 });
  http = client(sim.url);
  fx = sim.state.fixtures;
});
after(async () => {
  await sim?.close();
});

const call = (path, init) => http.call(path, init);
const postForm = (path, obj, headers) => http.postForm(path, obj, headers);
const postJson = (path, obj) => http.postJson(path, obj);
const counters = async () => (await call("/__sim/counters")).json;

test("rotateRefreshTokens false (/__sim/config): a refresh answers no refresh_token and the old one stays valid", async () => {
  const c = fx.generic.clients.basic;
  const auth = { Authorization: basicRfc(c.clientId, c.clientSecret) };
  const set = await postJson("/__sim/config", { rotateRefreshTokens: false, provider: "generic" });
  assert.equal(set.status, 200, set.text);
  assert.equal(set.json.effective.generic.rotateRefreshTokens, false);
  assert.equal(set.json.effective.orc.rotateRefreshTokens, true);
  try {
    assert.equal((await postJson("/__sim/config", { rotateRefreshTokens: "no", provider: "generic" })).status, 400);
    const before = await counters();
    const first = await postForm("/oauth2/token", { grant_type: "password", username: fx.generic.user.username, password: fx.generic.user.password }, auth);
    assert.equal(first.status, 200, first.text);
    assert.ok(first.json.refresh_token, "the original grant still issues a refresh token");
    for (let i = 0; i < 2; i++) {
      const again = await postForm("/oauth2/token", { grant_type: "refresh_token", refresh_token: first.json.refresh_token }, auth);
      assert.equal(again.status, 200, again.text);
      assert.equal("refresh_token" in again.json, false, "no refresh_token in the refresh answer");
      assert.notEqual(again.json.access_token, first.json.access_token);
      assert.equal((await call("/oauth2/api/me", { headers: { Authorization: `Bearer ${again.json.access_token}` } })).status, 200);
    }
    const now = await counters();
    assert.equal(now.grants.generic.refresh_token, (before.grants.generic?.refresh_token ?? 0) + 2);
    assert.equal(now.invalid_grant, before.invalid_grant);
    assert.equal(now.families_revoked, before.families_revoked);
  } finally {
    const back = await postJson("/__sim/config", { rotateRefreshTokens: null, provider: "generic" });
    assert.equal(back.json.effective.generic.rotateRefreshTokens, true);
  }
});
