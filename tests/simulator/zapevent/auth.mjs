// ZapEvent authentication: the OAuth 1.0a three-legged flow (RFC 5849 §2), the Login Method
// (tmp_key / tmp_secret), and the per-generation API check: OAuth 1 signatures for get*,
// Bearer tokens for getnew*, Login sessions for both.

import { oauth1Challenge } from "../oauth1.mjs";
import { OAuth2Error } from "../oauth2.mjs";
import { BoundedMap, first, randomToken, redirect, safeEqual, send, sendForm, sendJson } from "../util.mjs";
import { CONTENT_TYPES, XML_DECL, xmlFields, ZapError } from "./wire.mjs";

export const OAUTH1_CHALLENGE = 'OAuth realm="zapevent"';
export const BEARER_CHALLENGE = 'Bearer realm="zapevent"';

export function createAuth({ fixtures, verifier, clock, counters, oauth2 }) {
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
    throw new ZapError(v.status === 401 ? 401 : 400, v.status === 401 ? 6 : 3, { missing, problem: v.problem, challenge: oauth1Challenge(v, "zapevent"), date: v.date });
  }

  const hasOAuthParams = (r) => /^oauth(\s|$)/i.test(r.headers.authorization || "")
    || r.query.some(([k]) => k.startsWith("oauth_")) || (r.form || []).some(([k]) => k.startsWith("oauth_"));
  const hasBearer = (r) => /^bearer(\s|$)/i.test(r.headers.authorization || "");

  /** The Login Method's credentials; undefined when neither query parameter was sent. */
  function loginSession(r, challenge) {
    const key = first(r.query, "tmp_key");
    const secret = first(r.query, "tmp_secret");
    if (key === undefined && secret === undefined) return undefined;
    const missing = [key === undefined && "tmp_key", secret === undefined && "tmp_secret"].filter(Boolean);
    if (missing.length) throw new ZapError(400, 3, { missing });
    const s = sessions.get(key);
    if (!s || !safeEqual(s.secret, secret) || clock.now() >= s.expiresAt) throw new ZapError(401, 6, { challenge });
    return s.userId;
  }

  /** OAuth 1 generation (get*): an OAuth 1.0a access token or a Login session; never Bearer. */
  function oauth1User(r) {
    if (hasBearer(r)) throw new ZapError(401, 6, { challenge: OAUTH1_CHALLENGE });
    if (hasOAuthParams(r)) return verifyOAuth(r, "access").token.userId;
    const userId = loginSession(r, undefined);
    if (userId === undefined) throw new ZapError(401, 6, { challenge: OAUTH1_CHALLENGE });
    return userId;
  }

  /** OAuth 2 generation (getnew*): a Bearer access token or a Login session; never OAuth 1. */
  function oauth2User(r) {
    if (hasOAuthParams(r)) throw new ZapError(401, 6, { challenge: BEARER_CHALLENGE });
    if (hasBearer(r)) {
      try {
        return { userId: oauth2.requireBearer(r, "zapevent", { realm: "zapevent" }).family.userId, counted: true };
      } catch (e) {
        if (!(e instanceof OAuth2Error)) throw e;
        // requireBearer counted the 401; the body is ZapEvent's, the challenge RFC 6750's.
        throw Object.assign(new ZapError(401, 6, { challenge: e.headers["WWW-Authenticate"] }), { counted: true });
      }
    }
    const userId = loginSession(r, BEARER_CHALLENGE);
    if (userId === undefined) throw new ZapError(401, 6, { challenge: BEARER_CHALLENGE });
    return { userId, counted: false };
  }

  /** Authenticates an API call of generation "oauth1" | "oauth2" and counts the outcome. */
  function authenticate(r, generation) {
    try {
      if (generation === "oauth1") {
        const userId = oauth1User(r);
        counters.api("zapevent", true);
        return userId;
      }
      const { userId, counted } = oauth2User(r);
      if (!counted) counters.api("zapevent", true);
      return userId;
    } catch (e) {
      if (e instanceof ZapError && e.status === 401 && !e.counted) counters.api("zapevent", false);
      throw e;
    }
  }

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
    else send(res, 200, { "Content-Type": CONTENT_TYPES.xml }, `${XML_DECL}<login>${xmlFields(out)}</login>`);
  }

  return {
    authenticate,
    requestToken,
    authorize,
    accessToken,
    login,
    reset() {
      tokens = new BoundedMap(10000);
      sessions = new BoundedMap(1000);
    },
  };
}
