// Node-only OneRoster cases (2/3): filter, sort/orderBy and fields semantics in the three ways
// in — the tricky class title with `=` (its OAuth 1.0a signature must verify), the astral and
// emoji users, AND/OR, comparisons, contains — checked against what the server sends for the
// same query and against the documented semantics computed locally. Registered by node.test.mjs.
import { BINDING, MODES, providerSim, readPages, rosterCalls } from "./cases.mjs";
import { assertRecords, clientOf, expected, expectError, outcome } from "./node-kit.mjs";

const ids = (records) => records.map((r) => r.sourcedId);

export const queryCases = [
  {
    name: "OneRoster filter: the tricky class title with = (spaces, ' AND ', ( ) = * ! '' , é, 𝒜, +) finds exactly that class in each way in; its signature verifies",
    async run(ctx) {
      const { assert, pkg } = ctx;
      const { trickyClass, trickyClassTitle: title } = ctx.fixtures.oneroster.ids;
      const filter = pkg.OneRosterFilter.where("title", "=", title);
      assert.equal(String(filter), `title='${title.replace(/'/g, "''")}'`, "the expression: quotes doubled, nothing else touched");
      const sim = providerSim(ctx.simUrl);
      for (const mode of MODES) {
        const client = clientOf(ctx, mode);
        // The same hazards inside a contains OR'ed with a common title part: many pages, every
        // next one requested (and in 1.1 direct signed) as the server's re-encoded Link URL.
        const wide = pkg.OneRosterFilter.where("title", "~", "(Honors) = A*B! O'Neil's café 𝒜+").or("title", "~", " – Section 1");
        const want = await expected(ctx, mode, "classes", { filter: String(wide) }); // (plain fetch: before the counters)
        assert.ok(want.length > 100 && want.some((c) => c.sourcedId === trickyClass), `${mode}: the wide filter matches the tricky class and many more (${want.length})`);
        const before = await sim.counters();
        for (const f of [filter, String(filter)]) {
          const found = await client.list("classes", { filter: f }).toArray();
          assert.deepEqual(found.map((c) => [c.sourcedId, c.title]), [[trickyClass, title]], `${mode} ${typeof f}: the one class`);
        }
        const paged = await readPages(client.list("classes", { filter: wide, resultsPerPage: 50 }));
        assertRecords(ctx, paged.items, want, `${mode}: ~ OR ~, paged`);
        const after = await sim.counters();
        const requests = 2 + Math.ceil(want.length / 50);
        assert.equal(rosterCalls(after, BINDING[mode]) - rosterCalls(before, BINDING[mode]), requests, `${mode}: requests`);
        if (mode === "direct") {
          assert.equal((after.oauth1.signature_invalid ?? 0) - (before.oauth1.signature_invalid ?? 0), 0, "no signature_invalid");
          assert.equal(after.oauth1.accepted - before.oauth1.accepted, requests, "every signed request verified");
        }
      }
    },
  },
  {
    name: "OneRoster filter: the astral (𝒜lex) and emoji (Kim 🍎) users by =, ~ (case-insensitive) and OR; an AND over many pages equals the server's answer",
    async run(ctx) {
      const { assert, pkg } = ctx;
      const { astralUser, emojiUser } = ctx.fixtures.oneroster.ids;
      const W = pkg.OneRosterFilter.where;
      for (const mode of MODES) {
        const client = clientOf(ctx, mode);
        const find = async (filter, extra = {}) => ids(await client.list("users", { filter, ...extra }).toArray());
        assert.deepEqual(await find(W("givenName", "=", "𝒜lex")), [astralUser], `${mode}: givenName='𝒜lex'`);
        assert.deepEqual(await find(W("familyName", "=", "Kim 🍎")), [emojiUser], `${mode}: familyName='Kim 🍎'`);
        assert.deepEqual(await find(W("familyName", "~", "KIM 🍎").and("role", "=", "teacher")), [emojiUser], `${mode}: ~ is case-insensitive`);
        assert.deepEqual((await find(W("givenName", "=", "𝒜lex").or("familyName", "=", "Kim 🍎"))).sort(), [astralUser, emojiUser].sort(), `${mode}: OR`);
        assert.deepEqual(await find(W("givenName", "=", "𝒜LEX")), [], `${mode}: = is case-sensitive`);
        const big = W("role", "=", "student").and("familyName", "~", "o'");
        const want = await expected(ctx, mode, "users", { filter: String(big) });
        assert.ok(want.length > 100, `${mode}: the AND matches several pages (${want.length})`);
        assertRecords(ctx, await client.list("users", { filter: big, resultsPerPage: 40 }).toArray(), want, `${mode}: AND paged`);
      }
    },
  },
  {
    name: "OneRoster filter semantics (=, !=, >=, <, ~ on strings, references and arrays) match the documented rules computed from all users",
    async run(ctx) {
      const { assert, pkg } = ctx;
      const W = pkg.OneRosterFilter.where;
      const all = await expected(ctx, "proxy", "users");
      const { school } = ctx.fixtures.oneroster.ids;
      const checks = [
        [W("status", "!=", "active"), (u) => u.status !== "active"],
        [W("dateLastModified", ">=", "2025-06-01"), (u) => u.dateLastModified >= "2025-06-01"],
        [W("dateLastModified", "<", "2024-03").and("role", "=", "teacher"), (u) => u.dateLastModified < "2024-03" && u.role === "teacher"],
        [W("orgs", "=", school), (u) => u.orgs.map((o) => o.sourcedId).join(",") === school], // a reference compares by its sourcedId
        [W("grades", "=", "07"), (u) => u.grades.join(",") === "07"],
        [W("email", "~", "ZO").or("givenName", "~", "李"), (u) => u.email.toLowerCase().includes("zo") || u.givenName.includes("李")],
      ];
      assert.ok(all.filter(checks[0][1]).length > 0, "some users are tobedeleted");
      for (const mode of MODES) {
        const client = clientOf(ctx, mode);
        for (const [filter, test] of checks) {
          const got = ids(await client.list("users", { filter, resultsPerPage: 500 }).toArray());
          const want = ids(all.filter(test));
          assert.ok(want.length > 0, `${filter}: matches something`);
          assert.deepEqual(got, want, `${mode}: ${filter}`);
        }
      }
    },
  },
  {
    name: "OneRoster sort/orderBy: users by familyName desc and classes by title asc, paged, equal the server's order and are ordered",
    async run(ctx) {
      const { assert } = ctx;
      for (const mode of MODES) {
        const client = clientOf(ctx, mode);
        for (const [collection, sort, orderBy, rpp] of [["users", "familyName", "desc", 450], ["classes", "title", "asc", 300], ["users", "dateLastModified", undefined, 500]]) {
          const what = `${mode} ${collection} sort ${sort} ${orderBy ?? "(default)"}`;
          const want = await expected(ctx, mode, collection, { sort, ...(orderBy ? { orderBy } : {}) });
          const got = await client.list(collection, { sort, ...(orderBy ? { orderBy } : {}), resultsPerPage: rpp }).toArray();
          assertRecords(ctx, got, want, what);
          const keys = got.map((r) => r[sort]);
          const ordered = keys.every((k, i) => i === 0 || (orderBy === "desc" ? keys[i - 1] >= k : keys[i - 1] <= k));
          assert.ok(ordered, `${what}: ordered by UTF-16 code units`);
        }
      }
    },
  },
  {
    name: "OneRoster fields: an array or a comma string selects exactly those fields (values as documented), with a filter and a sort",
    async run(ctx) {
      const { assert, pkg } = ctx;
      const all = await expected(ctx, "proxy", "users");
      const byId = new Map(all.map((u) => [u.sourcedId, u]));
      const pick = (u, fields) => Object.fromEntries(fields.filter((f) => f in u).map((f) => [f, u[f]]));
      for (const mode of MODES) {
        const client = clientOf(ctx, mode);
        for (const [fields, names] of [[["sourcedId", "givenName", "enabledUser"], ["sourcedId", "givenName", "enabledUser"]], ["sourcedId, familyName ,metadata", ["sourcedId", "familyName", "metadata"]]]) {
          const got = await client.list("users", { fields, filter: pkg.OneRosterFilter.where("role", "=", "teacher"), sort: "familyName", resultsPerPage: 200 }).toArray();
          assert.equal(got.length, 600, `${mode} ${fields}: the teachers`);
          for (const u of got) {
            assert.ok(Object.keys(u).every((k) => names.includes(k)), `${mode} ${fields}: only the selected fields (${Object.keys(u)})`);
            assert.deepEqual(u, pick(byId.get(u.sourcedId), names), `${mode} ${fields}: ${u.sourcedId}`);
          }
        }
        const cls = await client.list("classes", { fields: ["title"], filter: pkg.OneRosterFilter.where("title", "=", ctx.fixtures.oneroster.ids.trickyClassTitle) }).toArray();
        assert.deepEqual(cls, [{ title: ctx.fixtures.oneroster.ids.trickyClassTitle }], `${mode}: fields + the tricky filter`);
      }
    },
  },
  {
    name: "OneRoster query errors from the server (imsx codeMinor): unknown filter, sort and selection fields, three predicates → INVALID_ARGUMENT; the SDK refuses mixed AND/OR itself",
    async run(ctx) {
      const { pkg, assert } = ctx;
      const W = pkg.OneRosterFilter.where;
      for (const mode of MODES) {
        const client = clientOf(ctx, mode);
        const bad = (providerCode) => ({ code: "INVALID_ARGUMENT", providerCode, status: 400, provider: mode === "proxy" ? "classlink" : "oneroster" });
        const e1 = await expectError(ctx, () => client.list("users", { filter: W("shoeSize", "=", "9") }), bad("invalid_filter_field"), `${mode}: unknown filter field`);
        assert.match(e1.providerDescription ?? "", /shoeSize/, `${mode}: providerDescription from imsx_description`);
        await expectError(ctx, () => client.list("users", { filter: W("a", "=", "1").and("b", "=", "2").and("c", "=", "3") }), bad("invalid_filter_field"), `${mode}: three predicates`);
        await expectError(ctx, () => client.list("users", { filter: "givenName='x" }), bad("invalid_filter_field"), `${mode}: unterminated filter string`);
        await expectError(ctx, () => client.list("users", { sort: "shoeSize" }), bad("invalid_sort_field"), `${mode}: unknown sort field`);
        await expectError(ctx, () => client.list("users", { fields: ["sourcedId", "shoeSize"] }), bad("invalid_selection_field"), `${mode}: unknown selection field`);
        await expectError(ctx, () => client.list("users", { fields: ["sourcedId", ""] }), bad("invalid_blank_selection_field"), `${mode}: a blank selection field`);
      }
      const sim = providerSim(ctx.simUrl);
      const before = await sim.counters();
      const mixed = await outcome(() => W("a", "=", "1").and("b", "=", "2").or("c", "=", "3"));
      assert.equal(mixed?.code, "INVALID_ARGUMENT", "mixed AND/OR is refused when built");
      for (const [what, fn] of [["a field that is not a name", () => W("a' OR 1='1", "=", "x")], ["an unknown operator", () => W("a", "=~", "x")]]) {
        assert.equal((await outcome(fn))?.code, "INVALID_ARGUMENT", what);
      }
      const after = await sim.counters();
      assert.equal(after.requests - before.requests, 1, "no request (the one counted is the counters call)");
    },
  },
];
