// Type check of the installed package's declarations, as a TypeScript user would meet them:
// `deno check suite/types-check.ts` from target/runtime-app (Deno's built-in TypeScript reads
// the "types" export condition). Never executed. The @ts-expect-error lines prove the types are
// real (they fail as "unused" if the declarations degrade to `any`).
import {
  OAuth1Flow,
  OAuth1Signer,
  OAuthEdgeError,
  init,
  type OAuth1SignerOptions,
  type OAuthEdgeErrorCode,
  type SignedRequest,
} from "oauth-edge";
import { init as manualInit, OAuth1Signer as ManualSigner } from "oauth-edge/manual";

const options: OAuth1SignerOptions = { consumerKey: "k", consumerSecret: "s", signatureMethod: "HMAC-SHA256", placement: "query" };
const signer = new OAuth1Signer(options);
const signed: SignedRequest = signer.sign({ url: "https://api.example/x", form: { a: ["1", "2"] }, nonce: "n", timestamp: 1 });
const headers: Record<string, string> = signed.headers;

// The documented one-argument form and the form-POST form.
const r1: Promise<Response> = signer.fetch("https://api.example/x");
const r2: Promise<Response> = signer.fetch(new URL("https://api.example/x"), { method: "POST", form: { a: "1" } });
const r3: Promise<Response> = signer.fetch(new Request("https://api.example/x"), { headers: { Accept: "application/json" }, bodyHash: false });

try {
  signer.sign({ url: "http://example.com/" });
} catch (e) {
  if (e instanceof OAuthEdgeError) {
    const code: OAuthEdgeErrorCode = e.code;
    const status: number | undefined = e.status;
    const asError: Error = e;
    // @ts-expect-error not one of the documented codes
    if (e.code === "NOT_A_CODE") throw asError;
    void code, status;
  }
}

const flow = new OAuth1Flow({
  consumerKey: "k",
  consumerSecret: "s",
  requestTokenUrl: "https://p.example/request",
  authorizeUrl: "https://p.example/authorize",
  accessTokenUrl: "https://p.example/access",
});
const pending = await flow.start({ callback: "https://app.example/cb" });
const authorizationUrl: string = pending.authorizationUrl;
const creds = await flow.finish({ requestToken: pending.requestToken, requestTokenSecret: pending.requestTokenSecret, callbackUrl: "https://app.example/cb?oauth_token=t&oauth_verifier=v" });
const token: string = creds.token;
const extra: Record<string, string> = creds.params;

await init();
await manualInit(new Uint8Array(0));
const manualSigner: OAuth1Signer = new ManualSigner({ consumerKey: "k", consumerSecret: "s" });

// @ts-expect-error signatureMethod is a closed union
new OAuth1Signer({ consumerKey: "k", consumerSecret: "s", signatureMethod: "RSA-SHA1" });
// @ts-expect-error consumerSecret is required
new OAuth1Signer({ consumerKey: "k" });
// @ts-expect-error sign() needs a url
signer.sign({});

export { authorizationUrl, extra, headers, manualSigner, r1, r2, r3, token };

// "oauth-edge/oauth1" has the same OAuth 1.0a surface, typed (no `any`).
import * as oauth1 from "oauth-edge/oauth1";
const signer1 = new oauth1.OAuth1Signer({ consumerKey: "k", consumerSecret: "s", signatureMethod: "HMAC-SHA256" });
const signed1: oauth1.SignedRequest = signer1.sign({ url: "https://api.example/x" });
const code1: oauth1.OAuthEdgeErrorCode = "INSECURE_URL";
// @ts-expect-error: not a signature method
new oauth1.OAuth1Signer({ consumerKey: "k", consumerSecret: "s", signatureMethod: "MD5" });
void signed1, code1;

// ---- ZapEvent, PagedList and the record types ----------------------------------------------
import {
  OAuth2Client as ZapOAuth2Client,
  TokenSession as ZapTokenSession,
  ZapEvent,
  memoryStore as zapMemoryStore,
  type Page,
  type PagedList,
  type PageProgress,
  type ZapEventActivity,
  type ZapEventCategory,
  type ZapEventEvent,
  type ZapEventParticipant,
  type ZapEventQuestion,
} from "oauth-edge";

const zapBase = "https://www.zapevent.com/api";
const zap: ZapEvent = ZapEvent.oauth1({ baseUrl: zapBase, consumerKey: "k", consumerSecret: "s", token: "t", tokenSecret: "ts", signatureMethod: "PLAINTEXT", placement: "query", format: "csv" });
const participants: PagedList<ZapEventParticipant> = zap.participants({
  eventId: 1001,
  activityId: 2001,
  sort: "registration_id DESC",
  afterRegistrationId: 50100,
  afterParticipantId: 90300,
  searchLastName: "O'Brien",
  resultsPerPage: 250,
  maxItems: 333,
  signal: AbortSignal.timeout(5000),
  onProgress: (p: PageProgress) => void [p.page, p.fetched, p.total satisfies number | undefined],
});
for await (const p of participants) {
  const id: number | undefined = p.registration_id;
  const paid: number | undefined = p.amount_paid;
  const checkedIn: boolean | undefined = p.checked_in;
  const unknownField: unknown = p["shoe_size"];
  void [id, paid, checkedIn, unknownField];
}
for await (const page of zap.participants({ eventId: 1001, cursor: participants.cursor ?? undefined }).pages()) {
  const one: Page<ZapEventParticipant> = page;
  const items: ZapEventParticipant[] = one.items;
  const next: string | null = one.cursor;
  const total: number | undefined = one.total;
  void [items, next, total, one.page, one.fetched];
}
const zapEvent: ZapEventEvent = await zap.event(1001, { futureActivitiesOnly: true, format: "json" });
const zapActivities: ZapEventActivity[] | undefined = zapEvent.activities;
const zapQuestions: ZapEventQuestion[] = await zap.questions({ activityId: 2001, format: "xml" }).toArray();
const zapOptions: string[] | undefined = zapQuestions[0]?.options;
const zapCategories: ZapEventCategory[] = await zap.categories({ sort: "category DESC", futureEventCategories: true }).toArray();
const zapEvents: PagedList<ZapEventEvent> = zap.events({ startDate: new Date(), endDate: "2025-12-31", createdSince: "01-31-2025", eventType: "Running/Walking", eventStatus: "public", activities: true, sort: "date" });
const zapFlow: OAuth1Flow = ZapEvent.oauth1Flow({ baseUrl: zapBase, consumerKey: "k", consumerSecret: "s", signatureMethod: "HMAC-SHA1", placement: "body", paths: { authorize: "/oauth/Authorize" } });
const zapClient: ZapOAuth2Client = ZapOAuth2Client.zapEvent({ baseUrl: zapBase, clientId: "id", clientSecret: "secret" });
const zap2: ZapEvent = ZapEvent.oauth2(new ZapTokenSession(zapClient, { store: zapMemoryStore() }), { baseUrl: zapBase, format: "xml", paths: { questions: "/event/getnewquestion" } });
const zapLogin: ZapEvent = await ZapEvent.login({ baseUrl: zapBase, username: "u", password: "p", generation: "oauth2", loginFormat: "json" });
// ZapEvent.login() is declared `Promise<ZapEvent>`: were it `Promise<any>`, this assignment
// would type-check and the directive below would be reported unused (TS2578).
// @ts-expect-error login() resolves to a ZapEvent, not a number
const zapLoginNotANumber: number = await ZapEvent.login({ baseUrl: zapBase, username: "u", password: "p" });
try {
  await zap2.events().toArray();
} catch (e) {
  if (e instanceof OAuthEdgeError && (e.code === "PAGE_REPEATED" || e.code === "ABORTED" || e.code === "NOT_FOUND" || e.code === "PERMISSION_DENIED" || e.code === "INVALID_CREDENTIALS")) {
    const providerCode: string | undefined = e.providerCode;
    const missing: string[] | undefined = e.missingParams;
    const invalid: string[] | undefined = e.invalidParams;
    void [providerCode, missing, invalid];
  }
}
// @ts-expect-error eventId is required
zap.participants({});
// @ts-expect-error not a participants sort field
zap.participants({ eventId: 1001, sort: "email ASC" });
// @ts-expect-error ZapEvent documents HMAC-SHA1 and PLAINTEXT only
ZapEvent.oauth1({ consumerKey: "k", consumerSecret: "s", token: "t", tokenSecret: "ts", signatureMethod: "HMAC-SHA256" });
// @ts-expect-error format is a closed union
zap.events({ format: "yaml" });
// @ts-expect-error the Login method answers in xml or json only
ZapEvent.login({ username: "u", password: "p", loginFormat: "csv" });
// @ts-expect-error records are typed: an id is a number
const zapBadId: string = zapEvent.event_id;

export { zap2, zapActivities, zapBadId, zapCategories, zapEvents, zapFlow, zapLogin, zapLoginNotANumber, zapOptions };

// ---- OneRoster, Online Registration Center, TokenSession.paginate --------------------------
import {
  OAuth2Client as ProvOAuth2Client,
  OneRoster,
  OneRosterFilter,
  OnlineRegistrationCenter,
  TokenSession as ProvTokenSession,
  memoryStore as provMemoryStore,
  type OneRosterClass,
  type OneRosterCollection,
  type OneRosterDemographics,
  type OneRosterEnrollment,
  type OneRosterListOptions,
  type OneRosterOrg,
  type OneRosterRef,
  type OneRosterUser,
  type OrcAttendee,
  type PaginateOptions,
} from "oauth-edge";

const orDirect: OneRoster = OneRoster.direct({ baseUrl: "https://district.example", clientId: "k", clientSecret: "s", signatureMethod: "HMAC-SHA1" });
const orProxy: OneRoster = OneRoster.classLinkProxy({ appId: "app-1", accessToken: "t" });
const or12: OneRoster = OneRoster.v1p2({
  baseUrl: new URL("https://district.example"),
  tokenUrl: "https://district.example/oauth/token",
  clientId: "c",
  clientSecret: "s",
  scope: ["https://purl.imsglobal.org/spec/or/v1p2/scope/roster-core.readonly"],
  now: () => Date.now(),
});
const orFilter: OneRosterFilter = OneRosterFilter.where("role", "=", "teacher").and("familyName", "~", "O'Brien");
const orFilterText: string = orFilter.toString();
const orCollection: OneRosterCollection = "gradingPeriods";
const orOptions: OneRosterListOptions = {
  filter: orFilter,
  sort: "familyName",
  orderBy: "desc",
  fields: ["sourcedId", "familyName"],
  resultsPerPage: 500,
  maxItems: 1000,
  signal: AbortSignal.timeout(5000),
  onProgress: (p: PageProgress) => void p.fetched,
};
const orTeachers: PagedList<OneRosterUser> = orDirect.list("teachers", orOptions);
for await (const t of orTeachers) {
  const enabled: boolean | undefined = t.enabledUser;
  const orgs: OneRosterRef[] | undefined = t.orgs;
  const vendor: unknown = t["x_extra"];
  void [enabled, orgs, vendor, t.sourcedId satisfies string];
}
const orClasses: OneRosterClass[] = await orProxy.list("classes", { parent: ["schools", "s-1"], filter: "title='x'", cursor: orTeachers.cursor ?? undefined }).toArray();
const orSchool: OneRosterOrg = await or12.get("schools", "s-1");
const orEnrollment: OneRosterEnrollment = await or12.get("enrollments", "e-1");
const orPrimary: boolean | undefined = orEnrollment.primary;
const orDemographics: OneRosterDemographics = await or12.get("demographics", "u-1");
// @ts-expect-error not a OneRoster collection
orDirect.list("pupils");
// @ts-expect-error orderBy is "asc" or "desc"
orDirect.list("users", { orderBy: "DESC" });
// @ts-expect-error parent is [collection, sourcedId]
orDirect.list("classes", { parent: "schools" });
// @ts-expect-error the 1.1 binding signs with HMAC-SHA256 or HMAC-SHA1
OneRoster.direct({ baseUrl: "https://d.example", clientId: "k", clientSecret: "s", signatureMethod: "PLAINTEXT" });
// @ts-expect-error not a filter operator
OneRosterFilter.where("a", "=~", "x");
// @ts-expect-error the proxy needs the console's access token
OneRoster.classLinkProxy({ appId: "app-1" });
// @ts-expect-error records are typed per collection: a user's givenName is a string
const orBadName: number | undefined = (await orDirect.get("users", "u-1")).givenName;

const orcClient: ProvOAuth2Client = ProvOAuth2Client.onlineRegistrationCenter({ clientId: "id", clientSecret: "secret", baseUrl: "https://api.onlineregistrationcenter.com" });
const orcSession = new ProvTokenSession(orcClient, { store: provMemoryStore() });
await orcSession.signIn({ accessToken: "a", refreshToken: "r", tokenType: "Bearer", expiresAt: Date.now() + 86_400_000, scope: null });
const orcAttendees: OrcAttendee[] = await OnlineRegistrationCenter.roster(orcSession, { moduleId: 4101, exportId: 77 });
const orcModuleId: number | undefined = orcAttendees[0]?.module_id;
const orcTrxdate: string | undefined = orcAttendees[0]?.trxdate;
// @ts-expect-error moduleId is a number
OnlineRegistrationCenter.roster(orcSession, { moduleId: "4101" });
// @ts-expect-error moduleId is required
OnlineRegistrationCenter.roster(orcSession, { exportId: 77 });
// @ts-expect-error roster() resolves to attendees, not a Response
const orcNotAResponse: Response = await OnlineRegistrationCenter.roster(orcSession, { moduleId: 4101 });

ProvOAuth2Client.priava({ baseUrl: "https://api.priava.example", region: "EU", clientId: "id", clientSecret: "s", redirectUri: "https://app.example/cb" });
// @ts-expect-error TenantRegion is APAC, EU or US
ProvOAuth2Client.priava({ baseUrl: "https://api.priava.example", region: "ASIA", clientId: "id", clientSecret: "s", redirectUri: "https://app.example/cb" });
ProvOAuth2Client.omniFund({ baseUrl: "https://omnifund.example", clientId: "1_id", clientSecret: "s" });

const pageOptions: PaginateOptions = { style: "cursor", itemsPath: "items", nextCursorPath: "next_cursor", limitParam: "limit", cursorParam: "cursor", resultsPerPage: 100, maxItems: 250 };
const generic: PagedList<unknown> = orcSession.paginate(new URL("https://api.example/items"), pageOptions);
for await (const page of generic.pages()) {
  const next: string | null = page.cursor;
  const items: unknown[] = page.items;
  void [next, items];
}
orcSession.paginate("https://api.example/items?style=page", { style: "page", itemsPath: "data", totalPath: "meta.total", pageParam: "page", sizeParam: "per_page" });
orcSession.paginate("https://api.example/items", { style: "offset", offsetParam: "offset", limitParam: "limit", cursor: generic.cursor ?? undefined });
// @ts-expect-error style is a closed union
orcSession.paginate("https://api.example/items", { style: "keyset" });
// @ts-expect-error options (at least the style) are required
orcSession.paginate("https://api.example/items");

export { orClasses, orCollection, orDemographics, orFilterText, orPrimary, orSchool, orBadName, orcModuleId, orcNotAResponse, orcTrxdate };
