// OneRoster fixture additions: grows the roster to 20 schools, 10,000 users, 2,000 classes,
// ~32,000 enrollments, academic sessions, courses and demographics, and adds the OneRoster 1.2
// OAuth 2 clients. Everything here comes from its OWN mulberry32 streams (derived from the
// fixture seed), and the records fixtures.mjs already drew stay first and unchanged.
//
// The bulk data is generated LAZILY, on the first read of any of BULK_KEYS (~0.2 s, ~80 MB),
// so processes that never touch OneRoster do not pay for it; JSON.stringify (GET
// /__sim/fixtures) leaves out JSON_OMIT (~30 MB) and keeps counts and ids.

import { draws, mulberry32 } from "../util.mjs";

/** XOR-ed into the fixture seed: the bulk data's stream and the (eager) credentials' stream. */
const STREAM = 0x0e1a0002;
const CREDENTIALS_STREAM = 0x0e1a0012;

/** Lazily generated keys of fixtures.oneroster. */
export const BULK_KEYS = ["orgs", "users", "classes", "enrollments", "academicSessions", "courses", "demographics", "counts", "ids"];
/** Keys left out of fixtures.oneroster's JSON (~30 MB): the API serves them. */
export const JSON_OMIT = new Set(["users", "classes", "enrollments", "demographics"]);

const SCOPE = "https://purl.imsglobal.org/spec/or/v1p2/scope/";
/** OneRoster 1.2 Rostering scopes (IMS OR 1.2 §4.2 / Security Framework). */
export const SCOPES = {
  core: `${SCOPE}roster-core.readonly`,
  roster: `${SCOPE}roster.readonly`,
  demographics: `${SCOPE}roster-demographics.readonly`,
};

export const PATHS = {
  v1p1: "/oneroster/ims/oneroster/v1p1",
  v1p2: "/oneroster/ims/oneroster/rostering/v1p2",
  token: "/oneroster/oauth/token",
  classlink: "/classlink-proxy/{appId}/ims/oneroster/v1p1",
};

const HEXCH = Buffer.from("0123456789abcdef", "latin1");

export const PAGING = { defaultLimit: 100, maxLimit: 500 };

// Mostly ASCII name banks; the *_INTL banks (accents, CJK, Hangul) give ~10 % non-ASCII names.
const GIVEN = ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
  "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen", "Daniel",
  "Nancy", "Matthew", "Lisa", "Anthony", "Betty", "Mark", "Sandra", "Steven", "Ashley", "Andrew", "Emily", "Joshua",
  "Michelle", "Kevin", "Amanda", "Brian", "Melissa", "Ryan", "Olivia", "Ethan", "Ava", "Noah", "Mia", "Liam",
  "Sophia", "Mason", "Isabella", "Lucas", "Harper", "Mary Ann", "Jo-Ellen"];
const FAMILY = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
  "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson",
  "Walker", "Young", "Allen", "King", "Wright", "Scott", "Hill", "Green", "Adams", "Baker", "Nelson", "Carter",
  "Mitchell", "Roberts", "Turner", "Phillips", "Campbell", "Parker", "Evans", "O'Connor", "Van Buren", "St. John",
  "Collins", "Stewart", "Morris", "Murphy", "Cook", "Rogers", "Morgan", "Cooper", "Peterson"];
const GIVEN_INTL = ["José", "Zoë", "Chloé", "Björn", "Siobhán", "Łukasz", "Søren", "François", "Amélie", "Jürgen",
  "Nguyễn Văn", "李娜", "美咲", "Ólafur", "Renée", "Đorđe", "Ana María", "Tomás", "Żaneta", "Çağrı", "민준"];
const FAMILY_INTL = ["García", "Müller", "Núñez", "Østergaard", "Wiśniewski", "Çelik", "Dvořák", "Ångström",
  "Lefèvre", "王", "佐藤", "김", "O'Brien-Núñez", "de la Peña", "Ružička"];

const NEW_SCHOOLS = ["Washington Elementary", "Jefferson Middle School", "Roosevelt High School", "Kennedy Academy",
  "St. Mary's School", "Escuela Benito Juárez", "Maple Grove Elementary", "Riverside STEM Magnet",
  "Hillcrest Middle School", "Lakeview High School", "Oak Park K-8", "Cedar Ridge Elementary", "Northside Prep",
  "Ærø International School", "Pine Valley Academy", "Southgate Junior High"];
const SUBJECTS = [["Mathematics", "MTH"], ["English Language Arts", "ELA"], ["Science", "SCI"], ["Social Studies", "SOC"],
  ["Music", "MUS"], ["Français", "FRA"], ["Physical Education", "PE"], ["Art", "ART"], ["Computer Science", "CS"],
  ["Español", "SPA"]];

/**
 * A class title holding every character a filter value may carry: spaces, " AND " (must not
 * split the predicate), `(` `)` `=` `*` `!`, two apostrophes (doubled `''` inside a filter
 * value), non-ASCII and an astral character.
 */
export const TRICKY_CLASS_TITLE = "Science AND Society (Honors) = A*B! O'Neil's café 𝒜+";

/**
 * Extends `oneroster` (the object fixtures.mjs built: consumerKey…, orgs, users, classes,
 * enrollments) in place: HMAC-SHA1, paths, paging and the OAuth 2 clients now; orgs, users,
 * classes, enrollments (grown) and academicSessions, courses, demographics, counts, ids on first
 * read. A `toJSON` (not enumerable) leaves JSON_OMIT out of the JSON.
 */
export function createOneRosterAdditions(seed, { oneroster, ascii, pad, lastModified }) {
  const crnd = mulberry32((seed ^ CREDENTIALS_STREAM) >>> 0);
  const chex = (n) => {
    let s = "";
    for (let i = 0; i < n; i++) s += "0123456789abcdef"[Math.floor(crnd() * 16)];
    return s;
  };
  // The HMAC-SHA256 default stays; HMAC-SHA1 is accepted too (many OneRoster 1.1 servers).
  oneroster.signatureMethods.push("HMAC-SHA1");
  oneroster.paths = PATHS;
  oneroster.paging = PAGING;
  oneroster.oauth2 = {
    tokenPath: PATHS.token,
    accessTokenTtl: 3600,
    scopes: SCOPES,
    // client_secret_basic only; id and secret form-urlencoded inside the base64 (RFC 6749
    // §2.3.1). The secrets hold '+', '/', '=' so raw and form-encoded Basic differ.
    clients: {
      full: { clientId: `or12-${chex(16)}`, clientSecret: `or+S3cr/t=${chex(20)}`, scopes: [SCOPES.core, SCOPES.roster, SCOPES.demographics] },
      core: { clientId: `or12-core-${chex(12)}`, clientSecret: `c0re+/=${chex(20)}`, scopes: [SCOPES.core] },
    },
  };

  const base = { orgs: oneroster.orgs, users: oneroster.users, classes: oneroster.classes, enrollments: oneroster.enrollments };
  let generated = null;
  const define = (k, value) => Object.defineProperty(oneroster, k, { value, writable: true, enumerable: true, configurable: true });
  const materialize = () => {
    if (generated) return;
    generated = generate(seed, base, { ascii, pad, lastModified });
    for (const k of BULK_KEYS) define(k, generated[k]);
  };
  for (const k of BULK_KEYS) {
    Object.defineProperty(oneroster, k, {
      enumerable: true,
      configurable: true,
      get() {
        materialize();
        return oneroster[k];
      },
      set(v) {
        materialize();
        define(k, v);
      },
    });
  }
  Object.defineProperty(oneroster, "toJSON", {
    enumerable: false,
    value() {
      const out = {};
      for (const k of Object.keys(this)) if (!JSON_OMIT.has(k)) out[k] = this[k];
      return out;
    },
  });
}

/** The bulk data; `base` holds the arrays fixtures.mjs drew, which are extended in place. */
function generate(seed, base, { ascii, pad, lastModified }) {
  const oneroster = { ...base };
  const rnd = mulberry32((seed ^ STREAM) >>> 0);
  const { int, pick, hex } = draws(rnd);
  // ~50,000 UUIDs: written as ASCII into one buffer (one string per id, 4 draws per id) — a draw
  // and a string per hex digit made generation GC-bound.
  const uuidBuf = Buffer.alloc(36);
  const writeHex = (x, at, digits) => {
    for (let d = digits - 1; d >= 0; d--, x = Math.floor(x / 16)) uuidBuf[at + d] = HEXCH[x % 16];
  };
  const uuid = () => {
    writeHex(Math.floor(rnd() * 4294967296), 0, 8);
    const b = Math.floor(rnd() * 4294967296);
    writeHex(b >>> 16, 9, 4);
    writeHex(b & 0xfff, 15, 3);
    const c = Math.floor(rnd() * 4294967296);
    uuidBuf[19] = HEXCH[8 + (c >>> 30)];
    writeHex((c >>> 18) & 0xfff, 20, 3);
    writeHex(c & 0xffff, 24, 4);
    writeHex(Math.floor(rnd() * 4294967296), 28, 8);
    return uuidBuf.latin1Slice(0, 36);
  };
  uuidBuf.write("00000000-0000-4000-8000-000000000000", "latin1");
  const ref = (type, sourcedId, base) => ({ href: `${base}/${sourcedId}`, sourcedId, type });
  // One reference object per user/class, shared by its enrollments (serializes identically).
  const refs = new Map();
  const refOf = (rec, type, base) => {
    let r = refs.get(rec);
    if (!r) refs.set(rec, (r = ref(type, rec.sourcedId, base)));
    return r;
  };
  // dateLastModified values come from a pool of 2,048 instants in 2024-2025 (shared strings).
  const stamps = Array.from({ length: 2048 }, () => `${pick(["2024", "2025"])}-${pad(int(1, 12))}-${pad(int(1, 28))}T${pad(int(0, 23))}:${pad(int(0, 59))}:${pad(int(0, 59))}.${pad(int(0, 999), 3)}Z`);
  const modified = () => stamps[Math.floor(rnd() * stamps.length)];
  const slugs = new Map();
  const slug = (name) => {
    let v = slugs.get(name);
    if (v === undefined) slugs.set(name, (v = ascii(name)));
    return v;
  };
  const GRADES = Array.from({ length: 12 }, (_, i) => pad(i + 1));
  const bool = (p) => (rnd() < p ? "true" : "false");

  const [district, ...oldSchools] = oneroster.orgs;
  const oldUsers = [...oneroster.users];
  const oldClasses = [...oneroster.classes];

  // ---- Orgs: 16 more schools (20 in all), children of the one district ---------------------
  const newSchools = NEW_SCHOOLS.map((name, i) => {
    const s = { sourcedId: uuid(), status: "active", dateLastModified: modified(), name, type: "school",
      identifier: `SUSD-S${oldSchools.length + i + 1}`, parent: ref("org", district.sourcedId, "orgs"), children: [] };
    if (i % 4 === 1) s.metadata = { "classlink.foo": `school-${i}`, "classlink.nces": { id: `06${hex(10)}`, verified: true } };
    return s;
  });
  oneroster.orgs.push(...newSchools);
  district.children.push(...newSchools.map((s) => ref("org", s.sourcedId, "orgs")));
  const schools = [...oldSchools, ...newSchools];

  // ---- Academic sessions: one school year, two terms, four grading periods -----------------
  const session = (sourcedId, title, type, startDate, endDate, parent) => ({ sourcedId, status: "active",
    dateLastModified: lastModified, title, type, startDate, endDate,
    parent: parent ? ref("academicSession", parent, "academicSessions") : null, children: [], schoolYear: "2026" });
  const year = session("year-2025-2026", "2025–2026 School Year", "schoolYear", "2025-08-25", "2026-06-12", null);
  const fall = session("term-2025-fall", "Fall 2025", "term", "2025-08-25", "2026-01-16", year.sourcedId);
  const spring = session("term-2026-spring", "Spring 2026", "term", "2026-01-20", "2026-06-12", year.sourcedId);
  const periods = [
    session("gp-2025-q1", "Quarter 1", "gradingPeriod", "2025-08-25", "2025-10-31", fall.sourcedId),
    session("gp-2025-q2", "Quarter 2", "gradingPeriod", "2025-11-03", "2026-01-16", fall.sourcedId),
    session("gp-2026-q3", "Quarter 3", "gradingPeriod", "2026-01-20", "2026-03-27", spring.sourcedId),
    session("gp-2026-q4", "Quarter 4", "gradingPeriod", "2026-03-30", "2026-06-12", spring.sourcedId),
  ];
  year.children = [fall, spring].map((t) => ref("academicSession", t.sourcedId, "academicSessions"));
  fall.children = periods.slice(0, 2).map((g) => ref("academicSession", g.sourcedId, "academicSessions"));
  spring.children = periods.slice(2).map((g) => ref("academicSession", g.sourcedId, "academicSessions"));
  spring.metadata = { "classlink.foo": "spring", "vendor.calendarId": 2 };
  const academicSessions = [year, fall, spring, ...periods];
  const yearRef = ref("academicSession", year.sourcedId, "academicSessions");
  const termRef = (t) => ref("academicSession", t.sourcedId, "academicSessions");

  // ---- Courses: the 20 the original classes already point at, then 10 per school ----------
  const courses = oldClasses.map((c, i) => ({ sourcedId: c.course.sourcedId, status: "active", dateLastModified: lastModified,
    title: c.subjects[0], schoolYear: yearRef, courseCode: `${c.classCode.split("-")[0]}-C${i + 1}`, grades: [...c.grades],
    subjects: [...c.subjects], org: c.school, subjectCodes: [] }));
  const coursesBySchool = schools.map((school, si) => SUBJECTS.map(([subject, code], k) => {
    const grade = pad(int(1, 12));
    const course = { sourcedId: uuid(), status: "active", dateLastModified: modified(), title: `${subject} ${grade}`,
      schoolYear: yearRef, courseCode: `${code}-${grade}-S${si + 1}`, grades: [grade], subjects: [subject],
      org: ref("org", school.sourcedId, "orgs"), subjectCodes: [] };
    if (k === 3 && si % 3 === 0) course.x_extra = { catalogPage: int(1, 300) };
    courses.push(course);
    return course;
  }));

  // ---- Users: 9,200 students and 550 teachers more (10,000 in all) -------------------------
  const addUser = (i, role, school) => {
    let givenName = pick(GIVEN);
    let familyName = pick(FAMILY);
    const r = rnd();
    if (r < 0.07) givenName = pick(GIVEN_INTL);
    else if (r < 0.1) familyName = pick(FAMILY_INTL);
    const u = { sourcedId: uuid(), status: "active", dateLastModified: modified(),
      username: `${slug(givenName)}.${slug(familyName)}${i}`, userIds: [{ type: "LDAP", identifier: `u${1000 + i}` }],
      enabledUser: "true", givenName, familyName, middleName: rnd() < 0.2 ? pick(GIVEN) : "", role, identifier: String(1000 + i),
      email: `${slug(givenName)}.${slug(familyName)}${i}@springfield.example.edu`, sms: "",
      phone: rnd() < 0.1 ? `+1 555 01${pad(int(0, 99))}` : "", agents: [], orgs: [refOf(school, "org", "orgs")],
      grades: role === "teacher" ? [] : [GRADES[int(0, 11)]] };
    if (i % 10 === 3) u.metadata = { "classlink.foo": `foo-${i}`, "classlink.sis": { id: `SIS${i}`, source: "PowerSchool" } };
    if (i % 25 === 7) u.x_extra = { legacyId: `L-${i}`, flags: ["imported", i % 2 ? "odd" : "even"] };
    if (i % 997 === 5) {
      u.status = "tobedeleted";
      u.enabledUser = "false";
    }
    oneroster.users.push(u);
    return u;
  };
  let n = oldUsers.length;
  const studentsBySchool = schools.map(() => []);
  const teachersBySchool = schools.map(() => []);
  for (let k = 0; k < 9200; k++, n++) studentsBySchool[k % schools.length].push(addUser(n, "student", schools[k % schools.length]));
  for (let k = 0; k < 550; k++, n++) teachersBySchool[k % schools.length].push(addUser(n, "teacher", schools[k % schools.length]));
  // Astral characters in names (a JS string's length differs from its code points here).
  const rename = (i, names) => {
    const u = Object.assign(oneroster.users[i], names);
    u.username = `${slug(u.givenName)}.${slug(u.familyName)}${i}`;
    u.email = `${u.username}@springfield.example.edu`;
    return u;
  };
  const astral = rename(oldUsers.length + 7, { givenName: "𝒜lex" });
  const emoji = rename(oldUsers.length + 9200 + 3, { familyName: "Kim 🍎" }); // a teacher

  // ---- Classes: 1,980 more (2,000 in all), 1 teacher + 12-18 students each ------------------
  const enrollments = oneroster.enrollments;
  const termsFor = [[fall], [spring], [fall, spring]];
  const spans = { "term-2025-fall": ["2025-08-25", "2026-01-16"], "term-2026-spring": ["2026-01-20", "2026-06-12"] };
  let trickyClass = null;
  let sampleClass = null;
  for (let j = 0; j < 1980; j++) {
    const si = j % schools.length;
    const local = Math.floor(j / schools.length);
    const school = schools[si];
    const course = coursesBySchool[si][local % SUBJECTS.length];
    const terms = termsFor[j % 3];
    const section = Math.floor(local / SUBJECTS.length) + 1;
    const cls = { sourcedId: uuid(), status: "active", dateLastModified: modified(), title: `${course.title} – Section ${section}`,
      classCode: `${course.courseCode}-${pad(section)}`, classType: j % 50 === 0 ? "homeroom" : "scheduled",
      location: `Room ${int(100, 399)}`, grades: [...course.grades], subjects: [...course.subjects],
      course: refOf(course, "course", "courses"), school: refOf(school, "org", "orgs"),
      terms: terms.map(termRef), periods: [String(int(1, 8))] };
    if (j % 10 === 4) cls.metadata = { "classlink.foo": `class-${j}`, "classlink.sectionId": `SEC-${j}` };
    if (j % 37 === 11) cls.x_extra = { legacySectionId: j, flags: ["imported"] };
    if (j === 5) {
      cls.title = TRICKY_CLASS_TITLE;
      trickyClass = cls;
    }
    oneroster.classes.push(cls);
    const [beginDate, endDate] = terms.length === 2 ? [year.startDate, year.endDate] : spans[terms[0].sourcedId];
    const enroll = (u, role) => {
      const e = { sourcedId: uuid(), status: "active", dateLastModified: modified(), user: refOf(u, "user", "users"),
        class: refOf(cls, "class", "classes"), school: cls.school, role, primary: role === "teacher" ? "true" : "false",
        beginDate, endDate };
      if (enrollments.length % 50 === 17) e.metadata = { "classlink.foo": `enr-${enrollments.length}` };
      enrollments.push(e);
    };
    const teachers = teachersBySchool[si];
    const teacher = teachers[local % teachers.length];
    enroll(teacher, "teacher");
    const pool = studentsBySchool[si];
    const size = int(12, 18);
    for (let m = 0; m < size; m++) enroll(pool[(local * 15 + m) % pool.length], "student");
    if (j === 20) sampleClass = { sourcedId: cls.sourcedId, school: school.sourcedId, teacher: teacher.sourcedId, students: size, term: terms[0].sourcedId };
  }

  // ---- Demographics for every student (sourcedId = the user's, as OneRoster 1.1 §4.5) ------
  const demographics = oneroster.users.filter((u) => u.role === "student").map((u) => {
    const grade = Number(u.grades[0] || "6");
    const races = { americanIndianOrAlaskaNative: bool(0.02), asian: bool(0.12), blackOrAfricanAmerican: bool(0.14),
      nativeHawaiianOrOtherPacificIslander: bool(0.01), white: bool(0.55) };
    const raceCount = Object.values(races).filter((v) => v === "true").length;
    return { sourcedId: u.sourcedId, status: u.status, dateLastModified: u.dateLastModified,
      birthDate: `${2025 - 6 - grade}-${pad(int(1, 12))}-${pad(int(1, 28))}`, sex: pick(["male", "female"]), ...races,
      demographicRaceTwoOrMoreRaces: raceCount > 1 ? "true" : "false", hispanicOrLatinoEthnicity: bool(0.25),
      countryOfBirthCode: pick(["US", "US", "US", "US", "MX", "CA", "VN", "KR"]), stateOfBirthAbbreviation: pick(["CA", "IL", "NY", "TX", ""]),
      cityOfBirth: pick(["Springfield", "Los Ángeles", "Chicago", "San José", "Houston", ""]), publicSchoolResidenceStatus: pick(["01652", "01653", ""]) };
  });

  const count = (list, f) => list.filter(f).length;
  const users = oneroster.users;
  const findUser = (f) => users.find(f).sourcedId;
  const isAscii = (s) => /^[\x20-\x7e]*$/.test(s);
  return {
    orgs: oneroster.orgs,
    users,
    classes: oneroster.classes,
    enrollments,
    academicSessions,
    courses,
    demographics,
    counts: {
      orgs: oneroster.orgs.length,
      schools: schools.length,
      academicSessions: academicSessions.length,
      terms: 2,
      gradingPeriods: periods.length,
      courses: courses.length,
      classes: oneroster.classes.length,
      users: users.length,
      students: count(users, (u) => u.role === "student"),
      teachers: count(users, (u) => u.role === "teacher"),
      enrollments: enrollments.length,
      demographics: demographics.length,
      nonAsciiUsers: count(users, (u) => !isAscii(u.givenName + u.familyName)),
    },
    ids: {
      district: district.sourcedId,
      school: newSchools[0].sourcedId,
      schoolYear: year.sourcedId,
      term: fall.sourcedId,
      gradingPeriod: periods[0].sourcedId,
      course: coursesBySchool[0][0].sourcedId,
      class: sampleClass, // {sourcedId, school, teacher, students: n, term}
      student: findUser((u) => u.role === "student" && !u.metadata && !u.x_extra && u.status === "active"),
      teacher: sampleClass.teacher,
      astralUser: astral.sourcedId, // givenName "𝒜lex"
      emojiUser: emoji.sourcedId, // familyName "Kim 🍎" (a teacher)
      nonAsciiUser: findUser((u) => /[\u4e00-\u9fff]/.test(u.givenName + u.familyName)),
      metadataUser: findUser((u) => u.metadata),
      extraUser: findUser((u) => u.x_extra && !u.metadata),
      toBeDeletedUser: findUser((u) => u.status === "tobedeleted"),
      trickyClass: trickyClass.sourcedId,
      trickyClassTitle: TRICKY_CLASS_TITLE,
    },
  };
}
