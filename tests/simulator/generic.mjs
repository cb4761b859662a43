// A generic, RFC 6749-strict authorization server at /oauth2/…: PKCE S256 required, all four
// grants, client_secret_basic (RFC §2.3.1 encoding), client_secret_post and public clients.

import { OAuth2Error } from "./oauth2.mjs";
import { first, safeEqual, sendJson } from "./util.mjs";

const GRANTS = ["authorization_code", "refresh_token", "password", "client_credentials"];

export function createGeneric({ fixtures, oauth2 }) {
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
      { method: "GET", path: "/.well-known/oauth-authorization-server/oauth2", handler: metadata },
    ],
    reset() {},
  };
}
