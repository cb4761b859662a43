// A Deno edge function backed by Priava (OAuth 2 authorization code + PKCE, TenantRegion,
// client_secret_post), its tokens in Deno KV through a TokenSession.
//
//   npm install oauth-edge          # deno.json: "nodeModulesDir": "manual" resolves it from node_modules
//   PRIAVA_BASE_URL=https://acme.priava.com PRIAVA_REGION=EU PRIAVA_CLIENT_ID=… PRIAVA_CLIENT_SECRET=… \
//   PUBLIC_URL=https://my.app deno task start
//
// Routes: GET /login (to Priava's consent page), GET /callback (Priava redirects here; register
// <PUBLIC_URL>/callback with Priava), GET /events and GET /me (Priava's API with the stored
// token, refreshed when due). A session and its store are made per request, as an edge isolate
// would; the Deno KV compare-and-set makes any number of requests, isolates or processes refresh
// an expired token once, and a rotated refresh token is saved before anyone uses the new access token.
import { OAuth2Client, OAuthEdgeError, TokenSession, denoKvStore } from "oauth-edge";

export interface PriavaConfig {
  /** e.g. `https://acme.priava.com` */
  baseUrl: string;
  region: "APAC" | "EU" | "US";
  clientId: string;
  clientSecret: string;
  /** Origin the browser reaches this function at (default: the request's own origin). */
  publicUrl?: string;
  /** Whose tokens: one record per user; this example has one user. */
  userId?: string;
  /** Clock in ms since the epoch (tests); default `Date.now`. */
  now?: () => number;
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", ...headers } });

/** The function's request handler, over an open Deno KV. */
export function createHandler(kv: Deno.Kv, config: PriavaConfig): (request: Request) => Promise<Response> {
  const userId = config.userId ?? "default";
  const clock = config.now ? { now: config.now } : {};
  return async (request) => {
    const url = new URL(request.url);
    const redirectUri = `${config.publicUrl ?? url.origin}/callback`;
    const client = OAuth2Client.priava({ baseUrl: config.baseUrl, region: config.region, clientId: config.clientId, clientSecret: config.clientSecret, redirectUri, ...clock });
    const session = new TokenSession(client, { store: denoKvStore(kv, ["priava", "tokens", userId]), ...clock });
    try {
      if (request.method !== "GET") return json({ error: "method_not_allowed" }, 405);
      switch (url.pathname) {
        case "/login": {
          const { url: consent, state, codeVerifier } = await client.authorizationUrl({ redirectUri });
          await kv.set(["priava", "pending", state], { codeVerifier }, { expireIn: 10 * 60_000 });
          return new Response(null, { status: 302, headers: { location: consent } });
        }
        case "/callback": {
          const state = url.searchParams.get("state") ?? "";
          const pending = await kv.get<{ codeVerifier: string }>(["priava", "pending", state]);
          if (!pending.value) return json({ error: "unknown_state", message: "sign-in expired or not started here: go to /login" }, 400);
          await kv.delete(["priava", "pending", state]);
          await session.completeAuthorization(request.url, { state, codeVerifier: pending.value.codeVerifier, redirectUri });
          return json({ signedIn: true });
        }
        case "/events":
        case "/me": {
          const res = await session.fetch(`${config.baseUrl}/api${url.pathname}`, { headers: { accept: "application/json" } });
          return new Response(res.body, { status: res.status, headers: { "content-type": res.headers.get("content-type") ?? "application/json" } });
        }
        default:
          return json({ error: "not_found" }, 404);
      }
    } catch (e) {
      if (e instanceof OAuthEdgeError) {
        // Never a token or secret in an OAuthEdgeError message: safe to show.
        if (e.code === "NEEDS_REAUTH" || e.code === "STATE_MISMATCH" || e.code === "OAUTH_ACCESS_DENIED") return json({ error: e.code, message: e.message, login: "/login" }, 401);
        if (e.code === "RATE_LIMITED") return json({ error: e.code, message: e.message }, 503, e.retryAfter ? { "retry-after": String(e.retryAfter) } : {});
        return json({ error: e.code, message: e.message }, 502);
      }
      throw e;
    }
  };
}

if (import.meta.main) {
  const env = (name: string, fallback?: string) => {
    const v = Deno.env.get(name) ?? fallback;
    if (v === undefined) throw new Error(`set ${name}`);
    return v;
  };
  const region = env("PRIAVA_REGION", "EU");
  if (region !== "APAC" && region !== "EU" && region !== "US") throw new Error("PRIAVA_REGION must be APAC, EU or US");
  const kv = await Deno.openKv(Deno.env.get("KV_PATH"));
  const handler = createHandler(kv, {
    baseUrl: env("PRIAVA_BASE_URL", "https://priava.invalid"),
    region,
    clientId: env("PRIAVA_CLIENT_ID"),
    clientSecret: env("PRIAVA_CLIENT_SECRET"),
    publicUrl: Deno.env.get("PUBLIC_URL"),
  });
  Deno.serve({ port: Number(Deno.env.get("PORT") ?? 8000), hostname: Deno.env.get("HOST") ?? "127.0.0.1" }, handler);
}
