// Declarations shared by every entry of oauth-edge (the full package and "oauth-edge/oauth1"):
// the error class and module loading.

/** Stable error codes (see README, "Errors"). */
export type OAuthEdgeErrorCode =
  | "INVALID_ARGUMENT"
  | "INSECURE_URL"
  | "PARSE"
  | "HTTP_STATUS"
  | "NETWORK"
  | "CALLBACK_NOT_CONFIRMED"
  | "STATE_MISMATCH"
  | "PROVIDER_ERROR"
  | "OAUTH_INVALID_REQUEST"
  | "OAUTH_INVALID_CLIENT"
  | "OAUTH_INVALID_GRANT"
  | "OAUTH_UNAUTHORIZED_CLIENT"
  | "OAUTH_UNSUPPORTED_GRANT_TYPE"
  | "OAUTH_INVALID_SCOPE"
  | "OAUTH_ACCESS_DENIED"
  | "NEEDS_REAUTH"
  | "RATE_LIMITED"
  | "STORE_CONFLICT"
  | "STORE_ERROR"
  | "INVALID_CREDENTIALS"
  | "PERMISSION_DENIED"
  | "NOT_FOUND"
  | "PAGE_REPEATED"
  | "ABORTED"
  | "RESPONSE_TOO_LARGE"
  | "INTERNAL";

/** Every error oauth-edge throws or rejects with. Messages never contain tokens or secrets. */
export declare class OAuthEdgeError extends Error {
  readonly name: "OAuthEdgeError";
  readonly code: OAuthEdgeErrorCode;
  /** HTTP status of the response that caused the error. */
  readonly status?: number;
  /** Provider preset involved (`"zapevent"`, `"priava"`, …). */
  readonly provider?: string;
  /** The provider's error code (RFC 6749 `error`, ZapEvent `<error_code>`, `oauth_problem`). */
  readonly providerCode?: string;
  /** The provider's description (`error_description`, `<error_msg>`). */
  readonly providerDescription?: string;
  /** Seconds to wait before retrying (`Retry-After`). */
  readonly retryAfter?: number;
  /** Request parameters the provider reported missing (ZapEvent `<param_missing>`). */
  readonly missingParams?: string[];
  /** Request parameters found invalid, by the provider or by oauth-edge before sending. */
  readonly invalidParams?: string[];
  constructor(code: OAuthEdgeErrorCode, message: string, details?: Record<string, unknown>);
}

/**
 * Loads the WebAssembly module: a `WebAssembly.Module`, the `.wasm` bytes, a URL, a `Response`,
 * or a promise of one; no argument fetches the file next to the package. Idempotent. Needed
 * only with `oauth-edge/manual`; every other entry point initializes itself. In Node,
 * `oauth-edge/manual` is the Node entry (one module with `oauth-edge`): `init()` is optional
 * there, and `init(input)` before the first call loads `input` instead of the package's file.
 */
export declare function init(
  input?: WebAssembly.Module | BufferSource | URL | string | Response | Promise<Response>,
): Promise<void>;

/** Synchronous {@link init} from a `WebAssembly.Module` or the `.wasm` bytes. */
export declare function initSync(input: { module: WebAssembly.Module | BufferSource } | WebAssembly.Module | BufferSource): void;
