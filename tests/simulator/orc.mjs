// Online Registration Center (seed 000) at /orc/token/ and /orc/roster/: raw Basic client auth,
// refresh-only grant answering access_refresh_token and expires_in in HOURS, pre-issued tokens.
// Exactly POST on the trailing-slash paths: other methods → 405 (Allow: POST), the slash-less
// paths → 301 to the slash form (a client that follows it as a GET then meets the 405).

import { OAuth2Error } from "./oauth2.mjs";
import { first, HttpError, send, sendJson } from "./util.mjs";

export function createOrc({ fixtures, oauth2 }) {
  const fx = fixtures.orc;
  const P = "orc";
  const client = { clientId: fx.clientId, clientSecret: fx.clientSecret, authMethod: "client_secret_basic" };

  /**
   * Seed: `"Basic " + base64_encode(CLIENT_ID + ":" + CLIENT_SECRET)`, raw, NOT the RFC 6749
   * §2.3.1 form-encoding; with a secret holding '+', '/', '=' the two encodings differ.
   */
  function authenticate(r) {
    const creds = oauth2.clientCredentials(r, { basic: "raw" });
    if (!creds.basicUsed) throw oauth2.invalidClient({ basicUsed: true }, "orc", "HTTP Basic client authentication required");
    return oauth2.authenticateClient(creds, creds.clientId === client.clientId ? client : null, "orc");
  }

  /** The seed's expires_in is in hours; sub-hour TTLs (set via /__sim/config) round up to 1. */
  const hours = (seconds) => Math.max(1, Math.ceil(seconds / 3600));

  /** POST /orc/token/ — grant_type defaults to refresh_token (seed), the only grant. */
  function token(r, res) {
    authenticate(r);
    const grantType = first(r.form, "grant_type") ?? "refresh_token";
    if (grantType !== "refresh_token") throw new OAuth2Error("unsupported_grant_type", "only refresh_token is supported");
    const out = oauth2.rotate(P, client.clientId, first(r.form, "refresh_token"));
    oauth2.sendTokens(res, P, "refresh_token", {
      access_token: out.accessToken,
      access_refresh_token: out.refreshToken,
      expires_in: hours(out.expiresIn),
    });
  }

  /** POST /orc/roster/ — form module_id, export_id?, access_token, plus the Basic header. */
  function roster(r, res) {
    authenticate(r);
    oauth2.requireBearer(r, P, { realm: "orc", bodyToken: first(r.form, "access_token") ?? null });
    const moduleRaw = first(r.form, "module_id");
    if (moduleRaw === undefined) throw new OAuth2Error("invalid_request", "module_id required");
    if (!/^\d{1,9}$/.test(moduleRaw)) throw new OAuth2Error("invalid_request", "module_id must be an integer");
    const moduleId = Number(moduleRaw);
    if (!Object.hasOwn(fx.attendees, moduleId)) throw new OAuth2Error("invalid_request", "module not found", 404);
    const exportRaw = first(r.form, "export_id");
    if (exportRaw !== undefined) {
      const exp = fx.exports.find((e) => String(e.export_id) === exportRaw);
      if (!exp) throw new OAuth2Error("invalid_request", "export template not found", 404);
      // Seed: 'Only "Registration Data" type can be accepted.'
      if (exp.type !== "Registration Data") throw new OAuth2Error("invalid_request", 'only "Registration Data" export templates are accepted');
    }
    send(res, 200, { "Content-Type": "application/json; charset=utf-8" }, rosterBody(moduleId));
  }

  /** The roster JSON per module, serialized once (module 4103 is ~2.7 MB). */
  const bodies = new Map();
  function rosterBody(moduleId) {
    let body = bodies.get(moduleId);
    if (!body) bodies.set(moduleId, (body = Buffer.from(JSON.stringify({ attendees: fx.attendees[moduleId] }), "utf8")));
    return body;
  }

  /** Any other method on /orc/token/ or /orc/roster/: 405 with Allow (RFC 9110 §15.5.6). */
  function postOnly(r, res) {
    sendJson(res, 405, { error: "method_not_allowed", error_description: `${r.method} not allowed on ${r.path}; use POST` }, { Allow: "POST" });
  }
  /** /orc/token and /orc/roster (no trailing slash): 301 to the slash form, query kept. */
  function addSlash(r, res) {
    const location = `${r.origin}${r.path}/${r.rawQuery ? `?${r.rawQuery}` : ""}`;
    sendJson(res, 301, { error: "moved_permanently", error_description: `the endpoint is ${r.path}/ (POST)` }, { Location: location });
  }

  /** POST /__sim/orc/issue — what the ORC console hands out: api_access_token + api_refresh_token. */
  function preissue() {
    const out = oauth2.issuePreissued(P);
    return { access_token: out.accessToken, refresh_token: out.refreshToken, expires_in: hours(out.expiresIn) };
  }
  function issue(r, res) {
    if (r.method !== "POST") throw new HttpError(405, "method_not_allowed", "POST");
    sendJson(res, 200, preissue());
  }

  return {
    routes: [
      { method: "POST", path: "/orc/token/", handler: oauth2.tokenEndpoint(token) },
      { method: "*", path: "/orc/token/", handler: postOnly },
      { method: "*", path: "/orc/token", handler: addSlash },
      { method: "POST", path: "/orc/roster/", handler: oauth2.tokenEndpoint(roster) },
      { method: "*", path: "/orc/roster/", handler: postOnly },
      { method: "*", path: "/orc/roster", handler: addSlash },
      { method: "POST", path: "/__sim/orc/issue", handler: issue },
    ],
    reset() {},
    preissue,
  };
}
