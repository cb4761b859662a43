// Helpers of the Node-only provider suite (node.test.mjs): the OneRoster clients shared by the
// cases, what the server sends fetched by plain fetch (never through the SDK) as the expected
// records, error expectations with the no-secret check, and simulator switches put back.
import { assertNoSecrets, assertProviderError, fixtureSecrets, oneRosterClient, providerSim, rosterRecord, simClock } from "./cases.mjs";
import { outcome } from "../assert.mjs";

export { assertRecords, firstDifference } from "../zapevent/cases.mjs";

/** The OneRoster client of `mode`, made once and shared (ctx.clients). */
export const clientOf = (ctx, mode) => (ctx.clients[mode] ??= oneRosterClient(ctx, mode));

export const versionOf = (mode) => (mode === "v1p2" ? "v1p2" : "v1p1");

export const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

// ---- what the server sends (plain fetch) ------------------------------------------------------

/** RFC 6749 §2.3.1: id and secret form-urlencoded, then base64 (1.2 requires Basic). */
const basic = (id, secret) => {
  const f = (s) => encodeURIComponent(s).replace(/%20/g, "+");
  return `Basic ${btoa(`${f(id)}:${f(secret)}`)}`;
};

let rawBearer = null;
async function rawToken(ctx, renew = false) {
  if (rawBearer && !renew) return rawBearer;
  const or = ctx.fixtures.oneroster;
  const c = or.oauth2.clients.full;
  const res = await fetch(`${ctx.simUrl}${or.oauth2.tokenPath}`, {
    method: "POST",
    headers: { Authorization: basic(c.clientId, c.clientSecret), "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", scope: `${or.oauth2.scopes.core} ${or.oauth2.scopes.demographics}` }).toString(),
  });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`raw 1.2 token: HTTP ${res.status} ${JSON.stringify(body)}`);
  return (rawBearer = body.access_token);
}

/** GET of `path` (after the version's base) in "v1p1" (ClassLink proxy's static token) or "v1p2". */
async function rawGetJson(ctx, version, path) {
  const base = version === "v1p2"
    ? `${ctx.simUrl}${ctx.fixtures.oneroster.paths.v1p2}`
    : `${ctx.simUrl}/classlink-proxy/${ctx.fixtures.classlink.appId}/ims/oneroster/v1p1`;
  for (let attempt = 0; ; attempt++) {
    const token = version === "v1p2" ? await rawToken(ctx, attempt > 0) : ctx.fixtures.classlink.accessToken;
    const res = await fetch(`${base}/${path}`, { headers: { Authorization: `Bearer ${token}` } });
    const text = await res.text();
    if (res.status === 401 && version === "v1p2" && attempt === 0) continue; // the raw token expired (sim clock)
    if (res.status !== 200) throw new Error(`raw GET ${path}: HTTP ${res.status}: ${text.slice(0, 300)}`);
    return { body: JSON.parse(text), total: res.headers.get("x-total-count") };
  }
}

const rawCache = new Map();

/**
 * Every record of the list at `path` (`users`, `schools/{id}/classes`, with `query` pairs such as
 * filter or sort) as the server sends it, paged at limit=500 by offset until X-Total-Count, cached.
 */
export async function rawList(ctx, version, path, query = {}) {
  const qs = new URLSearchParams(query).toString().replace(/\+/g, "%20");
  const key = `${version} ${path}?${qs}`;
  if (rawCache.has(key)) return rawCache.get(key);
  const out = [];
  for (;;) {
    const { body, total } = await rawGetJson(ctx, version, `${path}?${qs ? `${qs}&` : ""}limit=500&offset=${out.length}`);
    const page = Object.values(body)[0];
    out.push(...page);
    if (total === null) throw new Error(`raw GET ${path}: no X-Total-Count (paging headers switched off?)`);
    if (page.length === 0 || out.length >= Number(total)) break;
  }
  rawCache.set(key, out);
  return out;
}

/** One record at `path` (`users/{id}`) as the server sends it. */
export async function rawOne(ctx, version, path) {
  return Object.values((await rawGetJson(ctx, version, path)).body)[0];
}

/** The records the SDK must hand out for a list in `mode` (docs: booleans normalized). */
export async function expected(ctx, mode, path, query) {
  return (await rawList(ctx, versionOf(mode), path, query)).map(rosterRecord);
}

// ---- errors -------------------------------------------------------------------------------------

export { outcome };

/** Expects `fn` to fail with `spec` ({code, providerCode?, status?, provider?}) and no secret. */
export async function expectError(ctx, fn, spec, what, extraSecrets = []) {
  const err = await outcome(fn);
  ctx.assert.ok(err, `${what}: expected ${spec.code}, got success`);
  assertProviderError(ctx, err, spec, what);
  assertNoSecrets(ctx, err, fixtureSecrets(ctx.fixtures, extraSecrets), what);
  return err;
}

/** A promise that rejects after `ms`: a run that does not end is a failure, not a hang. */
export function bounded(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result after ${ms} ms (a hang?)`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function assertUnique(ctx, records, what, key = "sourcedId") {
  const ids = records.map((r) => r[key]);
  ctx.assert.equal(new Set(ids).size, ids.length, `${what}: no duplicates`);
}

// ---- simulator switches ----------------------------------------------------------------------------

/**
 * Runs `body(sim, clock)` with faults cleared, OneRoster paging headers on, default TTLs and the
 * sim clock at offset 0 — before and after, whatever happens.
 */
export async function withSim(ctx, body) {
  const sim = providerSim(ctx.simUrl);
  const clock = simClock(sim);
  const restore = async () => {
    await sim.clearFaults();
    await sim.paging({ totalCount: true, link: true });
    for (const p of ["oneroster", "orc", "generic"]) await sim.ttl(p, null);
    await clock.zero();
  };
  await restore();
  try {
    return await body(sim, clock);
  } finally {
    await restore();
  }
}
