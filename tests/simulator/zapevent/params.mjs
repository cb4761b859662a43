// Query-parameter validation for the ZapEvent API methods, as the seed defines the datatypes:
// uint, bool (T/F; true/false accepted too), date "MM-DD-YYYY", sort "field ASC|DESC",
// page >= 1, results_per_page 0-250, event_type from the seed's list.

import { first } from "../util.mjs";
import { ZapError } from "./wire.mjs";

/** The seed's event_type list ("Membership " has a stray space there; matched trimmed). */
export const EVENT_TYPES = ["ATP-CTP", "Baseball/Softball", "Basketball", "Business Development", "Camp", "Canoe/Kayak",
  "Career Development", "Clinic", "Conference", "Cycling/Mountain Biking", "Education Program", "Farm Share / CSA", "Fishing",
  "Fitness/Tai Chi/Yoga", "Football", "Fundraiser/Donation", "Golf", "Inline/Roller Skating", "Lacrosse", "Membership",
  "Multi-Sport", "Obstacle/Mud Run", "Orienteering", "Paddleboard", "Retreat", "Reunion", "Running/Walking", "Sailing",
  "Seminar", "Soccer", "Special Event", "Swimming", "Tennis", "Trade Show", "Volunteer", "Winter Sports/Skiing", "Workshop", "Youth"];

/** "MM-DD-YYYY" → sortable "YYYYMMDD"; null unless it is a real calendar date. */
export function dateKey(s) {
  const m = /^(\d{2})-(\d{2})-(\d{4})$/.exec(s || "");
  if (!m) return null;
  const [mm, dd, yyyy] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(yyyy, mm - 1, dd));
  if (d.getUTCFullYear() !== yyyy || d.getUTCMonth() !== mm - 1 || d.getUTCDate() !== dd) return null;
  return `${m[3]}${m[1]}${m[2]}`;
}

/** Today on the sim clock as "YYYYMMDD" (for future_* parameters). */
export const todayKey = (clock) => new Date(clock.nowMs()).toISOString().slice(0, 10).replace(/-/g, "");

const present = (raw) => raw !== undefined && raw !== "";

export function uintParam(r, name, { def, min = 0, max = Number.MAX_SAFE_INTEGER, required = false } = {}) {
  const raw = first(r.query, name);
  if (!present(raw)) {
    if (required) throw new ZapError(400, 3, { missing: [name] });
    return def;
  }
  if (!/^\d{1,15}$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new ZapError(400, 3, { invalid: [name] });
  return Number(raw);
}

export function boolParam(r, name, def) {
  const raw = first(r.query, name);
  if (!present(raw)) return def;
  if (/^(t|true)$/i.test(raw)) return true;
  if (/^(f|false)$/i.test(raw)) return false;
  throw new ZapError(400, 3, { invalid: [name] });
}

export function dateParam(r, name) {
  const raw = first(r.query, name);
  if (!present(raw)) return null;
  const k = dateKey(raw);
  if (!k) throw new ZapError(400, 3, { invalid: [name] });
  return k;
}

/** A free-text search parameter; empty means "not given". */
export function textParam(r, name) {
  const raw = first(r.query, name);
  return present(raw) ? raw : null;
}

/** event_type: one of EVENT_TYPES (case-insensitive), returned in the seed's spelling. */
export function eventTypeParam(r) {
  const raw = textParam(r, "event_type");
  if (raw === null) return null;
  const hit = EVENT_TYPES.find((t) => t.toLowerCase() === raw.trim().toLowerCase());
  if (!hit) throw new ZapError(400, 3, { invalid: ["event_type"] });
  return hit;
}

/** `sort=field [ASC|DESC]` restricted to `allowed` (lower-case names); → {name, desc}. */
export function sortParam(r, allowed, def) {
  const raw = (first(r.query, "sort") ?? def).trim();
  const m = /^([a-z_]+)(?:\s+(asc|desc))?$/i.exec(raw);
  if (!m || !allowed.includes(m[1].toLowerCase())) throw new ZapError(400, 3, { invalid: ["sort"] });
  return { name: m[1].toLowerCase(), desc: (m[2] || "asc").toLowerCase() === "desc" };
}

/** page (>= 1, default 1) and results_per_page (0-250, default 10); `repeat` pins page 1. */
export function pageParams(r, repeat) {
  const page = uintParam(r, "page", { def: 1, min: 1 });
  const perPage = uintParam(r, "results_per_page", { def: 10, min: 0, max: 250 });
  return { page: repeat ? 1 : page, perPage };
}

/** Slices one page of `rows`; total_pages is 0 when results_per_page=0, a page past the end is empty. */
export function pageOf(rows, { page, perPage }) {
  const total = rows.length;
  return {
    meta: { total_count: total, page, results_per_page: perPage, total_pages: perPage === 0 ? 0 : Math.ceil(total / perPage) },
    items: perPage === 0 ? [] : rows.slice((page - 1) * perPage, page * perPage),
  };
}
