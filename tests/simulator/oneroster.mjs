// OneRoster 1.1 rostering (seed 002): direct access signed with 2-legged OAuth 1.0a HMAC-SHA256
// at /oneroster/ims/oneroster/v1p1/…, and the ClassLink bearer-token proxy at /classlink-proxy/….

import { oauth1Challenge } from "./oauth1.mjs";
import { first, parseBearer, percentDecode, rfc3986, safeEqual, sendJson } from "./util.mjs";

const DEFAULT_LIMIT = 100; // OneRoster 1.1 §3.4.1: default page size 100
const MAX_LIMIT = 1000;

/** OneRoster 1.1 imsx status payload for errors (spec §3.3, codeMinor vocabulary). */
class RosterError extends Error {
  constructor(status, codeMinor, description, headers = {}) {
    super(description);
    Object.assign(this, { status, codeMinor, headers });
  }
}
function writeError(res, e) {
  sendJson(res, e.status, {
    imsx_codeMajor: "failure",
    imsx_severity: "error",
    imsx_description: e.message,
    imsx_CodeMinor: { imsx_codeMinorField: [{ imsx_codeMinorFieldName: "TargetEndSystem", imsx_codeMinorFieldValue: e.codeMinor }] },
  }, e.headers);
}

/** Parses a OneRoster 1.1 §3.4.2 filter: `field<op>'value'`, optionally two joined by AND/OR. */
function parseFilter(raw, knownFields) {
  const parts = raw.split(/ (AND|OR) /);
  if (parts.length > 3) throw new RosterError(400, "invalid_filter_field", "at most two predicates joined by one AND/OR");
  const clauses = [];
  for (let i = 0; i < parts.length; i += 2) {
    const m = /^([A-Za-z]+)(!=|>=|<=|=|>|<|~)'([^']*)'$/.exec(parts[i].trim());
    if (!m) throw new RosterError(400, "invalid_filter_field", `malformed filter predicate: ${parts[i]}`);
    if (!knownFields.has(m[1])) throw new RosterError(400, "invalid_filter_field", `unknown filter field ${m[1]}`);
    clauses.push({ field: m[1], op: m[2], value: m[3] });
  }
  const test = ({ field, op, value }, rec) => {
    const v = rec[field];
    const s = Array.isArray(v) ? v.join(",") : v === null || v === undefined ? "" : typeof v === "object" ? v.sourcedId : String(v);
    switch (op) {
      case "=": return s === value;
      case "!=": return s !== value;
      case ">": return s > value;
      case ">=": return s >= value;
      case "<": return s < value;
      case "<=": return s <= value;
      default: return s.toLowerCase().includes(value.toLowerCase()); // "~" contains
    }
  };
  const logic = parts[1];
  return (rec) => (logic === "OR" ? clauses.some((c) => test(c, rec)) : clauses.every((c) => test(c, rec)));
}

export function createOneRoster({ fixtures, verifier, counters }) {
  const fx = fixtures.oneroster;
  const cl = fixtures.classlink;
  const consumer = { key: fx.consumerKey, secret: fx.consumerSecret, signatureMethods: fx.signatureMethods, placements: fx.placements };
  const policy = { consumer: (k) => (k === consumer.key ? consumer : null), token: () => null, tokenKind: "none" };

  // collection → [records, singular wrapper key, plural wrapper key]
  const collections = {
    orgs: () => [fx.orgs, "org", "orgs"],
    schools: () => [fx.orgs.filter((o) => o.type === "school"), "org", "orgs"],
    users: () => [fx.users, "user", "users"],
    students: () => [fx.users.filter((u) => u.role === "student"), "user", "users"],
    teachers: () => [fx.users.filter((u) => u.role === "teacher"), "user", "users"],
    classes: () => [fx.classes, "class", "classes"],
    enrollments: () => [fx.enrollments, "enrollment", "enrollments"],
  };

  /** Serves one collection or one object, with paging, filter, sort and field selection. */
  function serve(r, res, collection, id) {
    const [records, singular, plural] = collections[collection]();
    const knownFields = new Set(Object.keys(records[0] || {}));
    let fields = null;
    const rawFields = first(r.query, "fields");
    if (rawFields !== undefined) {
      fields = rawFields.split(",").map((f) => f.trim());
      const bad = fields.filter((f) => !knownFields.has(f));
      if (bad.length || !fields.length) throw new RosterError(400, "invalid_selection_field", `unknown field(s) ${bad.join(", ")}`);
    }
    const project = (rec) => (fields ? Object.fromEntries(fields.map((f) => [f, rec[f]])) : rec);
    if (id !== undefined) {
      const rec = records.find((x) => x.sourcedId === id);
      if (!rec) throw new RosterError(404, "unknownobject", `no ${singular} with sourcedId ${id}`);
      sendJson(res, 200, { [singular]: project(rec) });
      return;
    }
    const intParam = (name, def, min) => {
      const raw = first(r.query, name);
      if (raw === undefined) return def;
      if (!/^\d{1,9}$/.test(raw) || Number(raw) < min) throw new RosterError(400, "invaliddata", `${name} must be an integer >= ${min}`);
      return Number(raw);
    };
    const limit = Math.min(intParam("limit", DEFAULT_LIMIT, 1), MAX_LIMIT);
    const offset = intParam("offset", 0, 0);
    let rows = records;
    const filter = first(r.query, "filter");
    if (filter !== undefined) rows = rows.filter(parseFilter(filter, knownFields));
    const sort = first(r.query, "sort");
    if (sort !== undefined) {
      if (!knownFields.has(sort)) throw new RosterError(400, "invalid_sort_field", `unknown sort field ${sort}`);
      const desc = (first(r.query, "orderBy") || "asc").toLowerCase() === "desc";
      rows = [...rows].sort((a, b) => String(a[sort]).localeCompare(String(b[sort])) * (desc ? -1 : 1));
    }
    const total = rows.length;
    const page = rows.slice(offset, offset + limit);
    // RFC 8288 Link header with first/prev/next/last, keeping every other query parameter.
    const others = r.query.filter(([k]) => k !== "limit" && k !== "offset");
    const link = (off) => `<${r.origin}${r.path}?${[...others, ["limit", String(limit)], ["offset", String(off)]]
      .map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join("&")}>`;
    const lastOffset = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
    const links = [`${link(0)}; rel="first"`];
    if (offset > 0) links.push(`${link(Math.max(0, offset - limit))}; rel="prev"`);
    if (offset + limit < total) links.push(`${link(offset + limit)}; rel="next"`);
    links.push(`${link(lastOffset)}; rel="last"`);
    sendJson(res, 200, { [plural]: page.map(project) }, { "X-Total-Count": String(total), Link: links.join(", ") });
  }

  const guard = (fn) => (r, res) => {
    try {
      fn(r, res);
    } catch (e) {
      if (!(e instanceof RosterError)) throw e;
      writeError(res, e);
    }
  };

  function direct(r, res) {
    const v = verifier.verify(r, policy);
    if (!v.ok) {
      if (v.status === 401) counters.api("oneroster", false);
      throw new RosterError(v.status, v.status === 401 ? "unauthorisedrequest" : "invaliddata", `OAuth 1.0a: ${v.reason}: ${v.message}`,
        { "WWW-Authenticate": oauth1Challenge(v, "oneroster") });
    }
    counters.api("oneroster", true);
    serve(r, res, r.match[1], r.match[2] === undefined ? undefined : percentDecode(r.match[2]));
  }

  /** ClassLink proxy: static, non-expiring bearer token per application id (seed). */
  function proxy(r, res) {
    const appId = percentDecode(r.match[1]);
    const apps = { [cl.appId]: cl.accessToken, [cl.otherAppId]: cl.otherAccessToken };
    if (!(appId in apps)) throw new RosterError(404, "unknownobject", "unknown application id");
    const token = parseBearer(r.headers.authorization);
    if (!token) {
      counters.api("classlink", false);
      throw new RosterError(401, "unauthorisedrequest", "missing bearer token", { "WWW-Authenticate": 'Bearer realm="classlink"' });
    }
    const valid = Object.values(apps).some((t) => safeEqual(t, token));
    if (!valid) {
      counters.api("classlink", false);
      throw new RosterError(401, "unauthorisedrequest", "invalid bearer token",
        { "WWW-Authenticate": 'Bearer realm="classlink", error="invalid_token", error_description="unknown access token"' });
    }
    if (!safeEqual(apps[appId], token)) throw new RosterError(403, "forbidden", "token does not belong to this application");
    counters.api("classlink", true);
    serve(r, res, r.match[2], r.match[3] === undefined ? undefined : percentDecode(r.match[3]));
  }

  const names = Object.keys(collections).join("|");
  return {
    routes: [
      { method: "GET", path: new RegExp(`^/oneroster/ims/oneroster/v1p1/(${names})(?:/([^/]+))?$`), handler: guard(direct) },
      { method: "GET", path: new RegExp(`^/classlink-proxy/([^/]+)/ims/oneroster/v1p1/(${names})(?:/([^/]+))?$`), handler: guard(proxy) },
    ],
    reset() {},
  };
}
