// Node-only OneRoster cases (1/3): every collection and the nested endpoints in the three ways
// in (1.1 direct, ClassLink proxy, 1.2) against what the server sends, a full roster sync, the
// server's page cap, the paging headers switched off, cursor resume, maxItems and page.
// Registered by node.test.mjs.
import { BINDING, COLLECTIONS, MODES, PROVIDER, oneRosterClient, providerSim, readPages, rosterCalls } from "./cases.mjs";
import { assertRecords, assertUnique, bounded, clientOf, expectError, expected, range, versionOf, withSim } from "./node-kit.mjs";

/** The nested endpoints the SDK documents, with a parent that has records in each. */
const nestedOf = (ids) => [
  ...["classes", "students", "teachers", "enrollments", "courses", "terms"].map((c) => ["schools", ids.school, c]),
  ...["students", "teachers", "enrollments"].map((c) => ["classes", ids.class.sourcedId, c]),
  ["terms", ids.term, "classes"],
  ["courses", ids.course, "classes"],
];

/** One users run → {items, pages, requests}. */
async function usersRun(ctx, mode, options) {
  const sim = providerSim(ctx.simUrl);
  const before = await sim.counters();
  const { items, pages } = await bounded(readPages(clientOf(ctx, mode).list("users", options)), 60_000, `${mode} users`);
  const after = await sim.counters();
  return { items, pages, requests: rosterCalls(after, BINDING[mode], "users") - rosterCalls(before, BINDING[mode], "users") };
}

export const rosterCases = [
  {
    name: "OneRoster: every collection, list and get, in each way in (direct, ClassLink proxy, 1.2) equals what the server sends",
    async run(ctx) {
      const { assert } = ctx;
      const counts = ctx.fixtures.oneroster.counts;
      for (const mode of MODES) {
        const client = clientOf(ctx, mode);
        for (const collection of COLLECTIONS) {
          const what = `${mode} ${collection}`;
          const want = await expected(ctx, mode, collection);
          assert.equal(want.length, counts[collection], `${what}: fixture count`);
          const got = await client.list(collection, { resultsPerPage: 500 }).toArray();
          assertRecords(ctx, got, want, what);
          for (const rec of [want[0], want[Math.floor(want.length / 2)], want.at(-1)]) {
            assertRecords(ctx, [await client.get(collection, rec.sourcedId)], [rec], `${what}: get ${rec.sourcedId}`);
          }
        }
        const user = await client.get("users", ctx.fixtures.oneroster.ids.metadataUser);
        assert.equal(typeof user.enabledUser, "boolean", `${mode}: enabledUser is a boolean`);
        assert.ok(user.metadata && typeof user.metadata === "object", `${mode}: vendor metadata kept`);
        assert.equal(Array.isArray(user.roles), mode === "v1p2", `${mode}: roles only in 1.2`);
      }
    },
  },
  {
    name: "OneRoster: schools answer under orgs, terms and grading periods under academicSessions; a record of the wrong kind is NOT_FOUND",
    async run(ctx) {
      const { assert } = ctx;
      const ids = ctx.fixtures.oneroster.ids;
      for (const mode of MODES) {
        const client = clientOf(ctx, mode);
        const school = await client.get("schools", ids.school);
        assert.equal(school.type, "school", `${mode}: get schools`);
        assert.equal((await client.get("orgs", ids.district)).type, "district", `${mode}: get orgs (district)`);
        assert.equal((await client.get("gradingPeriods", ids.gradingPeriod)).type, "gradingPeriod", `${mode}: get gradingPeriods`);
        assert.equal((await client.get("academicSessions", ids.schoolYear)).type, "schoolYear", `${mode}: get academicSessions`);
        const spec = { code: "NOT_FOUND", providerCode: "unknownobject", status: 404 };
        await expectError(ctx, () => client.get("schools", ids.district), spec, `${mode}: /schools/{district}`);
        await expectError(ctx, () => client.get("terms", ids.gradingPeriod), spec, `${mode}: /terms/{gradingPeriod}`);
        await expectError(ctx, () => client.get("students", ids.teacher), spec, `${mode}: /students/{teacher}`);
      }
    },
  },
  {
    name: "OneRoster: the nested endpoints (schools/classes/terms/courses …) in each way in equal what the server sends",
    async run(ctx) {
      const { assert } = ctx;
      const ids = ctx.fixtures.oneroster.ids;
      for (const mode of MODES) {
        const client = clientOf(ctx, mode);
        for (const [parent, id, child] of nestedOf(ids)) {
          const what = `${mode} ${parent}/{id}/${child}`;
          const want = await expected(ctx, mode, `${parent}/${id}/${child}`);
          assert.ok(want.length > 0, `${what}: the fixture parent has records`);
          assertRecords(ctx, await client.list(child, { parent: [parent, id], resultsPerPage: 7 }).toArray(), want, what);
        }
        const students = await client.list("students", { parent: ["classes", ids.class.sourcedId] }).toArray();
        assert.equal(students.length, ids.class.students, `${mode}: the sample class's students`);
        const teachers = await client.list("teachers", { parent: ["classes", ids.class.sourcedId] }).toArray();
        assert.deepEqual(teachers.map((t) => t.sourcedId), [ids.class.teacher], `${mode}: the sample class's teacher`);
        await expectError(ctx, () => client.list("classes", { parent: ["schools", "no-such-school"] }), { code: "NOT_FOUND", providerCode: "unknownobject" }, `${mode}: unknown parent`);
      }
    },
  },
  {
    name: "OneRoster: a full roster sync (schools → classes → enrollments → users, schools in parallel) pages to completion in each way in",
    async run(ctx) {
      const { assert } = ctx;
      const counts = ctx.fixtures.oneroster.counts;
      for (const mode of MODES) {
        const client = clientOf(ctx, mode);
        const schools = await client.list("schools").toArray();
        assert.equal(schools.length, counts.schools, `${mode}: schools`);
        const perSchool = await bounded(Promise.all(schools.map(async (s) => {
          const parent = ["schools", s.sourcedId];
          const [classes, enrollments, students, teachers] = await Promise.all([
            client.list("classes", { parent, resultsPerPage: 100 }).toArray(),
            client.list("enrollments", { parent, resultsPerPage: 500 }).toArray(),
            client.list("students", { parent, resultsPerPage: 250 }).toArray(),
            client.list("teachers", { parent }).toArray(),
          ]);
          return { school: s.sourcedId, classes, enrollments, students, teachers };
        })), 60_000, `${mode} sync`);
        const users = await client.list("users", { resultsPerPage: 500 }).toArray();
        const classes = perSchool.flatMap((p) => p.classes);
        const enrollments = perSchool.flatMap((p) => p.enrollments);
        const members = perSchool.flatMap((p) => [...p.students, ...p.teachers]);
        assert.equal(classes.length, counts.classes, `${mode}: classes`);
        assert.equal(enrollments.length, counts.enrollments, `${mode}: enrollments`);
        assert.equal(users.length, counts.users, `${mode}: users`);
        assert.equal(perSchool.reduce((n, p) => n + p.students.length, 0), counts.students, `${mode}: students`);
        assert.equal(perSchool.reduce((n, p) => n + p.teachers.length, 0), counts.teachers, `${mode}: teachers`);
        for (const [list, what] of [[classes, "classes"], [enrollments, "enrollments"], [users, "users"], [members, "school members"]]) assertUnique(ctx, list, `${mode} ${what}`);
        const classIds = new Set(classes.map((c) => c.sourcedId));
        const userIds = new Set(users.map((u) => u.sourcedId));
        assert.deepEqual([...new Set(members.map((u) => u.sourcedId))].sort(), [...userIds].sort(), `${mode}: every user is a member of one school`);
        for (const p of perSchool) {
          assert.ok(p.classes.every((c) => c.school.sourcedId === p.school), `${mode}: classes of their school`);
          assert.ok(p.enrollments.every((e) => e.school.sourcedId === p.school && classIds.has(e.class.sourcedId) && userIds.has(e.user.sourcedId)), `${mode}: enrollments reference known classes and users`);
        }
        assert.ok(enrollments.every((e) => typeof e.primary === "boolean"), `${mode}: primary is a boolean`);
      }
    },
  },
  {
    name: "OneRoster: the server caps pages at 500 — resultsPerPage 1000 still reads all 10,000 users in 20 requests, in each way in",
    async run(ctx) {
      const { assert } = ctx;
      for (const mode of MODES) {
        const want = await expected(ctx, mode, "users");
        const { items, pages, requests } = await usersRun(ctx, mode, { resultsPerPage: 1000 });
        assertRecords(ctx, items, want, `${mode} capped`);
        assert.deepEqual(pages.map((p) => p.n), Array(20).fill(500), `${mode}: pages of 500`);
        assert.deepEqual(pages.map((p) => p.fetched), range(1, 20).map((n) => n * 500), `${mode}: fetched`);
        assert.equal(requests, 20, `${mode}: requests`);
      }
    },
  },
  {
    name: "OneRoster: X-Total-Count and Link switched off one at a time and both (/__sim/oneroster/paging): every users run still completes",
    async run(ctx) {
      const { assert } = ctx;
      await withSim(ctx, async (sim) => {
        const want = { v1p1: await expected(ctx, "direct", "users"), v1p2: await expected(ctx, "v1p2", "users") };
        for (const [settings, label] of [[{ totalCount: false }, "Link only"], [{ link: false }, "X-Total-Count only"], [{ totalCount: false, link: false }, "neither"]]) {
          await sim.paging({ totalCount: true, link: true });
          await sim.paging(settings);
          for (const mode of ["direct", "v1p2", "proxy"]) {
            // [resultsPerPage, requests with metadata, requests without]: without, a full last
            // page needs one more (empty) request; 333 ends on its short last page (10,000 = 30 × 333 + 10).
            for (const [rpp, withMeta, without] of [[500, 20, 21], [333, 31, 31], [100, 100, 101], [1000, 20, null]]) {
              if (rpp === 1000 && label === "neither") continue; // the capped case below
              if ((mode === "proxy" && rpp !== 500) || (mode !== "direct" && rpp === 100)) continue;
              const what = `${label} ${mode} resultsPerPage ${rpp}`;
              const { items, pages, requests } = await usersRun(ctx, mode, { resultsPerPage: rpp });
              assertRecords(ctx, items, want[versionOf(mode)], what);
              assert.equal(requests, label === "neither" ? without : withMeta, `${what}: requests`);
              assert.ok(pages.every((p) => p.total === (settings.totalCount === false ? undefined : 10000)), `${what}: total only from X-Total-Count`);
            }
          }
          // A nested list shorter than a page ends on that page.
          const client = clientOf(ctx, "direct");
          const before = await sim.counters();
          const students = await client.list("students", { parent: ["classes", ctx.fixtures.oneroster.ids.class.sourcedId] }).toArray();
          assert.equal(students.length, ctx.fixtures.oneroster.ids.class.students, `${label}: a short nested list`);
          // Without X-Total-Count and Link, a first page shorter than asked may be a silent
          // server cap: one more (empty) request confirms the end.
          const calls = rosterCalls(await sim.counters(), "v1p1") - rosterCalls(before, "v1p1");
          assert.equal(calls, label === "neither" ? 2 : 1, `${label}: requests for a short nested list`);
        }
      });
    },
  },
  {
    name: "X-Total-Count and Link both off with a capped page size (resultsPerPage 1000, the server sends 500): the run still reads all 10,000 users (one confirming empty request)",
    async run(ctx) {
      await withSim(ctx, async (sim) => {
        const want = { v1p1: await expected(ctx, "direct", "users"), v1p2: await expected(ctx, "v1p2", "users") };
        await sim.paging({ totalCount: false, link: false });
        for (const mode of ["direct", "v1p2"]) {
          const { items, requests } = await usersRun(ctx, mode, { resultsPerPage: 1000 });
          ctx.assert.equal(items.length, 10000, `${mode}: users read (requests: ${requests})`);
          ctx.assert.equal(requests, 21, `${mode}: 20 capped pages and one empty one`);
          assertRecords(ctx, items, want[versionOf(mode)], `${mode}: capped, no paging headers`);
        }
      });
    },
  },
  {
    name: "OneRoster: resume from list.cursor — stopped after page 2, and after a dropped connection on page 3 (NETWORK), with and without Link: no duplicates, no gaps",
    async run(ctx) {
      const { assert } = ctx;
      await withSim(ctx, async (sim) => {
        for (const link of [true, false]) {
          await sim.paging({ link });
          for (const mode of MODES) {
            const client = clientOf(ctx, mode);
            const want = await expected(ctx, mode, "users");
            for (const how of ["stop", "drop"]) {
              const what = `${mode} link ${link} ${how}`;
              const list = client.list("users", { resultsPerPage: 250 });
              const seen = [];
              const err = await (async () => {
                try {
                  for await (const page of list.pages()) {
                    seen.push(...page.items);
                    if (page.page === 2) {
                      if (how === "stop") break;
                      // times 5: fails the page whether or not a retry policy covers dropped connections
                      await sim.faults([{ path: "/users$", kind: "drop", times: 5 }]);
                    }
                  }
                } catch (e) {
                  return e;
                } finally {
                  await sim.clearFaults();
                }
                return null;
              })();
              if (how === "drop") {
                assert.ok(err, `${what}: the dropped connection fails the run`);
                assert.equal(err.code, "NETWORK", `${what}: code (${err.message})`);
              } else assert.equal(err, null, `${what}: no error`);
              assert.equal(seen.length, 500, `${what}: two pages before`);
              assert.equal(typeof list.cursor, "string", `${what}: a cursor`);
              assert.equal(list.cursor.includes("http"), link, `${what}: the cursor carries the Link URL exactly when one was sent`);
              const { items, pages } = await readPages(client.list("users", { resultsPerPage: 250, cursor: list.cursor }));
              assert.deepEqual([pages[0].page, pages[0].fetched], [3, 750], `${what}: resumes at page 3`);
              const all = [...seen, ...items];
              assertUnique(ctx, all, what);
              assertRecords(ctx, all, want, what);
            }
          }
        }
      });
    },
  },
  {
    name: "OneRoster: maxItems 333 → 333 users in 4 requests, maxItems 0 → no request, page 3 starts at offset 200, an abort mid-run → ABORTED with no further request",
    async run(ctx) {
      const { assert } = ctx;
      for (const mode of MODES) {
        const want = await expected(ctx, mode, "users");
        const r1 = await usersRun(ctx, mode, { resultsPerPage: 100, maxItems: 333 });
        assertRecords(ctx, r1.items, want.slice(0, 333), `${mode} maxItems 333`);
        assert.equal(r1.requests, 4, `${mode}: maxItems 333 requests`);
        const r0 = await usersRun(ctx, mode, { maxItems: 0 });
        assert.deepEqual([r0.items.length, r0.requests], [0, 0], `${mode}: maxItems 0`);
        const r3 = await usersRun(ctx, mode, { resultsPerPage: 100, page: 3, maxItems: 150 });
        assertRecords(ctx, r3.items, want.slice(200, 350), `${mode} page 3`);
        assert.deepEqual(r3.pages.map((p) => p.page), [3, 4], `${mode}: page numbers`);
        const ac = new AbortController();
        let n = 0;
        const sim = providerSim(ctx.simUrl);
        const before = await sim.counters();
        const err = await (async () => {
          try {
            for await (const _ of clientOf(ctx, mode).list("users", { resultsPerPage: 100, signal: ac.signal })) if (++n === 150) ac.abort();
          } catch (e) {
            return e;
          }
          return null;
        })();
        assert.equal(err?.code, "ABORTED", `${mode}: aborted mid-run`);
        assert.equal(n, 150, `${mode}: nothing yielded after the abort`);
        assert.equal(rosterCalls(await sim.counters(), BINDING[mode], "users") - rosterCalls(before, BINDING[mode], "users"), 2, `${mode}: no page requested after the abort`);
      }
    },
  },
  {
    name: "OneRoster: a server that answers every offset with the first page → PAGE_REPEATED after 2 requests with and without paging headers, not a loop; the cursor resumes once it is fixed",
    async run(ctx) {
      const { assert } = ctx;
      await withSim(ctx, async (sim) => {
        const want = { proxy: await expected(ctx, "proxy", "users"), v1p2: await expected(ctx, "v1p2", "users") };
        for (const settings of [{}, { link: false }, { totalCount: false, link: false }]) {
          await sim.paging({ totalCount: true, link: true, ...settings });
          for (const mode of ["proxy", "v1p2"]) {
            const what = `${mode} ${JSON.stringify(settings)}`;
            let requests = 0;
            // Bearer ways in only: rewriting a signed (1.1 direct) URL would break its signature.
            const stuck = oneRosterClient(ctx, mode, { fetch: (input, init) => (requests++, fetch(String(input).replace(/offset=\d+/, "offset=0"), init)) });
            const list = stuck.list("users", { resultsPerPage: 100 });
            const seen = [];
            const err = await bounded((async () => {
              try {
                for await (const u of list) seen.push(u);
              } catch (e) {
                return e;
              }
              return null;
            })(), 10_000, what);
            assert.equal(err?.code, "PAGE_REPEATED", `${what}: code (${err && err.message})`);
            assert.equal(err.provider, PROVIDER[mode], `${what}: provider`);
            assert.equal(requests - (mode === "v1p2" ? 1 : 0), 2, `${what}: page requests (+ the token)`);
            assert.equal(seen.length, 100, `${what}: only the first page yielded`);
            const rest = await clientOf(ctx, mode).list("users", { resultsPerPage: 100, cursor: list.cursor }).toArray();
            assertRecords(ctx, [...seen, ...rest], want[mode], `${what}: resumed`);
          }
        }
      });
    },
  },
];
