// OAuth 2 machinery every provider shares: authorization codes + PKCE, token families with
// strict refresh rotation and reuse revocation, client credentials parsing, bearer checks, config.

import { createHash } from "node:crypto";
import {
  BoundedMap, count, first, HttpError, parseBasic, parseBearer, percentDecode, randomToken, redirect, safeEqual, sendJson,
} from "./util.mjs";

export const PROVIDERS = ["orc", "priava", "omnifund", "generic", "zapevent", "oneroster"];

/** RFC 6749 §4.1.2: codes are short-lived and single-use; 60 s here. */
export const CODE_TTL_SECONDS = 60;

/** An RFC 6749 §5.2 (token endpoint) or RFC 6750 §3.1 (resource) error. */
export class OAuth2Error extends Error {
  constructor(error, description, status = 400, headers = {}) {
    super(description);
    Object.assign(this, { error, status, headers });
  }
}

/** RFC 7636 §4.1: code_verifier / code_challenge = 43..128 unreserved characters. */
const PKCE_SYNTAX = /^[A-Za-z0-9\-._~]{43,128}$/;

/** RFC 8252 §7.3: loopback redirect URIs match on any port. */
function redirectMatches(registered, given) {
  if (registered === given) return true;
  let a;
  let b;
  try {
    a = new URL(registered);
    b = new URL(given);
  } catch {
    return false;
  }
  const loopback = ["127.0.0.1", "[::1]", "localhost"];
  return a.protocol === "http:" && b.protocol === "http:" && loopback.includes(a.hostname) && a.hostname === b.hostname
    && a.port === "" && a.pathname === b.pathname && a.search === b.search && b.hash === "" && b.username === "" && b.password === "";
}

export function createOAuth2({ clock, counters, fixtures }) {
  const defaults = {
    orc: { accessTokenTtl: fixtures.orc.accessTokenTtl, refreshTokenTtl: fixtures.orc.refreshTokenTtl },
    priava: { accessTokenTtl: fixtures.priava.accessTokenTtl, refreshTokenTtl: null },
    omnifund: { accessTokenTtl: fixtures.omnifund.accessTokenTtl, refreshTokenTtl: null },
    generic: { accessTokenTtl: fixtures.generic.accessTokenTtl, refreshTokenTtl: null },
    zapevent: { accessTokenTtl: fixtures.zapevent.oauth2.accessTokenTtl, refreshTokenTtl: null },
    oneroster: { accessTokenTtl: fixtures.oneroster.oauth2.accessTokenTtl, refreshTokenTtl: null }, // OneRoster 1.2 client credentials
  };
  let overrides = {}; // provider | "*" → {accessTokenTtl?, refreshTokenTtl?}
  let codes;
  let families;
  let accessTokens;
  let refreshTokens;
  function clear() {
    codes = new BoundedMap(10000);
    families = new BoundedMap(20000);
    accessTokens = new BoundedMap(50000);
    refreshTokens = new BoundedMap(50000);
  }
  clear();

  function setting(provider, name) {
    for (const o of [overrides[provider], overrides["*"]]) if (o && o[name] !== undefined) return o[name];
    return defaults[provider][name];
  }

  /** Revokes every access and refresh token descended from the family's original grant. */
  function revokeFamily(family, why) {
    if (family.revoked) return;
    family.revoked = why;
    counters.inc("families_revoked");
  }

  /** Mints an access token (and by default a refresh token) in `family`. */
  function issueTokens(family, { withRefresh = true } = {}) {
    const now = clock.now();
    const ttl = setting(family.provider, "accessTokenTtl");
    const at = { token: randomToken(32), familyId: family.id, expiresAt: now + ttl, revoked: false };
    accessTokens.set(at.token, at);
    let rt = null;
    if (withRefresh) {
      const rttl = setting(family.provider, "refreshTokenTtl");
      rt = { token: randomToken(32), familyId: family.id, used: false, expiresAt: rttl === null ? null : now + rttl };
      refreshTokens.set(rt.token, rt);
    }
    return { accessToken: at.token, refreshToken: rt ? rt.token : null, expiresIn: ttl, scope: family.scope, family };
  }

  /** Starts a token family: one per original grant (code exchange, password, pre-issue…). */
  function newFamily(provider, clientId, { userId = null, scope = null, extra = {} } = {}) {
    const family = { id: randomToken(12), provider, clientId, userId, scope, revoked: false, createdAt: clock.now(), ...extra };
    families.set(family.id, family);
    return family;
  }

  /**
   * Authorization endpoint (RFC 6749 §4.1.1) with auto-approval. Errors about the client or the
   * redirect URI are shown to the "user" (400 JSON) and never redirected (§4.1.2.1); everything
   * else redirects back with error/state. `Accept: application/json` gets JSON instead of 302.
   */
  function authorize(r, res, { provider, client, pkce = "optional", scopes, userId, extra = {} }) {
    const q = r.query;
    for (const name of ["client_id", "redirect_uri", "response_type", "state", "scope", "code_challenge", "code_challenge_method"]) {
      if (count(q, name) > 1) throw new HttpError(400, "invalid_request", `${name} repeated (RFC 6749 §3.1)`);
    }
    const clientId = first(q, "client_id");
    if (!clientId) throw new HttpError(400, "invalid_request", "client_id missing");
    const c = client(clientId);
    if (!c) throw new HttpError(400, "invalid_client", "unknown client_id");
    const given = first(q, "redirect_uri");
    let redirectUri;
    if (given === undefined) {
      // §3.1.2.3: may be omitted only when exactly one redirect URI is registered.
      if (c.redirectUris.length !== 1) throw new HttpError(400, "invalid_request", "redirect_uri required");
      redirectUri = c.redirectUris[0];
    } else {
      if (!c.redirectUris.some((u) => redirectMatches(u, given))) throw new HttpError(400, "invalid_request", "redirect_uri not registered");
      redirectUri = given;
    }
    const state = first(q, "state");
    const answer = (params) => {
      const u = new URL(redirectUri);
      for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) u.searchParams.append(k, v);
      if (state !== undefined) u.searchParams.append("state", state);
      if (/application\/json/i.test(r.headers.accept || "")) sendJson(res, 200, { ...params, state: state ?? null, redirect: u.toString() });
      else redirect(res, u.toString());
    };
    const deny = (error, description) => {
      counters.inc(["oauth2_errors", error]);
      answer({ error, error_description: description });
    };
    const responseType = first(q, "response_type");
    if (responseType === undefined) return deny("invalid_request", "response_type missing");
    if (responseType !== "code") return deny("unsupported_response_type", "only response_type=code");
    const challenge = first(q, "code_challenge");
    let method = first(q, "code_challenge_method");
    if (challenge === undefined) {
      if (method !== undefined) return deny("invalid_request", "code_challenge_method without code_challenge");
      if (pkce === "S256") return deny("invalid_request", "PKCE with S256 is required");
    } else {
      method ??= "plain"; // RFC 7636 §4.3 default
      if (method !== "S256" && method !== "plain") return deny("invalid_request", "code_challenge_method must be S256 or plain");
      if (pkce === "S256" && method !== "S256") return deny("invalid_request", "code_challenge_method must be S256");
      if (!PKCE_SYNTAX.test(challenge)) return deny("invalid_request", "code_challenge must be 43-128 unreserved characters");
    }
    const scope = first(q, "scope");
    if (scope !== undefined && !scopeAllowed(scope, c.scopes ?? scopes)) return deny("invalid_scope", "scope not allowed for this client");
    if (first(q, "login_hint") === "deny") return deny("access_denied", "the resource owner denied the request");
    const code = randomToken(24);
    codes.set(code, {
      provider, clientId, redirectUri, redirectUriGiven: given !== undefined, challenge, method, scope: scope ?? null,
      userId, expiresAt: clock.now() + CODE_TTL_SECONDS, used: false, familyId: null, extra,
    });
    answer({ code });
  }

  function scopeAllowed(scope, allowed) {
    const list = scope.split(" ");
    if (list.some((s) => s === "" || !/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(s))) return false; // RFC 6749 §3.3 syntax
    return !allowed || list.every((s) => allowed.includes(s));
  }

  /**
   * authorization_code grant (RFC 6749 §4.1.3 + RFC 7636 §4.6). A code used twice is refused and
   * the tokens already issued from it are revoked (§4.1.2: "SHOULD revoke").
   */
  function redeemCode(provider, clientId, form) {
    const code = first(form, "code");
    if (!code) throw new OAuth2Error("invalid_request", "code missing");
    const rec = codes.get(code);
    if (!rec || rec.provider !== provider) throw new OAuth2Error("invalid_grant", "unknown authorization code");
    if (rec.used) {
      const fam = families.get(rec.familyId);
      if (fam) revokeFamily(fam, "authorization code reused");
      throw new OAuth2Error("invalid_grant", "authorization code already used");
    }
    if (clock.now() >= rec.expiresAt) throw new OAuth2Error("invalid_grant", "authorization code expired");
    if (rec.clientId !== clientId) throw new OAuth2Error("invalid_grant", "code was issued to another client");
    const redirectUri = first(form, "redirect_uri");
    if (rec.redirectUriGiven ? redirectUri !== rec.redirectUri : redirectUri !== undefined && !redirectMatches(rec.redirectUri, redirectUri)) {
      throw new OAuth2Error("invalid_grant", "redirect_uri does not match the authorization request");
    }
    const verifier = first(form, "code_verifier");
    if (rec.challenge !== undefined) {
      if (verifier === undefined) throw new OAuth2Error("invalid_grant", "code_verifier required (PKCE)");
      if (!PKCE_SYNTAX.test(verifier)) throw new OAuth2Error("invalid_grant", "code_verifier must be 43-128 unreserved characters");
      const derived = rec.method === "S256" ? createHash("sha256").update(verifier, "ascii").digest("base64url") : verifier;
      if (!safeEqual(derived, rec.challenge)) throw new OAuth2Error("invalid_grant", "PKCE verification failed");
    } else if (verifier !== undefined) {
      // RFC 9700 §2.1.1 (PKCE downgrade): a verifier without a challenge is refused.
      throw new OAuth2Error("invalid_grant", "code_verifier sent but no code_challenge was used");
    }
    rec.used = true;
    const family = newFamily(provider, clientId, { userId: rec.userId, scope: rec.scope, extra: { redirectUri: rec.redirectUri, ...rec.extra } });
    rec.familyId = family.id;
    return family;
  }

  /**
   * refresh_token grant with STRICT rotation (RFC 9700 §4.14.2): the presented token becomes
   * used and a new one is issued; presenting a used token revokes the whole family.
   * `check(family)` lets a provider add its own conditions (Priava: redirect_uri, region).
   */
  function rotate(provider, clientId, refreshToken, { scope, check } = {}) {
    if (!refreshToken) throw new OAuth2Error("invalid_request", "refresh_token missing");
    const rt = refreshTokens.get(refreshToken);
    const family = rt && families.get(rt.familyId);
    if (!rt || !family || family.provider !== provider) throw new OAuth2Error("invalid_grant", "unknown refresh token");
    if (family.clientId !== clientId) throw new OAuth2Error("invalid_grant", "refresh token was issued to another client");
    if (family.revoked) throw new OAuth2Error("invalid_grant", "refresh token revoked");
    if (rt.used) {
      revokeFamily(family, "refresh token reused");
      throw new OAuth2Error("invalid_grant", "refresh token already used; token family revoked");
    }
    if (rt.expiresAt !== null && clock.now() >= rt.expiresAt) throw new OAuth2Error("invalid_grant", "refresh token expired");
    if (check) check(family);
    let newScope = family.scope;
    if (scope !== undefined) {
      // RFC 6749 §6: the new scope must not exceed the original grant.
      const granted = family.scope ? family.scope.split(" ") : null;
      if (!scopeAllowed(scope, granted)) throw new OAuth2Error("invalid_scope", "scope exceeds the original grant");
      newScope = scope;
    }
    // rotateRefreshTokens false (/__sim/config): the refresh token stays valid and the answer
    // carries none (RFC 6749 §6: "MAY issue a new refresh token"), like Google's.
    const rotateTokens = setting(provider, "rotateRefreshTokens") !== false;
    if (rotateTokens) rt.used = true;
    const out = issueTokens(family, { withRefresh: rotateTokens });
    out.scope = newScope;
    return out;
  }

  /**
   * Protected resources (RFC 6750): returns {family, token} or throws a 401 with
   * `WWW-Authenticate: Bearer …, error="invalid_token"` (no error attribute when no token
   * was sent at all, §3.1). `bodyToken` supports the form-body method (§2.2, ORC roster).
   */
  function requireBearer(r, provider, { realm = provider, bodyToken } = {}) {
    const header = parseBearer(r.headers.authorization);
    const token = bodyToken !== undefined ? bodyToken : header;
    const reject = (desc, withError = true) => {
      counters.api(provider, false);
      const challenge = withError ? `Bearer realm="${realm}", error="invalid_token", error_description="${desc}"` : `Bearer realm="${realm}"`;
      throw new OAuth2Error(withError ? "invalid_token" : "unauthorized", desc, 401, { "WWW-Authenticate": challenge });
    };
    if (token === null || token === undefined) reject("no access token", false);
    const at = accessTokens.get(token);
    const family = at && families.get(at.familyId);
    if (!at || !family || family.provider !== provider) reject("The access token is unknown");
    if (family.revoked || at.revoked) reject("The access token was revoked");
    if (clock.now() >= at.expiresAt) reject("The access token expired");
    counters.api(provider, true);
    return { family, token: at };
  }

  /**
   * Reads client credentials from the Basic header and/or the body. `basic` picks how the
   * Basic user-id/password are decoded: "form" = RFC 6749 §2.3.1 (form-urlencoded inside the
   * base64), "raw" = the bytes as-is (Online Registration Center's base64(id:secret)).
   */
  function clientCredentials(r, { basic = "form" } = {}) {
    const b = parseBasic(r.headers.authorization);
    const bodyId = first(r.form, "client_id");
    const bodySecret = first(r.form, "client_secret");
    if (count(r.form, "client_id") > 1 || count(r.form, "client_secret") > 1) throw new OAuth2Error("invalid_request", "client credentials repeated");
    if (b) {
      // §2.3: "MUST NOT use more than one authentication method in each request".
      if (bodySecret !== undefined) throw new OAuth2Error("invalid_request", "client authenticated by both Basic and client_secret");
      const decode = (s) => {
        if (basic !== "form") return s;
        try {
          return percentDecode(s, true);
        } catch {
          // Not form-encoded as §2.3.1 requires (e.g. a raw secret holding '%'): wrong credentials.
          throw invalidClient({ basicUsed: true }, "oauth2", "Basic credentials are not form-urlencoded (RFC 6749 §2.3.1)");
        }
      };
      const id = decode(b.user);
      if (bodyId !== undefined && bodyId !== id) throw new OAuth2Error("invalid_request", "client_id in body differs from Basic user");
      return { method: "client_secret_basic", clientId: id, clientSecret: decode(b.password), basicUsed: true };
    }
    if (bodySecret !== undefined) return { method: "client_secret_post", clientId: bodyId, clientSecret: bodySecret, basicUsed: false };
    if (bodyId !== undefined) return { method: "none", clientId: bodyId, clientSecret: null, basicUsed: false };
    return { method: null, clientId: undefined, clientSecret: null, basicUsed: false };
  }

  /** invalid_client per §5.2: 401 + WWW-Authenticate when Basic was tried, else 400. */
  function invalidClient(creds, realm, description = "client authentication failed") {
    return creds.basicUsed
      ? new OAuth2Error("invalid_client", description, 401, { "WWW-Authenticate": `Basic realm="${realm}", charset="UTF-8"` })
      : new OAuth2Error("invalid_client", description, 400);
  }

  /** Checks credentials against a registered client {clientId, clientSecret, authMethod}. */
  function authenticateClient(creds, c, realm) {
    if (!c) throw invalidClient(creds, realm, "unknown client");
    if (creds.method !== c.authMethod) throw invalidClient(creds, realm, `client must authenticate with ${c.authMethod}`);
    if (c.authMethod !== "none" && !safeEqual(creds.clientSecret, c.clientSecret)) throw invalidClient(creds, realm, "bad client secret");
    return c;
  }

  /** RFC 6749 §5.1 success: JSON, no caching. Counts grants[provider][grant_type]. */
  function sendTokens(res, provider, grantType, body) {
    counters.inc(["grants", provider, grantType]);
    sendJson(res, 200, body, { "Cache-Control": "no-store", Pragma: "no-cache" });
  }

  /** RFC 6749 §5.2 error body; counts invalid_grant and every error code. */
  function sendError(res, e) {
    counters.inc(["oauth2_errors", e.error]);
    if (e.error === "invalid_grant") counters.inc("invalid_grant");
    const body = { error: e.error };
    if (e.message) body.error_description = e.message;
    sendJson(res, e.status, body, { "Cache-Control": "no-store", Pragma: "no-cache", ...e.headers });
  }

  /** Token endpoint wrapper: POST form only (§3.2), OAuth2Errors become §5.2 bodies. */
  const tokenEndpoint = (fn) => async (r, res) => {
    try {
      if (!r.form) throw new OAuth2Error("invalid_request", "Content-Type must be application/x-www-form-urlencoded");
      for (const name of ["grant_type", "code", "redirect_uri", "refresh_token", "scope", "code_verifier", "username", "password"]) {
        if (count(r.form, name) > 1) throw new OAuth2Error("invalid_request", `${name} repeated (RFC 6749 §3.2)`);
      }
      await fn(r, res);
    } catch (e) {
      if (!(e instanceof OAuth2Error)) throw e;
      sendError(res, e);
    }
  };

  /** Resource wrapper: OAuth2Errors (401 invalid_token…) become JSON with their challenge. */
  const resource = (fn) => async (r, res) => {
    try {
      await fn(r, res);
    } catch (e) {
      if (!(e instanceof OAuth2Error)) throw e;
      sendJson(res, e.status, { error: e.error, error_description: e.message }, e.headers);
    }
  };

  function setAccessTokenTtl(seconds, provider) {
    setOverride("accessTokenTtl", seconds, provider);
  }
  function setOverride(name, value, provider) {
    if (provider !== undefined && !PROVIDERS.includes(provider)) {
      throw new HttpError(400, "invalid_request", `provider must be one of ${PROVIDERS.join(", ")}`);
    }
    if (name === "rotateRefreshTokens") {
      if (value !== null && typeof value !== "boolean") throw new HttpError(400, "invalid_request", `${name} must be true, false or null`);
    } else {
      const ok = value === null || (typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 10 * 365 * 86400);
      if (!ok) throw new HttpError(400, "invalid_request", `${name} must be whole seconds >= 1 (or null to restore the default)`);
    }
    const key = provider ?? "*";
    overrides[key] = { ...overrides[key], [name]: value === null ? undefined : value };
  }

  /**
   * POST /__sim/config {"accessTokenTtl"?, "refreshTokenTtl"?, "rotateRefreshTokens"?,
   * "provider"?}; GET shows it.
   */
  function handleConfig(r, res) {
    if (r.method === "POST") {
      const body = r.json();
      if (body.accessTokenTtl === undefined && body.refreshTokenTtl === undefined && body.rotateRefreshTokens === undefined) {
        throw new HttpError(400, "invalid_request", 'expected {"accessTokenTtl": seconds, "provider"?: "..."}');
      }
      if (body.accessTokenTtl !== undefined) setOverride("accessTokenTtl", body.accessTokenTtl, body.provider);
      if (body.refreshTokenTtl !== undefined) setOverride("refreshTokenTtl", body.refreshTokenTtl, body.provider);
      if (body.rotateRefreshTokens !== undefined) setOverride("rotateRefreshTokens", body.rotateRefreshTokens, body.provider);
    } else if (r.method !== "GET") {
      throw new HttpError(405, "method_not_allowed", "GET or POST");
    }
    const effective = Object.fromEntries(PROVIDERS.map((p) => [p, {
      accessTokenTtl: setting(p, "accessTokenTtl"), refreshTokenTtl: setting(p, "refreshTokenTtl"),
      rotateRefreshTokens: setting(p, "rotateRefreshTokens") !== false,
    }]));
    sendJson(res, 200, { effective });
  }

  /** Pre-issued tokens (ORC hands out api_access_token / api_refresh_token in its console). */
  function issuePreissued(provider) {
    const clientId = fixtures[provider].clientId;
    const family = newFamily(provider, clientId, { userId: null, extra: { preissued: true } });
    return issueTokens(family);
  }

  return {
    authorize,
    redeemCode,
    rotate,
    newFamily,
    issueTokens,
    revokeFamily,
    requireBearer,
    clientCredentials,
    authenticateClient,
    invalidClient,
    sendTokens,
    sendError,
    tokenEndpoint,
    resource,
    setting,
    setAccessTokenTtl,
    handleConfig,
    issuePreissued,
    lookupAccess: (t) => accessTokens.get(t),
    lookupRefresh: (t) => refreshTokens.get(t),
    family: (id) => families.get(id),
    summary() {
      let revoked = 0;
      for (const f of families.values()) if (f.revoked) revoked++;
      let used = 0;
      for (const t of refreshTokens.values()) if (t.used) used++;
      return {
        codes: codes.size,
        families: { total: families.size, revoked },
        access_tokens: accessTokens.size,
        refresh_tokens: { total: refreshTokens.size, used },
      };
    },
    reset() {
      overrides = {};
      clear();
    },
  };
}
