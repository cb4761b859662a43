// ZapEvent (seed 001) under /zapevent/api/… mirroring https://www.zapevent.com/api/…: the
// OAuth 1.0a three-legged flow, the Login Method, and paged event/category/participant lists.

import { oauth1Challenge } from "./oauth1.mjs";
import {
  BoundedMap, first, randomToken, redirect, safeEqual, send, sendForm, sendJson, toCsv, xmlEscape,
} from "./util.mjs";

/** Error codes and messages from the seed's table (typo "recieved" kept: it is theirs). */
const ERRORS = {
  3: "Invalid parameters",
  6: "Key authentication failed",
  7: "Permission Denied",
  10: "Response format not supported for this REST method",
  12: "Request recieved out of order",
  101: "User Not Found",
  102: "Password Invalid",
  201: "Event Not Found",
  301: "Activity Not Found",
};
const FORMATS = new Set(["xml", "json", "csv"]);
const CONTENT_TYPES = {
  xml: "application/xml; charset=utf-8",
  json: "application/json; charset=utf-8",
  csv: "text/csv; charset=utf-8",
};
const XML_DECL = '<?xml version="1.0" encoding="utf-8"?>\n';

/** A ZapEvent error in the requested format; thrown from handlers, written by `guard`. */
class ZapError extends Error {
  constructor(status, code, { missing = [], invalid = [], problem, challenge } = {}) {
    super(ERRORS[code]);
    Object.assign(this, { status, code, missing, invalid, problem, challenge });
  }
}

function writeError(res, format, e) {
  const headers = {};
  if (e.challenge) headers["WWW-Authenticate"] = e.challenge;
  const fmt = FORMATS.has(format) ? format : "xml";
  let body;
  if (fmt === "json") {
    const err = { error_code: e.code, error_msg: ERRORS[e.code] };
    if (e.missing.length) err.param_missing = e.missing;
    if (e.invalid.length) err.param_invalid = e.invalid;
    if (e.problem) err.oauth_problem = e.problem;
    body = JSON.stringify({ error: err });
  } else if (fmt === "csv") {
    body = toCsv(["error_code", "error_msg"], [{ error_code: e.code, error_msg: ERRORS[e.code] }]);
  } else {
    body = `${XML_DECL}<error><error_code>${e.code}</error_code><error_msg>${xmlEscape(ERRORS[e.code])}</error_msg>`;
    for (const p of e.missing) body += `<param_missing><param_name>${xmlEscape(p)}</param_name></param_missing>`;
    for (const p of e.invalid) body += `<param_invalid><param_name>${xmlEscape(p)}</param_name></param_invalid>`;
    if (e.problem) body += `<oauth_problem>${xmlEscape(e.problem)}</oauth_problem>`;
    body += "</error>";
  }
  send(res, e.status, { "Content-Type": CONTENT_TYPES[fmt], ...headers }, body);
}

/** Serialises one flat record as XML child elements (nested arrays handled by the caller). */
function xmlFields(record, fields) {
  return fields.map((f) => `<${f}>${xmlEscape(record[f] ?? "")}</${f}>`).join("");
}

const EVENT_FIELDS = ["event_id", "name", "event_type", "event_status", "start_date", "end_date", "created", "city", "state", "country", "url"];
const ACTIVITY_FIELDS = ["activity_id", "name", "start_date", "price"];
const CATEGORY_FIELDS = ["category_id", "category", "event_count"];
const PARTICIPANT_FIELDS = ["registration_id", "participant_id", "event_id", "activity_id", "first_name", "last_name", "email",
  "gender", "age", "registration_date", "amount_paid", "payment_status", "city", "notes"];

/** "MM-DD-YYYY" → sortable "YYYYMMDD" (the seed's date datatype); null when malformed. */
function dateKey(s) {
  const m = /^(\d{2})-(\d{2})-(\d{4})$/.exec(s || "");
  return m ? `${m[3]}${m[1]}${m[2]}` : null;
}

export function createZapEvent({ fixtures, verifier, clock, counters }) {
  const fx = fixtures.zapevent;
  const consumer = { key: fx.consumerKey, secret: fx.consumerSecret, signatureMethods: fx.signatureMethods };
  const users = [fx.user, fx.otherUser];
  // Dynamic tokens (request + access) and Login Method sessions; bounded, cleared by reset.
  let tokens = new BoundedMap(10000);
  let sessions = new BoundedMap(1000);
  const fixtureToken = { token: fx.accessToken.token, secret: fx.accessToken.tokenSecret, kind: "access", consumerKey: fx.consumerKey, userId: fx.user.userId };
  const lookupToken = (t) => (t === fixtureToken.token ? fixtureToken : tokens.get(t) || null);
  const policy = (tokenKind) => ({ consumer: (k) => (k === consumer.key ? consumer : null), token: lookupToken, tokenKind });

  /** Runs the OAuth 1.0a verifier; maps failures to error 3 (400) or 6 (401). */
  function verifyOAuth(r, tokenKind) {
    const v = verifier.verify(r, policy(tokenKind));
    if (v.ok) return v;
    const missing = v.extra.oauth_parameters_absent ? v.extra.oauth_parameters_absent.split("&") : [];
    throw new ZapError(v.status === 401 ? 401 : 400, v.status === 401 ? 6 : 3, { missing, problem: v.problem, challenge: oauth1Challenge(v, "zapevent") });
  }

  const hasOAuthParams = (r) => /^oauth(\s|$)/i.test(r.headers.authorization || "")
    || r.query.some(([k]) => k.startsWith("oauth_")) || (r.form || []).some(([k]) => k.startsWith("oauth_"));

  /** API calls: OAuth 1.0a with an access token, or the Login Method's tmp_key/tmp_secret. */
  function authenticate(r) {
    try {
      const userId = authenticateOnce(r);
      counters.api("zapevent", true);
      return userId;
    } catch (e) {
      if (e instanceof ZapError && e.status === 401) counters.api("zapevent", false);
      throw e;
    }
  }
  function authenticateOnce(r) {
    if (hasOAuthParams(r)) return verifyOAuth(r, "access").token.userId;
    const key = first(r.query, "tmp_key");
    const secret = first(r.query, "tmp_secret");
    if (key === undefined && secret === undefined) throw new ZapError(401, 6, { challenge: 'OAuth realm="zapevent"' });
    const missing = [key === undefined && "tmp_key", secret === undefined && "tmp_secret"].filter(Boolean);
    if (missing.length) throw new ZapError(400, 3, { missing });
    const s = sessions.get(key);
    if (!s || !safeEqual(s.secret, secret) || clock.now() >= s.expiresAt) throw new ZapError(401, 6);
    return s.userId;
  }

  /** Wraps a handler: resolves `format`, turns ZapErrors into seed-shaped error bodies. */
  const guard = (fn, { formatParam = true } = {}) => async (r, res) => {
    const format = formatParam ? (first(r.query, "format") ?? "xml").toLowerCase() : "xml";
    try {
      if (!FORMATS.has(format)) throw new ZapError(400, 10);
      await fn(r, res, format);
    } catch (e) {
      if (!(e instanceof ZapError)) throw e;
      writeError(res, format, e);
    }
  };

  // ---- Step 1: POST oauth/RequestToken (RFC 5849 §2.1) ----------------------------------------
  function requestToken(r, res) {
    const v = verifyOAuth(r, "none");
    const cb = v.oauth.oauth_callback;
    if (cb === undefined) throw new ZapError(400, 3, { missing: ["oauth_callback"], problem: "parameter_absent" });
    if (cb !== "oob") {
      let u = null;
      try {
        u = new URL(cb);
      } catch {
        /* fall through */
      }
      if (!u || (u.protocol !== "http:" && u.protocol !== "https:")) throw new ZapError(400, 3, { invalid: ["oauth_callback"] });
    }
    const rec = { token: randomToken(16, "hex"), secret: randomToken(20, "hex").toUpperCase(), kind: "request", consumerKey: consumer.key,
      callback: cb, expiresAt: clock.now() + fx.requestTokenTtl, authorized: false, verifier: null, userId: null, used: false };
    tokens.set(rec.token, rec);
    counters.inc("oauth1_flow.request_tokens");
    sendForm(res, 200, { oauth_token: rec.token, oauth_token_secret: rec.secret, oauth_callback_confirmed: "true" });
  }

  // ---- Step 2: GET oauth/authorize?oauth_token=… (RFC 5849 §2.2), auto-approved ----------------
  function authorize(r, res) {
    const t = first(r.query, "oauth_token");
    if (t === undefined) throw new ZapError(400, 3, { missing: ["oauth_token"] });
    const rec = tokens.get(t);
    if (!rec || rec.kind !== "request" || clock.now() >= rec.expiresAt) throw new ZapError(401, 6, { problem: "token_rejected" });
    if (rec.authorized || rec.used) throw new ZapError(400, 12);
    rec.authorized = true;
    rec.userId = fx.user.userId;
    rec.verifier = randomToken(16, "hex");
    counters.inc("oauth1_flow.authorized");
    const params = { oauth_token: rec.token, oauth_verifier: rec.verifier };
    const location = rec.callback === "oob" ? null : (() => {
      const u = new URL(rec.callback);
      for (const [k, val] of Object.entries(params)) u.searchParams.append(k, val);
      return u.toString();
    })();
    if (/application\/json/i.test(r.headers.accept || "")) {
      sendJson(res, 200, { ...params, redirect: location });
    } else if (location) {
      redirect(res, location);
    } else {
      sendForm(res, 200, params); // out-of-band: the seed's "Response: oauth_token=…&oauth_verifier=…"
    }
  }

  // ---- Step 3: POST oauth/AccessToken (RFC 5849 §2.3); the request token is single-use -------
  function accessToken(r, res) {
    const v = verifyOAuth(r, "request");
    const rec = v.token;
    if (!rec.authorized) throw new ZapError(400, 12);
    const verifierValue = v.oauth.oauth_verifier;
    if (verifierValue === undefined) throw new ZapError(400, 3, { missing: ["oauth_verifier"], problem: "parameter_absent" });
    if (!safeEqual(verifierValue, rec.verifier)) {
      throw new ZapError(401, 6, { problem: "verifier_invalid", challenge: 'OAuth realm="zapevent", oauth_problem="verifier_invalid"' });
    }
    rec.used = true;
    const acc = { token: randomToken(16, "hex"), secret: randomToken(20, "hex").toUpperCase(), kind: "access", consumerKey: consumer.key, userId: rec.userId };
    tokens.set(acc.token, acc);
    counters.inc("oauth1_flow.access_tokens");
    sendForm(res, 200, { oauth_token: acc.token, oauth_token_secret: acc.secret });
  }

  // ---- Login Method: POST rest/login (username, password) → tmp_key / tmp_secret -------------
  function login(r, res, format) {
    const username = first(r.form, "username");
    const password = first(r.form, "password");
    const missing = [username === undefined && "username", password === undefined && "password"].filter(Boolean);
    if (missing.length) throw new ZapError(400, 3, { missing });
    const user = users.find((u) => u.username.toLowerCase() === username.toLowerCase());
    if (!user) throw new ZapError(401, 101);
    if (!safeEqual(user.password, password)) throw new ZapError(401, 102);
    const s = { key: randomToken(16, "hex"), secret: randomToken(20, "hex").toUpperCase(), userId: user.userId, expiresAt: clock.now() + fx.tmpSessionTtl };
    sessions.set(s.key, s);
    const out = { tmp_key: s.key, tmp_secret: s.secret };
    if (format === "json") sendJson(res, 200, out);
    else if (format === "csv") send(res, 200, { "Content-Type": CONTENT_TYPES.csv }, toCsv(["tmp_key", "tmp_secret"], [out]));
    else send(res, 200, { "Content-Type": CONTENT_TYPES.xml }, `${XML_DECL}<login>${xmlFields(out, ["tmp_key", "tmp_secret"])}</login>`);
  }

  // ---- Parameter parsing shared by the list methods --------------------------------------------
  function uintParam(r, name, { def, min = 0, max = Number.MAX_SAFE_INTEGER, required = false } = {}) {
    const raw = first(r.query, name);
    if (raw === undefined || raw === "") {
      if (required) throw new ZapError(400, 3, { missing: [name] });
      return def;
    }
    if (!/^\d{1,15}$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new ZapError(400, 3, { invalid: [name] });
    return Number(raw);
  }
  function boolParam(r, name, def) {
    const raw = first(r.query, name);
    if (raw === undefined || raw === "") return def;
    if (/^(t|true)$/i.test(raw)) return true;
    if (/^(f|false)$/i.test(raw)) return false;
    throw new ZapError(400, 3, { invalid: [name] });
  }
  function dateParam(r, name) {
    const raw = first(r.query, name);
    if (raw === undefined || raw === "") return null;
    const k = dateKey(raw);
    if (!k) throw new ZapError(400, 3, { invalid: [name] });
    return k;
  }
  /** `sort=field [ASC|DESC]` restricted to the fields the seed lists for each method. */
  function sortParam(r, allowed, def) {
    const raw = (first(r.query, "sort") ?? def).trim();
    const m = /^([a-z_]+)(?:\s+(asc|desc))?$/i.exec(raw);
    if (!m || !(m[1].toLowerCase() in allowed)) throw new ZapError(400, 3, { invalid: ["sort"] });
    return { key: allowed[m[1].toLowerCase()], desc: (m[2] || "asc").toLowerCase() === "desc" };
  }
  function sortRows(rows, { key, desc }) {
    const cmp = (a, b) => {
      const x = key(a);
      const y = key(b);
      return typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "en");
    };
    return [...rows].sort((a, b) => (desc ? -cmp(a, b) : cmp(a, b)));
  }
  function pageOf(r, rows) {
    const page = uintParam(r, "page", { def: 1, min: 1 });
    const perPage = uintParam(r, "results_per_page", { def: 10, min: 0, max: 250 });
    const total = rows.length;
    return {
      meta: { total_count: total, page, results_per_page: perPage, total_pages: perPage === 0 ? 0 : Math.ceil(total / perPage) },
      items: perPage === 0 ? [] : rows.slice((page - 1) * perPage, page * perPage),
    };
  }
  function sendList(res, format, { root, item, fields, meta, items, xmlExtra, jsonMap = (x) => x }) {
    const headers = {
      "X-Total-Count": String(meta.total_count),
      "X-Page": String(meta.page),
      "X-Results-Per-Page": String(meta.results_per_page),
      "X-Total-Pages": String(meta.total_pages),
    };
    if (format === "json") {
      sendJson(res, 200, { ...meta, [root]: items.map(jsonMap) }, headers);
    } else if (format === "csv") {
      send(res, 200, { "Content-Type": CONTENT_TYPES.csv, ...headers }, toCsv(fields, items));
    } else {
      const attrs = Object.entries(meta).map(([k, v]) => `${k}="${v}"`).join(" ");
      const body = items.map((x) => `<${item}>${xmlFields(x, fields)}${xmlExtra ? xmlExtra(x) : ""}</${item}>`).join("");
      send(res, 200, { "Content-Type": CONTENT_TYPES.xml, ...headers }, `${XML_DECL}<${root} ${attrs}>${body}</${root}>`);
    }
  }

  const publicEvent = (e, withActivities) => {
    const out = Object.fromEntries(EVENT_FIELDS.map((f) => [f, e[f]]));
    if (withActivities) out.activities = e.activities.map((a) => ({ ...a }));
    return out;
  };
  const activitiesXml = (e) => (e.activities
    ? `<activities>${e.activities.map((a) => `<activity>${xmlFields(a, ACTIVITY_FIELDS)}</activity>`).join("")}</activities>` : "");

  function eventFor(r, userId) {
    const id = uintParam(r, "event_id", { required: true });
    const ev = fx.events.find((e) => e.event_id === id);
    if (!ev) throw new ZapError(404, 201);
    if (ev.owner !== userId) throw new ZapError(403, 7);
    return ev;
  }

  // ---- GET event/getevents -----------------------------------------------------------------------
  function getEvents(r, res, format) {
    const userId = authenticate(r);
    const withActivities = boolParam(r, "activities", true);
    const sort = sortParam(r, { name: (e) => e.name, eventtype: (e) => e.event_type, date: (e) => dateKey(e.start_date) }, "name ASC");
    const name = first(r.query, "name");
    const eventType = first(r.query, "event_type");
    const state = first(r.query, "state");
    const country = first(r.query, "country");
    const status = (first(r.query, "event_status") ?? "all").toLowerCase();
    if (!["all", "public", "private"].includes(status)) throw new ZapError(400, 3, { invalid: ["event_status"] });
    const startDate = dateParam(r, "start_date");
    const endDate = dateParam(r, "end_date");
    const createdSince = dateParam(r, "created_since");
    const createdBefore = dateParam(r, "created_on_or_before");
    let rows = fx.events.filter((e) => e.owner === userId
      && (!name || e.name.toLowerCase().includes(name.toLowerCase()))
      && (!eventType || e.event_type === eventType)
      && (!state || e.state.toLowerCase() === state.toLowerCase())
      && (!country || e.country.toLowerCase().includes(country.toLowerCase()))
      && (status === "all" || e.event_status === status)
      && (!startDate || dateKey(e.end_date) >= startDate)
      && (!endDate || dateKey(e.start_date) <= endDate)
      && (!createdSince || dateKey(e.created) >= createdSince)
      && (!createdBefore || dateKey(e.created) <= createdBefore));
    rows = sortRows(rows, sort);
    const { meta, items } = pageOf(r, rows);
    sendList(res, format, { root: "events", item: "event", fields: EVENT_FIELDS, meta,
      items: items.map((e) => publicEvent(e, withActivities)), xmlExtra: activitiesXml });
  }

  // ---- GET event/getevent ------------------------------------------------------------------------
  function getEvent(r, res, format) {
    const userId = authenticate(r);
    const ev = eventFor(r, userId);
    const futureOnly = boolParam(r, "future_activities_only", false);
    const today = new Date(clock.nowMs()).toISOString().slice(0, 10).replace(/-/g, "");
    const out = publicEvent(ev, true);
    if (futureOnly) out.activities = out.activities.filter((a) => dateKey(a.start_date) >= today);
    if (format === "json") sendJson(res, 200, { event: out });
    else if (format === "csv") send(res, 200, { "Content-Type": CONTENT_TYPES.csv }, toCsv(EVENT_FIELDS, [out]));
    else send(res, 200, { "Content-Type": CONTENT_TYPES.xml }, `${XML_DECL}<event>${xmlFields(out, EVENT_FIELDS)}${activitiesXml(out)}</event>`);
  }

  // ---- GET event/getcategories ----------------------------------------------------------------
  function getCategories(r, res, format) {
    authenticate(r);
    const sort = sortParam(r, { category: (c) => c.category }, "category ASC");
    boolParam(r, "future_event_categories", false); // validated; every fixture event counts
    const { meta, items } = pageOf(r, sortRows(fx.categories, sort));
    sendList(res, format, { root: "categories", item: "category", fields: CATEGORY_FIELDS, meta, items });
  }

  // ---- GET event/getparticipants ----------------------------------------------------------------
  function getParticipants(r, res, format) {
    const userId = authenticate(r);
    const ev = eventFor(r, userId);
    const activityId = uintParam(r, "activity_id", {});
    if (activityId !== undefined && !ev.activities.some((a) => a.activity_id === activityId)) throw new ZapError(404, 301);
    const sort = sortParam(r, {
      registration_id: (p) => p.registration_id,
      registration_date: (p) => dateKey(p.registration_date),
      age: (p) => p.age,
      first_name: (p) => p.first_name,
      last_name: (p) => p.last_name,
      gender: (p) => p.gender,
      participant_id: (p) => p.participant_id,
    }, "registration_id ASC");
    const afterReg = uintParam(r, "after_registration_id", {});
    const afterPart = uintParam(r, "after_participant_id", {});
    const fn = first(r.query, "search_first_name");
    const ln = first(r.query, "search_last_name");
    const email = first(r.query, "search_email");
    const has = (v, q) => !q || v.toLowerCase().includes(q.toLowerCase());
    let rows = fx.participants.filter((p) => p.event_id === ev.event_id
      && (activityId === undefined || p.activity_id === activityId)
      && (afterReg === undefined || p.registration_id > afterReg)
      && (afterPart === undefined || p.participant_id > afterPart)
      && has(p.first_name, fn) && has(p.last_name, ln) && has(p.email, email));
    rows = sortRows(rows, sort);
    const { meta, items } = pageOf(r, rows);
    sendList(res, format, { root: "participants", item: "participant", fields: PARTICIPANT_FIELDS, meta, items });
  }

  // Paths are matched case-insensitively: the seed itself writes both oauth/Authorize and
  // oauth/authorize (ASP.NET routing); the signature still covers the path as sent.
  const P = (s) => new RegExp(`^/zapevent/api/${s}$`, "i");
  return {
    routes: [
      { method: "POST", path: P("oauth/RequestToken"), handler: guard(requestToken, { formatParam: false }) },
      { method: "GET", path: P("oauth/Authorize"), handler: guard(authorize, { formatParam: false }) },
      { method: "POST", path: P("oauth/AccessToken"), handler: guard(accessToken, { formatParam: false }) },
      { method: "POST", path: P("rest/login"), handler: guard(login) },
      { method: "GET", path: P("event/getevents"), handler: guard(getEvents) },
      { method: "GET", path: P("event/getevent"), handler: guard(getEvent) },
      { method: "GET", path: P("event/getcategories"), handler: guard(getCategories) },
      { method: "GET", path: P("event/getparticipants"), handler: guard(getParticipants) },
    ],
    reset() {
      tokens = new BoundedMap(10000);
      sessions = new BoundedMap(1000);
    },
  };
}
