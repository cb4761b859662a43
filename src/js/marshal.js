// Hot-path marshalling done on the JS side of the boundary: building objects here costs one
// string decode per value instead of one per property name (wasm-bindgen decodes every &str it
// hands to JS), which is most of the cost of a signature (see scripts/bench.mjs).

/** WHATWG-normalized href of a string or URL, or undefined if it is neither/invalid. */
export function normalizeUrl(value) {
  if (typeof value !== "string" && !(value instanceof URL)) return undefined;
  try {
    return new URL(value).href;
  } catch {
    return undefined;
  }
}

/** The SignedRequest object returned by OAuth1Signer.sign(). */
export function signedRequest(method, url, authorization, contentType, body) {
  const headers = {};
  if (authorization !== undefined) headers.Authorization = authorization;
  if (contentType !== undefined) headers["Content-Type"] = contentType;
  return { method, url, headers, body: body === undefined ? null : body };
}
