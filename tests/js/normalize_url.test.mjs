// normalizeUrl's fast path (src/js/marshal.js) must return exactly what the WHATWG URL parser
// returns: checked on every URL of the OAuth 1.0a vectors and on 20,000 seeded random URLs
// built from the characters that matter (case, ports, dot segments, reserved and unsafe bytes).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { canonicalOriginLength, normalizeUrl } from "../../src/js/marshal.js";

const whatwg = (u) => {
  try {
    return new URL(u).href;
  } catch {
    return undefined;
  }
};

test("vector URLs normalize exactly like new URL()", () => {
  for (const file of ["rfc5849.json", "zapevent.json", "generated.json"]) {
    const { vectors } = JSON.parse(readFileSync(new URL(`../vectors/${file}`, import.meta.url)));
    for (const v of vectors) assert.equal(normalizeUrl(v.url), whatwg(v.url), v.url);
  }
});

test("20,000 random URLs normalize exactly like new URL()", () => {
  let seed = 0x5849;
  const rand = (n) => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const pick = (xs) => xs[rand(xs.length)];
  const hosts = ["a.com", "A.com", "api.example.COM", "127.0.0.1", "127.1", "localhost", "xn--bcher-kva.example", "a.com.", "b-c.d", "1.2.3", "[::1]"];
  const ports = ["", "", ":80", ":443", ":8080", ":0", ":65535", ":99999", ":"];
  const chars = "aZ09-._~!$&'()*+,;=:@%/?#[] \"<>`{}|\\^é\t".split("");
  const segments = ["", "x", ".", "..", "%2e", "%2E%2e", "a%20b", "%7e", "%zz"];
  let fast = 0;
  for (let i = 0; i < 20000; i++) {
    let path = "";
    for (let s = rand(4); s > 0; s--) path += "/" + (rand(3) ? pick(segments) : "") + Array.from({ length: rand(4) }, () => pick(chars)).join("");
    let query = rand(2) ? "?" + Array.from({ length: rand(12) }, () => pick(chars)).join("") : "";
    const url = `${pick(["http", "https", "HTTPS"])}://${pick(hosts)}${pick(ports)}${path}${query}`;
    const got = normalizeUrl(url);
    assert.equal(got, whatwg(url), url);
    // The origin oauth1_sign.js keys a PLAINTEXT header by: the parser's own origin.
    const originLength = canonicalOriginLength(url);
    if (originLength > 0) {
      assert.equal(whatwg(url), url, url);
      assert.equal(url.slice(0, originLength), new URL(url).origin, url);
      fast++;
    }
  }
  assert.ok(fast > 200, `the fast path should be exercised (${fast})`);
});

test("URL objects and non-strings", () => {
  assert.equal(normalizeUrl(new URL("HTTPS://A.com:443/x/../y")), "https://a.com/y");
  assert.equal(normalizeUrl(42), undefined);
  assert.equal(normalizeUrl("not a url"), undefined);
});
