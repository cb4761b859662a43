// OneRoster 1.1 §3.4 query parameters: limit/offset paging (+ X-Total-Count, RFC 8288 Link),
// filter (§3.4.2), sort + orderBy (§3.4.3), fields (§3.4.4). Same rules for 1.1 and 1.2.

import { count, first, rfc3986 } from "../util.mjs";
import { RosterError } from "./errors.mjs";

export const DEFAULT_LIMIT = 100; // OneRoster 1.1 §3.4.1
export const MAX_LIMIT = 500; // server cap: a bigger limit is silently reduced to it
export const MAX_PREDICATES = 2; // §3.4.2: "at most two" predicates, one AND or OR

const SINGLE = ["limit", "offset", "filter", "sort", "orderBy", "fields"];

/** Refuses a repeated query parameter (which one would a server pick?). */
export function checkRepeats(query) {
  for (const name of SINGLE) {
    if (count(query, name) > 1) throw new RosterError(400, "invaliddata", `query parameter ${name} given more than once`);
  }
}

/**
 * The comparable text of a field: strings as is, numbers/booleans as text, null/absent "",
 * references by their sourcedId, arrays element-wise joined with ",", other objects as JSON.
 */
export function valueOf(rec, field) {
  return text(rec[field]);
}
function text(v) {
  if (v === null || v === undefined) return "";
  if (typeof v !== "object") return String(v);
  if (Array.isArray(v)) return v.map(text).join(",");
  if (typeof v.sourcedId === "string") return v.sourcedId;
  return JSON.stringify(v);
}

const OPS = ["!=", ">=", "<=", "=", ">", "<", "~"];

/**
 * Parses `field op 'value'` predicates joined by ` AND ` / ` OR ` (§3.4.2). Values are
 * single-quoted; a literal `'` inside a value is doubled (`''`, the SQL convention; OneRoster
 * defines no escape). Anything may appear inside the quotes: spaces, " AND ", `= ! ( ) *`,
 * non-ASCII. Whitespace around the operator is allowed; AND/OR are upper-case with at least
 * one space either side. Returns a predicate over records.
 */
export function parseFilter(raw, knownFields, maxPredicates = MAX_PREDICATES) {
  const bad = (msg) => {
    throw new RosterError(400, "invalid_filter_field", `malformed filter: ${msg}`);
  };
  const clauses = [];
  const logic = [];
  let i = 0;
  for (;;) {
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(raw.slice(i));
    if (!name) bad(`expected a field name at offset ${i}`);
    const field = name[0];
    i += field.length;
    while (raw[i] === " ") i++;
    const op = OPS.find((o) => raw.startsWith(o, i));
    if (!op) bad(`expected one of ${OPS.join(" ")} after ${field}`);
    i += op.length;
    while (raw[i] === " ") i++;
    if (raw[i] !== "'") bad(`the value of ${field} must be in single quotes`);
    i++;
    let value = "";
    for (;;) {
      const q = raw.indexOf("'", i);
      if (q < 0) bad(`unterminated value for ${field}`);
      value += raw.slice(i, q);
      if (raw[q + 1] === "'") {
        value += "'";
        i = q + 2;
      } else {
        i = q + 1;
        break;
      }
    }
    if (!knownFields.has(field)) throw new RosterError(400, "invalid_filter_field", `unknown filter field ${field}`);
    clauses.push({ field, op, value });
    if (i === raw.length) break;
    const join = /^ +(AND|OR) +/.exec(raw.slice(i));
    if (!join) bad(`expected " AND " or " OR " at offset ${i}`);
    logic.push(join[1]);
    i += join[0].length;
  }
  if (clauses.length > maxPredicates) throw new RosterError(400, "invalid_filter_field", `at most ${maxPredicates} predicates`);
  if (new Set(logic).size > 1) throw new RosterError(400, "invalid_filter_field", "AND and OR cannot be mixed");
  const lower = clauses.map((c) => c.value.toLowerCase());
  const test = (c, k, rec) => {
    const s = valueOf(rec, c.field);
    switch (c.op) {
      case "=": return s === c.value;
      case "!=": return s !== c.value;
      case ">": return s > c.value;
      case ">=": return s >= c.value;
      case "<": return s < c.value;
      case "<=": return s <= c.value;
      default: return s.toLowerCase().includes(lower[k]); // "~": contains, case-insensitive
    }
  };
  if (clauses.length === 1) return (rec) => test(clauses[0], 0, rec);
  return logic[0] === "OR" ? (rec) => clauses.some((c, k) => test(c, k, rec)) : (rec) => clauses.every((c, k) => test(c, k, rec));
}

/** `fields=a,b` (§3.4.4) → field list or null; unknown → invalid_selection_field. */
export function parseFields(query, knownFields) {
  const raw = first(query, "fields");
  if (raw === undefined) return null;
  const fields = raw.split(",").map((f) => f.trim());
  if (fields.some((f) => f === "")) throw new RosterError(400, "invalid_blank_selection_field", "fields contains an empty field name");
  const unknown = fields.filter((f) => !knownFields.has(f));
  if (unknown.length) throw new RosterError(400, "invalid_selection_field", `unknown field(s) ${unknown.join(", ")}`);
  return [...new Set(fields)];
}

/** `sort=field` + `orderBy=asc|desc` (§3.4.3) → {field, desc} or null. */
export function parseSort(query, knownFields) {
  const orderBy = first(query, "orderBy");
  if (orderBy !== undefined && orderBy !== "asc" && orderBy !== "desc") throw new RosterError(400, "invaliddata", "orderBy must be asc or desc");
  const field = first(query, "sort");
  if (field === undefined) return null;
  if (!knownFields.has(field)) throw new RosterError(400, "invalid_sort_field", `unknown sort field ${field}`);
  return { field, desc: orderBy === "desc" };
}

/** `limit` (default 100, silently capped at 500) and `offset` (default 0). */
export function parsePaging(query) {
  const int = (name, def, min) => {
    const raw = first(query, name);
    if (raw === undefined) return def;
    // Any run of digits: a huge limit is capped like any other, a huge offset is past the end.
    if (!/^\d{1,30}$/.test(raw) || Number(raw) < min) throw new RosterError(400, "invaliddata", `${name} must be an integer >= ${min}`);
    return Math.min(Number(raw), Number.MAX_SAFE_INTEGER);
  };
  return { limit: Math.min(int("limit", DEFAULT_LIMIT, 1), MAX_LIMIT), offset: int("offset", 0, 0) };
}

/**
 * RFC 8288 `Link` for a page: first and last always, prev when offset > 0, next when more
 * records follow. Absolute URLs; every other query parameter kept (in order, RFC 3986
 * re-encoded), then limit (the effective, capped one) and offset.
 */
export function linkHeader(r, { limit, offset, total }) {
  const others = r.query.filter(([k]) => k !== "limit" && k !== "offset");
  const prefix = others.map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}&`).join("");
  const url = (off) => `<${r.origin}${r.path}?${prefix}limit=${limit}&offset=${off}>`;
  const lastOffset = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
  const links = [`${url(0)}; rel="first"`];
  if (offset > 0) links.push(`${url(Math.max(0, Math.min(offset, total) - limit))}; rel="prev"`);
  if (offset + limit < total) links.push(`${url(offset + limit)}; rel="next"`);
  links.push(`${url(lastOffset)}; rel="last"`);
  return links.join(", ");
}
