// OneRoster 1.2 authorization (IMS Security Framework 1.x): OAuth 2 client credentials at
// POST /oneroster/oauth/token with HTTP Basic client authentication (RFC 6749 §2.3.1,
// form-encoded id/secret inside the base64), scoped Bearer tokens on the shared engine (sim
// clock expiry, no refresh token), and the scope each collection needs.

import { OAuth2Error } from "../oauth2.mjs";
import { first } from "../util.mjs";
import { RosterError } from "./errors.mjs";

export const PROVIDER = "oneroster";
const REALM = "oneroster";

export function createTokens({ fixtures, oauth2 }) {
  const cfg = fixtures.oneroster.oauth2;
  const { core, roster, demographics } = cfg.scopes;
  const known = new Set(Object.values(cfg.scopes));
  const clients = new Map(Object.values(cfg.clients).map((c) => [c.clientId, { ...c, authMethod: "client_secret_basic" }]));

  /** POST /oneroster/oauth/token — grant_type=client_credentials&scope=… with Basic. */
  function token(r, res) {
    const creds = oauth2.clientCredentials(r, { basic: "form" });
    // Basic only: a client_id/client_secret in the body is refused like a missing Basic header.
    if (!creds.basicUsed) throw oauth2.invalidClient({ basicUsed: true }, REALM, "HTTP Basic client authentication required (RFC 6749 §2.3.1)");
    const client = oauth2.authenticateClient(creds, clients.get(creds.clientId), REALM);
    const grantType = first(r.form, "grant_type");
    if (grantType === undefined) throw new OAuth2Error("invalid_request", "grant_type missing");
    if (grantType !== "client_credentials") throw new OAuth2Error("unsupported_grant_type", "only client_credentials is supported");
    const scope = first(r.form, "scope");
    // RFC 6749 §3.3 lets a server fail a request without scope; IMS requires the scope.
    if (scope === undefined || scope === "") throw new OAuth2Error("invalid_scope", "scope is required");
    const list = scope.split(" ");
    if (list.some((s) => !/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(s))) throw new OAuth2Error("invalid_scope", "malformed scope (RFC 6749 §3.3)");
    const unknown = list.filter((s) => !known.has(s));
    if (unknown.length) throw new OAuth2Error("invalid_scope", `unknown scope ${unknown.join(" ")}`);
    const unregistered = list.filter((s) => !client.scopes.includes(s));
    if (unregistered.length) throw new OAuth2Error("invalid_scope", `scope not registered for this client: ${unregistered.join(" ")}`);
    const granted = [...new Set(list)].join(" ");
    const out = oauth2.issueTokens(oauth2.newFamily(PROVIDER, client.clientId, { scope: granted }), { withRefresh: false });
    oauth2.sendTokens(res, PROVIDER, "client_credentials", { access_token: out.accessToken, token_type: "Bearer", expires_in: out.expiresIn, scope: granted });
  }

  /** Scopes that grant reading `collection` (any one suffices). */
  const scopesFor = (collection) => (collection === "demographics" ? [demographics] : [core, roster]);

  /**
   * Bearer check for a 1.2 request (Authorization header only, RFC 6750 §2.1): 401
   * unauthorisedrequest with the engine's challenge (no error attribute without a token;
   * error="invalid_token" for unknown, expired or revoked ones). Returns the token family.
   */
  function authenticate(r) {
    try {
      return oauth2.requireBearer(r, PROVIDER, { realm: REALM }).family;
    } catch (e) {
      if (!(e instanceof OAuth2Error)) throw e;
      throw new RosterError(401, "unauthorisedrequest", e.message, e.headers);
    }
  }

  /** 403 unauthorisedrequest + error="insufficient_scope" unless the scope covers `collection`. */
  function checkScope(family, collection) {
    const need = scopesFor(collection);
    const have = (family.scope || "").split(" ");
    if (!need.some((s) => have.includes(s))) {
      throw new RosterError(403, "unauthorisedrequest", `the access token's scope does not cover ${collection}; it needs ${need.join(" or ")}`,
        { "WWW-Authenticate": `Bearer realm="${REALM}", error="insufficient_scope", scope="${need.join(" ")}"` });
    }
  }

  return { token, authenticate, checkScope, scopesFor };
}
