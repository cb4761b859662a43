//! The one error type of oauth-edge, with a closed set of stable codes.
//!
//! Messages are written by this crate from fixed text and non-secret context only: a token,
//! a secret or a password is never formatted into an error (see `secret.rs`).

use std::fmt;

/// Stable, documented error codes. JS sees them as the `code` string of `OAuthEdgeError`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// A caller-supplied argument or option is malformed or missing, caught before anything is
    /// sent (the message says which).
    InvalidArgument,
    /// A plain `http:` URL to a host other than loopback (`localhost`, `*.localhost`,
    /// `127.0.0.0/8`, `[::1]`); opt out only with `allowInsecureRequests: true`.
    InsecureUrl,
    /// A response could not be parsed.
    Parse,
    /// A non-success HTTP status with no more specific meaning.
    HttpStatus,
    /// The transport failed: `fetch` rejected (DNS, connection reset) or the body was cut off
    /// (`cause` is the host's error).
    Network,
    /// OAuth 1.0a: the server did not confirm the callback (`oauth_callback_confirmed=true`
    /// missing, RFC 5849 §2.1).
    CallbackNotConfirmed,
    /// The `state` (OAuth 2) or `oauth_token` (OAuth 1.0a) on a callback is not the one sent.
    StateMismatch,
    /// The provider explained the failure: an RFC 6749 §5.2 / §4.1.2.1 `error`, an OAuth 1.0a
    /// `oauth_problem`, a ZapEvent `<error_code>` or another provider error body.
    ProviderError,
    /// RFC 6749 §5.2 `invalid_request`.
    OAuthInvalidRequest,
    /// RFC 6749 §5.2 `invalid_client`.
    OAuthInvalidClient,
    /// RFC 6749 §5.2 `invalid_grant`.
    OAuthInvalidGrant,
    /// RFC 6749 §5.2 `unauthorized_client`.
    OAuthUnauthorizedClient,
    /// RFC 6749 §5.2 `unsupported_grant_type`.
    OAuthUnsupportedGrantType,
    /// RFC 6749 §5.2 `invalid_scope`.
    OAuthInvalidScope,
    /// RFC 6749 §4.1.2.1 `access_denied`.
    OAuthAccessDenied,
    /// The session can no longer refresh (the refresh token is dead, or there are no tokens):
    /// the user must authorize again.
    NeedsReauth,
    /// The server kept answering 429/503 after the bounded retries; `retryAfter` says when to
    /// come back.
    RateLimited,
    /// The token store's compare-and-set lost several times in a row (a store whose versions
    /// never match); the tokens stay in memory.
    StoreConflict,
    /// A token store callback failed; new tokens stay in memory and the next call saves them.
    StoreError,
    /// The provider rejected the credentials of an API call or a login: key, token, username
    /// or password (ZapEvent errors 6, 101, 102).
    InvalidCredentials,
    /// The credentials are valid but may not see this resource (ZapEvent error 7, HTTP 403).
    PermissionDenied,
    /// The resource does not exist (ZapEvent errors 201, 301, HTTP 404).
    NotFound,
    /// A paged list answered a page it had already sent: the run stops instead of looping.
    PageRepeated,
    /// The caller's `AbortSignal` fired (`cause` is its reason).
    Aborted,
    /// A response body over the configured `maxResponseBytes` (default 64 MiB): refused before
    /// it was parsed.
    ResponseTooLarge,
    /// A bug in oauth-edge (please report it; nothing was sent with a wrong token), or the
    /// WebAssembly module was used before `init()`.
    Internal,
}

impl ErrorCode {
    /// The stable string form, e.g. `"INSECURE_URL"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidArgument => "INVALID_ARGUMENT",
            ErrorCode::InsecureUrl => "INSECURE_URL",
            ErrorCode::Parse => "PARSE",
            ErrorCode::HttpStatus => "HTTP_STATUS",
            ErrorCode::Network => "NETWORK",
            ErrorCode::CallbackNotConfirmed => "CALLBACK_NOT_CONFIRMED",
            ErrorCode::StateMismatch => "STATE_MISMATCH",
            ErrorCode::ProviderError => "PROVIDER_ERROR",
            ErrorCode::OAuthInvalidRequest => "OAUTH_INVALID_REQUEST",
            ErrorCode::OAuthInvalidClient => "OAUTH_INVALID_CLIENT",
            ErrorCode::OAuthInvalidGrant => "OAUTH_INVALID_GRANT",
            ErrorCode::OAuthUnauthorizedClient => "OAUTH_UNAUTHORIZED_CLIENT",
            ErrorCode::OAuthUnsupportedGrantType => "OAUTH_UNSUPPORTED_GRANT_TYPE",
            ErrorCode::OAuthInvalidScope => "OAUTH_INVALID_SCOPE",
            ErrorCode::OAuthAccessDenied => "OAUTH_ACCESS_DENIED",
            ErrorCode::NeedsReauth => "NEEDS_REAUTH",
            ErrorCode::RateLimited => "RATE_LIMITED",
            ErrorCode::StoreConflict => "STORE_CONFLICT",
            ErrorCode::StoreError => "STORE_ERROR",
            ErrorCode::InvalidCredentials => "INVALID_CREDENTIALS",
            ErrorCode::PermissionDenied => "PERMISSION_DENIED",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::PageRepeated => "PAGE_REPEATED",
            ErrorCode::Aborted => "ABORTED",
            ErrorCode::ResponseTooLarge => "RESPONSE_TOO_LARGE",
            ErrorCode::Internal => "INTERNAL",
        }
    }
}

/// An oauth-edge error: a stable [`ErrorCode`], a message free of secrets, and what is known
/// about the HTTP exchange that caused it ([`ErrorInfo`], read and written through `Deref`).
///
/// Boxed: every `Result<_, Error>` is then one pointer wide, so the many fallible steps of a
/// request move and drop a pointer instead of nine fields (measured: see CHANGELOG).
#[derive(Debug, Clone, PartialEq)]
pub struct Error(Box<ErrorInfo>);

/// What an [`Error`] says.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorInfo {
    /// The stable code.
    pub code: ErrorCode,
    /// Human-readable, secret-free message.
    pub message: String,
    /// HTTP status of the response that caused the error, if any.
    pub status: Option<u16>,
    /// Provider name (`"zapevent"`, `"priava"`, …) when a provider preset was involved.
    pub provider: Option<Box<str>>,
    /// The provider's own error code (`error` of RFC 6749 §5.2, ZapEvent's `<error_code>`).
    pub provider_code: Option<Box<str>>,
    /// The provider's description (`error_description`, `<error_msg>`, `oauth_problem`).
    pub provider_description: Option<Box<str>>,
    /// Seconds after which a retry may succeed (`Retry-After`).
    pub retry_after: Option<f64>,
    /// Request parameters named by the provider or by our own validation (boxed: most
    /// errors have none, and `Result<_, Error>` stays small).
    pub params: Option<Box<ParamErrors>>,
}

/// Request parameters an error names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParamErrors {
    /// Reported missing (ZapEvent `<param_missing>`).
    pub missing: Vec<String>,
    /// Reported invalid.
    pub invalid: Vec<String>,
}

impl Error {
    /// An error with a code and a message; every other field empty.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::from_parts(code, message.into())
    }

    // One out-of-line body for the ~200 places that make an error.
    #[inline(never)]
    fn from_parts(code: ErrorCode, message: String) -> Self {
        Error(Box::new(ErrorInfo {
            code,
            message,
            status: None,
            provider: None,
            provider_code: None,
            provider_description: None,
            retry_after: None,
            params: None,
        }))
    }

    /// The same error with another message.
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    /// Shorthand for [`ErrorCode::InvalidArgument`].
    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::InvalidArgument, message)
    }

    /// Shorthand for [`ErrorCode::Parse`].
    pub fn parse(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::Parse, message)
    }

    /// Sets the HTTP status.
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Sets the provider's error code and description.
    pub fn with_provider_error(
        mut self,
        code: Option<String>,
        description: Option<String>,
    ) -> Self {
        self.provider_code = code.map(Into::into);
        self.provider_description = description.map(Into::into);
        self
    }

    /// The parameter lists, created on first use.
    pub fn params_mut(&mut self) -> &mut ParamErrors {
        self.params.get_or_insert_with(Default::default)
    }

    /// Sets the provider name.
    pub fn with_provider(mut self, provider: &str) -> Self {
        self.provider = Some(provider.into());
        self
    }

    /// Sets `retry_after` (seconds).
    pub fn with_retry_after(mut self, seconds: Option<f64>) -> Self {
        self.retry_after = seconds;
        self
    }
}

impl std::ops::Deref for Error {
    type Target = ErrorInfo;
    fn deref(&self) -> &ErrorInfo {
        &self.0
    }
}

impl std::ops::DerefMut for Error {
    fn deref_mut(&mut self) -> &mut ErrorInfo {
        &mut self.0
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl std::error::Error for Error {}

/// Result with the crate's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;
