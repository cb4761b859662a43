//! OAuth 2 (RFC 6749) in the pure core: client authentication, PKCE, the authorization code
//! flow, token requests and responses, retries, and the token session state machine.
//!
//! - `client`: §2, the client registration and §2.3 client authentication options.
//! - `pkce`: RFC 7636 S256.
//! - `authorization`: §4.1.1–§4.1.2, the authorization URL and the callback (RFC 9207 `iss`).
//! - `grants`: §4.1.3, §4.3.2, §4.4.2, §6 token requests.
//! - `token_response`: §5.1 / §5.2 responses → [`TokenSet`] or a typed error.
//! - `scope`: §3.3 scope tokens.
//! - `retry`: RFC 9110 `Retry-After` and the bounded, jittered backoff.
//! - `session/`: the token session engine (sans-IO: `poll` → action → `handle_*`).

pub mod authorization;
pub mod client;
pub mod grants;
pub mod pkce;
pub mod retry;
pub mod scope;
pub mod session;
pub mod token_response;

pub use authorization::{
    start as start_authorization, AuthorizationCode, AuthorizationParams, AuthorizationStart,
    PendingAuthorization,
};
pub use client::{BasicEncoding, ClientAuth, ClientConfig, ExpiresInUnit};
pub use grants::{token_request, Grant};
pub use pkce::Pkce;
pub use retry::RetryPolicy;
pub use session::{
    Action, ApiCall, ApiResponse, ApiStep, BearerToken, Lease, Saved, Session, SessionConfig,
    SessionState, Stored, TokenRecord,
};
pub use token_response::{parse_token_response, token_error, TokenSet};
