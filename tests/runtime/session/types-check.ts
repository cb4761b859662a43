// Type check of the session API as TypeScript users meet it (run by the "types" target:
// `deno check --unstable-kv suite/types-check.ts suite/session/types-check.ts`). Never executed.
import {
  denoKvStore,
  durableObjectStore,
  localStorageStore,
  memoryStore,
  OAuth2Client,
  OAuthEdgeError,
  type SessionState,
  TokenSession,
  type TokenSetJson,
  type TokenStore,
  TokenStoreDurableObject,
} from "oauth-edge";

const client = new OAuth2Client({ clientId: "id", clientSecret: "s", tokenUrl: "https://as.example/token", clientAuth: "basic", basicEncoding: "raw", expiresInUnit: "hours", refreshTokenFields: ["access_refresh_token"] });
const tokens: TokenSetJson = await client.password({ username: "u", password: "p" });
const refreshed: TokenSetJson = await client.refresh("rt", { scope: "read" });
const cc: Promise<TokenSetJson> = client.clientCredentials();
const { url, state, codeVerifier } = await client.authorizationUrl({ redirectUri: "https://app.example/cb", scope: "openid" });

// A hand-written adapter (README: "a SQL row with a version column").
const sqlStore: TokenStore = {
  async load() {
    return { tokens, version: "1" };
  },
  async save(_t: TokenSetJson, { expectedVersion }: { expectedVersion: string | null }) {
    return expectedVersion === "1" ? "2" : null;
  },
  lock: <T>(_name: string, fn: () => Promise<T>) => fn(),
};

let last: SessionState = "empty";
const session = new TokenSession(client, {
  store: sqlStore,
  skewSeconds: 30,
  now: () => Date.now(),
  onStateChange: (s) => (last = s),
  lockName: "family-1",
  retry: { maxAttempts: 4, baseMs: 10, maxMs: 1000 },
});
const res: Response = await session.fetch("https://api.example/me", { method: "GET" });
const res2: Response = await session.fetch(new Request("https://api.example/me"));
const at: string = await session.accessToken();
await session.signIn(tokens);
await session.completeAuthorization("https://app.example/cb?code=c&state=s", { state, codeVerifier, redirectUri: "https://app.example/cb" });
const st: SessionState = session.state();

const stores: TokenStore[] = [
  memoryStore(),
  memoryStore(tokens),
  localStorageStore({ key: "k" }),
  denoKvStore(await Deno.openKv(":memory:"), ["tokens", "family-1"]),
];
declare const stub: { fetch(input: string, init?: RequestInit): Promise<Response> };
stores.push(durableObjectStore(stub));
declare const doState: { storage: { get(key: string): Promise<unknown>; put(key: string, value: unknown): Promise<void> } };
const durable = new TokenStoreDurableObject(doState, {});
const doRes: Promise<Response> = durable.fetch(new Request("https://token-store/load"));

try {
  await session.fetch("https://api.example/me");
} catch (e) {
  if (e instanceof OAuthEdgeError && e.code === "RATE_LIMITED") {
    const wait: number | undefined = e.retryAfter;
    void wait;
  }
  if (e instanceof OAuthEdgeError && (e.code === "NEEDS_REAUTH" || e.code === "STORE_ERROR" || e.code === "STORE_CONFLICT")) throw e;
}

// @ts-expect-error the state is a closed union
const bad: SessionState = "expired";
// @ts-expect-error a store needs save()
new TokenSession(client, { store: { load: async () => null } });
// @ts-expect-error clientAuth is a closed union
new OAuth2Client({ clientId: "id", tokenUrl: "https://as.example/token", clientAuth: "jwt" });

export { at, bad, cc, doRes, last, refreshed, res, res2, st, url };
