// JS-side helpers of the OAuth 2 bindings (OAuth2Client, TokenSession): store calls, sleeping,
// fetch with the Authorization header. Kept apart from marshal.js so that an OAuth 1.0a-only
// build (cargo feature "oauth2" off) ships none of it.

import { OAuthEdgeError } from "./error.js";
import { isResponse, settled } from "./marshal.js";

export { isResponse };

/** Resolves after `ms` milliseconds (setTimeout exists in every supported host). */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Calls `obj[name](...args)` and always returns a promise (sync throws become rejections). */
export function callMethod(obj, name, args) {
  try {
    const fn = obj == null ? undefined : obj[name];
    if (typeof fn !== "function") return Promise.reject(new TypeError(`store.${name} is not a function`));
    return Promise.resolve(fn.apply(obj, args));
  } catch (e) {
    return Promise.reject(e);
  }
}

/** True when `store.lock` is a function. */
export function hasMethod(obj, name) {
  try {
    return obj != null && typeof obj[name] === "function";
  } catch {
    return false; // a getter or Proxy trap that throws (marshal.js: nothing here throws)
  }
}

/** JSON text of a value, or undefined (circular, BigInt, …). */
export function toJson(value) {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/**
 * fetch(input, init) with `Authorization` set, for every kind of input. A Request is cloned
 * per attempt (its body can be read once), a string/URL gets a fresh init.
 */
export function fetchWithAuthorization(fetchFn, thisArg, input, init, authorization) {
  return settled(() => {
    if (typeof Request !== "undefined" && input instanceof Request) {
      const request = new Request(input.clone(), init);
      request.headers.set("Authorization", authorization);
      return fetchFn.call(thisArg, request);
    }
    const headers = new Headers(init?.headers);
    headers.set("Authorization", authorization);
    return fetchFn.call(thisArg, input, init ? { ...init, headers } : { headers });
  });
}

/** Result of OAuth2Client.authorizationUrl(). */
export function authorizationStart(url, state, codeVerifier) {
  return { url, state, codeVerifier };
}

/** True for errors oauth-edge raised itself (they pass through store callbacks unchanged). */
export function isOAuthEdgeError(e) {
  return e instanceof OAuthEdgeError;
}


/**
 * The absolute URL a fetch(input) would request: a Request's url, or a string/URL resolved
 * against the page's location (browsers accept relative URLs); undefined when unknown.
 */
export function absoluteUrl(input) {
  try {
    if (typeof Request !== "undefined" && input instanceof Request) return input.url;
    const base = globalThis.location?.href;
    return (base ? new URL(input, base) : new URL(input)).href;
  } catch {
    return undefined;
  }
}

/**
 * Takes `store.lock(name, fn)` for as long as the session needs it: resolves with a release
 * function once the store calls `fn` (whose promise then stays pending until release), and
 * rejects if `lock` throws, rejects or settles without calling `fn`. `release()` returns the
 * lock's own promise.
 */
export function acquireLock(store, name) {
  return new Promise((acquired, failed) => {
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    let result;
    try {
      result = Promise.resolve(store.lock(name, () => {
        acquired(() => { release(); return result; });
        return held;
      }));
    } catch (e) {
      failed(e);
      return;
    }
    result.then(() => failed(new TypeError("store.lock() settled without calling fn")), failed);
  });
}

/**
 * session.fetch's fast path: the request with the Authorization header, resolved right here
 * when the answer is a 2xx Response; anything else (another status, a rejection, not a
 * Response) goes to `resume(response, error, input, init, authorization)`, the Rust side's
 * retry protocol. No wasm future is created for the common case (each costs a closure pair).
 */
export function fetchChecked(fetchFn, thisArg, input, init, authorization, resume) {
  return fetchWithAuthorization(fetchFn, thisArg, input, init, authorization).then(
    (r) => (isResponse(r) && r.status >= 200 && r.status < 300 ? r : resume(r, undefined, input, init, authorization)),
    (e) => resume(undefined, e, input, init, authorization),
  );
}
