// The machinery of the survival cases (survival.mjs, issue 12 item 2): the malformed values, the
// faulty hosts (fetch, stores, bodies), one probe runner and the health check made after every
// probe. Plain ES module, no imports: it runs unchanged in Node and in the browser page.

/** Every code of the README error table (and of common.d.ts). INTERNAL is documented too, but
 *  as "a bug in oauth-edge": a probe answered with it fails. */
export const DOCUMENTED = new Set([
  "INVALID_ARGUMENT", "INSECURE_URL", "NETWORK", "HTTP_STATUS", "PROVIDER_ERROR", "CALLBACK_NOT_CONFIRMED",
  "STATE_MISMATCH", "PARSE", "OAUTH_INVALID_REQUEST", "OAUTH_INVALID_CLIENT", "OAUTH_INVALID_GRANT",
  "OAUTH_UNAUTHORIZED_CLIENT", "OAUTH_UNSUPPORTED_GRANT_TYPE", "OAUTH_INVALID_SCOPE", "OAUTH_ACCESS_DENIED",
  "NEEDS_REAUTH", "RATE_LIMITED", "INVALID_CREDENTIALS", "PERMISSION_DENIED", "NOT_FOUND", "PAGE_REPEATED",
  "ABORTED", "RESPONSE_TOO_LARGE", "STORE_ERROR", "STORE_CONFLICT",
]);

const boom = () => {
  throw new Error("survival: a hostile getter threw");
};
/** A Proxy whose every trap throws (reading, `in`, keys, prototype, calling). */
export const hostileProxy = new Proxy(function () {}, {
  get: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom, getPrototypeOf: boom, apply: boom, construct: boom,
});
/** `base` with `key` replaced by a getter that throws. */
export function throwingGetter(base, key) {
  const o = { ...base };
  Object.defineProperty(o, key, { get: boom, enumerable: true });
  return o;
}
/** `base` behind a Proxy that throws when `key` is read (and only then). */
export function trappedAt(base, key) {
  return new Proxy({ ...base }, { get: (t, k) => (k === key ? boom() : t[k]) });
}

export const HUGE = "a".repeat(10 * 1024 * 1024);

/** Malformed values for any argument or option. */
export const BAD = [
  ["undefined", undefined], ["null", null], ["0", 0], ["-1", -1], ["NaN", Number.NaN], ["Infinity", Infinity],
  ["1e300", 1e300], ["true", true], ["empty string", ""], ["lone surrogate and NUL", "\ud800\u0000x"],
  ["10 MB string", HUGE], ["symbol", Symbol("survival")], ["bigint", 10n], ["array", [1, {}, null]], ["empty object", {}],
  ["function", () => 1], ["null-prototype object", Object.create(null)], ["hostile Proxy", hostileProxy],
  ["object whose toString throws", { toString: boom, valueOf: boom, [Symbol.toPrimitive]: boom }],
  ["invalid Date", new Date(Number.NaN)], ["promise", Promise.resolve("x")],
];

/** Malformed and non-https URLs, for every URL argument and option (on top of BAD). */
export const BAD_URLS = [
  ["not a URL", "not a url"], ["plain http off loopback", "http://example.com/x"], ["ftp", "ftp://example.com/x"],
  ["javascript:", "javascript:alert(1)"], ["data:", "data:text/plain,x"], ["file:", "file:///etc/passwd"],
  ["scheme only", "https://"], ["space in host", "https://exa mple.com/"], ["protocol-relative", "//example.com/x"],
  ["unclosed IPv6", "https://[::1/x"], ["userinfo", "https://user:pass@example.com/x"],
  ["10 MB URL", `https://example.com/?q=${HUGE}`], ["URL object, http", new URL("http://example.com/x")],
];

const json = (body, status = 200, headers = {}) =>
  new Response(typeof body === "string" ? body : JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

/** A fetch that answers every request with a valid token response (it parses as little else). */
export const okFetch = async () => json({ access_token: "at", token_type: "Bearer", expires_in: 3600, refresh_token: "rt" });

/** A body that sends some bytes, then errors: a connection dropped in the middle. */
const cutBody = () => new ReadableStream({
  start(c) {
    c.enqueue(new TextEncoder().encode('{"access_token":"a'));
  },
  pull(c) {
    c.error(new TypeError("survival: connection reset"));
  },
});

/** Faulty fetch functions: how a host (or a test double) can misbehave. */
export const BAD_FETCHES = [
  ["rejects with a TypeError", () => Promise.reject(new TypeError("survival: fetch failed"))],
  ["rejects with undefined", () => Promise.reject(undefined)],
  ["rejects with a string", () => Promise.reject("survival")],
  ["throws synchronously", boom],
  ["returns undefined", () => undefined],
  ["resolves to null", async () => null],
  ["resolves to a plain object", async () => ({ status: 200, ok: true, headers: {}, text: async () => "{}" })],
  ["resolves to a string", async () => "HTTP/1.1 200 OK"],
  ["resolves to a hostile Proxy", async () => hostileProxy],
  ["resolves to a Response-like object (prototype only)", async () => Object.create(Response.prototype)],
  ["resolves to a Proxy of a Response", async () => new Proxy(json({}), {})],
  ["a body cut in the middle (stream errors)", async () => new Response(cutBody(), { headers: { "content-type": "application/json" } })],
  ["a body cut in the middle (Content-Length)", async () => new Response(cutBody(), { headers: { "content-type": "application/json", "content-length": "400" } })],
  ["binary garbage", async () => new Response(new Uint8Array([0xff, 0xfe, 0, 1, 0x80, 0xc3, 0x28]), { headers: { "content-type": "application/json" } })],
  ["HTML error page", async () => new Response("<html><body>502 Bad Gateway", { status: 502, headers: { "content-type": "text/html" } })],
  ["JSON of the wrong shape", async () => json([1, 2, { access_token: 5 }])],
  ["deeply nested JSON", async () => json("[".repeat(100_000) + "]".repeat(100_000))],
  ["XML bomb", async () => new Response('<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">]><l>&b;&b;&b;</l>', { headers: { "content-type": "text/xml" } })],
  ["204 with no body", async () => new Response(null, { status: 204 })],
  ["401 with a hostile WWW-Authenticate", async () => json({}, 401, { "www-authenticate": 'Bearer error="invalid_token", ,,="\\' })],
  ["429 with a junk Retry-After", async () => json({}, 429, { "retry-after": "soon" })],
  ["a declared 5 GB body", async () => new Response("{}", { headers: { "content-type": "application/json", "content-length": String(5 * 2 ** 30) } })],
];

/** Faulty token stores. `tokens` is a valid stored record. */
export function badStores(tokens) {
  const ok = { tokens, version: "1" };
  const store = (load, save = async () => "2", extra = {}) => ({ load, save, ...extra });
  return [
    ["load throws", store(boom)],
    ["load rejects", store(() => Promise.reject(new Error("survival: db down")))],
    ["load rejects with undefined", store(() => Promise.reject(undefined))],
    ["load returns 42", store(() => 42)],
    ["load returns a string", store(async () => "junk")],
    ["load returns a hostile Proxy", store(async () => hostileProxy)],
    ["load: tokens is null", store(async () => ({ tokens: null, version: "1" }))],
    ["load: accessToken is a number", store(async () => ({ tokens: { ...tokens, accessToken: 5 }, version: "1" }))],
    ["load: expiresAt is a string", store(async () => ({ tokens: { ...tokens, expiresAt: "tomorrow" }, version: "1" }))],
    ["load: version is a number", store(async () => ({ tokens, version: 7 }))],
    ["load: a cycle", store(async () => { const t = { ...tokens }; t.self = t; return { tokens: t, version: "1" }; })],
    ["load: a BigInt", store(async () => ({ tokens: { ...tokens, extra: { n: 1n } }, version: "1" }))],
    ["load: a 10 MB token", store(async () => ({ tokens: { ...tokens, accessToken: HUGE }, version: "1" }))],
    ["load: tokens getter throws", store(async () => throwingGetter(ok, "tokens"))],
    ["save throws", store(async () => ok, boom)],
    ["save rejects", store(async () => ok, () => Promise.reject(new Error("survival: write failed")))],
    ["save returns 42", store(async () => ok, async () => 42)],
    ["save returns an object", store(async () => ok, async () => ({ version: "2" }))],
    ["save always conflicts", store(async () => ok, async () => null)],
    ["lock throws", store(async () => ok, undefined, { lock: boom })],
    ["lock rejects", store(async () => ok, undefined, { lock: () => Promise.reject(new Error("survival: lock")) })],
    ["lock never calls fn", store(async () => ok, undefined, { lock: async () => "done" })],
    ["lock is not a function", store(async () => ok, undefined, { lock: 42 })],
    ["load is a getter that throws", throwingGetter({ load: async () => ok, save: async () => "2" }, "load")],
    ["a hostile Proxy", hostileProxy],
  ];
}

// RFC 5849 §1.2, temporary credential request: the signature the RFC prints.
const RFC_CREDS = { consumerKey: "dpf43f3p2l4k3l03", consumerSecret: "kd94hf93k423kf44", realm: "Photos", includeVersion: false };
const RFC_INPUT = { method: "POST", url: "https://photos.example.net/initiate", callback: "http://printer.example.com/ready", nonce: "wIjqoS", timestamp: 137131200 };
const RFC_SIGNATURE = 'oauth_signature="74KNZJeDHnMBp0EMJ9ZHt%2FXKycU%3D"';

/** The module instance still works: a fresh signer reproduces the RFC's signature. */
export function healthy(pkg) {
  const signed = new pkg.OAuth1Signer(RFC_CREDS).sign(RFC_INPUT);
  if (!String(signed.headers.Authorization).includes(RFC_SIGNATURE)) throw new Error(`wrong signature: ${signed.headers.Authorization}`);
}

const HANG = Symbol("hang");

/** Runs `fn` (a PagedList result is drained), bounded: {value} or {error} (HANG if it never settled). */
export async function settle(fn, ms = 5000) {
  let timer;
  try {
    const r = fn();
    const pending = r && typeof r.toArray === "function" ? r.toArray() : r;
    const hang = new Promise((resolve) => (timer = setTimeout(() => resolve(HANG), ms)));
    const value = await Promise.race([pending, hang]);
    return value === HANG ? { error: HANG } : { value };
  } catch (error) {
    return { error };
  } finally {
    clearTimeout(timer);
  }
}

const describe = (e) => {
  try {
    return e === HANG ? "never settled" : `${e?.name ?? typeof e}${e?.code ? ` ${e.code}` : ""}: ${String(e?.message ?? e).slice(0, 160)}`;
  } catch {
    return "an unprintable value";
  }
};

/**
 * A probe run: each `probe(what, fn)` runs fn, requires success or an OAuthEdgeError with a
 * documented code, then the health check on the same module instance. `finish()` throws the
 * list of every failure (at most 40 shown).
 */
export function prober(pkg, assert) {
  const failures = [];
  let count = 0;
  let broken = null;
  return {
    async probe(what, fn, ms) {
      if (broken) return;
      count++;
      const { error } = await settle(fn, ms);
      if (error !== undefined) {
        const typed = error !== HANG && error instanceof pkg.OAuthEdgeError && DOCUMENTED.has(error.code);
        if (!typed) failures.push(`${what}: ${describe(error)}`);
      }
      try {
        healthy(pkg);
      } catch (e) {
        broken = `the instance is broken after "${what}": ${describe(e)}`;
      }
    },
    get count() {
      return count;
    },
    finish() {
      if (broken) failures.push(broken);
      assert.ok(count > 0, "no probe ran");
      if (failures.length) assert.fail(`${failures.length} of ${count} probes failed:\n  ${failures.slice(0, 40).join("\n  ")}`);
    },
  };
}

/**
 * Probes `call(args)` with each argument replaced by every BAD value (and BAD_URLS where
 * `urlArgs` says), and, for the options object at `opt`, each of its keys (and `extra` keys)
 * replaced likewise, read through a throwing getter, and read through a trapping Proxy.
 */
export async function probeArgs(p, name, args, call, { opt = -1, extra = [], urlKeys = [], urlArgs = [] } = {}) {
  const fresh = () => args();
  for (let i = 0; i < fresh().length; i++) {
    for (const [label, v] of [...BAD, ...(urlArgs.includes(i) ? BAD_URLS : [])]) {
      const a = fresh();
      a[i] = v;
      await p.probe(`${name}: argument ${i} = ${label}`, () => call(a));
    }
  }
  if (opt < 0) return;
  const keys = [...new Set([...Object.keys(fresh()[opt] ?? {}), ...extra])];
  for (const key of keys) {
    for (const [label, v] of [...BAD, ...(urlKeys.includes(key) ? BAD_URLS : [])]) {
      const a = fresh();
      a[opt] = { ...a[opt], [key]: v };
      await p.probe(`${name}: ${key} = ${label}`, () => call(a));
    }
    const g = fresh();
    g[opt] = throwingGetter(g[opt], key);
    await p.probe(`${name}: ${key} getter throws`, () => call(g));
    const t = fresh();
    t[opt] = trappedAt(t[opt], key);
    await p.probe(`${name}: Proxy throws on ${key}`, () => call(t));
  }
}
