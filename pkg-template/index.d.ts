// Public types of oauth-edge. Classes and option types are generated from the Rust sources
// (src/js/) into oauth_edge.d.ts and re-exported here by name, which keeps wasm-bindgen's raw
// `InitOutput` (the module's untyped exports) off the public surface; this file adds the error
// class, `init`, `initSync` and the store adapters.
export { OAuth1Signer, OAuth1Flow, OAuth2Client, TokenSession } from "./oauth_edge.js";
export type {
  SignatureMethod, Placement, FetchLike, FormInput,
  OAuth1SignerOptions, OAuth1SignInput, SignedRequest, OAuth1FetchInit,
  OAuth1FlowOptions, OAuth1PendingAuthorization, OAuth1FinishInput, OAuth1TokenCredentials,
  TokenSetJson, OAuth2ClientOptions, AuthorizationRequest, SessionState, TokenStore, TokenSessionOptions,
  InitInput, SyncInitInput,
} from "./oauth_edge.js";

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
  constructor(code: OAuthEdgeErrorCode, message: string, details?: Record<string, unknown>);
}

/**
 * Loads the WebAssembly module: a `WebAssembly.Module`, the `.wasm` bytes, a URL, a `Response`,
 * or a promise of one; no argument fetches the file next to the package. Idempotent. Needed
 * only with `oauth-edge/manual`; every other entry point initializes itself.
 */
export declare function init(
  input?: WebAssembly.Module | BufferSource | URL | string | Response | Promise<Response>,
): Promise<void>;

/** Synchronous {@link init} from a `WebAssembly.Module` or the `.wasm` bytes. */
export declare function initSync(input: { module: WebAssembly.Module | BufferSource } | WebAssembly.Module | BufferSource): void;

import type { TokenSetJson, TokenStore } from "./oauth_edge.js";

/** Tokens in this JS realm only (tests, scripts, a single long-lived server). */
export declare function memoryStore(initial?: TokenSetJson): TokenStore;

/**
 * Tokens shared by every tab and worker of an origin, in IndexedDB (compare-and-set in one
 * transaction); refreshes serialized across tabs with Web Locks (`navigator.locks`). The
 * browser store for multi-tab apps.
 */
export declare function indexedDbStore(options?: { database?: string; key?: string; indexedDB?: IDBFactory; locks?: LockManager }): TokenStore;

/**
 * Tokens in `localStorage` for a single tab. Across tabs use {@link indexedDbStore}: Chromium
 * does not make one tab's localStorage write visible to another at once, even under a Web Lock.
 */
export declare function localStorageStore(options?: { key?: string; storage?: Storage; locks?: LockManager }): TokenStore;

/** Minimal view of `Deno.Kv` used by {@link denoKvStore}. */
export interface DenoKvLike {
  get(key: readonly unknown[]): Promise<{ key: readonly unknown[]; value: unknown; versionstamp: string | null }>;
  atomic(): {
    check(...checks: { key: readonly unknown[]; versionstamp: string | null }[]): ReturnType<DenoKvLike["atomic"]>;
    set(key: readonly unknown[], value: unknown, options?: { expireIn?: number }): ReturnType<DenoKvLike["atomic"]>;
    delete(key: readonly unknown[]): ReturnType<DenoKvLike["atomic"]>;
    commit(): Promise<{ ok: boolean; versionstamp?: string }>;
  };
}

/** Tokens in Deno KV (atomic check on the versionstamp) with a lease lock in the same KV. */
export declare function denoKvStore(
  kv: DenoKvLike,
  key?: readonly unknown[],
  options?: { lockTtlMs?: number; pollMs?: number; lockTimeoutMs?: number },
): TokenStore;

/** Minimal view of a Durable Object stub. */
export interface DurableObjectStubLike {
  fetch(input: string, init?: RequestInit): Promise<Response>;
}

/** Tokens held by a {@link TokenStoreDurableObject}; one object per token family. */
export declare function durableObjectStore(
  stub: DurableObjectStubLike,
  options?: { lockTtlMs?: number; pollMs?: number; lockTimeoutMs?: number },
): TokenStore;

/**
 * The Durable Object class to export from your Worker (`export { TokenStoreDurableObject }
 * from "oauth-edge"`) and bind in wrangler.toml; it serializes refreshes across isolates.
 */
export declare class TokenStoreDurableObject {
  constructor(state: { storage: { get(key: string): Promise<unknown>; put(key: string, value: unknown): Promise<void> } }, env?: unknown);
  fetch(request: Request): Promise<Response>;
}
