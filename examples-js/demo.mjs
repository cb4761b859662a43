// The oauth-edge demo: real signed requests against the project's provider simulator, which
// checks every signature with an independent OAuth 1.0a implementation (npm oauth-1.0a).
//   make demo        (builds the package, then runs this file)
import { OAuth1Signer, OAuth2Client, TokenSession, ZapEvent, memoryStore, OAuthEdgeError } from "oauth-edge";
import { startSimulator } from "../tests/simulator/server.mjs";

const sim = await startSimulator({ port: 0 });
const { fixtures } = sim.state;
const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const section = (title) => console.log(`\n${bold(`── ${title} `.padEnd(78, "─"))}`);
const verdict = async (res) => {
  const body = await res.json().catch(() => ({}));
  return `${res.status} ${body.ok ? "accepted" : `rejected (${body.reason ?? body.error ?? "?"})`}`;
};

try {
  console.log(`provider simulator listening on ${sim.url}`);

  section("1. Sign a request (RFC 5849, HMAC-SHA1, Authorization header)");
  const { echo } = fixtures.oauth1;
  const signer = new OAuth1Signer({ consumerKey: echo.consumerKey, consumerSecret: echo.consumerSecret, token: echo.token, tokenSecret: echo.tokenSecret });
  const url = `${sim.url}/oauth1/echo/events?name=Caf%C3%A9%20Conf%C3%A9rence&sort=date+DESC`;
  const signed = signer.sign({ method: "GET", url });
  console.log(`GET ${signed.url}\nAuthorization: ${signed.headers.Authorization.replace(/, /g, ",\n    ")}`);
  console.log(`→ simulator: ${await verdict(await fetch(signed.url, { headers: signed.headers }))}`);

  section("2. The same request, replayed and tampered with");
  console.log(`replayed          → ${await verdict(await fetch(signed.url, { headers: signed.headers }))}`);
  const again = signer.sign({ method: "GET", url });
  console.log(`query changed     → ${await verdict(await fetch(again.url.replace("DESC", "ASC"), { headers: again.headers }))}`);
  const stale = signer.sign({ method: "GET", url, timestamp: Math.floor(Date.now() / 1000) - 301 });
  console.log(`301 s old         → ${await verdict(await fetch(stale.url, { headers: stale.headers }))}`);

  section("3. Every signature method and placement, sent by signer.fetch()");
  for (const signatureMethod of ["HMAC-SHA1", "HMAC-SHA256", "PLAINTEXT"]) {
    for (const placement of ["header", "query", "body"]) {
      const s = new OAuth1Signer({ ...credentials(fixtures.oauth1.echoWeird), signatureMethod, placement });
      const res = await s.fetch(`${sim.url}/oauth1/echo/form`, { method: "POST", form: { city: "Zürich", note: "a+b & c=d", tags: ["x", "y"] } });
      console.log(`${signatureMethod.padEnd(12)} ${placement.padEnd(7)} → ${await verdict(res)}`);
    }
  }

  section("4. ZapEvent: the three-legged flow, then typed, paged records in XML, JSON and CSV");
  const zap = fixtures.zapevent;
  const base = `${sim.url}/zapevent/api`;
  const flow = ZapEvent.oauth1Flow({ baseUrl: base, consumerKey: zap.consumerKey, consumerSecret: zap.consumerSecret });
  const pending = await flow.start({ callback: "http://127.0.0.1:3005/zapevent/callback_process" });
  console.log(`send the user to: ${pending.authorizationUrl}`);
  const consent = await fetch(pending.authorizationUrl, { redirect: "manual" }); // the simulator approves at once
  const callbackUrl = consent.headers.get("location");
  console.log(`provider redirected back to: ${callbackUrl}`);
  const creds = await flow.finish({ requestToken: pending.requestToken, requestTokenSecret: pending.requestTokenSecret, callbackUrl });
  console.log(`access token: ${creds.token} (secret kept by the app)`);
  const zapApi = ZapEvent.oauth1({ baseUrl: base, consumerKey: zap.consumerKey, consumerSecret: zap.consumerSecret, token: creds.token, tokenSecret: creds.tokenSecret });
  const event = await zapApi.event(1001);
  console.log(`event(1001) → ${event.name}, ${event.start_date}, ${event.activities.length} activities, ` +
    `first question: ${JSON.stringify(event.activities[0].questions?.[0]?.question)}`);
  const { marathon } = zap;
  for (const format of ["xml", "json", "csv"]) {
    const t0 = performance.now();
    let pages = 0;
    const list = zapApi.participants({ eventId: marathon.eventId, activityId: marathon.activityId, resultsPerPage: 250, format, onProgress: () => pages++ });
    const all = await list.toArray();
    console.log(`participants(${format}) → ${all.length} records in ${pages} pages, ${(performance.now() - t0).toFixed(0)} ms; ` +
      `last: ${all.at(-1).first_name} ${all.at(-1).last_name}, registered ${all.at(-1).registration_date}, checked in: ${all.at(-1).checked_in}`);
  }
  const login = await ZapEvent.login({ baseUrl: base, username: zap.user.username, password: zap.user.password });
  console.log(`Login method → ${(await login.categories({ resultsPerPage: 250 }).toArray()).length} categories with tmp_key/tmp_secret`);
  try {
    await zapApi.event(424242);
  } catch (e) {
    console.log(`event(424242) → ${e.code} (ZapEvent error ${e.providerCode}: ${e.providerDescription})`);
  }

  section("5. OneRoster 1.1 direct: two-legged HMAC-SHA256");
  const or = fixtures.oneroster;
  const roster = new OAuth1Signer({ consumerKey: or.consumerKey, consumerSecret: or.consumerSecret, signatureMethod: "HMAC-SHA256" });
  const schools = await roster.fetch(`${sim.url}/oneroster/ims/oneroster/v1p1/schools?limit=2`);
  console.log(`${schools.status} X-Total-Count: ${schools.headers.get("x-total-count")}`, JSON.stringify(await schools.json()).slice(0, 200), "…");

  section("6. Priava: authorization code + PKCE, TenantRegion, then a TokenSession");
  const pv = fixtures.priava;
  const redirectUri = "http://127.0.0.1/callback";
  const priava = OAuth2Client.priava({ baseUrl: `${sim.url}/priava`, region: "EU", clientId: pv.clientId, clientSecret: pv.clientSecret, redirectUri });
  const auth = await priava.authorizationUrl({ redirectUri });
  console.log(`send the user to: ${auth.url.slice(0, 110)}…`);
  const back = (await fetch(auth.url, { redirect: "manual" })).headers.get("location");
  console.log(`callback: ${back.replace(/code=[^&]+/, "code=…")}`);
  // A clock we can move, so the demo shows an expiry without waiting six hours.
  let skewMs = 0;
  const now = () => Date.now() + skewMs;
  const priavaStore = memoryStore();
  const session = new TokenSession(priava, { store: priavaStore, now, onStateChange: (s) => console.log(`  session state → ${s}`) });
  await session.completeAuthorization(back, { state: auth.state, codeVerifier: auth.codeVerifier, redirectUri });
  console.log(`GET /priava/api/me → ${JSON.stringify(await (await session.fetch(`${sim.url}/priava/api/me`)).json())}`);
  const before = (await priavaStore.load()).tokens.refreshToken;
  skewMs += 6 * 3600_000; // six hours later: the access token has expired
  await fetch(`${sim.url}/__sim/clock`, { method: "POST", body: JSON.stringify({ advance: 6 * 3600 }) });
  const results = await Promise.all(Array.from({ length: 50 }, () => session.fetch(`${sim.url}/priava/api/events`)));
  const counters = await (await fetch(`${sim.url}/__sim/counters`)).json();
  console.log(`50 concurrent calls on an expired token → ${results.filter((r) => r.ok).length} × 200, ` +
    `refresh grants at Priava: ${counters.grants.priava.refresh_token}, rotated refresh token stored: ${(await priavaStore.load()).tokens.refreshToken !== before}`);

  section("7. OmniFund (password grant) and the Online Registration Center (pre-issued, rotating)");
  const of = fixtures.omnifund;
  const omni = OAuth2Client.omniFund({ baseUrl: `${sim.url}/omnifund`, clientId: of.clientId, clientSecret: of.clientSecret });
  const omniSession = new TokenSession(omni, { store: memoryStore() });
  await omniSession.signIn(await omni.password({ username: of.user.username, password: of.user.password }));
  console.log(`POST /omnifund/login → ${JSON.stringify(await (await omniSession.fetch(`${sim.url}/omnifund/login`, { method: "POST" })).json())}`);
  const issued = await (await fetch(`${sim.url}/__sim/orc/issue`, { method: "POST" })).json();
  const orc = OAuth2Client.onlineRegistrationCenter({ baseUrl: `${sim.url}/orc`, clientId: fixtures.orc.clientId, clientSecret: fixtures.orc.clientSecret });
  const rotated = await orc.refresh(issued.refresh_token);
  console.log(`ORC refresh (Basic raw, expires_in in hours): new refresh token ${rotated.refreshToken !== issued.refresh_token ? "issued" : "NOT issued"}, expires ${new Date(rotated.expiresAt).toISOString()}`);
  try {
    await orc.refresh(issued.refresh_token); // reusing a rotated refresh token
  } catch (e) {
    console.log(`reusing the old refresh token → ${e.code} (${e.providerCode}): the whole token family is revoked`);
  }

  section("8. Typed errors, never a secret in them");
  try {
    new OAuth1Signer(credentials(echo)).sign({ url: "http://api.example.com/" });
  } catch (e) {
    console.log(`${e instanceof OAuthEdgeError ? "OAuthEdgeError" : "?"} ${e.code}: ${e.message}`);
  }
} finally {
  await sim.close();
}

function credentials(c) {
  return { consumerKey: c.consumerKey, consumerSecret: c.consumerSecret, token: c.token, tokenSecret: c.tokenSecret };
}
