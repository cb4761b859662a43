// A tiny assertion library that runs unchanged in Node, Deno, workerd and browsers (node:assert
// is not available in the last two). Every failure throws an AssertionError with a message that
// shows both sides.

export class AssertionError extends Error {
  constructor(message) {
    super(message);
    this.name = "AssertionError";
  }
}

const show = (v) => {
  try {
    return typeof v === "string" ? JSON.stringify(v) : JSON.stringify(v, (k, x) => (typeof x === "bigint" ? `${x}n` : x)) ?? String(v);
  } catch {
    return String(v);
  }
};

function isDeepEqual(a, b) {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && isDeepEqual(a[k], b[k]));
}

export const assert = {
  ok(value, message = "expected a truthy value") {
    if (!value) throw new AssertionError(`${message} (got ${show(value)})`);
  },
  equal(actual, expected, message = "values differ") {
    if (!Object.is(actual, expected)) throw new AssertionError(`${message}: expected ${show(expected)}, got ${show(actual)}`);
  },
  notEqual(actual, unexpected, message = "values are equal") {
    if (Object.is(actual, unexpected)) throw new AssertionError(`${message}: got ${show(actual)}`);
  },
  deepEqual(actual, expected, message = "structures differ") {
    if (!isDeepEqual(actual, expected)) throw new AssertionError(`${message}: expected ${show(expected)}, got ${show(actual)}`);
  },
  match(string, regexp, message = "no match") {
    if (typeof string !== "string" || !regexp.test(string)) throw new AssertionError(`${message}: ${show(string)} !~ ${regexp}`);
  },
  doesNotInclude(string, needle, message = "unexpected substring") {
    if (typeof string === "string" && needle && string.includes(needle)) {
      throw new AssertionError(`${message}: a ${needle.length}-character forbidden string appears`);
    }
  },
  fail(message) {
    throw new AssertionError(message);
  },
  /** Calls fn, expects it to throw; returns what was thrown. */
  throws(fn, message = "expected an exception") {
    try {
      fn();
    } catch (e) {
      return e;
    }
    throw new AssertionError(message);
  },
  /** Awaits fn(), expects a rejection; returns the reason. */
  async rejects(fn, message = "expected a rejection") {
    try {
      await fn();
    } catch (e) {
      return e;
    }
    throw new AssertionError(message);
  },
};

export default assert;

/** Calls fn; a thrown error or a rejection is the result, a PagedList is drained first. */
export async function outcome(fn) {
  try {
    const r = fn();
    if (r && typeof r.toArray === "function") await r.toArray();
    else await r;
  } catch (e) {
    return e;
  }
  return null;
}
