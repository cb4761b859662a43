// The fault matrix of issue 12 item 6, as one data structure: MATRIX[fault][column] is either
// {outcome, run(ctx)} — the README's text for the cell and the test that asserts it — or
// {na: "why"} for a cell that does not apply. `faultCases` (the Node suite, node.test.mjs) and
// scripts/fault-table.mjs (README "Faults") are both read from it, so the table cannot drift
// from what is tested. Columns: columns.mjs; helpers: kit.mjs.
//
// Every cell runs inside `withCell` (simulator switches at their defaults before and after: no
// faults, sim clock at offset 0), counts the requests the simulator saw on the path it faults
// (GET /__sim/requests logs a request before any fault answers it), and ends with a call that
// works: the same client keeps working after the fault.
import { readPages } from "../zapevent/cases.mjs";
import { COLUMNS } from "./columns.mjs";
import { assertFault, collectTokens, outcome, sdkClock, storedRefreshToken, timed, withCell } from "./kit.mjs";

export { COLUMNS };

/** Retry-After of the single 429/503 (seconds) and the one over the SDK's 10 s cap. */
const RETRY_AFTER = 1;
const RETRY_AFTER_OVER_CAP = 11;
/** The "slow" fault: a response after SLOW_MS to a client whose timeoutMs is TIMEOUT_MS. */
const TIMEOUT_MS = 300;
const SLOW_MS = 2000;
/** ±10 minutes of clock skew (the OAuth 1.0a window of the simulator is ±300 s). */
const SKEW_SECONDS = 600;
/** Hours the SDK clock skips to make every access token of the simulator due (ORC: 24 h). */
const PAST_EXPIRY_HOURS = 25;

// ---- shared steps -------------------------------------------------------------------------

/** One call that must work, with its records checked; returns the requests it sent to `path`. */
async function works(ctx, sim, col, h, what, path = col.api) {
  const mark = await sim.mark();
  const r = await timed(() => h.call());
  if (r.error) ctx.assert.fail(`${what}: expected success, got ${r.error.name} ${r.error.code ?? ""}: ${r.error.message}`);
  h.check(r.value, what);
  await collectTokens(sim);
  return { sent: await sim.sent(mark, path), ms: r.ms };
}

/**
 * `fn` must fail with `spec`: a typed error without any secret (the fixtures', and every token
 * the cell's stores have held); returns {error, ms, sent(path)}.
 */
async function fails(ctx, sim, col, fn, spec, what, path = col.api) {
  const mark = await sim.mark();
  const r = await timed(fn);
  await collectTokens(sim);
  assertFault(ctx, r.error, spec, what, [...sim.tokens]);
  return { error: r.error, ms: r.ms, sent: await sim.sent(mark, path) };
}

/**
 * OneRoster 1.2's client-credentials grant under `fault`: a new client (`openOptions`) whose
 * first call must fail with `spec`, then work once the fault is spent; returns the failure.
 */
async function grantFails(ctx, sim, col, fault, spec, what, openOptions = {}) {
  const fresh = await col.open(ctx, openOptions);
  await sim.fault(col.token, { ...fault, times: 1 });
  const failure = await fails(ctx, sim, col, () => fresh.call(), spec, what, col.token);
  await works(ctx, sim, col, fresh, "the fresh client, fault cleared", col.token);
  return failure;
}

/** A cell's outcome text: its non-empty parts, "; " between them. */
const join = (...parts) => parts.filter(Boolean).join("; ");

/** The column's typed-error provider (undefined: a session.fetch Response, not an error). */
const providerOf = (col) => col.provider;

/** Opens the column with an SDK clock; OAuth 2 sessions get a fresh memory store, watched for secrets. */
async function open(ctx, sim, col, extra = {}) {
  const clock = sdkClock();
  const h = await col.open(ctx, { clock, ...extra });
  for (const store of h.stores ?? (h.store ? [h.store] : [])) sim.stores.add(store);
  return { h, clock };
}

/** Makes the session's access token due on the SDK clock (the next call refreshes first). */
const dueNow = (clock) => clock.skip(PAST_EXPIRY_HOURS);

// ---- rows ---------------------------------------------------------------------------------

/**
 * 429 / 503 + Retry-After. API path: one fault is retried after at least Retry-After and the
 * call succeeds (2 requests); three in a row (Retry-After 0) end in RATE_LIMITED with
 * retryAfter (3 requests); a Retry-After over the 10 s cap ends the retries at once (1
 * request). Token path: a refresh is retried the same way; a client-credentials grant is not.
 */
function rateLimited(kind) {
  const tokenRetryAfter = kind === "429" ? RETRY_AFTER : 0;
  return (col) => ({
    outcome: kind === "503" ? "as 429" : join("retried → ok; 3×: `RATE_LIMITED`", col.refresh && "refresh: retried", col.clientCredentials && "grant: `RATE_LIMITED`, not retried"),
    async run(ctx) {
      const a = ctx.assert;
      await withCell(ctx, async (sim) => {
        const { h, clock } = await open(ctx, sim, col);
        await works(ctx, sim, col, h, "before the fault");
        // One fault, Retry-After 1 s: retried after at least that, then the answer.
        await sim.fault(col.api, { kind, retryAfter: RETRY_AFTER, times: 1 });
        const once = await works(ctx, sim, col, h, `one ${kind}`);
        a.equal(once.sent, 2, `one ${kind}: requests (the fault, then the retry)`);
        a.ok(once.ms >= RETRY_AFTER * 1000, `one ${kind}: the retry waited at least Retry-After (${Math.round(once.ms)} ms)`);
        // Persisting: the bounded retries end in RATE_LIMITED.
        await sim.fault(col.api, { kind, retryAfter: 0, times: 3 });
        const spec = { code: "RATE_LIMITED", status: Number(kind), retryAfter: 0, provider: providerOf(col) };
        const persisting = await fails(ctx, sim, col, () => h.call(), spec, `${kind} three times`);
        a.equal(persisting.sent, 3, `${kind} three times: requests (3 attempts in all)`);
        // Over the cap: no wait at all, retryAfter says when to come back.
        await sim.fault(col.api, { kind, retryAfter: RETRY_AFTER_OVER_CAP, times: 1 });
        const over = await fails(ctx, sim, col, () => h.call(), { ...spec, retryAfter: RETRY_AFTER_OVER_CAP }, `${kind} with Retry-After ${RETRY_AFTER_OVER_CAP}`);
        a.equal(over.sent, 1, `Retry-After ${RETRY_AFTER_OVER_CAP}: one request (over the 10 s cap)`);
        a.ok(over.ms < 1000, `Retry-After ${RETRY_AFTER_OVER_CAP}: failed at once (${Math.round(over.ms)} ms)`);
        if (col.refresh) {
          // The refresh request meets the fault: retried, the rotated token saved, the call works.
          const before = await storedRefreshToken(h.store);
          dueNow(clock);
          await sim.fault(col.token, { kind, retryAfter: tokenRetryAfter, times: 1 });
          const refresh = await works(ctx, sim, col, h, `${kind} on the refresh`, col.token);
          a.equal(refresh.sent, 2, `${kind} on the refresh: token requests (the fault, then the retry)`);
          a.ok(refresh.ms >= tokenRetryAfter * 1000, `${kind} on the refresh: waited at least Retry-After`);
          const after = await storedRefreshToken(h.store);
          a.ok(after && after !== before, `${kind} on the refresh: the rotated refresh token is in the store`);
        }
        if (col.clientCredentials) {
          // A fresh client's first call needs a grant: the grant is not retried.
          const spec = { code: "RATE_LIMITED", status: Number(kind), provider: providerOf(col) };
          const grant = await grantFails(ctx, sim, col, { kind, retryAfter: tokenRetryAfter }, spec, `${kind} on the grant`);
          a.equal(grant.sent, 1, `${kind} on the grant: one token request (grants are not retried)`);
        }
        const last = await works(ctx, sim, col, h, "after the faults");
        a.equal(last.sent, 1, "after the faults: one request");
      });
    },
  });
}

/** 500: HTTP_STATUS 500, not retried; a refresh meeting it fails the same and keeps the token. */
function serverError(col) {
  return {
    outcome: col.sessionFetch
      ? join("`fetch`: the 500 `Response`; `paginate`: `HTTP_STATUS`", "refresh: `HTTP_STATUS`, token kept")
      : join("`HTTP_STATUS`, not retried", col.refresh && "refresh: `HTTP_STATUS`, token kept", col.clientCredentials && "grant: `HTTP_STATUS`"),
    async run(ctx) {
      const a = ctx.assert;
      await withCell(ctx, async (sim) => {
        const { h, clock } = await open(ctx, sim, col);
        await works(ctx, sim, col, h, "before the fault");
        await sim.fault(col.api, { kind: "500", times: 1 });
        if (col.sessionFetch) {
          // session.fetch is fetch: the host's Response, whatever its status.
          const mark = await sim.mark();
          const res = await h.call();
          a.equal(res.status, 500, "session.fetch: the 500 Response handed back");
          a.equal(await sim.sent(mark, col.api), 1, "session.fetch: one request");
          const items = await h.paged();
          await sim.fault("^/oauth2/api/items$", { kind: "500", times: 1 });
          const paged = await fails(ctx, sim, col, () => items.paginate(`${ctx.simUrl}/oauth2/api/items?style=page`, { style: "page", itemsPath: "data", totalPath: "meta.total" }).toArray(), { code: "HTTP_STATUS", status: 500, provider: "generic" }, "paginate: 500", "^/oauth2/api/items$");
          a.equal(paged.sent, 1, "paginate: one request (not retried)");
        } else {
          const r = await fails(ctx, sim, col, () => h.call(), { code: "HTTP_STATUS", status: 500, provider: providerOf(col) }, "500");
          a.equal(r.sent, 1, "500: one request (not retried)");
        }
        if (col.refresh) {
          const before = await storedRefreshToken(h.store);
          dueNow(clock);
          await sim.fault(col.token, { kind: "500", times: 1 });
          const r = await fails(ctx, sim, col, () => h.call(), { code: "HTTP_STATUS", status: 500, provider: providerOf(col) }, "500 on the refresh", col.token);
          a.equal(r.sent, 1, "500 on the refresh: one token request");
          a.equal(await storedRefreshToken(h.store), before, "500 on the refresh: the refresh token is kept");
          clock.skip(0.01); // past the session's short backoff after a failed refresh
          const later = await works(ctx, sim, col, h, "the next call refreshes", col.token);
          a.equal(later.sent, 1, "the next call: one refresh");
          a.notEqual(await storedRefreshToken(h.store), before, "the next call: the rotated refresh token is in the store");
        }
        if (col.clientCredentials) {
          await grantFails(ctx, sim, col, { kind: "500" }, { code: "HTTP_STATUS", status: 500, provider: providerOf(col) }, "500 on the grant");
        }
        await works(ctx, sim, col, h, "after the fault");
      });
    },
  };
}

/**
 * A dropped connection: NETWORK, the API call not retried (it may have had effects). On a
 * refresh: retried (3 attempts), then NETWORK; the stored refresh token is unchanged and a
 * later call refreshes with it.
 */
function dropped(col) {
  return {
    outcome: join("`NETWORK`, not retried", col.refresh && "refresh: 3 tries, `NETWORK`, token kept", col.clientCredentials && "grant: `NETWORK`"),
    async run(ctx) {
      const a = ctx.assert;
      await withCell(ctx, async (sim) => {
        const { h, clock } = await open(ctx, sim, col);
        await works(ctx, sim, col, h, "before the fault");
        await sim.fault(col.api, { kind: "drop", times: 1 });
        const r = await fails(ctx, sim, col, () => h.call(), { code: "NETWORK" }, "dropped connection");
        a.equal(r.sent, 1, "dropped connection: one request (not retried)");
        if (col.refresh) {
          const before = await storedRefreshToken(h.store);
          dueNow(clock);
          await sim.fault(col.token, { kind: "drop", times: 3 });
          const t = await fails(ctx, sim, col, () => h.call(), { code: "NETWORK" }, "dropped refresh", col.token);
          a.equal(t.sent, 3, "dropped refresh: token requests (3 attempts)");
          a.equal(await storedRefreshToken(h.store), before, "dropped refresh: the stored refresh token is unchanged");
          clock.skip(0.01);
          const later = await works(ctx, sim, col, h, "the next call refreshes with it", col.token);
          a.equal(later.sent, 1, "the next call: one refresh");
          a.notEqual(await storedRefreshToken(h.store), before, "the next call: the rotated refresh token is in the store");
        }
        if (col.clientCredentials) {
          await grantFails(ctx, sim, col, { kind: "drop" }, { code: "NETWORK" }, "dropped grant");
        }
        await works(ctx, sim, col, h, "after the fault");
      });
    },
  };
}

/**
 * A truncated body: NETWORK ("cut off"), typed. On a refresh the provider has rotated and its
 * answer is lost: the retry presents the used refresh token, a strict-rotation provider revokes
 * the family, and the session says NEEDS_REAUTH naming the loss in transit (reuseGraceSeconds
 * is the cure where a provider has a grace period; the simulator's have none).
 */
function truncated(col) {
  return {
    outcome: col.sessionFetch
      ? join("`fetch`: its body read rejects (host error); `paginate`: `NETWORK`", "refresh: `NEEDS_REAUTH` (answer lost)")
      : join("`NETWORK`", col.refresh && "refresh: `NEEDS_REAUTH` (answer lost)", col.clientCredentials && "grant: `NETWORK`"),
    async run(ctx) {
      const a = ctx.assert;
      await withCell(ctx, async (sim) => {
        const { h, clock } = await open(ctx, sim, col);
        await works(ctx, sim, col, h, "before the fault");
        await sim.fault(col.api, { kind: "truncate", times: 1 });
        if (col.sessionFetch) {
          // The Response resolves; its body is the caller's to read, and that read fails.
          const res = await h.session.fetch(`${ctx.simUrl}/priava/api/events`);
          a.equal(res.status, 200, "session.fetch: the Response (headers arrived)");
          const err = await outcome(() => res.text());
          a.ok(err instanceof TypeError, `session.fetch: reading the cut body rejects with the host's error (got ${err && err.name})`);
          const items = await h.paged();
          await sim.fault("^/oauth2/api/items$", { kind: "truncate", times: 1 });
          await fails(ctx, sim, col, () => items.paginate(`${ctx.simUrl}/oauth2/api/items?style=page`, { style: "page", itemsPath: "data", totalPath: "meta.total" }).toArray(), { code: "NETWORK", message: /cut off/ }, "paginate: truncated", "^/oauth2/api/items$");
        } else {
          const r = await fails(ctx, sim, col, () => h.call(), { code: "NETWORK", message: /cut off/ }, "truncated body");
          a.equal(r.sent, 1, "truncated body: one request");
        }
        if (col.refresh) {
          const before = await storedRefreshToken(h.store);
          dueNow(clock);
          await sim.fault(col.token, { kind: "truncate", times: 1 });
          const t = await fails(ctx, sim, col, () => h.call(), { code: "NEEDS_REAUTH", providerCode: "invalid_grant", provider: providerOf(col), message: /in transit/ }, "truncated refresh answer", col.token);
          a.equal(t.sent, 2, "truncated refresh answer: token requests (the cut one, the refused retry)");
          a.equal(h.session.state(), "needs_reauth", "truncated refresh answer: state needs_reauth");
          a.equal(await storedRefreshToken(h.store), before, "truncated refresh answer: the store keeps the last refresh token it received");
        } else {
          await works(ctx, sim, col, h, "after the fault");
        }
        if (col.clientCredentials) {
          await grantFails(ctx, sim, col, { kind: "truncate" }, { code: "NETWORK", message: /cut off/ }, "truncated grant");
        }
      });
    },
  };
}

/**
 * A response slower than timeoutMs: NETWORK naming timeoutMs, after about timeoutMs, on every
 * request the SDK sends and reads itself (API calls, paginate, refreshes, grants). session.fetch
 * answers are the caller's, as with fetch: its `init.signal` bounds them.
 */
function slow(col) {
  return {
    outcome: col.sessionFetch
      ? join("`fetch`: your `init.signal` bounds it (`NETWORK`); `paginate`: `NETWORK` after ≈ `timeoutMs`", "refresh: retried")
      : join("`NETWORK` after ≈ `timeoutMs`", col.refresh && "refresh: retried", col.clientCredentials && "grant: `NETWORK`"),
    async run(ctx) {
      const a = ctx.assert;
      await withCell(ctx, async (sim) => {
        const { h, clock } = await open(ctx, sim, col, { options: { timeoutMs: TIMEOUT_MS } });
        await works(ctx, sim, col, h, "before the fault");
        await sim.fault(col.api, { kind: "slow", delayMs: SLOW_MS, times: 1 });
        const spec = { code: "NETWORK", message: /timeoutMs/ };
        const about = (r, what) => {
          a.ok(r.ms >= TIMEOUT_MS - 20 && r.ms < TIMEOUT_MS + 1000, `${what}: timed out after about ${TIMEOUT_MS} ms (${Math.round(r.ms)} ms)`);
          a.equal(r.sent, 1, `${what}: one request`);
        };
        if (col.sessionFetch) {
          // session.fetch: the caller's signal, as with fetch.
          const url = `${ctx.simUrl}/priava/api/events`;
          about(await fails(ctx, sim, col, () => h.session.fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) }), spec, "session.fetch, AbortSignal.timeout"), "session.fetch");
          // paginate reads its pages itself: timeoutMs.
          const items = await h.paged();
          await sim.fault("^/oauth2/api/items$", { kind: "slow", delayMs: SLOW_MS, times: 1 });
          about(await fails(ctx, sim, col, () => items.paginate(`${ctx.simUrl}/oauth2/api/items?style=page`, { style: "page", itemsPath: "data", totalPath: "meta.total" }).toArray(), spec, "paginate: a slow page", "^/oauth2/api/items$"), "paginate");
        } else {
          about(await fails(ctx, sim, col, () => h.call(), spec, `a response after ${SLOW_MS} ms`), "the call");
        }
        if (col.refresh) {
          const before = await storedRefreshToken(h.store);
          dueNow(clock);
          await sim.fault(col.token, { kind: "slow", delayMs: SLOW_MS, times: 1 });
          const t = await works(ctx, sim, col, h, "slow refresh: timed out, retried", col.token);
          a.equal(t.sent, 2, "slow refresh: token requests (the timed-out one, the retry)");
          a.ok(t.ms < SLOW_MS, `slow refresh: did not wait for the slow answer (${Math.round(t.ms)} ms)`);
          a.notEqual(await storedRefreshToken(h.store), before, "slow refresh: the rotated refresh token is in the store");
        }
        if (col.clientCredentials) {
          await grantFails(ctx, sim, col, { kind: "slow", delayMs: SLOW_MS }, spec, "slow grant", { options: { timeoutMs: TIMEOUT_MS } });
        }
        await works(ctx, sim, col, h, "after the fault");
      });
    },
  };
}

/**
 * The simulator's clock ±10 minutes from the client's. OAuth 1.0a: the first request is refused
 * (401 timestamp_refused), the SDK takes its clock offset from the answer's `Date` and retries
 * once, and later requests carry the corrected timestamp. Bearer modes carry no timestamp, and
 * OAuth 2 expiry comes from expires_in on the client's clock: they just work (a refresh too).
 */
function skewed(col) {
  return {
    outcome: col.oauth1 ? "refused once, clock from `Date`, retried → ok" : join("ok", col.refresh && "refresh ok"),
    async run(ctx) {
      const a = ctx.assert;
      await withCell(ctx, async (sim) => {
        for (const skew of [SKEW_SECONDS, -SKEW_SECONDS]) {
          const what = `sim clock ${skew > 0 ? "+" : ""}${skew} s`;
          await sim.advance(skew);
          try {
            const c0 = await sim.counters();
            const { h, clock } = await open(ctx, sim, col);
            const first = await works(ctx, sim, col, h, `${what}: first call`);
            const c1 = await sim.counters();
            const refused = (c1.oauth1?.timestamp_stale ?? 0) - (c0.oauth1?.timestamp_stale ?? 0);
            a.equal(first.sent, col.oauth1 ? 2 : 1, `${what}: requests of the first call`);
            a.equal(refused, col.oauth1 ? 1 : 0, `${what}: timestamps refused`);
            const second = await works(ctx, sim, col, h, `${what}: second call`);
            a.equal(second.sent, 1, `${what}: the second call needs no correction`);
            if (col.refresh) {
              dueNow(clock);
              const r = await works(ctx, sim, col, h, `${what}: a refresh`, col.token);
              a.equal(r.sent, 1, `${what}: one refresh`);
            }
          } finally {
            await sim.advance(-skew);
          }
        }
      });
    },
  };
}

/**
 * A reused refresh token (a stale copy of the record, e.g. a restored backup, refreshing after
 * the live session rotated) and the revoked family it causes: NEEDS_REAUTH for both; neither
 * store loses what it held: the live one keeps the rotated refresh token it obtained.
 */
function reusedRefreshToken(col) {
  if (!col.refresh) return { na: col.id === "oneroster-proxy" ? "static token" : col.clientCredentials ? "no refresh token: a new grant" : "no refresh token" };
  return {
    outcome: "`NEEDS_REAUTH`; the rotated token stays stored",
    async run(ctx) {
      const a = ctx.assert;
      const { pkg } = ctx;
      await withCell(ctx, async (sim) => {
        const { h, clock } = await open(ctx, sim, col);
        await works(ctx, sim, col, h, "signed in");
        const first = await storedRefreshToken(h.store);
        // A stale copy of the record (a backup restored elsewhere), in its own session.
        const copy = (await h.store.load()).tokens;
        const staleStore = pkg.memoryStore(copy);
        sim.stores.add(staleStore);
        const staleClock = { offsetMs: clock.offsetMs };
        const stale = new pkg.TokenSession(h.client, { store: staleStore, now: () => Date.now() + staleClock.offsetMs });
        // The live session rotates.
        dueNow(clock);
        const live = await works(ctx, sim, col, h, "the live session refreshes", col.token);
        a.equal(live.sent, 1, "the live session: one refresh");
        const rotated = await storedRefreshToken(h.store);
        a.ok(rotated && rotated !== first, "the live session: the rotated refresh token is stored");
        // The stale copy presents the used token: refused, and the provider revokes the family.
        staleClock.offsetMs += PAST_EXPIRY_HOURS * 3_600_000;
        const spec = { code: "NEEDS_REAUTH", providerCode: "invalid_grant", provider: providerOf(col), message: /no longer valid/ };
        const reused = await fails(ctx, sim, col, () => stale.accessToken(), spec, "the reused refresh token", col.token);
        a.equal(reused.sent, 1, "the reused refresh token: one token request");
        a.equal(stale.state(), "needs_reauth", "the stale session: needs_reauth");
        a.equal(await storedRefreshToken(staleStore), first, "the stale store: untouched");
        // The live session's family is revoked now: its next refresh is refused.
        dueNow(clock);
        const revoked = await fails(ctx, sim, col, () => h.call(), spec, "the revoked refresh token", col.token);
        a.equal(revoked.sent, 1, "the revoked refresh token: one token request");
        a.equal(h.session.state(), "needs_reauth", "the live session: needs_reauth");
        a.equal(await storedRefreshToken(h.store), rotated, "the live store still holds the rotated refresh token it obtained");
        // It stays refused without asking the provider again, until the user signs in again.
        const again = await fails(ctx, sim, col, () => h.call(), spec, "the next call", col.token);
        a.equal(again.sent, 0, "needs_reauth: no further token request");
        a.equal(await storedRefreshToken(h.store), rotated, "the rotated refresh token is still there");
      });
    },
  };
}

/**
 * A malformed page in the middle of a paging run (page 3 of 5, garbled once in its own format):
 * PARSE naming the provider; the run's cursor resumes after the fault clears and the union of
 * both runs is exactly the full list (count, ids in order, no duplicates, no gaps).
 */
function malformedPage(col) {
  if (!col.paging) return { na: col.noPaging };
  const labels = col.paging.map((p) => p.label).join(", ");
  return {
    outcome: `\`PARSE\` (${col.id === "priava" ? `\`paginate\`: ${labels}` : labels}); resumes from the cursor`,
    async run(ctx) {
      const a = ctx.assert;
      await withCell(ctx, async (sim) => {
        const { h } = await open(ctx, sim, col);
        for (const spec of col.paging) {
          const what = spec.label;
          const expected = spec.expected(ctx);
          const mark = await sim.mark();
          const list = await spec.list(ctx, h, null);
          const seen = [];
          const pagesSeen = [];
          const err = await outcome(async () => {
            for await (const page of list.pages()) {
              seen.push(...page.items);
              pagesSeen.push(page.page);
              if (page.page === 2) await sim.fault(col.pagedApi, { kind: "malformed", times: 1 });
            }
          });
          await collectTokens(sim);
          assertFault(ctx, err, { code: "PARSE", provider: spec.provider ?? providerOf(col) }, `${what}: the garbled page 3`, [...sim.tokens]);
          await sim.clearFaults();
          a.deepEqual(pagesSeen, [1, 2], `${what}: pages before the fault`);
          const cursor = list.cursor;
          a.equal(typeof cursor, "string", `${what}: a cursor to resume from`);
          const resumed = await readPages(await spec.list(ctx, h, cursor));
          a.deepEqual(resumed.pages.map((p) => p.page), [3, 4, 5], `${what}: the resumed run's pages`);
          const all = [...seen, ...resumed.items];
          const ids = all.map(spec.id);
          a.equal(new Set(ids).size, ids.length, `${what}: no duplicates`);
          a.deepEqual(ids, expected.map(spec.id), `${what}: every id once, in order (${expected.length})`);
          if (col.id.startsWith("zapevent")) a.deepEqual(all, expected, `${what}: the records`);
          a.equal(await sim.sent(mark, col.pagedApi), 6, `${what}: requests (2 pages, the garbled one, 3 resumed)`);
        }
      });
    },
  };
}

/** The rows, in README order: id, the README's name, and the cell of each column. */
export const ROWS = [
  { id: "429", title: "429 + Retry-After", cell: rateLimited("429") },
  { id: "503", title: "503 + Retry-After", cell: rateLimited("503") },
  { id: "500", title: "500", cell: serverError },
  { id: "drop", title: "dropped connection", cell: dropped },
  { id: "truncate", title: "truncated body", cell: truncated },
  { id: "slow", title: `slow response (${SLOW_MS} ms > \`timeoutMs\` ${TIMEOUT_MS})`, cell: slow },
  { id: "skew", title: "clock skew ±10 min", cell: skewed },
  { id: "refresh-reuse", title: "reused, then revoked refresh token", cell: reusedRefreshToken },
  { id: "malformed-page", title: "malformed page 3 of 5 (once)", cell: malformedPage },
];

/** What the table means: the lines under it in README "Faults" (scripts/fault-table.mjs). */
export const NOTES = [
  "Each cell is a test (`tests/runtime/faults/`): one call, the fault injected by the simulator; it asserts the error's `code`, `status`, `provider`, the requests sent, the time taken, no secret, and a working call after.",
  "429/503 are retried (3 attempts, `Retry-After` as a floor; over 10 s, none) on API calls, `session.fetch`, `paginate` and refreshes, never on `OAuth2Client` grants (*grant*: OneRoster 1.2's token request).",
  "A dropped or timed-out API call is not retried (it may have had effects); a *refresh* (the session's refresh request meeting the fault) is.",
  "Nothing is lost: a failed refresh keeps the stored refresh token, a rotated one stays stored even after `NEEDS_REAUTH`, and a paging run stopped by a fault resumes from `list.cursor`.",
  "Priava has no data API: its column pages with `session.paginate` over the simulator's generic one (OmniFund and the ORC roster do not page).",
];

/** MATRIX[row id][column id] = {outcome, run} | {na}. */
export const MATRIX = Object.fromEntries(ROWS.map((row) => [row.id, Object.fromEntries(COLUMNS.map((col) => [col.id, row.cell(col)]))]));

/** The Node suite's cases: one per applicable cell. */
export const faultCases = ROWS.flatMap((row) =>
  COLUMNS.filter((col) => !MATRIX[row.id][col.id].na).map((col) => ({
    name: `fault ${row.title} × ${col.title}`,
    run: (ctx) => MATRIX[row.id][col.id].run(ctx),
  })),
);
