// OAuthEdgeError: the one error class oauth-edge throws. A real Error subclass (instanceof
// works across every entry point, because every entry re-exports this very module).
export class OAuthEdgeError extends Error {
  constructor(code, message, details) {
    super(message, details && details.cause !== undefined ? { cause: details.cause } : undefined);
    this.name = "OAuthEdgeError";
    this.code = code;
    if (details) {
      for (const key of ["status", "provider", "providerCode", "providerDescription", "retryAfter"]) {
        if (details[key] !== undefined && details[key] !== null) this[key] = details[key];
      }
      for (const key of ["missingParams", "invalidParams"]) {
        if (Array.isArray(details[key]) && details[key].length) this[key] = details[key];
      }
    }
  }
}

export function makeError(code, message, status, provider, providerCode, providerDescription, retryAfter, missingParams, invalidParams, cause) {
  return new OAuthEdgeError(code, message, { status, provider, providerCode, providerDescription, retryAfter, missingParams, invalidParams, cause });
}
