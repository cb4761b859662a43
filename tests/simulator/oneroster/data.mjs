// Read-only indexes over fixtures.oneroster, built once per fixture set (shared by every
// simulator in the process): records per collection, relations for the nested endpoints, the
// 1.1 and 1.2 views of each record with their JSON cached, and sorted orders cached.

import { BoundedMap } from "../util.mjs";
import { RosterError } from "./errors.mjs";
import { valueOf } from "./query.mjs";

/** collection → [singular wrapper, plural wrapper] (OneRoster 1.1 JSON binding). */
export const WRAPPERS = {
  orgs: ["org", "orgs"],
  schools: ["org", "orgs"],
  academicSessions: ["academicSession", "academicSessions"],
  terms: ["academicSession", "academicSessions"],
  gradingPeriods: ["academicSession", "academicSessions"],
  courses: ["course", "courses"],
  classes: ["class", "classes"],
  users: ["user", "users"],
  students: ["user", "users"],
  teachers: ["user", "users"],
  enrollments: ["enrollment", "enrollments"],
  demographics: ["demographics", "demographics"],
};
export const COLLECTIONS = Object.keys(WRAPPERS);
export const VERSIONS = ["v1p1", "v1p2"];

/** OneRoster 1.2 additions to a 1.1 record: users get `roles` (right after `role`, kept). */
function toV12(plural, rec) {
  if (plural !== "users") return rec;
  const out = {};
  for (const [k, v] of Object.entries(rec)) {
    out[k] = v;
    if (k === "role") out.roles = rec.orgs.map((org, i) => ({ roleType: i === 0 ? "primary" : "secondary", role: rec.role, org }));
  }
  return out;
}

const shared = new WeakMap(); // fixtures.oneroster → data

export function rosterData(fx) {
  let d = shared.get(fx);
  if (!d) shared.set(fx, (d = build(fx)));
  return d;
}

function build(fx) {
  /** A served record: the fixture record, its two views and their JSON (made on first use). */
  const rows = (plural, records) => records.map((rec, n) => {
    const v12 = toV12(plural, rec);
    return { id: rec.sourcedId, n, rec, view: { v1p1: rec, v1p2: v12 }, json: { v1p1: null, v1p2: null } };
  });
  const base = {
    orgs: rows("orgs", fx.orgs),
    academicSessions: rows("academicSessions", fx.academicSessions),
    courses: rows("courses", fx.courses),
    classes: rows("classes", fx.classes),
    users: rows("users", fx.users),
    enrollments: rows("enrollments", fx.enrollments),
    demographics: rows("demographics", fx.demographics),
  };
  const lists = {
    ...base,
    schools: base.orgs.filter((r) => r.rec.type === "school"),
    terms: base.academicSessions.filter((r) => r.rec.type === "term"),
    gradingPeriods: base.academicSessions.filter((r) => r.rec.type === "gradingPeriod"),
    students: base.users.filter((r) => r.rec.role === "student"),
    teachers: base.users.filter((r) => r.rec.role === "teacher"),
  };
  const byId = Object.fromEntries(Object.entries(lists).map(([k, list]) => [k, new Map(list.map((r) => [r.id, r]))]));

  // Every field any record of the collection has, per version (vendor fields included).
  const known = {};
  for (const v of VERSIONS) {
    known[v] = {};
    for (const [plural, list] of Object.entries(base)) {
      const set = new Set();
      for (const r of list) for (const k of Object.keys(r.view[v])) set.add(k);
      known[v][plural] = set;
    }
  }

  // Relations for the nested endpoints (arrays of rows, in fixture order).
  const group = () => new Map();
  const push = (m, k, row) => {
    let a = m.get(k);
    if (!a) m.set(k, (a = []));
    if (a[a.length - 1] !== row) a.push(row);
  };
  const rel = {
    schoolClasses: group(), schoolEnrollments: group(), schoolStudents: group(), schoolTeachers: group(), schoolCourses: group(),
    classEnrollments: group(), classStudents: group(), classTeachers: group(),
    termClasses: group(), courseClasses: group(), userClasses: group(), sessionChildren: group(),
  };
  for (const c of base.classes) {
    push(rel.schoolClasses, c.rec.school.sourcedId, c);
    push(rel.courseClasses, c.rec.course.sourcedId, c);
    for (const t of c.rec.terms) push(rel.termClasses, t.sourcedId, c);
  }
  for (const c of base.courses) push(rel.schoolCourses, c.rec.org.sourcedId, c);
  for (const u of base.users) {
    for (const o of u.rec.orgs) push(u.rec.role === "teacher" ? rel.schoolTeachers : rel.schoolStudents, o.sourcedId, u);
  }
  for (const s of base.academicSessions) if (s.rec.parent) push(rel.sessionChildren, s.rec.parent.sourcedId, s);
  const userRows = byId.users;
  const classRows = byId.classes;
  for (const e of base.enrollments) {
    const cid = e.rec.class.sourcedId;
    push(rel.schoolEnrollments, e.rec.school.sourcedId, e);
    push(rel.classEnrollments, cid, e);
    const u = userRows.get(e.rec.user.sourcedId);
    const c = classRows.get(cid);
    if (u && c) {
      push(e.rec.role === "teacher" ? rel.classTeachers : rel.classStudents, cid, u);
      push(rel.userClasses, u.id, c);
    }
  }
  // Lists reached through enrollments: each record once, in its collection's fixture order
  // (every nested list keeps the order of the collection it returns).
  for (const m of [rel.classStudents, rel.classTeachers, rel.userClasses]) for (const [k, a] of m) m.set(k, [...new Set(a)].sort((x, y) => x.n - y.n));
  const of = (m, k) => m.get(k) || [];

  /** Nested endpoints: parent collection → child → [child collection, rows(parentRow)]. */
  const NESTED = {
    schools: {
      classes: ["classes", (p) => of(rel.schoolClasses, p.id)],
      enrollments: ["enrollments", (p) => of(rel.schoolEnrollments, p.id)],
      students: ["students", (p) => of(rel.schoolStudents, p.id)],
      teachers: ["teachers", (p) => of(rel.schoolTeachers, p.id)],
      courses: ["courses", (p) => of(rel.schoolCourses, p.id)],
      terms: ["terms", () => lists.terms], // one district calendar: every school has every term
    },
    classes: {
      students: ["students", (p) => of(rel.classStudents, p.id)],
      teachers: ["teachers", (p) => of(rel.classTeachers, p.id)],
      enrollments: ["enrollments", (p) => of(rel.classEnrollments, p.id)],
    },
    terms: {
      classes: ["classes", (p) => of(rel.termClasses, p.id)],
      gradingPeriods: ["gradingPeriods", (p) => of(rel.sessionChildren, p.id).filter((s) => s.rec.type === "gradingPeriod")],
    },
    courses: { classes: ["classes", (p) => of(rel.courseClasses, p.id)] },
    users: { classes: ["classes", (p) => of(rel.userClasses, p.id)] },
    students: { classes: ["classes", (p) => of(rel.userClasses, p.id)] },
    teachers: { classes: ["classes", (p) => of(rel.userClasses, p.id)] },
  };
  const CLASS_IN_SCHOOL = new Set(["students", "teachers", "enrollments"]);

  /**
   * Resolves the path after the version prefix (already split, each segment percent-decoded)
   * in two steps so authorization can look at the target collection before anything is looked
   * up: `plan(segments)` → {kind: "one"|"list", collection, endpoint, lookup()} or null (no such endpoint);
   * `lookup()` → {kind: "one", row} | {kind: "list", rows, scope} or throws 404 unknownobject.
   */
  function plan(seg) {
    const need = (coll, id) => {
      const row = byId[coll].get(id);
      if (!row) throw new RosterError(404, "unknownobject", `no ${WRAPPERS[coll][0]} with sourcedId ${id} in ${coll}`);
      return row;
    };
    const [a, id, b, cid, c] = seg;
    const own = (o, k) => Object.hasOwn(o, k); // path segments are untrusted: no "__proto__", "constructor"
    if (seg.length === 1 && own(WRAPPERS, a)) {
      return { kind: "list", collection: a, endpoint: a, lookup: () => ({ kind: "list", rows: lists[a], scope: a }) };
    }
    if (seg.length === 2 && own(WRAPPERS, a)) {
      return { kind: "one", collection: a, endpoint: `${a}/{id}`, lookup: () => ({ kind: "one", row: need(a, id) }) };
    }
    if (seg.length === 3 && own(NESTED, a) && own(NESTED[a], b)) {
      const [child, rowsOf] = NESTED[a][b];
      return { kind: "list", collection: child, endpoint: `${a}/{id}/${b}`, lookup: () => ({ kind: "list", rows: rowsOf(need(a, id)), scope: `${a}/${id}/${b}` }) };
    }
    if (seg.length === 5 && a === "schools" && b === "classes" && CLASS_IN_SCHOOL.has(c)) {
      const [child, rowsOf] = NESTED.classes[c];
      return {
        kind: "list",
        collection: child,
        endpoint: `schools/{id}/classes/{id}/${c}`,
        lookup: () => {
          need("schools", id);
          const cls = need("classes", cid);
          if (cls.rec.school.sourcedId !== id) throw new RosterError(404, "unknownobject", `class ${cid} is not a class of school ${id}`);
          return { kind: "list", rows: rowsOf(cls), scope: `classes/${cid}/${c}` };
        },
      };
    }
    return null;
  }

  const sorted = new BoundedMap(256);
  /** Rows of `scope` sorted by `field` (binary UTF-16 order of valueOf, stable), cached. */
  function sortRows(version, scope, rows, { field, desc }) {
    const key = `${version}|${scope}|${field}|${desc ? "desc" : "asc"}`;
    let out = sorted.get(key);
    if (!out) {
      const keyed = rows.map((r, i) => [valueOf(r.view[version], field), i, r]);
      keyed.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0) * (desc ? -1 : 1) || x[1] - y[1]);
      out = keyed.map((k) => k[2]);
      sorted.set(key, out);
    }
    return out;
  }

  /** The record's JSON in `version`, computed once. */
  const json = (row, version) => (row.json[version] ??= JSON.stringify(row.view[version]));

  return { lists, byId, known, plan, sortRows, json };
}
