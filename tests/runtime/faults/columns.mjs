// The columns of the fault matrix: every provider and way in, built against the simulator with
// the suites' own helpers (zapevent/cases.mjs, providers/cases.mjs). Each column says how to
// open a client (`open(ctx, {clock, options})` → a handle whose `call()` is one request of a
// typed call and `check(result)` asserts its records), which simulator paths its API calls and
// its token requests take (regex sources for fault rules and request counts), and how to page.
//
// `options` go on every client and session that sends requests (e.g. `{ timeoutMs: 300 }`);
// `clock` (kit.mjs sdkClock) is the `now` of every OAuth 2 client and session, moved by a cell
// to make an access token due.
import { REDIRECT_URI, authorizeAt, zapBase, zapExpect, zapLogin, zapOAuth1 } from "../zapevent/cases.mjs";
import { ITEMS, oneRosterClient, orcAttendee, paginateArgs, rosterRecord } from "../providers/cases.mjs";

const ZAP_EVENT = 1001;
/** Event 1002's 37 participants, 8 a page: 5 pages (8, 8, 8, 8, 5). */
const ZAP_PAGED = { eventId: 1002, resultsPerPage: 8 };
/** The 20 schools, 4 a page: 5 pages. */
const SCHOOLS_PER_PAGE = 4;
/** The 1,000 items of /oauth2/api/items, 200 a page: 5 pages. */
const ITEMS_PER_PAGE = 200;
const ORC_MODULE = 4102;

const zapEventExpected = (ctx) => zapExpect(ctx.fixtures).eventById(ZAP_EVENT, { activities: true, questions: true });

/** A ZapEvent handle: `event(1001)` in the default format (XML on get*, JSON on getnew*). */
function zapHandle(ctx, zap, extra = {}) {
  return {
    zap,
    ...extra,
    call: () => zap.event(ZAP_EVENT),
    check(result, what) {
      ctx.assert.deepEqual(result, zapEventExpected(ctx), `${what}: event ${ZAP_EVENT} as the fixtures say`);
    },
  };
}

/** ZapEvent paging: event 1002's participants in one format, `cursor` to resume. */
const zapPaging = (format) => ({
  label: format,
  list: (ctx, h, cursor) => h.zap.participants({ ...ZAP_PAGED, format, ...(cursor ? { cursor } : {}) }),
  expected: (ctx) => zapExpect(ctx.fixtures).participants({ eventId: ZAP_PAGED.eventId }),
  id: (p) => p.registration_id,
});

/** A OneRoster handle: `get("orgs", district)`; `list("schools")` pages 4 at a time. */
function rosterHandle(ctx, client, mode) {
  const or = ctx.fixtures.oneroster;
  const district = or.orgs.find((o) => o.sourcedId === or.ids.district);
  return {
    client,
    call: () => client.get("orgs", or.ids.district),
    check(result, what) {
      if (mode === "v1p2") {
        // The 1.2 view of the record (its own fields): the identity is what is compared.
        ctx.assert.deepEqual([result.sourcedId, result.name, result.type], [district.sourcedId, district.name, district.type], `${what}: the district (1.2 view)`);
      } else {
        ctx.assert.deepEqual(result, rosterRecord(district), `${what}: the district as the fixtures say`);
      }
    },
  };
}

const rosterPaging = {
  label: "json",
  list: (ctx, h, cursor) => h.client.list("schools", { resultsPerPage: SCHOOLS_PER_PAGE, ...(cursor ? { cursor } : {}) }),
  expected: (ctx) => ctx.fixtures.oneroster.orgs.filter((o) => o.type === "school"),
  id: (o) => o.sourcedId,
};

/**
 * The columns, in README order. `provider`: the `provider` the SDK's typed errors carry;
 * `api` / `token`: simulator paths of the API calls and of the token requests (null: none).
 * `refresh`: the way in refreshes (and rotates) a refresh token. `paging`: the paged runs of
 * row "malformed page" (null: the column has no paged list).
 */
export const COLUMNS = [
  {
    id: "zapevent-oauth1",
    title: "ZapEvent OAuth 1.0a",
    provider: "zapevent",
    oauth1: true,
    api: "^/zapevent/api/event/getevent$",
    pagedApi: "^/zapevent/api/event/getparticipants$",
    token: null,
    async open(ctx, { options = {} } = {}) {
      return zapHandle(ctx, zapOAuth1(ctx, options));
    },
    paging: ["xml", "json", "csv"].map(zapPaging),
  },
  {
    id: "zapevent-login",
    title: "ZapEvent Login (`tmp_key`)",
    provider: "zapevent",
    api: "^/zapevent/api/event/getevent$",
    pagedApi: "^/zapevent/api/event/getparticipants$",
    token: null,
    async open(ctx, { options = {} } = {}) {
      return zapHandle(ctx, await zapLogin(ctx, options));
    },
    paging: ["xml", "json", "csv"].map(zapPaging),
  },
  {
    id: "zapevent-oauth2",
    title: "ZapEvent OAuth 2",
    provider: "zapevent",
    refresh: true,
    api: "^/zapevent/api/event/getnewevent$",
    pagedApi: "^/zapevent/api/event/getnewparticipants$",
    token: "^/zapevent/api/OAuth2/RequestToken$",
    async open(ctx, { clock, options = {}, store } = {}) {
      const z = ctx.fixtures.zapevent;
      const now = clock?.now;
      const client = ctx.pkg.OAuth2Client.zapEvent({ baseUrl: zapBase(ctx), clientId: z.oauth2.clientId, clientSecret: z.oauth2.clientSecret, ...(now ? { now } : {}), ...options });
      const request = await client.authorizationUrl({ redirectUri: REDIRECT_URI });
      const answer = await authorizeAt(ctx, request.url, { redirect: true });
      store ??= ctx.pkg.memoryStore();
      const session = new ctx.pkg.TokenSession(client, { store, ...(now ? { now } : {}), ...options });
      await session.completeAuthorization(answer.redirect, { state: request.state, codeVerifier: request.codeVerifier, redirectUri: REDIRECT_URI });
      const zap = ctx.pkg.ZapEvent.oauth2(session, { baseUrl: zapBase(ctx) });
      return zapHandle(ctx, zap, { client, session, store });
    },
    paging: ["xml", "json", "csv"].map(zapPaging),
  },
  {
    id: "oneroster-direct",
    title: "OneRoster 1.1 (OAuth 1.0a)",
    provider: "oneroster",
    oauth1: true,
    api: "^/oneroster/ims/oneroster/v1p1/",
    pagedApi: "^/oneroster/ims/oneroster/v1p1/schools$",
    token: null,
    async open(ctx, { options = {} } = {}) {
      return rosterHandle(ctx, oneRosterClient(ctx, "direct", options), "direct");
    },
    paging: [rosterPaging],
  },
  {
    id: "oneroster-proxy",
    title: "ClassLink proxy",
    provider: "classlink",
    api: "^/classlink-proxy/",
    pagedApi: "^/classlink-proxy/[^/]+/ims/oneroster/v1p1/schools$",
    token: null,
    async open(ctx, { options = {} } = {}) {
      return rosterHandle(ctx, oneRosterClient(ctx, "proxy", options), "proxy");
    },
    paging: [rosterPaging],
  },
  {
    id: "oneroster-v1p2",
    title: "OneRoster 1.2",
    provider: "oneroster",
    clientCredentials: true,
    api: "^/oneroster/ims/oneroster/rostering/v1p2/",
    pagedApi: "^/oneroster/ims/oneroster/rostering/v1p2/schools$",
    token: "^/oneroster/oauth/token$",
    async open(ctx, { clock, options = {} } = {}) {
      const now = clock?.now;
      return rosterHandle(ctx, oneRosterClient(ctx, "v1p2", { ...(now ? { now } : {}), ...options }), "v1p2");
    },
    paging: [rosterPaging],
  },
  {
    id: "orc",
    title: "ORC",
    provider: "orc",
    refresh: true,
    api: "^/orc/roster/$",
    token: "^/orc/token/$",
    async open(ctx, { clock, options = {}, store } = {}) {
      const { pkg, simUrl, fixtures } = ctx;
      const now = clock?.now;
      const clockOpt = now ? { now } : {};
      const issued = await fetch(`${simUrl}/__sim/orc/issue`, { method: "POST" }).then((r) => r.json());
      const client = pkg.OAuth2Client.onlineRegistrationCenter({ baseUrl: `${simUrl}/orc`, clientId: fixtures.orc.clientId, clientSecret: fixtures.orc.clientSecret, ...clockOpt, ...options });
      store ??= pkg.memoryStore();
      const session = new pkg.TokenSession(client, { store, ...clockOpt, ...options });
      const at = now ? now() : Date.now();
      await session.signIn({ accessToken: issued.access_token, refreshToken: issued.refresh_token, tokenType: "Bearer", expiresAt: at + issued.expires_in * 3_600_000, scope: null });
      return {
        client,
        session,
        store,
        call: () => pkg.OnlineRegistrationCenter.roster(session, { moduleId: ORC_MODULE }),
        check(result, what) {
          ctx.assert.deepEqual(result, fixtures.orc.attendees[ORC_MODULE].map(orcAttendee), `${what}: module ${ORC_MODULE}'s attendees typed`);
        },
      };
    },
    paging: null,
    noPaging: "one body",
  },
  {
    id: "priava",
    title: "Priava",
    provider: "priava",
    refresh: true,
    // session.fetch is fetch: it hands back the host's Response (any status, body unread).
    sessionFetch: true,
    api: "^/priava/api/events$",
    pagedApi: "^/oauth2/api/items$",
    token: "^/priava/rest/oauth/token$",
    async open(ctx, { clock, options = {}, store } = {}) {
      const { pkg, simUrl, fixtures } = ctx;
      const pv = fixtures.priava;
      const now = clock?.now;
      const clockOpt = now ? { now } : {};
      const client = pkg.OAuth2Client.priava({ baseUrl: `${simUrl}/priava`, region: "EU", clientId: pv.clientId, clientSecret: pv.clientSecret, redirectUri: REDIRECT_URI, ...clockOpt, ...options });
      const request = await client.authorizationUrl({ redirectUri: REDIRECT_URI });
      const answer = await authorizeAt(ctx, request.url, { redirect: true });
      store ??= pkg.memoryStore();
      const itemsStore = pkg.memoryStore();
      const session = new pkg.TokenSession(client, { store, ...clockOpt, ...options });
      await session.completeAuthorization(answer.redirect, { state: request.state, codeVerifier: request.codeVerifier, redirectUri: REDIRECT_URI });
      return {
        client,
        session,
        store,
        /** session.fetch, its body read here: {status, body}. */
        async call() {
          const res = await session.fetch(`${simUrl}/priava/api/events`);
          return { status: res.status, body: await res.text() };
        },
        check(result, what) {
          ctx.assert.equal(result.status, 200, `${what}: status`);
          ctx.assert.deepEqual(JSON.parse(result.body), { events: pv.events }, `${what}: the events`);
        },
        /** The same session engine over a paged API: the simulator's generic items (see paging). */
        paged: () => itemsSession(ctx, { clock, options, store: itemsStore }),
        stores: [store, itemsStore],
      };
    },
    // Priava has no data API: session.paginate runs over the simulator's generic items API, in
    // a TokenSession of the generic server (the same engine; its client names provider "generic").
    paging: ["page", "offset", "link", "cursor"].map((style) => ({
      label: style,
      async list(ctx, h, cursor) {
        h.items ??= await h.paged();
        const [url, opts] = paginateArgs(ctx, style, ITEMS_PER_PAGE, cursor ? { cursor } : {});
        return h.items.paginate(url, opts);
      },
      expected: () => ITEMS,
      id: (item) => item.id,
      provider: "generic",
    })),
  },
  {
    id: "omnifund",
    title: "OmniFund",
    provider: "omnifund",
    refresh: true,
    api: "^/omnifund/login$",
    token: "^/omnifund/oauth/v2/token$",
    async open(ctx, { clock, options = {}, store } = {}) {
      const { pkg, simUrl, fixtures } = ctx;
      const of = fixtures.omnifund;
      const now = clock?.now;
      const clockOpt = now ? { now } : {};
      const client = pkg.OAuth2Client.omniFund({ baseUrl: `${simUrl}/omnifund`, clientId: of.clientId, clientSecret: of.clientSecret, ...clockOpt, ...options });
      const tokens = await client.password({ username: of.user.username, password: of.user.password });
      store ??= pkg.memoryStore();
      const session = new pkg.TokenSession(client, { store, ...clockOpt, ...options });
      await session.signIn(tokens);
      const user = { id: of.user.userId, username: of.user.username, name: of.user.name };
      return {
        client,
        session,
        store,
        call: () => pkg.OmniFund.tokenLogin(session, { url: `${simUrl}/omnifund/login` }),
        check(result, what) {
          ctx.assert.deepEqual(result, { loggedIn: true, status: 200, data: { logged_in: true, user } }, `${what}: the typed token login`);
        },
      };
    },
    paging: null,
    noPaging: "no paging",
  },
];

/** A TokenSession of the generic server (alice, password grant) for session.paginate. */
async function itemsSession(ctx, { clock, options = {}, store }) {
  const { pkg, simUrl, fixtures } = ctx;
  const c = fixtures.generic.clients.basic;
  const clockOpt = clock?.now ? { now: clock.now } : {};
  const client = new pkg.OAuth2Client({ clientId: c.clientId, clientSecret: c.clientSecret, tokenUrl: `${simUrl}/oauth2/token`, clientAuth: "basic", provider: "generic", ...clockOpt, ...options });
  const tokens = await client.password({ username: fixtures.generic.user.username, password: fixtures.generic.user.password });
  const session = new pkg.TokenSession(client, { store, ...clockOpt, ...options });
  await session.signIn(tokens);
  return session;
}
