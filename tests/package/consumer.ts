// A TypeScript consumer of the installed oauth-edge package, compiled by tests/package/check.mjs
// with `tsc --strict --noEmit` (NodeNext and Bundler resolution) against the packed tarball. It
// is never run: it only has to type-check. It uses the public API broadly, so a declaration
// that breaks a user's build (a missing export, a wrong option type) fails here.
import {
  OAuth1Signer, OAuth1Flow, OAuth2Client, TokenSession, ZapEvent, OneRoster, OneRosterFilter, OnlineRegistrationCenter, OmniFund,
  OAuthEdgeError, memoryStore, indexedDbStore, localStorageStore, denoKvStore, durableObjectStore, TokenStoreDurableObject, init, initSync,
} from "oauth-edge";
import type {
  SignedRequest, OAuth1PendingAuthorization, OAuth1TokenCredentials, TokenSetJson, TokenRecordJson, TokenStore, SessionState,
  AuthorizationRequest, PagedList, Page, PageProgress, ZapEventParticipant, ZapEventEvent, ZapEventCategory, ZapEventQuestion,
  OneRosterUser, OneRosterClass, OneRosterEnrollment, OneRosterCollection, OrcAttendee, OmniFundLogin, OAuthEdgeErrorCode,
  DenoKvLike, DurableObjectStubLike, FetchLike,
} from "oauth-edge";
import { init as initManual, OAuth1Signer as ManualSigner } from "oauth-edge/manual";
import { OAuth1Signer as Signer1, OAuth1Flow as Flow1, OAuthEdgeError as Error1 } from "oauth-edge/oauth1";
import wasm from "oauth-edge/oauth_edge_bg.wasm";
import wasm1 from "oauth-edge/oauth1/oauth_edge_bg.wasm";

declare const kv: DenoKvLike;
declare const stub: DurableObjectStubLike;
declare const signal: AbortSignal;

const myFetch: FetchLike = (input, init) => fetch(input, init);

export async function oauth1(): Promise<string> {
  const signer = new OAuth1Signer({ consumerKey: "k", consumerSecret: "s", token: "t", tokenSecret: "ts", signatureMethod: "HMAC-SHA256", placement: "query", fetch: myFetch });
  const signed: SignedRequest = signer.sign({ method: "POST", url: new URL("https://api.example.com/x"), form: { a: "1", b: ["2", "3"] }, nonce: "n", timestamp: 1 });
  const headers: Record<string, string> = signed.headers;
  const res: Response = await signer.fetch("https://api.example.com/y", { method: "POST", form: [["a", "1"]], bodyHash: false });
  const flow = new OAuth1Flow({ consumerKey: "k", consumerSecret: "s", requestTokenUrl: "https://p/rt", authorizeUrl: "https://p/a", accessTokenUrl: "https://p/at" });
  const pending: OAuth1PendingAuthorization = await flow.start({ callback: "oob" });
  const creds: OAuth1TokenCredentials = await flow.finish({ ...pending, verifier: "v" });
  const only = new Signer1({ consumerKey: "k", consumerSecret: "s" });
  const flow1 = new Flow1({ consumerKey: "k", consumerSecret: "s", requestTokenUrl: "https://p/rt", authorizeUrl: "https://p/a", accessTokenUrl: "https://p/at" });
  void flow1;
  await initManual(wasm);
  const manual = new ManualSigner({ consumerKey: "k", consumerSecret: "s" });
  return `${headers.Authorization ?? ""}${res.status}${creds.token}${creds.params["x"] ?? ""}${only.sign({ url: "https://a/" }).url}${manual.sign({ url: "https://b/" }).url}`;
}

export async function oauth2(): Promise<SessionState> {
  const client = new OAuth2Client({ clientId: "id", clientSecret: "s", clientAuth: "post", tokenUrl: "https://p/token", authorizeUrl: "https://p/auth", headers: { TenantRegion: "EU" }, tokenParams: { redirect_uri: "https://my.app/cb" }, expiresInUnit: "seconds", refreshTokenFields: ["refresh_token"], now: () => Date.now() });
  const req: AuthorizationRequest = await client.authorizationUrl({ redirectUri: "https://my.app/cb", scope: "read" });
  const tokens: TokenSetJson = await client.exchangeCode({ callbackUrl: req.url, state: req.state, codeVerifier: req.codeVerifier, redirectUri: "https://my.app/cb" });
  const refreshed: TokenSetJson = await client.refresh(tokens.refreshToken ?? "", { scope: "read" });
  const cc: TokenSetJson = await client.clientCredentials({ scope: "read" });
  const pw: TokenSetJson = await client.password({ username: "u", password: "p" });
  const stores: TokenStore[] = [memoryStore(pw), indexedDbStore({ key: "k" }), localStorageStore({ key: "k" }), denoKvStore(kv, ["tokens", "u1"]), durableObjectStore(stub)];
  const custom: TokenStore = {
    async load() { return null; },
    async save(record: TokenRecordJson, { expectedVersion }) { return expectedVersion === null ? `${record.obtainedAt ?? 0}` : null; },
  };
  const session = new TokenSession(client, { store: stores[0] ?? custom, skewSeconds: 60, leaseSeconds: 30, reuseGraceSeconds: 0, onStateChange: (s: SessionState) => void s, retry: { maxAttempts: 3 } });
  await session.signIn({ ...refreshed, expiresAt: cc.expiresAt });
  await session.completeAuthorization("https://my.app/cb?code=c&state=s", { state: req.state, codeVerifier: req.codeVerifier, redirectUri: "https://my.app/cb" });
  const access: string = await session.accessToken();
  const next: number | null = session.nextRefreshAt();
  const res: Response = await session.fetch("https://api.example.com/me", { headers: { Accept: "application/json" } });
  const items: PagedList<unknown> = session.paginate("https://api.example.com/items", { style: "link", itemsPath: "data", resultsPerPage: 50 });
  for await (const item of items) void item;
  const presets = [
    OAuth2Client.priava({ baseUrl: "https://acme.priava.com", region: "EU", clientId: "i", clientSecret: "s", redirectUri: "https://my.app/cb" }),
    OAuth2Client.omniFund({ baseUrl: "https://omnifund.example", clientId: "i", clientSecret: "s" }),
    OAuth2Client.onlineRegistrationCenter({ clientId: "i", clientSecret: "s" }),
    OAuth2Client.zapEvent({ clientId: "i" }),
  ];
  const attendees: OrcAttendee[] = await OnlineRegistrationCenter.roster(new TokenSession(presets[2]!, { store: memoryStore() }), { moduleId: 4101, exportId: 77 });
  const login: OmniFundLogin = await OmniFund.tokenLogin(new TokenSession(presets[1]!, { store: memoryStore() }), { url: "https://omnifund.example/login" });
  void [access, next, res.ok, attendees[0]?.fname, login.loggedIn, new TokenStoreDurableObject({ storage: { get: async () => undefined, put: async () => {} } })];
  return session.state();
}

export async function zapevent(): Promise<number> {
  const zap = ZapEvent.oauth1({ baseUrl: "https://www.zapevent.com/api", consumerKey: "k", consumerSecret: "s", token: "t", tokenSecret: "ts", format: "json" });
  const viaLogin: ZapEvent = await ZapEvent.login({ username: "u", password: "p", generation: "oauth2", loginFormat: "json" });
  const viaOAuth2 = ZapEvent.oauth2(new TokenSession(OAuth2Client.zapEvent({ clientId: "i" }), { store: memoryStore() }));
  const flow: OAuth1Flow = ZapEvent.oauth1Flow({ consumerKey: "k", consumerSecret: "s" });
  const event: ZapEventEvent = await zap.event(1001, { futureActivitiesOnly: true });
  const list: PagedList<ZapEventParticipant> = zap.participants({
    eventId: 1001, activityId: 2001, resultsPerPage: 250, sort: "participant_id ASC", afterParticipantId: 90000, maxItems: 1000, signal,
    onProgress: ({ fetched, total }: PageProgress) => void (total ? fetched / total : fetched),
  });
  let last = 0;
  for await (const page of list.pages()) {
    const p: Page<ZapEventParticipant> = page;
    last = p.items.at(-1)?.participant_id ?? last;
    if (p.cursor === null) break;
  }
  const resumed = zap.participants({ eventId: 1001, cursor: list.cursor ?? undefined, format: "csv" });
  const categories: ZapEventCategory[] = await viaLogin.categories({ format: "csv", sort: "category DESC" }).toArray();
  const questions: ZapEventQuestion[] = await viaOAuth2.questions({ eventId: 1001 }).toArray();
  const events = await zap.events({ startDate: new Date(), eventType: "Running/Walking", sort: "date DESC" }).toArray();
  void [flow, resumed];
  return last + (event.activities?.length ?? 0) + categories.length + questions.length + events.length;
}

export async function oneroster(): Promise<string[]> {
  const direct = OneRoster.direct({ baseUrl: "https://sis.example.org", clientId: "k", clientSecret: "s", signatureMethod: "HMAC-SHA256" });
  const v1p2 = OneRoster.v1p2({ baseUrl: "https://sis.example.org", tokenUrl: "https://sis.example.org/oauth/token", clientId: "i", clientSecret: "s", scope: ["https://purl.imsglobal.org/spec/or/v1p2/scope/roster-core.readonly"] });
  const proxy = OneRoster.classLinkProxy({ appId: "app", accessToken: "t" });
  const filter: OneRosterFilter = OneRosterFilter.where("role", "=", "teacher").and("status", "=", "active");
  const teachers: OneRosterUser[] = await direct.list("users", { filter, resultsPerPage: 500, sort: "familyName", orderBy: "asc", fields: ["sourcedId", "givenName"] }).toArray();
  const classes: OneRosterClass[] = await v1p2.list("classes", { parent: ["schools", "s1"] }).toArray();
  const enrollments: PagedList<OneRosterEnrollment> = proxy.list("enrollments", { filter: "role='student'" });
  const one: OneRosterUser = await direct.get("users", "u1");
  const collection: OneRosterCollection = "academicSessions";
  for await (const e of enrollments) void e.user?.sourcedId;
  return [filter.toString(), one.sourcedId, collection, ...teachers.map((t) => t.familyName ?? ""), ...classes.map((c) => c.title ?? "")];
}

export function errors(e: unknown): OAuthEdgeErrorCode | "other" {
  initSync({ module: wasm });
  void wasm1;
  if (e instanceof OAuthEdgeError) {
    const details: [number | undefined, string | undefined, number | undefined, string[] | undefined] = [e.status, e.providerCode, e.retryAfter, e.missingParams];
    void details;
    return e.code;
  }
  if (e instanceof Error1) return e.code;
  void new OAuthEdgeError("INVALID_ARGUMENT", "bad option", { invalidParams: ["x"] });
  void init;
  return "other";
}
