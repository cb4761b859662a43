// JSON list bodies, parsed by the host and typed in place (src/js/records.rs drives this).
//
// Why here: JSON.parse is the fastest way any runtime has to build JS objects from JSON; a wasm
// parser has to hand its records over somehow, and every hand-off measured costs more than
// JSON.parse itself (typed JSON text parsed again: 3-4x JSON.parse). So the host parses, the
// core says where the records are (from the skeleton below) and which rule types each field
// (RecordTyper.rule, asked once per field name), and this file applies the rules on their fast
// paths: the canonical forms a provider writes. Anything else (a `$1,234.50`, a `05/06/2025
// 9:30`, a `yes`, a nested list as a string) is not decided here: the whole record goes to the
// core's writer (RecordTyper.record), which types it or throws the PARSE error naming the field.
// The fast paths give exactly what the core gives (tests/runtime/providers/typing.mjs checks
// them against RecordTyper.record on generated values).

import { OAuthEdgeError } from "./error.js";

// Rule codes: the order of `Rule` in src/core/parse/typed/mod.rs (records.rs sends them).
const KEEP = 0;
const INTEGER = 1;
const MONEY = 2;
const DATE = 3;
const BOOL = 4;
// Items codes: `Items` in src/core/parse/typed/locate.rs.
const ITEMS_LIST = 0;
const ITEMS_ONE = 1;
// What typeItems answers for a body nested too deeply to handle (records.rs).
const TOO_DEEP = 2;


const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The body's bytes (a view into wasm memory) → [parsed body, skeleton JSON], or 0 when it is
 * not UTF-8, 1 when it is not JSON. The core sends the body as ASCII (`json::ascii_text`: the
 * same JSON with `\uXXXX` escapes), which decodes about ten times faster than UTF-8 with a few
 * accented names in it, into a one-byte string that JSON.parse reads faster too (Node 20, the
 * 3.4 MB of 10,000 ZapEvent participants: decode 7.1 → 0.5 ms, JSON.parse 9.6 → 8.6 ms). The
 * bytes are copied out before decoding: Node decodes a view into a larger buffer about 1.6x
 * slower than an array of its own (8.9 vs 5.5 ms for 2.7 MB), and the copy is a memcpy. Re-measured on 2026-12-02 (Node
 * 20.20.2): the ORC roster's best of 60 runs is 18 ms with the copy, 21 ms without; a view into
 * a fresh 12.8 MB Memory decodes as fast as a copy, so a standalone test does not show it. The
 * skeleton is what the core locates the records by (parse::typed::locate looks at three levels
 * at most): objects to three levels, arrays emptied, long strings blanked.
 */
export function parseBody(body) {
  let text;
  try {
    text = utf8.decode(body.slice());
  } catch {
    return 0;
  }
  let doc;
  try {
    doc = JSON.parse(text);
  } catch {
    return 1;
  }
  return [doc, JSON.stringify(skeleton(doc, 0))];
}

function skeleton(v, depth) {
  if (Array.isArray(v)) return [];
  if (v === null || typeof v !== "object") return typeof v === "string" && v.length > 32 ? "" : v;
  // A null-prototype copy: a "__proto__" key stays a plain key.
  const out = Object.create(null);
  if (depth < 3) for (const k in v) out[k] = skeleton(v[k], depth + 1);
  return out;
}

/**
 * The records at `path` of the parsed body, typed in place by `typer` (a RecordTyper, freed
 * here); throws the core's PARSE error for a record its rules refuse.
 */
export function typeItems(doc, path, items, typer) {
  try {
    let at = doc;
    for (const key of path) at = at[key];
    const records = items === ITEMS_LIST ? at : items === ITEMS_ONE ? [at] : [];
    const typing = new Typing(typer);
    for (let i = 0; i < records.length; i++) {
      const record = records[i];
      if (!isRecord(record) || !typing.record(record)) {
        records[i] = typer.record(JSON.stringify(record));
      }
    }
    return records;
  } catch (e) {
    // JSON.parse builds nesting that JSON.stringify cannot walk back (RangeError): the core's
    // PARSE error for it (records.rs); the core's own errors pass through.
    if (e instanceof OAuthEdgeError) throw e;
    return TOO_DEEP;
  } finally {
    typer.free();
  }
}

// Tape ops: the constants of src/core/parse/typed/tape.rs, written as numbers in tapeRecords'
// switch (named there in comments: esbuild keeps named constants as variables).
const ARG_FOLLOWS = 0xfffffff;

/**
 * The records the core typed (XML, CSV) from their tape (tape.rs): `bytes` (its ASCII text, in
 * wasm memory, copied out as above), `wideBytes` (its text beyond ASCII, UTF-8: V8 decodes the
 * two apart about five times faster than together) and `ops` (a view into wasm memory, read
 * before this returns). One decode of each text, then one pass over the ops: a string is a
 * slice of its text at a running cursor, a key is defined once per page, and a CSV row (ROW)
 * gives its fields the header's keys in order (no key op per field). Measured against the
 * typed JSON text it replaces (JSON.parse, 14.6 ms for 10,000 ZapEvent participants): see the
 * README's "Speed and size".
 */
export function tapeRecords(bytes, wideBytes, ops) {
  const text = utf8.decode(bytes.slice());
  const wide = wideBytes.length ? utf8.decode(wideBytes.slice()) : "";
  const keys = [];
  const records = [];
  // The open containers, as [container, isArray] pairs below the current one.
  const open = [];
  let container = records;
  let isArray = true;
  let key = "";
  let at = 0;
  let wideAt = -1; // ≥ 0: the next text op's text is in `wide`, from there
  let wideNext = 0;
  let column = -1; // ≥ 0: in a ROW, the index in `keys` of the next value's key
  // The page's first ROW_FULL record: later ones start as a copy of it ({...shape} gives the
  // final hidden class and property store at once; adding 15 properties one by one grows the
  // store several times, garbage that was a share of a CSV page's GC).
  let shape;
  for (let i = 0; i < ops.length; i++) {
    const word = ops[i];
    const op = word & 15;
    let arg = word >>> 4;
    if (arg === ARG_FOLLOWS) arg = ops[++i];
    let piece = "";
    let inWide = false;
    if (op === 11) { // WIDE
      wideAt = wideNext;
      continue;
    }
    if (op === 4 || op === 5 || op === 7 || op === 10) {
      if (wideAt < 0) piece = text.slice(at, (at += arg));
      else {
        piece = wide.slice(wideAt, (wideNext = wideAt + arg));
        wideAt = -1;
        inWide = true;
      }
    }
    let value;
    let nested = false;
    switch (op) {
      case 3: // KEY
        key = keys[arg];
        continue;
      case 13: // SKIP
        column++;
        continue;
      case 4: // KEY_NEW
        // Interned, as JSON.parse's keys are: a fresh slice as a key costs a lookup per use.
        key = Object.keys({ [piece]: 0 })[0];
        if (!inWide) keys.push(key); // the core interns ASCII keys only
        continue;
      case 5: // STRING
        value = piece;
        break;
      case 6: // INTEGER
        value = arg;
        break;
      case 7: // NUMBER_TEXT
        value = +piece;
        break;
      case 8: // TRUE
        value = true;
        break;
      case 9: // FALSE
        value = false;
        break;
      case 10: // JSON
        value = JSON.parse(piece);
        break;
      case 0: // OBJECT
      case 12: // ROW
        value = {};
        nested = true;
        break;
      case 14: // ROW_FULL: every key of the row gets a value, in the order of the page's first
        value = shape === undefined ? (shape = {}) : { ...shape };
        nested = true;
        break;
      case 1: // ARRAY
        value = [];
        nested = true;
        break;
      case 2: // END
        column = open.pop();
        isArray = open.pop();
        container = open.pop();
        continue;
    }
    if (isArray) container.push(value);
    else {
      if (column >= 0) key = keys[column++];
      if (key === "__proto__") Object.defineProperty(container, key, { value, writable: true, enumerable: true, configurable: true });
      else container[key] = value;
    }
    if (nested) {
      open.push(container, isArray, column);
      container = value;
      isArray = Array.isArray(value);
      column = op === 12 || op === 14 ? arg : -1;
    }
  }
  return records;
}

/** [count, first and last record as JSON]: what a repeated page is recognised by. */
export function sampleOf(records) {
  const n = records.length;
  try {
    return n === 0 ? "0" : `${n}${JSON.stringify(records[0])}${JSON.stringify(records[n - 1])}`;
  } catch {
    return `${n}`; // a record too deep to print: the count alone
  }
}

const isRecord = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/** The typing of one body: the core's rule per field name, asked once, and per-shape plans. */
class Typing {
  constructor(typer) {
    this.typer = typer;
    this.rules = new Map();
    // Records of a list nearly always share their keys: the typed fields of the last key list
    // seen are kept, so a record costs one Object.keys and a comparison, then only its typed
    // fields are visited (a rule lookup per field cost half of JSON.parse).
    this.last = undefined;
  }

  /** [name, rule, name, rule, …] of the typed fields of `record`; null: leave it to the core. */
  plan(record) {
    const last = this.last;
    if (last !== undefined) {
      // for…in, not Object.keys: no array per record (10,000 ZapEvent participants: 0.43 →
      // 0.30 ms); a JSON.parse object has no inherited enumerable keys.
      const lastKeys = last.keys;
      let i = 0;
      let same = true;
      for (const k in record) {
        if (k !== lastKeys[i++]) {
          same = false;
          break;
        }
      }
      if (same && i === lastKeys.length) return last.plan;
    }
    const keys = Object.keys(record);
    let plan = [];
    for (const name of keys) {
      let rule = this.rules.get(name);
      if (rule === undefined) {
        rule = this.typer.rule(name);
        this.rules.set(name, rule);
      }
      if (rule === KEEP) continue;
      if (name === "__proto__") {
        plan = null; // assigning it would set the prototype: the core's JSON text, parsed, will not
        break;
      }
      plan.push(name, rule);
    }
    this.last = { keys, plan };
    return plan;
  }

  /**
   * Types `record` in place; false when a value is not in a form the fast paths know (the
   * caller then hands the whole record to the core; the fields already typed are fixed points
   * of the rules, so typing them again changes nothing).
   */
  record(record) {
    const plan = this.plan(record);
    if (plan === null) return false;
    for (let i = 0; i < plan.length; i += 2) {
      const name = plan[i];
      const v = record[name];
      switch (plan[i + 1]) {
        case INTEGER:
          if (typeof v === "number") {
            if (!Number.isSafeInteger(v)) return false;
          } else if (typeof v === "string" && decimalText(v, 0)) {
            record[name] = +v || 0; // the core writes "-0" as 0
          } else if (v === "" || v === null) {
            delete record[name]; // an empty typed value is absent, not an error
          } else return false;
          break;
        case MONEY:
          if (typeof v === "number") break;
          if (typeof v === "string" && decimalText(v, 6)) record[name] = +v;
          else if (v === "" || v === null) delete record[name];
          else return false;
          break;
        case DATE: {
          if (v === "" || v === null) {
            delete record[name];
            break;
          }
          const iso = typeof v === "string" ? isoDate(v) : undefined;
          if (iso === undefined) return false;
          // Assigned even when unchanged: comparing first cost more (a changed date-time is a
          // cons string of the same length, so `!==` flattened it to compare every character).
          record[name] = iso;
          break;
        }
        case BOOL:
          if (typeof v === "boolean") break;
          if (v === "T" || v === "true") record[name] = true;
          else if (v === "F" || v === "false") record[name] = false;
          else if (v === "" || v === null) delete record[name];
          else return false;
          break;
        default: // LIST: nested records (an event's activities, …) are few: the core types them
          return false;
      }
    }
    return true;
  }
}

/**
 * The core's `iso_date` on the forms providers write (`YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS` or
 * with `T`, `MM-DD-YYYY`, `MM/DD/YYYY`); undefined for any other. Character codes, not regular
 * expressions: this runs for every date of every record (a regex version cost half as much as
 * JSON.parse on the ORC roster).
 */
function isoDate(v) {
  const n = v.length;
  if (v.charCodeAt(4) === 45 && v.charCodeAt(7) === 45 && (n === 10 || n === 19)) {
    if (!validDate(digits(v, 0, 4), digits(v, 5, 2), digits(v, 8, 2))) return undefined;
    if (n === 10) return v;
    const t = v.charCodeAt(10);
    if ((t !== 32 && t !== 84) || v.charCodeAt(13) !== 58 || v.charCodeAt(16) !== 58) return undefined;
    const hour = digits(v, 11, 2);
    const minute = digits(v, 14, 2);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || digits(v, 17, 2) < 0) return undefined;
    return t === 84 ? v : `${v.slice(0, 10)}T${v.slice(11)}`;
  }
  const sep = v.charCodeAt(2);
  if (n === 10 && (sep === 45 || sep === 47) && v.charCodeAt(5) === sep) {
    if (!validDate(digits(v, 6, 4), digits(v, 0, 2), digits(v, 3, 2))) return undefined;
    // One string from its character codes: the three slices and joins of a template literal
    // allocate four strings (10,000 dates: 0.65 → 0.25 ms, Node 20).
    return String.fromCharCode(v.charCodeAt(6), v.charCodeAt(7), v.charCodeAt(8), v.charCodeAt(9), 45,
      v.charCodeAt(0), v.charCodeAt(1), 45, v.charCodeAt(3), v.charCodeAt(4));
  }
  return undefined;
}

/**
 * True when `v` is `-?\d{1,15}` followed, when `fraction` > 0, by an optional `.\d{1,fraction}`
 * (what the core's writer takes as an integer or an amount without a slow path). Character
 * codes, not a regular expression: a regex test per money field cost a tenth of JSON.parse.
 */
function decimalText(v, fraction) {
  const n = v.length;
  let i = v.charCodeAt(0) === 45 ? 1 : 0;
  const start = i;
  while (i < n && isDigit(v.charCodeAt(i))) i++;
  const whole = i - start;
  if (whole < 1 || whole > 15) return false;
  if (i === n) return true;
  if (fraction === 0 || v.charCodeAt(i) !== 46) return false;
  const point = ++i;
  while (i < n && isDigit(v.charCodeAt(i))) i++;
  return i === n && i > point && i - point <= fraction;
}

const isDigit = (c) => c >= 48 && c <= 57;

/** The decimal number of `count` ASCII digits at `at`, or -1. */
function digits(v, at, count) {
  let x = 0;
  for (let i = at; i < at + count; i++) {
    const d = v.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    x = x * 10 + d;
  }
  return x;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validDate(year, month, day) {
  if (year < 0 || month < 1 || month > 12 || day < 1) return false;
  if (month === 2 && day === 29) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= DAYS[month - 1];
}
