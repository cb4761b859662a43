// OneRoster rostering (seed 002 + IMS OneRoster 1.1 / 1.2 REST bindings), one data set served
// three ways: 1.1 direct at /oneroster/ims/oneroster/v1p1/… (2-legged OAuth 1.0a), the
// ClassLink proxy at /classlink-proxy/{appId}/ims/oneroster/v1p1/… (static Bearer token), and
// 1.2 at /oneroster/ims/oneroster/rostering/v1p2/… (OAuth 2 client credentials, scoped).

import { oauth1RefusalHeaders } from "../oauth1.mjs";
import { first, HttpError, parseBearer, percentDecode, safeEqual, send, sendJson } from "../util.mjs";
import { rosterData, WRAPPERS } from "./data.mjs";
import { RosterError, writeError } from "./errors.mjs";
import { checkRepeats, linkHeader, parseFields, parseFilter, parsePaging, parseSort } from "./query.mjs";
import { createTokens } from "./tokens.mjs";

const JSON_TYPE = { "Content-Type": "application/json; charset=utf-8" };
const PAGING_DEFAULTS = { totalCount: true, link: true };

export function createOneRoster({ fixtures, verifier, counters, oauth2 }) {
  const fx = fixtures.oneroster;
  const cl = fixtures.classlink;
  // Built on the first OneRoster request (that also materializes the lazy fixture data).
  let data = null;
  const d = () => (data ??= rosterData(fx));
  const tokens = createTokens({ fixtures, oauth2 });
  const consumer = { key: fx.consumerKey, secret: fx.consumerSecret, signatureMethods: fx.signatureMethods, placements: fx.placements };
  const policy = { consumer: (k) => (k === consumer.key ? consumer : null), token: () => null, tokenKind: "none" };
  let paging = { ...PAGING_DEFAULTS };

  /** 1.1 direct: 2-legged OAuth 1.0a in the Authorization header, verified over the query as received. */
  function direct(r) {
    const v = verifier.verify(r, policy);
    if (!v.ok) {
      if (v.status === 401) counters.api("oneroster", false);
      throw new RosterError(v.status, v.status === 401 ? "unauthorisedrequest" : "invaliddata", `OAuth 1.0a: ${v.reason}: ${v.message}`,
        oauth1RefusalHeaders(v, "oneroster"));
    }
    counters.api("oneroster", true);
  }

  /** ClassLink proxy: static, non-expiring bearer token per application id (seed). */
  function proxy(r) {
    const appId = percentDecode(r.match[1]);
    const apps = { [cl.appId]: cl.accessToken, [cl.otherAppId]: cl.otherAccessToken };
    if (!Object.hasOwn(apps, appId)) throw new RosterError(404, "unknownobject", "unknown application id");
    const token = parseBearer(r.headers.authorization);
    if (!token) {
      counters.api("classlink", false);
      // RFC 6750 §3.1: no error code when the request carried no credentials at all.
      throw new RosterError(401, "unauthorisedrequest", "missing bearer token", { "WWW-Authenticate": 'Bearer realm="classlink"' });
    }
    if (!Object.values(apps).some((t) => safeEqual(t, token))) {
      counters.api("classlink", false);
      throw new RosterError(401, "unauthorisedrequest", "invalid bearer token",
        { "WWW-Authenticate": 'Bearer realm="classlink", error="invalid_token", error_description="unknown access token"' });
    }
    if (!safeEqual(apps[appId], token)) throw new RosterError(403, "forbidden", "token does not belong to this application");
    counters.api("classlink", true);
  }

  /** Answers a planned endpoint with paging, filter, sort and field selection. */
  function serve(version, r, res, p) {
    checkRepeats(r.query);
    const [singular, plural] = WRAPPERS[p.collection];
    const data = d();
    const known = data.known[version][plural];
    const fields = parseFields(r.query, known);
    const project = fields
      ? (row) => JSON.stringify(Object.fromEntries(fields.map((f) => [f, row.view[version][f]])))
      : (row) => data.json(row, version);
    if (p.kind === "one") {
      const { row } = p.lookup();
      send(res, 200, JSON_TYPE, `{"${singular}":${project(row)}}`);
      return;
    }
    const sort = parseSort(r.query, known);
    const { limit, offset } = parsePaging(r.query);
    const rawFilter = first(r.query, "filter");
    const predicate = rawFilter === undefined ? null : parseFilter(rawFilter, known);
    const found = p.lookup();
    let rows = sort ? data.sortRows(version, found.scope, found.rows, sort) : found.rows;
    if (predicate) rows = rows.filter((row) => predicate(row.view[version]));
    const total = rows.length;
    const headers = { ...JSON_TYPE };
    if (paging.totalCount) headers["X-Total-Count"] = String(total);
    if (paging.link) headers.Link = linkHeader(r, { limit, offset, total });
    send(res, 200, headers, `{"${plural}":[${rows.slice(offset, offset + limit).map(project).join(",")}]}`);
  }

  /**
   * One binding's handler: split and decode the path after the version prefix, plan the
   * endpoint, authenticate, then unknown endpoint → 404, check the 1.2 scope, serve. Errors become imsx bodies.
   * Counts oneroster_api.calls.<binding>.{total,<endpoint>} and .errors.<binding>.<codeMinor>.
   */
  const binding = (name, version, authenticate) => (r, res) => {
    counters.inc(["oneroster_api", "calls", name, "total"]);
    try {
      const rest = r.match[r.match.length - 1];
      const segments = rest.split("/").map((s) => percentDecode(s));
      const p = segments.some((s) => s === "") ? null : d().plan(segments);
      counters.inc(["oneroster_api", "calls", name, p ? p.endpoint : "unknown"]);
      const family = authenticate(r);
      if (!p) throw new RosterError(404, "unknownobject", `no OneRoster endpoint /${rest}`);
      if (version === "v1p2") tokens.checkScope(family, p.collection);
      serve(version, r, res, p);
    } catch (e) {
      if (!(e instanceof RosterError)) throw e;
      counters.inc(["oneroster_api", "errors", name, e.codeMinor]);
      writeError(res, e, version);
    }
  };

  /** GET|POST /__sim/oneroster/paging {"totalCount"?: bool, "link"?: bool} → the settings. */
  function pagingControl(r, res) {
    if (r.method === "POST") {
      const body = r.json();
      for (const [k, v] of Object.entries(body)) {
        if (!Object.hasOwn(PAGING_DEFAULTS, k)) throw new HttpError(400, "invalid_request", `unknown setting ${k} (totalCount, link)`);
        if (typeof v !== "boolean") throw new HttpError(400, "invalid_request", `${k} must be true or false`);
      }
      paging = { ...paging, ...body };
    }
    sendJson(res, 200, paging);
  }

  return {
    routes: [
      { method: "GET,POST", path: "/__sim/oneroster/paging", handler: pagingControl },
      { method: "GET", path: /^\/oneroster\/ims\/oneroster\/v1p1\/(.+)$/, handler: binding("v1p1", "v1p1", direct) },
      { method: "GET", path: /^\/classlink-proxy\/([^/]+)\/ims\/oneroster\/v1p1\/(.+)$/, handler: binding("classlink", "v1p1", proxy) },
      { method: "GET", path: /^\/oneroster\/ims\/oneroster\/rostering\/v1p2\/(.+)$/, handler: binding("v1p2", "v1p2", tokens.authenticate) },
      { method: "POST", path: fx.oauth2.tokenPath, handler: oauth2.tokenEndpoint(tokens.token) },
    ],
    reset() {
      paging = { ...PAGING_DEFAULTS };
    },
  };
}
