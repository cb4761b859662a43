// The simulated clock: sim time = real time + an offset that tests move with /__sim/clock,
// so token expiry and OAuth 1.0a timestamp windows can be crossed without waiting.

import { HttpError, sendJson } from "./util.mjs";

/** Creates a clock; `now()` is epoch seconds (integer), `nowMs()` epoch milliseconds. */
export function createClock() {
  let offsetMs = 0;
  const clock = {
    nowMs: () => Date.now() + offsetMs,
    now: () => Math.floor((Date.now() + offsetMs) / 1000),
    /** Moves sim time forward (or back, with a negative value) by `seconds`. */
    advance(seconds) {
      offsetMs += seconds * 1000;
      return clock.now();
    },
    /** Jumps sim time to `epochSeconds` (keeps ticking from there). */
    set(epochSeconds) {
      offsetMs = epochSeconds * 1000 - Date.now();
      return clock.now();
    },
    reset() {
      offsetMs = 0;
    },
    get offsetSeconds() {
      return offsetMs / 1000;
    },
  };
  return clock;
}

/** GET /__sim/clock → {now, offset}; POST {"advance": s} or {"set": epochSeconds}. */
export function handleClock(clock, r, res) {
  if (r.method === "POST") {
    const body = r.json();
    const finite = (v) => typeof v === "number" && Number.isFinite(v) && Math.abs(v) < 1e11;
    if (body.advance !== undefined) {
      if (!finite(body.advance)) throw new HttpError(400, "invalid_request", "advance must be a number of seconds");
      clock.advance(body.advance);
    } else if (body.set !== undefined) {
      if (!finite(body.set) || body.set < 0) throw new HttpError(400, "invalid_request", "set must be epoch seconds");
      clock.set(body.set);
    } else {
      throw new HttpError(400, "invalid_request", 'expected {"advance": seconds} or {"set": epochSeconds}');
    }
  } else if (r.method !== "GET") {
    throw new HttpError(405, "method_not_allowed", "GET or POST");
  }
  sendJson(res, 200, { now: clock.now(), offset: clock.offsetSeconds });
}
