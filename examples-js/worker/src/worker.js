// A Cloudflare Worker (module syntax) serving the Online Registration Center's roster as a small
// JSON API. The ORC's tokens live in a Durable Object (oauth-edge's TokenStoreDurableObject):
// every request makes its own TokenSession over that one object, so however many requests and
// isolates meet an expired token, the Durable Object's compare-and-set lets exactly one of them
// refresh, and the rotated refresh token is stored before anyone uses the new access token.
//
//   PUT  /admin/orc-tokens   Authorization: Bearer <ADMIN_TOKEN>; body: the ORC console's
//                            {"access_token", "refresh_token", "expires_in"} (hours), once
//   GET  /roster/<moduleId>  {"moduleId", "count", "attendees": [...]}
//   GET  /status             {"state": "empty" | "valid" | …, "nextRefreshAt"}
//
// Bindings (wrangler.toml / workerd.capnp): TOKENS (Durable Object namespace of
// TokenStoreDurableObject), ORC_BASE_URL, and the secrets ORC_CLIENT_ID, ORC_CLIENT_SECRET,
// ADMIN_TOKEN.
import { OAuth2Client, OAuthEdgeError, OnlineRegistrationCenter, TokenSession, durableObjectStore } from "oauth-edge";

export { TokenStoreDurableObject } from "oauth-edge";

const json = (body, status = 200, headers = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", ...headers } });

/** One session per request: a Durable Object stub belongs to the request that made it. */
function orcSession(env) {
  const client = OAuth2Client.onlineRegistrationCenter({ baseUrl: env.ORC_BASE_URL, clientId: env.ORC_CLIENT_ID, clientSecret: env.ORC_CLIENT_SECRET });
  const store = durableObjectStore(env.TOKENS.get(env.TOKENS.idFromName("orc")));
  return new TokenSession(client, { store });
}

/** Constant-time comparison of the admin token (no early exit on the first differing byte). */
function sameSecret(given, expected) {
  const [a, b] = [new TextEncoder().encode(given), new TextEncoder().encode(expected)];
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= (a[i] ?? 0) ^ b[i];
  return b.length > 0 && diff === 0;
}

async function handle(request, env) {
  const url = new URL(request.url);
  const session = orcSession(env);
  if (url.pathname === "/admin/orc-tokens" && request.method === "PUT") {
    const auth = request.headers.get("authorization") ?? "";
    if (!sameSecret(auth.replace(/^Bearer /, ""), env.ADMIN_TOKEN ?? "")) return json({ error: "unauthorized" }, 401);
    const t = await request.json().catch(() => null);
    if (typeof t?.access_token !== "string" || typeof t?.refresh_token !== "string") {
      return json({ error: "invalid_request", message: "expected the ORC console's {access_token, refresh_token, expires_in}" }, 400);
    }
    // The ORC states expires_in in hours (docs/providers/orc.md).
    const expiresAt = Number.isFinite(t.expires_in) ? Date.now() + t.expires_in * 3_600_000 : null;
    await session.signIn({ accessToken: t.access_token, refreshToken: t.refresh_token, tokenType: "Bearer", expiresAt, scope: null });
    return json({ state: session.state() });
  }
  if (request.method !== "GET") return json({ error: "method_not_allowed" }, 405, { allow: "GET" });
  const roster = /^\/roster\/(\d{1,9})$/.exec(url.pathname);
  if (roster) {
    const moduleId = Number(roster[1]);
    const attendees = await OnlineRegistrationCenter.roster(session, { moduleId });
    return json({ moduleId, count: attendees.length, attendees });
  }
  if (url.pathname === "/status") {
    await session.accessToken().catch(() => {}); // reads the store; the state says what came of it
    return json({ state: session.state(), nextRefreshAt: session.nextRefreshAt() });
  }
  return json({ error: "not_found" }, 404);
}

export default {
  async fetch(request, env) {
    try {
      return await handle(request, env);
    } catch (e) {
      if (!(e instanceof OAuthEdgeError)) throw e;
      // An OAuthEdgeError message never holds a token or secret: safe to return.
      if (e.code === "NEEDS_REAUTH") return json({ error: e.code, message: "the ORC tokens are gone or dead: PUT new console tokens to /admin/orc-tokens" }, 503);
      if (e.code === "NOT_FOUND" || e.status === 404) return json({ error: e.code, message: e.message }, 404);
      if (e.code === "RATE_LIMITED") return json({ error: e.code, message: e.message }, 503, e.retryAfter ? { "retry-after": String(e.retryAfter) } : {});
      return json({ error: e.code, message: e.message }, 502);
    }
  },
};
