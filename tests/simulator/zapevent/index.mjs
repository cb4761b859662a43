// ZapEvent (seed 001) under /zapevent/api/… mirroring https://www.zapevent.com/api/…: the
// OAuth 1.0a three-legged flow, the OAuth 2 code flow, the Login Method, both generations of
// the event API, per-method call counters and the /__sim/zapevent/… control routes.

import { first, HttpError, sendJson } from "../util.mjs";
import { createApi } from "./api.mjs";
import { createAuth } from "./auth.mjs";
import { createData } from "./data.mjs";
import { createZapOAuth2 } from "./oauth2flow.mjs";
import { FORMATS, META_MODES, writeError, ZapError } from "./wire.mjs";

export function createZapEvent({ fixtures, verifier, clock, counters, oauth2 }) {
  const data = createData(fixtures.zapevent);
  const auth = createAuth({ fixtures, verifier, clock, counters, oauth2 });
  const flow2 = createZapOAuth2({ fixtures, oauth2 });
  let settings = { meta: "attributes", repeat: false };
  const api = createApi({ data, auth, clock, settings: () => settings });

  /**
   * Wraps a handler: resolves `format` (default per method), refuses formats the method does
   * not serve with error 10 (written in the method's default format), turns ZapErrors into
   * seed-shaped bodies, and counts calls/errors under zapevent_api.{calls,errors}.<gen>.
   */
  const guard = (fn, { gen = null, name = null, defaultFormat = "xml", formats = FORMATS, formatParam = true } = {}) => async (r, res) => {
    if (gen) {
      counters.inc(["zapevent_api", "calls", gen, name]);
      counters.inc(["zapevent_api", "calls", gen, "total"]);
    }
    const format = formatParam ? (first(r.query, "format") || defaultFormat).toLowerCase() : defaultFormat;
    try {
      if (!formats.has(format)) throw new ZapError(400, 10);
      await fn(r, res, format, gen);
    } catch (e) {
      if (!(e instanceof ZapError)) throw e;
      if (gen) {
        counters.inc(["zapevent_api", "errors", gen, name]);
        counters.inc(["zapevent_api", "errors", gen, "total"]);
      }
      writeError(res, formats.has(format) ? format : defaultFormat, e);
    }
  };
  const oauth1Api = (name, fn) => guard(fn, { gen: "oauth1", name, defaultFormat: "xml" });
  const oauth2Api = (name, fn) => guard(fn, { gen: "oauth2", name, defaultFormat: "json" });

  /** GET|POST /__sim/zapevent/meta {"mode": "attributes"|"elements"|"absent"} → {"mode"}. */
  function metaControl(r, res) {
    if (r.method === "POST") {
      const { mode } = r.json();
      if (!META_MODES.includes(mode)) throw new HttpError(400, "invalid_request", `mode must be one of ${META_MODES.join(", ")}`);
      settings = { ...settings, meta: mode };
    }
    sendJson(res, 200, { mode: settings.meta });
  }
  /** GET|POST /__sim/zapevent/repeat {"on": boolean} → {"on"}: list methods always answer page 1. */
  function repeatControl(r, res) {
    if (r.method === "POST") {
      const { on } = r.json();
      if (typeof on !== "boolean") throw new HttpError(400, "invalid_request", '"on" must be true or false');
      settings = { ...settings, repeat: on };
    }
    sendJson(res, 200, { on: settings.repeat });
  }

  // Paths are matched case-insensitively: the seed itself writes both oauth/Authorize and
  // oauth/authorize (ASP.NET routing); the signature still covers the path as sent.
  const P = (s) => new RegExp(`^/zapevent/api/${s}$`, "i");
  const noFormat = { formatParam: false };
  return {
    routes: [
      { method: "GET,POST", path: "/__sim/zapevent/meta", handler: metaControl },
      { method: "GET,POST", path: "/__sim/zapevent/repeat", handler: repeatControl },
      // OAuth 1.0a (RFC 5849 §2); GET oauth/RequestToken?grant_type=… is the seed's OAuth 2 token example.
      { method: "POST", path: P("oauth/RequestToken"), handler: guard(auth.requestToken, noFormat) },
      { method: "GET", path: P("oauth/RequestToken"), handler: flow2.oauth1PathTokenGet },
      { method: "GET", path: P("oauth/Authorize"), handler: guard(auth.authorize, noFormat) },
      { method: "POST", path: P("oauth/AccessToken"), handler: guard(auth.accessToken, noFormat) },
      // OAuth 2 (RFC 6749 §4.1) on the shared engine.
      { method: "GET,POST", path: P("oauth2/Authori(?:ze|zation)"), handler: flow2.authorize },
      { method: "GET,POST", path: P("OAuth2/RequestToken"), handler: flow2.tokenEndpoint },
      // Login Method (both generations); no CSV.
      { method: "POST", path: P("rest/login"), handler: guard(auth.login, { formats: new Set(["xml", "json"]) }) },
      // OAuth 1 generation: default xml.
      { method: "GET", path: P("event/getevents"), handler: oauth1Api("getevents", api.getEvents) },
      { method: "GET", path: P("event/getevent"), handler: oauth1Api("getevent", api.getEvent) },
      { method: "GET", path: P("event/getcategories"), handler: oauth1Api("getcategories", api.getCategories) },
      { method: "GET", path: P("event/getquestions"), handler: oauth1Api("getquestions", api.getQuestions) },
      { method: "GET", path: P("event/getparticipants"), handler: oauth1Api("getparticipants", api.getParticipants) },
      // OAuth 2 generation: default json; the seed spells getnewquestion(s) both ways.
      { method: "GET", path: P("event/getnewevents"), handler: oauth2Api("getnewevents", api.getEvents) },
      { method: "GET", path: P("event/getnewevent"), handler: oauth2Api("getnewevent", api.getEvent) },
      { method: "GET", path: P("event/getnewcategories"), handler: oauth2Api("getnewcategories", api.getCategories) },
      { method: "GET", path: P("event/getnewquestions?"), handler: oauth2Api("getnewquestions", api.getQuestions) },
      { method: "GET", path: P("event/getnewparticipants"), handler: oauth2Api("getnewparticipants", api.getParticipants) },
    ],
    reset() {
      auth.reset();
      settings = { meta: "attributes", repeat: false };
    },
  };
}
