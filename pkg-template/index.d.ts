// Public types of oauth-edge. Classes and option types are generated from the Rust sources
// (src/js/) into oauth_edge.d.ts and re-exported here by name, which keeps wasm-bindgen's raw
// `InitOutput` (the module's untyped exports) off the public surface; this file adds the error
// class, `init`, `initSync` and the store adapters.
export {
  OAuth1Signer, OAuth1Flow, OAuth2Client, TokenSession, ZapEvent, OneRoster, OneRosterFilter, OnlineRegistrationCenter, OmniFund,
} from "./oauth_edge.js";
export type {
  SignatureMethod, Placement, FetchLike, FormInput, TransportOptions,
  OAuth1SignerOptions, OAuth1SignInput, SignedRequest, OAuth1FetchInit,
  OAuth1FlowOptions, OAuth1PendingAuthorization, OAuth1FinishInput, OAuth1TokenCredentials,
  TokenSetJson, TokenRecordJson, OAuth2ClientOptions, AuthorizationRequest, SessionState, TokenStore, TokenSessionOptions,
  InitInput, SyncInitInput,
  PagedList, Page, PageProgress, PagingOptions,
  ZapEventFormat, ZapEventApiOptions, ZapEventOAuth1Options, ZapEventOAuth1FlowOptions, ZapEventLoginOptions,
  ZapEventDate, ZapEventEventOptions, ZapEventEventsOptions, ZapEventCategoriesOptions, ZapEventQuestionsOptions,
  ZapEventParticipantsOptions, ZapEventRecord, ZapEventEvent, ZapEventActivity, ZapEventQuestion, ZapEventCategory,
  ZapEventParticipant, PaginateOptions,
  OneRosterCollection, OneRosterFilterOp, OneRosterDirectOptions, OneRosterProxyOptions, OneRosterV1p2Options,
  OneRosterListOptions, OneRosterRef, OneRosterBase, OneRosterOrg, OneRosterAcademicSession, OneRosterCourse,
  OneRosterClass, OneRosterUser, OneRosterEnrollment, OneRosterDemographics, OneRosterRecords, OrcAttendee, OmniFundLogin,
} from "./oauth_edge.js";

export * from "./common.js";

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

/** Tokens in Deno KV: `save` is an atomic check on the versionstamp (no `lock` needed). */
export declare function denoKvStore(kv: DenoKvLike, key?: readonly unknown[]): TokenStore;

/** Minimal view of a Durable Object stub. */
export interface DurableObjectStubLike {
  fetch(input: string, init?: RequestInit): Promise<Response>;
}

/** Tokens held by a {@link TokenStoreDurableObject}; one object per token family. */
export declare function durableObjectStore(stub: DurableObjectStubLike): TokenStore;

/**
 * The Durable Object class to export from your Worker (`export { TokenStoreDurableObject }
 * from "oauth-edge"`) and bind in wrangler.toml; its compare-and-set save is what keeps one
 * refresh per expiry across isolates.
 */
export declare class TokenStoreDurableObject {
  constructor(state: { storage: { get(key: string): Promise<unknown>; put(key: string, value: unknown): Promise<void> } }, env?: unknown);
  fetch(request: Request): Promise<Response>;
}
