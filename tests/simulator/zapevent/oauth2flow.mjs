// ZapEvent's OAuth 2 generation on the shared engine (../oauth2.mjs): the authorization
// endpoint with the seed's parameter spellings (oauth_consumer_key, oauth_callback,
// "responce_type"), and the token endpoint as a form POST or as the seed's GET variant.

import { OAuth2Error } from "../oauth2.mjs";
import { first, HttpError, safeEqual } from "../util.mjs";

const P = "zapevent";
const REALM = "zapevent";

/** Seed spelling → RFC 6749 name, on the authorization request. */
const ALIASES = { oauth_consumer_key: "client_id", oauth_callback: "redirect_uri", responce_type: "response_type" };

/**
 * Merges query and (for POST) form parameters and renames the seed's spellings. A parameter
 * sent under both names must carry the same value (it is then kept once); otherwise 400.
 */
function normalizeAuthorizeParams(r) {
  const pairs = [...r.query, ...(r.method === "POST" && r.form ? r.form : [])];
  const out = []; // [canonical name, value, name as sent]
  for (const [k, v] of pairs) {
    const name = ALIASES[k] || k;
    const other = out.find(([n, , sent]) => n === name && sent !== k);
    if (other) {
      if (other[1] !== v) throw new HttpError(400, "invalid_request", `${k} and ${other[2]} differ`);
      continue;
    }
    out.push([name, v, k]); // the same name twice stays twice: the engine refuses repeats
  }
  return out.map(([n, v]) => [n, v]);
}

export function createZapOAuth2({ fixtures, oauth2 }) {
  const fx = fixtures.zapevent;
  const client = { clientId: fx.oauth2.clientId, clientSecret: fx.oauth2.clientSecret, redirectUris: fx.oauth2.redirectUris, scopes: null };

  /** GET|POST oauth2/Authorize (also oauth2/Authorization): auto-approves as fixtures.zapevent.user. */
  function authorize(r, res) {
    const normalized = { ...r, query: normalizeAuthorizeParams(r) };
    oauth2.authorize(normalized, res, { provider: P, client: (id) => (id === client.clientId ? client : null), pkce: "optional", userId: fx.user.userId });
  }

  /** Client authentication: client_secret_post or HTTP Basic (RFC 6749 §2.3.1), either accepted. */
  function authenticateClient(r) {
    const creds = oauth2.clientCredentials(r, { basic: "form" });
    if (creds.method === null) throw oauth2.invalidClient(creds, REALM, "client authentication required (Basic or client_id + client_secret)");
    if (creds.method === "none") throw oauth2.invalidClient(creds, REALM, "client_secret required");
    if (creds.clientId !== client.clientId) throw oauth2.invalidClient(creds, REALM, "unknown client");
    if (!safeEqual(creds.clientSecret, client.clientSecret)) throw oauth2.invalidClient(creds, REALM, "bad client secret");
  }

  function token(r, res) {
    authenticateClient(r);
    const grantType = first(r.form, "grant_type");
    if (!grantType) throw new OAuth2Error("invalid_request", "grant_type missing");
    let out;
    if (grantType === "authorization_code") {
      out = oauth2.issueTokens(oauth2.redeemCode(P, client.clientId, r.form));
    } else if (grantType === "refresh_token") {
      out = oauth2.rotate(P, client.clientId, first(r.form, "refresh_token"), { scope: first(r.form, "scope") });
    } else {
      throw new OAuth2Error("unsupported_grant_type", `grant_type ${grantType} not supported`);
    }
    const body = { access_token: out.accessToken, token_type: "Bearer", expires_in: out.expiresIn, refresh_token: out.refreshToken };
    if (out.scope) body.scope = out.scope;
    oauth2.sendTokens(res, P, grantType, body);
  }
  const tokenHandler = oauth2.tokenEndpoint(token);

  /**
   * POST OAuth2/RequestToken: the form body; with an empty body, the query string (the seed's
   * example has "Request POST Body: N/A"). GET OAuth2/RequestToken: the query string.
   */
  function tokenEndpoint(r, res) {
    let form = r.form;
    if (r.method !== "POST" || (!form && r.body.length === 0)) form = r.query;
    return tokenHandler({ ...r, form }, res);
  }

  /**
   * GET oauth/RequestToken?grant_type=… is the seed's example URL for the OAuth 2 token
   * request; without grant_type it is the OAuth 1 request-token step, which is POST only.
   */
  function oauth1PathTokenGet(r, res) {
    if (first(r.query, "grant_type") === undefined) {
      throw new HttpError(405, "method_not_allowed", "oauth/RequestToken (OAuth 1.0a) is POST; a GET needs grant_type (OAuth 2)");
    }
    return tokenHandler({ ...r, form: r.query }, res);
  }

  return { authorize, tokenEndpoint, oauth1PathTokenGet };
}
