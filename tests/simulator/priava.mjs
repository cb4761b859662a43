// Priava (seed 003) under /priava/: authorization code flow with client_secret_post, the
// mandatory TenantRegion header, redirect_uri on refresh, token_type "BEARER", a small API.

import { OAuth2Error } from "./oauth2.mjs";
import { first, sendJson } from "./util.mjs";

export function createPriava({ fixtures, oauth2 }) {
  const fx = fixtures.priava;
  const P = "priava";
  const client = { clientId: fx.clientId, clientSecret: fx.clientSecret, authMethod: "client_secret_post", redirectUris: fx.redirectUris, scopes: null };

  function authorize(r, res) {
    oauth2.authorize(r, res, { provider: P, client: (id) => (id === client.clientId ? client : null), pkce: "optional", userId: fx.user.userId });
  }

  /** Seed: "TenantRegion: [ APAC | EU | US ]" on every token request; anything else is a 400. */
  function region(r) {
    const v = r.headers.tenantregion;
    if (v === undefined) throw new OAuth2Error("invalid_request", "TenantRegion header required (APAC, EU or US)");
    if (!fx.regions.includes(v)) throw new OAuth2Error("invalid_request", `unknown TenantRegion ${JSON.stringify(v)}`);
    return v;
  }

  /** POST /priava/rest/oauth/token */
  function token(r, res) {
    const tenantRegion = region(r);
    const creds = oauth2.clientCredentials(r, { basic: "form" });
    if (creds.method === null) throw oauth2.invalidClient(creds, "priava", "client_id and client_secret required");
    oauth2.authenticateClient(creds, creds.clientId === client.clientId ? client : null, "priava");
    const grantType = first(r.form, "grant_type");
    if (!grantType) throw new OAuth2Error("invalid_request", "grant_type missing");
    let out;
    if (grantType === "authorization_code") {
      // Seed sends redirect_uri on the code exchange; it must be the authorize request's one.
      if (first(r.form, "redirect_uri") === undefined) throw new OAuth2Error("invalid_request", "redirect_uri required");
      const family = oauth2.redeemCode(P, client.clientId, r.form);
      family.region = tenantRegion;
      out = oauth2.issueTokens(family);
    } else if (grantType === "refresh_token") {
      // Seed quirk: the refresh request carries redirect_uri too, and it must match.
      const redirectUri = first(r.form, "redirect_uri");
      if (redirectUri === undefined) throw new OAuth2Error("invalid_request", "redirect_uri required on refresh");
      out = oauth2.rotate(P, client.clientId, first(r.form, "refresh_token"), {
        check(family) {
          if (family.redirectUri !== redirectUri) throw new OAuth2Error("invalid_grant", "redirect_uri does not match the original grant");
          // A tenant lives in one region: its tokens are unknown to the other regions.
          if (family.region !== tenantRegion) throw new OAuth2Error("invalid_grant", "refresh token not found in this TenantRegion");
        },
      });
    } else {
      throw new OAuth2Error("unsupported_grant_type", `grant_type ${grantType} not supported`);
    }
    oauth2.sendTokens(res, P, grantType, {
      access_token: out.accessToken,
      refresh_token: out.refreshToken,
      token_type: "BEARER", // sic (seed)
      expires_in: out.expiresIn,
    });
  }

  /** GET /priava/api/events — Bearer-protected list (shape is the simulator's own). */
  function events(r, res) {
    oauth2.requireBearer(r, P);
    sendJson(res, 200, { events: fx.events });
  }
  function me(r, res) {
    const { family } = oauth2.requireBearer(r, P);
    sendJson(res, 200, { userId: family.userId, name: fx.user.name, region: family.region ?? null });
  }

  return {
    routes: [
      { method: "GET", path: "/priava/rest/oauth/authorize", handler: authorize },
      { method: "POST", path: "/priava/rest/oauth/token", handler: oauth2.tokenEndpoint(token) },
      { method: "GET", path: "/priava/api/events", handler: oauth2.resource(events) },
      { method: "GET", path: "/priava/api/me", handler: oauth2.resource(me) },
    ],
    reset() {},
  };
}
