// Every fixture credential, user and data record the simulator knows, generated from one fixed
// seed so tests and the demo can import the exact same values (also served at /__sim/fixtures).

import { draws, mulberry32 } from "./util.mjs";
import { createOneRosterAdditions } from "./oneroster/fixtures.mjs";
import { createZapEventAdditions, participantRecord } from "./zapevent/fixtures.mjs";

export const FIXTURE_SEED = 0x5eed2024;

/** Builds the whole fixture set; the same seed always yields the same values. */
export function createFixtures(seed = FIXTURE_SEED) {
  const rnd = mulberry32(seed);
  const { int, pick, hex } = draws(rnd);
  const b64ish = (n) => {
    const a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let s = "";
    for (let i = 0; i < n; i++) s += a[Math.floor(rnd() * a.length)];
    return s;
  };
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(["8", "9", "a", "b"])}${hex(3)}-${hex(12)}`;
  const pad = (n, w = 2) => String(n).padStart(w, "0");

  // ---- OAuth 1.0a: the generic /oauth1/echo verifier route ------------------------------------
  const oauth1 = {
    // Plain credentials: every signature method, header/query/body placement.
    echo: {
      consumerKey: `echo-${hex(16)}`,
      consumerSecret: hex(32),
      token: `echo-token-${hex(16)}`,
      tokenSecret: hex(32),
      signatureMethods: ["HMAC-SHA1", "HMAC-SHA256", "PLAINTEXT"],
    },
    // Encoding torture: '&' '+' '%' '=' '/' space and non-ASCII (BMP and astral) in the
    // consumer secret, token secret and even the key/token (RFC 5849 §3.6 encodes all of them).
    echoWeird: {
      consumerKey: `echo weird/ key+ü-${hex(6)}`,
      consumerSecret: `s&cr+t%20=ü€/漢字 ${hex(6)}`,
      token: `tok+en/ü=${hex(6)}`,
      tokenSecret: `t&s+%2B=é🎉 ${hex(6)}`,
      signatureMethods: ["HMAC-SHA1", "HMAC-SHA256", "PLAINTEXT"],
    },
  };

  // ---- ZapEvent (OAuth 1.0a three-legged, HMAC-SHA1 / PLAINTEXT only per the seed) ----------
  const firstNames = ["José", "Zoë", "Björn", "Łukasz", "Søren", "Ana María", "Chloé", "Jürgen", "Đorđe",
    "Siobhán", "Nguyễn", "李", "Ólafur", "François", "Amélie", "Mary-Kate", "Renée", "Ngozi", "Aleksandr",
    "Priya", "Tomás", "Émile", "Ødegaard", "John", "Sarah"];
  const lastNames = ["García", "Müller", "O'Brien", "Smith, Jr.", "Núñez", "Østergaard", '"Ace" Baker',
    "Wiśniewski", "Ferreira-Lopes", "van der Berg", "王", "Çelik", "Dvořák", "Ångström", "Lefèvre",
    "Johnson", "Nakamura", "de la Cruz", "Brown", "Kowalczyk"];
  const notes = ["", "", "", "Vegetarian meal, no nuts", 'Said "see you there"', "Line one\nLine two",
    "Emoji 🎉 ok", "Needs parking, gate B", "Comma, quote \" and\nnewline", "Allergies: <none> & fine"];
  const ascii = (s) => s.normalize("NFD").replace(/[^A-Za-z]/g, "").toLowerCase() || "user";

  const zapUser = { userId: 7001, username: "zap.organizer@example.org", password: `zap-pass-${hex(8)}`, name: "Zoë Organizer" };
  const zapOtherUser = { userId: 7002, username: "other.organizer@example.org", password: `other-pass-${hex(8)}`, name: "Other Organizer" };
  const events = [
    { event_id: 1001, owner: 7001, name: "Lakeside 10K & 5K Run", event_type: "Running/Walking", event_status: "public",
      start_date: "06-14-2025", end_date: "06-14-2025", created: "01-10-2025", city: "Minneapolis", state: "MN",
      country: "United States", url: "https://www.zapevent.com/e/1001",
      activities: [
        { activity_id: 2001, name: "10K", start_date: "06-14-2025", price: "45.00" },
        { activity_id: 2002, name: "5K Fun Run", start_date: "06-14-2025", price: "25.00" },
      ] },
    { event_id: 1002, owner: 7001, name: 'Café Conférence 2025: Data, Privacy & "Trust"', event_type: "Conference",
      event_status: "public", start_date: "09-22-2025", end_date: "09-24-2025", created: "02-01-2025",
      city: "Montréal", state: "QC", country: "Canada", url: "https://www.zapevent.com/e/1002",
      activities: [{ activity_id: 2003, name: "Main Conference", start_date: "09-22-2025", price: "299.00" }] },
    { event_id: 1003, owner: 7001, name: "Youth Soccer Camp", event_type: "Camp", event_status: "private",
      start_date: "07-07-2025", end_date: "07-11-2025", created: "03-15-2025", city: "St. Paul", state: "MN",
      country: "United States", url: "https://www.zapevent.com/e/1003",
      activities: [{ activity_id: 2004, name: "Ages 8-12", start_date: "07-07-2025", price: "150.00" }] },
    // Owned by another organizer: reading it answers error 7 (Permission denied).
    { event_id: 1004, owner: 7002, name: "Private Gala", event_type: "Fundraiser/Donation", event_status: "private",
      start_date: "12-05-2025", end_date: "12-05-2025", created: "04-01-2025", city: "Chicago", state: "IL",
      country: "United States", url: "https://www.zapevent.com/e/1004",
      activities: [{ activity_id: 2005, name: "Dinner", start_date: "12-05-2025", price: "500.00" }] },
  ];
  const participants = [];
  let regId = 50001;
  const addParticipants = (eventId, activityId, n) => {
    for (let i = 0; i < n; i++) {
      participants.push(participantRecord({ int, pick, ascii, pad, firstNames, lastNames }, regId, eventId, activityId, {
        ages: [8, 80],
        lastMonth: 5,
        amounts: ["45.00", "25.00", "0.00", "12.50"],
        cities: ["Minneapolis", "São Paulo", "Zürich", "Kraków", "New York, NY", "Reykjavík"],
        notes,
      }));
      regId++;
    }
  };
  addParticipants(1001, 2001, 400);
  addParticipants(1001, 2002, 123); // event 1001: 523 participants over two activities
  addParticipants(1002, 2003, 37);
  addParticipants(1004, 2005, 12); // event 1003 deliberately has none
  // Event 1005 (10,000 participants), checked_in, questions, OAuth 2 client: own PRNG stream.
  const zapMore = createZapEventAdditions(seed, { firstNames, lastNames, ascii, pad, events, participants, regId });
  const categoryNames = ["Running/Walking", "Conference", "Camp", "Fundraiser/Donation", "Cycling/Mountain Biking",
    "Golf", "Seminar", "Swimming", "Trade Show", "Workshop", "Youth", "Winter Sports/Skiing"];
  const categories = categoryNames.map((category, i) => ({
    category_id: 301 + i,
    category,
    event_count: events.filter((e) => e.event_type === category && e.owner === zapUser.userId).length,
  }));
  const zapevent = {
    consumerKey: hex(32),
    consumerSecret: hex(40, true),
    signatureMethods: ["HMAC-SHA1", "PLAINTEXT"],
    user: zapUser,
    otherUser: zapOtherUser,
    // A pre-authorized access token for the fixture user, so API tests can skip the dance.
    accessToken: { token: hex(32), tokenSecret: hex(40, true) },
    requestTokenTtl: 600,
    tmpSessionTtl: 3600,
    privateEventId: 1004,
    events,
    categories,
    participants,
    questions: zapMore.questions,
    marathon: zapMore.marathon,
    oauth2: zapMore.oauth2,
  };

  // ---- OneRoster 1.1 direct (OAuth 1.0a HMAC-SHA256, 2-legged) + ClassLink proxy ------------
  const lastModified = "2025-01-15T12:00:00.000Z";
  const ref = (type, sourcedId, base) => ({ href: `${base}/${sourcedId}`, sourcedId, type });
  const district = { sourcedId: uuid(), status: "active", dateLastModified: lastModified,
    name: "Springfield Unified School District", type: "district", identifier: "SUSD-1", parent: null, children: [] };
  const schoolNames = ["Évergreen Élémentaire", "Lincoln High School", "O'Hara Middle School", "Shelbyville Academy, East"];
  const schools = schoolNames.map((name, i) => ({ sourcedId: uuid(), status: "active", dateLastModified: lastModified,
    name, type: "school", identifier: `SUSD-S${i + 1}`, parent: ref("org", district.sourcedId, "orgs"), children: [] }));
  district.children = schools.map((s) => ref("org", s.sourcedId, "orgs"));
  const users = [];
  for (let i = 0; i < 250; i++) {
    const teacher = i >= 200;
    const school = schools[i % schools.length];
    const givenName = pick(firstNames);
    const familyName = pick(lastNames);
    users.push({ sourcedId: uuid(), status: "active", dateLastModified: lastModified,
      username: `${ascii(givenName)}.${ascii(familyName)}${i}`, userIds: [{ type: "LDAP", identifier: `u${1000 + i}` }],
      enabledUser: "true", givenName, familyName, middleName: "", role: teacher ? "teacher" : "student",
      identifier: String(1000 + i), email: `${ascii(givenName)}.${ascii(familyName)}${i}@springfield.example.edu`,
      sms: "", phone: "", agents: [], orgs: [ref("org", school.sourcedId, "orgs")],
      grades: teacher ? [] : [pad(int(1, 12))] });
  }
  const subjects = ["Mathematics", "English Language Arts", "Science", "Music", "Français", "History"];
  const classes = [];
  for (let i = 0; i < 20; i++) {
    const school = schools[i % schools.length];
    const subject = subjects[i % subjects.length];
    classes.push({ sourcedId: uuid(), status: "active", dateLastModified: lastModified,
      title: `${subject} ${Math.floor(i / subjects.length) + 1}`, classCode: `${subject.slice(0, 3).toUpperCase()}-${100 + i}`,
      classType: "scheduled", location: `Room ${int(100, 399)}`, grades: [pad(int(1, 12))], subjects: [subject],
      course: ref("course", uuid(), "courses"), school: ref("org", school.sourcedId, "orgs"),
      terms: [ref("academicSession", "term-2025-fall", "academicSessions")], periods: [String(int(1, 7))] });
  }
  const enrollments = [];
  users.forEach((u, i) => {
    const n = u.role === "teacher" ? 1 : 1 + (i % 2);
    for (let k = 0; k < n; k++) {
      const cls = classes[(i * 7 + k * 3) % classes.length];
      enrollments.push({ sourcedId: uuid(), status: "active", dateLastModified: lastModified,
        user: ref("user", u.sourcedId, "users"), class: ref("class", cls.sourcedId, "classes"),
        school: cls.school, role: u.role, primary: u.role === "teacher" ? "true" : "false",
        beginDate: "2025-08-25", endDate: "2026-06-12" });
    }
  });
  const oneroster = {
    consumerKey: `or-${hex(20)}`,
    consumerSecret: hex(40),
    signatureMethods: ["HMAC-SHA256"], // OneRoster 1.1 / IMS Security: HMAC-SHA256
    placements: ["header"], // ClassLink: "must be sent … as an Authorization Header"
    orgs: [district, ...schools],
    users,
    classes,
    enrollments,
  };
  // 10,000 users, 2,000 classes, sessions, courses, demographics, OneRoster 1.2 OAuth 2 clients:
  // own PRNG stream (oneroster/fixtures.mjs); the records above stay first and unchanged.
  createOneRosterAdditions(seed, { oneroster, ascii, pad, lastModified });
  const classlink = {
    appId: `app-${hex(8)}`,
    accessToken: `cl-${b64ish(40)}`, // static bearer token, never expires (seed)
    otherAppId: `app-${hex(8)}`, // a valid app id the token does not belong to
    otherAccessToken: `cl-${b64ish(40)}`,
  };

  // ---- Online Registration Center (raw Basic, expires_in in hours, access_refresh_token) -----
  const orcAttendee = (moduleId, summary, city, state, start, i) => {
    const fname = pick(firstNames);
    const lname = pick(lastNames);
    return { module_id: moduleId, summary, module_city: city, module_state: state, start_date: start,
      trackno: `T${moduleId}-${pad(i + 1, 4)}`, trxdate: `2025-0${int(1, 5)}-${pad(int(1, 28))} ${pad(int(0, 23))}:${pad(int(0, 59))}:${pad(int(0, 59))}`,
      lname, fname, email: `${ascii(fname)}.${ascii(lname)}.${moduleId}${i}@example.com` };
  };
  const orcModules = [
    { module_id: 4101, summary: "Spring Triathlon 2025", module_city: "Boulder", module_state: "CO", start_date: "2025-05-03" },
    { module_id: 4102, summary: "Séminaire d'été, \"Leadership\"", module_city: "Burlington", module_state: "VT", start_date: "2025-07-19" },
  ];
  const orcAttendees = {};
  orcModules.forEach((m, idx) => {
    orcAttendees[m.module_id] = Array.from({ length: idx === 0 ? 42 : 5 },
      (_, i) => orcAttendee(m.module_id, m.summary, m.module_city, m.module_state, m.start_date, i));
  });
  const orc = {
    clientId: `orc-${hex(12)}`,
    // '+', '/' and '=' make raw vs RFC 6749 §2.3.1 form-encoded Basic credentials differ.
    clientSecret: `Zm9v+YmFy/${b64ish(18)}==`,
    accessTokenTtl: 86400, // 24 hours (seed); expires_in is reported in hours
    refreshTokenTtl: 86400,
    modules: orcModules,
    exports: [
      { export_id: 77, type: "Registration Data", name: "Registration Data" },
      { export_id: 78, type: "Financial Summary", name: "Payments" },
    ],
    attendees: orcAttendees,
  };
  // Module 4103 with 10,000 attendees: own PRNG stream, so every value above keeps its value.
  addOrcLargeModule(seed, orc, { ascii, pad });

  // Loopback redirect URIs match on any port (RFC 8252 §7.3), so tests and the demo page served
  // by the simulator itself at /app/ can receive the redirect on whatever port they got.
  const loopbackRedirects = ["http://127.0.0.1/callback", "http://localhost/callback",
    "http://127.0.0.1/app/callback.html", "http://localhost/app/callback.html"];

  // ---- Priava (client_secret_post, TenantRegion header, token_type "BEARER") -----------------
  const priava = {
    clientId: `priava-${hex(10)}`,
    clientSecret: b64ish(32),
    redirectUri: "https://my.app.example/oauth2callback",
    redirectUris: ["https://my.app.example/oauth2callback", ...loopbackRedirects],
    regions: ["APAC", "EU", "US"],
    accessTokenTtl: 21600, // 6 hours (seed)
    user: { userId: "priava-user-1", name: "Venue Manager" },
    events: Array.from({ length: 15 }, (_, i) => ({ id: 8000 + i, name: `${pick(["Gala", "Wedding", "Conference", "Concert"])} #${i + 1}`,
      venue: pick(["Harbour Room", "Salle Étoile", "The Loft"]), start: `2025-${pad(int(1, 12))}-${pad(int(1, 28))}T18:00:00Z` })),
  };

  // ---- OmniFund (password grant, client creds in the body, FOSOAuthServer-style ids) ----------
  const omnifund = {
    clientId: `1_${b64ish(50).toLowerCase()}`,
    clientSecret: b64ish(50).toLowerCase(),
    user: { username: "omnifund_user", password: `omni-${hex(10)}`, userId: 31337, name: "Omni Fund User" },
    accessTokenTtl: 3600,
  };

  // ---- Generic RFC 6749-strict provider at /oauth2 ------------------------------------------
  const genericUser = { username: "alice", password: `alice-${hex(8)}`, sub: "user-alice", name: "Alice Liddell", email: "alice@example.org" };
  const generic = {
    scopes: ["openid", "profile", "email", "read", "write", "offline_access"],
    accessTokenTtl: 3600,
    user: genericUser,
    clients: {
      // client_secret_basic; id and secret form-encoded inside the base64 (RFC 6749 §2.3.1),
      // and the secret holds characters that encoding changes (': + / = % space').
      basic: { clientId: `generic-basic-${hex(6)}`, clientSecret: `b4s:c+s/e=c%r t-${hex(8)}`,
        authMethod: "client_secret_basic", redirectUris: [...loopbackRedirects, "https://app.example/cb"],
        grants: ["authorization_code", "refresh_token", "password", "client_credentials"], scopes: null },
      post: { clientId: `generic-post-${hex(6)}`, clientSecret: `p0st-${hex(24)}`,
        authMethod: "client_secret_post", redirectUris: [...loopbackRedirects, "https://app.example/cb"],
        grants: ["authorization_code", "refresh_token", "client_credentials"], scopes: ["read", "write"] },
      public: { clientId: `generic-public-${hex(6)}`, clientSecret: null, authMethod: "none",
        redirectUris: [...loopbackRedirects, "https://app.example/cb"],
        grants: ["authorization_code", "refresh_token"], scopes: null },
    },
  };

  return { seed, realm: "sim", oauth1, zapevent, oneroster, classlink, orc, priava, omnifund, generic };
}

/** XOR-ed into the fixture seed for the ORC additions' own mulberry32 stream. */
const ORC_STREAM = 0x0bc40000;
const ORC_GIVEN = ["James", "Mary", "Robert", "Linda", "Michael", "Emily", "David", "Sarah", "Daniel", "Laura", "Kevin",
  "Megan", "Brian", "Rachel", "Jason", "Nicole", "Eric", "Hannah", "Adam", "Grace", "Tyler", "Olivia", "Mary Beth"];
const ORC_FAMILY = ["Smith", "Johnson", "Brown", "Miller", "Davis", "Wilson", "Taylor", "Anderson", "Clark", "Lewis",
  "Walker", "Hall", "Young", "King", "Wright", "O'Neill", "McDonald", "Van Dyke", "Baker", "Nelson", "Carter"];
const ORC_GIVEN_INTL = ["José", "Zoë", "Chloé", "Björn", "Siobhán", "Łukasz", "François", "Renée", "陽翔", "美咲", "Hélène", "Dạ Thảo"];
const ORC_FAMILY_INTL = ["García", "Müller", "Núñez", "Østergaard", "Çelik", "Lefèvre", "王", "田中", "Nguyễn", "Peña"];

/**
 * ORC module 4103: 10,000 attendees (~2.7 MB of JSON). ~10 % non-ASCII names (accents, CJK),
 * one astral name; every 10th attendee carries module_id as a numeric STRING ("4103"), as the
 * seed's sample shows module_id both as 0 and as "integer". start_date YYYY-MM-DD like the
 * other modules, trxdate "YYYY-MM-DD HH:MM:SS".
 */
function addOrcLargeModule(seed, orc, { ascii, pad }) {
  const rnd = mulberry32((seed ^ ORC_STREAM) >>> 0);
  const { int, pick } = draws(rnd);
  const m = { module_id: 4103, summary: "Harborfront Half Marathon & 10K 2025", module_city: "San José",
    module_state: "CA", start_date: "2025-10-12" };
  const total = 10000;
  const build = () => Array.from({ length: total }, (_, i) => {
    let fname = pick(ORC_GIVEN);
    let lname = pick(ORC_FAMILY);
    const r = rnd();
    if (r < 0.06) fname = pick(ORC_GIVEN_INTL);
    else if (r < 0.1) lname = pick(ORC_FAMILY_INTL);
    if (i === 4) fname = "𝒜manda"; // astral (U+1D49C)
    if (i === 8) lname = "Lee 🏊";
    return { module_id: i % 10 === 9 ? String(m.module_id) : m.module_id, summary: m.summary, module_city: m.module_city,
      module_state: m.module_state, start_date: m.start_date, trackno: `T${m.module_id}-${pad(i + 1, 5)}`,
      trxdate: `2025-${pad(int(1, 9))}-${pad(int(1, 28))} ${pad(int(0, 23))}:${pad(int(0, 59))}:${pad(int(0, 59))}`,
      lname, fname, email: `${ascii(fname)}.${ascii(lname)}.${m.module_id}.${i + 1}@example.com` };
  });
  orc.modules.push(m);
  // Built on first read (the roster route, JSON.stringify of the fixtures), then a plain value.
  const define = (value) => Object.defineProperty(orc.attendees, m.module_id, { value, writable: true, enumerable: true, configurable: true });
  Object.defineProperty(orc.attendees, m.module_id, {
    enumerable: true,
    configurable: true,
    get() {
      const value = build();
      define(value);
      return value;
    },
    set: define,
  });
  orc.largeModule = { moduleId: m.module_id, attendees: total, stringModuleIdEvery: 10, astralIndex: 4, emojiIndex: 8 };
}

/** The default fixture set (what a simulator started without `seed` uses). */
export const fixtures = createFixtures();
export default fixtures;
