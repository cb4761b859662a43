// Node-only ZapEvent cases (2/3): the PagedList over ZapEvent — the 10,000 participants of
// activity 2006 in every format and metadata placement, maxItems, resuming from a cursor after
// a failure, incremental sync, the repeated-page guard, AbortSignal, and the list's own rules.
// Registered by node.test.mjs.
import { FORMATS, WIRE, assertRecords, assertZapError, calls, readPages, zapExpect, zapSim } from "./cases.mjs";
import { clientOf } from "./node-api.mjs";

const MARATHON = { eventId: 1005, activityId: 2006 };
const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Runs `body` and puts the metadata mode, the repeat switch and the faults back afterwards. */
async function withSwitches(sim, body) {
  try {
    return await body();
  } finally {
    await sim.meta("attributes");
    await sim.repeat(false);
    await sim.clearFaults();
  }
}

/** A promise that rejects after `ms`: a run that does not end is a failure, not a hang. */
function bounded(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result after ${ms} ms (a hang?)`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** One full marathon run → {items, pages, progress, requests}. */
async function marathonRun(ctx, zap, gen, format, extra = {}) {
  const sim = zapSim(ctx.simUrl);
  const progress = [];
  const before = await sim.counters();
  const list = zap.participants({ ...MARATHON, resultsPerPage: 250, format, onProgress: (p) => progress.push({ ...p }), ...extra });
  const { items, pages } = await bounded(readPages(list), 60_000, `${gen} ${format} marathon`);
  const after = await sim.counters();
  ctx.assert.equal(list.cursor, null, `${gen} ${format}: the run is complete (cursor null)`);
  return { items, pages, progress, requests: calls(after, gen, WIRE[gen].participants) - calls(before, gen, WIRE[gen].participants) };
}

const GENS = { oauth1: "OAuth 1 access token", oauth2: "OAuth 2 session" };

export const pagingCases = [
  {
    name: "10,000 participants of activity 2006 in xml, json and csv on both generations, 250 per page: 40 requests, onProgress pages 1..40, total 10000",
    async run(ctx) {
      const { assert } = ctx;
      const expected = zapExpect(ctx.fixtures).participants(MARATHON);
      assert.equal(expected.length, 10000, "fixture size");
      for (const [gen, kind] of Object.entries(GENS)) {
        const zap = await clientOf(ctx, kind);
        for (const format of FORMATS) {
          const what = `${gen} ${format}`;
          const { items, pages, progress, requests } = await marathonRun(ctx, zap, gen, format);
          assert.equal(requests, 40, `${what}: page requests`);
          assert.deepEqual(progress.map((p) => p.page), range(1, 40), `${what}: onProgress pages`);
          assert.deepEqual(progress.map((p) => p.fetched), range(1, 40).map((n) => n * 250), `${what}: onProgress fetched`);
          assert.ok(progress.every((p) => p.total === 10000), `${what}: onProgress total 10000 (the format carries it: body or X-Total-Count)`);
          assert.deepEqual(pages.map((p) => p.n), Array(40).fill(250), `${what}: page sizes`);
          assert.equal(pages[39].cursor, null, `${what}: last page cursor`);
          assert.ok(pages.slice(0, 39).every((p) => typeof p.cursor === "string"), `${what}: cursors between pages`);
          assertRecords(ctx, items, expected, what);
        }
      }
    },
  },
  {
    name: "no metadata (mode absent; csv in mode elements): every format still ends — one extra empty page, total unknown",
    async run(ctx) {
      const { assert } = ctx;
      const sim = zapSim(ctx.simUrl);
      const expected = zapExpect(ctx.fixtures).participants(MARATHON);
      const zap = await clientOf(ctx, "OAuth 1 access token");
      await withSwitches(sim, async () => {
        for (const [mode, format, carriesTotal] of [["absent", "xml", false], ["absent", "json", false], ["absent", "csv", false], ["elements", "xml", true], ["elements", "json", true], ["elements", "csv", false]]) {
          await sim.meta(mode);
          const what = `${mode} ${format}`;
          const { items, pages, progress, requests } = await marathonRun(ctx, zap, "oauth1", format);
          assertRecords(ctx, items, expected, what);
          if (carriesTotal) {
            assert.equal(requests, 40, `${what}: the body's metadata ends the run`);
            assert.ok(progress.every((p) => p.total === 10000), `${what}: total from the body`);
          } else {
            // 10,000 is a multiple of 250: the 40th page is full, so only an empty 41st ends it;
            // that empty page is requested but not yielded (it holds no results).
            assert.equal(requests, 41, `${what}: 40 full pages + one empty page`);
            assert.deepEqual(pages.at(-1), { page: 40, n: 250, fetched: 10000, total: undefined, cursor: "pg1.41.10000.10000" }, `${what}: the last page yielded`);
            assert.ok(progress.every((p) => p.total === undefined), `${what}: no total without metadata`);
            assert.deepEqual(progress.filter((p) => p.fetched > (p.page - 1) * 250).map((p) => p.page), range(1, 40), `${what}: pages with records`);
          }
        }
        // A short last page ends a run without metadata: 523 = 2 × 250 + 23.
        await sim.meta("absent");
        const before = await sim.counters();
        const { pages } = await readPages(zap.participants({ eventId: 1001, resultsPerPage: 250, format: "csv" }));
        const after = await sim.counters();
        assert.deepEqual(pages.map((p) => p.n), [250, 250, 23], "ends on the short page");
        assert.equal(calls(after, "oauth1", "getparticipants") - calls(before, "oauth1", "getparticipants"), 3, "no request after the short page");
      });
    },
  },
  {
    name: "metadata as attributes, elements or absent: the same 523 participants of event 1001 in every format, both generations",
    async run(ctx) {
      const sim = zapSim(ctx.simUrl);
      const expected = zapExpect(ctx.fixtures).participants({ eventId: 1001 });
      await withSwitches(sim, async () => {
        for (const mode of ["attributes", "elements", "absent"]) {
          await sim.meta(mode);
          for (const kind of ["Login (oauth1 generation)", "OAuth 2 session"]) {
            const zap = await clientOf(ctx, kind);
            for (const format of FORMATS) {
              const { items, pages } = await readPages(zap.participants({ eventId: 1001, resultsPerPage: 100, format }));
              assertRecords(ctx, items, expected, `${mode} ${kind} ${format}`);
              ctx.assert.deepEqual(pages.map((p) => p.n), [100, 100, 100, 100, 100, 23], `${mode} ${kind} ${format}: pages`);
            }
          }
        }
      });
    },
  },
  {
    name: "maxItems: 333 → exactly 333 records and only the pages needed; 0 → no request",
    async run(ctx) {
      const { assert } = ctx;
      const sim = zapSim(ctx.simUrl);
      const expected = zapExpect(ctx.fixtures).participants(MARATHON);
      for (const [kind, gen] of [["OAuth 1 access token", "oauth1"], ["Login (oauth2 generation)", "oauth2"]]) {
        const zap = await clientOf(ctx, kind);
        for (const [maxItems, resultsPerPage, requests] of [[333, 250, 2], [333, 100, 4], [250, 250, 1], [0, 250, 0], [20000, 250, 40]]) {
          for (const format of ["xml", "csv"]) {
            const what = `${gen} ${format} maxItems ${maxItems} per page ${resultsPerPage}`;
            const before = await sim.counters();
            const list = zap.participants({ ...MARATHON, maxItems, resultsPerPage, format });
            const { items, pages } = await readPages(list);
            const after = await sim.counters();
            assertRecords(ctx, items, expected.slice(0, maxItems), what);
            assert.equal(calls(after, gen, WIRE[gen].participants) - calls(before, gen, WIRE[gen].participants), requests, `${what}: requests`);
            assert.equal(list.cursor, null, `${what}: complete`);
            if (pages.length) assert.equal(pages.at(-1).fetched, Math.min(maxItems, 10000), `${what}: fetched`);
          }
        }
      }
    },
  },
  {
    name: "resume from list.cursor after a failure on page 3 (fault injected): no duplicates, no gaps, 10,000 in all",
    async run(ctx) {
      const { assert } = ctx;
      const sim = zapSim(ctx.simUrl);
      const expected = zapExpect(ctx.fixtures).participants(MARATHON);
      for (const [kind, gen, rule] of [
        // A 503 is retried (bounded): three in a row exhaust the retries → RATE_LIMITED.
        ["OAuth 1 access token", "oauth1", { kind: "503", retryAfter: 0, times: 3 }],
        ["Login (oauth1 generation)", "oauth1", { kind: "drop" }],
        ["Login (oauth2 generation)", "oauth2", { kind: "truncate" }],
      ]) {
        const zap = await clientOf(ctx, kind);
        await withSwitches(sim, async () => {
          const before = await sim.counters();
          const list = zap.participants({ ...MARATHON, resultsPerPage: 250, format: "json" });
          const seen = [];
          const err = await assert.rejects(async () => {
            for await (const page of list.pages()) {
              seen.push(...page.items);
              if (page.page === 2) await sim.faults([{ path: `/zapevent/api/event/${WIRE[gen].participants}$`, times: 1, ...rule }]);
            }
          }, `${kind}: the ${rule.kind} fault on page 3 must fail the run`);
          assertZapError(ctx, err, { code: rule.kind === "503" ? "RATE_LIMITED" : "NETWORK" }, `${kind} ${rule.kind}`);
          assert.equal(seen.length, 500, `${kind}: two pages before the failure`);
          const cursor = list.cursor;
          assert.equal(typeof cursor, "string", `${kind}: a cursor to resume from`);
          const resumed = zap.participants({ ...MARATHON, resultsPerPage: 250, format: "json", cursor });
          const { items, pages } = await readPages(resumed);
          assert.equal(pages[0].page, 3, `${kind}: resumes at page 3`);
          assert.equal(pages[0].fetched, 750, `${kind}: fetched counts the earlier pages`);
          const all = [...seen, ...items];
          assert.equal(new Set(all.map((p) => p.registration_id)).size, all.length, `${kind}: no duplicates`);
          assertRecords(ctx, all, expected, `${kind}: resumed run`);
          const after = await sim.counters();
          // 503 and drop answer before the API; truncate cuts the API's real answer short.
          const served = rule.kind === "truncate" ? 41 : 40;
          assert.equal(calls(after, gen, WIRE[gen].participants) - calls(before, gen, WIRE[gen].participants), served, `${kind}: pages served by the API`);
          assert.equal(after.faults_injected - before.faults_injected, rule.times ?? 1, `${kind}: faults injected (the 503s include the retries)`);
        });
      }
    },
  },
  {
    name: "incremental sync: afterRegistrationId / afterParticipantId on both generations (with activityId, empty when up to date)",
    async run(ctx) {
      const { assert } = ctx;
      const want = zapExpect(ctx.fixtures);
      const { lastRegistrationId } = ctx.fixtures.zapevent.marathon;
      for (const kind of ["OAuth 1 access token", "OAuth 2 session"]) {
        const zap = await clientOf(ctx, kind);
        for (const format of FORMATS) {
          const what = `${kind} ${format}`;
          const afterReg = lastRegistrationId - 300;
          assertRecords(ctx, await zap.participants({ ...MARATHON, afterRegistrationId: afterReg, resultsPerPage: 250, format }).toArray(), want.participants({ ...MARATHON, afterRegistrationId: afterReg }), `${what} afterRegistrationId`);
          const pivot = want.participants(MARATHON)[9700].participant_id;
          assertRecords(ctx, await zap.participants({ eventId: 1005, afterParticipantId: pivot, resultsPerPage: 250, format }).toArray(), want.participants({ eventId: 1005, afterParticipantId: pivot }), `${what} afterParticipantId`);
          // A sync loop: everything of event 1001, then "what is new since the last id seen".
          const first = await zap.participants({ eventId: 1001, activityId: 2002, resultsPerPage: 250, format }).toArray();
          const last = first.at(-1).registration_id;
          assert.deepEqual(await zap.participants({ eventId: 1001, activityId: 2002, afterRegistrationId: last, format }).toArray(), [], `${what}: nothing new after ${last}`);
          assert.deepEqual(await zap.participants({ eventId: 1001, afterParticipantId: first.at(-1).participant_id, format }).toArray(), [], `${what}: nothing after the last participant id`);
        }
      }
    },
  },
  {
    name: "repeated pages (POST /__sim/zapevent/repeat on): PAGE_REPEATED after 2 requests in every format and metadata mode, not a hang; the cursor resumes once fixed",
    async run(ctx) {
      const { assert } = ctx;
      const sim = zapSim(ctx.simUrl);
      const expected = zapExpect(ctx.fixtures).participants({ eventId: 1001 });
      await withSwitches(sim, async () => {
        for (const [kind, gen] of [["OAuth 1 access token", "oauth1"], ["OAuth 2 session", "oauth2"]]) {
          const zap = await clientOf(ctx, kind);
          for (const mode of ["attributes", "elements", "absent"]) {
            for (const format of FORMATS) {
              const what = `${gen} ${mode} ${format}`;
              await sim.meta(mode);
              await sim.repeat(true);
              const before = await sim.counters();
              const list = zap.participants({ eventId: 1001, resultsPerPage: 100, format });
              const seen = [];
              const err = await assert.rejects(() => bounded((async () => {
                for await (const p of list) seen.push(p);
              })(), 10_000, what), `${what}: a repeated page must fail the run`);
              assertZapError(ctx, err, { code: "PAGE_REPEATED" }, what);
              const after = await sim.counters();
              assert.equal(calls(after, gen, WIRE[gen].participants) - calls(before, gen, WIRE[gen].participants), 2, `${what}: requests`);
              assert.equal(seen.length, 100, `${what}: only the first page was yielded`);
              await sim.repeat(false);
              const rest = await zap.participants({ eventId: 1001, resultsPerPage: 100, format, cursor: list.cursor }).toArray();
              assertRecords(ctx, [...seen, ...rest], expected, `${what}: resumed after the server was fixed`);
            }
          }
        }
      });
    },
  },
  {
    name: "AbortSignal: pre-aborted → ABORTED with no request; abort mid-run → ABORTED at the next page; abort while a page is slow → ABORTED promptly",
    async run(ctx) {
      const { assert } = ctx;
      const sim = zapSim(ctx.simUrl);
      const zap = await clientOf(ctx, "Login (oauth1 generation)");
      let before = await sim.counters();
      const e1 = await assert.rejects(() => zap.participants({ ...MARATHON, signal: AbortSignal.abort() }).toArray(), "pre-aborted signal");
      assertZapError(ctx, e1, { code: "ABORTED" }, "pre-aborted");
      let after = await sim.counters();
      assert.equal(calls(after, "oauth1", "getparticipants") - calls(before, "oauth1", "getparticipants"), 0, "no request with a pre-aborted signal");

      const ac = new AbortController();
      const list = zap.participants({ ...MARATHON, resultsPerPage: 50, signal: ac.signal });
      let n = 0;
      before = await sim.counters();
      const e2 = await assert.rejects(async () => {
        for await (const _ of list) if (++n === 120) ac.abort(new Error("user cancelled"));
      }, "abort mid-run");
      assertZapError(ctx, e2, { code: "ABORTED" }, "mid-run");
      after = await sim.counters();
      assert.equal(calls(after, "oauth1", "getparticipants") - calls(before, "oauth1", "getparticipants"), 3, "no page requested after the abort");
      assert.ok(n >= 120 && n <= 150, `records yielded before the abort took effect: ${n}`);
      assert.equal(list.cursor, "pg1.4.150.150", "the cursor still says where to resume");

      await withSwitches(sim, async () => {
        await sim.faults([{ path: "/zapevent/api/event/getparticipants$", kind: "slow", delayMs: 3000, times: 1 }]);
        const slow = new AbortController();
        setTimeout(() => slow.abort(), 200);
        const t0 = Date.now();
        const e3 = await assert.rejects(() => zap.participants({ ...MARATHON, signal: slow.signal }).toArray(), "abort during a slow page");
        assertZapError(ctx, e3, { code: "ABORTED" }, "during a slow page");
        assert.ok(Date.now() - t0 < 2000, `ABORTED ${Date.now() - t0} ms after the start (the page is delayed 3000 ms)`);
      });
    },
  },
  {
    name: "PagedList rules: start at `page`, iterate once, page size 0 ends at once",
    async run(ctx) {
      const { assert } = ctx;
      const expected = zapExpect(ctx.fixtures).participants({ eventId: 1001 });
      const zap = await clientOf(ctx, "Login (oauth2 generation)");
      const { items, pages } = await readPages(zap.participants({ eventId: 1001, page: 3, resultsPerPage: 100, format: "xml" }));
      assertRecords(ctx, items, expected.slice(200), "from page 3");
      assert.deepEqual(pages.map((p) => p.page), [3, 4, 5, 6], "page numbers");
      const list = zap.participants({ eventId: 1001, resultsPerPage: 250 });
      await list.toArray();
      const again = await assert.rejects(() => list.toArray(), "a second iteration");
      assertZapError(ctx, again, { code: "INVALID_ARGUMENT" }, "second iteration");
      const sim = zapSim(ctx.simUrl);
      const before = await sim.counters();
      const none = await bounded(zap.participants({ eventId: 1001, resultsPerPage: 0 }).toArray(), 10_000, "resultsPerPage 0");
      const after = await sim.counters();
      assert.deepEqual(none, [], "resultsPerPage 0 yields nothing");
      assert.ok(calls(after, "oauth2", "getnewparticipants") - calls(before, "oauth2", "getnewparticipants") <= 1, "resultsPerPage 0: at most one request");
    },
  },
];
