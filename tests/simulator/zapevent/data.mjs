// Read-only indexes over the ZapEvent fixtures, built once per simulator: events, activities,
// questions, participants per event, and the participants sorted once per (event, sort key,
// direction) so a 250-record page of the 10,000-participant activity is a filter and a slice.

import { dateKey } from "./params.mjs";

export const EVENT_FIELDS = ["event_id", "name", "event_type", "event_status", "start_date", "end_date", "created", "city", "state", "country", "url"];
export const ACTIVITY_FIELDS = ["activity_id", "name", "start_date", "price"];
export const CATEGORY_FIELDS = ["category_id", "category", "event_count"];
export const QUESTION_FIELDS = ["question_id", "event_id", "activity_id", "question", "question_type", "required", "options"];
export const PARTICIPANT_FIELDS = ["registration_id", "participant_id", "event_id", "activity_id", "first_name", "last_name", "email",
  "gender", "age", "registration_date", "amount_paid", "payment_status", "city", "notes", "checked_in"];

const pick = (rec, fields) => Object.fromEntries(fields.map((f) => [f, rec[f]]));
const collator = new Intl.Collator("en"); // same order as String#localeCompare(…, "en")

/** Sort keys of getparticipants / getnewparticipants (seed list + participant_id). */
export const PARTICIPANT_SORTS = {
  registration_id: (p) => p.registration_id,
  registration_date: (p) => dateKey(p.registration_date),
  age: (p) => p.age,
  first_name: (p) => p.first_name,
  last_name: (p) => p.last_name,
  gender: (p) => p.gender,
  participant_id: (p) => p.participant_id,
};
export const EVENT_SORTS = { name: (e) => e.name, eventtype: (e) => e.event_type, date: (e) => dateKey(e.start_date) };
export const CATEGORY_SORTS = { category: (c) => c.category };

/** Stable sort by `key`; DESC negates the comparison, so ties keep fixture order either way. */
export function sortRows(rows, key, desc) {
  const keyed = rows.map((row) => [key(row), row]);
  const cmp = ([x], [y]) => (typeof x === "number" && typeof y === "number" ? x - y : collator.compare(String(x), String(y)));
  keyed.sort((a, b) => (desc ? -cmp(a, b) : cmp(a, b)));
  return keyed.map(([, row]) => row);
}

export function createData(fx) {
  const events = new Map(fx.events.map((e) => [e.event_id, e]));
  const activities = new Map(); // activity_id → {activity, event}
  for (const e of fx.events) for (const a of e.activities) activities.set(a.activity_id, { activity: a, event: e });
  const questions = fx.questions.map((q) => pick(q, QUESTION_FIELDS));
  const questionsByActivity = new Map();
  for (const q of questions) {
    if (!questionsByActivity.has(q.activity_id)) questionsByActivity.set(q.activity_id, []);
    questionsByActivity.get(q.activity_id).push(q);
  }
  const participantsByEvent = new Map();
  for (const p of fx.participants) {
    if (!participantsByEvent.has(p.event_id)) participantsByEvent.set(p.event_id, []);
    participantsByEvent.get(p.event_id).push(pick(p, PARTICIPANT_FIELDS));
  }
  const sorted = new Map(); // "eventId|sort|asc|desc" → rows

  /** An event as served: flat fields, optionally its activities (optionally with their questions). */
  function eventRecord(e, { activities: withActivities, questions: withQuestions = false, activityFilter = () => true }) {
    const out = pick(e, EVENT_FIELDS);
    if (withActivities) {
      out.activities = e.activities.filter(activityFilter).map((a) => {
        const rec = pick(a, ACTIVITY_FIELDS);
        if (withQuestions) rec.questions = questionsByActivity.get(a.activity_id) || [];
        return rec;
      });
    }
    return out;
  }

  /** The event's participants sorted by `sortName` (cached; callers must not mutate). */
  function participantsSorted(eventId, sortName, desc) {
    const cacheKey = `${eventId}|${sortName}|${desc ? "desc" : "asc"}`;
    let rows = sorted.get(cacheKey);
    if (!rows) {
      rows = sortRows(participantsByEvent.get(eventId) || [], PARTICIPANT_SORTS[sortName], desc);
      sorted.set(cacheKey, rows);
    }
    return rows;
  }

  return {
    event: (id) => events.get(id) || null,
    activity: (id) => activities.get(id) || null,
    allEvents: () => fx.events,
    categories: () => fx.categories,
    questions: () => questions,
    eventRecord,
    participantsSorted,
  };
}
