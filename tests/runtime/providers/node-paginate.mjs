// Node-only TokenSession.paginate cases over the simulator's /oauth2/api/items: the four styles
// to completion (items from the README's formula, request counts, totals), maxItems, resume
// from the cursor (stopped, and after the session's retries are used up), a refresh in the
// middle of a run, and the errors (another origin, HTTP status, shape, validation, no secret).
// Registered by node.test.mjs.
import { ITEMS, grants, genericSession, itemsCalls, paginateArgs, providerSim, readPages } from "./cases.mjs";
import { assertRecords, expectError, outcome, withSim } from "./node-kit.mjs";

const STYLES = ["page", "offset", "link", "cursor"];
/** Where each style's total comes from: page meta.total (totalPath), offset X-Total-Count. */
const TOTAL = { page: 1000, offset: 1000, link: undefined, cursor: undefined };

async function run(ctx, session, style, perPage, extra) {
  const sim = providerSim(ctx.simUrl);
  const before = await sim.counters();
  const list = session.paginate(...paginateArgs(ctx, style, perPage, extra));
  const out = await readPages(list);
  const after = await sim.counters();
  return { ...out, list, requests: itemsCalls(after, style) - itemsCalls(before, style) };
}

export const paginateCases = [
  {
    name: "TokenSession.paginate: page, offset, link and cursor styles to completion (pages of 100, 250 and 7), the items as documented, one request per page, totals where the style has one",
    async run(ctx) {
      const { assert } = ctx;
      const { session } = await genericSession(ctx);
      for (const style of STYLES) {
        for (const perPage of [100, 250, 7]) {
          const what = `${style} per page ${perPage}`;
          const { items, pages, requests, list } = await run(ctx, session, style, perPage);
          assertRecords(ctx, items, ITEMS, what);
          const n = Math.ceil(1000 / perPage);
          assert.equal(requests, n, `${what}: requests`);
          assert.deepEqual(pages.map((p) => p.n), [...Array(n - 1).fill(perPage), 1000 - (n - 1) * perPage], `${what}: page sizes`);
          assert.ok(pages.every((p) => p.total === TOTAL[style]), `${what}: total ${TOTAL[style]}`);
          assert.equal(list.cursor, null, `${what}: complete`);
        }
      }
      // Without a total the page style ends on the empty page after the last full one.
      const { items, requests } = await run(ctx, session, "page", 100, { totalPath: undefined });
      assertRecords(ctx, items, ITEMS, "page style, no totalPath");
      assert.equal(requests, 11, "10 full pages + one empty page");
    },
  },
  {
    name: "TokenSession.paginate: maxItems (250, 0, more than there are) and resume from list.cursor in every style — stopped after page 2, and after a dropped connection (NETWORK); a 503 is retried by the session",
    async run(ctx) {
      const { assert } = ctx;
      await withSim(ctx, async (sim) => {
        const { session } = await genericSession(ctx, { sessionOptions: { retry: { baseMs: 5, maxMs: 20 } } });
        for (const style of STYLES) {
          for (const [maxItems, requests] of [[250, 3], [0, 0], [5000, 10]]) {
            const r = await run(ctx, session, style, 100, { maxItems });
            assertRecords(ctx, r.items, ITEMS.slice(0, maxItems), `${style} maxItems ${maxItems}`);
            assert.equal(r.requests, requests, `${style} maxItems ${maxItems}: requests`);
          }
          for (const how of ["stop", "drop"]) {
            const what = `${style} ${how}`;
            const list = session.paginate(...paginateArgs(ctx, style, 100));
            const seen = [];
            const err = await outcome(async () => {
              try {
                for await (const page of list.pages()) {
                  seen.push(...page.items);
                  if (page.page === 2) {
                    if (how === "stop") break;
                    // times 5: fails the page whether or not the session retries dropped connections
                    await sim.faults([{ path: "/oauth2/api/items$", kind: "drop", times: 5 }]);
                  }
                }
              } finally {
                await sim.clearFaults();
              }
            });
            if (how === "drop") assert.equal(err?.code, "NETWORK", `${what}: code (${err && err.message})`);
            else assert.equal(err, null, `${what}: no error`);
            assert.equal(seen.length, 200, `${what}: two pages`);
            assert.equal(typeof list.cursor, "string", `${what}: a cursor`);
            const rest = await readPages(session.paginate(...paginateArgs(ctx, style, 100, { cursor: list.cursor })));
            assert.deepEqual([rest.pages[0].page, rest.pages[0].fetched], [3, 300], `${what}: resumes at page 3`);
            assertRecords(ctx, [...seen, ...rest.items], ITEMS, `${what}: resumed run`);
          }
          // A 503 is absorbed by the session's backoff: the run just completes.
          await sim.faults([{ path: "/oauth2/api/items$", kind: "503", retryAfter: 0, times: 1 }]);
          const before = await sim.counters();
          assertRecords(ctx, await session.paginate(...paginateArgs(ctx, style, 250)).toArray(), ITEMS, `${style}: one 503 retried`);
          assert.equal((await sim.counters()).faults_injected - before.faults_injected, 1, `${style}: the 503 happened`);
          await sim.clearFaults();
        }
      });
    },
  },
  {
    name: "TokenSession.paginate across an access-token expiry (sim clock and session now): one refresh grant in the middle of the run, nothing lost",
    async run(ctx) {
      const { assert } = ctx;
      await withSim(ctx, async (sim, clock) => {
        for (const style of STYLES) {
          const { session } = await genericSession(ctx, { now: clock.now });
          const before = await sim.counters();
          const items = [];
          for await (const page of session.paginate(...paginateArgs(ctx, style, 100)).pages()) {
            items.push(...page.items);
            if (page.page === 4) await clock.advance(ctx.fixtures.generic.accessTokenTtl + 5);
          }
          const after = await sim.counters();
          assertRecords(ctx, items, ITEMS, style);
          assert.equal(grants(after, "generic", "refresh_token") - grants(before, "generic", "refresh_token"), 1, `${style}: one refresh`);
          assert.equal((after.api_by_provider.generic.unauthorized ?? 0) - (before.api_by_provider?.generic?.unauthorized ?? 0), 0, `${style}: no 401 (refreshed before use)`);
        }
      });
    },
  },
  {
    name: "TokenSession.paginate errors: a Link to another origin is refused (PARSE, nothing sent there), HTTP 400 → HTTP_STATUS, no array at itemsPath → PARSE, validation before any request; no token in any error",
    async run(ctx) {
      const { assert } = ctx;
      const sim = providerSim(ctx.simUrl);
      const hosts = [];
      const evil = async (input, init) => {
        hosts.push(new URL(String(input)).host);
        const res = await fetch(input, init);
        const headers = new Headers(res.headers);
        if (headers.get("link")) headers.set("link", headers.get("link").replace(/http:\/\/127\.0\.0\.1:\d+/g, "http://127.0.0.2:9"));
        return new Response(await res.arrayBuffer(), { status: res.status, headers });
      };
      const { session, tokens } = await genericSession(ctx, { sessionOptions: { fetch: evil } });
      const secrets = [tokens.accessToken, tokens.refreshToken];
      await expectError(ctx, () => session.paginate(...paginateArgs(ctx, "link", 100)), { code: "PARSE" }, "Link to another origin", secrets);
      assert.ok(hosts.every((h) => h === new URL(ctx.simUrl).host), `requests only to the API (${hosts})`);
      const url = `${ctx.simUrl}/oauth2/api/items`;
      await expectError(ctx, () => session.paginate(`${url}?style=page`, { style: "page", itemsPath: "data", resultsPerPage: 251 }), { code: "HTTP_STATUS", status: 400 }, "per_page 251", secrets);
      await expectError(ctx, () => session.paginate(`${url}?style=nope`, { style: "page", itemsPath: "data" }), { code: "HTTP_STATUS", status: 400 }, "unknown style at the API", secrets);
      await expectError(ctx, () => session.paginate(`${url}?style=page`, { style: "page", itemsPath: "items" }), { code: "PARSE" }, "no array at itemsPath", secrets);
      const before = await sim.counters();
      for (const [what, fn] of [
        ["no options", () => session.paginate(url)],
        ["no style", () => session.paginate(url, { itemsPath: "data" })],
        ["unknown style", () => session.paginate(url, { style: "pages" })],
        ["resultsPerPage 0", () => session.paginate(url, { style: "page", resultsPerPage: 0 })],
        ["a foreign cursor", () => session.paginate(url, { style: "cursor", cursor: "+/9vZmZzZXQ6MTAw" })],
        ["relative url", () => session.paginate("/oauth2/api/items", { style: "page" })],
      ]) await expectError(ctx, fn, { code: "INVALID_ARGUMENT" }, what, secrets);
      await expectError(ctx, () => session.paginate("http://api.example/items", { style: "page" }), { code: "INSECURE_URL" }, "http to another host", secrets);
      const after = await sim.counters();
      assert.equal(after.requests - before.requests, 1, "nothing sent (the one request is the counters call)");
    },
  },
];
