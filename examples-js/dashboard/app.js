// The dashboard page: Priava sign-in (authorization code + PKCE, redirect and back), tokens in
// IndexedDB (indexedDbStore: shared by every tab of this origin, refreshes serialized by Web
// Locks), then the Online Registration Center roster and a ZapEvent event's participants.
// serve.mjs bundles this file with esbuild and serves it with /config.json (the settings).
import { OAuth2Client, OAuthEdgeError, OnlineRegistrationCenter, TokenSession, ZapEvent, indexedDbStore } from "oauth-edge";

const $ = (id) => document.getElementById(id);
const config = await (await fetch("/config.json")).json();
const redirectUri = `${location.origin}/callback`; // registered with Priava (loopback: any port)
const PENDING = "priava-pending"; // sessionStorage: the state and PKCE verifier of a sign-in under way
const DB = "oauth-edge-dashboard";

// ---- errors and token state, in plain words ------------------------------------------------
function plainWords(e) {
  if (!(e instanceof OAuthEdgeError)) return `Something went wrong: ${e?.message ?? e}`;
  switch (e.code) {
    case "NEEDS_REAUTH": return "You are signed out: the sign-in expired or was revoked. Sign in again.";
    case "NETWORK": return "The server could not be reached. Check the connection and try again.";
    case "RATE_LIMITED": return `The server is busy. Try again ${e.retryAfter ? `in ${e.retryAfter} seconds` : "later"}.`;
    case "STATE_MISMATCH": return "This sign-in answer does not belong to this tab (it may be an old link). Sign in again.";
    case "OAUTH_ACCESS_DENIED": return "Access was not granted, so nothing can be shown. Sign in again to allow it.";
    case "OAUTH_INVALID_CLIENT": case "INVALID_CREDENTIALS": return "The provider refused this app's credentials. Check the dashboard's settings.";
    case "OAUTH_INVALID_GRANT": return "The sign-in code was refused (it may have been used already). Sign in again.";
    case "PERMISSION_DENIED": return "This account may not see that.";
    case "NOT_FOUND": return "That does not exist at the provider.";
    default: return `${e.message} (${e.code})`;
  }
}
function showError(where, e) {
  const box = $("error");
  const line = document.createElement("div");
  line.textContent = `${where}: ${plainWords(e)}`;
  box.append(line);
  box.hidden = false;
  console.error(where, e);
}

/** SessionState → what the user sees: valid / refreshing / signed out. */
const WORDS = { valid: "valid", expiring: "valid", refreshing: "refreshing…", empty: "signed out", needs_reauth: "signed out" };
function showState(badge, state) {
  badge.textContent = WORDS[state] ?? state;
  badge.dataset.state = WORDS[state] === "signed out" ? "signed-out" : WORDS[state] === "valid" ? "valid" : state;
}
const stateHistory = []; // what the user saw since this page loaded
function onPriavaState(state) {
  showState($("priava-state"), state);
  const word = WORDS[state] ?? state;
  if (stateHistory.at(-1) !== word) stateHistory.push(word);
  $("priava-history").textContent = stateHistory.join(" → ");
  const signedIn = WORDS[state] !== "signed out";
  $("sign-in").hidden = signedIn;
  $("reload").hidden = $("sign-out").hidden = !signedIn;
}

// ---- Priava --------------------------------------------------------------------------------
const p = config.priava;
const priavaClient = OAuth2Client.priava({ baseUrl: p.baseUrl, region: p.region, clientId: p.clientId, clientSecret: p.clientSecret, redirectUri });
const priavaStore = indexedDbStore({ database: DB, key: "priava" });
const priava = new TokenSession(priavaClient, { store: priavaStore, onStateChange: onPriavaState });

$("sign-in").onclick = async () => {
  try {
    const { url, state, codeVerifier } = await priavaClient.authorizationUrl({ redirectUri });
    sessionStorage.setItem(PENDING, JSON.stringify({ state, codeVerifier }));
    location.assign(url);
  } catch (e) {
    showError("Sign-in", e);
  }
};
$("sign-out").onclick = async () => {
  // The store's record is the sign-in: deleting it signs every tab of this origin out.
  const db = await new Promise((ok, fail) => Object.assign(indexedDB.open(DB, 1), { onsuccess: (ev) => ok(ev.target.result), onerror: fail }));
  await new Promise((ok) => Object.assign(db.transaction("tokens", "readwrite"), { oncomplete: ok }).objectStore("tokens").delete("priava"));
  location.reload();
};
$("reload").onclick = () => loadPriava().catch((e) => showError("Priava", e));

async function loadPriava() {
  const [me, events] = await Promise.all(["/api/me", "/api/events"].map(async (path) => {
    const res = await priava.fetch(`${p.baseUrl}${path}`, { headers: { accept: "application/json" } });
    if (!res.ok) throw new Error(`Priava answered ${res.status} for ${path}`);
    return res.json();
  }));
  $("priava-me").textContent = `Signed in as ${me.name} (region ${me.region}); ${events.events.length} events.`;
  $("priava-me").dataset.loaded = String(Date.now());
}

/** The callback leg: Priava redirected back to /callback?code=…&state=…. */
async function finishSignIn() {
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? "null");
  sessionStorage.removeItem(PENDING);
  const callbackUrl = location.href;
  window.history.replaceState(null, "", "/"); // the code is single-use: keep it out of reloads
  if (!pending) throw new Error("no sign-in was started in this tab (an old link?): sign in again");
  await priava.completeAuthorization(callbackUrl, { ...pending, redirectUri });
}

// ---- Online Registration Center and ZapEvent -------------------------------------------------
const cell = (row, value) => (row.insertCell().textContent = value ?? "");

async function loadOrc() {
  const o = config.orc;
  $("orc").hidden = false;
  $("orc-module").textContent = o.moduleId;
  const client = OAuth2Client.onlineRegistrationCenter({ baseUrl: o.baseUrl, clientId: o.clientId, clientSecret: o.clientSecret });
  const store = indexedDbStore({ database: DB, key: "orc" });
  const session = new TokenSession(client, { store, onStateChange: (s) => showState($("orc-state"), s) });
  // The ORC hands out its first tokens in its console (expires_in in hours); they are used once,
  // to start the token family, and rotate from then on.
  if (!(await store.load()) && o.consoleTokens) {
    const t = o.consoleTokens;
    await session.signIn({ accessToken: t.access_token, refreshToken: t.refresh_token, tokenType: "Bearer", expiresAt: Date.now() + t.expires_in * 3_600_000, scope: null });
  }
  const table = $("orc-table");
  table.dataset.state = "loading";
  $("orc-progress").removeAttribute("value"); // one body: the bar runs until it arrives
  try {
    const attendees = await OnlineRegistrationCenter.roster(session, { moduleId: o.moduleId });
    const body = table.tBodies[0];
    for (const a of attendees) {
      const row = body.insertRow();
      [a.trackno, a.fname, a.lname, a.email, a.start_date, a.module_city].forEach((v) => cell(row, v));
    }
    Object.assign($("orc-progress"), { max: 1, value: 1 });
    $("orc-count").textContent = `${attendees.length} attendees`;
    table.dataset.state = "done";
  } catch (e) {
    table.dataset.state = "error";
    showState($("orc-state"), session.state());
    throw e;
  }
}

async function loadZapEvent() {
  const z = config.zapevent;
  $("zap").hidden = false;
  $("zap-event").textContent = z.eventId;
  const zap = ZapEvent.oauth1({ baseUrl: z.baseUrl, consumerKey: z.consumerKey, consumerSecret: z.consumerSecret, token: z.token, tokenSecret: z.tokenSecret });
  const table = $("zap-table");
  const bar = $("zap-progress");
  table.dataset.state = "loading";
  bar.removeAttribute("value");
  const list = zap.participants({
    eventId: z.eventId, resultsPerPage: z.pageSize ?? 250, format: "json",
    onProgress: ({ page, fetched, total }) => {
      Object.assign(bar, { max: total ?? fetched, value: fetched });
      bar.dataset.pages = String(page);
      $("zap-count").textContent = `${fetched}${total === undefined ? "" : ` of ${total}`} participants (page ${page})`;
    },
  });
  const body = table.tBodies[0];
  try {
    for await (const page of list.pages()) {
      for (const x of page.items) {
        const row = body.insertRow();
        [x.participant_id, x.first_name, x.last_name, x.email, x.age, x.checked_in ? "yes" : "no"].forEach((v) => cell(row, v));
      }
    }
    table.dataset.state = "done";
  } catch (e) {
    table.dataset.state = "error";
    throw e;
  }
}

// ---- start ---------------------------------------------------------------------------------
try {
  if (location.pathname === "/callback") {
    const error = new URL(location.href).searchParams.get("error");
    if (error) {
      window.history.replaceState(null, "", "/");
      throw new Error(error === "access_denied" ? "access was not granted" : `Priava refused the sign-in (${error})`);
    }
    await finishSignIn();
  }
  if (await priavaStore.load()) {
    onPriavaState(priava.state() === "empty" ? "valid" : priava.state());
    await loadPriava();
    const loads = [config.orc && loadOrc().catch((e) => showError("Online Registration Center", e)),
      config.zapevent && loadZapEvent().catch((e) => showError("ZapEvent", e))];
    await Promise.all(loads);
  } else {
    onPriavaState("empty");
  }
} catch (e) {
  showError("Priava", e);
  onPriavaState(priava.state());
}
