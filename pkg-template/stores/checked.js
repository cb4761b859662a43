// The store factories' argument check: whatever a factory throws on its arguments (no
// localStorage in this host, destructuring null, a hostile Proxy, a Deno KV without get(), a
// value structuredClone refuses) reaches the caller as OAuthEdgeError INVALID_ARGUMENT, like
// every other error of the package (tests/runtime/hardening/survival.mjs).
import { OAuthEdgeError } from "../error.js";

/** `factory` behind that check; `accepts(...args)` rejects what would only fail later, in load(). */
export function checked(name, factory, accepts = () => true) {
  return (...args) => {
    try {
      if (!accepts(...args)) throw new TypeError("unusable argument");
      return factory(...args);
    } catch (cause) {
      if (cause instanceof OAuthEdgeError) throw cause;
      throw new OAuthEdgeError("INVALID_ARGUMENT", `${name}: ${cause instanceof Error ? cause.message : "invalid argument"}`, { cause });
    }
  };
}
