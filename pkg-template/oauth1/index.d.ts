// "oauth-edge/oauth1": the OAuth 1.0a-only build (RFC 5849 signing and the three-legged flow),
// a separate, smaller WebAssembly module for hosts that need nothing else.
export { OAuth1Signer, OAuth1Flow } from "./oauth_edge.js";
export type {
  SignatureMethod, Placement, FetchLike, FormInput, TransportOptions,
  OAuth1SignerOptions, OAuth1SignInput, SignedRequest, OAuth1FetchInit,
  OAuth1FlowOptions, OAuth1PendingAuthorization, OAuth1FinishInput, OAuth1TokenCredentials,
  InitInput, SyncInitInput,
} from "./oauth_edge.js";
export * from "../common.js";
