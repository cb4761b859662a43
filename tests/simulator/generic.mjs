// A generic, RFC 6749-strict authorization server at /oauth2/…: PKCE S256 required, all four
// grants, client_secret_basic (RFC §2.3.1 encoding), client_secret_post and public clients;
// plus a paged JSON resource (/oauth2/api/items) in four paging styles behind its Bearer tokens.

import { OAuth2Error } from "./oauth2.mjs";
import { count, first, HttpError, safeEqual, send, sendJson } from "./util.mjs";

const GRANTS = ["authorization_code", "refresh_token", "password", "client_credentials"];

/** /oauth2/api/items: ITEMS_TOTAL items, pages of 1..ITEMS_MAX_PAGE (default ITEMS_DEFAULT_PAGE). */
export const ITEMS_TOTAL = 1000;
export const ITEMS_MAX_PAGE = 250;
export const ITEMS_DEFAULT_PAGE = 20;
const ITEM_TAGS = ["alpha", "beta", "gamma", "delta"];
/** Item n (1-based): every 100th has a non-ASCII, astral and emoji name. */
export const genericItem = (n) => ({ id: n, name: n % 100 === 0 ? `Élément ${n} 𝒜 🎉` : `Item ${n}`, tag: ITEM_TAGS[n % 4] });
const ITEMS = Array.from({ length: ITEMS_TOTAL }, (_, i) => genericItem(i + 1));
const ITEM_STYLES = ["page", "offset", "link", "cursor"];
/**
 * The opaque cursor of style=cursor: standard base64 of the bytes FB FF + "offset:<n>", so every
 * token starts "+/" (and often ends in "="): a client must percent-encode it (`+` is a space in
 * a query string).
 */
const CURSOR_MAGIC = Buffer.from([0xfb, 0xff]);
export const itemsCursor = (offset) => Buffer.concat([CURSOR_MAGIC, Buffer.from(`offset:${offset}`, "latin1")]).toString("base64");

export function createGeneric({ fixtures, oauth2, counters }) {
  const fx = fixtures.generic;
  const clients = new Map(Object.values(fx.clients).map((c) => [c.clientId, c]));
  const P = "generic";
  const realm = "oauth2";

  /** GET /oauth2/authorize: auto-approves as fixtures.generic.user (login_hint=deny refuses). */
  function authorize(r, res) {
    oauth2.authorize(r, res, { provider: P, client: (id) => clients.get(id), pkce: "S256", scopes: fx.scopes, userId: fx.user.sub });
  }

  /** POST /oauth2/token (RFC 6749 §3.2). */
  function token(r, res) {
    const creds = oauth2.clientCredentials(r, { basic: "form" });
    if (creds.method === null) throw oauth2.invalidClient(creds, realm, "no client authentication");
    const client = oauth2.authenticateClient(creds, clients.get(creds.clientId), realm);
    const grantType = first(r.form, "grant_type");
    if (!grantType) throw new OAuth2Error("invalid_request", "grant_type missing");
    if (!GRANTS.includes(grantType)) throw new OAuth2Error("unsupported_grant_type", `grant_type ${grantType} not supported`);
    if (!client.grants.includes(grantType)) throw new OAuth2Error("unauthorized_client", `client may not use ${grantType}`);
    const allowedScopes = client.scopes ?? fx.scopes;
    const scopeParam = first(r.form, "scope");
    const checkScope = (s) => {
      if (s !== undefined && (s === "" || !s.split(" ").every((x) => allowedScopes.includes(x)))) {
        throw new OAuth2Error("invalid_scope", "scope not allowed for this client");
      }
    };
    const withRefresh = client.grants.includes("refresh_token");
    let out;
    switch (grantType) {
      case "authorization_code": {
        const family = oauth2.redeemCode(P, client.clientId, r.form);
        out = oauth2.issueTokens(family, { withRefresh });
        break;
      }
      case "refresh_token":
        out = oauth2.rotate(P, client.clientId, first(r.form, "refresh_token"), { scope: scopeParam });
        break;
      case "password": {
        // RFC 6749 §4.3.2
        const username = first(r.form, "username");
        const password = first(r.form, "password");
        if (username === undefined || password === undefined) throw new OAuth2Error("invalid_request", "username and password required");
        if (username !== fx.user.username || !safeEqual(password, fx.user.password)) {
          throw new OAuth2Error("invalid_grant", "invalid resource owner credentials");
        }
        checkScope(scopeParam);
        out = oauth2.issueTokens(oauth2.newFamily(P, client.clientId, { userId: fx.user.sub, scope: scopeParam ?? null }), { withRefresh });
        break;
      }
      default: {
        // client_credentials, §4.4: confidential clients only, no refresh token (§4.4.3).
        if (client.authMethod === "none") throw new OAuth2Error("unauthorized_client", "public clients cannot use client_credentials");
        checkScope(scopeParam);
        out = oauth2.issueTokens(oauth2.newFamily(P, client.clientId, { scope: scopeParam ?? null }), { withRefresh: false });
      }
    }
    const body = { access_token: out.accessToken, token_type: "Bearer", expires_in: out.expiresIn };
    if (out.refreshToken) body.refresh_token = out.refreshToken;
    if (out.scope) body.scope = out.scope;
    oauth2.sendTokens(res, P, grantType, body);
  }

  /** GET /oauth2/api/me: the protected resource (Bearer in the header only, RFC 6750 §2.1). */
  function me(r, res) {
    const { family } = oauth2.requireBearer(r, P, { realm });
    const user = family.userId ? { sub: fx.user.sub, name: fx.user.name, email: fx.user.email } : { sub: family.clientId };
    sendJson(res, 200, { ...user, client_id: family.clientId, scope: family.scope });
  }

  /**
   * GET /oauth2/api/items?style=page|offset|link|cursor (Bearer, like /oauth2/api/me): the
   * items in id order, paged the way `style` says (shapes in the README). Authentication first
   * (401), then the query (400 invalid_request: unknown style, repeated or non-integer
   * parameters, sizes outside 1..250, an unknown cursor).
   */
  function items(r, res) {
    oauth2.requireBearer(r, P, { realm });
    const bad = (why) => new HttpError(400, "invalid_request", why);
    for (const name of ["style", "page", "per_page", "offset", "limit", "after", "cursor"]) {
      if (count(r.query, name) > 1) throw bad(`${name} given more than once`);
    }
    const style = first(r.query, "style");
    if (!ITEM_STYLES.includes(style)) throw bad(`style must be one of ${ITEM_STYLES.join(", ")}`);
    const int = (name, def, min, max) => {
      const raw = first(r.query, name);
      if (raw === undefined) return def;
      if (!/^\d{1,9}$/.test(raw) || Number(raw) < min || Number(raw) > max) throw bad(`${name} must be an integer from ${min} to ${max}`);
      return Number(raw);
    };
    const size = (name) => int(name, ITEMS_DEFAULT_PAGE, 1, ITEMS_MAX_PAGE);
    // Counted once the request is valid, just before the answer.
    const served = () => counters.inc(["generic_api", "items", style]);
    const json = { "Content-Type": "application/json; charset=utf-8" };
    switch (style) {
      case "page": {
        const perPage = size("per_page");
        const page = int("page", 1, 1, 999_999_999);
        const data = ITEMS.slice((page - 1) * perPage, page * perPage);
        served();
        return sendJson(res, 200, { data, meta: { total: ITEMS_TOTAL, page, per_page: perPage } });
      }
      case "offset": {
        const limit = size("limit");
        const offset = int("offset", 0, 0, 999_999_999);
        served();
        return send(res, 200, { ...json, "X-Total-Count": String(ITEMS_TOTAL) }, JSON.stringify(ITEMS.slice(offset, offset + limit)));
      }
      case "link": {
        const perPage = size("per_page");
        const after = int("after", 0, 0, 999_999_999);
        const start = ITEMS.findIndex((it) => it.id > after);
        const results = start < 0 ? [] : ITEMS.slice(start, start + perPage);
        const url = (a) => `<${r.origin}${r.path}?style=link&per_page=${perPage}${a ? `&after=${a}` : ""}>`;
        const links = [`${url(0)}; rel="first"`];
        const last = results.at(-1);
        if (last && last.id < ITEMS_TOTAL) links.push(`${url(last.id)}; rel="next"`);
        served();
        return sendJson(res, 200, { results }, { Link: links.join(", ") });
      }
      default: {
        const limit = size("limit");
        const raw = first(r.query, "cursor");
        let offset = 0;
        if (raw !== undefined) {
          const bytes = Buffer.from(raw, "base64");
          const m = bytes.subarray(0, 2).equals(CURSOR_MAGIC) ? /^offset:(\d{1,9})$/.exec(bytes.subarray(2).toString("latin1")) : null;
          if (!m || itemsCursor(Number(m[1])) !== raw || Number(m[1]) > ITEMS_TOTAL) throw bad("unknown cursor");
          offset = Number(m[1]);
        }
        const end = Math.min(offset + limit, ITEMS_TOTAL);
        served();
        return sendJson(res, 200, { items: ITEMS.slice(offset, end), next_cursor: end < ITEMS_TOTAL ? itemsCursor(end) : null });
      }
    }
  }

  /** POST /oauth2/revoke (RFC 7009): always 200; a refresh token takes its family with it. */
  function revoke(r, res) {
    const creds = oauth2.clientCredentials(r, { basic: "form" });
    const client = oauth2.authenticateClient(creds, clients.get(creds.clientId), realm);
    const t = first(r.form, "token");
    if (!t) throw new OAuth2Error("invalid_request", "token missing");
    const rt = oauth2.lookupRefresh(t);
    const at = oauth2.lookupAccess(t);
    const fam = oauth2.family((rt || at || {}).familyId);
    if (fam && fam.clientId === client.clientId) {
      if (rt) oauth2.revokeFamily(fam, "revoked by client");
      else at.revoked = true;
    }
    sendJson(res, 200, {});
  }

  /** RFC 8414 metadata so generic clients can discover the endpoints. */
  function metadata(r, res) {
    const issuer = `${r.origin}/oauth2`;
    sendJson(res, 200, {
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      revocation_endpoint: `${issuer}/revoke`,
      response_types_supported: ["code"],
      grant_types_supported: GRANTS,
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
      code_challenge_methods_supported: ["S256"],
      scopes_supported: fx.scopes,
    });
  }

  return {
    routes: [
      { method: "GET", path: "/oauth2/authorize", handler: authorize },
      { method: "POST", path: "/oauth2/token", handler: oauth2.tokenEndpoint(token) },
      { method: "POST", path: "/oauth2/revoke", handler: oauth2.tokenEndpoint(revoke) },
      { method: "GET", path: "/oauth2/api/me", handler: oauth2.resource(me) },
      { method: "GET", path: "/oauth2/api/items", handler: oauth2.resource(items) },
      { method: "GET", path: "/.well-known/oauth-authorization-server/oauth2", handler: metadata },
    ],
    reset() {},
  };
}
