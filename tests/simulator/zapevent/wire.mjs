// ZapEvent wire formats: seed-shaped errors, XML (CDATA for '<' '&' newlines, &#39; for
// apostrophes), JSON (typed ids, string money, "T"/"F" booleans, an age that is sometimes a
// string), RFC 4180 CSV, and the three switchable placements of the page metadata.

import { send, sendJson, toCsv, xmlEscape } from "../util.mjs";

/** Error codes and messages from the seed's table (typo "recieved" kept: it is theirs). */
export const ERRORS = {
  3: "Invalid parameters",
  6: "Key authentication failed",
  7: "Permission Denied",
  10: "Response format not supported for this REST method",
  12: "Request recieved out of order",
  101: "User Not Found",
  102: "Password Invalid",
  201: "Event Not Found",
  301: "Activity Not Found",
};
export const FORMATS = new Set(["xml", "json", "csv"]);
export const CONTENT_TYPES = {
  xml: "application/xml; charset=utf-8",
  json: "application/json; charset=utf-8",
  csv: "text/csv; charset=utf-8",
};
export const XML_DECL = '<?xml version="1.0" encoding="utf-8"?>\n';

/** Where list metadata goes (switched by POST /__sim/zapevent/meta). */
export const META_MODES = ["attributes", "elements", "absent"];

/** A ZapEvent error in the requested format; thrown from handlers, written by `writeError`. */
export class ZapError extends Error {
  constructor(status, code, { missing = [], invalid = [], problem, challenge, date } = {}) {
    super(ERRORS[code]);
    Object.assign(this, { status, code, missing, invalid, problem, challenge, date });
  }
}

export function writeError(res, format, e) {
  const headers = {};
  if (e.challenge) headers["WWW-Authenticate"] = e.challenge;
  if (e.date) headers.Date = e.date; // an OAuth 1.0a refusal: the simulated clock's Date
  const fmt = FORMATS.has(format) ? format : "xml";
  let body;
  if (fmt === "json") {
    const err = { error_code: e.code, error_msg: ERRORS[e.code] };
    if (e.missing.length) err.param_missing = e.missing;
    if (e.invalid.length) err.param_invalid = e.invalid;
    if (e.problem) err.oauth_problem = e.problem;
    body = JSON.stringify({ error: err });
  } else if (fmt === "csv") {
    body = toCsv(["error_code", "error_msg"], [{ error_code: e.code, error_msg: ERRORS[e.code] }]);
  } else {
    body = `${XML_DECL}<error><error_code>${e.code}</error_code><error_msg>${xmlEscape(ERRORS[e.code])}</error_msg>`;
    for (const p of e.missing) body += `<param_missing><param_name>${xmlEscape(p)}</param_name></param_missing>`;
    for (const p of e.invalid) body += `<param_invalid><param_name>${xmlEscape(p)}</param_name></param_invalid>`;
    if (e.problem) body += `<oauth_problem>${xmlEscape(e.problem)}</oauth_problem>`;
    body += "</error>";
  }
  send(res, e.status, { "Content-Type": CONTENT_TYPES[fmt], ...headers }, body);
}

// ---- values --------------------------------------------------------------------------------------

/** Booleans travel as "T"/"F" in every format (the seed's bool datatype). */
const tf = (v) => (v ? "T" : "F");

const ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "\r": "&#13;", "\n": "&#10;" };

/**
 * XML element text. Values holding '<', '&' or a newline go into CDATA ("]]>" split across two
 * sections); others are entity-escaped, the apostrophe as the numeric reference &#39;. A CR
 * cannot survive CDATA (XML §2.11 normalises it), so such values are fully entity-escaped.
 */
export function xmlText(v) {
  const s = v === null || v === undefined ? "" : typeof v === "boolean" ? tf(v) : String(v);
  if (s.includes("\r")) return s.replace(/[&<>"'\r\n]/g, (c) => ENTITIES[c]);
  if (/[<&\n]/.test(s)) return `<![CDATA[${s.replace(/]]>/g, "]]]]><![CDATA[>")}]]>`;
  return s.replace(/[>"']/g, (c) => ENTITIES[c]);
}

/** Element name of one item of a nested list. */
const SINGULAR = { activities: "activity", questions: "question", options: "option" };

/** One record as XML child elements, in key order; arrays nest (<options><option>…). */
export function xmlFields(record) {
  let out = "";
  for (const [k, v] of Object.entries(record)) {
    if (Array.isArray(v)) {
      const child = SINGULAR[k] || "item";
      out += v.length === 0 ? `<${k} />`
        : `<${k}>${v.map((x) => (x !== null && typeof x === "object" ? `<${child}>${xmlFields(x)}</${child}>` : `<${child}>${xmlText(x)}</${child}>`)).join("")}</${k}>`;
    } else {
      out += `<${k}>${xmlText(v)}</${k}>`;
    }
  }
  return out;
}

/**
 * JSON value typing: ids and counts stay numbers, money stays a string (the fixtures hold
 * "45.00"), booleans become "T"/"F", and — to exercise client tolerance — a participant's age
 * is a string ("34") when its registration_id is odd.
 */
export function jsonRecord(record) {
  const out = {};
  for (const [k, v] of Object.entries(record)) {
    if (typeof v === "boolean") out[k] = tf(v);
    else if (Array.isArray(v)) out[k] = v.map((x) => (x !== null && typeof x === "object" ? jsonRecord(x) : x));
    else if (k === "age" && typeof record.registration_id === "number" && record.registration_id % 2 === 1) out[k] = String(v);
    else out[k] = v;
  }
  return out;
}

/** CSV cell values: booleans "T"/"F", option lists joined by "|", nested records dropped. */
function csvRecord(record, columns) {
  const out = {};
  for (const c of columns) {
    const v = record[c];
    out[c] = typeof v === "boolean" ? tf(v) : Array.isArray(v) ? v.join("|") : v;
  }
  return out;
}

// ---- responses -----------------------------------------------------------------------------------

/**
 * A paged list. `meta` = {total_count, page, results_per_page, total_pages}; `mode` places it:
 * "attributes" (XML root attributes / JSON top-level fields + X-* headers), "elements" (XML
 * child elements before the items / JSON "meta" object, no headers) or "absent".
 */
export function sendList(res, format, { root, item, columns, meta, items, mode = "attributes" }) {
  const headers = mode === "attributes" ? {
    "X-Total-Count": String(meta.total_count),
    "X-Page": String(meta.page),
    "X-Results-Per-Page": String(meta.results_per_page),
    "X-Total-Pages": String(meta.total_pages),
  } : {};
  if (format === "json") {
    const list = items.map(jsonRecord);
    const body = mode === "attributes" ? { ...meta, [root]: list } : mode === "elements" ? { meta, [root]: list } : { [root]: list };
    sendJson(res, 200, body, headers);
  } else if (format === "csv") {
    send(res, 200, { "Content-Type": CONTENT_TYPES.csv, ...headers }, toCsv(columns, items.map((x) => csvRecord(x, columns))));
  } else {
    const attrs = mode === "attributes" ? Object.entries(meta).map(([k, v]) => ` ${k}="${v}"`).join("") : "";
    const metaElements = mode === "elements" ? Object.entries(meta).map(([k, v]) => `<${k}>${v}</${k}>`).join("") : "";
    let body = `${XML_DECL}<${root}${attrs}>${metaElements}`;
    for (const x of items) body += `<${item}>${xmlFields(x)}</${item}>`;
    send(res, 200, { "Content-Type": CONTENT_TYPES.xml, ...headers }, `${body}</${root}>`);
  }
}

/** One record: XML <root>…</root>, JSON {"root": {…}}, CSV a header row and one row. */
export function sendOne(res, format, { root, columns, record }) {
  if (format === "json") sendJson(res, 200, { [root]: jsonRecord(record) });
  else if (format === "csv") send(res, 200, { "Content-Type": CONTENT_TYPES.csv }, toCsv(columns, [csvRecord(record, columns)]));
  else send(res, 200, { "Content-Type": CONTENT_TYPES.xml }, `${XML_DECL}<${root}>${xmlFields(record)}</${root}>`);
}
