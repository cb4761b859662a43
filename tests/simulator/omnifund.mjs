// OmniFund (seed 004) under /omnifund/: FOSOAuthServer-style password and refresh grants with
// client_id/client_secret in the body, "scope": null, "token_type": "bearer", token login.

import { OAuth2Error } from "./oauth2.mjs";
import { first, safeEqual, sendJson } from "./util.mjs";

export function createOmniFund({ fixtures, oauth2 }) {
  const fx = fixtures.omnifund;
  const P = "omnifund";
  const client = { clientId: fx.clientId, clientSecret: fx.clientSecret, authMethod: "client_secret_post" };

  /** POST /omnifund/oauth/v2/token */
  function token(r, res) {
    const creds = oauth2.clientCredentials(r, { basic: "form" });
    if (creds.method === null) throw oauth2.invalidClient(creds, "omnifund", "The client credentials are invalid");
    oauth2.authenticateClient(creds, creds.clientId === client.clientId ? client : null, "omnifund");
    const grantType = first(r.form, "grant_type");
    if (!grantType) throw new OAuth2Error("invalid_request", "Invalid grant_type parameter or parameter missing");
    let out;
    if (grantType === "password") {
      const username = first(r.form, "username");
      const password = first(r.form, "password");
      if (username === undefined || password === undefined) throw new OAuth2Error("invalid_request", "Missing parameters. \"username\" and \"password\" required");
      if (username !== fx.user.username || !safeEqual(password, fx.user.password)) {
        throw new OAuth2Error("invalid_grant", "Invalid username and password combination");
      }
      out = oauth2.issueTokens(oauth2.newFamily(P, client.clientId, { userId: fx.user.userId }));
    } else if (grantType === "refresh_token") {
      out = oauth2.rotate(P, client.clientId, first(r.form, "refresh_token")); // seed: "a new access and refresh token"
    } else {
      throw new OAuth2Error("unsupported_grant_type", "Invalid grant_type parameter or parameter missing");
    }
    oauth2.sendTokens(res, P, grantType, {
      access_token: out.accessToken,
      expires_in: out.expiresIn,
      refresh_token: out.refreshToken,
      scope: null, // sic (seed)
      token_type: "bearer",
    });
  }

  /** POST /omnifund/login with `Authorization: Bearer …` (seed "Token Login"). */
  function login(r, res) {
    oauth2.requireBearer(r, P);
    sendJson(res, 200, { logged_in: true, user: { id: fx.user.userId, username: fx.user.username, name: fx.user.name } });
  }
  function me(r, res) {
    oauth2.requireBearer(r, P);
    sendJson(res, 200, { id: fx.user.userId, username: fx.user.username, name: fx.user.name });
  }

  return {
    routes: [
      { method: "POST", path: "/omnifund/oauth/v2/token", handler: oauth2.tokenEndpoint(token) },
      { method: "POST", path: "/omnifund/login", handler: oauth2.resource(login) },
      { method: "GET", path: "/omnifund/api/me", handler: oauth2.resource(me) },
    ],
    reset() {},
  };
}
