// Hot-path marshalling done on the JS side of the boundary: building objects here costs one
// string decode per value instead of one per property name (wasm-bindgen decodes every &str it
// hands to JS), which is most of the cost of a signature (see scripts/bench.mjs).
//
// No function here throws on a caller's value (a Proxy whose traps throw, a getter that
// throws): Rust calls them as plain imports, and a JS exception unwinding through wasm frames
// skips every Rust destructor and borrow release, which left the instance broken (or, inside a
// future, crashed the process). They return a failure value or a rejected promise instead.


// An absolute http(s) URL that the WHATWG URL parser would return unchanged: lower-case
// registered-name host (at least one letter, so "127.1"-style IPv4 shorthands are parsed),
// no default port, a path, and only characters neither the path nor the special-scheme query
// percent-encode set touches (no ' " < > ` { } space, backslash or #), and no dot segments.
const CANONICAL = /^(https?):\/\/((?=[a-z0-9.-]*[a-z])[a-z0-9.-]+)(:[1-9][0-9]{0,4})?(\/[A-Za-z0-9\-._~!$&()*+,;=:@%\/]*)(\?[A-Za-z0-9\-._~!$&()*+,;=:@%\/?]*)?$/;
const DOT_SEGMENT = /\/\.\.?(\/|\?|$)|%2e/i;

/**
 * For a string URL that the WHATWG parser would return unchanged (`new URL(value).href ===
 * value`, checked against the parser by tests/js/normalize_url.test.mjs), the length of its
 * origin (`scheme://host[:port]`); 0 for any other value.
 */
export function canonicalOriginLength(value) {
  const m = typeof value === "string" ? CANONICAL.exec(value) : null;
  if (m === null || DOT_SEGMENT.test(m[4])) return 0;
  const port = m[3] ? Number(m[3].slice(1)) : 0;
  if (port > 65535 || (m[1] === "http" && port === 80) || (m[1] === "https" && port === 443)) return 0;
  return m[1].length + 3 + m[2].length + (m[3] ? m[3].length : 0);
}

/** WHATWG-normalized href of a string or URL, or undefined if it is neither/invalid. */
export function normalizeUrl(value) {
  // Fast path (most calls): already canonical. Skips a full parse per signature.
  if (canonicalOriginLength(value) > 0) return value;
  try {
    if (typeof value !== "string" && !(value instanceof URL)) return undefined;
    return new URL(value).href;
  } catch {
    return undefined;
  }
}

/**
 * The result of OAuth1Signer's signParts: [the SignedRequest, whether its Authorization header
 * holds for every request of that method and origin] (pkg-template/oauth1_sign.js).
 */
export function signedRequest(method, url, authorization, contentType, body, requestIndependent) {
  const headers = {};
  if (authorization !== undefined) headers.Authorization = authorization;
  if (contentType !== undefined) headers["Content-Type"] = contentType;
  return [{ method, url, headers, body: body === undefined ? null : body }, requestIndependent];
}

/**
 * `form` (URLSearchParams, [name, value] pairs, or a record whose values are strings or arrays
 * of strings) as an application/x-www-form-urlencoded string; undefined if malformed.
 */
function formToString(form) {
  const params = new URLSearchParams();
  const add = (k, v) => {
    if (typeof k !== "string" || typeof v !== "string") throw new TypeError();
    params.append(k, v);
  };
  try {
    if (form instanceof URLSearchParams) return form.toString();
    if (Array.isArray(form)) {
      for (const pair of form) {
        if (!Array.isArray(pair) || pair.length !== 2) return undefined;
        add(pair[0], pair[1]);
      }
    } else if (form !== null && typeof form === "object") {
      for (const [k, v] of Object.entries(form)) {
        if (Array.isArray(v)) for (const item of v) add(k, item);
        else add(k, v);
      }
    } else return undefined;
  } catch {
    return undefined;
  }
  return params.toString();
}

/** Result of OAuth1Flow.start(). */
export function pendingAuthorization(authorizationUrl, requestToken, requestTokenSecret) {
  return { authorizationUrl, requestToken, requestTokenSecret };
}

/** Result of OAuth1Flow.finish(); `extra` is a flat [name, value, name, value, …] array. */
export function tokenCredentials(token, tokenSecret, extra) {
  const params = {};
  for (let i = 0; i + 1 < extra.length; i += 2) params[extra[i]] = extra[i + 1];
  return { token, tokenSecret, params };
}

const headersFromPairs = (flat) => {
  const headers = new Headers();
  for (let i = 0; i + 1 < flat.length; i += 2) headers.set(flat[i], flat[i + 1]);
  return headers;
};

/**
 * One HTTP exchange for a request the core built (token endpoints, OAuth 1.0a flow steps):
 * resolves to {status, headers: [name, value, …], body: Uint8Array}; rejects with {phase, cause}
 * where phase is "request" (fetch rejected), "response" (not a Response) or "body" (cut off).
 */
export async function exchange(fetchFn, thisArg, method, url, headers, body, signal, maxBytes, timeoutMs) {
  const init = requestInit(method, headers, body, signal, timeoutMs);
  let response;
  try {
    response = await fetchFn.call(thisArg, url, init);
  } catch (cause) {
    throw { phase: "request", cause };
  }
  return readResponse(response, maxBytes);
}

/**
 * A host `Response` read whole into {status, headers: [name, value, …], body: Uint8Array};
 * rejects with {phase: "response"} (not a Response) or {phase: "body", cause} (cut off).
 */
export async function readResponse(response, maxBytes) {
  if (!isResponse(response)) throw { phase: "response" };
  const bytes = await readBody(response, maxBytes);
  const flat = [];
  response.headers.forEach((value, name) => flat.push(name, value));
  return { status: response.status, headers: flat, body: bytes };
}

/**
 * The body, refused once it is over `maxBytes`: at once when Content-Length says so (the body
 * is cancelled unread), else while streaming it (a chunked body is read only up to the limit).
 * A declared length within the limit takes the fast arrayBuffer() path.
 */
async function readBody(response, maxBytes) {
  const tooLarge = { phase: "too-large", limit: maxBytes };
  const declared = Number(response.headers.get("content-length"));
  if (declared > maxBytes) {
    response.body?.cancel().catch(() => {});
    throw tooLarge;
  }
  try {
    if (response.headers.has("content-length") || !response.body?.getReader) {
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (bytes.length > maxBytes) throw tooLarge;
      return bytes;
    }
    const reader = response.body.getReader();
    const chunks = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        reader.cancel().catch(() => {});
        throw tooLarge;
      }
      chunks.push(value);
    }
    // A body that came as one chunk (a Response built from bytes: what a Worker or a test
    // hands over, and Node's for a small body) is that chunk: no second copy (the 2.7 MB ORC
    // roster: 1.7 ms of 17 copying it).
    if (chunks.length === 1) return chunks[0];
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.length;
    }
    return bytes;
  } catch (cause) {
    throw cause === tooLarge ? cause : { phase: "body", cause };
  }
}

/**
 * A fetch init for a core request: its method, headers (flat pairs), body and AbortSignal. A POST is never
 * redirected: a 301/302 would turn it into a GET (token and roster endpoints, seed 000), so the
 * redirect comes back as a response (or an opaque one in browsers) and the core refuses it.
 */
export function requestInit(method, headers, body, signal, timeoutMs) {
  const init = { method, headers: headersFromPairs(headers) };
  // No ambient cookies or HTTP auth: every credential is explicit. And with credentials on, a
  // token endpoint's `401` + `WWW-Authenticate: Basic` (RFC 6749 §5.2, a wrong client secret)
  // makes a browser open its sign-in dialog and the request wait for it (headless Chromium:
  // forever; found by the secrets case in Chromium). workerd rejects the field altogether.
  if (globalThis.navigator?.userAgent !== "Cloudflare-Workers") init.credentials = "omit";
  if (body !== undefined) init.body = body;
  // `timeoutMs` bounds the whole exchange, body included (the body stream shares the signal):
  // a provider that stops answering mid-page must not hold a paging run or a refresh forever.
  // AbortSignal.timeout's reason is a "TimeoutError" DOMException, which the core reports as
  // NETWORK naming timeoutMs. Beyond setTimeout's range (2^31 ms, Infinity) there is none.
  let deadline = signal ?? undefined;
  try {
    if (timeoutMs < 2 ** 31) {
      const timeout = AbortSignal.timeout(timeoutMs);
      deadline = deadline ? AbortSignal.any([deadline, timeout]) : timeout;
    }
  } catch {
    // the caller's signal is not an AbortSignal: fetch refuses it (NETWORK), as before
  }
  if (deadline) init.signal = deadline;
  if (method === "POST") init.redirect = "manual";
  return init;
}

/**
 * What OAuth1Signer.fetch(input, init) is about to send: a Request input gives the defaults,
 * init overrides them. Rejects with {phase: "headers"} for an invalid HeadersInit.
 */
export async function requestParts(input, init) {
  let method = "GET";
  let url = input;
  let headers;
  let body;
  try {
    headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
  } catch (cause) {
    throw { phase: "headers", cause };
  }
  if (typeof Request !== "undefined" && input instanceof Request) {
    method = input.method;
    url = input.url;
    if (method !== "GET" && method !== "HEAD") body = new Uint8Array(await input.clone().arrayBuffer());
  }
  if (init) {
    if (init.method !== undefined) method = init.method;
    if (init.body !== undefined) body = init.body;
  }
  return { method, url, headers, body, contentType: headers.get("content-type") ?? undefined };
}

/** Sends a signed request: the caller's init, minus our options, plus the signed parts
 *  (`manualRedirect`: redirect "manual" unless the caller chose). */
export function sendSigned(fetchFn, thisArg, init, parts, method, url, signedHeaders, body, manualRedirect) {
  return settled(() => {
    const out = init ? { ...init } : {};
    delete out.form;
    delete out.bodyHash;
    for (let i = 0; i + 1 < signedHeaders.length; i += 2) parts.headers.set(signedHeaders[i], signedHeaders[i + 1]);
    out.method = method;
    out.headers = parts.headers;
    if (body === undefined) delete out.body;
    else out.body = body;
    if (manualRedirect && out.redirect === undefined) out.redirect = "manual";
    return fetchFn.call(thisArg, url, out);
  });
}

/** True for a real `Response` (its getters work): not a Proxy of one, not Object.create(Response.prototype). */
export function isResponse(r) {
  try {
    return typeof Response !== "undefined" && r instanceof Response && typeof r.status === "number";
  } catch {
    return false;
  }
}

/** `fn()` as a promise: a synchronous throw (a caller's fetch, a hostile init) becomes a rejection. */
export function settled(fn) {
  try {
    return Promise.resolve(fn());
  } catch (e) {
    return Promise.reject(e);
  }
}

/**
 * The body of a request to sign, from `form` / `body` and the Content-Type: [kind, value] with
 * kind 0 none, 1 form (urlencoded string: its parameters are signed), 2 text, 3 bytes
 * (Uint8Array), 4 invalid (value: the message).
 */
export function bodyParts(form, body, contentType) {
  try {
    return bodyPartsOf(form, body, contentType);
  } catch {
    return [4, "form or body could not be read"];
  }
}

function bodyPartsOf(form, body, contentType) {
  const hasForm = form !== undefined && form !== null;
  const hasBody = body !== undefined && body !== null;
  if (hasForm && hasBody) return [4, "pass either form or body, not both"];
  if (hasForm) {
    const text = formToString(form);
    return text === undefined ? [4, "form must be URLSearchParams, [name, value] pairs or a record of strings (or string arrays)"] : [1, text];
  }
  if (!hasBody) return [0];
  const isForm = /^\s*application\/x-www-form-urlencoded\s*(;|$)/i.test(contentType ?? "");
  if (typeof body === "string") return [isForm ? 1 : 2, body];
  if (body instanceof URLSearchParams) return [1, body.toString()];
  let bytes;
  if (body instanceof ArrayBuffer) bytes = new Uint8Array(body);
  else if (ArrayBuffer.isView(body)) bytes = new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  else return [4, "body must be a string, ArrayBuffer, typed array or URLSearchParams (streams, Blob and FormData cannot be signed)"];
  if (!isForm) return [3, bytes];
  try {
    return [1, new TextDecoder("utf-8", { fatal: true }).decode(bytes)];
  } catch {
    return [4, "form body is not UTF-8"];
  }
}
