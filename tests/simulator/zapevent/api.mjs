// The ZapEvent API methods, shared by both generations: event/get{event,events,categories,
// questions,participants} (OAuth 1) and event/getnew… (OAuth 2). `gen` is "oauth1" | "oauth2";
// the seed's differences: getnewevents defaults activities to F and has no event_status.

import { first } from "../util.mjs";
import {
  CATEGORY_FIELDS, CATEGORY_SORTS, EVENT_FIELDS, EVENT_SORTS, PARTICIPANT_FIELDS, PARTICIPANT_SORTS, QUESTION_FIELDS, sortRows,
} from "./data.mjs";
import {
  boolParam, dateKey, dateParam, eventTypeParam, pageOf, pageParams, sortParam, textParam, todayKey, uintParam,
} from "./params.mjs";
import { sendList, sendOne, ZapError } from "./wire.mjs";

/**
 * `settings()` → {meta: "attributes"|"elements"|"absent", repeat: boolean} (control routes).
 */
export function createApi({ data, auth, clock, settings }) {
  /** An event the caller may read: unknown → 201 (404), another organizer's → 7 (403). */
  function ownEvent(id, userId) {
    const ev = data.event(id);
    if (!ev) throw new ZapError(404, 201);
    if (ev.owner !== userId) throw new ZapError(403, 7);
    return ev;
  }

  function list(res, format, r, rows, shape) {
    const { meta, items } = pageOf(rows, pageParams(r, settings().repeat));
    sendList(res, format, { ...shape, meta, items, mode: settings().meta });
  }

  // ---- event/getevents | event/getnewevents ---------------------------------------------------
  function getEvents(r, res, format, gen) {
    const userId = auth.authenticate(r, gen);
    const withActivities = boolParam(r, "activities", gen === "oauth1"); // seed: T for OAuth 1, F for OAuth 2
    const sort = sortParam(r, Object.keys(EVENT_SORTS), "name ASC");
    const name = textParam(r, "name");
    const eventType = eventTypeParam(r);
    const state = textParam(r, "state");
    const country = textParam(r, "country");
    let status = "all";
    if (gen === "oauth1") {
      // The OAuth 2 method has no event_status (seed): there it is ignored, like any unknown parameter.
      status = (first(r.query, "event_status") || "all").toLowerCase();
      if (!["all", "public", "private"].includes(status)) throw new ZapError(400, 3, { invalid: ["event_status"] });
    }
    const startDate = dateParam(r, "start_date");
    const endDate = dateParam(r, "end_date");
    const createdSince = dateParam(r, "created_since");
    const createdBefore = dateParam(r, "created_on_or_before");
    const rows = data.allEvents().filter((e) => e.owner === userId
      && (!name || e.name.toLowerCase().includes(name.toLowerCase()))
      && (!eventType || e.event_type === eventType)
      && (!state || e.state.toLowerCase() === state.toLowerCase())
      && (!country || e.country.toLowerCase().includes(country.toLowerCase()))
      && (status === "all" || e.event_status === status)
      && (!startDate || dateKey(e.end_date) >= startDate)
      && (!endDate || dateKey(e.start_date) <= endDate)
      && (!createdSince || dateKey(e.created) >= createdSince)
      && (!createdBefore || dateKey(e.created) <= createdBefore));
    const sortedRows = sortRows(rows, EVENT_SORTS[sort.name], sort.desc).map((e) => data.eventRecord(e, { activities: withActivities }));
    list(res, format, r, sortedRows, { root: "events", item: "event", columns: EVENT_FIELDS });
  }

  // ---- event/getevent | event/getnewevent -----------------------------------------------------
  function getEvent(r, res, format, gen) {
    const userId = auth.authenticate(r, gen);
    const ev = ownEvent(uintParam(r, "event_id", { required: true }), userId);
    const futureOnly = boolParam(r, "future_activities_only", false);
    const today = todayKey(clock);
    const record = data.eventRecord(ev, { activities: true, questions: true, activityFilter: (a) => !futureOnly || dateKey(a.start_date) >= today });
    sendOne(res, format, { root: "event", columns: EVENT_FIELDS, record });
  }

  // ---- event/getcategories | event/getnewcategories -------------------------------------------
  function getCategories(r, res, format, gen) {
    auth.authenticate(r, gen);
    const sort = sortParam(r, Object.keys(CATEGORY_SORTS), "category ASC");
    boolParam(r, "future_event_categories", false); // validated; not applied (see README)
    list(res, format, r, sortRows(data.categories(), CATEGORY_SORTS[sort.name], sort.desc), { root: "categories", item: "category", columns: CATEGORY_FIELDS });
  }

  // ---- event/getquestions | event/getnewquestions (and the seed's getnewquestion) -------------
  function getQuestions(r, res, format, gen) {
    const userId = auth.authenticate(r, gen);
    const eventId = uintParam(r, "event_id", {});
    const activityId = uintParam(r, "activity_id", {});
    const questionId = uintParam(r, "question_id", {});
    if (eventId === undefined && activityId === undefined && questionId === undefined) {
      throw new ZapError(400, 3, { missing: ["event_id"] }); // "based on event_id or activity_id or question_id"
    }
    if (eventId !== undefined) ownEvent(eventId, userId);
    if (activityId !== undefined) {
      const hit = data.activity(activityId);
      if (!hit || (eventId !== undefined && hit.event.event_id !== eventId)) throw new ZapError(404, 301);
      if (hit.event.owner !== userId) throw new ZapError(403, 7);
    }
    const rows = data.questions().filter((q) => (eventId === undefined || q.event_id === eventId)
      && (activityId === undefined || q.activity_id === activityId)
      && (questionId === undefined || q.question_id === questionId));
    // question_id alone: another organizer's question is not readable either.
    if (rows.some((q) => data.event(q.event_id).owner !== userId)) throw new ZapError(403, 7);
    list(res, format, r, rows, { root: "questions", item: "question", columns: QUESTION_FIELDS });
  }

  // ---- event/getparticipants | event/getnewparticipants ---------------------------------------
  function getParticipants(r, res, format, gen) {
    const userId = auth.authenticate(r, gen);
    const ev = ownEvent(uintParam(r, "event_id", { required: true }), userId);
    const activityId = uintParam(r, "activity_id", {});
    if (activityId !== undefined && !ev.activities.some((a) => a.activity_id === activityId)) throw new ZapError(404, 301);
    const sort = sortParam(r, Object.keys(PARTICIPANT_SORTS), "registration_id ASC");
    const afterReg = uintParam(r, "after_registration_id", {});
    const afterPart = uintParam(r, "after_participant_id", {});
    const fn = textParam(r, "search_first_name")?.toLowerCase();
    const ln = textParam(r, "search_last_name")?.toLowerCase();
    const email = textParam(r, "search_email")?.toLowerCase();
    const has = (v, q) => !q || v.toLowerCase().includes(q);
    let rows = data.participantsSorted(ev.event_id, sort.name, sort.desc);
    if (activityId !== undefined || afterReg !== undefined || afterPart !== undefined || fn || ln || email) {
      rows = rows.filter((p) => (activityId === undefined || p.activity_id === activityId)
        && (afterReg === undefined || p.registration_id > afterReg)
        && (afterPart === undefined || p.participant_id > afterPart)
        && has(p.first_name, fn) && has(p.last_name, ln) && has(p.email, email));
    }
    list(res, format, r, rows, { root: "participants", item: "participant", columns: PARTICIPANT_FIELDS });
  }

  return { getEvents, getEvent, getCategories, getQuestions, getParticipants };
}
